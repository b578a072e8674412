"""The recovery-key sheet printed at setup: the one paper copy of the key that unwraps the
clinic's data key when the OS keychain is lost, the computer is replaced or a backup is restored
elsewhere. It prints the key large and exactly as grouped, says in plain words how to keep it,
and leaves room to record who stored it. The bytes hold the key: callers print or hand them to
the user and never write them to a temporary file."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from xml.sax.saxutils import escape

from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import (
    Flowable,
    KeepTogether,
    ListFlowable,
    ListItem,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from clinic_desktop.i18n import _
from clinic_desktop.reports.pdf_style import (
    ACCENT,
    CONTENT_WIDTH,
    INK,
    MONO_BOLD,
    MUTED,
    SANS,
    SANS_BOLD,
    TINT,
    build_pdf,
    format_datetime,
    styles,
)

_KEY_PADDING = 14
_WARNING = "#B42318"
_WARNING_TINT = "#FEF3F2"


@dataclass(frozen=True)
class RecoverySheet:
    clinic_name: str
    tax_id: str
    recovery_key: str
    created_at: datetime  # in the clinic's time zone; printed as given
    workstation: str


def render_recovery_sheet(sheet: RecoverySheet) -> bytes:
    """Returns the one-page PDF of the recovery sheet."""
    s = styles()
    title = _("Recovery key")
    story: list[Flowable] = [
        Paragraph(escape(title), s.title),
        Paragraph(
            escape(
                _(
                    "This key opens the encrypted data of {clinic} when this computer cannot. "
                    "Print this sheet, check that the key is legible, and store it as "
                    "described below."
                ).format(clinic=sheet.clinic_name)
            ),
            s.body,
        ),
        Spacer(1, 4 * mm),
        _details(sheet),
        Spacer(1, 6 * mm),
        _key_box(sheet.recovery_key),
        Spacer(1, 3 * mm),
        Paragraph(
            escape(_("When you need it, type it exactly as printed, group by group.")),
            s.small,
        ),
        Paragraph(escape(_("How to keep this sheet")), s.heading),
        _instructions(),
        Spacer(1, 5 * mm),
        _warning_box(),
        Spacer(1, 12 * mm),
        _stored_by_line(),
    ]
    return build_pdf(
        story,
        title=title,
        clinic_name=sheet.clinic_name,
        subject=_("Recovery key of the clinic data"),
    )


def _details(sheet: RecoverySheet) -> Flowable:
    s = styles()

    def cell(label: str, value: str) -> list[Flowable]:
        return [Paragraph(escape(label.upper()), s.label), Paragraph(escape(value), s.body)]

    half = CONTENT_WIDTH / 2
    table = Table(
        [
            [cell(_("Clinic"), sheet.clinic_name), cell(_("Tax ID"), sheet.tax_id)],
            [
                cell(_("Created"), format_datetime(sheet.created_at)),
                cell(_("Computer"), sheet.workstation),
            ],
        ],
        colWidths=[half, half],
    )
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
            ]
        )
    )
    return table


def _key_box(key: str) -> Flowable:
    s = styles()
    inner = CONTENT_WIDTH - 2 * _KEY_PADDING
    # As large as fits on one line (Courier advances 0.6 em), so the groups are never broken.
    size = max(10.0, min(22.0, inner / (0.6 * max(len(key), 1))))
    key_style = s.mono.clone("Key", fontName=MONO_BOLD, fontSize=size, leading=size * 1.25)
    table = Table(
        [
            [Paragraph(escape(_("Recovery key").upper()), s.label.clone("KeyLabel", alignment=1))],
            [Paragraph(escape(key), key_style)],
        ],
        colWidths=[CONTENT_WIDTH],
    )
    table.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, -1), TINT),
                ("BOX", (0, 0), (-1, -1), 1.2, ACCENT),
                ("LEFTPADDING", (0, 0), (-1, -1), _KEY_PADDING),
                ("RIGHTPADDING", (0, 0), (-1, -1), _KEY_PADDING),
                ("TOPPADDING", (0, 0), (-1, 0), 10),
                ("BOTTOMPADDING", (0, -1), (-1, -1), 14),
            ]
        )
    )
    return table


def _instructions() -> Flowable:
    s = styles()
    points = [
        _(
            "Keep this sheet in a safe place away from the computer, such as a safe or a "
            "locked drawer in another room. Do not photograph it, scan it or save it on any "
            "computer or phone."
        ),
        _(
            "You will need it to open the clinic data if this computer's keychain is lost, "
            "if this computer is replaced, or to restore a backup on another computer."
        ),
        _(
            "Anyone who has this sheet and a copy of the data can read the data, including "
            "patients' clinical records."
        ),
        _(
            "The application will never ask you for this key by e-mail or by phone. If "
            "someone does, do not give it: they are trying to steal the data."
        ),
    ]
    return ListFlowable(
        [ListItem(Paragraph(escape(point), s.body), leftIndent=14) for point in points],
        bulletType="bullet",
        start="•",
        bulletFontName=SANS,
        bulletColor=ACCENT,
        leftIndent=14,
    )


def _warning_box() -> Flowable:
    s = styles()
    style = s.body.clone("Warning", fontName=SANS_BOLD, textColor=_WARNING, spaceAfter=0)
    text = _(
        "Without this key there is no way to recover the data if the keychain is lost: "
        "nobody, not even the makers of the application, can open it."
    )
    table = Table([[Paragraph(escape(text), style)]], colWidths=[CONTENT_WIDTH])
    table.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, -1), _WARNING_TINT),
                ("LINEBEFORE", (0, 0), (0, -1), 3, _WARNING),
                ("LEFTPADDING", (0, 0), (-1, -1), 10),
                ("RIGHTPADDING", (0, 0), (-1, -1), 10),
                ("TOPPADDING", (0, 0), (-1, -1), 8),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 8),
            ]
        )
    )
    return table


def _stored_by_line() -> Flowable:
    s = styles()
    label = s.body.clone("FieldLabel", fontName=SANS_BOLD, textColor=INK, spaceAfter=0)
    stored_by, date = _("Stored by:"), _("Date:")
    # Label columns sized to their text, so a longer translation never wraps onto two lines.
    stored_width, date_width = (
        stringWidth(text, SANS_BOLD, label.fontSize) + 3 * mm for text in (stored_by, date)
    )
    gap = 8 * mm
    lines = CONTENT_WIDTH - stored_width - date_width - gap
    table = Table(
        [[Paragraph(escape(stored_by), label), "", "", Paragraph(escape(date), label), ""]],
        colWidths=[stored_width, lines * 0.62, gap, date_width, lines * 0.38],
        rowHeights=[10 * mm],
    )
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("LINEBELOW", (1, 0), (1, 0), 0.8, MUTED),
                ("LINEBELOW", (4, 0), (4, 0), 0.8, MUTED),
            ]
        )
    )
    return KeepTogether([table])
