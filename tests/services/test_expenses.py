"""Operating expenses through the real services on a real SQLCipher demo clinic: recording,
editing and trashing one with its audit trail and event, the amounts rule (two of net, tax
and total give the third), every refusal naming its field and changing nothing, categories
(defaults by key or label, the clinic's own), listing and totals, receipts stored encrypted in
the database and read back byte for byte, and the expense of a received purchase order."""

from __future__ import annotations

import json
import uuid
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, select
from support.clinical_actors import actor
from support.purchasing_data import SYSTEM, clinic_today, make_shop, placed_order

from clinic_desktop import i18n
from clinic_desktop.errors import (
    ConcurrentEditError,
    InvalidTransition,
    NotFound,
    PermissionDenied,
    ValidationError,
)
from clinic_desktop.events import BillingChanged
from clinic_desktop.models.audit import AuditEntry
from clinic_desktop.models.expense import Expense, ExpenseReceipt
from clinic_desktop.models.inventory import Supplier
from clinic_desktop.models.purchasing import PurchaseOrder
from clinic_desktop.services.expense_dto import ExpenseForm
from clinic_desktop.services.expense_receipts import (
    attach_receipt,
    receipt_content,
    remove_receipt,
)
from clinic_desktop.services.expenses import (
    create_expense,
    delete_expense,
    expense_categories,
    expense_from_purchase_order,
    expenses_total,
    get_expense,
    list_expenses,
    purchase_order_expense,
    restore_expense,
    update_expense,
)
from clinic_desktop.services.purchasing import get_order, list_orders
from clinic_desktop.services.purchasing_dto import ReceiptLine
from clinic_desktop.services.purchasing_receive import receive
from clinic_desktop.services.settings import update_settings

TODAY = clinic_today()
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\nRECEIPT-MARKER-7f3a9c\n%%EOF\n"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"JPEG-MARKER-51be02" * 20 + b"\xff\xd9"


def _form(**changes: object) -> ExpenseForm:
    values: dict[str, object] = {
        "expense_date": TODAY - timedelta(days=3),
        "category": "utilities",
        "description": "T· Luz eléctrica de marzo",
        "supplier_name": "Empresa Eléctrica Quito",
        "document_number": "001-001-000045678",
        "net": Decimal("86.96"),
        "tax": Decimal("13.04"),
        "payment_method": "transfer",
    }
    values.update(changes)
    return ExpenseForm(**values)  # type: ignore[arg-type]


def _state(demo) -> tuple[int, int, int]:
    """(live expenses, receipts, audit entries): what a refusal must leave as it was."""
    with demo.db.uow().transaction(SYSTEM) as session:
        return (
            int(
                session.scalar(
                    select(func.count()).select_from(Expense).where(Expense.deleted_at.is_(None))
                )
                or 0
            ),
            int(session.scalar(select(func.count()).select_from(ExpenseReceipt)) or 0),
            int(session.scalar(select(func.count()).select_from(AuditEntry)) or 0),
        )


def _audit(demo, entity: str, entity_id: object) -> list[tuple[str, str, dict[str, object]]]:
    with demo.db.uow().transaction(SYSTEM) as session:
        rows = session.execute(
            select(AuditEntry.action, AuditEntry.user_name, AuditEntry.changes)
            .where(AuditEntry.entity == entity, AuditEntry.entity_id == str(entity_id))
            .order_by(AuditEntry.seq)
        )
        return [(a, u, json.loads(c)) for a, u, c in rows]


def _supplier(demo, name: str, *, active: bool = True) -> uuid.UUID:
    with demo.db.uow().transaction(SYSTEM) as session:
        supplier = Supplier(name=name, active=active)
        session.add(supplier)
        session.flush()
        return supplier.id


def _period(demo, who, **kw):
    """The ids of the test's own expenses (description starting "T·") in the last 60 days,
    newest first: whatever the demo data holds does not count."""
    found = list_expenses(
        demo.db.uow(),
        actor=who,
        date_from=TODAY - timedelta(days=60),
        date_to=TODAY,
        **kw,
    )
    return [e for e in found if e.description.startswith("T·")]


