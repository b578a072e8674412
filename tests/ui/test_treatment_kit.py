"""Unit costs in the treatments' screens are written as every other amount of money (the
clinic's currency in the UI language's habits), keeping up to four decimals where they
matter: a euro cost in Spanish reads "0,085 €", as the totals beside it do."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

import pytest

from clinic_desktop import i18n
from clinic_desktop.formatting import money
from clinic_desktop.ui.inventory.treatment_kit import unit_cost


@pytest.fixture
def language() -> Iterator[None]:
    previous = i18n.current_language()
    yield
    i18n.set_language(previous)


@pytest.mark.parametrize(
    ("language_code", "currency", "amount", "text"),
    [
        ("es", "USD", "0.0850", "$0,085"),
        ("es", "USD", "1234.5", "$1.234,50"),
        ("es", "EUR", "0.0850", "0,085\u00a0€"),
        ("es", "EUR", "8.5", "8,50\u00a0€"),
        ("en", "USD", "0.12345", "$0.1234"),
        ("en", "EUR", "3", "€3.00"),
    ],
)
def test_unit_costs_keep_four_places_in_the_currencys_usual_form(
    language, language_code: str, currency: str, amount: str, text: str
) -> None:
    i18n.set_language(language_code)
    assert unit_cost(Decimal(amount), currency) == text
    # The same form as the line totals next to it, only with the extra places.
    assert unit_cost(Decimal("8.5"), currency) == money(Decimal("8.5"), currency)
