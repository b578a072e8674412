"""Shared set-up for the agenda service tests: the demo clinic with the seeded agenda, a Monday
whose next five weeks hold no public holiday, a fixed `now` (the Friday before, noon clinic
time) passed explicitly to every service, signed-in actors by user name, a booking helper that
re-reads through the services, and an empty Madrid clinic for daylight-saving cases. Not a test
module: test modules import its helpers and load it as a plugin for the fixtures
(`pytest_plugins = ["agenda_kit"]`); its asserts need no rewriting: PYTEST_DONT_REWRITE."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import holidays
import pytest
from argon2 import PasswordHasher
from sqlalchemy import select
from support.agenda_data import WEEKDAY_HOURS, AgendaSeed, next_monday, seed_agenda
from support.constants import FAST_KDF, OWNER_PASSWORD
from support.file_keyring import FileKeyring

from clinic_desktop.actor import Actor
from clinic_desktop.config import AppPaths
from clinic_desktop.db.uow import UnitOfWork
from clinic_desktop.models.user import User
from clinic_desktop.services import passwords
from clinic_desktop.services.agenda_dto import AppointmentDTO
from clinic_desktop.services.agenda_queries import agenda_range
from clinic_desktop.services.appointments import book_appointment
from clinic_desktop.services.audit import AuditFilter, list_audit_entries
from clinic_desktop.services.demo import create_demo_clinic
from clinic_desktop.services.patients import quick_create_patient
from clinic_desktop.services.schedules import save_practitioner, set_working_hours
from clinic_desktop.services.startup import ClinicSetup, CreatedClinic, create_clinic

SYSTEM = Actor.system("tests")


def clear_monday(country: str = "EC", weeks: int = 5) -> date:
    """The first Monday from next week on whose next `weeks` weeks hold no public holiday, so a
    test run in Carnival week books on ordinary working days."""
    monday = next_monday()
    while True:
        days = [monday + timedelta(days=n) for n in range(weeks * 7)]
        found = holidays.country_holidays(country, years={d.year for d in days})
        if not any(d in found for d in days):
            return monday
        monday += timedelta(weeks=1)


def next_weekday_holiday(country: str = "EC") -> date:
    """The next 25 December or 1 January falling on a weekday (when the doctors work)."""
    today = date.today()
    for year in range(today.year, today.year + 12):
        for day in (date(year, 1, 1), date(year, 12, 25)):
            if day > today + timedelta(days=1) and day.weekday() < 5:
                return day
    raise AssertionError("no weekday Christmas or New Year in twelve years")


@dataclass
class Agenda:
    demo: CreatedClinic
    seed: AgendaSeed
    monday: date
    _actors: dict[str, Actor] = field(default_factory=dict)

    @property
    def now(self) -> datetime:
        """The Friday before `monday`, 12:00 in the clinic."""
        return self.at(-3, 12)

    def uow(self) -> UnitOfWork:
        return self.demo.db.uow()

    def day(self, offset: int = 0) -> date:
        return self.monday + timedelta(days=offset)

    def at(self, offset: int, hour: int, minute: int = 0) -> datetime:
        """Aware UTC for a wall-clock time `offset` days after the Monday."""
        return self.seed.at(self.day(offset), hour, minute)

    def local(self, moment: datetime) -> str:
        return moment.astimezone(self.seed.zone).strftime("%a %H:%M")

    def actor(self, username: str) -> Actor:
        if username not in self._actors:
            with self.uow().transaction(SYSTEM) as session:
                user = session.scalar(select(User).where(User.username == username))
                assert user is not None, username
                self._actors[username] = Actor.for_user(user.id, user.username)
        return self._actors[username]

    def book(
        self,
        offset: int = 0,
        hour: int = 9,
        minute: int = 0,
        *,
        minutes: int = 30,
        practitioner: uuid.UUID | None = None,
        patient: int = 0,
        by: str = "recepcion",
        **extra: Any,
    ) -> AppointmentDTO:
        extra.setdefault("now", self.now)
        return book_appointment(
            self.uow(),
            actor=self.actor(by),
            patient_id=self.seed.patients[patient],
            practitioner_id=practitioner or self.seed.doctor,
            start=self.at(offset, hour, minute),
            minutes=minutes,
            **extra,
        )

    def appointments(
        self, first: int = 0, last: int = 13, *, include_cancelled: bool = True
    ) -> list[AppointmentDTO]:
        """Every appointment of the seeded practitioners in [monday+first, monday+last]."""
        found = agenda_range(
            self.uow(),
            actor=SYSTEM,
            first_day=self.day(first),
            last_day=self.day(last),
            include_cancelled=include_cancelled,
        )
        return list(found.appointments)

    def audit(self, action: str) -> list[Any]:
        entries, _total = list_audit_entries(
            self.uow(), actor=SYSTEM, flt=AuditFilter(action=action)
        )
        return entries


@pytest.fixture
def agenda_demo(
    paths: AppPaths, keyring_backend: FileKeyring, monkeypatch: pytest.MonkeyPatch
) -> Iterator[CreatedClinic]:
    """The `demo` fixture's clinic without the generated agenda, so `seed_agenda` starts from
    empty schedules and every appointment in a test is one the test made. These tests never
    sign in, so the six sample accounts get cheap password hashes (production Argon2 costs
    ~0.3 s each, which would dominate every test)."""
    monkeypatch.setattr(
        passwords, "_hasher", PasswordHasher(time_cost=1, memory_cost=64, parallelism=1)
    )
    created = create_demo_clinic(
        paths,
        patients=20,
        seed=7,
        language="en",
        kdf=FAST_KDF,
        keyring_backend=keyring_backend,
        agenda=False,
    )
    yield created
    created.db.close()


@pytest.fixture
def agenda(agenda_demo: CreatedClinic) -> Agenda:
    return Agenda(demo=agenda_demo, seed=seed_agenda(agenda_demo.db), monday=clear_monday())


def utc(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=UTC)


@pytest.fixture
def madrid(tmp_path: Path, keyring_backend: FileKeyring) -> Iterator[CreatedClinic]:
    """An empty clinic in Spain (Europe/Madrid, which changes clock twice a year)."""
    setup = ClinicSetup(
        name="Clínica Retiro",
        country="ES",
        tax_id="B64717838",
        address="Calle de Alcalá 100, Madrid",
        timezone="Europe/Madrid",
        currency="EUR",
        establishment_code="001",
        emission_point_code="001",
        owner_username="ana",
        owner_full_name="Ana Torres",
        owner_password=OWNER_PASSWORD,
        language="en",
    )
    created = create_clinic(
        AppPaths(tmp_path / "madrid"), setup, kdf=FAST_KDF, keyring_backend=keyring_backend
    )
    yield created
    created.db.close()


def madrid_agenda(clinic: CreatedClinic) -> tuple[uuid.UUID, uuid.UUID]:
    """One practitioner with the seed's weekday hours and one patient: (practitioner, patient)."""
    uow = clinic.db.uow
    doctor = save_practitioner(uow(), actor=SYSTEM, display_name="Dra. Elena Martín")
    set_working_hours(uow(), actor=SYSTEM, practitioner_id=doctor.id, hours=WEEKDAY_HOURS)
    patient = quick_create_patient(
        uow(), actor=SYSTEM, first_names="Íñigo", last_names="Zubiría", phone="+34 600 123 456"
    )
    return doctor.id, patient.id
