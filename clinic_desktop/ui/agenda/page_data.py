"""What the agenda page reads for the view it shows, in one job on the database thread: the
agenda settings (hours shown, slot step), the practitioners, and either the appointments and
working time of the day or week (everyone's, even with a filter, so the live room check sees
every booking) or the month's counts per day."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from typing import Any

from clinic_desktop.services import agenda_queries, schedules, settings
from clinic_desktop.services.agenda_dto import AgendaRange, MonthDayCount, PractitionerDTO
from clinic_desktop.ui.agenda.grid_data import week_days
from clinic_desktop.ui.agenda.month_view import month_grid
from clinic_desktop.ui.context import UiContext


@dataclass(frozen=True)
class Loaded:
    """One fetch for the view shown: made off the GUI thread, applied on it."""

    view: str
    day: date
    settings: dict[str, Any]
    practitioners: tuple[PractitionerDTO, ...]
    range: AgendaRange | None = None
    month: tuple[MonthDayCount, ...] = ()


def view_days(view: str, day: date) -> tuple[date, date]:
    """The first and last date a day, week or list view covers."""
    if view == "day":
        return day, day
    days = week_days(day)
    return days[0], days[-1]


def fetch(ctx: UiContext, view: str, day: date, practitioner_id: uuid.UUID | None) -> Loaded:
    """Everything `view` needs, read in a few service calls (runs on the DB thread)."""
    uow, actor = ctx.uow, ctx.actor
    values = settings.get_settings(uow(), actor=actor)
    if view == "month":
        grid = month_grid(day.year, day.month)
        counts = agenda_queries.month_counts(
            uow(),
            actor=actor,
            first_day=grid[0],
            last_day=grid[-1],
            practitioner_ids=[practitioner_id] if practitioner_id else None,
        )
        people = schedules.list_practitioners(uow(), actor=actor)
        return Loaded(view, day, values, tuple(people), month=tuple(counts))
    first, last = view_days(view, day)
    # The list shows cancelled ones too (with their status); the grid frees their slots.
    rng = agenda_queries.agenda_range(
        uow(), actor=actor, first_day=first, last_day=last, include_cancelled=view == "list"
    )
    return Loaded(view, day, values, rng.practitioners, range=rng)
