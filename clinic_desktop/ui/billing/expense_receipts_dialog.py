"""An expense's receipts: the list (file, type, size, when added), adding the supplier's
invoice as a PDF or a photo (several at once; each refusal says which file and why), viewing
one inside the app and moving one to the trash. Viewing reuses the chart's document viewer
(PDF pages or a zoomable picture, from memory: a receipt is never written to a temporary file);
its "Save a copy…" writes only where the user chooses, audited as an export. Adding and
removing need billing.manage; whoever may read expenses may view their receipts."""

from __future__ import annotations

import uuid
from pathlib import Path

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from clinic_desktop.errors import UserFacingError
from clinic_desktop.i18n import _, ngettext
from clinic_desktop.services.expense_dto import ExpenseDTO, ReceiptDTO
from clinic_desktop.services.expense_receipts import (
    attach_receipt,
    receipt_size_limit,
    remove_receipt,
)
from clinic_desktop.services.expenses import get_expense
from clinic_desktop.ui.billing.expense_fields import money_text
from clinic_desktop.ui.billing.expense_receipt_viewer import ReceiptViewerDialog, kind_text
from clinic_desktop.ui.chart.clinical_dialog_kit import date_text
from clinic_desktop.ui.chart.document_kit import read_file
from clinic_desktop.ui.context import UiContext
from clinic_desktop.ui.style import bold, set_role
from clinic_desktop.ui.widgets import screen_kit
from clinic_desktop.ui.widgets.screen_kit import (
    Column,
    ListTableModel,
    MessageBanner,
    format_size,
    format_when,
    list_table,
    select_entry,
    selected_entry,
)
from clinic_desktop.ui.widgets.stored_files import choose_attachments, show_tracked

MANAGE = "billing.manage"


def choose_receipt_files(parent: QWidget) -> list[str]:
    """The files to attach, or [] if the user cancelled (tests replace this)."""
    return choose_attachments(parent, _("Attach receipts"))


def expense_line(ctx: UiContext, expense: ExpenseDTO) -> str:
    """ "Rent · 1 Mar 2026 · $850.00 · Inmobiliaria Sur": which expense this is about."""
    parts = [expense.title, date_text(expense.expense_date), money_text(ctx, expense.total)]
    if expense.supplier_name:
        parts.append(expense.supplier_name)
    return " · ".join(parts)


