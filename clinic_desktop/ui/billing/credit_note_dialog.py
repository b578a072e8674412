"""Issuing a credit note (nota de crédito, factura rectificativa) against an issued invoice:
the reason, which is required and printed; the whole invoice — everything not yet credited —
or chosen quantities of its lines, each up to what remains of it; and, when products were
sold, whether they go back on the shelf. It asks before issuing (a credit note is issued at
once and cannot be undone), asks again when the invoice has payments (the credit becomes
money to refund), and once issued offers to print it. Refusals show under the reason or the
line they name."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from decimal import Decimal

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QCheckBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QRadioButton,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from clinic_desktop.errors import NeedsConfirmation, UserFacingError
from clinic_desktop.formatting import quantity as quantity_text
from clinic_desktop.i18n import _
from clinic_desktop.services.invoice_draft_totals import draft_totals
from clinic_desktop.services.invoice_dto import (
    InvoiceDTO,
    InvoiceLineDTO,
    Kind,
    LineForm,
    Source,
    kind_label,
)
from clinic_desktop.services.invoices import issue_credit_note
from clinic_desktop.ui.billing import invoice_actions as actions
from clinic_desktop.ui.billing.money_widgets import money_text
from clinic_desktop.ui.chart.clinical_dialog_kit import FormDialog
from clinic_desktop.ui.context import UiContext
from clinic_desktop.ui.inventory.order_widgets import DecimalSpin
from clinic_desktop.ui.inventory.products_kit import ask_to_confirm
from clinic_desktop.ui.style import bold
from clinic_desktop.ui.widgets import screen_kit
from clinic_desktop.ui.widgets.forms import FieldError, mark_invalid

ZERO = Decimal(0)
CREDIT_COLUMN = 3
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


def invoice_facts(invoice: InvoiceDTO) -> str:
    """Whom it was for and what it came to, paid and already credited."""
    parts = [
        invoice.buyer_name or invoice.patient_name,
        _("total {amount}").format(amount=money_text(invoice.total, invoice.currency)),
    ]
    if invoice.paid_total:
        parts.append(
            _("paid {amount}").format(amount=money_text(invoice.paid_total, invoice.currency))
        )
    if invoice.credited_total:
        parts.append(
            _("already credited {amount}").format(
                amount=money_text(invoice.credited_total, invoice.currency)
            )
        )
    return " · ".join(p for p in parts if p)


class CreditNoteDialog(FormDialog):
    """`issued` (and `saved`) carry the credit note's InvoiceDTO; `note` keeps it."""

    issued = Signal(object)

    def __init__(
        self, ctx: UiContext, *, invoice: InvoiceDTO, parent: QWidget | None = None
    ) -> None:
        note_name = _("credit note") if invoice.country == "EC" else _("corrective invoice")
        super().__init__(
            ctx,
            name="CreditNoteDialog",
            title=_("{note} for {document} {number}").format(
                note=kind_label(Kind.CREDIT_NOTE, invoice.country),
                document=invoice.kind_label.lower(),
                number=invoice.number_text,
            ),
            save_text=_("Issue {document}").format(document=note_name),
            parent=parent,
            subtitle=invoice_facts(invoice),
            width=820,
        )
        self.invoice = invoice
        self.note_name = note_name
        self.note: InvoiceDTO | None = None
        self.confirmed = False
        self.lines = [line for line in invoice.lines if line.creditable_quantity > 0]
        self.spins: list[DecimalSpin] = []
        self._marked: list[QWidget] = []
        self.reason_edit = QLineEdit(self)
        self.reason_edit.setObjectName("CreditNoteReasonEdit")
        self.reason_edit.setPlaceholderText(_("Why it is corrected; printed on the document"))
        self.add_row(_("Reason"), "reason", self.reason_edit)
        self.whole_radio = QRadioButton(self._whole_text(), self)
        self.whole_radio.setObjectName("CreditNoteWholeRadio")
        self.part_radio = QRadioButton(_("Only some lines or quantities"), self)
        self.part_radio.setObjectName("CreditNotePartRadio")
        group = QButtonGroup(self)
        group.addButton(self.whole_radio)
        group.addButton(self.part_radio)
        self.whole_radio.setChecked(True)
        self.extra.addWidget(self.whole_radio)
        self.extra.addWidget(self.part_radio)
        self._build_table()
        self.stock_check = QCheckBox(_("Return the products sold to stock"), self)
        self.stock_check.setObjectName("CreditNoteStockCheck")
        self.stock_check.setVisible(any(line.source == Source.PRODUCT for line in self.lines))
        self.extra.addWidget(self.stock_check)
        self.total_label = QLabel(self)
        self.total_label.setObjectName("CreditNoteTotalLabel")
        bold(self.total_label, 12)
        self.extra.addWidget(self.total_label)
        self.finish_layout()
        for radio in (self.whole_radio, self.part_radio):
            radio.toggled.connect(lambda _on: self._update())
        self._update()

    def _whole_text(self) -> str:
        left = self.invoice.total - self.invoice.credited_total
        return _("Everything not yet credited ({amount})").format(
            amount=money_text(left, self.invoice.currency)
        )

    def _build_table(self) -> None:
        self.table = QTableWidget(len(self.lines), 4, self)
        self.table.setObjectName("CreditNoteLinesTable")
        self.table.setHorizontalHeaderLabels(
            [_("Description"), _("Invoiced"), _("Already credited"), _("Credit now")]
        )
        self.table.verticalHeader().setDefaultSectionSize(38)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for row, line in enumerate(self.lines):
            texts = (
                line.description,
                quantity_text(line.quantity),
                quantity_text(line.credited_quantity),
            )
            for column, text in enumerate(texts):
                item = QTableWidgetItem(text)
                if column:
                    item.setTextAlignment(RIGHT)
                self.table.setItem(row, column, item)
            spin = DecimalSpin(f"CreditNoteQuantity{row + 1}", self.table, places=3)
            spin.setMaximum(float(line.creditable_quantity))
            spin.set_decimal(line.creditable_quantity)
            spin.setMinimumWidth(120)
            spin.setButtonSymbols(DecimalSpin.ButtonSymbols.NoButtons)
            spin.setToolTip(
                _("At most {quantity}").format(quantity=quantity_text(line.creditable_quantity))
            )
            spin.valueChanged.connect(lambda _v: self._update())
            self.table.setCellWidget(row, CREDIT_COLUMN, spin)
            self.spins.append(spin)
        self.lines_error = FieldError("CreditNoteDialogError_lines", self)
        self.errors.add("lines", self.lines_error, self.table)
        header_height = self.table.horizontalHeader().sizeHint().height() or 30
        self.table.setFixedHeight(header_height + min(max(len(self.lines), 1), 8) * 38 + 4)
        self.extra.addWidget(self.table)
        self.extra.addWidget(self.lines_error)

    # -- values ------------------------------------------------------------------------------

    def set_quantity(self, line_id: uuid.UUID, quantity: Decimal) -> None:
        """Credits only some lines: `quantity` of the line with that id (tests, shortcuts)."""
        self.part_radio.setChecked(True)
        for line, spin in zip(self.lines, self.spins, strict=True):
            if line.id == line_id:
                spin.set_decimal(quantity)

    def chosen(self) -> list[tuple[uuid.UUID, Decimal]] | None:
        """None for everything still creditable; else (line id, quantity) pairs."""
        if self.whole_radio.isChecked():
            return None
        return [
            (line.id, spin.decimal())
            for line, spin in zip(self.lines, self.spins, strict=True)
            if spin.decimal() > 0
        ]

    def estimate(self) -> Decimal:
        """The note's total as the service will compute it (to the cent but for the rounding
        residue the last note of an invoice absorbs)."""
        invoice = self.invoice
        chosen = self.chosen()
        if chosen is None:
            return invoice.total - invoice.credited_total
        by_id: dict[uuid.UUID, InvoiceLineDTO] = {line.id: line for line in self.lines}
        forms = []
        for line_id, quantity in chosen:
            line = by_id[line_id]
            discount = (line.discount * quantity / line.quantity).quantize(Decimal("0.01"))
            forms.append(
                LineForm(
                    source=Source.FREE.value,
                    description=line.description,
                    quantity=quantity,
                    unit_price=line.unit_price,
                    discount=discount,
                    tax_code=line.tax_code,
                )
            )
        on = invoice.issue_date or self.today
        return draft_totals(
            country=invoice.country,
            lines=forms,
            discount_percent=invoice.discount_percent,
            on=on,
        ).total

    def _update(self) -> None:
        part = self.part_radio.isChecked()
        self.table.setEnabled(part)
        self.total_label.setText(
            _("Total of the {document}: {amount}").format(
                document=self.note_name, amount=money_text(self.estimate(), self.invoice.currency)
            )
        )

    # -- issuing -----------------------------------------------------------------------------

    def save(self) -> None:
        for widget in self._marked:
            mark_invalid(widget, False)
        self._marked = []
        if not self.confirmed:
            question = _(
                "Issue a {document} of {amount} against {invoice}?\n\nIt is numbered and "
                "issued at once and cannot be undone."
            ).format(
                document=self.note_name,
                amount=money_text(self.estimate(), self.invoice.currency),
                invoice=actions.document_title(self.invoice),
            )
            if not screen_kit.confirm(self, _("Issue credit note"), question, _("Issue")):
                return
        super().save()

    def service_call(self) -> Callable[[], object]:
        ctx = self._ctx
        values = {
            "invoice_id": self.invoice.id,
            "reason": self.reason_edit.text(),
            "lines": self.chosen(),
            "return_to_stock": self.stock_check.isVisible() and self.stock_check.isChecked(),
            "confirmed": self.confirmed,
        }
        self.confirmed = False
        return lambda: issue_credit_note(ctx.uow(), actor=ctx.actor, **values)  # type: ignore[arg-type]

    def _on_user_error(self, error: UserFacingError) -> None:
        if isinstance(error, NeedsConfirmation):
            self.save_button.setEnabled(True)
            if ask_to_confirm(self, error, _("Issue anyway")):
                self.confirmed = True
                self.save()
            return
        field = error.field or ""
        parts = field.split(".")
        if len(parts) == 3 and parts[1].isdigit():
            self._mark_line(int(parts[1]), error.message)
            self.save_button.setEnabled(True)
            return
        super()._on_user_error(error)

    def _mark_line(self, number: int, message: str) -> None:
        """`number` counts the invoice's lines (as the service does), not the rows shown."""
        line_ids = [line.id for line in self.invoice.lines]
        self.lines_error.show_error(message)
        if 1 <= number <= len(line_ids):
            for line, spin in zip(self.lines, self.spins, strict=True):
                if line.id == line_ids[number - 1]:
                    mark_invalid(spin, True)
                    self._marked.append(spin)

    def _on_saved(self, result: object) -> None:
        assert isinstance(result, InvoiceDTO)
        self.note = result
        super()._on_saved(result)
        self.issued.emit(result)
        parent = self.parentWidget() or self
        text = _("{document} issued for {amount}.").format(
            document=actions.document_title(result),
            amount=money_text(result.total, result.currency),
        )
        if screen_kit.confirm(
            parent, _("Credit note issued"), text + "\n\n" + _("Print it?"), _("Print")
        ):
            actions.print_invoice_preview(self._ctx, parent, result)
