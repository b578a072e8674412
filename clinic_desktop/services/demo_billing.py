"""The demo clinic's money, so a newcomer finds invoices, payments, cash closes and expenses
that add up: every completed demo visit with treatments is invoiced except the two most
recent (reception's next job: invoicing one is the first thing to try), the older ones in bulk
(`demo_billing_history`, built with the invoice services' own rules), the three before those
through the services as reception would (`demo_billing_desk`), with a credit note for an
invoice to the wrong buyer and another for a treatment charged by mistake, refunded. Patients
pay by cash, card, transfer or the DeUna app, some in part, some later, a few never. Every
past day's cash is closed, one with fifty cents missing and its comment; today's stays open.
Two years of expenses follow (`demo_billing_expenses`). Runs after the rest of the demo is
committed, since the services open their own transactions."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime

from clinic_desktop.actor import Actor
from clinic_desktop.db.uow import Database
from clinic_desktop.services.agenda_rules import clinic_zone
from clinic_desktop.services.demo_accounts import DEMO_ACCOUNTS
from clinic_desktop.services.demo_billing_desk import close_past_days, run_desk
from clinic_desktop.services.demo_billing_expenses import ExpenseStats, add_expenses
from clinic_desktop.services.demo_billing_history import add_history
from clinic_desktop.services.demo_billing_visits import account_actor, load_visits

# The latest visits: left for reception to invoice, and invoiced through the services.
UNBILLED = 2
AT_THE_DESK = 3


@dataclass
class BillingDemoStats:
    invoices: int = 0  # issued invoices, credit notes not counted
    credit_notes: int = 0
    payments: int = 0  # money received (refunds apart)
    refunds: int = 0
    cash_closes: int = 0
    unbilled: tuple[uuid.UUID, ...] = ()  # completed visits with treatments left to invoice
    expenses: ExpenseStats = field(default_factory=ExpenseStats)


def _username(role: str) -> str:
    return next(account.username for account in DEMO_ACCOUNTS if account.role == role)


def add_demo_billing(db: Database, *, seed: int, now: datetime) -> BillingDemoStats:
    """Adds the money side of the demo to a committed demo clinic, as of `now`."""
    stats = BillingDemoStats()
    reception = account_actor(db, _username("reception"))
    owner = account_actor(db, _username("owner"))
    system = Actor.system("demo")
    with db.uow().transaction(system) as session:
        zone = clinic_zone(session)
        visits = load_visits(session)
        unbilled = UNBILLED if len(visits) > UNBILLED + AT_THE_DESK else 0
        desk_count = min(AT_THE_DESK, len(visits) - unbilled)
        split = len(visits) - unbilled - desk_count
        history = add_history(
            session,
            actor=system,
            issuer=reception,
            visits=visits[:split],
            seed=seed,
            zone=zone,
            now=now,
        )
    desk = run_desk(
        db,
        actor=reception,
        visits=visits[split : split + desk_count],
        history=history,
        zone=zone,
        now=now,
    )
    stats.unbilled = tuple(v.appointment_id for v in visits[split + desk_count :])
    stats.invoices = len(history.invoices) + len(desk.invoices)
    stats.credit_notes = len(desk.credit_notes)
    stats.payments = history.payments + desk.payments
    stats.refunds = desk.refunds
    stats.cash_closes = close_past_days(db, actor=reception, zone=zone, now=now)
    stats.expenses = add_expenses(db, actor=owner, seed=seed, now=now, zone=zone)
    return stats
