"""The financial reports on the half year of support/finance_data (its docstring has the
story), in a clinic of each country: every report reconciles with the others and with the
invoices and payments themselves, to the cent (income by practitioner = by treatment = the
income report = the issued invoices' total − tax less credit notes; the tax summary = the
invoices' tax; payments by method = income on the payments basis), the Ecuadorian figures
match sums worked out by hand, amounts of another currency never enter, and each report
states its basis, prints and saves as the accountant's CSV. Also who may run them and that
running them writes nothing."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select
from support.clinical_actors import actor as actor_of
from support.constants import OWNER_PASSWORD
from support.finance_data import AGED_TO, END, START, FinanceData, seed_finance

from clinic_desktop import i18n
from clinic_desktop.actor import Actor
from clinic_desktop.errors import PermissionDenied, ValidationError
from clinic_desktop.models.audit import AuditEntry
from clinic_desktop.models.billing import Invoice, InvoiceKind, InvoiceStatus, Payment
from clinic_desktop.services.auth import sign_in
from clinic_desktop.services.finance_reports import (
    report_income_by_method,
    report_income_expenses,
)
from clinic_desktop.services.finance_reports_breakdown import (
    report_income_by_practitioner,
    report_income_by_treatment,
)
from clinic_desktop.services.finance_reports_ledger import (
    report_cash_closes,
    report_receivables,
    report_tax_summary,
)
from clinic_desktop.services.report_csv import to_csv
from clinic_desktop.services.report_table import RowRole, TabularReport, report_pdf
from clinic_desktop.services.startup import CreatedClinic

D = Decimal
PERIOD = {"date_from": START, "date_to": END}


# agenda_kit's `madrid`: an empty clinic in Spain, owner "ana".
pytest_plugins = ["agenda_kit"]


@pytest.fixture(params=["EC", "ES"])
def books(request: pytest.FixtureRequest) -> tuple[CreatedClinic, Actor, FinanceData]:
    """A clinic of each country with the half year's billing, and its owner."""
    if request.param == "EC":
        clinic: CreatedClinic = request.getfixturevalue("demo")
        owner = actor_of(clinic, "duena")
    else:
        clinic = request.getfixturevalue("madrid")
        user = sign_in(clinic.db.uow(), username="ana", password=OWNER_PASSWORD)
        owner = Actor.for_user(user.id, user.username)
    return clinic, owner, seed_finance(clinic.db)


def _rows(report: TabularReport, key: str, value: str) -> dict[object, object]:
    """{row's `key` cell: its `value` cell} of the item rows."""
    return {report.value(r, key): report.value(r, value) for r in report.rows}


def _total(report: TabularReport, key: str) -> object:
    return report.value(report.totals[-1], key)


def _ledger(clinic: CreatedClinic, currency: str) -> tuple[D, D, D]:
    """Straight from the rows, in Python: (income net of tax, tax, money received) of P."""
    with clinic.db.uow().transaction(Actor.system("tests")) as session:
        invoices = session.scalars(
            select(Invoice).where(
                Invoice.status != InvoiceStatus.DRAFT.value,
                Invoice.issue_date >= START,
                Invoice.issue_date <= END,
                Invoice.currency == currency,
            )
        ).all()
        payments = session.scalars(
            select(Payment).where(
                Payment.day >= START, Payment.day <= END, Payment.deleted_at.is_(None)
            )
        ).all()
    signs = {i.id: -1 if i.kind == InvoiceKind.CREDIT_NOTE.value else 1 for i in invoices}
    income = sum((signs[i.id] * (i.total - i.tax_total) for i in invoices), D(0))
    tax = sum((signs[i.id] * i.tax_total for i in invoices), D(0))
    received = sum((-p.amount if p.is_refund else p.amount for p in payments), D(0))
    return income, tax, received


