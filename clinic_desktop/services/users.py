"""Managing accounts: create, edit (with optimistic concurrency), roles, disable, temporary
passwords, soft delete, and the owner's editing of role grants. The last active owner can
never be removed, disabled or stripped of the owner role, so a clinic is never left without one."""

from __future__ import annotations

import re
import uuid

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from clinic_desktop.actor import Actor
from clinic_desktop.db.audit_log import append_audit
from clinic_desktop.db.uow import UnitOfWork
from clinic_desktop.errors import NotFound, ValidationError
from clinic_desktop.events import UsersChanged
from clinic_desktop.i18n import LANGUAGES, _
from clinic_desktop.models.permissions import DEFAULT_GRANTS, OWNER_ONLY, Permission, Role
from clinic_desktop.models.user import RoleGrant, User, UserRole
from clinic_desktop.services.access import permission_label, require, role_label
from clinic_desktop.services.concurrency import check_version
from clinic_desktop.services.dto import GrantMatrix, UserDTO
from clinic_desktop.services.passwords import check_policy, hash_password, temporary_password

_USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{2,31}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def to_dto(user: User) -> UserDTO:
    return UserDTO(
        id=user.id,
        username=user.username,
        full_name=user.full_name,
        email=user.email,
        roles=tuple(user.role_codes),
        disabled=user.disabled,
        locked_until=user.locked_until if user.is_locked() else None,
        must_change_password=user.must_change_password,
        last_sign_in_at=user.last_sign_in_at,
        language=user.language,
        version=user.version,
        deleted=user.is_deleted,
    )


def _clean_username(username: str) -> str:
    name = username.strip().lower()
    if not _USERNAME.match(name):
        raise ValidationError(
            _(
                "User name: 3 to 32 lowercase letters, digits, dots, dashes or underscores, "
                "starting with a letter or digit."
            ),
            field="username",
        )
    return name


def _clean_roles(roles: list[str] | tuple[str, ...]) -> list[str]:
    valid = {r.value for r in Role}
    chosen = sorted(set(roles))
    if not chosen:
        raise ValidationError(_("Roles: choose at least one role."), field="roles")
    unknown = [r for r in chosen if r not in valid]
    if unknown:
        raise ValidationError(
            _("Roles: unknown role {role}.").format(role=unknown[0]), field="roles"
        )
    return chosen


def _clean_profile(
    full_name: str, email: str | None, language: str | None
) -> tuple[str, str | None, str | None]:
    name = " ".join(full_name.split())
    if len(name) < 2:
        raise ValidationError(_("Full name: it is required."), field="full_name")
    if len(name) > 200:
        raise ValidationError(_("Full name: at most 200 characters."), field="full_name")
    mail = (email or "").strip() or None
    if mail and not _EMAIL.match(mail):
        raise ValidationError(_("E-mail: it must look like name@example.com."), field="email")
    if language and language not in LANGUAGES:
        raise ValidationError(_("Language: choose Spanish or English."), field="language")
    return name, mail, language or None


def _get(session: Session, user_id: uuid.UUID) -> User:
    user = session.get(User, user_id)
    if user is None:
        raise NotFound(_("That user no longer exists."))
    return user


def _active_owner_count(session: Session, *, excluding: uuid.UUID | None = None) -> int:
    query = (
        select(func.count(func.distinct(User.id)))
        .join(UserRole, UserRole.user_id == User.id)
        .where(UserRole.role == Role.OWNER, User.disabled.is_(False), User.deleted_at.is_(None))
    )
    if excluding is not None:
        query = query.where(User.id != excluding)
    return int(session.scalar(query) or 0)


def _guard_last_owner(session: Session, user: User) -> None:
    if Role.OWNER in user.role_codes and _active_owner_count(session, excluding=user.id) == 0:
        raise ValidationError(
            _("Roles: the clinic must keep at least one active owner."), field="roles"
        )


