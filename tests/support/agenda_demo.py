"""The day and instant the `demo_agenda` fixture centres the generated agenda on: a working
weekday in Ecuador (today when it is one) at 10:30 in the clinic's zone, when every demo
practitioner who works that weekday is in."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from clinic_desktop.models.scheduling import local_moment
from clinic_desktop.services.agenda_rules import holidays_between

ZONE = ZoneInfo("America/Guayaquil")


def demo_day(start: date | None = None) -> date:
    day = start or datetime.now(ZONE).date()
    holidays = holidays_between("EC", day, day + timedelta(days=30))
    while day.weekday() >= 5 or day in holidays:
        day += timedelta(days=1)
    return day


def demo_now(day: date) -> datetime:
    return local_moment(day, time(10, 30), ZONE)
