"""The right-of-access export: the owner writes a patient's whole record to a new folder as a
readable PDF (history plus appointments), an HL7 FHIR R4 bundle that validates with the
`fhir.resources` R4B models (the bundle and every resource by its own class) with the codes a
receiving system needs (LOINC vitals in UCUM units, ICD-10 conditions, statuses), and the
attached documents byte for byte. Only patients.export may do it, a used folder is refused,
and the export is one audited transaction: a refusal leaves no file and no audit entry."""

from __future__ import annotations

import io
import json
import re
import uuid
from pathlib import Path

import pytest
from fhir.resources.R4B import get_fhir_model_class
from fhir.resources.R4B.bundle import Bundle
from pypdf import PdfReader
from sqlalchemy import func, select
from support.clinical_print_data import PDF_BYTES, PNG_BYTES, SYSTEM, patient_of, seed_record

from clinic_desktop.actor import Actor
from clinic_desktop.errors import NotFound, PermissionDenied, ValidationError
from clinic_desktop.models.audit import AuditEntry
from clinic_desktop.services.auth import sign_in
from clinic_desktop.services.demo import DEMO_PASSWORD
from clinic_desktop.services.fhir_export import build_bundle
from clinic_desktop.services.patient_export import export_patient_record


def actor(demo, username: str) -> Actor:
    user = sign_in(demo.db.uow(), username=username, password=DEMO_PASSWORD)
    return Actor.for_user(user.id, user.username)


def audit_rows(demo, action: str) -> list[AuditEntry]:
    with demo.db.uow().transaction(SYSTEM) as session:
        rows = list(session.scalars(select(AuditEntry).where(AuditEntry.action == action)))
        for row in rows:
            session.expunge(row)
        return rows


def audit_count(demo) -> int:
    with demo.db.uow().transaction(SYSTEM) as session:
        return session.scalar(select(func.count()).select_from(AuditEntry)) or 0


def resources(bundle: dict, kind: str) -> list[dict]:
    return [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == kind]


def coding(concept: dict) -> set[tuple[str, str]]:
    return {(c["system"], c["code"]) for c in concept.get("coding", [])}


def test_the_owner_exports_pdf_bundle_and_documents(demo, tmp_path: Path):
    record = seed_record(demo.db)
    out = tmp_path / "acceso" / "jose"
    result = export_patient_record(
        demo.db.uow(), actor=actor(demo, "duena"), chart_number=record.chart_number, out_dir=out
    )
    chart = record.chart_number
    assert result.folder == out.resolve()
    assert result.documents == 2
    names = sorted(str(p.relative_to(out)) for p in result.paths)
    assert names == sorted(
        [
            f"{chart}-record.pdf",
            f"{chart}-fhir-r4.json",
            "documents/2026-02-12-cultivo faríngeo.pdf",
            "documents/2026-02-10-garganta.png",  # the folder part of the stored name is dropped
        ]
    )
    assert sorted(str(p.relative_to(out)) for p in out.rglob("*") if p.is_file()) == names
    assert (out / "documents/2026-02-12-cultivo faríngeo.pdf").read_bytes() == PDF_BYTES
    assert (out / "documents/2026-02-10-garganta.png").read_bytes() == PNG_BYTES

    reader = PdfReader(io.BytesIO((out / f"{chart}-record.pdf").read_bytes()))
    text = " ".join(re.sub(r"\s+", " ", page.extract_text()) for page in reader.pages)
    for phrase in ("Patient record", "José Pérez Núñez", "Penicilina", "Appointments"):
        assert phrase in text, phrase
    assert "Dolor de garganta" in text and "Completed" in text  # the appointment's line

    raw = (out / f"{chart}-fhir-r4.json").read_bytes()
    assert "Núñez".encode() in raw  # UTF-8, not \u escapes
    bundle = json.loads(raw)
    assert bundle["type"] == "collection"

    entries = audit_rows(demo, "export")
    assert len(entries) == 1 and entries[0].entity_id == str(record.patient_id)
    changes = json.loads(entries[0].changes)
    assert changes["files"] == 4 and changes["what"] == "right-of-access export"