def add_user(
    session: Session,
    *,
    username: str,
    full_name: str,
    roles: list[str] | tuple[str, ...],
    password: str,
    email: str | None = None,
    language: str | None = None,
    must_change_password: bool = False,
) -> User:
    """Inserts a user inside an open transaction (used by setup and demo data too)."""
    name = _clean_username(username)
    full, mail, lang = _clean_profile(full_name, email, language)
    chosen = _clean_roles(roles)
    check_policy(password, username=name)
    exists = session.scalar(select(User.id).where(func.lower(User.username) == name))
    if exists is not None:
        raise ValidationError(
            _("User name: {name} is already taken.").format(name=name), field="username"
        )
    user = User(
        username=name,
        full_name=full,
        email=mail,
        language=lang,
        password_hash=hash_password(password),
        must_change_password=must_change_password,
        failed_attempts=0,
        disabled=False,
    )
    user.roles = [UserRole(role=r) for r in chosen]
    session.add(user)
    session.flush()
    return user


def create_user(
    uow: UnitOfWork,
    *,
    actor: Actor,
    username: str,
    full_name: str,
    roles: list[str] | tuple[str, ...],
    password: str,
    email: str | None = None,
    language: str | None = None,
) -> UserDTO:
    """An owner-created account starts with a temporary password the user must change."""
    with uow.transaction(actor) as session:
        require(session, actor, Permission.USERS_MANAGE)
        if Role.OWNER in roles:
            require(session, actor, Permission.GRANTS_MANAGE)
        user = add_user(
            session,
            username=username,
            full_name=full_name,
            roles=roles,
            password=password,
            email=email,
            language=language,
            must_change_password=True,
        )
        append_audit(
            session,
            actor=actor,
            action="roles.changed",
            entity="User",
            entity_id=str(user.id),
            changes={"roles": {"old": [], "new": list(roles)}},
        )
        dto = to_dto(user)
    uow.bus.publish(UsersChanged(user_id=str(dto.id)))
    return dto


def list_users(uow: UnitOfWork, *, actor: Actor, include_deleted: bool = False) -> list[UserDTO]:
    with uow.transaction(actor) as session:
        require(session, actor, Permission.USERS_MANAGE)
        query = select(User).order_by(User.full_name)
        if not include_deleted:
            query = query.where(User.deleted_at.is_(None))
        return [to_dto(u) for u in session.scalars(query)]


def update_user(
    uow: UnitOfWork,
    *,
    actor: Actor,
    user_id: uuid.UUID,
    expected_version: int,
    full_name: str,
    email: str | None,
    roles: list[str] | tuple[str, ...],
    language: str | None = None,
) -> UserDTO:
    with uow.transaction(actor) as session:
        require(session, actor, Permission.USERS_MANAGE)
        user = _get(session, user_id)
        check_version(session, user, expected_version)
        full, mail, lang = _clean_profile(full_name, email, language)
        chosen = _clean_roles(roles)
        old_roles = user.role_codes
        if chosen != old_roles:
            if Role.OWNER in set(chosen) ^ set(old_roles):
                require(session, actor, Permission.GRANTS_MANAGE)
            if Role.OWNER in old_roles and Role.OWNER not in chosen:
                _guard_last_owner(session, user)
            user.roles = [r for r in user.roles if r.role in chosen] + [
                UserRole(role=r) for r in chosen if r not in old_roles
            ]
            append_audit(
                session,
                actor=actor,
                action="roles.changed",
                entity="User",
                entity_id=str(user.id),
                changes={"roles": {"old": old_roles, "new": chosen}},
            )
        user.full_name, user.email, user.language = full, mail, lang
        session.flush()
        dto = to_dto(user)
    uow.bus.publish(UsersChanged(user_id=str(dto.id)))
    return dto


def set_user_disabled(
    uow: UnitOfWork, *, actor: Actor, user_id: uuid.UUID, disabled: bool
) -> UserDTO:
    with uow.transaction(actor) as session:
        require(session, actor, Permission.USERS_MANAGE)
        user = _get(session, user_id)
        if disabled and user.id == actor.user_id:
            raise ValidationError(
                _("Status: you cannot disable your own account."), field="disabled"
            )
        if disabled:
            _guard_last_owner(session, user)
        user.disabled = disabled
        if not disabled:
            user.failed_attempts, user.locked_until = 0, None
        session.flush()
        dto = to_dto(user)
    uow.bus.publish(UsersChanged(user_id=str(dto.id)))
    return dto


