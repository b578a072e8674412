"""What the standing clinical record looks like outside the services: frozen DTOs for the
medical history sections, allergies, current medications and the problem list, the forms the
chart's dialogs send, the codes and translated labels of sections, severities and statuses
(the UI may not import the models, so they are re-exported here), and the checks every form
shares (required text, length limits, dates not in the future, the ICD-10 code format)."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import date, datetime

from clinic_desktop.errors import ValidationError
from clinic_desktop.i18n import N_, _
from clinic_desktop.models.clinical import (
    AllergySeverity,
    AllergyStatus,
    HistorySection,
    MedicationStatus,
    ProblemStatus,
)

__all__ = [
    "AllergySeverity",
    "AllergyStatus",
    "HistorySection",
    "MedicationStatus",
    "ProblemStatus",
]

HISTORY_TEXT_LIMIT = 20000

SECTION_LABELS: dict[str, str] = {
    HistorySection.PERSONAL: N_("Personal history"),
    HistorySection.FAMILY: N_("Family history"),
    HistorySection.SURGICAL: N_("Surgical history"),
    HistorySection.HABITS: N_("Habits"),
    HistorySection.GYNECO_OBSTETRIC: N_("Gyneco-obstetric history"),
}
SEVERITY_LABELS: dict[str, str] = {
    AllergySeverity.MILD: N_("Mild"),
    AllergySeverity.MODERATE: N_("Moderate"),
    AllergySeverity.SEVERE: N_("Severe"),
    AllergySeverity.LIFE_THREATENING: N_("Life-threatening"),
}
# Most severe first: the alert banner and the allergy table lead with what can kill.
SEVERITY_RANK: dict[str, int] = {
    AllergySeverity.LIFE_THREATENING: 0,
    AllergySeverity.SEVERE: 1,
    AllergySeverity.MODERATE: 2,
    AllergySeverity.MILD: 3,
}
ALLERGY_STATUS_LABELS: dict[str, str] = {
    AllergyStatus.ACTIVE: N_("Active"),
    AllergyStatus.INACTIVE: N_("Inactive"),
    AllergyStatus.ENTERED_IN_ERROR: N_("Entered in error"),
}
MEDICATION_STATUS_LABELS: dict[str, str] = {
    MedicationStatus.ACTIVE: N_("Taking"),
    MedicationStatus.STOPPED: N_("Stopped"),
    MedicationStatus.ENTERED_IN_ERROR: N_("Entered in error"),
}
PROBLEM_STATUS_LABELS: dict[str, str] = {
    ProblemStatus.ACTIVE: N_("Active"),
    ProblemStatus.RESOLVED: N_("Resolved"),
    ProblemStatus.ENTERED_IN_ERROR: N_("Entered in error"),
}
# Suggestions for the route boxes (editable: anything may be typed).
COMMON_ROUTES: tuple[str, ...] = (
    N_("Oral"),
    N_("Sublingual"),
    N_("Topical"),
    N_("Inhaled"),
    N_("Intramuscular"),
    N_("Intravenous"),
    N_("Subcutaneous"),
    N_("Rectal"),
    N_("Ophthalmic"),
    N_("Otic"),
    N_("Nasal"),
    N_("Vaginal"),
)

# A letter, two digits, then optionally a dot and one to four letters or digits ("J45.9",
# "E11", "S72.001A"); the dot may be left out when typing ("J459").
_ICD10 = re.compile(r"^([A-Z])(\d{2})(?:\.?([A-Z0-9]{1,4}))?$")


@dataclass(frozen=True)
class HistorySectionDTO:
    """One section of the medical history; `version` is None while it was never written."""

    patient_id: uuid.UUID
    section: str
    text: str
    version: int | None
    updated_at: datetime | None
    updated_by: str

    @property
    def label(self) -> str:
        return _(SECTION_LABELS[self.section])


@dataclass(frozen=True)
class AllergyDTO:
    id: uuid.UUID
    patient_id: uuid.UUID
    substance: str
    reaction: str
    severity: str
    status: str
    noted_on: date | None
    note: str
    version: int
    updated_at: datetime
    updated_by: str

    @property
    def is_active(self) -> bool:
        return self.status == AllergyStatus.ACTIVE


@dataclass(frozen=True)
class MedicationDTO:
    id: uuid.UUID
    patient_id: uuid.UUID
    name: str
    dose: str
    route: str
    frequency: str
    status: str
    started_on: date | None
    stopped_on: date | None
    note: str
    version: int
    updated_at: datetime
    updated_by: str

    @property
    def is_active(self) -> bool:
        return self.status == MedicationStatus.ACTIVE


@dataclass(frozen=True)
class ProblemDTO:
    id: uuid.UUID
    patient_id: uuid.UUID
    description: str
    icd10: str
    status: str
    onset_on: date | None
    resolved_on: date | None
    note: str
    version: int
    updated_at: datetime
    updated_by: str

    @property
    def is_active(self) -> bool:
        return self.status == ProblemStatus.ACTIVE


@dataclass(frozen=True)
class ClinicalSummaryDTO:
    """The chart's summary tab in one read: every history section (empty ones included, in
    the order of HistorySection), and the three lists with the active entries first."""

    patient_id: uuid.UUID
    history: tuple[HistorySectionDTO, ...]
    allergies: tuple[AllergyDTO, ...]
    medications: tuple[MedicationDTO, ...]
    problems: tuple[ProblemDTO, ...]

    def section(self, section: str) -> HistorySectionDTO:
        for entry in self.history:
            if entry.section == section:
                return entry
        raise KeyError(section)

    @property
    def active_allergies(self) -> tuple[AllergyDTO, ...]:
        return tuple(a for a in self.allergies if a.is_active)


@dataclass(frozen=True)
class AllergyForm:
    substance: str
    reaction: str = ""
    severity: str = AllergySeverity.MODERATE.value
    noted_on: date | None = None
    note: str = ""


@dataclass(frozen=True)
class MedicationForm:
    name: str
    dose: str = ""
    route: str = ""
    frequency: str = ""
    started_on: date | None = None
    note: str = ""


@dataclass(frozen=True)
class ProblemForm:
    description: str
    icd10: str = ""
    onset_on: date | None = None
    note: str = ""


# -- checks shared by the forms ------------------------------------------------------------


def clean_text(value: str, *, field: str, label: str, limit: int, required: bool = False) -> str:
    """One line of text with its spaces tidied; refuses an empty required one and one over
    the column's limit, naming the field."""
    text = " ".join(value.split())
    if required and not text:
        raise ValidationError(_("{field}: it is required.").format(field=label), field=field)
    if len(text) > limit:
        raise ValidationError(
            _("{field}: at most {count} characters.").format(field=label, count=limit),
            field=field,
        )
    return text


