"""The appointment's status lifecycle on the entity, without a session: every allowed and every
refused transition, the time each step records, undoing an arrival or a confirmation, and
cancelling (a reason is required; only a patient's short-notice cancellation is late)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from clinic_desktop.errors import InvalidTransition, ValidationError
from clinic_desktop.models.appointment import (
    ACTIVE_STATUSES,
    MOVABLE_STATUSES,
    Appointment,
    AppointmentStatus,
    CancelledBy,
)

S = AppointmentStatus
START = datetime(2026, 3, 2, 14, 0, tzinfo=UTC)
NOW = datetime(2026, 3, 2, 13, 50, tzinfo=UTC)
DAY = timedelta(hours=24)

# Written out from the issue, independently of the model's own table.
ALLOWED: dict[S, set[S]] = {
    S.SCHEDULED: {S.CONFIRMED, S.ARRIVED, S.CANCELLED, S.NO_SHOW},
    S.CONFIRMED: {S.SCHEDULED, S.ARRIVED, S.CANCELLED, S.NO_SHOW},
    S.ARRIVED: {S.CONFIRMED, S.IN_CONSULTATION, S.COMPLETED},
    S.IN_CONSULTATION: {S.COMPLETED},
    S.COMPLETED: set(),
    S.CANCELLED: set(),
    S.NO_SHOW: {S.ARRIVED},
}
PAIRS = [(a, b) for a in S for b in S]


def appointment(status: S = S.SCHEDULED, start: datetime = START) -> Appointment:
    return Appointment(start_at=start, end_at=start + timedelta(minutes=30), status=status.value)


@pytest.mark.parametrize(("current", "target"), PAIRS, ids=[f"{a}->{b}" for a, b in PAIRS])
def test_can_become_matches_the_lifecycle(current, target):
    assert appointment(current).can_become(target) is (target in ALLOWED[current])


@pytest.mark.parametrize(
    ("current", "target"),
    [(a, b) for a, b in PAIRS if b is not S.CANCELLED],
    ids=[f"{a}->{b}" for a, b in PAIRS if b is not S.CANCELLED],
)
def test_change_status_applies_exactly_the_allowed_transitions(current, target):
    item = appointment(current)
    if target in ALLOWED[current]:
        item.change_status(target, at=NOW)
        assert item.status == target.value
    else:
        with pytest.raises(InvalidTransition):
            item.change_status(target, at=NOW)
        assert item.status == current.value


def test_change_status_never_cancels():
    item = appointment()
    with pytest.raises(InvalidTransition):
        item.change_status(S.CANCELLED, at=NOW)
    assert item.status == S.SCHEDULED.value


def test_each_step_records_its_time():
    item = appointment()
    times = [NOW + timedelta(minutes=n) for n in range(4)]
    item.change_status(S.CONFIRMED, at=times[0])
    item.change_status(S.ARRIVED, at=times[1])
    item.change_status(S.IN_CONSULTATION, at=times[2])
    item.change_status(S.COMPLETED, at=times[3])
    assert (item.confirmed_at, item.arrived_at, item.started_at, item.completed_at) == tuple(times)


def test_undoing_an_arrival_or_a_confirmation_clears_its_time():
    item = appointment(S.CONFIRMED)
    item.confirmed_at = NOW
    item.change_status(S.ARRIVED, at=NOW)
    item.change_status(S.CONFIRMED, at=NOW)
    assert item.arrived_at is None
    item.change_status(S.SCHEDULED, at=NOW)
    assert item.confirmed_at is None


def test_a_no_show_who_turns_up_is_marked_arrived_with_the_time():
    item = appointment(S.NO_SHOW)
    late = START + timedelta(minutes=25)
    item.change_status(S.ARRIVED, at=late)
    assert item.status == S.ARRIVED.value
    assert item.arrived_at == late


def test_cancel_records_who_why_and_when():
    item = appointment()
    item.cancel(by=CancelledBy.CLINIC, reason="  Doctor  ill \n", at=NOW, late_window=DAY)
    assert item.status == S.CANCELLED.value
    assert item.cancelled_at == NOW
    assert item.cancelled_by == "clinic"
    assert item.cancel_reason == "Doctor ill"


@pytest.mark.parametrize("reason", ["", "   ", "\n\t"])
def test_cancel_needs_a_reason(reason):
    item = appointment()
    with pytest.raises(ValidationError) as caught:
        item.cancel(by=CancelledBy.PATIENT, reason=reason, at=NOW, late_window=DAY)
    assert caught.value.field == "cancel_reason"
    assert item.status == S.SCHEDULED.value


@pytest.mark.parametrize(
    ("by", "before_start", "late"),
    [
        (CancelledBy.PATIENT, timedelta(hours=2), True),
        (CancelledBy.PATIENT, DAY - timedelta(minutes=1), True),
        (CancelledBy.PATIENT, DAY, False),  # exactly the window's length ahead: on time
        (CancelledBy.PATIENT, timedelta(days=3), False),
        (CancelledBy.CLINIC, timedelta(hours=2), False),  # the clinic's own cancellation
    ],
)
def test_late_cancellation_only_for_the_patient_inside_the_window(by, before_start, late):
    item = appointment()
    item.cancel(by=by, reason="Reason", at=START - before_start, late_window=DAY)
    assert item.late_cancellation is late


def test_a_zero_window_never_makes_a_cancellation_late():
    item = appointment()
    item.cancel(
        by=CancelledBy.PATIENT, reason="x", at=START - timedelta(minutes=1), late_window=timedelta()
    )
    assert item.late_cancellation is False


@pytest.mark.parametrize("status", [S.ARRIVED, S.IN_CONSULTATION, S.COMPLETED, S.CANCELLED])
def test_started_finished_or_cancelled_appointments_cannot_be_cancelled(status):
    item = appointment(status)
    with pytest.raises(InvalidTransition):
        item.cancel(by=CancelledBy.PATIENT, reason="x", at=NOW, late_window=DAY)
    assert item.status == status.value
    assert item.cancel_reason is None


def test_which_statuses_hold_the_slot_and_which_can_move():
    assert {S.CANCELLED, S.NO_SHOW}.isdisjoint(ACTIVE_STATUSES)
    assert {S.SCHEDULED, S.CONFIRMED, S.ARRIVED, S.IN_CONSULTATION, S.COMPLETED} <= ACTIVE_STATUSES
    assert {S.SCHEDULED, S.CONFIRMED} == MOVABLE_STATUSES


def test_duration():
    assert appointment().duration == timedelta(minutes=30)
