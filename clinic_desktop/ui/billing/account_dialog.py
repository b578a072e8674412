"""A patient's account: what they were invoiced and credited, each invoice and credit note with
its status, the payments and refunds with the invoices each settled, and the figures that
reconcile them (balance due, credit on account, what is owed back, the net balance). From here
reception takes a payment (for the invoice selected, if any), applies credit on account to an
invoice, pays money back and prints any payment's receipt; the buttons that change the account
need billing.manage, reading it also reports.finance. Follows payments made anywhere through the
event bridge."""

from __future__ import annotations

import uuid

from PySide6.QtWidgets import (
    QDialog,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from clinic_desktop.events import BillingChanged
from clinic_desktop.i18n import _
from clinic_desktop.services.accounts import AccountInvoiceDTO, PatientAccountDTO, patient_account
from clinic_desktop.services.invoice_labels import Kind, kind_label
from clinic_desktop.services.payment_dto import PaymentDTO
from clinic_desktop.ui.billing.account_credit_dialog import ApplyCreditDialog
from clinic_desktop.ui.billing.money_widgets import (
    GOOD,
    ZERO,
    Figure,
    coalescing_timer,
    money_text,
    status_pill,
)
from clinic_desktop.ui.billing.payment_dialog import PaymentDialog, open_invoices
from clinic_desktop.ui.billing.payment_receipt import print_receipt
from clinic_desktop.ui.billing.refund_dialog import RefundDialog, refundable_documents
from clinic_desktop.ui.chart.clinical_dialog_kit import date_text, open_dialog, small_button
from clinic_desktop.ui.context import UiContext
from clinic_desktop.ui.inventory.products_kit import RowTableModel
from clinic_desktop.ui.style import DANGER, MUTED, bold, set_role
from clinic_desktop.ui.widgets.pill_delegate import PillDelegate, row_pill
from clinic_desktop.ui.widgets.screen_kit import (
    Column,
    MessageBanner,
    format_when,
    list_table,
    selected_entry,
)

MANAGE = "billing.manage"
INVOICE_STATUS_COLUMN = 7


def _section(text: str, parent: QWidget, name: str) -> QLabel:
    label = QLabel(text, parent)
    label.setObjectName(name)
    bold(label, 11)
    return label


class PatientAccountDialog(QDialog):
    def __init__(
        self, ctx: UiContext, *, patient_id: uuid.UUID, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.patient_id = patient_id
        self.currency = ctx.clinic.currency
        self.can_manage = ctx.can(MANAGE)
        self.account: PatientAccountDTO | None = None
        # The dialogs opened from here, kept so tests (and a second click) reach them.
        self.payment_dialog: PaymentDialog | None = None
        self.refund_dialog: RefundDialog | None = None
        self.credit_dialog: ApplyCreditDialog | None = None
        self.setObjectName("PatientAccountDialog")
        self.setWindowTitle(_("Patient account"))

        self.heading = QLabel(_("Patient account"), self)
        self.heading.setObjectName("PatientAccountHeading")
        bold(self.heading, 14)
        self.banner = MessageBanner("PatientAccountMessage", self)
        summary = self._build_summary()
        self._build_tables()
        buttons = self._build_buttons()

        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        layout.addWidget(self.heading)
        layout.addWidget(self.banner)
        layout.addWidget(summary)
        layout.addWidget(_section(_("Invoices and credit notes"), self, "AccountInvoicesTitle"))
        layout.addWidget(self.invoices_table, 3)
        layout.addWidget(_section(_("Payments and refunds"), self, "AccountPaymentsTitle"))
        layout.addWidget(self.payments_table, 2)
        layout.addLayout(buttons)
        self.resize(1120, 760)

        self._reload = coalescing_timer(self, self.refresh)
        ctx.bridge.billing_changed.connect(self._on_bridge_billing_changed)
        self._update_buttons()
        self.refresh()

    # -- building ----------------------------------------------------------------------------

    def _build_summary(self) -> QFrame:
        card = QFrame(self)
        card.setObjectName("AccountSummary")
        set_role(card, "card")
        self.figures: dict[str, Figure] = {}
        row = QHBoxLayout(card)
        row.setContentsMargins(16, 12, 16, 12)
        for key, title in (
            ("invoiced", _("Invoiced")),
            ("credited", _("Credit notes")),
            ("received", _("Received amount")),
            ("refunded", _("Refunded")),
            ("balance_due", _("Balance due")),
            ("credit_on_account", _("Credit on account")),
            ("to_refund", _("Owed back")),
        ):
            figure = Figure(f"Account_{key}", title, card)
            self.figures[key] = figure
            row.addWidget(figure)
        row.addStretch(1)
        line = QFrame(card)
        line.setFrameShape(QFrame.Shape.VLine)
        line.setStyleSheet("color: #D5DBE1;")
        row.addWidget(line)
        self.net_figure = Figure("Account_net_balance", _("Net balance"), card)
        bold(self.net_figure.value_label, 16)
        self.net_note = QLabel(card)
        self.net_note.setObjectName("AccountNetNote")
        set_role(self.net_note, "hint")
        self.net_figure.add_below(self.net_note)
        row.addWidget(self.net_figure)
        return card

    def _build_tables(self) -> None:
        money = self._money
        country = self._ctx.clinic.country
        zone = self._ctx.clinic.timezone

        def note(inv: AccountInvoiceDTO) -> bool:
            return inv.kind == Kind.CREDIT_NOTE

        def balance(inv: AccountInvoiceDTO) -> str:
            # A credit note's own balance is not a debt: what matters is what it still lets
            # the clinic pay back.
            if note(inv):
                return money(-inv.refundable) if inv.refundable > ZERO else "—"
            return money(inv.balance)

        def kind_text(inv: AccountInvoiceDTO) -> str:
            text = kind_label(inv.kind, country)
            if inv.corrects_number:
                text = _("{kind} of {number}").format(kind=text, number=inv.corrects_number)
            return text

        self.invoices_model = RowTableModel(
            [
                Column(_("Number"), lambda i: i.number),
                Column(_("Document"), kind_text),
                Column(_("Date"), lambda i: date_text(i.issue_date)),
                Column(
                    _("Total"), lambda i: money(-i.total if note(i) else i.total), align_right=True
                ),
                Column(
                    _("Paid amount"),
                    lambda i: money(i.paid) if i.paid or not note(i) else "—",
                    tooltip=lambda i: (
                        _("Refunded on this credit note")
                        if i.kind == Kind.CREDIT_NOTE
                        else _("Paid on this invoice")
                    ),
                    align_right=True,
                ),
                Column(
                    _("Credited amount"),
                    lambda i: "—" if note(i) else money(i.credited),
                    align_right=True,
                ),
                Column(
                    _("Balance"),
                    balance,
                    tooltip=lambda i: (
                        _("Still to pay back to the patient on this credit note")
                        if note(i)
                        else _("Still owed on this invoice (below zero: owed to the patient)")
                    ),
                    align_right=True,
                ),
                Column(_("Status"), lambda i: status_pill(i.status, i.kind).text),
            ],
            foreground=lambda i: MUTED if i.kind == Kind.CREDIT_NOTE else None,
            parent=self,
        )
        self.invoices_table = list_table(self.invoices_model, "AccountInvoicesTable", self)
        self.invoices_table.setItemDelegateForColumn(
            INVOICE_STATUS_COLUMN,
            PillDelegate(row_pill(lambda i: status_pill(i.status, i.kind)), self, fit_cell=True),
        )
        self.invoices_table.selectionModel().selectionChanged.connect(
            lambda *_a: self._update_buttons()
        )

        def kind_of(p: PaymentDTO) -> str:
            if p.is_refund:
                return _("Refund · {method}").format(method=p.method_label)
            return p.method_label

        def applied(p: PaymentDTO) -> str:
            return ", ".join(a.invoice_number for a in p.allocations) or "—"

        def unapplied(p: PaymentDTO) -> str:
            return money(p.unallocated) if p.unallocated > ZERO else "—"

        self.payments_model = RowTableModel(
            [
                Column(_("Date"), lambda p: format_when(p.paid_at, zone)),
                Column(_("Receipt no."), lambda p: p.receipt_number),
                Column(_("Method"), kind_of),
                Column(_("Payer"), lambda p: p.payer_name),
                Column(_("Amount"), lambda p: money(p.signed_amount), align_right=True),
                Column(_("Applied to"), applied),
                Column(
                    _("On account"),
                    unapplied,
                    tooltip=lambda p: (
                        _("Credit on account paid back")
                        if p.is_refund
                        else _("Left on the account as credit")
                    ),
                    align_right=True,
                ),
                Column(_("Taken by"), lambda p: p.received_by),
            ],
            foreground=lambda p: DANGER if p.is_refund else None,
            parent=self,
        )
        self.payments_table = list_table(self.payments_model, "AccountPaymentsTable", self)
        self.payments_table.selectionModel().selectionChanged.connect(
            lambda *_a: self._update_buttons()
        )
        self.payments_table.doubleClicked.connect(lambda _i: self.print_selected_receipt())
        # The document's and the payer's columns take the room the figures do not need.
        for table, stretch in ((self.invoices_table, 1), (self.payments_table, 3)):
            table.verticalHeader().setDefaultSectionSize(32)
            header = table.horizontalHeader()
            header.setMinimumSectionSize(80)
            header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
            header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)

    def _build_buttons(self) -> QHBoxLayout:
        self.pay_button = small_button(_("Take payment…"), "AccountPayButton", self, primary=True)
        self.credit_button = small_button(_("Apply credit…"), "AccountApplyCreditButton", self)
        self.refund_button = small_button(_("Refund…"), "AccountRefundButton", self)
        self.receipt_button = small_button(_("Print receipt"), "AccountReceiptButton", self)
        self.close_button = small_button(_("Close"), "AccountCloseButton", self)
        self.pay_button.clicked.connect(self.take_payment)
        self.credit_button.clicked.connect(self.apply_credit)
        self.refund_button.clicked.connect(self.refund)
        self.receipt_button.clicked.connect(self.print_selected_receipt)
        self.close_button.clicked.connect(self.accept)
        for button in (self.pay_button, self.credit_button, self.refund_button):
            button.setVisible(self.can_manage)
        row = QHBoxLayout()
        for button in (self.pay_button, self.credit_button, self.refund_button):
            row.addWidget(button)
        row.addWidget(self.receipt_button)
        row.addStretch(1)
        row.addWidget(self.close_button)
        return row

    # -- data --------------------------------------------------------------------------------

    def _money(self, amount: object) -> str:
        return money_text(amount, self.currency)  # type: ignore[arg-type]

    def refresh(self) -> None:
        ctx, patient_id = self._ctx, self.patient_id
        ctx.runner.run(
            lambda: patient_account(ctx.uow(), actor=ctx.actor, patient_id=patient_id),
            on_done=self._show,
            on_error=self._show_error,
            parent=self,
        )

    def _show_error(self, message: str) -> None:
        self.banner.show_message(message, "error")
        self._update_buttons()

    def _show(self, account: PatientAccountDTO) -> None:
        self.banner.clear_message()
        self.account = account
        self.currency = account.currency
        self.heading.setText(_("Account of {patient}").format(patient=account.patient_name))
        self.setWindowTitle(_("Account — {patient}").format(patient=account.patient_name))
        for key, figure in self.figures.items():
            figure.set_value(self._money(getattr(account, key)))
        net = account.net_balance
        self.net_figure.set_value(self._money(abs(net)), DANGER if net > 0 else GOOD)
        if net > 0:
            self.net_note.setText(_("the patient owes the clinic"))
        elif net < 0:
            self.net_note.setText(_("in the patient's favour"))
        else:
            self.net_note.setText(_("nothing owed"))
            self.net_figure.set_value(self._money(net), MUTED)
        keep_invoice = self.selected_invoice()
        keep_payment = self.selected_payment()
        self.invoices_model.set_rows(account.invoices)
        self.payments_model.set_rows(account.payments[::-1])  # newest first
        self._reselect(self.invoices_table, self.invoices_model, keep_invoice)
        self._reselect(self.payments_table, self.payments_model, keep_payment)
        self._update_buttons()

    @staticmethod
    def _reselect(table: QTableView, model: RowTableModel, item: object | None) -> None:
        if item is None:
            return
        wanted = getattr(item, "id", None)
        for row, candidate in enumerate(model.rows()):
            if candidate.id == wanted:
                table.selectRow(row)
                return

    def _on_bridge_billing_changed(self, event: object) -> None:
        if isinstance(event, BillingChanged) and event.what == "expenses":
            return
        if (
            isinstance(event, BillingChanged)
            and event.patient_ids
            and str(self.patient_id) not in event.patient_ids
        ):
            return
        self._reload.start()

    # -- selection and buttons ---------------------------------------------------------------

    def selected_invoice(self) -> AccountInvoiceDTO | None:
        return selected_entry(self.invoices_table, self.invoices_model)

    def selected_payment(self) -> PaymentDTO | None:
        return selected_entry(self.payments_table, self.payments_model)

    def _update_buttons(self) -> None:
        account = self.account
        loaded = account is not None
        has_open = loaded and bool(open_invoices(account))  # type: ignore[arg-type]
        credit = account.credit_on_account if account is not None else ZERO
        refundable = account is not None and (credit > ZERO or bool(refundable_documents(account)))
        self.pay_button.setEnabled(loaded)
        self.credit_button.setEnabled(credit > ZERO and has_open)
        self.refund_button.setEnabled(refundable)
        self.receipt_button.setEnabled(self.selected_payment() is not None)

    def take_payment(self) -> None:
        invoice = self.selected_invoice()
        wanted = [invoice.id] if invoice is not None and invoice.balance > ZERO else None
        self.payment_dialog = PaymentDialog(
            self._ctx, patient_id=self.patient_id, invoice_ids=wanted, parent=self
        )
        self.payment_dialog.saved.connect(lambda _p: self.refresh())
        open_dialog(self.payment_dialog)

    def apply_credit(self) -> None:
        if self.account is None:
            return
        invoice = self.selected_invoice()
        self.credit_dialog = ApplyCreditDialog(
            self._ctx,
            account=self.account,
            invoice_id=invoice.id if invoice is not None else None,
            parent=self,
        )
        self.credit_dialog.saved.connect(lambda _r: self.refresh())
        open_dialog(self.credit_dialog)

    def refund(self) -> None:
        invoice = self.selected_invoice()
        wanted = invoice.id if invoice is not None and invoice.refundable > ZERO else None
        self.refund_dialog = RefundDialog(
            self._ctx, patient_id=self.patient_id, invoice_id=wanted, parent=self
        )
        self.refund_dialog.saved.connect(lambda _r: self.refresh())
        open_dialog(self.refund_dialog)

    def print_selected_receipt(self) -> None:
        payment = self.selected_payment()
        if payment is not None:
            print_receipt(self._ctx, self, payment.id)


def open_patient_account(
    ctx: UiContext, patient_id: uuid.UUID, parent: QWidget | None = None
) -> PatientAccountDialog:
    """Opens the account without blocking (the patients screen and the receivables list)."""
    dialog = PatientAccountDialog(ctx, patient_id=patient_id, parent=parent)
    open_dialog(dialog)
    return dialog
