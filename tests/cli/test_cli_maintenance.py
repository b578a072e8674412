"""`backup`, `restore`, `audit verify` and `check` against real encrypted clinics, including a
PC whose keyring lost the key (the recovery key comes from stdin) and a tampered audit trail."""

from __future__ import annotations

from pathlib import Path

from clinic_desktop.config import AppPaths
from clinic_desktop.db.backup import verify_backup
from clinic_desktop.db.engine import connect_raw
from clinic_desktop.services.startup import CreatedClinic


def _drop_keyring(tmp_path: Path) -> None:
    (tmp_path / "keyring.json").unlink()


def test_backup_then_restore_puts_the_data_back(
    cli, clinic: CreatedClinic, paths: AppPaths, tmp_path: Path
) -> None:
    made = cli("backup", "--to", str(tmp_path / "usb"))
    assert made.code == 0, made.err
    [backup] = (tmp_path / "usb").glob("*.cdbackup")
    assert str(backup) in made.out
    assert verify_backup(backup, data_key=clinic.db.data_key).clinic_name == "Clínica Santa Ana"

    added = cli(
        "users",
        "add",
        "--username",
        "late",
        "--name",
        "Added Later",
        "--role",
        "assistant",
        stdin="pass-added-afterwards-1\n",
    )
    assert added.code == 0, added.err

    refused = cli("restore", str(backup), stdin="n\n")
    assert refused.code == 1
    assert "late" in cli("users", "list").out

    restored = cli("restore", "--yes", str(backup))
    assert restored.code == 0, restored.err
    assert "late" not in cli("users", "list").out
    assert list(paths.replaced_dir.glob("clinic-before-restore-*.db"))


def test_audit_verify_names_the_first_tampered_entry(
    cli, clinic: CreatedClinic, paths: AppPaths
) -> None:
    intact = cli("audit", "verify")
    assert intact.code == 0
    assert "audit trail intact:" in intact.out

    # An attacker with the key drops the append-only trigger and rewrites history.
    conn = connect_raw(paths.database, clinic.db.data_key)
    try:
        conn.execute("DROP TRIGGER audit_entries_no_update")
        conn.execute("UPDATE audit_entries SET action = 'nothing.happened' WHERE seq = 3")
    finally:
        conn.close()

    broken = cli("audit", "verify")
    assert broken.code == 1
    assert "entry 3" in broken.err
    assert "altered" in broken.err


def test_check_prints_ok_lines(cli, clinic: CreatedClinic) -> None:
    assert cli("backup").code == 0
    result = cli("check")

    assert result.code == 0, result.err
    lines = result.out.splitlines()
    assert [line.split()[0] for line in lines] == ["OK"] * 4
    assert [line.split()[1] for line in lines] == ["key:", "integrity:", "schema:", "backup:"]


def test_check_and_backup_with_a_lost_keyring_take_the_recovery_key_from_stdin(
    cli_subprocess, cli, clinic: CreatedClinic, tmp_path: Path
) -> None:
    _drop_keyring(tmp_path)
    without = cli_subprocess("check")
    assert without.code == 1
    assert without.out.startswith("FAIL  key: Recovery key")

    checked = cli_subprocess("check", stdin=clinic.recovery_key + "\n")
    assert checked.code == 0, checked.err
    assert "keychain" in checked.err
    assert checked.out.splitlines()[0].startswith("WARN  key:")
    assert "saved in the keychain again" in checked.out

    _drop_keyring(tmp_path)
    made = cli("backup", stdin=clinic.recovery_key.lower().replace("-", " ") + "\n")
    assert made.code == 0, made.err
    assert "recovery key" in made.err
    assert list(clinic.db.paths.backups_dir.glob("*-manual.cdbackup"))


def test_restore_onto_a_new_pc_needs_the_recovery_key(
    cli, clinic: CreatedClinic, tmp_path: Path
) -> None:
    assert cli("backup", "--to", str(tmp_path / "usb")).code == 0
    [backup] = (tmp_path / "usb").glob("*.cdbackup")
    new_pc = str(tmp_path / "new-pc")

    refused = cli("--data-dir", new_pc, "restore", str(backup))
    assert refused.code == 1
    assert refused.err.startswith("Recovery key:")

    restored = cli(
        "--data-dir",
        new_pc,
        "restore",
        "--recovery-key-stdin",
        str(backup),
        stdin=clinic.recovery_key + "\n",
    )
    assert restored.code == 0, restored.err
    listed = cli("--data-dir", new_pc, "users", "list")
    assert "ana" in listed.out
