"""Stock by hand: receipts into new lots (a past expiry asks first, purchase units convert,
the cost follows the latest receipt), adjustments that need a reason, write-offs and returns
that never go below zero, the alerts, and the consistency check: after a seeded random run
of 200 operations the cached stock equals both a Python and a SQL sum of the movements."""

from __future__ import annotations

import random
from datetime import timedelta
from decimal import Decimal

import pytest
from support.products_kit import (
    SYSTEM,
    actor,
    audit_actions,
    cached_stock,
    count_rows,
    make_product,
    python_stock,
    sql_stock,
)

from clinic_desktop.errors import (
    InvalidTransition,
    NeedsConfirmation,
    PermissionDenied,
    UserFacingError,
    ValidationError,
)
from clinic_desktop.models.stock import StockBalance, StockMovement
from clinic_desktop.services.products import get_product, get_product_detail, set_product_active
from clinic_desktop.services.products_query import stock_context
from clinic_desktop.services.settings import update_settings
from clinic_desktop.services.stock import (
    adjust_stock,
    check_stock_consistency,
    rebuild_stock_balances,
    receive_stock,
    return_to_supplier,
    stock_alerts,
    write_off,
)


def _today(demo):
    with demo.db.uow().transaction(SYSTEM) as session:
        return stock_context(session).today


def _stock(demo, product) -> Decimal:
    return get_product(demo.db.uow(), actor=SYSTEM, product_id=product.id).on_hand


def _lots(demo, product):
    return get_product_detail(demo.db.uow(), actor=SYSTEM, product_id=product.id).lots


def test_a_receipt_makes_a_lot_updates_the_cost_and_is_audited(demo) -> None:
    product = make_product(demo, units_per_purchase=Decimal(100), cost=Decimal("0.08"))
    done = receive_stock(
        demo.db.uow(),
        actor=actor(demo, "asistente"),
        product_id=product.id,
        quantity=Decimal(2),
        unit_cost=Decimal("9.50"),
        in_purchase_units=True,  # two boxes of 100 at $9.50 a box
        lot_number=" L-77 ",
        expiry_date=_today(demo) + timedelta(days=365),
    )
    assert done.on_hand == Decimal(200)
    [lot] = _lots(demo, product)
    assert (lot.lot_number, lot.on_hand, lot.unit_cost) == ("L-77", Decimal(200), Decimal("0.095"))
    assert get_product(demo.db.uow(), actor=SYSTEM, product_id=product.id).cost == Decimal("0.095")
    assert audit_actions(demo, "StockLot", lot.id) == ["create"]
    [movement_id] = done.movement_ids
    assert audit_actions(demo, "StockMovement", movement_id) == ["create"]


def test_a_past_expiry_asks_and_changes_nothing_until_confirmed(demo) -> None:
    product = make_product(demo)
    past = _today(demo) - timedelta(days=3)
    before = count_rows(demo, StockMovement)
    with pytest.raises(NeedsConfirmation) as caught:
        receive_stock(
            demo.db.uow(), actor=SYSTEM, product_id=product.id, quantity=5, expiry_date=past
        )
    assert caught.value.field == "expiry_date" and "anyway" in caught.value.question
    assert count_rows(demo, StockMovement) == before and _lots(demo, product) == ()
    receive_stock(
        demo.db.uow(),
        actor=SYSTEM,
        product_id=product.id,
        quantity=Decimal(5),
        expiry_date=past,
        confirmed_past_expiry=True,
    )
    [lot] = _lots(demo, product)
    assert lot.expired and lot.on_hand == Decimal(5)


@pytest.mark.parametrize(
    ("quantity", "message"),
    [
        (Decimal(0), "Quantity: it must be more than zero."),
        (Decimal(-3), "Quantity: it must be more than zero."),
        (Decimal("1.0005"), "Quantity: at most 3 decimals."),
        ("doce", "Quantity: write a number"),
    ],
)
def test_receipt_quantities_are_checked(demo, quantity, message) -> None:
    product = make_product(demo)
    with pytest.raises(ValidationError, match=message) as caught:
        receive_stock(demo.db.uow(), actor=SYSTEM, product_id=product.id, quantity=quantity)
    assert caught.value.field == "quantity"
    assert _lots(demo, product) == ()


