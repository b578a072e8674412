"""Issuing a draft: in one transaction it checks everything (lines, a total above zero, the
buyer the country requires, the consumidor final and simplified-invoice limits), recomputes
the amounts with the rates in force on the issue date (the clinic's today) and freezes them,
takes the next number of this PC's series (services.invoice_numbering; a refusal rolls the
counter back with everything else, so numbers never skip), stamps who issued it and when, and
takes each product line's quantity out of stock by FEFO through the ledger (a sale movement
pointing at the line). Short stock is refused naming the product unless the clinic allows
negative stock, in which case it is reported in `warnings`. Warnings about the buyer's number
and an appointment already invoiced are asked first (NeedsConfirmation; call again with
`confirmed=True`). From then on the invoice is immutable.

Public API (billing.manage):
  issue_invoice(uow, *, actor, invoice_id, version, confirmed=False, now=None) -> InvoiceDTO"""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from clinic_desktop.actor import Actor
from clinic_desktop.db.uow import UnitOfWork
from clinic_desktop.errors import NeedsConfirmation, NotFound, ValidationError
from clinic_desktop.formatting import quantity as quantity_text
from clinic_desktop.i18n import _
from clinic_desktop.models.billing import InvoiceLine, InvoiceStatus, LineSource
from clinic_desktop.models.inventory import Product
from clinic_desktop.models.stock import MovementKind, MovementSource, StockBalance
from clinic_desktop.models.treatment import AppointmentTreatment, Treatment
from clinic_desktop.services import stock_ledger as ledger
from clinic_desktop.services.clinic_days import moment_and_day
from clinic_desktop.services.concurrency import check_version
from clinic_desktop.services.invoice_common import (
    announce,
    announce_stock,
    covering_invoices,
    live_lines,
    load_invoice,
    printed_number,
    require_draft,
    require_write,
    stamp_issued,
)
from clinic_desktop.services.invoice_dto import InvoiceDTO, LineForm, status_label
from clinic_desktop.services.invoice_lines import apply_totals, clean_lines, rates_on
from clinic_desktop.services.invoice_numbering import next_number
from clinic_desktop.services.invoice_rules import check_issuable, clean_buyer, clean_kind
from clinic_desktop.services.invoice_views import invoice_dto


def _as_form(row: InvoiceLine) -> LineForm:
    return LineForm(
        source=row.source,
        description=row.description,
        quantity=row.quantity,
        unit_price=row.unit_price,
        discount=row.discount,
        tax_code=row.tax_code,
        product_id=row.product_id,
        treatment_id=row.treatment_id,
        appointment_treatment_id=row.appointment_treatment_id,
    )


def _preload(session: Session, rows: list[InvoiceLine]) -> list[object]:
    """Reads the lines' catalogue items and the stock balances of the products sold with one
    query per kind, so the checks and the ledger below find them in the session rather than
    reading them one at a time. The caller holds the list for the rest of the issue: the
    session's identity map keeps only objects someone holds."""
    held: list[object] = []
    sold = {r.product_id for r in rows if r.source == LineSource.PRODUCT.value and r.product_id}
    for model, ids in (
        (Product, {r.product_id for r in rows}),
        (Treatment, {r.treatment_id for r in rows}),
        (AppointmentTreatment, {r.appointment_treatment_id for r in rows}),
    ):
        wanted = [i for i in ids if i is not None]
        if wanted:
            held.extend(session.scalars(select(model).where(model.id.in_(wanted))))
    if sold:
        held.extend(session.scalars(select(StockBalance).where(StockBalance.product_id.in_(sold))))
    return held


def _sell(
    session: Session, rows: list[InvoiceLine], *, reason: str, today: date, at: datetime
) -> tuple[list[str], set[uuid.UUID]]:
    """Takes the product lines out of stock; returns the shortfall warnings and products.
    The movements are flushed once at the end: each ledger query would otherwise flush the
    movements of the line before (lots of different products never meet, and a product on
    two lines sees its balances as they stand in the session)."""
    with session.no_autoflush:
        return _take(session, rows, reason=reason, today=today, at=at)


