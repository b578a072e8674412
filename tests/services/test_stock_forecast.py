"""The stock forecast and the per-treatment stock check: booked visits × recipes walked in time
order against the lots, the run-out date at the first visit left short, cancelled and finished
visits not counted, a type's usual treatment counted for visits with none recorded, lots that
expire on the way dropping out, and the horizon from the setting."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from support.agenda_data import next_monday, seed_agenda
from support.clinical_actors import actor
from support.treatment_data import (
    SYSTEM,
    book,
    make_product,
    make_treatment,
    set_type_treatment,
)

from clinic_desktop.errors import ValidationError
from clinic_desktop.services.appointment_treatments import (
    add_planned_treatment,
    complete_treatments,
    remove_planned_treatment,
)
from clinic_desktop.services.appointments import cancel_appointment
from clinic_desktop.services.settings import update_settings
from clinic_desktop.services.stock_check import check_treatment_stock, forecast


@pytest.fixture
def agenda(demo):
    seed = seed_agenda(demo.db)
    monday = next_monday()
    return demo, seed, monday, seed.at(monday, 7)


def _plan(demo, appointment, treatment, quantity=1) -> None:
    add_planned_treatment(
        demo.db.uow(),
        actor=SYSTEM,
        appointment_id=appointment,
        treatment_id=treatment,
        quantity=quantity,
    )


def test_a_product_runs_out_at_the_third_booked_visit(agenda) -> None:
    demo, seed, monday, now = agenda
    tuesday, wednesday = monday + timedelta(days=1), monday + timedelta(days=2)
    resin = make_product(demo.db, "RES", "Resina A2", unit="g", lots=[("5", None)], reorder="4")
    gloves = make_product(demo.db, "GUA", "Guantes", lots=[("100", None)])
    filling = make_treatment(demo.db, "OBT", "Obturación", [(resin, "2"), (gloves, "2")])
    for day, hour in ((monday, 9), (monday, 10), (wednesday, 9)):
        _plan(demo, book(demo.db, seed, day, hour), filling)
    # Cancelled before it happens: its treatments need nothing.
    called_off = book(demo.db, seed, tuesday, 9)
    _plan(demo, called_off, filling, quantity=3)
    cancel_appointment(
        demo.db.uow(), actor=SYSTEM, appointment_id=called_off, by="clinic", reason="Closed"
    )
    result = forecast(demo.db.uow(), actor=actor(demo, "recepcion"), days=30, now=now)
    assert result.appointments == 3
    first, second = result.lines
    assert (first.product_code, first.runs_out_on, first.runs_out_at) == (
        "RES",
        wednesday,
        seed.at(wednesday, 9),
    )
    assert (first.on_hand, first.needed, first.shortfall) == (
        Decimal("5.000"),
        Decimal("6.000"),
        Decimal("1.000"),
    )
    # 5 - 2 = 3 is below the reorder level of 4 after Monday's first visit.
    assert first.below_reorder_on == monday and first.appointments == 3
    assert (second.product_code, second.runs_out, second.needed) == ("GUA", False, Decimal(6))
    assert result.running_out == (first,)


def test_type_treatment_counts_until_recorded_and_finished_visits_do_not(agenda) -> None:
    demo, seed, monday, now = agenda
    gauze = make_product(demo.db, "GAS", "Gasas", lots=[("10", None)])
    cleaning = make_treatment(demo.db, "LIM", "Limpieza", [(gauze, "4")])
    set_type_treatment(demo.db, seed.cleaning, cleaning)
    book(demo.db, seed, monday, 9, type_id=seed.cleaning)  # counts: 4
    removed = book(demo.db, seed, monday, 10, type_id=seed.cleaning)
    remove_planned_treatment(
        demo.db.uow(), actor=SYSTEM, appointment_id=removed, appointment_treatment_id=None
    )
    done = book(demo.db, seed, monday, 11, type_id=seed.cleaning)
    complete_treatments(demo.db.uow(), actor=SYSTEM, appointment_id=done)  # stock 10 -> 6
    twice = book(demo.db, seed, monday, 12, type_id=seed.cleaning)
    _plan(demo, twice, cleaning)  # the usual one written, then one more: 2 × 4
    [line] = forecast(demo.db.uow(), actor=SYSTEM, days=7, now=now).lines
    assert (line.on_hand, line.needed, line.appointments) == (Decimal(6), Decimal(12), 2)
    assert line.runs_out_on == monday and line.shortfall == Decimal(6)


def test_lots_expiring_on_the_way_drop_out_and_the_horizon_is_the_setting(agenda) -> None:
    demo, seed, monday, now = agenda
    later = monday + timedelta(days=14)
    anaesthetic = make_product(
        demo.db,
        "ANE",
        "Lidocaína 2 %",
        unit="cartucho",
        lots=[("10", monday + timedelta(days=3)), ("1", None)],
    )
    extraction = make_treatment(demo.db, "EXO", "Exodoncia", [(anaesthetic, "2")])
    _plan(demo, book(demo.db, seed, monday, 9), extraction)
    _plan(demo, book(demo.db, seed, later, 9), extraction)
    result = forecast(demo.db.uow(), actor=SYSTEM, days=30, now=now)
    [line] = result.lines
    # 11 on hand, 4 needed, yet the second visit finds only the lot without expiry.
    assert (line.on_hand, line.needed, line.shortfall) == (Decimal(11), Decimal(4), Decimal(1))
    assert line.runs_out_on == later
    update_settings(demo.db.uow(), actor=SYSTEM, changes={"inventory.forecast_days": 7})
    short = forecast(demo.db.uow(), actor=SYSTEM, now=now)
    assert short.days == 7 and short.appointments == 1 and not short.lines[0].runs_out
    with pytest.raises(ValidationError, match="Horizon"):
        forecast(demo.db.uow(), actor=SYSTEM, days=0, now=now)


def test_check_treatment_stock_counts_only_usable_lots(demo) -> None:
    expired = date.today() - timedelta(days=3)
    gloves = make_product(demo.db, "GUA", "Guantes", lots=[("6", None), ("50", expired)])
    gauze = make_product(demo.db, "GAS", "Gasas", lots=[("30", None)])
    filling = make_treatment(demo.db, "OBT", "Obturación", [(gloves, "2"), (gauze, "3")])
    check = check_treatment_stock(
        demo.db.uow(), actor=actor(demo, "soporte"), treatment_id=filling, times=4
    )
    assert not check.enough and check.times == 4
    assert [(x.product_code, x.needed, x.on_hand, x.enough) for x in check.lines] == [
        ("GUA", Decimal("8.000"), Decimal("6.000"), False),
        ("GAS", Decimal("12.000"), Decimal("30.000"), True),
    ]
    assert check.lines[0].missing == Decimal(2)
    assert check_treatment_stock(demo.db.uow(), actor=SYSTEM, treatment_id=filling, times=3).enough
    with pytest.raises(ValidationError, match="Times"):
        check_treatment_stock(demo.db.uow(), actor=SYSTEM, treatment_id=filling, times=0)
