"""The appointment blocks of the agenda's time grid: a rounded card in the appointment type's
colour with a darker left stripe, the patient's name, times and detail, and the status shown
by a chip and by the card itself (outlined when the patient arrived or is inside, faded with a
check mark when done, struck through when cancelled). Everything a block needs is worked out
once per block and size by prepare_block, so a repaint (every mouse move of a drag) is a short
run of QPainter calls per block."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPen, QPixmap

from clinic_desktop.ui.agenda.grid_model import GridBlock
from clinic_desktop.ui.agenda.time_grid_paint import (
    RADIUS,
    SELECTION,
    STRIPE,
    GridFonts,
    block_colours,
    clock,
    status_look,
    time_range,
)

_SELECTION_PEN = QPen(SELECTION, 2)
_RING_INNER = QColor(255, 255, 255, 200)


@lru_cache(maxsize=32)
def _status_paint(status: str) -> tuple[QColor, tuple[QPen, ...]]:
    """The status colour and the pens of its outline, made once per status."""
    look = status_look(status)
    colour = QColor(look.colour)
    if look.outline:
        # A ring (dark status colour, white inside) reads on any fill, even of the same hue.
        return colour, (QPen(colour.darker(115), 2.4), QPen(_RING_INNER, 1))
    if look.dashed:
        dashed = QPen(colour, 1.2)
        dashed.setStyle(Qt.PenStyle.DashLine)
        return colour, (dashed,)
    return colour, ()


@dataclass
class PreparedBlock:
    rect: QRectF
    body: QRectF  # the lighter part right of the stripe
    fill: QColor
    stripe: QColor
    ink: QColor
    rings: list[tuple[QPen, QRectF, float]]
    chip: QPixmap | None
    chip_at: QPointF
    texts: list[tuple[QFont, QPointF, str]]


def prepare_block(block: GridBlock, rect: QRectF, fonts: GridFonts, ratio: float) -> PreparedBlock:
    look = status_look(block.status)
    fill, stripe, ink = block_colours(block.colour, look.faded)
    status_colour, ring_pens = _status_paint(block.status)
    rings: list[tuple[QPen, QRectF, float]] = []
    if look.outline:
        rings.append((ring_pens[0], rect.adjusted(1.2, 1.2, -1.2, -1.2), RADIUS - 1))
        rings.append((ring_pens[1], rect.adjusted(2.9, 2.9, -2.9, -2.9), RADIUS - 2))
    elif look.dashed:
        rings.append((ring_pens[0], rect.adjusted(1, 1, -1, -1), RADIUS - 1))

    title_measure, detail_measure = fonts.title_measure, fonts.detail_measure
    left, top, width, height = rect.left(), rect.top(), rect.width(), rect.height()
    inner_width = width - STRIPE - 9
    title = ("✓ " if look.check else "") + block.title
    rows, used = 1, title_measure.height
    while used + detail_measure.height <= height + 1:  # a clipped descender is fine
        rows, used = rows + 1, used + detail_measure.height
    # In a narrow lane the name wins over the start time and the status dot (the card's
    # outline or fading still tells the status).
    prefix = f"{clock(block.start)} " if rows == 1 and inner_width >= 130 else ""
    prefix_width = detail_measure.width(prefix + " ") if prefix else 0.0

    # The name matters more than the status text: the chip shrinks to a dot before the name
    # is cut short.
    chip: QPixmap | None = None
    chip_width = 0.0
    chip_at = QPointF()
    if block.status_label and inner_width >= 90:
        wanted = fonts.chip_measure.width(block.status_label) + 18.0
        needed = min(title_measure.width(title) + prefix_width, 120.0)
        label = block.status_label if inner_width - wanted - 6 >= needed else ""
        chip = fonts.chip_pixmap(label, status_colour, ratio)
        chip_width = chip.width() / ratio
        line = min(height, title_measure.height)
        chip_top = top + max(1.0, (line - chip.height() / ratio) / 2 + 1)
        chip_at = QPointF(round(left + width - chip_width - 3), round(chip_top))

    text_left = left + STRIPE + 5
    text_top = top + 1
    if rows == 1:  # centred in a short block
        text_top = top + max(0.0, (height - title_measure.height) / 2)
    baseline = text_top + title_measure.ascent
    texts: list[tuple[QFont, QPointF, str]] = []
    if prefix:
        texts.append((fonts.detail, QPointF(text_left, baseline), prefix))
    title_font = fonts.title_struck if look.strike else fonts.title
    title_width = inner_width - chip_width - 4 - prefix_width
    title_at = QPointF(text_left + prefix_width, baseline)
    texts.append((title_font, title_at, title_measure.elide(title, title_width)))
    if rows > 1:
        times = time_range(block.start, block.end)
        if rows == 2:
            rest = [f"{times} · {block.detail}" if block.detail else times]
        else:
            rest = [times, block.detail] if block.detail else [times]
        y = text_top + title_measure.height + detail_measure.ascent
        for text in rest[: rows - 1]:
            texts.append(
                (fonts.detail, QPointF(text_left, y), detail_measure.elide(text, inner_width))
            )
            y += detail_measure.height
    return PreparedBlock(
        rect, rect.adjusted(STRIPE, 0, 0, 0), fill, stripe, ink, rings, chip, chip_at, texts
    )


def paint_block(
    painter: QPainter, block: PreparedBlock, *, selected: bool = False, lifted: bool = False
) -> None:
    """Expects antialiasing on; `lifted` is the original left behind while it is dragged."""
    if lifted:
        painter.setOpacity(0.35)
    if selected:
        painter.setPen(_SELECTION_PEN)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRoundedRect(block.rect.adjusted(-2, -2, 2, 2), RADIUS + 2, RADIUS + 2)
    # The stripe is the whole card in the darker colour with the body laid over it from STRIPE
    # px in: two unstroked fills, the cheapest way to keep every corner rounded.
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(block.stripe)
    painter.drawRoundedRect(block.rect, RADIUS, RADIUS)
    painter.setBrush(block.fill)
    painter.drawRoundedRect(block.body, RADIUS - 1, RADIUS - 1)
    if block.rings:
        painter.setBrush(Qt.BrushStyle.NoBrush)
        for pen, rect, radius in block.rings:
            painter.setPen(pen)
            painter.drawRoundedRect(rect, radius, radius)
    if block.chip is not None:
        painter.drawPixmap(block.chip_at, block.chip)
    painter.setPen(block.ink)
    for font, point, text in block.texts:
        painter.setFont(font)
        painter.drawText(point, text)
    if lifted:
        painter.setOpacity(1.0)
