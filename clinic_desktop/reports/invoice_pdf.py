"""The printed invoice and credit note, for Ecuador ("FACTURA No. 001-002-000000123", "NOTA
DE CRÉDITO") and Spain ("Factura", "Factura simplificada", "Factura rectificativa", "Número:
F001-000123"): the clinic's letterhead and logo, with the practitioner who attended under the
date when the invoice names one; the buyer and the invoice's facts (and, on a credit note, the
invoice it corrects and why); one row per line with its quantity, unit price, discount, tax
rate and amount (long descriptions wrap; a long invoice runs over pages with the header row
repeated and "Page X of Y"); the tax breakdown by rate next to the totals (a long rate name
wraps in its column); the payment status, the legal notes (such as the Spanish exemption
text) and the notes. A draft is crossed "DRAFT". Every figure arrives computed
(fiscal.invoice_math); this module only writes them in the UI language's money format."""

from __future__ import annotations

from collections.abc import Sequence
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer, Table, TableStyle

from clinic_desktop.formatting import money, quantity
from clinic_desktop.i18n import _
from clinic_desktop.reports.billing_docs import (
    A4_PAGE,
    ZERO,
    InvoiceDoc,
    PageHeader,
    render_billing_doc,
)
from clinic_desktop.reports.clinical_letterhead import ALERT, clinical_styles, fmt_date, para_text
from clinic_desktop.reports.pdf_style import ACCENT, INK, MUTED, RULE, SANS, SANS_BOLD
from clinic_desktop.reports.pdf_tables import (
    cell_styles,
    facts_table,
    header_row,
    ruled_box,
    table_commands,
    tinted_band,
)

CONTENT_WIDTH = A4_PAGE.content_width
CELL_FONT = 8.5
CELL_LEADING = 10.5
CELL_PAD = 4.0
# Unit prices keep up to six decimals (the SRI's precioUnitario allows them): a price of
# $0.085 rounded to cents would not multiply to its line amount.
PRICE_PLACES = 6


def invoice_title(doc: InvoiceDoc) -> str:
    """Ecuador's comprobantes print their type in capitals ("FACTURA", "NOTA DE CRÉDITO");
    Spain names the kind ("Factura simplificada", "Factura rectificativa")."""
    if doc.country == "EC":
        return (_("Credit note") if doc.kind == "credit_note" else _("Invoice")).upper()
    return {
        "invoice": _("Invoice"),
        "simplified": _("Simplified invoice"),
        "credit_note": _("Corrective invoice"),
    }[doc.kind]


def number_text(doc: InvoiceDoc) -> str:
    if not doc.number:
        return _("Draft: not numbered yet")
    if doc.country == "EC":
        return _("No. {number}").format(number=doc.number)
    return _("Number: {number}").format(number=doc.number)


def render_invoice(doc: InvoiceDoc) -> bytes:
    """The PDF bytes of `doc` (nothing touches disk)."""
    title = invoice_title(doc)
    number = number_text(doc)
    facts = [_("Issue date: {date}").format(date=fmt_date(doc.issued_on))]
    if doc.practitioner:
        facts.append(_("Practitioner: {name}").format(name=doc.practitioner))
    header = PageHeader(
        title=title,
        number=number,
        facts=tuple(facts),
        watermark=_("DRAFT") if doc.draft else "",
    )
    story: list[Flowable] = [_parties(doc), Spacer(1, 6 * mm), _lines_table(doc)]
    story += [Spacer(1, 5 * mm), KeepTogether(_totals(doc))]
    story += _closing(doc)
    buyer = doc.buyer.name if doc.buyer is not None else ""
    return render_billing_doc(
        story,
        page=A4_PAGE,
        letterhead=doc.letterhead,
        header=header,
        title=f"{title} {doc.number}".strip(),
        subject=buyer,
        footer=(doc.letterhead.clinic_name, f"{title} {doc.number}".strip(), buyer),
    )


# -- buyer and facts -----------------------------------------------------------------------


