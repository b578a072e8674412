"""Reading clinical notes inside a transaction: loading a live note, turning one into its full
DTO (names, addenda, the correction chain, the linked appointment) and a whole chart's notes
into list rows. The list is built from four queries whatever the number of notes (the notes,
the user names, the linked appointments, the addenda counts), so a chart with hundreds of
consultations opens at once."""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from clinic_desktop.i18n import _
from clinic_desktop.models.appointment import Appointment
from clinic_desktop.models.encounter import (
    VITALS,
    Encounter,
    EncounterAddendum,
    EncounterStatus,
)
from clinic_desktop.models.schedule import AppointmentType, Practitioner
from clinic_desktop.services.clinical_common import load_record, name_of, user_names
from clinic_desktop.services.encounter_dto import (
    AddendumDTO,
    AppointmentSummary,
    EncounterDTO,
    EncounterRowDTO,
    VersionDTO,
)


def load_encounter(session: Session, encounter_id: uuid.UUID) -> Encounter:
    return load_record(
        session, Encounter, encounter_id, missing=_("The clinical note no longer exists.")
    )


def _live_amendment(session: Session, encounter_id: uuid.UUID) -> Encounter | None:
    """The non-deleted note correcting `encounter_id` (there is at most one: amending returns
    the pending draft instead of starting a second)."""
    return session.scalars(
        select(Encounter)
        .where(Encounter.amends_id == encounter_id, Encounter.deleted_at.is_(None))
        .order_by(Encounter.created_at.desc())
        .limit(1)
    ).first()


def version_chain(session: Session, encounter: Encounter) -> list[Encounter]:
    """The original first, then each correction in turn, this note included."""
    back: list[Encounter] = [encounter]
    seen = {encounter.id}
    while back[0].amends_id is not None and back[0].amends_id not in seen:
        earlier = session.get(Encounter, back[0].amends_id)
        if earlier is None:
            break
        seen.add(earlier.id)
        back.insert(0, earlier)
    tip = encounter
    while (later := _live_amendment(session, tip.id)) is not None and later.id not in seen:
        seen.add(later.id)
        back.append(later)
        tip = later
    return back


def next_version(chain: list[Encounter], encounter: Encounter) -> Encounter | None:
    """The version correcting `encounter` in its chain (signed or a draft), if any."""
    position = next(i for i, v in enumerate(chain) if v.id == encounter.id)
    return chain[position + 1] if position + 1 < len(chain) else None


def author_name(session: Session, encounter: Encounter) -> str:
    """Whose draft it is, for the message that refuses it to anybody else."""
    return name_of(user_names(session, [encounter.author_id]), encounter.author_id) or _(
        "another user"
    )


def appointment_summaries(
    session: Session, ids: Iterable[uuid.UUID | None]
) -> dict[uuid.UUID, AppointmentSummary]:
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    rows = session.execute(
        select(
            Appointment.id,
            Appointment.start_at,
            Practitioner.display_name,
            AppointmentType.name,
            Appointment.status,
        )
        .join(Practitioner, Practitioner.id == Appointment.practitioner_id)
        .outerjoin(AppointmentType, AppointmentType.id == Appointment.type_id)
        .where(Appointment.id.in_(wanted))
    )
    return {
        row[0]: AppointmentSummary(
            id=row[0], start=row[1], practitioner_name=row[2], type_name=row[3] or "", status=row[4]
        )
        for row in rows
    }


