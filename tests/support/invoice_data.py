"""Test data for the invoice services: signed-in actors at a named PC, free, treatment and
product lines, a draft written and saved in one call, an empty clinic in Spain, a product
with stock put in through the real ledger, and reading back what the services wrote (the
audit trail of a record, stock per product, invoice rows as stored)."""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Iterator, Sequence
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from clinic_desktop.actor import Actor
from clinic_desktop.config import AppPaths
from clinic_desktop.events import BillingChanged
from clinic_desktop.models.audit import AuditEntry
from clinic_desktop.models.billing import Invoice
from clinic_desktop.models.inventory import Product
from clinic_desktop.models.stock import MovementKind
from clinic_desktop.models.user import User
from clinic_desktop.services import stock_ledger as ledger
from clinic_desktop.services.auth import sign_in
from clinic_desktop.services.demo import DEMO_PASSWORD
from clinic_desktop.services.invoice_dto import InvoiceDraftForm, InvoiceDTO, LineForm
from clinic_desktop.services.invoices import create_draft, update_draft
from clinic_desktop.services.startup import ClinicSetup, CreatedClinic, create_clinic
from support.constants import FAST_KDF, OWNER_PASSWORD

SYSTEM = Actor.system("tests")
D = Decimal


def actor(clinic: Any, username: str, workstation: str = "RECEPCION-1") -> Actor:
    """The account signed in at the PC named `workstation`."""
    password = DEMO_PASSWORD if username != "ana" else OWNER_PASSWORD
    user = sign_in(clinic.db.uow(), username=username, password=password)
    return dataclasses.replace(Actor.for_user(user.id, user.username), workstation=workstation)


def at_pc(who: Actor, workstation: str) -> Actor:
    return dataclasses.replace(who, workstation=workstation)


def line(
    description: str,
    price: str,
    quantity: str = "1",
    *,
    tax: str = "EC_IVA_0",
    discount: str = "0",
) -> LineForm:
    return LineForm(
        source="free",
        description=description,
        quantity=D(quantity),
        unit_price=D(price),
        discount=D(discount),
        tax_code=tax,
    )


def product_line(product_id: uuid.UUID, quantity: str, price: str, tax: str = "") -> LineForm:
    return LineForm(
        source="product",
        description="",
        quantity=D(quantity),
        unit_price=D(price),
        tax_code=tax,
        product_id=product_id,
    )


def buyer(
    name: str = "Lucía Paredes", id_type: str = "cedula", tax_id: str = "1710034065"
) -> dict[str, str]:
    return {"buyer_name": name, "buyer_id_type": id_type, "buyer_tax_id": tax_id}


def draft(
    clinic: Any,
    who: Actor,
    lines: Sequence[LineForm],
    *,
    kind: str = "invoice",
    patient_id: uuid.UUID | None = None,
    discount: str = "0",
    **fields: Any,
) -> InvoiceDTO:
    """A blank draft saved with `lines`, a buyer (default: a valid cédula) and `fields`."""
    made = create_draft(clinic.db.uow(), actor=who, kind=kind, patient_id=patient_id)
    values: dict[str, Any] = {}
    if not any(key.startswith("buyer_") for key in fields):
        values = buyer() if patient_id is None else {}
    values.update(fields)
    form = dataclasses.replace(
        InvoiceDraftForm.from_dto(made),
        lines=tuple(lines),
        discount_percent=D(discount),
        **values,
    )
    return update_draft(
        clinic.db.uow(), actor=who, invoice_id=made.id, version=made.version, form=form
    )


def stored(clinic: Any, invoice_id: uuid.UUID) -> dict[str, Any]:
    """The invoice row's columns as stored (for "nothing changed" checks)."""
    with clinic.db.uow().transaction(SYSTEM) as session:
        row = session.get(Invoice, invoice_id)
        assert row is not None
        return {c.key: getattr(row, c.key) for c in Invoice.__table__.columns}


def audit_actions(clinic: Any, entity: str, entity_id: uuid.UUID | str) -> list[str]:
    with clinic.db.uow().transaction(SYSTEM) as session:
        return list(
            session.scalars(
                select(AuditEntry.action)
                .where(AuditEntry.entity == entity, AuditEntry.entity_id == str(entity_id))
                .order_by(AuditEntry.seq)
            )
        )


def audit_count(clinic: Any) -> int:
    with clinic.db.uow().transaction(SYSTEM) as session:
        return int(session.scalar(select(func.count()).select_from(AuditEntry)) or 0)


def stocked_product(
    clinic: Any,
    code: str,
    name: str,
    quantity: str,
    *,
    price: str = "4.00",
    tax: str = "EC_IVA_15",
    lots: int = 1,
) -> uuid.UUID:
    """A product with `quantity` units split over `lots` lots expiring a month apart."""
    with clinic.db.uow().transaction(SYSTEM) as session:
        product = Product(
            code=code, name=name, unit="unidad", cost=D("1.00"), sale_price=D(price), tax_code=tax
        )
        session.add(product)
        session.flush()
        share = D(quantity) / lots
        for number in range(1, lots + 1):
            lot = ledger.new_lot(
                session,
                product=product,
                lot_number=f"{code}-{number}",
                expiry_date=date.today() + timedelta(days=60 + 30 * number),
                received_on=date.today() - timedelta(days=5),
                unit_cost=D("1.00"),
            )
            ledger.put(session, lot=lot, quantity=share, origin=ledger.Origin(MovementKind.RECEIPT))
        return product.id


def stock_of(clinic: Any, product_id: uuid.UUID) -> Decimal:
    with clinic.db.uow().transaction(SYSTEM) as session:
        return ledger.stock_by_product(session, [product_id]).get(product_id, D(0))


def billing_events(clinic: Any) -> list[BillingChanged]:
    seen: list[BillingChanged] = []
    clinic.db.bus.subscribe(BillingChanged, seen.append)
    return seen


def user_id(clinic: Any, username: str) -> uuid.UUID:
    with clinic.db.uow().transaction(SYSTEM) as session:
        found = session.scalar(select(User.id).where(User.username == username))
        assert found is not None
        return found


def spanish_clinic(root: Path, keyring_backend: Any) -> Iterator[CreatedClinic]:
    """An empty clinic in Madrid (owner "ana"), numbering from emission point 001."""
    setup = ClinicSetup(
        name="Clínica Retiro",
        country="ES",
        tax_id="B64717838",
        address="Calle de Alcalá 100, Madrid",
        timezone="Europe/Madrid",
        currency="EUR",
        establishment_code="001",
        emission_point_code="001",
        owner_username="ana",
        owner_full_name="Ana Torres",
        owner_password=OWNER_PASSWORD,
        language="en",
    )
    created = create_clinic(
        AppPaths(root / "madrid"), setup, kdf=FAST_KDF, keyring_backend=keyring_backend
    )
    yield created
    created.db.close()
