"""A credit note's products back on the shelf (issue_credit_note with return_to_stock):
each credited product line puts its quantity back into the lots the original sale took it
from, the lot taken last first, never more into a lot than the sale took from it minus what
earlier credit notes already returned there. A whole lot coming back is the exact reversal
of its sale movement (reverses_id set, so the ledger shows the sale undone); part of a lot
is a reversal-kind movement into that lot pointing at the credit note's line."""

from __future__ import annotations

import uuid
from decimal import Decimal

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from clinic_desktop.models.billing import InvoiceLine, LineSource
from clinic_desktop.models.stock import MovementKind, MovementSource, StockLot, StockMovement
from clinic_desktop.services import stock_ledger as ledger

ZERO = Decimal(0)


def return_to_stock_of(
    session: Session, note_rows: list[InvoiceLine], *, reason: str
) -> set[uuid.UUID]:
    """Puts the credited products back into the lots their sale took them from, the lot
    taken last first; returns the products moved."""
    moved: set[uuid.UUID] = set()
    for row in note_rows:
        if row.source != LineSource.PRODUCT.value or row.corrects_line_id is None:
            continue
        sales = list(
            session.scalars(
                select(StockMovement)
                .where(
                    StockMovement.source == MovementSource.INVOICE_LINE.value,
                    StockMovement.source_id == row.corrects_line_id,
                    StockMovement.kind == MovementKind.SALE.value,
                )
                .order_by(StockMovement.occurred_at, StockMovement.id)
            )
        )
        if not sales:
            continue
        credit_lines = select(InvoiceLine.id).where(
            InvoiceLine.corrects_line_id == row.corrects_line_id
        )
        back_rows = session.scalars(
            select(StockMovement).where(
                StockMovement.kind == MovementKind.REVERSAL.value,
                or_(
                    StockMovement.reverses_id.in_([m.id for m in sales]),
                    (StockMovement.source == MovementSource.INVOICE_LINE.value)
                    & StockMovement.source_id.in_(credit_lines),
                ),
            )
        )
        back: dict[uuid.UUID, Decimal] = {}
        for m in back_rows:
            back[m.lot_id] = back.get(m.lot_id, ZERO) + m.quantity
        sold: dict[uuid.UUID, list[StockMovement]] = {}
        for m in sales:
            sold.setdefault(m.lot_id, []).append(m)
        left = row.quantity
        for lot_id in reversed(list(sold)):
            taken = sold[lot_id]
            room = -sum((m.quantity for m in taken), ZERO) - back.get(lot_id, ZERO)
            part = min(left, room)
            if part <= 0:
                continue
            if len(taken) == 1 and lot_id not in back and part == -taken[0].quantity:
                ledger.reverse(session, movement=taken[0], reason=reason)
            else:
                lot = session.get(StockLot, lot_id)
                assert lot is not None
                ledger.put(
                    session,
                    lot=lot,
                    quantity=part,
                    origin=ledger.Origin(
                        MovementKind.REVERSAL, MovementSource.INVOICE_LINE, row.id, reason
                    ),
                )
            left -= part
            moved.add(taken[0].product_id)
            if left <= 0:
                break
    return moved
