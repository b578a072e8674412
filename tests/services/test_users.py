"""Account management rules: optimistic concurrency with "changed by … at …", the last owner
is protected, input errors name the field and change nothing, grants are editable data."""

from __future__ import annotations

import pytest

from clinic_desktop.actor import Actor
from clinic_desktop.errors import ConcurrentEditError, ValidationError
from clinic_desktop.services import users


def _owner(clinic, system) -> Actor:
    return Actor.for_user(users.find_user_id(clinic.db.uow(), actor=system, username="ana"), "ana")


def test_stale_edit_is_refused_naming_who_changed_it_and_overwrites_nothing(clinic, system):
    owner = _owner(clinic, system)
    dto = users.create_user(
        clinic.db.uow(),
        actor=owner,
        username="marta",
        full_name="Marta Gil",
        roles=["reception"],
        password="zq-pass-2026y",
    )
    # Two screens loaded version 1; the first saves.
    users.update_user(
        clinic.db.uow(),
        actor=owner,
        user_id=dto.id,
        expected_version=dto.version,
        full_name="Marta Gil Peña",
        email=None,
        roles=["reception"],
    )
    with pytest.raises(ConcurrentEditError) as err:
        users.update_user(
            clinic.db.uow(),
            actor=system,
            user_id=dto.id,
            expected_version=dto.version,
            full_name="Marta G.",
            email=None,
            roles=["doctor"],
        )
    assert "changed by Ana Torres at" in err.value.message
    current = next(u for u in users.list_users(clinic.db.uow(), actor=system) if u.id == dto.id)
    assert current.full_name == "Marta Gil Peña" and current.roles == ("reception",)


@pytest.mark.parametrize(
    ("field", "kwargs", "text"),
    [
        ("username", {"username": "A b"}, "User name:"),
        ("full_name", {"full_name": " "}, "Full name:"),
        ("email", {"email": "not-an-email"}, "E-mail:"),
        ("roles", {"roles": []}, "Roles:"),
        ("roles", {"roles": ["janitor"]}, "Roles:"),
    ],
)
def test_bad_input_names_the_field_and_changes_nothing(clinic, system, field, kwargs, text):
    before = users.list_users(clinic.db.uow(), actor=system)
    values = {
        "username": "nuevo",
        "full_name": "Nuevo Usuario",
        "roles": ["doctor"],
        "password": "nuevo-pass-2026",
        "email": None,
    }
    values.update(kwargs)
    with pytest.raises(ValidationError) as err:
        users.create_user(clinic.db.uow(), actor=system, **values)
    assert err.value.field == field and err.value.message.startswith(text)
    assert users.list_users(clinic.db.uow(), actor=system) == before


def test_duplicate_user_name_is_refused(clinic, system):
    with pytest.raises(ValidationError, match="already taken"):
        users.create_user(
            clinic.db.uow(),
            actor=system,
            username="Ana",
            full_name="Other Ana",
            roles=["doctor"],
            password="other-pass-2026",
        )


def test_the_last_owner_cannot_be_disabled_deleted_or_demoted(clinic, system):
    uid = users.find_user_id(clinic.db.uow(), actor=system, username="ana")
    with pytest.raises(ValidationError, match="at least one active owner"):
        users.set_user_disabled(clinic.db.uow(), actor=system, user_id=uid, disabled=True)
    with pytest.raises(ValidationError, match="at least one active owner"):
        users.delete_user(clinic.db.uow(), actor=system, user_id=uid)
    me = next(u for u in users.list_users(clinic.db.uow(), actor=system) if u.id == uid)
    with pytest.raises(ValidationError, match="at least one active owner"):
        users.update_user(
            clinic.db.uow(),
            actor=system,
            user_id=uid,
            expected_version=me.version,
            full_name=me.full_name,
            email=None,
            roles=["doctor"],
        )
    # With a second owner the first may step down.
    users.create_user(
        clinic.db.uow(),
        actor=system,
        username="socio",
        full_name="Socio Dos",
        roles=["owner"],
        password="partner-pw-2026",
    )
    users.update_user(
        clinic.db.uow(),
        actor=system,
        user_id=uid,
        expected_version=me.version,
        full_name=me.full_name,
        email=None,
        roles=["doctor"],
    )


def test_owners_cannot_disable_or_delete_themselves(clinic, system):
    owner = _owner(clinic, system)
    users.create_user(
        clinic.db.uow(),
        actor=system,
        username="socio",
        full_name="Socio Dos",
        roles=["owner"],
        password="partner-pw-2026",
    )
    with pytest.raises(ValidationError, match="your own account"):
        users.set_user_disabled(clinic.db.uow(), actor=owner, user_id=owner.user_id, disabled=True)


def test_grants_are_data_the_owner_edits(clinic, system):
    owner = _owner(clinic, system)
    matrix = users.set_grant(
        clinic.db.uow(), actor=owner, role="reception", permission="reports.finance", granted=True
    )
    assert ("reception", "reports.finance") in matrix.granted
    matrix = users.set_grant(
        clinic.db.uow(), actor=owner, role="reception", permission="reports.finance", granted=False
    )
    assert ("reception", "reports.finance") not in matrix.granted
    with pytest.raises(ValidationError, match="stays with"):
        users.set_grant(
            clinic.db.uow(), actor=owner, role="doctor", permission="grants.manage", granted=True
        )


def test_the_matrix_reports_exactly_the_cells_set_grant_refuses(clinic, system):
    matrix = users.get_grant_matrix(clinic.db.uow(), actor=system)
    assert ("owner", "grants.manage") in matrix.fixed
    for role, permission in matrix.fixed:
        current = (role, permission) in matrix.granted
        with pytest.raises(ValidationError, match="stays with"):
            users.set_grant(
                clinic.db.uow(), actor=system, role=role, permission=permission, granted=not current
            )
    free = next(
        (r, p) for r in matrix.roles for p in matrix.permissions if (r, p) not in matrix.fixed
    )
    users.set_grant(
        clinic.db.uow(),
        actor=system,
        role=free[0],
        permission=free[1],
        granted=free not in matrix.granted,
    )
