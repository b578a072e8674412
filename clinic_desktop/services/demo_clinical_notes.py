"""Consultation notes for the demo's appointments, as rows ready for bulk insert: a signed note
for each completed visit seen by a practitioner who has an account (written by that account,
signed minutes to hours after the visit), drafts for the consultation going on now, for those
that ended in the last hour and a half and for each doctor's last visit of an earlier day (not
signed yet), a few addenda days later, two amended versions that keep their original, and the
prescriptions written in the signed notes, one of them voided and issued again."""

from __future__ import annotations

import random
import re
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from clinic_desktop.models.appointment import AppointmentStatus
from clinic_desktop.models.base import new_id
from clinic_desktop.models.encounter import VITALS, EncounterStatus
from clinic_desktop.models.prescription import PrescriptionStatus
from clinic_desktop.services.demo_clinical_dental import dental_note
from clinic_desktop.services.demo_clinical_record import Profile
from clinic_desktop.services.demo_clinical_rx import NoteText, Rx, between, pick
from clinic_desktop.services.demo_clinical_templates import (
    ADDENDA,
    DENTAL_ADDENDA,
    INTERVAL_AMENDMENT,
    PRESCRIPTION_NOTES,
    VOID_REASON,
    WEIGHT_AMENDMENT,
)
from clinic_desktop.services.demo_clinical_visits import medical_note

_SIGNED, _DRAFT = EncounterStatus.SIGNED.value, EncounterStatus.DRAFT.value
_RECENT = timedelta(minutes=90)
_CONTROL = re.compile(r"Control en (\d+) (semanas?|meses)\.")


@dataclass(frozen=True)
class Visit:
    """A completed or ongoing appointment of a practitioner with an account."""

    appointment_id: uuid.UUID
    patient_id: uuid.UUID
    author_id: uuid.UUID
    dental: bool
    type_name: str
    reason: str
    telemedicine: bool
    status: str
    start_at: datetime
    started_at: datetime
    completed_at: datetime | None


@dataclass
class NoteRows:
    encounters: list[dict[str, Any]] = field(default_factory=list)
    addenda: list[dict[str, Any]] = field(default_factory=list)
    prescriptions: list[dict[str, Any]] = field(default_factory=list)
    items: list[dict[str, Any]] = field(default_factory=list)
    signed: int = 0
    drafts: int = 0
    amended: int = 0
    # (encounter row, dental) of signed notes, for documents to attach to
    signed_notes: list[tuple[dict[str, Any], bool]] = field(default_factory=list)


def _stamp(id_: uuid.UUID, at: datetime, by: uuid.UUID) -> dict[str, Any]:
    return {
        "id": id_,
        "created_at": at,
        "updated_at": at,
        "created_by": by,
        "updated_by": by,
        "version": 1,
    }


