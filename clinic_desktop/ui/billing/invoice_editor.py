"""The invoice editor. A draft (written blank, for a patient, or from an appointment with its
treatments as lines) is edited here: the buyer, the lines from the catalogue or typed, the
discount on the total and the notes, with the totals and the breakdown by rate worked out as
it is typed by the same computation saving uses. Save draft, Delete draft (asked first),
Print preview (crossed "DRAFT") and Issue, which asks first — once issued it cannot be
changed — and asks again whatever the service wants confirmed. A refusal shows under the
field it names and saves nothing. An issued invoice or credit note opens read-only with its
number, status, payments and credit notes, and offers Take payment…, Credit note… and Print.
Closing a draft with unsaved changes asks; a draft this dialog wrote and nobody saved is
discarded on Cancel, so opening and closing leaves nothing behind."""

from __future__ import annotations

import dataclasses
import uuid
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from clinic_desktop.errors import NeedsConfirmation, UserFacingError
from clinic_desktop.i18n import _
from clinic_desktop.services.accounts import patient_account
from clinic_desktop.services.inventory_dto import ProductDTO
from clinic_desktop.services.invoice_draft_totals import draft_totals
from clinic_desktop.services.invoice_dto import InvoiceDraftForm, InvoiceDTO
from clinic_desktop.services.invoices import (
    create_draft,
    get_invoice,
)
from clinic_desktop.services.payment_dto import PaymentDTO
from clinic_desktop.services.products import list_products
from clinic_desktop.services.treatment_dto import TreatmentDTO, tax_choices
from clinic_desktop.services.treatments import list_treatments
from clinic_desktop.ui.billing import invoice_actions as actions
from clinic_desktop.ui.billing.invoice_buyer_box import BuyerBox
from clinic_desktop.ui.billing.invoice_catalogue import CataloguePicker, free_line
from clinic_desktop.ui.billing.invoice_editor_actions import EditorActions, Loaded
from clinic_desktop.ui.billing.invoice_editor_parts import FactsCard, NotesCard, set_status_pill
from clinic_desktop.ui.billing.invoice_history_box import InvoiceHistoryBox
from clinic_desktop.ui.billing.invoice_lines_table import InvoiceLinesTable
from clinic_desktop.ui.billing.invoice_totals_box import TotalsBox
from clinic_desktop.ui.chart.clinical_dialog_kit import clinic_today
from clinic_desktop.ui.context import UiContext
from clinic_desktop.ui.inventory.products_kit import ask_to_confirm
from clinic_desktop.ui.style import bold, set_role
from clinic_desktop.ui.widgets import screen_kit
from clinic_desktop.ui.widgets.forms import FieldError, FormErrors
from clinic_desktop.ui.widgets.screen_kit import MessageBanner


