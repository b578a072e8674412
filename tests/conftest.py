"""Shared fixtures: real SQLCipher clinics in temp dirs, a file-backed keyring standing in
for the OS one, cheap Argon2 parameters for the recovery key (the production cost is
measured in benchmarks, not paid in every test), and signed-in actors of every role."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from support.constants import FAST_KDF, OWNER_PASSWORD
from support.file_keyring import FileKeyring

from clinic_desktop.actor import Actor
from clinic_desktop.config import AppPaths
from clinic_desktop.i18n import set_language
from clinic_desktop.services.demo import DEMO_ACCOUNTS, create_demo_clinic
from clinic_desktop.services.startup import ClinicSetup, CreatedClinic, create_clinic


@pytest.fixture(autouse=True)
def _test_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("CLINIC_TEST_KEYRING_FILE", str(tmp_path / "keyring.json"))
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "support.file_keyring.FileKeyring")
    monkeypatch.delenv("CLINIC_DESKTOP_DATA_DIR", raising=False)
    set_language("en")
    yield
    set_language("en")


@pytest.fixture
def keyring_backend() -> FileKeyring:
    return FileKeyring()


@pytest.fixture
def paths(tmp_path: Path) -> AppPaths:
    return AppPaths(tmp_path / "data")


def sample_setup(**overrides: str) -> ClinicSetup:
    values = {
        "name": "Clínica Santa Ana",
        "country": "EC",
        "tax_id": "1710034065001",
        "address": "Av. Amazonas 100, Quito",
        "timezone": "America/Guayaquil",
        "currency": "USD",
        "establishment_code": "001",
        "emission_point_code": "002",
        "owner_username": "ana",
        "owner_full_name": "Ana Torres",
        "owner_password": OWNER_PASSWORD,
        "language": "en",
    }
    values.update(overrides)
    return ClinicSetup(**values)  # type: ignore[arg-type]


@pytest.fixture
def clinic(paths: AppPaths, keyring_backend: FileKeyring) -> Iterator[CreatedClinic]:
    created = create_clinic(paths, sample_setup(), kdf=FAST_KDF, keyring_backend=keyring_backend)
    yield created
    created.db.close()


@pytest.fixture
def demo(paths: AppPaths, keyring_backend: FileKeyring) -> Iterator[CreatedClinic]:
    created = create_demo_clinic(
        paths,
        patients=20,
        seed=7,
        language="en",
        kdf=FAST_KDF,
        keyring_backend=keyring_backend,
        agenda=False,
        inventory=False,
        billing=False,
    )
    yield created
    created.db.close()


@pytest.fixture
def demo_agenda(paths: AppPaths, keyring_backend: FileKeyring) -> Iterator[CreatedClinic]:
    """The demo clinic with its generated agenda, centred on a working weekday (today when
    it is one) with "now" at 10:30 there, so the waiting room and the day's statuses are the
    same whatever the hour the tests run."""
    from support.agenda_demo import demo_day, demo_now

    day = demo_day()
    created = create_demo_clinic(
        paths,
        patients=40,
        seed=7,
        language="en",
        kdf=FAST_KDF,
        keyring_backend=keyring_backend,
        today=day,
        now=demo_now(day),
        inventory=False,
        billing=False,
    )
    yield created
    created.db.close()


@pytest.fixture
def demo_stocked(paths: AppPaths, keyring_backend: FileKeyring) -> Iterator[CreatedClinic]:
    """The demo clinic with its agenda and its inventory: catalogue, stocked lots, purchase
    orders and the stock consumed by the completed visits (see demo_agenda for the day)."""
    from support.agenda_demo import demo_day, demo_now

    day = demo_day()
    created = create_demo_clinic(
        paths,
        patients=40,
        seed=7,
        language="en",
        kdf=FAST_KDF,
        keyring_backend=keyring_backend,
        today=day,
        now=demo_now(day),
        billing=False,
    )
    yield created
    created.db.close()


@pytest.fixture
def demo_billed(paths: AppPaths, keyring_backend: FileKeyring) -> Iterator[CreatedClinic]:
    """The demo clinic with its agenda, inventory and money: the completed visits invoiced
    (but the two latest), payments, two credit notes, a refund, every past day's cash closed
    and two years of expenses (services.demo_billing; see demo_agenda for the day)."""
    from support.agenda_demo import demo_day, demo_now

    day = demo_day()
    created = create_demo_clinic(
        paths,
        patients=40,
        seed=7,
        language="en",
        kdf=FAST_KDF,
        keyring_backend=keyring_backend,
        today=day,
        now=demo_now(day),
    )
    yield created
    created.db.close()


@pytest.fixture
def system() -> Actor:
    return Actor.system("test")


def actor_of(created: CreatedClinic, username: str) -> Actor:
    from sqlalchemy import select

    from clinic_desktop.models.user import User

    with created.db.uow().transaction(Actor.system("test")) as session:
        user = session.scalar(select(User).where(User.username == username))
        assert user is not None
        return Actor.for_user(user.id, user.username)


@pytest.fixture
def role_actors(demo: CreatedClinic) -> dict[str, Actor]:
    """One signed-in actor per role, from the demo clinic's sample accounts."""
    actors: dict[str, Actor] = {}
    for account in DEMO_ACCOUNTS:
        actors.setdefault(account.role, actor_of(demo, account.username))
    return actors


os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
