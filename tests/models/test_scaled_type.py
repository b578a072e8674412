"""The Scaled column type: Decimals stored as exact integers in SQLCipher, read back with their
places, refused (not rounded) when they carry more places than the column keeps, and summed
exactly in SQL through the raw integers."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import StatementError

from clinic_desktop.actor import Actor
from clinic_desktop.models.inventory import Product
from clinic_desktop.models.types import MONEY, QUANTITY, UNIT_COST, Scaled
from clinic_desktop.services import stock_ledger

SYSTEM = Actor.system("test")


def test_values_round_trip_as_integers_with_their_places(demo) -> None:
    with demo.db.uow().transaction(SYSTEM) as session:
        session.add(
            Product(
                code="SCALE-1",
                name="Probe",
                units_per_purchase=Decimal("2.5"),
                cost=Decimal("0.085"),
                sale_price=Decimal("12.3"),
                reorder_level=Decimal("0.001"),
            )
        )
    with demo.db.uow().transaction(SYSTEM) as session:
        stored = session.execute(
            text(
                "SELECT units_per_purchase, cost, sale_price, reorder_level FROM products "
                "WHERE code = 'SCALE-1'"
            )
        ).one()
        # What SQLite holds: integers of thousandths, ten-thousandths and cents.
        assert tuple(stored) == (2500, 850, 1230, 1)
        product = session.scalars(select(Product).where(Product.code == "SCALE-1")).one()
        assert product.units_per_purchase == Decimal("2.500")
        assert str(product.units_per_purchase) == "2.500"
        assert str(product.cost) == "0.0850"
        assert str(product.sale_price) == "12.30"
        assert str(product.reorder_level) == "0.001"


def test_more_places_than_the_column_keeps_is_refused_and_nothing_is_saved(demo) -> None:
    with (
        pytest.raises(StatementError, match="more than 2 decimal places"),
        demo.db.uow().transaction(SYSTEM) as session,
    ):
        session.add(Product(code="SCALE-2", name="Probe", sale_price=Decimal("1.005")))
        session.flush()
    with demo.db.uow().transaction(SYSTEM) as session:
        assert session.scalar(select(Product).where(Product.code == "SCALE-2")) is None


def test_sql_sum_over_raw_integers_is_exact(demo) -> None:
    values = [Decimal("0.1")] * 1000 + [Decimal("0.001")] * 7
    with demo.db.uow().transaction(SYSTEM) as session:
        for i, value in enumerate(values):
            session.add(Product(code=f"SUM-{i}", name="Sum probe", reorder_level=value))
        session.flush()
        total = session.scalar(
            select(func.sum(stock_ledger.raw(Product.reorder_level))).where(
                Product.code.like("SUM-%")
            )
        )
        assert QUANTITY.from_raw(total) == Decimal("100.007")
        assert QUANTITY.from_raw(None) == Decimal("0.000")


@pytest.mark.parametrize(
    ("column", "value", "stored"),
    [(QUANTITY, "-1.5", -1500), (MONEY, "19.99", 1999), (UNIT_COST, "0.0001", 1)],
)
def test_bind_and_result_processing(column: Scaled, value: str, stored: int) -> None:
    assert column.process_bind_param(Decimal(value), None) == stored  # type: ignore[arg-type]
    back = column.process_result_value(stored, None)  # type: ignore[arg-type]
    assert back == Decimal(value) and back is not None
    assert -back.as_tuple().exponent == column.places  # type: ignore[operator]
    assert column.process_bind_param(None, None) is None  # type: ignore[arg-type]
