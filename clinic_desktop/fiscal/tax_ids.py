"""One entry point for tax identity numbers in every supported country: services call
`validate_tax_id` for patients and invoice buyers and `validate_clinic_tax_id` for the clinic's
own fiscal ID, and get back the normalized number, its kind and any translated warnings the user
may override; a number that cannot be right raises ValidationError naming the field and rule.
The country rules themselves live in `fiscal.ec.ids` and `fiscal.es.ids`."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from clinic_desktop.fiscal.ec.ids import validate_ec_id
from clinic_desktop.fiscal.es.ids import EsIdKind, validate_es_id
from clinic_desktop.i18n import N_, _

# Labels for the field names services use; a caller with another field passes `label`.
_FIELD_LABELS: dict[str, str] = {
    "tax_id": N_("Tax ID"),
    "buyer_tax_id": N_("Buyer's tax ID"),
    "clinic_tax_id": N_("Clinic tax ID"),
}
_CLINIC_ES_KINDS = frozenset({EsIdKind.DNI, EsIdKind.NIE, EsIdKind.CIF})


class Country(StrEnum):
    EC = "EC"
    ES = "ES"


@dataclass(frozen=True)
class TaxIdCheck:
    """A tax ID that may be saved: `kind` is cedula, ruc, consumidor_final, dni, nie, cif or
    nif_klm; `warnings` are translated and shown for the user to confirm or correct."""

    normalized: str
    kind: str
    warnings: tuple[str, ...] = ()


def validate_tax_id(
    country: Country | str,
    value: str,
    *,
    field: str = "tax_id",
    allow_final_consumer: bool = False,
    label: str | None = None,
) -> TaxIdCheck:
    """Validates a person's or company's tax ID under `country`'s rules.

    `allow_final_consumer` admits Ecuador's 9999999999999 (invoice buyers only). `label` is the
    already translated field name for messages; by default it is derived from `field`."""
    shown = _label(field, label)
    match _country(country):
        case Country.EC:
            ec = validate_ec_id(
                value, label=shown, field=field, allow_final_consumer=allow_final_consumer
            )
            return TaxIdCheck(ec.normalized, ec.kind.value, ec.warnings)
        case Country.ES:
            es = validate_es_id(value, label=shown, field=field)
            return TaxIdCheck(es.normalized, es.kind.value, es.warnings)


def validate_clinic_tax_id(
    country: Country | str, value: str, *, field: str = "tax_id", label: str | None = None
) -> TaxIdCheck:
    """Validates the clinic's own fiscal ID: a RUC in Ecuador, a DNI, NIE or CIF in Spain."""
    shown = _label(field, label)
    match _country(country):
        case Country.EC:
            ec = validate_ec_id(value, label=shown, field=field, ruc_only=True)
            return TaxIdCheck(ec.normalized, ec.kind.value, ec.warnings)
        case Country.ES:
            es = validate_es_id(value, label=shown, field=field, kinds=_CLINIC_ES_KINDS)
            return TaxIdCheck(es.normalized, es.kind.value, es.warnings)


def _country(country: Country | str) -> Country:
    # The country comes from the clinic's settings, not from user typing: an unknown one is a
    # bug or a corrupt setting, so it is a plain ValueError rather than a user-facing message.
    try:
        return Country(country.upper())
    except ValueError:
        raise ValueError(f"unsupported country for tax IDs: {country!r}") from None


def _label(field: str, label: str | None) -> str:
    if label is not None:
        return label
    return _(_FIELD_LABELS.get(field, _FIELD_LABELS["tax_id"]))
