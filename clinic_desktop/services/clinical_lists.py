"""Writing the three lists of the standing clinical record: allergies, current medications and
the problem list. Nothing is ever deleted: an allergy becomes inactive, a medication is stopped,
a problem resolved, and an entry recorded by mistake is marked "entered in error" (and then
never changes again), so the chart keeps what was believed when. Edits carry the version the
dialog loaded; a second active allergy to the same substance is refused."""

from __future__ import annotations

import uuid
from datetime import date
from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from clinic_desktop.actor import Actor
from clinic_desktop.db.uow import UnitOfWork
from clinic_desktop.errors import InvalidTransition, NotFound, ValidationError
from clinic_desktop.i18n import _
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
from clinic_desktop.services.clinical_common import announce, load_patient
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


def _load(session: Session, model: type[_Entry], entry_id: uuid.UUID) -> _Entry:
    row = session.get(model, entry_id)
    if row is None or row.is_deleted:
        raise NotFound(_("This entry no longer exists. Reopen the chart."))
    load_patient(session, row.patient_id)
    return row


def _apply(row: Allergy | Medication | Problem, values: dict[str, object]) -> None:
    for key, value in values.items():
        setattr(row, key, value)


def _refuse_in_error(status: str) -> None:
    if status == "entered_in_error":
        raise InvalidTransition(
            _("This entry was marked as entered in error; it can no longer be changed.")
        )


def _check_expected(session: Session, row: _Entry, expected_version: int | None) -> None:
    if expected_version is not None:
        check_version(session, row, expected_version)


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


def _allergy_result(uow: UnitOfWork, session: Session, row: Allergy) -> AllergyDTO:
    session.flush()
    announce(uow, row.patient_id, "allergies")
    return allergy_dto(row, names_of(session, [row]))


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
        load_patient(session, patient_id)
        values = clean_allergy(form, today or clinic_today(session))
        _refuse_duplicate_allergy(session, patient_id, str(values["substance"]), None)
        row = Allergy(patient_id=patient_id, status=AllergyStatus.ACTIVE.value)
        _apply(row, values)
        session.add(row)
        return _allergy_result(uow, session, row)


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
        require(session, actor, Permission.CLINICAL_WRITE)
        row = _load(session, Allergy, allergy_id)
        check_version(session, row, expected_version)
        _refuse_in_error(row.status)
        values = clean_allergy(form, today or clinic_today(session))
        if row.status == AllergyStatus.ACTIVE:
            _refuse_duplicate_allergy(session, row.patient_id, str(values["substance"]), row.id)
        _apply(row, values)
        return _allergy_result(uow, session, row)


def set_allergy_status(
    uow: UnitOfWork,
    *,
    actor: Actor,
    allergy_id: uuid.UUID,
    status: str,
    expected_version: int | None = None,
) -> AllergyDTO:
    """Active ⇄ inactive, or entered in error (final). The same status again changes nothing."""
    if status not in {s.value for s in AllergyStatus}:
        raise ValidationError(_("Status: choose one from the list."), field="status")
    with uow.transaction(actor) as session:
        require(session, actor, Permission.CLINICAL_WRITE)
        row = _load(session, Allergy, allergy_id)
        _check_expected(session, row, expected_version)
        if row.status == status:
            return allergy_dto(row, names_of(session, [row]))
        _refuse_in_error(row.status)
        if status == AllergyStatus.ACTIVE:
            _refuse_duplicate_allergy(session, row.patient_id, row.substance, row.id)
        row.status = status
        return _allergy_result(uow, session, row)


# -- medications ---------------------------------------------------------------------------


def _medication_result(uow: UnitOfWork, session: Session, row: Medication) -> MedicationDTO:
    session.flush()
    announce(uow, row.patient_id, "medications")
    return medication_dto(row, names_of(session, [row]))


