"""Frozen data the services return to the UI and CLI: never ORM objects, so nothing outside a
transaction can lazily touch the database."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class UserDTO:
    id: uuid.UUID
    username: str
    full_name: str
    email: str | None
    roles: tuple[str, ...]
    disabled: bool
    locked_until: datetime | None
    must_change_password: bool
    last_sign_in_at: datetime | None
    language: str | None
    version: int
    deleted: bool = False


@dataclass(frozen=True)
class SignedInUser:
    """The result of a successful sign-in: who, with which capabilities right now."""

    id: uuid.UUID
    username: str
    full_name: str
    roles: tuple[str, ...]
    permissions: frozenset[str]
    must_change_password: bool
    language: str | None

    def can(self, permission: str) -> bool:
        return permission in self.permissions


@dataclass(frozen=True)
class ClinicDTO:
    id: uuid.UUID
    name: str
    country: str
    tax_id: str
    address: str
    timezone: str
    currency: str
    establishment_code: str
    emission_point_code: str
    is_demo: bool
    version: int
    # The clinic's default UI language (setting ui.language): a PC with no choice of its own
    # starts in it.
    language: str = "es"


@dataclass(frozen=True)
class AuditEntryDTO:
    seq: int
    at: datetime
    user_name: str
    workstation: str
    action: str
    entity: str
    entity_id: str
    changes: str


@dataclass(frozen=True)
class AuditVerification:
    ok: bool
    checked: int
    first_bad_seq: int | None
    reason: str


@dataclass(frozen=True)
class TrashItem:
    entity: str
    entity_label: str
    entity_id: str
    title: str
    deleted_at: datetime
    deleted_by: str


@dataclass(frozen=True)
class BackupDTO:
    path: str
    kind: str
    size_bytes: int
    created_at: datetime
    verified_at: datetime | None


@dataclass(frozen=True)
class BackupStatus:
    last_verified_at: datetime | None
    last_path: str | None
    is_overdue: bool  # over 48 hours old, or none at all


@dataclass(frozen=True)
class GrantMatrix:
    roles: tuple[str, ...]
    permissions: tuple[str, ...]
    granted: frozenset[tuple[str, str]]
    fixed: frozenset[tuple[str, str]] = frozenset()  # (role, permission) cells nobody changes
