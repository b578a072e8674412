"""How a clinical note reads on screen: dates in the clinic's zone and the UI language, vital
signs with their units, the status badge colours, and the HTML of a signed note for the
read-only view (SOAP sections, vitals, who signed it and when, the addenda, and the notices
that link the versions of a corrected note: `note:<id>` anchors the view follows)."""

from __future__ import annotations

import html
import uuid
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from babel.dates import format_skeleton, format_time

from clinic_desktop.i18n import _, current_language
from clinic_desktop.services.encounter_dto import (
    BADGE_LABELS,
    SOAP_FIELDS,
    VITAL_INFO,
    EncounterDTO,
    number_text,
    soap_label,
)
from clinic_desktop.ui.style import ACCENT, ACCENT_DARK, BORDER, MUTED

# (text, background) of each badge.
BADGE_COLOURS: dict[str, tuple[str, str]] = {
    "draft": ("#7A2E0E", "#FEDF89"),
    "signed": ("#FFFFFF", ACCENT),
    "amended": ("#344054", "#E4E7EC"),
}
NOTE_LINK = "note:"


def badge_text(code: str) -> str:
    label = BADGE_LABELS.get(code)
    return _(label) if label else code


def local(moment: datetime, zone: str) -> datetime:
    return moment.astimezone(ZoneInfo(zone))


def day_text(moment: datetime | None, zone: str) -> str:
    """'12 mar 2026' in the clinic's zone."""
    if moment is None:
        return "—"
    return str(format_skeleton("yMMMd", local(moment, zone), locale=current_language()))


def time_text(moment: datetime, zone: str) -> str:
    return str(format_time(local(moment, zone), "short", locale=current_language()))


def when_text(moment: datetime | None, zone: str) -> str:
    """'12 mar 2026, 10:30' in the clinic's zone."""
    if moment is None:
        return "—"
    return _("{day}, {time}").format(day=day_text(moment, zone), time=time_text(moment, zone))


def vitals_parts(note: EncounterDTO) -> list[tuple[str, str]]:
    """(label, value with unit) for each recorded vital sign; blood pressure as one value."""
    vitals = note.vitals
    parts: list[tuple[str, str]] = []
    systolic, diastolic = vitals.get("systolic_bp"), vitals.get("diastolic_bp")
    if systolic is not None or diastolic is not None:
        pressure = "{}/{}".format(
            number_text(systolic) if systolic is not None else "—",
            number_text(diastolic) if diastolic is not None else "—",
        )
        parts.append((_("Blood pressure"), f"{pressure} mmHg"))
    for info in VITAL_INFO:
        value = vitals.get(info.key)
        if info.key in ("systolic_bp", "diastolic_bp") or value is None:
            continue
        parts.append((info.label, f"{number_text(value)} {info.unit}"))
    bmi = body_mass_index(vitals.get("weight_kg"), vitals.get("height_cm"))
    if bmi is not None:
        parts.append((_("BMI"), number_text(bmi)))
    return parts


def body_mass_index(weight: Decimal | None, height: Decimal | None) -> Decimal | None:
    if weight is None or height is None or height <= 0:
        return None
    metres = height / 100
    return (weight / (metres * metres)).quantize(Decimal("0.1"))


def _text(value: str) -> str:
    return html.escape(value).replace("\n", "<br>")


def _link(note_id: uuid.UUID, text: str) -> str:
    return f'<a href="{NOTE_LINK}{note_id}" style="color:{ACCENT}">{html.escape(text)}</a>'


def badge_html(code: str) -> str:
    ink, paper = BADGE_COLOURS.get(code, ("#344054", "#E4E7EC"))
    return (
        f'<span style="color:{ink}; background-color:{paper}; font-size:10pt; '
        f'font-weight:600;">&nbsp;{html.escape(badge_text(code))}&nbsp;</span>'
    )


def _notice(body: str, tint: str, edge: str) -> str:
    return (
        f'<table width="100%" cellpadding="8" cellspacing="0" '
        f'style="background-color:{tint}; border:1px solid {edge}; margin-bottom:8px;">'
        f"<tr><td>{body}</td></tr></table>"
    )


