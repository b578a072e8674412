"""The rate behind each tax code, effective-dated, as data: an invoice line copies the rate in
force on the invoice's date, so a law change is one new row here and never alters an issued
invoice. Ecuador's general rate was 12 % until 2024-03-31 and is 15 % since 2024-04-01 (the
SRI's codigoPorcentaje changes with it, 2 then 4); Spain's medical exemption carries the legal
text every exempt invoice must print. Rates are percentages with two places."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from clinic_desktop.errors import ValidationError
from clinic_desktop.i18n import N_, _

ES_ART20_NOTE = N_(
    "VAT-exempt operation under article 20.One.3 of Law 37/1992 on Value Added Tax "
    "(medical and health care)."
)


@dataclass(frozen=True)
class TaxRate:
    code: str
    percent: Decimal  # 15.00
    valid_from: date | None  # None: since always
    valid_to: date | None  # None: still in force (inclusive otherwise)
    # The SRI's codigoPorcentaje (Ecuador) or the AEAT's exemption cause (Spain).
    official: str = ""
    # Translatable source text printed on the invoice when a line carries this rate.
    legal_note: str = ""
    # Exempt or not subject: printed apart in the breakdown even at 0 %.
    exempt: bool = False

    def applies_on(self, day: date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day <= self.valid_to
        )


_RATES: tuple[TaxRate, ...] = (
    TaxRate("EC_IVA_0", Decimal("0.00"), None, None, "0"),
    TaxRate("EC_IVA_15", Decimal("12.00"), None, date(2024, 3, 31), "2"),
    TaxRate("EC_IVA_15", Decimal("15.00"), date(2024, 4, 1), None, "4"),
    TaxRate("EC_IVA_5", Decimal("5.00"), date(2024, 4, 1), None, "5"),
    TaxRate("EC_NO_OBJETO", Decimal("0.00"), None, None, "6", exempt=True),
    TaxRate("EC_EXENTO", Decimal("0.00"), None, None, "7", exempt=True),
    TaxRate("ES_EXENTO_ART20", Decimal("0.00"), None, None, "E1", ES_ART20_NOTE, exempt=True),
    TaxRate("ES_IVA_21", Decimal("21.00"), None, None),
    TaxRate("ES_IVA_10", Decimal("10.00"), None, None),
    TaxRate("ES_IVA_4", Decimal("4.00"), None, None),
)


def rate_for(code: str, on: date, *, field: str = "tax_code") -> TaxRate:
    """The rate of `code` in force on `on`; a code without one that day is the user's to fix
    (an old code on a new invoice), so it is a ValidationError naming the field."""
    for rate in _RATES:
        if rate.code == code and rate.applies_on(on):
            return rate
    raise ValidationError(
        _("Tax: the code {code} has no rate in force on {date}.").format(
            code=code or "—", date=on.isoformat()
        ),
        field=field,
    )


def rate_history(code: str) -> tuple[TaxRate, ...]:
    """Every rate the code has had, oldest first (for settings and tests)."""
    return tuple(
        sorted(
            (r for r in _RATES if r.code == code),
            key=lambda r: r.valid_from or date.min,
        )
    )
