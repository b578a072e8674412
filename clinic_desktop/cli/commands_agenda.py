"""`agenda export`: a practitioner's appointments for a date range as an iCalendar file
(RFC 5545) that calendar apps import, without starting the GUI. The practitioner is named by
their user name (or their exact name when they have no account); dates are ISO (YYYY-MM-DD).
The file is written next to its destination and renamed into place, so a half-written
calendar never replaces a good one. Exit codes as every command: 0, 1 with one line, 2."""

from __future__ import annotations

import argparse
import contextlib
import os
from datetime import date
from pathlib import Path

from clinic_desktop.cli.session import Context, cli_actor, open_database
from clinic_desktop.errors import ValidationError
from clinic_desktop.i18n import _, ngettext
from clinic_desktop.services.agenda_export import find_practitioner, practitioner_ics
from clinic_desktop.services.schedules import list_practitioners


def add_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    agenda = sub.add_parser("agenda", help=_("the agenda: export a practitioner's appointments"))
    actions = agenda.add_subparsers(dest="agenda_command", metavar="ACTION", required=True)
    export = actions.add_parser(
        "export",
        help=_("write a practitioner's appointments to an iCalendar (.ics) file"),
        description=_(
            "Writes the appointments of one practitioner between two dates (both included) "
            "to an iCalendar file that calendar applications can import."
        ),
    )
    export.add_argument(
        "--practitioner",
        required=True,
        metavar="USERNAME",
        help=_("the practitioner's user name (or exact name, for one without an account)"),
    )
    export.add_argument(
        "--from",
        dest="first_day",
        required=True,
        type=iso_date,
        metavar="DATE",
        help=_("first day, as YYYY-MM-DD"),
    )
    export.add_argument(
        "--to",
        dest="last_day",
        required=True,
        type=iso_date,
        metavar="DATE",
        help=_("last day, as YYYY-MM-DD"),
    )
    export.add_argument("--out", required=True, metavar="FILE.ics", help=_("the file to write"))
    export.set_defaults(handler=run_export)


def iso_date(text: str) -> date:
    """An argparse type: a bad date is a usage error (exit 2) that says what is expected."""
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(
            _("'{value}' is not a date; write it as YYYY-MM-DD, for example 2026-03-31").format(
                value=text
            )
        ) from None


def _output_path(text: str) -> Path:
    path = Path(text).expanduser().resolve()
    if path.is_dir():
        raise ValidationError(
            _("Output file: {path} is a folder; give a file name.").format(path=path), field="out"
        )
    if not path.parent.is_dir():
        raise ValidationError(
            _("Output file: the folder {path} does not exist.").format(path=path.parent),
            field="out",
        )
    return path


def write_atomically(path: Path, data: bytes) -> None:
    """Writes to a temporary file beside `path`, flushes it to disk and renames it over."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with temporary.open("wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            temporary.unlink()
        raise


def run_export(args: argparse.Namespace, ctx: Context) -> int:
    first, last = args.first_day, args.last_day
    if last < first:
        raise ValidationError(_("To: it must not be before the 'from' date."), field="to")
    out = _output_path(args.out)
    db = open_database(ctx.paths, ctx.console)
    try:
        actor = cli_actor()
        practitioner_id = find_practitioner(db.uow(), actor=actor, username=args.practitioner)
        data = practitioner_ics(
            db.uow(), actor=actor, practitioner_id=practitioner_id, first_day=first, last_day=last
        )
        name = next(
            p.display_name
            for p in list_practitioners(db.uow(), actor=actor, include_inactive=True)
            if p.id == practitioner_id
        )
    finally:
        db.close()
    try:
        write_atomically(out, data)
    except OSError as exc:
        raise ValidationError(
            _("Output file: {path} cannot be written ({reason}).").format(
                path=out, reason=exc.strerror or exc
            ),
            field="out",
        ) from exc
    count = data.count(b"BEGIN:VEVENT")
    ctx.console.print(
        ngettext(
            "Exported {count} appointment of {name} ({first} to {last}) to {path}.",
            "Exported {count} appointments of {name} ({first} to {last}) to {path}.",
            count,
        ).format(count=count, name=name, first=first, last=last, path=out)
    )
    return 0
