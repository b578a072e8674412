"""Numbers and money as people read them in the UI language, through babel: "1.234,56 $"
style grouping in Spanish, "$1,234.56" in English. Money is formatted in the clinic's currency
(USD in Ecuador, EUR in Spain) with its two decimals; stock quantities drop trailing zeros
("2", "1,5") because nobody counts thousandths of a glove. Used by the UI and by reports."""

from __future__ import annotations

from decimal import Decimal

from babel.numbers import format_currency, format_decimal

from clinic_desktop.i18n import current_language

# The region whose habits a currency's users share: in Spanish, dollars are written "$1.234,50"
# as in Ecuador rather than "1.234,50 US$".
_REGION = {"USD": {"es": "es_EC", "en": "en_US"}, "EUR": {"es": "es_ES", "en": "en_IE"}}


def money(amount: Decimal, currency: str) -> str:
    language = current_language()
    locale = _REGION.get(currency, {}).get(language, language)
    return format_currency(amount, currency, locale=locale)


def quantity(value: Decimal) -> str:
    return format_decimal(value, format="#,##0.###", locale=current_language())


def percent(value: Decimal) -> str:
    """`value` is a fraction: 0.125 -> "12,5 %"."""
    return format_decimal(value * 100, format="#,##0.#", locale=current_language()) + " %"
