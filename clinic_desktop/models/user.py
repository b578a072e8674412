"""People who sign in: users, their roles, and the role → permission grants stored as data.
Lockout and the forced password change are rules of the user entity."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from sqlalchemy import Boolean, ForeignKey, Integer, String, UniqueConstraint, Uuid
from sqlalchemy.orm import Mapped, mapped_column, relationship

from clinic_desktop.models.base import Base, Entity, UTCDateTime, new_id, utcnow


class User(Entity):
    __tablename__ = "users"
    __label__ = "User"
    __audit_redact__ = frozenset({"password_hash"})
    # sign_in.* and account.locked entries already record these.
    __audit_skip__ = frozenset({"failed_attempts", "locked_until", "last_sign_in_at"})

    username: Mapped[str] = mapped_column(String(64), unique=True)
    full_name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(200))
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False)
    failed_attempts: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    disabled: Mapped[bool] = mapped_column(Boolean, default=False)
    last_sign_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    language: Mapped[str | None] = mapped_column(String(8))

    roles: Mapped[list[UserRole]] = relationship(
        back_populates="user", cascade="all, delete-orphan", lazy="selectin"
    )

    @property
    def role_codes(self) -> list[str]:
        return sorted(r.role for r in self.roles)

    def is_locked(self, now: datetime | None = None) -> bool:
        return self.locked_until is not None and self.locked_until > (now or utcnow())

    def register_failure(self, *, max_attempts: int, lock_minutes: int) -> bool:
        """Counts a failed sign-in; returns True when this failure locked the account."""
        self.failed_attempts = (self.failed_attempts or 0) + 1
        if self.failed_attempts >= max_attempts:
            self.locked_until = utcnow() + timedelta(minutes=lock_minutes)
            self.failed_attempts = 0
            return True
        return False

    def register_success(self) -> None:
        self.failed_attempts = 0
        self.locked_until = None
        self.last_sign_in_at = utcnow()


class UserRole(Base):
    """A role held by a user (owner, doctor, reception, assistant, it_admin)."""

    __tablename__ = "user_roles"
    __table_args__ = (UniqueConstraint("user_id", "role"),)

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    role: Mapped[str] = mapped_column(String(32))
    user: Mapped[User] = relationship(back_populates="roles")


class RoleGrant(Base):
    """One capability granted to one role; the owner edits these rows."""

    __tablename__ = "role_grants"
    __table_args__ = (UniqueConstraint("role", "permission"),)

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    role: Mapped[str] = mapped_column(String(32))
    permission: Mapped[str] = mapped_column(String(64))
