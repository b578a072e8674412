"""The printed day of one practitioner: the sheet reception hands to the doctor in the morning
and keeps at the desk. It names the practitioner and the day in words, who printed it and when
(a paper agenda goes stale as soon as anything is booked), the working hours, the number of
appointments and any holiday or closure, then lists every appointment in time order with what
is needed at a glance: who, how to reach them, their chart, what for, where, and the status."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from xml.sax.saxutils import escape

from babel.dates import format_date
from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Spacer, Table, TableStyle

from clinic_desktop.i18n import _, current_language, ngettext
from clinic_desktop.reports.pdf_style import (
    ACCENT,
    CONTENT_WIDTH,
    INK,
    MUTED,
    RULE,
    SANS_BOLD,
    SANS_ITALIC,
    TINT,
    build_pdf,
    format_datetime,
    styles,
)

# The agenda screens paint closures in the same red.
_CLOSED = colors.HexColor("#9B2C23")
_CLOSED_TINT = colors.HexColor("#FBEEEC")
# Time, patient, type/room, reason, status: the patient and the reason get the room to wrap.
_COLUMNS = (20 * mm, 50 * mm, 32 * mm, 44 * mm, 24 * mm)


@dataclass(frozen=True)
class DayAppointmentLine:
    start: datetime  # local wall time (naive or aware), printed as HH:MM
    end: datetime
    patient_name: str
    patient_phone: str | None
    chart_number: int | None
    type_name: str | None
    room_name: str | None
    reason: str
    status_label: str  # translated
    mode_label: str  # "In person" / "Telemedicine", translated by the caller
    notes: str = ""


@dataclass(frozen=True)
class PractitionerDay:
    clinic_name: str
    clinic_address: str
    practitioner_name: str
    specialty: str
    day: date
    working_hours: str  # e.g. "09:00–13:00, 15:00–19:00", or "" for none
    closed_label: str  # e.g. "Holiday: Carnaval", or ""
    appointments: tuple[DayAppointmentLine, ...]
    printed_at: datetime
    printed_by: str


def long_date(day: date) -> str:
    """The day in words in the UI language: "Tuesday, March 3, 2026" / "Martes, 3 de marzo de
    2026" (Spanish writes weekdays in lower case; a heading starts with a capital)."""
    text = format_date(day, format="full", locale=current_language())
    return text[:1].upper() + text[1:]


def appointment_count(count: int) -> str:
    return ngettext("{count} appointment", "{count} appointments", count).format(count=count)


def render_practitioner_day(day: PractitionerDay) -> bytes:
    """Returns the PDF of the day; a long day flows onto more pages with the table header
    repeated."""
    s = styles()
    when = long_date(day.day)
    # The header of every page repeats it, so a loose second page still says whose day it is.
    title = _("Agenda of {name}, {date}").format(
        name=day.practitioner_name, date=day.day.strftime("%d/%m/%Y")
    )
    subtitle = " · ".join(part for part in (day.specialty, day.clinic_address) if part)
    printed = _("Printed by {name} on {date}").format(
        name=day.printed_by, date=format_datetime(day.printed_at)
    )
    story: list[Flowable] = [
        Paragraph(escape(day.practitioner_name), s.title),
        _byline(subtitle, printed),
        Paragraph(escape(when), s.heading.clone("Day", fontSize=14, leading=18)),
        _summary(day),
    ]
    if day.closed_label:
        story += [Spacer(1, 2 * mm), _closed_box(day.closed_label)]
    story.append(Spacer(1, 4 * mm))
    if day.appointments:
        story.append(_appointments_table(day.appointments))
    else:
        story.append(_empty_box())
    return build_pdf(
        story,
        title=title,
        clinic_name=day.clinic_name,
        generated_at=day.printed_at,
        subject=f"{day.practitioner_name} — {when}",
    )


def _byline(subtitle: str, printed: str) -> Flowable:
    # Who printed the sheet and when sits at the top, where it is read before the list it
    # dates, and so it can never be left alone on a last page after a full table.
    s = styles()
    table = Table(
        [
            [
                Paragraph(escape(subtitle), s.small),
                Paragraph(escape(printed), s.small.clone("Printed", alignment=2)),
            ]
        ],
        colWidths=[CONTENT_WIDTH * 0.6, CONTENT_WIDTH * 0.4],
    )
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    return table


