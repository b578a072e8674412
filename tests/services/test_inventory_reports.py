"""The five inventory reports against figures worked out by hand on the small stock history of
support/inventory_report_data (its docstring has the story): valuation at a past day and
today, movements with their totals per kind, consumption split by treatment and by
practitioner with an undone completion netted out, the sign of recipe-vs-actual variances,
and margins with and without a period. Also who may run them, and that the refusals and the
reports themselves write nothing."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import func, select
from support.clinical_actors import actor as actor_of
from support.inventory_report_data import CATEGORY, ReportData, seed_report_data

from clinic_desktop.actor import Actor
from clinic_desktop.errors import PermissionDenied, ValidationError
from clinic_desktop.models.audit import AuditEntry
from clinic_desktop.models.user import RoleGrant
from clinic_desktop.services import inventory_reports as stock_reports
from clinic_desktop.services.inventory_reports import (
    report_stock_movements,
    report_stock_valuation,
)
from clinic_desktop.services.inventory_reports_common import report_choices
from clinic_desktop.services.inventory_reports_margins import report_treatment_margins
from clinic_desktop.services.inventory_reports_usage import (
    report_consumption,
    report_recipe_variance,
)
from clinic_desktop.services.report_table import RowRole, TabularReport
from clinic_desktop.services.startup import CreatedClinic

D = Decimal


@pytest.fixture
def data(demo_agenda: CreatedClinic) -> ReportData:
    return seed_report_data(demo_agenda.db)


@pytest.fixture
def owner(demo_agenda: CreatedClinic) -> Actor:
    return actor_of(demo_agenda, "duena")


def _by(report: TabularReport, key: str, role: RowRole | None = RowRole.ITEM) -> dict:
    """Rows by the text of column `key`, as {column key: value}."""
    keys = [c.key for c in report.columns]
    return {
        row.cells[report.index(key)]: dict(zip(keys, row.cells, strict=True))
        for row in report.rows
        if role is None or row.role == role
    }


def _groups(report: TabularReport) -> dict[str, dict[str, tuple[D, D]]]:
    """{group: {product code: (quantity, cost)}} plus each group's subtotal under ""."""
    found: dict[str, dict[str, tuple[D, D]]] = {}
    for row in report.rows:
        group = str(row.cells[0])
        if row.role == RowRole.GROUP:
            found[group] = {"": (D(0), report.value(row, "cost"))}  # type: ignore[dict-item]
        else:
            found[group][str(report.value(row, "code"))] = (
                report.value(row, "quantity"),  # type: ignore[dict-item]
                report.value(row, "cost"),
            )
    return found


def _total(report: TabularReport, key: str, index: int = -1) -> object:
    return report.value(report.totals[index], key)


def test_valuation_at_a_past_day_and_today(demo_agenda, data, owner):
    uow = demo_agenda.db.uow
    now = report_stock_valuation(uow(), actor=owner, category=CATEGORY)
    rows = _by(now, "code")
    # Lidocaína: 16.7 ml left of lot L1 at 1.25 (20.875) + 10 ml of lot L2 at 1.30 (13.00).
    assert (rows["RP-ANE"]["on_hand"], rows["RP-ANE"]["value"]) == (D("26.7"), D("33.88"))
    assert rows["RP-ANE"]["average_cost"] == D("1.2687")
    # Gloves: lot A used up (3 + 1), lot B 50 − 1 − 2 (the undone 2 came back).
    assert (rows["RP-GUA"]["on_hand"], rows["RP-GUA"]["value"]) == (D(47), D("4.23"))
    # Gauze: 200 − 4 − 10 − 5 − 10 (written off) − 4, the undone 4 back.
    assert (rows["RP-GAS"]["on_hand"], rows["RP-GAS"]["value"]) == (D(167), D("5.01"))
    assert _total(now, "value") == D("43.12")
    assert "3 products" in str(_total(now, "code"))

    past = report_stock_valuation(uow(), actor=owner, as_of=data.day(-15), category=CATEGORY)
    rows = _by(past, "code")
    # The end of that day includes its write-off but nothing from later days.
    assert {code: (r["on_hand"], r["value"]) for code, r in rows.items()} == {
        "RP-ANE": (D("18.2"), D("22.75")),
        "RP-GUA": (D(49), D("4.41")),
        "RP-GAS": (D(171), D("5.13")),
    }
    assert _total(past, "value") == D("32.29")
    assert "end of" in past.period and past.basis

    before = report_stock_valuation(uow(), actor=owner, as_of=data.day(-41), category=CATEGORY)
    assert before.rows == () and _total(before, "value") == D(0)


