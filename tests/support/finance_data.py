"""Half a year of billing for the financial reports' tests, written straight into the models
the way the invoice, payment, cash-close and expense services will write them: amounts by
fiscal.invoice_math.compute_totals (so every invoice's lines, bases, taxes and total agree to
the cent), credit notes with positive amounts pointing at the invoice they correct, payments
always positive with refunds flagged, and invoices' paid/credited totals and statuses kept as
the services keep them. Everything is in 2024 (the demo's own billing is around today) and
works for a clinic of either country: Ecuador taxes the goods at IVA 15 %, which was 12 %
before 2024-04-01, so one tax code shows two percents; Spain exempts the care (art. 20) and
taxes the goods at 21 %. A credit note returns tax at the rates of the invoice it corrects
(CN2, in June, at I2's 12 %). Amounts are awkward on purpose (33.33, 19.99 with a cent off, a
7.5 % discount on the total, 3 × 1.3333).

    period P = 2024-01-01 .. 2024-06-30; ages counted to 2024-07-31 (AGED_TO)
    I1 01-15 A  T1 33.33 + P1 3 × 1.3333, 7.5 % off    paid by Pay1 (cash 50.00, rest on account)
    I2 02-29 B  T2 2 × 19.99 − 0.01 + free 10.00      Pay2 20.37 card; CN2 credits it all; R1
                                                      refunds 12.34 cash on 06-30
    I3 03-31 A  T1 33.33 + T2 19.99                   paid in full by transfer
    I4 04-01 B  T3 149.99, 3.33 % off                 Pay4 100.00 debit; CN1 50.00 (no
                                                      practitioner, no treatment on the line:
                                                      both come from what it corrects)
    I5 05-10 -  P1 7 × 0.8571 (no practitioner)        paid in cash; that day's close is 0.05 short
    I8 05-31 B  T1 2 × 33.33                          unpaid (61–90 days)
    I9 06-20 A  T3 149.99 + T1 33.33                  unpaid (31–60 days)
    outside P: I6 2023-12-31 A (part paid, > 90 days), I7 2024-07-01 B (part paid, 0–30);
    ignored: a draft, an invoice in the other currency, a deleted payment, a deleted expense.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from clinic_desktop.actor import Actor
from clinic_desktop.fiscal.invoice_math import LineInput, compute_totals
from clinic_desktop.fiscal.tax_rates import rate_for
from clinic_desktop.models.appointment import Appointment, AppointmentStatus
from clinic_desktop.models.billing import (
    CashClose,
    CashCloseLine,
    Invoice,
    InvoiceKind,
    InvoiceLine,
    InvoiceStatus,
    LineSource,
    Payment,
    PaymentAllocation,
)
from clinic_desktop.models.clinic import Clinic
from clinic_desktop.models.expense import Expense
from clinic_desktop.models.inventory import Product
from clinic_desktop.models.patient import Patient
from clinic_desktop.models.schedule import Practitioner
from clinic_desktop.models.treatment import RecipeItem, Treatment
from clinic_desktop.models.user import User

SYSTEM = Actor.system("tests")
D = Decimal
START, END = date(2024, 1, 1), date(2024, 6, 30)
AGED_TO = date(2024, 7, 31)
STATION = "RECEPCION-1"
SERVICE = {"EC": "EC_IVA_0", "ES": "ES_EXENTO_ART20"}
GOODS = {"EC": "EC_IVA_15", "ES": "ES_IVA_21"}
OTHER_CURRENCY = {"USD": "EUR", "EUR": "USD"}


@dataclass
class FinanceData:
    country: str
    currency: str
    practitioner_a: uuid.UUID
    practitioner_b: uuid.UUID
    treatments: dict[str, uuid.UUID]  # by code
    invoices: dict[str, uuid.UUID] = field(default_factory=dict)  # by name in the docstring
    recipe_cost: dict[str, Decimal] = field(default_factory=dict)  # per unit, by code


# The half year's treatments: code -> (name, list price, "service" or "goods" for its tax).
CARE = {
    "FN-LIM": ("Limpieza dental", "33.33", "service"),
    "FN-END": ("Endodoncia unirradicular", "19.99", "service"),
    "FN-BLA": ("Blanqueamiento", "149.99", "goods"),
}


@dataclass(frozen=True)
class Line:
    source: LineSource
    description: str
    quantity: str
    price: str
    tax: str  # "service" or "goods"
    discount: str = "0"
    treatment: str | None = None  # code
    product: bool = False
    corrects: int | None = None  # position of the corrected invoice's line


def seed_finance(db: object, *, appointments: bool = False) -> FinanceData:
    """The data of the module's docstring; `appointments` also books a few (needs patients)."""
    uow = db.uow  # type: ignore[attr-defined]
    with uow().transaction(SYSTEM) as session:
        clinic = session.scalars(select(Clinic)).one()
        a = _practitioner(session, "Dra. Inés Ordóñez")
        b = _practitioner(session, "Dr. Mateo Benítez")
        product = Product(
            code="FN-CEP",
            name="Cepillo interdental",
            cost=D("0.8571"),
            tax_code=GOODS[clinic.country],
            reorder_level=D(5),
        )
        session.add(product)
        session.flush()
        treatments = {
            code: _treatment(session, code, name, price)
            for code, (name, price, _tax) in CARE.items()
        }
        session.add(
            RecipeItem(treatment_id=treatments["FN-LIM"], product_id=product.id, quantity=D(3))
        )
        data = FinanceData(
            clinic.country,
            clinic.currency,
            a,
            b,
            treatments,
            recipe_cost={"FN-LIM": D("3") * D("0.8571"), "FN-END": D(0), "FN-BLA": D(0)},
        )
        writer = _Writer(session, data, product.id)
        _billing(writer, a, b)
        _expenses(session)
        _cash_closes(session, writer)
        if appointments:
            _appointments(session, a, ZoneInfo(clinic.timezone))
        return data


