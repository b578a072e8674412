"""`backup`, `restore`, `audit verify` and `check`: keeping the clinic's data safe from the
command line (and from scheduled tasks, which is why every outcome is an exit code and every
failure one line on stderr)."""

from __future__ import annotations

import argparse
from pathlib import Path

from clinic_desktop.cli.checks import run_checks
from clinic_desktop.cli.session import Context, cli_actor, open_database, read_recovery_key
from clinic_desktop.config import configure_logging
from clinic_desktop.db.backup import read_manifest
from clinic_desktop.errors import UserFacingError, ValidationError
from clinic_desktop.i18n import _
from clinic_desktop.services.audit import verify_audit_chain
from clinic_desktop.services.backups import make_backup, restore_backup
from clinic_desktop.services.startup import restore_on_new_pc


def add_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    backup = sub.add_parser("backup", help=_("make a verified backup now"))
    backup.add_argument(
        "--to", metavar="DIR", help=_("folder for the backup (default: the configured one)")
    )
    backup.set_defaults(handler=run_backup)

    restore = sub.add_parser(
        "restore",
        help=_("replace the clinic data with a backup"),
        description=_(
            "Verifies the backup, sets the current database aside (never deletes it) and puts "
            "the backup in its place. On a PC with no clinic yet, the backup's recovery key is "
            "needed (--recovery-key-stdin)."
        ),
    )
    restore.add_argument("file", metavar="FILE", help=_("the .cdbackup file"))
    restore.add_argument("--yes", action="store_true", help=_("do not ask for confirmation"))
    restore.add_argument(
        "--recovery-key-stdin",
        action="store_true",
        help=_("read the backup's recovery key from stdin (a backup of another clinic or PC)"),
    )
    restore.set_defaults(handler=run_restore)

    audit = sub.add_parser("audit", help=_("audit trail"))
    audit_actions = audit.add_subparsers(dest="audit_command", metavar="ACTION", required=True)
    verify = audit_actions.add_parser(
        "verify", help=_("recompute the audit trail's hash chain; exit 1 if it was altered")
    )
    verify.set_defaults(handler=run_audit_verify)

    check = sub.add_parser(
        "check",
        help=_("check database integrity, key, schema version and backups"),
        description=_("Prints one OK, WARN or FAIL line per check; exits 1 if any check fails."),
    )
    check.set_defaults(handler=run_check)


def run_backup(args: argparse.Namespace, ctx: Context) -> int:
    db = open_database(ctx.paths, ctx.console)
    try:
        folder = Path(args.to).expanduser().resolve() if args.to else None
        made = make_backup(db, actor=cli_actor(), folder=folder)
    finally:
        db.close()
    ctx.console.print(
        _("Backup made and verified: {path} ({size:.1f} MB)").format(
            path=made.path, size=made.size_bytes / 1_000_000
        )
    )
    return 0


def run_restore(args: argparse.Namespace, ctx: Context) -> int:
    backup_file = Path(args.file).expanduser().resolve()
    if not backup_file.is_file():
        raise ValidationError(
            _("Backup file: {path} does not exist.").format(path=backup_file), field="file"
        )
    manifest = read_manifest(backup_file)
    if not ctx.paths.is_initialised():
        return _restore_on_new_pc(args, ctx, backup_file)
    db = open_database(ctx.paths, ctx.console)
    try:
        recovery_key = read_recovery_key(ctx.console) if args.recovery_key_stdin else None
        question = _(
            "Replace the clinic data in {path} with the backup of {clinic} made on {date}? "
            "The current data is set aside, not deleted. [y/N]"
        ).format(
            path=ctx.paths.data_dir,
            clinic=manifest.clinic_name or "?",
            date=manifest.created_at.astimezone().strftime("%Y-%m-%d %H:%M"),
        )
        if not args.yes and not ctx.console.confirm(question):
            raise UserFacingError(_("Restore cancelled; nothing was changed."))
        result = restore_backup(
            db, actor=cli_actor(), backup_file=backup_file, recovery_key=recovery_key
        )
    finally:
        db.close()
    ctx.console.print(_("Backup restored from {path}.").format(path=result.restored_from))
    ctx.console.print(
        _("The previous database was set aside in {path}.").format(path=result.set_aside)
    )
    return 0


def _restore_on_new_pc(args: argparse.Namespace, ctx: Context, backup_file: Path) -> int:
    if not args.recovery_key_stdin:
        raise ValidationError(
            _(
                "Recovery key: there is no clinic in {path}, so the backup can only be opened "
                "with its recovery key; pass --recovery-key-stdin and give it on stdin."
            ).format(path=ctx.paths.data_dir),
            field="recovery_key",
        )
    recovery_key = read_recovery_key(ctx.console)
    db = restore_on_new_pc(ctx.paths, backup_file, recovery_key=recovery_key)
    db.close()
    configure_logging(ctx.paths)
    ctx.console.print(
        _("Backup restored from {path} into {folder}.").format(
            path=backup_file, folder=ctx.paths.data_dir
        )
    )
    return 0


def run_audit_verify(args: argparse.Namespace, ctx: Context) -> int:
    db = open_database(ctx.paths, ctx.console)
    try:
        result = verify_audit_chain(db.uow(), actor=cli_actor())
    finally:
        db.close()
    if result.ok:
        ctx.console.print(_("audit trail intact: {count} entries").format(count=result.checked))
        return 0
    ctx.console.warn(
        _("audit trail broken at entry {seq}: {reason}").format(
            seq=result.first_bad_seq, reason=result.reason
        )
    )
    return 1


def run_check(args: argparse.Namespace, ctx: Context) -> int:
    results = run_checks(ctx.paths, ctx.console)
    for result in results:
        ctx.console.print(f"{result.status:<4}  {result.name}: {result.detail}")
    return 1 if any(r.status == "FAIL" for r in results) else 0
