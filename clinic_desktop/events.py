"""A Qt-free event bus. Services publish frozen event dataclasses after their transaction
commits; the UI's event bridge re-emits them as Qt signals so screens refresh, which is also how
another PC's synced changes will appear later."""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Event:
    """Base of every event."""


@dataclass(frozen=True)
class UsersChanged(Event):
    user_id: str | None = None


@dataclass(frozen=True)
class SettingsChanged(Event):
    keys: tuple[str, ...] = ()


@dataclass(frozen=True)
class RecordRestored(Event):
    entity: str = ""
    entity_id: str = ""


@dataclass(frozen=True)
class BackupCompleted(Event):
    path: str = ""


@dataclass(frozen=True)
class AuditAppended(Event):
    count: int = 0


@dataclass(frozen=True)
class AppointmentsChanged(Event):
    """Appointments were booked, moved, edited or changed status."""

    ids: tuple[str, ...] = ()


@dataclass(frozen=True)
class ScheduleChanged(Event):
    """Practitioners, working hours, exceptions, closures, rooms or appointment types."""

    what: str = ""


@dataclass(frozen=True)
class WaitlistChanged(Event):
    entry_id: str = ""


@dataclass(frozen=True)
class PatientsChanged(Event):
    patient_id: str = ""


@dataclass(frozen=True)
class ClinicalChanged(Event):
    """A patient's clinical record changed: `what` is history, allergies, medications,
    problems, encounters, templates, prescriptions, documents or photo."""

    patient_id: str = ""
    what: str = ""


@dataclass(frozen=True)
class InventoryChanged(Event):
    """Stock, products, suppliers, treatments, recipes or purchase orders changed: `what` is
    stock, products, suppliers, treatments or orders; `ids` the records touched."""

    what: str = ""
    ids: tuple[str, ...] = ()


@dataclass(frozen=True)
class BillingChanged(Event):
    """Invoices, payments, cash closes or expenses changed: `what` is invoices, payments,
    cash or expenses; `ids` the records touched; `patient_ids` whose account changed."""

    what: str = ""
    ids: tuple[str, ...] = ()
    patient_ids: tuple[str, ...] = ()


Handler = Callable[[Any], None]


class EventBus:
    """Synchronous publish/subscribe; a failing handler is logged and never breaks the caller."""

    def __init__(self) -> None:
        self._handlers: dict[type[Event], list[Handler]] = defaultdict(list)

    def subscribe(self, event_type: type[Event], handler: Handler) -> None:
        self._handlers[event_type].append(handler)

    def publish(self, event: Event) -> None:
        for event_type, handlers in list(self._handlers.items()):
            if isinstance(event, event_type):
                for handler in list(handlers):
                    try:
                        handler(event)
                    except Exception:
                        log.exception("event handler failed for %r", event)
