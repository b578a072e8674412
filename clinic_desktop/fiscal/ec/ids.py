"""Ecuadorian identity numbers: the cédula (10 digits) of a person, the RUC (13 digits) of a
taxpayer and the consumidor final placeholder used on invoices. Check digits come from
python-stdnum; this module adds the SRI's practical rules on top of it: which failures block a
save (length, province, establishment, a natural person's check digit) and which are only
warnings the user may override (unusual cédula third digit, company and public-body RUCs that
fail módulo 11, as active SRI taxpayers do)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from stdnum import luhn
from stdnum.ec import ci, ruc

from clinic_desktop.errors import ValidationError
from clinic_desktop.i18n import _

FINAL_CONSUMER = "9999999999999"
# stdnum also accepts 50; the SRI's list of provinces stops at 24 plus 30 (foreigners abroad).
_PROVINCES = frozenset({f"{n:02d}" for n in range(1, 25)} | {"30"})


class EcIdKind(StrEnum):
    CEDULA = "cedula"
    RUC = "ruc"
    FINAL_CONSUMER = "consumidor_final"


@dataclass(frozen=True)
class EcId:
    """A number that passed the blocking rules; `warnings` are translated and overridable."""

    normalized: str
    kind: EcIdKind
    warnings: tuple[str, ...] = ()


def compact(value: str) -> str:
    """Drops the spaces and dashes people type or paste (`171430710-3`)."""
    return ci.compact(value)


def validate_ec_id(
    value: str,
    *,
    label: str,
    field: str,
    allow_final_consumer: bool = False,
    ruc_only: bool = False,
) -> EcId:
    """Validates a cédula or a RUC (only a RUC with `ruc_only`), naming `label` in messages.

    Raises ValidationError(field=field) for a number that cannot be right."""
    number = compact(value)
    if not number:
        raise ValidationError(_("{field} is required.").format(field=label), field=field)
    # Checked first: 9999999999999 would otherwise fail as a RUC of province 99.
    if number == FINAL_CONSUMER:
        if allow_final_consumer and not ruc_only:
            return EcId(number, EcIdKind.FINAL_CONSUMER)
        raise ValidationError(
            _(
                "{field}: 9999999999999 (final consumer) is only accepted as an invoice buyer."
            ).format(field=label),
            field=field,
        )
    if not number.isdigit() or not number.isascii():
        raise ValidationError(
            _("{field}: an Ecuadorian cédula or RUC contains only digits.").format(field=label),
            field=field,
        )
    if len(number) in (9, 12):
        raise ValidationError(_missing_zero_message(number, label=label), field=field)
    if len(number) == 13:
        return _validate_ruc(number, label=label, field=field)
    if ruc_only:
        raise ValidationError(
            _(
                "{field}: an Ecuadorian RUC has 13 digits (a person's RUC is the cédula "
                "followed by 001); this number has {count}."
            ).format(field=label, count=len(number)),
            field=field,
        )
    if len(number) == 10:
        return _validate_cedula(number, label=label, field=field)
    raise ValidationError(
        _(
            "{field}: an Ecuadorian cédula has 10 digits and a RUC 13; this number has {count}."
        ).format(field=label, count=len(number)),
        field=field,
    )


def _missing_zero_message(number: str, *, label: str) -> str:
    # Spreadsheets turn 0912345678 into 912345678: say so, and suggest the padded number
    # only when it would pass, so the hint never leads the user to a wrong number.
    padded = "0" + number
    valid = ci.is_valid(padded) if len(padded) == 10 else ruc.is_valid(padded)
    if valid:
        return _(
            "{field}: this number has {count} digits. A leading zero may be missing "
            "(spreadsheets drop it): check whether it is {padded}."
        ).format(field=label, count=len(number), padded=padded)
    return _(
        "{field}: this number has {count} digits; a cédula has 10 and a RUC 13. "
        "A leading zero may be missing (spreadsheets drop it)."
    ).format(field=label, count=len(number))


def _check_province(number: str, *, label: str, field: str) -> None:
    if number[:2] not in _PROVINCES:
        raise ValidationError(
            _(
                "{field}: the first two digits ({province}) are not an Ecuadorian province "
                "code (01 to 24, or 30)."
            ).format(field=label, province=number[:2]),
            field=field,
        )


def _validate_cedula(number: str, *, label: str, field: str) -> EcId:
    _check_province(number, label=label, field=field)
    # The cédula's módulo 10 is exactly Luhn over 10 digits; stdnum's ci.validate cannot be
    # used here because it rejects third digits above 6, which we only warn about.
    if luhn.checksum(number) != 0:
        raise ValidationError(
            _(
                "{field}: the last digit of the cédula does not match the others "
                "(módulo 10 check). Check the number for a typing mistake."
            ).format(field=label),
            field=field,
        )
    warnings: tuple[str, ...] = ()
    if number[2] >= "6":
        warnings = (
            _(
                "{field}: a cédula whose third digit is {digit} is unusual (Ecuadorians' "
                "cédulas have 0 to 5; 6 is used for foreign residents). Check the number."
            ).format(field=label, digit=number[2]),
        )
    return EcId(number, EcIdKind.CEDULA, warnings)


def _validate_ruc(number: str, *, label: str, field: str) -> EcId:
    _check_province(number, label=label, field=field)
    if number[-3:] == "000":
        raise ValidationError(
            _(
                "{field}: a RUC ends with its establishment number, which cannot be 000 "
                "(the main establishment is 001)."
            ).format(field=label),
            field=field,
        )
    third = number[2]
    if third <= "5":
        if not ci.is_valid(number[:10]):
            raise ValidationError(
                _(
                    "{field}: a person's RUC is their cédula followed by the establishment "
                    "number, and these first 10 digits are not a valid cédula (módulo 10 check)."
                ).format(field=label),
                field=field,
            )
        return EcId(number, EcIdKind.RUC)
    if third not in ("6", "9"):
        raise ValidationError(
            _(
                "{field}: the third digit of an Ecuadorian RUC is 0 to 5 (person), 6 (public "
                "body) or 9 (company); {digit} is not used."
            ).format(field=label, digit=third),
            field=field,
        )
    # Structure is already checked, so the only thing stdnum can still reject is the check
    # digit, and the SRI has issued RUCs that fail it to active companies: warn, never block.
    if ruc.is_valid(number):
        return EcId(number, EcIdKind.RUC)
    warning = _(
        "{field}: the RUC's check digit does not match (módulo 11). The SRI has issued such "
        "numbers to active companies and public bodies, so it may still be right: confirm it "
        "on the SRI website before saving."
    ).format(field=label)
    return EcId(number, EcIdKind.RUC, (warning,))
