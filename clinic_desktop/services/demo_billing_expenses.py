"""Two years of the demo clinic's expenses, so the income-versus-expenses report and the
dashboard show a real clinic: rent (raised a year ago) and salaries as recurring expenses made
with the recurring-expense service and generated month by month by
`recurring_expenses.generate_due_expenses`; the monthly bills (electricity, water, internet),
supplies bought from the suppliers on file, advertising, maintenance, the yearly permits and
fees, two pieces of equipment and cleaning supplies as one-off expenses; the expense of the
received purchase order made by `expense_from_purchase_order`; and last month's supplies
invoice (a PDF) and electricity bill (a photo, PNG) entered with `create_expense` and their
receipts attached with `attach_receipt`. The owner keeps these books. Amounts are in USD with
Ecuador's IVA of 15 % where it applies (electricity, water and permits pay none). The amounts
below are those of a clinic invoicing about USD 6,900 a month; a demo of another size (the
patient count sets how many visits it invoices) gets every amount scaled to its own invoiced
income, so that expenses take about 70 % of it as in a clinic that pays its way, rather than a
200-patient demo showing a loss every month."""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from sqlalchemy import select

from clinic_desktop.actor import Actor
from clinic_desktop.db.uow import Database
from clinic_desktop.fiscal.invoice_math import cents
from clinic_desktop.models.billing import Invoice, InvoiceKind, InvoiceStatus, PaymentMethod
from clinic_desktop.models.expense import Expense
from clinic_desktop.models.inventory import Supplier
from clinic_desktop.models.purchasing import OrderStatus, PurchaseOrder
from clinic_desktop.services.demo_billing_receipts import electricity_png, supplier_invoice_pdf
from clinic_desktop.services.expense_dto import ExpenseForm, RecurringForm
from clinic_desktop.services.expense_receipts import attach_receipt
from clinic_desktop.services.expenses import create_expense, expense_from_purchase_order
from clinic_desktop.services.recurring_expenses import (
    create_recurring_expense,
    day_in_month,
    generate_due_expenses,
    month_start,
    next_month,
    previous_month,
)

D = Decimal
IVA = D("0.15")
MONTHS = 24
TRANSFER, CASH, CARD = (PaymentMethod.TRANSFER, PaymentMethod.CASH, PaymentMethod.CREDIT_CARD)
LANDLORD = "Inmobiliaria Amazonas S.A."
# The net monthly expenses of the books below, and the share of income they are scaled to.
BASE_EXPENSES = D(4800)
EXPENSE_SHARE = D("0.70")


@dataclass
class ExpenseStats:
    recurring: int = 0
    generated: int = 0
    one_off: int = 0
    from_order: int = 0
    receipts: int = 0


def _months_back(first: date, count: int) -> date:
    for _ in range(count):
        first = previous_month(first)
    return first


def add_expenses(
    db: Database, *, actor: Actor, seed: int, now: datetime, zone: ZoneInfo
) -> ExpenseStats:
    """Everything above, up to today (and never after today on the real calendar, which the
    expense services refuse)."""
    stats = ExpenseStats()
    uow = db.uow()
    through = min(now.astimezone(zone).date(), datetime.now(zone).date())
    first = _months_back(month_start(through), MONTHS - 1)
    raised = _months_back(month_start(through), 11)
    scale = _scale(db, actor, first, month_start(through))
    rent, new_rent = _round(D(1650) * scale, 10), _round(D(1750) * scale, 10)
    fees = _round(D(300) * scale, 5)
    for form in (
        RecurringForm(
            category="rent", starts_on=first, ends_on=raised - timedelta(days=1),
            description="Arriendo del local, Av. Amazonas N34-120", supplier_name=LANDLORD,
            net=rent, tax=cents(rent * IVA), payment_method=TRANSFER, day_of_month=5,
        ),
        RecurringForm(
            category="rent", starts_on=raised, description="Arriendo del local, Av. Amazonas "
            "N34-120 (nuevo contrato)", supplier_name=LANDLORD, net=new_rent,
            tax=cents(new_rent * IVA), payment_method=TRANSFER, day_of_month=5,
        ),
        RecurringForm(
            category="salaries", starts_on=first,
            description="Sueldos y aportes al IESS del personal",
            supplier_name="Nómina", total=cents(D("1985.40") * scale), payment_method=TRANSFER,
            day_of_month=31,
        ),
        RecurringForm(
            category="services", starts_on=first, description="Honorarios contables mensuales",
            supplier_name="Estudio Contable Vera & Asociados", net=fees, tax=cents(fees * IVA),
            payment_method=TRANSFER, day_of_month=10,
        ),
    ):  # fmt: skip
        create_recurring_expense(uow, actor=actor, form=form)
        stats.recurring += 1
    with uow.transaction(actor) as session:
        stats.generated = len(generate_due_expenses(session, through=through))
        suppliers = {
            name: supplier_id
            for supplier_id, name in session.execute(select(Supplier.id, Supplier.name))
        }
        rows = _one_offs(random.Random(f"expenses-{seed}"), first, through, suppliers, scale)
        session.add_all(rows)
        session.flush()
        stats.one_off = len(rows)
        order_id = session.scalar(
            select(PurchaseOrder.id)
            .where(PurchaseOrder.status == OrderStatus.RECEIVED.value)
            .order_by(PurchaseOrder.number)
            .limit(1)
        )
        delivered = session.scalar(
            select(PurchaseOrder.expected_on).where(PurchaseOrder.id == order_id)
        )
    if order_id is not None:
        expense_from_purchase_order(
            uow, actor=actor, order_id=order_id, expense_date=min(delivered or through, through)
        )
        stats.from_order = 1
    stats.receipts = _with_receipts(db, actor, previous_month(month_start(through)), suppliers)
    return stats


