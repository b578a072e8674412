"""`users add|list|disable|enable|reset-password`: account administration from the command
line, for the owner or the IT administrator at the PC. Passwords come only from stdin; a
temporary password made up by the service is printed once and never logged."""

from __future__ import annotations

import argparse
from datetime import UTC, datetime

from clinic_desktop.cli.session import Context, cli_actor, open_database
from clinic_desktop.i18n import _
from clinic_desktop.services.access import ROLE_LABELS
from clinic_desktop.services.dto import UserDTO
from clinic_desktop.services.users import (
    create_user,
    find_user_id,
    list_users,
    reset_password,
    set_user_disabled,
)


def add_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    users = sub.add_parser("users", help=_("manage user accounts"))
    actions = users.add_subparsers(dest="users_command", metavar="ACTION", required=True)

    add = actions.add_parser(
        "add",
        help=_("add an account (temporary password from stdin)"),
        description=_(
            "Adds an account. Its first password is read from standard input; the user must "
            "change it at the first sign-in."
        ),
    )
    add.add_argument("--username", required=True, help=_("user name for signing in"))
    add.add_argument("--name", required=True, help=_("full name"))
    add.add_argument(
        "--role",
        dest="roles",
        action="append",
        required=True,
        choices=list(ROLE_LABELS),
        help=_("a role; repeat for several"),
    )
    add.add_argument("--email", help=_("e-mail address"))
    add.set_defaults(handler=run_add)

    listing = actions.add_parser("list", help=_("list the accounts"))
    listing.set_defaults(handler=run_list)

    for name, disabled, text in (
        ("disable", True, _("disable an account (it can no longer sign in)")),
        ("enable", False, _("enable an account again")),
    ):
        toggle = actions.add_parser(name, help=text)
        toggle.add_argument("username", metavar="USERNAME")
        toggle.set_defaults(handler=run_set_disabled, disabled=disabled)

    reset = actions.add_parser(
        "reset-password",
        help=_("set a temporary password the user must change"),
        description=_(
            "Sets a temporary password and unlocks the account. Without --stdin a password is "
            "made up and printed once."
        ),
    )
    reset.add_argument("username", metavar="USERNAME")
    reset.add_argument(
        "--stdin", action="store_true", help=_("read the temporary password from stdin")
    )
    reset.set_defaults(handler=run_reset_password)


def run_add(args: argparse.Namespace, ctx: Context) -> int:
    db = open_database(ctx.paths, ctx.console)
    try:
        password = ctx.console.read_new_password(field="password")
        user = create_user(
            db.uow(),
            actor=cli_actor(),
            username=args.username,
            full_name=args.name,
            roles=args.roles,
            password=password,
            email=args.email,
        )
    finally:
        db.close()
    ctx.console.print(
        _("User {username} added; the password must be changed at the first sign-in.").format(
            username=user.username
        )
    )
    return 0


def run_list(args: argparse.Namespace, ctx: Context) -> int:
    db = open_database(ctx.paths, ctx.console)
    try:
        users = list_users(db.uow(), actor=cli_actor())
    finally:
        db.close()
    header = (_("User name"), _("Name"), _("Roles"), _("Status"), _("Last sign-in"))
    rows = [header] + [
        (u.username, u.full_name, ", ".join(u.roles), _status(u), _when(u.last_sign_in_at))
        for u in users
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    for row in rows:
        line = "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True))
        ctx.console.print(line.rstrip())
    return 0


def _status(user: UserDTO) -> str:
    if user.disabled:
        return _("disabled")
    if user.locked_until is not None:
        return _("locked until {time}").format(time=_when(user.locked_until))
    if user.must_change_password:
        return _("active (temporary password)")
    return _("active")


def _when(moment: datetime | None) -> str:
    if moment is None:
        return _("never")
    # Shown in this PC's local time: the person reading the table is sitting at it.
    return moment.replace(tzinfo=moment.tzinfo or UTC).astimezone().strftime("%Y-%m-%d %H:%M")


def run_set_disabled(args: argparse.Namespace, ctx: Context) -> int:
    db = open_database(ctx.paths, ctx.console)
    try:
        actor = cli_actor()
        user_id = find_user_id(db.uow(), actor=actor, username=args.username)
        user = set_user_disabled(db.uow(), actor=actor, user_id=user_id, disabled=args.disabled)
    finally:
        db.close()
    message = _("User {username} disabled.") if user.disabled else _("User {username} enabled.")
    ctx.console.print(message.format(username=user.username))
    return 0


def run_reset_password(args: argparse.Namespace, ctx: Context) -> int:
    db = open_database(ctx.paths, ctx.console)
    try:
        actor = cli_actor()
        user_id = find_user_id(db.uow(), actor=actor, username=args.username)
        given = ctx.console.read_new_password(field="password") if args.stdin else None
        temporary = reset_password(db.uow(), actor=actor, user_id=user_id, new_password=given)
    finally:
        db.close()
    if given is None:
        ctx.console.print(
            _("Temporary password for {username}: {password}").format(
                username=args.username.strip().lower(), password=temporary
            )
        )
        ctx.console.print(_("It is shown only now; the user must change it at the next sign-in."))
    else:
        ctx.console.print(
            _("Password of {username} reset; it must be changed at the next sign-in.").format(
                username=args.username.strip().lower()
            )
        )
    return 0
