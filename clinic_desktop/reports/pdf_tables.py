"""The look every data table on a clinic PDF shares (the inventory reports, the purchase
order, the billing documents): a header row in white bold type on the accent colour (each
table repeats it on every page with `repeatRows=1`), cells aligned to the top with the same
padding, a hairline under each body row, and figures set flush right, header included, so a
column of amounts lines up. A document keeps its own type sizes (`cell_styles` builds the set
from its cell, bold and header styles) and adds its own commands (group tints, totals rules)
after `table_commands`; `body_and_totals_commands` sets the usual body type and a bold totals
row. Also the small blocks the business documents share, laid out as tables: a tinted band
of side-by-side panels (`tinted_band`), a label/value list of facts (`facts_table`), a box
ruled in the accent colour on its left (`ruled_box`) and lines to sign (`signature_lines`)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph, Table, TableStyle

from clinic_desktop.reports.clinical_letterhead import para_text
from clinic_desktop.reports.pdf_style import ACCENT, INK, RULE, SANS, SANS_BOLD, TINT

# One TableStyle command: ("LINEBELOW", (col, row), (col, row), width, colour) and the like.
TableCommand = tuple[object, ...]


@dataclass(frozen=True)
class CellStyles:
    plain: ParagraphStyle
    right: ParagraphStyle  # figures
    bold: ParagraphStyle
    bold_right: ParagraphStyle
    head: ParagraphStyle  # white on the accent header row
    head_right: ParagraphStyle


def cell_styles(*, cell: ParagraphStyle, bold: ParagraphStyle, head: ParagraphStyle) -> CellStyles:
    """The paragraph styles of a table's cells, from the document's own type: each one also
    right-aligned for figures."""

    def right(style: ParagraphStyle) -> ParagraphStyle:
        return style.clone(f"{style.name}Right", alignment=TA_RIGHT)

    return CellStyles(
        plain=cell,
        right=right(cell),
        bold=bold,
        bold_right=right(bold),
        head=head,
        head_right=right(head),
    )


def header_row(columns: Iterable[tuple[str, bool]], cells: CellStyles) -> list[Paragraph]:
    """The header cells of (label, is a figure) columns: a figure's label sits right, over
    its numbers."""
    return [
        Paragraph(escape(label), cells.head_right if figure else cells.head)
        for label, figure in columns
    ]


def table_commands(
    *,
    figures: Sequence[bool],
    padding: tuple[float, float, float],
    rule_width: float,
    last_ruled_row: int = -1,
) -> list[TableCommand]:
    """The shared commands of a table whose columns are figures where `figures` says so:
    the accent header row, top-aligned cells with `padding` (sides, top, bottom), a hairline
    of `rule_width` under each body row up to `last_ruled_row` (a totals row below it draws
    its own rule), and figures flush right."""
    side, top, bottom = padding
    commands: list[TableCommand] = [
        ("BACKGROUND", (0, 0), (-1, 0), ACCENT),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), side),
        ("RIGHTPADDING", (0, 0), (-1, -1), side),
        ("TOPPADDING", (0, 0), (-1, -1), top),
        ("BOTTOMPADDING", (0, 0), (-1, -1), bottom),
        ("LINEBELOW", (0, 1), (-1, last_ruled_row), rule_width, RULE),
    ]
    commands += [("ALIGN", (i, 1), (i, -1), "RIGHT") for i, figure in enumerate(figures) if figure]
    return commands


def body_and_totals_commands(
    last: int, *, size: float, total_size: float | None = None, rule_width: float = 0.8
) -> list[TableCommand]:
    """Body rows in ink at `size`, and row `last` (the totals) in bold at `total_size` (the
    same size unless given) under an accent rule of `rule_width`."""
    return [
        ("FONT", (0, 1), (-1, -1), SANS, size),
        ("TEXTCOLOR", (0, 1), (-1, -1), INK),
        ("FONT", (0, last), (-1, last), SANS_BOLD, total_size or size),
        ("LINEABOVE", (0, last), (-1, last), rule_width, ACCENT),
    ]


def tinted_band(
    cells: Sequence[object],
    widths: Sequence[float],
    *,
    padding: tuple[float, float, float, float] = (8, 8, 6, 8),
    divider: float = 1.5,
    edge: float = 0,
) -> Table:
    """One row of panels (`cells`, each a flowable or a list of them) on a tinted band, with
    `padding` (left, right, top, bottom), split by white lines `divider` wide, and with an
    accent edge `edge` wide on the left when given: who a document is for next to its facts,
    or the amount of a receipt."""
    left, right, top, bottom = padding
    commands: list[TableCommand] = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("BACKGROUND", (0, 0), (-1, -1), TINT),
        ("LEFTPADDING", (0, 0), (-1, -1), left),
        ("RIGHTPADDING", (0, 0), (-1, -1), right),
        ("TOPPADDING", (0, 0), (-1, -1), top),
        ("BOTTOMPADDING", (0, 0), (-1, -1), bottom),
    ]
    if divider and len(cells) > 1:
        commands.append(("LINEBEFORE", (1, 0), (-1, 0), divider, colors.white))
    if edge:
        commands.append(("LINEBEFORE", (0, 0), (0, -1), edge, ACCENT))
    table = Table([list(cells)], colWidths=list(widths), hAlign="LEFT")
    table.setStyle(TableStyle(commands))
    return table


def facts_table(
    rows: Iterable[tuple[str, str]],
    *,
    widths: tuple[float, float],
    label_style: ParagraphStyle,
    value_style: ParagraphStyle,
) -> Table:
    """(label, value) rows, the label small on the left and the value beside it, tightly
    spaced and flush with the panel they sit in. Values are plain text; a line break in one
    starts a new line."""
    table = Table(
        [
            [Paragraph(escape(label), label_style), Paragraph(para_text(value), value_style)]
            for label, value in rows
        ],
        colWidths=list(widths),
    )
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 1),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
            ]
        )
    )
    return table


def ruled_box(rows: Sequence[Paragraph], width: float) -> Table:
    """`rows` one under the other, set off by an accent rule on their left (legal notes, a
    comment)."""
    box = Table([[row] for row in rows], colWidths=[width])
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


def signature_lines(
    captions: Sequence[str],
    *,
    width: float,
    space: float,
    style: ParagraphStyle,
    gap: float = 0,
) -> Table:
    """A line to sign per caption, `width` wide with `space` above it for the signature and
    the caption under it; several stand side by side, `gap` apart, flush right."""
    widths: list[float] = []
    under: list[object] = []
    lines: list[TableCommand] = []
    for caption in captions:
        if widths:
            widths.append(gap)
            under.append("")
        lines.append(("LINEBELOW", (len(widths), 0), (len(widths), 0), 0.6, INK))
        widths.append(width)
        under.append(Paragraph(escape(caption), style))
    table = Table(
        [[""] * len(widths), under], colWidths=widths, rowHeights=[space, None], hAlign="RIGHT"
    )
    table.setStyle(TableStyle([*lines, ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
    return table
