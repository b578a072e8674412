"""Paying money back to a patient: out of the credit on the account, or on a credit note (or an
invoice) that left the patient paid beyond what they owe. The dialog lists only what can be
refunded, each with its limit, fills in the whole of it, and needs the method and a reason
(payments are never edited or deleted, so a refund is also how a mistaken payment is put
right). Once recorded it offers to print the refund's receipt."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from decimal import Decimal

from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QWidget

from clinic_desktop.i18n import _
from clinic_desktop.services.accounts import AccountInvoiceDTO, PatientAccountDTO
from clinic_desktop.services.invoice_labels import kind_label
from clinic_desktop.services.payment_dto import PaymentDTO
from clinic_desktop.services.payments import record_refund
from clinic_desktop.ui.billing.money_widgets import ZERO, MoneySpinBox, money_text
from clinic_desktop.ui.billing.payment_dialog import load_account, method_combo
from clinic_desktop.ui.billing.payment_receipt import offer_receipt
from clinic_desktop.ui.chart.clinical_dialog_kit import FormDialog
from clinic_desktop.ui.context import UiContext
from clinic_desktop.ui.inventory.stock_dialog_kit import inline_row
from clinic_desktop.ui.style import set_role


def refundable_documents(account: PatientAccountDTO) -> list[AccountInvoiceDTO]:
    """What money can be paid back on. An invoice overpaid because of its credit notes is
    refunded through them (the service does so too), so it is offered as those notes, not
    twice."""
    notes = {inv.corrects_id for inv in account.invoices if inv.refundable > ZERO}
    return [inv for inv in account.invoices if inv.refundable > ZERO and inv.id not in notes]


class RefundDialog(FormDialog):
    """`invoice_id` preselects a credit note or invoice; None starts at the credit on account
    (or the first refundable document when there is no credit). `refund` holds the recorded
    refund once saved."""

    def __init__(
        self,
        ctx: UiContext,
        *,
        patient_id: uuid.UUID,
        invoice_id: uuid.UUID | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(
            ctx,
            name="RefundDialog",
            title=_("Refund"),
            save_text=_("Record refund"),
            parent=parent,
            subtitle=" ",
            width=600,
        )
        self.patient_id = patient_id
        self.currency = ctx.clinic.currency
        self._wanted = invoice_id
        self.account: PatientAccountDTO | None = None
        self.refund: PaymentDTO | None = None
        # (document id or None for the credit on account, most that can be paid back)
        self._limits: list[tuple[uuid.UUID | None, Decimal]] = []

        self.source_combo = QComboBox(self)
        self.source_combo.setObjectName("RefundSourceCombo")
        self.source_combo.setMinimumWidth(380)
        self.amount_spin = MoneySpinBox("RefundAmountSpin", self.currency, self)
        self.limit_label = QLabel(self)
        self.limit_label.setObjectName("RefundLimitLabel")
        set_role(self.limit_label, "hint")
        self.method_combo = method_combo("RefundMethodCombo", self)
        self.reason_edit = QLineEdit(self)
        self.reason_edit.setObjectName("RefundReasonEdit")
        self.reason_edit.setPlaceholderText(_("Why the money is paid back"))
        self.reference_edit = QLineEdit(self)
        self.reference_edit.setObjectName("RefundReferenceEdit")
        self.reference_edit.setPlaceholderText(_("Voucher or transfer number"))
        self.reference_edit.setMaximumWidth(300)

        self.add_row(_("Refund from"), "invoice", self.source_combo)
        self.add_row(
            _("Amount"),
            "amount",
            inline_row(self, self.amount_spin, 12, self.limit_label),
            self.amount_spin,
        )
        self.add_row(_("Method"), "method", inline_row(self, self.method_combo), self.method_combo)
        self.add_row(_("Reason"), "reason", self.reason_edit)
        self.add_row(_("Reference"), "reference", self.reference_edit)
        self.source_combo.currentIndexChanged.connect(lambda _i: self._on_source_changed())
        self.finish_layout()
        self.save_button.setEnabled(False)
        self.load()

    def load(self) -> None:
        load_account(self._ctx, self.patient_id, self._on_account_loaded, self)

    def _on_account_loaded(self, account: PatientAccountDTO) -> None:
        self.account = account
        self.currency = account.currency
        self.subtitle.setText(account.patient_name)
        self._limits = []
        self.source_combo.clear()
        if account.credit_on_account > ZERO:
            self._limits.append((None, account.credit_on_account))
            self.source_combo.addItem(
                _("Credit on account ({amount})").format(
                    amount=money_text(account.credit_on_account, self.currency)
                )
            )
        for doc in refundable_documents(account):
            self._limits.append((doc.id, doc.refundable))
            self.source_combo.addItem(
                _("{kind} {number} ({amount} to refund)").format(
                    kind=kind_label(doc.kind, self._ctx.clinic.country),
                    number=doc.number,
                    amount=money_text(doc.refundable, self.currency),
                )
            )
        if not self._limits:
            self.banner.show_message(
                _(
                    "Nothing can be refunded: {patient} has no credit on account and was not "
                    "paid beyond what is owed on any invoice."
                ).format(patient=account.patient_name),
                "info",
            )
            for widget in (self.source_combo, self.amount_spin, self.method_combo):
                widget.setEnabled(False)
            self.reason_edit.setEnabled(False)
            self.reference_edit.setEnabled(False)
            self.finish_layout()
            return
        wanted = next((i for i, (doc, _l) in enumerate(self._limits) if doc == self._wanted), 0)
        self.source_combo.setCurrentIndex(wanted)
        self._on_source_changed()
        self.save_button.setEnabled(True)
        self.finish_layout()
        self.reason_edit.setFocus()

    def source(self) -> uuid.UUID | None:
        index = self.source_combo.currentIndex()
        return self._limits[index][0] if 0 <= index < len(self._limits) else None

    def _on_source_changed(self) -> None:
        index = self.source_combo.currentIndex()
        if not 0 <= index < len(self._limits):
            return
        limit = self._limits[index][1]
        self.amount_spin.setMaximum(float(limit))
        self.amount_spin.set_decimal(limit)
        self.limit_label.setText(
            _("at most {amount}").format(amount=money_text(limit, self.currency))
        )

    def service_call(self) -> Callable[[], object]:
        ctx = self._ctx
        values = {
            "patient_id": self.patient_id,
            "invoice_id": self.source(),
            "method": str(self.method_combo.currentData()),
            "amount": self.amount_spin.decimal(),
            "reason": self.reason_edit.text(),
            "reference": self.reference_edit.text(),
        }
        return lambda: record_refund(ctx.uow(), actor=ctx.actor, **values)  # type: ignore[arg-type]

    def _on_saved(self, result: object) -> None:
        assert isinstance(result, PaymentDTO)
        self.refund = result
        super()._on_saved(result)
        offer_receipt(self._ctx, self.parentWidget() or self, result)
