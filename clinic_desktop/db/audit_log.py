"""Writes the hash-chained audit trail inside the caller's transaction. Entity changes are
recorded automatically before each flush (create, update, delete, restore, with old and new
values of changed fields); services add explicit entries for reads, sign-ins and backups.
Hard deletes of entities are refused here: clinical and business records are only ever
soft-deleted. A service that erases personal data (anonymisation) marks the columns whose old
values must not be copied into the trail with `forget_old_values`: the trail is append-only, so
whatever is written there stays for good."""

from __future__ import annotations

import json
import uuid
from collections.abc import Collection, Iterable
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any

from sqlalchemy import event, inspect, select
from sqlalchemy.orm import Session

from clinic_desktop.actor import Actor
from clinic_desktop.models.audit import GENESIS_HASH, AuditEntry
from clinic_desktop.models.base import Entity, new_id, utcnow

REDACTED = "***"
# Bookkeeping columns that change on every write and would only add noise to the trail.
_SKIP = frozenset({"updated_at", "updated_by", "version", "created_at", "created_by"})
# session.info key: entity id -> columns whose old values this transaction must not record.
_FORGET = "audit_forget_old_values"


class HardDeleteRefused(RuntimeError):
    """A programming error: an entity was passed to Session.delete()."""


def _plain(value: Any) -> Any:
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, (uuid.UUID, Decimal)):
        return str(value)
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [_plain(v) for v in value]
    return str(value)


def append_audit(
    session: Session,
    *,
    actor: Actor,
    action: str,
    entity: str = "",
    entity_id: str = "",
    changes: dict[str, Any] | None = None,
) -> AuditEntry:
    """Adds one chained entry to the session; it commits or rolls back with the caller."""
    state: dict[str, Any] = session.info.setdefault("audit_chain", {})
    if "seq" not in state:
        with session.no_autoflush:
            last = session.execute(
                select(AuditEntry.seq, AuditEntry.hash).order_by(AuditEntry.seq.desc()).limit(1)
            ).first()
        state["seq"], state["hash"] = (last[0], last[1]) if last else (0, GENESIS_HASH)
    entry = AuditEntry(
        id=new_id(),
        seq=state["seq"] + 1,
        at=utcnow(),
        user_id=actor.user_id,
        user_name=actor.name,
        workstation=actor.workstation,
        action=action,
        entity=entity,
        entity_id=entity_id,
        changes=json.dumps(
            {k: _plain(v) for k, v in (changes or {}).items()}, ensure_ascii=False, sort_keys=True
        ),
        prev_hash=state["hash"],
    )
    entry.hash = entry.compute_hash()
    state["seq"], state["hash"] = entry.seq, entry.hash
    session.add(entry)
    return entry


def forget_old_values(session: Session, obj: Entity, keys: Iterable[str]) -> None:
    """The next update entries of `obj` in this transaction record the old values of `keys`
    as REDACTED (the new values, and which columns changed, stay readable). For erasing
    personal data: copying the erased values into the append-only trail would keep them."""
    forget: dict[uuid.UUID, set[str]] = session.info.setdefault(_FORGET, {})
    forget.setdefault(obj.id, set()).update(keys)


def _entity_changes(
    obj: Entity, *, created: bool, forget: Collection[str] = frozenset()
) -> dict[str, Any]:
    mapper = inspect(obj).mapper
    redact = type(obj).__audit_redact__
    skip = _SKIP | type(obj).__audit_skip__
    changes: dict[str, Any] = {}
    for attr in mapper.column_attrs:
        key = attr.key
        if key in skip or key == "id":
            continue
        hist = inspect(obj).attrs[key].history
        if created:
            value = getattr(obj, key)
            if value is None:
                continue
            changes[key] = REDACTED if key in redact else _plain(value)
        elif hist.has_changes():
            old = hist.deleted[0] if hist.deleted else None
            new = hist.added[0] if hist.added else None
            if key in redact:
                changes[key] = {"old": REDACTED, "new": REDACTED}
            elif key in forget:
                changes[key] = {"old": REDACTED, "new": _plain(new)}
            else:
                changes[key] = {"old": _plain(old), "new": _plain(new)}
    return changes


def _before_flush(session: Session, _ctx: Any, _instances: Any) -> None:
    actor: Actor | None = session.info.get("actor")
    for obj in session.deleted:
        if isinstance(obj, Entity):
            raise HardDeleteRefused(f"{type(obj).__name__} rows are soft-deleted, never deleted")
    if actor is None:
        return
    for obj in list(session.new):
        if isinstance(obj, Entity):
            if obj.id is None:
                obj.id = new_id()
            obj.created_by = obj.created_by or actor.user_id
            obj.updated_by = actor.user_id
            append_audit(
                session,
                actor=actor,
                action="create",
                entity=type(obj).__name__,
                entity_id=str(obj.id),
                changes=_entity_changes(obj, created=True),
            )
    for obj in list(session.dirty):
        if not isinstance(obj, Entity) or not session.is_modified(obj):
            continue
        changes = _entity_changes(
            obj, created=False, forget=session.info.get(_FORGET, {}).get(obj.id, frozenset())
        )
        if not changes:
            continue
        action = "update"
        deleted = changes.get("deleted_at")
        if isinstance(deleted, dict):
            action = "delete" if deleted["new"] is not None else "restore"
        obj.updated_by = actor.user_id
        append_audit(
            session,
            actor=actor,
            action=action,
            entity=type(obj).__name__,
            entity_id=str(obj.id),
            changes=changes,
        )


def install(session_factory: Any) -> None:
    """Hooks the automatic trail onto every session the factory makes."""
    event.listen(session_factory, "before_flush", _before_flush)
