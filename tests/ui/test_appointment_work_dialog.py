"""The appointment work dialog on a real demo clinic: the type's usual treatment shown planned,
planning a treatment and noting an extra by typing, completing with a corrected quantity (the
stock goes down by the lines), a refusal for short stock shown on the completion step with
nothing changed, undoing with a reason, and the visit that did not happen or the role that may
not record seeing no editing controls."""

from __future__ import annotations

from decimal import Decimal

import pytest
from pytestqt.qtbot import QtBot
from support.agenda_data import next_monday, seed_agenda
from support.treatment_data import (
    SYSTEM,
    book,
    make_product,
    make_treatment,
    set_type_treatment,
    stock_of,
)
from ui.screens_helpers import make_ctx

from clinic_desktop.services.appointment_treatments import appointment_work
from clinic_desktop.services.appointments import cancel_appointment
from clinic_desktop.ui.inventory.appointment_work_dialog import (
    AppointmentWorkDialog,
    open_appointment_work,
)
from clinic_desktop.ui.widgets.screen_kit import MessageBanner


@pytest.fixture
def visit(demo):
    seed = seed_agenda(demo.db)
    gauze = make_product(demo.db, "GAS", "Gasas", lots=[("20", None)])
    gloves = make_product(demo.db, "GUA", "Guantes", lots=[("10", None)])
    paste = make_product(demo.db, "PAS", "Pasta profiláctica", unit="g", lots=[("30", None)])
    cleaning = make_treatment(demo.db, "LIM", "Limpieza", [(paste, "5"), (gloves, "2")])
    make_treatment(demo.db, "FLU", "Fluorización", [(gloves, "2")])
    set_type_treatment(demo.db, seed.cleaning, cleaning)
    appointment = book(demo.db, seed, next_monday(), 9, type_id=seed.cleaning)
    return demo, seed, appointment, {"gauze": gauze, "gloves": gloves, "paste": paste}


def _dialog(demo, appointment, qtbot: QtBot, username: str = "odontologa") -> AppointmentWorkDialog:
    dialog = AppointmentWorkDialog(make_ctx(demo, username), appointment, None)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def test_plan_note_an_extra_and_complete_with_a_corrected_quantity(visit, qtbot) -> None:
    demo, _seed, appointment, products = visit
    dialog = _dialog(demo, appointment, qtbot)
    [usual] = dialog.overview.treatments_model.rows()
    assert usual.from_type and "usual" in dialog.overview.treatments_model.index(0, 3).data()
    assert (
        dialog.overview.complete_button.isEnabled() and not dialog.overview.undo_button.isEnabled()
    )
    qtbot.keyClicks(dialog.overview.treatment_combo.lineEdit(), "fluor")
    dialog.overview.add_treatment_button.click()
    qtbot.keyClicks(dialog.overview.product_combo.lineEdit(), "gasas")
    dialog.overview.quantity_spin.setValue(3)
    dialog.overview.add_product_button.click()
    assert [t.name for t in dialog.overview.treatments_model.rows()] == ["Limpieza", "Fluorización"]
    assert [(u.product_code, u.state) for u in dialog.overview.usages_model.rows()] == [
        ("GAS", "pending")
    ]
    dialog.overview.complete_button.click()
    assert dialog.stack.currentWidget() is dialog.completion
    page = dialog.completion
    assert page.table.rowCount() == 4  # paste + gloves, gloves, the extra gauze
    page.set_actual(page.row_of(products["paste"]), Decimal("7.5"))
    page.confirm_button.click()
    assert dialog.stack.currentWidget() is dialog.overview
    assert dialog.banner.text() == "Completed: the products were taken from stock."
    assert stock_of(demo.db, products["paste"]) == Decimal("22.5")
    assert stock_of(demo.db, products["gloves"]) == Decimal(6)
    assert stock_of(demo.db, products["gauze"]) == Decimal(17)
    paste_row = next(
        r for r, u in enumerate(dialog.overview.usages_model.rows()) if u.product_code == "PAS"
    )
    assert dialog.overview.usages_model.index(paste_row, 4).data() == "+2.5 g"
    assert (
        not dialog.overview.complete_button.isEnabled() and dialog.overview.undo_button.isEnabled()
    )


