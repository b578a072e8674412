"""Translated names of the agenda's stored codes (statuses, modes, who cancelled, reminder
channels, exception kinds), shared by the screens, the printed day and the services' messages.
No database imports."""

from __future__ import annotations

from clinic_desktop.i18n import N_, _

STATUS_LABELS: dict[str, str] = {
    "scheduled": N_("Scheduled"),
    "confirmed": N_("Confirmed"),
    "arrived": N_("Arrived"),
    "in_consultation": N_("In consultation"),
    "completed": N_("Completed"),
    "cancelled": N_("Cancelled"),
    "no_show": N_("No-show"),
}

# What the status menu calls the action that leads to each status.
STATUS_ACTIONS: dict[str, str] = {
    "scheduled": N_("Mark as not confirmed"),
    "confirmed": N_("Confirm"),
    "arrived": N_("Patient arrived"),
    "in_consultation": N_("Start consultation"),
    "completed": N_("Complete"),
    "no_show": N_("Mark as no-show"),
}

MODE_LABELS: dict[str, str] = {
    "in_person": N_("In person"),
    "telemedicine": N_("Telemedicine"),
}

CANCELLED_BY_LABELS: dict[str, str] = {
    "patient": N_("Cancelled by the patient"),
    "clinic": N_("Cancelled by the clinic"),
}

REMINDER_CHANNEL_LABELS: dict[str, str] = {
    "none": N_("No reminders"),
    "sms": N_("SMS"),
    "whatsapp": N_("WhatsApp"),
    "email": N_("E-mail"),
}

EXCEPTION_KIND_LABELS: dict[str, str] = {
    "off": N_("Time off"),
    "extra": N_("Extra hours"),
}

# Monday first, as date.weekday().
WEEKDAY_LABELS: tuple[str, ...] = (
    N_("Monday"),
    N_("Tuesday"),
    N_("Wednesday"),
    N_("Thursday"),
    N_("Friday"),
    N_("Saturday"),
    N_("Sunday"),
)


def status_label(code: str) -> str:
    return _(STATUS_LABELS.get(code, code))


def mode_label(code: str) -> str:
    return _(MODE_LABELS.get(code, code))


def weekday_label(weekday: int) -> str:
    return _(WEEKDAY_LABELS[weekday])


def next_statuses(code: str) -> tuple[str, ...]:
    """The statuses an appointment in `code` may move to by the status menu, in lifecycle
    order; cancelling is offered separately (it asks who and why)."""
    from clinic_desktop.models.appointment import TRANSITIONS, AppointmentStatus

    order = [s.value for s in AppointmentStatus]
    allowed = {s.value for s in TRANSITIONS[AppointmentStatus(code)]} - {"cancelled"}
    return tuple(s for s in order if s in allowed)


def can_cancel(code: str) -> bool:
    from clinic_desktop.models.appointment import TRANSITIONS, AppointmentStatus

    return AppointmentStatus.CANCELLED in TRANSITIONS[AppointmentStatus(code)]
