"""One consultation note on paper, and the blocks the full history repeats for each of its
notes: the date and author, the vital signs with their units, the SOAP sections, the
signature line ("Signed by … on …", or a DRAFT mark while it is not signed), the addenda with
who wrote them and when, and the marks that keep corrections honest: an amended version names
the note it corrects and why, and the original says which version superseded it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from xml.sax.saxutils import escape

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer, Table, TableStyle

from clinic_desktop.i18n import _
from clinic_desktop.reports.clinical_letterhead import (
    CONTENT_WIDTH,
    Letterhead,
    PatientIdentity,
    build_clinical_pdf,
    clinical_styles,
    fmt_date,
    fmt_datetime,
    fmt_number,
    para_text,
)
from clinic_desktop.reports.pdf_style import ACCENT, INK, SANS_BOLD, TINT


@dataclass(frozen=True)
class VitalLine:
    label: str  # translated: "Blood pressure"
    values: tuple[Decimal, ...]  # one value, or systolic and diastolic
    unit: str  # "mmHg", "°C"
    decimals: int = 0


@dataclass(frozen=True)
class AddendumLine:
    text: str
    author: str
    written_at: datetime  # clinic-local


@dataclass(frozen=True)
class NoteView:
    occurred_at: datetime  # clinic-local
    author: str
    signed: bool
    signed_by: str = ""
    signed_at: datetime | None = None
    chief_complaint: str = ""
    subjective: str = ""
    objective: str = ""
    assessment: str = ""
    plan: str = ""
    vitals: tuple[VitalLine, ...] = ()
    addenda: tuple[AddendumLine, ...] = ()
    # When this note is an amended version: the original's date and the reason given.
    amends_note_of: datetime | None = None
    amendment_reason: str = ""
    # When a later amended version replaced this one: that version's date.
    superseded_by: datetime | None = None
    appointment: str = ""  # "Cita del 5 mar 2026, 9:00 — Control", when linked


@dataclass(frozen=True)
class RxSummary:
    """A prescription linked to the note, in one line."""

    issued_on: date
    lines: tuple[str, ...]
    void: bool = False


@dataclass(frozen=True)
class EncounterDocument:
    letterhead: Letterhead
    patient: PatientIdentity
    note: NoteView
    generated_at: datetime
    generated_by: str
    prescriptions: tuple[RxSummary, ...] = field(default=())


def soap_labels() -> tuple[tuple[str, str], ...]:
    return (
        ("chief_complaint", _("Chief complaint")),
        ("subjective", _("Subjective / background")),
        ("objective", _("Objective / physical examination")),
        ("assessment", _("Assessment / diagnosis")),
        ("plan", _("Plan")),
    )


def vitals_text(vitals: tuple[VitalLine, ...]) -> str:
    parts = []
    for vital in vitals:
        value = "/".join(fmt_number(v, vital.decimals) for v in vital.values)
        # No-break spaces keep each label with its value and unit when the line wraps.
        label = escape(vital.label).replace(" ", "\u00a0")
        amount = f"{escape(value)}\u00a0{escape(vital.unit)}"
        parts.append(f"<font name='{SANS_BOLD}'>{label}</font>\u00a0{amount}")
    return " \u2003 ".join(parts)


def note_title(note: NoteView) -> str:
    return _("Consultation of {date}").format(date=fmt_datetime(note.occurred_at))


def note_flowables(note: NoteView, *, show_title: bool = True) -> list[Flowable]:
    """The note as flowables; the history calls this once per note, so it only reuses the
    shared styles and builds one paragraph per filled section."""
    s = clinical_styles()
    out: list[Flowable] = []
    if show_title:
        status = (
            _("Signed")
            if note.signed
            else f"<font color='#9B2C23'>{escape(_('DRAFT — not signed'))}</font>"
        )
        left = f"{escape(note_title(note))}"
        right_style = s.cell_small
        header = Table(
            [
                [
                    Paragraph(left, s.note_title),
                    Paragraph(
                        f"{escape(note.author)} · <font name='{SANS_BOLD}'>{status}</font>",
                        right_style.clone("NoteStatus", alignment=2),
                    ),
                ]
            ],
            colWidths=[CONTENT_WIDTH * 0.55, CONTENT_WIDTH * 0.45],
        )
        header.setStyle(_HEADER_STYLE)
        out.append(header)
        out.append(Spacer(1, 1.5 * mm))
    marks: list[Flowable] = []
    if note.amends_note_of is not None:
        text = _("Amended version of the note of {date}, reason: {reason}").format(
            date=fmt_datetime(note.amends_note_of), reason=note.amendment_reason or "—"
        )
        marks.append(Paragraph(escape(text), s.mark))
    if note.superseded_by is not None:
        text = _("Superseded by the version of {date}; kept as it was signed.").format(
            date=fmt_datetime(note.superseded_by)
        )
        marks.append(Paragraph(escape(text), s.superseded))
    if note.appointment:
        marks.append(Paragraph(escape(note.appointment), s.small))
    out.extend(marks)
    for key, label in soap_labels():
        if key == "objective" and note.vitals:
            out.append(_field(_("Vital signs"), vitals_text(note.vitals)))
        text = getattr(note, key)
        if text.strip():
            out.append(_field(label, para_text(text)))
    if not note.vitals and not any(getattr(note, key).strip() for key, _label in soap_labels()):
        out.append(Paragraph(escape(_("The note is empty.")), s.empty))
    if note.signed:
        signed = _("Signed by {name} on {date}").format(
            name=note.signed_by or note.author, date=fmt_datetime(note.signed_at)
        )
        out.append(Paragraph(escape(signed), s.signature))
    else:
        out.append(Paragraph(escape(_("DRAFT — not signed")), s.draft))
    for addendum in note.addenda:
        when = fmt_datetime(addendum.written_at)
        heading = (
            _("Addendum by {name} on {date}").format(name=addendum.author, date=when)
            if addendum.author.strip("— ")
            else _("Addendum of {date}").format(date=when)
        )
        out.append(
            Paragraph(
                f"<font name='{SANS_BOLD}'>{escape(heading)}</font><br/>{para_text(addendum.text)}",
                s.addendum,
            )
        )
    return out


def _field(label: str, markup: str) -> Paragraph:
    return Paragraph(
        f"<font color='#1F5F8B' name='{SANS_BOLD}'>{escape(label)}:</font> {markup}",
        clinical_styles().field,
    )


_HEADER_STYLE = TableStyle(
    [
        ("BACKGROUND", (0, 0), (-1, -1), TINT),
        ("LINEABOVE", (0, 0), (-1, 0), 1.2, ACCENT),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), 5),
        ("RIGHTPADDING", (0, 0), (-1, -1), 5),
        ("TOPPADDING", (0, 0), (-1, -1), 4),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
    ]
)


def render_encounter(doc: EncounterDocument) -> bytes:
    """The PDF of one note; a draft is crossed by a DRAFT watermark on every page."""
    s = clinical_styles()
    note = doc.note
    story: list[Flowable] = [
        Paragraph(escape(_("Clinical note")), s.title),
        Paragraph(escape(f"{fmt_datetime(note.occurred_at)} · {note.author}"), s.small),
        Spacer(1, 3 * mm),
        *note_flowables(note, show_title=False),
    ]
    if doc.prescriptions:
        story.append(Paragraph(escape(_("Prescriptions of this consultation")), s.section))
        for rx in doc.prescriptions:
            story.append(rx_summary_flowable(rx))
    if note.signed:
        story.append(Spacer(1, 14 * mm))
        story.append(KeepTogether(signature_block(note.signed_by or note.author)))
    return build_clinical_pdf(
        story,
        letterhead=doc.letterhead,
        patient=doc.patient,
        title=_("Clinical note"),
        generated_at=doc.generated_at,
        generated_by=doc.generated_by,
        watermark="" if note.signed else _("DRAFT"),
        subject=note_title(note),
    )


def rx_summary_flowable(rx: RxSummary) -> Flowable:
    s = clinical_styles()
    head = _("Prescription of {date}").format(date=fmt_date(rx.issued_on))
    if rx.void:
        head += f" — <font color='#9B2C23'>{escape(_('VOID'))}</font>"
    else:
        head = escape(head)
    body = "<br/>".join(f"• {escape(line)}" for line in rx.lines)
    return Paragraph(f"<font name='{SANS_BOLD}'>{head}</font><br/>{body}", s.field)


def signature_block(name: str) -> list[Flowable]:
    """A line to sign on, with the name under it, at the right of the page."""
    s = clinical_styles()
    table = Table(
        [
            [""],
            [Paragraph(escape(name), s.cell_bold)],
            [Paragraph(escape(_("Signature")), s.cell_small)],
        ],
        colWidths=[70 * mm],
        rowHeights=[12 * mm, None, None],
        hAlign="RIGHT",
    )
    table.setStyle(
        TableStyle(
            [
                ("LINEBELOW", (0, 0), (0, 0), 0.8, INK),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 1), (-1, -1), 2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
            ]
        )
    )
    return [table]
