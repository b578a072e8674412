"""Note templates on the real demo clinic: who sees and who changes clinic-wide and personal
templates (clinic-wide ones need clinical.sign), names required and unique among what a doctor
sees, deactivation, stale versions, and the `[[question]]` prompts found and filled."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from clinic_desktop.actor import Actor
from clinic_desktop.errors import ConcurrentEditError, PermissionDenied, ValidationError
from clinic_desktop.models.patient import Patient
from clinic_desktop.services.auth import sign_in
from clinic_desktop.services.demo import DEMO_PASSWORD
from clinic_desktop.services.encounters import start_encounter
from clinic_desktop.services.note_templates import (
    TemplateForm,
    fill_template,
    find_prompts,
    get_template,
    list_templates,
    save_template,
    set_template_active,
)
from clinic_desktop.services.users import set_grant

SYSTEM = Actor.system("tests")
CONTROL = TemplateForm(
    name="Control de diabetes (prueba)",
    chief_complaint="Control de diabetes tipo 2",
    subjective="Glucemias en casa: [[¿Glucemia en ayunas?]] mg/dL. Dieta: [[¿Cumple la dieta?]]",
    objective="Pie diabético: [[¿Pulsos pedios?]].",
    plan="HbA1c en 3 meses. Volver en [[¿Cumple la dieta?]]",
)


def actor(demo, username: str) -> Actor:
    user = sign_in(demo.db.uow(), username=username, password=DEMO_PASSWORD)
    return Actor.for_user(user.id, user.username)


def save(demo, who: Actor, form: TemplateForm, template=None):
    return save_template(
        demo.db.uow(),
        actor=who,
        template_id=template.id if template else None,
        expected_version=template.version if template else None,
        form=form,
    )


def names(demo, who: Actor, **kw) -> list[str]:
    return [t.name for t in list_templates(demo.db.uow(), actor=who, **kw)]


def test_a_personal_template_is_its_doctors_and_the_clinic_owner_sees_it(demo):
    medico, odontologa, owner = (actor(demo, u) for u in ("medico", "odontologa", "duena"))
    mine = save(demo, medico, CONTROL)
    assert not mine.clinic_wide and mine.owner_name == "Dr. Andrés Paredes" and mine.editable
    assert CONTROL.name in names(demo, medico)
    assert CONTROL.name not in names(demo, odontologa)
    assert CONTROL.name in names(demo, owner)
    with pytest.raises(Exception) as hidden:
        get_template(demo.db.uow(), actor=odontologa, template_id=mine.id)
    assert "no longer exists" in str(hidden.value)
    as_owner = get_template(demo.db.uow(), actor=owner, template_id=mine.id)
    assert not as_owner.editable
    with pytest.raises(PermissionDenied):
        save(demo, owner, TemplateForm(name="Cambiado por la dueña", plan="x"), mine)
    assert get_template(demo.db.uow(), actor=medico, template_id=mine.id).name == CONTROL.name


def test_a_clinic_wide_template_is_shared_and_edited_by_those_who_sign(demo):
    medico, odontologa = actor(demo, "medico"), actor(demo, "odontologa")
    shared = save(demo, medico, TemplateForm(**{**CONTROL.__dict__, "clinic_wide": True}))
    assert shared.clinic_wide and shared.owner_id is None
    seen = get_template(demo.db.uow(), actor=odontologa, template_id=shared.id)
    assert seen.editable
    edited = save(
        demo,
        odontologa,
        TemplateForm(**{**CONTROL.__dict__, "clinic_wide": True, "plan": "P"}),
        seen,
    )
    assert edited.plan == "P" and edited.version == shared.version + 1
    assistant = actor(demo, "asistente")
    assert shared.name in names(demo, assistant)  # assistants read templates...
    assert not get_template(demo.db.uow(), actor=assistant, template_id=shared.id).editable
    with pytest.raises(PermissionDenied):  # ...but write none
        save(demo, assistant, TemplateForm(name="Plantilla de la asistente", plan="x"))
    with pytest.raises(PermissionDenied):
        set_template_active(demo.db.uow(), actor=assistant, template_id=shared.id, active=False)
    with pytest.raises(PermissionDenied):
        list_templates(demo.db.uow(), actor=actor(demo, "recepcion"))
    assert get_template(demo.db.uow(), actor=medico, template_id=shared.id).active


def test_without_clinical_sign_a_doctor_keeps_only_personal_templates(demo):
    medico, odontologa = actor(demo, "medico"), actor(demo, "odontologa")
    shared = save(demo, medico, TemplateForm(**{**CONTROL.__dict__, "clinic_wide": True}))
    set_grant(demo.db.uow(), actor=SYSTEM, role="doctor", permission="clinical.sign", granted=False)
    assert not get_template(demo.db.uow(), actor=odontologa, template_id=shared.id).editable
    with pytest.raises(PermissionDenied):  # creating a clinic-wide one
        save(demo, odontologa, TemplateForm(name="Compartida", plan="x", clinic_wide=True))
    with pytest.raises(PermissionDenied):  # taking the clinic's one as her own
        save(demo, odontologa, TemplateForm(name=CONTROL.name, plan="Otro"), shared)
    with pytest.raises(PermissionDenied):
        set_template_active(demo.db.uow(), actor=odontologa, template_id=shared.id, active=False)
    after = get_template(demo.db.uow(), actor=medico, template_id=shared.id)
    assert after.version == shared.version and after.clinic_wide and after.active
    own = save(demo, odontologa, TemplateForm(name="Propia", plan="x"))
    assert not own.clinic_wide and own.editable


def test_names_are_required_and_unique_among_what_the_doctor_sees(demo):
    medico, odontologa = actor(demo, "medico"), actor(demo, "odontologa")
    save(demo, medico, CONTROL)
    before = names(demo, medico, include_inactive=True)
    for form, field in (
        (TemplateForm(name="  ", plan="x"), "name"),
        (TemplateForm(name="CONTROL DE DIABETES (PRUEBA)", plan="x"), "name"),
        (TemplateForm(name="Vacía"), "chief_complaint"),
        (TemplateForm(name="Larga", chief_complaint="x" * 501), "chief_complaint"),
    ):
        with pytest.raises(ValidationError) as refused:
            save(demo, medico, form)
        assert refused.value.field == field
    assert names(demo, medico, include_inactive=True) == before
    # Another doctor does not see it, so the same name is free for her own.
    hers = save(demo, odontologa, TemplateForm(name=CONTROL.name, plan="Otra cosa"))
    assert hers.name == CONTROL.name
    # A clinic-wide one would clash with the doctor's own.
    with pytest.raises(ValidationError):
        save(demo, medico, TemplateForm(name=CONTROL.name, plan="x", clinic_wide=True))


def test_a_deactivated_template_is_not_offered_nor_applied(demo):
    medico = actor(demo, "medico")
    template = save(demo, medico, CONTROL)
    off = set_template_active(demo.db.uow(), actor=medico, template_id=template.id, active=False)
    assert not off.active
    assert CONTROL.name not in names(demo, medico)
    assert CONTROL.name in names(demo, medico, include_inactive=True)
    with demo.db.uow().transaction(SYSTEM) as session:
        patient = session.scalars(select(Patient.id)).first()
    with pytest.raises(ValidationError) as refused:
        start_encounter(demo.db.uow(), actor=medico, patient_id=patient, template_id=template.id)
    assert refused.value.field == "template_id"
    on = set_template_active(demo.db.uow(), actor=medico, template_id=template.id, active=True)
    assert on.active and CONTROL.name in names(demo, medico)


def test_a_stale_template_version_is_refused(demo):
    medico = actor(demo, "medico")
    template = save(demo, medico, CONTROL)
    save(demo, medico, TemplateForm(**{**CONTROL.__dict__, "plan": "Nuevo plan"}), template)
    with pytest.raises(ConcurrentEditError):
        save(demo, medico, TemplateForm(**{**CONTROL.__dict__, "plan": "Viejo"}), template)
    assert get_template(demo.db.uow(), actor=medico, template_id=template.id).plan == "Nuevo plan"


def test_prompts_are_found_once_in_order_and_filled(demo):
    template = save(demo, actor(demo, "medico"), CONTROL)
    assert template.prompts == [
        "¿Glucemia en ayunas?",
        "¿Cumple la dieta?",
        "¿Pulsos pedios?",
    ]
    filled = fill_template(template, {"¿Glucemia en ayunas?": "126", "¿Cumple la dieta?": "sí"})
    assert filled["subjective"] == "Glucemias en casa: 126 mg/dL. Dieta: sí"
    assert filled["objective"] == "Pie diabético: [[¿Pulsos pedios?]]."
    assert filled["plan"].endswith("Volver en sí")
    assert find_prompts("a [[uno]] b", "[[dos]] [[uno]]") == ["uno", "dos"]
