"""Clinical notes on the real demo clinic: drafts with vital signs, signing and what a signature
freezes (the service's message and the mapper guard behind it), addenda, amended versions and
the superseded original, the implausible-vitals confirmation, refusals that change nothing,
who may read and write, the audit entries every opening writes, and "Start consultation"."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import event, select
from support.agenda_data import next_monday, seed_agenda

from clinic_desktop.actor import Actor
from clinic_desktop.errors import (
    ConcurrentEditError,
    InvalidTransition,
    PermissionDenied,
    ValidationError,
)
from clinic_desktop.models.audit import AuditEntry
from clinic_desktop.models.encounter import Encounter, SignedNoteChanged
from clinic_desktop.services.appointments import book_appointment
from clinic_desktop.services.auth import sign_in
from clinic_desktop.services.demo import DEMO_PASSWORD
from clinic_desktop.services.encounters import (
    EncounterForm,
    ImplausibleVitals,
    add_addendum,
    amend_encounter,
    discard_draft,
    get_encounter,
    list_encounters,
    open_appointment_note,
    save_encounter,
    sign_encounter,
    start_encounter,
)
from clinic_desktop.services.note_templates import TemplateForm, save_template

SYSTEM = Actor.system("tests")
WHEN = datetime(2026, 3, 9, 15, 30, tzinfo=UTC)
FORM = EncounterForm(
    chief_complaint="Dolor de garganta y fiebre de 3 días",
    subjective="Odinofagia intensa, sin tos.\nNo alergias conocidas.",
    objective="Amígdalas hipertróficas con exudado.",
    assessment="Faringoamigdalitis aguda\nProbable origen bacteriano",
    plan="Amoxicilina 500 mg cada 8 h por 10 días.",
    temperature_c="38,4",
    heart_rate="96",
    systolic_bp="118",
    diastolic_bp="76",
    spo2=Decimal("98"),
    weight_kg="71.5",
)


def actor(demo, username: str) -> Actor:
    user = sign_in(demo.db.uow(), username=username, password=DEMO_PASSWORD)
    return Actor.for_user(user.id, user.username)


def first_patient(demo):
    from clinic_desktop.models.patient import Patient

    with demo.db.uow().transaction(SYSTEM) as session:
        return session.scalars(select(Patient.id).order_by(Patient.chart_number)).first()


def reads(demo, what: str) -> list[AuditEntry]:
    with demo.db.uow().transaction(SYSTEM) as session:
        rows = session.scalars(
            select(AuditEntry).where(AuditEntry.action == "read").order_by(AuditEntry.seq)
        ).all()
        return [r for r in rows if f'"what": "{what}"' in r.changes]


def save(demo, who: Actor, note, form: EncounterForm, **kw):
    """Saves `form` over the note at the version `note` was read with."""
    return save_encounter(
        demo.db.uow(),
        actor=who,
        encounter_id=note.id,
        expected_version=note.version,
        form=form,
        **kw,
    )


def sign(demo, who: Actor, note):
    return sign_encounter(
        demo.db.uow(), actor=who, encounter_id=note.id, expected_version=note.version
    )


def draft(demo, doctor: Actor, form: EncounterForm = FORM, **kw):
    patient = first_patient(demo)
    note = start_encounter(demo.db.uow(), actor=doctor, patient_id=patient, now=WHEN, **kw)
    return save(demo, doctor, note, form)


def signed(demo, doctor: Actor, form: EncounterForm = FORM):
    return sign(demo, doctor, draft(demo, doctor, form))


def test_a_draft_keeps_text_and_vitals_as_typed_and_signing_freezes_it(demo):
    doctor = actor(demo, "medico")
    note = draft(demo, doctor)
    again = get_encounter(demo.db.uow(), actor=doctor, encounter_id=note.id)
    assert again.is_draft and again.author_name == "Dr. Andrés Paredes"
    assert again.occurred_at == WHEN
    assert again.vitals["temperature_c"] == Decimal("38.4")
    assert again.vitals["spo2"] == Decimal("98") and again.vitals["height_cm"] is None
    assert again.subjective.splitlines()[1] == "No alergias conocidas."

    done = sign(demo, doctor, again)
    assert done.is_signed and done.signed_by_name == "Dr. Andrés Paredes"
    assert done.signed_at is not None

    with pytest.raises(InvalidTransition) as refused:
        save(demo, doctor, done, EncounterForm(chief_complaint="cambiado"))
    assert "signed and cannot be edited" in refused.value.message
    with pytest.raises(InvalidTransition):
        sign(demo, doctor, done)
    with pytest.raises(InvalidTransition):
        discard_draft(demo.db.uow(), actor=doctor, encounter_id=note.id)
    after = get_encounter(demo.db.uow(), actor=doctor, encounter_id=note.id)
    assert after.chief_complaint == FORM.chief_complaint and after.version == done.version


def test_the_mapper_guard_refuses_a_signed_note_changed_behind_the_services(demo):
    doctor = actor(demo, "medico")
    note = signed(demo, doctor)
    with pytest.raises(SignedNoteChanged), demo.db.uow().transaction(SYSTEM) as session:
        session.get(Encounter, note.id).plan = "Reescrito a escondidas"
        session.flush()
    assert get_encounter(demo.db.uow(), actor=doctor, encounter_id=note.id).plan == FORM.plan


def test_signing_needs_a_complaint_or_an_assessment_and_no_unanswered_prompt(demo):
    doctor = actor(demo, "medico")
    empty = draft(demo, doctor, EncounterForm(plan="Control en una semana"))
    with pytest.raises(ValidationError) as refused:
        sign(demo, doctor, empty)
    assert refused.value.field == "chief_complaint"
    prompted = draft(
        demo, doctor, EncounterForm(chief_complaint="Cefalea", plan="Volver en [[¿Cuántos días?]]")
    )
    with pytest.raises(ValidationError) as left:
        sign(demo, doctor, prompted)
    assert left.value.field == "plan" and "¿Cuántos días?" in left.value.message
    again = get_encounter(demo.db.uow(), actor=doctor, encounter_id=prompted.id)
    assert again.is_draft and again.version == prompted.version
    assert again.prompts_left() == {"plan": ["¿Cuántos días?"]}


def test_only_the_author_changes_signs_or_discards_a_draft(demo):
    author, colleague = actor(demo, "medico"), actor(demo, "odontologa")
    note = draft(demo, author)
    for attempt in (
        lambda: save(demo, colleague, note, EncounterForm(chief_complaint="Otra cosa")),
        lambda: sign(demo, colleague, note),
        lambda: discard_draft(demo.db.uow(), actor=colleague, encounter_id=note.id),
    ):
        with pytest.raises(PermissionDenied) as refused:
            attempt()
        assert "Dr. Andrés Paredes" in refused.value.message
    again = get_encounter(demo.db.uow(), actor=colleague, encounter_id=note.id)
    assert again.is_draft and again.version == note.version
    assert again.chief_complaint == FORM.chief_complaint


def test_a_stale_version_is_refused_and_nothing_is_overwritten(demo):
    doctor = actor(demo, "medico")
    note = draft(demo, doctor)
    with pytest.raises(ConcurrentEditError):
        save_encounter(
            demo.db.uow(),
            actor=doctor,
            encounter_id=note.id,
            expected_version=note.version - 1,
            form=EncounterForm(chief_complaint="Versión vieja"),
        )
    assert get_encounter(demo.db.uow(), actor=doctor, encounter_id=note.id).chief_complaint == (
        FORM.chief_complaint
    )


def test_implausible_vitals_are_saved_only_once_confirmed(demo):
    doctor = actor(demo, "medico")
    note = draft(demo, doctor)
    unusual = EncounterForm(
        chief_complaint="Fiebre alta",
        temperature_c="42,3",
        heart_rate="190",
        systolic_bp="120",
        diastolic_bp="80",
    )
    with pytest.raises(ImplausibleVitals) as asked:
        save(demo, doctor, note, unusual)
    assert asked.value.field == "heart_rate"  # the first unusual one, in the editor's order
    assert len(asked.value.problems) == 2
    assert any("42.3 °C" in p and "34–41.5" in p for p in asked.value.problems)
    unchanged = get_encounter(demo.db.uow(), actor=doctor, encounter_id=note.id)
    assert unchanged.version == note.version and unchanged.vitals["temperature_c"] == Decimal(
        "38.4"
    )

    saved = save(demo, doctor, note, unusual, confirm_implausible=True)
    assert saved.vitals["temperature_c"] == Decimal("42.3")
    assert saved.vitals["heart_rate"] == Decimal("190")


def test_a_diastolic_not_below_the_systolic_is_asked_about(demo):
    doctor = actor(demo, "medico")
    note = draft(demo, doctor)
    with pytest.raises(ImplausibleVitals) as asked:
        save(demo, doctor, note, EncounterForm(systolic_bp="90", diastolic_bp="95"))
    assert asked.value.field == "diastolic_bp" and "90/95" in asked.value.problems[0]


@pytest.mark.parametrize(
    ("vitals", "field", "words"),
    [
        ({"temperature_c": "50"}, "temperature_c", "Temperature: must be between 25 and 45 °C."),
        ({"heart_rate": "setenta"}, "heart_rate", "Heart rate: type a number in /min."),
        ({"temperature_c": "36.85"}, "temperature_c", "Temperature: at most one decimal."),
        ({"systolic_bp": "120.5"}, "systolic_bp", "Systolic BP: whole numbers only."),
        ({"spo2": Decimal("101")}, "spo2", "SpO₂: must be between 30 and 100 %."),
    ],
)
def test_impossible_vitals_are_refused_even_when_confirmed(demo, vitals, field, words):
    doctor = actor(demo, "medico")
    note = draft(demo, doctor)
    with pytest.raises(ValidationError) as refused:
        save(
            demo,
            doctor,
            note,
            EncounterForm(chief_complaint="Cambio que no debe quedar", **vitals),
            confirm_implausible=True,
        )
    assert refused.value.field == field and refused.value.message == words
    again = get_encounter(demo.db.uow(), actor=doctor, encounter_id=note.id)
    assert again.version == note.version and again.chief_complaint == FORM.chief_complaint


def test_texts_longer_than_their_field_allows_are_refused_by_name(demo):
    doctor = actor(demo, "medico")
    note = draft(demo, doctor)
    with pytest.raises(ValidationError) as refused:
        save(demo, doctor, note, EncounterForm(chief_complaint="x" * 501))
    assert refused.value.field == "chief_complaint" and "Chief complaint" in refused.value.message


def test_addenda_go_on_signed_notes_with_who_and_when(demo):
    doctor, colleague = actor(demo, "medico"), actor(demo, "odontologa")
    note = draft(demo, doctor)
    with pytest.raises(InvalidTransition):
        add_addendum(demo.db.uow(), actor=doctor, encounter_id=note.id, text="Nota")
    note = sign(demo, doctor, note)
    with pytest.raises(ValidationError) as empty:
        add_addendum(demo.db.uow(), actor=doctor, encounter_id=note.id, text="   ")
    assert empty.value.field == "addendum"
    add_addendum(
        demo.db.uow(), actor=doctor, encounter_id=note.id, text="Cultivo faríngeo positivo."
    )
    with_two = add_addendum(
        demo.db.uow(), actor=colleague, encounter_id=note.id, text="Revisado en interconsulta."
    )
    assert [a.text for a in with_two.addenda] == [
        "Cultivo faríngeo positivo.",
        "Revisado en interconsulta.",
    ]
    assert [a.author_name for a in with_two.addenda] == [
        "Dr. Andrés Paredes",
        "Dra. Valeria Cedeño",
    ]
    assert with_two.is_signed and with_two.version == note.version  # the note itself untouched
    row = next(
        r
        for r in list_encounters(demo.db.uow(), actor=doctor, patient_id=note.patient_id)
        if r.id == note.id
    )
    assert row.addenda_count == 2


def test_an_amended_version_supersedes_the_original_which_stays_readable(demo):
    doctor = actor(demo, "medico")
    original = signed(demo, doctor)
    with pytest.raises(ValidationError) as no_reason:
        amend_encounter(demo.db.uow(), actor=doctor, encounter_id=original.id, reason=" ")
    assert no_reason.value.field == "amendment_reason"

    amended = amend_encounter(
        demo.db.uow(), actor=doctor, encounter_id=original.id, reason="Dosis equivocada"
    )
    assert amended.is_draft and amended.amends_id == original.id
    assert amended.amendment_reason == "Dosis equivocada"
    assert amended.plan == original.plan and amended.vitals == original.vitals
    assert amended.occurred_at == original.occurred_at and amended.number == 2
    # Asking again while the correction is a draft gives the same draft.
    again = amend_encounter(demo.db.uow(), actor=doctor, encounter_id=original.id, reason="Otra")
    assert again.id == amended.id
    still = get_encounter(demo.db.uow(), actor=doctor, encounter_id=original.id)
    assert not still.superseded and still.correction is not None and not still.correction.is_signed

    fixed = save(demo, doctor, amended, replace(FORM, plan="Amoxicilina 875 mg cada 12 h."))
    fixed = sign(demo, doctor, fixed)
    old = get_encounter(demo.db.uow(), actor=doctor, encounter_id=original.id)
    assert old.superseded and old.badge == "amended" and old.plan == FORM.plan
    assert old.correction is not None and old.correction.id == fixed.id
    assert old.correction.signed_by_name == "Dr. Andrés Paredes"
    assert fixed.original is not None and fixed.original.id == original.id
    assert [v.number for v in fixed.versions] == [1, 2]

    rows = {
        r.id: r for r in list_encounters(demo.db.uow(), actor=doctor, patient_id=old.patient_id)
    }
    assert rows[original.id].superseded and rows[original.id].badge == "amended"
    assert not rows[fixed.id].superseded and rows[fixed.id].amends_id == original.id

    with pytest.raises(InvalidTransition) as twice:
        amend_encounter(demo.db.uow(), actor=doctor, encounter_id=original.id, reason="Otra vez")
    assert "version 2" in twice.value.message
    third = amend_encounter(demo.db.uow(), actor=doctor, encounter_id=fixed.id, reason="Más")
    assert third.number == 3 and third.amends_id == fixed.id


def test_a_discarded_draft_leaves_the_list(demo):
    doctor = actor(demo, "medico")
    note = draft(demo, doctor)
    discard_draft(demo.db.uow(), actor=doctor, encounter_id=note.id)
    ids = [r.id for r in list_encounters(demo.db.uow(), actor=doctor, patient_id=note.patient_id)]
    assert note.id not in ids
    with pytest.raises(Exception) as gone:
        get_encounter(demo.db.uow(), actor=doctor, encounter_id=note.id)
    assert "no longer exists" in str(gone.value)


def test_reception_sees_no_note_and_the_assistant_reads_without_writing(demo):
    doctor = actor(demo, "medico")
    note = signed(demo, doctor)
    patient = note.patient_id
    before = len(reads(demo, "notes"))
    reception = actor(demo, "recepcion")
    with pytest.raises(PermissionDenied):
        list_encounters(demo.db.uow(), actor=reception, patient_id=patient)
    with pytest.raises(PermissionDenied):
        get_encounter(demo.db.uow(), actor=reception, encounter_id=note.id)
    with pytest.raises(PermissionDenied):
        start_encounter(demo.db.uow(), actor=reception, patient_id=patient)
    assert len(reads(demo, "notes")) == before  # a refusal opens nothing

    assistant = actor(demo, "asistente")
    assert note.id in [
        r.id for r in list_encounters(demo.db.uow(), actor=assistant, patient_id=patient)
    ]
    assert get_encounter(demo.db.uow(), actor=assistant, encounter_id=note.id).plan == FORM.plan
    count = len(list_encounters(demo.db.uow(), actor=doctor, patient_id=patient))
    for attempt in (
        lambda: start_encounter(demo.db.uow(), actor=assistant, patient_id=patient),
        lambda: add_addendum(demo.db.uow(), actor=assistant, encounter_id=note.id, text="x"),
        lambda: amend_encounter(demo.db.uow(), actor=assistant, encounter_id=note.id, reason="x"),
    ):
        with pytest.raises(PermissionDenied):
            attempt()
    assert len(list_encounters(demo.db.uow(), actor=doctor, patient_id=patient)) == count
    assert get_encounter(demo.db.uow(), actor=doctor, encounter_id=note.id).addenda == ()


def test_every_opening_writes_a_read_entry(demo):
    doctor = actor(demo, "medico")
    note = draft(demo, doctor)
    list_before, note_before = len(reads(demo, "notes")), len(reads(demo, "note"))
    list_encounters(demo.db.uow(), actor=doctor, patient_id=note.patient_id)
    get_encounter(demo.db.uow(), actor=doctor, encounter_id=note.id)
    listed = reads(demo, "notes")
    opened = reads(demo, "note")
    assert len(listed) == list_before + 1 and len(opened) == note_before + 1
    assert listed[-1].entity_id == str(note.patient_id) and listed[-1].user_name == "medico"
    assert opened[-1].entity == "Encounter" and opened[-1].entity_id == str(note.id)


def test_the_note_text_never_reaches_the_audit_trail_in_clear(demo):
    doctor = actor(demo, "medico")
    signed(demo, doctor)
    with demo.db.uow().transaction(SYSTEM) as session:
        changes = " ".join(session.scalars(select(AuditEntry.changes)))
    assert "Faringoamigdalitis" not in changes and "Amoxicilina" not in changes


def test_start_consultation_opens_the_same_note_and_follows_corrections(demo):
    seed = seed_agenda(demo.db)
    start = seed.at(next_monday(), 10)
    appointment = book_appointment(
        demo.db.uow(),
        actor=SYSTEM,
        patient_id=seed.patients[2],
        practitioner_id=seed.doctor,
        start=start,
        minutes=30,
        type_id=seed.consult,
        override_reason="tests",
    )
    doctor = actor(demo, "medico")
    with pytest.raises(PermissionDenied):
        open_appointment_note(
            demo.db.uow(), actor=actor(demo, "recepcion"), appointment_id=appointment.id
        )
    note = open_appointment_note(demo.db.uow(), actor=doctor, appointment_id=appointment.id)
    assert note.is_draft and note.appointment_id == appointment.id
    assert note.patient_id == seed.patients[2] and note.occurred_at == start
    assert note.appointment is not None
    assert note.appointment.practitioner_name == "Dr. Andrés Paredes"
    assert note.appointment.type_name == "Consulta"
    opened = len(reads(demo, "note"))
    again = open_appointment_note(demo.db.uow(), actor=doctor, appointment_id=appointment.id)
    assert again.id == note.id
    assert len(reads(demo, "note")) == opened + 1  # opening it again is a reading
    rows = list_encounters(demo.db.uow(), actor=doctor, patient_id=seed.patients[2])
    assert [r.id for r in rows].count(note.id) == 1
    assert rows[0].practitioner_name == "Dr. Andrés Paredes" and rows[0].appointment_start == start

    sign(demo, doctor, save(demo, doctor, note, FORM))
    amended = amend_encounter(demo.db.uow(), actor=doctor, encounter_id=note.id, reason="Error")
    current = open_appointment_note(demo.db.uow(), actor=doctor, appointment_id=appointment.id)
    assert current.id == amended.id and current.appointment_id == appointment.id


def test_a_template_prefills_the_new_note_with_the_answers(demo):
    doctor = actor(demo, "medico")
    template = save_template(
        demo.db.uow(),
        actor=doctor,
        template_id=None,
        expected_version=None,
        form=TemplateForm(
            name="Control de hipertensión (prueba de servicio)",
            chief_complaint="Control de HTA",
            subjective="Toma [[¿Qué antihipertensivo?]] desde hace [[¿Cuántos meses?]] meses.",
            plan="Control en [[¿Cuántas semanas?]] semanas.",
        ),
    )
    note = start_encounter(
        demo.db.uow(),
        actor=doctor,
        patient_id=first_patient(demo),
        template_id=template.id,
        answers={"¿Qué antihipertensivo?": "enalapril 10 mg", "¿Cuántas semanas?": "4"},
    )
    assert note.template_id == template.id and note.chief_complaint == "Control de HTA"
    assert note.subjective == "Toma enalapril 10 mg desde hace [[¿Cuántos meses?]] meses."
    assert note.plan == "Control en 4 semanas."
    assert note.prompts_left() == {"subjective": ["¿Cuántos meses?"]}


def test_the_chart_list_costs_the_same_few_queries_for_few_or_many_notes(demo):
    doctor = actor(demo, "medico")
    patient = first_patient(demo)
    statements: list[str] = []

    def count(*args, **kwargs):
        statements.append(args[2])

    def listing() -> int:
        statements.clear()
        event.listen(demo.db.engine, "before_cursor_execute", count)
        try:
            rows = list_encounters(demo.db.uow(), actor=doctor, patient_id=patient)
        finally:
            event.remove(demo.db.engine, "before_cursor_execute", count)
        return len(rows)

    signed(demo, doctor)
    few = listing()
    few_queries = len(statements)
    for n in range(25):
        note = start_encounter(
            demo.db.uow(), actor=doctor, patient_id=patient, now=WHEN + timedelta(days=n)
        )
        if n % 3 == 0:
            note = sign(demo, doctor, save(demo, doctor, note, FORM))
            add_addendum(demo.db.uow(), actor=doctor, encounter_id=note.id, text="Adenda")
    many = listing()
    assert many == few + 25
    assert len(statements) == few_queries <= 12
    rows = list_encounters(demo.db.uow(), actor=doctor, patient_id=patient)
    assert [r.occurred_at for r in rows] == sorted((r.occurred_at for r in rows), reverse=True)
    dated = [r.occurred_at for r in rows if WHEN <= r.occurred_at <= WHEN + timedelta(days=24)]
    assert dated[0] == WHEN + timedelta(days=24) and dated[-1] == WHEN
