"""The printable purchase order as PDF bytes for the print preview: the order as it stands
(a draft or a cancelled order prints marked as such), with the clinic's letterhead and the
supplier's details, in the UI language and the clinic's time zone. Any signed-in user may
print an order, as anyone may read it."""

from __future__ import annotations

import uuid
from datetime import datetime

from clinic_desktop.actor import Actor
from clinic_desktop.db.uow import UnitOfWork
from clinic_desktop.models.inventory import Supplier
from clinic_desktop.reports.clinical_letterhead import Letterhead
from clinic_desktop.reports.purchase_order_pdf import (
    OrderPdfLine,
    PurchaseOrderDocument,
    SupplierBlock,
    render_purchase_order,
)
from clinic_desktop.services.agenda_rules import clinic_zone
from clinic_desktop.services.clinical_print_views import actor_display_name, clinic_letterhead
from clinic_desktop.services.products_query import require_reader
from clinic_desktop.services.purchasing_dto import PurchaseOrderDTO
from clinic_desktop.services.purchasing_rows import load_order, order_dto


def purchase_order_document(
    dto: PurchaseOrderDTO,
    supplier: SupplierBlock,
    *,
    letterhead: Letterhead,
    generated_at: datetime,
    generated_by: str,
) -> PurchaseOrderDocument:
    """The report's input for `dto`, printed at `generated_at` (clinic-local) by `generated_by`."""
    return PurchaseOrderDocument(
        letterhead=letterhead,
        generated_at=generated_at,
        generated_by=generated_by,
        number_text=dto.number_text,
        status=dto.status,
        status_label=dto.status_label,
        ordered_on=dto.ordered_on,
        expected_on=dto.expected_on,
        supplier=supplier,
        lines=tuple(
            OrderPdfLine(
                code=line.product_code,
                product=line.product_name,
                quantity=line.quantity,
                purchase_unit=line.purchase_unit_name,
                units=line.quantity_in_units,
                unit=line.unit,
                unit_cost=line.unit_cost,
                total=line.line_total,
            )
            for line in dto.lines
        ),
        total=dto.total,
        currency=dto.currency,
        notes=dto.notes,
    )


def purchase_order_pdf(uow: UnitOfWork, *, actor: Actor, order_id: uuid.UUID) -> bytes:
    with uow.transaction(actor) as session:
        require_reader(session, actor)
        order = load_order(session, order_id)
        dto = order_dto(session, order)
        row = session.get(Supplier, order.supplier_id)
        supplier = SupplierBlock(
            name=dto.supplier_name,
            tax_id=(row.tax_id or "") if row else "",
            contact_name=row.contact_name if row else "",
            phone=row.phone if row else "",
            email=row.email if row else "",
            address=row.address if row else "",
        )
        letterhead = clinic_letterhead(session)
        generated_by = actor_display_name(session, actor)
        now = datetime.now(clinic_zone(session))
    return render_purchase_order(
        purchase_order_document(
            dto, supplier, letterhead=letterhead, generated_at=now, generated_by=generated_by
        )
    )