def test_valuation_refuses_a_day_not_yet_ended(demo_agenda, data, owner):
    with pytest.raises(ValidationError) as caught:
        report_stock_valuation(demo_agenda.db.uow(), actor=owner, as_of=data.day(1))
    assert caught.value.field == "as_of"


def test_movements_of_one_product_with_totals_per_kind(demo_agenda, data, owner):
    report = report_stock_movements(
        demo_agenda.db.uow(),
        actor=owner,
        date_from=data.day(-30),
        date_to=data.today,
        product_id=data.products["RP-ANE"],
    )
    assert [(report.value(r, "kind"), report.value(r, "quantity")) for r in report.rows] == [
        ("Consumption", D("-1.8")),
        ("Consumption", D("-1.5")),
        ("Consumption", D("-2.0")),
        ("Receipt", D(10)),
        ("Reversal", D(2)),
    ]
    assert report.column_values("value") == [
        D("-2.25"), D("-1.88"), D("-2.50"), D("13.00"), D("2.50"),
    ]  # fmt: skip
    totals = {str(report.value(t, "occurred_at")).split(":")[0]: t for t in report.totals[:-1]}
    assert list(totals) == ["Receipt", "Consumption", "Reversal"]
    consumption = totals["Consumption"]
    assert (report.value(consumption, "quantity"), report.value(consumption, "value")) == (
        D("-5.3"),
        D("-6.63"),
    )
    assert "3 movements" in str(report.value(consumption, "occurred_at"))
    assert (_total(report, "quantity"), _total(report, "value")) == (D("6.7"), D("8.87"))
    assert report.filters == ("Product: Lidocaína 2 %",)


def test_movements_filters_and_limits(demo_agenda, data, owner, monkeypatch):
    uow = demo_agenda.db.uow
    write_offs = report_stock_movements(
        uow(),
        actor=owner,
        date_from=data.day(-30),
        date_to=data.today,
        category=CATEGORY,
        kind="write_off",
    )
    [row] = write_offs.rows
    assert (write_offs.value(row, "code"), write_offs.value(row, "quantity")) == ("RP-GAS", D(-10))
    assert write_offs.value(row, "reason") == "Dañadas"
    # Several products: their units differ, so no quantity is added up.
    every = report_stock_movements(
        uow(), actor=owner, date_from=data.day(-50), date_to=data.today, category=CATEGORY
    )
    assert _total(every, "quantity") is None
    # 4 receipts; 10 takes by AT1, AT2 (its gloves from two lots), the extra and AT4; the
    # write-off; AT3's 3 takes and their 3 reversals; the last receipt.
    assert len(every.rows) == 4 + 10 + 1 + 3 + 3 + 1
    monkeypatch.setattr(stock_reports, "MAX_MOVEMENT_ROWS", 5)
    with pytest.raises(ValidationError, match="too many") as caught:
        report_stock_movements(
            uow(), actor=owner, date_from=data.day(-50), date_to=data.today, category=CATEGORY
        )
    assert caught.value.field == "date_from"
    with pytest.raises(ValidationError) as caught:
        report_stock_movements(uow(), actor=owner, date_from=data.today, date_to=data.day(-1))
    assert caught.value.field == "date_to"


def test_consumption_by_treatment_nets_out_the_undone_completion(demo_agenda, data, owner):
    report = report_consumption(
        demo_agenda.db.uow(),
        actor=owner,
        date_from=data.day(-30),
        date_to=data.day(-1),
        by="treatment",
        category=CATEGORY,
    )
    # Extracción: AT1 and AT4 only (AT3 was undone): gloves 3 @0.085 + 2 @0.09 = 0.435.
    assert _groups(report) == {
        "Extracción simple": {
            "": (D(0), D("4.81")),
            "RP-ANE": (D("3.3"), D("4.13")),
            "RP-GUA": (D(5), D("0.44")),
            "RP-GAS": (D(8), D("0.24")),
        },
        "Limpieza dental": {
            "": (D(0), D("0.48")),
            "RP-GAS": (D(10), D("0.30")),
            "RP-GUA": (D(2), D("0.18")),
        },
        "Extra products (no treatment)": {"": (D(0), D("0.15")), "RP-GAS": (D(5), D("0.15"))},
    }
    assert _total(report, "cost") == D("5.44")
    assert report.group_column == 0