def test_the_bundle_validates_with_the_r4b_models(demo):
    record = seed_record(demo.db)
    with demo.db.uow().transaction(SYSTEM) as session:
        from clinic_desktop.models.patient import Patient

        bundle = build_bundle(session, session.get(Patient, record.patient_id))
    json.dumps(bundle)  # plain JSON types only
    Bundle.model_validate(bundle)
    urls = [e["fullUrl"] for e in bundle["entry"]]
    assert len(urls) == len(set(urls))
    for entry in bundle["entry"]:
        resource = entry["resource"]
        assert entry["fullUrl"] == f"urn:uuid:{resource['id']}"
        get_fhir_model_class(resource["resourceType"]).model_validate(resource)
    # Every reference points inside the bundle.
    text = json.dumps(bundle)
    for target in re.findall(r'"reference": "(urn:uuid:[0-9a-f-]+)"', text):
        assert target in urls, target
    kinds = sorted({e["resource"]["resourceType"] for e in bundle["entry"]})
    assert kinds == [
        "AllergyIntolerance",
        "Condition",
        "DocumentReference",
        "Encounter",
        "MedicationRequest",
        "MedicationStatement",
        "Observation",
        "Patient",
    ]


def test_the_bundle_carries_the_codes_a_receiving_system_needs(demo):
    record = seed_record(demo.db)
    with demo.db.uow().transaction(SYSTEM) as session:
        from clinic_desktop.models.patient import Patient

        bundle = build_bundle(session, session.get(Patient, record.patient_id))
    (patient,) = resources(bundle, "Patient")
    assert patient["name"][0]["family"] == "Pérez Núñez"
    assert patient["name"][0]["given"] == ["José"]
    assert patient["gender"] == "male" and patient["birthDate"] == "1980-05-17"
    assert {"value": "1710034065"}.items() <= patient["identifier"][1].items()
    assert "Cédula" in patient["identifier"][1]["type"]["text"]
    assert patient["address"] == [{"text": "Calle Olmedo 123, Quito"}]
    assert {t["value"] for t in patient["telecom"]} == {"0991234567", "jose@correo.ec"}
    patient_ref = f"urn:uuid:{record.patient_id}"

    allergies = {a["code"]["text"]: a for a in resources(bundle, "AllergyIntolerance")}
    penicillin, latex = allergies["Penicilina"], allergies["Látex"]
    assert coding(penicillin["clinicalStatus"]) == {
        ("http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical", "active")
    }
    assert penicillin["criticality"] == "high"
    assert penicillin["reaction"][0]["manifestation"][0]["text"] == "Urticaria generalizada"
    assert penicillin["patient"]["reference"] == patient_ref
    assert "clinicalStatus" not in latex
    assert "entered-in-error" in {c for _s, c in coding(latex["verificationStatus"])}

    statements = {
        m["medicationCodeableConcept"]["text"]: m for m in resources(bundle, "MedicationStatement")
    }
    assert statements["Enalapril"]["status"] == "active"
    assert statements["Omeprazol"]["status"] == "stopped"
    assert statements["Enalapril"]["dosage"][0]["text"] == "10 mg Oral cada 12 horas"

    conditions = {c["code"]["text"]: c for c in resources(bundle, "Condition")}
    icd = "http://hl7.org/fhir/sid/icd-10"
    assert coding(conditions["Hipertensión arterial esencial"]["code"]) == {(icd, "I10")}
    assert [c for _s, c in coding(conditions["Amigdalitis aguda"]["clinicalStatus"])] == [
        "resolved"
    ]

    encounters = {e["id"]: e for e in resources(bundle, "Encounter")}
    signed, draft = encounters[str(record.signed_id)], encounters[str(record.draft_id)]
    assert signed["status"] == "finished" and draft["status"] == "in-progress"
    assert signed["class"]["code"] == "AMB"
    assert signed["class"]["system"] == "http://terminology.hl7.org/CodeSystem/v3-ActCode"
    assert signed["reasonCode"] == [{"text": "Dolor de garganta y fiebre"}]
    assert signed["period"]["start"] == "2026-02-10T14:30:00Z"

    observations = [
        o
        for o in resources(bundle, "Observation")
        if o["encounter"]["reference"] == f"urn:uuid:{record.signed_id}"
    ]
    by_code = {o["code"]["coding"][0]["code"]: o for o in observations}
    expected = {
        "8867-4": (88, "/min"),
        "9279-1": (16, "/min"),
        "8310-5": (38.5, "Cel"),
        "2708-6": (97, "%"),
        "29463-7": (70.5, "kg"),
        "8302-2": (172, "cm"),
    }
    for code, (value, unit) in expected.items():
        quantity = by_code[code]["valueQuantity"]
        assert (quantity["value"], quantity["code"]) == (value, unit), code
        assert quantity["system"] == "http://unitsofmeasure.org"
    panel = by_code["85354-9"]
    parts = {c["code"]["coding"][0]["code"]: c["valueQuantity"] for c in panel["component"]}
    assert parts["8480-6"]["value"] == 120 and parts["8462-4"]["value"] == 80
    assert parts["8480-6"]["code"] == "mm[Hg]"
    for observation in observations:
        assert observation["status"] == "final"
        assert observation["category"][0]["coding"][0]["code"] == "vital-signs"
        assert observation["effectiveDateTime"] == "2026-02-10T14:30:00Z"
    assert len(observations) == 7

    requests = resources(bundle, "MedicationRequest")
    assert {r["status"] for r in requests} == {"active", "cancelled"}
    notes = [d for d in resources(bundle, "DocumentReference") if d["type"].get("coding")]
    assert {d["status"] for d in notes} == {"current", "superseded"}


