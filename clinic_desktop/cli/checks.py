"""The health checks behind `clinic-desktop check`: key availability, database integrity,
schema version and the last verified backup. Unlike the other commands it does not upgrade
an old schema: a check reports, it does not change the database."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from alembic.script import ScriptDirectory
from alembic.util.exc import CommandError

from clinic_desktop.cli.console import Console
from clinic_desktop.cli.session import Unlocked, cli_actor, require_clinic, unlock_key
from clinic_desktop.config import AppPaths
from clinic_desktop.db import migrate
from clinic_desktop.db.engine import connect_raw, create_clinic_engine, integrity_problems
from clinic_desktop.db.uow import Database
from clinic_desktop.errors import KeyUnavailable, UserFacingError
from clinic_desktop.i18n import _
from clinic_desktop.services import startup
from clinic_desktop.services.backups import OVERDUE_AFTER, backup_status


@dataclass(frozen=True)
class CheckResult:
    status: str  # OK, WARN or FAIL: fixed words, so scripts can grep them in any language
    name: str
    detail: str


def run_checks(paths: AppPaths, console: Console) -> list[CheckResult]:
    require_clinic(paths)
    try:
        unlocked = unlock_key(paths, console)
    except UserFacingError as exc:
        return [CheckResult("FAIL", _("key"), exc.message)]
    results = [_key_result(paths, unlocked), _integrity_result(paths, unlocked.data_key)]
    engine = create_clinic_engine(paths.database, unlocked.data_key, pool_size=1)
    try:
        schema, at_head = _schema_result(migrate.current_revision(engine))
        results.append(schema)
        if at_head:
            db = Database(engine=engine, paths=paths, data_key=unlocked.data_key)
            results.append(_backup_result(db))
        else:
            results.append(
                CheckResult(
                    "WARN", _("backup"), _("not checked until the database schema is upgraded")
                )
            )
    finally:
        engine.dispose()
    return results


def _key_result(paths: AppPaths, unlocked: Unlocked) -> CheckResult:
    if unlocked.via == "keyring":
        return CheckResult("OK", _("key"), _("unlocked with this computer's keychain"))
    try:
        startup.unlock(paths)
        again = _("it is saved in the keychain again")
    except KeyUnavailable:
        again = _("the recovery key will be needed again next time")
    return CheckResult(
        "WARN",
        _("key"),
        _(
            "the keychain could not provide it ({reason}); opened with the recovery key, {again}"
        ).format(reason=unlocked.keyring_problem.rstrip("."), again=again),
    )


def _integrity_result(paths: AppPaths, data_key: bytes) -> CheckResult:
    try:
        conn = connect_raw(paths.database, data_key)
        try:
            problems = integrity_problems(conn)
        finally:
            conn.close()
    except UserFacingError as exc:
        return CheckResult("FAIL", _("integrity"), exc.message)
    if problems:
        return CheckResult(
            "FAIL",
            _("integrity"),
            _("{count} problems, first: {problem}").format(
                count=len(problems), problem=problems[0]
            ),
        )
    return CheckResult("OK", _("integrity"), _("the database file is intact"))


def _schema_result(current: str | None) -> tuple[CheckResult, bool]:
    head = migrate.head_revision()
    name = _("schema")
    if current == head:
        return CheckResult("OK", name, _("revision {rev} (current)").format(rev=head)), True
    try:
        known = (
            current is not None
            and ScriptDirectory(str(migrate.MIGRATIONS_DIR)).get_revision(current) is not None
        )
    except CommandError:
        known = False
    if not known:
        return CheckResult(
            "FAIL",
            name,
            _("revision {rev} is unknown to this version of clinic-desktop").format(rev=current),
        ), False
    return CheckResult(
        "WARN",
        name,
        _(
            "revision {rev}, this version uses {head}: it is upgraded (after a backup) at the "
            "next start"
        ).format(rev=current, head=head),
    ), False


def _backup_result(db: Database) -> CheckResult:
    status = backup_status(db.uow(), actor=cli_actor())
    name = _("backup")
    if status.last_verified_at is None:
        return CheckResult("WARN", name, _("no verified backup yet; run `clinic-desktop backup`"))
    when = status.last_verified_at.astimezone().strftime("%Y-%m-%d %H:%M")
    if status.last_path and not Path(status.last_path).exists():
        return CheckResult(
            "WARN",
            name,
            _("last verified backup {time}, but its file {path} is gone").format(
                time=when, path=status.last_path
            ),
        )
    if status.is_overdue:
        return CheckResult(
            "WARN",
            name,
            _("last verified backup {time} is more than {hours} hours old").format(
                time=when, hours=int(OVERDUE_AFTER.total_seconds() // 3600)
            ),
        )
    return CheckResult(
        "OK",
        name,
        _("last verified backup {time}: {path}").format(time=when, path=status.last_path),
    )
