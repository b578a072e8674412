"""A tabular report on paper (stock valuation, movements, consumption, and later the billing
reports): the clinic's letterhead on every page, the title, the period and filters, the text
saying how the figures are computed, then one table whose header row repeats on every page,
group rows tinted, the totals at its end, and "Page X of Y" in the footer. Reports with many
columns turn the page to landscape. A leaf: it receives every cell already written in the UI
language (the service formats money, quantities and dates) and returns the PDF bytes."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Paragraph, Spacer, Table, TableStyle

from clinic_desktop.i18n import _
from clinic_desktop.reports.clinical_letterhead import Letterhead
from clinic_desktop.reports.pdf_style import (
    ACCENT,
    INK,
    MUTED,
    SANS,
    SANS_BOLD,
    TINT,
    draw_page_footer,
    fit_text,
    lay_out,
    page_of,
    register_fonts,
    scaled_logo,
    styles,
)
from clinic_desktop.reports.pdf_tables import (
    CellStyles,
    TableCommand,
    cell_styles,
    header_row,
    table_commands,
)

MARGIN_X = 15 * mm
HEADER_HEIGHT = 22 * mm
MARGIN_TOP = 10 * mm + HEADER_HEIGHT + 6 * mm
MARGIN_BOTTOM = 18 * mm
LOGO_BOX = (26 * mm, 15 * mm)
CELL_FONT = 8.0
HEAD_FONT = 7.5
CELL_PAD = 3.0
GROUP_TINT = colors.HexColor("#E4ECF3")
BASIS_TINT = colors.HexColor("#F5F7FA")


class LineStyle(StrEnum):
    ITEM = "item"
    GROUP = "group"  # bold on a tint: a group with its subtotals
    DETAIL = "detail"  # indented under its group
    TOTAL = "total"  # bold under a rule


@dataclass(frozen=True)
class TableColumn:
    header: str
    align_right: bool = False
    weight: float = 1.0  # share of the page width


@dataclass(frozen=True)
class TableLine:
    cells: tuple[str, ...]
    style: LineStyle = LineStyle.ITEM


@dataclass(frozen=True)
class TableReportDocument:
    letterhead: Letterhead
    title: str
    period: str
    filters: tuple[str, ...]
    basis: str
    columns: tuple[TableColumn, ...]
    lines: tuple[TableLine, ...]
    totals: tuple[TableLine, ...]
    printed: str  # "Printed on 24 Nov 2026 10:30"
    printed_by: str  # "by Ana Torres"
    empty_text: str
    landscape: bool = False


def _cell_styles() -> CellStyles:
    base = styles().body.clone("ReportCell", fontSize=CELL_FONT, leading=10, spaceAfter=0)
    bold = base.clone("ReportCellBold", fontName=SANS_BOLD)
    head = bold.clone("ReportHead", textColor=colors.white, fontSize=HEAD_FONT, leading=9)
    return cell_styles(cell=base, bold=bold, head=head)


def render_table_report(document: TableReportDocument) -> bytes:
    """The PDF bytes of `document` (nothing touches disk)."""
    register_fonts()
    page_size = landscape(A4) if document.landscape else A4
    width = page_size[0] - 2 * MARGIN_X
    story = _opening(document, width)
    story.append(_table(document, width))
    logo = scaled_logo(document.letterhead.logo, LOGO_BOX)
    footer = " · ".join(part for part in (document.title, document.period) if part)

    def draw_footer(canvas: Canvas, page: int, pages: int) -> None:
        draw_page_footer(
            canvas,
            page_width=page_size[0],
            margin_x=MARGIN_X,
            y=10 * mm,
            text=footer,
            page=page_of(page, pages),
        )

    return lay_out(
        story,
        margins=(MARGIN_X, MARGIN_TOP, MARGIN_BOTTOM),
        title=document.title,
        author=document.letterhead.clinic_name,
        subject=document.period,
        draw_header=lambda canvas: _draw_header(canvas, document, page_size, logo),
        draw_footer=draw_footer,
        pagesize=page_size,
    )


def _opening(document: TableReportDocument, width: float) -> list[Flowable]:
    base = styles()
    title = base.title.clone("ReportTitle", fontSize=16, leading=20, spaceAfter=2)
    period = base.body.clone("ReportPeriod", fontName=SANS_BOLD, textColor=ACCENT, spaceAfter=2)
    small = base.small.clone("ReportFilter", spaceAfter=1)
    story: list[Flowable] = [Paragraph(escape(document.title), title)]
    if document.period:
        story.append(Paragraph(escape(document.period), period))
    story.extend(Paragraph(escape(text), small) for text in document.filters)
    if document.basis:
        story.append(Spacer(1, 2 * mm))
        story.append(_basis_box(document.basis, width))
    story.append(Spacer(1, 4 * mm))
    return story


def _basis_box(text: str, width: float) -> Flowable:
    label = styles().label.clone("BasisLabel", textColor=ACCENT, spaceAfter=1)
    body = styles().small.clone("BasisText", textColor=INK, fontSize=8, leading=10.5)
    box = Table(
        [
            [Paragraph(escape(_("How these figures are computed")), label)],
            [Paragraph(escape(text), body)],
        ],
        colWidths=[width],
    )
    box.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, -1), BASIS_TINT),
                ("LINEBEFORE", (0, 0), (0, -1), 2, ACCENT),
                ("LEFTPADDING", (0, 0), (-1, -1), 6),
                ("TOPPADDING", (0, 0), (-1, 0), 4),
                ("BOTTOMPADDING", (0, -1), (-1, -1), 5),
                ("TOPPADDING", (0, 1), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, 0), 1),
            ]
        )
    )
    return box


def _widths(columns: Sequence[TableColumn], width: float) -> list[float]:
    """Shares of `width` by weight, but never so narrow that a header word would break in
    two ("Realizado-s"): narrow columns get their longest header word, the rest share what
    is left by weight."""
    floor = [
        max(pdfmetrics.stringWidth(word, SANS_BOLD, HEAD_FONT) for word in c.header.split() or [""])
        + 2 * CELL_PAD
        + 1
        for c in columns
    ]
    weights = [max(c.weight, 0.1) for c in columns]
    fixed: set[int] = set()
    while True:
        room = width - sum(floor[i] for i in fixed)
        share = sum(w for i, w in enumerate(weights) if i not in fixed)
        widths = [
            floor[i] if i in fixed else room * weights[i] / share for i in range(len(columns))
        ]
        short = {i for i in range(len(columns)) if i not in fixed and widths[i] < floor[i]}
        if not short or len(fixed | short) == len(columns):
            return widths
        fixed |= short


def _table(document: TableReportDocument, width: float) -> Flowable:
    cells = _cell_styles()
    columns = document.columns
    widths = _widths(columns, width)
    header = header_row(((c.header, c.align_right) for c in columns), cells)
    data: list[list[object]] = [header]
    commands = table_commands(
        figures=[c.align_right for c in columns], padding=(CELL_PAD, 2.2, 2.6), rule_width=0.3
    )
    # Cells that fit are plain strings (see _row): their type comes from the table.
    commands += [
        ("FONT", (0, 1), (-1, -1), SANS, CELL_FONT),
        ("TEXTCOLOR", (0, 1), (-1, -1), INK),
    ]
    if not document.lines:
        empty = styles().small.clone("ReportEmpty", fontSize=9, leading=12)
        data.append([Paragraph(escape(document.empty_text), empty)] + [""] * (len(columns) - 1))
        commands.append(("SPAN", (0, 1), (-1, 1)))
    for line in document.lines:
        data.append(_row(line, columns, widths, cells))
        row = len(data) - 1
        if line.style == LineStyle.GROUP:
            commands += [
                ("BACKGROUND", (0, row), (-1, row), GROUP_TINT),
                ("FONT", (0, row), (-1, row), SANS_BOLD, CELL_FONT),
                *_span(line, row),
            ]
    first_total = len(data)
    for line in document.totals:
        data.append(_row(line, columns, widths, cells, bold=True))
        commands += _span(line, len(data) - 1)
    if document.totals:
        commands += [
            ("FONT", (0, first_total), (-1, -1), SANS_BOLD, CELL_FONT),
            ("LINEABOVE", (0, first_total), (-1, first_total), 1.0, ACCENT),
            ("BACKGROUND", (0, first_total), (-1, -1), TINT),
        ]
    table = Table(data, colWidths=widths, repeatRows=1)
    table.setStyle(TableStyle(commands))
    return table


def _row(
    line: TableLine,
    columns: Sequence[TableColumn],
    widths: Sequence[float],
    cells: CellStyles,
    *,
    bold: bool = False,
) -> list[object]:
    bold = bold or line.style == LineStyle.GROUP
    font = SANS_BOLD if bold else SANS
    out: list[object] = []
    for index, (text, column) in enumerate(zip(line.cells, columns, strict=True)):
        indent = 8.0 if line.style == LineStyle.DETAIL and index == _first_text(line) else 0.0
        room = widths[index] - 2 * CELL_PAD - indent
        # A plain string is drawn as is and costs nothing; only text that would overflow its
        # column becomes a wrapping paragraph (thousands of movements stay quick to print).
        if pdfmetrics.stringWidth(text, font, CELL_FONT) <= room and "\n" not in text:
            out.append(" " * 3 + text if indent else text)
            continue
        style = (
            (cells.bold_right if bold else cells.right)
            if column.align_right
            else (cells.bold if bold else cells.plain)
        )
        if indent:
            style = style.clone(f"{style.name}Indent", leftIndent=indent)
        out.append(Paragraph(escape(text).replace("\n", "<br/>"), style))
    return out


def label_span(cells: Sequence[str]) -> int:
    """How many columns a group's or total's label may take: itself and the empty cells
    after it (a long label then does not stretch the first column)."""
    if not cells or not cells[0]:
        return 1
    span = 1
    while span < len(cells) and not cells[span]:
        span += 1
    return span


def _span(line: TableLine, row: int) -> list[TableCommand]:
    span = label_span(line.cells)
    return [("SPAN", (0, row), (span - 1, row))] if span > 1 else []


def _first_text(line: TableLine) -> int:
    return next((i for i, text in enumerate(line.cells) if text), 0)


# -- the page ------------------------------------------------------------------------------


def _draw_header(
    canvas: Canvas,
    document: TableReportDocument,
    page_size: tuple[float, float],
    logo: tuple[ImageReader, float, float] | None,
) -> None:
    width, height = page_size
    head = document.letterhead
    top = height - 10 * mm
    x = MARGIN_X
    if logo is not None:
        reader, logo_w, logo_h = logo
        canvas.drawImage(reader, x, top - logo_h, logo_w, logo_h, mask="auto")
        x += logo_w + 4 * mm
    right = width - MARGIN_X
    right_w = min(
        max(
            pdfmetrics.stringWidth(document.title, SANS_BOLD, 10.5),
            pdfmetrics.stringWidth(document.printed, SANS, 7.5),
            pdfmetrics.stringWidth(document.printed_by, SANS, 7.5),
        ),
        90 * mm,
    )
    room = right - right_w - 6 * mm - x
    canvas.setFillColor(INK)
    canvas.setFont(SANS_BOLD, 11.5)
    canvas.drawString(x, top - 4.5 * mm, fit_text(head.clinic_name, SANS_BOLD, 11.5, room))
    canvas.setFont(SANS, 8)
    canvas.setFillColor(MUTED)
    line_y = top - 9 * mm
    for text in (head.address, f"{head.tax_id_label} {head.tax_id}".strip()):
        if text:
            canvas.drawString(x, line_y, fit_text(text, SANS, 8, room))
            line_y -= 3.8 * mm
    canvas.setFillColor(ACCENT)
    canvas.setFont(SANS_BOLD, 10.5)
    canvas.drawRightString(
        right, top - 4.5 * mm, fit_text(document.title, SANS_BOLD, 10.5, right_w)
    )
    canvas.setFillColor(MUTED)
    canvas.setFont(SANS, 7.5)
    canvas.drawRightString(right, top - 9 * mm, fit_text(document.printed, SANS, 7.5, right_w))
    canvas.drawRightString(
        right, top - 12.5 * mm, fit_text(document.printed_by, SANS, 7.5, right_w)
    )
    rule_y = height - 10 * mm - HEADER_HEIGHT
    canvas.setStrokeColor(ACCENT)
    canvas.setLineWidth(1.1)
    canvas.line(MARGIN_X, rule_y, width - MARGIN_X, rule_y)
