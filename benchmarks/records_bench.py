"""Patient-record figures on the 100,000-patient demo clinic (`clinic-desktop demo --patients
100000`, the same one `demo_100k_patients_s` times): search-as-you-type through the service, as
the receptionist, over 300 queries drawn from real patients (full names, a surname prefix, the
start of an ID number, a chart number, "surname + two letters"), after a warm-up of 300 other
queries (a session that has been searching for a while); p95 against the p95 of the raw SQL
the service runs for each query (the term-index scan, loading the rows shown and their no-show
counts) through a keyed connection of the same engine."""

from __future__ import annotations

import random
import statistics
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from bench_kit import Figure, Workspace, demo_actor

QUERIES = 300

_RAW_MATCH = """
SELECT t.patient_id FROM patient_search_terms t
 WHERE t.state = 0 AND t.term >= ? AND t.term < ? {others}
 ORDER BY t.term, t.sort_name LIMIT 40
"""
# The no-show and late-cancellation counts the booking search shows next to each patient.
_RAW_COUNTS = """
SELECT patient_id, sum(status = 'no_show'), sum(late_cancellation) FROM appointments
 WHERE patient_id IN ({marks}) AND deleted_at IS NULL GROUP BY patient_id
"""
_RAW_OTHER = (
    " AND EXISTS (SELECT 1 FROM patient_search_terms o WHERE o.patient_id = t.patient_id"
    " AND o.term >= ? AND o.term < ?)"
)


def _queries(rows: list[Any], rng: random.Random) -> list[str]:
    out: list[str] = []
    while len(out) < QUERIES:
        first, last, number, chart = rng.choice(rows)
        given, family = first.split()[0], last.split()[0]
        out += [
            f"{given} {family}".lower(),
            family[:4],
            (number or "17")[:6],
            str(chart),
            f"{family} {given[:2]}",
        ]
    return out[:QUERIES]


def _p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1]


def records_figures(ws: Workspace, clinic: Path) -> Iterator[Figure]:
    from sqlalchemy import select

    from clinic_desktop.actor import Actor
    from clinic_desktop.config import AppPaths
    from clinic_desktop.models.patient import Patient
    from clinic_desktop.models.patient_search import normalize_term
    from clinic_desktop.services.patients import search_patients
    from clinic_desktop.services.startup import open_clinic, unlock

    paths = AppPaths(clinic)
    db = open_clinic(paths, unlock(paths))
    try:
        with db.uow().transaction(Actor.system("benchmark")) as session:
            rows = list(
                session.execute(
                    select(
                        Patient.first_names,
                        Patient.last_names,
                        Patient.id_number,
                        Patient.chart_number,
                    )
                )
            )
        actor = demo_actor(db, "recepcion")
        rng = random.Random(7)
        warm, measured = _queries(rows, rng), _queries(rows, rng)
        raw = db.engine.raw_connection()
        try:

            def raw_search(text: str) -> float:
                words = sorted({normalize_term(w) for w in text.split()} - {""}, key=len)
                words.reverse()
                params: list[str] = []
                for word in words:
                    params += [word, word[:-1] + chr(ord(word[-1]) + 1)]
                sql = _RAW_MATCH.format(others=_RAW_OTHER * (len(words) - 1))
                start = time.perf_counter()
                cursor = raw.cursor()
                ids = [r[0] for r in cursor.execute(sql, params).fetchall()][:20]
                if ids:
                    marks = ", ".join("?" for _ in ids)
                    cursor.execute(f"SELECT * FROM patients WHERE id IN ({marks})", ids)
                    cursor.fetchall()
                    cursor.execute(_RAW_COUNTS.format(marks=marks), ids)
                    cursor.fetchall()
                return (time.perf_counter() - start) * 1000

            def service(text: str) -> float:
                start = time.perf_counter()
                search_patients(db.uow(), actor=actor, text=text)
                return (time.perf_counter() - start) * 1000

            for text in warm:
                service(text)
                raw_search(text)
            app = _p95([service(t) for t in measured])
            floor = _p95([raw_search(t) for t in measured])
        finally:
            raw.close()
    finally:
        db.close()
    yield "patient_search_p95_ms", app, "ms"
    yield "patient_search_floor_p95_ms", floor, "ms"
    yield "patient_search_ratio", app / floor, "x"
