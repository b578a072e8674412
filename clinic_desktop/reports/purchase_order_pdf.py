"""The printable purchase order the clinic sends to a supplier: the clinic's letterhead (logo,
name, address, tax ID) with the order number and its dates on the right, the supplier's and
the delivery details side by side, one row per product (code, name, quantity in the
supplier's purchase unit and what it means in units of use, unit cost, line total), the order
total in the clinic currency, the notes, and a line for the person who authorises it. A draft
prints crossed "DRAFT" and a cancelled order "CANCELLED", so neither is mistaken for an order
in force. Input dataclasses in, PDF bytes out."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from xml.sax.saxutils import escape

from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer, Table, TableStyle

from clinic_desktop.formatting import money, quantity
from clinic_desktop.i18n import _
from clinic_desktop.reports.clinical_letterhead import (
    CONTENT_WIDTH,
    LOGO_BOX,
    MARGIN_X,
    Letterhead,
    clinical_styles,
    draw_watermark,
    fmt_date,
    fmt_datetime,
    para_text,
)
from clinic_desktop.reports.pdf_style import (
    ACCENT,
    INK,
    MUTED,
    PAGE_SIZE,
    SANS,
    SANS_BOLD,
    draw_page_footer,
    fit_text,
    lay_out,
    page_of,
    scaled_logo,
)
from clinic_desktop.reports.pdf_tables import (
    cell_styles,
    facts_table,
    header_row,
    signature_lines,
    table_commands,
    tinted_band,
)

HEADER_HEIGHT = 26 * mm
MARGIN_TOP = 12 * mm + HEADER_HEIGHT + 6 * mm
MARGIN_BOTTOM = 22 * mm


@dataclass(frozen=True)
class SupplierBlock:
    name: str
    tax_id: str = ""
    contact_name: str = ""
    phone: str = ""
    email: str = ""
    address: str = ""


@dataclass(frozen=True)
class OrderPdfLine:
    code: str
    product: str
    quantity: Decimal  # purchase units
    purchase_unit: str  # "caja de 100" (or the unit of use when bought by the unit)
    units: Decimal  # the same in units of use
    unit: str  # unit of use
    unit_cost: Decimal  # per purchase unit
    total: Decimal


@dataclass(frozen=True)
class PurchaseOrderDocument:
    letterhead: Letterhead
    number_text: str  # "OC-000123"
    status: str  # draft, ordered, partial, received, cancelled
    status_label: str
    ordered_on: date | None
    expected_on: date | None
    supplier: SupplierBlock
    lines: tuple[OrderPdfLine, ...]
    total: Decimal
    currency: str
    notes: str
    generated_at: datetime  # clinic-local
    generated_by: str


def unit_cost_text(value: Decimal, currency: str) -> str:
    """A unit cost with its cents, and with the third and fourth places only when it has
    them ($8,50 a box; $0,085 a glove): rounding it would not multiply to the line total."""
    return money(value, currency, places=4)


def _draw_header(
    canvas: Canvas,
    doc: PurchaseOrderDocument,
    logo: tuple[ImageReader, float, float] | None,
    watermark: str,
) -> None:
    width, height = PAGE_SIZE
    head = doc.letterhead
    top = height - 12 * mm
    x = MARGIN_X
    if logo is not None:
        reader, logo_w, logo_h = logo
        canvas.drawImage(
            reader, x, top - logo_h, logo_w, logo_h, mask="auto", preserveAspectRatio=True
        )
        x += logo_w + 5 * mm
    right = width - MARGIN_X
    title = _("Purchase order")
    right_w = 62 * mm
    room = right - right_w - 6 * mm - x
    size = 12.5
    while size > 9.5 and pdfmetrics.stringWidth(head.clinic_name, SANS_BOLD, size) > room:
        size -= 0.5
    canvas.setFillColor(INK)
    canvas.setFont(SANS_BOLD, size)
    canvas.drawString(x, top - 5 * mm, fit_text(head.clinic_name, SANS_BOLD, size, room))
    canvas.setFont(SANS, 8.5)
    canvas.setFillColor(MUTED)
    line_y = top - 10 * mm
    for text in (head.address, f"{head.tax_id_label} {head.tax_id}".strip()):
        if text:
            canvas.drawString(x, line_y, fit_text(text, SANS, 8.5, room))
            line_y -= 4 * mm
    canvas.setFillColor(ACCENT)
    canvas.setFont(SANS_BOLD, 10)
    canvas.drawRightString(right, top - 4 * mm, fit_text(title.upper(), SANS_BOLD, 10, right_w))
    canvas.setFillColor(INK)
    canvas.setFont(SANS_BOLD, 15)
    canvas.drawRightString(right, top - 10.5 * mm, doc.number_text)
    canvas.setFillColor(MUTED)
    canvas.setFont(SANS, 7.5)
    line_y = top - 15.5 * mm
    for text in (
        _("Printed on {date}").format(date=fmt_datetime(doc.generated_at)),
        _("by {name}").format(name=doc.generated_by),
    ):
        canvas.drawRightString(right, line_y, fit_text(text, SANS, 7.5, right_w))
        line_y -= 3.5 * mm
    rule_y = height - 12 * mm - HEADER_HEIGHT
    canvas.setStrokeColor(ACCENT)
    canvas.setLineWidth(1.2)
    canvas.line(MARGIN_X, rule_y, width - MARGIN_X, rule_y)
    if watermark:
        draw_watermark(canvas, watermark)


def _draw_footer(canvas: Canvas, doc: PurchaseOrderDocument, page: int, pages: int) -> None:
    draw_page_footer(
        canvas,
        page_width=PAGE_SIZE[0],
        margin_x=MARGIN_X,
        y=11 * mm,
        text=f"{doc.letterhead.clinic_name} · {doc.number_text} · {doc.supplier.name}",
        page=page_of(page, pages),
    )


def _boxes(doc: PurchaseOrderDocument) -> Table:
    """Supplier on the left, the order's facts on the right."""
    s = clinical_styles()
    supplier = doc.supplier
    left: list[Flowable] = [
        Paragraph(escape(_("Supplier").upper()), s.label),
        Paragraph(f"<b>{escape(supplier.name)}</b>", s.body),
    ]
    # The supplier is usually in the clinic's country: its tax number has the same name.
    tax_label = doc.letterhead.tax_id_label or _("Tax ID")
    details = [
        supplier.tax_id and f"{tax_label}: {supplier.tax_id}",
        supplier.contact_name and _("Attn.: {name}").format(name=supplier.contact_name),
        supplier.phone and _("Phone: {value}").format(value=supplier.phone),
        supplier.email,
        supplier.address,
    ]
    left += [Paragraph(para_text(text), s.cell) for text in details if text]
    facts = [
        (_("Status"), doc.status_label),
        (_("Order date"), fmt_date(doc.ordered_on) if doc.ordered_on else _("Not placed yet")),
        (_("Expected delivery"), fmt_date(doc.expected_on) if doc.expected_on else "—"),
        (_("Deliver to"), doc.letterhead.address or doc.letterhead.clinic_name),
    ]
    half = CONTENT_WIDTH / 2
    right: list[Flowable] = [
        Paragraph(escape(_("Order details").upper()), s.label),
        facts_table(
            facts,
            widths=(30 * mm, half - 46 * mm),
            label_style=s.cell_small,
            value_style=s.cell,
        ),
    ]
    return tinted_band([left, right], [half, half], divider=0.6)


