"""What the invoices list shows above and in its table: the filter bar (status — with "Unpaid"
for everything still owed —, kind of document, a named period or any two dates, the numbering
series, and text matched against the buyer, their tax ID, the number and the patient, acted
on once the user pauses typing) and the table's columns with the status pill."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from decimal import Decimal

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QLineEdit, QWidget

from clinic_desktop.i18n import _
from clinic_desktop.services.invoice_dto import (
    InvoiceSeriesDTO,
    InvoiceSummaryDTO,
    Kind,
    Status,
    kind_label,
    status_label,
)
from clinic_desktop.ui import style
from clinic_desktop.ui.agenda.dialog_kit import date_box, from_qdate, to_qdate
from clinic_desktop.ui.billing.expense_list import period_bounds
from clinic_desktop.ui.billing.money_widgets import money_text, status_pill
from clinic_desktop.ui.chart.clinical_dialog_kit import date_text
from clinic_desktop.ui.widgets.pill_delegate import Pill
from clinic_desktop.ui.widgets.screen_kit import Column

SEARCH_DELAY_MS = 250
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
        self.period_combo = QComboBox(self)
        self.period_combo.setObjectName("InvoicesPeriodCombo")
        labels = (_("Any date"), _("This month"), _("Last month"), _("This year"), _("Dates…"))
        for key, text in zip(PERIODS, labels, strict=True):
            self.period_combo.addItem(text, key)
        self.from_edit = date_box("InvoicesFromEdit", self, weekday=False)
        self.to_edit = date_box("InvoicesToEdit", self, weekday=False)
        for box in (self.from_edit, self.to_edit):
            box.setFixedWidth(130)
            box.setDate(to_qdate(today))
            box.dateChanged.connect(self._on_dates_edited)
        self.dash = QLabel("–", self)
        style.set_role(self.dash, "hint")
        self.series_combo = QComboBox(self)
        self.series_combo.setObjectName("InvoicesSeriesCombo")
        self.series_combo.addItem(_("All series"), "")
        self.series_combo.setMaximumWidth(280)
        self.search_edit = QLineEdit(self)
        self.search_edit.setObjectName("InvoicesSearchEdit")
        self.search_edit.setPlaceholderText(_("Search buyer, tax ID, number or patient"))
        self.search_edit.setClearButtonEnabled(True)
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.changed)
        self.search_edit.textChanged.connect(lambda _t: self._search_timer.start())
        for combo in (self.status_combo, self.kind_combo, self.series_combo):
            combo.currentIndexChanged.connect(lambda _i: self.changed.emit())
        self.period_combo.currentIndexChanged.connect(lambda _i: self._on_period_changed())

        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        for widget in (self.status_combo, self.kind_combo, self.period_combo, self.from_edit):
            row.addWidget(widget)
        row.addWidget(self.dash)
        row.addWidget(self.to_edit)
        row.addWidget(self.series_combo)
        row.addWidget(self.search_edit, 1)
        self._show_dates(False)

    # -- reading -----------------------------------------------------------------------------

    def statuses(self) -> tuple[str, ...] | None:
        return STATUS_FILTERS.get(str(self.status_combo.currentData() or ""))

    def owed_only(self) -> bool:
        """The "Unpaid" choice: what is still owed."""
        return bool(self.status_combo.currentData() == UNPAID)

    def kind(self) -> str | None:
        return str(self.kind_combo.currentData() or "") or None

    def period(self) -> tuple[date, date] | None:
        if self.period_combo.currentData() == "any":
            return None
        return from_qdate(self.from_edit.date()), from_qdate(self.to_edit.date())

    def series(self) -> str | None:
        return str(self.series_combo.currentData() or "") or None

    def text(self) -> str:
        return self.search_edit.text().strip()

    def filtered(self) -> bool:
        return bool(self.statuses() or self.kind() or self.period() or self.series() or self.text())

    def cancel_pending(self) -> None:
        self._search_timer.stop()

    # -- setting -----------------------------------------------------------------------------

    def set_status(self, key: str) -> None:
        self.status_combo.setCurrentIndex(max(self.status_combo.findData(key), 0))

    def set_kind(self, kind: str) -> None:
        self.kind_combo.setCurrentIndex(max(self.kind_combo.findData(kind), 0))

    def set_period(self, key: str) -> None:
        self.period_combo.setCurrentIndex(max(self.period_combo.findData(key), 0))

    def set_dates(self, date_from: date, date_to: date) -> None:
        self.period_combo.blockSignals(True)
        self.period_combo.setCurrentIndex(self.period_combo.findData("custom"))
        self.period_combo.blockSignals(False)
        self._set_dates(date_from, date_to)
        self._show_dates(True)
        self.changed.emit()

    def set_series(self, series: Sequence[InvoiceSeriesDTO]) -> None:
        """Refills the series combo keeping the choice, without announcing a change."""
        combo = self.series_combo
        current = combo.currentData()
        combo.blockSignals(True)
        combo.clear()
        combo.addItem(_("All series"), "")
        for prefix in sorted({s.prefix for s in series}):
            kinds = ", ".join(sorted({s.kind_label for s in series if s.prefix == prefix}))
            combo.addItem(_("Series {prefix} ({kinds})").format(prefix=prefix, kinds=kinds), prefix)
        combo.setCurrentIndex(max(combo.findData(current), 0))
        combo.blockSignals(False)

    def _set_dates(self, date_from: date, date_to: date) -> None:
        for box, day in ((self.from_edit, date_from), (self.to_edit, date_to)):
            box.blockSignals(True)
            box.setDate(to_qdate(day))
            box.blockSignals(False)

    def _show_dates(self, shown: bool) -> None:
        for widget in (self.from_edit, self.dash, self.to_edit):
            widget.setVisible(shown)

    def _on_period_changed(self) -> None:
        key = str(self.period_combo.currentData())
        bounds = period_bounds(key, self.today)
        if bounds is not None:
            self._set_dates(*bounds)
        self._show_dates(key != "any")
        self.changed.emit()

    def _on_dates_edited(self, *_args: object) -> None:
        self.period_combo.blockSignals(True)
        self.period_combo.setCurrentIndex(self.period_combo.findData("custom"))
        self.period_combo.blockSignals(False)
        self.changed.emit()


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
