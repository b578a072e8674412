"""Using a patient's credit on account to pay one of their open invoices: no money changes
hands, so there is no method and no receipt; the amount starts at what the credit covers of
the invoice chosen and cannot go beyond either."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from decimal import Decimal

from PySide6.QtWidgets import QComboBox, QLabel, QWidget

from clinic_desktop.i18n import _
from clinic_desktop.services.accounts import AccountInvoiceDTO, PatientAccountDTO
from clinic_desktop.services.payments import apply_credit
from clinic_desktop.ui.billing.money_widgets import MoneySpinBox, money_text
from clinic_desktop.ui.billing.payment_dialog import open_invoices
from clinic_desktop.ui.chart.clinical_dialog_kit import FormDialog, date_text
from clinic_desktop.ui.context import UiContext
from clinic_desktop.ui.inventory.stock_dialog_kit import inline_row
from clinic_desktop.ui.style import set_role


class ApplyCreditDialog(FormDialog):
    """Built from the account as the account dialog shows it; `invoice_id` preselects one.
    `saved` carries the service's CreditAppliedDTO."""

    def __init__(
        self,
        ctx: UiContext,
        *,
        account: PatientAccountDTO,
        invoice_id: uuid.UUID | None = None,
        parent: QWidget | None = None,
    ) -> None:
        credit = money_text(account.credit_on_account, account.currency)
        super().__init__(
            ctx,
            name="ApplyCreditDialog",
            title=_("Apply credit on account"),
            save_text=_("Apply credit"),
            parent=parent,
            subtitle=_("{patient} has {credit} of credit on account.").format(
                patient=account.patient_name, credit=credit
            ),
            width=560,
        )
        self.account = account
        self.invoices: list[AccountInvoiceDTO] = open_invoices(account)
        self.invoice_combo = QComboBox(self)
        self.invoice_combo.setObjectName("ApplyCreditInvoiceCombo")
        self.invoice_combo.setMinimumWidth(340)
        for inv in self.invoices:
            self.invoice_combo.addItem(
                _("{number} of {date} — owes {amount}").format(
                    number=inv.number,
                    date=date_text(inv.issue_date),
                    amount=money_text(inv.balance, account.currency),
                )
            )
        self.amount_spin = MoneySpinBox("ApplyCreditAmountSpin", account.currency, self)
        self.limit_label = QLabel(self)
        self.limit_label.setObjectName("ApplyCreditLimitLabel")
        set_role(self.limit_label, "hint")
        self.add_row(_("Invoice"), "invoice", self.invoice_combo)
        self.add_row(
            _("Amount"),
            "amount",
            inline_row(self, self.amount_spin, 12, self.limit_label),
            self.amount_spin,
        )
        self.invoice_combo.currentIndexChanged.connect(lambda _i: self._on_invoice_changed())
        wanted = next((i for i, inv in enumerate(self.invoices) if inv.id == invoice_id), 0)
        self.invoice_combo.setCurrentIndex(wanted)
        self._on_invoice_changed()
        self.save_button.setEnabled(bool(self.invoices))
        self.finish_layout()

    def invoice(self) -> AccountInvoiceDTO | None:
        index = self.invoice_combo.currentIndex()
        return self.invoices[index] if 0 <= index < len(self.invoices) else None

    def _on_invoice_changed(self) -> None:
        invoice = self.invoice()
        if invoice is None:
            return
        limit: Decimal = min(invoice.balance, self.account.credit_on_account)
        self.amount_spin.setMaximum(float(limit))
        self.amount_spin.set_decimal(limit)
        self.limit_label.setText(
            _("at most {amount}").format(amount=money_text(limit, self.account.currency))
        )

    def service_call(self) -> Callable[[], object]:
        ctx, invoice = self._ctx, self.invoice()
        patient_id, amount = self.account.patient_id, self.amount_spin.decimal()
        invoice_id = invoice.id if invoice is not None else None
        return lambda: apply_credit(
            ctx.uow(),
            actor=ctx.actor,
            patient_id=patient_id,
            invoice_id=invoice_id,  # type: ignore[arg-type]
            amount=amount,
        )
