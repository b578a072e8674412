"""`clinic-desktop init` and `demo`, usage errors and failure reporting, run for real."""

from __future__ import annotations

import re

import pytest

from clinic_desktop.cli import commands_users
from clinic_desktop.config import AppPaths
from clinic_desktop.services.auth import sign_in
from clinic_desktop.services.demo import DEMO_ACCOUNTS, DEMO_PASSWORD
from clinic_desktop.services.startup import open_clinic, unlock

OWNER_PASSWORD = "owner-pass-2026"
RECOVERY = re.compile(r"Recovery key: ([0-9A-Z]{4}(?:-[0-9A-Z]{4}){7})")

INIT_ARGS = (
    "init",
    "--name",
    "Clínica Santa Ana",
    "--country",
    "EC",
    "--owner-username",
    "ana",
    "--owner-name",
    "Ana Torres",
    "--owner-email",
    "ana@example.com",
    "--establishment",
    "002",
)


def test_init_prints_a_recovery_key_that_unlocks_the_clinic(cli, paths: AppPaths) -> None:
    result = cli(*INIT_ARGS, "--tax-id", "1710034065001", stdin=OWNER_PASSWORD + "\n")

    assert result.code == 0, result.err
    assert "keep it somewhere safe" in result.out
    found = RECOVERY.search(result.out)
    assert found, result.out
    key = unlock(paths, recovery_key=found.group(1), keyring_backend=None)
    db = open_clinic(paths, key)
    try:
        owner = sign_in(db.uow(), username="ana", password=OWNER_PASSWORD)
        assert owner.roles == ("owner",)
    finally:
        db.close()


def test_init_with_a_bad_tax_id_names_the_field_and_creates_nothing(cli, paths: AppPaths) -> None:
    result = cli(*INIT_ARGS, "--tax-id", "1710034066001", stdin=OWNER_PASSWORD + "\n")

    assert result.code == 1
    assert "Tax ID" in result.err
    assert len(result.err.strip().splitlines()) == 1
    assert result.out == ""
    assert not paths.data_dir.exists()


def test_demo_subprocess_prints_accounts_and_creates_patients(
    cli_subprocess, cli, paths: AppPaths
) -> None:
    result = cli_subprocess("demo", "--patients", "300", "--seed", "5")

    assert result.code == 0, result.err
    for account in DEMO_ACCOUNTS:
        assert account.username in result.out
    assert DEMO_PASSWORD in result.out
    assert RECOVERY.search(result.out)
    key = unlock(paths)  # the subprocess enrolled the same (file) keyring
    db = open_clinic(paths, key)
    try:
        user = sign_in(db.uow(), username="recepcion", password=DEMO_PASSWORD)
        assert user.roles == ("reception",)
    finally:
        db.close()
    verified = cli("audit", "verify")
    assert verified.code == 0
    assert re.search(r"audit trail intact: \d+ entries", verified.out)


@pytest.mark.parametrize(
    "args",
    [("users", "frob"), ("init", "--name", "X"), ("demo", "--patients", "-3")],
)
def test_usage_errors_exit_2(cli, args: tuple[str, ...]) -> None:
    assert cli(*args).code == 2


def test_a_command_without_a_clinic_fails_in_one_line(cli, paths: AppPaths) -> None:
    result = cli("users", "list")

    assert result.code == 1
    assert str(paths.data_dir) in result.err
    assert len(result.err.strip().splitlines()) == 1


def test_an_unexpected_error_goes_to_the_log_not_the_terminal(
    cli, clinic, paths: AppPaths, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*_args: object, **_kwargs: object) -> list[object]:
        raise RuntimeError("simulated bug 4242")

    monkeypatch.setattr(commands_users, "list_users", broken)
    result = cli("users", "list")

    assert result.code == 1
    assert "4242" not in result.err
    assert str(paths.log_file) in result.err
    assert len(result.err.strip().splitlines()) == 1
    log_text = paths.log_file.read_text(encoding="utf-8")
    assert "Traceback" in log_text
    assert "simulated bug 4242" in log_text
