"""`patients export`: a patient's whole record for a right-of-access request, without starting
the GUI: the readable PDF, the HL7 FHIR R4 JSON bundle and the attached documents, written to a
new or empty folder. Like every command it runs as the system actor `cli:<os user>` (whoever
runs it holds the clinic key on this PC) and the export is audited under that name. Exit codes
as every command: 0, 1 with one line, 2 for usage errors."""

from __future__ import annotations

import argparse
from pathlib import Path

from clinic_desktop.cli.session import Context, cli_actor, open_database
from clinic_desktop.i18n import _, ngettext
from clinic_desktop.services.patient_export import check_export_folder, export_patient_record


def add_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    patients = sub.add_parser("patients", help=_("patients: export a patient's whole record"))
    actions = patients.add_subparsers(dest="patients_command", metavar="ACTION", required=True)
    export = actions.add_parser(
        "export",
        help=_("write a patient's whole record (PDF, FHIR R4 JSON and documents) to a folder"),
        description=_(
            "Writes everything the clinic holds about one patient, for a right-of-access "
            "request: a readable PDF, an HL7 FHIR R4 JSON bundle and every attached document. "
            "The folder must be new or empty."
        ),
    )
    export.add_argument(
        "--chart",
        required=True,
        type=chart_number,
        metavar="NUMBER",
        help=_("the patient's chart number"),
    )
    export.add_argument(
        "--out", required=True, metavar="DIR", help=_("a new or empty folder to write to")
    )
    export.set_defaults(handler=run_export)


def chart_number(text: str) -> int:
    """An argparse type: a chart number is a positive whole number (exit 2 otherwise)."""
    try:
        number = int(text.strip())
    except ValueError:
        number = 0
    if number <= 0:
        raise argparse.ArgumentTypeError(
            _("'{value}' is not a chart number; write it as a whole number, for example 21").format(
                value=text
            )
        )
    return number


def run_export(args: argparse.Namespace, ctx: Context) -> int:
    # Checked before unlocking, so a wrong folder costs no recovery-key prompt.
    folder = check_export_folder(Path(args.out))
    db = open_database(ctx.paths, ctx.console)
    try:
        result = export_patient_record(
            db.uow(), actor=cli_actor(), chart_number=args.chart, out_dir=folder
        )
    finally:
        db.close()
    ctx.console.print(
        _("Exported the record of {name} (chart {chart}) to {folder}:").format(
            name=result.patient_name, chart=result.chart_number, folder=result.folder
        )
    )
    for path in result.paths:
        ctx.console.print(f"  {path}")
    ctx.console.print(
        ngettext(
            "{count} file written, {documents} of them attached documents.",
            "{count} files written, {documents} of them attached documents.",
            len(result.paths),
        ).format(count=len(result.paths), documents=result.documents)
    )
    return 0
