"""Prints clinic-desktop's performance figures, one per line as `name value unit`.

    python benchmarks/run.py                  # every figure
    python benchmarks/run.py db_open_ms ...   # only the named ones

Each figure comes with a floor measured in the same run (a bare PySide6 window, a raw
SQLCipher open, a raw executemany, the raw SQL query a screen needs), so the ratios mean the
same on any machine. Everything runs in a temporary folder with a file keyring standing in for
the OS one (the agenda's large clinic is cached between runs; see agenda_bench.py); the
machine's description goes to stderr. See benchmarks/README.md for goals and the latest
results."""

from __future__ import annotations

import argparse
import os
import platform
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
REPO_ROOT = BENCH_DIR.parent
TESTS_DIR = REPO_ROOT / "tests"
# The tests' file-backed keyring stands in for the OS keychain here too (no copy of it).
sys.path.insert(0, str(TESTS_DIR))
sys.path.insert(1, str(REPO_ROOT))
sys.path.insert(2, str(BENCH_DIR))

import keyring  # noqa: E402
from agenda_bench import agenda_figures  # noqa: E402
from billing_bench import billing_figures  # noqa: E402
from chart_bench import chart_figures  # noqa: E402
from finance_bench import finance_figures  # noqa: E402
from inventory_bench import inventory_figures  # noqa: E402
from records_bench import records_figures  # noqa: E402
from support.file_keyring import FileKeyring  # noqa: E402

KEYRING_ENV = "CLINIC_TEST_KEYRING_FILE"

Figure = tuple[str, float, str]

STARTUP_RUNS = 5
DB_OPEN_RUNS = 20
DEMO_PATIENTS = 100_000


