"""Permission checks. The UI hides what a role cannot do, but these functions decide: every
guarded service calls `require` first, and it reads the actor's roles and grants from the
database inside the same transaction, so a revoked grant takes effect on the next call."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from clinic_desktop.actor import Actor
from clinic_desktop.errors import PermissionDenied
from clinic_desktop.i18n import _
from clinic_desktop.models.permissions import Permission
from clinic_desktop.models.user import RoleGrant, User, UserRole
from clinic_desktop.services.labels import (
    PERMISSION_LABELS,
    ROLE_LABELS,
    permission_label,
    role_label,
)


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


def held_permissions(session: Session, actor: Actor) -> frozenset[str] | None:
    """The actor's capabilities now; None for a system actor (which holds them all)."""
    if actor.is_system:
        return None
    user = session.get(User, actor.user_id) if actor.user_id else None
    if user is None or user.disabled or user.is_deleted:
        raise PermissionDenied(_("Your account is not active. Sign in again."))
    return permissions_of(session, user.id)


def require_any(session: Session, actor: Actor, permissions: tuple[Permission, ...]) -> None:
    """Raises PermissionDenied unless the actor holds at least one of `permissions`."""
    held = held_permissions(session, actor)
    if held is not None and not any(p in held for p in permissions):
        raise PermissionDenied(
            _("Your role does not allow this action (needs: {permission}).").format(
                permission=_(" or ").join(permission_label(p) for p in permissions)
            )
        )


__all__ = [
    "PERMISSION_LABELS",
    "ROLE_LABELS",
    "held_permissions",
    "permission_label",
    "permissions_of",
    "require",
    "require_any",
    "role_label",
]
