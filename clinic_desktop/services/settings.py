"""Clinic-wide settings with typed defaults and validation: security (idle lock, lockout),
backups (folder, daily time, copies kept) and the default UI language. Each change is audited
with its old and new value and announced with SettingsChanged."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from clinic_desktop.actor import Actor
from clinic_desktop.db.uow import UnitOfWork
from clinic_desktop.errors import ValidationError
from clinic_desktop.events import SettingsChanged
from clinic_desktop.i18n import LANGUAGES, N_, _
from clinic_desktop.models.clinic import Setting
from clinic_desktop.models.permissions import Permission
from clinic_desktop.services.access import require


@dataclass(frozen=True)
class SettingSpec:
    key: str
    label: str
    default: Any
    minimum: int | None = None
    maximum: int | None = None


SPECS: dict[str, SettingSpec] = {
    s.key: s
    for s in (
        SettingSpec("security.idle_lock_minutes", N_("Lock after idle minutes"), 10, 1, 240),
        SettingSpec("security.max_failed_attempts", N_("Failed sign-ins before lockout"), 5, 3, 20),
        SettingSpec("security.lockout_minutes", N_("Lockout minutes"), 15, 1, 1440),
        SettingSpec("backup.enabled", N_("Daily backup"), True),
        SettingSpec("backup.folder", N_("Backup folder"), ""),
        SettingSpec("backup.time", N_("Daily backup time"), "21:00"),
        SettingSpec("backup.keep", N_("Backups kept"), 14, 1, 365),
        SettingSpec("ui.language", N_("Language"), "es"),
        SettingSpec("agenda.slot_minutes", N_("Agenda time step (minutes)"), 15, 5, 60),
        SettingSpec("agenda.day_start_hour", N_("Agenda shows from (hour)"), 7, 0, 12),
        SettingSpec("agenda.day_end_hour", N_("Agenda shows until (hour)"), 21, 13, 24),
        SettingSpec("agenda.late_cancel_hours", N_("Late cancellation within (hours)"), 24, 0, 168),
        SettingSpec("agenda.reminder_hours", N_("Send reminders (hours before)"), 24, 1, 168),
        SettingSpec("clinical.retention_years", N_("Keep clinical records for (years)"), 5, 1, 100),
        SettingSpec("documents.max_mb", N_("Largest document (MB)"), 20, 1, 200),
        SettingSpec(
            "inventory.allow_negative", N_("Allow stock below zero (with a warning)"), False
        ),
        SettingSpec(
            "inventory.expiry_warning_days", N_("Warn of expiry within (days)"), 60, 1, 730
        ),
        SettingSpec("inventory.forecast_days", N_("Stock forecast horizon (days)"), 30, 1, 365),
    )
}

_TIME = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")


def _validate(key: str, value: Any) -> Any:
    spec = SPECS.get(key)
    if spec is None:
        raise ValidationError(_("Unknown setting: {key}.").format(key=key), field=key)
    label = _(spec.label)
    if isinstance(spec.default, bool):
        if not isinstance(value, bool):
            raise ValidationError(_("{field}: choose yes or no.").format(field=label), field=key)
        return value
    if isinstance(spec.default, int):
        try:
            number = int(value)
        except (TypeError, ValueError):
            raise ValidationError(
                _("{field}: it must be a whole number.").format(field=label), field=key
            ) from None
        if (spec.minimum is not None and number < spec.minimum) or (
            spec.maximum is not None and number > spec.maximum
        ):
            raise ValidationError(
                _("{field}: it must be between {low} and {high}.").format(
                    field=label, low=spec.minimum, high=spec.maximum
                ),
                field=key,
            )
        return number
    text = str(value).strip()
    if key == "backup.time" and not _TIME.match(text):
        raise ValidationError(
            _("{field}: use the 24-hour form HH:MM, for example 21:00.").format(field=label),
            field=key,
        )
    if key == "ui.language" and text not in LANGUAGES:
        raise ValidationError(
            _("{field}: choose Spanish or English.").format(field=label), field=key
        )
    return text


def read_settings(session: Session) -> dict[str, Any]:
    """Every setting with its default filled in; no permission needed to read them."""
    values = {key: spec.default for key, spec in SPECS.items()}
    for row in session.scalars(select(Setting).where(Setting.deleted_at.is_(None))):
        if row.key in values:
            values[row.key] = json.loads(row.value)
    return values


def get_settings(uow: UnitOfWork, *, actor: Actor) -> dict[str, Any]:
    with uow.transaction(actor) as session:
        return read_settings(session)


def write_settings(session: Session, changes: dict[str, Any]) -> tuple[str, ...]:
    cleaned = {key: _validate(key, value) for key, value in changes.items()}
    current = read_settings(session)
    changed = tuple(k for k, v in cleaned.items() if current.get(k) != v)
    for key in changed:
        row = session.scalar(select(Setting).where(Setting.key == key))
        if row is None:
            session.add(Setting(key=key, value=json.dumps(cleaned[key])))
        else:
            row.value = json.dumps(cleaned[key])
    return changed


def update_settings(uow: UnitOfWork, *, actor: Actor, changes: dict[str, Any]) -> dict[str, Any]:
    """Validates every value first, so one bad value changes nothing."""
    with uow.transaction(actor) as session:
        require(session, actor, Permission.SETTINGS_MANAGE)
        changed = write_settings(session, changes)
        result = read_settings(session)
    if changed:
        uow.bus.publish(SettingsChanged(keys=changed))
    return result
