"""What clinical notes (encounters) look like outside the services: the frozen DTOs of a note,
its list row, its addenda, its version chain and linked appointment; the form the note editor
sends (vitals as typed, with a comma or a dot); and the vital signs' labels, units and ranges,
re-exported here because the UI may not import the models, with how their numbers are
written."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from babel.numbers import format_decimal

from clinic_desktop.i18n import N_, _, current_language
from clinic_desktop.models.encounter import PROMPT, SOAP_FIELDS, VITALS, EncounterStatus

__all__ = ["SOAP_FIELDS", "EncounterStatus"]

# Longest text each field takes (the chief complaint's column holds 500).
TEXT_LIMITS: dict[str, int] = {
    "chief_complaint": 500,
    "subjective": 20000,
    "objective": 20000,
    "assessment": 20000,
    "plan": 20000,
}
REASON_LIMIT = 500
ADDENDUM_LIMIT = 20000

SOAP_LABELS: dict[str, str] = {
    "chief_complaint": N_("Chief complaint"),
    "subjective": N_("Subjective / history"),
    "objective": N_("Objective / examination"),
    "assessment": N_("Assessment / diagnosis"),
    "plan": N_("Plan"),
}
VITAL_LABELS: dict[str, str] = {
    "systolic_bp": N_("Systolic BP"),
    "diastolic_bp": N_("Diastolic BP"),
    "heart_rate": N_("Heart rate"),
    "respiratory_rate": N_("Respiratory rate"),
    "temperature_c": N_("Temperature"),
    "spo2": N_("SpO₂"),
    "weight_kg": N_("Weight"),
    "height_cm": N_("Height"),
}
# The badge a note shows in lists: a superseded original reads "Amended".
BADGE_LABELS: dict[str, str] = {
    "draft": N_("Draft"),
    "signed": N_("Signed"),
    "amended": N_("Amended"),
}


@dataclass(frozen=True)
class VitalInfo:
    """One vital sign as the editor shows it: label, unit, decimals and both ranges."""

    key: str
    unit: str
    decimals: int
    low: Decimal
    high: Decimal
    plausible_low: Decimal
    plausible_high: Decimal

    @property
    def label(self) -> str:
        return _(VITAL_LABELS[self.key])


VITAL_INFO: tuple[VitalInfo, ...] = tuple(
    VitalInfo(
        key,
        spec.unit,
        spec.decimals,
        spec.low,
        spec.high,
        spec.plausible_low,
        spec.plausible_high,
    )
    for key, spec in VITALS.items()
)
VITAL_KEYS: tuple[str, ...] = tuple(VITALS)


def soap_label(key: str) -> str:
    return _(SOAP_LABELS[key])


def number_text(value: Decimal) -> str:
    """A value as the UI language writes numbers ("41,5" in Spanish), for the service's
    messages and the editor's fields alike."""
    return format_decimal(value.normalize(), format="#,##0.##", locale=current_language())


def unanswered_prompts(text: str) -> list[str]:
    """The `[[question]]` prompts still left in a text."""
    return [m.group(1).strip() for m in PROMPT.finditer(text)]


VitalInput = str | Decimal | None


@dataclass(frozen=True)
class EncounterForm:
    """What the note editor sends. Vitals come as typed ("36,8", "36.8", "" for none) or as
    Decimal; `occurred_at` None keeps the note's date."""

    chief_complaint: str = ""
    subjective: str = ""
    objective: str = ""
    assessment: str = ""
    plan: str = ""
    occurred_at: datetime | None = None
    systolic_bp: VitalInput = None
    diastolic_bp: VitalInput = None
    heart_rate: VitalInput = None
    respiratory_rate: VitalInput = None
    temperature_c: VitalInput = None
    spo2: VitalInput = None
    weight_kg: VitalInput = None
    height_cm: VitalInput = None

    def texts(self) -> dict[str, str]:
        return {key: str(getattr(self, key)) for key in SOAP_FIELDS}

    def vitals(self) -> dict[str, VitalInput]:
        return {key: getattr(self, key) for key in VITAL_KEYS}


@dataclass(frozen=True)
class AddendumDTO:
    id: uuid.UUID
    text: str
    author_name: str
    created_at: datetime


@dataclass(frozen=True)
class VersionDTO:
    """One note of a correction chain: `number` counts from 1 (the original)."""

    id: uuid.UUID
    number: int
    status: str
    author_name: str
    created_at: datetime
    signed_at: datetime | None
    signed_by_name: str
    amendment_reason: str

    @property
    def is_signed(self) -> bool:
        return self.status == EncounterStatus.SIGNED


@dataclass(frozen=True)
class AppointmentSummary:
    id: uuid.UUID
    start: datetime
    practitioner_name: str
    type_name: str
    status: str


@dataclass(frozen=True)
class EncounterDTO:
    id: uuid.UUID
    patient_id: uuid.UUID
    appointment_id: uuid.UUID | None
    author_id: uuid.UUID
    author_name: str
    occurred_at: datetime
    status: str
    chief_complaint: str
    subjective: str
    objective: str
    assessment: str
    plan: str
    vitals: Mapping[str, Decimal | None]
    signed_at: datetime | None
    signed_by_name: str
    amends_id: uuid.UUID | None
    amendment_reason: str
    template_id: uuid.UUID | None
    created_at: datetime
    updated_at: datetime
    version: int
    addenda: tuple[AddendumDTO, ...] = ()
    # The whole correction chain, original first; this note is the one with `id`.
    versions: tuple[VersionDTO, ...] = ()
    appointment: AppointmentSummary | None = None
    superseded: bool = False

    @property
    def is_signed(self) -> bool:
        return self.status == EncounterStatus.SIGNED

    @property
    def is_draft(self) -> bool:
        return self.status == EncounterStatus.DRAFT

    @property
    def badge(self) -> str:
        return "amended" if self.superseded else self.status

    @property
    def number(self) -> int:
        for version in self.versions:
            if version.id == self.id:
                return version.number
        return 1

    @property
    def original(self) -> VersionDTO | None:
        """The note this one corrects (None for an original)."""
        for version in self.versions:
            if version.number == self.number - 1:
                return version
        return None

    @property
    def correction(self) -> VersionDTO | None:
        """The next version correcting this note, signed or still a draft."""
        for version in self.versions:
            if version.number == self.number + 1:
                return version
        return None

    def text(self, key: str) -> str:
        return str(getattr(self, key))

    def prompts_left(self) -> dict[str, list[str]]:
        """The unanswered template prompts per SOAP field (fields without any left out)."""
        left = {key: unanswered_prompts(self.text(key)) for key in SOAP_FIELDS}
        return {key: found for key, found in left.items() if found}


@dataclass(frozen=True)
class EncounterRowDTO:
    """One line of a chart's note list: enough to find a note without opening it."""

    id: uuid.UUID
    occurred_at: datetime
    author_name: str
    status: str
    chief_complaint: str
    assessment_line: str
    signed_at: datetime | None
    signed_by_name: str
    amends_id: uuid.UUID | None
    superseded: bool
    addenda_count: int
    appointment_id: uuid.UUID | None = None
    appointment_start: datetime | None = None
    practitioner_name: str = ""
    appointment_type: str = ""

    @property
    def is_signed(self) -> bool:
        return self.status == EncounterStatus.SIGNED

    @property
    def badge(self) -> str:
        return "amended" if self.superseded else self.status
