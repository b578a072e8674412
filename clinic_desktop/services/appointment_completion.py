"""Completing an appointment's work and undoing it. Completing marks every planned treatment
done and writes a usage line per product (what the recipe says, times the treatment's
quantity, and the actual quantity the user confirmed), and takes that stock by FEFO in the same
transaction, with the noted extras; the preview (services.appointment_preview) showed those
lines first. Undoing writes a reversing movement for each movement and marks the lines
reversed; nothing is deleted, so the ledger and the audit trail show both."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from clinic_desktop.actor import Actor
from clinic_desktop.db.uow import UnitOfWork
from clinic_desktop.errors import InvalidTransition, NotFound, ValidationError
from clinic_desktop.formatting import quantity as quantity_text
from clinic_desktop.i18n import _
from clinic_desktop.models.base import new_id, utcnow
from clinic_desktop.models.inventory import Product
from clinic_desktop.models.stock import (
    MovementKind,
    MovementSource,
    StockBalance,
    StockLot,
    StockMovement,
)
from clinic_desktop.models.treatment import (
    AppointmentTreatment,
    StockUsage,
    Treatment,
    TreatmentStatus,
)
from clinic_desktop.services import stock_ledger as ledger
from clinic_desktop.services.access import require_any
from clinic_desktop.services.appointment_preview import (
    CompletionPreviewDTO,
    PlannedLine,
    planned_lines,
    short_warning,
)
from clinic_desktop.services.appointment_work import (
    RECORD,
    AppointmentWorkDTO,
    clean_quantity,
    finish,
    live_usages,
    load_appointment,
    open_appointment,
    pending_extras,
    recorded_rows,
    treatment_rows,
)
from clinic_desktop.services.clinical_history import clinic_today

ZERO = Decimal(0)


@dataclass(frozen=True)
class CompletionLine:
    """The actual quantity of one usage line. A treatment's line names its row; the type's
    usual treatment, not recorded yet, has no row and names the treatment instead; an extra
    product names neither."""

    appointment_treatment_id: uuid.UUID | None
    product_id: uuid.UUID
    actual_quantity: Decimal
    treatment_id: uuid.UUID | None = None


def lines_from_preview(preview: CompletionPreviewDTO) -> list[CompletionLine]:
    """The preview's lines as completion lines, with their (possibly edited) actual
    quantities: what the dialog sends after the user corrected some."""
    return [
        CompletionLine(
            line.appointment_treatment_id,
            line.product_id,
            line.actual_quantity,
            None if line.appointment_treatment_id else line.treatment_id,
        )
        for line in preview.lines
    ]


@dataclass(frozen=True)
class CompletionResultDTO:
    work: AppointmentWorkDTO
    # Set when the clinic allows negative stock and some product went below zero.
    warnings: tuple[str, ...]


# -- completing and undoing --------------------------------------------------------------


def _line_key(
    line: CompletionLine, planned: list[AppointmentTreatment]
) -> tuple[uuid.UUID | None, uuid.UUID]:
    if line.appointment_treatment_id is not None:
        if not any(r.id == line.appointment_treatment_id for r in planned):
            raise ValidationError(
                _("A line refers to a treatment that is not planned on this appointment."),
                field="lines",
            )
        return line.appointment_treatment_id, line.product_id
    if line.treatment_id is not None:
        row = next((r for r in planned if r.treatment_id == line.treatment_id), None)
        if row is None:
            raise ValidationError(
                _("A line refers to a treatment that is not planned on this appointment."),
                field="lines",
            )
        return row.id, line.product_id
    return None, line.product_id


def _apply_lines(
    session: Session,
    lines: list[PlannedLine],
    given: Sequence[CompletionLine],
    planned: list[AppointmentTreatment],
) -> list[PlannedLine]:
    """The default lines with the user's actual quantities; lines naming a product the recipe
    does not list are added (recipe quantity 0)."""
    by_key = {(p.row.id if p.row else None, p.product.id): p for p in lines}
    seen: set[tuple[uuid.UUID | None, uuid.UUID]] = set()
    result = {key: line for key, line in by_key.items()}
    new_products = {g.product_id for g in given} - {p.product.id for p in lines}
    products = (
        {p.id: p for p in session.scalars(select(Product).where(Product.id.in_(new_products)))}
        if new_products
        else {}
    )
    rows = {r.id: r for r in planned}
    for line in given:
        key = _line_key(line, planned)
        if key in seen:
            raise ValidationError(
                _("A product is listed twice for the same treatment."), field="lines"
            )
        seen.add(key)
        actual = clean_quantity(line.actual_quantity, allow_zero=True, field="lines")
        current = result.get(key)
        if current is not None:
            result[key] = PlannedLine(
                current.row,
                current.treatment,
                current.product,
                current.recipe_quantity,
                actual,
                current.usage,
            )
            continue
        product = products.get(line.product_id)
        if product is None or product.is_deleted:
            raise NotFound(_("The product no longer exists."))
        row = rows.get(key[0]) if key[0] is not None else None
        treatment = session.get(Treatment, row.treatment_id) if row is not None else None
        result[key] = PlannedLine(row, treatment, product, Decimal(0), actual)
    return list(result.values())


class _Shelf:
    """The usable lots of the products a completion takes, with their balances, read in one
    query. The shelf holds them for the whole completion (the session keeps unchanged rows
    only weakly), so the ledger finds each lot's balance without a query, and it picks the
    lots by FEFO the way stock_ledger.fefo_lots orders them, instead of a query per product."""

    def __init__(self, session: Session, product_ids: set[uuid.UUID], today: date) -> None:
        self.balances: dict[uuid.UUID, StockBalance] = {}
        self.lots: dict[uuid.UUID, list[StockLot]] = defaultdict(list)
        # Only lots with stock that may be used today: years of emptied lots stay unread.
        rows = session.execute(
            select(StockLot, StockBalance)
            .join(StockBalance, StockBalance.lot_id == StockLot.id)
            .where(
                StockLot.product_id.in_(product_ids),
                StockLot.deleted_at.is_(None),
                StockBalance.quantity > 0,
                or_(StockLot.expiry_date.is_(None), StockLot.expiry_date >= today),
            )
        )
        for lot, balance in rows:
            self.balances[lot.id] = balance
            self.lots[lot.product_id].append(lot)
        for lots in self.lots.values():
            lots.sort(
                key=lambda lot: (
                    lot.expiry_date is None,
                    lot.expiry_date or today,
                    lot.received_on,
                    lot.id,
                )
            )

    def _on_hand(self, lot: StockLot) -> Decimal:
        balance = self.balances.get(lot.id)
        return balance.quantity if balance is not None else ZERO

    def usable(self, product_id: uuid.UUID) -> Decimal:
        return sum((q for lot in self.lots[product_id] if (q := self._on_hand(lot)) > 0), ZERO)

    def plan(self, product_id: uuid.UUID, quantity: Decimal) -> list[tuple[StockLot, Decimal]]:
        """The (lot, part) takes that cover `quantity` by FEFO; empty if the lots cannot."""
        left, takes = quantity, []
        for lot in self.lots[product_id]:
            part = min(left, self._on_hand(lot))
            if part > 0:
                takes.append((lot, part))
                left -= part
            if left == 0:
                return takes
        return []


def _check_stock(session: Session, work: list[PlannedLine], shelf: _Shelf) -> None:
    """Refuses, naming the product and the whole quantity, when the lines together need more
    than the lots usable today hold (unless the clinic allows negative stock)."""
    if ledger.allows_negative(session):
        return
    wanted: dict[uuid.UUID, Decimal] = defaultdict(Decimal)
    for line in work:
        wanted[line.product.id] += line.actual_quantity
    for line in work:
        usable = shelf.usable(line.product.id)
        if wanted[line.product.id] > usable:
            raise ValidationError(
                short_warning(line.product, wanted[line.product.id], usable, False),
                field="lines",
            )


def _consume(
    session: Session,
    work: list[PlannedLine],
    shelf: _Shelf,
    appointment_id: uuid.UUID,
    now: datetime,
    today: date,
) -> dict[uuid.UUID, Decimal]:
    """Writes each line's usage row and takes its actual quantity through the ledger, lot by
    lot in FEFO order; returns what went below zero per product (only possible when the
    clinic allows it: then the ledger's own FEFO takes the line and charges the shortfall)."""
    short: dict[uuid.UUID, Decimal] = {}
    for line in work:
        usage = line.usage
        if usage is None:
            usage = StockUsage(
                id=new_id(),
                appointment_id=appointment_id,
                appointment_treatment_id=line.row.id if line.row else None,
                product_id=line.product.id,
                recipe_quantity=line.recipe_quantity,
                actual_quantity=line.actual_quantity,
            )
            session.add(usage)
        elif usage.actual_quantity != line.actual_quantity:
            usage.actual_quantity = line.actual_quantity
        usage.consumed_at = now
        if line.actual_quantity <= 0:
            continue
        origin = ledger.Origin(MovementKind.CONSUMPTION, MovementSource.USAGE, usage.id, "", now)
        takes = shelf.plan(line.product.id, line.actual_quantity)
        for lot, part in takes:
            ledger.take_from_lot(
                session, lot=lot, quantity=part, origin=origin, product_name=line.product.name
            )
        if not takes:
            taken = ledger.take_fefo(
                session,
                product=line.product,
                quantity=line.actual_quantity,
                origin=origin,
                today=today,
            )
            if taken.shortfall:
                short[line.product.id] = short.get(line.product.id, ZERO) + taken.shortfall
    return short


def complete_treatments(
    uow: UnitOfWork,
    *,
    actor: Actor,
    appointment_id: uuid.UUID,
    lines: Sequence[CompletionLine] = (),
) -> CompletionResultDTO:
    """Marks every planned treatment done and consumes the products: each recipe line (recipe
    quantity × treatment quantity, or the actual quantity given in `lines`) and each noted
    extra, by FEFO. An actual quantity of 0 records that the product was not used. When stock
    is short the whole completion is refused, unless the clinic allows negative stock: then it
    goes through with a warning per product."""
    with uow.transaction(actor) as session:
        require_any(session, actor, RECORD)
        appointment = open_appointment(session, appointment_id)
        rows = recorded_rows(session, appointment)
        session.flush()
        planned = [r for r in rows if not r.is_deleted and r.status == TreatmentStatus.PLANNED]
        treatments = {
            t.id: t
            for t in session.scalars(
                select(Treatment).where(Treatment.id.in_({r.treatment_id for r in planned}))
            )
        }
        extras = pending_extras(live_usages(session, appointment.id))
        work = _apply_lines(
            session, planned_lines(session, planned, treatments, extras), lines, planned
        )
        if not planned and not work:
            raise ValidationError(
                _("Nothing to complete: add a treatment or a product first."), field="lines"
            )
        product_ids = {line.product.id for line in work}
        today, now = clinic_today(session), utcnow()
        shelf = _Shelf(session, product_ids, today)
        _check_stock(session, work, shelf)
        # One flush at the end rather than one before each query the ledger makes: it sizes
        # every take by the balance held in the session, which carries the unflushed takes.
        with session.no_autoflush:
            short = _consume(session, work, shelf, appointment.id, now, today)
        for row in planned:
            row.status = TreatmentStatus.DONE.value
            row.done_at = now
            row.done_by = actor.user_id
        products = {line.product.id: line.product for line in work}
        warnings = tuple(
            _(
                "{product}: {missing} {unit} more than there was in stock; the stock is now below "
                "zero."
            ).format(
                product=products[pid].name,
                missing=quantity_text(missing),
                unit=products[pid].unit,
            )
            for pid, missing in short.items()
        )
        dto = finish(uow, session, actor, appointment, product_ids)
    return CompletionResultDTO(dto, warnings)


def undo_completion(
    uow: UnitOfWork,
    *,
    actor: Actor,
    appointment_id: uuid.UUID,
    reason: str,
    appointment_treatment_id: uuid.UUID | None = None,
) -> AppointmentWorkDTO:
    """Reverses what completing consumed, for the whole appointment or one treatment: each
    movement gets its reversing movement, the usage lines are marked reversed (kept) and the
    treatments are planned again."""
    reason = " ".join(reason.split())
    if not reason:
        raise ValidationError(_("Reason: write why the completion is undone."), field="reason")
    if len(reason) > 300:
        raise ValidationError(
            _("Reason: at most {count} characters.").format(count=300), field="reason"
        )
    with uow.transaction(actor) as session:
        require_any(session, actor, RECORD)
        appointment = load_appointment(session, appointment_id)
        rows = [r for r in treatment_rows(session, appointment.id) if not r.is_deleted]
        usages = [
            u
            for u in live_usages(session, appointment.id)
            if u.consumed_at is not None and u.reversed_at is None
        ]
        if appointment_treatment_id is not None:
            row = next((r for r in rows if r.id == appointment_treatment_id), None)
            if row is None:
                raise NotFound(_("That treatment is no longer on this appointment."))
            if row.status != TreatmentStatus.DONE.value:
                raise InvalidTransition(_("This treatment is not done: there is nothing to undo."))
            rows = [row]
            usages = [u for u in usages if u.appointment_treatment_id == row.id]
        done = [r for r in rows if r.status == TreatmentStatus.DONE.value]
        if not done and not usages:
            raise InvalidTransition(_("Nothing was completed on this appointment."))
        movements = (
            list(
                session.scalars(
                    select(StockMovement).where(
                        StockMovement.source == MovementSource.USAGE.value,
                        StockMovement.source_id.in_([u.id for u in usages]),
                        StockMovement.kind != MovementKind.REVERSAL.value,
                    )
                )
            )
            if usages
            else []
        )
        for movement in movements:
            ledger.reverse(session, movement=movement, reason=reason)
        now = utcnow()
        for usage in usages:
            usage.reversed_at = now
        for row in done:
            row.status = TreatmentStatus.PLANNED.value
            row.done_at = None
            row.done_by = None
        return finish(uow, session, actor, appointment, {m.product_id for m in movements})
