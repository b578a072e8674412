"""Recurring expenses (rent, salaries, a service contract): the list of templates with their
amount, day of the month, period and the date of the next expense each will generate; new and
edit through a form like the expense editor's (plus the day of the month and the period);
deactivating one stops it without touching the expenses it already generated. Also the one
action that generates every expense due up to today, shared with the expenses tab. Changes
need billing.manage; reading needs billing.manage or reports.finance."""

from __future__ import annotations

import uuid

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from clinic_desktop.i18n import _, ngettext
from clinic_desktop.services.expense_dto import RecurringExpenseDTO
from clinic_desktop.services.payment_dto import method_label
from clinic_desktop.services.recurring_expenses import (
    generate_recurring_expenses,
    list_recurring_expenses,
    set_recurring_active,
)
from clinic_desktop.ui.billing.expense_fields import money_text
from clinic_desktop.ui.billing.recurring_editor import RecurringEditorDialog
from clinic_desktop.ui.chart.clinical_dialog_kit import date_text, hint_label
from clinic_desktop.ui.context import UiContext
from clinic_desktop.ui.inventory.products_kit import RowTableModel
from clinic_desktop.ui.style import MUTED, bold, set_role
from clinic_desktop.ui.widgets.list_kit import (
    close_button_box,
    dialog_button,
    fit_columns,
    show_active_choice,
)
from clinic_desktop.ui.widgets.screen_kit import (
    Column,
    MessageBanner,
    list_table,
    select_entry,
    selected_entry,
)

MANAGE = "billing.manage"
DESCRIPTION_COLUMN = 1


def generate_due(ctx: UiContext, parent: QWidget, banner: MessageBanner) -> None:
    """Generates every recurring expense due up to today and says how many were created."""

    def said(count: int) -> None:
        if count:
            text = ngettext(
                "{count} expense was generated from the recurring expenses.",
                "{count} expenses were generated from the recurring expenses.",
                count,
            ).format(count=count)
        else:
            text = _("Nothing was due: every recurring expense is up to date.")
        banner.show_message(text, "ok")

    ctx.runner.run(
        lambda: generate_recurring_expenses(ctx.uow(), actor=ctx.actor),
        on_done=said,
        on_error=lambda text: banner.show_message(text, "error"),
        busy_text=_("Generating the expenses due…"),
        parent=parent,
    )


def day_of_month_text(day: int) -> str:
    return _("Last day") if day >= 31 else _("Day {day}").format(day=day)


def period_text(template: RecurringExpenseDTO) -> str:
    if template.ends_on is None:
        return _("From {start}").format(start=date_text(template.starts_on))
    return _("{start} to {end}").format(
        start=date_text(template.starts_on), end=date_text(template.ends_on)
    )