class NoteWriter:
    def __init__(self, rng: random.Random, moment: datetime, zone: ZoneInfo) -> None:
        self.rng = rng
        self.moment = moment
        self.zone = zone
        self.rows = NoteRows()
        self._voided = False

    def add_all(self, visits: list[Visit], profiles: dict[uuid.UUID, Profile]) -> NoteRows:
        forgotten = self._forgotten(visits)
        for visit in visits:
            profile = profiles.get(visit.patient_id)
            if profile is None:
                continue
            if visit.dental:
                note = dental_note(self.rng, profile.ctx, visit.type_name)
            else:
                note = medical_note(
                    self.rng, profile.ctx, visit.reason, telemedicine=visit.telemedicine
                )
            self._add(visit, note, draft=visit.appointment_id in forgotten)
        self._amend()
        return self.rows

    def _forgotten(self, visits: list[Visit]) -> set[uuid.UUID]:
        """Each doctor's last completed visit before today: a note left unsigned."""
        today = self.moment.astimezone(self.zone).date()
        last: dict[uuid.UUID, Visit] = {}
        for visit in visits:
            if (
                visit.status == AppointmentStatus.COMPLETED.value
                and visit.start_at.astimezone(self.zone).date() < today
            ):
                known = last.get(visit.author_id)
                if known is None or visit.start_at > known.start_at:
                    last[visit.author_id] = visit
        return {v.appointment_id for v in last.values()}

    def _add(self, visit: Visit, note: NoteText, *, draft: bool) -> None:
        rng = self.rng
        ongoing = visit.status != AppointmentStatus.COMPLETED.value or visit.completed_at is None
        done = visit.completed_at or self.moment
        draft = draft or ongoing or done > self.moment - _RECENT
        row = {
            **_stamp(new_id(), visit.started_at, visit.author_id),
            "patient_id": visit.patient_id,
            "appointment_id": visit.appointment_id,
            "author_id": visit.author_id,
            "occurred_at": visit.start_at,
            "status": _DRAFT if draft else _SIGNED,
            "chief_complaint": note.chief_complaint,
            "subjective": note.subjective,
            # A consultation going on now has only what is asked first.
            "objective": "" if ongoing else note.objective,
            "assessment": "" if ongoing else note.assessment,
            "plan": "" if ongoing else note.plan,
            **{key: note.vitals.get(key) for key in VITALS},
            "signed_at": None,
            "signed_by": None,
            "amends_id": None,
            "amendment_reason": "",
            "template_id": None,
        }
        if draft:
            row["updated_at"] = min(done, self.moment)
            self.rows.encounters.append(row)
            self.rows.drafts += 1
            return
        signed = max(done, min(done + timedelta(minutes=between(rng, 2, 150)), self.moment))
        row.update(signed_at=signed, signed_by=visit.author_id, updated_at=signed)
        self.rows.encounters.append(row)
        self.rows.signed += 1
        self.rows.signed_notes.append((row, visit.dental))
        if note.rx and rng.random() < 0.85:
            self._prescribe(row, note.rx, done)
        if rng.random() < 0.04:
            self._addendum(row, visit.dental)

    def _addendum(self, note: dict[str, Any], dental: bool) -> None:
        at = note["signed_at"] + timedelta(
            days=between(self.rng, 1, 9), minutes=between(self.rng, 0, 600)
        )
        if at >= self.moment:
            return
        text = pick(self.rng, DENTAL_ADDENDA if dental else ADDENDA).format(
            glucose=between(self.rng, 82, 99)
        )
        self.rows.addenda.append(
            {**_stamp(new_id(), at, note["author_id"]), "encounter_id": note["id"], "text": text}
        )

    def _prescribe(self, note: dict[str, Any], lines: list[Rx], at: datetime) -> None:
        rng, author = self.rng, note["author_id"]
        issued_on = note["occurred_at"].astimezone(self.zone).date()
        memo = pick(rng, PRESCRIPTION_NOTES)
        wrong = not self._voided and len(self.rows.prescriptions) >= 3 and _doubled(lines[0])
        if wrong:
            # Issued with the wrong dose, voided minutes later and issued again.
            self._voided = True
            bad = [Rx(**{**lines[0].__dict__, "dose": _doubled(lines[0])}), *lines[1:]]
            first = self._prescription(note, bad, at, issued_on, memo)
            first.update(
                status=PrescriptionStatus.VOID.value,
                voided_at=at + timedelta(minutes=4),
                voided_by=author,
                void_reason=VOID_REASON,
                updated_at=at + timedelta(minutes=4),
            )
            at += timedelta(minutes=5)
        self._prescription(note, lines, at, issued_on, memo)

    def _prescription(
        self, note: dict[str, Any], lines: list[Rx], at: datetime, issued_on: Any, memo: str
    ) -> dict[str, Any]:
        author = note["author_id"]
        row = {
            **_stamp(new_id(), at, author),
            "patient_id": note["patient_id"],
            "encounter_id": note["id"],
            "prescriber_id": author,
            "issued_on": issued_on,
            "notes": memo,
            "status": PrescriptionStatus.ISSUED.value,
            "voided_at": None,
            "voided_by": None,
            "void_reason": "",
        }
        self.rows.prescriptions.append(row)
        for position, line in enumerate(lines):
            self.rows.items.append(
                {
                    **_stamp(new_id(), at, author),
                    "prescription_id": row["id"],
                    "position": position,
                    "medication": line.medication,
                    "dose": line.dose,
                    "route": line.route,
                    "frequency": line.frequency,
                    "duration": line.duration,
                    "instructions": line.instructions,
                }
            )
        return row

    def _amend(self) -> None:
        """Two signed notes get an amended version: one whose weight was mistyped, one whose
        control interval was wrong. The original keeps what it said."""
        week = self.moment - timedelta(days=7)
        old = [(row, dental) for row, dental in self.rows.signed_notes if row["signed_at"] < week]
        weighed = next((r for r, d in old if not d and (r["weight_kg"] or 0) >= 30), None)
        interval = next(
            (
                r
                for r, d in reversed(old)
                if not d and r is not weighed and _CONTROL.search(r["plan"])
            ),
            None,
        )
        if weighed is not None:
            right = weighed["weight_kg"]
            wrong = round(right / 10, 1)
            weighed["weight_kg"] = wrong
            reason = WEIGHT_AMENDMENT.format(wrong=_comma(wrong), right=_comma(right))
            self._amended(weighed, reason, weight_kg=right)
        if interval is not None:
            match = _CONTROL.search(interval["plan"])
            assert match is not None
            number, unit = int(match.group(1)), match.group(2)
            right_number = number * 2
            right_unit = unit if unit == "meses" or right_number == 1 else "semanas"
            wrong_text, right_text = f"{number} {unit}", f"{right_number} {right_unit}"
            plan = interval["plan"].replace(match.group(0), f"Control en {right_text}.")
            reason = INTERVAL_AMENDMENT.format(right=right_text, wrong=wrong_text)
            self._amended(interval, reason, plan=plan)

    def _amended(self, original: dict[str, Any], reason: str, **changes: Any) -> None:
        at = original["signed_at"] + timedelta(days=between(self.rng, 1, 3))
        at = min(at, self.moment - timedelta(minutes=5))
        row = {
            **original,
            **_stamp(new_id(), at - timedelta(minutes=3), original["author_id"]),
            **changes,
            "amends_id": original["id"],
            "amendment_reason": reason,
            "signed_at": at,
            "signed_by": original["author_id"],
            "updated_at": at,
        }
        self.rows.encounters.append(row)
        self.rows.amended += 1


def _doubled(line: Rx) -> str:
    """The dose written twice too high ("1 tableta" -> "2 tabletas"), or "" when the dose
    does not start with a plain 1."""
    if not line.dose.startswith("1 "):
        return ""
    rest = line.dose[2:]
    return "2 " + (rest + "s" if rest[-1:] in "ao" and " " not in rest else rest)


def _comma(value: float) -> str:
    return f"{value:.1f}".replace(".", ",")
