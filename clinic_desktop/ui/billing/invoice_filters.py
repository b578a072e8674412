"""What the invoices list shows above and in its table: the filter bar (status — with "Unpaid"
for everything still owed —, kind of document, a named period or any two dates, the numbering
series, and text matched against the buyer, their tax ID, the number and the patient, acted
on once the user pauses typing) and the table's columns with the status pill."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from decimal import Decimal

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QWidget

from clinic_desktop.i18n import _
from clinic_desktop.services.invoice_dto import (
    InvoiceSeriesDTO,
    InvoiceSummaryDTO,
    Kind,
    Status,
    kind_label,
    status_label,
)
from clinic_desktop.ui.billing.money_widgets import money_text, status_pill
from clinic_desktop.ui.billing.period_range import PeriodRange
from clinic_desktop.ui.chart.clinical_dialog_kit import date_text
from clinic_desktop.ui.widgets.filter_kit import SearchEdit, refill_combo
from clinic_desktop.ui.widgets.pill_delegate import Pill
from clinic_desktop.ui.widgets.screen_kit import Column

PERIODS = ("any", "this_month", "last_month", "this_year", "custom")
BUYER_COLUMN, STATUS_COLUMN = 3, 7
UNPAID = "unpaid"
# Filter key -> the statuses list_invoices is asked for.
STATUS_FILTERS: dict[str, tuple[str, ...] | None] = {
    "": None,
    UNPAID: (Status.ISSUED.value, Status.PARTLY_PAID.value),
    Status.DRAFT.value: (Status.DRAFT.value,),
    Status.ISSUED.value: (Status.ISSUED.value,),
    Status.PARTLY_PAID.value: (Status.PARTLY_PAID.value,),
    Status.PAID.value: (Status.PAID.value,),
    Status.CREDITED.value: (Status.CREDITED.value,),
}


class InvoiceFilterBar(QWidget):
    """`changed` whenever a filter changes (typing only once the user pauses). Editing a
    date switches the period to "custom"; "Any date" also lists drafts, which have none."""

    changed = Signal()

    def __init__(self, today: date, country: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("InvoicesFilterBar")
        self.today = today
        self.status_combo = QComboBox(self)
        self.status_combo.setObjectName("InvoicesStatusCombo")
        self.status_combo.addItem(_("All statuses"), "")
        self.status_combo.addItem(_("Unpaid"), UNPAID)
        for key in STATUS_FILTERS:
            if key and key != UNPAID:
                self.status_combo.addItem(status_label(key), key)
        self.kind_combo = QComboBox(self)
        self.kind_combo.setObjectName("InvoicesKindCombo")
        self.kind_combo.addItem(_("All documents"), "")
        kinds = [Kind.INVOICE, Kind.SIMPLIFIED, Kind.CREDIT_NOTE]
        for kind in kinds if country == "ES" else [Kind.INVOICE, Kind.CREDIT_NOTE]:
            self.kind_combo.addItem(kind_label(kind, country), kind.value)
        labels = (_("Any date"), _("This month"), _("Last month"), _("This year"), _("Dates…"))
        self.periods = PeriodRange("Invoices", list(zip(PERIODS, labels, strict=True)), today, self)
        self.periods.changed.connect(self.changed)
        self.period_combo = self.periods.combo
        self.from_edit, self.to_edit = self.periods.from_edit, self.periods.to_edit
        self.series_combo = QComboBox(self)
        self.series_combo.setObjectName("InvoicesSeriesCombo")
        self.series_combo.addItem(_("All series"), "")
        self.series_combo.setMaximumWidth(280)
        self.search_edit = SearchEdit(
            "InvoicesSearchEdit", _("Search buyer, tax ID, number or patient"), self
        )
        self.search_edit.paused.connect(self.changed)
        for combo in (self.status_combo, self.kind_combo, self.series_combo):
            combo.currentIndexChanged.connect(lambda _i: self.changed.emit())

        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        for widget in (self.status_combo, self.kind_combo, self.periods, self.series_combo):
            row.addWidget(widget)
        row.addWidget(self.search_edit, 1)

    # -- reading -----------------------------------------------------------------------------

    def statuses(self) -> tuple[str, ...] | None:
        return STATUS_FILTERS.get(str(self.status_combo.currentData() or ""))

    def owed_only(self) -> bool:
        """The "Unpaid" choice: what is still owed."""
        return bool(self.status_combo.currentData() == UNPAID)

    def kind(self) -> str | None:
        return str(self.kind_combo.currentData() or "") or None

    def period(self) -> tuple[date, date] | None:
        return self.periods.period()

    def series(self) -> str | None:
        return str(self.series_combo.currentData() or "") or None

    def text(self) -> str:
        return self.search_edit.text().strip()

    def filtered(self) -> bool:
        return bool(self.statuses() or self.kind() or self.period() or self.series() or self.text())

    def cancel_pending(self) -> None:
        self.search_edit.cancel_pending()

    # -- setting -----------------------------------------------------------------------------

    def set_status(self, key: str) -> None:
        self.status_combo.setCurrentIndex(max(self.status_combo.findData(key), 0))

    def set_kind(self, kind: str) -> None:
        self.kind_combo.setCurrentIndex(max(self.kind_combo.findData(kind), 0))

    def set_period(self, key: str) -> None:
        self.periods.set_period(key)

    def set_dates(self, date_from: date, date_to: date) -> None:
        self.periods.set_dates(date_from, date_to)

    def set_series(self, series: Sequence[InvoiceSeriesDTO]) -> None:
        """Refills the series combo keeping the choice, without announcing a change."""
        choices = []
        for prefix in sorted({s.prefix for s in series}):
            kinds = ", ".join(sorted({s.kind_label for s in series if s.prefix == prefix}))
            choices.append(
                (_("Series {prefix} ({kinds})").format(prefix=prefix, kinds=kinds), prefix)
            )
        refill_combo(self.series_combo, _("All series"), choices, all_data="")


# -- table ---------------------------------------------------------------------------------


def buyer_text(row: InvoiceSummaryDTO) -> str:
    return row.buyer_name or row.patient_name or "—"


def row_tooltip(row: InvoiceSummaryDTO) -> str:
    lines = [buyer_text(row)]
    if row.buyer_tax_id:
        lines.append(row.buyer_tax_id)
    if row.patient_name and row.patient_name != row.buyer_name:
        lines.append(_("Patient: {name}").format(name=row.patient_name))
    if row.credited_total:
        lines.append(
            _("Credited: {amount}").format(amount=money_text(row.credited_total, row.currency))
        )
    return "\n".join(lines)


def row_pill(row: InvoiceSummaryDTO) -> Pill:
    return status_pill(row.status, row.kind)


def total_text(row: InvoiceSummaryDTO) -> str:
    """A credit note is money off an invoice: its total shows negative."""
    amount = -row.total if row.kind == Kind.CREDIT_NOTE else row.total
    return money_text(amount, row.currency)


def owed_text(pick: Callable[[InvoiceSummaryDTO], Decimal]) -> Callable[[InvoiceSummaryDTO], str]:
    """What was paid or is owed; on a credit note that belongs to the invoice it corrects."""

    def text(row: InvoiceSummaryDTO) -> str:
        return "—" if row.kind == Kind.CREDIT_NOTE else money_text(pick(row), row.currency)

    return text


def invoice_columns() -> list[Column[InvoiceSummaryDTO]]:
    return [
        Column(_("Number"), lambda r: r.number_text or _("Draft")),
        Column(_("Document"), lambda r: r.kind_label),
        Column(_("Date"), lambda r: date_text(r.issue_date)),
        Column(_("Buyer"), buyer_text, tooltip=row_tooltip),
        Column(_("Total"), total_text, align_right=True),
        Column(_("Amount paid"), owed_text(lambda r: r.paid_total), align_right=True),
        Column(_("Balance"), owed_text(lambda r: r.balance), align_right=True),
        Column(_("Status"), lambda r: row_pill(r).text),
    ]