def test_short_stock_is_refused_on_the_completion_step(visit, qtbot) -> None:
    demo, _seed, appointment, products = visit
    dialog = _dialog(demo, appointment, qtbot, "recepcion")
    dialog.add_extra(products["gloves"], Decimal(9))  # 9 + 2 by the recipe > 10
    dialog.start_completion()
    page = dialog.completion
    assert page.banner.kind == "error"
    assert "Guantes: 11 unidad needed, only 10 in stock" in page.banner.text()
    page.confirm_button.click()
    assert dialog.stack.currentWidget() is page
    assert page.banner.text() == (
        "Guantes: 11 unidad needed, only 10 in stock; lower the quantity or receive stock first."
    )
    assert stock_of(demo.db, products["gloves"]) == Decimal(10)
    assert stock_of(demo.db, products["paste"]) == Decimal(30)
    work = appointment_work(demo.db.uow(), actor=SYSTEM, appointment_id=appointment)
    assert [t.status for t in work.treatments] == ["planned"]
    page.back_button.click()
    assert dialog.stack.currentWidget() is dialog.overview


def test_undo_asks_for_a_reason_and_returns_the_stock(visit, qtbot) -> None:
    demo, _seed, appointment, products = visit
    dialog = _dialog(demo, appointment, qtbot)
    dialog.start_completion()
    dialog.confirm_completion()
    assert stock_of(demo.db, products["paste"]) == Decimal(25)
    dialog.overview.undo_button.click()
    page = dialog.undo_page
    assert dialog.stack.currentWidget() is page
    assert [page.scope_combo.itemText(i) for i in range(page.scope_combo.count())] == [
        "Everything completed on this appointment",
        "Only Limpieza",
    ]
    page.confirm_button.click()
    assert page.reason_error.text() == "Reason: write why the completion is undone."
    assert stock_of(demo.db, products["paste"]) == Decimal(25)
    page.reason_edit.setText("Recorded on the wrong visit")
    page.confirm_button.click()
    assert dialog.banner.text() == "Undone: the products are back in stock."
    assert stock_of(demo.db, products["paste"]) == Decimal(30)
    assert {u.state for u in dialog.overview.usages_model.rows()} == {"reversed"}
    assert dialog.overview.complete_button.isEnabled()


def test_no_editing_on_a_cancelled_visit_or_without_the_right(visit, qtbot) -> None:
    demo, seed, appointment, _products = visit
    cancel_appointment(
        demo.db.uow(), actor=SYSTEM, appointment_id=appointment, by="patient", reason="Viaje"
    )
    dialog = _dialog(demo, appointment, qtbot)
    assert not dialog.overview.add_treatment_button.isVisible()
    assert not dialog.overview.complete_button.isEnabled()
    assert dialog.banner.text() == (
        "This appointment was cancelled: no treatment can be recorded on it."
    )
    other = book(demo.db, seed, next_monday(), 10)
    refused = _dialog(demo, other, qtbot, "soporte")
    assert refused.work is None and "does not allow" in refused.banner.text()


def test_open_appointment_work_opens_a_dialog_owned_by_the_parent(visit, qtbot) -> None:
    demo, _seed, appointment, _products = visit
    parent = MessageBanner("Parent", None)
    qtbot.addWidget(parent)
    open_appointment_work(make_ctx(demo, "medico"), appointment, parent)
    dialog = parent.findChild(AppointmentWorkDialog)
    assert dialog is not None and dialog.isVisible()
    assert dialog.work is not None and dialog.work.appointment_id == appointment
    dialog.overview.close_button.click()