def test_consumption_split_by_practitioner(demo_agenda, data, owner):
    report = report_consumption(
        demo_agenda.db.uow(),
        actor=owner,
        date_from=data.day(-30),
        date_to=data.day(-1),
        by="practitioner",
        category=CATEGORY,
    )
    groups = _groups(report)
    assert groups[data.practitioner_x_name] == {
        "": (D(0), D("2.63")),
        "RP-ANE": (D("1.8"), D("2.25")),
        "RP-GUA": (D(3), D("0.26")),
        "RP-GAS": (D(4), D("0.12")),
    }
    # Y did AT2, AT4 and the extra gauze; the undone AT3 counts for nothing.
    assert groups[data.practitioner_y_name] == {
        "": (D(0), D("2.81")),
        "RP-ANE": (D("1.5"), D("1.88")),
        "RP-GAS": (D(19), D("0.57")),
        "RP-GUA": (D(4), D("0.36")),
    }
    assert _total(report, "cost") == D("5.44")
    shares = report.column_values("share", RowRole.GROUP)
    assert shares == [D("0.5165"), D("0.4835")]  # 2.81 / 5.44, 2.63 / 5.44
    with pytest.raises(ValidationError):
        report_consumption(
            demo_agenda.db.uow(),
            actor=owner,
            date_from=data.day(-30),
            date_to=data.day(-1),
            by="room",
        )


def test_recipe_variance_signs_and_costs(demo_agenda, data, owner):
    report = report_recipe_variance(
        demo_agenda.db.uow(),
        actor=owner,
        date_from=data.day(-30),
        date_to=data.day(-1),
        category=CATEGORY,
    )
    rows = {
        (str(r.cells[0]), str(report.value(r, "code"))): r
        for r in report.rows
        if r.role == RowRole.DETAIL
    }

    def figures(treatment: str, code: str) -> tuple:
        row = rows[(treatment, code)]
        keys = ("uses", "recipe", "actual", "difference", "difference_pct", "difference_cost")
        return tuple(report.value(row, k) for k in keys)

    # More gloves than the recipe: positive difference, a cost at their average of 0.087.
    assert figures("Extracción simple", "RP-GUA") == (2, D(4), D(5), D(1), D("0.25"), D("0.09"))
    # Less anaesthetic: negative difference, negative cost (a saving).
    assert figures("Extracción simple", "RP-ANE") == (
        2, D("3.6"), D("3.3"), D("-0.3"), D("-0.0833"), D("-0.38"),
    )  # fmt: skip
    assert figures("Extracción simple", "RP-GAS") == (2, D(8), D(8), D(0), D(0), D("0.00"))
    assert figures("Limpieza dental", "RP-GAS") == (
        1,
        D(12),
        D(10),
        D(-2),
        D("-0.1667"),
        D("-0.06"),
    )
    # An extra has no recipe: all of it is difference, with no percentage.
    assert figures("Extra products (no treatment)", "RP-GAS") == (
        1, D(0), D(5), D(5), None, D("0.15"),
    )  # fmt: skip
    subtotals = dict(
        zip(
            (str(r.cells[0]) for r in report.rows if r.role == RowRole.GROUP),
            report.column_values("difference_cost", RowRole.GROUP),
            strict=True,
        )
    )
    assert subtotals["Extracción simple"] == D("-0.29")
    assert [report.value(t, "difference_cost") for t in report.totals] == [
        D("0.24"), D("-0.44"), D("-0.20"),
    ]  # fmt: skip