def _round(amount: Decimal, step: int) -> Decimal:
    """`amount` to the nearest `step` dollars (a rent of $580.00, not $577.43)."""
    return max(D(step), (amount / step).quantize(D(1)) * step).quantize(D("0.01"))


def _scale(db: Database, actor: Actor, first: date, before: date) -> Decimal:
    """The factor that makes the books above take EXPENSE_SHARE of the demo's income: its
    invoiced income (net of tax, credit notes aside) per month it invoiced, from `first` to
    the month `before` (the current month is still going). 1 when nothing was invoiced."""
    with db.uow().transaction(actor) as session:
        rows = session.execute(
            select(Invoice.issue_date, Invoice.total, Invoice.tax_total).where(
                Invoice.status != InvoiceStatus.DRAFT.value,
                Invoice.kind != InvoiceKind.CREDIT_NOTE.value,
                Invoice.issue_date >= first,
                Invoice.issue_date < before,
            )
        ).all()
    months = {(day.year, day.month) for day, _total, _tax in rows if day is not None}
    if not months:
        return D(1)
    monthly = sum((total - tax for _day, total, tax in rows), D(0)) / len(months)
    return min(max(monthly * EXPENSE_SHARE / BASE_EXPENSES, D("0.02")), D(4))


@dataclass(frozen=True)
class Bill:
    """A one-off expense that comes back: on `day` of the month, in months whose index from
    the first is `offset` modulo `every` (or in calendar `month`), with probability `chance`,
    for an amount between `low` and `high`."""

    day: int
    category: str
    description: str
    low: Decimal
    high: Decimal
    supplier: str
    taxed: bool = True
    method: PaymentMethod = TRANSFER
    doc: str = ""
    every: int = 1
    offset: int = 0
    chance: float = 1.0
    month: int = 0
    on_file: bool = False  # the supplier is one of the clinic's suppliers on file


BILLS = (
    Bill(12, "utilities", "Energía eléctrica", D(85), D(140), "Empresa Eléctrica Quito",
         taxed=False, doc="EEQ"),
    Bill(18, "utilities", "Agua potable", D(22), D(40), "EPMAPS Agua de Quito", taxed=False,
         doc="EPMAPS"),
    Bill(8, "utilities", "Internet 300 Mbps y telefonía fija", D("49.90"), D("49.90"),
         "Netlife", method=CARD),
    Bill(20, "marketing", "Publicidad en redes sociales", D(60), D(150), "Meta Platforms",
         method=CARD, chance=0.5),
    Bill(26, "other", "Insumos de limpieza y cafetería", D(35), D(70), "Supermaxi",
         method=CASH, every=2, offset=1),
    Bill(14, "maintenance", "Mantenimiento preventivo del sillón dental", D(180), D(180),
         "Servidental Técnico", every=8, offset=3),
    Bill(22, "maintenance", "Mantenimiento y validación del autoclave", D(120), D(120),
         "Servidental Técnico", every=12, offset=7),
    Bill(15, "taxes_fees", "Tasa de prevención de incendios", D(45), D(45),
         "Cuerpo de Bomberos de Quito", taxed=False, month=1),
    Bill(15, "taxes_fees", "Patente municipal anual", D(180), D(180), "Municipio de Quito",
         taxed=False, month=2),
    Bill(15, "taxes_fees", "Permiso de funcionamiento", D("112.50"), D("112.50"), "ARCSA",
         taxed=False, month=3),
    Bill(9, "equipment", "Lámpara de fotocurado LED", D(420), D(420), "Dental Andina S.A.",
         every=MONTHS, offset=5, on_file=True),
    Bill(9, "equipment", "Esterilizador autoclave 18 L", D(2850), D(2850),
         "Medisumi Cía. Ltda.", every=MONTHS, offset=15, on_file=True),
)  # fmt: skip
# Supplies are bought every month from one of these suppliers on file.
SUPPLIES_FROM = ("Dental Andina S.A.", "Medisumi Cía. Ltda.", "Farmacéutica del Pichincha")


