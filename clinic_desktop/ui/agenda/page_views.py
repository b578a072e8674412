"""Helpers of the agenda page that decide what a view shows without owning any state: the grid
for the day or week, the month's figures, the heading and summary texts, where to scroll, a
sensible start for a new appointment, the export range, and the construction of the side
panels and dialogs the page opens (written by their own modules)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from babel.dates import format_date, format_interval, format_skeleton
from PySide6.QtWidgets import QTabWidget, QWidget

from clinic_desktop.i18n import _, current_language, ngettext
from clinic_desktop.services.agenda_dto import AppointmentDTO
from clinic_desktop.ui.agenda.appointment_dialog import AppointmentDialog
from clinic_desktop.ui.agenda.cancel_dialog import CancelDialog
from clinic_desktop.ui.agenda.grid_data import (
    Grid,
    day_grid,
    to_local,
    to_utc,
    week_days,
    week_grid,
)
from clinic_desktop.ui.agenda.grid_model import GridBlock, GridShade, snap_moment
from clinic_desktop.ui.agenda.month_view import MonthDay, month_grid
from clinic_desktop.ui.agenda.slot_finder import SlotFinderDialog
from clinic_desktop.ui.agenda.waiting_room import WaitingRoomPanel
from clinic_desktop.ui.agenda.waitlist_panel import WaitlistPanel
from clinic_desktop.ui.context import UiContext

if TYPE_CHECKING:
    from clinic_desktop.ui.agenda.page import AgendaPage

WORKDAY_START = time(9)


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def heading(view: str, day: date) -> str:
    """What the toolbar says is shown: the day, the week's span or the month."""
    language = current_language()
    if view == "day":
        return _capitalised(str(format_date(day, "full", locale=language)))
    if view == "month":
        return _capitalised(str(format_skeleton("yMMMM", day, locale=language)))
    days = week_days(day)
    return _capitalised(str(format_interval(days[0], days[-1], "yMMMd", locale=language)))


def grid_for(page: AgendaPage) -> Grid:
    assert page.range is not None
    if page.view == "week":
        if page.practitioner_id is None:
            return [], [], []
        return week_grid(page.range, page.zone, page.practitioner_id)
    ids = [page.practitioner_id] if page.practitioner_id else None
    return day_grid(page.range, page.zone, by=page.columns_by, practitioner_ids=ids)


def summary(page: AgendaPage, blocks: Sequence[GridBlock]) -> str:
    count = len(blocks)
    parts = [ngettext("{count} appointment", "{count} appointments", count).format(count=count)]
    waiting = sum(1 for b in blocks if b.status == "arrived")
    if waiting and page.view == "day":
        parts.append(ngettext("{count} waiting", "{count} waiting", waiting).format(count=waiting))
    return " · ".join(parts)


def first_visible_time(page: AgendaPage, shades: Sequence[GridShade]) -> time:
    """Today: an hour before now; another day: where the working day starts."""
    now = page.now_local()
    shown = {page.day} if page.view == "day" else set(week_days(page.day))
    if now.date() in shown:
        return time(max(0, now.hour - 1))
    starts = [s.start for s in shades if s.kind == "open"]
    if starts:
        return time(max(0, min(starts).time().hour))
    return time(8)


def suggested_start(page: AgendaPage, practitioner_id: uuid.UUID | None) -> datetime:
    """For Ctrl+N: today the next slot from now; another day its first working hour."""
    now = page.now_local()
    if page.day == now.date():
        local = snap_moment(now, page.slot_minutes, "ceil")
        return to_utc(local, page.zone)
    opens = [
        start
        for schedule in (page.range.schedules if page.range else ())
        if schedule.day == page.day
        and (practitioner_id is None or schedule.practitioner_id == practitioner_id)
        for start, _end in schedule.open
    ]
    if opens:
        return min(opens)
    return to_utc(datetime.combine(page.day, WORKDAY_START), page.zone)


def show_month(page: AgendaPage) -> None:
    days = [MonthDay(d.day, d.count, dict(d.by_status), d.closed_label) for d in page.month_days]
    page.month_view.set_month(page.day.year, page.day.month, days, page.today())
    total = sum(d.count for d in page.month_days if d.day.month == page.day.month)
    page.toolbar.set_summary(
        ngettext("{count} appointment", "{count} appointments", total).format(count=total)
    )


def export_range(view: str, day: date) -> tuple[date, date]:
    if view == "month":
        inside = [d for d in month_grid(day.year, day.month) if d.month == day.month]
        return inside[0], inside[-1]
    if view == "day":
        return day, day + timedelta(days=6)
    days = week_days(day)
    return days[0], days[-1]


def local_day(appointment: AppointmentDTO, page: AgendaPage) -> date:
    return to_local(appointment.start, page.zone).date()


# -- the parts other modules provide (factories: tests may stand in for a dialog) ---------------


def side_panels(ctx: UiContext, tabs: QTabWidget) -> tuple[WaitingRoomPanel, WaitlistPanel]:
    waiting = WaitingRoomPanel(ctx, tabs)
    waitlist = WaitlistPanel(ctx, tabs)
    tabs.addTab(waiting, _("Waiting room"))
    tabs.addTab(waitlist, _("Waitlist"))
    return waiting, waitlist


def appointment_dialog(ctx: UiContext, parent: QWidget, **options: Any) -> AppointmentDialog:
    """The appointment editor (tests replace this factory to record how it was opened)."""
    return AppointmentDialog(ctx, parent=parent, **options)


def cancel_dialog(ctx: UiContext, parent: QWidget, appointment: AppointmentDTO) -> CancelDialog:
    return CancelDialog(ctx, appointment, parent=parent)


def slot_finder(
    ctx: UiContext, parent: QWidget, practitioner_id: uuid.UUID | None
) -> SlotFinderDialog:
    return SlotFinderDialog(ctx, parent, practitioner_id=practitioner_id)
