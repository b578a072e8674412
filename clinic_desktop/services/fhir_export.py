"""The machine-readable half of a right-of-access export: the patient's record as an HL7 FHIR
R4 Bundle of type "collection" (plain JSON-ready dicts, so the app needs no FHIR library; the
tests validate it with the `fhir.resources` R4B models). It holds the Patient, their
AllergyIntolerance, MedicationStatement and Condition entries, one Encounter per note with a
DocumentReference carrying the note's text, an Observation per vital sign (LOINC codes, UCUM
units, blood pressure as the 85354-9 panel), a MedicationRequest per prescribed medication and
a DocumentReference per attached document. Every resource is addressed as "urn:uuid:<id>"
with the record's own UUID, so the references between them resolve inside the bundle."""

from __future__ import annotations

import base64
import uuid
from collections.abc import Mapping
from datetime import UTC, datetime
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from clinic_desktop.models.clinical import Allergy, Medication, Problem
from clinic_desktop.models.document import PatientDocument
from clinic_desktop.models.encounter import SOAP_FIELDS, Encounter, EncounterAddendum
from clinic_desktop.models.patient import Patient
from clinic_desktop.models.prescription import Prescription, PrescriptionItem
from clinic_desktop.services.clinical_common import user_names
from clinic_desktop.services.clinical_print_views import (
    live_rows,
    note_addenda,
    patient_documents,
    patient_encounters,
    patient_prescriptions,
)
from clinic_desktop.services.fhir_export_parts import (
    ACT_CODE,
    BP_PANEL,
    BP_PARTS,
    LOINC,
    OBSERVATIONS_NS,
    TERMINOLOGY,
    VITAL_CODES,
    Json,
    allergy_resource,
    concept,
    condition_resource,
    day,
    entry,
    instant,
    medication_resource,
    note,
    patient_resource,
    quantity,
    ref,
)


def build_bundle(
    session: Session,
    patient: Patient,
    *,
    document_paths: Mapping[uuid.UUID, str] | None = None,
    now: datetime | None = None,
) -> Json:
    """The bundle for `patient` (live records only). `document_paths` maps a document's id
    to where the export wrote its file, relative to the bundle, for the attachment URL."""
    paths = document_paths or {}
    entries: list[Json] = [entry(patient_resource(patient))]
    allergies = session.scalars(live_rows(Allergy, patient.id).order_by(Allergy.created_at))
    entries += [entry(allergy_resource(a, patient.id)) for a in allergies]
    medications = session.scalars(live_rows(Medication, patient.id).order_by(Medication.created_at))
    entries += [entry(medication_resource(m, patient.id)) for m in medications]
    problems = session.scalars(live_rows(Problem, patient.id).order_by(Problem.created_at))
    entries += [entry(condition_resource(p, patient.id)) for p in problems]
    notes, live = _encounter_entries(session, patient.id)
    entries += notes
    entries += _prescription_entries(session, patient.id, live)
    entries += [
        entry(document_resource(d, paths.get(d.id), live))
        for d in patient_documents(session, patient.id)
    ]
    return {
        "resourceType": "Bundle",
        "id": str(uuid.uuid4()),
        "meta": {"lastUpdated": instant(now or datetime.now(UTC))},
        "type": "collection",
        "timestamp": instant(now or datetime.now(UTC)),
        "entry": entries,
    }


def _encounter_entries(
    session: Session, patient_id: uuid.UUID
) -> tuple[list[Json], set[uuid.UUID]]:
    """The notes' entries, and the ids of the notes in the bundle (what others may point
    at: a note in the trash is not exported, so nothing may refer to it)."""
    encounters = patient_encounters(session, patient_id)
    addenda = note_addenda(session, [e.id for e in encounters])
    names = user_names(session, [e.author_id for e in encounters])
    replaced = {e.amends_id for e in encounters if e.amends_id and e.is_signed}
    live = {e.id for e in encounters}
    entries: list[Json] = []
    for e in encounters:
        author = names.get(e.author_id, "")
        entries.append(entry(encounter_resource(e, patient_id, author)))
        entries.append(
            entry(
                note_resource(
                    e,
                    patient_id,
                    author,
                    addenda.get(e.id, []),
                    superseded=e.id in replaced,
                    replaces_live=e.amends_id in live,
                )
            )
        )
        entries += [entry(o) for o in vital_observations(e, patient_id)]
    return entries, live


