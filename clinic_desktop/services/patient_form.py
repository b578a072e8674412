"""Checking what the patient editor sends before it is stored: names required, identity
numbers validated per country with python-stdnum through `fiscal.tax_ids` (a passport or
"other" is kept as typed), birth dates neither in the future nor implausibly old, e-mail and
phone shapes, a reminder channel only with the address or number it needs; and the duplicate
checks: the same identity number as another patient is refused, a similar name with the same
birth date needs confirmation (`PossibleDuplicate`). Used by `services.patient_admin`."""

from __future__ import annotations

import re
import uuid
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from clinic_desktop.errors import ValidationError
from clinic_desktop.fiscal.tax_ids import validate_tax_id
from clinic_desktop.i18n import LANGUAGES, _
from clinic_desktop.models.patient import Patient, fold
from clinic_desktop.services.agenda_rules import clinic_country
from clinic_desktop.services.patient_records import PatientForm

ID_TYPES = ("cedula", "ruc", "dni", "nie", "passport", "other", "none")
# The types python-stdnum can check; a passport or "other" is kept as typed.
_CHECKED = {"cedula", "ruc", "dni", "nie"}
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_PHONE_CHARS = set("0123456789+ -()")
REMINDER_CHANNELS = ("none", "email", "sms", "whatsapp")


class PossibleDuplicate(ValidationError):
    """A patient with a similar name and the same birth date exists: save again with
    `confirm_duplicate=True` if it really is someone else."""

    def __init__(self, message: str, *, chart_number: int) -> None:
        super().__init__(message, field="last_names")
        self.chart_number = chart_number


def _text(value: str, *, field: str, label: str, limit: int) -> str | None:
    text = " ".join(value.split())
    if len(text) > limit:
        raise ValidationError(
            _("{field}: at most {count} characters.").format(field=label, count=limit),
            field=field,
        )
    return text or None


def _phone(value: str, *, field: str, label: str) -> str | None:
    text = value.strip()
    if not text:
        return None
    if sum(c.isdigit() for c in text) < 6 or not set(text) <= _PHONE_CHARS:
        raise ValidationError(
            _("{field}: at least 6 digits; only digits, spaces, +, - and brackets.").format(
                field=label
            ),
            field=field,
        )
    return text


