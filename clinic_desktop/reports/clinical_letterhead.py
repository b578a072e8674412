"""The page every clinical PDF (full history, one note, a prescription, the right-of-access
record) is printed on: the clinic's letterhead with its logo, name, address and tax ID; under
it the patient's identification (name, chart, ID number, birth date and age) so a loose page
is never anonymous; and a footer with the confidentiality notice and "Page X of Y". Also the
shared paragraph styles (created once: rebuilding styles per paragraph is what makes long
histories slow) and the date and number formats of the UI language. Fonts are the embedded
Vera family of pdf_style, so accents print on any machine."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from functools import cache
from xml.sax.saxutils import escape

from babel import Locale
from babel.dates import format_date, format_time
from babel.numbers import format_decimal
from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Paragraph

from clinic_desktop.i18n import _, current_language, ngettext
from clinic_desktop.reports.pdf_style import (
    ACCENT,
    INK,
    MUTED,
    PAGE_SIZE,
    RULE,
    SANS,
    SANS_BOLD,
    SANS_ITALIC,
    TINT,
    fit_text,
    lay_out,
    page_of,
    scaled_logo,
    styles,
)

MARGIN_X = 18 * mm
HEADER_HEIGHT = 24 * mm
BAND_HEIGHT = 9 * mm
MARGIN_TOP = 12 * mm + HEADER_HEIGHT + BAND_HEIGHT + 6 * mm
MARGIN_BOTTOM = 24 * mm
CONTENT_WIDTH = PAGE_SIZE[0] - 2 * MARGIN_X
LOGO_BOX = (30 * mm, 18 * mm)

ALERT = colors.HexColor("#9B2C23")
ALERT_TINT = colors.HexColor("#FBEEEC")
WARN = colors.HexColor("#8A5A00")
WARN_TINT = colors.HexColor("#FFF6E0")


@dataclass(frozen=True)
class Letterhead:
    clinic_name: str
    address: str
    tax_id: str
    tax_id_label: str  # "RUC", "NIF": how the clinic's country calls its tax number
    logo: bytes | None = None  # PNG or JPEG; None prints no image


@dataclass(frozen=True)
class PatientIdentity:
    full_name: str
    chart_number: int
    id_label: str  # the translated document type, e.g. "Cédula", "DNI"
    id_number: str | None
    birth_date: date | None


@dataclass(frozen=True)
class ClinicalStyles:
    title: ParagraphStyle
    section: ParagraphStyle
    note_title: ParagraphStyle
    body: ParagraphStyle
    field: ParagraphStyle
    small: ParagraphStyle
    label: ParagraphStyle
    cell: ParagraphStyle
    cell_bold: ParagraphStyle
    cell_small: ParagraphStyle
    head: ParagraphStyle
    mark: ParagraphStyle
    superseded: ParagraphStyle
    draft: ParagraphStyle
    signature: ParagraphStyle
    addendum: ParagraphStyle
    empty: ParagraphStyle


@cache
def clinical_styles() -> ClinicalStyles:
    """Made once per process and shared by every paragraph of every clinical PDF."""
    base = styles()
    body = base.body.clone("ClinicalBody", fontSize=9.5, leading=13, spaceAfter=3)
    cell = body.clone("ClinicalCell", fontSize=8.5, leading=11, spaceAfter=0)
    return ClinicalStyles(
        title=base.title.clone("ClinicalTitle", fontSize=17, leading=21, spaceAfter=2),
        section=base.heading.clone(
            "ClinicalSection", fontSize=12, leading=15, spaceBefore=12, spaceAfter=5
        ),
        note_title=body.clone(
            "NoteTitle", fontName=SANS_BOLD, fontSize=10, leading=13, spaceAfter=0
        ),
        body=body,
        field=body.clone("NoteField", spaceAfter=4),
        small=base.small.clone("ClinicalSmall", fontSize=8, leading=10.5),
        label=base.label,
        cell=cell,
        cell_bold=cell.clone("ClinicalCellBold", fontName=SANS_BOLD),
        cell_small=cell.clone("ClinicalCellSmall", fontSize=7.5, leading=9.5, textColor=MUTED),
        head=base.label.clone("ClinicalHead", textColor=colors.white, spaceAfter=0),
        mark=_mark(body, "AmendedMark", WARN, WARN_TINT),
        superseded=_mark(body, "SupersededMark", ALERT, ALERT_TINT),
        draft=body.clone("DraftMark", fontName=SANS_BOLD, textColor=ALERT, spaceBefore=2),
        signature=body.clone("SignedLine", fontName=SANS_ITALIC, textColor=MUTED, spaceBefore=2),
        addendum=body.clone(
            "Addendum",
            fontSize=9,
            leading=12,
            leftIndent=8,
            borderPadding=(0, 0, 0, 6),
            spaceBefore=2,
            spaceAfter=4,
        ),
        empty=body.clone("Empty", fontName=SANS_ITALIC, textColor=MUTED),
    )


def _mark(body: ParagraphStyle, name: str, ink: colors.Color, tint: colors.Color) -> ParagraphStyle:
    # The boxed lines that flag a corrected note: amber for an amended version, red for the
    # version it superseded.
    return body.clone(
        name,
        fontName=SANS_BOLD,
        fontSize=8.5,
        leading=11,
        textColor=ink,
        backColor=tint,
        borderPadding=(3, 4, 3, 4),
        spaceBefore=3,
        spaceAfter=6,
    )


# -- formats of the UI language ------------------------------------------------------------


def fmt_date(day: date | None) -> str:
    """ "5 mar 2026" / "Mar 5, 2026": unambiguous in both languages, unlike 05/03."""
    if day is None:
        return "—"
    return _plain_spaces(format_date(day, "medium", locale=current_language()))


def fmt_datetime(moment: datetime | None) -> str:
    """A local (clinic-zone) moment as the UI language writes a date and a time."""
    if moment is None:
        return "—"
    language = current_language()
    clock = format_time(moment, "short", locale=language)
    day = format_date(moment, "medium", locale=language)
    return _plain_spaces(str(Locale.parse(language).datetime_formats["medium"]).format(clock, day))


def _plain_spaces(text: str) -> str:
    # CLDR puts narrow no-break spaces in times ("10:30\u202fAM"); the embedded font has no
    # glyph for them, so they would print as boxes.
    return text.replace("\u202f", "\u00a0")


def fmt_number(value: Decimal | int | float, decimals: int = 0) -> str:
    """With the locale's decimal separator: 36,5 in Spanish, 36.5 in English."""
    pattern = "0" if decimals <= 0 else "0." + "0" * decimals
    return str(format_decimal(value, format=pattern, locale=current_language()))


