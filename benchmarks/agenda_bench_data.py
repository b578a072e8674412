"""The agenda benchmarks' clinic: 50,000 patients, 20 practitioners and 1,000,000 appointments
over ten years (nine behind today, one ahead), made with `create_demo_clinic(agenda=False)`
and `services.demo_agenda.add_demo_agenda`. Making it takes about a minute, so it is cached in
the system temp folder under `clinic-bench-agenda-<version>-<digest>`, where the digest covers
the demo generator and the migrations: changing either makes a new cache (and removes the old
one). Each run works on a fresh copy in its own folder, so the bookings it makes never pile up
in the cache. The cache keeps its own file keyring; the copy's key goes into the run's."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
import time
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

DATA_VERSION = "1"
PRACTITIONERS = 20
APPOINTMENTS = 1_000_000
YEARS = 10
PATIENTS = 50_000
SEED = 1
KEYRING_ENV = "CLINIC_TEST_KEYRING_FILE"
REPO = Path(__file__).resolve().parent.parent
PREFIX = "clinic-bench-agenda-"


@dataclass(frozen=True)
class AgendaClinic:
    data_dir: Path
    today: date  # the day the agenda was generated around
    now: datetime  # the instant its statuses are relative to
    appointments: int
    generate_s: float | None  # set when this run generated it (not taken from the cache)


def cache_dir() -> Path:
    digest = hashlib.sha256()
    package = REPO / "clinic_desktop"
    sources = sorted(package.glob("services/demo*.py")) + sorted(
        package.glob("db/migrations/versions/*.py")
    )
    for source in sources:
        digest.update(source.name.encode())
        digest.update(source.read_bytes())
    return Path(tempfile.gettempdir()) / f"{PREFIX}{DATA_VERSION}-{digest.hexdigest()[:10]}"


class _Keyring:
    """Points the file keyring at another file for a while."""

    def __init__(self, path: Path) -> None:
        self.path, self.saved = path, os.environ.get(KEYRING_ENV)

    def __enter__(self) -> None:
        os.environ[KEYRING_ENV] = str(self.path)

    def __exit__(self, *exc: object) -> None:
        if self.saved is None:
            os.environ.pop(KEYRING_ENV, None)
        else:
            os.environ[KEYRING_ENV] = self.saved


def _generate(cache: Path) -> float:
    from support.file_keyring import FileKeyring

    from clinic_desktop.actor import Actor
    from clinic_desktop.config import AppPaths
    from clinic_desktop.services.agenda_rules import clinic_zone
    from clinic_desktop.services.demo import create_demo_clinic
    from clinic_desktop.services.demo_agenda import add_demo_agenda

    for old in cache.parent.glob(f"{PREFIX}*"):
        shutil.rmtree(old, ignore_errors=True)
    cache.mkdir(parents=True)
    with _Keyring(cache / "keyring.json"):
        created = create_demo_clinic(
            AppPaths(cache / "clinic"),
            patients=PATIENTS,
            seed=SEED,
            language="en",
            keyring_backend=FileKeyring(),
            agenda=False,
        )
        try:
            actor = Actor.system("benchmark")
            start = time.perf_counter()
            with created.db.uow().transaction(actor) as session:
                today = datetime.now(clinic_zone(session)).date()
                stats = add_demo_agenda(
                    session,
                    actor=actor,
                    practitioners=PRACTITIONERS,
                    appointments=APPOINTMENTS,
                    years=YEARS,
                    seed=SEED,
                    today=today,
                )
            seconds = time.perf_counter() - start  # generation, inserts and the commit
        finally:
            created.db.close()
    meta = {
        "today": today.isoformat(),
        "now": stats.now.isoformat(),
        "appointments": stats.appointments,
        "generate_s": seconds,
    }
    # Written last: a cache without it is an interrupted one and is made again.
    (cache / "meta.json").write_text(json.dumps(meta))
    return seconds


def agenda_clinic(run_root: Path) -> AgendaClinic:
    """A fresh copy of the cached clinic under `run_root`, its key in the run's keyring."""
    cache = cache_dir()
    generated = None
    if not (cache / "meta.json").exists():
        shutil.rmtree(cache, ignore_errors=True)
        generated = _generate(cache)
    meta = json.loads((cache / "meta.json").read_text())
    target = run_root / "agenda-clinic"
    shutil.copytree(cache / "clinic", target)
    keyring_file = Path(os.environ[KEYRING_ENV])
    keys = json.loads(keyring_file.read_text()) if keyring_file.exists() else {}
    keys.update(json.loads((cache / "keyring.json").read_text()))
    keyring_file.write_text(json.dumps(keys))
    return AgendaClinic(
        data_dir=target,
        today=date.fromisoformat(meta["today"]),
        now=datetime.fromisoformat(meta["now"]),
        appointments=int(meta["appointments"]),
        generate_s=generated,
    )
