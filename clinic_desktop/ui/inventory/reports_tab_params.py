"""The parameters card of the inventory reports tab (on the shared ui.widgets.report_params
card): only the inputs the chosen report takes (a period starting as the current month, the
day of a valuation, a product or treatment category, a product and kind of movement, grouping
by treatment or practitioner, whether margins include a period), and the service call that
runs it with what is on screen."""

from __future__ import annotations

import uuid
from datetime import date

from PySide6.QtWidgets import QCheckBox, QWidget

from clinic_desktop.i18n import _
from clinic_desktop.services.inventory_reports import (
    report_stock_movements,
    report_stock_valuation,
)
from clinic_desktop.services.inventory_reports_common import ReportChoices
from clinic_desktop.services.inventory_reports_margins import report_treatment_margins
from clinic_desktop.services.inventory_reports_usage import (
    report_consumption,
    report_recipe_variance,
)
from clinic_desktop.ui.context import UiContext
from clinic_desktop.ui.inventory.reports_tab_model import SPECS, ReportSpec
from clinic_desktop.ui.widgets.filter_kit import refill_combo
from clinic_desktop.ui.widgets.report_params import (
    ReportCall,
    ReportEntry,
    ReportParametersCard,
    month_of,
    pydate,
    qdate,
)

__all__ = ["ReportParameters", "month_of", "pydate", "qdate"]


class ReportParameters(ReportParametersCard):
    spec: ReportSpec

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(SPECS[0], parent)
        self.choices: ReportChoices | None = None

        first, last = month_of(date.today())
        self.from_edit = self.date_edit("ReportFromEdit", first)
        self.to_edit = self.date_edit("ReportToEdit", last)
        self.as_of_edit = self.date_edit("ReportAsOfEdit", date.today())
        self.period_check = QCheckBox(_("Also what was done in the period"), self)
        self.period_check.setObjectName("ReportPeriodCheck")
        self.period_check.setChecked(True)
        self.period_check.toggled.connect(self._on_period_check_toggled)
        self.category_combo = self.combo("ReportCategoryCombo")
        self.product_combo = self.combo("ReportProductCombo")
        self.product_combo.setMinimumContentsLength(22)
        self.product_combo.setMaxVisibleItems(20)
        self.kind_combo = self.combo("ReportKindCombo")
        self.group_combo = self.combo("ReportGroupCombo")
        self.group_combo.addItem(_("Treatment"), "treatment")
        self.group_combo.addItem(_("Practitioner"), "practitioner")

        self._fields: dict[str, QWidget] = {
            "as_of": self.labelled(_("Stock at the end of"), self.as_of_edit),
            "from": self.labelled(_("From"), self.from_edit),
            "to": self.labelled(_("To"), self.to_edit),
            "category": self.labelled(_("Category"), self.category_combo),
            "product": self.labelled(_("Product"), self.product_combo),
            "kind": self.labelled(_("Kind"), self.kind_combo),
            "group": self.labelled(_("Group by"), self.group_combo),
        }
        self.lay_out(
            [*self._fields.values(), self.period_check],
            {
                "date_from": self.from_edit,
                "date_to": self.to_edit,
                "as_of": self.as_of_edit,
                "kind": self.kind_combo,
                "by": self.group_combo,
            },
        )

    # -- what to offer ---------------------------------------------------------------------

    def set_choices(self, choices: ReportChoices) -> None:
        """Fills the filters; the first time also sets the dates from the clinic's today."""
        if self.choices is None:
            first, last = month_of(choices.today)
            self.from_edit.setDate(qdate(first))
            self.to_edit.setDate(qdate(last))
            self.as_of_edit.setDate(qdate(choices.today))
            self.as_of_edit.setMaximumDate(qdate(choices.today))
        self.choices = choices
        products = [(f"{p.name} ({p.code})", p.id) for p in choices.products]
        refill_combo(self.product_combo, _("All products"), products)
        kinds = [(label, kind) for kind, label in choices.kinds]
        refill_combo(self.kind_combo, _("All kinds"), kinds)
        self._fill_categories()
        self.run_button.setEnabled(choices.allowed)

    def set_spec(self, spec: ReportEntry) -> None:
        """Shows the inputs `spec` takes and hides the others."""
        assert isinstance(spec, ReportSpec)
        super().set_spec(spec)
        shown = {
            "as_of": spec.as_of,
            "from": spec.period,
            "to": spec.period,
            "category": bool(spec.category),
            "product": spec.product_and_kind,
            "kind": spec.product_and_kind,
            "group": spec.group_by,
        }
        for name, visible in shown.items():
            self._fields[name].setVisible(visible)
        self.period_check.setVisible(spec.optional_period)
        self._on_period_check_toggled(self.period_check.isChecked())
        self._fill_categories()
        self.clear_errors()

    def _fill_categories(self) -> None:
        if self.choices is None:
            return
        treatment = self.spec.category == "treatment"
        names = self.choices.treatment_categories if treatment else self.choices.categories
        refill_combo(self.category_combo, _("All categories"), [(n, n) for n in names])

    def _on_period_check_toggled(self, checked: bool) -> None:
        enabled = checked or not self.spec.optional_period
        self.from_edit.setEnabled(enabled)
        self.to_edit.setEnabled(enabled)

    # -- the call --------------------------------------------------------------------------

    def call(self, ctx: UiContext) -> ReportCall:
        """The service call for the chosen report with what is on screen now."""
        uow, actor, key = ctx.uow, ctx.actor, self.spec.key
        date_from, date_to = pydate(self.from_edit.date()), pydate(self.to_edit.date())
        category: str | None = self.category_combo.currentData() or None
        if key == "valuation":
            as_of = pydate(self.as_of_edit.date())
            return lambda: report_stock_valuation(
                uow(), actor=actor, as_of=as_of, category=category
            )
        if key == "movements":
            product_id: uuid.UUID | None = self.product_combo.currentData()
            kind: str | None = self.kind_combo.currentData()
            return lambda: report_stock_movements(
                uow(),
                actor=actor,
                date_from=date_from,
                date_to=date_to,
                product_id=product_id,
                category=category,
                kind=kind,
            )
        if key == "consumption":
            by = str(self.group_combo.currentData())
            return lambda: report_consumption(
                uow(),
                actor=actor,
                date_from=date_from,
                date_to=date_to,
                by=by,
                category=category,
            )
        if key == "variance":
            return lambda: report_recipe_variance(
                uow(), actor=actor, date_from=date_from, date_to=date_to, category=category
            )
        with_period = self.period_check.isChecked()
        return lambda: report_treatment_margins(
            uow(),
            actor=actor,
            category=category,
            date_from=date_from if with_period else None,
            date_to=date_to if with_period else None,
        )