def _take(
    session: Session, rows: list[InvoiceLine], *, reason: str, today: date, at: datetime
) -> tuple[list[str], set[uuid.UUID]]:
    warnings: list[str] = []
    moved: set[uuid.UUID] = set()
    for number, row in enumerate(rows, start=1):
        if row.source != LineSource.PRODUCT.value or row.product_id is None:
            continue
        product = session.get(Product, row.product_id)
        if product is None or product.is_deleted:
            raise NotFound(_("Line {number}: the product no longer exists.").format(number=number))
        try:
            taken = ledger.take_fefo(
                session,
                product=product,
                quantity=row.quantity,
                origin=ledger.Origin(
                    MovementKind.SALE, MovementSource.INVOICE_LINE, row.id, reason, at
                ),
                today=today,
            )
        except ValidationError as exc:
            raise ValidationError(
                _("Line {number}: {problem}").format(number=number, problem=exc.message),
                field=f"lines.{number}.quantity",
            ) from None
        moved.add(product.id)
        if taken.shortfall:
            warnings.append(
                _("{product}: stock is now {quantity} {unit} below zero.").format(
                    product=product.name,
                    quantity=quantity_text(taken.shortfall),
                    unit=product.unit,
                )
            )
    return warnings, moved


def issue_invoice(
    uow: UnitOfWork,
    *,
    actor: Actor,
    invoice_id: uuid.UUID,
    version: int,
    confirmed: bool = False,
    now: datetime | None = None,
) -> InvoiceDTO:
    """Issues the draft (see the module's docstring); returns it as issued. `now` backdates
    the issue (the demo generator and benchmarks; the UI never passes it): the issue date is
    its day on the clinic's calendar, the rates are that day's and the stock leaves then."""
    with uow.transaction(actor) as session:
        require_write(session, actor)
        invoice = load_invoice(session, invoice_id)
        require_draft(invoice)
        check_version(session, invoice, version)
        kind = clean_kind(invoice.kind, invoice.country)
        rows = live_lines(session, [invoice.id])
        held = _preload(session, rows)
        # The catalogue items behind the lines may have gone since the draft was saved.
        clean_lines(
            session,
            [_as_form(row) for row in rows],
            country=invoice.country,
            currency=invoice.currency,
        )
        buyer = clean_buyer(
            country=invoice.country,
            kind=kind,
            name=invoice.buyer_name,
            id_type=invoice.buyer_id_type,
            tax_id=invoice.buyer_tax_id,
            address=invoice.buyer_address,
            email=invoice.buyer_email,
            strict=True,
        )
        # today: the clinic's calendar day of the issue (clinic_today when not backdated).
        issued_at, today = moment_and_day(session, now)
        apply_totals(invoice, rows, rates_on(rows, today))
        check_issuable(
            country=invoice.country,
            kind=kind,
            buyer=buyer,
            lines=len(rows),
            total=invoice.total,
            currency=invoice.currency,
        )
        questions = list(buyer.warnings)
        if invoice.appointment_id is not None:
            for other in covering_invoices(session, invoice.appointment_id, exclude=invoice.id):
                if not other.is_draft and other.status != InvoiceStatus.CREDITED.value:
                    questions.append(
                        _("This appointment is already invoiced on {number} ({status}).").format(
                            number=printed_number(other.number_text),
                            status=status_label(other.status).lower(),
                        )
                    )
        if questions and not confirmed:
            raise NeedsConfirmation(
                "\n".join(questions),
                question=_("Issue the invoice anyway?"),
                field="buyer_tax_id" if buyer.warnings else "appointment_id",
            )
        # Everything is written in one flush at the end (the series' counter with it), not
        # piecemeal before each query.
        with session.no_autoflush:
            issued = next_number(session, workstation=actor.workstation, kind=kind)
        invoice.buyer_name = buyer.name
        invoice.buyer_id_type = buyer.id_type
        invoice.buyer_tax_id = buyer.tax_id
        stamp_issued(invoice, issued, today=today, issued_at=issued_at, by=actor.user_id)
        warnings, moved = _sell(session, rows, reason=issued.text, today=today, at=issued_at)
        session.flush()
        del held
        announce(uow, [invoice])
        announce_stock(uow, moved)
        return invoice_dto(session, invoice, warnings=tuple(warnings))
