"""Test data for the invoice services: signed-in actors at a named PC, free, treatment and
product lines, a draft written and saved in one call and issued in one more, the demo's latest
completed visit with the treatments done in it, a product with stock put in through the real
ledger, and reading back what the services wrote (how many audit entries there are, stock per
product, invoice rows as stored). A record's audit trail is products_kit.audit_actions and the
empty clinic in Spain is agenda_kit's `madrid`."""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select

from clinic_desktop.actor import Actor
from clinic_desktop.events import BillingChanged
from clinic_desktop.models.appointment import Appointment, AppointmentStatus
from clinic_desktop.models.audit import AuditEntry
from clinic_desktop.models.billing import Invoice
from clinic_desktop.models.inventory import Product
from clinic_desktop.models.stock import MovementKind
from clinic_desktop.models.treatment import AppointmentTreatment, Treatment, TreatmentStatus
from clinic_desktop.models.user import User
from clinic_desktop.services import stock_ledger as ledger
from clinic_desktop.services.auth import sign_in
from clinic_desktop.services.demo import DEMO_PASSWORD
from clinic_desktop.services.invoice_dto import InvoiceDraftForm, InvoiceDTO, LineForm
from clinic_desktop.services.invoices import create_draft, issue_invoice, update_draft
from support.constants import OWNER_PASSWORD

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


def issue_draft(clinic: Any, who: Actor, made: InvoiceDTO, **kw: Any) -> InvoiceDTO:
    """Issues the draft `made` at the version it was read at (`kw`: confirmed=...)."""
    return issue_invoice(clinic.db.uow(), actor=who, invoice_id=made.id, version=made.version, **kw)


def issued_invoice(clinic: Any, who: Actor, lines: Sequence[LineForm], **fields: Any) -> InvoiceDTO:
    """A draft saved with `lines` and `fields` (as `draft` takes them), then issued."""
    return issue_draft(clinic, who, draft(clinic, who, lines, **fields))


@dataclass(frozen=True)
class DoneTreatment:
    """A treatment done at a visit, as its invoice line should carry it."""

    name: str
    quantity: Decimal
    price: Decimal
    tax_code: str
    id: uuid.UUID


@dataclass(frozen=True)
class CompletedVisit:
    appointment_id: uuid.UUID
    patient_id: uuid.UUID
    practitioner_id: uuid.UUID
    done: list[DoneTreatment]


def completed_visit(clinic: Any) -> CompletedVisit:
    """The latest completed demo appointment with treatments done, and those treatments."""
    done_now = (
        AppointmentTreatment.status == TreatmentStatus.DONE.value,
        AppointmentTreatment.deleted_at.is_(None),
    )
    with clinic.db.uow().transaction(SYSTEM) as session:
        appointment = session.execute(
            select(Appointment)
            .join(AppointmentTreatment, AppointmentTreatment.appointment_id == Appointment.id)
            .where(Appointment.status == AppointmentStatus.COMPLETED.value, *done_now)
            .order_by(Appointment.start_at.desc())
            .limit(1)
        ).scalar_one()
        rows = session.execute(
            select(AppointmentTreatment, Treatment)
            .join(Treatment, Treatment.id == AppointmentTreatment.treatment_id)
            .where(AppointmentTreatment.appointment_id == appointment.id, *done_now)
        ).all()
        return CompletedVisit(
            appointment.id,
            appointment.patient_id,
            appointment.practitioner_id,
            [DoneTreatment(t.name, D(a.quantity), a.price, t.tax_code, a.id) for a, t in rows],
        )


def stored(clinic: Any, invoice_id: uuid.UUID) -> dict[str, Any]:
    """The invoice row's columns as stored (for "nothing changed" checks)."""
    with clinic.db.uow().transaction(SYSTEM) as session:
        row = session.get(Invoice, invoice_id)
        assert row is not None
        return {c.key: getattr(row, c.key) for c in Invoice.__table__.columns}


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
