"""The tax codes a product or treatment can carry, per country. Ecuador taxes human health
services at IVA 0 % and non-therapeutic aesthetic work at the general rate (15 % since
2024-04-01); Spain exempts medical and dental care under art. 20.Uno.3º LIVA and charges 21 %
on purely aesthetic treatments, 10 % or 4 % on some goods. The code is what the catalogue
stores; the effective-dated rates and the legal texts printed on invoices belong to invoicing,
which looks them up by this code."""

from __future__ import annotations

from dataclasses import dataclass

from clinic_desktop.i18n import N_


@dataclass(frozen=True)
class TaxCode:
    code: str
    label: str  # translatable source text (N_); show with _()
    # The SRI's codigoPorcentaje in Ecuador; the AEAT's exemption cause in Spain.
    official: str


_CODES: dict[str, tuple[TaxCode, ...]] = {
    "EC": (
        TaxCode("EC_IVA_0", N_("IVA 0 % (health services)"), "0"),
        TaxCode("EC_IVA_15", N_("IVA 15 % (general rate)"), "4"),
        TaxCode("EC_IVA_5", N_("IVA 5 %"), "5"),
        TaxCode("EC_NO_OBJETO", N_("Not subject to IVA"), "6"),
        TaxCode("EC_EXENTO", N_("Exempt from IVA"), "7"),
    ),
    "ES": (
        TaxCode("ES_EXENTO_ART20", N_("Exempt, medical care (art. 20.Uno.3º LIVA)"), "E1"),
        TaxCode("ES_IVA_21", N_("IVA 21 % (general rate)"), ""),
        TaxCode("ES_IVA_10", N_("IVA 10 % (reduced)"), ""),
        TaxCode("ES_IVA_4", N_("IVA 4 % (super-reduced)"), ""),
    ),
}

# What a new treatment or product gets unless the user picks another code: health care is the
# clinic's ordinary business, goods sold over the counter pay the general rate.
DEFAULT_SERVICE = {"EC": "EC_IVA_0", "ES": "ES_EXENTO_ART20"}
DEFAULT_GOODS = {"EC": "EC_IVA_15", "ES": "ES_IVA_21"}


def tax_codes(country: str) -> tuple[TaxCode, ...]:
    """The codes valid for a clinic in `country` ("EC" or "ES"), most common first."""
    return _CODES.get(country.upper(), ())


def find_tax_code(country: str, code: str) -> TaxCode | None:
    return next((c for c in tax_codes(country) if c.code == code), None)