def test_every_report_reconciles_to_the_cent(books):
    clinic, owner, data = books
    uow = clinic.db.uow
    income, tax, received = _ledger(clinic, data.currency)
    monthly = report_income_expenses(uow(), actor=owner, **PERIOD)
    daily = report_income_expenses(uow(), actor=owner, granularity="day", **PERIOD)
    cash = report_income_expenses(uow(), actor=owner, basis="payments", **PERIOD)
    people = report_income_by_practitioner(uow(), actor=owner, **PERIOD)
    treatments = report_income_by_treatment(uow(), actor=owner, **PERIOD)
    taxes = report_tax_summary(uow(), actor=owner, **PERIOD)
    methods = report_income_by_method(uow(), actor=owner, **PERIOD)

    for report in (monthly, daily):
        assert _total(report, "income") == income
        assert sum(report.column_values("income"), D(0)) == income
    assert _total(people, "income") == sum(people.column_values("income"), D(0)) == income
    assert _total(treatments, "income") == sum(treatments.column_values("income"), D(0))
    assert _total(treatments, "income") == income
    assert _total(taxes, "base") == income
    assert _total(taxes, "tax_amount") == tax
    groups = [r for r in taxes.rows if r.role == RowRole.GROUP]
    assert sum((taxes.value(r, "tax_amount") for r in groups), D(0)) == tax
    assert _total(cash, "income") == _total(methods, "net") == received
    assert sum(methods.column_values("net"), D(0)) == received
    for report in (monthly, cash, people, treatments, taxes, methods):
        assert report.currency == data.currency


def test_ecuador_figures_match_the_sums_worked_by_hand(demo):
    seed_finance(demo.db)
    owner = actor_of(demo, "duena")
    uow = demo.db.uow
    monthly = report_income_expenses(uow(), actor=owner, **PERIOD)
    months = {r.cells[0]: r.cells[1:] for r in monthly.rows}
    # I1: 33.33 + 3 × 1.3333 = 37.33, 7.5 % off = 2.80 → 34.53; June: I9 183.32, CN2 −49.97.
    assert months["Jan 2024"] == (D("34.53"), D("0.00"), D("34.53"), D("500.00"), D("-465.47"))
    assert months["May 2024"] == (D("72.66"), D("-50.00"), D("22.66"), D("0.00"), D("22.66"))
    assert months["Jun 2024"][:3] == (D("183.32"), D("-49.97"), D("133.35"))
    assert monthly.totals[0].cells[1:] == (
        D("538.80"), D("-99.97"), D("438.83"), D("656.78"), D("-217.95"),
    )  # fmt: skip
    cash = report_income_expenses(uow(), actor=owner, basis="payments", **PERIOD)
    # 50 + 20.37 + 53.32 + 100 + 6.90 + 5.55 on account, less the 12.34 refund; expenses
    # with their tax: 500 + 141.97 + 37.33.
    assert cash.totals[0].cells[1:] == (
        D("236.14"), D("-12.34"), D("223.80"), D("679.30"), D("-455.50"),
    )  # fmt: skip

    people = report_income_by_practitioner(uow(), actor=owner, **PERIOD)
    assert _rows(people, "practitioner", "income") == {
        "Dra. Inés Ordóñez": D("271.17"),
        # CN1 names no practitioner: it subtracts from I4's.
        "Dr. Mateo Benítez": D("161.66"),
        "No practitioner": D("6.00"),
    }
    assert _rows(people, "practitioner", "credit_notes")["Dr. Mateo Benítez"] == 2

    treatments = report_income_by_treatment(uow(), actor=owner, **PERIOD)
    assert _rows(treatments, "treatment", "income") == {
        "Blanqueamiento": D("244.99"),  # 145.00 + 149.99 − CN1 50.00, by the line it returns
        "Limpieza dental": D("164.15"),  # I1's share of the discount: 2.50 of 2.80
        "Endodoncia unirradicular": D("19.99"),
        "Products sold": D("9.70"),  # 4.00 − 0.30 + 6.00
        "Other lines (typed)": D("0.00"),
    }
    assert _rows(treatments, "treatment", "quantity")["Limpieza dental"] == D(5)

    taxes = report_tax_summary(uow(), actor=owner, **PERIOD)
    groups = {
        taxes.value(r, "tax"): (taxes.value(r, "rate"), taxes.value(r, "base"),
                                taxes.value(r, "tax_amount"))
        for r in taxes.rows if r.role == RowRole.GROUP
    }  # fmt: skip
    assert groups == {
        "IVA 0 %": (D(0), D("184.14"), D("0.00")),
        # I1's goods (3.70 → 0.44) and I2's certificate (10.00 → 1.20) before April,
        # CN2 returning the certificate at I2's 12 % in June.
        "IVA 12 %": (D("0.12"), D("3.70"), D("0.44")),
        "IVA 15 %": (D("0.15"), D("250.99"), D("37.65")),
    }
    assert _total(taxes, "tax_amount") == D("38.09")

    methods = report_income_by_method(uow(), actor=owner, **PERIOD)
    assert _rows(methods, "method", "net") == {
        "Cash": D("44.56"),
        "Debit card": D("100.00"),
        "Credit card": D("20.37"),
        "Transfer": D("53.32"),
        "Other": D("5.55"),
    }
    assert _rows(methods, "method", "refunds")["Cash"] == 1


