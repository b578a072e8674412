"""Credit notes (Ecuador's nota de crédito, Spain's factura rectificativa): the only way to
correct an issued invoice. A credit note is issued at once (no draft) in its own series at
this PC's emission point, names the invoice it corrects and why, and copies the credited
lines from the original with the original's prices, discounts and tax rates (the rates of the
original's date, not today's), so crediting everything at once gives back exactly the
original's amounts. A line can never be credited beyond what remains of it after earlier
credit notes; the last part of a line takes what remains of its discount, and the note that
credits the last of the invoice absorbs the cent or two by which separately rounded partial
notes may differ, so the notes always add up to the invoice's total. Spain's rectification
code is R5 when the original is a simplified invoice and R1 otherwise (art. 80 LIVA: returns,
cancellations and corrections of the clinic's own invoices); Ecuador has none. The original's
credited_total grows by the note's total and its status is settled (wholly credited and
unpaid: "credited"). Crediting an invoice that has payments is asked first (the credit
becomes money to refund, which the payments screen does). With `return_to_stock` the
credited products go back on the shelf (credit_notes_stock).

Public API (billing.manage):
  issue_credit_note(uow, *, actor, invoice_id, reason, lines=None, return_to_stock=False,
                    confirmed=False, now=None) -> InvoiceDTO
  `lines`: None credits everything still creditable; otherwise (original line id, quantity)
  pairs."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal

from clinic_desktop.actor import Actor
from clinic_desktop.db.uow import UnitOfWork
from clinic_desktop.errors import InvalidTransition, NeedsConfirmation, ValidationError
from clinic_desktop.fiscal.invoice_math import cents
from clinic_desktop.formatting import money
from clinic_desktop.formatting import quantity as quantity_text
from clinic_desktop.i18n import _
from clinic_desktop.models.billing import (
    Invoice,
    InvoiceKind,
    InvoiceLine,
    InvoiceStatus,
)
from clinic_desktop.services.clinic_days import moment_and_day
from clinic_desktop.services.clinical_dto import clean_text
from clinic_desktop.services.credit_notes_stock import return_to_stock_of
from clinic_desktop.services.invoice_common import (
    announce,
    announce_stock,
    document_name,
    live_lines,
    load_invoice,
    require_write,
    stamp_issued,
)
from clinic_desktop.services.invoice_dto import InvoiceDTO
from clinic_desktop.services.invoice_lines import QUANTITY_PLACES, apply_totals, check_number
from clinic_desktop.services.invoice_numbering import next_number
from clinic_desktop.services.invoice_views import Credited, credited_by_line, invoice_dto

ZERO = Decimal(0)
CENT = Decimal("0.01")
REASON_LIMIT = 500


def rectification_code(original: Invoice) -> str:
    if original.country != "ES":
        return ""
    return "R5" if original.kind == InvoiceKind.SIMPLIFIED.value else "R1"


def _creditable(original: Invoice) -> None:
    if original.is_draft:
        raise InvalidTransition(
            _("A draft is not credited: change it or delete it instead."),
        )
    if original.kind == InvoiceKind.CREDIT_NOTE.value:
        raise InvalidTransition(
            _("{document} is a credit note: it cannot be credited itself.").format(
                document=document_name(original)
            )
        )


def _wanted(
    rows: list[InvoiceLine],
    credited: dict[uuid.UUID, Credited],
    lines: Sequence[tuple[uuid.UUID, Decimal]] | None,
    original: Invoice,
) -> list[tuple[InvoiceLine, Decimal]]:
    """(original line, quantity to credit) pairs, checked against what remains."""
    remaining = {
        row.id: row.quantity - (credited[row.id].quantity if row.id in credited else ZERO)
        for row in rows
    }
    if lines is None:
        picked = [(row, remaining[row.id]) for row in rows if remaining[row.id] > 0]
        if not picked:
            raise InvalidTransition(
                _("{document} is already wholly credited.").format(document=document_name(original))
            )
        return picked
    numbers = {row.id: number for number, row in enumerate(rows, start=1)}
    by_id = {row.id: row for row in rows}
    asked: dict[uuid.UUID, Decimal] = {}
    for line_id, quantity in lines:
        if line_id not in by_id:
            raise ValidationError(
                _("Lines: one of the lines is not a line of {document}.").format(
                    document=document_name(original)
                ),
                field="lines",
            )
        number = numbers[line_id]
        label = _("Line {number} — {field}").format(number=number, field=_("Quantity to credit"))
        if not quantity:
            continue
        value = check_number(
            Decimal(quantity),
            label=label,
            field=f"lines.{number}.quantity",
            places=QUANTITY_PLACES,
            positive=True,
        )
        asked[line_id] = asked.get(line_id, ZERO) + value
    for line_id, quantity in asked.items():
        if quantity > remaining[line_id]:
            number = numbers[line_id]
            raise ValidationError(
                _(
                    "{field}: at most {remaining} remain to credit ({credited} already "
                    "credited of {quantity})."
                ).format(
                    field=_("Line {number} — {field}").format(
                        number=number, field=_("Quantity to credit")
                    ),
                    remaining=quantity_text(remaining[line_id]),
                    credited=quantity_text(by_id[line_id].quantity - remaining[line_id]),
                    quantity=quantity_text(by_id[line_id].quantity),
                ),
                field=f"lines.{number}.quantity",
            )
    if not asked:
        raise ValidationError(
            _("Lines: choose at least one line and the quantity to credit."), field="lines"
        )
    return [(row, asked[row.id]) for row in rows if row.id in asked]


def _discount(row: InvoiceLine, quantity: Decimal, done: Credited | None) -> Decimal:
    """The line discount given back with `quantity`: its proportion, or all that is left of
    it when the line's last units are credited."""
    given = done.discount if done else ZERO
    left = row.discount - given
    already = done.quantity if done else ZERO
    if quantity >= row.quantity - already:
        return max(ZERO, left)
    return min(max(ZERO, left), cents(row.discount * quantity / row.quantity))