def to_dto(session: Session, encounter: Encounter) -> EncounterDTO:
    addenda = list(
        session.scalars(
            select(EncounterAddendum)
            .where(
                EncounterAddendum.encounter_id == encounter.id,
                EncounterAddendum.deleted_at.is_(None),
            )
            .order_by(EncounterAddendum.created_at)
        )
    )
    chain = version_chain(session, encounter)
    names = user_names(
        session,
        [encounter.author_id, encounter.signed_by]
        + [a.created_by for a in addenda]
        + [v.author_id for v in chain]
        + [v.signed_by for v in chain],
    )
    appointments = appointment_summaries(session, [encounter.appointment_id])
    later = next_version(chain, encounter)
    return EncounterDTO(
        id=encounter.id,
        patient_id=encounter.patient_id,
        appointment_id=encounter.appointment_id,
        author_id=encounter.author_id,
        author_name=name_of(names, encounter.author_id),
        occurred_at=encounter.occurred_at,
        status=encounter.status,
        chief_complaint=encounter.chief_complaint,
        subjective=encounter.subjective,
        objective=encounter.objective,
        assessment=encounter.assessment,
        plan=encounter.plan,
        vitals={key: getattr(encounter, key) for key in VITALS},
        signed_at=encounter.signed_at,
        signed_by_name=name_of(names, encounter.signed_by),
        amends_id=encounter.amends_id,
        amendment_reason=encounter.amendment_reason,
        template_id=encounter.template_id,
        created_at=encounter.created_at,
        updated_at=encounter.updated_at,
        version=encounter.version,
        addenda=tuple(
            AddendumDTO(
                id=a.id,
                text=a.text,
                author_name=name_of(names, a.created_by),
                created_at=a.created_at,
            )
            for a in addenda
        ),
        versions=tuple(
            VersionDTO(
                id=v.id,
                number=n,
                status=v.status,
                author_name=name_of(names, v.author_id),
                created_at=v.created_at,
                signed_at=v.signed_at,
                signed_by_name=name_of(names, v.signed_by),
                amendment_reason=v.amendment_reason,
            )
            for n, v in enumerate(chain, start=1)
        ),
        appointment=appointments.get(encounter.appointment_id)
        if encounter.appointment_id
        else None,
        superseded=later is not None and later.is_signed,
    )


def _first_line(text: str) -> str:
    for line in text.splitlines():
        if line.strip():
            return line.strip()
    return ""


def encounter_rows(session: Session, patient_id: uuid.UUID) -> list[EncounterRowDTO]:
    """A chart's notes, newest first, in four queries."""
    notes = session.execute(
        select(
            Encounter.id,
            Encounter.occurred_at,
            Encounter.author_id,
            Encounter.status,
            Encounter.chief_complaint,
            Encounter.assessment,
            Encounter.signed_at,
            Encounter.signed_by,
            Encounter.amends_id,
            Encounter.appointment_id,
        )
        .where(Encounter.patient_id == patient_id, Encounter.deleted_at.is_(None))
        .order_by(Encounter.occurred_at.desc(), Encounter.created_at.desc())
    ).all()
    # Corrections are notes of the same chart, so the superseded ones show up in this list.
    superseded = {
        n.amends_id for n in notes if n.amends_id is not None and n.status == EncounterStatus.SIGNED
    }
    names = user_names(session, [n.author_id for n in notes] + [n.signed_by for n in notes])
    appointments = appointment_summaries(session, [n.appointment_id for n in notes])
    counts: dict[uuid.UUID, int] = {}
    if notes:
        counts = {
            row[0]: row[1]
            for row in session.execute(
                select(EncounterAddendum.encounter_id, func.count())
                .join(Encounter, Encounter.id == EncounterAddendum.encounter_id)
                .where(
                    Encounter.patient_id == patient_id,
                    EncounterAddendum.deleted_at.is_(None),
                )
                .group_by(EncounterAddendum.encounter_id)
            )
        }
    rows: list[EncounterRowDTO] = []
    for n in notes:
        appointment = appointments.get(n.appointment_id) if n.appointment_id else None
        rows.append(
            EncounterRowDTO(
                id=n.id,
                occurred_at=n.occurred_at,
                author_name=name_of(names, n.author_id),
                status=n.status,
                chief_complaint=n.chief_complaint,
                assessment_line=_first_line(n.assessment),
                signed_at=n.signed_at,
                signed_by_name=name_of(names, n.signed_by),
                amends_id=n.amends_id,
                superseded=n.id in superseded,
                addenda_count=counts.get(n.id, 0),
                appointment_id=n.appointment_id,
                appointment_start=appointment.start if appointment else None,
                practitioner_name=appointment.practitioner_name if appointment else "",
                appointment_type=appointment.type_name if appointment else "",
            )
        )
    return rows
