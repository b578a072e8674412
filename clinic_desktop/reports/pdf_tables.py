"""The look every data table on a clinic PDF shares (the inventory reports, the purchase
order): a header row in white bold type on the accent colour (each table repeats it on every
page with `repeatRows=1`), cells aligned to the top with the same padding, a hairline under
each body row, and figures set flush right, header included, so a column of amounts lines
up. A document keeps its own type sizes (`cell_styles` builds the set from its cell, bold and
header styles) and adds its own commands (group tints, totals rules) after `table_commands`."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape

from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph

from clinic_desktop.reports.pdf_style import ACCENT, RULE

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
