"""Numbers and money as people read them in the UI language, through babel: "1.234,56 $"
style grouping in Spanish, "$1,234.56" in English. Money is formatted in the clinic's currency
(USD in Ecuador, EUR in Spain) with its two decimals, or with up to `places` where more matter
(a unit cost of $0.085); stock quantities drop trailing zeros ("2", "1,5") because nobody
counts thousandths of a glove. Used by the UI and by reports."""

from __future__ import annotations

from copy import copy
from decimal import Decimal

from babel import Locale
from babel.numbers import format_currency, format_decimal, get_currency_precision

from clinic_desktop.i18n import current_language

# The region whose habits a currency's users share: in Spanish, dollars are written "$1.234,50"
# as in Ecuador rather than "1.234,50 US$".
_REGION = {"USD": {"es": "es_EC", "en": "en_US"}, "EUR": {"es": "es_ES", "en": "en_IE"}}


def money(amount: Decimal, currency: str, *, places: int | None = None) -> str:
    """`amount` in `currency` with the currency's usual decimals (two for dollars and euros),
    or, given `places`, with up to that many: the usual ones always, the further ones only
    where the amount has them. With places=4 a glove costs "$0.085" and a box "$8.50" (a unit
    cost rounded to cents would not multiply to its line total); digits past `places` are
    rounded as babel rounds. A negative amount always starts with its minus sign ("-$0,38"):
    CLDR's Ecuadorian pattern puts it after the symbol ("$-0,38"), where a reader of a refund
    or a credit note easily misses it; an amount that rounds to zero has no sign."""
    language = current_language()
    locale = _REGION.get(currency, {}).get(language, language)
    shown = get_currency_precision(currency) if places is None else places
    if amount < 0 and round(amount, shown) != 0:
        return "-" + money(-amount, currency, places=places)
    amount = abs(amount) if amount < 0 else amount
    if places is None:
        return format_currency(amount, currency, locale=locale)
    pattern = copy(Locale.parse(locale).currency_formats["standard"])
    pattern.frac_prec = (min(get_currency_precision(currency), places), places)
    return format_currency(amount, currency, format=pattern, locale=locale, currency_digits=False)


def quantity(value: Decimal) -> str:
    return format_decimal(value, format="#,##0.###", locale=current_language())


def percent(value: Decimal) -> str:
    """`value` is a fraction: 0.125 -> "12,5 %"."""
    return format_decimal(value * 100, format="#,##0.#", locale=current_language()) + " %"
