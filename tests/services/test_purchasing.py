"""Purchase orders through the real services on a real SQLCipher clinic: numbering, drafts and
their edits, placing, receiving in parts into new lots (conversion to units of use, lot cost,
product cost, statuses), the questions a receipt asks (over-receipt, past expiry) changing
nothing until confirmed, cancelling only while nothing arrived, and who may do what."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from support.clinical_actors import actor
from support.purchasing_data import (
    SYSTEM,
    audit_of,
    clinic_today,
    lots_of,
    make_shop,
    order_count,
    placed_order,
    product_cost,
    put_stock,
    receipt_movements,
    stock_of,
)

from clinic_desktop.errors import (
    ConcurrentEditError,
    InvalidTransition,
    NeedsConfirmation,
    PermissionDenied,
    ValidationError,
)
from clinic_desktop.models.inventory import Product
from clinic_desktop.services import stock_ledger as ledger
from clinic_desktop.services.purchasing import (
    cancel_order,
    create_order,
    get_order,
    list_orders,
    place_order,
    update_draft,
)
from clinic_desktop.services.purchasing_dto import OrderLineInput, ReceiptLine
from clinic_desktop.services.purchasing_receive import receive

FUTURE = clinic_today() + timedelta(days=400)


@pytest.fixture
def shop(demo):
    return make_shop(demo.db)


def test_orders_are_numbered_in_one_series_and_read_back(demo, shop) -> None:
    before = max((o.number for o in list_orders(demo.db.uow(), actor=SYSTEM)), default=0)
    assistant = actor(demo, "asistente")
    first = create_order(
        demo.db.uow(),
        actor=assistant,
        supplier_id=shop.supplier,
        lines=[OrderLineInput(shop.gloves, Decimal(3), Decimal("8.50"))],
        expected_on=clinic_today() + timedelta(days=5),
        notes="Entregar por la mañana",
    )
    second = create_order(demo.db.uow(), actor=assistant, supplier_id=shop.other)
    assert (first.number, second.number) == (before + 1, before + 2)
    assert first.number_text == f"OC-{before + 1:06d}"
    again = get_order(demo.db.uow(), actor=actor(demo, "recepcion"), order_id=first.id)
    assert (again.status, again.supplier_name, again.notes) == (
        "draft",
        "Proveedora Test S.A.",
        "Entregar por la mañana",
    )
    [line] = again.lines
    # 3 boxes of 100 at $8.50 a box: 300 gloves, $25.50.
    assert (line.quantity, line.quantity_in_units, line.line_total) == (
        Decimal("3.000"),
        Decimal("300.000"),
        Decimal("25.50"),
    )
    assert (again.total, again.currency, again.received_fraction) == (
        Decimal("25.50"),
        "USD",
        Decimal(0),
    )
    assert [a for a, _c in audit_of(demo.db, "PurchaseOrder", first.id)] == ["create"]


def test_partial_then_full_receipt_makes_lots_and_moves_the_status(demo, shop) -> None:
    order = placed_order(demo.db, shop, [(shop.gloves, "3", "8.50"), (shop.resin, "2", "25.00")])
    assert (order.status, order.ordered_on) == ("ordered", order.ordered_on)
    assert order.ordered_on is not None
    gloves, resin = order.lines
    assistant = actor(demo, "asistente")
    first = receive(
        demo.db.uow(),
        actor=assistant,
        order_id=order.id,
        lines=[ReceiptLine(gloves.id, Decimal(1), "G-1", FUTURE, Decimal("9.00"))],
    )
    assert first.order.status == "partial"
    assert first.order.lines[0].received_quantity == Decimal(1)
    # One box of 100 gloves at $9.00: 100 units at $0.09 each, the product's new cost.
    assert stock_of(demo.db, shop.gloves) == Decimal(100)
    assert lots_of(demo.db, shop.gloves) == [("G-1", FUTURE, Decimal("0.0900"), Decimal(100))]
    assert product_cost(demo.db, shop.gloves) == Decimal("0.0900")
    assert receipt_movements(demo.db, gloves.id) == [("receipt", Decimal(100), order.number_text)]
    lot_trail = audit_of(demo.db, "StockLot", first.lots[0].lot_id)
    assert [(action, changes["lot_number"]) for action, changes in lot_trail] == [("create", "G-1")]
    # The rest in two lots of gloves (the line sent twice) and the resin without expiry.
    second = receive(
        demo.db.uow(),
        actor=assistant,
        order_id=order.id,
        lines=[
            ReceiptLine(gloves.id, Decimal("1.5"), "G-2", FUTURE),
            ReceiptLine(gloves.id, Decimal("0.5"), "G-3", None),
            ReceiptLine(resin.id, Decimal(2), "", None),
        ],
    )
    assert second.order.status == "received"
    assert second.order.received_fraction == Decimal(1)
    assert [lot.quantity for lot in second.lots] == [Decimal(150), Decimal(50), Decimal(8)]
    assert stock_of(demo.db, shop.gloves) == Decimal(300)
    assert stock_of(demo.db, shop.resin) == Decimal(8)  # 2 syringes of 4 g
    # Without a cost the ordered price is used: $8.50 / 100 and $25.00 / 4.
    assert [lot[2] for lot in lots_of(demo.db, shop.gloves)[1:]] == [Decimal("0.0850")] * 2
    assert lots_of(demo.db, shop.resin) == [("", None, Decimal("6.2500"), Decimal(8))]
    with demo.db.uow().transaction(SYSTEM) as session:
        assert ledger.check_balances(session) == []
    actions = [a for a, _c in audit_of(demo.db, "PurchaseOrder", order.id)]
    assert actions.count("update") == 3  # placed, partly received, received
    with pytest.raises(InvalidTransition, match="nothing more can be received"):
        receive(
            demo.db.uow(),
            actor=assistant,
            order_id=order.id,
            lines=[ReceiptLine(gloves.id, Decimal(1))],
        )


def test_over_receipt_and_past_expiry_ask_and_change_nothing_until_confirmed(demo, shop) -> None:
    order = placed_order(demo.db, shop, [(shop.gloves, "2", "8.50")])
    line = order.lines[0]
    yesterday = clinic_today() - timedelta(days=1)
    lines = [ReceiptLine(line.id, Decimal(3), "OLD", yesterday)]
    with pytest.raises(NeedsConfirmation) as asked:
        receive(demo.db.uow(), actor=SYSTEM, order_id=order.id, lines=lines)
    assert "3 caja x100 received but only 2 outstanding" in asked.value.message
    assert "expiry date" in asked.value.message and "already past" in asked.value.message
    assert asked.value.question == "Receive the goods anyway?"
    again = get_order(demo.db.uow(), actor=SYSTEM, order_id=order.id)
    assert (again.status, again.lines[0].received_quantity) == ("ordered", Decimal(0))
    assert stock_of(demo.db, shop.gloves) == Decimal(0) and lots_of(demo.db, shop.gloves) == []
    assert product_cost(demo.db, shop.gloves) == Decimal("0.085")

    done = receive(demo.db.uow(), actor=SYSTEM, order_id=order.id, lines=lines, confirmed=True)
    assert (done.order.status, done.order.lines[0].received_quantity) == (
        "received",
        Decimal(3),
    )
    assert done.order.lines[0].outstanding == Decimal(0)
    assert lots_of(demo.db, shop.gloves) == [("OLD", yesterday, Decimal("0.0850"), Decimal(300))]


def test_bad_receipts_are_refused_with_the_field_named(demo, shop) -> None:
    order = placed_order(demo.db, shop, [(shop.gloves, "2", "8.50")])
    line = order.lines[0]
    cases = [
        ([ReceiptLine(line.id, Decimal(0))], "quantity", "at least one line"),
        ([ReceiptLine(line.id, Decimal(-1))], "quantity", "cannot be negative"),
        ([ReceiptLine(line.id, Decimal("0.0001"))], "quantity", "at most 3 decimals"),
        ([ReceiptLine(line.id, Decimal(1), "x" * 61)], "lot_number", "at most 60"),
        ([ReceiptLine(line.id, Decimal(1), unit_cost=Decimal(-2))], "unit_cost", "negative"),
        ([ReceiptLine(shop.gloves, Decimal(1))], "lines", "not a line of this order"),
    ]
    for lines, field, text in cases:
        with pytest.raises(ValidationError, match=text) as refused:
            receive(demo.db.uow(), actor=SYSTEM, order_id=order.id, lines=lines)
        assert refused.value.field == field
    assert stock_of(demo.db, shop.gloves) == Decimal(0)
    assert get_order(demo.db.uow(), actor=SYSTEM, order_id=order.id).status == "ordered"


def test_cancel_only_while_nothing_was_received(demo, shop) -> None:
    assistant = actor(demo, "asistente")
    draft = create_order(demo.db.uow(), actor=assistant, supplier_id=shop.supplier, notes="Urgente")
    with pytest.raises(ValidationError) as no_reason:
        cancel_order(demo.db.uow(), actor=assistant, order_id=draft.id, reason="  ")
    assert no_reason.value.field == "reason"
    cancelled = cancel_order(
        demo.db.uow(), actor=assistant, order_id=draft.id, reason="Pedido duplicado"
    )
    assert cancelled.status == "cancelled"
    assert cancelled.notes.startswith("Urgente\nCancelled on ")
    assert cancelled.notes.endswith(": Pedido duplicado")
    entries = audit_of(demo.db, "PurchaseOrder", draft.id)
    assert ("order.cancelled", {"number": draft.number_text, "reason": "Pedido duplicado"}) in (
        entries
    )
    with pytest.raises(InvalidTransition, match="already cancelled"):
        cancel_order(demo.db.uow(), actor=assistant, order_id=draft.id, reason="Otra vez")

    order = placed_order(demo.db, shop, [(shop.gloves, "2", "8.50")])
    receive(
        demo.db.uow(),
        actor=assistant,
        order_id=order.id,
        lines=[ReceiptLine(order.lines[0].id, Decimal(1))],
    )
    with pytest.raises(InvalidTransition, match="already received"):
        cancel_order(demo.db.uow(), actor=assistant, order_id=order.id, reason="Ya no hace falta")
    assert get_order(demo.db.uow(), actor=SYSTEM, order_id=order.id).status == "partial"
    placed = placed_order(demo.db, shop, [(shop.resin, "1", "25")])
    assert (
        cancel_order(
            demo.db.uow(), actor=assistant, order_id=placed.id, reason="El proveedor no tiene"
        ).status
        == "cancelled"
    )


def test_only_a_draft_changes_and_stale_edits_are_refused(demo, shop) -> None:
    draft = create_order(
        demo.db.uow(),
        actor=SYSTEM,
        supplier_id=shop.supplier,
        lines=[
            OrderLineInput(shop.gloves, Decimal(2), Decimal("8.50")),
            OrderLineInput(shop.resin, Decimal(1), Decimal("25")),
        ],
    )
    gloves = draft.lines[0]
    edited = update_draft(
        demo.db.uow(),
        actor=SYSTEM,
        order_id=draft.id,
        expected_version=draft.version,
        supplier_id=shop.other,
        lines=[
            OrderLineInput(shop.gloves, Decimal(5), Decimal("8.00"), line_id=gloves.id),
            OrderLineInput(shop.gauze, Decimal(100), Decimal("0.05")),
        ],
        notes="Con factura",
    )
    assert edited.version > draft.version
    assert edited.supplier_name == "Otra Casa Dental"
    assert [(line.product_name, line.quantity) for line in edited.lines] == [
        ("Guantes de prueba", Decimal(5)),
        ("Gasa de prueba", Decimal(100)),
    ]
    assert edited.lines[0].id == gloves.id  # kept, not replaced
    assert edited.total == Decimal("45.00")
    # The resin line was removed: soft-deleted, so the trail keeps it.
    removed = draft.lines[1]
    assert "delete" in [a for a, _c in audit_of(demo.db, "PurchaseOrderLine", removed.id)]

    # Only the lines changed: the version still moves, so an editor on the old one is refused.
    lines_only = update_draft(
        demo.db.uow(),
        actor=SYSTEM,
        order_id=draft.id,
        expected_version=edited.version,
        supplier_id=shop.other,
        lines=[OrderLineInput(shop.gloves, Decimal(6), Decimal("8.00"), line_id=gloves.id)],
        notes="Con factura",
    )
    assert lines_only.version > edited.version
    with pytest.raises(ConcurrentEditError):
        update_draft(
            demo.db.uow(),
            actor=SYSTEM,
            order_id=draft.id,
            expected_version=edited.version,
            supplier_id=shop.other,
            lines=[],
        )
    placed = place_order(
        demo.db.uow(), actor=SYSTEM, order_id=draft.id, expected_version=lines_only.version
    )
    assert placed.status == "ordered" and placed.ordered_on is not None
    with pytest.raises(InvalidTransition, match="only a draft can be changed"):
        update_draft(
            demo.db.uow(),
            actor=SYSTEM,
            order_id=draft.id,
            expected_version=placed.version,
            supplier_id=shop.other,
            lines=[],
        )
    with pytest.raises(InvalidTransition, match="already placed"):
        place_order(demo.db.uow(), actor=SYSTEM, order_id=draft.id)
    again = get_order(demo.db.uow(), actor=SYSTEM, order_id=draft.id)
    assert [line.quantity for line in again.lines] == [Decimal(6)]


def test_bad_drafts_are_refused_and_nothing_is_created(demo, shop) -> None:
    with demo.db.uow().transaction(SYSTEM) as session:
        retired = session.get(Product, shop.resin)
        assert retired is not None
        retired.active = False
    before = order_count(demo.db)
    line = OrderLineInput(shop.gloves, Decimal(1), Decimal("8.50"))
    cases = [
        ({"supplier_id": None}, "supplier", "choose the supplier"),
        ({"lines": [OrderLineInput(shop.gloves, Decimal(0), Decimal(1))]}, "lines",
         "more than zero"),
        ({"lines": [OrderLineInput(shop.gloves, Decimal("1.0005"), Decimal(1))]}, "lines",
         "at most 3 decimals"),
        ({"lines": [OrderLineInput(shop.gloves, Decimal(1), Decimal("1.00001"))]}, "lines",
         "at most 4 decimals"),
        ({"lines": [line, line]}, "lines", "already on the order"),
        ({"lines": [OrderLineInput(shop.resin, Decimal(1), Decimal(1))]}, "lines", "inactive"),
        ({"expected_on": clinic_today() - timedelta(days=1)}, "expected_on", "before today"),
        ({"notes": "x" * 2001}, "notes", "at most 2000"),
    ]  # fmt: skip
    for change, field, text in cases:
        values = {"supplier_id": shop.supplier, "lines": [line]} | change
        with pytest.raises(ValidationError, match=text) as refused:
            create_order(demo.db.uow(), actor=SYSTEM, **values)
        assert refused.value.field == field
    empty = create_order(demo.db.uow(), actor=SYSTEM, supplier_id=shop.supplier)
    assert order_count(demo.db) == before + 1
    with pytest.raises(ValidationError, match="at least one product"):
        place_order(demo.db.uow(), actor=SYSTEM, order_id=empty.id)
    with pytest.raises(InvalidTransition, match="still a draft"):
        receive(demo.db.uow(), actor=SYSTEM, order_id=empty.id, lines=[])


def test_reading_is_for_everyone_writing_needs_inventory_manage(demo, shop) -> None:
    reception = actor(demo, "recepcion")
    order = placed_order(demo.db, shop, [(shop.gloves, "2", "8.50")])
    assert get_order(demo.db.uow(), actor=reception, order_id=order.id).id == order.id
    before = order_count(demo.db)
    with pytest.raises(PermissionDenied):
        create_order(demo.db.uow(), actor=reception, supplier_id=shop.supplier)
    with pytest.raises(PermissionDenied):
        receive(
            demo.db.uow(),
            actor=reception,
            order_id=order.id,
            lines=[ReceiptLine(order.lines[0].id, Decimal(1))],
        )
    with pytest.raises(PermissionDenied):
        cancel_order(demo.db.uow(), actor=reception, order_id=order.id, reason="No hace falta")
    assert order_count(demo.db) == before
    assert stock_of(demo.db, shop.gloves) == Decimal(0)
    assert get_order(demo.db.uow(), actor=SYSTEM, order_id=order.id).status == "ordered"


def test_list_filters_by_status_supplier_and_text(demo, shop) -> None:
    put_stock(demo.db, shop.gloves, "10")
    placed = placed_order(demo.db, shop, [(shop.gloves, "2", "8.50")])
    draft = create_order(
        demo.db.uow(),
        actor=SYSTEM,
        supplier_id=shop.other,
        lines=[OrderLineInput(shop.resin, Decimal(1), Decimal(25))],
    )
    cancelled = cancel_order(
        demo.db.uow(),
        actor=SYSTEM,
        order_id=create_order(demo.db.uow(), actor=SYSTEM, supplier_id=shop.other).id,
        reason="Error",
    )

    def numbers(**filters: object) -> list[int]:
        return [o.number for o in list_orders(demo.db.uow(), actor=SYSTEM, **filters)]

    open_numbers = numbers(status="open")
    assert placed.number in open_numbers and draft.number in open_numbers
    assert cancelled.number not in open_numbers
    assert numbers(status="cancelled") == [cancelled.number]
    assert numbers(supplier_id=shop.other) == [cancelled.number, draft.number]
    assert numbers(text="resina de PRUEBA") == [draft.number]
    assert numbers(text=f"OC-{draft.number}") == [draft.number]
    assert numbers(text="proveedora test") == [placed.number]
    assert numbers(status="received", supplier_id=shop.supplier) == []
