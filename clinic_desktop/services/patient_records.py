"""The shapes every patient service shares and the lookups they all start from: the form the
patient editor sends, the patient and consent DTOs, the key of a page of the patients list,
`to_dto`, `live_patient` (a patient that exists and is not deleted, or NotFound) and
`ensure_not_anonymised`, which every service that changes a patient calls first. The services
themselves are `services.patient_admin` (identity and contact details, archive, list) and
`services.patient_consents`; `patient_admin` re-exports these names for its callers."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy.orm import Session

from clinic_desktop.errors import InvalidTransition, NotFound
from clinic_desktop.i18n import _
from clinic_desktop.models.patient import Patient


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


def live_patient(session: Session, patient_id: uuid.UUID) -> Patient:
    """The patient, unless it does not exist or was deleted."""
    patient = session.get(Patient, patient_id)
    if patient is None or patient.is_deleted:
        raise NotFound(_("The patient no longer exists."))
    return patient


def ensure_not_anonymised(patient: Patient) -> None:
    """Refuses any change to an anonymised patient (the services that edit one call this)."""
    if patient.is_anonymised:
        raise InvalidTransition(
            _(
                "This patient was anonymised after the retention period: the record is kept, "
                "but it can no longer be changed."
            )
        )
