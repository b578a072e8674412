"""The append-only, hash-chained audit trail. Each entry stores the SHA-256 of the previous
entry's hash and its own canonical content, so an edited, removed or reordered entry breaks the
chain at that point. Database triggers refuse UPDATE and DELETE on the table."""

from __future__ import annotations

import hashlib
import json
import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import Integer, String, Text, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from clinic_desktop.models.base import Base, UTCDateTime, new_id

GENESIS_HASH = "0" * 64


class AuditEntry(Base):
    __tablename__ = "audit_entries"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    seq: Mapped[int] = mapped_column(Integer, unique=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    user_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, index=True)
    user_name: Mapped[str] = mapped_column(String(200))
    workstation: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(64), index=True)
    entity: Mapped[str] = mapped_column(String(64), default="", index=True)
    entity_id: Mapped[str] = mapped_column(String(64), default="")
    changes: Mapped[str] = mapped_column(Text, default="{}")
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))

    def canonical(self) -> str:
        """The exact text hashed: every field but the hash itself, in a fixed order."""
        payload: dict[str, Any] = {
            "seq": self.seq,
            "id": str(self.id),
            "at": self.at.isoformat(),
            "user_id": str(self.user_id) if self.user_id else None,
            "user_name": self.user_name,
            "workstation": self.workstation,
            "action": self.action,
            "entity": self.entity,
            "entity_id": self.entity_id,
            "changes": self.changes,
            "prev_hash": self.prev_hash,
        }
        return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)

    def compute_hash(self) -> str:
        return hashlib.sha256(self.canonical().encode("utf-8")).hexdigest()