class InvoiceEditorDialog(EditorActions, QDialog):
    """`saved`, `issued` carry the InvoiceDTO; `deleted` the draft's id."""

    saved = Signal(object)
    issued = Signal(object)
    deleted = Signal(object)

    def __init__(
        self,
        ctx: UiContext,
        *,
        invoice_id: uuid.UUID | None = None,
        patient_id: uuid.UUID | None = None,
        appointment_id: uuid.UUID | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.setObjectName("InvoiceEditorDialog")
        self.setWindowTitle(_("Invoice"))
        self.can_manage = ctx.can(actions.MANAGE)
        self.country, self.currency = ctx.clinic.country, ctx.clinic.currency
        self.invoice: InvoiceDTO | None = None
        self.payments: list[PaymentDTO] = []
        self.dirty = False
        self.created_here = False  # written by this dialog and not saved by the user yet
        self._filling = False
        self._catalogue_loaded = False
        self._fitted = False
        self.child_dialog: Any = None  # the payment or credit-note dialog opened from here
        self._build()
        ctx.bridge.billing_changed.connect(self._on_bridge_billing_changed)
        if invoice_id is not None:
            self.load(invoice_id)
        else:
            self._create(patient_id, appointment_id, confirmed=False)

    # -- building ----------------------------------------------------------------------------

    def _build(self) -> None:
        self.heading = QLabel(_("Invoice"), self)
        self.heading.setObjectName("InvoiceEditorHeading")
        bold(self.heading, 15)
        self.status_label = QLabel(self)
        self.status_label.setObjectName("InvoiceStatusPill")
        self.banner = MessageBanner("InvoiceEditorMessage", self)
        self.general_error = FieldError("InvoiceEditorError", self)
        self.errors = FormErrors(self.general_error)
        self.buyer = BuyerBox(self.country, self.currency, self)
        self.buyer.register_errors(self.errors)
        self.facts = FactsCard(self)
        self.lines = InvoiceLinesTable(self.currency, tax_choices(self.country), self)
        self.picker = CataloguePicker(self.currency, self)
        self.notes = NotesCard(self)
        self.notes.register_errors(self.errors)
        self.history = InvoiceHistoryBox(self.currency, self)
        self.history.open_requested.connect(self._on_history_open_requested)
        self.totals = TotalsBox(self.currency, self)

        self.delete_button = self._button("InvoiceDeleteButton", _("Delete draft…"), self.delete)
        self.preview_button = self._button(
            "InvoicePreviewButton", _("Print preview"), self.print_preview
        )
        self.print_button = self._button("InvoicePrintButton", _("Print…"), self.print_preview)
        self.credit_button = self._button(
            "InvoiceCreditButton", _("Credit note…"), self.open_credit_note
        )
        self.pay_button = self._button("InvoicePayButton", _("Take payment…"), self.take_payment)
        self.close_button = self._button("InvoiceCloseButton", _("Close"), self.reject)
        self.save_button = self._button("InvoiceSaveButton", _("Save draft"), self.save)
        self.issue_button = self._button("InvoiceIssueButton", _("Issue invoice…"), self.issue)
        set_role(self.issue_button, "primary")

        self.buyer.changed.connect(self._on_edited)
        self.lines.changed.connect(self._on_edited)
        self.notes.changed.connect(self._on_edited)
        self.picker.picked.connect(self.lines.add_line)
        self.picker.free_requested.connect(self._on_free_requested)
        self.picker.problem.connect(lambda text: self.banner.show_message(text, "warn"))

        title_row = QHBoxLayout()
        title_row.addWidget(self.heading)
        title_row.addSpacing(10)
        title_row.addWidget(self.status_label)
        title_row.addStretch(1)
        top = QHBoxLayout()
        top.setSpacing(12)
        top.addWidget(self.buyer, 3)
        top.addWidget(self.facts, 2)
        bottom = QHBoxLayout()
        bottom.setSpacing(12)
        left = QVBoxLayout()
        left.addWidget(self.notes)
        left.addWidget(self.history)
        left.addStretch(1)
        bottom.addLayout(left, 3)
        bottom.addWidget(self.totals, 2, Qt.AlignmentFlag.AlignTop)
        buttons = QHBoxLayout()
        for button in (self.delete_button, self.preview_button, self.print_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        for button in (
            self.credit_button,
            self.pay_button,
            self.close_button,
            self.save_button,
            self.issue_button,
        ):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 14, 18, 14)
        layout.setSpacing(10)
        layout.addLayout(title_row)
        layout.addWidget(self.banner)
        layout.addLayout(top)
        layout.addWidget(self.lines, 1)
        layout.addWidget(self.picker)
        layout.addLayout(bottom)
        self._main = layout
        self._filler_at = layout.count()
        layout.addStretch(0)
        layout.addWidget(self.general_error)
        layout.addLayout(buttons)
        self.resize(1180, 860)
        self._set_mode(editable=False, loaded=False)

    def _button(self, name: str, text: str, slot: Any) -> QPushButton:
        button = QPushButton(text, self)
        button.setObjectName(name)
        button.setAutoDefault(False)
        button.clicked.connect(lambda _checked=False: slot())
        return button

    # -- loading -----------------------------------------------------------------------------

    def _create(
        self, patient_id: uuid.UUID | None, appointment_id: uuid.UUID | None, *, confirmed: bool
    ) -> None:
        ctx = self._ctx

        def refused(error: UserFacingError) -> None:
            if isinstance(error, NeedsConfirmation) and ask_to_confirm(
                self, error, _("Write another invoice")
            ):
                self._create(patient_id, appointment_id, confirmed=True)
                return
            self.banner.show_message(
                error.message + "\n" + _("No invoice was written."),
                "warn" if isinstance(error, NeedsConfirmation) else "error",
            )

        def created(invoice: InvoiceDTO) -> None:
            self.created_here = True
            self._show((invoice, []))

        ctx.runner.run(
            lambda: create_draft(
                ctx.uow(),
                actor=ctx.actor,
                patient_id=patient_id,
                appointment_id=appointment_id,
                confirmed=confirmed,
            ),
            on_done=created,
            on_error=lambda text: self.banner.show_message(text, "error"),
            on_user_error=refused,
            parent=self,
        )

    def load(self, invoice_id: uuid.UUID) -> None:
        ctx = self._ctx

        def run() -> Loaded:
            invoice = get_invoice(ctx.uow(), actor=ctx.actor, invoice_id=invoice_id)
            payments: list[PaymentDTO] = []
            if not invoice.is_draft and invoice.patient_id is not None:
                account = patient_account(ctx.uow(), actor=ctx.actor, patient_id=invoice.patient_id)
                payments = list(account.payments)
            return invoice, payments

        ctx.runner.run(
            run,
            on_done=self._show,
            on_error=lambda text: self.banner.show_message(text, "error"),
            parent=self,
        )

    def reload(self) -> None:
        if self.invoice is not None:
            self.load(self.invoice.id)

    def _load_catalogue(self) -> None:
        if self._catalogue_loaded:
            return
        self._catalogue_loaded = True
        ctx = self._ctx

        def run() -> tuple[list[TreatmentDTO], list[ProductDTO]]:
            return (
                list_treatments(ctx.uow(), actor=ctx.actor),
                list_products(ctx.uow(), actor=ctx.actor),
            )

        ctx.runner.run(
            run,
            on_done=lambda found: self.picker.set_catalogue(*found),
            on_error=lambda text: self.banner.show_message(text, "error"),
            parent=self,
        )

    def _show(self, loaded: Loaded) -> None:
        invoice, self.payments = loaded
        self.invoice = invoice
        editable = invoice.is_draft and self.can_manage
        self._filling = True
        self.setWindowTitle(actions.document_title(invoice))
        self.heading.setText(actions.document_title(invoice))
        set_status_pill(self.status_label, invoice.status, invoice.kind)
        self.buyer.set_invoice(invoice)
        self.facts.show_invoice(invoice, self._ctx.clinic.timezone)
        self.notes.set_values(invoice.discount_percent, invoice.notes)
        if editable:
            self.lines.set_lines(InvoiceDraftForm.from_dto(invoice).lines)
        else:
            self.lines.show_issued(invoice.lines)
            self.history.show_invoice(invoice, self.payments)
        self._filling = False
        self.dirty = False
        self._set_mode(editable=editable, loaded=True)
        if editable:
            self._load_catalogue()
            self.recalculate()
        else:
            self.totals.show_totals(
                subtotal=invoice.subtotal,
                discount=invoice.discount_total,
                taxes=invoice.taxes,
                tax=invoice.tax_total,
                total=invoice.total,
            )
            if not invoice.is_draft and not invoice.is_credit_note:
                self.totals.show_payments(
                    invoice.paid_total, invoice.credited_total, invoice.balance
                )
            else:
                self.totals.show_payments(None)

    def _set_mode(self, *, editable: bool, loaded: bool) -> None:
        invoice = self.invoice
        issued = loaded and invoice is not None and not invoice.is_draft
        self.buyer.set_read_only(not editable)
        self.notes.set_read_only(not editable)
        has_notes = invoice is not None and bool(invoice.notes or invoice.discount_percent)
        self.notes.setVisible(editable or has_notes)
        self.picker.setVisible(editable)
        self.history.setVisible(issued)
        for button in (self.delete_button, self.preview_button, self.save_button):
            button.setVisible(editable)
        self.issue_button.setVisible(editable)
        self.print_button.setVisible(loaded and not editable)
        can_credit = issued and invoice is not None and invoice.can_credit and self.can_manage
        self.credit_button.setVisible(can_credit)
        can_pay = issued and invoice is not None and actions.can_take_payment(invoice)
        self.pay_button.setVisible(can_pay and self.can_manage)
        self.close_button.setText(_("Cancel") if editable else _("Close"))
        # A draft's lines take the room; an issued invoice's are as tall as they are.
        self._main.setStretchFactor(self.lines, 1 if editable else 0)
        self._main.setStretch(self._filler_at, 0 if editable else 1)
        if loaded and not self._fitted:
            self._fitted = True
            if not editable:
                # Opened on an issued invoice: as tall as it needs, not as a draft's editor.
                self.resize(self.width(), max(self.sizeHint().height(), 520))
        if issued:
            set_role(self.print_button, "primary")

    # -- editing -----------------------------------------------------------------------------

    def _on_edited(self) -> None:
        if self._filling:
            return
        self.dirty = True
        self.recalculate()

    def _on_free_requested(self) -> None:
        default = self.lines.tax_choices[0].code if self.lines.tax_choices else ""
        self.lines.add_line(free_line(default))

    def recalculate(self) -> None:
        """The totals of what is typed now, as saving will compute them."""
        if self.invoice is None:
            return
        totals = draft_totals(
            country=self.invoice.country,
            lines=self.lines.forms(),
            discount_percent=self.notes.percent(),
            on=clinic_today(self._ctx),
        )
        self.lines.set_nets(totals.nets)
        self.totals.show_totals(
            subtotal=totals.subtotal,
            discount=totals.discount,
            taxes=totals.taxes,
            tax=totals.tax,
            total=totals.total,
        )
        self.totals.show_payments(None)

    def form(self) -> InvoiceDraftForm:
        assert self.invoice is not None
        buyer = self.buyer.values()
        return dataclasses.replace(
            InvoiceDraftForm.from_dto(self.invoice),
            buyer_name=buyer["buyer_name"],
            buyer_id_type=buyer["buyer_id_type"],
            buyer_tax_id=buyer["buyer_tax_id"],
            buyer_address=buyer["buyer_address"],
            buyer_email=buyer["buyer_email"],
            kind=self.buyer.kind() if self.country == "ES" else self.invoice.kind,
            discount_percent=self.notes.percent(),
            notes=self.notes.notes(),
            lines=self.lines.forms(),
        )

    # -- closing -----------------------------------------------------------------------------

    def _on_deleted(self, invoice: InvoiceDTO) -> None:
        self.deleted.emit(invoice.id)
        self.created_here = False
        self.dirty = False
        self.accept()

    def reject(self) -> None:
        invoice = self.invoice
        if invoice is not None and invoice.is_draft and self.can_manage:
            if self.created_here:
                # Opened and closed without saving: nothing should be left behind.
                self.created_here = False
                self._delete_quietly(invoice, then=lambda _i: QDialog.reject(self))
                return
            if self.dirty and not screen_kit.confirm(
                self,
                _("Unsaved changes"),
                _("Close without saving the changes to this draft?"),
                _("Discard changes"),
            ):
                return
        super().reject()