def _parties(doc: InvoiceDoc) -> Table:
    """The buyer on the left, the document's facts (and what a credit note corrects) on the
    right, on one tinted band."""
    s = clinical_styles()
    name = s.body.clone("BuyerName", fontName=SANS_BOLD, fontSize=10.5, leading=14, spaceAfter=1)
    left: list[Flowable] = [Paragraph(escape(_("Customer").upper()), s.label)]
    buyer = doc.buyer
    if buyer is None:
        left.append(Paragraph(escape(_("Not identified (simplified invoice)")), s.empty))
    else:
        left.append(Paragraph(escape(buyer.name), name))
        details = [
            f"{buyer.id_label}: {buyer.tax_id}" if buyer.tax_id else buyer.id_label,
            buyer.address,
            buyer.email,
        ]
        left += [Paragraph(para_text(text), s.cell) for text in details if text]
    facts: list[tuple[str, str]] = [
        (_("Issue date"), fmt_date(doc.issued_on)),
        (_("Number"), doc.number or _("Not numbered yet")),
    ]
    if doc.corrects is not None:
        facts += [
            (
                _("Corrects invoice"),
                _("{number} of {date}").format(
                    number=doc.corrects.number, date=fmt_date(doc.corrects.issued_on)
                ),
            ),
            (_("Reason"), doc.corrects.reason),
        ]
    heading = _("Invoice details")
    if doc.kind == "credit_note":
        heading = (
            _("Credit note details") if doc.country == "EC" else _("Corrective invoice details")
        )
    half = CONTENT_WIDTH / 2
    right: list[Flowable] = [
        Paragraph(escape(heading.upper()), s.label),
        facts_table(
            facts,
            widths=(27 * mm, half - 16 - 27 * mm),
            label_style=s.cell_small,
            value_style=s.cell,
        ),
    ]
    return tinted_band([left, right], [half, half])


# -- lines ---------------------------------------------------------------------------------


def _lines_table(doc: InvoiceDoc) -> Table:
    s = clinical_styles()
    cell = s.cell.clone("InvoiceCell", fontSize=CELL_FONT, leading=CELL_LEADING)
    cells = cell_styles(cell=cell, bold=s.cell_bold, head=s.head)
    # A column nobody uses only takes room from the descriptions.
    with_discount = any(line.discount for line in doc.lines)
    with_tax = any(line.tax_label for line in doc.lines)
    columns: list[tuple[str, bool, float]] = [
        (_("Description"), False, 0),
        (_("Quantity"), True, 18 * mm),
        (_("Unit price"), True, 26 * mm),
    ]
    if with_discount:
        columns.append((_("Discount"), True, 22 * mm))
    if with_tax:
        columns.append((_("Tax"), False, 22 * mm))
    columns.append((_("Amount"), True, 24 * mm))
    widths = [_column_width(label, width) for label, _figure, width in columns]
    widths[0] = CONTENT_WIDTH - sum(widths[1:])
    rows: list[list[object]] = [header_row(((lbl, fig) for lbl, fig, _w in columns), cells)]
    currency = doc.currency
    muted = _tax_cell_style(cells.plain)
    for line in doc.lines:
        row: list[object] = [
            _cell(line.description, cells.plain, widths[0]),
            quantity(line.quantity),
            money(line.unit_price, currency, places=PRICE_PLACES),
        ]
        if with_discount:
            row.append(money(line.discount, currency) if line.discount else "—")
        if with_tax:
            row.append(_cell(line.tax_label, muted, widths[-2]))
        row.append(money(line.net, currency))
        rows.append(row)
    if not doc.lines:
        rows.append([Paragraph(escape(_("This invoice has no lines.")), s.empty)])
        rows[-1] += [""] * (len(columns) - 1)
    table = Table(rows, colWidths=widths, repeatRows=1)
    commands = table_commands(
        figures=[figure for _label, figure, _w in columns],
        padding=(CELL_PAD, 2.6, 3.2),
        rule_width=0.4,
    )
    commands += [
        ("FONT", (0, 1), (-1, -1), SANS, CELL_FONT, CELL_LEADING),
        ("TEXTCOLOR", (0, 1), (-1, -1), INK),
        ("FONT", (-1, 1), (-1, -1), SANS_BOLD, CELL_FONT, CELL_LEADING),
        ("LINEBELOW", (0, -1), (-1, -1), 0.8, ACCENT),
    ]
    if with_tax:
        commands.append(("TEXTCOLOR", (-2, 1), (-2, -1), MUTED))
    table.setStyle(TableStyle(commands))
    return table


