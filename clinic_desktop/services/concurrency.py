"""Optimistic concurrency for edit screens: a form remembers the version it loaded, and saving
over a newer version is refused with who changed it and when, overwriting nothing."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from clinic_desktop.errors import ConcurrentEditError
from clinic_desktop.i18n import _
from clinic_desktop.models.base import Entity
from clinic_desktop.models.clinic import Clinic
from clinic_desktop.models.user import User


def check_version(session: Session, record: Entity, expected_version: int) -> None:
    if record.version == expected_version:
        return
    who = session.get(User, record.updated_by) if record.updated_by else None
    name = who.full_name if who else _("another user")
    zone = session.scalar(select(Clinic.timezone).limit(1)) or "UTC"
    when = record.updated_at.astimezone(ZoneInfo(zone))
    raise ConcurrentEditError(
        _(
            "This record was changed by {user} at {time}. Nothing was overwritten: reopen it "
            "to see the changes."
        ).format(user=name, time=when.strftime("%d/%m/%Y %H:%M")),
        changed_by=name,
        changed_at=record.updated_at,
    )
