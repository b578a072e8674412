"""The sheet printed when a user closes the day's cash on a PC: the clinic's letterhead, the
day, the workstation, who closed it and when; per payment method the amount the day's
payments say should be there, the amount counted and the difference (a shortfall or surplus
stands out in red), with their totals; the comment explaining any difference; every payment
of the day (time, receipt, payer, method, amount); and lines to sign for who closed and who
reviewed it. A close not saved yet prints crossed "DRAFT". Input dataclass in
(billing_docs.CashCloseDoc), PDF bytes out."""

from __future__ import annotations

from decimal import Decimal
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer, Table, TableStyle

from clinic_desktop.formatting import money
from clinic_desktop.i18n import _, ngettext
from clinic_desktop.reports.billing_docs import (
    ZERO,
    CashCloseDoc,
    PageHeader,
    draw_billing_footer,
    draw_billing_header,
)
from clinic_desktop.reports.clinical_letterhead import (
    ALERT,
    LOGO_BOX,
    clinical_styles,
    fmt_date,
    fmt_datetime,
    para_text,
)
from clinic_desktop.reports.pdf_style import (
    ACCENT,
    INK,
    PAGE_SIZE,
    SANS,
    SANS_BOLD,
    TINT,
    lay_out,
    page_of,
    scaled_logo,
)
from clinic_desktop.reports.pdf_tables import TableCommand, cell_styles, header_row, table_commands

MARGIN_X = 18 * mm
HEADER_TOP = 12 * mm
HEADER_HEIGHT = 24 * mm
MARGIN_TOP = HEADER_TOP + HEADER_HEIGHT + 6 * mm
MARGIN_BOTTOM = 18 * mm
CONTENT_WIDTH = PAGE_SIZE[0] - 2 * MARGIN_X
CELL_FONT = 8.5


def render_cash_close(doc: CashCloseDoc) -> bytes:
    """The PDF bytes of `doc` (nothing touches disk)."""
    title = _("Cash close")
    header = PageHeader(
        title=title,
        number=fmt_date(doc.day),
        facts=(doc.workstation,),
        watermark="" if doc.closed_at is not None else _("DRAFT"),
    )
    s = clinical_styles()
    story: list[Flowable] = [
        _facts_band(doc),
        Spacer(1, 6 * mm),
        Paragraph(escape(_("By payment method").upper()), s.label),
        Spacer(1, 1.5 * mm),
        _methods_table(doc),
    ]
    if doc.comment.strip():
        story += [Spacer(1, 5 * mm), KeepTogether(_comment_box(doc))]
    story += [Spacer(1, 7 * mm), *_payments(doc)]
    story += [Spacer(1, 16 * mm), KeepTogether(_signatures(doc))]
    logo = scaled_logo(doc.letterhead.logo, LOGO_BOX)
    footer = " · ".join(
        (doc.letterhead.clinic_name, f"{title} {fmt_date(doc.day)}", doc.workstation, doc.user)
    )
    return lay_out(
        story,
        margins=(MARGIN_X, MARGIN_TOP, MARGIN_BOTTOM),
        title=f"{title} {doc.day.isoformat()}",
        author=doc.letterhead.clinic_name,
        subject=f"{doc.workstation} · {doc.user}",
        draw_header=lambda canvas: draw_billing_header(
            canvas,
            letterhead=doc.letterhead,
            logo=logo,
            header=header,
            page_size=PAGE_SIZE,
            margin_x=MARGIN_X,
            top=HEADER_TOP,
            height=HEADER_HEIGHT,
        ),
        draw_footer=lambda canvas, page, pages: draw_billing_footer(
            canvas, page_size=PAGE_SIZE, margin_x=MARGIN_X, text=footer, page=page_of(page, pages)
        ),
    )


def _facts_band(doc: CashCloseDoc) -> Table:
    s = clinical_styles()
    value = s.body.clone("CloseFact", fontName=SANS_BOLD, fontSize=9.5, leading=12, spaceAfter=0)
    closed = fmt_datetime(doc.closed_at) if doc.closed_at is not None else _("Not closed yet")
    facts = (
        (_("Day"), fmt_date(doc.day)),
        (_("Workstation"), doc.workstation),
        (_("Closed by"), doc.user),
        (_("Closed at"), closed),
    )
    cells = [
        [Paragraph(escape(label.upper()), s.label), Paragraph(escape(text), value)]
        for label, text in facts
    ]
    table = Table([cells], colWidths=[CONTENT_WIDTH / 4] * 4)
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("BACKGROUND", (0, 0), (-1, -1), TINT),
                ("LEFTPADDING", (0, 0), (-1, -1), 8),
                ("RIGHTPADDING", (0, 0), (-1, -1), 6),
                ("TOPPADDING", (0, 0), (-1, -1), 6),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 7),
                ("LINEBEFORE", (1, 0), (-1, 0), 1.5, colors.white),
            ]
        )
    )
    return table


def _difference_commands(column: int, row: int, amount: Decimal) -> list[TableCommand]:
    # A count that does not match is what the reviewer looks for: it stands out in red.
    if amount == ZERO:
        return []
    return [("TEXTCOLOR", (column, row), (column, row), ALERT)]


