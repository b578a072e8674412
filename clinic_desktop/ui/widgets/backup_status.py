"""How the last verified backup is described everywhere (status bar and home page): its time in
the clinic's time zone, and a warning level when it is older than 48 hours or missing, because
a clinic that has not backed up in days is one disk failure away from losing its records."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from clinic_desktop.i18n import _
from clinic_desktop.services.dto import BackupStatus


def local_time_text(moment: datetime, timezone: str) -> str:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    try:
        zone = ZoneInfo(timezone)
    except (KeyError, ValueError):
        zone = ZoneInfo("UTC")
    # Day/month/year is the order read in both Ecuador and Spain.
    return moment.astimezone(zone).strftime("%d/%m/%Y %H:%M")


def describe_backup(status: BackupStatus, timezone: str) -> tuple[str, str]:
    """Returns (text, level) with level "ok", "warning" or "danger"."""
    if status.last_verified_at is None:
        return _("No backup yet"), "danger"
    when = local_time_text(status.last_verified_at, timezone)
    if status.is_overdue:
        return (
            _("Last backup over 48 hours ago (last verified: {when})").format(when=when),
            "warning",
        )
    return _("Last verified backup: {when}").format(when=when), "ok"
