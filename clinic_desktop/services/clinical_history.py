"""Reading a patient's standing clinical record and writing the medical history: the chart's
summary (history sections, allergies, medications, problem list) in a few indexed queries, the
allergy alerts shown on the chart header and on the patient's appointments (one patient, or a
whole waiting room in one call), and saving one
history section with optimistic concurrency. Every read writes its audit entry; the list
entries themselves are written by `clinical_lists`."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import date, datetime
from typing import TypeVar

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from clinic_desktop.actor import Actor
from clinic_desktop.db.uow import UnitOfWork
from clinic_desktop.errors import ValidationError
from clinic_desktop.i18n import _
from clinic_desktop.models.base import Entity
from clinic_desktop.models.clinical import (
    Allergy,
    AllergyStatus,
    HistorySection,
    MedicalHistoryEntry,
    Medication,
    MedicationStatus,
    Problem,
    ProblemStatus,
)
from clinic_desktop.models.patient import Patient, fold
from clinic_desktop.models.permissions import Permission
from clinic_desktop.services.access import require
from clinic_desktop.services.agenda_rules import clinic_zone
from clinic_desktop.services.clinical_common import (
    announce,
    audit_clinical_read,
    load_patient,
    name_of,
    user_names,
)
from clinic_desktop.services.clinical_dto import (
    HISTORY_TEXT_LIMIT,
    SECTION_LABELS,
    SEVERITY_RANK,
    AllergyDTO,
    ClinicalSummaryDTO,
    HistorySectionDTO,
    MedicationDTO,
    ProblemDTO,
)
from clinic_desktop.services.concurrency import check_version

_ALLERGY_ORDER = {AllergyStatus.ACTIVE: 0, AllergyStatus.INACTIVE: 1}
_MEDICATION_ORDER = {MedicationStatus.ACTIVE: 0, MedicationStatus.STOPPED: 1}
_PROBLEM_ORDER = {ProblemStatus.ACTIVE: 0, ProblemStatus.RESOLVED: 1}
_Listed = TypeVar("_Listed", MedicalHistoryEntry, Allergy, Medication, Problem)


def clinic_today(session: Session) -> date:
    """Today on the clinic's calendar (late evening in Quito is already tomorrow in UTC)."""
    return datetime.now(clinic_zone(session)).date()


# -- DTOs ----------------------------------------------------------------------------------


def allergy_dto(row: Allergy, names: dict[uuid.UUID, str]) -> AllergyDTO:
    return AllergyDTO(
        id=row.id,
        patient_id=row.patient_id,
        substance=row.substance,
        reaction=row.reaction,
        severity=row.severity,
        status=row.status,
        noted_on=row.noted_on,
        note=row.note,
        version=row.version,
        updated_at=row.updated_at,
        updated_by=name_of(names, row.updated_by),
    )


def medication_dto(row: Medication, names: dict[uuid.UUID, str]) -> MedicationDTO:
    return MedicationDTO(
        id=row.id,
        patient_id=row.patient_id,
        name=row.name,
        dose=row.dose,
        route=row.route,
        frequency=row.frequency,
        status=row.status,
        started_on=row.started_on,
        stopped_on=row.stopped_on,
        note=row.note,
        version=row.version,
        updated_at=row.updated_at,
        updated_by=name_of(names, row.updated_by),
    )


def problem_dto(row: Problem, names: dict[uuid.UUID, str]) -> ProblemDTO:
    return ProblemDTO(
        id=row.id,
        patient_id=row.patient_id,
        description=row.description,
        icd10=row.icd10,
        status=row.status,
        onset_on=row.onset_on,
        resolved_on=row.resolved_on,
        note=row.note,
        version=row.version,
        updated_at=row.updated_at,
        updated_by=name_of(names, row.updated_by),
    )


def names_of(session: Session, rows: Iterable[Entity]) -> dict[uuid.UUID, str]:
    return user_names(session, (row.updated_by for row in rows))


def _history_dto(
    patient_id: uuid.UUID,
    section: str,
    row: MedicalHistoryEntry | None,
    names: dict[uuid.UUID, str],
) -> HistorySectionDTO:
    if row is None:
        return HistorySectionDTO(patient_id, section, "", None, None, "")
    return HistorySectionDTO(
        patient_id=patient_id,
        section=section,
        text=row.text,
        version=row.version,
        updated_at=row.updated_at,
        updated_by=name_of(names, row.updated_by),
    )


# -- ordering ------------------------------------------------------------------------------


def allergy_key(row: Allergy | AllergyDTO) -> tuple[int, int, str]:
    """Active first, the most severe leading; entered-in-error entries last."""
    return (
        _ALLERGY_ORDER.get(AllergyStatus(row.status), 2),
        SEVERITY_RANK.get(row.severity, 9),
        fold(row.substance),
    )


def medication_key(row: Medication | MedicationDTO) -> tuple[int, int, str]:
    # Stopped ones most recently stopped first (the order of a negated ordinal).
    stopped = -(row.stopped_on.toordinal()) if row.stopped_on else 0
    return (_MEDICATION_ORDER.get(MedicationStatus(row.status), 2), stopped, fold(row.name))


def problem_key(row: Problem | ProblemDTO) -> tuple[int, str]:
    return (_PROBLEM_ORDER.get(ProblemStatus(row.status), 2), fold(row.description))


def _live(model: type[_Listed], patient_id: uuid.UUID) -> Select[_Listed]:
    return select(model).where(model.patient_id == patient_id, model.deleted_at.is_(None))


# -- services ------------------------------------------------------------------------------