def _column_width(label: str, minimum: float, figures: Sequence[str] = ()) -> float:
    """A column `minimum` wide, or wider where its header ("Precio unitario") or one of its
    `figures` would not fit on one line."""
    head = clinical_styles().head
    needed: list[float] = [pdfmetrics.stringWidth(label, head.fontName, head.fontSize)]
    needed += [pdfmetrics.stringWidth(text, SANS, CELL_FONT) for text in figures]
    return max(minimum, max(needed) + 2 * CELL_PAD + 2)


def _tax_cell_style(plain: ParagraphStyle) -> ParagraphStyle:
    return plain.clone("InvoiceTaxCell", textColor=MUTED)


def _cell(text: str, style: ParagraphStyle, width: float) -> str | Paragraph:
    """`text` as a plain string when it fits its column on one line (cheap to draw: an invoice
    must print in a few milliseconds), else as a paragraph that wraps. A plain string takes
    its font and colour from the table's commands, which match `style`."""
    if "\n" not in text and (
        pdfmetrics.stringWidth(text, style.fontName, style.fontSize) <= width - 2 * CELL_PAD
    ):
        return text
    return Paragraph(para_text(text), style)


# -- totals --------------------------------------------------------------------------------


def _totals(doc: InvoiceDoc) -> Table:
    """The tax breakdown by rate on the left; subtotal, discount, tax, total and the payment
    status on the right."""
    left_w = CONTENT_WIDTH * 0.52
    right_w = CONTENT_WIDTH - left_w - 8 * mm
    layout = Table(
        [[_breakdown(doc, left_w), _sums(doc, right_w)]],
        colWidths=[left_w + 8 * mm, right_w],
        hAlign="LEFT",
    )
    layout.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    return layout


def _breakdown(doc: InvoiceDoc, width: float) -> list[Flowable]:
    s = clinical_styles()
    cells = cell_styles(cell=s.cell, bold=s.cell_bold, head=s.head)
    columns = ((_("Tax rate"), False), (_("Taxable base"), True), (_("Tax amount"), True))
    rows: list[list[object]] = [header_row(columns, cells)]
    figures = [(money(row.base, doc.currency), money(row.tax, doc.currency)) for row in doc.taxes]
    # The figures take what they need and the rate's label the rest, where a long one
    # ("Exento, asistencia sanitaria (art. 20.Uno.3º LIVA)") wraps.
    base_w, tax_w = (
        _column_width(label, 22 * mm, [pair[i] for pair in figures])
        for i, (label, _figure) in enumerate(columns[1:])
    )
    label_w = width - base_w - tax_w
    for row, (base, tax) in zip(doc.taxes, figures, strict=True):
        rows.append([_cell(row.label, cells.plain, label_w), base, tax])
    table = Table(rows, colWidths=[label_w, base_w, tax_w], hAlign="LEFT")
    commands = table_commands(figures=[False, True, True], padding=(4, 3, 3.5), rule_width=0.4)
    commands += [
        ("FONT", (0, 1), (-1, -1), SANS, CELL_FONT),
        ("TEXTCOLOR", (0, 1), (-1, -1), INK),
    ]
    table.setStyle(TableStyle(commands))
    return [Paragraph(escape(_("Tax breakdown").upper()), s.label), Spacer(1, 1.5 * mm), table]


