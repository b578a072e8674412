"""What the benchmark scripts share: the figure type run.py prints, the workspace run.py hands
each script, a median stopwatch, the demo clinic a script builds and opens, the Actor of a
demo account (so every permission check runs, as it does for a signed-in user), and the raw
SQL floor run through a connection of the script's own engine. run.py puts this folder on
sys.path before importing the scripts, so they import it as `bench_kit`; the application's
modules are imported inside the functions, after run.py has set up the environment."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol

# (name, value, unit): one line of run.py's output.
Figure = tuple[str, float, str]
DEMO_PATIENTS = "2000"


class Workspace(Protocol):
    """What run.Workspace gives a script: a temporary folder and the `clinic-desktop` command
    (returning its wall time in seconds)."""

    root: Path

    def cli(self, *args: str) -> float: ...


def median_ms(run: Callable[[], object], times: int, *, warm_up: bool = False) -> float:
    """The median wall time of `times` calls of `run`, in milliseconds. With `warm_up`, one
    call first that is not counted: it pays one-off imports and statement caches."""
    if warm_up:
        run()
    samples = []
    for _ in range(times):
        start = time.perf_counter()
        run()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def demo_clinic(ws: Workspace, name: str, *, patients: str = DEMO_PATIENTS) -> Any:
    """Creates `clinic-desktop demo --patients N` in the folder `name` of the workspace and
    opens it as start-up does; returns the clinic_desktop.db.uow.Database (close it)."""
    from clinic_desktop.config import AppPaths
    from clinic_desktop.services.startup import open_clinic, unlock

    path = ws.root / name
    ws.cli("--data-dir", str(path), "demo", "--patients", patients)
    return open_clinic(AppPaths(path), unlock(AppPaths(path)))


def demo_actor(db: Any, username: str) -> Any:
    """The clinic_desktop.actor.Actor of the demo account `username` ("recepcion", "duena")."""
    from sqlalchemy import select

    from clinic_desktop.actor import Actor
    from clinic_desktop.models.user import User

    with db.uow().transaction(Actor.system("bench")) as session:
        user = session.scalars(select(User).where(User.username == username)).one()
        return Actor.for_user(user.id, user.username)


def raw_rows(db: Any, *queries: str, params: tuple[object, ...] = ()) -> list[list[Any]]:
    """The floor: every one of `queries`, with the same `params`, on a connection of the
    same engine (keyed, pooled), each one's rows fetched."""
    with db.engine.connect() as conn:
        return [list(conn.exec_driver_sql(sql, params or None)) for sql in queries]