def _methods_table(doc: CashCloseDoc) -> Table:
    s = clinical_styles()
    cells = cell_styles(cell=s.cell, bold=s.cell_bold, head=s.head)
    columns = (
        (_("Payment method"), False),
        (_("Expected amount"), True),
        (_("Counted amount"), True),
        (_("Difference"), True),
    )
    currency = doc.currency
    rows: list[list[object]] = [header_row(columns, cells)]
    commands: list[TableCommand] = []
    for line in doc.rows:
        rows.append(
            [
                line.method_label,
                money(line.expected, currency),
                money(line.counted, currency),
                money(line.difference, currency),
            ]
        )
        commands += _difference_commands(3, len(rows) - 1, line.difference)
    if not doc.rows:
        rows.append([Paragraph(escape(_("No payments on this day.")), s.empty), "", "", ""])
    rows.append(
        [
            _("Total"),
            money(doc.total_expected, currency),
            money(doc.total_counted, currency),
            money(doc.total_difference, currency),
        ]
    )
    last = len(rows) - 1
    commands += _difference_commands(3, last, doc.total_difference)
    table = Table(rows, colWidths=[CONTENT_WIDTH - 3 * 34 * mm] + [34 * mm] * 3)
    base = table_commands(
        figures=[figure for _label, figure in columns],
        padding=(5, 3.5, 4),
        rule_width=0.4,
        last_ruled_row=last - 1,
    )
    base += [
        ("FONT", (0, 1), (-1, -1), SANS, 9),
        ("TEXTCOLOR", (0, 1), (-1, -1), INK),
        ("FONT", (0, last), (-1, last), SANS_BOLD, 9.5),
        ("LINEABOVE", (0, last), (-1, last), 1, ACCENT),
        ("BACKGROUND", (0, last), (-1, last), TINT),
    ]
    table.setStyle(TableStyle(base + commands))
    return table


def _comment_box(doc: CashCloseDoc) -> Table:
    s = clinical_styles()
    box = Table(
        [
            [Paragraph(escape(_("Comment").upper()), s.label)],
            [Paragraph(para_text(doc.comment), s.body)],
        ],
        colWidths=[CONTENT_WIDTH],
    )
    box.setStyle(
        TableStyle(
            [
                ("LINEBEFORE", (0, 0), (0, -1), 2, ACCENT),
                ("LEFTPADDING", (0, 0), (-1, -1), 7),
                ("TOPPADDING", (0, 0), (-1, -1), 1),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
            ]
        )
    )
    return box


def _payments(doc: CashCloseDoc) -> list[Flowable]:
    s = clinical_styles()
    cells = cell_styles(cell=s.cell, bold=s.cell_bold, head=s.head)
    count = len(doc.payments)
    out: list[Flowable] = [
        Paragraph(escape(_("Payments of the day").upper()), s.label),
        Spacer(1, 1.5 * mm),
    ]
    if not doc.payments:
        out.append(Paragraph(escape(_("No payments were recorded on this day.")), s.empty))
        return out
    columns = (
        (_("Time"), False),
        (_("Receipt no."), False),
        (_("Payer"), False),
        (_("Payment method"), False),
        (_("Amount"), True),
    )
    rows: list[list[object]] = [header_row(columns, cells)]
    for payment in doc.payments:
        rows.append(
            [
                payment.at.strftime("%H:%M"),
                payment.receipt,
                Paragraph(escape(payment.payer), cells.plain),
                payment.method_label,
                money(payment.amount, doc.currency),
            ]
        )
    total = sum((payment.amount for payment in doc.payments), ZERO)
    label = ngettext("Total ({count} payment)", "Total ({count} payments)", count)
    rows.append(["", "", label.format(count=count), "", money(total, doc.currency)])
    last = len(rows) - 1
    widths = [16 * mm, 26 * mm, 0.0, 38 * mm, 28 * mm]
    widths[2] = CONTENT_WIDTH - sum(widths)
    table = Table(rows, colWidths=widths, repeatRows=1)
    commands = table_commands(
        figures=[figure for _label, figure in columns],
        padding=(4, 2.6, 3.2),
        rule_width=0.4,
        last_ruled_row=last - 1,
    )
    commands += [
        ("FONT", (0, 1), (-1, -1), SANS, CELL_FONT),
        ("TEXTCOLOR", (0, 1), (-1, -1), INK),
        ("FONT", (0, last), (-1, last), SANS_BOLD, CELL_FONT),
        ("LINEABOVE", (0, last), (-1, last), 0.8, ACCENT),
    ]
    table.setStyle(TableStyle(commands))
    out.append(table)
    return out


def _signatures(doc: CashCloseDoc) -> Table:
    s = clinical_styles()
    closed = _("Closed by: {name}").format(name=doc.user)
    reviewed = _("Reviewed by")
    gap = 20 * mm
    side = (CONTENT_WIDTH - gap) / 2
    table = Table(
        [
            ["", "", ""],
            [Paragraph(escape(closed), s.small), "", Paragraph(escape(reviewed), s.small)],
        ],
        colWidths=[side, gap, side],
        rowHeights=[12 * mm, None],
    )
    table.setStyle(
        TableStyle(
            [
                ("LINEBELOW", (0, 0), (0, 0), 0.6, INK),
                ("LINEBELOW", (2, 0), (2, 0), 0.6, INK),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    return table
