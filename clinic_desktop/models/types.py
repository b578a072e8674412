"""Column types shared by the models. `Scaled` keeps a Decimal as an exact integer count of
its smallest unit (cents for money, thousandths for quantities): SQLite has no decimal type
and SQLAlchemy's Numeric goes through float there, so a SUM over two million stock movements
or a year of invoice lines would drift. Integers add up exactly in SQL, and the type turns
them back into Decimals with the right number of places."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import BigInteger, TypeDecorator
from sqlalchemy.engine import Dialect


class Scaled(TypeDecorator[Decimal]):
    """A Decimal with a fixed number of places stored as an integer. A value with more places
    than the column keeps is refused rather than rounded: the services decide the rounding."""

    impl = BigInteger
    cache_ok = True

    def __init__(self, places: int) -> None:
        super().__init__()
        self.places = places
        self.factor = Decimal(10) ** places
        self.quantum = Decimal(1).scaleb(-places)

    def process_bind_param(self, value: Any, dialect: Dialect) -> int | None:
        if value is None:
            return None
        number = Decimal(value) * self.factor
        if number != number.to_integral_value():
            raise ValueError(f"{value} has more than {self.places} decimal places")
        return int(number)

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:
        if value is None:
            return None
        # scaleb shifts the exponent exactly: 1250 -> 1.250, as divide-then-quantize gave,
        # at a third of the cost (a list reads tens of thousands of these).
        return Decimal(int(value)).scaleb(-self.places)

    def from_raw(self, raw: int | None) -> Decimal:
        """The Decimal for a raw integer read by a hand-written query (e.g. a SUM)."""
        return Decimal(int(raw or 0)).scaleb(-self.places)


# Stock quantities in the product's unit of use (3 places: ml, g, units).
QUANTITY = Scaled(3)
# Money shown to people: prices and totals, in cents.
MONEY = Scaled(2)
# Unit costs need more places: a glove from a box of 100 at $8.50 costs $0.085.
UNIT_COST = Scaled(4)