def _copy_line(
    note: Invoice, position: int, row: InvoiceLine, quantity: Decimal, discount: Decimal
) -> InvoiceLine:
    return InvoiceLine(
        invoice_id=note.id,
        position=position,
        source=row.source,
        appointment_treatment_id=row.appointment_treatment_id,
        treatment_id=row.treatment_id,
        product_id=row.product_id,
        corrects_line_id=row.id,
        description=row.description,
        quantity=quantity,
        unit_price=row.unit_price,
        discount=discount,
        tax_code=row.tax_code,
        tax_percent=row.tax_percent,
        tax_official=row.tax_official,
    )


def _exhausts(
    rows: list[InvoiceLine],
    credited: dict[uuid.UUID, Credited],
    picked: list[tuple[InvoiceLine, Decimal]],
) -> bool:
    """True when this note credits everything still creditable of the invoice."""
    taking = {row.id: quantity for row, quantity in picked}
    return all(
        taking.get(row.id, ZERO)
        == row.quantity - (credited[row.id].quantity if row.id in credited else ZERO)
        for row in rows
    )


def _absorb_residue(note: Invoice, rows: list[InvoiceLine], target: Decimal) -> None:
    """Each credit note is computed on its own (its tax rounded per rate, its share of the
    discount on the total rounded once), so partial notes may add up to a cent or two more
    or less than the invoice. The note that credits the rest takes that residue: the line
    discount of one of its lines moves by the fewest cents that make its total exactly what
    was left to credit, and the note still computes by invoice_math."""
    if note.total == target or target <= 0:
        return
    step = CENT if note.total > target else -CENT
    for cents_off in range(1, 6):
        for row in sorted(rows, key=lambda r: r.net, reverse=True):
            trial = row.discount + step * cents_off
            if trial < 0 or trial > cents(row.quantity * row.unit_price):
                continue
            kept, row.discount = row.discount, trial
            apply_totals(note, rows)
            if note.total == target:
                return
            row.discount = kept
    apply_totals(note, rows)


def issue_credit_note(
    uow: UnitOfWork,
    *,
    actor: Actor,
    invoice_id: uuid.UUID,
    reason: str,
    lines: Sequence[tuple[uuid.UUID, Decimal]] | None = None,
    return_to_stock: bool = False,
    confirmed: bool = False,
    now: datetime | None = None,
) -> InvoiceDTO:
    """Issues a credit note against the invoice (see the module's docstring); returns it.
    `now` backdates it (the demo generator; the UI never passes it): the issue date is its
    day on the clinic's calendar."""
    why = clean_text(reason, field="reason", label=_("Reason"), limit=REASON_LIMIT, required=True)
    with uow.transaction(actor) as session:
        require_write(session, actor)
        original = load_invoice(session, invoice_id)
        _creditable(original)
        rows = live_lines(session, [original.id])
        credited = credited_by_line(session, [r.id for r in rows])
        picked = _wanted(rows, credited, lines, original)
        # today: the clinic's calendar day of the issue (clinic_today when not backdated).
        issued_at, today = moment_and_day(session, now)
        note = Invoice(
            kind=InvoiceKind.CREDIT_NOTE.value,
            status=InvoiceStatus.DRAFT.value,
            country=original.country,
            currency=original.currency,
            patient_id=original.patient_id,
            appointment_id=original.appointment_id,
            practitioner_id=original.practitioner_id,
            buyer_name=original.buyer_name,
            buyer_id_type=original.buyer_id_type,
            buyer_tax_id=original.buyer_tax_id,
            buyer_address=original.buyer_address,
            buyer_email=original.buyer_email,
            discount_percent=original.discount_percent,
            corrects_id=original.id,
            correction_reason=why,
            rectification_code=rectification_code(original),
        )
        session.add(note)
        session.flush()
        note_rows = [
            _copy_line(
                note, position, row, quantity, _discount(row, quantity, credited.get(row.id))
            )
            for position, (row, quantity) in enumerate(picked, start=1)
        ]
        session.add_all(note_rows)
        apply_totals(note, note_rows)
        if _exhausts(rows, credited, picked):
            _absorb_residue(note, note_rows, original.total - original.credited_total)
        if note.total <= 0:
            raise ValidationError(
                _(
                    "Total: a credit note must total more than zero; these lines total {total}."
                ).format(total=money(note.total, note.currency)),
                field="lines",
            )
        # Asked only when the credit is more than what is still owed: a credit that only
        # lowers the debt of a partly paid invoice leaves nothing to give back.
        refund = note.total - max(original.balance, ZERO)
        if original.paid_total > 0 and refund > 0 and not confirmed:
            raise NeedsConfirmation(
                _(
                    "{document} has {paid} paid: this credit of {credit} leaves {refund} to refund."
                ).format(
                    document=document_name(original),
                    paid=money(original.paid_total, original.currency),
                    credit=money(note.total, note.currency),
                    refund=money(refund, note.currency),
                ),
                question=_("Issue the credit note anyway? Then record the refund."),
                field="lines",
            )
        issued = next_number(session, workstation=actor.workstation, kind=InvoiceKind.CREDIT_NOTE)
        stamp_issued(note, issued, today=today, issued_at=issued_at, by=actor.user_id)
        original.credited_total = original.credited_total + note.total
        original.settle()
        session.flush()
        moved = (
            return_to_stock_of(session, note_rows, reason=issued.text) if return_to_stock else set()
        )
        session.flush()
        announce(uow, [note, original])
        announce_stock(uow, moved)
        return invoice_dto(session, note)
