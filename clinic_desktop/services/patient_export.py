"""The right-of-access export: everything the clinic holds about one patient, written to a
folder the owner chose, for a patient who asks for a copy of their data (GDPR art. 15 in Spain,
LOPDP in Ecuador). It writes a readable PDF (the full clinical history plus the patient's
appointments), the same record as an HL7 FHIR R4 JSON bundle, and every attached document as
the original file. This is the one place where document bytes leave the encrypted database,
so it needs patients.export (the owner's), refuses a folder that already holds anything (it
never mixes with or overwrites other files), and is audited in the same transaction: if the
audit entry cannot be written nothing is left behind, and if a file cannot be written the
export is undone."""

from __future__ import annotations

import contextlib
import json
import re
import uuid
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from clinic_desktop.actor import Actor
from clinic_desktop.db.audit_log import append_audit
from clinic_desktop.db.uow import UnitOfWork
from clinic_desktop.errors import NotFound, StorageError, ValidationError
from clinic_desktop.i18n import _
from clinic_desktop.models.document import DocumentContent
from clinic_desktop.models.patient import Patient
from clinic_desktop.models.permissions import Permission
from clinic_desktop.reports.history_pdf import render_history
from clinic_desktop.services.access import require
from clinic_desktop.services.clinical_common import load_patient
from clinic_desktop.services.clinical_print import history_document
from clinic_desktop.services.clinical_print_views import patient_documents
from clinic_desktop.services.fhir_export import build_bundle

# Characters Windows refuses in file names, and control characters.
_UNSAFE = re.compile(r'[<>:"/\\|?*\x00-\x1f]')


@dataclass(frozen=True)
class ExportResult:
    folder: Path
    paths: tuple[Path, ...]  # every file written, the PDF and the bundle first
    patient_name: str
    chart_number: int
    documents: int


def export_patient_record(
    uow: UnitOfWork,
    *,
    actor: Actor,
    out_dir: Path,
    patient_id: uuid.UUID | None = None,
    chart_number: int | None = None,
) -> ExportResult:
    """Writes the patient's record into `out_dir` (a new or empty folder) and returns what
    was written. The patient is given by id or by chart number."""
    folder = check_export_folder(out_dir)
    written: list[Path] = []
    created_folder = not folder.exists()
    try:
        with uow.transaction(actor) as session:
            require(session, actor, Permission.PATIENTS_EXPORT)
            patient = _patient(session, patient_id, chart_number)
            result = _write_export(session, actor, patient, folder, written)
            append_audit(
                session,
                actor=actor,
                action="export",
                entity="Patient",
                entity_id=str(patient.id),
                changes={
                    "patient_id": str(patient.id),
                    "what": "right-of-access export",
                    "folder": str(folder),
                    "files": len(result.paths),
                },
            )
        return result
    except BaseException:
        _undo(written, folder if created_folder else None)
        raise


def check_export_folder(out_dir: Path) -> Path:
    """The folder to export into: a new one (created on export) or an empty one."""
    folder = out_dir.expanduser().resolve()
    if folder.exists() and not folder.is_dir():
        raise ValidationError(
            _("Export folder: {path} is a file; choose a new or empty folder.").format(path=folder),
            field="out",
        )
    if folder.is_dir() and any(folder.iterdir()):
        raise ValidationError(
            _(
                "Export folder: {path} is not empty; choose a new or empty folder so the "
                "export never mixes with other files."
            ).format(path=folder),
            field="out",
        )
    return folder


def _patient(session: Session, patient_id: uuid.UUID | None, chart_number: int | None) -> Patient:
    if patient_id is not None:
        return load_patient(session, patient_id)
    if chart_number is None:
        raise ValidationError(_("Chart number: give the patient's chart number."), field="chart")
    patient = session.scalar(
        select(Patient).where(Patient.chart_number == chart_number, Patient.deleted_at.is_(None))
    )
    if patient is None:
        raise NotFound(
            _("There is no patient with chart number {number}.").format(number=chart_number)
        )
    return patient


def _write_export(
    session: Session, actor: Actor, patient: Patient, folder: Path, written: list[Path]
) -> ExportResult:
    chart = patient.chart_number
    documents = patient_documents(session, patient.id)
    names = _document_names([(d.document_date.isoformat(), d.file_name) for d in documents])
    relative = {d.id: f"documents/{name}" for d, name in zip(documents, names, strict=True)}
    document = history_document(
        session, patient, actor=actor, with_appointments=True, title=_("Patient record")
    )
    pdf = render_history(document)
    bundle = build_bundle(session, patient, document_paths=relative)
    _write(folder / f"{chart}-record.pdf", pdf, written)
    _write(
        folder / f"{chart}-fhir-r4.json",
        json.dumps(bundle, ensure_ascii=False, indent=2).encode("utf-8"),
        written,
    )
    for d in documents:
        data = session.scalar(
            select(DocumentContent.data).where(DocumentContent.document_id == d.id)
        )
        # An anonymised patient's documents keep their record but no content: nothing to write.
        if data:
            _write(folder / relative[d.id], data, written)
    return ExportResult(
        folder=folder,
        paths=tuple(written),
        patient_name=patient.full_name,
        chart_number=chart,
        documents=len(written) - 2,
    )


def _document_names(items: list[tuple[str, str]]) -> list[str]:
    """ "<date>-<file name>" made safe for any file system, numbered when two coincide."""
    seen: set[str] = set()
    names: list[str] = []
    for day, file_name in items:
        base = _UNSAFE.sub("_", Path(file_name.replace("\\", "/")).name).strip(" .") or "document"
        stem, dot, suffix = base[:150].rpartition(".") if "." in base else (base[:150], "", "")
        candidate = f"{day}-{stem}{dot}{suffix}"
        number = 2
        while candidate.casefold() in seen:
            candidate = f"{day}-{stem}-{number}{dot}{suffix}"
            number += 1
        seen.add(candidate.casefold())
        names.append(candidate)
    return names


def _write(path: Path, data: bytes, written: list[Path]) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("xb") as fh:  # "x": never overwrite, even a file that just appeared
            written.append(path)
            fh.write(data)
    except OSError as exc:
        raise StorageError(
            _("The export could not write {path} ({reason}); nothing was exported.").format(
                path=path, reason=exc.strerror or exc
            )
        ) from exc


def _undo(written: list[Path], created: Path | None) -> None:
    """Removes what a failed export wrote, so no half export is mistaken for a whole one."""
    for path in reversed(written):
        with contextlib.suppress(OSError):
            path.unlink()
    for folder in {p.parent for p in written}:
        with contextlib.suppress(OSError):
            folder.rmdir()  # only when empty: the documents folder
    if created is not None:
        with contextlib.suppress(OSError):
            created.rmdir()