def test_inactive_products_and_reception_cannot_move_stock(demo) -> None:
    product = make_product(demo)
    with pytest.raises(PermissionDenied):
        receive_stock(
            demo.db.uow(), actor=actor(demo, "recepcion"), product_id=product.id, quantity=1
        )
    set_product_active(demo.db.uow(), actor=SYSTEM, product_id=product.id, active=False)
    with pytest.raises(InvalidTransition, match="inactive"):
        receive_stock(demo.db.uow(), actor=SYSTEM, product_id=product.id, quantity=1)
    assert _stock(demo, product) == Decimal(0)


def test_an_adjustment_needs_a_reason_and_sets_the_counted_quantity(demo) -> None:
    product = make_product(demo)
    receive_stock(demo.db.uow(), actor=SYSTEM, product_id=product.id, quantity=Decimal(10))
    [lot] = _lots(demo, product)
    with pytest.raises(ValidationError, match=r"Reason: write why the stock changes\.") as caught:
        adjust_stock(
            demo.db.uow(),
            actor=SYSTEM,
            product_id=product.id,
            lot_id=lot.id,
            counted_quantity=Decimal(7),
            reason="   ",
        )
    assert caught.value.field == "reason" and _stock(demo, product) == Decimal(10)
    done = adjust_stock(
        demo.db.uow(),
        actor=SYSTEM,
        product_id=product.id,
        lot_id=lot.id,
        counted_quantity="7,5",
        reason="Recuento mensual",
    )
    assert done.on_hand == Decimal("7.5")
    latest = get_product_detail(demo.db.uow(), actor=SYSTEM, product_id=product.id).movements[0]
    assert (latest.kind, latest.quantity, latest.reason) == (
        "adjustment",
        Decimal("-2.5"),
        "Recuento mensual",
    )
    with pytest.raises(ValidationError, match="nothing to adjust"):
        adjust_stock(
            demo.db.uow(),
            actor=SYSTEM,
            product_id=product.id,
            lot_id=lot.id,
            counted_quantity=Decimal("7.5"),
            reason="Otra vez",
        )


def test_adjustments_without_a_lot(demo) -> None:
    product = make_product(demo)
    # Stock found with no lot on record: a new lot without number holds it.
    adjust_stock(
        demo.db.uow(), actor=SYSTEM, product_id=product.id, delta=Decimal(4), reason="Hallado"
    )
    # One lot: a count needs no lot.
    adjust_stock(
        demo.db.uow(),
        actor=SYSTEM,
        product_id=product.id,
        counted_quantity=Decimal(6),
        reason="Recuento",
    )
    assert _stock(demo, product) == Decimal(6)
    receive_stock(demo.db.uow(), actor=SYSTEM, product_id=product.id, quantity=Decimal(1))
    with pytest.raises(ValidationError, match="stock in 2 lots") as caught:
        adjust_stock(
            demo.db.uow(),
            actor=SYSTEM,
            product_id=product.id,
            counted_quantity=Decimal(3),
            reason="Recuento",
        )
    assert caught.value.field == "lot"
    adjust_stock(
        demo.db.uow(), actor=SYSTEM, product_id=product.id, delta=Decimal("-6.5"), reason="Roto"
    )
    assert _stock(demo, product) == Decimal("0.5")


