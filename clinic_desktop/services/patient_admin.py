"""Keeping a patient's identity and contact details: create (with the duplicate checks: the
same ID number is refused, a similar name with the same birth date needs confirmation), edit
with optimistic concurrency, archive instead of delete, and the consents (data processing,
reminders by e-mail, SMS or WhatsApp) with when and by whom each was recorded. Identity
numbers are validated per country with python-stdnum through `fiscal.tax_ids`. A patient
anonymised after the retention period (`services.retention`) is never edited again."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import func, select, tuple_
from sqlalchemy.orm import Session

from clinic_desktop.actor import Actor
from clinic_desktop.db.uow import UnitOfWork
from clinic_desktop.errors import InvalidTransition, NotFound, ValidationError
from clinic_desktop.events import PatientsChanged
from clinic_desktop.fiscal.tax_ids import validate_tax_id
from clinic_desktop.i18n import LANGUAGES, _
from clinic_desktop.models.base import utcnow
from clinic_desktop.models.patient import ConsentKind, Patient, PatientConsent, fold
from clinic_desktop.models.permissions import Permission
from clinic_desktop.models.user import User
from clinic_desktop.services.access import require
from clinic_desktop.services.agenda_rules import clinic_country
from clinic_desktop.services.concurrency import check_version

ID_TYPES = ("cedula", "ruc", "dni", "nie", "passport", "other", "none")
# The types python-stdnum can check; a passport or "other" is kept as typed.
_CHECKED = {"cedula", "ruc", "dni", "nie"}
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_PHONE_CHARS = set("0123456789+ -()")
REMINDER_CHANNELS = ("none", "email", "sms", "whatsapp")
_CHANNEL_CONSENT = {
    "email": ConsentKind.REMINDERS_EMAIL.value,
    "sms": ConsentKind.REMINDERS_SMS.value,
    "whatsapp": ConsentKind.REMINDERS_WHATSAPP.value,
}


@dataclass(frozen=True)
class PatientForm:
    """What the patient editor sends; empty strings mean "not given"."""

    first_names: str
    last_names: str
    id_type: str = "none"
    id_number: str = ""
    birth_date: date | None = None
    sex: str = ""
    phone: str = ""
    mobile_phone: str = ""
    email: str = ""
    address: str = ""
    emergency_contact: str = ""
    emergency_phone: str = ""
    payer: str = ""
    referral_source: str = ""
    preferred_language: str = ""
    reminder_channel: str = "none"


@dataclass(frozen=True)
class PatientDTO:
    id: uuid.UUID
    chart_number: int
    first_names: str
    last_names: str
    id_type: str
    id_number: str | None
    birth_date: date | None
    sex: str | None
    phone: str | None
    mobile_phone: str | None
    email: str | None
    address: str | None
    emergency_contact: str | None
    emergency_phone: str | None
    payer: str | None
    referral_source: str | None
    preferred_language: str | None
    reminder_channel: str
    reminder_consent: bool
    archived_at: datetime | None
    version: int
    warnings: tuple[str, ...] = field(default=())
    anonymised_at: datetime | None = None

    @property
    def full_name(self) -> str:
        return f"{self.first_names} {self.last_names}".strip()


@dataclass(frozen=True)
class PatientPageKey:
    """Where the next page of `list_patients` starts: after this patient in list order."""

    last_names: str
    first_names: str
    id: uuid.UUID

    @classmethod
    def after(cls, patient: PatientDTO) -> PatientPageKey:
        return cls(patient.last_names, patient.first_names, patient.id)


@dataclass(frozen=True)
class ConsentDTO:
    kind: str
    granted: bool
    recorded_at: datetime
    recorded_by: str
    note: str


class PossibleDuplicate(ValidationError):
    """A patient with a similar name and the same birth date exists: save again with
    `confirm_duplicate=True` if it really is someone else."""

    def __init__(self, message: str, *, chart_number: int) -> None:
        super().__init__(message, field="last_names")
        self.chart_number = chart_number


def to_dto(patient: Patient, warnings: tuple[str, ...] = ()) -> PatientDTO:
    return PatientDTO(
        id=patient.id,
        chart_number=patient.chart_number,
        first_names=patient.first_names,
        last_names=patient.last_names,
        id_type=patient.id_type,
        id_number=patient.id_number,
        birth_date=patient.birth_date,
        sex=patient.sex,
        phone=patient.phone,
        mobile_phone=patient.mobile_phone,
        email=patient.email,
        address=patient.address,
        emergency_contact=patient.emergency_contact,
        emergency_phone=patient.emergency_phone,
        payer=patient.payer,
        referral_source=patient.referral_source,
        preferred_language=patient.preferred_language,
        reminder_channel=patient.reminder_channel,
        reminder_consent=patient.reminder_consent,
        archived_at=patient.archived_at,
        version=patient.version,
        warnings=warnings,
        anonymised_at=patient.anonymised_at,
    )


def ensure_not_anonymised(patient: Patient) -> None:
    """Refuses any change to an anonymised patient (the services that edit one call this)."""
    if patient.is_anonymised:
        raise InvalidTransition(
            _(
                "This patient was anonymised after the retention period: the record is kept, "
                "but it can no longer be changed."
            )
        )


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


def _clean(
    session: Session, form: PatientForm, today: date
) -> tuple[dict[str, object], tuple[str, ...]]:
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


def _check_duplicates(
    session: Session,
    values: dict[str, object],
    *,
    exclude: uuid.UUID | None,
    confirm_duplicate: bool,
) -> None:
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


def _apply(patient: Patient, values: dict[str, object]) -> None:
    patient.set_names(str(values["_first"]), str(values["_last"]))
    for key, value in values.items():
        if not key.startswith("_"):
            setattr(patient, key, value)


def create_patient(
    uow: UnitOfWork,
    *,
    actor: Actor,
    form: PatientForm,
    confirm_duplicate: bool = False,
    today: date | None = None,
) -> PatientDTO:
    with uow.transaction(actor) as session:
        require(session, actor, Permission.PATIENTS_WRITE)
        values, warnings = _clean(session, form, today or date.today())
        _check_duplicates(session, values, exclude=None, confirm_duplicate=confirm_duplicate)
        chart = (session.scalar(select(func.max(Patient.chart_number))) or 0) + 1
        patient = Patient(chart_number=chart)
        _apply(patient, values)
        session.add(patient)
        session.flush()
        uow.publish_after_commit(PatientsChanged(patient_id=str(patient.id)))
        return to_dto(patient, warnings)


def update_patient(
    uow: UnitOfWork,
    *,
    actor: Actor,
    patient_id: uuid.UUID,
    expected_version: int,
    form: PatientForm,
    confirm_duplicate: bool = False,
    today: date | None = None,
) -> PatientDTO:
    with uow.transaction(actor) as session:
        require(session, actor, Permission.PATIENTS_WRITE)
        patient = _get(session, patient_id)
        ensure_not_anonymised(patient)
        check_version(session, patient, expected_version)
        values, warnings = _clean(session, form, today or date.today())
        _check_duplicates(session, values, exclude=patient_id, confirm_duplicate=confirm_duplicate)
        _apply(patient, values)
        # A reminder channel without its consent on record sends nothing.
        patient.reminder_consent = _current_consent(session, patient_id).get(
            _CHANNEL_CONSENT.get(patient.reminder_channel, ""), False
        )
        session.flush()
        uow.publish_after_commit(PatientsChanged(patient_id=str(patient.id)))
        return to_dto(patient, warnings)


def get_patient(uow: UnitOfWork, *, actor: Actor, patient_id: uuid.UUID) -> PatientDTO:
    with uow.transaction(actor) as session:
        require(session, actor, Permission.PATIENTS_READ)
        return to_dto(_get(session, patient_id))


def _get(session: Session, patient_id: uuid.UUID) -> Patient:
    patient = session.get(Patient, patient_id)
    if patient is None or patient.is_deleted:
        raise NotFound(_("The patient no longer exists."))
    return patient


def set_archived(
    uow: UnitOfWork, *, actor: Actor, patient_id: uuid.UUID, archived: bool
) -> PatientDTO:
    """Archiving hides a patient from searches and lists; nothing is deleted, and it can be
    undone."""
    with uow.transaction(actor) as session:
        require(session, actor, Permission.PATIENTS_WRITE)
        patient = _get(session, patient_id)
        ensure_not_anonymised(patient)
        patient.archived_at = utcnow() if archived else None
        patient.archived_by = actor.user_id if archived else None
        session.flush()
        uow.publish_after_commit(PatientsChanged(patient_id=str(patient_id)))
        return to_dto(patient)


def list_patients(
    uow: UnitOfWork,
    *,
    actor: Actor,
    archived: bool = False,
    limit: int = 200,
    offset: int = 0,
    after: PatientPageKey | None = None,
) -> tuple[list[PatientDTO], int]:
    """A page of patients by last name, and how many there are in all. The next page is
    asked for with `after` (the last patient shown) rather than an offset: it starts on the
    last-name index where the previous one ended, so the 500th page costs what the first does
    (an offset reads and drops every row before it)."""
    with uow.transaction(actor) as session:
        require(session, actor, Permission.PATIENTS_READ)
        where = [
            Patient.deleted_at.is_(None),
            Patient.archived_at.is_not(None) if archived else Patient.archived_at.is_(None),
        ]
        total = int(session.scalar(select(func.count()).select_from(Patient).where(*where)) or 0)
        # The lower bound on last_names is what makes SQLite walk the index in order and stop
        # after `limit` rows (without one it sorted the whole table first).
        page = [Patient.last_names >= (after.last_names if after else "")]
        if after is not None:
            page.append(
                tuple_(Patient.last_names, Patient.first_names, Patient.id)
                > tuple_(after.last_names, after.first_names, after.id)
            )
        rows = session.scalars(
            select(Patient)
            .where(*where, *page)
            .order_by(Patient.last_names, Patient.first_names, Patient.id)
            .limit(limit)
            .offset(offset)
        )
        return [to_dto(p) for p in rows], total


def _current_consent(session: Session, patient_id: uuid.UUID) -> dict[str, bool]:
    current: dict[str, bool] = {}
    for kind, granted in session.execute(
        select(PatientConsent.kind, PatientConsent.granted)
        .where(PatientConsent.patient_id == patient_id, PatientConsent.deleted_at.is_(None))
        .order_by(PatientConsent.created_at)
    ):
        current[kind] = granted
    return current


def record_consent(
    uow: UnitOfWork,
    *,
    actor: Actor,
    patient_id: uuid.UUID,
    kind: str,
    granted: bool,
    note: str = "",
) -> list[ConsentDTO]:
    """Adds the patient's answer (given or withdrawn); the history keeps every earlier one."""
    if kind not in {k.value for k in ConsentKind}:
        raise ValidationError(_("Consent: unknown kind."), field="kind")
    with uow.transaction(actor) as session:
        require(session, actor, Permission.PATIENTS_WRITE)
        patient = _get(session, patient_id)
        ensure_not_anonymised(patient)
        session.add(
            PatientConsent(
                patient_id=patient_id, kind=kind, granted=granted, note=" ".join(note.split())[:300]
            )
        )
        session.flush()
        patient.reminder_consent = _current_consent(session, patient_id).get(
            _CHANNEL_CONSENT.get(patient.reminder_channel, ""), False
        )
        uow.publish_after_commit(PatientsChanged(patient_id=str(patient_id)))
        return _consents(session, patient_id)


def list_consents(uow: UnitOfWork, *, actor: Actor, patient_id: uuid.UUID) -> list[ConsentDTO]:
    """Every answer recorded, newest first."""
    with uow.transaction(actor) as session:
        require(session, actor, Permission.PATIENTS_READ)
        _get(session, patient_id)
        return _consents(session, patient_id)


def _consents(session: Session, patient_id: uuid.UUID) -> list[ConsentDTO]:
    names = {uid: name for uid, name in session.execute(select(User.id, User.full_name))}
    rows = session.scalars(
        select(PatientConsent)
        .where(PatientConsent.patient_id == patient_id, PatientConsent.deleted_at.is_(None))
        .order_by(PatientConsent.created_at.desc())
    )
    return [
        ConsentDTO(
            kind=c.kind,
            granted=c.granted,
            recorded_at=c.created_at,
            recorded_by=names.get(c.created_by, _("system")) if c.created_by else _("system"),
            note=c.note,
        )
        for c in rows
    ]
