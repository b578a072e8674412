"""Days on the clinic's calendar, as the billing lists and reports use them: the check every
"from … to …" choice of days goes through (payments, expenses and cash closes lists, the
inventory and financial reports: both days count, and an end before the start is refused on
the "To" field with one message), and the instant something is recorded (a payment, an issued
invoice or credit note) with the clinic day it belongs to."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy.orm import Session

from clinic_desktop.errors import ValidationError
from clinic_desktop.i18n import _
from clinic_desktop.models.base import utcnow
from clinic_desktop.services.agenda_rules import clinic_zone


def check_period(date_from: date, date_to: date) -> None:
    """Refuses a period whose end comes before its start (ValidationError on date_to)."""
    if date_to < date_from:
        raise ValidationError(
            _("To: the end of the period cannot be before its start."), field="date_to"
        )


def moment_and_day(session: Session, now: datetime | None) -> tuple[datetime, date]:
    """When something is recorded, as aware UTC (now, or `now` when backdated: the demo
    generator and benchmarks), and that instant's day on the clinic's calendar."""
    moment = (now or utcnow()).astimezone(UTC)
    return moment, moment.astimezone(clinic_zone(session)).date()