class Workspace:
    """A temp folder, the environment benchmark subprocesses share, and a demo clinic."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.env = dict(os.environ)
        self.env.update(
            {
                "PYTHONPATH": os.pathsep.join([str(TESTS_DIR), str(REPO_ROOT)]),
                "PYTHON_KEYRING_BACKEND": "support.file_keyring.FileKeyring",
                KEYRING_ENV: str(root / "keyring.json"),
                "QT_QPA_PLATFORM": "offscreen",
                "CLINIC_DESKTOP_LANG": "en",
            }
        )
        self.env.pop("CLINIC_DESKTOP_DATA_DIR", None)
        os.environ[KEYRING_ENV] = self.env[KEYRING_ENV]
        keyring.set_keyring(FileKeyring())
        self._clinic: Path | None = None

    def cli(self, *args: str) -> float:
        """Runs `python -m clinic_desktop ARGS`; returns its wall time in seconds."""
        start = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "clinic_desktop", *args],
            env=self.env,
            check=True,
            stdout=subprocess.DEVNULL,
        )
        return time.perf_counter() - start

    @property
    def big_clinic(self) -> Path:
        """Where the 100,000-patient demo clinic goes (made by demo_100k_patients_s)."""
        return self.root / "demo100k"

    @property
    def clinic(self) -> Path:
        """A demo clinic of realistic size, created once per run."""
        if self._clinic is None:
            self._clinic = self.root / "clinic"
            self.cli("--data-dir", str(self._clinic), "demo", "--patients", "2000")
        return self._clinic


def startup_ratio(ws: Workspace) -> Iterator[Figure]:
    """Cold start to the sign-in window vs a bare PySide6 window, both as fresh processes."""
    probe = str(BENCH_DIR / "startup_probe.py")

    def one(mode: str) -> float:
        start = time.perf_counter()
        proc = subprocess.Popen(
            [sys.executable, probe, mode, str(ws.clinic)],
            env=ws.env,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert proc.stdout is not None
        line = proc.stdout.readline()
        elapsed = time.perf_counter() - start
        if proc.wait(timeout=60) != 0 or line.strip() != "shown":
            raise RuntimeError(f"startup probe {mode} failed")
        return elapsed * 1000

    ws.clinic  # noqa: B018  (created before the stopwatch runs)
    one("bare"), one("clinic")  # warm the OS file cache for both, as a second start would
    floors, apps = [], []
    for _ in range(STARTUP_RUNS):
        floors.append(one("bare"))
        apps.append(one("clinic"))
    floor, app = statistics.median(floors), statistics.median(apps)
    yield "startup_ratio", app / floor, "x"
    yield "startup_floor_ms", floor, "ms"
    yield "startup_app_ms", app, "ms"


def db_open_ms(ws: Workspace) -> Iterator[Figure]:
    """Unlock through the keyring, open the clinic (engine + schema check) and run the first
    query, as start-up does; against a raw keyed sqlcipher3 open with one query."""
    import sqlcipher3

    from clinic_desktop.config import AppPaths
    from clinic_desktop.db.keys import raw_key_pragma
    from clinic_desktop.services.clinic_info import get_clinic
    from clinic_desktop.services.startup import open_clinic, unlock

    paths = AppPaths.resolve(ws.clinic)

    def full() -> float:
        start = time.perf_counter()
        db = open_clinic(paths, unlock(paths))
        get_clinic(db.uow())
        elapsed = time.perf_counter() - start
        db.close()
        return elapsed * 1000

    key = unlock(paths)

    def floor() -> float:
        start = time.perf_counter()
        conn = sqlcipher3.connect(str(paths.database))
        conn.execute(raw_key_pragma(key))
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        conn.close()
        return (time.perf_counter() - start) * 1000

    full(), floor()  # first call pays one-off imports and caches, not an open
    opened = statistics.median(full() for _ in range(DB_OPEN_RUNS))
    raw = statistics.median(floor() for _ in range(DB_OPEN_RUNS))
    yield "db_open_ms", opened, "ms"
    yield "db_open_floor_ms", raw, "ms"
    yield "db_open_ratio", opened / raw, "x"


def demo_100k_patients_s(ws: Workspace) -> Iterator[Figure]:
    """`clinic-desktop demo --patients 100000` end to end, against a raw executemany of the
    same number of rows into a plain SQLCipher table."""
    seconds = ws.cli("--data-dir", str(ws.big_clinic), "demo", "--patients", str(DEMO_PATIENTS))
    floor = _raw_insert_seconds(ws.root / "floor.db", DEMO_PATIENTS)
    yield "demo_100k_patients_s", seconds, "s"
    yield "demo_100k_floor_s", floor, "s"
    yield "demo_100k_ratio", seconds / floor, "x"


def records(ws: Workspace) -> Iterator[Figure]:
    """Patient search, opening a large chart and its history PDF on the 100,000-patient clinic
    (records_bench.py, chart_bench.py)."""
    if not (ws.big_clinic / "clinic.db").exists():
        ws.cli("--data-dir", str(ws.big_clinic), "demo", "--patients", str(DEMO_PATIENTS))
    yield from records_figures(ws, ws.big_clinic)
    yield from chart_figures(ws.big_clinic)


def _raw_insert_seconds(path: Path, count: int) -> float:
    import sqlcipher3

    from clinic_desktop.db.keys import raw_key_pragma

    rows = [
        (
            secrets.token_bytes(16),
            "2026-01-01 00:00:00",
            "2026-01-01 00:00:00",
            1,
            n,
            "María José",
            "García Zambrano",
            "cedula",
            f"{1710034065 + n:010d}",
            "1980-05-17",
            "F",
            "0991234567",
            f"maria.{n}@correo.ec",
            f"Av. Amazonas {n % 2000}",
        )
        for n in range(count)
    ]
    conn = sqlcipher3.connect(str(path), isolation_level=None)
    conn.execute(raw_key_pragma(secrets.token_bytes(32)))
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute(
        "CREATE TABLE patients (id BLOB PRIMARY KEY, created_at TEXT, updated_at TEXT, "
        "version INTEGER, chart_number INTEGER UNIQUE, first_names TEXT, last_names TEXT, "
        "id_type TEXT, id_number TEXT, birth_date TEXT, sex TEXT, phone TEXT, email TEXT, "
        "address TEXT)"
    )
    start = time.perf_counter()
    conn.execute("BEGIN IMMEDIATE")
    conn.executemany(f"INSERT INTO patients VALUES ({', '.join('?' * 14)})", rows)
    conn.execute("COMMIT")
    elapsed = time.perf_counter() - start
    conn.close()
    return elapsed


FIGURES: dict[str, Callable[[Workspace], Iterator[Figure]]] = {
    "startup_ratio": startup_ratio,
    "db_open_ms": db_open_ms,
    "demo_100k_patients_s": demo_100k_patients_s,
    "records": records,
    # The agenda's figures share one clinic of 1,000,000 appointments (agenda_bench.py).
    "agenda": agenda_figures,
    # Stock, forecast and completion on 5,000 products and 2,000,000 movements.
    "inventory": inventory_figures,
    # Monthly report and dashboard over ten years and 1,000,000 invoice lines.
    "finance": finance_figures,
    # Issuing a 10-line invoice and printing one, on the 2,000-patient demo.
    "billing": billing_figures,
}


def machine() -> str:
    cpu = platform.processor() or "?"
    ram_gib = 0.0
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                ram_gib = int(line.split()[1]) / 1024 / 1024
                break
    except OSError:
        pass
    return (
        f"{platform.system()} {platform.release()}, {os.cpu_count()} CPUs ({cpu}), "
        f"{ram_gib:.1f} GiB RAM, Python {platform.python_version()}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", metavar="NAME", choices=[[], *FIGURES])
    args = parser.parse_args(argv)
    print(f"# {machine()}", file=sys.stderr)
    with tempfile.TemporaryDirectory(prefix="clinic-bench-") as tmp:
        ws = Workspace(Path(tmp))
        for name in args.names or list(FIGURES):
            for figure, value, unit in FIGURES[name](ws):
                print(f"{figure} {value:.{_decimals(value)}f} {unit}", flush=True)
    return 0


def _decimals(value: float) -> int:
    return 2 if value < 100 else 0


if __name__ == "__main__":
    raise SystemExit(main())
