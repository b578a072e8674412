"""The invoices tab of the billing area: invoices, simplified invoices and credit notes,
drafts first and then the newest issued, filtered by status ("Unpaid" for everything still
owed), kind, period, numbering series and text (buyer, tax ID, number, patient), with each
one's total, what was paid, what is still owed and its status as a coloured pill. The list
comes a page at a time ("Show N more" continues where the last page ended, so a clinic
with years of invoices opens as fast as a new one; the count of all matching documents says
when everything is shown, and the button goes away). New invoice…, Open, Take payment…, Credit
note… and Print act on the selected row; writing needs billing.manage, reports.finance may
read and print. Follows changes made anywhere through the bridge, keeping the pages shown."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QHBoxLayout, QHeaderView, QLabel, QPushButton, QVBoxLayout, QWidget

from clinic_desktop.errors import PermissionDenied, UserFacingError
from clinic_desktop.i18n import _, ngettext
from clinic_desktop.services.invoice_dto import (
    InvoiceCursor,
    InvoiceDTO,
    InvoiceSummaryDTO,
    Kind,
)
from clinic_desktop.services.invoice_queries import count_invoices
from clinic_desktop.services.invoices import get_invoice, list_invoice_series, list_invoices
from clinic_desktop.ui.billing import invoice_actions as actions
from clinic_desktop.ui.billing.invoice_filters import (
    BUYER_COLUMN,
    STATUS_COLUMN,
    InvoiceFilterBar,
    invoice_columns,
    row_pill,
)
from clinic_desktop.ui.billing.money_widgets import coalescing_timer
from clinic_desktop.ui.billing.new_invoice_dialog import NewInvoiceDialog
from clinic_desktop.ui.chart.clinical_dialog_kit import clinic_today
from clinic_desktop.ui.context import UiContext
from clinic_desktop.ui.inventory.products_kit import RowTableModel
from clinic_desktop.ui.patients.rows import number_text
from clinic_desktop.ui.style import set_role
from clinic_desktop.ui.widgets.denied_gate import DeniedGate
from clinic_desktop.ui.widgets.list_kit import action_button, fit_columns
from clinic_desktop.ui.widgets.pill_delegate import PillDelegate
from clinic_desktop.ui.widgets.pill_delegate import row_pill as pill_of_row
from clinic_desktop.ui.widgets.screen_kit import (
    MessageBanner,
    list_table,
    select_entry,
    selected_entry,
)

PAGE_SIZE = 100
OWING_KINDS = (Kind.INVOICE.value, Kind.SIMPLIFIED.value)


class InvoicesTab(QWidget):
    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.setObjectName("InvoicesTab")
        self.can_manage = ctx.can(actions.MANAGE)
        # The dialog opened last (editor, payment, credit note, new invoice), for tests.
        self.dialog: Any = None
        self.next_after: InvoiceCursor | None = None  # None: nothing more to show
        self.total = 0  # documents matching the filters, shown or not
        self._query_serial = 0

        self.content = QWidget(self)
        self.filter_bar = InvoiceFilterBar(clinic_today(ctx), ctx.clinic.country, self.content)
        self.filter_bar.changed.connect(self.refresh)
        self._build_actions()
        self.banner = MessageBanner("InvoicesMessage", self.content)
        self.model = RowTableModel(invoice_columns(), parent=self)
        self.table = list_table(self.model, "InvoicesTable", self.content)
        self.pill_delegate = PillDelegate(pill_of_row(row_pill), self.table, fit_cell=True)
        self.table.setItemDelegateForColumn(STATUS_COLUMN, self.pill_delegate)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(BUYER_COLUMN, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setDefaultSectionSize(34)
        self.table.doubleClicked.connect(self._on_table_double_clicked)
        self.table.selectionModel().selectionChanged.connect(lambda *_a: self._update_buttons())
        self.empty_label = QLabel(self.content)
        self.empty_label.setObjectName("InvoicesEmptyLabel")
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        set_role(self.empty_label, "hint")
        self.empty_label.hide()
        self.count_label = QLabel(self.content)
        self.count_label.setObjectName("InvoicesCountLabel")
        set_role(self.count_label, "hint")
        self.more_button = QPushButton(_("Show more"), self.content)
        self.more_button.setObjectName("LoadMoreInvoicesButton")
        self.more_button.clicked.connect(self.load_more)
        self.more_button.hide()
        footer = QHBoxLayout()
        footer.addWidget(self.count_label, 1)
        footer.addWidget(self.more_button)

        body = QVBoxLayout(self.content)
        body.setContentsMargins(0, 0, 0, 0)
        body.addWidget(self.filter_bar)
        body.addLayout(self.action_row)
        body.addWidget(self.banner)
        body.addWidget(self.table, 1)
        body.addWidget(self.empty_label, 1)
        body.addLayout(footer)
        self.gate = DeniedGate(
            self,
            self.content,
            banner_name="InvoicesDeniedBanner",
            title=_("You cannot see the invoices"),
        )
        self.denied_banner = self.gate.banner

        self._refresh_timer = coalescing_timer(self, lambda: self.refresh(keep_loaded=True))
        ctx.bridge.billing_changed.connect(self._on_bridge_billing_changed)
        self._update_buttons()
        self.refresh()

    def _build_actions(self) -> None:
        self.new_button = self._button("NewInvoiceButton", _("New invoice…"), self.new_invoice)
        set_role(self.new_button, "primary")
        self.open_button = self._button("OpenInvoiceButton", _("Open"), self.open_selected)
        self.pay_button = self._button("InvoicePayButton", _("Take payment…"), self.take_payment)
        self.credit_button = self._button(
            "InvoiceCreditNoteButton", _("Credit note…"), self.credit_selected
        )
        self.print_button = self._button("PrintInvoiceButton", _("Print…"), self.print_selected)
        for button in (self.new_button, self.pay_button, self.credit_button):
            button.setVisible(self.can_manage)
        self.action_row = QHBoxLayout()
        for button in (self.new_button, self.open_button, self.pay_button, self.credit_button):
            self.action_row.addWidget(button)
        self.action_row.addStretch(1)
        self.action_row.addWidget(self.print_button)

    def _button(self, name: str, text: str, slot: Callable[[], object]) -> QPushButton:
        return action_button(self.content, name, text, slot)

    # -- data --------------------------------------------------------------------------------

    def _query(self) -> dict[str, Any]:
        bar = self.filter_bar
        period = bar.period()
        kind: str | tuple[str, ...] | None = bar.kind()
        if kind is None and bar.owed_only():
            kind = OWING_KINDS  # what is owed is owed on invoices, never on credit notes
        return {
            "status": bar.statuses(),
            "kind": kind,
            "date_from": period[0] if period else None,
            "date_to": period[1] if period else None,
            "buyer_text": bar.text(),
            "series_prefix": bar.series(),
        }

    def refresh(self, *, keep_loaded: bool = False) -> None:
        """Reloads the first page (with `keep_loaded`, as many rows as are shown)."""
        self.filter_bar.cancel_pending()
        ctx, query = self._ctx, self._query()
        limit = max(PAGE_SIZE, self.model.rowCount()) if keep_loaded else PAGE_SIZE
        self._query_serial += 1
        serial = self._query_serial

        def load() -> tuple[list[InvoiceSummaryDTO], int, list[Any]]:
            rows = list_invoices(ctx.uow(), actor=ctx.actor, limit=limit, **query)
            total = count_invoices(ctx.uow(), actor=ctx.actor, **query)
            return rows, total, list_invoice_series(ctx.uow(), actor=ctx.actor)

        ctx.runner.run(
            load,
            on_done=lambda loaded: self._on_loaded(loaded, serial),
            on_error=self._show_error,
            on_user_error=self._on_load_refused,
            parent=self,
        )

    def _on_loaded(
        self, loaded: tuple[list[InvoiceSummaryDTO], int, list[Any]], serial: int
    ) -> None:
        if serial != self._query_serial:
            return
        rows, total, series = loaded
        self.gate.allow()
        self.filter_bar.set_series(series)
        selected = self.selected()
        self.model.set_rows(rows)
        fit_columns(self.table, stretch_column=BUYER_COLUMN)
        if selected is not None:
            self.select(selected.id)
        self._set_paging(total)

    def load_more(self) -> None:
        after = self.next_after
        if after is None:
            return
        ctx, query, serial = self._ctx, self._query(), self._query_serial
        self.more_button.setEnabled(False)

        def load() -> tuple[list[InvoiceSummaryDTO], int]:
            rows = list_invoices(ctx.uow(), actor=ctx.actor, limit=PAGE_SIZE, after=after, **query)
            return rows, count_invoices(ctx.uow(), actor=ctx.actor, **query)

        def appended(loaded: tuple[list[InvoiceSummaryDTO], int]) -> None:
            self.more_button.setEnabled(True)
            if serial != self._query_serial:
                return  # the filters changed meanwhile
            rows, total = loaded
            self.model.set_rows(self.model.rows() + rows)
            self._set_paging(total if rows else self.model.rowCount())

        def failed(message: str) -> None:
            self.more_button.setEnabled(True)
            self._show_error(message)

        ctx.runner.run(
            load,
            on_done=appended,
            on_error=failed,
            parent=self,
        )

    def _set_paging(self, total: int) -> None:
        """Offers the next page only while fewer rows are shown than match the filters, so
        "Show more" never appears when a page happened to end on the last document."""
        rows = self.model.rows()
        self.total = max(total, len(rows))
        self.next_after = rows[-1].cursor if rows and len(rows) < self.total else None
        self._show_count()

    def _show_count(self) -> None:
        shown = self.model.rowCount()
        self.table.setVisible(bool(shown))
        self.empty_label.setVisible(not shown)
        self.empty_label.setText(
            _("No invoices match these filters.")
            if self.filter_bar.filtered()
            else _(
                "No invoices yet. Start one with “New invoice…” or from a completed appointment."
            )
        )
        if self.next_after is None:
            text = ngettext("{count} document shown", "{count} documents shown", shown)
            self.count_label.setText(text.format(count=number_text(shown)))
        else:
            text = ngettext(
                "Showing {shown} of {total} document",
                "Showing {shown} of {total} documents",
                self.total,
            )
            self.count_label.setText(
                text.format(shown=number_text(shown), total=number_text(self.total))
            )
            left = min(self.total - shown, PAGE_SIZE)
            self.more_button.setText(_("Show {count} more").format(count=number_text(left)))
        self.more_button.setVisible(self.next_after is not None)
        self._update_buttons()

    def _on_load_refused(self, error: UserFacingError) -> None:
        if isinstance(error, PermissionDenied):
            self.model.set_rows([])
            self.gate.deny(error.message)
        else:
            self._show_error(error.message)

    @property
    def denied(self) -> bool:
        return self.gate.denied

    def _show_error(self, message: str) -> None:
        self.banner.show_message(message, "error")

    def _on_bridge_billing_changed(self, event: object) -> None:
        if getattr(event, "what", "") in ("invoices", "payments"):
            self._refresh_timer.start()

    # -- selection ---------------------------------------------------------------------------

    def selected(self) -> InvoiceSummaryDTO | None:
        return selected_entry(self.table, self.model)

    def select(self, invoice_id: uuid.UUID) -> bool:
        return select_entry(self.table, self.model, invoice_id)

    def _update_buttons(self) -> None:
        row = self.selected()
        self.open_button.setEnabled(row is not None)
        self.print_button.setEnabled(row is not None)
        self.pay_button.setEnabled(row is not None and actions.can_take_payment(row))
        creditable = (
            row is not None
            and not row.is_draft
            and row.kind != "credit_note"
            and row.status != "credited"
        )
        self.credit_button.setEnabled(creditable)

    # -- actions -----------------------------------------------------------------------------

    def _keep(self, dialog: Any) -> Any:
        self.dialog = dialog
        return dialog

    def new_invoice(self) -> NewInvoiceDialog | None:
        if not self.can_manage:
            return None
        self.banner.clear_message()
        dialog = NewInvoiceDialog(self._ctx, self)
        dialog.chosen.connect(
            lambda patient_id: self._keep(
                actions.open_editor(self._ctx, self, patient_id=patient_id)
            )
        )
        dialog.open()
        return self._keep(dialog)  # type: ignore[no-any-return]

    def open_invoice(self, invoice_id: uuid.UUID) -> Any:
        self.banner.clear_message()
        return self._keep(actions.open_editor(self._ctx, self, invoice_id=invoice_id))

    def open_selected(self) -> Any:
        row = self.selected()
        return self.open_invoice(row.id) if row is not None else None

    def _on_table_double_clicked(self, _index: QModelIndex) -> None:
        self.open_selected()

    def take_payment(self) -> Any:
        row = self.selected()
        if row is None or not self.can_manage or not actions.can_take_payment(row):
            return None
        return self._keep(actions.open_payment(self._ctx, self, row))

    def credit_selected(self) -> None:
        """Loads the whole invoice (the dialog needs its lines) and opens the credit note."""
        row = self.selected()
        if row is None or not self.can_manage:
            return
        ctx = self._ctx

        def opened(invoice: InvoiceDTO) -> None:
            if not invoice.can_credit:
                self.banner.show_message(
                    _("{document} has nothing left to credit.").format(
                        document=actions.document_title(invoice)
                    ),
                    "warn",
                )
                return
            self._keep(actions.open_credit_note(ctx, self, invoice))

        ctx.runner.run(
            lambda: get_invoice(ctx.uow(), actor=ctx.actor, invoice_id=row.id),
            on_done=opened,
            on_error=self._show_error,
            on_user_error=lambda error: self._show_error(error.message),
            parent=self,
        )

    def print_selected(self) -> None:
        row = self.selected()
        if row is not None:
            actions.print_invoice_preview(self._ctx, self, row, on_error=self._show_error)
