"""Closing a partly received purchase order short, through the real services on a real
SQLCipher clinic: the status, the reason kept in the notes and the audit trail (with what was
still outstanding), the event, the closed order refusing receipts, leaving the "open" filter
and no longer counting as on order in the suggestions, and every refusal (no reason, an order
that is not partly received, a reader, a stale copy) changing nothing."""

from __future__ import annotations

import io
from datetime import timedelta
from decimal import Decimal

import pytest
from pypdf import PdfReader
from support.clinical_actors import actor
from support.purchasing_data import (
    SYSTEM,
    audit_of,
    clinic_today,
    make_shop,
    placed_order,
    put_stock,
    stock_of,
)

from clinic_desktop.errors import (
    ConcurrentEditError,
    InvalidTransition,
    PermissionDenied,
    ValidationError,
)
from clinic_desktop.events import InventoryChanged
from clinic_desktop.models.purchasing import OrderStatus, PurchaseOrder
from clinic_desktop.services.purchasing import (
    cancel_order,
    close_order,
    create_order,
    get_order,
    list_orders,
)
from clinic_desktop.services.purchasing_dto import PurchaseOrderDTO, ReceiptLine
from clinic_desktop.services.purchasing_print import purchase_order_pdf
from clinic_desktop.services.purchasing_receive import receive
from clinic_desktop.services.purchasing_suggestions import suggest_orders

FUTURE = clinic_today() + timedelta(days=400)


@pytest.fixture
def shop(demo):
    return make_shop(demo.db)


def _partial(demo, shop) -> PurchaseOrderDTO:
    """3 boxes of gloves and 2 syringes of resin ordered; 1 box of gloves arrived."""
    order = placed_order(demo.db, shop, [(shop.gloves, "3", "8.50"), (shop.resin, "2", "25.00")])
    return receive(
        demo.db.uow(),
        actor=SYSTEM,
        order_id=order.id,
        lines=[ReceiptLine(order.lines[0].id, Decimal(1), "G-1", FUTURE)],
    ).order


def _state(demo, order_id) -> tuple[str, str, int, int]:
    """(status, notes, version, audit entries) of an order: what a refusal must not touch."""
    order = get_order(demo.db.uow(), actor=SYSTEM, order_id=order_id)
    return (
        order.status,
        order.notes,
        order.version,
        len(audit_of(demo.db, "PurchaseOrder", order_id)),
    )


def test_a_partly_received_order_is_closed_short_with_its_reason(demo, shop) -> None:
    order = _partial(demo, shop)
    assert (order.status, order.can_close_short, order.can_cancel) == ("partial", True, False)
    events: list[InventoryChanged] = []
    demo.db.bus.subscribe(InventoryChanged, events.append)
    closed = close_order(
        demo.db.uow(),
        actor=actor(demo, "asistente"),
        order_id=order.id,
        reason="  El proveedor   descontinuó la resina ",
        expected_version=order.version,
    )
    assert (closed.status, closed.status_label) == ("closed", "Closed short")
    assert not (closed.can_receive or closed.can_cancel or closed.can_close_short)
    assert closed.notes.startswith("Closed short on ")
    assert closed.notes.endswith(": El proveedor descontinuó la resina")
    again = get_order(demo.db.uow(), actor=SYSTEM, order_id=order.id)
    assert (again.status, again.notes, again.version) == ("closed", closed.notes, order.version + 1)
    # What arrived stays: the lines, their receipts and the stock are untouched.
    assert [(line.quantity, line.received_quantity) for line in again.lines] == [
        (Decimal(3), Decimal(1)),
        (Decimal(2), Decimal(0)),
    ]
    assert stock_of(demo.db, shop.gloves) == Decimal(100)
    trail = audit_of(demo.db, "PurchaseOrder", order.id)
    assert (
        "order.closed_short",
        {
            "number": order.number_text,
            "reason": "El proveedor descontinuó la resina",
            "outstanding": {"T-GUA": "2", "T-RES": "2"},
        },
    ) in trail
    [update] = [changes for action, changes in trail if action == "update"][-1:]
    assert update["status"] == {"old": "partial", "new": "closed"}
    assert [(e.what, e.ids) for e in events] == [("orders", (str(order.id),))]


def test_a_closed_order_takes_no_receipt_and_leaves_the_open_orders(demo, shop) -> None:
    order = _partial(demo, shop)
    close_order(demo.db.uow(), actor=SYSTEM, order_id=order.id, reason="No hay más")
    with pytest.raises(InvalidTransition, match="is closed short: nothing more can be received"):
        receive(
            demo.db.uow(),
            actor=SYSTEM,
            order_id=order.id,
            lines=[ReceiptLine(order.lines[1].id, Decimal(2))],
        )
    assert stock_of(demo.db, shop.resin) == Decimal(0)
    assert get_order(demo.db.uow(), actor=SYSTEM, order_id=order.id).lines[1].received_quantity == 0
    with pytest.raises(InvalidTransition, match="already received"):
        cancel_order(demo.db.uow(), actor=SYSTEM, order_id=order.id, reason="Tampoco")

    def numbers(status: str) -> list[int]:
        return [o.number for o in list_orders(demo.db.uow(), actor=SYSTEM, status=status)]

    assert order.number not in numbers("open")
    assert order.number in numbers("closed")
    assert order.number not in numbers("partial")


