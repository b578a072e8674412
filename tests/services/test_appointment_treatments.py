"""The work of one appointment: completing consumes each recipe by FEFO and keeps the recipe
and actual quantities, extras are consumed with it, undoing writes reversals and restores the
stock without deleting anything, a refusal (short stock, a cancelled or missed visit, a role
without agenda.book or clinical.write) changes nothing, and a visit of a type with a usual
treatment shows it planned until the first edit writes it."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select
from support.agenda_data import next_monday, seed_agenda
from support.clinical_actors import actor
from support.treatment_data import (
    SYSTEM,
    audit_of,
    book,
    make_product,
    make_treatment,
    movements_of,
    set_type_treatment,
    stock_of,
)

from clinic_desktop.errors import (
    InvalidTransition,
    PermissionDenied,
    ValidationError,
)
from clinic_desktop.models.stock import StockMovement
from clinic_desktop.models.treatment import AppointmentTreatment, StockUsage
from clinic_desktop.services.appointment_treatments import (
    CompletionLine,
    add_extra_product,
    add_planned_treatment,
    appointment_work,
    complete_treatments,
    preview_completion,
    remove_extra_product,
    remove_planned_treatment,
    undo_completion,
)
from clinic_desktop.services.appointments import cancel_appointment, change_status
from clinic_desktop.services.settings import update_settings

SOON = date.today() + timedelta(days=20)
LATE = date.today() + timedelta(days=300)


@pytest.fixture
def visit(demo):
    """A booked visit, gloves in two lots (the one expiring first is smaller), gauze in one,
    and a filling that uses 2 gloves and 3 gauzes."""
    seed = seed_agenda(demo.db)
    gloves = make_product(demo.db, "GUA", "Guantes", lots=[("50", LATE), ("3", SOON)])
    gauze = make_product(demo.db, "GAS", "Gasas", lots=[("20", None)])
    filling = make_treatment(demo.db, "OBT", "Obturación", [(gloves, "2"), (gauze, "3")])
    appointment = book(demo.db, seed, next_monday(), 9)
    return demo, seed, appointment, filling, gloves, gauze


def _count(demo, model) -> int:
    with demo.db.uow().transaction(SYSTEM) as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def test_completing_consumes_the_recipe_by_fefo_and_keeps_actual_against_recipe(visit) -> None:
    demo, _seed, appointment, filling, gloves, gauze = visit
    doctor = actor(demo, "odontologa")
    work = add_planned_treatment(
        demo.db.uow(), actor=doctor, appointment_id=appointment, treatment_id=filling, quantity=2
    )
    [planned] = work.planned
    preview = preview_completion(demo.db.uow(), actor=doctor, appointment_id=appointment)
    assert [(p.product_code, p.recipe_quantity, p.actual_quantity) for p in preview.lines] == [
        ("GAS", Decimal("6.000"), Decimal("6.000")),
        ("GUA", Decimal("4.000"), Decimal("4.000")),
    ]
    assert preview.warnings == ()
    result = complete_treatments(
        demo.db.uow(),
        actor=doctor,
        appointment_id=appointment,
        lines=[CompletionLine(planned.id, gauze, Decimal("7.5"))],
    )
    assert result.warnings == ()
    assert stock_of(demo.db, gloves) == Decimal(49)
    assert stock_of(demo.db, gauze) == Decimal("12.5")
    # FEFO: the 3 gloves expiring first go before the later lot.
    assert movements_of(demo.db, gloves)[-2:] == [
        ("consumption", Decimal("-3.000"), "GUA-L2"),
        ("consumption", Decimal("-1.000"), "GUA-L1"),
    ]
    [done] = result.work.done
    assert done.done_by == "Dra. Valeria Cedeño"
    assert done.done_at is not None and result.work.planned == ()
    assert {
        (u.product_code, u.recipe_quantity, u.actual_quantity, u.state) for u in result.work.usages
    } == {
        ("GAS", Decimal("6.000"), Decimal("7.500"), "consumed"),
        ("GUA", Decimal("4.000"), Decimal("4.000"), "consumed"),
    }
    created = [c for a, c in audit_of(demo.db, "StockUsage") if a == "create"]
    assert {(c["recipe_quantity"], c["actual_quantity"]) for c in created} == {
        ("6.000", "7.500"),
        ("4.000", "4.000"),
    }
    assert len([a for a, _c in audit_of(demo.db, "StockMovement") if a == "create"]) >= 3


def test_undo_reverses_the_movements_restores_stock_and_deletes_nothing(visit) -> None:
    demo, _seed, appointment, filling, gloves, gauze = visit
    doctor = actor(demo, "odontologa")
    add_planned_treatment(
        demo.db.uow(), actor=doctor, appointment_id=appointment, treatment_id=filling
    )
    complete_treatments(demo.db.uow(), actor=doctor, appointment_id=appointment)
    assert (stock_of(demo.db, gloves), stock_of(demo.db, gauze)) == (Decimal(51), Decimal(17))
    usages, movements = _count(demo, StockUsage), _count(demo, StockMovement)
    with pytest.raises(ValidationError, match="Reason"):
        undo_completion(demo.db.uow(), actor=doctor, appointment_id=appointment, reason=" ")
    work = undo_completion(
        demo.db.uow(), actor=doctor, appointment_id=appointment, reason="Wrong patient"
    )
    assert (stock_of(demo.db, gloves), stock_of(demo.db, gauze)) == (Decimal(53), Decimal(20))
    assert _count(demo, StockUsage) == usages  # kept, marked reversed
    assert _count(demo, StockMovement) == movements + 2  # one reversal per movement
    assert {u.state for u in work.usages} == {"reversed"}
    assert [t.status for t in work.treatments] == ["planned"]
    assert movements_of(demo.db, gloves)[-1][0] == "reversal"
    with pytest.raises(InvalidTransition):
        undo_completion(demo.db.uow(), actor=doctor, appointment_id=appointment, reason="Again")
    # Completed again: new lines, the reversed ones stay as history.
    again = complete_treatments(demo.db.uow(), actor=doctor, appointment_id=appointment)
    assert sorted(u.state for u in again.work.usages) == ["consumed"] * 2 + ["reversed"] * 2


def test_short_stock_refuses_the_whole_completion_and_changes_nothing(visit) -> None:
    demo, _seed, appointment, filling, gloves, gauze = visit
    doctor = actor(demo, "odontologa")
    work = add_planned_treatment(
        demo.db.uow(), actor=doctor, appointment_id=appointment, treatment_id=filling
    )
    preview = preview_completion(demo.db.uow(), actor=doctor, appointment_id=appointment)
    assert not any(line.short for line in preview.lines)
    usages, audit = _count(demo, StockUsage), len(audit_of(demo.db, "StockMovement"))
    lines = [CompletionLine(work.planned[0].id, gauze, Decimal(25))]
    with pytest.raises(ValidationError, match="Gasas: 25 unidad needed, only 20 in stock"):
        complete_treatments(demo.db.uow(), actor=doctor, appointment_id=appointment, lines=lines)
    assert (stock_of(demo.db, gloves), stock_of(demo.db, gauze)) == (Decimal(53), Decimal(20))
    assert _count(demo, StockUsage) == usages
    assert len(audit_of(demo.db, "StockMovement")) == audit
    again = appointment_work(demo.db.uow(), actor=doctor, appointment_id=appointment)
    assert [t.status for t in again.treatments] == ["planned"]
    update_settings(demo.db.uow(), actor=SYSTEM, changes={"inventory.allow_negative": True})
    preview = preview_completion(demo.db.uow(), actor=doctor, appointment_id=appointment)
    assert preview.allow_negative
    result = complete_treatments(
        demo.db.uow(), actor=doctor, appointment_id=appointment, lines=lines
    )
    assert stock_of(demo.db, gauze) == Decimal(-5)
    assert result.warnings == (
        "Gasas: 5 unidad more than there was in stock; the stock is now below zero.",
    )


def test_extras_zero_actuals_and_removing_planned_lines(visit) -> None:
    demo, _seed, appointment, filling, gloves, gauze = visit
    reception = actor(demo, "recepcion")
    work = add_planned_treatment(
        demo.db.uow(), actor=reception, appointment_id=appointment, treatment_id=filling
    )
    row_id = work.planned[0].id
    work = add_extra_product(
        demo.db.uow(),
        actor=reception,
        appointment_id=appointment,
        product_id=gauze,
        quantity=Decimal(1),
    )
    work = add_extra_product(
        demo.db.uow(),
        actor=reception,
        appointment_id=appointment,
        product_id=gauze,
        quantity=Decimal("0.5"),
    )
    [extra] = work.pending_extras
    assert (extra.actual_quantity, extra.state) == (Decimal("1.500"), "pending")
    assert stock_of(demo.db, gauze) == Decimal(20)  # noted, not consumed yet
    with pytest.raises(ValidationError, match="more than zero"):
        add_extra_product(
            demo.db.uow(),
            actor=reception,
            appointment_id=appointment,
            product_id=gauze,
            quantity=Decimal(0),
        )
    result = complete_treatments(
        demo.db.uow(),
        actor=reception,
        appointment_id=appointment,
        lines=[CompletionLine(row_id, gloves, Decimal(0))],  # the gloves were not used
    )
    assert stock_of(demo.db, gloves) == Decimal(53)
    assert stock_of(demo.db, gauze) == Decimal("15.5")  # 3 by the recipe + 1.5 extra
    assert {(u.product_code, u.treatment_name, u.actual_quantity) for u in result.work.usages} == {
        ("GUA", "Obturación", Decimal("0.000")),
        ("GAS", "Obturación", Decimal("3.000")),
        ("GAS", "", Decimal("1.500")),
    }
    with pytest.raises(InvalidTransition, match="undo its completion"):
        remove_planned_treatment(
            demo.db.uow(),
            actor=reception,
            appointment_id=appointment,
            appointment_treatment_id=row_id,
        )
    with pytest.raises(InvalidTransition, match="already taken"):
        remove_extra_product(
            demo.db.uow(), actor=reception, appointment_id=appointment, usage_id=extra.id
        )
    # A planned line and a pending extra come off before completion, kept soft-deleted.
    work = add_planned_treatment(
        demo.db.uow(), actor=reception, appointment_id=appointment, treatment_id=filling
    )
    work = add_extra_product(
        demo.db.uow(),
        actor=reception,
        appointment_id=appointment,
        product_id=gloves,
        quantity=Decimal(1),
    )
    work = remove_planned_treatment(
        demo.db.uow(),
        actor=reception,
        appointment_id=appointment,
        appointment_treatment_id=work.planned[0].id,
    )
    work = remove_extra_product(
        demo.db.uow(),
        actor=reception,
        appointment_id=appointment,
        usage_id=work.pending_extras[0].id,
    )
    assert work.planned == () and work.pending_extras == () and not work.can_complete
    assert [a for a, _c in audit_of(demo.db, "AppointmentTreatment")].count("delete") == 1


def test_cancelled_and_missed_visits_take_no_treatments(visit) -> None:
    demo, seed, appointment, filling, _gloves, _gauze = visit
    doctor = actor(demo, "odontologa")
    cancel_appointment(
        demo.db.uow(), actor=SYSTEM, appointment_id=appointment, by="patient", reason="Sick"
    )
    with pytest.raises(InvalidTransition, match="cancelled"):
        add_planned_treatment(
            demo.db.uow(), actor=doctor, appointment_id=appointment, treatment_id=filling
        )
    with pytest.raises(InvalidTransition, match="cancelled"):
        complete_treatments(demo.db.uow(), actor=doctor, appointment_id=appointment)
    missed = book(demo.db, seed, next_monday(), 10)
    add_planned_treatment(demo.db.uow(), actor=doctor, appointment_id=missed, treatment_id=filling)
    change_status(
        demo.db.uow(),
        actor=SYSTEM,
        appointment_id=missed,
        status="no_show",
        now=seed.at(next_monday(), 12),
    )
    with pytest.raises(InvalidTransition, match="did not come"):
        complete_treatments(demo.db.uow(), actor=doctor, appointment_id=missed)
    work = appointment_work(demo.db.uow(), actor=doctor, appointment_id=missed)
    assert work.closed and not work.can_complete and work.planned
    assert _count(demo, StockUsage) == 0


def test_roles_without_agenda_book_or_clinical_write_are_refused(visit) -> None:
    demo, _seed, appointment, filling, _gloves, _gauze = visit
    it_admin = actor(demo, "soporte")
    with pytest.raises(PermissionDenied, match="needs"):
        add_planned_treatment(
            demo.db.uow(), actor=it_admin, appointment_id=appointment, treatment_id=filling
        )
    with pytest.raises(PermissionDenied):
        appointment_work(demo.db.uow(), actor=it_admin, appointment_id=appointment)
    with pytest.raises(PermissionDenied):
        complete_treatments(demo.db.uow(), actor=it_admin, appointment_id=appointment)
    assert _count(demo, AppointmentTreatment) == 0
    assistant = actor(demo, "asistente")  # books appointments: may record what was done
    work = add_planned_treatment(
        demo.db.uow(), actor=assistant, appointment_id=appointment, treatment_id=filling
    )
    assert work.may_record and len(work.planned) == 1


def test_the_type_treatment_is_planned_until_the_first_edit_writes_it(visit) -> None:
    demo, seed, _appointment, _filling, gloves, gauze = visit
    cleaning = make_treatment(demo.db, "LIM", "Limpieza", [(gauze, "2")])
    set_type_treatment(demo.db, seed.cleaning, cleaning)
    appointment = book(demo.db, seed, next_monday(), 11, type_id=seed.cleaning)
    doctor = actor(demo, "odontologa")
    work = appointment_work(demo.db.uow(), actor=doctor, appointment_id=appointment)
    [usual] = work.treatments
    assert (usual.id, usual.name, usual.from_type, usual.planned) == (None, "Limpieza", True, True)
    assert _count(demo, AppointmentTreatment) == 0  # reading wrote nothing
    preview = preview_completion(demo.db.uow(), actor=doctor, appointment_id=appointment)
    assert [(p.treatment_id, p.product_code) for p in preview.lines] == [(cleaning, "GAS")]
    result = complete_treatments(
        demo.db.uow(),
        actor=doctor,
        appointment_id=appointment,
        lines=[CompletionLine(None, gauze, Decimal(4), treatment_id=cleaning)],
    )
    [done] = result.work.done
    assert done.id is not None and not done.from_type
    assert stock_of(demo.db, gauze) == Decimal(16)
    # Removing the usual treatment of another visit keeps it off (the removed row says so).
    other = book(demo.db, seed, next_monday(), 12, type_id=seed.cleaning)
    work = remove_planned_treatment(
        demo.db.uow(), actor=doctor, appointment_id=other, appointment_treatment_id=None
    )
    assert work.treatments == ()
    assert stock_of(demo.db, gloves) == Decimal(53)


def test_undoing_one_treatment_leaves_the_others_done(visit) -> None:
    demo, _seed, appointment, filling, gloves, gauze = visit
    polish = make_treatment(demo.db, "PUL", "Pulido", [(gauze, "1")])
    doctor = actor(demo, "odontologa")
    for treatment in (filling, polish):
        add_planned_treatment(
            demo.db.uow(), actor=doctor, appointment_id=appointment, treatment_id=treatment
        )
    done = complete_treatments(demo.db.uow(), actor=doctor, appointment_id=appointment).work
    assert stock_of(demo.db, gauze) == Decimal(16)  # 3 by the filling, 1 by the polish
    polish_row = next(t.id for t in done.treatments if t.name == "Pulido")
    work = undo_completion(
        demo.db.uow(),
        actor=doctor,
        appointment_id=appointment,
        reason="Polish not done",
        appointment_treatment_id=polish_row,
    )
    assert stock_of(demo.db, gauze) == Decimal(17)
    assert stock_of(demo.db, gloves) == Decimal(51)
    assert {t.name: t.status for t in work.treatments} == {
        "Obturación": "done",
        "Pulido": "planned",
    }
    reversals = [c for a, c in audit_of(demo.db, "StockMovement") if c.get("kind") == "reversal"]
    assert [r["reason"] for r in reversals] == ["Polish not done"]