def get_clinical_summary(
    uow: UnitOfWork, *, actor: Actor, patient_id: uuid.UUID
) -> ClinicalSummaryDTO:
    """Everything the summary tab shows, in five indexed queries; audited as one read."""
    with uow.transaction(actor) as session:
        require(session, actor, Permission.CLINICAL_READ)
        load_patient(session, patient_id)
        history_rows = list(session.scalars(_live(MedicalHistoryEntry, patient_id)))
        allergies = sorted(session.scalars(_live(Allergy, patient_id)), key=allergy_key)
        medications = sorted(session.scalars(_live(Medication, patient_id)), key=medication_key)
        problems = sorted(session.scalars(_live(Problem, patient_id)), key=problem_key)
        names = names_of(session, [*history_rows, *allergies, *medications, *problems])
        by_section = {row.section: row for row in history_rows}
        audit_clinical_read(session, actor, patient_id=patient_id, what="summary")
        return ClinicalSummaryDTO(
            patient_id=patient_id,
            history=tuple(
                _history_dto(patient_id, s.value, by_section.get(s.value), names)
                for s in HistorySection
            ),
            allergies=tuple(allergy_dto(a, names) for a in allergies),
            medications=tuple(medication_dto(m, names) for m in medications),
            problems=tuple(problem_dto(p, names) for p in problems),
        )


def allergy_alerts(
    uow: UnitOfWork, *, actor: Actor, patient_id: uuid.UUID
) -> tuple[AllergyDTO, ...]:
    """The patient's active allergies, most severe first: the chart header's and the
    appointment dialog's alert. Showing it is an opening of clinical content, so it is
    audited."""
    with uow.transaction(actor) as session:
        require(session, actor, Permission.CLINICAL_READ)
        load_patient(session, patient_id)
        rows = sorted(
            session.scalars(
                _live(Allergy, patient_id).where(Allergy.status == AllergyStatus.ACTIVE.value)
            ),
            key=allergy_key,
        )
        names = names_of(session, rows)
        audit_clinical_read(session, actor, patient_id=patient_id, what="allergy alert")
        return tuple(allergy_dto(row, names) for row in rows)


def allergy_alerts_for(
    uow: UnitOfWork, *, actor: Actor, patient_ids: Iterable[uuid.UUID]
) -> dict[uuid.UUID, tuple[AllergyDTO, ...]]:
    """The active allergies of several patients at once (the waiting room's cards), most
    severe first, in two queries whatever the number of patients. Every live patient asked
    for gets a key (an empty tuple when nothing is recorded) and their own "allergy alert"
    read entry, exactly as `allergy_alerts` writes for one: the audit trail is searched
    patient by patient, so a single summary entry would hide who saw whose record. Deleted
    patients are left out, not refused: a list must not fail because one of its rows went."""
    wanted = set(patient_ids)
    with uow.transaction(actor) as session:
        require(session, actor, Permission.CLINICAL_READ)
        if not wanted:
            return {}
        live = set(
            session.scalars(
                select(Patient.id).where(Patient.id.in_(wanted), Patient.deleted_at.is_(None))
            )
        )
        rows = sorted(
            session.scalars(
                select(Allergy).where(
                    Allergy.patient_id.in_(live),
                    Allergy.deleted_at.is_(None),
                    Allergy.status == AllergyStatus.ACTIVE.value,
                )
            ),
            key=allergy_key,
        )
        names = names_of(session, rows)
        found: dict[uuid.UUID, list[AllergyDTO]] = {patient_id: [] for patient_id in live}
        for row in rows:
            found[row.patient_id].append(allergy_dto(row, names))
        # A stable order, so the trail reads the same way each time the same list is shown.
        for patient_id in sorted(live):
            audit_clinical_read(session, actor, patient_id=patient_id, what="allergy alert")
        return {patient_id: tuple(alerts) for patient_id, alerts in found.items()}


def save_history_section(
    uow: UnitOfWork,
    *,
    actor: Actor,
    patient_id: uuid.UUID,
    section: str,
    text: str,
    expected_version: int | None,
) -> HistorySectionDTO:
    """Writes one section's text. `expected_version` is the version the editor loaded (None
    when the section was empty and never saved): a newer one is refused, overwriting
    nothing. Saving the same text again changes nothing."""
    if section not in SECTION_LABELS:
        raise ValidationError(_("History section: choose one from the list."), field="section")
    label = _(SECTION_LABELS[section])
    # Free text keeps its lines; only trailing blanks go.
    cleaned = "\n".join(line.rstrip() for line in text.strip().splitlines())
    if len(cleaned) > HISTORY_TEXT_LIMIT:
        raise ValidationError(
            _("{section}: at most {count} characters (this text has {length}).").format(
                section=label, count=HISTORY_TEXT_LIMIT, length=len(cleaned)
            ),
            field="text",
        )
    with uow.transaction(actor) as session:
        require(session, actor, Permission.CLINICAL_WRITE)
        load_patient(session, patient_id, writing=True)
        row = session.scalar(
            select(MedicalHistoryEntry).where(
                MedicalHistoryEntry.patient_id == patient_id,
                MedicalHistoryEntry.section == section,
            )
        )
        if row is None:
            row = MedicalHistoryEntry(patient_id=patient_id, section=section, text=cleaned)
            session.add(row)
        else:
            # Versions start at 1, so "never saved" against an existing row is a conflict.
            check_version(session, row, expected_version or 0)
            if row.text == cleaned:
                return _history_dto(patient_id, section, row, names_of(session, [row]))
            row.text = cleaned
        session.flush()
        announce(uow, patient_id, "history")
        return _history_dto(patient_id, section, row, names_of(session, [row]))
