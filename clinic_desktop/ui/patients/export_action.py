"""The owner's "Export record" action on a patient (right of access): asks for a folder, writes
the patient's whole record into a new subfolder of it (readable PDF, HL7 FHIR R4 JSON bundle and
the attached documents) through the export service, and then says what was written and where.
A new subfolder, because the service refuses folders that already hold files and the folder a
person picks (Documents, a USB stick) usually does. The patients page shows the button only
with patients.export; the service decides either way."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date
from pathlib import Path

from PySide6.QtWidgets import QWidget

from clinic_desktop.i18n import _, ngettext
from clinic_desktop.services import patient_export
from clinic_desktop.services.patient_admin import get_patient
from clinic_desktop.services.patient_export import ExportResult
from clinic_desktop.ui.context import UiContext
from clinic_desktop.ui.widgets import messages, screen_kit


def export_patient_record(ctx: UiContext, parent: QWidget, patient_id: uuid.UUID) -> None:
    """Asks for a folder, then exports into a new subfolder of it."""
    base = screen_kit.choose_folder(
        parent, _("Choose where to save the patient's record"), str(Path.home())
    )
    if base:
        export_to_folder(ctx, parent, patient_id, Path(base))


def export_to_folder(
    ctx: UiContext,
    parent: QWidget,
    patient_id: uuid.UUID,
    base: Path,
    *,
    on_done: Callable[[ExportResult], None] | None = None,
) -> None:
    """The testable part: exports into a new subfolder of `base` and reports the result."""

    def work() -> ExportResult:
        patient = get_patient(ctx.uow(), actor=ctx.actor, patient_id=patient_id)
        folder = free_folder(base, patient.chart_number, date.today())
        return patient_export.export_patient_record(
            ctx.uow(), actor=ctx.actor, patient_id=patient_id, out_dir=folder
        )

    def done(result: ExportResult) -> None:
        screen_kit.inform(parent, _("Record exported"), summary(result))
        if on_done is not None:
            on_done(result)

    ctx.runner.run(
        work,
        on_done=done,
        on_error=lambda text: messages.show_error(
            parent, text, title=_("The record was not exported")
        ),
        busy_text=_("Exporting the patient's record…"),
        parent=parent,
    )


def free_folder(base: Path, chart_number: int, day: date) -> Path:
    """ "record-21-2026-03-05" in `base`, numbered if an earlier export used the name."""
    name = _("record-{chart}-{date}").format(chart=chart_number, date=day.isoformat())
    candidate = base / name
    number = 2
    while candidate.exists():
        candidate = base / f"{name}-{number}"
        number += 1
    return candidate


def summary(result: ExportResult) -> str:
    files = "\n".join(f"• {path.relative_to(result.folder)}" for path in result.paths)
    documents = ngettext(
        "{count} attached document.", "{count} attached documents.", result.documents
    ).format(count=result.documents)
    return _(
        "The record of {name} (chart {chart}) was written to:\n{folder}\n\n{files}\n\n"
        "{documents} Hand these files only to the patient or to whom they authorise."
    ).format(
        name=result.patient_name,
        chart=result.chart_number,
        folder=result.folder,
        files=files,
        documents=documents,
    )