class ExpenseReceiptsDialog(QDialog):
    def __init__(self, ctx: UiContext, expense: ExpenseDTO, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.expense = expense
        self.can_manage = ctx.can(MANAGE)
        self.viewers: list[ReceiptViewerDialog] = []
        self._select_after: uuid.UUID | None = None
        self.setObjectName("ExpenseReceiptsDialog")
        self.setWindowTitle(_("Receipts"))
        heading = QLabel(_("Receipts"), self)
        bold(heading, 13)
        self.expense_label = QLabel(expense_line(ctx, expense), self)
        self.expense_label.setObjectName("ReceiptsExpenseLabel")
        self.expense_label.setWordWrap(True)
        set_role(self.expense_label, "hint")
        self.banner = MessageBanner("ReceiptsMessage", self)

        self.add_button = self._button("AddReceiptButton", _("Add…"))
        set_role(self.add_button, "primary")
        self.open_button = self._button("OpenReceiptButton", _("View"))
        self.remove_button = self._button("RemoveReceiptButton", _("Remove…"))
        self.add_button.setVisible(self.can_manage)
        self.remove_button.setVisible(self.can_manage)
        self.add_button.clicked.connect(self._on_add_clicked)
        self.open_button.clicked.connect(self._on_open_clicked)
        self.remove_button.clicked.connect(self._on_remove_clicked)

        self.model = ListTableModel[ReceiptDTO](
            [
                Column(_("File"), lambda r: r.file_name),
                Column(_("Type"), kind_text),
                Column(_("Size"), lambda r: format_size(r.size_bytes), align_right=True),
                Column(_("Attached"), lambda r: format_when(r.added_at, ctx.clinic.timezone)),
            ],
            self,
        )
        self.table = list_table(self.model, "ReceiptsTable", self)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setDefaultSectionSize(32)
        self.table.doubleClicked.connect(self._on_table_double_clicked)
        self.table.selectionModel().selectionChanged.connect(lambda *_a: self._update_buttons())
        self.empty_label = QLabel(self)
        self.empty_label.setObjectName("ReceiptsEmptyLabel")
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setWordWrap(True)
        set_role(self.empty_label, "hint")
        self.empty_label.setText(
            _("No receipt attached yet. Add the supplier's invoice as a PDF or a photo.")
            if self.can_manage
            else _("No receipt attached.")
        )

        actions = QHBoxLayout()
        actions.addWidget(self.add_button)
        actions.addWidget(self.open_button)
        actions.addWidget(self.remove_button)
        actions.addStretch(1)
        buttons = QDialogButtonBox(self)
        close = buttons.addButton(_("Close"), QDialogButtonBox.ButtonRole.RejectRole)
        close.setObjectName("ReceiptsCloseButton")
        close.setAutoDefault(False)
        close.clicked.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(self.expense_label)
        layout.addWidget(self.banner)
        layout.addLayout(actions)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty_label)
        layout.addWidget(buttons)
        self.resize(760, 420)
        ctx.bridge.billing_changed.connect(self._on_bridge_billing_changed)
        self._show_receipts(expense.receipts)

    def _button(self, name: str, text: str) -> QPushButton:
        button = QPushButton(text, self)
        button.setObjectName(name)
        button.setAutoDefault(False)
        return button

    # -- data ------------------------------------------------------------------------------

    def refresh(self) -> None:
        ctx, expense_id = self._ctx, self.expense.id
        ctx.runner.run(
            lambda: get_expense(ctx.uow(), actor=ctx.actor, expense_id=expense_id),
            on_done=self._on_expense_loaded,
            on_error=lambda text: self.banner.show_message(text, "error"),
            parent=self,
        )

    def _on_expense_loaded(self, expense: ExpenseDTO) -> None:
        self.expense = expense
        self.expense_label.setText(expense_line(self._ctx, expense))
        self._show_receipts(expense.receipts)

    def _show_receipts(self, receipts: tuple[ReceiptDTO, ...]) -> None:
        selected = self.selected_receipt()
        wanted = self._select_after or (selected.id if selected is not None else None)
        self._select_after = None
        self.model.set_rows(receipts)
        if wanted is not None:
            self.select_receipt(wanted)
        self.empty_label.setVisible(not receipts)
        self._update_buttons()

    def _on_bridge_billing_changed(self, event: object) -> None:
        if getattr(event, "what", "") == "expenses" and str(self.expense.id) in getattr(
            event, "ids", ()
        ):
            self.refresh()

    def selected_receipt(self) -> ReceiptDTO | None:
        return selected_entry(self.table, self.model)

    def select_receipt(self, receipt_id: uuid.UUID) -> bool:
        return select_entry(self.table, self.model, receipt_id)

    def _update_buttons(self) -> None:
        chosen = self.selected_receipt() is not None
        self.open_button.setEnabled(chosen)
        self.remove_button.setEnabled(chosen)

    # -- actions ---------------------------------------------------------------------------

    def _on_add_clicked(self) -> None:
        paths = choose_receipt_files(self)
        if paths:
            self.add_files(paths)

    def add_files(self, paths: list[str]) -> None:
        """Attaches each file; those refused are named with the reason, the rest are kept."""
        if not self.can_manage:
            return
        self.banner.clear_message()
        ctx, expense_id = self._ctx, self.expense.id

        def run() -> tuple[list[ReceiptDTO], list[str]]:
            limit = receipt_size_limit(ctx.uow(), actor=ctx.actor)
            added: list[ReceiptDTO] = []
            refused: list[str] = []
            for path in paths:
                name = Path(path).name
                try:
                    content = read_file(Path(path), limit)
                    added.append(
                        attach_receipt(
                            ctx.uow(),
                            actor=ctx.actor,
                            expense_id=expense_id,
                            file_name=name,
                            content=content,
                        )
                    )
                except UserFacingError as exc:
                    refused.append(
                        _("{name} was not attached. {reason}").format(name=name, reason=exc.message)
                    )
            return added, refused

        ctx.runner.run(
            run,
            on_done=self._on_added,
            on_error=lambda text: self.banner.show_message(text, "error"),
            busy_text=_("Attaching…"),
            parent=self,
        )

    def _on_added(self, outcome: tuple[list[ReceiptDTO], list[str]]) -> None:
        added, refused = outcome
        lines = []
        if added:
            lines.append(
                ngettext(
                    "{count} receipt attached.", "{count} receipts attached.", len(added)
                ).format(count=len(added))
            )
        lines.extend(refused)
        kind = "ok" if not refused else ("warn" if added else "error")
        self.banner.show_message("\n".join(lines), kind)
        if added:
            self._select_after = added[-1].id  # once the list is back
        self.refresh()

    def _on_table_double_clicked(self, index: QModelIndex) -> None:
        receipt = self.model.row_at(index.row())
        if receipt is not None:
            self.view(receipt)

    def _on_open_clicked(self) -> None:
        receipt = self.selected_receipt()
        if receipt is not None:
            self.view(receipt)

    def view(self, receipt: ReceiptDTO) -> ReceiptViewerDialog:
        """Shows the receipt in its own window (several may be open side by side)."""
        viewer = ReceiptViewerDialog(self._ctx, receipt, self)
        show_tracked(viewer, self.viewers)
        return viewer

    def _on_remove_clicked(self) -> None:
        self.remove_selected()

    def remove_selected(self) -> None:
        receipt = self.selected_receipt()
        if receipt is None or not self.can_manage:
            return
        if not screen_kit.confirm(
            self,
            _("Remove receipt"),
            _(
                "“{name}” will be moved to the trash, from where it can be restored. The "
                "expense stays as it is."
            ).format(name=receipt.file_name),
            _("Remove"),
        ):
            return
        ctx = self._ctx
        ctx.runner.run(
            lambda: remove_receipt(ctx.uow(), actor=ctx.actor, receipt_id=receipt.id),
            on_done=lambda _r: self._on_removed(receipt),
            on_error=lambda text: self.banner.show_message(text, "error"),
            parent=self,
        )

    def _on_removed(self, receipt: ReceiptDTO) -> None:
        self.banner.show_message(
            _("“{name}” was moved to the trash.").format(name=receipt.file_name), "ok"
        )
        self.refresh()
