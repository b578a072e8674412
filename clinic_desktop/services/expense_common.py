"""What the expense services share: who may read and who may write expenses, the checks of
the fields an expense and a recurring expense have in common (category, supplier, amounts,
payment method), loading a live expense and turning expenses into DTOs with their receipts'
details in a fixed number of queries, and the event the screens refresh from."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable, Sequence
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from clinic_desktop.actor import Actor
from clinic_desktop.db.uow import UnitOfWork
from clinic_desktop.errors import NotFound, ValidationError
from clinic_desktop.events import BillingChanged
from clinic_desktop.formatting import money
from clinic_desktop.i18n import _
from clinic_desktop.models.billing import PaymentMethod
from clinic_desktop.models.expense import Expense, ExpenseReceipt, RecurringExpense
from clinic_desktop.models.inventory import Supplier
from clinic_desktop.models.permissions import Permission
from clinic_desktop.services.access import require, require_any
from clinic_desktop.services.clinical_dto import clean_text
from clinic_desktop.services.expense_dto import (
    CATEGORY_LIMIT,
    DEFAULT_CATEGORIES,
    SUPPLIER_NAME_LIMIT,
    ZERO,
    ExpenseDTO,
    ExpenseForm,
    ReceiptDTO,
    RecurringForm,
    category_label,
)
from clinic_desktop.services.inventory_dto import fold
from clinic_desktop.services.purchasing_rows import checked_decimal, clinic_currency

READ_PERMISSIONS = (Permission.BILLING_MANAGE, Permission.REPORTS_FINANCE)


# -- permissions -----------------------------------------------------------------------------


def require_writer(session: Session, actor: Actor) -> None:
    require(session, actor, Permission.BILLING_MANAGE)


def require_reader(session: Session, actor: Actor) -> None:
    """Whoever keeps the books (billing.manage) or reads the finance reports may see them."""
    require_any(session, actor, READ_PERMISSIONS)


def announce(uow: UnitOfWork, ids: Iterable[uuid.UUID]) -> None:
    uow.publish_after_commit(
        BillingChanged(what="expenses", ids=tuple(sorted({str(i) for i in ids})))
    )


# -- field checks ----------------------------------------------------------------------------


def used_categories(session: Session) -> list[str]:
    """The categories of live expenses and recurring expenses, defaults included."""
    found: set[str] = set()
    for model in (Expense, RecurringExpense):
        found.update(
            session.scalars(select(model.category).where(model.deleted_at.is_(None)).distinct())
        )
    return sorted(found)


def clean_category(session: Session, value: str) -> str:
    """A default category's key, whether given as the key or as its label in either language
    ("Alquiler", "rent"); a category already in use as first spelt ("laboratorio" files with
    "Laboratorio"); otherwise the text as typed."""
    text = clean_text(value, field="category", label=_("Category"), limit=CATEGORY_LIMIT)
    if not text:
        raise ValidationError(
            _("Category: it is required; choose one from the list or type a new one."),
            field="category",
        )
    wanted = fold(text)
    for key, label in DEFAULT_CATEGORIES.items():
        if wanted in (key, fold(label), fold(_(label))):
            return key
    for existing in used_categories(session):
        if fold(existing) == wanted:
            return existing
    return text


def clean_supplier(
    session: Session,
    supplier_id: uuid.UUID | None,
    supplier_name: str,
    *,
    current_id: uuid.UUID | None = None,
) -> tuple[uuid.UUID | None, str]:
    """(supplier on file, typed name): a supplier on file must still exist and be active,
    except the one the record already had (deactivating a supplier does not lock its past
    expenses); its name is not copied, so a renamed supplier shows its new name."""
    if supplier_id is None:
        name = clean_text(
            supplier_name, field="supplier_name", label=_("Supplier"), limit=SUPPLIER_NAME_LIMIT
        )
        return None, name
    supplier = session.get(Supplier, supplier_id)
    if supplier is None or supplier.is_deleted:
        raise ValidationError(
            _("Supplier: it is no longer on file; choose another or type a name."),
            field="supplier_id",
        )
    if not supplier.active and supplier_id != current_id:
        raise ValidationError(
            _("Supplier: {name} is inactive; reactivate it or choose another.").format(
                name=supplier.name
            ),
            field="supplier_id",
        )
    return supplier_id, ""


def clean_payment_method(value: str) -> str:
    code = value.strip()
    if code and code not in {m.value for m in PaymentMethod}:
        raise ValidationError(
            _("Payment method: choose one from the list."), field="payment_method"
        )
    return code


def _amount(value: Decimal | None, *, label: str, field: str) -> Decimal | None:
    if value is None:
        return None
    return checked_decimal(value, places=2, label=label, field=field, allow_zero=True)


def clean_amounts(
    net: Decimal | None, tax: Decimal | None, total: Decimal | None, *, currency: str
) -> tuple[Decimal, Decimal, Decimal]:
    """(net, tax, total), each at least zero with at most two decimals. Two of them give the
    third; all three must add up; the total alone is a net amount without tax."""
    net = _amount(net, label=_("Net amount"), field="net")
    tax = _amount(tax, label=_("Tax"), field="tax")
    total = _amount(total, label=_("Total"), field="total")
    if total is None:
        if net is None:
            raise ValidationError(
                _("Total: enter the total, or the net amount and the tax."), field="total"
            )
        tax = ZERO if tax is None else tax
        total = net + tax
    elif net is None and tax is None:
        net, tax = total, ZERO
    elif net is None:
        assert tax is not None
        if tax > total:
            raise ValidationError(_("Tax: it cannot be more than the total."), field="tax")
        net = total - tax
    elif tax is None:
        if net > total:
            raise ValidationError(_("Net amount: it cannot be more than the total."), field="net")
        tax = total - net
    elif net + tax != total:
        raise ValidationError(
            _("Total: it must equal the net amount plus the tax ({sum}).").format(
                sum=money(net + tax, currency) if currency else f"{net + tax:.2f}"
            ),
            field="total",
        )
    if total <= ZERO:
        raise ValidationError(_("Total: it must be more than zero."), field="total")
    return net, tax, total


def clean_category_supplier_amounts(
    session: Session,
    form: ExpenseForm | RecurringForm,
    *,
    current_supplier: uuid.UUID | None = None,
) -> dict[str, object]:
    """The columns an expense and a recurring expense share that need the database to check
    (category, supplier, amounts in the clinic's currency), checked in that order."""
    category = clean_category(session, form.category)
    supplier_id, supplier_name = clean_supplier(
        session, form.supplier_id, form.supplier_name, current_id=current_supplier
    )
    net, tax, total = clean_amounts(
        form.net, form.tax, form.total, currency=clinic_currency(session)
    )
    return {
        "category": category,
        "supplier_id": supplier_id,
        "supplier_name": supplier_name,
        "net": net,
        "tax": tax,
        "total": total,
    }


# -- loading and DTOs ------------------------------------------------------------------------


def load_expense(session: Session, expense_id: uuid.UUID) -> Expense:
    expense = session.get(Expense, expense_id)
    if expense is None or expense.is_deleted:
        raise NotFound(_("This expense no longer exists (it may be in the trash)."))
    return expense


def supplier_names(session: Session, ids: Iterable[uuid.UUID | None]) -> dict[uuid.UUID, str]:
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    rows = session.execute(select(Supplier.id, Supplier.name).where(Supplier.id.in_(wanted)))
    return {row_id: name for row_id, name in rows}


def receipt_dto(row: ExpenseReceipt) -> ReceiptDTO:
    return ReceiptDTO(
        id=row.id,
        expense_id=row.expense_id,
        file_name=row.file_name,
        mime_type=row.mime_type,
        size_bytes=row.size,
        sha256=row.sha256,
        added_at=row.created_at,
    )


def _receipts_of(
    session: Session, expense_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, list[ReceiptDTO]]:
    """The live receipts' details by expense; the content column is never selected."""
    found: dict[uuid.UUID, list[ReceiptDTO]] = defaultdict(list)
    if not expense_ids:
        return found
    rows = session.execute(
        select(
            ExpenseReceipt.id,
            ExpenseReceipt.expense_id,
            ExpenseReceipt.file_name,
            ExpenseReceipt.mime_type,
            ExpenseReceipt.size,
            ExpenseReceipt.sha256,
            ExpenseReceipt.created_at,
        )
        .where(
            ExpenseReceipt.expense_id.in_(expense_ids),
            ExpenseReceipt.deleted_at.is_(None),
        )
        .order_by(ExpenseReceipt.created_at, ExpenseReceipt.id)
    )
    for receipt_id, expense_id, name, mime, size, digest, added in rows:
        found[expense_id].append(
            ReceiptDTO(receipt_id, expense_id, name, mime, size, digest, added)
        )
    return found


def expense_dtos(session: Session, rows: Sequence[Expense]) -> list[ExpenseDTO]:
    """DTOs for `rows` with two further queries whatever their number."""
    receipts = _receipts_of(session, [row.id for row in rows])
    names = supplier_names(session, [row.supplier_id for row in rows])
    return [
        ExpenseDTO(
            id=row.id,
            expense_date=row.expense_date,
            category=row.category,
            category_label=category_label(row.category),
            description=row.description,
            supplier_id=row.supplier_id,
            supplier_name=(
                names.get(row.supplier_id, "") if row.supplier_id else row.supplier_name
            ),
            document_number=row.document_number,
            net=row.net,
            tax=row.tax,
            total=row.total,
            payment_method=row.payment_method,
            notes=row.notes,
            recurring_id=row.recurring_id,
            purchase_order_id=row.purchase_order_id,
            receipts=tuple(receipts.get(row.id, ())),
            created_at=row.created_at,
            version=row.version,
        )
        for row in rows
    ]


def expense_dto(session: Session, row: Expense) -> ExpenseDTO:
    return expense_dtos(session, [row])[0]
