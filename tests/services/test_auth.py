"""Signing in: Argon2id hashes, the password policy, lockout after repeated failures, forced
change of temporary passwords, and an audit entry for every success, failure and lockout."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select
from support.constants import OWNER_PASSWORD

from clinic_desktop.actor import Actor
from clinic_desktop.errors import AuthenticationFailed, ValidationError
from clinic_desktop.models.user import User
from clinic_desktop.services import auth, settings, users
from clinic_desktop.services.audit import AuditFilter, list_audit_entries


def _actions(clinic) -> list[str]:
    rows, _ = list_audit_entries(clinic.db.uow(), actor=Actor.system("t"), flt=AuditFilter())
    return [r.action for r in rows]


def test_sign_in_succeeds_with_argon2id_and_is_audited(clinic):
    user = auth.sign_in(clinic.db.uow(), username="ANA ", password=OWNER_PASSWORD)
    assert user.username == "ana" and "owner" in user.roles
    with clinic.db.uow().transaction(Actor.system("t")) as session:
        stored = session.scalar(select(User.password_hash).where(User.username == "ana"))
    assert stored.startswith("$argon2id$") and OWNER_PASSWORD not in stored
    assert _actions(clinic)[0] == "sign_in.succeeded"


def test_five_failures_lock_the_account_for_fifteen_minutes(clinic):
    uow = clinic.db.uow
    for _attempt in range(4):
        with pytest.raises(AuthenticationFailed, match="Wrong user name or password"):
            auth.sign_in(uow(), username="ana", password="wrong-password-1")
    with pytest.raises(AuthenticationFailed, match="locked for 15 minutes"):
        auth.sign_in(uow(), username="ana", password="wrong-password-1")
    # Even the right password is refused while locked.
    with pytest.raises(AuthenticationFailed, match="locked"):
        auth.sign_in(uow(), username="ana", password=OWNER_PASSWORD)
    assert "account.locked" in _actions(clinic)
    assert _actions(clinic).count("sign_in.failed") == 6
    with uow().transaction(Actor.system("t")) as session:
        user = session.scalar(select(User).where(User.username == "ana"))
        remaining = user.locked_until - datetime.now(UTC)
        assert timedelta(minutes=14) < remaining <= timedelta(minutes=15)
        user.locked_until = datetime.now(UTC) - timedelta(seconds=1)  # time passes
    assert auth.sign_in(uow(), username="ana", password=OWNER_PASSWORD).username == "ana"


def test_lockout_threshold_and_duration_are_configurable(clinic, system):
    settings.update_settings(
        clinic.db.uow(),
        actor=system,
        changes={"security.max_failed_attempts": 3, "security.lockout_minutes": 30},
    )
    for _attempt in range(2):
        with pytest.raises(AuthenticationFailed, match="Wrong"):
            auth.sign_in(clinic.db.uow(), username="ana", password="nope-nope-1")
    with pytest.raises(AuthenticationFailed, match="30 minutes"):
        auth.sign_in(clinic.db.uow(), username="ana", password="nope-nope-1")


def test_unknown_user_gets_the_same_message(clinic):
    with pytest.raises(AuthenticationFailed, match="Wrong user name or password"):
        auth.sign_in(clinic.db.uow(), username="nobody", password="whatever-123")


def test_temporary_password_forces_a_change(clinic, system):
    dto = users.create_user(
        clinic.db.uow(),
        actor=system,
        username="luis",
        full_name="Luis Vera",
        roles=["reception"],
        password="temp-pass-01",
    )
    signed = auth.sign_in(clinic.db.uow(), username="luis", password="temp-pass-01")
    assert signed.must_change_password
    actor = Actor.for_user(dto.id, "luis")
    with pytest.raises(ValidationError) as err:
        auth.change_own_password(
            clinic.db.uow(), actor=actor, current_password="temp-pass-01", new_password="short1"
        )
    assert err.value.field == "new_password" and "at least 10" in err.value.message
    auth.change_own_password(
        clinic.db.uow(), actor=actor, current_password="temp-pass-01", new_password="my-own-pass-77"
    )
    again = auth.sign_in(clinic.db.uow(), username="luis", password="my-own-pass-77")
    assert not again.must_change_password
    assert "password.changed" in _actions(clinic)


@pytest.mark.parametrize(
    ("password", "rule"),
    [
        ("abc123", "at least 10"),
        ("onlyletters", "one letter and one digit"),
        ("1234567890", "one letter and one digit"),
        ("luis-12345678", "user name"),
    ],
)
def test_password_policy_names_the_rule(clinic, system, password, rule):
    with pytest.raises(ValidationError, match=rule) as err:
        users.create_user(
            clinic.db.uow(),
            actor=system,
            username="luis",
            full_name="Luis V",
            roles=["doctor"],
            password=password,
        )
    assert err.value.message.startswith("Password:")


def test_reset_password_unlocks_and_forces_change(clinic, system):
    for _attempt in range(5):
        with pytest.raises(AuthenticationFailed):
            auth.sign_in(clinic.db.uow(), username="ana", password="bad-password-9")
    uid = users.find_user_id(clinic.db.uow(), actor=system, username="ana")
    temporary = users.reset_password(clinic.db.uow(), actor=system, user_id=uid)
    signed = auth.sign_in(clinic.db.uow(), username="ana", password=temporary)
    assert signed.must_change_password