def past_date(value: date | None, *, field: str, label: str, today: date) -> date | None:
    if value is not None and value > today:
        raise ValidationError(
            _("{field}: it cannot be in the future.").format(field=label), field=field
        )
    return value


def normalise_icd10(value: str) -> str:
    """ "j459" -> "J45.9"; "" stays ""; anything not shaped like an ICD-10 code is refused
    (the format is checked, not whether the code exists in the classification)."""
    text = value.strip().upper().replace(" ", "")
    if not text:
        return ""
    match = _ICD10.match(text)
    if match is None:
        raise ValidationError(
            _(
                "ICD-10 code: a letter, two digits and optionally a dot and up to four "
                "letters or digits, e.g. J45.9 or E11."
            ),
            field="icd10",
        )
    letter, digits, rest = match.groups()
    return f"{letter}{digits}.{rest}" if rest else f"{letter}{digits}"


def _clean_note(note: str) -> str:
    return clean_text(note, field="note", label=_("Note"), limit=500)


def clean_allergy(form: AllergyForm, today: date) -> dict[str, object]:
    if form.severity not in SEVERITY_LABELS:
        raise ValidationError(_("Severity: choose one from the list."), field="severity")
    return {
        "substance": clean_text(
            form.substance, field="substance", label=_("Substance"), limit=200, required=True
        ),
        "reaction": clean_text(form.reaction, field="reaction", label=_("Reaction"), limit=300),
        "severity": form.severity,
        "noted_on": past_date(form.noted_on, field="noted_on", label=_("Noted on"), today=today),
        "note": _clean_note(form.note),
    }


def clean_medication(form: MedicationForm, today: date) -> dict[str, object]:
    return {
        "name": clean_text(
            form.name, field="name", label=_("Medication"), limit=200, required=True
        ),
        "dose": clean_text(form.dose, field="dose", label=_("Dose"), limit=120),
        "route": clean_text(form.route, field="route", label=_("Route"), limit=40),
        "frequency": clean_text(form.frequency, field="frequency", label=_("Frequency"), limit=120),
        "started_on": past_date(
            form.started_on, field="started_on", label=_("Started on"), today=today
        ),
        "note": _clean_note(form.note),
    }


def clean_problem(form: ProblemForm, today: date) -> dict[str, object]:
    return {
        "description": clean_text(
            form.description,
            field="description",
            label=_("Description"),
            limit=300,
            required=True,
        ),
        "icd10": normalise_icd10(form.icd10),
        "onset_on": past_date(form.onset_on, field="onset_on", label=_("Onset"), today=today),
        "note": _clean_note(form.note),
    }
