"""What the billing PDFs print, and the page they share. The services fill these frozen input
dataclasses (an invoice or credit note, a payment receipt, a day's cash close) with figures
already computed by fiscal.invoice_math and labels already translated; the renderers in
invoice_pdf, payment_receipt_pdf and cash_close_pdf only lay them out. The page is the
clinic's letterhead (clinical_letterhead.Letterhead: logo, name, address, tax ID) with the
document's title, number and date on the right, and a footer naming the document with
"Page X of Y", so a loose page of a long invoice still says whose and which it is;
`render_billing_doc` lays a document's flowables out on it, A4 (`A4_PAGE`) or A5 (`A5_PAGE`)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from reportlab.lib.pagesizes import A5
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable

from clinic_desktop.reports.clinical_letterhead import LOGO_BOX, Letterhead, draw_watermark
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

InvoiceKind = Literal["invoice", "simplified", "credit_note"]
Country = Literal["EC", "ES"]

ZERO = Decimal(0)


# -- invoice and credit note ---------------------------------------------------------------


@dataclass(frozen=True)
class InvoiceBuyer:
    name: str
    id_label: str  # translated identity type: "RUC", "Cédula", "NIF", "Pasaporte"
    tax_id: str  # "1710034065", "9999999999999" for Ecuador's consumidor final
    address: str = ""
    email: str = ""


@dataclass(frozen=True)
class InvoiceDocLine:
    description: str
    quantity: Decimal
    unit_price: Decimal  # before the line discount, without tax
    discount: Decimal  # amount taken off this line (0 for none)
    net: Decimal  # quantity × unit price − discount, as invoice_math computed it
    tax_label: str = ""  # the rate row it falls in: "IVA 15 %", "Exenta"


@dataclass(frozen=True)
class TaxBreakdownRow:
    label: str  # "IVA 15 %", "IVA 0 %", "Exenta art. 20.Uno.3º"
    base: Decimal  # taxable base at this rate, after the global discount
    tax: Decimal


@dataclass(frozen=True)
class CorrectedInvoice:
    """The invoice a credit note (nota de crédito, factura rectificativa) corrects."""

    number: str
    issued_on: date
    reason: str


@dataclass(frozen=True)
class InvoiceDoc:
    letterhead: Letterhead
    kind: InvoiceKind
    country: Country
    number: str  # "001-002-000000123" (EC), "F001-000123" (ES); "" for a draft
    issued_on: date
    currency: str  # "USD", "EUR"
    buyer: InvoiceBuyer | None  # None: a Spanish simplified invoice with no named buyer
    lines: tuple[InvoiceDocLine, ...]
    subtotal: Decimal  # sum of the line nets
    discount: Decimal  # discount on the total (0 for none)
    taxes: tuple[TaxBreakdownRow, ...]
    total: Decimal
    legal_notes: tuple[str, ...] = ()
    payment_status: str = ""  # translated: "Pagada", "Pagada en parte"; "" prints no box
    paid: Decimal = ZERO
    balance: Decimal = ZERO
    corrects: CorrectedInvoice | None = None  # required for a credit note
    draft: bool = False  # crosses every page with "DRAFT"
    notes: str = ""
    practitioner: str = ""  # who attended ("Dra. Lucía Andrade"); "" prints none


# -- payment receipt -----------------------------------------------------------------------


@dataclass(frozen=True)
class ReceiptAllocation:
    invoice_number: str
    issued_on: date | None
    amount: Decimal  # applied to this invoice by this payment


@dataclass(frozen=True)
class PaymentReceiptDoc:
    letterhead: Letterhead
    number: str  # "RC-000123" or a short id
    received_at: datetime  # clinic-local
    payer: str
    method_label: str  # translated: "Efectivo", "Tarjeta de débito"
    amount: Decimal
    currency: str
    allocations: tuple[ReceiptAllocation, ...] = ()
    payer_id: str = ""  # "Cédula 1710034065"
    reference: str = ""  # card voucher, transfer reference
    cash_tendered: Decimal | None = None  # cash only: what the payer handed over
    change: Decimal | None = None
    credit_left: Decimal = ZERO  # left on the payer's account after this payment
    received_by: str = ""
    refund: bool = False  # money paid back to the payer: titled as a refund
    notes: str = ""


# -- cash close ----------------------------------------------------------------------------


@dataclass(frozen=True)
class CashCloseRow:
    method_label: str
    expected: Decimal  # from the day's payments
    counted: Decimal  # entered at the close
    difference: Decimal  # counted − expected


@dataclass(frozen=True)
class CashClosePayment:
    at: datetime  # clinic-local
    payer: str
    method_label: str
    amount: Decimal  # negative for a refund
    receipt: str = ""


@dataclass(frozen=True)
class CashCloseDoc:
    letterhead: Letterhead
    day: date
    workstation: str
    user: str  # who closes the day
    currency: str
    rows: tuple[CashCloseRow, ...]
    total_expected: Decimal
    total_counted: Decimal
    total_difference: Decimal
    payments: tuple[CashClosePayment, ...] = ()
    comment: str = ""
    closed_at: datetime | None = None  # clinic-local; None: a preview, crossed "DRAFT"


# -- the page ------------------------------------------------------------------------------


@dataclass(frozen=True)
class BillingPage:
    """The geometry of a billing document's page: the header band sits `header_top` below the
    top edge and is `header_height` tall, the content starts `gap` under its rule."""

    size: tuple[float, float]
    margin_x: float
    header_top: float
    header_height: float
    gap: float
    margin_bottom: float
    logo_box: tuple[float, float]
    scale: float = 1.0  # of the header's type: smaller on a half-page receipt

    @property
    def margin_top(self) -> float:
        return self.header_top + self.header_height + self.gap

    @property
    def content_width(self) -> float:
        return self.size[0] - 2 * self.margin_x


# Invoices and the cash close: portrait A4.
A4_PAGE = BillingPage(
    size=PAGE_SIZE,
    margin_x=18 * mm,
    header_top=12 * mm,
    header_height=24 * mm,
    gap=6 * mm,
    margin_bottom=18 * mm,
    logo_box=LOGO_BOX,
)
# The payment receipt: an A5 sheet, its header set smaller.
A5_PAGE = BillingPage(
    size=A5,
    margin_x=12 * mm,
    header_top=10 * mm,
    header_height=19 * mm,
    gap=5 * mm,
    margin_bottom=17 * mm,
    logo_box=(22 * mm, 13 * mm),
    scale=0.82,
)


def render_billing_doc(
    story: Sequence[Flowable],
    *,
    page: BillingPage,
    letterhead: Letterhead,
    header: PageHeader,
    title: str,
    subject: str,
    footer: Sequence[str],
) -> bytes:
    """Lays `story` out on billing pages: the letterhead and `header` at the top of each page,
    the non-empty parts of `footer` joined with " · " and "Page X of Y" at the bottom; `title`
    and `subject` go to the PDF's properties. Returns the PDF bytes (nothing touches disk)."""
    logo = scaled_logo(letterhead.logo, page.logo_box)
    footer_text = " · ".join(part for part in footer if part)
    return lay_out(
        story,
        margins=(page.margin_x, page.margin_top, page.margin_bottom),
        title=title,
        author=letterhead.clinic_name,
        subject=subject,
        pagesize=page.size,
        draw_header=lambda canvas: _draw_billing_header(
            canvas,
            letterhead=letterhead,
            logo=logo,
            header=header,
            page_size=page.size,
            margin_x=page.margin_x,
            top=page.header_top,
            height=page.header_height,
            scale=page.scale,
        ),
        draw_footer=lambda canvas, number, pages: _draw_billing_footer(
            canvas,
            page_size=page.size,
            margin_x=page.margin_x,
            text=footer_text,
            page=page_of(number, pages),
        ),
    )


