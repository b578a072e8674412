"""The shared look of every clinic PDF: the fonts (Bitstream Vera, which ships inside
reportlab, so Spanish accents render on every machine without system fonts), colours and
paragraph styles, and the page machinery: pages (portrait A4, or landscape for a wide report)
with a header drawn as each page is laid out and a footer drawn once the page count is known,
for "page X of Y" (`lay_out`, which the letterhead documents also use, with `scaled_logo` and
`draw_page_footer`). A plain report builds its flowables with `styles()` and hands them to
`build_pdf`, whose header names the clinic and the document and whose footer dates it. Tables
share their look through `reports.pdf_tables`."""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

import reportlab
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate

from clinic_desktop.i18n import _

PAGE_SIZE = A4
MARGIN_X = 20 * mm
MARGIN_TOP = 28 * mm
MARGIN_BOTTOM = 22 * mm
CONTENT_WIDTH = PAGE_SIZE[0] - 2 * MARGIN_X

INK = colors.HexColor("#1F2933")
MUTED = colors.HexColor("#616E7C")
ACCENT = colors.HexColor("#1F5F8B")
RULE = colors.HexColor("#CBD2D9")
TINT = colors.HexColor("#F0F4F8")

SANS = "ClinicSans"
SANS_BOLD = "ClinicSans-Bold"
SANS_ITALIC = "ClinicSans-Italic"
# Courier is one of the 14 fonts every PDF reader has; it only covers Latin-1, which is enough
# for the codes and keys it is used for (reportlab ships no monospace TTF).
MONO = "Courier"
MONO_BOLD = "Courier-Bold"

_FONT_DIR = Path(reportlab.__file__).resolve().parent / "fonts"


@cache
def register_fonts() -> None:
    """Registers the embedded TTF family once per process."""
    for name, file in (
        (SANS, "Vera.ttf"),
        (SANS_BOLD, "VeraBd.ttf"),
        (SANS_ITALIC, "VeraIt.ttf"),
        ("ClinicSans-BoldItalic", "VeraBI.ttf"),
    ):
        pdfmetrics.registerFont(TTFont(name, str(_FONT_DIR / file)))
    pdfmetrics.registerFontFamily(
        SANS, normal=SANS, bold=SANS_BOLD, italic=SANS_ITALIC, boldItalic="ClinicSans-BoldItalic"
    )


@dataclass(frozen=True)
class Styles:
    title: ParagraphStyle
    heading: ParagraphStyle
    body: ParagraphStyle
    small: ParagraphStyle
    label: ParagraphStyle
    mono: ParagraphStyle


@cache
def styles() -> Styles:
    """The paragraph styles every clinic document uses."""
    register_fonts()
    body = ParagraphStyle(
        "Body", fontName=SANS, fontSize=10, leading=14, textColor=INK, spaceAfter=4
    )
    return Styles(
        title=ParagraphStyle(
            "Title", parent=body, fontName=SANS_BOLD, fontSize=20, leading=24, spaceAfter=6
        ),
        heading=ParagraphStyle(
            "Heading",
            parent=body,
            fontName=SANS_BOLD,
            fontSize=12,
            leading=16,
            textColor=ACCENT,
            spaceBefore=10,
            spaceAfter=4,
        ),
        body=body,
        small=ParagraphStyle("Small", parent=body, fontSize=8.5, leading=11, textColor=MUTED),
        label=ParagraphStyle(
            "Label", parent=body, fontName=SANS_BOLD, fontSize=8, leading=10, textColor=MUTED
        ),
        mono=ParagraphStyle(
            "Mono", parent=body, fontName=MONO_BOLD, fontSize=12, leading=16, alignment=TA_CENTER
        ),
    )


def format_datetime(moment: datetime) -> str:
    """Day/month/year and 24-hour time, the usage of both Ecuador and Spain."""
    return moment.strftime("%d/%m/%Y %H:%M")


def build_pdf(
    flowables: Sequence[Flowable],
    *,
    title: str,
    clinic_name: str,
    generated_at: datetime | None = None,
    subject: str = "",
) -> bytes:
    """Lays `flowables` out on clinic pages and returns the PDF bytes (nothing touches disk)."""
    generated = format_datetime(generated_at or datetime.now())
    footer = _("Generated on {date}").format(date=generated)

    def draw_header(canvas: Canvas) -> None:
        width, height = PAGE_SIZE
        top = height - 14 * mm
        canvas.setFillColor(ACCENT)
        canvas.rect(MARGIN_X, top + 1.2 * mm, 3, 4.2 * mm, stroke=0, fill=1)
        canvas.setFont(SANS_BOLD, 10)
        canvas.setFillColor(INK)
        room = CONTENT_WIDTH - 2.6 * mm - pdfmetrics.stringWidth(title, SANS, 9) - 10 * mm
        canvas.drawString(
            MARGIN_X + 2.6 * mm, top + 2 * mm, fit_text(clinic_name, SANS_BOLD, 10, room)
        )
        canvas.setFont(SANS, 9)
        canvas.setFillColor(MUTED)
        canvas.drawRightString(width - MARGIN_X, top + 2 * mm, title)
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.6)
        canvas.line(MARGIN_X, top - 2 * mm, width - MARGIN_X, top - 2 * mm)

    def draw_footer(canvas: Canvas, page: int, pages: int) -> None:
        width = PAGE_SIZE[0]
        y = 12 * mm
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.6)
        canvas.line(MARGIN_X, y + 4 * mm, width - MARGIN_X, y + 4 * mm)
        canvas.setFont(SANS, 8)
        canvas.setFillColor(MUTED)
        canvas.drawString(MARGIN_X, y, footer)
        canvas.drawRightString(width - MARGIN_X, y, page_of(page, pages))

    return lay_out(
        flowables,
        margins=(MARGIN_X, MARGIN_TOP, MARGIN_BOTTOM),
        title=title,
        author=clinic_name,
        subject=subject,
        draw_header=draw_header,
        draw_footer=draw_footer,
    )