# -- recording, editing, trashing ------------------------------------------------------------


def test_reception_records_an_expense_audited_announced_and_found(demo) -> None:
    reception = actor(demo, "recepcion")
    events: list[BillingChanged] = []
    demo.db.bus.subscribe(BillingChanged, events.append)
    created = create_expense(demo.db.uow(), actor=reception, form=_form())
    assert (created.net, created.tax, created.total) == (
        Decimal("86.96"),
        Decimal("13.04"),
        Decimal("100.00"),
    )
    assert (created.category, created.category_label) == ("utilities", "Utilities")
    assert created.supplier_name == "Empresa Eléctrica Quito" and created.supplier_id is None
    assert not created.has_receipt and created.recurring_id is None
    assert events == [BillingChanged(what="expenses", ids=(str(created.id),))]
    [(action, user, changes)] = _audit(demo, "Expense", created.id)
    assert (action, user) == ("create", "recepcion")
    assert changes["total"] == "100.00" and changes["category"] == "utilities"
    # Accent- and case-blind search over description, supplier and document number.
    for text in ("electrica", "QUITO", "000045678", "luz marzo"):
        assert [e.id for e in _period(demo, reception, text=text)] == [created.id], text
    assert _period(demo, reception, text="alquiler") == []
    assert get_expense(demo.db.uow(), actor=actor(demo, "duena"), expense_id=created.id) == created


def test_the_amounts_follow_from_any_two_of_net_tax_and_total(demo) -> None:
    def amounts(**kw: object) -> tuple[Decimal, Decimal, Decimal]:
        dto = create_expense(
            demo.db.uow(), actor=SYSTEM, form=_form(**{"net": None, "tax": None, **kw})
        )
        return dto.net, dto.tax, dto.total

    assert amounts(total=Decimal("45.50")) == (Decimal("45.50"), 0, Decimal("45.50"))
    assert amounts(net=Decimal("100")) == (100, 0, 100)
    assert amounts(total=Decimal("115"), tax=Decimal("15")) == (100, 15, 115)
    assert amounts(total=Decimal("115"), net=Decimal("100")) == (100, 15, 115)
    assert amounts(net=Decimal("10"), tax=Decimal("1.50"), total=Decimal("11.50")) == (
        10,
        Decimal("1.50"),
        Decimal("11.50"),
    )


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"net": Decimal("10"), "tax": Decimal("1"), "total": Decimal("12")}, "total", "11.00"),
        ({"net": Decimal("10.005")}, "net", "2 decimals"),
        ({"tax": Decimal("-1")}, "tax", "negative"),
        ({"net": None, "tax": None, "total": None}, "total", "enter the total"),
        ({"net": None, "tax": None, "total": Decimal(0)}, "total", "more than zero"),
        ({"net": None, "tax": Decimal(20), "total": Decimal(10)}, "tax", "more than the total"),
        ({"expense_date": TODAY + timedelta(days=1)}, "expense_date", "future"),
        ({"expense_date": None}, "expense_date", "enter the date"),
        ({"category": "   "}, "category", "required"),
        ({"category": "x" * 81}, "category", "80"),
        ({"payment_method": "bitcoin"}, "payment_method", "list"),
        ({"supplier_id": uuid.uuid4()}, "supplier_id", "no longer on file"),
        ({"description": "d" * 301}, "description", "300"),
    ],
)
def test_bad_input_is_refused_naming_the_field_and_changes_nothing(
    demo, changes: dict[str, object], field: str, words: str
) -> None:
    before = _state(demo)
    with pytest.raises(ValidationError) as refused:
        create_expense(demo.db.uow(), actor=SYSTEM, form=_form(**changes))
    assert refused.value.field == field
    assert words in refused.value.message
    assert _state(demo) == before


