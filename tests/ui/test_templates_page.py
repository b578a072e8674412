"""The note templates screen on a real demo clinic: creating a template with questions (found
live as they are typed), editing it, a refused name shown under the field with nothing
changed, deactivating and reactivating, and another doctor's personal template read-only."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot
from ui.screens_helpers import make_ctx, settle

from clinic_desktop.services.note_templates import TemplateForm, list_templates, save_template
from clinic_desktop.services.startup import CreatedClinic
from clinic_desktop.ui.context import UiContext
from clinic_desktop.ui.templates.page import TemplatesPage

NAME = "Lumbalgia mecánica (prueba)"


@pytest.fixture
def ctx(demo: CreatedClinic) -> UiContext:
    return make_ctx(demo, "medico")


@pytest.fixture
def page(ctx: UiContext, qtbot: QtBot) -> TemplatesPage:
    widget = TemplatesPage(ctx)
    qtbot.addWidget(widget)
    widget.refresh()
    return widget


def stored(ctx: UiContext, name: str, **kw):
    return next(
        (t for t in list_templates(ctx.uow(), actor=ctx.actor, **kw) if t.name == name), None
    )


def create(page: TemplatesPage) -> None:
    page.new_template()
    editor = page.editor
    editor.name_edit.setText(NAME)
    editor.set_text("chief_complaint", "Dolor lumbar")
    editor.set_text(
        "subjective", "Dolor desde hace [[¿Cuántos días?]] días, tras [[¿Desencadenante?]]."
    )
    editor.set_text("plan", "Reposo relativo. Control en [[¿Cuántos días?]] días.")
    editor.save_button.click()
    settle()


def test_a_new_template_lists_its_questions_as_typed_and_is_saved(page, ctx):
    page.new_template()
    editor = page.editor
    assert editor.prompts() == [] and not editor.prompts_empty.isHidden()
    editor.set_text("subjective", "Dolor desde hace [[¿Cuántos días?]] días")
    assert editor.prompts() == ["¿Cuántos días?"]
    create(page)
    template = stored(ctx, NAME)
    assert template is not None and not template.clinic_wide
    assert template.prompts == ["¿Cuántos días?", "¿Desencadenante?"]
    assert editor.prompts() == ["¿Cuántos días?", "¿Desencadenante?"]
    assert NAME in [t.name for t in page.rows()]
    assert page.editor.template is not None and page.editor.template.id == template.id
    assert editor.banner.text() == "Template saved."


def test_editing_and_a_refused_name(page, ctx):
    create(page)
    template = stored(ctx, NAME)
    page.editor.name_edit.setText("   ")
    page.editor.save_button.click()
    error = page.editor.errors
    assert error.knows("name")
    assert page.editor.name_edit.property("invalid") == "true"
    assert stored(ctx, NAME).version == template.version

    page.editor.name_edit.setText(NAME + " v2")
    page.editor.clinic_wide_check.setChecked(True)
    page.editor.save_button.click()
    settle()
    changed = stored(ctx, NAME + " v2")
    assert changed is not None and changed.clinic_wide and changed.id == template.id
    assert page.editor.owner_label.text() == "Clinic-wide template"


def test_deactivating_hides_it_until_asked_for(page, ctx):
    create(page)
    template = stored(ctx, NAME)
    page.select_template(template.id)
    assert page.editor.active_button.text() == "Deactivate"
    page.editor.active_button.click()
    settle()
    assert stored(ctx, NAME) is None and stored(ctx, NAME, include_inactive=True) is not None
    assert NAME not in [t.name for t in page.rows()]
    page.inactive_check.setChecked(True)
    assert NAME in [t.name for t in page.rows()]
    page.select_template(template.id)
    assert page.editor.active_button.text() == "Activate"
    page.editor.active_button.click()
    settle()
    assert stored(ctx, NAME).active


def test_another_doctors_personal_template_is_read_only_for_the_owner(demo, qtbot):
    doctor = make_ctx(demo, "medico")
    save_template(
        doctor.uow(),
        actor=doctor.actor,
        template_id=None,
        expected_version=None,
        form=TemplateForm(name=NAME, plan="Reposo"),
    )
    owner = make_ctx(demo, "duena")
    widget = TemplatesPage(owner)
    qtbot.addWidget(widget)
    widget.refresh()
    template = next(t for t in widget.rows() if t.name == NAME)
    widget.select_template(template.id)
    editor = widget.editor
    assert editor.name_edit.isReadOnly() and editor.save_button.isHidden()
    assert all(edit.isReadOnly() for edit in editor.texts.values())
    assert editor.active_button.isHidden()
    assert editor.owner_label.text() == "Personal template of Dr. Andrés Paredes"
