"""The stock forecast tab on a real demo clinic with a small agenda: the horizon from the
setting, the product that runs out with the day and time of the visit left short, covered
products on request, the forecast following new plans through the event bridge, and the
treatment check saying what is missing."""

from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtCore import Qt
from support.agenda_data import next_monday, seed_agenda
from support.treatment_data import SYSTEM, book, make_product, make_treatment
from ui.screens_helpers import make_ctx, settle

from clinic_desktop.services.appointment_treatments import add_planned_treatment
from clinic_desktop.services.settings import update_settings
from clinic_desktop.ui.inventory.forecast_tab import ForecastTab


@pytest.fixture
def booked(demo):
    seed = seed_agenda(demo.db)
    monday = next_monday()
    resin = make_product(demo.db, "RES", "Resina A2", unit="g", lots=[("5", None)])
    gloves = make_product(demo.db, "GUA", "Guantes", lots=[("100", None)])
    filling = make_treatment(demo.db, "OBT", "Obturación", [(resin, "2"), (gloves, "2")])
    visits = [book(demo.db, seed, monday, hour) for hour in (9, 10, 11)]
    visits.append(book(demo.db, seed, monday + timedelta(days=21), 9))
    for visit in visits:
        add_planned_treatment(
            demo.db.uow(), actor=SYSTEM, appointment_id=visit, treatment_id=filling
        )
    update_settings(demo.db.uow(), actor=SYSTEM, changes={"inventory.forecast_days": 14})
    return demo, seed, monday, filling


def _texts(tab: ForecastTab, model=None) -> list[list[str]]:
    model = model or tab.model
    return [
        [model.index(r, c).data(Qt.ItemDataRole.DisplayRole) for c in range(model.columnCount())]
        for r in range(model.rowCount())
    ]


def test_the_product_running_out_with_its_day_and_the_setting_horizon(booked, qtbot) -> None:
    demo, seed, monday, filling = booked
    tab = ForecastTab(make_ctx(demo, "recepcion"))
    qtbot.addWidget(tab)
    assert tab.days_spin.value() == 14
    [row] = _texts(tab)
    assert row[0] == "RES · Resina A2"
    assert row[1].endswith(", 11:00") and str(monday.day) in row[1]
    assert row[2:5] == ["6 g", "5 g", "1 g"]
    assert tab.model.data(tab.model.index(0, 0), Qt.ItemDataRole.BackgroundRole) is not None
    assert tab.summary_label.text() == (
        "1 product will run out in the next 14 days. 3 booked appointments counted."
    )
    tab.all_check.setChecked(True)
    assert [r[0] for r in _texts(tab)] == ["RES · Resina A2", "GUA · Guantes"]
    assert _texts(tab)[1][1] == "Covered"
    # A longer horizon takes in the visit three weeks ahead.
    tab.days_spin.setValue(40)
    tab.refresh_button.click()
    assert _texts(tab)[0][2] == "8 g" and "4 booked appointments" in tab.summary_label.text()
    # A treatment planned elsewhere reaches the tab through the event bridge (a hidden tab
    # catches up when shown).
    extra = book(demo.db, seed, monday, 12)
    add_planned_treatment(demo.db.uow(), actor=SYSTEM, appointment_id=extra, treatment_id=filling)
    settle()
    assert _texts(tab)[0][2] == "8 g"
    tab.show()
    assert _texts(tab)[0][2] == "10 g"
    later = book(demo.db, seed, monday, 15)
    add_planned_treatment(demo.db.uow(), actor=SYSTEM, appointment_id=later, treatment_id=filling)
    settle()
    assert _texts(tab)[0][2] == "12 g"


def test_checking_a_treatment_says_what_is_missing(booked, qtbot) -> None:
    demo, *_ = booked
    tab = ForecastTab(make_ctx(demo, "asistente"))
    qtbot.addWidget(tab)
    tab.run_check()
    assert tab.check_label.text() == "Treatment: choose one from the list first."
    qtbot.keyClicks(tab.treatment_combo.lineEdit(), "obtura")
    tab.times_spin.setValue(3)
    tab.check_button.click()
    assert tab.check_label.text() == "Not enough stock to do Obturación × 3."
    assert _texts(tab, tab.check_model) == [
        ["Resina A2", "6 g", "5 g", "Missing 1 g"],
        ["Guantes", "6 unidad", "100 unidad", "Yes"],
    ]
    tab.times_spin.setValue(2)
    tab.check_button.click()
    assert tab.check_label.text() == "Enough stock to do Obturación × 2."