def _amount(rng: random.Random, low: Decimal, high: Decimal) -> Decimal:
    if low == high:
        return low
    return D(rng.randint(int(low * 100), int(high * 100))) / 100


def _expense(
    day: date,
    bill: Bill,
    net: Decimal,
    suppliers: dict[str, uuid.UUID],
    *,
    description: str = "",
    document: str = "",
) -> Expense:
    supplier_id = suppliers.get(bill.supplier) if bill.on_file else None
    tax = cents(net * IVA) if bill.taxed else D("0.00")
    return Expense(
        expense_date=day, category=bill.category, description=description or bill.description,
        supplier_id=supplier_id, supplier_name="" if supplier_id else bill.supplier,
        document_number=document, net=net, tax=tax, total=net + tax,
        payment_method=bill.method.value, recurring_id=None, purchase_order_id=None, notes="",
    )  # fmt: skip


def _one_offs(
    rng: random.Random,
    first: date,
    through: date,
    suppliers: dict[str, uuid.UUID],
    scale: Decimal,
) -> list[Expense]:
    rows: list[Expense] = []
    month, index = first, 0
    while month <= through:
        bills = [
            bill
            for bill in BILLS
            if (bill.month == 0 or bill.month == month.month) and index % bill.every == bill.offset
        ]
        shop = rng.choice(SUPPLIES_FROM)
        bills.append(
            Bill(rng.randint(3, 25), "supplies", "Insumos odontológicos y de curación", D(120),
                 D(480), shop, on_file=True)
        )  # fmt: skip
        for bill in bills:
            if bill.chance < 1 and rng.random() >= bill.chance:
                continue
            day = day_in_month(month, bill.day)
            net = _amount(rng, bill.low, bill.high)
            net = max(cents(net * scale), D("1.00"))
            if day > through:
                continue
            document = f"{bill.doc}-{month:%Y%m}" if bill.doc else ""
            if bill.category == "supplies":
                document = f"001-002-{rng.randint(1000, 99999):09d}"
            rows.append(_expense(day, bill, net, suppliers, document=document))
        month, index = next_month(month), index + 1
    return rows


def _with_receipts(db: Database, actor: Actor, month: date, suppliers: dict[str, uuid.UUID]) -> int:
    """Last month's supplies invoice (PDF) and a second electricity bill (the photo of the
    slip, PNG), entered with the expense service and their receipts attached."""
    uow = db.uow()
    supplier = "Dental Andina S.A."
    supplier_id = suppliers.get(supplier)
    day = day_in_month(month, 27)
    number = "001-002-000004512"
    items = (
        ("Guantes de nitrilo talla M, caja x100", 6, D("8.50")),
        ("Resina compuesta nanohíbrida A2, jeringa 4 g", 2, D("25.00")),
        ("Aguja dental 27G corta, caja x100", 1, D("12.00")),
    )
    net = sum((qty * price for _name, qty, price in items), D("0.00"))
    tax = cents(net * IVA)
    made = 0
    for form, file_name, content in (
        (
            ExpenseForm(
                expense_date=day, category="supplies", description="Reposición de insumos",
                supplier_id=supplier_id,
                supplier_name="" if supplier_id else supplier, document_number=number,
                net=net, tax=tax, payment_method=TRANSFER.value,
            ),
            f"Factura {number}.pdf",
            supplier_invoice_pdf(supplier, number, day, items, net, tax),
        ),
        (
            ExpenseForm(
                expense_date=day_in_month(month, 28), category="utilities",
                description="Energía eléctrica, medidor del consultorio 2",
                supplier_name="Empresa Eléctrica Quito", document_number=f"EEQ-{month:%Y%m}-2",
                total=D("38.40"), payment_method=CASH.value,
            ),
            "planilla-luz.png",
            electricity_png(),
        ),
    ):  # fmt: skip
        expense = create_expense(uow, actor=actor, form=form)
        attach_receipt(
            uow, actor=actor, expense_id=expense.id, file_name=file_name, content=content
        )
        made += 1
    return made
