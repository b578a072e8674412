"""Turns an audit entry's stored codes into words: actions, record types and field names get
translated labels, and the JSON of changed fields becomes "field: old → new" (one line per
field in the details pane, joined with "; " in the table). The record-type words are the
models' `__label__` texts, listed here so they are extracted for translation: the trash
screen translates the same texts, so one catalogue entry serves both screens."""

from __future__ import annotations

import json
import re
from datetime import datetime
from typing import Any

from clinic_desktop.i18n import N_, _
from clinic_desktop.services.access import permission_label, role_label
from clinic_desktop.ui.widgets.screen_kit import format_when

ACTION_LABELS: dict[str, str] = {
    "create": N_("Added"),
    "update": N_("Changed"),
    "delete": N_("Moved to trash"),
    "restore": N_("Restored from trash"),
    "read": N_("Viewed"),
    "export": N_("Exported"),
    "document.removed": N_("Document removed"),
    "patient.anonymised": N_("Patient anonymised"),
    "order.cancelled": N_("Purchase order cancelled"),
    "order.closed_short": N_("Purchase order closed short"),
    "stock.balances_rebuilt": N_("Stock balances rebuilt from the ledger"),
    "appointment.override": N_("Booking rule overridden"),
    "agenda.day_printed": N_("Day sheet printed"),
    "agenda.exported": N_("Agenda exported"),
    "sign_in.succeeded": N_("Signed in"),
    "sign_in.failed": N_("Sign-in failed"),
    "sign_out": N_("Signed out"),
    "account.locked": N_("Account locked"),
    "password.changed": N_("Password changed"),
    "password.reset": N_("Password reset"),
    "roles.changed": N_("Roles changed"),
    "grant.changed": N_("Role permission changed"),
    "backup.created": N_("Backup made"),
    "backup.restored": N_("Backup restored"),
    "clinic.created": N_("Clinic created"),
    "schema.upgraded": N_("Database upgraded"),
    "demo.patients_generated": N_("Demo patients generated"),
}
# The demo writes one "demo.<kind>_generated" entry per kind of record it makes; the record
# column already says which kind.
_DEMO_ACTION = re.compile(r"^demo\.\w+_generated$")

ENTITY_LABELS: dict[str, str] = {
    "User": N_("User"),
    "Patient": N_("Patient"),
    "Clinic": N_("Clinic"),
    "Setting": N_("Setting"),
    "BackupRecord": N_("Backup"),
    "RoleGrant": N_("Role permission"),
    # The agenda.
    "Practitioner": N_("Practitioner"),
    "WorkingHours": N_("Working hours"),
    "ScheduleException": N_("Schedule exception"),
    "ClinicClosure": N_("Clinic closure"),
    "Room": N_("Room"),
    "AppointmentType": N_("Appointment type"),
    "Appointment": N_("Appointment"),
    "AppointmentMove": N_("Appointment move"),
    "AppointmentSeries": N_("Appointment series"),
    "WaitlistEntry": N_("Waitlist entry"),
    # The clinical record.
    "PatientConsent": N_("Patient consent"),
    "MedicalHistoryEntry": N_("Medical history"),
    "Allergy": N_("Allergy"),
    "Medication": N_("Medication"),
    "Problem": N_("Problem"),
    "Encounter": N_("Clinical note"),
    "EncounterAddendum": N_("Note addendum"),
    "NoteTemplate": N_("Note template"),
    "Prescription": N_("Prescription"),
    "PrescriptionItem": N_("Prescription line"),
    "PatientDocument": N_("Document"),
    "DocumentContent": N_("Document content"),
    "PatientPhoto": N_("Patient photo"),
    # Inventory.
    "Supplier": N_("Supplier"),
    "Product": N_("Product"),
    "StockLot": N_("Stock lot"),
    "StockMovement": N_("Stock movement"),
    "StockBalance": N_("Stock balance"),
    "Treatment": N_("Treatment"),
    "RecipeItem": N_("Recipe item"),
    "AppointmentTreatment": N_("Appointment treatment"),
    "StockUsage": N_("Product used"),
    "PurchaseOrder": N_("Purchase order"),
    "PurchaseOrderLine": N_("Purchase order line"),
    # Billing.
    "EmissionPoint": N_("Emission point"),
    "InvoiceSeries": N_("Invoice series"),
    "Invoice": N_("Invoice"),
    "InvoiceLine": N_("Invoice line"),
    "Payment": N_("Payment"),
    "PaymentAllocation": N_("Payment allocation"),
    "CashClose": N_("Cash close"),
    "CashCloseLine": N_("Cash close line"),
    "Expense": N_("Expense"),
    "ExpenseReceipt": N_("Expense receipt"),
    "RecurringExpense": N_("Recurring expense"),
}

