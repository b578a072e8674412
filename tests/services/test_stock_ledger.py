"""The stock ledger core: FEFO across lots, expired lots skipped, refusal below zero unless
allowed, reversals, and the balance cache equal to the ledger."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from clinic_desktop.actor import Actor
from clinic_desktop.errors import ValidationError
from clinic_desktop.models.inventory import Product
from clinic_desktop.models.stock import LedgerEntryChanged, MovementKind, StockMovement
from clinic_desktop.services import stock_ledger as ledger
from clinic_desktop.services.settings import update_settings

ACTOR = Actor.system("test")
TODAY = date(2026, 11, 24)


def _product(session, code="GUA-1") -> Product:
    product = Product(code=code, name="Guantes de nitrilo", unit="unidad", cost=Decimal("0.085"))
    session.add(product)
    session.flush()
    return product


def _lot(session, product, qty, expiry, number):
    lot = ledger.new_lot(
        session,
        product=product,
        lot_number=number,
        expiry_date=expiry,
        received_on=TODAY - timedelta(days=30),
        unit_cost=Decimal("0.085"),
    )
    ledger.put(session, lot=lot, quantity=Decimal(qty), origin=ledger.Origin(MovementKind.RECEIPT))
    return lot


def test_fefo_takes_the_lot_expiring_first_and_skips_expired(demo) -> None:
    with demo.db.uow().transaction(ACTOR) as session:
        product = _product(session)
        late = _lot(session, product, "10", TODAY + timedelta(days=300), "LATE")
        soon = _lot(session, product, "4", TODAY + timedelta(days=20), "SOON")
        expired = _lot(session, product, "50", TODAY - timedelta(days=1), "OLD")
        none = _lot(session, product, "5", None, "NOEXP")
        taken = ledger.take_fefo(
            session,
            product=product,
            quantity=Decimal("6.5"),
            origin=ledger.Origin(MovementKind.CONSUMPTION),
            today=TODAY,
        )
        assert [(m.lot_id, m.quantity) for m in taken.movements] == [
            (soon.id, Decimal("-4.000")),
            (late.id, Decimal("-2.500")),
        ]
        stock = ledger.stock_by_product(session)[product.id]
        # 10 + 4 + 50 + 5 - 6.5: the expired lot still counts until written off.
        assert stock == Decimal("62.500")
        assert expired.id and none.id
        assert ledger.check_balances(session) == []


def test_refuses_more_than_usable_stock_unless_allowed(demo) -> None:
    with demo.db.uow().transaction(ACTOR) as session:
        product = _product(session, "GAS-1")
        _lot(session, product, "3", None, "")
    with (
        pytest.raises(ValidationError, match="only 3"),
        demo.db.uow().transaction(ACTOR) as session,
    ):
        product = session.scalars(select(Product).where(Product.code == "GAS-1")).one()
        ledger.take_fefo(
            session,
            product=product,
            quantity=Decimal(5),
            origin=ledger.Origin(MovementKind.CONSUMPTION),
            today=TODAY,
        )
    update_settings(demo.db.uow(), actor=ACTOR, changes={"inventory.allow_negative": True})
    with demo.db.uow().transaction(ACTOR) as session:
        product = session.scalars(select(Product).where(Product.code == "GAS-1")).one()
        assert ledger.stock_by_product(session)[product.id] == Decimal(3)
        taken = ledger.take_fefo(
            session,
            product=product,
            quantity=Decimal(5),
            origin=ledger.Origin(MovementKind.CONSUMPTION),
            today=TODAY,
        )
        assert taken.shortfall == Decimal(2)
        assert ledger.stock_by_product(session)[product.id] == Decimal(-2)


def test_reversal_restores_stock_and_movements_never_change(demo) -> None:
    with demo.db.uow().transaction(ACTOR) as session:
        product = _product(session, "ANE-1")
        _lot(session, product, "10", None, "A1")
        taken = ledger.take_fefo(
            session,
            product=product,
            quantity=Decimal(4),
            origin=ledger.Origin(MovementKind.CONSUMPTION),
            today=TODAY,
        )
        ledger.reverse(session, movement=taken.movements[0], reason="undo")
        assert ledger.stock_by_product(session)[product.id] == Decimal(10)
        with pytest.raises(ValidationError):
            ledger.reverse(session, movement=taken.movements[0], reason="twice")
        movement_id = taken.movements[0].id
    with pytest.raises(LedgerEntryChanged), demo.db.uow().transaction(ACTOR) as session:
        movement = session.get(StockMovement, movement_id)
        assert movement is not None
        movement.quantity = Decimal(-1)
        session.flush()


def test_check_finds_a_tampered_cache_and_rebuild_fixes_it(demo) -> None:
    from clinic_desktop.models.stock import StockBalance

    with demo.db.uow().transaction(ACTOR) as session:
        product = _product(session, "JER-1")
        lot = _lot(session, product, "7", None, "")
        session.flush()
        row = session.get(StockBalance, lot.id)
        assert row is not None
        row.quantity = Decimal(9)
        session.flush()
        [mismatch] = ledger.check_balances(session)
        assert (mismatch.ledger, mismatch.cached) == (Decimal(7), Decimal(9))
        assert ledger.rebuild_balances(session) == 1
        assert ledger.check_balances(session) == []
