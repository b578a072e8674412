"""Migrations: a database made at the first revision, holding data, upgrades to head with
nothing lost, and the models never drift from the migrated schema."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import select, text
from support.constants import FAST_KDF

from clinic_desktop.actor import Actor
from clinic_desktop.db import migrate
from clinic_desktop.db.engine import create_clinic_engine, create_database_file
from clinic_desktop.db.keys import new_data_key
from clinic_desktop.db.keystore import KeyStore
from clinic_desktop.models import Base
from clinic_desktop.models.user import User
from clinic_desktop.services.audit import verify_audit_chain
from clinic_desktop.services.startup import open_clinic


def test_first_revision_with_data_upgrades_to_head_without_loss(paths):
    paths.ensure()
    keystore = KeyStore(paths.key_file, backend=None)
    data_key, _recovery = keystore.create(clinic_id=str(uuid.uuid4()), kdf=FAST_KDF)
    create_database_file(paths.database, data_key)
    engine = create_clinic_engine(paths.database, data_key)
    first = "0001"
    migrate.upgrade(engine, first)
    now = datetime.now(UTC).replace(tzinfo=None)
    user_id = uuid.uuid4()
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO users (id, username, full_name, password_hash, must_change_password, "
                "failed_attempts, disabled, created_at, updated_at, version) VALUES "
                "(:id, 'rosa', 'Rosa Cevallos', 'x', 0, 0, 0, :now, :now, 1)"
            ),
            {"id": user_id.hex, "now": now},
        )
        conn.execute(
            text("INSERT INTO user_roles (id, user_id, role) VALUES (:id, :uid, 'doctor')"),
            {"id": uuid.uuid4().hex, "uid": user_id.hex},
        )
    engine.dispose()
    assert migrate.needs_upgrade(create_clinic_engine(paths.database, data_key))

    db = open_clinic(paths, data_key)
    assert migrate.current_revision(db.engine) == migrate.head_revision()
    with db.uow().transaction(Actor.system("test")) as session:
        user = session.scalar(select(User).where(User.username == "rosa"))
        assert user is not None
        assert user.full_name == "Rosa Cevallos" and user.role_codes == ["doctor"]
        assert user.email is None  # a column added after the first revision
    # The upgrade made a verified safety backup first and audited itself.
    assert list(paths.backups_dir.glob("*pre-migration*.cdbackup"))
    assert verify_audit_chain(db.uow(), actor=Actor.system("test")).ok
    db.close()


def test_models_match_the_migrated_schema(clinic):
    with clinic.db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == []


def test_new_database_is_at_head(clinic):
    assert not migrate.needs_upgrade(clinic.db.engine)
    data_key = new_data_key()
    assert len(data_key) == 32


def test_head_constant_matches_the_revision_scripts():
    assert migrate.scripts_head() == migrate.HEAD


def test_agenda_revision_grants_the_new_capabilities_to_roles_that_ran_the_agenda(paths):
    """Roles that held schedule.manage before 0003 keep booking after the upgrade; patients
    made before it get the reminder defaults."""
    paths.ensure()
    keystore = KeyStore(paths.key_file, backend=None)
    data_key, _recovery = keystore.create(clinic_id=str(uuid.uuid4()), kdf=FAST_KDF)
    create_database_file(paths.database, data_key)
    engine = create_clinic_engine(paths.database, data_key)
    migrate.upgrade(engine, "0002")
    now = datetime.now(UTC).replace(tzinfo=None)
    with engine.begin() as conn:
        for role, permission in (
            ("reception", "schedule.manage"),
            ("it_admin", "users.manage"),
        ):
            conn.execute(
                text("INSERT INTO role_grants (id, role, permission) VALUES (:id, :r, :p)"),
                {"id": uuid.uuid4().hex, "r": role, "p": permission},
            )
        conn.execute(
            text(
                "INSERT INTO patients (id, chart_number, first_names, last_names, id_type, "
                "created_at, updated_at, version) VALUES (:id, 1, 'Rosa', 'Vera', 'cedula', "
                ":now, :now, 1)"
            ),
            {"id": uuid.uuid4().hex, "now": now},
        )
    migrate.upgrade(engine)
    with engine.connect() as conn:
        grants = set(conn.execute(text("SELECT role, permission FROM role_grants")))
        reminder = conn.execute(
            text("SELECT reminder_channel, reminder_consent FROM patients")
        ).one()
    engine.dispose()
    assert {("reception", "agenda.view"), ("reception", "agenda.book")} <= grants
    assert not {p for r, p in grants if r == "it_admin"} & {"agenda.view", "agenda.book"}
    assert tuple(reminder) == ("none", 0)


def test_patient_revision_folds_the_names_of_existing_patients(paths):
    paths.ensure()
    keystore = KeyStore(paths.key_file, backend=None)
    data_key, _recovery = keystore.create(clinic_id=str(uuid.uuid4()), kdf=FAST_KDF)
    create_database_file(paths.database, data_key)
    engine = create_clinic_engine(paths.database, data_key)
    migrate.upgrade(engine, "0003")
    now = datetime.now(UTC).replace(tzinfo=None)
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO patients (id, chart_number, first_names, last_names, id_type, "
                "reminder_channel, reminder_consent, created_at, updated_at, version) VALUES "
                "(:id, 1, 'José  Ángel', 'Núñez Peña', 'cedula', 'none', 0, :now, :now, 1)"
            ),
            {"id": uuid.uuid4().hex, "now": now},
        )
    migrate.upgrade(engine)
    with engine.connect() as conn:
        folded = conn.execute(text("SELECT search_name, archived_at FROM patients")).one()
    engine.dispose()
    assert tuple(folded) == ("jose angel nunez pena", None)


def test_search_index_revision_indexes_the_existing_patients(paths):
    paths.ensure()
    keystore = KeyStore(paths.key_file, backend=None)
    data_key, _recovery = keystore.create(clinic_id=str(uuid.uuid4()), kdf=FAST_KDF)
    create_database_file(paths.database, data_key)
    engine = create_clinic_engine(paths.database, data_key)
    migrate.upgrade(engine, "0005")
    now = datetime.now(UTC).replace(tzinfo=None)
    listed, archived = uuid.uuid4().hex, uuid.uuid4().hex
    with engine.begin() as conn:
        for pid, chart, archived_at in ((listed, 7, None), (archived, 8, now)):
            conn.execute(
                text(
                    "INSERT INTO patients (id, chart_number, first_names, last_names, id_type, "
                    "id_number, phone, reminder_channel, reminder_consent, search_name, "
                    "archived_at, created_at, updated_at, version) VALUES (:id, :chart, "
                    "'José  Ángel', 'Núñez Peña', 'cedula', '1710034065', '02 234-5678', "
                    "'none', 0, '', :archived, :now, :now, 1)"
                ),
                {"id": pid, "chart": chart, "archived": archived_at, "now": now},
            )
    migrate.upgrade(engine)
    with engine.connect() as conn:
        rows = conn.execute(
            text("SELECT patient_id, term, sort_name, state FROM patient_search_terms")
        ).all()
    engine.dispose()
    terms = {(r[0], r[1]) for r in rows}
    expected = {"jose", "angel", "nunez", "pena", "1710034065", "022345678", "2345678"}
    assert terms == {(listed, t) for t in expected | {"7"}} | {
        (archived, t) for t in expected | {"8"}
    }
    assert {r[2] for r in rows} == {"nunez pena jose angel"}
    assert {(r[0], r[3]) for r in rows} == {(listed, 0), (archived, 1)}


def test_inventory_revision_goes_down_and_up_on_a_clinic_with_appointments(demo_agenda):
    """0008 rebuilds appointment_types, which booked appointments point at: with foreign keys
    enforced during the rebuild, SQLite refused to drop the old table."""
    engine = demo_agenda.db.engine
    with engine.connect() as conn:
        before = conn.execute(text("SELECT count(*) FROM appointments")).scalar()
        types = conn.execute(text("SELECT count(*) FROM appointment_types")).scalar()
    assert before and types
    migrate.downgrade(engine, "0007")
    assert migrate.current_revision(engine) == "0007"
    migrate.upgrade(engine)
    assert migrate.current_revision(engine) == migrate.head_revision()
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM appointments")).scalar() == before
        assert conn.execute(text("SELECT count(*) FROM appointment_types")).scalar() == types
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert conn.execute(text("PRAGMA foreign_key_check")).fetchall() == []
