"""The demo patients' details beyond the names and numbers `demo.add_demo_patients` writes:
payer, referral source, emergency contact, a mobile phone for some, how they want reminders,
and the consents reception recorded (data processing for nearly everyone; the reminder
channel's consent, given or refused, which is what `Patient.reminder_consent` then says; and
for a few an earlier channel withdrawn). Written as one executemany UPDATE and one bulk
insert, since they describe the patients as they were created."""

from __future__ import annotations

import random
import uuid
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from clinic_desktop.models.base import new_id
from clinic_desktop.models.patient import ConsentKind
from clinic_desktop.services.demo_clinical_record import Profile
from clinic_desktop.services.demo_clinical_rx import between, pick

# (payer, weight): the social security (IESS), private insurers and patients paying themselves.
PAYERS = (
    ("IESS", 30),
    ("Particular", 30),
    ("Seguros Equinoccial", 9),
    ("BMI", 7),
    ("Salud S.A.", 8),
    ("Confiamed", 5),
    ("Humana", 4),
    ("ISSFA", 4),
    ("Ecuasanitas", 3),
)
REFERRALS = (
    "Recomendación de un familiar",
    "Recomendación de un amigo",
    "Redes sociales (Facebook)",
    "Instagram",
    "Búsqueda en Google",
    "Referido por otro médico",
    "Convenio empresarial",
    "Pasaba por la clínica",
    "Paciente antiguo de la clínica",
    "Aseguradora",
)
RELATIONS = (
    "madre",
    "padre",
    "esposa",
    "esposo",
    "hija",
    "hijo",
    "hermana",
    "hermano",
    "tía",
    "pareja",
)
EMERGENCY_NAMES = (
    "Rosa",
    "Luis",
    "Carmen",
    "Jorge",
    "Patricia",
    "Marco",
    "Gloria",
    "Fausto",
    "Mercedes",
    "Byron",
    "Janeth",
    "Wilson",
)
# Who to call for a child: a parent.
CHILD_RELATIONS = ("madre", "padre", "abuela")

_CHANNEL_KIND = {
    "email": ConsentKind.REMINDERS_EMAIL.value,
    "sms": ConsentKind.REMINDERS_SMS.value,
    "whatsapp": ConsentKind.REMINDERS_WHATSAPP.value,
}
# Each payer repeated by its weight: one pick per patient instead of rng.choices, which costs
# several times more and runs 100,000 times in a large demo.
_PAYER_POOL = [payer for payer, weight in PAYERS for _ in range(weight)]
_UPDATE = (
    "UPDATE patients SET mobile_phone = ?, emergency_contact = ?, emergency_phone = ?, "
    "payer = ?, referral_source = ?, reminder_channel = ?, reminder_consent = ? WHERE id = ?"
)


def _mobile(rng: random.Random) -> str:
    return f"09{between(rng, 60000000, 99999999)}"


def _channel(rng: random.Random, email: str | None) -> str:
    draw = rng.random()
    if email and draw < 0.18:
        return "email"
    if draw < 0.62:
        return "whatsapp"
    if draw < 0.75:
        return "sms"
    return "none"


def patient_details(
    session: Session,
    rng: random.Random,
    profiles: list[Profile],
    *,
    consenting: set[uuid.UUID],
    clerk: uuid.UUID | None,
    moment: datetime,
) -> list[dict[str, Any]]:
    """Updates the patients' details and returns the consent rows to insert; only patients in
    `consenting` get consents and a reminder channel (the others were never asked)."""
    updates: list[tuple[Any, ...]] = []
    consents: list[dict[str, Any]] = []

    def consent(profile: Profile, kind: str, granted: bool, at: datetime, note: str = "") -> None:
        consents.append(
            {
                "id": new_id(),
                "created_at": at,
                "updated_at": at,
                "created_by": clerk,
                "updated_by": clerk,
                "version": 1,
                "patient_id": profile.facts.id,
                "kind": kind,
                "granted": granted,
                "note": note,
            }
        )

    for profile in profiles:
        facts = profile.facts
        surname = (facts.last_names.split() or ["García"])[0]
        relation = pick(rng, CHILD_RELATIONS if profile.age < 18 else RELATIONS)
        contact = phone = None
        if profile.age < 18 or rng.random() < 0.72:
            contact = f"{pick(rng, EMERGENCY_NAMES)} {surname} ({relation})"
            phone = _mobile(rng)
        channel = _channel(rng, facts.email) if facts.id in consenting else "none"
        # Consents are asked at reception on the first visit (or when the record was made).
        at = (profile.first_visit or moment) - timedelta(minutes=between(rng, 8, 40))
        draw = rng.random() if facts.id in consenting else 1.0
        if draw < 0.93:
            consent(profile, ConsentKind.DATA_PROCESSING.value, True, at)
        elif draw < 0.96:
            consent(profile, ConsentKind.DATA_PROCESSING.value, False, at, "Lo pensará.")
        agreed = False
        if channel != "none":
            if channel == "whatsapp" and rng.random() < 0.1:
                # Had SMS reminders, asked to move them to WhatsApp.
                first = at + timedelta(seconds=5)
                consent(profile, ConsentKind.REMINDERS_SMS.value, True, first)
                later = min(at + timedelta(days=between(rng, 20, 200)), moment)
                at = max(first + timedelta(minutes=1), later)
                consent(
                    profile,
                    ConsentKind.REMINDERS_SMS.value,
                    False,
                    at,
                    "Prefiere WhatsApp",
                )
            agreed = rng.random() < 0.86
            consent(profile, _CHANNEL_KIND[channel], agreed, at + timedelta(seconds=10))
        updates.append(
            (
                _mobile(rng) if rng.random() < 0.35 else None,
                contact,
                phone,
                pick(rng, _PAYER_POOL),
                pick(rng, REFERRALS) if rng.random() < 0.7 else None,
                channel,
                int(agreed),
                facts.id.hex,
            )
        )
    # The same storage as the models' columns (UUIDs as 32 hex digits, booleans as 0/1),
    # sent in one executemany: 100,000 ORM updates would take longer than the patients did.
    session.connection().exec_driver_sql(_UPDATE, updates)
    return consents
