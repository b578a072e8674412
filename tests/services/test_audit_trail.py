"""The audit trail: automatic entries for every create/update/delete/restore with old and new
values, explicit ones for sign-ins and reads, a chain that exposes edits, removals and
reordering, and a table the database itself keeps append-only."""

from __future__ import annotations

import itertools
import json

import pytest
import sqlcipher3
from sqlalchemy import select

from clinic_desktop.actor import Actor
from clinic_desktop.db.audit_log import HardDeleteRefused
from clinic_desktop.db.engine import connect_raw
from clinic_desktop.models.audit import AuditEntry
from clinic_desktop.models.patient import Patient
from clinic_desktop.services import audit, trash, users
from clinic_desktop.services.audit import AuditFilter, verify_audit_chain


def _entries(created, **filters):
    rows, _total = audit.list_audit_entries(
        created.db.uow(), actor=Actor.system("t"), flt=AuditFilter(**filters), limit=1000
    )
    return rows


def test_create_update_delete_restore_are_recorded_with_old_and_new(clinic, system):
    owner = Actor.for_user(users.find_user_id(clinic.db.uow(), actor=system, username="ana"), "ana")
    dto = users.create_user(
        clinic.db.uow(),
        actor=owner,
        username="pedro",
        full_name="Pedro Ruiz",
        roles=["doctor"],
        password="ruiz-pass-2026",
    )
    users.update_user(
        clinic.db.uow(),
        actor=owner,
        user_id=dto.id,
        expected_version=dto.version,
        full_name="Pedro Ruiz Vera",
        email=None,
        roles=["doctor"],
    )
    users.delete_user(clinic.db.uow(), actor=owner, user_id=dto.id)
    trash.restore_record(clinic.db.uow(), actor=owner, entity="User", entity_id=str(dto.id))

    trail = [e for e in _entries(clinic, entity="User") if e.entity_id == str(dto.id)]
    actions = [e.action for e in reversed(trail)]
    assert actions[0] == "create" and {"update", "delete", "restore"} <= set(actions)
    update = next(e for e in trail if e.action == "update")
    assert json.loads(update.changes)["full_name"] == {
        "old": "Pedro Ruiz",
        "new": "Pedro Ruiz Vera",
    }
    assert all(e.user_name == "ana" and e.workstation for e in trail)
    create = next(e for e in trail if e.action == "create")
    assert json.loads(create.changes)["password_hash"] == "***"
    assert "ruiz-pass-2026" not in "".join(e.changes for e in _entries(clinic))


def test_entities_are_never_hard_deleted(clinic, system):
    with pytest.raises(HardDeleteRefused), clinic.db.uow().transaction(system) as session:
        session.add(Patient(chart_number=5, first_names="A", last_names="B"))
        session.flush()
        session.delete(session.scalar(select(Patient)))
        session.flush()


def _tamper(clinic, sql: str, *params) -> None:
    """What an attacker with the key would have to do: drop the guard triggers first."""
    clinic.db.close()
    conn = connect_raw(clinic.db.path, clinic.db.data_key)
    conn.execute("DROP TRIGGER audit_entries_no_update")
    conn.execute("DROP TRIGGER audit_entries_no_delete")
    conn.execute(sql, params)
    conn.close()


def test_the_database_refuses_edits_and_removals_of_entries(clinic):
    conn = connect_raw(clinic.db.path, clinic.db.data_key)
    with pytest.raises(sqlcipher3.IntegrityError, match="append-only"):
        conn.execute("UPDATE audit_entries SET action = 'x' WHERE seq = 1")
    with pytest.raises(sqlcipher3.IntegrityError, match="append-only"):
        conn.execute("DELETE FROM audit_entries WHERE seq = 1")
    conn.close()


def test_chain_verifies_then_names_an_altered_entry(clinic, system):
    assert verify_audit_chain(clinic.db.uow(), actor=system).ok
    _tamper(clinic, "UPDATE audit_entries SET user_name = 'someone else' WHERE seq = 2")
    result = verify_audit_chain(clinic.db.uow(), actor=system)
    assert not result.ok and result.first_bad_seq == 2 and "altered" in result.reason


def test_chain_names_a_removed_entry(clinic, system):
    _tamper(clinic, "DELETE FROM audit_entries WHERE seq = 3")
    result = verify_audit_chain(clinic.db.uow(), actor=system)
    assert not result.ok and result.first_bad_seq == 4


def test_chain_names_reordered_entries(clinic, system):
    _tamper(
        clinic,
        "UPDATE audit_entries SET seq = CASE seq WHEN 2 THEN -3 WHEN 3 THEN 2 END "
        "WHERE seq IN (2, 3)",
    )
    conn = connect_raw(clinic.db.path, clinic.db.data_key)
    conn.execute("UPDATE audit_entries SET seq = 3 WHERE seq = -3")
    conn.close()
    result = verify_audit_chain(clinic.db.uow(), actor=system)
    assert not result.ok and result.first_bad_seq == 2


def test_filters_narrow_the_list(demo, system):
    everything = _entries(demo)
    creates = _entries(demo, action="create")
    assert 0 < len(creates) < len(everything)
    assert {e.action for e in creates} == {"create"}
    assert {e.entity for e in _entries(demo, entity="Clinic")} == {"Clinic"}


def test_chain_entries_link_in_order(clinic):
    with clinic.db.uow().transaction(Actor.system("t")) as session:
        rows = list(session.scalars(select(AuditEntry).order_by(AuditEntry.seq)))
    assert rows[0].prev_hash == "0" * 64
    for before, after in itertools.pairwise(rows):
        assert after.prev_hash == before.hash