def test_margins_at_current_cost_and_realised_in_a_period(demo_agenda, data, owner):
    uow = demo_agenda.db.uow
    catalogue = report_treatment_margins(uow(), actor=owner, category=CATEGORY)
    rows = _by(catalogue, "code")
    # Inactive "Obsoleto" is left out when no period shows it was performed.
    assert set(rows) == {"RP-BLA", "RP-EXT", "RP-LIM"}
    extraction = rows["RP-EXT"]
    # 2 pairs × 0.09 + 1.8 ml × 1.30 + 4 × 0.03 = 2.64 at the products' current cost.
    assert (extraction["recipe_cost"], extraction["margin"], extraction["margin_pct"]) == (
        D("2.64"),
        D("37.36"),
        D("0.9340"),
    )
    assert (rows["RP-LIM"]["recipe_cost"], rows["RP-LIM"]["margin"]) == (D("0.27"), D("24.73"))
    assert rows["RP-BLA"]["margin_pct"] == D(1)
    assert not catalogue.wide and "performed" not in [c.key for c in catalogue.columns]

    period = report_treatment_margins(
        uow(), actor=owner, date_from=data.day(-30), date_to=data.day(-1), category=CATEGORY
    )
    rows = _by(period, "code")
    # Extracción done twice (AT1, AT4; AT3 was undone): 80 charged, stock 4.80 used.
    assert {k: rows["RP-EXT"][k] for k in ("performed", "revenue", "usage_cost", "realised")} == {
        "performed": 2,
        "revenue": D("80.00"),
        "usage_cost": D("4.80"),
        "realised": D("75.20"),
    }
    # Limpieza ×2 on one line: revenue 2 × 25, its stock 0.475 rounds to 0.48.
    assert (rows["RP-LIM"]["performed"], rows["RP-LIM"]["revenue"]) == (2, D("50.00"))
    assert rows["RP-LIM"]["realised_pct"] == D("0.9904")
    assert rows["RP-OBS"]["performed"] == 1  # inactive, but performed in the period
    assert rows["RP-OBS"]["treatment"] == "Obsoleto (inactive)"
    assert period.filters == ("Category: Prueba informes",)
    assert rows["RP-BLA"]["realised_pct"] is None  # never done: no revenue to compare with
    total = period.totals[0]
    assert [period.value(total, k) for k in ("performed", "revenue", "usage_cost", "realised")] == [
        5,
        D("140.00"),
        D("5.28"),
        D("134.72"),
    ]
    assert period.wide


def _audit_count(demo: CreatedClinic) -> int:
    with demo.db.uow().transaction(Actor.system("tests")) as session:
        return int(session.scalar(select(func.count()).select_from(AuditEntry)) or 0)


def _run_all(demo: CreatedClinic, data: ReportData, who: Actor) -> None:
    uow = demo.db.uow
    period = {"date_from": data.day(-30), "date_to": data.day(-1)}
    report_stock_valuation(uow(), actor=who)
    report_stock_movements(uow(), actor=who, **period)
    report_consumption(uow(), actor=who, **period)
    report_recipe_variance(uow(), actor=who, **period)
    report_treatment_margins(uow(), actor=who)


@pytest.mark.parametrize("username", ["recepcion", "soporte"])
def test_costs_are_refused_without_inventory_or_finance_rights(demo_agenda, data, username):
    who = actor_of(demo_agenda, username)
    before = _audit_count(demo_agenda)
    calls = [
        lambda: report_stock_valuation(demo_agenda.db.uow(), actor=who),
        lambda: report_stock_movements(
            demo_agenda.db.uow(), actor=who, date_from=data.day(-30), date_to=data.today
        ),
        lambda: report_consumption(
            demo_agenda.db.uow(), actor=who, date_from=data.day(-30), date_to=data.today
        ),
        lambda: report_recipe_variance(
            demo_agenda.db.uow(), actor=who, date_from=data.day(-30), date_to=data.today
        ),
        lambda: report_treatment_margins(demo_agenda.db.uow(), actor=who),
    ]
    for call in calls:
        with pytest.raises(PermissionDenied, match="costs"):
            call()
    assert not report_choices(demo_agenda.db.uow(), actor=who).allowed
    assert _audit_count(demo_agenda) == before


def test_either_permission_opens_the_reports_which_write_nothing(demo_agenda, data):
    assistant = actor_of(demo_agenda, "asistente")  # inventory.manage
    before = _audit_count(demo_agenda)
    _run_all(demo_agenda, data, assistant)
    assert _audit_count(demo_agenda) == before
    reception = actor_of(demo_agenda, "recepcion")
    with demo_agenda.db.uow().transaction(Actor.system("tests")) as session:
        session.add(RoleGrant(role="reception", permission="reports.finance"))
    _run_all(demo_agenda, data, reception)
    choices = report_choices(demo_agenda.db.uow(), actor=reception)
    assert choices.allowed and CATEGORY in choices.categories
    assert CATEGORY in choices.treatment_categories
    assert choices.today == data.today