FIELD_LABELS: dict[str, str] = {
    "full_name": N_("Full name"),
    "username": N_("User name"),
    "email": N_("E-mail"),
    "language": N_("Language"),
    "roles": N_("Roles"),
    "disabled": N_("Disabled"),
    "deleted_at": N_("Deleted"),
    "deleted_by": N_("Deleted by"),
    "password_hash": N_("Password"),
    "must_change_password": N_("Must change password"),
    "failed_attempts": N_("Failed sign-ins"),
    "locked_until": N_("Locked until"),
    "last_sign_in_at": N_("Last sign-in"),
    "granted": N_("Granted"),
    "key": N_("Setting"),
    "value": N_("Value"),
    "path": N_("File"),
    "kind": N_("Kind"),
    "reason": N_("Reason"),
    "count": N_("Count"),
    "name": N_("Name"),
    # A patient's documents.
    "patient_id": N_("Patient"),
    "category": N_("Category"),
    "description": N_("Description"),
    "document_date": N_("Date of the document"),
    "file_name": N_("File"),
    "mime_type": N_("Type"),
    "size_bytes": N_("Size"),
}

_ISO_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")
# Long values are cut in the table; the details pane always shows them whole.
_TABLE_VALUE_LIMIT = 40


def action_label(action: str) -> str:
    if action in ACTION_LABELS:
        return _(ACTION_LABELS[action])
    if _DEMO_ACTION.match(action):
        return _("Demo data generated")
    return action


def entity_label(entity: str) -> str:
    return _(ENTITY_LABELS[entity]) if entity in ENTITY_LABELS else entity


def field_label(field: str) -> str:
    return _(FIELD_LABELS[field]) if field in FIELD_LABELS else field


def record_label(entity: str, entity_id: str) -> str:
    """A role grant's id is "role:permission": show both in words."""
    if entity == "RoleGrant" and ":" in entity_id:
        role, permission = entity_id.split(":", 1)
        return f"{role_label(role)} · {permission_label(permission)}"
    return entity_id


def _value(value: Any, limit: int | None, zone: str) -> str:
    if value is None or value == "":
        text = "—"
    elif isinstance(value, str) and _ISO_TIME.match(value):
        # Stored as UTC ISO text; shown like every other time on screen.
        try:
            text = format_when(datetime.fromisoformat(value), zone)
        except ValueError:
            text = value
    elif isinstance(value, bool):
        text = _("yes") if value else _("no")
    elif isinstance(value, list):
        text = ", ".join(role_label(str(v)) for v in value) or "—"
    else:
        text = str(value)
    if limit is not None and len(text) > limit:
        text = text[: limit - 1] + "…"
    return text


def change_lines(changes: str, *, zone: str = "UTC", limit: int | None = None) -> list[str]:
    try:
        data = json.loads(changes) if changes else {}
    except ValueError:
        return [changes]
    if not isinstance(data, dict):
        return [str(data)]
    lines = []
    for key, value in data.items():
        label = field_label(key)
        if isinstance(value, dict) and set(value) == {"old", "new"}:
            old, new = _value(value["old"], limit, zone), _value(value["new"], limit, zone)
            lines.append(f"{label}: {old} → {new}")
        else:
            lines.append(f"{label}: {_value(value, limit, zone)}")
    return lines


def summarize(changes: str, zone: str = "UTC") -> str:
    return "; ".join(change_lines(changes, zone=zone, limit=_TABLE_VALUE_LIMIT))