def _done(
    code: str, quantity: str = "1", *, discount: str = "0", corrects: int | None = None
) -> Line:
    """A line for treatment `code` of CARE, at its list price and tax."""
    name, price, tax = CARE[code]
    return Line(LineSource.TREATMENT, name, quantity, price, tax, discount, code, corrects=corrects)


def _billing(w: _Writer, a: uuid.UUID, b: uuid.UUID) -> None:
    w.invoice(
        "I1",
        date(2024, 1, 15),
        a,
        [
            _done("FN-LIM"),
            Line(LineSource.PRODUCT, "Cepillo interdental", "3", "1.3333", "goods", product=True),
        ],
        discount="7.50",
    )
    w.invoice(
        "I2",
        date(2024, 2, 29),
        b,
        [
            _done("FN-END", "2", discount="0.01"),
            Line(LineSource.FREE, "Certificado médico", "1", "10.00", "goods"),
        ],
    )
    w.invoice("I3", date(2024, 3, 31), a, [_done("FN-LIM"), _done("FN-END")])
    w.invoice("I4", date(2024, 4, 1), b, [_done("FN-BLA")], discount="3.33")
    w.invoice(
        "I5",
        date(2024, 5, 10),
        None,
        [
            Line(LineSource.PRODUCT, "Cepillo interdental", "7", "0.8571", "goods", product=True),
        ],
    )
    w.invoice("I8", date(2024, 5, 31), b, [_done("FN-LIM", "2")])
    w.invoice("I9", date(2024, 6, 20), a, [_done("FN-BLA"), _done("FN-LIM")])
    w.invoice("I6", date(2023, 12, 31), a, [_done("FN-LIM")])
    w.invoice("I7", date(2024, 7, 1), b, [_done("FN-END")])
    # A partial credit of I4 written without practitioner or treatment: both follow the
    # invoice and line it corrects.
    w.invoice(
        "CN1",
        date(2024, 5, 20),
        None,
        [
            Line(
                LineSource.TREATMENT, "Blanqueamiento (rebaja)", "1", "50.00", "goods", corrects=0
            ),
        ],
        credit_note_of="I4",
    )
    w.invoice(
        "CN2",
        date(2024, 6, 30),
        b,
        [
            _done("FN-END", "2", discount="0.01", corrects=0),
            Line(LineSource.FREE, "Certificado médico", "1", "10.00", "goods", corrects=1),
        ],
        credit_note_of="I2",
    )
    # Never counted: a draft, and an invoice in the other currency.
    w.invoice("DRAFT", date(2024, 3, 1), a, [_done("FN-LIM", "5")], draft=True)
    w.invoice(
        "FOREIGN",
        date(2024, 3, 15),
        a,
        [_done("FN-LIM", "3")],
        currency=OTHER_CURRENCY[w.data.currency],
    )

    w.pay(date(2024, 1, 15), "cash", "50.00", [("I1", None)], tendered="50.00")
    w.pay(date(2024, 2, 29), "credit_card", "20.37", [("I2", "20.37")])
    w.pay(date(2024, 3, 31), "transfer", None, [("I3", None)])
    w.pay(date(2024, 4, 2), "debit_card", "100.00", [("I4", "100.00")])
    w.pay(date(2024, 5, 10), "cash", None, [("I5", None)])
    w.pay(date(2024, 6, 15), "other", "5.55", [])  # on account
    w.pay(date(2024, 6, 30), "cash", "12.34", [("I2", "12.34")], refund=True)
    w.pay(date(2023, 12, 31), "cash", "20.00", [("I6", "20.00")])
    w.pay(date(2024, 7, 1), "cash", "19.00", [("I7", "19.00")])
    w.pay(date(2024, 3, 10), "cash", "99.99", [], deleted=True)
    for name in ("I2", "I4"):
        w.settle(name)