HeaderPainter = Callable[[Canvas], None]
# (canvas, page number, page count)
FooterPainter = Callable[[Canvas, int, int], None]


def lay_out(
    flowables: Sequence[Flowable],
    *,
    margins: tuple[float, float, float],
    title: str,
    author: str,
    subject: str,
    draw_header: HeaderPainter,
    draw_footer: FooterPainter,
    pagesize: tuple[float, float] = PAGE_SIZE,
) -> bytes:
    """The page machinery every clinic PDF shares: pages of `pagesize` (portrait A4 unless
    a wide report asks for `landscape(A4)`) with `margins` (side, top, bottom), one
    full-width frame, `draw_header` on each page as it is laid out and `draw_footer` once the
    page count is known. Returns the PDF bytes (nothing touches disk). Each painter runs
    between saveState and restoreState, so it may change colours freely."""
    register_fonts()
    margin_x, margin_top, margin_bottom = margins
    buffer = io.BytesIO()
    doc = BaseDocTemplate(
        buffer,
        pagesize=pagesize,
        leftMargin=margin_x,
        rightMargin=margin_x,
        topMargin=margin_top,
        bottomMargin=margin_bottom,
        title=title,
        author=author,
        subject=subject,
        creator="clinic-desktop",
    )
    frame = Frame(
        doc.leftMargin, doc.bottomMargin, doc.width, doc.height, id="body", leftPadding=0,
        rightPadding=0, topPadding=0, bottomPadding=0,
    )  # fmt: skip

    def on_page(canvas: Canvas, _doc: BaseDocTemplate) -> None:
        canvas.saveState()
        draw_header(canvas)
        canvas.restoreState()

    doc.addPageTemplates([PageTemplate(id="page", frames=[frame], onPage=on_page)])
    doc.build(list(flowables), canvasmaker=_page_count_canvas(draw_footer))
    return buffer.getvalue()


def page_of(page: int, pages: int) -> str:
    return _("Page {page} of {pages}").format(page=page, pages=pages)


def scaled_logo(
    data: bytes | None, box: tuple[float, float]
) -> tuple[ImageReader, float, float] | None:
    """The clinic's logo and its width and height scaled to fit `box`; None when there is
    none or it cannot be read (the document then prints without it rather than not at all).
    The same logo in the same box is decoded once per process: invoices are printed all day
    and decoding a logo costs ~8 ms each time."""
    if not data:
        return None
    return _decoded_logo(data, (float(box[0]), float(box[1])))


# Keyed by the bytes themselves (their hash, then an exact comparison on a hit), so a changed
# logo is decoded afresh; a few entries cover the logo before and after a change in settings.
@lru_cache(maxsize=4)
def _decoded_logo(data: bytes, box: tuple[float, float]) -> tuple[ImageReader, float, float] | None:
    try:
        reader = ImageReader(io.BytesIO(data))
        width, height = reader.getSize()
        # Decoded here, once: reportlab keeps the pixels on the reader, so every later
        # document only reads them. (PDFs are built on the one database worker thread.)
        reader.getRGBData()
        if reader._dataA is not None:  # the transparency mask, decoded the same way
            reader._dataA.getRGBData()
    except Exception:
        return None
    if width <= 0 or height <= 0:
        return None
    scale = min(box[0] / width, box[1] / height)
    return reader, width * scale, height * scale


def draw_page_footer(
    canvas: Canvas, *, page_width: float, margin_x: float, y: float, text: str, page: str
) -> None:
    """The footer of the letterhead documents (reports, orders): a hairline, `text` on the
    left shortened to fit, and `page` ("Page 2 of 5") in bold on the right."""
    canvas.setStrokeColor(RULE)
    canvas.setLineWidth(0.6)
    canvas.line(margin_x, y + 4 * mm, page_width - margin_x, y + 4 * mm)
    canvas.setFont(SANS, 7.5)
    canvas.setFillColor(MUTED)
    room = page_width - 2 * margin_x - 40 * mm
    canvas.drawString(margin_x, y, fit_text(text, SANS, 7.5, room))
    canvas.setFont(SANS_BOLD, 8)
    canvas.setFillColor(INK)
    canvas.drawRightString(page_width - margin_x, y, page)


def fit_text(text: str, font: str, size: float, width: float) -> str:
    """Shortens `text` with an ellipsis so it fits `width` (a long clinic name never runs into
    the title)."""
    if pdfmetrics.stringWidth(text, font, size) <= width:
        return text
    while text and pdfmetrics.stringWidth(text + "…", font, size) > width:
        text = text[:-1]
    return text.rstrip() + "…"


def _page_count_canvas(draw_footer: FooterPainter) -> type[Canvas]:
    # "Page X of Y" needs the page count, known only after layout: the canvas keeps each
    # page's state and draws the footers when it is saved.
    class PageCountCanvas(Canvas):  # type: ignore[misc]  # reportlab ships no type hints
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, Any]] = []

        def showPage(self) -> None:
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            for state in self._pages:
                self.__dict__.update(state)
                self.saveState()
                draw_footer(self, self._pageNumber, total)
                self.restoreState()
                super().showPage()
            super().save()

    return PageCountCanvas
