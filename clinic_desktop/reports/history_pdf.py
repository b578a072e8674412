"""A patient's whole clinical history on paper, in the order a doctor reads a chart: who the
patient is and what they consented to, the alerts (allergies), the medical history by section,
current medications and the problem list with ICD-10 codes, then every note in time order
(signed, draft, amended and superseded versions, addenda), the prescriptions and the list of
attached documents (their description only; the files themselves are never printed). The
right-of-access export adds the patient's appointments. Built to stay fast for hundreds of
notes: shared styles, one paragraph per filled section, tables only for short lists."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TypeVar
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, Paragraph, Spacer, Table, TableStyle

from clinic_desktop.i18n import _, ngettext
from clinic_desktop.reports.clinical_letterhead import (
    ALERT,
    ALERT_TINT,
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
from clinic_desktop.reports.encounter_pdf import NoteView, note_flowables
from clinic_desktop.reports.pdf_style import ACCENT, INK, RULE, SANS_BOLD, TINT
from clinic_desktop.reports.prescription_pdf import PrescriptionView, line_flowables, void_text


@dataclass(frozen=True)
class Fact:
    label: str
    value: str


@dataclass(frozen=True)
class ConsentLine:
    kind: str  # translated
    granted: bool
    recorded_at: datetime  # clinic-local
    recorded_by: str


@dataclass(frozen=True)
class HistoryText:
    title: str  # translated section name
    text: str


@dataclass(frozen=True)
class AllergyLine:
    substance: str
    reaction: str
    severity: str  # translated
    status: str  # translated
    noted_on: date | None
    note: str = ""
    current: bool = True  # active: printed first and in red


@dataclass(frozen=True)
class MedicationLine:
    name: str
    dose: str
    route: str
    frequency: str
    status: str  # translated
    started_on: date | None
    stopped_on: date | None
    note: str = ""


@dataclass(frozen=True)
class ProblemLine:
    description: str
    icd10: str
    status: str  # translated
    onset_on: date | None
    resolved_on: date | None
    note: str = ""


@dataclass(frozen=True)
class DocumentLine:
    document_date: date
    category: str  # translated
    file_name: str
    description: str
    size_bytes: int


@dataclass(frozen=True)
class AppointmentLine:
    start: datetime  # clinic-local
    practitioner: str
    type_name: str
    reason: str
    status: str  # translated


@dataclass(frozen=True)
class HistoryDocument:
    letterhead: Letterhead
    patient: PatientIdentity
    generated_at: datetime  # clinic-local
    generated_by: str
    demographics: tuple[Fact, ...] = ()
    consents: tuple[ConsentLine, ...] = ()
    history: tuple[HistoryText, ...] = ()
    allergies: tuple[AllergyLine, ...] = ()
    medications: tuple[MedicationLine, ...] = ()
    problems: tuple[ProblemLine, ...] = ()
    notes: tuple[NoteView, ...] = ()
    prescriptions: tuple[PrescriptionView, ...] = ()
    documents: tuple[DocumentLine, ...] = ()
    # None leaves the section out (the printed history); the export passes the list.
    appointments: tuple[AppointmentLine, ...] | None = None
    title: str = field(default="")


_TABLE_STYLE = TableStyle(
    [
        ("BACKGROUND", (0, 0), (-1, 0), ACCENT),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
        ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, TINT]),
        ("LINEBELOW", (0, 1), (-1, -1), 0.4, RULE),
        ("TEXTCOLOR", (0, 1), (-1, -1), INK),
    ]
)


def _table(headers: Sequence[str], rows: list[list[object]], widths: Sequence[float]) -> Table:
    s = clinical_styles()
    head = [Paragraph(escape(h.upper()), s.head) for h in headers]
    total = sum(widths)
    table = Table(
        [head, *rows], colWidths=[CONTENT_WIDTH * w / total for w in widths], repeatRows=1
    )
    table.setStyle(_TABLE_STYLE)
    return table


_Item = TypeVar("_Item")


def _listing(
    items: Sequence[_Item],
    *,
    empty: str,
    headers: Sequence[str],
    widths: Sequence[float],
    row: Callable[[_Item], list[object]],
    alert: Callable[[_Item], bool] | None = None,
) -> list[Flowable]:
    """One row per item under a header repeated on every page, or `empty` when there are none;
    the rows of the items `alert` picks are tinted red."""
    if not items:
        return [_none(empty)]
    table = _table(headers, [row(item) for item in items], widths)
    if alert is not None:
        marked = [number for number, item in enumerate(items, start=1) if alert(item)]  # 0: header
        table.setStyle(TableStyle([("BACKGROUND", (0, n), (-1, n), ALERT_TINT) for n in marked]))
    return [table]


def _cell(text: str, *, bold: bool = False) -> Paragraph:
    s = clinical_styles()
    return Paragraph(para_text(text) or "—", s.cell_bold if bold else s.cell)


def _section(title: str) -> list[Flowable]:
    # A heading never sits alone at the foot of a page.
    return [CondPageBreak(30 * mm), Paragraph(escape(title), clinical_styles().section)]


def _none(text: str) -> Paragraph:
    return Paragraph(escape(text), clinical_styles().empty)


def _facts(facts: tuple[Fact, ...]) -> Flowable:
    s = clinical_styles()
    if not facts:
        return Spacer(1, 1)
    label = s.cell_small.clone("FactLabel", fontName=SANS_BOLD)
    cells = [[Paragraph(escape(f.label), label), _cell(f.value)] for f in facts]
    # Two label/value pairs per row keep the demographics to a few lines.
    rows = [
        cells[i] + (cells[i + 1] if i + 1 < len(cells) else ["", ""])
        for i in range(0, len(cells), 2)
    ]
    table = Table(rows, colWidths=[CONTENT_WIDTH * w for w in (0.16, 0.34, 0.16, 0.34)])
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 3),
                ("TOPPADDING", (0, 0), (-1, -1), 2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
                ("LINEBELOW", (0, 0), (-1, -1), 0.3, RULE),
            ]
        )
    )
    return table


def _consents(lines: tuple[ConsentLine, ...]) -> list[Flowable]:
    return _listing(
        lines,
        empty=_("No consents recorded."),
        headers=(_("Consent"), _("Answer"), _("Recorded on"), _("Recorded by")),
        widths=(4, 3, 3, 3),
        row=lambda c: [
            _cell(c.kind),
            _cell(_("Granted") if c.granted else _("Refused or withdrawn"), bold=True),
            _cell(fmt_datetime(c.recorded_at)),
            _cell(c.recorded_by),
        ],
    )


def _allergies(lines: tuple[AllergyLine, ...]) -> list[Flowable]:
    s = clinical_styles()
    alert = s.cell_bold.clone("AllergyAlert", textColor=ALERT)
    return _listing(
        sorted(lines, key=lambda line: not line.current),  # the active ones first
        empty=_("No known allergies recorded."),
        headers=(_("Substance"), _("Reaction"), _("Severity"), _("Status"), _("Noted on")),
        widths=(4, 5, 2.6, 2.6, 2.4),
        row=lambda a: [
            Paragraph(para_text(a.substance), alert if a.current else s.cell),
            _cell(a.reaction),
            _cell(a.severity),
            _cell(a.status),
            _cell(fmt_date(a.noted_on) if a.noted_on else "—"),
        ],
        alert=lambda a: a.current,
    )


def _medications(lines: tuple[MedicationLine, ...]) -> list[Flowable]:
    return _listing(
        lines,
        empty=_("No medications recorded."),
        headers=(_("Medication"), _("Dose"), _("Route"), _("Frequency"), _("Status"), _("Period")),
        widths=(4, 2.6, 2, 3, 2, 3.4),
        row=lambda m: [
            _cell(m.name, bold=True),
            _cell(m.dose),
            _cell(m.route),
            _cell(m.frequency),
            _cell(m.status),
            _cell(_period(m.started_on, m.stopped_on)),
        ],
    )


def _period(start: date | None, end: date | None) -> str:
    if start and end:
        return f"{fmt_date(start)} – {fmt_date(end)}"
    if start:
        return _("since {date}").format(date=fmt_date(start))
    if end:
        return _("until {date}").format(date=fmt_date(end))
    return "—"


def _problems(lines: tuple[ProblemLine, ...]) -> list[Flowable]:
    return _listing(
        lines,
        empty=_("No problems recorded."),
        headers=(_("Problem"), _("ICD-10"), _("Status"), _("Period")),
        widths=(7, 1.6, 2, 4),
        row=lambda p: [
            _cell(p.description + (f"\n{p.note}" if p.note else "")),
            _cell(p.icd10 or "—", bold=True),
            _cell(p.status),
            _cell(_period(p.onset_on, p.resolved_on)),
        ],
    )


def _prescriptions(items: tuple[PrescriptionView, ...]) -> list[Flowable]:
    s = clinical_styles()
    if not items:
        return [_none(_("No prescriptions issued."))]
    out: list[Flowable] = []
    for rx in items:
        head = _("Prescription of {date} — {name}").format(
            date=fmt_date(rx.issued_on), name=rx.prescriber
        )
        out.append(CondPageBreak(22 * mm))
        out.append(Paragraph(f"<font name='{SANS_BOLD}'>{escape(head)}</font>", s.body))
        if rx.void:
            out.append(Paragraph(escape(void_text(rx)), s.superseded))
        out += line_flowables(rx)
        if rx.notes.strip():
            out.append(Paragraph(para_text(rx.notes), s.small))
        out.append(Spacer(1, 3 * mm))
    return out


def _documents(items: tuple[DocumentLine, ...]) -> list[Flowable]:
    return _listing(
        items,
        empty=_("No documents attached."),
        headers=(_("Date"), _("Category"), _("File"), _("Description"), _("Size")),
        widths=(2.4, 2.4, 4.5, 5.5, 1.8),
        row=lambda d: [
            _cell(fmt_date(d.document_date)),
            _cell(d.category),
            _cell(d.file_name, bold=True),
            _cell(d.description),
            _cell(_size(d.size_bytes)),
        ],
    )


def _size(size: int) -> str:
    if size < 1024:
        return f"{size} B"
    if size < 1024 * 1024:
        return f"{fmt_number(size / 1024, 1)} KB"
    return f"{fmt_number(size / 1024 / 1024, 1)} MB"


def _appointments(items: tuple[AppointmentLine, ...]) -> list[Flowable]:
    return _listing(
        items,
        empty=_("No appointments."),
        headers=(_("Date"), _("Professional"), _("Type"), _("Reason"), _("Status")),
        widths=(3.4, 3.6, 3, 4.6, 2.4),
        row=lambda a: [
            _cell(fmt_datetime(a.start)),
            _cell(a.practitioner),
            _cell(a.type_name or "—"),
            _cell(a.reason or "—"),
            _cell(a.status),
        ],
    )


def _notes(notes: tuple[NoteView, ...]) -> list[Flowable]:
    if not notes:
        return [_none(_("No clinical notes."))]
    out: list[Flowable] = []
    for note in notes:
        out.append(CondPageBreak(26 * mm))
        out += note_flowables(note)
        out.append(Spacer(1, 4 * mm))
    return out


def render_history(doc: HistoryDocument) -> bytes:
    s = clinical_styles()
    title = doc.title or _("Clinical history")
    count = len(doc.notes)
    summary = ngettext("{count} clinical note", "{count} clinical notes", count).format(count=count)
    story: list[Flowable] = [
        Paragraph(escape(title), s.title),
        Paragraph(escape(f"{doc.patient.full_name} · {summary}"), s.small),
        *_section(_("Patient")),
        _facts(doc.demographics),
        *_section(_("Consents")),
        *_consents(doc.consents),
        *_section(_("Allergies")),
        *_allergies(doc.allergies),
        *_section(_("Medical history")),
    ]
    story += [
        Paragraph(
            f"<font color='#1F5F8B' name='{SANS_BOLD}'>{escape(h.title)}</font>"
            f"<br/>{para_text(h.text)}",
            s.field,
        )
        for h in doc.history
        if h.text.strip()
    ] or [_none(_("No medical history recorded."))]
    story += [
        *_section(_("Current medication")),
        *_medications(doc.medications),
        *_section(_("Problem list")),
        *_problems(doc.problems),
        *_section(_("Clinical notes")),
        *_notes(doc.notes),
        *_section(_("Prescriptions")),
        *_prescriptions(doc.prescriptions),
        *_section(_("Documents")),
        *_documents(doc.documents),
    ]
    if doc.appointments is not None:
        story += [*_section(_("Appointments")), *_appointments(doc.appointments)]
    return build_clinical_pdf(
        story,
        letterhead=doc.letterhead,
        patient=doc.patient,
        title=title,
        generated_at=doc.generated_at,
        generated_by=doc.generated_by,
        subject=summary,
    )
