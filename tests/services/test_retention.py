"""Retention and anonymisation against a real demo clinic: when a record may be anonymised
(the latest clinical activity of any kind plus the retention setting, 29 February included),
the refusals (within the period, not archived, already anonymised, a mistyped chart number,
roles other than the owner) that change nothing, and a successful anonymisation: every
identifying field blanked, the search index forgets the old name, ID and phone, the photo and
the documents' bytes are wiped while the clinical record and the documents' details stay, the
audit trail records it without copying the erased values, and later edits are refused.

Making a record old: most tests give the services `today=` (a day years ahead) rather than
editing stored dates; `age_records` moves a patient's stored dates back with direct UPDATEs
where a test needs the dates themselves in the past (the status of each kind of activity)."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select, update
from test_documents import pdf_bytes, png_bytes

from clinic_desktop.actor import Actor
from clinic_desktop.errors import InvalidTransition, NotFound, PermissionDenied, ValidationError
from clinic_desktop.models.appointment import Appointment
from clinic_desktop.models.audit import AuditEntry
from clinic_desktop.models.clinical import Allergy
from clinic_desktop.models.document import DocumentContent, PatientPhoto
from clinic_desktop.models.encounter import Encounter
from clinic_desktop.models.patient import Patient
from clinic_desktop.models.patient_search import PatientSearchTerm
from clinic_desktop.services.agenda_rules import clinic_zone
from clinic_desktop.services.appointments import book_appointment
from clinic_desktop.services.audit import verify_audit_chain
from clinic_desktop.services.auth import sign_in
from clinic_desktop.services.clinical_dto import AllergyForm
from clinic_desktop.services.clinical_lists import add_allergy
from clinic_desktop.services.demo import DEMO_PASSWORD
from clinic_desktop.services.documents import (
    attach_document,
    list_documents,
    open_document,
    remove_document,
)
from clinic_desktop.services.encounters import start_encounter
from clinic_desktop.services.patient_admin import (
    PatientForm,
    create_patient,
    get_patient,
    list_consents,
    list_patients,
    record_consent,
    set_archived,
    update_patient,
)
from clinic_desktop.services.patient_photo import (
    get_patient_photo,
    remove_patient_photo,
    set_patient_photo,
)
from clinic_desktop.services.patients import search_patients
from clinic_desktop.services.retention import (
    add_years,
    anonymise_patient,
    anonymised_among,
    retention_status,
)
from clinic_desktop.services.trash import restore_record

SYSTEM = Actor.system("tests")
LATER = date.today() + timedelta(days=365 * 6)  # past any activity the tests add today
MARIA = PatientForm(
    first_names="María José",
    last_names="Quishpe Andrango",
    id_type="cedula",
    id_number="1710034065",
    birth_date=date(1984, 7, 19),
    sex="F",
    phone="022345678",
    mobile_phone="0987654321",
    email="mariajose@correo.ec",
    address="Calle Rocafuerte 12, Quito",
    emergency_contact="Pedro Quishpe",
    emergency_phone="0991112233",
    payer="Seguros Equinoccial",
    referral_source="Dr. Salazar",
    preferred_language="es",
    reminder_channel="sms",
)
SECRETS = (
    "María",
    "Quishpe",
    "1710034065",
    "022345678",
    "0987654321",
    "mariajose@correo.ec",
    "Rocafuerte",
    "0991112233",
    "Equinoccial",
    "Salazar",
    "1984-07-19",
    "maria_quishpe_cedula.pdf",
    "hija Lucía",
)


def actor(demo, username: str) -> Actor:
    user = sign_in(demo.db.uow(), username=username, password=DEMO_PASSWORD)
    return Actor.for_user(user.id, user.username)


@pytest.fixture
def owner(demo) -> Actor:
    return actor(demo, "duena")


@pytest.fixture
def maria(demo):
    return create_patient(demo.db.uow(), actor=SYSTEM, form=MARIA)


def archive(demo, patient_id) -> None:
    set_archived(demo.db.uow(), actor=SYSTEM, patient_id=patient_id, archived=True)


def stored(demo, model, **where):
    with demo.db.uow().transaction(SYSTEM) as session:
        query = select(model)
        for key, value in where.items():
            query = query.where(getattr(model, key) == value)
        return list(session.scalars(query))


def audit_since(demo, seq: int) -> list[AuditEntry]:
    with demo.db.uow().transaction(SYSTEM) as session:
        return list(
            session.scalars(select(AuditEntry).where(AuditEntry.seq > seq).order_by(AuditEntry.seq))
        )


def last_seq(demo) -> int:
    with demo.db.uow().transaction(SYSTEM) as session:
        return session.scalar(select(AuditEntry.seq).order_by(AuditEntry.seq.desc()).limit(1))


def clinic_zone_of(demo):
    with demo.db.uow().transaction(SYSTEM) as session:
        return clinic_zone(session)


def local_noon(demo, day: date) -> datetime:
    zone = clinic_zone_of(demo)
    return datetime(day.year, day.month, day.day, 12, tzinfo=zone).astimezone(UTC)


def age_records(demo, patient_id, moment: datetime) -> None:
    """Moves the patient's creation and every clinical row's dates back to `moment` (direct
    UPDATEs: no service may backdate a record)."""
    from clinic_desktop.services.retention import CLINICAL_RECORDS

    with demo.db.uow().transaction(SYSTEM) as session:
        session.execute(update(Patient).where(Patient.id == patient_id).values(created_at=moment))
        for model in CLINICAL_RECORDS:
            session.execute(
                update(model)
                .where(model.patient_id == patient_id)
                .values(created_at=moment, updated_at=moment)
            )
        # A bulk UPDATE sets updated_at to now unless given (onupdate).
        session.execute(
            update(Encounter)
            .where(Encounter.patient_id == patient_id)
            .values(occurred_at=moment, updated_at=moment)
        )


def test_the_same_day_years_later_and_29_february_becomes_28() -> None:
    assert add_years(date(2021, 3, 10), 5) == date(2026, 3, 10)
    assert add_years(date(2024, 2, 29), 5) == date(2029, 2, 28)
    assert add_years(date(2024, 2, 29), 4) == date(2028, 2, 29)


def test_a_patient_without_activity_counts_from_creation_on_29_february(demo, owner, maria):
    age_records(demo, maria.id, local_noon(demo, date(2024, 2, 29)))
    status = retention_status(
        demo.db.uow(), actor=owner, patient_id=maria.id, today=date(2029, 2, 27)
    )
    assert status.last_activity == date(2024, 2, 29)
    assert status.eligible_from == date(2029, 2, 28) and status.retention_years == 5
    assert not status.eligible and not status.archived and status.anonymised_at is None
    on_the_day = retention_status(
        demo.db.uow(), actor=owner, patient_id=maria.id, today=date(2029, 2, 28)
    )
    assert on_the_day.eligible


def test_the_latest_clinical_activity_of_any_kind_counts(demo, owner, maria) -> None:
    uow = demo.db.uow
    doctor = actor(demo, "medico")
    add_allergy(uow(), actor=doctor, patient_id=maria.id, form=AllergyForm(substance="Penicilina"))
    start_encounter(uow(), actor=doctor, patient_id=maria.id)
    age_records(demo, maria.id, local_noon(demo, date(2015, 5, 4)))
    status = retention_status(uow(), actor=owner, patient_id=maria.id)
    assert status.last_activity == date(2015, 5, 4) and status.eligible_from == date(2020, 5, 4)
    assert status.eligible
    # An allergy edited later moves the date on, though the allergy itself is old.
    with uow().transaction(SYSTEM) as session:
        session.execute(
            update(Allergy)
            .where(Allergy.patient_id == maria.id)
            .values(updated_at=local_noon(demo, date(2019, 8, 1)))
        )
    status = retention_status(uow(), actor=owner, patient_id=maria.id)
    assert status.last_activity == date(2019, 8, 1) and status.eligible_from == date(2024, 8, 1)
    # A booked appointment ahead is activity to come: no anonymising before five years past it.
    seed = _seed(demo)
    monday = _next_monday()
    book_appointment(
        uow(),
        actor=SYSTEM,
        patient_id=maria.id,
        practitioner_id=seed.doctor,
        start=seed.at(monday, 10),
        minutes=30,
    )
    status = retention_status(uow(), actor=owner, patient_id=maria.id)
    assert status.last_activity == monday and status.eligible_from == add_years(monday, 5)
    assert not status.eligible


def _seed(demo):
    from support.agenda_data import seed_agenda

    return seed_agenda(demo.db)


def _next_monday() -> date:
    from support.agenda_data import next_monday

    return next_monday()


def test_within_the_retention_period_nothing_changes(demo, owner, maria) -> None:
    archive(demo, maria.id)
    before = get_patient(demo.db.uow(), actor=SYSTEM, patient_id=maria.id)
    seq = last_seq(demo)
    with pytest.raises(InvalidTransition) as caught:
        anonymise_patient(
            demo.db.uow(), actor=owner, patient_id=maria.id, confirm_chart_number=maria.chart_number
        )
    until = retention_status(demo.db.uow(), actor=owner, patient_id=maria.id).eligible_from
    assert until == add_years(datetime.now(clinic_zone_of(demo)).date(), 5)
    assert f"{until:%B} {until.day}, {until.year}" in caught.value.message
    assert "5 years" in caught.value.message
    assert get_patient(demo.db.uow(), actor=SYSTEM, patient_id=maria.id) == before
    assert audit_since(demo, seq) == []
    assert [
        h.id for h in search_patients(demo.db.uow(), actor=SYSTEM, text="quishpe", archived=True)
    ] == [maria.id]


def test_a_mistyped_chart_number_changes_nothing(demo, owner, maria) -> None:
    archive(demo, maria.id)
    before = get_patient(demo.db.uow(), actor=SYSTEM, patient_id=maria.id)
    seq = last_seq(demo)
    with pytest.raises(ValidationError) as caught:
        anonymise_patient(
            demo.db.uow(),
            actor=owner,
            patient_id=maria.id,
            confirm_chart_number=maria.chart_number + 1,
            today=LATER,
        )
    assert caught.value.field == "confirm_chart_number"
    assert str(maria.chart_number) in caught.value.message
    assert get_patient(demo.db.uow(), actor=SYSTEM, patient_id=maria.id) == before
    assert audit_since(demo, seq) == []


def test_only_an_archived_patient_and_only_once(demo, owner, maria) -> None:
    uow = demo.db.uow
    with pytest.raises(InvalidTransition, match="archive the patient first"):
        anonymise_patient(
            uow(),
            actor=owner,
            patient_id=maria.id,
            confirm_chart_number=maria.chart_number,
            today=LATER,
        )
    assert get_patient(uow(), actor=SYSTEM, patient_id=maria.id).first_names == "María José"
    archive(demo, maria.id)
    anonymise_patient(
        uow(),
        actor=owner,
        patient_id=maria.id,
        confirm_chart_number=maria.chart_number,
        today=LATER,
    )
    seq = last_seq(demo)
    with pytest.raises(InvalidTransition, match="already anonymised"):
        anonymise_patient(
            uow(),
            actor=owner,
            patient_id=maria.id,
            confirm_chart_number=maria.chart_number,
            today=LATER,
        )
    assert audit_since(demo, seq) == []


@pytest.mark.parametrize("username", ["recepcion", "medico", "asistente", "soporte"])
def test_only_the_owner_may_anonymise_or_see_the_status(demo, maria, username) -> None:
    archive(demo, maria.id)
    who = actor(demo, username)
    before = get_patient(demo.db.uow(), actor=SYSTEM, patient_id=maria.id)
    with pytest.raises(PermissionDenied):
        anonymise_patient(
            demo.db.uow(),
            actor=who,
            patient_id=maria.id,
            confirm_chart_number=maria.chart_number,
            today=LATER,
        )
    with pytest.raises(PermissionDenied):
        retention_status(demo.db.uow(), actor=who, patient_id=maria.id)
    assert get_patient(demo.db.uow(), actor=SYSTEM, patient_id=maria.id) == before


def _full_record(demo, maria) -> dict[str, uuid.UUID]:
    """Maria with a consent note, a photo, two documents (one in the trash), an allergy and an
    appointment with a note, archived."""
    uow = demo.db.uow
    doctor = actor(demo, "medico")
    record_consent(
        uow(),
        actor=SYSTEM,
        patient_id=maria.id,
        kind="reminders_sms",
        granted=True,
        note="Dado por teléfono; avisar también a su hija Lucía",
    )
    set_patient_photo(uow(), actor=SYSTEM, patient_id=maria.id, data=png_bytes(5))
    kept = attach_document(
        uow(),
        actor=doctor,
        patient_id=maria.id,
        file_name="maria_quishpe_cedula.pdf",
        data=pdf_bytes("IDENTIDAD"),
        category="other",
        document_date=date(2026, 1, 15),
        description="Copia de la cédula",
    )
    binned = attach_document(
        uow(),
        actor=doctor,
        patient_id=maria.id,
        file_name="radiografia.png",
        data=png_bytes(9),
        category="imaging",
        document_date=date(2026, 1, 15),
        description="Radiografía de tórax",
    )
    remove_document(uow(), actor=doctor, document_id=binned.id, reason="Duplicada")
    add_allergy(uow(), actor=doctor, patient_id=maria.id, form=AllergyForm(substance="Látex"))
    seed = _seed(demo)
    booked = book_appointment(
        uow(),
        actor=SYSTEM,
        patient_id=maria.id,
        practitioner_id=seed.doctor,
        start=seed.at(_next_monday(), 9),
        minutes=30,
        reason="Control",
        notes="Llamar a su hija Lucía al 0998887766",
    )
    archive(demo, maria.id)
    return {"kept": kept.id, "binned": binned.id, "appointment": booked.id}


def test_anonymising_erases_the_identity_and_keeps_the_clinical_record(demo, owner, maria):
    uow = demo.db.uow
    ids = _full_record(demo, maria)
    result = anonymise_patient(
        uow(),
        actor=owner,
        patient_id=maria.id,
        confirm_chart_number=maria.chart_number,
        today=LATER,
    )
    assert result.documents_erased == 2 and result.photo_erased
    patient = get_patient(uow(), actor=SYSTEM, patient_id=maria.id)
    assert result.patient == patient
    assert (patient.first_names, patient.last_names) == ("Anonimizado", f"#{maria.chart_number}")
    assert patient.id_type == "none" and patient.birth_date == date(1984, 1, 1)
    for key in (
        "id_number", "phone", "mobile_phone", "email", "address", "emergency_contact",
        "emergency_phone", "payer", "referral_source",
    ):  # fmt: skip
        assert getattr(patient, key) is None, key
    assert patient.reminder_channel == "none" and not patient.reminder_consent
    assert patient.sex == "F" and patient.archived_at is not None
    assert patient.anonymised_at is not None
    [row] = stored(demo, Patient, id=maria.id)
    assert (
        row.anonymised_by == owner.user_id
        and row.search_name == f"anonimizado #{maria.chart_number}"
    )

    # The search index forgets the old name, ID number and phones.
    for text in ("maria quishpe", "quishpe", "1710034065", "0987654321", "022345678", "andrango"):
        for archived in (True, False):
            assert search_patients(uow(), actor=SYSTEM, text=text, archived=archived) == [], text
    terms = {t.term for t in stored(demo, PatientSearchTerm, patient_id=maria.id)}
    assert terms == {"anonimizado", str(maria.chart_number)}
    assert anonymised_among(uow(), actor=SYSTEM, patient_ids=[maria.id]) == {maria.id}

    # The documents' details stay (file names made neutral); their bytes are gone.
    doctor = actor(demo, "medico")
    [kept] = list_documents(uow(), actor=doctor, patient_id=maria.id)
    assert kept.id == ids["kept"] and kept.description == "Copia de la cédula"
    assert kept.file_name == "document-1.pdf" and kept.size_bytes > 0
    with pytest.raises(NotFound, match="erased when the patient was anonymised"):
        open_document(uow(), actor=doctor, document_id=kept.id)
    contents = stored(demo, DocumentContent)
    mine = [c for c in contents if c.document_id in (ids["kept"], ids["binned"])]
    assert len(mine) == 2 and all(c.data == b"" for c in mine)
    assert all(c.data for c in contents if c not in mine)  # other patients' files untouched

    # The photo is wiped, and restoring it from the trash brings nothing back.
    assert get_patient_photo(uow(), actor=SYSTEM, patient_id=maria.id) is None
    [photo] = stored(demo, PatientPhoto, patient_id=maria.id)
    assert photo.is_deleted and photo.data == b"" and photo.sha256 == ""
    restore_record(uow(), actor=SYSTEM, entity="PatientPhoto", entity_id=str(photo.id))
    assert get_patient_photo(uow(), actor=SYSTEM, patient_id=maria.id) is None

    # Consents stay as evidence, without their notes; so do the allergy and the appointment.
    [consent] = list_consents(uow(), actor=SYSTEM, patient_id=maria.id)
    assert consent.kind == "reminders_sms" and consent.granted and consent.note == ""
    [allergy] = stored(demo, Allergy, patient_id=maria.id)
    assert allergy.substance == "Látex"
    [appointment] = stored(demo, Appointment, id=ids["appointment"])
    assert appointment.notes == "" and appointment.reason == "Control"


def test_the_audit_trail_records_it_without_the_erased_values(demo, owner, maria) -> None:
    _full_record(demo, maria)
    seq = last_seq(demo)
    anonymise_patient(
        demo.db.uow(),
        actor=owner,
        patient_id=maria.id,
        confirm_chart_number=maria.chart_number,
        today=LATER,
    )
    entries = audit_since(demo, seq)
    assert entries and all(e.user_id == owner.user_id for e in entries)
    [summary] = [e for e in entries if e.action == "patient.anonymised"]
    assert summary.entity_id == str(maria.id)
    assert json.loads(summary.changes)["documents_erased"] == 2
    [change] = [e for e in entries if e.action == "update" and e.entity == "Patient"]
    fields = json.loads(change.changes)
    assert fields["first_names"] == {"old": "***", "new": "Anonimizado"}
    assert fields["id_number"] == {"old": "***", "new": None}
    assert fields["birth_date"] == {"old": "***", "new": "1984-01-01"}
    assert {e.entity for e in entries} >= {
        "Patient",
        "PatientConsent",
        "PatientDocument",
        "Appointment",
    }
    for entry in entries:
        for secret in SECRETS:
            assert secret not in entry.changes, (secret, entry.action, entry.entity)
    assert verify_audit_chain(demo.db.uow(), actor=owner).ok


def test_an_anonymised_patient_can_no_longer_be_changed(demo, owner, maria) -> None:
    uow = demo.db.uow
    archive(demo, maria.id)
    anonymise_patient(
        uow(),
        actor=owner,
        patient_id=maria.id,
        confirm_chart_number=maria.chart_number,
        today=LATER,
    )
    before = get_patient(uow(), actor=SYSTEM, patient_id=maria.id)
    doctor = actor(demo, "medico")
    attempts = [
        lambda: update_patient(
            uow(), actor=owner, patient_id=maria.id, expected_version=before.version, form=MARIA
        ),
        lambda: set_archived(uow(), actor=owner, patient_id=maria.id, archived=False),
        lambda: record_consent(
            uow(), actor=owner, patient_id=maria.id, kind="data_processing", granted=True
        ),
        lambda: set_patient_photo(uow(), actor=owner, patient_id=maria.id, data=png_bytes(3)),
        lambda: remove_patient_photo(uow(), actor=owner, patient_id=maria.id),
        lambda: attach_document(
            uow(),
            actor=doctor,
            patient_id=maria.id,
            file_name="nuevo.pdf",
            data=pdf_bytes("NUEVO"),
            category="other",
            document_date=date(2026, 1, 15),
        ),
        # Nothing is added to the clinical record either.
        lambda: add_allergy(
            uow(), actor=doctor, patient_id=maria.id, form=AllergyForm(substance="Látex")
        ),
        lambda: start_encounter(uow(), actor=doctor, patient_id=maria.id),
    ]
    seq = last_seq(demo)
    for attempt in attempts:
        with pytest.raises(InvalidTransition, match="anonymised"):
            attempt()
    assert audit_since(demo, seq) == []
    assert get_patient(uow(), actor=SYSTEM, patient_id=maria.id) == before
    assert list_consents(uow(), actor=SYSTEM, patient_id=maria.id) == []
    assert list_documents(uow(), actor=doctor, patient_id=maria.id) == []


def test_list_pages_follow_each_other_without_gaps_or_repeats(demo) -> None:
    uow = demo.db.uow
    everyone, total = list_patients(uow(), actor=SYSTEM, limit=100)
    assert total == len(everyone) == 20
    from clinic_desktop.services.patient_admin import PatientPageKey

    pages: list = []
    after = None
    while True:
        page, page_total = list_patients(uow(), actor=SYSTEM, limit=6, after=after)
        assert page_total == 20
        if not page:
            break
        pages += page
        after = PatientPageKey.after(page[-1])
    assert [p.id for p in pages] == [p.id for p in everyone]
    assert [p.id for p in list_patients(uow(), actor=SYSTEM, limit=6, offset=6)[0]] == [
        p.id for p in everyone[6:12]
    ]
