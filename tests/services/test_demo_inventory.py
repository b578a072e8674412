"""The demo clinic's inventory: a stocked catalogue whose balance cache equals the ledger,
consumption that matches the completed visits' recipes, every badge state present, and
purchase orders in each status, the one closed short with its reason and its rest never
received."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import func, select

from clinic_desktop.actor import Actor
from clinic_desktop.models.appointment import Appointment, AppointmentStatus
from clinic_desktop.models.inventory import Product
from clinic_desktop.models.purchasing import PurchaseOrder
from clinic_desktop.models.schedule import AppointmentType
from clinic_desktop.models.stock import MovementKind, StockLot, StockMovement
from clinic_desktop.models.treatment import AppointmentTreatment, RecipeItem, StockUsage
from clinic_desktop.services import stock_ledger
from clinic_desktop.services.clinical_history import clinic_today
from clinic_desktop.services.purchasing import list_orders
from clinic_desktop.services.purchasing_close import closed_short_heading

ACTOR = Actor.system("test")


def test_the_cache_equals_the_ledger_and_nothing_is_below_zero(demo_stocked) -> None:
    with demo_stocked.db.uow().transaction(ACTOR) as session:
        assert stock_ledger.check_balances(session) == []
        stock = stock_ledger.stock_by_product(session)
        codes = {pid: code for pid, code in session.execute(select(Product.id, Product.code))}
        assert len(stock) == len(codes)
        assert min(stock.values()) == Decimal(0)
        # Summed in Python from the movements themselves, not through the cache.
        ledger: Counter[str] = Counter()
        for product_id, quantity in session.execute(
            select(StockMovement.product_id, StockMovement.quantity)
        ):
            ledger[codes[product_id]] += quantity
        assert {codes[p]: q for p, q in stock.items()} == dict(ledger)


def test_completed_visits_consumed_their_recipes(demo_stocked) -> None:
    with demo_stocked.db.uow().transaction(ACTOR) as session:
        completed = session.scalar(
            select(func.count())
            .select_from(Appointment)
            .join(AppointmentType, AppointmentType.id == Appointment.type_id)
            .where(Appointment.status == AppointmentStatus.COMPLETED.value)
        )
        visited = session.scalar(
            select(func.count(func.distinct(AppointmentTreatment.appointment_id)))
        )
        assert completed and visited == completed
        usages = session.execute(
            select(
                StockUsage.id,
                StockUsage.recipe_quantity,
                StockUsage.actual_quantity,
                RecipeItem.quantity,
            )
            .join(
                AppointmentTreatment,
                AppointmentTreatment.id == StockUsage.appointment_treatment_id,
            )
            .join(
                RecipeItem,
                (RecipeItem.treatment_id == AppointmentTreatment.treatment_id)
                & (RecipeItem.product_id == StockUsage.product_id),
            )
        ).all()
        assert usages and all(recipe == item for _id, recipe, _a, item in usages)
        differs = [u for u in usages if u.recipe_quantity != u.actual_quantity]
        assert 0 < len(differs) < len(usages) / 4
        consumed = dict(
            session.execute(
                select(StockMovement.source_id, StockMovement.quantity).where(
                    StockMovement.kind == MovementKind.CONSUMPTION.value
                )
            ).all()
        )
        for usage_id, _recipe, actual, _item in usages:
            assert consumed.get(usage_id, Decimal(0)) == -actual


def test_every_shelf_state_and_order_status_is_present(demo_stocked) -> None:
    with demo_stocked.db.uow().transaction(ACTOR) as session:
        today = clinic_today(session)
        stock = stock_ledger.stock_by_product(session)
        products = {p.code: p for p in session.scalars(select(Product))}
        assert stock[products["ARC-NIT"].id] == 0
        low = products["GUA-NIT-S"]
        assert 0 < stock[low.id] < low.reorder_level
        lots = list(session.scalars(select(StockLot)))
        expiring = {
            lot.product_id
            for lot in lots
            if lot.expiry_date and today <= lot.expiry_date <= today + timedelta(days=60)
        }
        expired = {lot.product_id for lot in lots if lot.expiry_date and lot.expiry_date < today}
        assert products["ANE-LID"].id in expiring
        assert products["PAR-500"].id in expired
        orders = list(session.scalars(select(PurchaseOrder).order_by(PurchaseOrder.number)))
        assert [o.status for o in orders] == ["received", "closed", "partial", "ordered", "draft"]
        # Numbered in the order they were placed; the draft was never placed.
        placed = [o.ordered_on for o in orders if o.ordered_on is not None]
        assert placed == sorted(placed) and len(placed) == 4
        assert isinstance(today, date)


def test_the_demo_has_an_order_closed_short_with_its_reason(demo_stocked) -> None:
    db = demo_stocked.db
    [closed] = list_orders(db.uow(), actor=ACTOR, status="closed")
    assert closed.status_label == "Closed short" and closed.number == 2
    lines = {line.product_code: line for line in closed.lines}
    assert lines["LIM-K25"].received_quantity == lines["LIM-K25"].quantity == 4
    assert lines["SEL-END"].received_quantity == 0 and lines["SEL-END"].outstanding == 3
    assert closed.received_fraction == Decimal("0.5714")  # 4 of the 7 boxes
    # Dated by the same heading the service writes, a week after the delivery that came.
    assert closed.expected_on is not None
    heading = closed_short_heading(closed.expected_on + timedelta(days=7))
    assert closed.notes == f"{heading}: El proveedor descontinuó el producto"
    assert not (closed.can_receive or closed.can_cancel or closed.can_close_short)
    with db.uow().transaction(ACTOR) as session:
        # What arrived is in stock, from a lot its line brought.
        line_id = lines["LIM-K25"].id
        [quantity] = session.scalars(
            select(StockMovement.quantity).where(StockMovement.source_id == line_id)
        )
        assert quantity == 4 * 6  # blisters of 6 files
    # The rest is no longer expected: the order has left the open ones.
    assert closed.id not in {o.id for o in list_orders(db.uow(), actor=ACTOR, status="open")}