def test_a_supplier_on_file_must_be_active_except_the_one_already_there(demo) -> None:
    supplier = _supplier(demo, "Arrendadora Andina")
    form = _form(supplier_id=supplier, supplier_name="ignored", category="rent")
    created = create_expense(demo.db.uow(), actor=SYSTEM, form=form)
    assert (created.supplier_id, created.supplier_name) == (supplier, "Arrendadora Andina")
    with demo.db.uow().transaction(SYSTEM) as session:
        row = session.get(Supplier, supplier)
        assert row is not None
        row.active = False
    before = _state(demo)
    with pytest.raises(ValidationError, match="inactive") as refused:
        create_expense(demo.db.uow(), actor=SYSTEM, form=form)
    assert refused.value.field == "supplier_id" and _state(demo) == before
    # Editing the old expense keeps its (now inactive) supplier.
    edited = update_expense(
        demo.db.uow(),
        actor=SYSTEM,
        expense_id=created.id,
        expected_version=created.version,
        form=_form(supplier_id=supplier, category="rent", description="T· Arriendo abril"),
    )
    assert edited.supplier_id == supplier and edited.description == "T· Arriendo abril"


def test_an_edit_is_audited_and_a_stale_copy_overwrites_nothing(demo) -> None:
    reception = actor(demo, "recepcion")
    created = create_expense(demo.db.uow(), actor=reception, form=_form())
    edited = update_expense(
        demo.db.uow(),
        actor=reception,
        expense_id=created.id,
        expected_version=created.version,
        form=_form(net=None, tax=None, total=Decimal("120.00"), payment_method="cash"),
    )
    assert (edited.net, edited.tax, edited.total, edited.payment_method) == (
        Decimal("120.00"),
        0,
        Decimal("120.00"),
        "cash",
    )
    assert edited.version == created.version + 1
    action, user, changes = _audit(demo, "Expense", created.id)[-1]
    assert (action, user) == ("update", "recepcion")
    assert changes["total"] == {"old": "100.00", "new": "120.00"}
    assert changes["payment_method"] == {"old": "transfer", "new": "cash"}
    before = _state(demo)
    with pytest.raises(ConcurrentEditError):
        update_expense(
            demo.db.uow(),
            actor=reception,
            expense_id=created.id,
            expected_version=created.version,
            form=_form(total=Decimal("1.00"), net=None, tax=None),
        )
    assert _state(demo) == before
    assert get_expense(demo.db.uow(), actor=SYSTEM, expense_id=created.id).total == Decimal("120")


def test_a_deleted_expense_leaves_the_list_and_the_totals_and_comes_back(demo) -> None:
    reception = actor(demo, "recepcion")
    created = create_expense(demo.db.uow(), actor=reception, form=_form())
    delete_expense(
        demo.db.uow(), actor=reception, expense_id=created.id, expected_version=created.version
    )
    assert _period(demo, reception) == []
    with pytest.raises(NotFound):
        get_expense(demo.db.uow(), actor=reception, expense_id=created.id)
    totals = expenses_total(
        demo.db.uow(), actor=reception, date_from=TODAY - timedelta(days=60), date_to=TODAY
    )
    assert (totals.count, totals.total) == (0, 0)
    assert _audit(demo, "Expense", created.id)[-1][:2] == ("delete", "recepcion")
    restored = restore_expense(demo.db.uow(), actor=reception, expense_id=created.id)
    assert restored.total == Decimal("100.00")
    assert [e.id for e in _period(demo, reception)] == [created.id]
    assert _audit(demo, "Expense", created.id)[-1][0] == "restore"


def test_roles_without_billing_may_neither_record_nor_read_expenses(demo) -> None:
    doctor = actor(demo, "medico")
    created = create_expense(demo.db.uow(), actor=SYSTEM, form=_form())
    before = _state(demo)
    with pytest.raises(PermissionDenied):
        create_expense(demo.db.uow(), actor=doctor, form=_form())
    with pytest.raises(PermissionDenied):
        delete_expense(demo.db.uow(), actor=doctor, expense_id=created.id)
    with pytest.raises(PermissionDenied):
        _period(demo, doctor)
    with pytest.raises(PermissionDenied):
        attach_receipt(
            demo.db.uow(), actor=doctor, expense_id=created.id, file_name="x.pdf", content=PDF
        )
    assert _state(demo) == before
    # The owner holds reports.finance and billing.manage and reads them.
    assert [e.id for e in _period(demo, actor(demo, "duena"))] == [created.id]


