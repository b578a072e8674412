"""Translated names of stored codes: roles and permissions, a patient's ID type and sex, the
kinds of consent. No database imports: the sign-in window and other early screens use them
before the database layer loads, and the UI (which may not import the models) takes the codes
from here too."""

from __future__ import annotations

from clinic_desktop.i18n import N_, _

PERMISSION_LABELS: dict[str, str] = {
    "patients.read": N_("See patients"),
    "patients.write": N_("Edit patients"),
    "patients.export": N_("Export a patient's whole record (right of access)"),
    "clinical.read": N_("Read clinical records"),
    "clinical.write": N_("Write clinical records"),
    "clinical.sign": N_("Sign clinical records"),
    "agenda.view": N_("See the agenda"),
    "agenda.book": N_("Book and update appointments"),
    "schedule.manage": N_("Manage schedules and override the agenda rules"),
    "billing.manage": N_("Invoices and payments"),
    "inventory.manage": N_("Manage inventory"),
    "reports.finance": N_("Financial reports"),
    "users.manage": N_("Manage users"),
    "settings.manage": N_("Change settings"),
    "audit.read": N_("Read the audit trail"),
    "backup.run": N_("Make backups"),
    "backup.restore": N_("Restore backups"),
    "trash.restore": N_("Restore deleted records"),
    "grants.manage": N_("Change role permissions"),
}

ROLE_LABELS: dict[str, str] = {
    "owner": N_("Owner"),
    "doctor": N_("Doctor"),
    "reception": N_("Reception"),
    "assistant": N_("Assistant"),
    "it_admin": N_("IT administrator"),
}


def role_label(role: str) -> str:
    return _(ROLE_LABELS.get(role, role))


def permission_label(permission: str) -> str:
    return _(PERMISSION_LABELS.get(permission, permission))


ID_TYPE_LABELS: dict[str, str] = {
    "cedula": N_("Cédula"),
    "ruc": N_("RUC"),
    "dni": N_("DNI"),
    "nie": N_("NIE"),
    "passport": N_("Passport"),
    "other": N_("Other"),
    "none": N_("None"),
}
SEX_LABELS: dict[str, str] = {"F": N_("Female"), "M": N_("Male"), "X": N_("Other or not stated")}
CONSENT_LABELS: dict[str, str] = {
    "data_processing": N_("Data processing"),
    "reminders_email": N_("Reminders by e-mail"),
    "reminders_sms": N_("Reminders by SMS"),
    "reminders_whatsapp": N_("Reminders by WhatsApp"),
}


def id_type_label(code: str) -> str:
    return _(ID_TYPE_LABELS.get(code, code))


def sex_label(code: str) -> str:
    return _(SEX_LABELS[code]) if code in SEX_LABELS else code


def consent_label(kind: str) -> str:
    return _(CONSENT_LABELS[kind]) if kind in CONSENT_LABELS else kind
