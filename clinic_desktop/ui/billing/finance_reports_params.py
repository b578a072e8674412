"""Which reports the finance reports tab offers and the card of their parameters (on the
shared ui.widgets.report_params card): a period, named (this month, last month, this year,
last year) or any two dates, which the dates follow and which editing a date turns into
"custom"; for the income report also the grouping (day, month, year) and the basis (issued
invoices or payments received). Receivables take nothing: balances are as they stand now.
It turns what is on screen into the service call that runs the chosen report."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget

from clinic_desktop.i18n import N_, _
from clinic_desktop.services.finance_reports import (
    report_income_by_method,
    report_income_expenses,
)
from clinic_desktop.services.finance_reports_breakdown import (
    report_income_by_practitioner,
    report_income_by_treatment,
)
from clinic_desktop.services.finance_reports_common import (
    Basis,
    FinanceReportKey,
    Granularity,
    basis_text,
)
from clinic_desktop.services.finance_reports_ledger import (
    report_cash_closes,
    report_receivables,
    report_tax_summary,
)
from clinic_desktop.ui.billing.period_range import period_bounds
from clinic_desktop.ui.context import UiContext
from clinic_desktop.ui.style import set_role
from clinic_desktop.ui.widgets.report_params import (
    ReportCall,
    ReportEntry,
    ReportParametersCard,
    month_of,
    pydate,
    qdate,
)

Key = FinanceReportKey
PERIODS = ("this_month", "last_month", "this_year", "last_year", "custom")


@dataclass(frozen=True)
class FinanceReportSpec:
    """One report of the list and the parameters it asks for."""

    key: str
    title: str  # N_() source text (the report's own title)
    summary: str  # N_() source text
    period: bool = True
    grouping: bool = False  # day / month / year
    basis: bool = False  # issued invoices / payments received


SPECS: tuple[FinanceReportSpec, ...] = (
    FinanceReportSpec(
        Key.INCOME_EXPENSES,
        N_("Income, expenses and profit"),
        N_(
            "Income, expenses and profit of each day, month or year of the period, counted "
            "on issued invoices or on payments received."
        ),
        grouping=True,
        basis=True,
    ),
    FinanceReportSpec(
        Key.BY_PRACTITIONER,
        N_("Income by practitioner"),
        N_("What each practitioner's invoices brought in, net of tax, less credit notes."),
    ),
    FinanceReportSpec(
        Key.BY_TREATMENT,
        N_("Income by treatment"),
        N_("Income per treatment of the catalogue, with the products sold and typed lines."),
    ),
    FinanceReportSpec(
        Key.BY_METHOD,
        N_("Income by payment method"),
        N_("The money received in cash, by card, by transfer and otherwise, less refunds."),
    ),
    FinanceReportSpec(
        Key.TAX_SUMMARY,
        N_("Tax summary by rate"),
        N_("Taxable base and tax of the invoices and credit notes issued, per tax rate."),
    ),
    FinanceReportSpec(
        Key.RECEIVABLES,
        N_("Receivables"),
        N_(
            "Every invoice still owed, with its balance by age: 0–30, 31–60, 61–90 and over "
            "90 days since it was issued."
        ),
        period=False,
    ),
    FinanceReportSpec(
        Key.CASH_CLOSES,
        N_("Cash closes"),
        N_("Each closed cash day: expected, counted and the difference, with its comment."),
    ),
)


class FinanceReportParameters(ReportParametersCard):
    spec: FinanceReportSpec

    def __init__(self, today: date, parent: QWidget | None = None) -> None:
        super().__init__(SPECS[0], parent)
        self.today = today
        self._applying = False

        self.period_combo = self.combo("FinancePeriodCombo")
        labels = (_("This month"), _("Last month"), _("This year"), _("Last year"))
        for key, text in zip(PERIODS, (*labels, _("Custom period")), strict=True):
            self.period_combo.addItem(text, key)
        self.period_combo.setMinimumContentsLength(16)
        self.period_combo.currentIndexChanged.connect(self._on_period_combo_changed)
        first, last = month_of(today)
        self.from_edit = self.date_edit("FinanceFromEdit", first)
        self.to_edit = self.date_edit("FinanceToEdit", last)
        for edit in (self.from_edit, self.to_edit):
            edit.dateChanged.connect(self._on_dates_edited)
        self.grouping_combo = self.combo("FinanceGroupingCombo")
        for grain, text in (
            (Granularity.DAY, _("Day")),
            (Granularity.MONTH, _("Month")),
            (Granularity.YEAR, _("Year")),
        ):
            self.grouping_combo.addItem(text, grain.value)
        self.basis_combo = self.combo("FinanceBasisCombo")
        self.basis_combo.setMinimumContentsLength(18)
        for basis, text in (
            (Basis.INVOICES, _("Issued invoices")),
            (Basis.PAYMENTS, _("Payments received")),
        ):
            self.basis_combo.addItem(text, basis.value)
            self.basis_combo.setItemData(
                self.basis_combo.count() - 1, basis_text(basis), Qt.ItemDataRole.ToolTipRole
            )
        self.now_note = QLabel(_("Nothing to choose: balances and ages as of today."), self)
        self.now_note.setObjectName("FinanceNowNote")
        self.now_note.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom)
        set_role(self.now_note, "hint")

        self._fields: dict[str, QWidget] = {
            "period": self.labelled(_("Period"), self.period_combo),
            "from": self.labelled(_("From"), self.from_edit),
            "to": self.labelled(_("To"), self.to_edit),
            "grouping": self.labelled(_("Group by"), self.grouping_combo),
            "basis": self.labelled(_("Basis"), self.basis_combo),
        }
        self.lay_out(
            [*self._fields.values(), self.now_note],
            {
                "date_from": self.from_edit,
                "date_to": self.to_edit,
                "granularity": self.grouping_combo,
                "basis": self.basis_combo,
            },
        )
        # As tall as the inputs it stands in for, its text level with theirs: the table
        # below does not jump when going from a report to the receivables.
        inputs_height = self._fields["period"].sizeHint().height()
        box_height = self.period_combo.sizeHint().height()
        text_height = self.now_note.fontMetrics().height()
        self.now_note.setMinimumHeight(inputs_height)
        self.now_note.setContentsMargins(0, 0, 0, max((box_height - text_height) // 2, 0))
        self.choose(self.grouping_combo, Granularity.MONTH.value)
        self.set_period("this_year")

    # -- the period ------------------------------------------------------------------------

    def set_period(self, key: str) -> None:
        """Shows a named period (its dates follow) or "custom" (the dates stay)."""
        self.choose(self.period_combo, key)
        self._on_period_combo_changed(self.period_combo.currentIndex())

    def set_dates(self, date_from: date, date_to: date) -> None:
        """Any two dates: the period becomes "custom"."""
        self.from_edit.setDate(qdate(date_from))
        self.to_edit.setDate(qdate(date_to))

    def period(self) -> tuple[date, date]:
        return pydate(self.from_edit.date()), pydate(self.to_edit.date())

    def _on_period_combo_changed(self, _index: int) -> None:
        bounds = period_bounds(str(self.period_combo.currentData()), self.today)
        if bounds is None:
            return
        self._applying = True
        try:
            self.from_edit.setDate(qdate(bounds[0]))
            self.to_edit.setDate(qdate(bounds[1]))
        finally:
            self._applying = False

    def _on_dates_edited(self, *_args: object) -> None:
        if self._applying:
            return
        self.period_combo.blockSignals(True)
        self.choose(self.period_combo, "custom")
        self.period_combo.blockSignals(False)

    # -- the chosen report -----------------------------------------------------------------

    def set_spec(self, spec: ReportEntry) -> None:
        """Shows the inputs `spec` takes and hides the others."""
        assert isinstance(spec, FinanceReportSpec)
        super().set_spec(spec)
        shown = {
            "period": spec.period,
            "from": spec.period,
            "to": spec.period,
            "grouping": spec.grouping,
            "basis": spec.basis,
        }
        for name, visible in shown.items():
            self._fields[name].setVisible(visible)
        self.now_note.setVisible(not spec.period)
        self.clear_errors()

    def call(self, ctx: UiContext) -> ReportCall:
        """The service call for the chosen report with what is on screen now."""
        uow, actor, key = ctx.uow, ctx.actor, self.spec.key
        date_from, date_to = self.period()
        if key == Key.INCOME_EXPENSES:
            granularity = str(self.grouping_combo.currentData())
            basis = str(self.basis_combo.currentData())
            return lambda: report_income_expenses(
                uow(),
                actor=actor,
                date_from=date_from,
                date_to=date_to,
                granularity=granularity,
                basis=basis,
            )
        if key == Key.RECEIVABLES:
            return lambda: report_receivables(uow(), actor=actor)
        service = {
            Key.BY_PRACTITIONER: report_income_by_practitioner,
            Key.BY_TREATMENT: report_income_by_treatment,
            Key.BY_METHOD: report_income_by_method,
            Key.TAX_SUMMARY: report_tax_summary,
            Key.CASH_CLOSES: report_cash_closes,
        }[Key(key)]
        return lambda: service(uow(), actor=actor, date_from=date_from, date_to=date_to)
