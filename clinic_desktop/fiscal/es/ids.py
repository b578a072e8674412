"""Spanish tax identity numbers (NIF): the DNI of Spaniards, the NIE of foreign residents, the
CIF of companies and other entities, and the K/L/M NIFs of people who have neither a DNI nor a
NIE. Check letters and digits come from python-stdnum; this module picks the kind from the first
character and turns each failure into a translated message that names the field and the rule."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from stdnum.es import cif, dni, nie, nif
from stdnum.exceptions import InvalidChecksum
from stdnum.exceptions import ValidationError as StdnumError

from clinic_desktop.errors import ValidationError
from clinic_desktop.i18n import _

_CIF_LETTERS = "ABCDEFGHJNPQRSUVW"


class EsIdKind(StrEnum):
    DNI = "dni"
    NIE = "nie"
    CIF = "cif"
    # K (Spaniards under 14), L (Spaniards abroad), M (foreigners without a NIE).
    NIF_KLM = "nif_klm"


@dataclass(frozen=True)
class EsId:
    """A number that passed every rule; Spanish numbers have no overridable warnings."""

    normalized: str
    kind: EsIdKind
    warnings: tuple[str, ...] = ()


def compact(value: str) -> str:
    """Uppercases and drops spaces, dashes and an `ES` VAT prefix (`es 54362315-k`)."""
    return nif.compact(value)


def validate_es_id(
    value: str, *, label: str, field: str, kinds: frozenset[EsIdKind] | None = None
) -> EsId:
    """Validates a DNI, NIE, CIF or K/L/M NIF (only `kinds`, when given), naming `label`.

    Raises ValidationError(field=field) when the number is malformed or its check fails."""
    number = compact(value)
    if not number:
        raise ValidationError(_("{field} is required.").format(field=label), field=field)
    kind = _kind_of(number, label=label, field=field)
    if kinds is not None and kind not in kinds:
        raise ValidationError(
            _(
                "{field}: enter a DNI, a NIE or a CIF; a NIF starting with K, L or M is "
                "not accepted here."
            ).format(field=label),
            field=field,
        )
    validator = {
        EsIdKind.DNI: dni.validate,
        EsIdKind.NIE: nie.validate,
        EsIdKind.CIF: cif.validate,
        EsIdKind.NIF_KLM: nif.validate,
    }[kind]
    try:
        validator(number)
    except InvalidChecksum:
        raise ValidationError(_checksum_message(kind, label=label), field=field) from None
    except StdnumError:
        raise ValidationError(_format_message(kind, number, label=label), field=field) from None
    return EsId(number, kind)


def _kind_of(number: str, *, label: str, field: str) -> EsIdKind:
    first = number[0]
    if first.isdigit():
        return EsIdKind.DNI
    if first in "XYZ":
        return EsIdKind.NIE
    if first in "KLM":
        return EsIdKind.NIF_KLM
    if first in _CIF_LETTERS:
        return EsIdKind.CIF
    raise ValidationError(
        _(
            "{field}: a Spanish NIF starts with a digit (DNI), with X, Y or Z (NIE) or with "
            "a company letter (CIF); '{letter}' is not used."
        ).format(field=label, letter=first),
        field=field,
    )


def _checksum_message(kind: EsIdKind, *, label: str) -> str:
    # The expected letter is deliberately not shown: the usual mistake is a mistyped digit,
    # and "fixing" the letter to match would save a wrong number that looks valid.
    if kind is EsIdKind.DNI:
        text = _("{field}: the DNI letter does not match its 8 digits. Check the whole number.")
    elif kind is EsIdKind.NIE:
        text = _("{field}: the NIE letter does not match its digits. Check the whole number.")
    elif kind is EsIdKind.CIF:
        text = _(
            "{field}: the last character of the CIF (its control digit or letter) does not "
            "match the others. Check the whole number."
        )
    else:
        text = _("{field}: the NIF letter does not match its digits. Check the whole number.")
    return text.format(field=label)


def _format_message(kind: EsIdKind, number: str, *, label: str) -> str:
    if kind is EsIdKind.DNI:
        # A DNI below 10 000 000 loses its leading zero in spreadsheets (01234567L -> 1234567L).
        if len(number) == 8 and number[:7].isdigit() and number[7].isalpha():
            return _(
                "{field}: a DNI has 8 digits and a letter; this one has 7 digits. A leading "
                "zero may be missing (spreadsheets drop it)."
            ).format(field=label)
        text = _("{field}: a DNI has 8 digits followed by a letter (e.g. 12345678Z).")
    elif kind is EsIdKind.NIE:
        text = _("{field}: a NIE has X, Y or Z, 7 digits and a letter (e.g. X1234567L).")
    elif kind is EsIdKind.CIF:
        text = _(
            "{field}: a CIF has a letter, 7 digits and a control digit or letter (e.g. B12345674)."
        )
    else:
        text = _("{field}: a NIF starting with K, L or M has 7 digits and a letter.")
    return text.format(field=label)
