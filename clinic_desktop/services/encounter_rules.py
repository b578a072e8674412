"""The checks a clinical note passes before it is stored or signed, kept apart from the
transactions so each rule reads on its own: vital signs parsed as typed (comma or dot) and
held to their possible range (refused) and plausible range (confirmed), text length limits
per field, who writes a new note and who may touch a draft, and what signing needs (a chief
complaint or an assessment, no unanswered template prompt left)."""

from __future__ import annotations

import uuid
from decimal import Decimal, InvalidOperation

from clinic_desktop.actor import Actor
from clinic_desktop.errors import InvalidTransition, PermissionDenied, ValidationError
from clinic_desktop.i18n import _
from clinic_desktop.models.encounter import SOAP_FIELDS, VITALS, Encounter
from clinic_desktop.services.encounter_dto import (
    ADDENDUM_LIMIT,
    REASON_LIMIT,
    TEXT_LIMITS,
    VITAL_LABELS,
    VitalInput,
    number_text,
    soap_label,
    unanswered_prompts,
)


class ImplausibleVitals(ValidationError):
    """Some vital signs are possible but unusual: nothing was saved; save again with
    `confirm_implausible=True` once the user confirmed. `problems` has one translated line
    per vital sign."""

    def __init__(self, message: str, *, problems: tuple[str, ...], field: str) -> None:
        super().__init__(message, field=field)
        self.problems = problems


def _vital_label(key: str) -> str:
    return _(VITAL_LABELS[key])


def parse_vital(key: str, value: VitalInput) -> Decimal | None:
    """A typed value as a Decimal, refused when it is not a number, has more decimals than
    the sign is measured in, or lies outside what can be measured at all."""
    spec = VITALS[key]
    label = _vital_label(key)
    if value is None:
        return None
    if isinstance(value, Decimal):
        number = value
    else:
        text = value.strip().replace(",", ".")
        if not text:
            return None
        try:
            number = Decimal(text)
        except InvalidOperation:
            number = Decimal("NaN")
    if not number.is_finite():
        raise ValidationError(
            _("{vital}: type a number in {unit}.").format(vital=label, unit=spec.unit), field=key
        )
    exponent = number.normalize().as_tuple().exponent
    if isinstance(exponent, int) and -exponent > spec.decimals:
        message = (
            _("{vital}: whole numbers only.").format(vital=label)
            if spec.decimals == 0
            else _("{vital}: at most one decimal.").format(vital=label)
        )
        raise ValidationError(message, field=key)
    if not spec.low <= number <= spec.high:
        raise ValidationError(
            _("{vital}: must be between {low} and {high} {unit}.").format(
                vital=label,
                low=number_text(spec.low),
                high=number_text(spec.high),
                unit=spec.unit,
            ),
            field=key,
        )
    return number


def implausible_problems(values: dict[str, Decimal | None]) -> list[tuple[str, str]]:
    """(vital, translated line) for each value outside its usual range, and for a
    diastolic pressure not below the systolic one."""
    problems: list[tuple[str, str]] = []
    for key, value in values.items():
        spec = VITALS[key]
        if value is None or spec.plausible_low <= value <= spec.plausible_high:
            continue
        problems.append(
            (
                key,
                _(
                    "{vital} {value} {unit} is outside the usual range ({low}–{high} {unit})."
                ).format(
                    vital=_vital_label(key),
                    value=number_text(value),
                    unit=spec.unit,
                    low=number_text(spec.plausible_low),
                    high=number_text(spec.plausible_high),
                ),
            )
        )
    systolic, diastolic = values.get("systolic_bp"), values.get("diastolic_bp")
    if systolic is not None and diastolic is not None and diastolic >= systolic:
        problems.append(
            (
                "diastolic_bp",
                _(
                    "Blood pressure {systolic}/{diastolic}: the diastolic is not below the "
                    "systolic."
                ).format(systolic=number_text(systolic), diastolic=number_text(diastolic)),
            )
        )
    return problems


def checked_vitals(
    raw: dict[str, VitalInput], *, confirm_implausible: bool
) -> dict[str, Decimal | None]:
    values = {key: parse_vital(key, raw.get(key)) for key in VITALS}
    problems = implausible_problems(values)
    if problems and not confirm_implausible:
        lines = tuple(line for _key, line in problems)
        raise ImplausibleVitals(
            _("Some vital signs are unusual. Check them, or confirm that they are right:")
            + "\n"
            + "\n".join(lines),
            problems=lines,
            field=problems[0][0],
        )
    return values


def clean_text(key: str, value: str) -> str:
    """The chief complaint is one line; the other fields keep their line breaks."""
    text = " ".join(value.split()) if key == "chief_complaint" else value.strip()
    limit = TEXT_LIMITS[key]
    if len(text) > limit:
        raise ValidationError(
            _("{field}: at most {count} characters.").format(field=soap_label(key), count=limit),
            field=key,
        )
    return text


def clean_reason(value: str) -> str:
    reason = " ".join(value.split())
    if not reason:
        raise ValidationError(
            _("Reason: say what the corrected version changes."), field="amendment_reason"
        )
    if len(reason) > REASON_LIMIT:
        raise ValidationError(
            _("Reason: at most {count} characters.").format(count=REASON_LIMIT),
            field="amendment_reason",
        )
    return reason


def clean_addendum(value: str) -> str:
    text = value.strip()
    if not text:
        raise ValidationError(_("Addendum: write the text to add."), field="addendum")
    if len(text) > ADDENDUM_LIMIT:
        raise ValidationError(
            _("Addendum: at most {count} characters.").format(count=ADDENDUM_LIMIT),
            field="addendum",
        )
    return text


def refuse_if_signed(encounter: Encounter) -> None:
    if encounter.is_signed:
        raise InvalidTransition(
            _("This note is signed and cannot be edited; add an addendum or an amended version.")
        )


def signed_in_author(actor: Actor) -> uuid.UUID:
    """Who a new note (a draft or a corrected version) is written by."""
    if actor.user_id is None:
        raise ValidationError(_("A clinical note needs a signed-in author."), field="author")
    return actor.user_id


def require_author(actor: Actor, encounter: Encounter, author_name: str) -> None:
    """A draft is its author's until signed: nobody else writes, signs or discards it."""
    if actor.is_system or encounter.author_id == actor.user_id:
        return
    raise PermissionDenied(
        _("This draft belongs to {name}; only its author can change it.").format(name=author_name)
    )


def check_ready_to_sign(encounter: Encounter) -> None:
    if not encounter.chief_complaint.strip() and not encounter.assessment.strip():
        raise ValidationError(
            _("Chief complaint: write it, or an assessment, before signing."),
            field="chief_complaint",
        )
    for key in SOAP_FIELDS:
        left = unanswered_prompts(str(getattr(encounter, key)))
        if left:
            raise ValidationError(
                _(
                    "{field}: complete or delete the template prompt “{prompt}” before signing."
                ).format(field=soap_label(key), prompt=left[0]),
                field=key,
            )
