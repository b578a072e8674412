"""The record of every backup made and verified, so the main window can show the last one."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Boolean, String
from sqlalchemy.orm import Mapped, mapped_column

from clinic_desktop.models.base import Entity, UTCDateTime


class BackupRecord(Entity):
    __tablename__ = "backup_records"
    __label__ = "Backup"

    path: Mapped[str] = mapped_column(String(1000))
    kind: Mapped[str] = mapped_column(String(32))  # manual, scheduled, pre-migration
    size_bytes: Mapped[int] = mapped_column(BigInteger, default=0)
    verified: Mapped[bool] = mapped_column(Boolean, default=False)
    verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    sha256: Mapped[str] = mapped_column(String(64), default="")
