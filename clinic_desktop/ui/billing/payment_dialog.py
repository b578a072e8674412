"""Taking a payment at the desk for one patient: who pays, the method, the amount, for cash what
was handed over and the change to give back (worked out as it is typed), a card voucher or
transfer reference, and the patient's open invoices with how much of the payment goes to each,
filled in oldest first (the invoices the dialog was opened for first) and editable. A part left
over asks first and stays on the account as credit (the service refuses with
NeedsConfirmation; agreeing saves again with the confirmation). Once recorded, the dialog
offers to print the receipt (payment_receipt.offer_receipt)."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from decimal import Decimal

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from clinic_desktop.errors import NeedsConfirmation, UserFacingError
from clinic_desktop.i18n import _
from clinic_desktop.services.accounts import AccountInvoiceDTO, PatientAccountDTO, patient_account
from clinic_desktop.services.invoice_labels import Kind, Status
from clinic_desktop.services.payment_dto import METHODS, PaymentDTO, method_label
from clinic_desktop.services.payments import record_payment
from clinic_desktop.ui.billing.money_widgets import ZERO, MoneySpinBox, money_text
from clinic_desktop.ui.billing.payment_receipt import offer_receipt
from clinic_desktop.ui.chart.clinical_dialog_kit import FormDialog, date_text, hint_label
from clinic_desktop.ui.context import UiContext
from clinic_desktop.ui.inventory.products_kit import ask_to_confirm
from clinic_desktop.ui.inventory.stock_dialog_kit import inline_row
from clinic_desktop.ui.style import DANGER, MUTED, WARNING, bold, set_role
from clinic_desktop.ui.widgets.forms import FieldError

CASH = "cash"
APPLY_COLUMN = 4
OPEN_STATUSES = (Status.ISSUED.value, Status.PARTLY_PAID.value)


def open_invoices(account: PatientAccountDTO) -> list[AccountInvoiceDTO]:
    """The account's invoices with something still owed, oldest first (as the service
    applies a payment it is not told how to split)."""
    return [
        inv
        for inv in account.invoices
        if inv.kind != Kind.CREDIT_NOTE and inv.status in OPEN_STATUSES and inv.balance > ZERO
    ]


def method_combo(name: str, parent: QWidget, methods: Iterable[str] | None = None) -> QComboBox:
    """The payment methods by their translated names, cash first."""
    combo = QComboBox(parent)
    combo.setObjectName(name)
    for method in methods or [m.value for m in METHODS]:
        combo.addItem(method_label(method), method)
    combo.setMinimumWidth(200)
    return combo


def load_account(
    ctx: UiContext,
    patient_id: uuid.UUID,
    on_done: Callable[[PatientAccountDTO], None],
    dialog: FormDialog,
) -> None:
    """Reads the patient's account in the background for the payment and refund dialogs; a
    failure shows on the dialog's banner."""
    ctx.runner.run(
        lambda: patient_account(ctx.uow(), actor=ctx.actor, patient_id=patient_id),
        on_done=on_done,
        on_error=lambda text: dialog.banner.show_message(text, "error"),
        parent=dialog,
    )