def _expenses(session: Session) -> None:
    for day, category, net, tax, deleted in (
        (date(2024, 1, 31), "Alquiler", "500.00", "0.00", False),
        (date(2024, 2, 15), "Material", "123.45", "18.52", False),
        (date(2024, 6, 30), "Servicios", "33.33", "4.00", False),
        (date(2024, 7, 1), "Servicios", "10.01", "1.20", False),
        (date(2023, 12, 31), "Alquiler", "500.00", "0.00", False),
        (date(2024, 3, 3), "Material", "77.77", "9.33", True),
    ):
        expense = Expense(
            expense_date=day,
            category=category,
            net=D(net),
            tax=D(tax),
            total=D(net) + D(tax),
            payment_method="transfer",
        )
        if deleted:
            expense.deleted_at = datetime(2024, 3, 4, tzinfo=UTC)
        session.add(expense)
    session.flush()


def _cash_closes(session: Session, w: _Writer) -> None:
    user_id = session.scalars(select(User.id).order_by(User.created_at)).first()
    assert user_id is not None
    i5 = w.totals["I5"]
    for day, expected, counted, comment in (
        (date(2024, 1, 15), D("50.00"), D("50.00"), ""),
        (date(2024, 5, 10), i5, i5 - D("0.05"), "Faltan 5 centavos"),
        (date(2024, 7, 1), D("19.00"), D("19.00"), ""),
    ):
        close = CashClose(
            day=day,
            workstation=STATION,
            user_id=user_id,
            closed_at=datetime.combine(day, time(23), tzinfo=UTC),
            comment=comment,
            expected_total=expected,
            counted_total=counted,
        )
        session.add(close)
        session.flush()
        session.add(
            CashCloseLine(cash_close_id=close.id, method="cash", expected=expected, counted=counted)
        )
    session.flush()


def _appointments(session: Session, practitioner: uuid.UUID, zone: ZoneInfo) -> None:
    """Jan: 3 completed (one at 23:30 on the 31st, which is February in UTC), 1 no-show,
    1 cancelled; Feb: 2 completed; Mar: 1 no-show, 1 left scheduled in the past."""
    patient = session.scalars(select(Patient.id).order_by(Patient.chart_number)).first()
    assert patient is not None, "appointments need a patient (use the demo clinic)"
    S = AppointmentStatus
    for day, clock, status in (
        (date(2024, 1, 8), time(9), S.COMPLETED),
        (date(2024, 1, 9), time(9), S.COMPLETED),
        (date(2024, 1, 31), time(23, 30), S.COMPLETED),
        (date(2024, 1, 10), time(9), S.NO_SHOW),
        (date(2024, 1, 11), time(9), S.CANCELLED),
        (date(2024, 2, 5), time(9), S.COMPLETED),
        (date(2024, 2, 6), time(9), S.COMPLETED),
        (date(2024, 3, 4), time(9), S.NO_SHOW),
        (date(2024, 3, 5), time(9), S.SCHEDULED),
    ):
        start = datetime.combine(day, clock, tzinfo=zone).astimezone(UTC)
        session.add(
            Appointment(
                patient_id=patient,
                practitioner_id=practitioner,
                start_at=start,
                end_at=start + timedelta(minutes=30),
                status=status.value,
            )
        )
    session.flush()


def _practitioner(session: Session, name: str) -> uuid.UUID:
    row = Practitioner(display_name=name)
    session.add(row)
    session.flush()
    return row.id


def _treatment(session: Session, code: str, name: str, price: str) -> uuid.UUID:
    row = Treatment(code=code, name=name, category="Pruebas finanzas", price=D(price))
    session.add(row)
    session.flush()
    return row.id


