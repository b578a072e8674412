"""Fast bulk inserts for generated demo data (a million appointments): rows are dicts of model
values (UUIDs, booleans, datetimes either aware or naive meaning UTC), converted here to what
each model column stores on SQLite and sent as one plain `executemany` per batch, skipping
SQLAlchemy's per-value bind processing, which costs more than the insert itself. The
conversions are checked once against the columns' own bind processors, so the stored format
cannot drift from what the ORM writes and reads back."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, date, datetime
from operator import itemgetter
from typing import Any

from sqlalchemy import Boolean, Date, Table, Uuid, text
from sqlalchemy.orm import Session

from clinic_desktop.models.base import UTCDateTime
from clinic_desktop.models.types import Scaled

Convert = Callable[[list[Any]], list[Any]]
# Page cache while loading, in KiB (negative = KiB for SQLite): big enough to hold the
# appointments' indexes, whose keys (patients, rooms) arrive in random order.
LOAD_CACHE_KIB = 256 * 1024


def _utc_texts(values: list[datetime | None]) -> list[str | None]:
    result: list[str | None] = []
    append = result.append
    for value in values:
        if value is None:
            append(None)
            continue
        if value.tzinfo is not None:
            value = value.astimezone(UTC).replace(tzinfo=None)
        stamp = value.isoformat(" ")
        # Always with microseconds, as SQLAlchemy's SQLite DATETIME writes them: comparisons
        # in SQL are textual.
        append(stamp if len(stamp) == 26 else stamp + ".000000")
    return result


def _uuid_texts(values: list[uuid.UUID | None]) -> list[str | None]:
    return [None if value is None else value.hex for value in values]


def _ints(values: list[bool | None]) -> list[int | None]:
    return [None if value is None else int(value) for value in values]


def _date_texts(values: list[date | None]) -> list[str | None]:
    return [None if value is None else value.isoformat() for value in values]


def _same(values: list[Any]) -> list[Any]:
    return values


def _scaled(column_type: Scaled) -> Convert:
    factor = column_type.factor

    def convert(values: list[Any]) -> list[Any]:
        return [None if value is None else int(value * factor) for value in values]

    return convert


def _converter(column_type: Any) -> Convert:
    if isinstance(column_type, UTCDateTime):
        return _utc_texts
    if isinstance(column_type, Uuid):
        return _uuid_texts
    if isinstance(column_type, Boolean):
        return _ints
    if isinstance(column_type, Date):
        return _date_texts
    if isinstance(column_type, Scaled):
        return _scaled(column_type)
    return _same


class BulkWriter:
    """Inserts dict rows into one table with a prepared column order and converters."""

    def __init__(self, session: Session, table: Table, sample: dict[str, Any]) -> None:
        self.session = session
        self.columns = [c for c in table.columns if c.name in sample]
        self.converters = [_converter(c.type) for c in self.columns]
        self._getter = itemgetter(*(c.name for c in self.columns))
        self.sql = "INSERT INTO {table} ({columns}) VALUES ({marks})".format(
            table=table.name,
            columns=", ".join(c.name for c in self.columns),
            marks=", ".join("?" for _ in self.columns),
        )
        self._check(sample)

    def _check(self, sample: dict[str, Any]) -> None:
        """The fast conversions must give exactly what the model's column types would."""
        dialect = self.session.get_bind().dialect
        for column, convert in zip(self.columns, self.converters, strict=True):
            value = sample[column.name]
            if value is None:
                continue
            process = column.type.dialect_impl(dialect).bind_processor(dialect)
            if isinstance(value, datetime) and value.tzinfo is None:
                value = value.replace(tzinfo=UTC)  # what a naive time here stands for
            expected = process(value) if process else value
            if convert([value]) != [expected]:
                raise AssertionError(f"bulk format of {column.name}: {convert([value])!r}")

    def write(self, rows: Sequence[dict[str, Any]]) -> None:
        if not rows:
            return
        # Transposed to columns (in C, by itemgetter and zip), so each conversion is one tight
        # loop over a column instead of a call per value and row.
        columns = zip(*map(self._getter, rows), strict=True)
        converted = [
            column if convert is _same else convert(list(column))
            for column, convert in zip(columns, self.converters, strict=True)
        ]
        values = list(zip(*converted, strict=True))
        self.session.connection().exec_driver_sql(self.sql, values)


@contextmanager
def loading_cache(session: Session) -> Iterator[None]:
    """A large page cache on this connection for the duration of a bulk load."""
    connection = session.connection()
    previous = connection.execute(text("PRAGMA cache_size")).scalar()
    connection.execute(text(f"PRAGMA cache_size = -{LOAD_CACHE_KIB}"))
    try:
        yield
    finally:
        connection.execute(text(f"PRAGMA cache_size = {int(previous or -2000)}"))