def test_periods_by_day_and_year_keep_their_edges(demo):
    seed_finance(demo.db)
    owner = actor_of(demo, "duena")
    uow = demo.db.uow
    daily = report_income_expenses(uow(), actor=owner, granularity="day", **PERIOD)
    assert len(daily.rows) == 182  # every day of a leap half year, empty ones included
    by_day = _rows(daily, "period", "income")
    assert by_day[date(2024, 2, 29)] == D("49.97")
    assert by_day[date(2024, 6, 30)] == D("-49.97")  # CN2 alone
    yearly = report_income_expenses(
        uow(), actor=owner, granularity="year", date_from=date(2023, 12, 31),
        date_to=date(2024, 7, 1),
    )  # fmt: skip
    # I6 on the first day and I7 on the last day count; so do the expenses of those days.
    assert _rows(yearly, "period", "income") == {"2023": D("33.33"), "2024": D("458.82")}
    assert _rows(yearly, "period", "expenses") == {"2023": D("500.00"), "2024": D("666.79")}


def test_receivables_age_open_balances(demo):
    seed_finance(demo.db)
    owner = actor_of(demo, "duena")
    report = report_receivables(demo.db.uow(), actor=owner, today=AGED_TO)
    rows = {
        report.value(r, "buyer"): (report.value(r, "days"), report.value(r, "balance"),
                                   [report.value(r, f"age_{i}") for i in range(4)])
        for r in report.rows
    }  # fmt: skip
    # I2 is credited in full and partly refunded (owed back, not owed); I1, I3, I5 are paid;
    # the draft, the credit notes and the other currency's invoice are not receivables.
    assert rows == {
        "Comprador I6": (213, D("13.33"), [None, None, None, D("13.33")]),
        "Comprador I4": (121, D("9.25"), [None, None, None, D("9.25")]),  # 166.75−100−57.50
        "Comprador I8": (61, D("66.66"), [None, None, D("66.66"), None]),
        "Comprador I9": (41, D("205.82"), [None, D("205.82"), None, None]),
        "Comprador I7": (30, D("0.99"), [D("0.99"), None, None, None]),
    }
    assert report.totals[0].cells[5:] == (
        D("296.05"), D("0.99"), D("205.82"), D("66.66"), D("22.58"),
    )  # fmt: skip


def test_cash_closes_list_their_differences(demo):
    seed_finance(demo.db)
    owner = actor_of(demo, "duena")
    report = report_cash_closes(demo.db.uow(), actor=owner, **PERIOD)
    assert [(r.cells[0], r.cells[5], r.cells[6]) for r in report.rows] == [
        (date(2024, 1, 15), D("0.00"), ""),
        (date(2024, 5, 10), D("-0.05"), "Faltan 5 centavos"),
    ]
    assert report.totals[0].cells[3:6] == (D("56.90"), D("56.85"), D("-0.05"))


def test_other_currency_never_enters(demo):
    """The clinic is in dollars: the euro invoice of the data counts nowhere, and each
    report says which currency its amounts are in."""
    data = seed_finance(demo.db)
    owner = actor_of(demo, "duena")
    uow = demo.db.uow
    with uow().transaction(Actor.system("tests")) as session:
        foreign = session.get(Invoice, data.invoices["FOREIGN"])
        assert foreign is not None and foreign.currency == "EUR"
        assert foreign.issue_date is not None and START <= foreign.issue_date <= END
    everything = report_income_expenses(uow(), actor=owner, **PERIOD)
    assert _total(everything, "income") == D("438.83")
    assert "Amounts in USD" in everything.basis
    receivables = report_receivables(uow(), actor=owner, today=AGED_TO)
    assert "Comprador FOREIGN" not in receivables.column_values("buyer")


def test_each_report_states_its_basis(demo):
    seed_finance(demo.db)
    owner = actor_of(demo, "duena")
    uow = demo.db.uow
    on_invoices = (
        report_income_expenses(uow(), actor=owner, **PERIOD),
        report_income_by_practitioner(uow(), actor=owner, **PERIOD),
        report_income_by_treatment(uow(), actor=owner, **PERIOD),
        report_tax_summary(uow(), actor=owner, **PERIOD),
    )
    on_payments = (
        report_income_expenses(uow(), actor=owner, basis="payments", **PERIOD),
        report_income_by_method(uow(), actor=owner, **PERIOD),
    )
    for report in on_invoices:
        assert report.basis.startswith("Basis: issued invoices."), report.key
    for report in on_payments:
        assert report.basis.startswith("Basis: payments received."), report.key
    assert "net of tax" in on_invoices[0].basis
    assert "with their tax" in on_payments[0].basis
    assert report_receivables(uow(), actor=owner).basis.startswith("Basis: issued invoices.")
    assert report_cash_closes(uow(), actor=owner, **PERIOD).basis.startswith("Basis: cash closes.")