def test_the_suggestions_stop_counting_what_will_never_come(demo, shop) -> None:
    # Reorder level 200 gloves; 100 arrived on the order and 2 boxes (200) are outstanding.
    order = _partial(demo, shop)

    def gloves_line():
        found = [
            line
            for group in suggest_orders(demo.db.uow(), actor=SYSTEM).groups
            for line in group.lines
            if line.product_id == shop.gloves
        ]
        return found[0] if found else None

    assert gloves_line() is None  # what is coming lifts the gloves above the reorder level
    close_order(demo.db.uow(), actor=SYSTEM, order_id=order.id, reason="No vendrá")
    line = gloves_line()
    assert line is not None
    assert (line.usable, line.on_order, line.quantity) == (Decimal(100), Decimal(0), Decimal(1))


def test_refusals_name_the_field_and_change_nothing(demo, shop) -> None:
    assistant = actor(demo, "asistente")
    order = _partial(demo, shop)
    before = _state(demo, order.id)
    for reason in ("", "  ", "ok"):
        with pytest.raises(ValidationError, match="Reason: say why the rest") as refused:
            close_order(demo.db.uow(), actor=assistant, order_id=order.id, reason=reason)
        assert refused.value.field == "reason"
    with pytest.raises(ValidationError, match="at most 300") as too_long:
        close_order(demo.db.uow(), actor=assistant, order_id=order.id, reason="x" * 301)
    assert too_long.value.field == "reason"
    with pytest.raises(PermissionDenied):
        close_order(
            demo.db.uow(), actor=actor(demo, "recepcion"), order_id=order.id, reason="No vendrá"
        )
    with pytest.raises(ConcurrentEditError):
        close_order(
            demo.db.uow(),
            actor=assistant,
            order_id=order.id,
            reason="No vendrá",
            expected_version=order.version - 1,
        )
    assert _state(demo, order.id) == before

    placed = placed_order(demo.db, shop, [(shop.resin, "1", "25")])
    draft = create_order(demo.db.uow(), actor=SYSTEM, supplier_id=shop.other)
    put_stock(demo.db, shop.gauze, "5")
    received = placed_order(demo.db, shop, [(shop.gloves, "1", "8.50")])
    receive(
        demo.db.uow(),
        actor=SYSTEM,
        order_id=received.id,
        lines=[ReceiptLine(received.lines[0].id, Decimal(1))],
    )
    cases = [
        (placed.id, "nothing of it has arrived yet. Cancel it instead."),
        (draft.id, "is draft: only a partly received order can be closed short"),
        (received.id, "is received: only a partly received order can be closed short"),
    ]
    for order_id, message in cases:
        untouched = _state(demo, order_id)
        with pytest.raises(InvalidTransition, match=message) as refused:
            close_order(demo.db.uow(), actor=assistant, order_id=order_id, reason="No vendrá")
        assert refused.value.field == "status"
        assert _state(demo, order_id) == untouched

    close_order(demo.db.uow(), actor=assistant, order_id=order.id, reason="No vendrá")
    closed = _state(demo, order.id)
    with pytest.raises(InvalidTransition, match="already closed short"):
        close_order(demo.db.uow(), actor=assistant, order_id=order.id, reason="Otra vez")
    assert _state(demo, order.id) == closed


def test_the_printed_order_says_it_was_closed_short(demo, shop) -> None:
    order = _partial(demo, shop)
    close_order(demo.db.uow(), actor=SYSTEM, order_id=order.id, reason="Resina descontinuada")
    pdf = purchase_order_pdf(demo.db.uow(), actor=actor(demo, "recepcion"), order_id=order.id)
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "Closed short" in text and "Resina descontinuada" in text


def test_the_entity_guards_its_own_rule() -> None:
    order = PurchaseOrder(number=1, status=OrderStatus.ORDERED.value, notes="Urgente")
    with pytest.raises(InvalidTransition):
        order.close_short(reason="No vendrá", heading="Closed short on 1 Jan 2026")
    order.status = OrderStatus.PARTIAL.value
    with pytest.raises(ValidationError):
        order.close_short(reason="   ", heading="Closed short on 1 Jan 2026")
    assert (order.status, order.notes) == ("partial", "Urgente")
    order.close_short(reason=" No  vendrá ", heading="Closed short on 1 Jan 2026")
    assert order.status == "closed"
    assert order.notes == "Urgente\nClosed short on 1 Jan 2026: No vendrá"
