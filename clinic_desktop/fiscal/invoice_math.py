"""The one computation of an invoice's amounts, used by the invoice service, the PDF, the
reports and the SRI/Verifactu records so they can never disagree. Each line's net is
quantity x unit price - line discount, rounded half up to the cent. A discount on the total is
a percentage of the lines' net, rounded once, and allocated over the lines in proportion to
their net (largest remainder, so the shares add up exactly). Tax is computed per rate on the
sum of that rate's bases and rounded half up to the cent: the SRI's totalConImpuestos and the
Spanish breakdown by rate both work this way. Hence: sum of line nets - discount = sum of
bases, and sum of bases + sum of taxes = total, to the cent."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
HUNDRED = Decimal(100)


def cents(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class LineInput:
    quantity: Decimal
    unit_price: Decimal
    discount: Decimal  # money off this line
    tax_code: str
    tax_percent: Decimal
    exempt: bool = False  # exempt / not subject (0 % but its own breakdown row)


@dataclass(frozen=True)
class LineAmounts:
    net: Decimal  # quantity x unit price - discount
    global_discount: Decimal  # this line's share of the discount on the total
    base: Decimal  # net - global_discount


@dataclass(frozen=True)
class RateTotal:
    tax_code: str
    tax_percent: Decimal
    exempt: bool
    base: Decimal
    tax: Decimal


@dataclass(frozen=True)
class InvoiceTotals:
    lines: tuple[LineAmounts, ...]
    subtotal: Decimal  # sum of line nets
    discount: Decimal  # the discount on the total
    rates: tuple[RateTotal, ...]  # ordered by percent, then code
    tax: Decimal
    total: Decimal


def line_net(quantity: Decimal, unit_price: Decimal, discount: Decimal) -> Decimal:
    return cents(quantity * unit_price - discount)


def allocate(amount: Decimal, weights: Sequence[Decimal]) -> list[Decimal]:
    """Splits `amount` (in cents) over `weights` in proportion, by largest remainder: the
    parts are cents and add up to `amount` exactly."""
    total = sum(weights, ZERO)
    if total <= 0 or amount == 0:
        return [ZERO for _ in weights]
    units = int((amount / CENT).to_integral_value())
    raw = [Decimal(units) * w / total for w in weights]
    parts = [int(r) for r in raw]
    left = units - sum(parts)
    order = sorted(range(len(raw)), key=lambda i: (raw[i] - parts[i], -i), reverse=True)
    for i in order[:left]:
        parts[i] += 1
    return [Decimal(p) * CENT for p in parts]


def compute_totals(lines: Sequence[LineInput], discount_percent: Decimal = ZERO) -> InvoiceTotals:
    nets = [line_net(li.quantity, li.unit_price, li.discount) for li in lines]
    subtotal = sum(nets, ZERO)
    discount = cents(subtotal * discount_percent / HUNDRED) if subtotal > 0 else ZERO
    shares = allocate(discount, nets)
    amounts = tuple(
        LineAmounts(net, share, net - share) for net, share in zip(nets, shares, strict=True)
    )
    grouped: dict[tuple[str, Decimal, bool], Decimal] = {}
    for line, amount in zip(lines, amounts, strict=True):
        key = (line.tax_code, line.tax_percent, line.exempt)
        grouped[key] = grouped.get(key, ZERO) + amount.base
    rates = tuple(
        RateTotal(code, percent, exempt, base, cents(base * percent / HUNDRED))
        for (code, percent, exempt), base in sorted(
            grouped.items(), key=lambda item: (item[0][1], item[0][0])
        )
    )
    tax = sum((r.tax for r in rates), ZERO)
    return InvoiceTotals(amounts, subtotal, discount, rates, tax, subtotal - discount + tax)