def test_refusals_below_zero_change_nothing_even_when_negative_stock_is_allowed(demo) -> None:
    update_settings(demo.db.uow(), actor=SYSTEM, changes={"inventory.allow_negative": True})
    product = make_product(demo)
    receive_stock(
        demo.db.uow(), actor=SYSTEM, product_id=product.id, quantity=Decimal(3), lot_number="A"
    )
    [lot] = _lots(demo, product)
    movements = count_rows(demo, StockMovement)
    attempts = [
        lambda: write_off(
            demo.db.uow(), actor=SYSTEM, lot_id=lot.id, quantity=Decimal(4), reason="Roto"
        ),
        lambda: return_to_supplier(
            demo.db.uow(), actor=SYSTEM, lot_id=lot.id, quantity=Decimal(5), reason="Defecto"
        ),
        lambda: adjust_stock(
            demo.db.uow(),
            actor=SYSTEM,
            product_id=product.id,
            lot_id=lot.id,
            delta=Decimal(-4),
            reason="Recuento",
        ),
        lambda: adjust_stock(
            demo.db.uow(), actor=SYSTEM, product_id=product.id, delta=-4, reason="Recuento"
        ),
    ]
    for attempt in attempts:
        with pytest.raises(ValidationError, match="only 3") as caught:
            attempt()
        assert caught.value.field == "quantity"
    assert count_rows(demo, StockMovement) == movements
    assert _stock(demo, product) == Decimal(3)


def test_write_off_all_and_return_to_supplier(demo) -> None:
    today = _today(demo)
    product = make_product(demo)
    uow = demo.db.uow
    receive_stock(
        uow(),
        actor=SYSTEM,
        product_id=product.id,
        quantity=Decimal(4),
        lot_number="OLD",
        expiry_date=today - timedelta(days=2),
        confirmed_past_expiry=True,
    )
    receive_stock(uow(), actor=SYSTEM, product_id=product.id, quantity=10, lot_number="NEW")
    old, new = sorted(_lots(demo, product), key=lambda lot: lot.lot_number != "OLD")
    done = write_off(uow(), actor=actor(demo, "medico"), lot_id=old.id, reason="Caducado")
    assert done.on_hand == Decimal(10)
    with pytest.raises(ValidationError, match="no stock left"):
        write_off(uow(), actor=SYSTEM, lot_id=old.id, reason="Caducado")
    with pytest.raises(ValidationError, match="Reason"):
        return_to_supplier(uow(), actor=SYSTEM, lot_id=new.id, quantity=2, reason="")
    return_to_supplier(uow(), actor=SYSTEM, lot_id=new.id, quantity="2", reason="Envase roto")
    movements = get_product_detail(uow(), actor=SYSTEM, product_id=product.id).movements
    assert [(m.kind, m.quantity) for m in movements[:2]] == [
        ("return", Decimal(-2)),
        ("write_off", Decimal(-4)),
    ]
    assert _stock(demo, product) == Decimal(8)


def test_alerts_list_low_out_expiring_and_expired(demo) -> None:
    today = _today(demo)
    uow = demo.db.uow
    low = make_product(demo, "T-LOW", reorder_level=Decimal(10))
    out = make_product(demo, "T-OUT", reorder_level=Decimal(1))
    never = make_product(demo, "T-NEVER")  # never stocked, no reorder level: still out
    dated = make_product(demo, "T-DATED")
    receive_stock(uow(), actor=SYSTEM, product_id=low.id, quantity=Decimal(10))
    receive_stock(
        uow(), actor=SYSTEM, product_id=dated.id, quantity=5, expiry_date=today + timedelta(days=9)
    )
    receive_stock(
        uow(),
        actor=SYSTEM,
        product_id=dated.id,
        quantity=2,
        lot_number="X",
        expiry_date=today - timedelta(days=1),
        confirmed_past_expiry=True,
    )
    alerts = stock_alerts(uow(), actor=actor(demo, "recepcion"))
    ids = {p.id for p in alerts.low}
    assert low.id in ids and out.id not in ids  # nothing left is "out", not "low"
    out_ids = {p.id for p in alerts.out}
    assert {out.id, never.id} <= out_ids and low.id not in out_ids
    [soon] = [a for a in alerts.expiring if a.product_id == dated.id]
    [gone] = [a for a in alerts.expired if a.product_id == dated.id]
    assert (soon.days_left, soon.on_hand) == (9, Decimal(5))
    assert (gone.days_left, gone.lot_number, gone.on_hand) == (-1, "X", Decimal(2))
    assert alerts.warning_days == 60
    # A shorter window drops the lot expiring in 9 days.
    update_settings(uow(), actor=SYSTEM, changes={"inventory.expiry_warning_days": 5})
    alerts = stock_alerts(uow(), actor=SYSTEM)
    assert dated.id not in {a.product_id for a in alerts.expiring}