class _Writer:
    def __init__(self, session: Session, data: FinanceData, product_id: uuid.UUID) -> None:
        self.session = session
        self.data = data
        self.product_id = product_id
        self.rows: dict[str, Invoice] = {}
        self.lines: dict[str, list[InvoiceLine]] = {}
        self.totals: dict[str, Decimal] = {}
        self.number = 0

    def invoice(
        self,
        name: str,
        day: date,
        practitioner: uuid.UUID | None,
        lines: list[Line],
        *,
        discount: str = "0",
        credit_note_of: str | None = None,
        draft: bool = False,
        currency: str | None = None,
    ) -> None:
        country = self.data.country
        codes = {"service": SERVICE[country], "goods": GOODS[country]}
        corrected = self.rows[credit_note_of] if credit_note_of else None
        # A credit note returns tax at the rates of the invoice it corrects.
        rated_on = corrected.issue_date if corrected and corrected.issue_date else day
        rates = [rate_for(codes[line.tax], rated_on) for line in lines]
        totals = compute_totals(
            [
                LineInput(
                    D(li.quantity),
                    D(li.price),
                    D(li.discount),
                    rate.code,
                    rate.percent,
                    rate.exempt,
                )
                for li, rate in zip(lines, rates, strict=True)
            ],
            D(discount),
        )
        self.number += 1
        row = Invoice(
            kind=(InvoiceKind.CREDIT_NOTE if corrected else InvoiceKind.INVOICE).value,
            status=(InvoiceStatus.DRAFT if draft else InvoiceStatus.ISSUED).value,
            country=country,
            currency=currency or self.data.currency,
            number=None if draft else self.number,
            number_text=None if draft else f"001-001-{self.number:09d}",
            issue_date=None if draft else day,
            issued_at=None if draft else datetime.combine(day, time(15), tzinfo=UTC),
            practitioner_id=practitioner,
            buyer_name=f"Comprador {name}",
            discount_percent=D(discount),
            subtotal=totals.subtotal,
            discount_total=totals.discount,
            tax_total=totals.tax,
            total=totals.total,
            corrects_id=corrected.id if corrected else None,
            correction_reason="Rebaja acordada" if corrected else "",
        )
        self.session.add(row)
        self.session.flush()
        written = []
        for position, (li, rate, amounts) in enumerate(
            zip(lines, rates, totals.lines, strict=True)
        ):
            returned = None
            if credit_note_of is not None and li.corrects is not None:
                returned = self.lines[credit_note_of][li.corrects]
            line = InvoiceLine(
                invoice_id=row.id,
                position=position,
                source=li.source.value,
                treatment_id=self.data.treatments[li.treatment] if li.treatment else None,
                product_id=self.product_id if li.product else None,
                corrects_line_id=returned.id if returned else None,
                description=li.description,
                quantity=D(li.quantity),
                unit_price=D(li.price),
                discount=D(li.discount),
                net=amounts.net,
                global_discount=amounts.global_discount,
                tax_code=rate.code,
                tax_percent=rate.percent,
                tax_official=rate.official,
            )
            self.session.add(line)
            written.append(line)
        self.session.flush()
        self.rows[name], self.lines[name], self.totals[name] = row, written, totals.total
        self.data.invoices[name] = row.id
        if corrected is not None:
            corrected.credited_total += totals.total
            corrected.settle()
            row.settle()

    def pay(
        self,
        day: date,
        method: str,
        amount: str | None,
        allocations: list[tuple[str, str | None]],
        *,
        tendered: str | None = None,
        refund: bool = False,
        deleted: bool = False,
    ) -> None:
        """`amount` None: exactly the one invoice's total; an allocation of None: all of it."""
        shares = [(n, self.totals[n] if a is None else D(a)) for n, a in allocations]
        money = sum((s for _n, s in shares), D(0)) if amount is None else D(amount)
        at = datetime.combine(day, time(16), tzinfo=UTC)
        payment = Payment(
            method=method,
            amount=money,
            is_refund=refund,
            paid_at=at,
            day=day,
            workstation=STATION,
            payer_name="Pagador",
            tendered=D(tendered) if tendered else None,
            change=D(tendered) - money if tendered else D(0),
        )
        if deleted:
            payment.deleted_at = at
        self.session.add(payment)
        self.session.flush()
        for name, share in shares:
            self.session.add(
                PaymentAllocation(
                    payment_id=payment.id, invoice_id=self.rows[name].id, amount=share
                )
            )
            invoice = self.rows[name]
            invoice.paid_total += -share if refund else share
            invoice.settle()
        self.session.flush()

    def settle(self, name: str) -> None:
        self.rows[name].settle()
        self.session.flush()