class RecurringExpensesDialog(QDialog):
    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.can_manage = ctx.can(MANAGE)
        self.editor: RecurringEditorDialog | None = None
        self._select_after: uuid.UUID | None = None
        self.setObjectName("RecurringExpensesDialog")
        self.setWindowTitle(_("Recurring expenses"))
        heading = QLabel(_("Recurring expenses"), self)
        bold(heading, 13)
        intro = hint_label(
            _(
                "Rent, salaries and other fixed costs: each one records an expense every month "
                "on its day when the expenses due are generated."
            ),
            self,
        )
        self.banner = MessageBanner("RecurringMessage", self)
        self.inactive_check = QCheckBox(_("Show inactive"), self)
        self.inactive_check.setObjectName("RecurringInactiveCheck")
        self.inactive_check.toggled.connect(lambda _on: self.refresh())
        manage = self.can_manage
        self.new_button = dialog_button(self, "NewRecurringButton", _("New…"), visible=manage)
        self.edit_button = dialog_button(self, "EditRecurringButton", _("Edit…"), visible=manage)
        self.active_button = dialog_button(
            self, "RecurringActiveButton", _("Deactivate"), visible=manage
        )
        self.generate_button = dialog_button(
            self, "RecurringGenerateButton", _("Generate due expenses"), visible=manage
        )
        set_role(self.new_button, "primary")
        self.new_button.clicked.connect(lambda: self.open_editor(None))
        self.edit_button.clicked.connect(self._on_edit_clicked)
        self.active_button.clicked.connect(self.toggle_active)
        self.generate_button.clicked.connect(lambda: generate_due(ctx, self, self.banner))

        self.model = RowTableModel(
            [
                Column(_("Category"), lambda t: t.category_label),
                Column(_("Description"), lambda t: t.description or "—"),
                Column(_("Supplier"), lambda t: t.supplier_name or "—"),
                Column(_("Total"), lambda t: money_text(ctx, t.total), align_right=True),
                Column(_("Paid by"), lambda t: method_label(t.payment_method) or "—"),
                Column(_("Day"), lambda t: day_of_month_text(t.day_of_month)),
                Column(_("Period"), period_text),
                Column(
                    _("Next expense"),
                    lambda t: date_text(t.next_date) if t.active else _("Inactive"),
                ),
            ],
            foreground=lambda t: None if t.active else MUTED,
            parent=self,
        )
        self.table = list_table(self.model, "RecurringTable", self)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(DESCRIPTION_COLUMN, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setDefaultSectionSize(32)
        self.table.doubleClicked.connect(self._on_table_double_clicked)
        self.table.selectionModel().selectionChanged.connect(lambda *_a: self._update_buttons())
        self.empty_label = hint_label(
            _(
                "No recurring expenses yet. Add the rent or the salaries to have them recorded "
                "every month."
            ),
            self,
            "RecurringEmptyLabel",
        )
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)

        actions = QHBoxLayout()
        actions.addWidget(self.new_button)
        actions.addWidget(self.edit_button)
        actions.addWidget(self.active_button)
        actions.addStretch(1)
        actions.addWidget(self.inactive_check)
        actions.addSpacing(12)
        actions.addWidget(self.generate_button)
        buttons = close_button_box(self, "RecurringCloseButton")
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(intro)
        layout.addWidget(self.banner)
        layout.addLayout(actions)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty_label)
        layout.addWidget(buttons)
        self.resize(1220, 480)
        ctx.bridge.billing_changed.connect(self._on_bridge_billing_changed)
        self._update_buttons()
        self.refresh()

    def refresh(self) -> None:
        ctx, inactive = self._ctx, self.inactive_check.isChecked()
        ctx.runner.run(
            lambda: list_recurring_expenses(ctx.uow(), actor=ctx.actor, include_inactive=inactive),
            on_done=self._on_loaded,
            on_error=lambda text: self.banner.show_message(text, "error"),
            parent=self,
        )

    def _on_loaded(self, templates: list[RecurringExpenseDTO]) -> None:
        selected = self.selected_template()
        wanted = self._select_after or (selected.id if selected is not None else None)
        self._select_after = None
        self.model.set_rows(templates)
        fit_columns(self.table, stretch_column=DESCRIPTION_COLUMN)
        if wanted is not None:
            self.select_template(wanted)
        self.empty_label.setVisible(not templates)
        self._update_buttons()

    def _on_bridge_billing_changed(self, event: object) -> None:
        if getattr(event, "what", "") == "expenses":
            self.refresh()

    def selected_template(self) -> RecurringExpenseDTO | None:
        return selected_entry(self.table, self.model)

    def select_template(self, template_id: object) -> bool:
        return select_entry(self.table, self.model, template_id)

    def _update_buttons(self) -> None:
        template = self.selected_template()
        show_active_choice(
            template.active if template is not None else None,
            edit=self.edit_button,
            toggle=self.active_button,
        )

    def open_editor(self, template: RecurringExpenseDTO | None) -> RecurringEditorDialog:
        self.banner.clear_message()
        dialog = RecurringEditorDialog(self._ctx, template, self)
        dialog.saved.connect(self._on_saved)
        self.editor = dialog
        dialog.open()
        return dialog

    def _on_edit_clicked(self) -> None:
        template = self.selected_template()
        if template is not None:
            self.open_editor(template)

    def _on_table_double_clicked(self, index: QModelIndex) -> None:
        template = self.model.row_at(index.row())
        if template is not None and self.can_manage:
            self.open_editor(template)

    def _on_saved(self, template: object) -> None:
        assert isinstance(template, RecurringExpenseDTO)
        if template.next_date is not None:
            text = _("Saved “{title}”. Its next expense is due on {date}.").format(
                title=template.title, date=date_text(template.next_date)
            )
        else:
            text = _("Saved “{title}”.").format(title=template.title)
        self.banner.show_message(text, "ok")
        self._select_after = template.id  # once the list is back
        self.refresh()

    def toggle_active(self) -> None:
        """Deactivates the selected template (the expenses it generated stay) or reactivates
        it (from the current month on)."""
        template = self.selected_template()
        if template is None or not self.can_manage:
            return
        self.banner.clear_message()
        ctx, active = self._ctx, not template.active
        ctx.runner.run(
            lambda: set_recurring_active(
                ctx.uow(), actor=ctx.actor, recurring_id=template.id, active=active
            ),
            on_done=self._on_active_set,
            on_error=lambda text: self.banner.show_message(text, "error"),
            parent=self,
        )

    def _on_active_set(self, template: RecurringExpenseDTO) -> None:
        self.banner.show_message(
            (
                _("“{title}” is active again from this month.")
                if template.active
                else _("“{title}” was deactivated: it generates no more expenses.")
            ).format(title=template.title),
            "ok",
        )
        self._select_after = template.id
        self.refresh()
