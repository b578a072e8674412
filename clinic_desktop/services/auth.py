"""Signing in and out, the forced first-sign-in password change, lockout after repeated
failures, and re-checking the password when an idle session is unlocked. Every success,
failure and lockout is audited; the password itself never is."""

from __future__ import annotations

import functools
import uuid

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from clinic_desktop.actor import Actor
from clinic_desktop.config import workstation_name
from clinic_desktop.db.audit_log import append_audit
from clinic_desktop.db.uow import UnitOfWork
from clinic_desktop.errors import AuthenticationFailed, ValidationError
from clinic_desktop.i18n import _
from clinic_desktop.models.user import User
from clinic_desktop.services.access import permissions_of
from clinic_desktop.services.dto import SignedInUser
from clinic_desktop.services.passwords import check_policy, hash_password, verify_password
from clinic_desktop.services.settings import read_settings


@functools.cache
def _dummy_hash() -> str:
    """Verifying against a throwaway hash keeps an unknown user name as slow as a wrong
    password. Made on first use: hashing at import time would slow every start-up."""
    return hash_password("not-a-real-password-0")


def _signed_in(session: Session, user: User) -> SignedInUser:
    return SignedInUser(
        id=user.id,
        username=user.username,
        full_name=user.full_name,
        roles=tuple(user.role_codes),
        permissions=permissions_of(session, user.id),
        must_change_password=user.must_change_password,
        language=user.language,
    )


def actor_for(user: SignedInUser) -> Actor:
    return Actor.for_user(user.id, user.username)


def sign_in(uow: UnitOfWork, *, username: str, password: str) -> SignedInUser:
    """Checks the password; raises AuthenticationFailed with a message safe to show.

    The failure is committed (counter, lockout, audit) before the error is raised."""
    name = username.strip().lower()
    anonymous = Actor(user_id=None, name=name or "?", workstation=workstation_name())
    failure: AuthenticationFailed | None = None
    result: SignedInUser | None = None
    with uow.transaction(anonymous) as session:
        settings = read_settings(session)
        user = session.scalar(
            select(User).where(func.lower(User.username) == name, User.deleted_at.is_(None))
        )
        if user is None:
            verify_password(_dummy_hash(), password)
            append_audit(
                session,
                actor=anonymous,
                action="sign_in.failed",
                changes={"reason": "unknown user"},
            )
            failure = AuthenticationFailed(_("Wrong user name or password."))
        elif user.disabled:
            append_audit(
                session,
                actor=anonymous,
                action="sign_in.failed",
                entity="User",
                entity_id=str(user.id),
                changes={"reason": "disabled"},
            )
            failure = AuthenticationFailed(
                _("This account is disabled. Ask the clinic owner to enable it.")
            )
        elif user.is_locked():
            append_audit(
                session,
                actor=anonymous,
                action="sign_in.failed",
                entity="User",
                entity_id=str(user.id),
                changes={"reason": "locked"},
            )
            failure = AuthenticationFailed(
                _(
                    "This account is locked after too many failed attempts. Try again later or "
                    "ask the clinic owner to reset the password."
                )
            )
        elif not verify_password(user.password_hash, password):
            locked = user.register_failure(
                max_attempts=int(settings["security.max_failed_attempts"]),
                lock_minutes=int(settings["security.lockout_minutes"]),
            )
            append_audit(
                session,
                actor=anonymous,
                action="sign_in.failed",
                entity="User",
                entity_id=str(user.id),
                changes={"reason": "wrong password"},
            )
            if locked:
                append_audit(
                    session,
                    actor=anonymous,
                    action="account.locked",
                    entity="User",
                    entity_id=str(user.id),
                    changes={"minutes": settings["security.lockout_minutes"]},
                )
                failure = AuthenticationFailed(
                    _(
                        "Too many failed attempts: the account is locked for {minutes} minutes."
                    ).format(minutes=settings["security.lockout_minutes"])
                )
            else:
                failure = AuthenticationFailed(_("Wrong user name or password."))
        else:
            user.register_success()
            append_audit(
                session,
                actor=Actor.for_user(user.id, user.username),
                action="sign_in.succeeded",
                entity="User",
                entity_id=str(user.id),
            )
            result = _signed_in(session, user)
    if failure is not None:
        raise failure
    assert result is not None
    return result


def refresh_signed_in(uow: UnitOfWork, *, user_id: uuid.UUID) -> SignedInUser:
    """Reloads roles and permissions after an owner changed them."""
    with uow.transaction(Actor(user_id, "?", workstation_name())) as session:
        user = session.get(User, user_id)
        if user is None or user.disabled or user.is_deleted:
            raise AuthenticationFailed(_("Your account is not active. Sign in again."))
        return _signed_in(session, user)


def change_own_password(
    uow: UnitOfWork, *, actor: Actor, current_password: str, new_password: str
) -> None:
    with uow.transaction(actor) as session:
        user = session.get(User, actor.user_id)
        if user is None:
            raise AuthenticationFailed(_("Your account is not active. Sign in again."))
        if not verify_password(user.password_hash, current_password):
            raise ValidationError(
                _("Current password: it is not correct."), field="current_password"
            )
        check_policy(new_password, username=user.username, field="new_password")
        if verify_password(user.password_hash, new_password):
            raise ValidationError(
                _("New password: it must differ from the current one."), field="new_password"
            )
        user.password_hash = hash_password(new_password)
        user.must_change_password = False
        append_audit(
            session, actor=actor, action="password.changed", entity="User", entity_id=str(user.id)
        )


def sign_out(uow: UnitOfWork, *, actor: Actor) -> None:
    with uow.transaction(actor) as session:
        append_audit(
            session, actor=actor, action="sign_out", entity="User", entity_id=str(actor.user_id)
        )
