"""The clinic's own profile (name, country, tax ID, time zone, invoice numbering) and the
typed key/value settings that the owner changes from the settings screen."""

from __future__ import annotations

from typing import ClassVar

from sqlalchemy import LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from clinic_desktop.models.base import Entity


class Clinic(Entity):
    """Exactly one row: the clinic this database belongs to."""

    __tablename__ = "clinic"
    __label__ = "Clinic"
    __audit_skip__: ClassVar[frozenset[str]] = frozenset({"logo"})

    name: Mapped[str] = mapped_column(String(200))
    country: Mapped[str] = mapped_column(String(2))
    tax_id: Mapped[str] = mapped_column(String(20))
    address: Mapped[str] = mapped_column(String(400), default="")
    timezone: Mapped[str] = mapped_column(String(64))
    currency: Mapped[str] = mapped_column(String(3))
    establishment_code: Mapped[str] = mapped_column(String(3), default="001")
    emission_point_code: Mapped[str] = mapped_column(String(3), default="001")
    is_demo: Mapped[bool] = mapped_column(default=False)
    # PNG or JPEG printed on the letterhead of clinical and billing documents.
    logo: Mapped[bytes | None] = mapped_column(LargeBinary)


class Setting(Entity):
    """One setting; values are JSON text so each keeps its type."""

    __tablename__ = "settings"
    __label__ = "Setting"

    key: Mapped[str] = mapped_column(String(100), unique=True)
    value: Mapped[str] = mapped_column(Text)
