"""Permission checks. The UI hides what a role cannot do, but these functions decide: every
guarded service calls `require` first, and it reads the actor's roles and grants from the
database inside the same transaction, so a revoked grant takes effect on the next call."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from clinic_desktop.actor import Actor
from clinic_desktop.errors import PermissionDenied
from clinic_desktop.i18n import N_, _
from clinic_desktop.models.permissions import Permission, Role
from clinic_desktop.models.user import RoleGrant, User, UserRole

PERMISSION_LABELS: dict[str, str] = {
    Permission.PATIENTS_READ: N_("See patients"),
    Permission.PATIENTS_WRITE: N_("Edit patients"),
    Permission.CLINICAL_READ: N_("Read clinical records"),
    Permission.CLINICAL_WRITE: N_("Write clinical records"),
    Permission.CLINICAL_SIGN: N_("Sign clinical records"),
    Permission.SCHEDULE_MANAGE: N_("Manage the agenda"),
    Permission.BILLING_MANAGE: N_("Invoices and payments"),
    Permission.INVENTORY_MANAGE: N_("Manage inventory"),
    Permission.REPORTS_FINANCE: N_("Financial reports"),
    Permission.USERS_MANAGE: N_("Manage users"),
    Permission.SETTINGS_MANAGE: N_("Change settings"),
    Permission.AUDIT_READ: N_("Read the audit trail"),
    Permission.BACKUP_RUN: N_("Make backups"),
    Permission.BACKUP_RESTORE: N_("Restore backups"),
    Permission.TRASH_RESTORE: N_("Restore deleted records"),
    Permission.GRANTS_MANAGE: N_("Change role permissions"),
}

ROLE_LABELS: dict[str, str] = {
    Role.OWNER: N_("Owner"),
    Role.DOCTOR: N_("Doctor"),
    Role.RECEPTION: N_("Reception"),
    Role.ASSISTANT: N_("Assistant"),
    Role.IT_ADMIN: N_("IT administrator"),
}


def role_label(role: str) -> str:
    return _(ROLE_LABELS.get(role, role))


def permission_label(permission: str) -> str:
    return _(PERMISSION_LABELS.get(permission, permission))


def permissions_of(session: Session, user_id: uuid.UUID) -> frozenset[str]:
    roles = select(UserRole.role).where(UserRole.user_id == user_id)
    rows = session.scalars(select(RoleGrant.permission).where(RoleGrant.role.in_(roles)))
    return frozenset(rows)


def require(session: Session, actor: Actor, permission: Permission) -> None:
    """Raises PermissionDenied unless the actor holds `permission` right now."""
    if actor.is_system:
        return
    user = session.get(User, actor.user_id) if actor.user_id else None
    if user is None or user.disabled or user.is_deleted:
        raise PermissionDenied(_("Your account is not active. Sign in again."))
    if permission not in permissions_of(session, user.id):
        raise PermissionDenied(
            _("Your role does not allow this action (needs: {permission}).").format(
                permission=permission_label(permission)
            )
        )
