"""What happened to an issued invoice after it was issued, in the editor: the payments applied
to it (date, method, receipt and the part of the payment that went to this invoice; refunds
negative) and the credit notes issued against it (number, date, reason, amount), oldest
first. Double-clicking a credit note opens it. A credit note shows instead the invoice it
corrects and why, with a link that opens it."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from clinic_desktop.i18n import _
from clinic_desktop.services.invoice_dto import InvoiceDTO, kind_label
from clinic_desktop.services.payment_dto import PaymentDTO
from clinic_desktop.ui.billing.money_widgets import money_text
from clinic_desktop.ui.chart.clinical_dialog_kit import date_text
from clinic_desktop.ui.style import bold, set_role

RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


@dataclass(frozen=True)
class HistoryEntry:
    day: date
    what: str
    amount: Decimal
    invoice_id: uuid.UUID | None = None  # a credit note, which opens on double-click


def history_entries(invoice: InvoiceDTO, payments: Sequence[PaymentDTO]) -> list[HistoryEntry]:
    """The payments applied to `invoice` and the credit notes against it, by date."""
    entries: list[HistoryEntry] = []
    for payment in payments:
        applied = sum(
            (a.amount for a in payment.allocations if a.invoice_id == invoice.id), Decimal(0)
        )
        if not applied:
            continue
        text = (
            _("Refund · {method} · receipt {number}")
            if payment.is_refund
            else _("Payment · {method} · receipt {number}")
        )
        entries.append(
            HistoryEntry(
                payment.day,
                text.format(method=payment.method_label, number=payment.receipt_number),
                -applied if payment.is_refund else applied,
            )
        )
    note_name = kind_label("credit_note", invoice.country)
    for note in invoice.credit_notes:
        entries.append(
            HistoryEntry(
                note.issue_date,
                _("{document} {number} · {reason}").format(
                    document=note_name, number=note.number_text, reason=note.reason
                ),
                -note.total,
                note.id,
            )
        )
    return sorted(entries, key=lambda e: e.day)


class InvoiceHistoryBox(QFrame):
    """`open_requested` carries the id of a credit note to open."""

    open_requested = Signal(object)

    def __init__(self, currency: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("InvoiceHistoryBox")
        set_role(self, "card")
        self.currency = currency
        self.entries: list[HistoryEntry] = []
        self.title = QLabel(_("Payments and credit notes"), self)
        self.title.setObjectName("InvoiceHistoryTitle")
        bold(self.title, 11)
        self.empty_label = QLabel(_("No payments or credit notes yet."), self)
        self.empty_label.setObjectName("InvoiceHistoryEmptyLabel")
        set_role(self.empty_label, "hint")
        self.corrects_label = QLabel(self)
        self.corrects_label.setObjectName("InvoiceCorrectsLabel")
        self.corrects_label.setWordWrap(True)
        self.corrects_label.hide()
        self.corrected_id: uuid.UUID | None = None
        self.open_corrected_button = QPushButton(_("Open the corrected invoice"), self)
        self.open_corrected_button.setObjectName("InvoiceOpenCorrectedButton")
        self.open_corrected_button.setAutoDefault(False)
        set_role(self.open_corrected_button, "link")
        self.open_corrected_button.clicked.connect(
            lambda _c=False: self.open_requested.emit(self.corrected_id)
        )
        self.open_corrected_button.hide()
        self.table = QTableWidget(0, 3, self)
        self.table.setObjectName("InvoiceHistoryTable")
        self.table.setHorizontalHeaderLabels([_("Date"), _("What"), _("Amount")])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setDefaultSectionSize(30)
        self.table.cellDoubleClicked.connect(self._on_table_cell_double_clicked)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 10, 14, 10)
        layout.setSpacing(6)
        layout.addWidget(self.title)
        layout.addWidget(self.corrects_label)
        layout.addWidget(self.open_corrected_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.table)
        layout.addWidget(self.empty_label)

    def show_invoice(self, invoice: InvoiceDTO, payments: Sequence[PaymentDTO]) -> None:
        if invoice.is_credit_note:
            self.title.setText(_("Corrected invoice"))
            self.corrects_label.setText(
                _("Corrects {number} of {date}.\nReason: {reason}").format(
                    number=invoice.corrects_number,
                    date=date_text(invoice.corrects_issue_date),
                    reason=invoice.correction_reason,
                )
            )
            self.corrects_label.show()
            self.corrected_id = invoice.corrects_id
            self.open_corrected_button.setVisible(invoice.corrects_id is not None)
            self.table.hide()
            self.empty_label.hide()
            return
        self.entries = history_entries(invoice, payments)
        self.table.setRowCount(len(self.entries))
        for row, entry in enumerate(self.entries):
            texts = (date_text(entry.day), entry.what, money_text(entry.amount, self.currency))
            for column, text in enumerate(texts):
                item = QTableWidgetItem(text)
                if column == 2:
                    item.setTextAlignment(RIGHT)
                if entry.invoice_id is not None:
                    item.setToolTip(_("Double-click to open it"))
                self.table.setItem(row, column, item)
        header = self.table.horizontalHeader().sizeHint().height() or 30
        rows = min(max(len(self.entries), 1), 5)
        self.table.setFixedHeight(
            header + rows * self.table.verticalHeader().defaultSectionSize() + 4
        )
        self.table.setVisible(bool(self.entries))
        self.empty_label.setVisible(not self.entries)

    def _on_table_cell_double_clicked(self, row: int, _column: int) -> None:
        if 0 <= row < len(self.entries) and self.entries[row].invoice_id is not None:
            self.open_requested.emit(self.entries[row].invoice_id)
