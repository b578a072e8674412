"""The unit of work: one short transaction per service call, started with BEGIN IMMEDIATE,
carrying the actor for the audit trail. It commits when the block ends cleanly, rolls back
on any exception, and publishes the block's events only after the commit succeeded."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from clinic_desktop.actor import Actor
from clinic_desktop.config import AppPaths
from clinic_desktop.db import audit_log
from clinic_desktop.events import Event, EventBus


@dataclass
class Database:
    """An unlocked clinic database; the only holder of the engine and the data key."""

    engine: Engine
    paths: AppPaths
    data_key: bytes = field(repr=False)
    bus: EventBus = field(default_factory=EventBus)

    def __post_init__(self) -> None:
        self.session_factory = sessionmaker(bind=self.engine, expire_on_commit=False)
        audit_log.install(self.session_factory)

    @property
    def path(self) -> Path:
        return self.paths.database

    def uow(self) -> UnitOfWork:
        return UnitOfWork(self)

    def close(self) -> None:
        self.engine.dispose()


class UnitOfWork:
    """`with uow.transaction(actor) as session:` — the services' only way to the database."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self._events: list[Event] = []

    @property
    def bus(self) -> EventBus:
        return self.db.bus

    @contextmanager
    def transaction(self, actor: Actor) -> Iterator[Session]:
        session = self.db.session_factory()
        session.info["actor"] = actor
        self._events = []
        try:
            with session.begin():
                yield session
        finally:
            session.close()
        events, self._events = self._events, []
        for event in events:
            self.db.bus.publish(event)

    def publish_after_commit(self, event: Event) -> None:
        self._events.append(event)
