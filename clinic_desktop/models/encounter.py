"""Encounters (consultation notes in SOAP form with vital signs), their addenda, and the note
templates that pre-fill them. A note is a draft until a doctor signs it; a signed note never
changes again (a mapper guard refuses any update of its content, whatever the caller), and
corrections are addenda or amended versions: a new note whose `amends_id` names the original,
which stays visible with who signed it and when. Vital signs carry their unit and two ranges:
outside the possible range a value is refused, outside the plausible one the user confirms."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any, ClassVar

from sqlalchemy import Boolean, ForeignKey, Numeric, String, Text, Uuid, event, inspect
from sqlalchemy.orm import Mapped, mapped_column

from clinic_desktop.models.base import Entity, UTCDateTime


class EncounterStatus(StrEnum):
    DRAFT = "draft"
    SIGNED = "signed"


@dataclass(frozen=True)
class VitalSpec:
    """`low..high` is what can be typed at all; `plausible_low..plausible_high` is what a
    living adult or child usually shows, outside it the user is asked to confirm."""

    unit: str
    low: Decimal
    high: Decimal
    plausible_low: Decimal
    plausible_high: Decimal
    decimals: int = 0


def _spec(unit: str, lo: str, hi: str, plo: str, phi: str, decimals: int = 0) -> VitalSpec:
    return VitalSpec(unit, Decimal(lo), Decimal(hi), Decimal(plo), Decimal(phi), decimals)


VITALS: dict[str, VitalSpec] = {
    "systolic_bp": _spec("mmHg", "40", "300", "70", "220"),
    "diastolic_bp": _spec("mmHg", "20", "200", "40", "130"),
    "heart_rate": _spec("/min", "20", "300", "40", "180"),
    "respiratory_rate": _spec("/min", "4", "80", "8", "40"),
    "temperature_c": _spec("°C", "25", "45", "34", "41.5", 1),
    "spo2": _spec("%", "30", "100", "85", "100"),
    "weight_kg": _spec("kg", "0.3", "400", "2", "250", 1),
    "height_cm": _spec("cm", "20", "260", "45", "220", 1),
}

SOAP_FIELDS = ("chief_complaint", "subjective", "objective", "assessment", "plan")
# What a signature freezes: the SOAP text, the vitals and what the note is about.
CONTENT_FIELDS = frozenset(
    (*SOAP_FIELDS, *VITALS, "patient_id", "appointment_id", "occurred_at", "amends_id")
)


class Encounter(Entity):
    __tablename__ = "encounters"
    __label__ = "Clinical note"
    __audit_redact__: ClassVar[frozenset[str]] = frozenset(SOAP_FIELDS) | {"amendment_reason"}

    patient_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("patients.id"), index=True)
    appointment_id: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, ForeignKey("appointments.id"), index=True
    )
    author_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("users.id"))
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    status: Mapped[str] = mapped_column(String(10), default=EncounterStatus.DRAFT.value)
    chief_complaint: Mapped[str] = mapped_column(String(500), default="")
    subjective: Mapped[str] = mapped_column(Text, default="")
    objective: Mapped[str] = mapped_column(Text, default="")
    assessment: Mapped[str] = mapped_column(Text, default="")
    plan: Mapped[str] = mapped_column(Text, default="")
    systolic_bp: Mapped[Decimal | None] = mapped_column(Numeric(6, 1))
    diastolic_bp: Mapped[Decimal | None] = mapped_column(Numeric(6, 1))
    heart_rate: Mapped[Decimal | None] = mapped_column(Numeric(6, 1))
    respiratory_rate: Mapped[Decimal | None] = mapped_column(Numeric(6, 1))
    temperature_c: Mapped[Decimal | None] = mapped_column(Numeric(6, 1))
    spo2: Mapped[Decimal | None] = mapped_column(Numeric(6, 1))
    weight_kg: Mapped[Decimal | None] = mapped_column(Numeric(6, 1))
    height_cm: Mapped[Decimal | None] = mapped_column(Numeric(6, 1))
    signed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    signed_by: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    # An amended version points at the note it corrects; the original is never changed.
    amends_id: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, ForeignKey("encounters.id"), index=True
    )
    amendment_reason: Mapped[str] = mapped_column(String(500), default="")
    template_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)

    @property
    def is_signed(self) -> bool:
        return self.status == EncounterStatus.SIGNED.value


class SignedNoteChanged(RuntimeError):
    """A programming error: code tried to change a signed note's content. Services check
    first and give the user a translated message; this guard catches whatever they miss."""


@event.listens_for(Encounter, "before_update")
def _refuse_signed_edits(_mapper: Any, _conn: Any, target: Encounter) -> None:
    state = inspect(target)
    status = state.attrs.status.history
    was_signed = (status.deleted and status.deleted[0] == EncounterStatus.SIGNED.value) or (
        not status.has_changes() and target.is_signed
    )
    if not was_signed:
        return
    changed = {key for key in CONTENT_FIELDS if state.attrs[key].history.has_changes()}
    if changed or status.has_changes():
        raise SignedNoteChanged(f"signed note {target.id} cannot change: {sorted(changed)}")


class EncounterAddendum(Entity):
    """Text added to a signed note later, by whoever wrote it (created_by) and when
    (created_at); addenda are never edited either."""

    __tablename__ = "encounter_addenda"
    __label__ = "Note addendum"
    __audit_redact__: ClassVar[frozenset[str]] = frozenset({"text"})

    encounter_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("encounters.id"), index=True)
    text: Mapped[str] = mapped_column(Text)


# A prompt in a template: "Pain for [[How many days?]] days" asks "How many days?".
PROMPT = re.compile(r"\[\[([^\[\]]{1,120})\]\]")


class NoteTemplate(Entity):
    """Text that pre-fills a new note's SOAP fields; `owner_id` None means clinic-wide,
    otherwise the template belongs to that doctor. `[[question]]` marks a prompt."""

    __tablename__ = "note_templates"
    __label__ = "Note template"

    name: Mapped[str] = mapped_column(String(120))
    owner_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("users.id"), index=True)
    chief_complaint: Mapped[str] = mapped_column(String(500), default="")
    subjective: Mapped[str] = mapped_column(Text, default="")
    objective: Mapped[str] = mapped_column(Text, default="")
    assessment: Mapped[str] = mapped_column(Text, default="")
    plan: Mapped[str] = mapped_column(Text, default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)


def template_prompts(texts: list[str]) -> list[str]:
    """The distinct prompts of a template's fields, in the order they first appear."""
    seen: list[str] = []
    for text in texts:
        for match in PROMPT.finditer(text):
            question = match.group(1).strip()
            if question not in seen:
                seen.append(question)
    return seen


def fill_prompts(text: str, answers: dict[str, str]) -> str:
    """Replaces each `[[question]]` by its answer; unanswered prompts stay for later."""

    def _answer(match: re.Match[str]) -> str:
        question = match.group(1).strip()
        answer = answers.get(question, "").strip()
        return answer if answer else match.group(0)

    return PROMPT.sub(_answer, text)
