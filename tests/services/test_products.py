"""Products: validated create and edit (unique code, barcode unique among active products,
numbers with their sign and places, the country's tax codes), optimistic concurrency,
deactivation that asks while stock remains, the list with stock badges and filters in a
constant number of queries, and the detail with lots and paged movements."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import event
from support.products_kit import SYSTEM, actor, audit_actions, make_product

from clinic_desktop.errors import (
    ConcurrentEditError,
    NeedsConfirmation,
    PermissionDenied,
    ValidationError,
)
from clinic_desktop.models.inventory import Product
from clinic_desktop.services.inventory_dto import ProductForm, StockBadge
from clinic_desktop.services.products import (
    create_product,
    get_product,
    get_product_detail,
    list_categories,
    list_products,
    set_product_active,
    update_product,
)
from clinic_desktop.services.products_query import stock_context
from clinic_desktop.services.stock import adjust_stock, receive_stock

FORM = ProductForm(
    code="T-RES",
    name="Resina de prueba A2",
    unit="g",
    category="Pruebas",
    purchase_unit="Jeringa 4 g",
    units_per_purchase=Decimal(4),
    cost=Decimal("6.2500"),
    sale_price=Decimal(0),
    reorder_level=Decimal(8),
    location="Gabinete Z",
    barcode="7790001112223",
)


def _today(demo):
    with demo.db.uow().transaction(SYSTEM) as session:
        return stock_context(session).today


def test_create_then_list_shows_the_product_with_no_stock_and_an_audit_entry(demo) -> None:
    owner = actor(demo, "duena")
    created = create_product(demo.db.uow(), actor=owner, form=FORM)
    assert created.code == "T-RES" and created.tax_code == "EC_IVA_15"  # goods by default
    assert (created.on_hand, created.badge) == (Decimal(0), StockBadge.OUT)
    listed = list_products(demo.db.uow(), actor=actor(demo, "recepcion"), text="resina prueba")
    assert [p.id for p in listed] == [created.id]
    for text in ("RESINA a2", "prueba t-res", "gabinete z", "7790001112223"):
        assert [p.id for p in list_products(demo.db.uow(), actor=SYSTEM, text=text)] == [
            created.id
        ], text
    assert not list_products(demo.db.uow(), actor=SYSTEM, text="resina azul")
    assert listed[0].cost == Decimal("6.2500") and listed[0].units_per_purchase == Decimal(4)
    assert audit_actions(demo, "Product", created.id) == ["create"]
    assert "Pruebas" in list_categories(demo.db.uow(), actor=owner)


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"code": " "}, "code", "Code: it is required."),
        ({"name": ""}, "name", "Name: it is required."),
        ({"unit": ""}, "unit", "Unit of use: it is required"),
        ({"units_per_purchase": Decimal(0)}, "units_per_purchase", "more than zero"),
        ({"cost": Decimal("-1")}, "cost", "Cost: it cannot be negative."),
        ({"cost": Decimal("0.00001")}, "cost", "Cost: at most 4 decimals."),
        ({"sale_price": Decimal("1.005")}, "sale_price", "Sale price: at most 2 decimals."),
        ({"reorder_level": Decimal("-2")}, "reorder_level", "Reorder level: it cannot be"),
        ({"reorder_level": Decimal("0.0005")}, "reorder_level", "at most 3 decimals"),
        ({"tax_code": "ES_IVA_21"}, "tax_code", "ES_IVA_21 is not a tax code"),
        ({"code": "x" * 41}, "code", "Code: at most 40 characters."),
    ],
)
def test_bad_fields_are_refused_by_name_and_nothing_is_saved(demo, change, field, message):
    with pytest.raises(ValidationError, match=message) as caught:
        create_product(demo.db.uow(), actor=SYSTEM, form=replace(FORM, **change))
    assert caught.value.field == field
    assert not list_products(demo.db.uow(), actor=SYSTEM, text="Resina de prueba")


def test_codes_are_unique_and_barcodes_unique_among_active_products(demo) -> None:
    first = create_product(demo.db.uow(), actor=SYSTEM, form=FORM)
    with pytest.raises(ValidationError, match="another product already uses t-res") as caught:
        create_product(demo.db.uow(), actor=SYSTEM, form=replace(FORM, code="t-res"))
    assert caught.value.field == "code"
    with pytest.raises(ValidationError, match="product T-RES already has it") as caught:
        create_product(demo.db.uow(), actor=SYSTEM, form=replace(FORM, code="T-RES-2"))
    assert caught.value.field == "barcode"
    # Once the first is inactive its barcode may go to the product that replaces it...
    set_product_active(demo.db.uow(), actor=SYSTEM, product_id=first.id, active=False)
    second = create_product(demo.db.uow(), actor=SYSTEM, form=replace(FORM, code="T-RES-2"))
    assert second.barcode == FORM.barcode
    # ...and then the first cannot come back with the same barcode.
    with pytest.raises(ValidationError, match="product T-RES-2 already has it"):
        set_product_active(demo.db.uow(), actor=SYSTEM, product_id=first.id, active=True)
    assert not get_product(demo.db.uow(), actor=SYSTEM, product_id=first.id).active


def test_typed_numbers_with_decimal_comma_are_accepted(demo) -> None:
    form = ProductForm(code="T-ALC", name="Alcohol", unit="ml", cost="0,0021", sale_price="1.234,5")
    created = create_product(demo.db.uow(), actor=SYSTEM, form=form)
    assert (created.cost, created.sale_price) == (Decimal("0.0021"), Decimal("1234.50"))
    with pytest.raises(ValidationError, match="Cost: write a number"):
        create_product(demo.db.uow(), actor=SYSTEM, form=replace(form, code="T-ALC2", cost="abc"))


def test_edits_check_the_version_and_record_what_changed(demo) -> None:
    created = create_product(demo.db.uow(), actor=SYSTEM, form=FORM)
    edited = update_product(
        demo.db.uow(),
        actor=actor(demo, "asistente"),
        product_id=created.id,
        expected_version=created.version,
        form=replace(FORM, name="Resina A2 (jeringa)", reorder_level=Decimal(10)),
    )
    assert edited.name == "Resina A2 (jeringa)" and edited.reorder_level == Decimal(10)
    with pytest.raises(ConcurrentEditError):
        update_product(
            demo.db.uow(),
            actor=SYSTEM,
            product_id=created.id,
            expected_version=created.version,
            form=replace(FORM, name="Stale"),
        )
    assert get_product(demo.db.uow(), actor=SYSTEM, product_id=created.id).name == (
        "Resina A2 (jeringa)"
    )
    assert audit_actions(demo, "Product", created.id) == ["create", "update"]


def test_only_inventory_managers_edit_but_everyone_reads(demo) -> None:
    reception = actor(demo, "recepcion")
    with pytest.raises(PermissionDenied):
        create_product(demo.db.uow(), actor=reception, form=FORM)
    assert not list_products(demo.db.uow(), actor=SYSTEM, text="T-RES")
    created = create_product(demo.db.uow(), actor=actor(demo, "medico"), form=FORM)
    with pytest.raises(PermissionDenied):
        set_product_active(demo.db.uow(), actor=reception, product_id=created.id, active=False)
    assert get_product(demo.db.uow(), actor=reception, product_id=created.id).active


def test_deactivating_a_product_with_stock_asks_first(demo) -> None:
    created = create_product(demo.db.uow(), actor=SYSTEM, form=FORM)
    receive_stock(demo.db.uow(), actor=SYSTEM, product_id=created.id, quantity=Decimal(5))
    with pytest.raises(NeedsConfirmation, match="still has 5 g") as caught:
        set_product_active(demo.db.uow(), actor=SYSTEM, product_id=created.id, active=False)
    assert "anyway" in caught.value.question
    assert get_product(demo.db.uow(), actor=SYSTEM, product_id=created.id).active
    set_product_active(
        demo.db.uow(), actor=SYSTEM, product_id=created.id, active=False, confirmed=True
    )
    assert not list_products(demo.db.uow(), actor=SYSTEM, text="T-RES")
    hidden = list_products(demo.db.uow(), actor=SYSTEM, text="T-RES", include_inactive=True)
    assert [(p.id, p.active, p.on_hand) for p in hidden] == [(created.id, False, Decimal(5))]


def test_badges_follow_their_precedence_and_filters_use_the_conditions(demo) -> None:
    today = _today(demo)
    ok = make_product(demo, "T-OK", reorder_level=Decimal(5))
    low = make_product(demo, "T-LOW", reorder_level=Decimal(10))
    soon = make_product(demo, "T-SOON", reorder_level=Decimal(1))
    old = make_product(demo, "T-OLD", reorder_level=Decimal(10))
    out = make_product(demo, "T-OUT")
    uow = demo.db.uow

    def receive(product, qty, expiry=None):
        receive_stock(
            uow(),
            actor=SYSTEM,
            product_id=product.id,
            quantity=Decimal(qty),
            expiry_date=expiry,
            confirmed_past_expiry=True,
        )

    receive(ok, 50, today + timedelta(days=400))
    receive(low, 10)
    receive(soon, 20, today + timedelta(days=10))
    receive(old, 4, today - timedelta(days=1))
    receive(old, 3, today + timedelta(days=30))
    receive(out, 2)
    adjust_stock(uow(), actor=SYSTEM, product_id=out.id, delta=Decimal(-2), reason="Roto")
    listed = {p.code: p for p in list_products(uow(), actor=SYSTEM, text="T-")}
    assert {code: p.badge for code, p in listed.items()} == {
        "T-OK": StockBadge.OK,
        "T-LOW": StockBadge.LOW,  # at the reorder level counts as low
        "T-SOON": StockBadge.EXPIRING,
        "T-OLD": StockBadge.EXPIRED,  # also low and expiring: expired wins
        "T-OUT": StockBadge.OUT,
    }
    assert (listed["T-OLD"].on_hand, listed["T-OLD"].usable) == (Decimal(7), Decimal(3))
    assert listed["T-OLD"].next_expiry == today - timedelta(days=1)

    def codes(badge):
        return {p.code for p in list_products(uow(), actor=SYSTEM, text="T-", badge=badge)}

    assert codes("low") == {"T-LOW", "T-OLD"}  # T-OUT has nothing: it is "out", not "low"
    assert codes(StockBadge.EXPIRING) == {"T-SOON", "T-OLD"}
    assert codes("expired") == {"T-OLD"}
    assert codes("out") == {"T-OUT"}
    assert codes("ok") == {"T-OK"}


def test_the_list_costs_the_same_queries_for_5_or_60_products(demo) -> None:
    def statements_for_list() -> int:
        seen: list[str] = []

        def count(*_args: object) -> None:
            seen.append("q")

        event.listen(demo.db.engine, "before_cursor_execute", count)
        try:
            list_products(demo.db.uow(), actor=SYSTEM, text="BULK")
        finally:
            event.remove(demo.db.engine, "before_cursor_execute", count)
        return len(seen)

    def add(start: int, stop: int) -> None:
        with demo.db.uow().transaction(SYSTEM) as session:
            for i in range(start, stop):
                session.add(Product(code=f"BULK-{i}", name=f"Bulk {i}", reorder_level=1))
        for i in range(start, stop, 7):
            with demo.db.uow().transaction(SYSTEM) as session:
                pid = session.query(Product.id).filter(Product.code == f"BULK-{i}").scalar()
            receive_stock(demo.db.uow(), actor=SYSTEM, product_id=pid, quantity=Decimal(3))

    add(0, 5)
    few = statements_for_list()
    add(5, 60)
    many = statements_for_list()
    assert len(list_products(demo.db.uow(), actor=SYSTEM, text="BULK")) == 60
    assert many == few


def test_detail_lists_lots_in_fefo_order_and_pages_movements_newest_first(demo) -> None:
    today = _today(demo)
    product = make_product(demo, "T-DET")
    assistant = actor(demo, "asistente")
    for days, qty in ((200, 5), (20, 4), (0, 3)):
        receive_stock(
            demo.db.uow(),
            actor=assistant,
            product_id=product.id,
            quantity=Decimal(qty),
            lot_number=f"L{days}",
            expiry_date=today + timedelta(days=days) if days else None,
        )
    detail = get_product_detail(
        demo.db.uow(), actor=actor(demo, "recepcion"), product_id=product.id, movements_limit=2
    )
    assert [lot.lot_number for lot in detail.lots] == ["L20", "L200", "L0"]
    assert detail.lots[0].expiring and not detail.lots[1].expiring
    assert detail.product.on_hand == Decimal(12)
    assert detail.movements_total == 3
    assert [m.lot_number for m in detail.movements] == ["L0", "L20"]
    first = detail.movements[0]
    assert (first.kind, first.quantity, first.source) == ("receipt", Decimal(3), "manual")
    assert first.user_name and first.kind_label == "Receipt"
    page2 = get_product_detail(
        demo.db.uow(),
        actor=SYSTEM,
        product_id=product.id,
        movements_limit=2,
        movements_offset=2,
    )
    assert [m.lot_number for m in page2.movements] == ["L200"]


def test_search_ignores_accents_and_case(demo) -> None:
    make_product(demo, "T-ACI", name="Ácido grabador 37 %")
    found = list_products(demo.db.uow(), actor=SYSTEM, text="ACIDO 37")
    assert [p.code for p in found] == ["T-ACI"]
    assert found[0].matches_text("ácido GRAB")


def test_a_movement_from_a_purchase_order_names_the_order(demo) -> None:
    from clinic_desktop.models.inventory import Supplier
    from clinic_desktop.models.purchasing import PurchaseOrder, PurchaseOrderLine
    from clinic_desktop.models.stock import MovementKind, MovementSource
    from clinic_desktop.services import stock_ledger

    product = make_product(demo, "T-PO")
    today = _today(demo)
    with demo.db.uow().transaction(SYSTEM) as session:
        supplier = Supplier(name="Proveedor OC")
        session.add(supplier)
        session.flush()
        order = PurchaseOrder(number=4242, supplier_id=supplier.id, status="partial")
        session.add(order)
        session.flush()
        line = PurchaseOrderLine(order_id=order.id, product_id=product.id, quantity=Decimal(1))
        session.add(line)
        session.flush()
        row = session.get(Product, product.id)
        lot = stock_ledger.new_lot(session, product=row, received_on=today, unit_cost=Decimal(1))
        stock_ledger.put(
            session,
            lot=lot,
            quantity=Decimal(5),
            origin=stock_ledger.Origin(MovementKind.RECEIPT, MovementSource.PURCHASE_LINE, line.id),
        )
    [movement] = get_product_detail(demo.db.uow(), actor=SYSTEM, product_id=product.id).movements
    assert movement.source_label == "Purchase order OC-004242"