def age_on(birth: date, today: date) -> int:
    return today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))


def para_text(text: str) -> str:
    """User text made safe for a Paragraph: markup escaped, line breaks kept."""
    return escape(text.strip()).replace("\r\n", "\n").replace("\n", "<br/>")


def identity_line(patient: PatientIdentity, today: date) -> str:
    """ "José Pérez · Chart 21 · Cédula 1710034065 · Born 17 May 1980 (45 years)"."""
    parts = [patient.full_name, _("Chart {number}").format(number=patient.chart_number)]
    if patient.id_number:
        parts.append(f"{patient.id_label} {patient.id_number}")
    if patient.birth_date is not None:
        years = age_on(patient.birth_date, today)
        age = ngettext("{years} year", "{years} years", years).format(years=years)
        parts.append(_("Born {date} ({age})").format(date=fmt_date(patient.birth_date), age=age))
    return " · ".join(parts)


def confidentiality_notice() -> str:
    return _(
        "Confidential: contains health data protected by law. It may be used only for the "
        "patient's care and must not be disclosed without authorisation."
    )


# -- the page ------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Page:
    letterhead: Letterhead
    title: str
    identity: str
    generated: tuple[str, ...]
    watermark: str


def _draw_letterhead(
    canvas: Canvas, page: _Page, logo: tuple[ImageReader, float, float] | None
) -> None:
    width, height = PAGE_SIZE
    head = page.letterhead
    top = height - 12 * mm
    x = MARGIN_X
    if logo is not None:
        reader, logo_w, logo_h = logo
        canvas.drawImage(
            reader, x, top - logo_h, logo_w, logo_h, mask="auto", preserveAspectRatio=True
        )
        x += logo_w + 5 * mm
    right = width - MARGIN_X
    right_w = min(
        max(
            pdfmetrics.stringWidth(page.title, SANS_BOLD, 11),
            *(pdfmetrics.stringWidth(line, SANS, 7.5) for line in page.generated),
        ),
        70 * mm,
    )
    room = right - right_w - 6 * mm - x
    canvas.setFillColor(INK)
    # A long name first gets smaller type, and only then an ellipsis.
    size = 12.5
    while size > 9.5 and pdfmetrics.stringWidth(head.clinic_name, SANS_BOLD, size) > room:
        size -= 0.5
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
    canvas.setFont(SANS_BOLD, 11)
    canvas.drawRightString(right, top - 5 * mm, fit_text(page.title, SANS_BOLD, 11, right_w))
    canvas.setFillColor(MUTED)
    canvas.setFont(SANS, 7.5)
    line_y = top - 10 * mm
    for line in page.generated:
        canvas.drawRightString(right, line_y, fit_text(line, SANS, 7.5, right_w))
        line_y -= 3.5 * mm
    rule_y = height - 12 * mm - HEADER_HEIGHT
    canvas.setStrokeColor(ACCENT)
    canvas.setLineWidth(1.2)
    canvas.line(MARGIN_X, rule_y, width - MARGIN_X, rule_y)
    band_top = rule_y - 2 * mm
    canvas.setFillColor(TINT)
    canvas.rect(MARGIN_X, band_top - BAND_HEIGHT, CONTENT_WIDTH, BAND_HEIGHT, stroke=0, fill=1)
    canvas.setFillColor(INK)
    canvas.setFont(SANS_BOLD, 9)
    label = _("Patient:") + " "
    label_w = pdfmetrics.stringWidth(label, SANS_BOLD, 9)
    text_y = band_top - BAND_HEIGHT / 2 - 3
    canvas.drawString(MARGIN_X + 3 * mm, text_y, label)
    # Who the page is about must stay whole: a long name gets a smaller type before any
    # part of the line (the age, at its end) would be cut.
    room = CONTENT_WIDTH - 6 * mm - label_w
    size = 9.0
    while size > 6.5 and pdfmetrics.stringWidth(page.identity, SANS, size) > room:
        size -= 0.5
    canvas.setFont(SANS, size)
    canvas.drawString(
        MARGIN_X + 3 * mm + label_w, text_y, fit_text(page.identity, SANS, size, room)
    )
    if page.watermark:
        draw_watermark(canvas, page.watermark)


