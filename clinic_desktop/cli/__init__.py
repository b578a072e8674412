"""The `clinic-desktop` command. Without a subcommand it starts the GUI; the subcommands
(init, demo, users, backup, restore, audit verify, check, agenda export, patients export)
administer a clinic without it. Exit codes: 0 success, 1 failure with one line on stderr, 2
usage error. Passwords and recovery keys are read from stdin only, never taken as arguments, so
they stay out of shell history, process lists, logs and the audit trail. Qt is imported only
when the GUI starts."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from clinic_desktop import __version__
from clinic_desktop.cli.console import Console
from clinic_desktop.config import AppPaths, configure_logging
from clinic_desktop.errors import UserFacingError
from clinic_desktop.i18n import DEFAULT_LANGUAGE, LANGUAGES, _, set_language

if TYPE_CHECKING:
    from clinic_desktop.cli.session import Context

LANG_ENV = "CLINIC_DESKTOP_LANG"

log = logging.getLogger(__name__)

Handler = Callable[[argparse.Namespace, "Context"], int]


def _global_parser(*, add_help: bool) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="clinic-desktop",
        add_help=add_help,
        description=_(
            "Runs a small medical or dental clinic. Without a command, starts the application."
        ),
    )
    parser.add_argument(
        "--data-dir",
        metavar="DIR",
        help=_(
            "the clinic's data folder (default: per-user data folder or $CLINIC_DESKTOP_DATA_DIR)"
        ),
    )
    parser.add_argument(
        "--lang",
        choices=sorted(LANGUAGES),
        help=_("language of messages (default: $CLINIC_DESKTOP_LANG or es)"),
    )
    parser.add_argument("--version", action="version", version=f"clinic-desktop {__version__}")
    return parser


def build_parser() -> argparse.ArgumentParser:
    # The admin commands load the database layer; imported only when a command is given, so
    # starting the app does not wait for them before its first window.
    from clinic_desktop.cli import (
        commands_agenda,
        commands_maintenance,
        commands_patients,
        commands_setup,
        commands_users,
    )

    parser = _global_parser(add_help=True)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    commands_setup.add_parsers(sub)
    commands_users.add_parsers(sub)
    commands_maintenance.add_parsers(sub)
    commands_agenda.add_parsers(sub)
    commands_patients.add_parsers(sub)
    return parser


def _language(argv: Sequence[str]) -> str:
    """The language is needed before parsing, so that --help and usage errors use it too."""
    chosen = os.environ.get(LANG_ENV, "")
    for index, arg in enumerate(argv):
        if arg == "--lang" and index + 1 < len(argv):
            chosen = argv[index + 1]
        elif arg.startswith("--lang="):
            chosen = arg.split("=", 1)[1]
    return chosen if chosen in LANGUAGES else DEFAULT_LANGUAGE


def main(argv: list[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    language = _language(args_list)
    set_language(language)
    try:
        known, rest = _global_parser(add_help=False).parse_known_args(args_list)
        # A command (or --help) needs the full parser with every subcommand.
        args = build_parser().parse_args(args_list) if rest else known
    except SystemExit as exc:  # argparse exits 2 on usage errors, 0 after --help/--version
        return exc.code if isinstance(exc.code, int) else 2
    paths = AppPaths.resolve(args.data_dir)
    handler: Handler | None = getattr(args, "handler", None)
    if handler is None:
        return _start_gui(paths)
    from clinic_desktop.cli.session import Context

    ctx = Context(paths=paths, console=Console(), language=language)
    root = logging.getLogger()
    saved_handlers, saved_level = list(root.handlers), root.level
    try:
        # A clinic that does not exist yet gets no log folder: `init` with bad input must
        # leave the disk untouched. Commands that create one configure logging themselves.
        if paths.is_initialised():
            configure_logging(paths)
        return handler(args, ctx)
    except UserFacingError as exc:
        ctx.console.warn(_one_line(exc.message))
        return 1
    except KeyboardInterrupt:
        ctx.console.warn(_("Interrupted; nothing more was done."))
        return 1
    except Exception:
        return _unexpected(paths, ctx.console)
    finally:
        # main() also runs in-process (tests, the GUI); leave the root logger as it was.
        for added in [h for h in root.handlers if h not in saved_handlers]:
            root.removeHandler(added)
            added.close()
        root.setLevel(saved_level)


def _start_gui(paths: AppPaths) -> int:
    console = Console()
    try:
        configure_logging(paths)
        # Imported here so the admin commands never load Qt.
        from clinic_desktop.app import run_gui

        return int(run_gui(paths))
    except UserFacingError as exc:
        console.warn(_one_line(exc.message))
        return 1
    except Exception:
        return _unexpected(paths, console)


def _one_line(message: str) -> str:
    return " ".join(message.split())


def _unexpected(paths: AppPaths, console: Console) -> int:
    try:
        configure_logging(paths)
        log.exception("clinic-desktop command failed")
        where = str(paths.log_file)
    except Exception:  # even the log folder may be unwritable (full or read-only disk)
        where = ""
    if where:
        console.warn(
            _("Sorry, something went wrong. The details were written to {path}.").format(path=where)
        )
    else:
        console.warn(_("Sorry, something went wrong, and the details could not be logged."))
    return 1