def reset_password(
    uow: UnitOfWork, *, actor: Actor, user_id: uuid.UUID, new_password: str | None = None
) -> str:
    """Sets a temporary password (made up if none given), unlocks the account and forces a
    change at the next sign-in. Returns the temporary password to hand to the user."""
    with uow.transaction(actor) as session:
        require(session, actor, Permission.USERS_MANAGE)
        user = _get(session, user_id)
        password = new_password or temporary_password()
        check_policy(password, username=user.username)
        user.password_hash = hash_password(password)
        user.must_change_password = True
        user.failed_attempts, user.locked_until = 0, None
        append_audit(
            session, actor=actor, action="password.reset", entity="User", entity_id=str(user.id)
        )
    uow.bus.publish(UsersChanged(user_id=str(user_id)))
    return password


def delete_user(uow: UnitOfWork, *, actor: Actor, user_id: uuid.UUID) -> None:
    """Moves the account to the trash; its history and audit entries stay."""
    with uow.transaction(actor) as session:
        require(session, actor, Permission.USERS_MANAGE)
        user = _get(session, user_id)
        if user.id == actor.user_id:
            raise ValidationError(_("User: you cannot delete your own account."), field="user")
        _guard_last_owner(session, user)
        user.soft_delete(by=actor.user_id)
    uow.bus.publish(UsersChanged(user_id=str(user_id)))


def find_user_id(uow: UnitOfWork, *, actor: Actor, username: str) -> uuid.UUID:
    with uow.transaction(actor) as session:
        require(session, actor, Permission.USERS_MANAGE)
        found = session.scalar(
            select(User.id).where(func.lower(User.username) == username.strip().lower())
        )
    if found is None:
        raise NotFound(_("User name: there is no user {name}.").format(name=username))
    return found


# Cells set_grant refuses to change: owner-only capabilities (for every role) and the owner's
# own hold on users and grants, so no clinic can lock itself out of managing itself.
FIXED_GRANTS: frozenset[tuple[str, str]] = frozenset(
    {(role.value, p.value) for role in Role for p in OWNER_ONLY}
    | {(Role.OWNER.value, Permission.GRANTS_MANAGE.value),
       (Role.OWNER.value, Permission.USERS_MANAGE.value)}
)  # fmt: skip


def seed_default_grants(session: Session) -> None:
    for role, permissions in DEFAULT_GRANTS.items():
        for permission in sorted(permissions):
            session.add(RoleGrant(role=role.value, permission=permission.value))


def get_grant_matrix(uow: UnitOfWork, *, actor: Actor) -> GrantMatrix:
    with uow.transaction(actor) as session:
        require(session, actor, Permission.USERS_MANAGE)
        granted = frozenset((g.role, g.permission) for g in session.scalars(select(RoleGrant)))
    return GrantMatrix(
        roles=tuple(r.value for r in Role),
        permissions=tuple(p.value for p in Permission),
        granted=granted,
        fixed=FIXED_GRANTS,
    )


def set_grant(
    uow: UnitOfWork, *, actor: Actor, role: str, permission: str, granted: bool
) -> GrantMatrix:
    """Only an owner changes grants; owner-only capabilities stay with the owner role."""
    with uow.transaction(actor) as session:
        require(session, actor, Permission.GRANTS_MANAGE)
        if role not in {r.value for r in Role}:
            raise ValidationError(_("Role: unknown role {role}.").format(role=role), field="role")
        if permission not in {p.value for p in Permission}:
            raise ValidationError(
                _("Permission: unknown permission {name}.").format(name=permission),
                field="permission",
            )
        if (role, permission) in FIXED_GRANTS:
            raise ValidationError(
                _("Permission: {name} stays with the {role} role.").format(
                    name=permission_label(permission), role=role_label(Role.OWNER)
                ),
                field="permission",
            )
        row = session.scalar(
            select(RoleGrant).where(RoleGrant.role == role, RoleGrant.permission == permission)
        )
        changed = (row is None) if granted else (row is not None)
        if granted and row is None:
            session.add(RoleGrant(role=role, permission=permission))
        elif not granted and row is not None:
            session.delete(row)
        if changed:
            append_audit(
                session,
                actor=actor,
                action="grant.changed",
                entity="RoleGrant",
                entity_id=f"{role}:{permission}",
                changes={"granted": {"old": not granted, "new": granted}},
            )
    if changed:
        uow.bus.publish(UsersChanged())
    return get_grant_matrix(uow, actor=actor)
