"""Read-only facts about the clinic that the shell needs before and after sign-in: its name,
country, time zone and whether it is the demo clinic (the sign-in screen shows the demo
accounts), a tax-ID check the setup wizard runs on its first page so a wrong RUC or NIF is
reported beside the field before the owner fills in the rest, the printable recovery-key
sheet for the key that setup shows once, and the logo printed on the clinic's letterhead."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select

from clinic_desktop.actor import Actor
from clinic_desktop.config import workstation_name
from clinic_desktop.db.audit_log import append_audit
from clinic_desktop.db.uow import UnitOfWork
from clinic_desktop.errors import NotFound, ValidationError
from clinic_desktop.events import SettingsChanged
from clinic_desktop.fiscal.tax_ids import validate_clinic_tax_id
from clinic_desktop.i18n import _
from clinic_desktop.models.clinic import Clinic
from clinic_desktop.models.permissions import Permission
from clinic_desktop.reports.recovery_sheet import RecoverySheet, render_recovery_sheet
from clinic_desktop.services.access import require
from clinic_desktop.services.documents import PICTURE_TYPES, sniff_type
from clinic_desktop.services.dto import ClinicDTO
from clinic_desktop.services.settings import read_settings


def _anonymous() -> Actor:
    return Actor(user_id=None, name="?", workstation=workstation_name())


def get_clinic(uow: UnitOfWork, *, actor: Actor | None = None) -> ClinicDTO:
    """The clinic's public identity. No permission is needed: the sign-in screen shows the
    name before anyone has signed in, and nothing here is patient data."""
    with uow.transaction(actor or _anonymous()) as session:
        clinic = session.scalar(select(Clinic).where(Clinic.deleted_at.is_(None)).limit(1))
        if clinic is None:
            raise NotFound(_("This database holds no clinic."))
        return ClinicDTO(
            id=clinic.id,
            name=clinic.name,
            country=clinic.country,
            tax_id=clinic.tax_id,
            address=clinic.address,
            timezone=clinic.timezone,
            currency=clinic.currency,
            establishment_code=clinic.establishment_code,
            emission_point_code=clinic.emission_point_code,
            is_demo=clinic.is_demo,
            version=clinic.version,
            language=str(read_settings(session)["ui.language"]),
        )


def check_clinic_tax_id(country: str, tax_id: str) -> tuple[str, tuple[str, ...]]:
    """Returns the normalized tax ID and its warnings; raises ValidationError(field="tax_id")
    for a number that cannot be right. Touches no database."""
    check = validate_clinic_tax_id(country, tax_id)
    return check.normalized, check.warnings


def recovery_sheet_pdf(uow: UnitOfWork, *, recovery_key: str) -> bytes:
    """The recovery sheet for this clinic as PDF bytes; the caller writes them where the user
    chose. The key is only ever in memory here: it is not stored anywhere in the clinic."""
    clinic = get_clinic(uow)
    try:
        zone = ZoneInfo(clinic.timezone)
    except (KeyError, ValueError):
        zone = ZoneInfo("UTC")
    return render_recovery_sheet(
        RecoverySheet(
            clinic_name=clinic.name,
            tax_id=clinic.tax_id,
            recovery_key=recovery_key,
            created_at=datetime.now(UTC).astimezone(zone),
            workstation=workstation_name(),
        )
    )


LOGO_MAX_BYTES = 1024 * 1024


def get_clinic_logo(uow: UnitOfWork, *, actor: Actor) -> bytes | None:
    """The logo printed on the letterhead (PNG or JPEG), or None. Not patient data: anyone
    signed in may see it."""
    with uow.transaction(actor) as session:
        return session.scalar(select(Clinic.logo).where(Clinic.deleted_at.is_(None)).limit(1))


def set_clinic_logo(uow: UnitOfWork, *, actor: Actor, data: bytes | None) -> None:
    """Replaces the letterhead logo (None or empty removes it). Only PNG and JPEG, told apart
    by their first bytes (a renamed file is not trusted), up to 1 MB, since it is drawn on
    every page of every printed document."""
    if data is not None and not data:
        data = None
    if data is not None:
        if sniff_type(data) not in PICTURE_TYPES:
            raise ValidationError(_("Logo: the file is not a PNG or JPEG image."), field="logo")
        if len(data) > LOGO_MAX_BYTES:
            raise ValidationError(
                _("Logo: the image is {size} KB; the limit is 1024 KB.").format(
                    size=(len(data) + 1023) // 1024
                ),
                field="logo",
            )
    with uow.transaction(actor) as session:
        require(session, actor, Permission.SETTINGS_MANAGE)
        clinic = session.scalar(select(Clinic).where(Clinic.deleted_at.is_(None)).limit(1))
        if clinic is None:
            raise NotFound(_("This database holds no clinic."))
        old = clinic.logo
        clinic.logo = data
        # The image itself is left out of the audit trail (Clinic.__audit_skip__); its hash
        # says which logo was in use when.
        append_audit(
            session,
            actor=actor,
            action="update",
            entity="Clinic",
            entity_id=str(clinic.id),
            changes={"logo": {"old": _digest(old), "new": _digest(data)}},
        )
        uow.publish_after_commit(SettingsChanged(keys=("clinic.logo",)))


def _digest(data: bytes | None) -> str | None:
    return hashlib.sha256(data).hexdigest() if data else None