# -- categories and totals -------------------------------------------------------------------


def _spanish(monkeypatch: pytest.MonkeyPatch) -> None:
    """Spanish for this test (the conftest switches back to English afterwards)."""
    i18n.set_language("es")


def test_categories_are_stable_keys_and_the_clinics_own_join_the_list(
    demo, monkeypatch: pytest.MonkeyPatch
) -> None:
    _spanish(monkeypatch)
    rent = create_expense(demo.db.uow(), actor=SYSTEM, form=_form(category="alquiler"))
    assert (rent.category, rent.category_label) == ("rent", "Alquiler")
    lab = create_expense(demo.db.uow(), actor=SYSTEM, form=_form(category="Laboratorio"))
    again = create_expense(demo.db.uow(), actor=SYSTEM, form=_form(category=" laboratorio "))
    assert lab.category == again.category == "Laboratorio"
    listed = expense_categories(demo.db.uow(), actor=SYSTEM)
    assert [c.key for c in listed][:10] == [
        "rent",
        "salaries",
        "supplies",
        "equipment",
        "utilities",
        "services",
        "marketing",
        "taxes_fees",
        "maintenance",
        "other",
    ]
    assert listed[0].label == "Alquiler"
    own = [c.key for c in listed if not c.is_default]
    assert "Laboratorio" in own and "laboratorio" not in own
    # The English label (a user switching language) files under the same key.
    assert create_expense(demo.db.uow(), actor=SYSTEM, form=_form(category="Rent")).category == (
        "rent"
    )
    only_rent = _period(demo, SYSTEM, category="rent")
    assert len(only_rent) == 2 and {e.category for e in only_rent} == {"rent"}


def test_totals_add_up_by_category_and_month(demo) -> None:
    first = TODAY.replace(day=1)
    last_month = first - timedelta(days=1)
    start = last_month.replace(day=1)

    def totals():
        return expenses_total(
            demo.db.uow(), actor=actor(demo, "duena"), date_from=start, date_to=TODAY
        )

    def months(result) -> dict[date, Decimal]:
        return {m.month: m.total for m in result.by_month}

    before = totals()
    plan = [
        (first, "T-rent", "500.00", "0"),
        (last_month, "T-rent", "500.00", "0"),
        (last_month, "T-supplies", "100.00", "15.00"),
        (first, "T-supplies", "10.01", "1.50"),
        (start - timedelta(days=1), "T-rent", "999.00", "0"),  # the month before: left out
    ]
    for day, category, net, tax in plan:
        create_expense(
            demo.db.uow(),
            actor=SYSTEM,
            form=_form(expense_date=day, category=category, net=Decimal(net), tax=Decimal(tax)),
        )
    gone = create_expense(demo.db.uow(), actor=SYSTEM, form=_form(expense_date=first))
    delete_expense(demo.db.uow(), actor=SYSTEM, expense_id=gone.id)
    after = totals()
    assert (
        after.count - before.count,
        after.net - before.net,
        after.tax - before.tax,
        after.total - before.total,
    ) == (4, Decimal("1110.01"), Decimal("16.50"), Decimal("1126.51"))
    mine = {c.category: (c.count, c.total) for c in after.by_category if c.category[:2] == "T-"}
    assert mine == {"T-rent": (2, Decimal("1000.00")), "T-supplies": (2, Decimal("126.51"))}
    grown = {m: t - months(before).get(m, 0) for m, t in months(after).items()}
    assert grown == {start: Decimal("615.00"), first: Decimal("511.51")}
    assert after.total == sum(c.total for c in after.by_category) == sum(months(after).values())
    listed = list_expenses(demo.db.uow(), actor=SYSTEM, date_from=start, date_to=TODAY)
    assert sum(e.total for e in listed) == after.total and len(listed) == after.count
    only = expenses_total(
        demo.db.uow(), actor=SYSTEM, date_from=start, date_to=TODAY, category="T-supplies"
    )
    assert (only.count, only.total, len(only.by_category)) == (2, Decimal("126.51"), 1)
    with pytest.raises(ValidationError) as refused:
        expenses_total(demo.db.uow(), actor=SYSTEM, date_from=TODAY, date_to=last_month)
    assert refused.value.field == "date_to"


