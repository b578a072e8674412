"""A prescription as the patient takes it to the pharmacy: the clinic's letterhead, the
patient, the date, one numbered entry per medication ("medication — dose — route — frequency
— duration" and the instructions under it), the prescriber's notes, and the prescriber's name
over a line to sign. A voided prescription still prints (the record keeps it) but is crossed
by a large VOID mark on every page and says when, by whom and why it was voided."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from xml.sax.saxutils import escape

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer, Table, TableStyle

from clinic_desktop.i18n import _
from clinic_desktop.reports.clinical_letterhead import (
    ALERT_TINT,
    CONTENT_WIDTH,
    Letterhead,
    PatientIdentity,
    build_clinical_pdf,
    clinical_styles,
    fmt_date,
    fmt_datetime,
    para_text,
)
from clinic_desktop.reports.encounter_pdf import signature_block
from clinic_desktop.reports.pdf_style import RULE, SANS_BOLD


@dataclass(frozen=True)
class PrescriptionLine:
    medication: str
    dose: str = ""
    route: str = ""
    frequency: str = ""
    duration: str = ""
    instructions: str = ""

    def summary(self) -> str:
        """ "Amoxicilina 500 mg — 1 cápsula — Oral — cada 8 horas — 7 días"."""
        parts = [self.medication, self.dose, self.route, self.frequency, self.duration]
        return " — ".join(p.strip() for p in parts if p.strip())


@dataclass(frozen=True)
class PrescriptionView:
    issued_on: date
    prescriber: str
    prescriber_detail: str  # specialty, or ""
    lines: tuple[PrescriptionLine, ...]
    notes: str = ""
    void: bool = False
    voided_at: datetime | None = None  # clinic-local
    voided_by: str = ""
    void_reason: str = ""


@dataclass(frozen=True)
class PrescriptionDocument:
    letterhead: Letterhead
    patient: PatientIdentity
    prescription: PrescriptionView
    generated_at: datetime
    generated_by: str


def void_text(rx: PrescriptionView) -> str:
    return _("VOID — voided on {date} by {name}. Reason: {reason}").format(
        date=fmt_datetime(rx.voided_at), name=rx.voided_by or "—", reason=rx.void_reason or "—"
    )


def line_flowables(rx: PrescriptionView) -> list[Flowable]:
    """The numbered medication entries (also used by the history's prescriptions section)."""
    s = clinical_styles()
    rows: list[list[object]] = []
    for number, line in enumerate(rx.lines, start=1):
        cell = [Paragraph(f"<font name='{SANS_BOLD}'>{escape(line.summary())}</font>", s.body)]
        if line.instructions.strip():
            cell.append(Paragraph(para_text(line.instructions), s.small))
        rows.append([Paragraph(f"{number}.", s.cell_bold), cell])
    if not rows:
        return [Paragraph(escape(_("No medications.")), s.empty)]
    table = Table(rows, colWidths=[8 * mm, CONTENT_WIDTH - 8 * mm])
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 3),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
                ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE),
            ]
        )
    )
    return [table]


def render_prescription(doc: PrescriptionDocument) -> bytes:
    s = clinical_styles()
    rx = doc.prescription
    byline = _("Prescribed by {name} on {date}").format(
        name=rx.prescriber, date=fmt_date(rx.issued_on)
    )
    story: list[Flowable] = [
        Paragraph(escape(_("Prescription")), s.title),
        Paragraph(escape(byline), s.small),
        Spacer(1, 2 * mm),
    ]
    if rx.void:
        box = Table([[Paragraph(escape(void_text(rx)), s.draft)]], colWidths=[CONTENT_WIDTH])
        box.setStyle(
            TableStyle(
                [
                    ("BACKGROUND", (0, 0), (-1, -1), ALERT_TINT),
                    ("LEFTPADDING", (0, 0), (-1, -1), 6),
                    ("TOPPADDING", (0, 0), (-1, -1), 4),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
                ]
            )
        )
        story += [box, Spacer(1, 2 * mm)]
    story.append(
        Paragraph(
            f"<font color='#1F5F8B' size='15' name='{SANS_BOLD}'>Rp/</font>",
            s.body.clone("Rp", leading=20, spaceAfter=2),
        )
    )
    story += line_flowables(rx)
    if rx.notes.strip():
        story.append(Spacer(1, 3 * mm))
        story.append(
            Paragraph(
                f"<font name='{SANS_BOLD}'>{escape(_('Notes'))}</font><br/>{para_text(rx.notes)}",
                s.field,
            )
        )
    signer = rx.prescriber + (f" — {rx.prescriber_detail}" if rx.prescriber_detail else "")
    story += [Spacer(1, 18 * mm), KeepTogether(signature_block(signer))]
    return build_clinical_pdf(
        story,
        letterhead=doc.letterhead,
        patient=doc.patient,
        title=_("Prescription"),
        generated_at=doc.generated_at,
        generated_by=doc.generated_by,
        watermark=_("VOID") if rx.void else "",
        subject=byline,
    )
