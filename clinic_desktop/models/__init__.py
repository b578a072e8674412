"""SQLAlchemy entities and their domain rules; importing this package registers every table."""

from clinic_desktop.models.appointment import (
    Appointment,
    AppointmentMove,
    AppointmentSeries,
    WaitlistEntry,
)
from clinic_desktop.models.audit import AuditEntry
from clinic_desktop.models.backup import BackupRecord
from clinic_desktop.models.base import Base, Entity
from clinic_desktop.models.clinic import Clinic, Setting
from clinic_desktop.models.patient import Patient, PatientConsent
from clinic_desktop.models.schedule import (
    AppointmentType,
    ClinicClosure,
    Practitioner,
    Room,
    ScheduleException,
    WorkingHours,
)
from clinic_desktop.models.user import RoleGrant, User, UserRole

__all__ = [
    "Appointment",
    "AppointmentMove",
    "AppointmentSeries",
    "AppointmentType",
    "AuditEntry",
    "BackupRecord",
    "Base",
    "Clinic",
    "ClinicClosure",
    "Entity",
    "Patient",
    "PatientConsent",
    "Practitioner",
    "RoleGrant",
    "Room",
    "ScheduleException",
    "Setting",
    "User",
    "UserRole",
    "WaitlistEntry",
    "WorkingHours",
]
