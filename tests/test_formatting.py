"""Money as people read it: the clinic currency's usual two decimals by default, and with
`places` up to that many where more matter (unit costs), never fewer than the usual two, in
the habits of the UI language (Ecuadorian dollars, Spanish euros)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from clinic_desktop.formatting import money
from clinic_desktop.i18n import set_language


def test_money_rounds_to_the_currency_digits_by_default() -> None:
    assert money(Decimal("0.0850"), "USD") == "$0.08"
    assert money(Decimal("1234.5"), "EUR") == "€1,234.50"


@pytest.mark.parametrize(
    ("amount", "currency", "text"),
    [
        (Decimal("0.0850"), "USD", "$0.085"),  # the trailing zero is dropped
        (Decimal("0.085"), "EUR", "€0.085"),
        (Decimal("8.5000"), "USD", "$8.50"),  # never fewer than the usual two
        (Decimal("8"), "USD", "$8.00"),
        (Decimal("1234.5678"), "USD", "$1,234.5678"),
        (Decimal("0.0001"), "EUR", "€0.0001"),
        (Decimal("-3.125"), "USD", "-$3.125"),
    ],
)
def test_places_keeps_up_to_that_many_decimals(amount: Decimal, currency: str, text: str) -> None:
    assert money(amount, currency, places=4) == text


def test_places_rounds_what_goes_past_it_and_can_drop_the_cents() -> None:
    assert money(Decimal("0.12346"), "USD", places=4) == "$0.1235"
    assert money(Decimal("8.499"), "USD", places=2) == money(Decimal("8.499"), "USD") == "$8.50"
    assert money(Decimal("1234.4"), "USD", places=0) == "$1,234"


def test_places_follows_the_language_and_the_currency_region() -> None:
    set_language("es")
    assert money(Decimal("0.0850"), "USD", places=4) == "$0,085"
    assert money(Decimal("1234.5678"), "USD", places=4) == "$1.234,5678"
    assert money(Decimal("8.5"), "EUR", places=4) == "8,50\xa0€"
    assert money(Decimal("1234.5"), "EUR") == "1.234,50\xa0€"


@pytest.mark.parametrize(
    ("language", "amount", "currency", "text"),
    [
        ("es", Decimal("-0.38"), "USD", "-$0,38"),  # CLDR's es_EC would print "$-0,38"
        ("es", Decimal("-1234.5"), "USD", "-$1.234,50"),
        ("es", Decimal("-1234.5"), "EUR", "-1.234,50\xa0€"),
        ("en", Decimal("-0.38"), "USD", "-$0.38"),
        ("es", Decimal("-0.004"), "USD", "$0,00"),  # rounds to zero: no sign
    ],
)
def test_a_negative_amount_starts_with_its_sign(
    language: str, amount: Decimal, currency: str, text: str
) -> None:
    set_language(language)
    assert money(amount, currency) == text