def clean_form(
    session: Session, form: PatientForm, today: date
) -> tuple[dict[str, object], tuple[str, ...]]:
    """The patient's columns from `form`, checked and tidied (single spaces, empty as None),
    and the warnings a save still allows (an identity number with an unusual check digit).
    The names travel as "_first" and "_last": `apply_form` sets them through the model so
    the search name follows. Raises ValidationError naming the field at fault."""
    first = _text(form.first_names, field="first_names", label=_("First names"), limit=120)
    last = _text(form.last_names, field="last_names", label=_("Last names"), limit=120)
    if not first:
        raise ValidationError(_("First names: they are required."), field="first_names")
    if not last:
        raise ValidationError(_("Last names: they are required."), field="last_names")
    if form.id_type not in ID_TYPES:
        raise ValidationError(_("ID type: choose one from the list."), field="id_type")
    number: str | None = form.id_number.strip() or None
    warnings: tuple[str, ...] = ()
    if form.id_type == "none":
        number = None
    elif number is None:
        raise ValidationError(
            _("ID number: it is required for this ID type (or choose “None”)."),
            field="id_number",
        )
    elif form.id_type in _CHECKED:
        check = validate_tax_id(
            clinic_country(session), number, field="id_number", label=_("ID number")
        )
        number, warnings = check.normalized, check.warnings
        if check.kind not in (form.id_type, "nif_klm"):
            raise ValidationError(
                _("ID number: it is a valid {kind}, not the ID type chosen.").format(
                    kind=check.kind.upper()
                ),
                field="id_number",
            )
    elif len(number) > 32:
        raise ValidationError(_("ID number: at most 32 characters."), field="id_number")
    if form.birth_date is not None:
        if form.birth_date > today:
            raise ValidationError(_("Birth date: it cannot be in the future."), field="birth_date")
        if form.birth_date.year < today.year - 130:
            raise ValidationError(
                _("Birth date: more than 130 years ago; check the year."), field="birth_date"
            )
    if form.sex not in ("", "F", "M", "X"):
        raise ValidationError(_("Sex: choose one from the list."), field="sex")
    email = form.email.strip() or None
    if email and not _EMAIL.match(email):
        raise ValidationError(
            _("E-mail: it does not look like an address (name@example.com)."), field="email"
        )
    if form.preferred_language and form.preferred_language not in LANGUAGES:
        raise ValidationError(
            _("Preferred language: choose Spanish or English."), field="preferred_language"
        )
    if form.reminder_channel not in REMINDER_CHANNELS:
        raise ValidationError(_("Reminders: choose one from the list."), field="reminder_channel")
    phone = _phone(form.phone, field="phone", label=_("Phone"))
    mobile = _phone(form.mobile_phone, field="mobile_phone", label=_("Mobile phone"))
    if form.reminder_channel in ("sms", "whatsapp") and not (mobile or phone):
        raise ValidationError(
            _("Reminders: SMS and WhatsApp need a phone number."), field="reminder_channel"
        )
    if form.reminder_channel == "email" and not email:
        raise ValidationError(
            _("Reminders: e-mail reminders need an e-mail address."), field="reminder_channel"
        )
    values: dict[str, object] = {
        "id_type": form.id_type,
        "id_number": number,
        "birth_date": form.birth_date,
        "sex": form.sex or None,
        "phone": phone,
        "mobile_phone": mobile,
        "email": email,
        "address": _text(form.address, field="address", label=_("Address"), limit=400),
        "emergency_contact": _text(
            form.emergency_contact,
            field="emergency_contact",
            label=_("Emergency contact"),
            limit=200,
        ),
        "emergency_phone": _phone(
            form.emergency_phone, field="emergency_phone", label=_("Emergency phone")
        ),
        "payer": _text(form.payer, field="payer", label=_("Payer or insurer"), limit=200),
        "referral_source": _text(
            form.referral_source, field="referral_source", label=_("Referred by"), limit=200
        ),
        "preferred_language": form.preferred_language or None,
        "reminder_channel": form.reminder_channel,
        "_first": first,
        "_last": last,
    }
    return values, warnings


def check_duplicates(
    session: Session,
    values: dict[str, object],
    *,
    exclude: uuid.UUID | None,
    confirm_duplicate: bool,
) -> None:
    """Refuses an identity number another patient has; asks to confirm (PossibleDuplicate)
    a similar name with the same birth date, unless `confirm_duplicate`."""
    number = values["id_number"]
    if number:
        query = select(Patient.chart_number).where(
            Patient.id_number == number, Patient.deleted_at.is_(None)
        )
        if exclude is not None:
            query = query.where(Patient.id != exclude)
        existing = session.scalar(query)
        if existing is not None:
            raise ValidationError(
                _("ID number: patient {chart} already has this number.").format(chart=existing),
                field="id_number",
            )
    birth = values["birth_date"]
    if birth is None or confirm_duplicate:
        return
    first, last = str(values["_first"]), str(values["_last"])
    similar = select(Patient.chart_number, Patient.search_name).where(
        Patient.birth_date == birth, Patient.deleted_at.is_(None)
    )
    if exclude is not None:
        similar = similar.where(Patient.id != exclude)
    wanted = set(fold(f"{first} {last}").split())
    for chart, name in session.execute(similar):
        # Similar: they share the first given name and a family name.
        have = set(name.split())
        if fold(first).split()[0] in have and len(wanted & have) >= 2:
            raise PossibleDuplicate(
                _(
                    "Possible duplicate: patient {chart} has a similar name and the same birth "
                    "date. Save again to confirm it is a different person."
                ).format(chart=chart),
                chart_number=chart,
            )


def apply_form(patient: Patient, values: dict[str, object]) -> None:
    """Writes what `clean_form` returned onto `patient`."""
    patient.set_names(str(values["_first"]), str(values["_last"]))
    for key, value in values.items():
        if not key.startswith("_"):
            setattr(patient, key, value)