def draw_watermark(canvas: Canvas, text: str) -> None:
    """A large diagonal word across the page ("BORRADOR", "ANULADA"), faint enough to read
    through; every letterhead document draws it the same way."""
    width, height = PAGE_SIZE
    canvas.saveState()
    canvas.setFillColor(ALERT, alpha=0.16)
    size = 150.0
    while size > 30 and pdfmetrics.stringWidth(text, SANS_BOLD, size) > height * 0.75:
        size -= 4
    canvas.setFont(SANS_BOLD, size)
    canvas.translate(width / 2, height / 2 - 10 * mm)
    canvas.rotate(50)
    canvas.drawCentredString(0, -size / 3, text)
    canvas.restoreState()


def _draw_footer(canvas: Canvas, footer: Paragraph, footer_height: float, page: str) -> None:
    width = PAGE_SIZE[0]
    y = 10 * mm
    rule_y = y + footer_height + 2 * mm
    canvas.setStrokeColor(RULE)
    canvas.setLineWidth(0.6)
    canvas.line(MARGIN_X, rule_y, width - MARGIN_X, rule_y)
    footer.drawOn(canvas, MARGIN_X, y)
    canvas.setFont(SANS_BOLD, 8)
    canvas.setFillColor(INK)
    canvas.drawRightString(width - MARGIN_X, y + footer_height - 8, page)


def build_clinical_pdf(
    story: Sequence[Flowable],
    *,
    letterhead: Letterhead,
    patient: PatientIdentity,
    title: str,
    generated_at: datetime,
    generated_by: str,
    watermark: str = "",
    subject: str = "",
) -> bytes:
    """Lays `story` out on letterhead pages and returns the PDF bytes (nothing touches disk).
    `generated_at` is a clinic-local time; `watermark` (e.g. "VOID") crosses every page."""
    page = _Page(
        letterhead=letterhead,
        title=title,
        identity=identity_line(patient, generated_at.date()),
        generated=(
            _("Printed on {date}").format(date=fmt_datetime(generated_at)),
            _("by {name}").format(name=generated_by),
        ),
        watermark=watermark,
    )
    logo = scaled_logo(letterhead.logo, LOGO_BOX)
    footer_style = clinical_styles().small.clone("Footer", fontSize=7, leading=9)
    footer = Paragraph(escape(confidentiality_notice()), footer_style)
    _w, footer_height = footer.wrap(CONTENT_WIDTH - 32 * mm, 30 * mm)
    return lay_out(
        story,
        margins=(MARGIN_X, MARGIN_TOP, MARGIN_BOTTOM),
        title=f"{title} — {patient.full_name}",
        author=letterhead.clinic_name,
        subject=subject or title,
        draw_header=lambda canvas: _draw_letterhead(canvas, page, logo),
        draw_footer=lambda canvas, number, pages: _draw_footer(
            canvas, footer, footer_height, page_of(number, pages)
        ),
    )
