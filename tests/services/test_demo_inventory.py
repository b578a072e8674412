"""The demo clinic's inventory: a stocked catalogue whose balance cache equals the ledger,
consumption that matches the completed visits' recipes, every badge state present, and
purchase orders in each status."""

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
        statuses = set(session.scalars(select(PurchaseOrder.status)))
        assert statuses == {"received", "partial", "ordered", "draft"}
        assert isinstance(today, date)
