"""`clinic-desktop users ...` against a real clinic; passwords stay out of logs and audit."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from clinic_desktop.actor import Actor
from clinic_desktop.config import AppPaths
from clinic_desktop.errors import AuthenticationFailed
from clinic_desktop.models.audit import AuditEntry
from clinic_desktop.services.auth import sign_in
from clinic_desktop.services.startup import CreatedClinic

NEW_PASSWORD = "first-pass-for-doc-7391"
GIVEN_TEMPORARY = "handed-over-pass-5526"


def _row(out: str, username: str) -> str:
    return next(line for line in out.splitlines() if line.startswith(username + " "))


def test_add_list_disable_enable_and_reset_password(
    cli, clinic: CreatedClinic, paths: AppPaths
) -> None:
    added = cli(
        "users",
        "add",
        "--username",
        "luis",
        "--name",
        "Luis Pérez",
        "--role",
        "doctor",
        "--role",
        "reception",
        "--email",
        "luis@example.com",
        stdin=NEW_PASSWORD + "\n",
    )
    assert added.code == 0, added.err

    listed = cli("users", "list")
    assert listed.code == 0
    assert listed.out.splitlines()[0].split() == [
        "User",
        "name",
        "Name",
        "Roles",
        "Status",
        "Last",
        "sign-in",
    ]
    row = _row(listed.out, "luis")
    assert "Luis Pérez" in row
    assert "doctor, reception" in row
    assert "never" in row

    assert cli("users", "disable", "luis").code == 0
    assert "disabled" in _row(cli("users", "list").out, "luis")
    with pytest.raises(AuthenticationFailed):
        sign_in(clinic.db.uow(), username="luis", password=NEW_PASSWORD)
    assert cli("users", "enable", "luis").code == 0
    assert "disabled" not in _row(cli("users", "list").out, "luis")

    reset = cli("users", "reset-password", "luis")
    assert reset.code == 0, reset.err
    temporary = reset.out.split("Temporary password for luis: ", 1)[1].split()[0]
    user = sign_in(clinic.db.uow(), username="luis", password=temporary)
    assert user.must_change_password

    given = cli("users", "reset-password", "--stdin", "luis", stdin=GIVEN_TEMPORARY + "\n")
    assert given.code == 0, given.err
    assert GIVEN_TEMPORARY not in given.out
    assert sign_in(clinic.db.uow(), username="luis", password=GIVEN_TEMPORARY).must_change_password

    # Passwords never reach the log file or the audit trail.
    with clinic.db.uow().transaction(Actor.system("test")) as session:
        audit_text = "\n".join(
            f"{e.action} {e.entity_id} {e.changes}" for e in session.scalars(select(AuditEntry))
        )
    assert "password.reset" in audit_text
    log_text = paths.log_file.read_text(encoding="utf-8")
    for secret in (NEW_PASSWORD, temporary, GIVEN_TEMPORARY, "owner-pass-2026"):
        assert secret not in audit_text
        assert secret not in log_text


def test_bad_input_names_the_field_and_changes_nothing(cli, clinic: CreatedClinic) -> None:
    short = cli(
        "users",
        "add",
        "--username",
        "marta",
        "--name",
        "Marta Ruiz",
        "--role",
        "assistant",
        stdin="short\n",
    )
    assert short.code == 1
    assert short.err.startswith("Password:")

    unknown = cli("users", "disable", "nobody")
    assert unknown.code == 1
    assert "nobody" in unknown.err
    assert "marta" not in cli("users", "list").out
