"""SQLAlchemy entities and their domain rules; importing this package registers every table."""

from clinic_desktop.models.audit import AuditEntry
from clinic_desktop.models.backup import BackupRecord
from clinic_desktop.models.base import Base, Entity
from clinic_desktop.models.clinic import Clinic, Setting
from clinic_desktop.models.patient import Patient
from clinic_desktop.models.user import RoleGrant, User, UserRole

__all__ = [
    "AuditEntry",
    "BackupRecord",
    "Base",
    "Clinic",
    "Entity",
    "Patient",
    "RoleGrant",
    "Setting",
    "User",
    "UserRole",
]
