"""The named capabilities the services check, the roles and the default grants. Grants are
stored as data (role_permissions) so the owner can adjust them; these defaults seed a new
clinic. Later features add their own capabilities here."""

from __future__ import annotations

from enum import StrEnum


class Permission(StrEnum):
    PATIENTS_READ = "patients.read"
    PATIENTS_WRITE = "patients.write"
    PATIENTS_EXPORT = "patients.export"
    CLINICAL_READ = "clinical.read"
    CLINICAL_WRITE = "clinical.write"
    CLINICAL_SIGN = "clinical.sign"
    AGENDA_VIEW = "agenda.view"
    AGENDA_BOOK = "agenda.book"
    SCHEDULE_MANAGE = "schedule.manage"
    BILLING_MANAGE = "billing.manage"
    INVENTORY_MANAGE = "inventory.manage"
    REPORTS_FINANCE = "reports.finance"
    USERS_MANAGE = "users.manage"
    SETTINGS_MANAGE = "settings.manage"
    AUDIT_READ = "audit.read"
    BACKUP_RUN = "backup.run"
    BACKUP_RESTORE = "backup.restore"
    TRASH_RESTORE = "trash.restore"
    GRANTS_MANAGE = "grants.manage"


class Role(StrEnum):
    OWNER = "owner"
    DOCTOR = "doctor"
    RECEPTION = "reception"
    ASSISTANT = "assistant"
    IT_ADMIN = "it_admin"


P = Permission

DEFAULT_GRANTS: dict[Role, frozenset[Permission]] = {
    # The owner runs the clinic and may adjust everyone's grants, including their own.
    Role.OWNER: frozenset(Permission),
    Role.DOCTOR: frozenset(
        {
            P.PATIENTS_READ,
            P.PATIENTS_WRITE,
            P.CLINICAL_READ,
            P.CLINICAL_WRITE,
            P.CLINICAL_SIGN,
            P.AGENDA_VIEW,
            P.AGENDA_BOOK,
            P.SCHEDULE_MANAGE,
            P.INVENTORY_MANAGE,
        }
    ),
    # Reception never reads clinical content; it runs the agenda, schedules included.
    Role.RECEPTION: frozenset(
        {
            P.PATIENTS_READ,
            P.PATIENTS_WRITE,
            P.AGENDA_VIEW,
            P.AGENDA_BOOK,
            P.SCHEDULE_MANAGE,
            P.BILLING_MANAGE,
        }
    ),
    # Assistants book and mark arrivals, but overrides and schedules are someone else's call.
    Role.ASSISTANT: frozenset(
        {P.PATIENTS_READ, P.CLINICAL_READ, P.AGENDA_VIEW, P.AGENDA_BOOK, P.INVENTORY_MANAGE}
    ),
    # IT manages accounts and backups but never reads patient data.
    Role.IT_ADMIN: frozenset(
        {P.USERS_MANAGE, P.SETTINGS_MANAGE, P.AUDIT_READ, P.BACKUP_RUN, P.BACKUP_RESTORE}
    ),
}

# Capabilities only an owner may hold: handing them to another role would let it grant itself
# anything, or restore over the clinic's data.
OWNER_ONLY: frozenset[Permission] = frozenset({P.GRANTS_MANAGE})
