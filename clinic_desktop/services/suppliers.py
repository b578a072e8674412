"""Suppliers the clinic buys from: list, create, edit, deactivate and reactivate. Names are
unique among suppliers (the CSV import and the order screens find a supplier by name); a tax ID
is optional and, when given, checked by the clinic country's rules as for patients: a number
that cannot be right is refused, an unusual but possible one is saved and its warnings are
returned for the user to check. Suppliers are never deleted: lots and orders refer to them."""

from __future__ import annotations

import re
import uuid

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from clinic_desktop.actor import Actor
from clinic_desktop.db.uow import UnitOfWork
from clinic_desktop.errors import NotFound, ValidationError
from clinic_desktop.events import InventoryChanged
from clinic_desktop.fiscal.tax_ids import validate_tax_id
from clinic_desktop.i18n import _
from clinic_desktop.models.inventory import Supplier
from clinic_desktop.models.permissions import Permission
from clinic_desktop.services.access import require
from clinic_desktop.services.agenda_rules import clinic_country
from clinic_desktop.services.concurrency import check_version
from clinic_desktop.services.inventory_dto import SupplierDTO, SupplierForm
from clinic_desktop.services.products_query import require_reader

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def supplier_dto(row: Supplier, warnings: tuple[str, ...] = ()) -> SupplierDTO:
    return SupplierDTO(
        id=row.id,
        name=row.name,
        tax_id=row.tax_id,
        contact_name=row.contact_name,
        phone=row.phone,
        email=row.email,
        address=row.address,
        notes=row.notes,
        active=row.active,
        version=row.version,
        warnings=warnings,
    )


def list_suppliers(
    uow: UnitOfWork, *, actor: Actor, include_inactive: bool = False
) -> list[SupplierDTO]:
    with uow.transaction(actor) as session:
        require_reader(session, actor)
        query = select(Supplier).where(Supplier.deleted_at.is_(None))
        if not include_inactive:
            query = query.where(Supplier.active.is_(True))
        rows = session.scalars(query.order_by(func.lower(Supplier.name)))
        return [supplier_dto(row) for row in rows]


def create_supplier(uow: UnitOfWork, *, actor: Actor, form: SupplierForm) -> SupplierDTO:
    with uow.transaction(actor) as session:
        require(session, actor, Permission.INVENTORY_MANAGE)
        values, warnings = _clean(session, form, exclude=None)
        supplier = Supplier(**values)
        session.add(supplier)
        session.flush()
        _announce(uow, supplier.id)
        return supplier_dto(supplier, warnings)


def update_supplier(
    uow: UnitOfWork,
    *,
    actor: Actor,
    supplier_id: uuid.UUID,
    expected_version: int,
    form: SupplierForm,
) -> SupplierDTO:
    with uow.transaction(actor) as session:
        require(session, actor, Permission.INVENTORY_MANAGE)
        supplier = load_supplier(session, supplier_id)
        check_version(session, supplier, expected_version)
        values, warnings = _clean(session, form, exclude=supplier_id)
        for key, value in values.items():
            setattr(supplier, key, value)
        session.flush()
        _announce(uow, supplier.id)
        return supplier_dto(supplier, warnings)


def set_supplier_active(
    uow: UnitOfWork, *, actor: Actor, supplier_id: uuid.UUID, active: bool
) -> SupplierDTO:
    """Deactivating hides the supplier from new orders and pickers; its lots and orders stay."""
    with uow.transaction(actor) as session:
        require(session, actor, Permission.INVENTORY_MANAGE)
        supplier = load_supplier(session, supplier_id)
        if active:
            _check_unique_name(session, supplier.name, exclude=supplier.id)
        supplier.active = active
        session.flush()
        _announce(uow, supplier.id)
        return supplier_dto(supplier)


def deactivate_supplier(uow: UnitOfWork, *, actor: Actor, supplier_id: uuid.UUID) -> SupplierDTO:
    return set_supplier_active(uow, actor=actor, supplier_id=supplier_id, active=False)


def load_supplier(session: Session, supplier_id: uuid.UUID) -> Supplier:
    supplier = session.get(Supplier, supplier_id)
    if supplier is None or supplier.is_deleted:
        raise NotFound(_("The supplier no longer exists."))
    return supplier


def find_supplier_by_name(session: Session, name: str) -> Supplier | None:
    """The supplier with this name, ignoring case and extra spaces (the import matches so)."""
    wanted = " ".join(name.split()).lower()
    return session.scalars(
        select(Supplier).where(
            func.lower(Supplier.name) == wanted,
            Supplier.deleted_at.is_(None),
        )
    ).first()


def _announce(uow: UnitOfWork, supplier_id: uuid.UUID) -> None:
    uow.publish_after_commit(InventoryChanged(what="suppliers", ids=(str(supplier_id),)))


def _text(value: str, *, field: str, label: str, limit: int) -> str:
    text = " ".join(value.split())
    if len(text) > limit:
        raise ValidationError(
            _("{field}: at most {count} characters.").format(field=label, count=limit),
            field=field,
        )
    return text


def _check_unique_name(session: Session, name: str, *, exclude: uuid.UUID | None) -> None:
    existing = find_supplier_by_name(session, name)
    if existing is not None and existing.id != exclude:
        raise ValidationError(
            _("Name: there is already a supplier called {name}.").format(name=existing.name),
            field="name",
        )


def _clean(
    session: Session, form: SupplierForm, *, exclude: uuid.UUID | None
) -> tuple[dict[str, object], tuple[str, ...]]:
    name = _text(form.name, field="name", label=_("Name"), limit=200)
    if not name:
        raise ValidationError(_("Name: it is required."), field="name")
    _check_unique_name(session, name, exclude=exclude)
    tax_id: str | None = form.tax_id.strip() or None
    warnings: tuple[str, ...] = ()
    if tax_id is not None:
        check = validate_tax_id(clinic_country(session), tax_id, label=_("Tax ID"))
        tax_id, warnings = check.normalized, check.warnings
    email = form.email.strip()
    if email and not _EMAIL.match(email):
        raise ValidationError(
            _("E-mail: it does not look like an address (name@example.com)."), field="email"
        )
    phone = form.phone.strip()
    if phone and sum(c.isdigit() for c in phone) < 6:
        raise ValidationError(_("Phone: at least 6 digits."), field="phone")
    values: dict[str, object] = {
        "name": name,
        "tax_id": tax_id,
        "contact_name": _text(
            form.contact_name, field="contact_name", label=_("Contact person"), limit=200
        ),
        "phone": _text(phone, field="phone", label=_("Phone"), limit=40),
        "email": _text(email, field="email", label=_("E-mail"), limit=200),
        "address": _text(form.address, field="address", label=_("Address"), limit=400),
        "notes": form.notes.strip(),
    }
    return values, warnings
