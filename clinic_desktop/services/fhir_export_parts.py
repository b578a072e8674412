"""The shared pieces of the FHIR R4 export (services/fhir_export.py): the code systems, the
small builders of references, codings, instants and quantities, and the resources of the
standing record: Patient (identifiers, name, gender, telecom, address, emergency contact),
AllergyIntolerance, MedicationStatement and Condition (ICD-10). Plain JSON-ready dicts."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from clinic_desktop.models.clinical import Allergy, Medication, Problem
from clinic_desktop.models.patient import Patient

Json = dict[str, Any]

LOINC = "http://loinc.org"
UCUM = "http://unitsofmeasure.org"
ICD10 = "http://hl7.org/fhir/sid/icd-10"
TERMINOLOGY = "http://terminology.hl7.org/CodeSystem"
ACT_CODE = f"{TERMINOLOGY}/v3-ActCode"
ID_TYPE = f"{TERMINOLOGY}/v2-0203"
# A stable namespace, so an Observation made from a note's vital sign keeps its id on re-export.
OBSERVATIONS_NS = uuid.UUID("6f1d7a2e-2b5c-4d1e-9a3f-4c8b0e6a9d21")

GENDER = {"M": "male", "F": "female", "X": "other"}
ID_TYPE_CODES = {"cedula": "NI", "dni": "NI", "nie": "NI", "passport": "PPN", "ruc": "TAX"}
ID_TYPE_NAMES = {
    "cedula": "Cédula de identidad (EC)",
    "ruc": "RUC (EC)",
    "dni": "DNI (ES)",
    "nie": "NIE (ES)",
    "passport": "Passport",
    "other": "Other",
}
CRITICALITY = {"mild": "low", "moderate": "low", "severe": "high", "life_threatening": "high"}
REACTION_SEVERITY = {
    "mild": "mild",
    "moderate": "moderate",
    "severe": "severe",
    "life_threatening": "severe",
}
# Vital sign -> (LOINC code, display, UCUM code, printed unit).
VITAL_CODES: dict[str, tuple[str, str, str, str]] = {
    "heart_rate": ("8867-4", "Heart rate", "/min", "/min"),
    "respiratory_rate": ("9279-1", "Respiratory rate", "/min", "/min"),
    "temperature_c": ("8310-5", "Body temperature", "Cel", "°C"),
    "spo2": ("2708-6", "Oxygen saturation in Arterial blood", "%", "%"),
    "weight_kg": ("29463-7", "Body weight", "kg", "kg"),
    "height_cm": ("8302-2", "Body height", "cm", "cm"),
}
BP_PANEL = ("85354-9", "Blood pressure panel with all children optional")
BP_PARTS = {
    "systolic_bp": ("8480-6", "Systolic blood pressure"),
    "diastolic_bp": ("8462-4", "Diastolic blood pressure"),
}


def urn(entity_id: uuid.UUID) -> str:
    return f"urn:uuid:{entity_id}"


def ref(entity_id: uuid.UUID, display: str = "") -> Json:
    ref: Json = {"reference": urn(entity_id)}
    if display:
        ref["display"] = display
    return ref


def concept(system: str, code: str, display: str = "", text: str = "") -> Json:
    coding: Json = {"system": system, "code": code}
    if display:
        coding["display"] = display
    concept: Json = {"coding": [coding]}
    if text:
        concept["text"] = text
    return concept


def instant(moment: datetime) -> str:
    """FHIR instants and dateTimes need a zone; stored times are UTC."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def day(value: date) -> str:
    return value.isoformat()


def _number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def quantity(value: Decimal, ucum: str, unit: str) -> Json:
    return {"value": _number(value), "unit": unit, "system": UCUM, "code": ucum}


def entry(resource: Json) -> Json:
    return {"fullUrl": f"urn:uuid:{resource['id']}", "resource": resource}


def note(text: str) -> list[Json]:
    return [{"text": text}] if text.strip() else []


def patient_resource(patient: Patient) -> Json:
    identifiers: list[Json] = [
        {
            "use": "usual",
            "type": concept(ID_TYPE, "MR", "Medical record number", "Chart number"),
            "value": str(patient.chart_number),
        }
    ]
    if patient.id_number:
        kind = patient.id_type
        id_type: Json = {"text": ID_TYPE_NAMES.get(kind, kind)}
        if kind in ID_TYPE_CODES:
            id_type["coding"] = [{"system": ID_TYPE, "code": ID_TYPE_CODES[kind]}]
        identifiers.append({"use": "official", "type": id_type, "value": patient.id_number})
    resource: Json = {
        "resourceType": "Patient",
        "id": str(patient.id),
        "identifier": identifiers,
        "active": not patient.is_archived,
        "name": [
            {
                "use": "official",
                "text": patient.full_name,
                "family": patient.last_names,
                "given": patient.first_names.split() or [patient.first_names],
            }
        ],
        "gender": GENDER.get(patient.sex or "", "unknown"),
    }
    telecom = [
        {"system": system, "value": value, "use": use}
        for system, value, use in (
            ("phone", patient.phone, "home"),
            ("phone", patient.mobile_phone, "mobile"),
            ("email", patient.email, "home"),
        )
        if value
    ]
    if telecom:
        resource["telecom"] = telecom
    if patient.birth_date:
        resource["birthDate"] = day(patient.birth_date)
    if patient.address:
        resource["address"] = [{"text": patient.address}]
    if patient.emergency_contact or patient.emergency_phone:
        contact: Json = {"relationship": [{"coding": [_emergency_coding()]}]}
        if patient.emergency_contact:
            contact["name"] = {"text": patient.emergency_contact}
        if patient.emergency_phone:
            contact["telecom"] = [{"system": "phone", "value": patient.emergency_phone}]
        resource["contact"] = [contact]
    if patient.preferred_language:
        resource["communication"] = [
            {
                "language": concept("urn:ietf:bcp:47", patient.preferred_language),
                "preferred": True,
            }
        ]
    return resource