def encounter_resource(encounter: Encounter, patient_id: uuid.UUID, author: str) -> Json:
    resource: Json = {
        "resourceType": "Encounter",
        "id": str(encounter.id),
        "status": "finished" if encounter.is_signed else "in-progress",
        "class": {"system": ACT_CODE, "code": "AMB", "display": "ambulatory"},
        "subject": ref(patient_id),
        "period": {"start": instant(encounter.occurred_at)},
    }
    if author:
        resource["participant"] = [{"individual": {"display": author}}]
    if encounter.chief_complaint.strip():
        resource["reasonCode"] = [{"text": encounter.chief_complaint}]
    return resource


_SOAP_TITLES = {
    "chief_complaint": "Chief complaint",
    "subjective": "Subjective",
    "objective": "Objective",
    "assessment": "Assessment",
    "plan": "Plan",
}


def note_text(encounter: Encounter, addenda: list[EncounterAddendum]) -> str:
    parts = [
        f"{_SOAP_TITLES[key]}: {getattr(encounter, key).strip()}"
        for key in SOAP_FIELDS
        if getattr(encounter, key).strip()
    ]
    if encounter.amends_id:
        parts.append(f"Amendment reason: {encounter.amendment_reason}")
    parts += [f"Addendum ({instant(a.created_at)}): {a.text.strip()}" for a in addenda]
    return "\n\n".join(parts)


def note_resource(
    encounter: Encounter,
    patient_id: uuid.UUID,
    author: str,
    addenda: list[EncounterAddendum],
    *,
    superseded: bool,
    replaces_live: bool = True,
) -> Json:
    """The note's SOAP text (and addenda) as a DocumentReference of the progress-note type;
    an amended version says which note it replaces, the original is marked superseded."""
    text = note_text(encounter, addenda)
    note_id = uuid.uuid5(OBSERVATIONS_NS, f"{encounter.id}:note")
    resource: Json = {
        "resourceType": "DocumentReference",
        "id": str(note_id),
        "status": "superseded" if superseded else "current",
        "docStatus": _doc_status(encounter),
        "type": concept(LOINC, "11506-3", "Progress note"),
        "subject": ref(patient_id),
        "date": instant(encounter.signed_at or encounter.updated_at),
        "content": [
            {
                "attachment": {
                    "contentType": "text/plain; charset=utf-8",
                    "data": base64.b64encode(text.encode("utf-8")).decode("ascii"),
                    "title": "SOAP note",
                }
            }
        ],
        "context": {
            "encounter": [ref(encounter.id)],
            "period": {"start": instant(encounter.occurred_at)},
        },
    }
    if author:
        resource["author"] = [{"display": author}]
    if encounter.amends_id and replaces_live:
        resource["relatesTo"] = [
            {
                "code": "replaces",
                "target": ref(uuid.uuid5(OBSERVATIONS_NS, f"{encounter.amends_id}:note")),
            }
        ]
    return resource


def _doc_status(encounter: Encounter) -> str:
    if not encounter.is_signed:
        return "preliminary"
    return "amended" if encounter.amends_id else "final"


