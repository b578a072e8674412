"""Suggested purchase orders: products at or below their reorder level and products the booked
treatments will use up, grouped by preferred supplier ("No supplier" for the rest), with the
quantity in whole purchase units less what open orders (drafts too) already bring; and the
drafts created from them, all or none."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from support.agenda_data import next_monday, seed_agenda
from support.clinical_actors import actor
from support.purchasing_data import SYSTEM, make_shop, order_count, put_stock
from support.treatment_data import book, make_treatment

from clinic_desktop.errors import PermissionDenied, ValidationError
from clinic_desktop.services.appointment_treatments import add_planned_treatment
from clinic_desktop.services.purchasing import create_order, get_order
from clinic_desktop.services.purchasing_dto import NewOrderInput, OrderLineInput, SuggestionsDTO
from clinic_desktop.services.purchasing_suggestions import (
    create_orders_from_suggestions,
    suggest_orders,
)


@pytest.fixture
def shop(demo):
    return make_shop(demo.db)


def _mine(result: SuggestionsDTO, shop) -> dict[str, tuple[str, object]]:
    """Product code -> (group name, line) for the test's own products."""
    ours = {shop.gloves, shop.resin, shop.gauze}
    return {
        line.product_code: (group.supplier_name, line)
        for group in result.groups
        for line in group.lines
        if line.product_id in ours
    }


def test_low_products_are_suggested_per_supplier_in_whole_purchase_units(demo, shop) -> None:
    put_stock(demo.db, shop.gloves, "80")  # reorder level 200, boxes of 100
    put_stock(demo.db, shop.resin, "3")  # no reorder level, nothing booked: not suggested
    # Gauze: reorder level 10, none in stock, bought by the unit, no supplier.
    result = suggest_orders(demo.db.uow(), actor=actor(demo, "recepcion"))
    mine = _mine(result, shop)
    assert set(mine) == {"T-GUA", "T-GAS"}
    group, gloves = mine["T-GUA"]
    # 200 - 80 = 120 gloves missing: two boxes.
    assert (group, gloves.quantity, gloves.usable, gloves.below_reorder) == (
        "Proveedora Test S.A.",
        Decimal(2),
        Decimal(80),
        True,
    )
    assert gloves.unit_cost == Decimal("8.5000")  # $0.085 a glove, $8.50 a box
    assert gloves.line_total == Decimal("17.00")
    assert gloves.reason == "Low stock"
    group, gauze = mine["T-GAS"]
    assert (group, gauze.quantity) == ("No supplier", Decimal(10))
    # The products nobody supplies come last, where they wait for a choice.
    assert result.groups[-1].supplier_id is None
    assert result.forecast_days == 30 and result.currency == "USD"


def test_what_is_on_open_orders_is_subtracted(demo, shop) -> None:
    put_stock(demo.db, shop.gloves, "80")
    draft = create_order(
        demo.db.uow(),
        actor=SYSTEM,
        supplier_id=shop.supplier,
        lines=[OrderLineInput(shop.gloves, Decimal(1), Decimal("8.50"))],
    )
    # 120 missing, 100 coming on the draft: one more box.
    _group, gloves = _mine(suggest_orders(demo.db.uow(), actor=SYSTEM), shop)["T-GUA"]
    assert (gloves.on_order, gloves.quantity) == (Decimal(100), Decimal(1))
    create_order(
        demo.db.uow(),
        actor=SYSTEM,
        supplier_id=shop.other,
        lines=[OrderLineInput(shop.gloves, Decimal(1), Decimal("8.50"))],
    )
    assert "T-GUA" not in _mine(suggest_orders(demo.db.uow(), actor=SYSTEM), shop)
    assert get_order(demo.db.uow(), actor=SYSTEM, order_id=draft.id).status == "draft"


def test_booked_treatments_that_use_a_product_up_are_suggested(demo, shop) -> None:
    seed = seed_agenda(demo.db)
    monday = next_monday()
    put_stock(demo.db, shop.resin, "5")  # 5 g, syringes of 4 g, no reorder level
    filling = make_treatment(demo.db, "T-OBT", "Obturación de prueba", [(shop.resin, "2")])
    for day, hour in ((monday, 9), (monday, 10), (monday + timedelta(days=2), 9)):
        appointment = book(demo.db, seed, day, hour)
        add_planned_treatment(
            demo.db.uow(), actor=SYSTEM, appointment_id=appointment, treatment_id=filling
        )
    group, resin = _mine(suggest_orders(demo.db.uow(), actor=SYSTEM), shop)["T-RES"]
    # Three fillings need 6 g, 5 g in stock: 1 g short, one syringe.
    assert (group, resin.forecast_need, resin.usable) == (
        "Otra Casa Dental",
        Decimal(6),
        Decimal(5),
    )
    assert resin.runs_out_on == monday + timedelta(days=2)
    assert (resin.quantity, resin.below_reorder) == (Decimal(1), False)
    assert resin.reason.startswith("Runs out on ")


def test_drafts_are_created_per_supplier_all_or_none(demo, shop) -> None:
    put_stock(demo.db, shop.gloves, "80")
    result = suggest_orders(demo.db.uow(), actor=SYSTEM)
    mine = _mine(result, shop)
    gloves, gauze = mine["T-GUA"][1], mine["T-GAS"][1]
    to_supplier = NewOrderInput(
        shop.supplier, (OrderLineInput(gloves.product_id, gloves.quantity, gloves.unit_cost),)
    )
    nobody = NewOrderInput(None, (OrderLineInput(gauze.product_id, Decimal(12), gauze.unit_cost),))
    assistant = actor(demo, "asistente")
    before = order_count(demo.db)
    with pytest.raises(ValidationError) as refused:
        create_orders_from_suggestions(demo.db.uow(), actor=assistant, orders=[to_supplier, nobody])
    assert refused.value.field == "supplier"
    assert order_count(demo.db) == before  # the first draft was not kept either
    with pytest.raises(PermissionDenied):
        create_orders_from_suggestions(
            demo.db.uow(), actor=actor(demo, "recepcion"), orders=[to_supplier]
        )
    with pytest.raises(ValidationError, match="tick at least one"):
        create_orders_from_suggestions(demo.db.uow(), actor=assistant, orders=[])

    chosen = NewOrderInput(shop.other, nobody.lines)
    created = create_orders_from_suggestions(
        demo.db.uow(), actor=assistant, orders=[to_supplier, chosen]
    )
    assert [(o.supplier_name, o.status) for o in created] == [
        ("Proveedora Test S.A.", "draft"),
        ("Otra Casa Dental", "draft"),
    ]
    assert created[1].number == created[0].number + 1
    assert [(line.product_code, line.quantity) for line in created[1].lines] == [
        ("T-GAS", Decimal(12))
    ]
    assert order_count(demo.db) == before + 2
    # Now on order: nothing more to suggest for them.
    assert _mine(suggest_orders(demo.db.uow(), actor=SYSTEM), shop) == {}
