"""The expenses tab of the billing area: the clinic's operating expenses of a period (this
month, last month, this year or any dates), filtered by category and by text, with their net,
tax and total, a badge for those with a receipt, and the period's totals under the table,
added up from exactly the rows shown. New, Edit, Delete (to the trash, after confirming),
Receipts…, Recurring… and "Generate due recurring expenses" need billing.manage and are hidden
without it; reports.finance may read the list and view receipts. Someone allowed neither sees
the services' refusal instead of a table. Follows changes made anywhere through the bridge."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date
from decimal import Decimal

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from clinic_desktop.errors import ConcurrentEditError, PermissionDenied, UserFacingError
from clinic_desktop.i18n import _, ngettext
from clinic_desktop.services.expense_dto import ExpenseCategoryDTO, ExpenseDTO
from clinic_desktop.services.expenses import delete_expense, expense_categories, list_expenses
from clinic_desktop.ui.billing.expense_editor import ExpenseEditorDialog
from clinic_desktop.ui.billing.expense_fields import money_text
from clinic_desktop.ui.billing.expense_list import (
    DESCRIPTION_COLUMN,
    RECEIPT_COLUMN,
    ExpenseFilterBar,
    expense_columns,
    receipt_pill,
)
from clinic_desktop.ui.billing.expense_receipts_dialog import ExpenseReceiptsDialog, expense_line
from clinic_desktop.ui.billing.recurring_dialog import RecurringExpensesDialog, generate_due
from clinic_desktop.ui.chart.clinical_dialog_kit import clinic_today, date_text
from clinic_desktop.ui.context import UiContext
from clinic_desktop.ui.inventory.products_kit import RowTableModel
from clinic_desktop.ui.style import bold, set_role
from clinic_desktop.ui.widgets import screen_kit
from clinic_desktop.ui.widgets.denied_gate import DeniedGate
from clinic_desktop.ui.widgets.list_kit import action_button, fit_columns
from clinic_desktop.ui.widgets.pill_delegate import PillDelegate, row_pill
from clinic_desktop.ui.widgets.screen_kit import (
    MessageBanner,
    list_table,
    select_entry,
    selected_entry,
)

MANAGE = "billing.manage"
ZERO = Decimal("0.00")


class ExpensesTab(QWidget):
    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.setObjectName("ExpensesTab")
        self.can_manage = ctx.can(MANAGE)
        self.today = clinic_today(ctx)
        # The dialogs open now, kept so tests (and a second click) reach them.
        self.editor: ExpenseEditorDialog | None = None
        self.receipts_dialog: ExpenseReceiptsDialog | None = None
        self.recurring_dialog: RecurringExpensesDialog | None = None
        self._categories: list[ExpenseCategoryDTO] = []
        self._select_after: uuid.UUID | None = None

        self.content = QWidget(self)
        self.content.setObjectName("ExpensesContent")
        self.filter_bar = ExpenseFilterBar(self.today, self.content)
        self.filter_bar.changed.connect(self.refresh)
        self._build_actions()
        self.banner = MessageBanner("ExpensesMessage", self.content)
        self.model = RowTableModel(expense_columns(ctx), parent=self)
        self.table = list_table(self.model, "ExpensesTable", self.content)
        self.table.setItemDelegateForColumn(
            RECEIPT_COLUMN, PillDelegate(row_pill(receipt_pill), self.table, fit_cell=True)
        )
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(DESCRIPTION_COLUMN, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setDefaultSectionSize(34)
        self.table.doubleClicked.connect(self._on_table_double_clicked)
        self.table.selectionModel().selectionChanged.connect(lambda *_a: self._update_buttons())
        self.empty_label = QLabel(self.content)
        self.empty_label.setObjectName("ExpensesEmptyLabel")
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setWordWrap(True)
        set_role(self.empty_label, "hint")
        self.empty_label.hide()
        totals = self._build_totals()

        body = QVBoxLayout(self.content)
        body.setContentsMargins(0, 0, 0, 0)
        body.addWidget(self.filter_bar)
        body.addLayout(self.action_row)
        body.addWidget(self.banner)
        body.addWidget(self.table, 1)
        body.addWidget(self.empty_label, 1)
        body.addWidget(totals)

        self.gate = DeniedGate(
            self,
            self.content,
            banner_name="ExpensesDeniedBanner",
            title=_("You cannot see the clinic's expenses"),
        )
        self.denied_banner = self.gate.banner

        ctx.bridge.billing_changed.connect(self._on_bridge_billing_changed)
        ctx.bridge.inventory_changed.connect(self._on_bridge_inventory_changed)
        self._update_buttons()
        self.refresh()

    # -- building ----------------------------------------------------------------------------

    def _build_actions(self) -> None:
        self.new_button = self._button("NewExpenseButton", _("New expense…"), self._on_new)
        set_role(self.new_button, "primary")
        self.edit_button = self._button("EditExpenseButton", _("Edit…"), self.edit_selected)
        self.delete_button = self._button("DeleteExpenseButton", _("Delete…"), self.delete_selected)
        self.receipts_button = self._button(
            "ExpenseReceiptsButton", _("Receipts…"), self._on_receipts
        )
        self.recurring_button = self._button(
            "RecurringExpensesButton", _("Recurring…"), self._on_recurring
        )
        self.recurring_button.setToolTip(_("Rent, salaries and other monthly expenses"))
        self.generate_button = self._button(
            "GenerateRecurringButton", _("Generate due recurring expenses"), self.generate_due
        )
        self.generate_button.setToolTip(
            _("Records every monthly expense due up to today that is not recorded yet.")
        )
        for button in (
            self.new_button,
            self.edit_button,
            self.delete_button,
            self.recurring_button,
            self.generate_button,
        ):
            button.setVisible(self.can_manage)
        self.action_row = QHBoxLayout()
        for button in (self.new_button, self.edit_button, self.delete_button):
            self.action_row.addWidget(button)
        self.action_row.addWidget(self.receipts_button)
        self.action_row.addStretch(1)
        self.action_row.addWidget(self.recurring_button)
        self.action_row.addWidget(self.generate_button)

    def _build_totals(self) -> QFrame:
        frame = QFrame(self.content)
        frame.setObjectName("ExpensesTotalsFrame")
        set_role(frame, "card")
        row = QHBoxLayout(frame)
        row.setContentsMargins(14, 8, 14, 8)
        self.count_label = QLabel(frame)
        self.count_label.setObjectName("ExpensesCountLabel")
        set_role(self.count_label, "hint")
        self.totals_label = QLabel(frame)
        self.totals_label.setObjectName("ExpensesTotalsLabel")
        self.totals_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.total_label = QLabel(frame)
        self.total_label.setObjectName("ExpensesTotalLabel")
        bold(self.total_label, 12)
        row.addWidget(self.count_label, 1)
        row.addWidget(self.totals_label)
        row.addSpacing(16)
        row.addWidget(self.total_label)
        return frame

    def _button(self, name: str, text: str, slot: Callable[[], object]) -> QPushButton:
        return action_button(self.content, name, text, slot)

    # -- filters -------------------------------------------------------------------------------

    def set_period(self, key: str) -> None:
        """Shows a named period ("this_month", "last_month", "this_year", "custom")."""
        self.filter_bar.set_period(key)

    def set_custom_period(self, date_from: date, date_to: date) -> None:
        self.filter_bar.set_custom_period(date_from, date_to)

    def period(self) -> tuple[date, date]:
        return self.filter_bar.period()

    # -- data ------------------------------------------------------------------------------

    def refresh(self) -> None:
        self.filter_bar.cancel_pending()
        ctx = self._ctx
        date_from, date_to = self.period()
        category = self.filter_bar.category()
        text = self.filter_bar.text()

        def load() -> tuple[list[ExpenseDTO], list[ExpenseCategoryDTO]]:
            expenses = list_expenses(
                ctx.uow(),
                actor=ctx.actor,
                date_from=date_from,
                date_to=date_to,
                category=category,
                text=text,
            )
            return expenses, expense_categories(ctx.uow(), actor=ctx.actor)

        ctx.runner.run(
            load,
            on_done=self._on_loaded,
            on_error=self._show_error,
            on_user_error=self._on_load_refused,
            parent=self,
        )

    def _on_loaded(self, loaded: tuple[list[ExpenseDTO], list[ExpenseCategoryDTO]]) -> None:
        expenses, categories = loaded
        self._show_allowed()
        if categories != self._categories:
            self._categories = categories
            self.filter_bar.set_categories(categories)
        selected = self.selected_expense()
        wanted = self._select_after or (selected.id if selected is not None else None)
        self._select_after = None
        self.model.set_rows(expenses)
        fit_columns(self.table, stretch_column=DESCRIPTION_COLUMN, padding=18)
        if wanted is not None:
            self.select_expense(wanted)
        self._show_totals(expenses)
        filtered = self.filter_bar.filtered()
        # An empty table says nothing: the message takes its place.
        self.table.setVisible(bool(expenses))
        self.empty_label.setVisible(not expenses)
        self.empty_label.setText(
            _("No expenses match these filters in this period.")
            if filtered
            else _("No expenses recorded in this period.")
        )
        self._update_buttons()

    def _show_totals(self, expenses: list[ExpenseDTO]) -> None:
        net = sum((e.net for e in expenses), ZERO)
        tax = sum((e.tax for e in expenses), ZERO)
        total = sum((e.total for e in expenses), ZERO)
        date_from, date_to = self.period()
        self.count_label.setText(
            ngettext(
                "{count} expense from {start} to {end}",
                "{count} expenses from {start} to {end}",
                len(expenses),
            ).format(count=len(expenses), start=date_text(date_from), end=date_text(date_to))
        )
        self.totals_label.setText(
            _("Net {net}   ·   Tax {tax}").format(
                net=money_text(self._ctx, net), tax=money_text(self._ctx, tax)
            )
        )
        self.total_label.setText(_("Total {total}").format(total=money_text(self._ctx, total)))

    def _on_load_refused(self, error: UserFacingError) -> None:
        if isinstance(error, PermissionDenied):
            self._show_denied(error.message)
        else:
            self._show_error(error.message)

    def _show_denied(self, message: str) -> None:
        """No table at all: the user may not see expenses (the service said so)."""
        self.model.set_rows([])
        self.gate.deny(message)

    def _show_allowed(self) -> None:
        self.gate.allow()

    @property
    def denied(self) -> bool:
        return self.gate.denied

    def _show_error(self, message: str) -> None:
        self.banner.show_message(message, "error")

    def _on_bridge_billing_changed(self, event: object) -> None:
        if getattr(event, "what", "") == "expenses":
            self.refresh()

    def _on_bridge_inventory_changed(self, event: object) -> None:
        if getattr(event, "what", "") == "suppliers":  # a renamed supplier shows its new name
            self.refresh()

    # -- selection -------------------------------------------------------------------------

    def selected_expense(self) -> ExpenseDTO | None:
        return selected_entry(self.table, self.model)

    def select_expense(self, expense_id: uuid.UUID) -> bool:
        return select_entry(self.table, self.model, expense_id)

    def _update_buttons(self) -> None:
        chosen = self.selected_expense() is not None
        for button in (self.edit_button, self.delete_button, self.receipts_button):
            button.setEnabled(chosen)

    # -- actions ---------------------------------------------------------------------------

    def open_editor(self, expense: ExpenseDTO | None) -> ExpenseEditorDialog:
        """Opens the editor (a new expense when None) window-modally without blocking."""
        self.banner.clear_message()
        dialog = ExpenseEditorDialog(self._ctx, expense, self)
        dialog.saved.connect(self._on_editor_saved)
        self.editor = dialog
        dialog.open()
        return dialog

    def _on_new(self) -> None:
        self.open_editor(None)

    def edit_selected(self) -> ExpenseEditorDialog | None:
        expense = self.selected_expense()
        if expense is None or not self.can_manage:
            return None
        return self.open_editor(expense)

    def _on_table_double_clicked(self, _index: QModelIndex) -> None:
        if self.can_manage:
            self.edit_selected()
        else:
            self._on_receipts()

    def _on_editor_saved(self, expense: object) -> None:
        assert isinstance(expense, ExpenseDTO)
        date_from, date_to = self.period()
        where = (
            ""
            if date_from <= expense.expense_date <= date_to
            else " " + _("It is dated outside the period shown.")
        )
        self.banner.show_message(
            _("Saved: {line}.").format(line=expense_line(self._ctx, expense)) + where, "ok"
        )
        # Selected once the list is back (the runner answers later in the app).
        self._select_after = expense.id
        self.refresh()

    def delete_selected(self) -> None:
        """Moves the selected expense to the trash after confirming."""
        expense = self.selected_expense()
        if expense is None or not self.can_manage:
            return
        self.banner.clear_message()
        question = _(
            "Move this expense to the trash?\n\n{line}\n\nIt leaves the totals and reports; "
            "it can be restored from the trash with its receipts."
        ).format(line=expense_line(self._ctx, expense))
        if not screen_kit.confirm(self, _("Delete expense"), question, _("Move to trash")):
            return
        ctx = self._ctx
        ctx.runner.run(
            lambda: delete_expense(
                ctx.uow(), actor=ctx.actor, expense_id=expense.id, expected_version=expense.version
            ),
            on_done=lambda _r: self._on_deleted(expense),
            on_error=self._show_error,
            on_user_error=self._show_user_error,
            parent=self,
        )

    def _on_deleted(self, expense: ExpenseDTO) -> None:
        self.banner.show_message(
            _("Moved to the trash: {line}.").format(line=expense_line(self._ctx, expense)), "ok"
        )
        self.refresh()

    def _show_user_error(self, error: UserFacingError) -> None:
        kind = "warn" if isinstance(error, ConcurrentEditError) else "error"
        self.banner.show_message(error.message, kind)

    def open_receipts(self, expense: ExpenseDTO | None = None) -> ExpenseReceiptsDialog | None:
        expense = expense or self.selected_expense()
        if expense is None:
            return None
        self.banner.clear_message()
        dialog = ExpenseReceiptsDialog(self._ctx, expense, self)
        self.receipts_dialog = dialog
        dialog.open()
        return dialog

    def _on_receipts(self) -> None:
        self.open_receipts()

    def open_recurring(self) -> RecurringExpensesDialog:
        self.banner.clear_message()
        dialog = RecurringExpensesDialog(self._ctx, self)
        self.recurring_dialog = dialog
        dialog.open()
        return dialog

    def _on_recurring(self) -> None:
        self.open_recurring()

    def generate_due(self) -> None:
        """Generates the recurring expenses due up to today and says how many."""
        if self.can_manage:
            self.banner.clear_message()
            generate_due(self._ctx, self, self.banner)