def version_notices(note: EncounterDTO, zone: str) -> list[str]:
    """The lines that tie a note to the versions before and after it."""
    notices: list[str] = []
    correction = note.correction
    if correction is not None and correction.is_signed:
        notices.append(
            _notice(
                _("This note was corrected on {date} by {name}: see {link}.").format(
                    date=html.escape(when_text(correction.signed_at, zone)),
                    name=html.escape(correction.signed_by_name),
                    link=_link(
                        correction.id,
                        _("version {number}").format(number=correction.number),
                    ),
                ),
                "#FFF6E5",
                "#F5C77E",
            )
        )
    elif correction is not None:
        notices.append(
            _notice(
                _("{name} is drafting a corrected version: see {link}.").format(
                    name=html.escape(correction.author_name),
                    link=_link(
                        correction.id,
                        _("version {number}").format(number=correction.number),
                    ),
                ),
                "#F0F3F5",
                BORDER,
            )
        )
    original = note.original
    if original is not None:
        notices.append(
            _notice(
                _("Corrects {link}, signed on {date} by {name}. Reason: {reason}.").format(
                    link=_link(original.id, _("version {number}").format(number=original.number)),
                    date=html.escape(when_text(original.signed_at, zone)),
                    name=html.escape(original.signed_by_name),
                    reason=html.escape(note.amendment_reason),
                ),
                "#E6F4F1",
                "#B7DDD6",
            )
        )
    return notices


def note_html(note: EncounterDTO, zone: str) -> str:
    """The read-only view of a note (signed, or another doctor's draft)."""
    parts: list[str] = [
        f'<p style="font-size:15pt; font-weight:600; margin:0;">'
        f"{html.escape(when_text(note.occurred_at, zone))} &nbsp; {badge_html(note.badge)}</p>"
    ]
    byline = [_("Written by {name}").format(name=note.author_name)]
    if note.appointment is not None:
        appointment = note.appointment
        kind = appointment.type_name or _("Appointment")
        byline.append(
            _("{kind} with {practitioner}").format(
                kind=kind, practitioner=appointment.practitioner_name
            )
        )
    if note.number > 1:
        byline.append(_("version {number}").format(number=note.number))
    parts.append(f'<p style="color:{MUTED}; margin-top:2px;">{html.escape(" · ".join(byline))}</p>')
    parts.extend(version_notices(note, zone))
    vitals = vitals_parts(note)
    if vitals:
        cells = "".join(
            f'<td style="padding:4px 14px 4px 0;"><span style="color:{MUTED};">'
            f"{html.escape(label)}</span><br><b>{html.escape(value)}</b></td>"
            for label, value in vitals
        )
        parts.append(
            f'<p style="color:{ACCENT_DARK}; font-weight:600; margin:10px 0 2px 0;">'
            f'{html.escape(_("Vital signs"))}</p><table cellspacing="0"><tr>{cells}</tr></table>'
        )
    for key in SOAP_FIELDS:
        text = note.text(key)
        if not text:
            continue
        parts.append(
            f'<p style="color:{ACCENT_DARK}; font-weight:600; margin:12px 0 2px 0;">'
            f'{html.escape(soap_label(key))}</p><p style="margin:0;">{_text(text)}</p>'
        )
    if note.is_signed:
        parts.append(
            f'<p style="color:{MUTED}; margin-top:14px; border-top:1px solid {BORDER};">'
            + html.escape(
                _("Signed by {name} on {date}.").format(
                    name=note.signed_by_name, date=when_text(note.signed_at, zone)
                )
            )
            + "</p>"
        )
    else:
        parts.append(
            f'<p style="color:{MUTED}; margin-top:14px;">'
            + html.escape(_("Draft: not signed yet."))
            + "</p>"
        )
    if note.addenda:
        parts.append(
            f'<p style="color:{ACCENT_DARK}; font-weight:600; margin:14px 0 4px 0;">'
            f"{html.escape(_('Addenda'))}</p>"
        )
        for addendum in note.addenda:
            who = _("{name}, {date}").format(
                name=addendum.author_name, date=when_text(addendum.created_at, zone)
            )
            parts.append(
                _notice(
                    f'<span style="color:{MUTED};">{html.escape(who)}</span><br>'
                    f"{_text(addendum.text)}",
                    "#F7F9FA",
                    BORDER,
                )
            )
    return "".join(parts)