def test_only_the_owner_may_export_and_a_refusal_leaves_nothing(demo, tmp_path: Path):
    record = seed_record(demo.db)
    actors = {name: actor(demo, name) for name in ("medico", "recepcion", "asistente", "soporte")}
    before = audit_count(demo)
    for username, who in actors.items():
        out = tmp_path / username
        with pytest.raises(PermissionDenied, match="Export a patient"):
            export_patient_record(
                demo.db.uow(),
                actor=who,
                patient_id=record.patient_id,
                out_dir=out,
            )
        assert not out.exists()
    assert audit_count(demo) == before


def test_a_used_folder_or_an_unknown_chart_is_refused(demo, tmp_path: Path):
    record = seed_record(demo.db)
    owner = actor(demo, "duena")
    used = tmp_path / "used"
    used.mkdir()
    (used / "notes.txt").write_text("mine")
    with pytest.raises(ValidationError, match="is not empty") as refused:
        export_patient_record(
            demo.db.uow(), actor=owner, patient_id=record.patient_id, out_dir=used
        )
    assert refused.value.field == "out"
    assert [p.name for p in used.iterdir()] == ["notes.txt"]
    a_file = tmp_path / "file.txt"
    a_file.write_text("x")
    with pytest.raises(ValidationError, match="is a file"):
        export_patient_record(demo.db.uow(), actor=owner, chart_number=1, out_dir=a_file)
    with pytest.raises(NotFound, match="chart number 9999"):
        export_patient_record(
            demo.db.uow(), actor=owner, chart_number=9999, out_dir=tmp_path / "new"
        )
    with pytest.raises(NotFound):
        export_patient_record(
            demo.db.uow(), actor=owner, patient_id=uuid.uuid4(), out_dir=tmp_path / "new"
        )
    assert not (tmp_path / "new").exists()
    assert audit_rows(demo, "export") == []
    # An empty folder that already exists is fine.
    empty = tmp_path / "empty"
    empty.mkdir()
    export_patient_record(demo.db.uow(), actor=owner, patient_id=record.patient_id, out_dir=empty)
    assert len(list(empty.rglob("*.*"))) == 4


def test_a_patient_without_clinical_records_exports_a_valid_bundle(demo, tmp_path: Path):
    owner = actor(demo, "duena")
    result = export_patient_record(
        demo.db.uow(), actor=owner, chart_number=1, out_dir=tmp_path / "one"
    )
    bundle = json.loads(result.paths[1].read_text(encoding="utf-8"))
    Bundle.model_validate(bundle)
    assert bundle["entry"][0]["resource"]["resourceType"] == "Patient"
    assert patient_of(demo.db, uuid.UUID(bundle["entry"][0]["resource"]["id"])).chart_number == 1


def test_nothing_in_the_bundle_points_at_a_note_in_the_trash(demo):
    from datetime import UTC, datetime

    from clinic_desktop.models.encounter import Encounter
    from clinic_desktop.models.patient import Patient

    record = seed_record(demo.db)
    with demo.db.uow().transaction(SYSTEM) as session:
        # The voided prescription and the amended version both refer to this note.
        session.get(Encounter, record.signed_id).deleted_at = datetime.now(UTC)
    with demo.db.uow().transaction(SYSTEM) as session:
        bundle = build_bundle(session, session.get(Patient, record.patient_id))
    Bundle.model_validate(bundle)
    urls = {e["fullUrl"] for e in bundle["entry"]}
    assert f"urn:uuid:{record.signed_id}" not in urls
    targets = re.findall(r'"reference": "(urn:uuid:[0-9a-f-]+)"', json.dumps(bundle))
    assert targets and set(targets) <= urls
    (amended,) = [
        d
        for d in resources(bundle, "DocumentReference")
        if d.get("context", {}).get("encounter") == [{"reference": f"urn:uuid:{record.amended_id}"}]
    ]
    assert "relatesTo" not in amended and amended["docStatus"] == "amended"