def _sums(doc: InvoiceDoc, width: float) -> list[Flowable]:
    currency = doc.currency
    rows: list[list[object]] = [[_("Subtotal"), money(doc.subtotal, currency)]]
    if doc.discount:
        rows.append([_("Discount"), money(doc.discount, currency)])
    rows.append([_("Total tax"), money(sum((t.tax for t in doc.taxes), ZERO), currency)])
    rows.append([_("Total").upper(), money(doc.total, currency)])
    last = len(rows) - 1
    table = Table(rows, colWidths=[width - 34 * mm, 34 * mm], hAlign="RIGHT")
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, last - 1), SANS, 9),
                ("TEXTCOLOR", (0, 0), (0, last - 1), MUTED),
                ("TEXTCOLOR", (1, 0), (1, last - 1), INK),
                ("ALIGN", (1, 0), (1, -1), "RIGHT"),
                ("LEFTPADDING", (0, 0), (-1, -1), 6),
                ("RIGHTPADDING", (0, 0), (-1, -1), 6),
                ("TOPPADDING", (0, 0), (-1, last - 1), 2.5),
                ("BOTTOMPADDING", (0, 0), (-1, last - 1), 2.5),
                ("LINEBELOW", (0, 0), (-1, last - 2), 0.4, RULE),
                ("BACKGROUND", (0, last), (-1, last), ACCENT),
                ("TEXTCOLOR", (0, last), (-1, last), colors.white),
                ("FONT", (0, last), (-1, last), SANS_BOLD, 12),
                ("TOPPADDING", (0, last), (-1, last), 6),
                ("BOTTOMPADDING", (0, last), (-1, last), 7),
            ]
        )
    )
    out: list[Flowable] = [table]
    if doc.payment_status:
        out += [Spacer(1, 3 * mm), _payment_box(doc, width)]
    return out


def _payment_box(doc: InvoiceDoc, width: float) -> Table:
    currency = doc.currency
    rows: list[list[object]] = [
        [_("Payment status"), doc.payment_status],
        [_("Amount paid"), money(doc.paid, currency)],
        [_("Balance due"), money(doc.balance, currency)],
    ]
    table = Table(rows, colWidths=[width - 34 * mm, 34 * mm], hAlign="RIGHT")
    owing = doc.balance > 0
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), SANS, 8.5),
                ("TEXTCOLOR", (0, 0), (0, -1), MUTED),
                ("TEXTCOLOR", (1, 0), (1, -1), INK),
                ("FONT", (1, 0), (1, 0), SANS_BOLD, 8.5),
                ("FONT", (0, -1), (-1, -1), SANS_BOLD, 8.5),
                ("TEXTCOLOR", (0, -1), (-1, -1), ALERT if owing else INK),
                ("ALIGN", (1, 0), (1, -1), "RIGHT"),
                ("BOX", (0, 0), (-1, -1), 0.6, RULE),
                ("LEFTPADDING", (0, 0), (-1, -1), 6),
                ("RIGHTPADDING", (0, 0), (-1, -1), 6),
                ("TOPPADDING", (0, 0), (-1, -1), 2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
            ]
        )
    )
    return table


# -- legal notes and notes -----------------------------------------------------------------


def _closing(doc: InvoiceDoc) -> list[Flowable]:
    s = clinical_styles()
    out: list[Flowable] = []
    if doc.legal_notes:
        legal = s.small.clone("LegalNote", textColor=INK, fontSize=8, leading=10.5, spaceAfter=2)
        body = [Paragraph(escape(_("Legal notes").upper()), s.label)]
        body += [Paragraph(para_text(text), legal) for text in doc.legal_notes]
        out += [Spacer(1, 7 * mm), KeepTogether(ruled_box(body, CONTENT_WIDTH))]
    if doc.notes.strip():
        out += [
            Spacer(1, 5 * mm),
            Paragraph(escape(_("Notes").upper()), s.label),
            Paragraph(para_text(doc.notes), s.body),
        ]
    return out