def _emergency_coding() -> Json:
    return {
        "system": f"{TERMINOLOGY}/v2-0131",
        "code": "C",
        "display": "Emergency Contact",
    }


def _statuses(
    status: str, *, clinical_system: str, clinical_code: str, verification_system: str
) -> Json:
    """The clinical and verification statuses of an allergy or a condition. FHIR forbids a
    clinical status on an entry recorded in error (invariants ait-2 and con-5)."""
    in_error = status == "entered_in_error"
    statuses: Json = {}
    if not in_error:
        statuses["clinicalStatus"] = concept(clinical_system, clinical_code)
    statuses["verificationStatus"] = concept(
        verification_system, "entered-in-error" if in_error else "confirmed"
    )
    return statuses


def allergy_resource(allergy: Allergy, patient_id: uuid.UUID) -> Json:
    resource: Json = {
        "resourceType": "AllergyIntolerance",
        "id": str(allergy.id),
        **_statuses(
            allergy.status,
            clinical_system=f"{TERMINOLOGY}/allergyintolerance-clinical",
            clinical_code="active" if allergy.status == "active" else "inactive",
            verification_system=f"{TERMINOLOGY}/allergyintolerance-verification",
        ),
    }
    if allergy.severity in CRITICALITY:
        resource["criticality"] = CRITICALITY[allergy.severity]
    resource["code"] = {"text": allergy.substance}
    resource["patient"] = ref(patient_id)
    if allergy.noted_on:
        resource["recordedDate"] = day(allergy.noted_on)
    if allergy.note.strip():
        resource["note"] = note(allergy.note)
    if allergy.reaction.strip():
        reaction: Json = {"manifestation": [{"text": allergy.reaction}]}
        if allergy.severity in REACTION_SEVERITY:
            reaction["severity"] = REACTION_SEVERITY[allergy.severity]
        resource["reaction"] = [reaction]
    return resource


def medication_resource(medication: Medication, patient_id: uuid.UUID) -> Json:
    status = {"active": "active", "stopped": "stopped", "entered_in_error": "entered-in-error"}
    dosage_text = " ".join(
        part for part in (medication.dose, medication.route, medication.frequency) if part
    )
    resource: Json = {
        "resourceType": "MedicationStatement",
        "id": str(medication.id),
        "status": status.get(medication.status, "unknown"),
        "medicationCodeableConcept": {"text": medication.name},
        "subject": ref(patient_id),
    }
    period: Json = {}
    if medication.started_on:
        period["start"] = day(medication.started_on)
    if medication.stopped_on:
        period["end"] = day(medication.stopped_on)
    if period:
        resource["effectivePeriod"] = period
    if dosage_text:
        dosage: Json = {"text": dosage_text}
        if medication.route:
            dosage["route"] = {"text": medication.route}
        resource["dosage"] = [dosage]
    if medication.note.strip():
        resource["note"] = note(medication.note)
    return resource


def condition_resource(problem: Problem, patient_id: uuid.UUID) -> Json:
    resource: Json = {
        "resourceType": "Condition",
        "id": str(problem.id),
        **_statuses(
            problem.status,
            clinical_system=f"{TERMINOLOGY}/condition-clinical",
            clinical_code="resolved" if problem.status == "resolved" else "active",
            verification_system=f"{TERMINOLOGY}/condition-ver-status",
        ),
        "category": [
            concept(f"{TERMINOLOGY}/condition-category", "problem-list-item", "Problem List Item")
        ],
    }
    code: Json = {"text": problem.description}
    if problem.icd10:
        code["coding"] = [{"system": ICD10, "code": problem.icd10}]
    resource["code"] = code
    resource["subject"] = ref(patient_id)
    if problem.onset_on:
        resource["onsetDateTime"] = day(problem.onset_on)
    if problem.resolved_on and problem.status == "resolved":
        resource["abatementDateTime"] = day(problem.resolved_on)
    if problem.note.strip():
        resource["note"] = note(problem.note)
    return resource
