"""The key hierarchy: keyring first, recovery key when the keyring cannot help, never a
crash and never an offer to delete data."""

from __future__ import annotations

import json

import pytest
from support.constants import FAST_KDF
from support.file_keyring import FileKeyring, OtherFileKeyring

from clinic_desktop.db.keys import looks_like_recovery_key, normalize_recovery_key
from clinic_desktop.errors import KeyUnavailable, WrongKey
from clinic_desktop.services.startup import unlock


def test_keyring_unlocks_and_the_key_file_records_the_backend(clinic, paths):
    data = json.loads(paths.key_file.read_text())
    assert data["keyring"]["backend"] == "support.file_keyring.FileKeyring"
    assert clinic.db.data_key.hex() not in paths.key_file.read_text()
    assert unlock(paths, keyring_backend=FileKeyring()) == clinic.db.data_key


def test_no_keyring_backend_asks_for_the_recovery_key(clinic, paths):
    with pytest.raises(KeyUnavailable, match="No system keychain"):
        unlock(paths, keyring_backend=None)
    assert unlock(paths, recovery_key=clinic.recovery_key, keyring_backend=None) == (
        clinic.db.data_key
    )


def test_changed_backend_asks_for_recovery_then_re_enrols_it(clinic, paths):
    with pytest.raises(KeyUnavailable, match="changed"):
        unlock(paths, keyring_backend=OtherFileKeyring())
    key = unlock(paths, recovery_key=clinic.recovery_key, keyring_backend=OtherFileKeyring())
    assert key == clinic.db.data_key
    recorded = json.loads(paths.key_file.read_text())["keyring"]["backend"]
    assert recorded.endswith("OtherFileKeyring")
    assert unlock(paths, keyring_backend=OtherFileKeyring()) == clinic.db.data_key


def test_keyring_that_lost_the_entry_asks_for_recovery(clinic, paths, keyring_backend):
    account = json.loads(paths.key_file.read_text())["keyring"]["account"]
    keyring_backend.delete_password("clinic-desktop", account)
    with pytest.raises(KeyUnavailable, match="no longer holds"):
        unlock(paths, keyring_backend=keyring_backend)


def test_wrong_recovery_key_is_refused_with_a_clear_message(clinic, paths):
    with pytest.raises(WrongKey, match="does not open"):
        unlock(paths, recovery_key="AAAA-BBBB-CCCC-DDDD-EEEE-FFFF-GGGG-HHHH", keyring_backend=None)
    with pytest.raises(WrongKey, match="8 groups of 4"):
        unlock(paths, recovery_key="too short", keyring_backend=None)


def test_recovery_key_typed_loosely_still_works(clinic, paths):
    typed = clinic.recovery_key.lower().replace("-", " ")
    assert unlock(paths, recovery_key=typed, keyring_backend=None) == clinic.db.data_key


def test_recovery_key_format():
    assert normalize_recovery_key("abcd efgh-jkmn pqrs tvwx yz23 4567 89ab") == (
        "ABCD-EFGH-JKMN-PQRS-TVWX-YZ23-4567-89AB"
    )
    assert looks_like_recovery_key("ABCD-EFGH-JKMN-PQRS-TVWX-YZ23-4567-89AB")
    assert not looks_like_recovery_key("ABCD-EFGH")


def test_fast_kdf_params_are_recorded_with_the_slot(clinic, paths):
    slot = json.loads(paths.key_file.read_text())["recovery"]
    assert slot["kdf"] == "argon2id"
    assert slot["params"] == FAST_KDF.as_dict()


def test_a_restored_copy_in_another_folder_keeps_its_own_keyring_entry(
    clinic, paths, keyring_backend, tmp_path, system
):
    from pathlib import Path

    from clinic_desktop.config import AppPaths
    from clinic_desktop.services.backups import make_backup
    from clinic_desktop.services.startup import restore_on_new_pc

    made = make_backup(clinic.db, actor=system)
    copy = AppPaths(tmp_path / "copy")
    restore_on_new_pc(
        copy, Path(made.path), recovery_key=clinic.recovery_key, keyring_backend=keyring_backend
    ).close()
    assert unlock(copy, keyring_backend=keyring_backend) == clinic.db.data_key
    assert unlock(paths, keyring_backend=keyring_backend) == clinic.db.data_key
