"""The agenda as an iCalendar (RFC 5545) file, so a practitioner can see the clinic's
appointments in the calendar app of their phone or laptop, either as a one-off download or as
a feed the app re-reads. Every event carries a stable UID, its SEQUENCE and LAST-MODIFIED, so a
re-import updates the appointments already there instead of duplicating them, and a cancelled
appointment stays in the feed as STATUS:CANCELLED so the client removes it. Times are written in
UTC: that needs no time-zone definitions and cannot be misread across daylight-saving changes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from icalendar import Calendar, Event, Timezone

PRODID = "-//clinic-desktop//Agenda//ES"
UID_DOMAIN = "clinic-desktop"

# Our appointment statuses in RFC 5545 terms (VEVENT STATUS is TENTATIVE, CONFIRMED or
# CANCELLED). A missed appointment (no-show) no longer blocks the practitioner's time, which
# is what CANCELLED tells a calendar client.
_STATUS = {
    "scheduled": "TENTATIVE",
    "confirmed": "CONFIRMED",
    "arrived": "CONFIRMED",
    "in_consultation": "CONFIRMED",
    "completed": "CONFIRMED",
    "cancelled": "CANCELLED",
    "no_show": "CANCELLED",
}


@dataclass(frozen=True)
class IcsEvent:
    uid: str  # the appointment id
    start: datetime  # aware
    end: datetime  # aware
    summary: str  # e.g. "Paula Vera — Control"
    description: str
    location: str  # room / clinic
    status: str  # our status code: scheduled|confirmed|arrived|in_consultation|...
    updated: datetime  # aware: the last change, written as DTSTAMP and LAST-MODIFIED
    sequence: int  # our version counter, written as SEQUENCE
    url: str | None = None


@dataclass(frozen=True)
class IcsCalendar:
    name: str  # X-WR-CALNAME, e.g. "Agenda — Dra. Paula Vera"
    timezone: str  # the clinic's IANA zone, X-WR-TIMEZONE
    events: tuple[IcsEvent, ...]


def ics_status(status: str) -> str:
    """The RFC 5545 STATUS of an appointment status code; ValueError for an unknown code."""
    try:
        return _STATUS[status]
    except KeyError:
        raise ValueError(f"unknown appointment status {status!r}") from None


def render_ics(calendar: IcsCalendar) -> bytes:
    """Returns the calendar as UTF-8 bytes: CRLF line ends, long lines folded at 75 octets.

    Raises ValueError for data no calendar client could read correctly (a naive time, an end
    not after its start, an unknown status or time zone), which is a bug in the caller."""
    try:
        ZoneInfo(calendar.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"unknown time zone {calendar.timezone!r}") from None
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    # NAME is the RFC 7986 property; the X-WR ones are what Apple, Google and Outlook read.
    cal.add("name", calendar.name)
    cal.add("x-wr-calname", calendar.name)
    cal.add("x-wr-timezone", calendar.timezone)
    # No event refers to it (their times are UTC), but RFC 5545 requires at least one
    # component, so a day without appointments still makes a valid file, and clients that
    # show times "in the calendar's zone" find its definition.
    cal.add_component(Timezone.from_tzid(calendar.timezone))
    for event in calendar.events:
        cal.add_component(_event(event))
    cal.validate()  # type: ignore[no-untyped-call]  # icalendar leaves it unannotated
    return bytes(cal.to_ical())


def _event(event: IcsEvent) -> Event:
    start, end, updated = (
        _utc(event.start, "start"),
        _utc(event.end, "end"),
        _utc(event.updated, "updated"),
    )
    if end <= start:
        raise ValueError(f"appointment {event.uid} ends at or before its start")
    if event.sequence < 0:
        raise ValueError(f"appointment {event.uid} has a negative sequence")
    vevent = Event()
    vevent.add("uid", f"{event.uid}@{UID_DOMAIN}")
    vevent.add("dtstamp", updated)
    vevent.add("last-modified", updated)
    vevent.add("sequence", event.sequence)
    vevent.add("dtstart", start)
    vevent.add("dtend", end)
    vevent.add("summary", event.summary)
    if event.description:
        vevent.add("description", event.description)
    if event.location:
        vevent.add("location", event.location)
    status = ics_status(event.status)
    vevent.add("status", status)
    # A cancelled appointment no longer makes the practitioner busy in free/busy lookups.
    vevent.add("transp", "TRANSPARENT" if status == "CANCELLED" else "OPAQUE")
    if event.url:
        vevent.add("url", event.url)
    return vevent


def _utc(moment: datetime, what: str) -> datetime:
    # A naive time would be written "floating" (the same wall time in every zone): wrong for
    # an appointment, so it is refused rather than guessed.
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{what} time {moment.isoformat()} has no time zone")
    return moment.astimezone(UTC)