def _stopped_after_start(started_on: date | None, stopped_on: date | None, field: str) -> None:
    if started_on and stopped_on and stopped_on < started_on:
        message = (
            _("Stopped on: it cannot be before the date the medication was started.")
            if field == "stopped_on"
            else _("Started on: it cannot be after the date the medication was stopped.")
        )
        raise ValidationError(message, field=field)


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
        load_patient(session, patient_id)
        row = Medication(patient_id=patient_id, status=MedicationStatus.ACTIVE.value)
        _apply(row, clean_medication(form, today or clinic_today(session)))
        session.add(row)
        return _medication_result(uow, session, row)


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
        require(session, actor, Permission.CLINICAL_WRITE)
        row = _load(session, Medication, medication_id)
        check_version(session, row, expected_version)
        _refuse_in_error(row.status)
        values = clean_medication(form, today or clinic_today(session))
        _stopped_after_start(form.started_on, row.stopped_on, "started_on")
        _apply(row, values)
        return _medication_result(uow, session, row)


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
        require(session, actor, Permission.CLINICAL_WRITE)
        row = _load(session, Medication, medication_id)
        _check_expected(session, row, expected_version)
        _refuse_in_error(row.status)
        if row.status != MedicationStatus.ACTIVE:
            raise InvalidTransition(_("This medication is already stopped."))
        day = today or clinic_today(session)
        when = past_date(stopped_on or day, field="stopped_on", label=_("Stopped on"), today=day)
        _stopped_after_start(row.started_on, when, "stopped_on")
        row.status = MedicationStatus.STOPPED.value
        row.stopped_on = when
        return _medication_result(uow, session, row)


def mark_medication_entered_in_error(
    uow: UnitOfWork,
    *,
    actor: Actor,
    medication_id: uuid.UUID,
    expected_version: int | None = None,
) -> MedicationDTO:
    with uow.transaction(actor) as session:
        require(session, actor, Permission.CLINICAL_WRITE)
        row = _load(session, Medication, medication_id)
        _check_expected(session, row, expected_version)
        if row.status == MedicationStatus.ENTERED_IN_ERROR:
            return medication_dto(row, names_of(session, [row]))
        row.status = MedicationStatus.ENTERED_IN_ERROR.value
        return _medication_result(uow, session, row)


# -- problems ------------------------------------------------------------------------------


def _problem_result(uow: UnitOfWork, session: Session, row: Problem) -> ProblemDTO:
    session.flush()
    announce(uow, row.patient_id, "problems")
    return problem_dto(row, names_of(session, [row]))


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
        load_patient(session, patient_id)
        row = Problem(patient_id=patient_id, status=ProblemStatus.ACTIVE.value)
        _apply(row, clean_problem(form, today or clinic_today(session)))
        session.add(row)
        return _problem_result(uow, session, row)


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
        require(session, actor, Permission.CLINICAL_WRITE)
        row = _load(session, Problem, problem_id)
        check_version(session, row, expected_version)
        _refuse_in_error(row.status)
        values = clean_problem(form, today or clinic_today(session))
        if form.onset_on and row.resolved_on and form.onset_on > row.resolved_on:
            raise ValidationError(
                _("Onset: it cannot be after the date the problem was resolved."),
                field="onset_on",
            )
        _apply(row, values)
        return _problem_result(uow, session, row)


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
    if status not in {s.value for s in ProblemStatus}:
        raise ValidationError(_("Status: choose one from the list."), field="status")
    with uow.transaction(actor) as session:
        require(session, actor, Permission.CLINICAL_WRITE)
        row = _load(session, Problem, problem_id)
        _check_expected(session, row, expected_version)
        if row.status == status:
            return problem_dto(row, names_of(session, [row]))
        _refuse_in_error(row.status)
        if status == ProblemStatus.RESOLVED:
            day = today or clinic_today(session)
            when = past_date(
                resolved_on or day, field="resolved_on", label=_("Resolved on"), today=day
            )
            if when is not None and row.onset_on and when < row.onset_on:
                raise ValidationError(
                    _("Resolved on: it cannot be before the onset of the problem."),
                    field="resolved_on",
                )
            row.resolved_on = when
        elif status == ProblemStatus.ACTIVE:
            row.resolved_on = None
        row.status = status
        return _problem_result(uow, session, row)