def vital_observations(encounter: Encounter, patient_id: uuid.UUID) -> list[Json]:
    common: Json = {
        "status": "final" if encounter.is_signed else "preliminary",
        "category": [concept(f"{TERMINOLOGY}/observation-category", "vital-signs", "Vital Signs")],
        "subject": ref(patient_id),
        "encounter": ref(encounter.id),
        "effectiveDateTime": instant(encounter.occurred_at),
    }
    out: list[Json] = []
    components = [
        {
            "code": concept(LOINC, code, display),
            "valueQuantity": quantity(getattr(encounter, key), "mm[Hg]", "mmHg"),
        }
        for key, (code, display) in BP_PARTS.items()
        if getattr(encounter, key) is not None
    ]
    if components:
        out.append(
            {
                "resourceType": "Observation",
                "id": str(uuid.uuid5(OBSERVATIONS_NS, f"{encounter.id}:bp")),
                **common,
                "code": concept(LOINC, *BP_PANEL, text="Blood pressure"),
                "component": components,
            }
        )
    for key, (code, display, ucum, unit) in VITAL_CODES.items():
        value: Decimal | None = getattr(encounter, key)
        if value is None:
            continue
        code_concept = concept(LOINC, code, display, text=display)
        if key == "spo2":  # measured by pulse oximetry in practice; both codes help readers
            code_concept["coding"].append(
                {
                    "system": LOINC,
                    "code": "59408-5",
                    "display": "Oxygen saturation by Pulse oximetry",
                }
            )
        out.append(
            {
                "resourceType": "Observation",
                "id": str(uuid.uuid5(OBSERVATIONS_NS, f"{encounter.id}:{key}")),
                **common,
                "code": code_concept,
                "valueQuantity": quantity(value, ucum, unit),
            }
        )
    return out


def _prescription_entries(
    session: Session, patient_id: uuid.UUID, live: set[uuid.UUID]
) -> list[Json]:
    prescriptions = patient_prescriptions(session, patient_id)
    if not prescriptions:
        return []
    by_id = {p.id: p for p in prescriptions}
    items = session.scalars(
        select(PrescriptionItem)
        .join(Prescription, Prescription.id == PrescriptionItem.prescription_id)
        .where(Prescription.patient_id == patient_id, PrescriptionItem.deleted_at.is_(None))
        .order_by(PrescriptionItem.prescription_id, PrescriptionItem.position)
    )
    names = user_names(session, [p.prescriber_id for p in prescriptions])
    entries: list[Json] = []
    for item in items:
        prescription = by_id.get(item.prescription_id)
        if prescription is not None:
            prescriber = names.get(prescription.prescriber_id, "")
            request = medication_request(item, prescription, patient_id, prescriber)
            if prescription.encounter_id not in live:
                request.pop("encounter", None)
            entries.append(entry(request))
    return entries


def medication_request(
    item: PrescriptionItem, prescription: Prescription, patient_id: uuid.UUID, prescriber: str
) -> Json:
    void = prescription.status == "void"
    dosage_text = " ".join(
        part for part in (item.dose, item.route, item.frequency, item.duration) if part
    )
    dosage: Json = {"text": dosage_text or item.medication}
    if item.route:
        dosage["route"] = {"text": item.route}
    if item.instructions.strip():
        dosage["patientInstruction"] = item.instructions
    resource: Json = {
        "resourceType": "MedicationRequest",
        "id": str(item.id),
        "groupIdentifier": {"value": str(prescription.id)},
        "status": "cancelled" if void else "active",
        "intent": "order",
        "medicationCodeableConcept": {"text": item.medication},
        "subject": ref(patient_id),
        "authoredOn": day(prescription.issued_on),
        "dosageInstruction": [dosage],
    }
    if void and prescription.void_reason:
        resource["statusReason"] = {"text": prescription.void_reason}
    if prescription.encounter_id:
        resource["encounter"] = ref(prescription.encounter_id)
    if prescriber:
        resource["requester"] = {"display": prescriber}
    if prescription.notes.strip():
        resource["note"] = note(prescription.notes)
    return resource


def document_resource(
    document: PatientDocument, path: str | None, live: set[uuid.UUID] | None = None
) -> Json:
    attachment: Json = {
        "contentType": document.mime_type,
        "title": document.file_name,
        "size": document.size_bytes,
        "creation": day(document.document_date),
    }
    if path:
        attachment["url"] = path
    resource: Json = {
        "resourceType": "DocumentReference",
        "id": str(document.id),
        "status": "current",
        "type": {"text": document.category},
        "subject": ref(document.patient_id),
        "date": instant(document.created_at),
        "content": [{"attachment": attachment}],
    }
    if document.description.strip():
        resource["description"] = document.description
    if document.encounter_id and (live is None or document.encounter_id in live):
        resource["context"] = {"encounter": [ref(document.encounter_id)]}
    return resource
