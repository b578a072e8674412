"""What the invoice editor does with a draft or an issued invoice, apart from showing it:
saving the draft (a refusal lands under the field or the line it names), issuing it after
asking — once issued it cannot be changed — and again for whatever the service wants
confirmed, deleting it after asking, the print preview (a draft with unsaved changes is saved
first, so the preview shows what is typed), taking a payment, crediting it, opening a credit
note from its history, and following payments and credit notes made elsewhere. Mixed into
InvoiceEditorDialog, which provides the widgets and the loading."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import SignalInstance
from PySide6.QtWidgets import QWidget

from clinic_desktop.errors import ConcurrentEditError, NeedsConfirmation, UserFacingError
from clinic_desktop.i18n import _
from clinic_desktop.services.invoice_dto import InvoiceDraftForm, InvoiceDTO
from clinic_desktop.services.invoices import delete_draft, issue_invoice, update_draft
from clinic_desktop.services.payment_dto import PaymentDTO
from clinic_desktop.ui.billing import invoice_actions as actions
from clinic_desktop.ui.billing.invoice_buyer_box import BuyerBox
from clinic_desktop.ui.billing.invoice_history_box import InvoiceHistoryBox
from clinic_desktop.ui.billing.invoice_lines_table import InvoiceLinesTable
from clinic_desktop.ui.billing.invoice_totals_box import TotalsBox
from clinic_desktop.ui.billing.money_widgets import money_text
from clinic_desktop.ui.context import UiContext
from clinic_desktop.ui.inventory.products_kit import ask_to_confirm
from clinic_desktop.ui.widgets import screen_kit
from clinic_desktop.ui.widgets.forms import FormErrors
from clinic_desktop.ui.widgets.screen_kit import MessageBanner

Loaded = tuple[InvoiceDTO, list[PaymentDTO]]


class EditorActions:
    """The editor's actions; the dialog provides what is declared here."""

    if TYPE_CHECKING:
        _ctx: UiContext
        invoice: InvoiceDTO | None
        dirty: bool
        created_here: bool
        can_manage: bool
        child_dialog: Any
        banner: MessageBanner
        errors: FormErrors
        buyer: BuyerBox
        lines: InvoiceLinesTable
        totals: TotalsBox
        history: InvoiceHistoryBox
        saved: SignalInstance
        issued: SignalInstance

        def _show(self, loaded: Loaded) -> None: ...
        def load(self, invoice_id: uuid.UUID) -> None: ...
        def reload(self) -> None: ...
        def form(self) -> InvoiceDraftForm: ...
        def isVisible(self) -> bool: ...
        def _on_deleted(self, invoice: InvoiceDTO) -> None: ...

    @property
    def _widget(self) -> QWidget:
        """The dialog itself, as the parent of what it opens."""
        assert isinstance(self, QWidget)
        return self

    # -- saving, issuing, deleting -------------------------------------------------------------

    def _clear_errors(self) -> None:
        self.errors.clear()
        self.lines.clear_errors()
        self.banner.clear_message()

    def save(self, then: Any = None) -> None:
        """Saves the draft; `then(invoice)` runs after a successful save."""
        if self.invoice is None or not self.invoice.is_draft:
            return
        self._clear_errors()
        ctx, invoice, form = self._ctx, self.invoice, self.form()

        def saved(result: InvoiceDTO) -> None:
            self.created_here = False
            self._show((result, []))
            self.saved.emit(result)
            if then is not None:
                then(result)
            else:
                self.banner.show_message(_("Draft saved."), "ok")

        ctx.runner.run(
            lambda: update_draft(
                ctx.uow(),
                actor=ctx.actor,
                invoice_id=invoice.id,
                version=invoice.version,
                form=form,
            ),
            on_done=saved,
            on_error=lambda text: self.banner.show_message(text, "error"),
            on_user_error=self._on_user_error,
            parent=self._widget,
        )

    def _on_user_error(self, error: UserFacingError) -> None:
        field = error.field or ""
        if field.startswith("lines"):
            self.lines.show_error(field, error.message)
        elif self.errors.knows(field):
            self.errors.show(error.message, field)
        else:
            kind = "warn" if isinstance(error, ConcurrentEditError) else "error"
            self.banner.show_message(error.message, kind)

    def issue(self) -> None:
        """Asks, saves what is typed, then issues (asking whatever the service wants)."""
        invoice = self.invoice
        if invoice is None or not invoice.is_draft or not self.can_manage:
            return
        question = _(
            "Issue this invoice to {buyer} for {total}?\n\nOnce issued it cannot be changed "
            "or deleted: it takes the next number, and mistakes are corrected only with a "
            "credit note."
        ).format(buyer=self.buyer.values()["buyer_name"] or "—", total=self.totals.total_text())
        if not screen_kit.confirm(self._widget, _("Issue invoice"), question, _("Issue")):
            return
        self.save(then=lambda saved: self._issue_now(saved, confirmed=False))

    def _issue_now(self, draft: InvoiceDTO, *, confirmed: bool) -> None:
        ctx = self._ctx

        def refused(error: UserFacingError) -> None:
            if isinstance(error, NeedsConfirmation):
                if ask_to_confirm(self._widget, error, _("Issue anyway")):
                    self._issue_now(draft, confirmed=True)
                else:
                    self.banner.show_message(_("Not issued: the draft is saved."), "info")
                return
            self._on_user_error(error)

        ctx.runner.run(
            lambda: issue_invoice(
                ctx.uow(),
                actor=ctx.actor,
                invoice_id=draft.id,
                version=draft.version,
                confirmed=confirmed,
            ),
            on_done=self._on_issued,
            on_error=lambda text: self.banner.show_message(text, "error"),
            on_user_error=refused,
            busy_text=_("Issuing the invoice…"),
            parent=self._widget,
        )

    def _on_issued(self, invoice: InvoiceDTO) -> None:
        self.load(invoice.id)
        text = _("Issued as {document} for {total}.").format(
            document=actions.document_title(invoice),
            total=money_text(invoice.total, invoice.currency),
        )
        if invoice.warnings:
            self.banner.show_message("\n".join((text, *invoice.warnings)), "warn")
        else:
            self.banner.show_message(text, "ok")
        self.issued.emit(invoice)

    def delete(self) -> None:
        invoice = self.invoice
        if invoice is None or not invoice.is_draft or not self.can_manage:
            return
        question = _("Delete this draft? It goes to the trash; no number was used.")
        if not screen_kit.confirm(self._widget, _("Delete draft"), question, _("Delete draft")):
            return
        self._delete_quietly(invoice, then=self._on_deleted)

    def _delete_quietly(self, invoice: InvoiceDTO, *, then: Any) -> None:
        ctx = self._ctx
        ctx.runner.run(
            lambda: delete_draft(
                ctx.uow(), actor=ctx.actor, invoice_id=invoice.id, version=invoice.version
            ),
            on_done=lambda _r: then(invoice),
            on_error=lambda text: self.banner.show_message(text, "error"),
            on_user_error=self._on_user_error,
            parent=self._widget,
        )

    # -- other actions -----------------------------------------------------------------------

    def print_preview(self) -> None:
        invoice = self.invoice
        if invoice is None:
            return
        if invoice.is_draft and self.dirty and self.can_manage:
            widget = self._widget
            self.save(then=lambda saved: actions.print_invoice_preview(self._ctx, widget, saved))
            return
        actions.print_invoice_preview(self._ctx, self._widget, invoice)

    def take_payment(self) -> Any:
        if self.invoice is None:
            return None
        dialog = actions.open_payment(self._ctx, self._widget, self.invoice)
        if dialog is not None:
            dialog.saved.connect(lambda _p: self.reload())
        self.child_dialog = dialog
        return dialog

    def open_credit_note(self) -> Any:
        if self.invoice is None or not self.invoice.can_credit:
            return None
        dialog = actions.open_credit_note(self._ctx, self._widget, self.invoice)
        dialog.issued.connect(lambda _note: self.reload())
        self.child_dialog = dialog
        return dialog

    def _on_history_open_requested(self, invoice_id: object) -> None:
        if isinstance(invoice_id, uuid.UUID):
            self.child_dialog = actions.open_editor(self._ctx, self._widget, invoice_id=invoice_id)

    def _on_bridge_billing_changed(self, event: object) -> None:
        # A payment or credit note taken elsewhere shows on an open issued invoice; a draft
        # being typed is never reloaded under the user's hands.
        invoice = self.invoice
        if invoice is None or invoice.is_draft or not self.isVisible():
            return
        if str(invoice.id) in getattr(event, "ids", ()):
            self.reload()
