"""`init` and `demo`: creating a clinic from the command line. `init` takes every field of the
setup wizard as an option and the owner's password from stdin; both print the recovery key,
the one thing that opens the data if this PC's keychain is lost."""

from __future__ import annotations

import argparse

from clinic_desktop.cli.session import Context
from clinic_desktop.config import configure_logging
from clinic_desktop.i18n import LANGUAGES, _
from clinic_desktop.services.access import role_label
from clinic_desktop.services.demo import DEMO_ACCOUNTS, DEMO_PASSWORD, create_demo_clinic
from clinic_desktop.services.startup import COUNTRY_DEFAULTS, ClinicSetup, create_clinic


def add_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    init = sub.add_parser(
        "init",
        help=_("create a clinic without questions (owner password from stdin)"),
        description=_(
            "Creates a clinic in the data folder. The owner's password is read from standard "
            "input; the recovery key is printed once at the end."
        ),
    )
    init.add_argument("--name", required=True, help=_("clinic name"))
    init.add_argument(
        "--country",
        required=True,
        type=str.upper,
        choices=sorted(COUNTRY_DEFAULTS),
        help=_("EC (Ecuador) or ES (Spain)"),
    )
    init.add_argument("--tax-id", required=True, help=_("the clinic's RUC, NIF or CIF"))
    init.add_argument("--address", default="", help=_("postal address"))
    init.add_argument("--timezone", help=_("time zone (default: the country's)"))
    init.add_argument("--currency", help=_("USD or EUR (default: the country's)"))
    init.add_argument(
        "--establishment", default="001", help=_("invoice establishment code (default 001)")
    )
    init.add_argument(
        "--emission-point", default="001", help=_("invoice emission point code (default 001)")
    )
    init.add_argument("--owner-username", required=True, help=_("the owner's user name"))
    init.add_argument("--owner-name", required=True, help=_("the owner's full name"))
    init.add_argument("--owner-email", help=_("the owner's e-mail"))
    init.add_argument(
        "--language", choices=sorted(LANGUAGES), help=_("the clinic's language (default: --lang)")
    )
    init.set_defaults(handler=run_init)

    demo = sub.add_parser(
        "demo",
        help=_("create a demo clinic with sample users and patients"),
        description=_("Creates a demo clinic with sample accounts of every role."),
    )
    demo.add_argument(
        "--patients", type=_non_negative, default=200, help=_("generated patients (default 200)")
    )
    demo.add_argument("--seed", type=int, default=1, help=_("random seed (default 1)"))
    demo.set_defaults(handler=run_demo)


def _non_negative(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = -1
    if value < 0:
        raise argparse.ArgumentTypeError(_("a whole number, 0 or more"))
    return value


def run_init(args: argparse.Namespace, ctx: Context) -> int:
    defaults = COUNTRY_DEFAULTS[args.country]
    password = ctx.console.read_new_password(field="owner_password")
    setup = ClinicSetup(
        name=args.name,
        country=args.country,
        tax_id=args.tax_id,
        address=args.address,
        timezone=args.timezone or defaults["timezone"],
        currency=args.currency or defaults["currency"],
        establishment_code=args.establishment,
        emission_point_code=args.emission_point,
        owner_username=args.owner_username,
        owner_full_name=args.owner_name,
        owner_password=password,
        owner_email=args.owner_email,
        language=args.language or ctx.language,
    )
    created = create_clinic(ctx.paths, setup)
    try:
        configure_logging(ctx.paths)
        for warning in created.tax_id_warnings:
            ctx.console.warn(_("Warning: {message}").format(message=warning))
        ctx.console.print(_("Clinic created in {path}.").format(path=ctx.paths.data_dir))
        _print_recovery_key(ctx, created.recovery_key)
    finally:
        created.db.close()
    return 0


def run_demo(args: argparse.Namespace, ctx: Context) -> int:
    created = create_demo_clinic(
        ctx.paths, patients=args.patients, seed=args.seed, language=ctx.language
    )
    try:
        configure_logging(ctx.paths)
        ctx.console.print(
            _("Demo clinic created in {path} with {count} patients.").format(
                path=ctx.paths.data_dir, count=args.patients
            )
        )
        ctx.console.print()
        ctx.console.print(
            _("Sample accounts (all with the password {password}):").format(password=DEMO_PASSWORD)
        )
        width = max(len(a.username) for a in DEMO_ACCOUNTS)
        for account in DEMO_ACCOUNTS:
            ctx.console.print(
                f"  {account.username:<{width}}  {role_label(account.role):<18}  "
                f"{account.full_name}"
            )
        _print_recovery_key(ctx, created.recovery_key)
    finally:
        created.db.close()
    return 0


def _print_recovery_key(ctx: Context, recovery_key: str) -> None:
    ctx.console.print()
    ctx.console.print(_("Recovery key: {key}").format(key=recovery_key))
    ctx.console.print(
        _(
            "Write it down or print it and keep it somewhere safe, away from this computer. "
            "It is shown only now. Without it the data cannot be opened if this computer's "
            "keychain is lost; anyone who has it and a copy of the data can read the data."
        )
    )
