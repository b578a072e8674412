"""Writing the three lists of the standing clinical record: allergies, current medications and
the problem list. Nothing is ever deleted: an allergy becomes inactive, a medication is stopped,
a problem resolved, and an entry recorded by mistake is marked "entered in error" (and then
never changes again), so the chart keeps what was believed when. Edits carry the version the
dialog loaded; a second active allergy to the same substance is refused."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Generic, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from clinic_desktop.actor import Actor
from clinic_desktop.db.uow import UnitOfWork
from clinic_desktop.errors import InvalidTransition, ValidationError
from clinic_desktop.i18n import N_, _
from clinic_desktop.models.clinical import (
    Allergy,
    AllergyStatus,
    Medication,
    MedicationStatus,
    Problem,
    ProblemStatus,
)
from clinic_desktop.models.patient import fold
from clinic_desktop.models.permissions import Permission
from clinic_desktop.services.access import require
from clinic_desktop.services.clinical_common import announce, load_patient, load_record
from clinic_desktop.services.clinical_dto import (
    AllergyDTO,
    AllergyForm,
    MedicationDTO,
    MedicationForm,
    ProblemDTO,
    ProblemForm,
    clean_allergy,
    clean_medication,
    clean_problem,
    past_date,
)
from clinic_desktop.services.clinical_history import (
    allergy_dto,
    clinic_today,
    medication_dto,
    names_of,
    problem_dto,
)
from clinic_desktop.services.concurrency import check_version

_Entry = TypeVar("_Entry", Allergy, Medication, Problem)
_DTO = TypeVar("_DTO", AllergyDTO, MedicationDTO, ProblemDTO)


@dataclass(frozen=True)
class _List(Generic[_Entry, _DTO]):
    """One of the three lists: its rows, the name its changes are announced under (the
    screens refresh by it) and how a row becomes what the chart shows."""

    model: type[_Entry]
    what: str
    to_dto: Callable[[_Entry, dict[uuid.UUID, str]], _DTO]


_ALLERGIES = _List(Allergy, "allergies", allergy_dto)
_MEDICATIONS = _List(Medication, "medications", medication_dto)
_PROBLEMS = _List(Problem, "problems", problem_dto)

# What is said when two dates of an entry are out of order, by the field refused.
_OUT_OF_ORDER = {
    "started_on": N_("Started on: it cannot be after the date the medication was stopped."),
    "stopped_on": N_("Stopped on: it cannot be before the date the medication was started."),
    "onset_on": N_("Onset: it cannot be after the date the problem was resolved."),
    "resolved_on": N_("Resolved on: it cannot be before the onset of the problem."),
}


def _open(
    session: Session,
    actor: Actor,
    kind: _List[_Entry, _DTO],
    entry_id: uuid.UUID,
    expected_version: int | None,
) -> _Entry:
    """The entry to change, once the actor may write and, when the dialog sent the version it
    loaded, nobody changed the entry since."""
    require(session, actor, Permission.CLINICAL_WRITE)
    row = load_record(
        session, kind.model, entry_id, missing=_("This entry no longer exists. Reopen the chart.")
    )
    if expected_version is not None:
        check_version(session, row, expected_version)
    return row


def _as_dto(session: Session, kind: _List[_Entry, _DTO], row: _Entry) -> _DTO:
    return kind.to_dto(row, names_of(session, [row]))


def _saved(uow: UnitOfWork, session: Session, kind: _List[_Entry, _DTO], row: _Entry) -> _DTO:
    session.flush()
    announce(uow, row.patient_id, kind.what)
    return _as_dto(session, kind, row)


def _added(
    uow: UnitOfWork,
    session: Session,
    kind: _List[_Entry, _DTO],
    row: _Entry,
    values: dict[str, object],
) -> _DTO:
    _apply(row, values)
    session.add(row)
    return _saved(uow, session, kind, row)


def _apply(row: Allergy | Medication | Problem, values: dict[str, object]) -> None:
    for key, value in values.items():
        setattr(row, key, value)


def _refuse_in_error(row: Allergy | Medication | Problem) -> None:
    if row.status == "entered_in_error":
        raise InvalidTransition(
            _("This entry was marked as entered in error; it can no longer be changed.")
        )


def _known_status(status: str, statuses: type[StrEnum]) -> None:
    if status not in {s.value for s in statuses}:
        raise ValidationError(_("Status: choose one from the list."), field="status")


def _in_order(earlier: date | None, later: date | None, field: str) -> None:
    """Refuses `field` when the two dates are out of order (stopped before started, resolved
    before the onset); either may be unknown."""
    if earlier and later and later < earlier:
        raise ValidationError(_(_OUT_OF_ORDER[field]), field=field)


# -- allergies -----------------------------------------------------------------------------


def _refuse_duplicate_allergy(
    session: Session, patient_id: uuid.UUID, substance: str, keep: uuid.UUID | None
) -> None:
    """One active entry per substance: "Penicilina" and "penicilina " are the same allergy."""
    wanted = fold(substance)
    rows = session.scalars(
        select(Allergy).where(
            Allergy.patient_id == patient_id,
            Allergy.status == AllergyStatus.ACTIVE.value,
            Allergy.deleted_at.is_(None),
        )
    )
    for row in rows:
        if row.id != keep and fold(row.substance) == wanted:
            raise ValidationError(
                _("Substance: {substance} is already recorded as an active allergy.").format(
                    substance=row.substance
                ),
                field="substance",
            )


def add_allergy(
    uow: UnitOfWork,
    *,
    actor: Actor,
    patient_id: uuid.UUID,
    form: AllergyForm,
    today: date | None = None,
) -> AllergyDTO:
    with uow.transaction(actor) as session:
        require(session, actor, Permission.CLINICAL_WRITE)
        load_patient(session, patient_id, writing=True)
        values = clean_allergy(form, today or clinic_today(session))
        _refuse_duplicate_allergy(session, patient_id, str(values["substance"]), None)
        row = Allergy(patient_id=patient_id, status=AllergyStatus.ACTIVE.value)
        return _added(uow, session, _ALLERGIES, row, values)


def update_allergy(
    uow: UnitOfWork,
    *,
    actor: Actor,
    allergy_id: uuid.UUID,
    expected_version: int,
    form: AllergyForm,
    today: date | None = None,
) -> AllergyDTO:
    with uow.transaction(actor) as session:
        row = _open(session, actor, _ALLERGIES, allergy_id, expected_version)
        _refuse_in_error(row)
        values = clean_allergy(form, today or clinic_today(session))
        if row.status == AllergyStatus.ACTIVE:
            _refuse_duplicate_allergy(session, row.patient_id, str(values["substance"]), row.id)
        _apply(row, values)
        return _saved(uow, session, _ALLERGIES, row)


def set_allergy_status(
    uow: UnitOfWork,
    *,
    actor: Actor,
    allergy_id: uuid.UUID,
    status: str,
    expected_version: int | None = None,
) -> AllergyDTO:
    """Active ⇄ inactive, or entered in error (final). The same status again changes nothing."""
    _known_status(status, AllergyStatus)
    with uow.transaction(actor) as session:
        row = _open(session, actor, _ALLERGIES, allergy_id, expected_version)
        if row.status == status:
            return _as_dto(session, _ALLERGIES, row)
        _refuse_in_error(row)
        if status == AllergyStatus.ACTIVE:
            _refuse_duplicate_allergy(session, row.patient_id, row.substance, row.id)
        row.status = status
        return _saved(uow, session, _ALLERGIES, row)


# -- medications ---------------------------------------------------------------------------


def add_medication(
    uow: UnitOfWork,
    *,
    actor: Actor,
    patient_id: uuid.UUID,
    form: MedicationForm,
    today: date | None = None,
) -> MedicationDTO:
    with uow.transaction(actor) as session:
        require(session, actor, Permission.CLINICAL_WRITE)
        load_patient(session, patient_id, writing=True)
        values = clean_medication(form, today or clinic_today(session))
        row = Medication(patient_id=patient_id, status=MedicationStatus.ACTIVE.value)
        return _added(uow, session, _MEDICATIONS, row, values)


def update_medication(
    uow: UnitOfWork,
    *,
    actor: Actor,
    medication_id: uuid.UUID,
    expected_version: int,
    form: MedicationForm,
    today: date | None = None,
) -> MedicationDTO:
    with uow.transaction(actor) as session:
        row = _open(session, actor, _MEDICATIONS, medication_id, expected_version)
        _refuse_in_error(row)
        values = clean_medication(form, today or clinic_today(session))
        _in_order(form.started_on, row.stopped_on, "started_on")
        _apply(row, values)
        return _saved(uow, session, _MEDICATIONS, row)


def stop_medication(
    uow: UnitOfWork,
    *,
    actor: Actor,
    medication_id: uuid.UUID,
    stopped_on: date | None = None,
    expected_version: int | None = None,
    today: date | None = None,
) -> MedicationDTO:
    """Marks a medication the patient no longer takes (today unless another date is given)."""
    with uow.transaction(actor) as session:
        row = _open(session, actor, _MEDICATIONS, medication_id, expected_version)
        _refuse_in_error(row)
        if row.status != MedicationStatus.ACTIVE:
            raise InvalidTransition(_("This medication is already stopped."))
        day = today or clinic_today(session)
        when = past_date(stopped_on or day, field="stopped_on", label=_("Stopped on"), today=day)
        _in_order(row.started_on, when, "stopped_on")
        row.status = MedicationStatus.STOPPED.value
        row.stopped_on = when
        return _saved(uow, session, _MEDICATIONS, row)


def mark_medication_entered_in_error(
    uow: UnitOfWork,
    *,
    actor: Actor,
    medication_id: uuid.UUID,
    expected_version: int | None = None,
) -> MedicationDTO:
    with uow.transaction(actor) as session:
        row = _open(session, actor, _MEDICATIONS, medication_id, expected_version)
        if row.status == MedicationStatus.ENTERED_IN_ERROR:
            return _as_dto(session, _MEDICATIONS, row)
        row.status = MedicationStatus.ENTERED_IN_ERROR.value
        return _saved(uow, session, _MEDICATIONS, row)


# -- problems ------------------------------------------------------------------------------


def add_problem(
    uow: UnitOfWork,
    *,
    actor: Actor,
    patient_id: uuid.UUID,
    form: ProblemForm,
    today: date | None = None,
) -> ProblemDTO:
    with uow.transaction(actor) as session:
        require(session, actor, Permission.CLINICAL_WRITE)
        load_patient(session, patient_id, writing=True)
        values = clean_problem(form, today or clinic_today(session))
        row = Problem(patient_id=patient_id, status=ProblemStatus.ACTIVE.value)
        return _added(uow, session, _PROBLEMS, row, values)


def update_problem(
    uow: UnitOfWork,
    *,
    actor: Actor,
    problem_id: uuid.UUID,
    expected_version: int,
    form: ProblemForm,
    today: date | None = None,
) -> ProblemDTO:
    with uow.transaction(actor) as session:
        row = _open(session, actor, _PROBLEMS, problem_id, expected_version)
        _refuse_in_error(row)
        values = clean_problem(form, today or clinic_today(session))
        _in_order(form.onset_on, row.resolved_on, "onset_on")
        _apply(row, values)
        return _saved(uow, session, _PROBLEMS, row)


def set_problem_status(
    uow: UnitOfWork,
    *,
    actor: Actor,
    problem_id: uuid.UUID,
    status: str,
    resolved_on: date | None = None,
    expected_version: int | None = None,
    today: date | None = None,
) -> ProblemDTO:
    """Resolve (on `resolved_on`, today by default), reopen, or mark entered in error (final).
    The same status again changes nothing."""
    _known_status(status, ProblemStatus)
    with uow.transaction(actor) as session:
        row = _open(session, actor, _PROBLEMS, problem_id, expected_version)
        if row.status == status:
            return _as_dto(session, _PROBLEMS, row)
        _refuse_in_error(row)
        if status == ProblemStatus.RESOLVED:
            day = today or clinic_today(session)
            when = past_date(
                resolved_on or day, field="resolved_on", label=_("Resolved on"), today=day
            )
            _in_order(row.onset_on, when, "resolved_on")
            row.resolved_on = when
        elif status == ProblemStatus.ACTIVE:
            row.resolved_on = None
        row.status = status
        return _saved(uow, session, _PROBLEMS, row)