@dataclass(frozen=True)
class PageHeader:
    """What the top right of every page of a billing document says."""

    title: str  # "FACTURA", "Factura simplificada", "Recibo de pago"
    number: str  # "No. 001-002-000000123"; "" for none
    facts: tuple[str, ...]  # small lines under the number: the date
    watermark: str = ""


def _draw_billing_header(
    canvas: Canvas,
    *,
    letterhead: Letterhead,
    logo: tuple[ImageReader, float, float] | None,
    header: PageHeader,
    page_size: tuple[float, float],
    margin_x: float,
    top: float,
    height: float,
    scale: float = 1.0,
) -> None:
    """The letterhead (logo, name, address, tax ID) on the left, the title in the accent
    colour with the number and date under it on the right, and an accent rule `height` below
    `top` (both measured from the top of the page). `scale` sets the type smaller on a
    half-page receipt."""
    width, page_height = page_size
    y_top = page_height - top
    x = margin_x
    if logo is not None:
        reader, logo_w, logo_h = logo
        canvas.drawImage(
            reader, x, y_top - logo_h, logo_w, logo_h, mask="auto", preserveAspectRatio=True
        )
        x += logo_w + 4 * mm * scale
    right = width - margin_x
    title_size = 16 * scale
    number_size = 10.5 * scale
    fact_size = 8 * scale
    right_w = min(
        max(
            pdfmetrics.stringWidth(header.title, SANS_BOLD, title_size),
            pdfmetrics.stringWidth(header.number, SANS_BOLD, number_size),
            *(pdfmetrics.stringWidth(fact, SANS, fact_size) for fact in header.facts),
        ),
        (width - 2 * margin_x) * 0.45,
    )
    room = right - right_w - 6 * mm * scale - x
    # A long clinic name first gets smaller type, and only then an ellipsis.
    size = 12.5 * scale
    while (
        size > 9 * scale and pdfmetrics.stringWidth(letterhead.clinic_name, SANS_BOLD, size) > room
    ):
        size -= 0.5
    canvas.setFillColor(INK)
    canvas.setFont(SANS_BOLD, size)
    canvas.drawString(
        x, y_top - 5 * mm * scale, fit_text(letterhead.clinic_name, SANS_BOLD, size, room)
    )
    canvas.setFont(SANS, 8.5 * scale)
    canvas.setFillColor(MUTED)
    line_y = y_top - 10 * mm * scale
    tax_line = f"{letterhead.tax_id_label} {letterhead.tax_id}".strip()
    for text in (*_two_lines(letterhead.address, SANS, 8.5 * scale, room), tax_line):
        if text:
            canvas.drawString(x, line_y, fit_text(text, SANS, 8.5 * scale, room))
            line_y -= 3.6 * mm * scale
    canvas.setFillColor(ACCENT)
    canvas.setFont(SANS_BOLD, title_size)
    canvas.drawRightString(
        right, y_top - 5.5 * mm * scale, fit_text(header.title, SANS_BOLD, title_size, right_w)
    )
    line_y = y_top - 11 * mm * scale
    if header.number:
        canvas.setFillColor(INK)
        canvas.setFont(SANS_BOLD, number_size)
        canvas.drawRightString(right, line_y, header.number)
        line_y -= 4.5 * mm * scale
    canvas.setFillColor(MUTED)
    canvas.setFont(SANS, fact_size)
    for fact in header.facts:
        canvas.drawRightString(right, line_y, fit_text(fact, SANS, fact_size, right_w))
        line_y -= 3.8 * mm * scale
    rule_y = page_height - top - height
    canvas.setStrokeColor(ACCENT)
    canvas.setLineWidth(1.2)
    canvas.line(margin_x, rule_y, width - margin_x, rule_y)
    if header.watermark:
        draw_watermark(canvas, header.watermark)


def _two_lines(text: str, font: str, size: float, width: float) -> list[str]:
    """`text` as one line, or broken at a space into two when it is too wide (a long address
    on a narrow A5 letterhead); the second line is shortened if it still does not fit."""
    if pdfmetrics.stringWidth(text, font, size) <= width:
        return [text]
    words = text.split(" ")
    first = words[0]
    for count in range(1, len(words)):
        candidate = " ".join(words[:count])
        if pdfmetrics.stringWidth(candidate, font, size) > width:
            break
        first = candidate
    return [first, text[len(first) :].strip()]


def _draw_billing_footer(
    canvas: Canvas, *, page_size: tuple[float, float], margin_x: float, text: str, page: str
) -> None:
    """The shared footer: what the document is on the left, "Page X of Y" on the right."""
    draw_page_footer(
        canvas, page_width=page_size[0], margin_x=margin_x, y=10 * mm, text=text, page=page
    )
