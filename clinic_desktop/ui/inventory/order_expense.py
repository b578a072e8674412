"""The expense of a received purchase order, as the receive dialog and the order editor offer
it: who sees the offer (recording an expense takes billing.manage, the permission the
expense service checks; seeing that one exists, whoever may read expenses), whether an order
has goods to pay for, the line saying the expense is already recorded, and the two service
calls through the runner (is there one? make it). One expense per order: the service refuses
a second."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QWidget

from clinic_desktop.errors import UserFacingError
from clinic_desktop.formatting import money
from clinic_desktop.i18n import _
from clinic_desktop.services.expense_dto import ExpenseDTO
from clinic_desktop.services.expenses import expense_from_purchase_order, purchase_order_expense
from clinic_desktop.services.purchasing_dto import PurchaseOrderDTO
from clinic_desktop.ui.context import UiContext
from clinic_desktop.ui.inventory.order_widgets import day_text
from clinic_desktop.ui.widgets import screen_kit

RECORD = "billing.manage"
READ = ("billing.manage", "reports.finance")


def can_record(ctx: UiContext) -> bool:
    return ctx.can(RECORD)


def can_see(ctx: UiContext) -> bool:
    return any(ctx.can(permission) for permission in READ)


def has_arrivals(order: PurchaseOrderDTO) -> bool:
    """Something has arrived on the order, so there is something to pay."""
    return any(line.received_quantity > 0 for line in order.lines)


def recorded_text(expense: ExpenseDTO, currency: str) -> str:
    return _("Expense recorded on {date} ({total})").format(
        date=day_text(expense.expense_date), total=money(expense.total, currency)
    )


def look_up(
    ctx: UiContext,
    order: PurchaseOrderDTO,
    *,
    parent: QWidget,
    on_done: Callable[[ExpenseDTO | None], None],
    on_error: Callable[[str], None],
) -> None:
    """The order's live expense, or None, delivered to `on_done`."""
    order_id = order.id
    ctx.runner.run(
        lambda: purchase_order_expense(ctx.uow(), actor=ctx.actor, order_id=order_id),
        on_done=on_done,
        on_error=on_error,
        parent=parent,
    )


def record(
    ctx: UiContext,
    order: PurchaseOrderDTO,
    *,
    parent: QWidget,
    on_done: Callable[[ExpenseDTO], None],
    on_error: Callable[[str], None],
    on_user_error: Callable[[UserFacingError], None] | None = None,
) -> None:
    """Makes the order's expense (what arrived, at the order's prices, dated today)."""
    order_id = order.id
    ctx.runner.run(
        lambda: expense_from_purchase_order(ctx.uow(), actor=ctx.actor, order_id=order_id),
        on_done=on_done,
        on_error=on_error,
        on_user_error=on_user_error,
        busy_text=_("Recording the expense…"),
        parent=parent,
    )


def recorded_message(expense: ExpenseDTO, currency: str) -> str:
    """What the screens say once the expense is made: where to complete it."""
    return _(
        "Expense of {total} recorded under supplies, dated {date}. Add the supplier's invoice "
        "number and any tax under Billing → Expenses."
    ).format(total=money(expense.total, currency), date=day_text(expense.expense_date))


def confirm_record(parent: QWidget, order: PurchaseOrderDTO) -> bool:
    """Asks before recording the expense from the order editor (the receive dialog's box is
    the question there)."""
    return screen_kit.confirm(
        parent,
        _("Record expense"),
        _(
            "Record what has arrived on order {number} as an expense from {supplier}, at the "
            "order's prices, under supplies and dated today? There is one expense per order: if "
            "more arrives later, edit that expense."
        ).format(number=order.number_text, supplier=order.supplier_name),
        _("Record expense"),
    )