def test_stock_equals_the_ledger_after_200_random_operations(demo) -> None:
    rng = random.Random(20261124)
    today = _today(demo)
    products = [make_product(demo, f"RND-{i}") for i in range(6)]
    uow = demo.db.uow
    refused = 0
    for _step in range(200):
        product = rng.choice(products)
        lots = [lot for lot in _lots(demo, product) if lot.on_hand > 0]
        op = rng.choice(["receive", "receive", "adjust", "count", "write_off", "return", "fefo"])
        amount = Decimal(rng.randint(1, 4000)) / 1000
        try:
            if op == "receive" or not lots:
                expiry = today + timedelta(days=rng.randint(-5, 400))
                receive_stock(
                    uow(),
                    actor=SYSTEM,
                    product_id=product.id,
                    quantity=amount * 3,
                    expiry_date=rng.choice([None, expiry]),
                    confirmed_past_expiry=True,
                )
            elif op == "adjust":
                adjust_stock(
                    uow(),
                    actor=SYSTEM,
                    product_id=product.id,
                    lot_id=rng.choice(lots).id,
                    delta=amount * rng.choice([1, -1]),
                    reason="Aleatorio",
                )
            elif op == "count":
                lot = rng.choice(lots)
                adjust_stock(
                    uow(),
                    actor=SYSTEM,
                    product_id=product.id,
                    lot_id=lot.id,
                    counted_quantity=max(Decimal(0), lot.on_hand - amount),
                    reason="Recuento",
                )
            elif op == "write_off":
                write_off(uow(), actor=SYSTEM, lot_id=rng.choice(lots).id, reason="Caducado")
            elif op == "return":
                return_to_supplier(
                    uow(), actor=SYSTEM, lot_id=rng.choice(lots).id, quantity=amount, reason="Dev."
                )
            else:
                adjust_stock(
                    uow(), actor=SYSTEM, product_id=product.id, delta=-amount, reason="FEFO"
                )
        except UserFacingError:
            refused += 1  # more than the lot holds: refused, and nothing may have changed
    cached = cached_stock(demo)
    in_python = python_stock(demo)
    in_sql = sql_stock(demo)
    assert cached == in_python == in_sql
    assert all(cached[p.id] >= 0 for p in products)
    assert sum(1 for p in products if cached.get(p.id)) >= 4
    assert 0 < refused < 200
    report = check_stock_consistency(uow(), actor=actor(demo, "asistente"))
    assert report.ok and report.movements_checked == count_rows(demo, StockMovement)


def test_the_check_finds_a_tampered_cache_and_the_rebuild_trusts_the_ledger(demo) -> None:
    product = make_product(demo, "T-TAMPER")
    receive_stock(demo.db.uow(), actor=SYSTEM, product_id=product.id, quantity=Decimal(7))
    [lot] = _lots(demo, product)
    with demo.db.uow().transaction(SYSTEM) as session:
        row = session.get(StockBalance, lot.id)
        assert row is not None
        row.quantity = Decimal(9)
    with pytest.raises(PermissionDenied):
        check_stock_consistency(demo.db.uow(), actor=actor(demo, "recepcion"))
    report = check_stock_consistency(demo.db.uow(), actor=SYSTEM)
    [mismatch] = report.mismatches
    assert (mismatch.product_code, mismatch.ledger, mismatch.cached) == (
        "T-TAMPER",
        Decimal(7),
        Decimal(9),
    )
    after = rebuild_stock_balances(demo.db.uow(), actor=SYSTEM)
    assert after.ok and _stock(demo, product) == Decimal(7)
    assert audit_actions(demo, "StockBalance", "") == ["stock.balances_rebuilt"]
