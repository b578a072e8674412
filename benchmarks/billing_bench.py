"""Billing figures on the 2,000-patient demo clinic (`clinic-desktop demo`, which already holds
about 4,000 issued invoices and their payments), acting as the demo receptionist (recepcion)
at this PC, so every permission check runs:
- invoice_issue_ms: issuing a 10-line invoice (6 catalogue treatments and 4 products sold,
  each product in three lots so FEFO picks) through `invoices.issue_invoice`: the checks, the
  next number of this PC's series, the totals for the issue date, the stock movements and
  balances of the product lines, the audit entries and the commit; median over 40 drafts
  written beforehand (one more issued first as a warm-up). invoice_issue_floor_ms is one
  write transaction on the same engine (BEGIN IMMEDIATE, one UPDATE of an invoice row,
  COMMIT), median of 40, and invoice_issue_ratio the ratio.
- invoice_pdf_ms: `invoice_print.print_invoice` of one of those invoices with the clinic's
  logo on the letterhead (read, DTO, document, reportlab), median of 20 after one warm-up."""

from __future__ import annotations

import statistics
import time
import uuid
from collections.abc import Iterator
from typing import Any

from bench_kit import Figure, Workspace, demo_actor, demo_clinic, median_ms

ISSUES = 40
PRINTS = 20
# Sold on every benchmark invoice: (product code, quantity).
SOLD = (("CEP-ADU", 1), ("HIL-DEN", 2), ("IBU-400", 10), ("PAR-500", 6))
TREATMENTS = ("CON-GEN", "MED-INY", "MED-GLU", "ODO-PRO", "ODO-RES", "EST-BLA")


def billing_figures(ws: Workspace) -> Iterator[Figure]:
    from clinic_desktop.services.invoice_print import print_invoice
    from clinic_desktop.services.invoices import issue_invoice

    db = demo_clinic(ws, "billing")
    try:
        reception = demo_actor(db, "recepcion")
        _stock_up(db)
        _set_logo(db, demo_actor(db, "duena"))
        drafts = [_draft(db, reception, n) for n in range(ISSUES + 1)]
        warm_id, warm_version = drafts[0]
        issue_invoice(db.uow(), actor=reception, invoice_id=warm_id, version=warm_version)
        samples = []
        for invoice_id, version in drafts[1:]:
            start = time.perf_counter()
            issued = issue_invoice(
                db.uow(), actor=reception, invoice_id=invoice_id, version=version
            )
            samples.append((time.perf_counter() - start) * 1000)
            assert len(issued.lines) == 10 and issued.number_text, issued
        issue = statistics.median(samples)
        floor = median_ms(lambda: _one_write(db, warm_id), ISSUES)
        yield "invoice_issue_ms", issue, "ms"
        yield "invoice_issue_floor_ms", floor, "ms"
        yield "invoice_issue_ratio", issue / floor, "x"

        printed = drafts[-1][0]
        pdf = print_invoice(db.uow(), actor=reception, invoice_id=printed)
        assert pdf.startswith(b"%PDF"), pdf[:8]
        taken = median_ms(
            lambda: print_invoice(db.uow(), actor=reception, invoice_id=printed), PRINTS
        )
        yield "invoice_pdf_ms", taken, "ms"
        (ws.root / "billing_bench_invoice.pdf").write_bytes(pdf)
    finally:
        db.close()


def _stock_up(db: Any) -> None:
    """Three lots of 1,000 of each product sold, expiring a month apart (FEFO picks)."""
    from datetime import date, timedelta
    from decimal import Decimal

    from sqlalchemy import select

    from clinic_desktop.actor import Actor
    from clinic_desktop.models.inventory import Product
    from clinic_desktop.models.stock import MovementKind
    from clinic_desktop.services import stock_ledger

    today = date.today()
    with db.uow().transaction(Actor.system("bench")) as session:
        for code, _quantity in SOLD:
            product = session.scalars(select(Product).where(Product.code == code)).one()
            for k in range(3):
                lot = stock_ledger.new_lot(
                    session,
                    product=product,
                    lot_number=f"BEN-{code}-{k}",
                    expiry_date=today + timedelta(days=200 + 30 * k),
                    received_on=today,
                    unit_cost=product.cost,
                )
                stock_ledger.put(
                    session,
                    lot=lot,
                    quantity=Decimal(1000),
                    origin=stock_ledger.Origin(MovementKind.RECEIPT),
                )


def _set_logo(db: Any, owner: Any) -> None:
    from support.billing_pdf_data import logo_png

    from clinic_desktop.services.clinic_info import set_clinic_logo

    set_clinic_logo(db.uow(), actor=owner, data=logo_png())


def _draft(db: Any, actor: Any, n: int) -> tuple[uuid.UUID, int]:
    """A saved draft for the n-th demo patient with the 10 lines."""
    import dataclasses
    from decimal import Decimal

    from sqlalchemy import select

    from clinic_desktop.actor import Actor
    from clinic_desktop.models.inventory import Product
    from clinic_desktop.models.patient import Patient
    from clinic_desktop.models.treatment import Treatment
    from clinic_desktop.services.invoice_dto import InvoiceDraftForm, LineForm
    from clinic_desktop.services.invoices import create_draft, update_draft

    with db.uow().transaction(Actor.system("bench")) as session:
        patient_id = session.scalars(
            select(Patient.id).order_by(Patient.chart_number).offset(n * 37 % 1999).limit(1)
        ).one()
        treatments = {
            t.code: t
            for t in session.scalars(select(Treatment).where(Treatment.code.in_(TREATMENTS)))
        }
        products = {
            p.code: p
            for p in session.scalars(select(Product).where(Product.code.in_([c for c, _q in SOLD])))
        }
    lines = [
        LineForm(source="treatment", description="", unit_price=treatments[code].price,
                 treatment_id=treatments[code].id)
        for code in TREATMENTS
    ] + [
        LineForm(source="product", description="", quantity=Decimal(quantity),
                 unit_price=products[code].sale_price, product_id=products[code].id)
        for code, quantity in SOLD
    ]  # fmt: skip
    draft = create_draft(db.uow(), actor=actor, patient_id=patient_id)
    form = dataclasses.replace(InvoiceDraftForm.from_dto(draft), lines=tuple(lines))
    saved = update_draft(
        db.uow(), actor=actor, invoice_id=draft.id, version=draft.version, form=form
    )
    assert len(saved.lines) == 10, saved
    return saved.id, saved.version


def _one_write(db: Any, invoice_id: uuid.UUID) -> None:
    """The floor: one write transaction of one row (the engine begins it IMMEDIATE)."""
    with db.engine.begin() as conn:
        conn.exec_driver_sql(
            "UPDATE invoices SET version = version + 1 WHERE id = ?", (invoice_id.hex,)
        )