def _columns() -> tuple[tuple[str, bool], ...]:
    """The lines table's columns: (header, whether it holds figures)."""
    return (
        ("#", False),
        (_("Code"), False),
        (_("Product"), False),
        (_("Quantity"), True),
        (_("In units of use"), True),
        (_("Unit cost"), True),
        (_("Total"), True),
    )


def _lines_table(doc: PurchaseOrderDocument) -> Table:
    s = clinical_styles()
    cells = cell_styles(cell=s.cell, bold=s.cell_bold, head=s.head)
    columns = _columns()
    rows: list[list[object]] = [header_row(columns, cells)]
    for number, line in enumerate(doc.lines, start=1):
        rows.append(
            [
                Paragraph(str(number), s.cell_small),
                Paragraph(escape(line.code), s.cell_small),
                Paragraph(escape(line.product), cells.plain),
                Paragraph(escape(f"{quantity(line.quantity)} {line.purchase_unit}"), cells.right),
                Paragraph(escape(f"{quantity(line.units)} {line.unit}"), cells.right),
                Paragraph(escape(unit_cost_text(line.unit_cost, doc.currency)), cells.right),
                Paragraph(escape(money(line.total, doc.currency)), cells.right),
            ]
        )
    if not doc.lines:
        rows.append(["", "", Paragraph(escape(_("No products on this order.")), s.empty)])
    total = cells.bold_right.clone("OrderTotal", fontSize=10, leading=13)
    rows.append(
        [""] * 5
        + [
            Paragraph(escape(_("Total")), total),
            Paragraph(escape(money(doc.total, doc.currency)), total),
        ]
    )
    fixed = [7 * mm, 22 * mm, 0, 27 * mm, 23 * mm, 22 * mm, 24 * mm]
    fixed[2] = CONTENT_WIDTH - sum(fixed)
    table = Table(rows, colWidths=fixed, repeatRows=1)
    last = len(rows) - 1
    commands = table_commands(
        figures=[figure for _label, figure in columns],
        padding=(3, 4, 4),
        rule_width=0.4,
        last_ruled_row=last - 1,
    )
    commands.append(("LINEABOVE", (5, last), (-1, last), 1, INK))
    table.setStyle(TableStyle(commands))
    return table


def _signature() -> Table:
    return signature_lines(
        [_("Authorised signature")], width=70 * mm, space=14 * mm, style=clinical_styles().small
    )


def render_purchase_order(doc: PurchaseOrderDocument) -> bytes:
    s = clinical_styles()
    title = _("Purchase order {number}").format(number=doc.number_text)
    story: list[Flowable] = [
        _boxes(doc),
        Spacer(1, 6 * mm),
        _lines_table(doc),
    ]
    if doc.notes.strip():
        story += [
            Spacer(1, 5 * mm),
            Paragraph(escape(_("Notes").upper()), s.label),
            Paragraph(para_text(doc.notes), s.body),
        ]
    story += [Spacer(1, 12 * mm), KeepTogether(_signature())]
    watermark = {"draft": _("DRAFT"), "cancelled": _("CANCELLED")}.get(doc.status, "")
    logo = scaled_logo(doc.letterhead.logo, LOGO_BOX)
    return lay_out(
        story,
        margins=(MARGIN_X, MARGIN_TOP, MARGIN_BOTTOM),
        title=title,
        author=doc.letterhead.clinic_name,
        subject=_("Purchase order to {supplier}").format(supplier=doc.supplier.name),
        draw_header=lambda canvas: _draw_header(canvas, doc, logo, watermark),
        draw_footer=lambda canvas, page, pages: _draw_footer(canvas, doc, page, pages),
    )
