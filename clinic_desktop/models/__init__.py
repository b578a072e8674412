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
from clinic_desktop.models.billing import (
    CashClose,
    CashCloseLine,
    EmissionPoint,
    Invoice,
    InvoiceLine,
    InvoiceSeries,
    Payment,
    PaymentAllocation,
)
from clinic_desktop.models.clinic import Clinic, Setting
from clinic_desktop.models.clinical import Allergy, MedicalHistoryEntry, Medication, Problem
from clinic_desktop.models.document import DocumentContent, PatientDocument, PatientPhoto
from clinic_desktop.models.encounter import Encounter, EncounterAddendum, NoteTemplate
from clinic_desktop.models.expense import Expense, ExpenseReceipt, RecurringExpense
from clinic_desktop.models.finance_cache import TreatmentMonthIncome
from clinic_desktop.models.inventory import Product, Supplier
from clinic_desktop.models.patient import Patient, PatientConsent
from clinic_desktop.models.patient_search import PatientSearchTerm
from clinic_desktop.models.prescription import Prescription, PrescriptionItem
from clinic_desktop.models.purchasing import PurchaseOrder, PurchaseOrderLine
from clinic_desktop.models.schedule import (
    AppointmentType,
    ClinicClosure,
    Practitioner,
    Room,
    ScheduleException,
    WorkingHours,
)
from clinic_desktop.models.stock import StockBalance, StockLot, StockMovement
from clinic_desktop.models.treatment import (
    AppointmentTreatment,
    RecipeItem,
    StockUsage,
    Treatment,
)
from clinic_desktop.models.user import RoleGrant, User, UserRole

__all__ = [
    "Allergy",
    "Appointment",
    "AppointmentMove",
    "AppointmentSeries",
    "AppointmentTreatment",
    "AppointmentType",
    "AuditEntry",
    "BackupRecord",
    "Base",
    "CashClose",
    "CashCloseLine",
    "Clinic",
    "ClinicClosure",
    "DocumentContent",
    "EmissionPoint",
    "Encounter",
    "EncounterAddendum",
    "Entity",
    "Expense",
    "ExpenseReceipt",
    "Invoice",
    "InvoiceLine",
    "InvoiceSeries",
    "MedicalHistoryEntry",
    "Medication",
    "NoteTemplate",
    "Patient",
    "PatientConsent",
    "PatientDocument",
    "PatientPhoto",
    "PatientSearchTerm",
    "Payment",
    "PaymentAllocation",
    "Practitioner",
    "Prescription",
    "PrescriptionItem",
    "Problem",
    "Product",
    "PurchaseOrder",
    "PurchaseOrderLine",
    "RecipeItem",
    "RecurringExpense",
    "RoleGrant",
    "Room",
    "ScheduleException",
    "Setting",
    "StockBalance",
    "StockLot",
    "StockMovement",
    "StockUsage",
    "Supplier",
    "Treatment",
    "TreatmentMonthIncome",
    "User",
    "UserRole",
    "WaitlistEntry",
    "WorkingHours",
]