def _spanish(monkeypatch: pytest.MonkeyPatch) -> None:
    """Spanish for this test (the conftest switches back to English afterwards)."""
    i18n.set_language("es")


def test_csv_for_the_accountant_and_pdf(demo, monkeypatch):
    seed_finance(demo.db)
    owner = actor_of(demo, "duena")
    uow = demo.db.uow
    _spanish(monkeypatch)
    report = report_income_expenses(uow(), actor=owner, **PERIOD)
    text = to_csv(report).decode("utf-8")
    assert text.startswith("\ufeffMes;Facturado;Notas de crédito;Ingresos;Gastos;Beneficio")
    lines = text.splitlines()
    assert "ene 2024;34,53;0,00;34,53;500,00;-465,47" in lines
    assert lines[-1] == "Total;538,80;-99,97;438,83;656,78;-217,95"
    taxes = to_csv(report_tax_summary(uow(), actor=owner, **PERIOD)).decode("utf-8")
    # Group rows are left out, so a spreadsheet's sum of the base column counts each once.
    assert taxes.count("IVA 12 %;12;") == 2

    pdf = report_pdf(uow(), actor=owner, report=report)
    pages = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "Ingresos, gastos y beneficio" in pages
    assert "Criterio: facturas emitidas." in " ".join(pages.split())
    assert "$438,83" in pages and "Clínica Demo San Rafael" in pages


def test_madrid_prints_in_euros(madrid):
    seed_finance(madrid.db)
    user = sign_in(madrid.db.uow(), username="ana", password=OWNER_PASSWORD)
    owner = Actor.for_user(user.id, user.username)
    report = report_tax_summary(madrid.db.uow(), actor=owner, **PERIOD)
    labels = [report.value(r, "tax") for r in report.rows if r.role == RowRole.GROUP]
    assert labels == ["Exempt, medical care (art. 20.Uno.3º LIVA)", "IVA 21 %"]
    pdf = report_pdf(madrid.db.uow(), actor=owner, report=report)
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "€" in text and "$" not in text


def _audit_count(clinic: CreatedClinic) -> int:
    with clinic.db.uow().transaction(Actor.system("tests")) as session:
        return session.scalar(select(func.count()).select_from(AuditEntry)) or 0


def test_finance_reports_need_their_permission_and_write_nothing(demo):
    seed_finance(demo.db)
    reception = actor_of(demo, "recepcion")  # takes payments, but sees no finance reports
    owner = actor_of(demo, "duena")
    uow = demo.db.uow
    before = _audit_count(demo)
    calls = (
        lambda who: report_income_expenses(uow(), actor=who, **PERIOD),
        lambda who: report_income_by_practitioner(uow(), actor=who, **PERIOD),
        lambda who: report_income_by_treatment(uow(), actor=who, **PERIOD),
        lambda who: report_income_by_method(uow(), actor=who, **PERIOD),
        lambda who: report_tax_summary(uow(), actor=who, **PERIOD),
        lambda who: report_receivables(uow(), actor=who),
        lambda who: report_cash_closes(uow(), actor=who, **PERIOD),
    )
    for call in calls:
        with pytest.raises(PermissionDenied, match="Financial reports"):
            call(reception)
        assert call(owner).rows
    assert _audit_count(demo) == before


def test_bad_choices_name_their_field(demo):
    owner = actor_of(demo, "duena")
    uow = demo.db.uow
    with pytest.raises(ValidationError) as backwards:
        report_income_expenses(uow(), actor=owner, date_from=END, date_to=START)
    assert backwards.value.field == "date_to"
    with pytest.raises(ValidationError) as too_long:
        report_income_expenses(
            uow(), actor=owner, granularity="day", date_from=date(2020, 1, 1), date_to=END
        )
    assert too_long.value.field == "granularity"
    with pytest.raises(ValidationError) as basis:
        report_income_expenses(uow(), actor=owner, basis="cash", **PERIOD)
    assert basis.value.field == "basis"
