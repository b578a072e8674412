"""Which demo patients have documents in their chart, and the document rows: about one patient
in ten among those with signed notes (at most `limit`), each with one to three files attached
to one of their notes: a lab report brought to a medical visit, a periapical film taken at a
dental one, now and then a chest film. Rows carry the file's size and SHA-256 as the upload
service would record them."""

from __future__ import annotations

import hashlib
import random
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from clinic_desktop.models.base import new_id
from clinic_desktop.models.document import DocumentCategory
from clinic_desktop.services.demo_clinical_files import lab_lines, lab_report_pdf
from clinic_desktop.services.demo_clinical_images import chest_png, periapical_png
from clinic_desktop.services.demo_clinical_record import Profile
from clinic_desktop.services.demo_clinical_rx import between, pick

PDF, PNG = "application/pdf", "image/png"
_PERIAPICAL = ("inicial", "de control", "de conductometría")


@dataclass
class DocumentRows:
    documents: list[dict[str, Any]] = field(default_factory=list)
    contents: list[dict[str, Any]] = field(default_factory=list)


def document_rows(
    rng: random.Random,
    signed_notes: list[tuple[dict[str, Any], bool]],
    profiles: dict[uuid.UUID, Profile],
    names: dict[uuid.UUID, str],
    *,
    share: float,
    limit: int,
    moment: datetime,
    zone: ZoneInfo,
) -> DocumentRows:
    by_patient: dict[uuid.UUID, list[tuple[dict[str, Any], bool]]] = {}
    for row, dental in signed_notes:
        by_patient.setdefault(row["patient_id"], []).append((row, dental))
    candidates = sorted(
        (p for p in by_patient if p in profiles), key=lambda p: profiles[p].facts.chart
    )
    wanted = min(limit, len(candidates), max(1, round(share * len(profiles))))
    chosen = sorted(rng.sample(candidates, wanted), key=lambda p: profiles[p].facts.chart)
    result = DocumentRows()

    def add(
        note: dict[str, Any],
        category: str,
        day: date,
        description: str,
        file_name: str,
        mime: str,
        data: bytes,
    ) -> None:
        at = min(note["occurred_at"] + timedelta(minutes=between(rng, 5, 30)), moment)
        stamp = {
            "created_at": at,
            "updated_at": at,
            "created_by": note["author_id"],
            "updated_by": note["author_id"],
            "version": 1,
        }
        document_id = new_id()
        result.documents.append(
            {
                "id": document_id,
                **stamp,
                "patient_id": note["patient_id"],
                "encounter_id": note["id"],
                "category": category,
                "document_date": day,
                "description": description,
                "file_name": file_name,
                "mime_type": mime,
                "size_bytes": len(data),
                "sha256": hashlib.sha256(data).hexdigest(),
            }
        )
        result.contents.append({"id": new_id(), **stamp, "document_id": document_id, "data": data})

    order = 48210
    for patient_id in chosen:
        profile, notes = profiles[patient_id], by_patient[patient_id]
        medical = [row for row, dental in notes if not dental]
        dental_notes = [row for row, dental in notes if dental]
        labs = 2 if len(medical) >= 2 and rng.random() < 0.35 else 1 if medical else 0
        for note in rng.sample(medical, labs):
            order += between(rng, 1, 40)
            taken = note["occurred_at"].astimezone(zone).date() - timedelta(days=between(rng, 1, 6))
            sections = lab_lines(rng, profile.ctx)
            tests = ", ".join(title.lower() for title, _lines in sections)
            pdf = lab_report_pdf(
                patient=profile.facts.name,
                chart=profile.facts.chart,
                age=profile.age,
                sex=profile.ctx.sex,
                taken_on=taken,
                requested_by=names.get(note["author_id"], ""),
                order=order,
                sections=sections,
            )
            add(
                note,
                DocumentCategory.LAB.value,
                taken,
                f"Resultados de laboratorio: {tests}",
                f"laboratorio_{taken:%Y-%m-%d}.pdf",
                PDF,
                pdf,
            )
        if dental_notes and (rng.random() < 0.8 or not medical):
            note = pick(rng, dental_notes)
            day = note["occurred_at"].astimezone(zone).date()
            add(
                note,
                DocumentCategory.IMAGING.value,
                day,
                "Radiografía periapical "
                + pick(rng, ("inicial", "de control", "de conductometría")),
                f"rx_periapical_{day:%Y-%m-%d}.png",
                PNG,
                periapical_png(between(rng, 0, 2)),
            )
        if medical and rng.random() < 0.3:
            note = pick(rng, medical)
            day = note["occurred_at"].astimezone(zone).date() - timedelta(days=between(rng, 0, 3))
            add(
                note,
                DocumentCategory.IMAGING.value,
                day,
                "Radiografía de tórax PA: sin lesiones pleuropulmonares agudas",
                f"rx_torax_{day:%Y-%m-%d}.png",
                PNG,
                chest_png(between(rng, 0, 1)),
            )
    return result