class PaymentDialog(FormDialog):
    """`payment` holds the recorded payment once saved; `saved` carries it too."""

    def __init__(
        self,
        ctx: UiContext,
        *,
        patient_id: uuid.UUID,
        invoice_ids: Iterable[uuid.UUID] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(
            ctx,
            name="PaymentDialog",
            title=_("Take payment"),
            save_text=_("Record payment"),
            parent=parent,
            subtitle=" ",
            width=720,
        )
        self.patient_id = patient_id
        self.currency = ctx.clinic.currency
        self._wanted = tuple(invoice_ids or ())
        self.account: PatientAccountDTO | None = None
        self.invoices: list[AccountInvoiceDTO] = []
        self.allocation_boxes: list[MoneySpinBox] = []
        self.payment: PaymentDTO | None = None
        self.confirmed = False
        self.hand_edited = False  # the user changed an invoice's share: stop spreading
        self._filling = False
        self._build_fields()
        self._build_invoices()
        self.finish_layout()
        self.save_button.setEnabled(False)
        self.load()

    # -- building ----------------------------------------------------------------------------

    def _build_fields(self) -> None:
        currency = self.currency
        self.payer_edit = QLineEdit(self)
        self.payer_edit.setObjectName("PaymentPayerEdit")
        self.payer_edit.setPlaceholderText(_("The patient, unless someone else pays"))
        self.method_combo = method_combo("PaymentMethodCombo", self)
        self.amount_spin = MoneySpinBox("PaymentAmountSpin", currency, self)
        bold(self.amount_spin, 12)
        self.owed_label = QLabel(self)
        self.owed_label.setObjectName("PaymentOwedLabel")
        set_role(self.owed_label, "hint")
        self.tendered_spin = MoneySpinBox("PaymentTenderedSpin", currency, self)
        self.tendered_spin.setSpecialValueText(_("Not counted"))
        self.change_label = QLabel(self)
        self.change_label.setObjectName("PaymentChangeLabel")
        bold(self.change_label, 12)
        self.reference_edit = QLineEdit(self)
        self.reference_edit.setObjectName("PaymentReferenceEdit")
        self.reference_edit.setPlaceholderText(_("Voucher or transfer number"))
        self.reference_edit.setMaximumWidth(300)
        self._tendered_row = inline_row(self, self.tendered_spin, 12, self.change_label)
        self._reference_row = self.reference_edit

        self.add_row(_("Payer"), "payer_name", self.payer_edit)
        self.add_row(_("Method"), "method", inline_row(self, self.method_combo), self.method_combo)
        self.add_row(
            _("Amount"),
            "amount",
            inline_row(self, self.amount_spin, 12, self.owed_label),
            self.amount_spin,
        )
        self.add_row(_("Cash tendered"), "tendered", self._tendered_row, self.tendered_spin)
        self.add_row(_("Reference"), "reference", self._reference_row)

        self.method_combo.currentIndexChanged.connect(lambda _i: self._on_method_changed())
        self.amount_spin.valueChanged.connect(lambda _v: self._on_amount_changed())
        self.tendered_spin.valueChanged.connect(lambda _v: self._update_change())
        self._on_method_changed()

    def _build_invoices(self) -> None:
        title = QLabel(_("Open invoices"), self)
        title.setObjectName("PaymentInvoicesTitle")
        bold(title, 11)
        self.spread_button = QPushButton(_("Apply oldest first"), self)
        self.spread_button.setObjectName("PaymentSpreadButton")
        self.spread_button.setAutoDefault(False)
        set_role(self.spread_button, "link")
        self.spread_button.clicked.connect(self._on_spread_clicked)
        self.spread_button.hide()
        self.table = QTableWidget(0, 5, self)
        self.table.setObjectName("PaymentInvoicesTable")
        self.table.setHorizontalHeaderLabels(
            [_("Invoice"), _("Date"), _("Total"), _("Owed"), _("Apply")]
        )
        self.table.verticalHeader().hide()
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setDefaultSectionSize(38)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.none_label = hint_label(
            _("No invoice is owed: the whole amount will stay on the account as credit."),
            self,
            "PaymentNoInvoicesLabel",
        )
        self.none_label.hide()
        self.split_label = QLabel(self)
        self.split_label.setObjectName("PaymentSplitLabel")
        self.split_label.setWordWrap(True)
        self.allocations_error = FieldError("PaymentDialogError_allocations", self)
        self.errors.add("allocations", self.allocations_error, self.table)
        heading = inline_row(self, title, 12, self.spread_button)
        self.extra.addWidget(heading)
        self.extra.addWidget(self.table, 1)
        self.extra.addWidget(self.none_label)
        self.extra.addWidget(self.split_label)
        self.extra.addWidget(self.allocations_error)
        self.grow_extra()

    # -- loading -----------------------------------------------------------------------------

    def load(self) -> None:
        load_account(self._ctx, self.patient_id, self._on_account_loaded, self)

    def _on_account_loaded(self, account: PatientAccountDTO) -> None:
        self.account = account
        self.currency = account.currency
        self.invoices = open_invoices(account)
        parts = [account.patient_name]
        parts.append(_("owes {amount}").format(amount=self._money(account.balance_due)))
        if account.credit_on_account > ZERO:
            parts.append(
                _("credit on account {amount}").format(
                    amount=self._money(account.credit_on_account)
                )
            )
        self.subtitle.setText(" · ".join(parts))
        self.payer_edit.setText(account.patient_name)
        self._fill_table()
        wanted = [inv for inv in self.invoices if inv.id in self._wanted]
        due = sum((inv.balance for inv in wanted or self.invoices), ZERO)
        self._filling = True
        self.amount_spin.set_decimal(due)
        self._filling = False
        self.spread()
        self.save_button.setEnabled(True)
        self.finish_layout()
        self.amount_spin.setFocus()

    def _fill_table(self) -> None:
        self.table.setRowCount(len(self.invoices))
        self.allocation_boxes = []
        for row, inv in enumerate(self.invoices):
            texts = [
                inv.number,
                date_text(inv.issue_date),
                self._money(inv.total),
                self._money(inv.balance),
            ]
            for column, text in enumerate(texts):
                item = QTableWidgetItem(text)
                if inv.id in self._wanted:  # what the dialog was opened for
                    font = item.font()
                    font.setBold(True)
                    item.setFont(font)
                if column >= 2:
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                self.table.setItem(row, column, item)
            box = MoneySpinBox(f"PaymentApplySpin_{row}", self.currency, self.table)
            box.setMaximum(float(inv.balance))
            box.valueChanged.connect(lambda _v: self._on_share_edited())
            self.table.setCellWidget(row, APPLY_COLUMN, box)
            self.allocation_boxes.append(box)
        self.table.setVisible(bool(self.invoices))
        self.none_label.setVisible(not self.invoices)
        shown = min(max(len(self.invoices), 1), 6)
        header = self.table.horizontalHeader().height() or 30
        self.table.setMinimumHeight(header + shown * 38 + 4)

    # -- live figures ------------------------------------------------------------------------

    def _money(self, amount: Decimal) -> str:
        return money_text(amount, self.currency)

    def method(self) -> str:
        return str(self.method_combo.currentData())

    def _on_method_changed(self) -> None:
        cash = self.method() == CASH
        for field, shown in ((self._tendered_row, cash), (self._reference_row, not cash)):
            box = field.parentWidget()  # the form row's box (field and its error)
            if box is not None:
                self.form.setRowVisible(box, shown)
        self._update_change()

    def _on_amount_changed(self) -> None:
        if not self._filling and not self.hand_edited:
            self.spread()
        self._update_split()
        self._update_change()

    def _on_share_edited(self) -> None:
        if self._filling:
            return
        self.hand_edited = True
        self.spread_button.show()
        self._update_split()

    def _on_spread_clicked(self) -> None:
        self.hand_edited = False
        self.spread_button.hide()
        self.spread()

    def spread(self) -> None:
        """Shares the amount among the invoices: those the dialog was opened for first, then
        the rest, each oldest first."""
        order = sorted(
            range(len(self.invoices)), key=lambda i: (self.invoices[i].id not in self._wanted, i)
        )
        left = self.amount_spin.decimal()
        self._filling = True
        for index in order:
            part = min(left, self.invoices[index].balance)
            self.allocation_boxes[index].set_decimal(part)
            left -= part
        self._filling = False
        self._update_split()

    def allocations(self) -> list[tuple[uuid.UUID, Decimal]]:
        return [
            (inv.id, box.decimal())
            for inv, box in zip(self.invoices, self.allocation_boxes, strict=True)
            if box.decimal() > ZERO
        ]

    def applied(self) -> Decimal:
        return sum((amount for _id, amount in self.allocations()), ZERO)

    def _update_split(self) -> None:
        amount, applied = self.amount_spin.decimal(), self.applied()
        if self.account is not None:
            due = sum((inv.balance for inv in self.invoices), ZERO)
            self.owed_label.setText(_("of {due} owed").format(due=self._money(due)))
        if applied > amount:
            text = _("The invoices add up to {applied}, more than the {amount} paid.").format(
                applied=self._money(applied), amount=self._money(amount)
            )
            colour = DANGER
        elif amount > applied:
            text = _("Applied to invoices: {applied} · Left on the account as credit: {credit}")
            text = text.format(applied=self._money(applied), credit=self._money(amount - applied))
            colour = WARNING
        else:
            text = _("Applied to invoices: {applied}").format(applied=self._money(applied))
            colour = MUTED
        self.split_label.setText(text)
        self.split_label.setStyleSheet(f"color: {colour};")

    def change(self) -> Decimal | None:
        """The change to give back, None when nothing was counted or it is not enough."""
        tendered, amount = self.tendered_spin.decimal(), self.amount_spin.decimal()
        if self.method() != CASH or tendered == ZERO or tendered < amount:
            return None
        return tendered - amount

    def _update_change(self) -> None:
        tendered, amount = self.tendered_spin.decimal(), self.amount_spin.decimal()
        change = self.change()
        if change is not None:
            self.change_label.setText(_("Change: {change}").format(change=self._money(change)))
            self.change_label.setStyleSheet("")
        elif tendered > ZERO and self.method() == CASH:
            self.change_label.setText(
                _("{missing} short").format(missing=self._money(amount - tendered))
            )
            self.change_label.setStyleSheet(f"color: {DANGER};")
        else:
            self.change_label.setText("")

    # -- saving ------------------------------------------------------------------------------

    def service_call(self) -> Callable[[], object]:
        ctx = self._ctx
        cash = self.method() == CASH
        tendered = self.tendered_spin.decimal() if cash else ZERO
        values = {
            "patient_id": self.patient_id,
            "payer_name": self.payer_edit.text(),
            "method": self.method(),
            "amount": self.amount_spin.decimal(),
            "allocations": self.allocations(),
            "tendered": tendered if tendered > ZERO else None,
            "reference": "" if cash else self.reference_edit.text(),
            "confirmed": self.confirmed,
        }
        self.confirmed = False  # agreed for this amount only
        return lambda: record_payment(ctx.uow(), actor=ctx.actor, **values)  # type: ignore[arg-type]

    def _on_user_error(self, error: UserFacingError) -> None:
        if isinstance(error, NeedsConfirmation):
            self.save_button.setEnabled(True)
            if ask_to_confirm(self, error, _("Keep as credit")):
                self.confirmed = True
                self.save()
            return
        super()._on_user_error(error)

    def _on_saved(self, result: object) -> None:
        assert isinstance(result, PaymentDTO)
        self.payment = result
        super()._on_saved(result)
        offer_receipt(self._ctx, self.parentWidget() or self, result)
