"""The live totals of a draft being typed, before it is saved: each line's amount, the
subtotal, the discount on the total, the breakdown by rate and the total, computed by the one
invoice computation (fiscal.invoice_math) with the rates in force on the given day, exactly as
saving the draft will compute them. The editor shows these while the user types; saving then
stores what the service computes, which is the same figure. A line the service would refuse
(no quantity, a negative price, a tax code of another country) counts as nothing here: the
refusal itself comes, naming the line, when the draft is saved. Pure code: no database."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from clinic_desktop.errors import ValidationError
from clinic_desktop.fiscal.invoice_math import LineInput, compute_totals
from clinic_desktop.fiscal.tax_codes import DEFAULT_GOODS, DEFAULT_SERVICE, find_tax_code
from clinic_desktop.fiscal.tax_rates import rate_for
from clinic_desktop.services.invoice_dto import LineForm, Source, TaxRowDTO, tax_rows
from clinic_desktop.services.invoice_lines import is_exempt

ZERO = Decimal("0.00")
HUNDRED = Decimal(100)


@dataclass(frozen=True)
class DraftTotalsDTO:
    """`nets[i]` is line i's amount (quantity x price - discount), None for a blank line or
    one that would be refused."""

    nets: tuple[Decimal | None, ...]
    subtotal: Decimal
    discount: Decimal
    taxes: tuple[TaxRowDTO, ...]
    tax: Decimal
    total: Decimal


def _usable(line: LineForm, country: str, on: date) -> tuple[LineInput, str] | None:
    if line.is_blank:
        return None
    default = DEFAULT_GOODS if line.source == Source.PRODUCT else DEFAULT_SERVICE
    code = (line.tax_code or default.get(country, "")).strip()
    if find_tax_code(country, code) is None:
        return None
    numbers = (line.quantity, line.unit_price, line.discount)
    if not all(value.is_finite() for value in numbers):
        return None
    if line.quantity <= 0 or line.unit_price < 0 or line.discount < 0:
        return None
    if line.discount > line.quantity * line.unit_price:
        return None
    try:
        rate = rate_for(code, on)
    except ValidationError:
        return None
    return LineInput(
        line.quantity, line.unit_price, line.discount, code, rate.percent, is_exempt(code)
    ), rate.official


def draft_totals(
    *, country: str, lines: Sequence[LineForm], discount_percent: Decimal, on: date
) -> DraftTotalsDTO:
    """The amounts saving `lines` with `discount_percent` on `on` would store."""
    usable = [_usable(line, country, on) for line in lines]
    inputs = [found[0] for found in usable if found is not None]
    percent = discount_percent if ZERO <= discount_percent <= HUNDRED else ZERO
    totals = compute_totals(inputs, percent)
    amounts = iter(totals.lines)
    nets = tuple(next(amounts).net if found is not None else None for found in usable)
    officials = {(f[0].tax_code, f[0].tax_percent): f[1] for f in usable if f is not None}
    taxes = tax_rows(totals.rates, officials, country)
    return DraftTotalsDTO(
        nets=nets,
        subtotal=totals.subtotal,
        discount=totals.discount,
        taxes=taxes,
        tax=totals.tax,
        total=totals.total,
    )