def _summary(day: PractitionerDay) -> Flowable:
    s = styles()
    label = _("Working hours:")
    hours = day.working_hours or _("no working hours set")
    left = Paragraph(f"<font name='{SANS_BOLD}'>{escape(label)}</font> {escape(hours)}", s.body)
    right = Paragraph(
        escape(appointment_count(len(day.appointments))),
        s.body.clone("Count", fontName=SANS_BOLD, alignment=2),
    )
    table = Table([[left, right]], colWidths=[CONTENT_WIDTH * 0.7, CONTENT_WIDTH * 0.3])
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
                ("LINEBELOW", (0, 0), (-1, -1), 0.6, RULE),
            ]
        )
    )
    return table


def _closed_box(label: str) -> Flowable:
    s = styles()
    style = s.body.clone("Closed", fontName=SANS_BOLD, textColor=_CLOSED, spaceAfter=0)
    table = Table([[Paragraph(escape(label), style)]], colWidths=[CONTENT_WIDTH])
    table.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, -1), _CLOSED_TINT),
                ("LINEBEFORE", (0, 0), (0, -1), 3, _CLOSED),
                ("LEFTPADDING", (0, 0), (-1, -1), 10),
                ("TOPPADDING", (0, 0), (-1, -1), 6),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
            ]
        )
    )
    return table


def _empty_box() -> Flowable:
    s = styles()
    style = s.body.clone("Empty", textColor=MUTED, alignment=1, spaceAfter=0)
    table = Table(
        [[Paragraph(escape(_("No appointments on this day.")), style)]],
        colWidths=[CONTENT_WIDTH],
    )
    table.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, -1), TINT),
                ("TOPPADDING", (0, 0), (-1, -1), 14),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 14),
            ]
        )
    )
    return table


def _appointments_table(lines: tuple[DayAppointmentLine, ...]) -> Flowable:
    s = styles()
    head = s.label.clone("Head", textColor=colors.white, spaceAfter=0)
    cell = s.body.clone("Cell", fontSize=9, leading=12, spaceAfter=0)
    strong = cell.clone("Strong", fontName=SANS_BOLD)
    note = s.small.clone("Note", fontSize=8, leading=10, spaceAfter=0)
    headers = (_("Time"), _("Patient"), _("Type / room"), _("Reason"), _("Status"))
    rows: list[list[object]] = [[Paragraph(escape(text.upper()), head) for text in headers]]
    # Wall-clock order, whether the caller passed naive or aware times.
    for line in sorted(lines, key=lambda item: item.start.replace(tzinfo=None)):
        rows.append(
            [
                [
                    Paragraph(escape(line.start.strftime("%H:%M")), strong),
                    Paragraph(escape(line.end.strftime("%H:%M")), note),
                ],
                [Paragraph(escape(line.patient_name), strong), *_patient_details(line, note)],
                [
                    Paragraph(escape(line.type_name or "—"), cell),
                    *([Paragraph(escape(line.room_name), note)] if line.room_name else []),
                ],
                [
                    Paragraph(escape(line.reason or "—"), cell),
                    *(
                        [Paragraph(escape(line.notes), note.clone("Notes", fontName=SANS_ITALIC))]
                        if line.notes
                        else []
                    ),
                ],
                [
                    Paragraph(escape(line.status_label), cell),
                    Paragraph(escape(line.mode_label), note),
                ],
            ]
        )
    table = Table(rows, colWidths=list(_COLUMNS), repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, 0), ACCENT),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("VALIGN", (0, 0), (-1, 0), "MIDDLE"),
                ("TOPPADDING", (0, 0), (-1, 0), 5),
                ("BOTTOMPADDING", (0, 0), (-1, 0), 5),
                ("TOPPADDING", (0, 1), (-1, -1), 5),
                ("BOTTOMPADDING", (0, 1), (-1, -1), 6),
                ("LEFTPADDING", (0, 0), (-1, -1), 5),
                ("RIGHTPADDING", (0, 0), (-1, -1), 5),
                ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, TINT]),
                ("LINEBELOW", (0, 1), (-1, -1), 0.4, RULE),
                ("TEXTCOLOR", (0, 1), (-1, -1), INK),
            ]
        )
    )
    return table


def _patient_details(line: DayAppointmentLine, style: ParagraphStyle) -> list[Flowable]:
    parts: list[str] = []
    if line.chart_number is not None:
        parts.append(_("Chart {number}").format(number=line.chart_number))
    if line.patient_phone:
        parts.append(line.patient_phone)
    return [Paragraph(escape(" · ".join(parts)), style)] if parts else []