# -- receipts --------------------------------------------------------------------------------


def test_a_receipt_is_kept_encrypted_in_the_database_and_read_back_whole(
    demo, tmp_path: Path
) -> None:
    reception = actor(demo, "recepcion")
    expense = create_expense(demo.db.uow(), actor=reception, form=_form())
    pdf = attach_receipt(
        demo.db.uow(),
        actor=reception,
        expense_id=expense.id,
        file_name="C:\\Facturas\\luz marzo.pdf",
        content=PDF,
    )
    photo = attach_receipt(
        demo.db.uow(),
        actor=reception,
        expense_id=expense.id,
        file_name="ticket.pdf",  # named .pdf, but the content is a JPEG
        content=JPEG,
    )
    assert (pdf.file_name, pdf.mime_type, pdf.size_bytes) == (
        "luz marzo.pdf",
        "application/pdf",
        len(PDF),
    )
    assert photo.mime_type == "image/jpeg"
    listed = _period(demo, reception)[0]
    assert listed.has_receipt and [r.id for r in listed.receipts] == [pdf.id, photo.id]
    owner = actor(demo, "duena")
    assert receipt_content(demo.db.uow(), actor=owner, receipt_id=pdf.id) == PDF
    assert receipt_content(demo.db.uow(), actor=reception, receipt_id=photo.id) == JPEG
    # The read is audited; the creation's audit keeps the checksum, never the bytes.
    reads = [c for a, _u, c in _audit(demo, "ExpenseReceipt", pdf.id) if a == "read"]
    assert reads == [{"expense_id": str(expense.id), "what": "receipt view"}]
    created = _audit(demo, "ExpenseReceipt", pdf.id)[0][2]
    assert "content" not in created and created["sha256"] == pdf.sha256
    # Nothing under the clinic's folder (database, WAL, backups) holds the bytes in clear.
    demo.db.engine.dispose()
    files = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert files and not [p for p in files if b"RECEIPT-MARKER-7f3a9c" in p.read_bytes()]
    assert not [p for p in files if b"JPEG-MARKER-51be02" in p.read_bytes()]


def test_bad_receipts_are_refused_and_a_removed_one_is_gone(demo) -> None:
    expense = create_expense(demo.db.uow(), actor=SYSTEM, form=_form())
    attached = attach_receipt(
        demo.db.uow(), actor=SYSTEM, expense_id=expense.id, file_name="a.pdf", content=PDF
    )
    update_settings(demo.db.uow(), actor=SYSTEM, changes={"documents.max_mb": 1})
    cases = [
        (b"PK\x03\x04" + b"\x00" * 40, "ZIP"),
        (b"", "empty"),
        (b"%PDF-1.4\n" + b"0" * (1024 * 1024 + 1), "1 MB"),
        (PDF, "already attached"),
    ]
    before = _state(demo)
    for content, words in cases:
        with pytest.raises(ValidationError) as refused:
            attach_receipt(
                demo.db.uow(), actor=SYSTEM, expense_id=expense.id, file_name="x", content=content
            )
        assert refused.value.field == "file" and words in refused.value.message, words
    assert _state(demo) == before
    remove_receipt(demo.db.uow(), actor=SYSTEM, receipt_id=attached.id)
    assert not get_expense(demo.db.uow(), actor=SYSTEM, expense_id=expense.id).has_receipt
    with pytest.raises(NotFound):
        receipt_content(demo.db.uow(), actor=SYSTEM, receipt_id=attached.id)
    assert _audit(demo, "ExpenseReceipt", attached.id)[-1][0] == "delete"
    # Once removed, the same file may be attached again.
    again = attach_receipt(
        demo.db.uow(), actor=SYSTEM, expense_id=expense.id, file_name="a.pdf", content=PDF
    )
    assert receipt_content(demo.db.uow(), actor=SYSTEM, receipt_id=again.id) == PDF


# -- from a purchase order -------------------------------------------------------------------


def test_a_received_order_becomes_one_supplies_expense_at_its_prices(demo) -> None:
    shop = make_shop(demo.db)
    reception = actor(demo, "recepcion")
    order = placed_order(demo.db, shop, [(shop.gloves, "3", "8.50"), (shop.resin, "2", "25.0050")])
    before = _state(demo)
    with pytest.raises(InvalidTransition, match="nothing has been received"):
        expense_from_purchase_order(demo.db.uow(), actor=reception, order_id=order.id)
    assert _state(demo) == before
    future = TODAY + timedelta(days=300)
    receive(
        demo.db.uow(),
        actor=SYSTEM,
        order_id=order.id,
        lines=[
            ReceiptLine(order.lines[0].id, Decimal(2), "G-1", future),
            ReceiptLine(order.lines[1].id, Decimal(1), "R-1", future),
        ],
    )
    assert purchase_order_expense(demo.db.uow(), actor=reception, order_id=order.id) is None
    events: list[BillingChanged] = []
    demo.db.bus.subscribe(BillingChanged, events.append)
    expense = expense_from_purchase_order(demo.db.uow(), actor=reception, order_id=order.id)
    # 2 boxes × 8.50 + 1 syringe × 25.0050 (→ 25.01) = 42.01
    assert (expense.net, expense.tax, expense.total) == (Decimal("42.01"), 0, Decimal("42.01"))
    assert expense.category == "supplies" and expense.expense_date == TODAY
    assert expense.description == f"Purchase order OC-{order.number:06d}"
    assert (expense.supplier_id, expense.supplier_name) == (shop.supplier, "Proveedora Test S.A.")
    assert expense.purchase_order_id == order.id
    assert events == [BillingChanged(what="expenses", ids=(str(expense.id),))]
    assert _audit(demo, "Expense", expense.id)[0][:2] == ("create", "recepcion")
    found = purchase_order_expense(demo.db.uow(), actor=reception, order_id=order.id)
    assert found is not None and found.id == expense.id
    before = _state(demo)
    with pytest.raises(InvalidTransition, match="already has its expense"):
        expense_from_purchase_order(demo.db.uow(), actor=reception, order_id=order.id)
    assert _state(demo) == before
    # Trashed, the order may get a new one; the old one then cannot come back beside it.
    delete_expense(demo.db.uow(), actor=reception, expense_id=expense.id)
    second = expense_from_purchase_order(
        demo.db.uow(), actor=reception, order_id=order.id, expense_date=TODAY - timedelta(days=1)
    )
    assert second.total == Decimal("42.01")
    with pytest.raises(InvalidTransition, match="already has its expense"):
        restore_expense(demo.db.uow(), actor=reception, expense_id=expense.id)
    with pytest.raises(PermissionDenied):
        expense_from_purchase_order(demo.db.uow(), actor=actor(demo, "medico"), order_id=order.id)


def test_the_demo_orders_received_goods_make_their_expenses(demo_stocked) -> None:
    db = demo_stocked.db
    owner = actor(demo_stocked, "duena")
    orders = {o.status: o for o in list_orders(db.uow(), actor=SYSTEM)}
    received, partial, placed = orders["received"], orders["partial"], orders["ordered"]
    whole = expense_from_purchase_order(db.uow(), actor=owner, order_id=received.id)
    assert whole.total == received.total > 0  # everything arrived: the order's own total
    part = expense_from_purchase_order(db.uow(), actor=owner, order_id=partial.id)
    lines = get_order(db.uow(), actor=SYSTEM, order_id=partial.id).lines
    arrived = [line for line in lines if line.received_quantity > 0]
    assert part.total == sum(line.line_total for line in arrived) < partial.total
    with pytest.raises(InvalidTransition):
        expense_from_purchase_order(db.uow(), actor=owner, order_id=placed.id)
    with db.uow().transaction(SYSTEM) as session:
        linked = session.scalars(
            select(PurchaseOrder.number)
            .join(Expense, Expense.purchase_order_id == PurchaseOrder.id)
            .order_by(PurchaseOrder.number)
        ).all()
    assert linked == sorted([received.number, partial.number])
