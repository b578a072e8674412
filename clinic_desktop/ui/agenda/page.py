"""The agenda screen, reception's main screen and each doctor's plan for the day: a toolbar to
move through days, weeks and months; the day view (a column per practitioner or per room),
one practitioner's week, the month with counts per day, and a list; a collapsible side panel
with the waiting room and the waitlist. Gestures on the grid become service calls (book, move,
resize, change status, cancel) through the runner; the services decide, and the page shows
their refusals in a banner and reloads. It reloads by itself, debounced, whenever the
appointments, schedules, waitlist or settings change anywhere (another window, another PC)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QSplitter,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from clinic_desktop.i18n import _
from clinic_desktop.services.agenda_dto import (
    AgendaRange,
    AppointmentDTO,
    MonthDayCount,
    PractitionerDTO,
)
from clinic_desktop.ui.agenda import page_views
from clinic_desktop.ui.agenda.agenda_files import AgendaFiles
from clinic_desktop.ui.agenda.grid_data import ConflictFinder, to_local
from clinic_desktop.ui.agenda.list_view import AgendaListView
from clinic_desktop.ui.agenda.month_view import MonthView
from clinic_desktop.ui.agenda.page_actions import AgendaActions
from clinic_desktop.ui.agenda.page_data import Loaded, fetch
from clinic_desktop.ui.agenda.page_gestures import GridGestures
from clinic_desktop.ui.agenda.page_moves import AppointmentChanges
from clinic_desktop.ui.agenda.time_grid import TimeGridView
from clinic_desktop.ui.agenda.toolbar import AgendaToolbar
from clinic_desktop.ui.context import UiContext
from clinic_desktop.ui.widgets.screen_kit import MessageBanner

SIDE_PANEL_WIDTH = 320
MAX_DEFERRALS = 50  # reloads put off while a mouse button is held: 5 s at 100 ms


def no_practitioners_text() -> str:
    return _(
        "There are no practitioners yet, so the agenda is empty. Someone who manages "
        "schedules can add them with their working hours."
    )


class AgendaPage(QWidget):
    RELOAD_DELAY_MS = 100  # a burst of events (a series booked, a sync) reloads once
    NOW_INTERVAL_MS = 60_000

    loaded = Signal()  # after each load is shown (tests and screenshots wait on it)

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("AgendaPage")
        self.setWindowTitle(self.title())
        self.ctx = ctx
        self.zone = ZoneInfo(ctx.clinic.timezone)
        self.clock: Callable[[], datetime] = lambda: datetime.now(UTC)
        self.day = self.today()
        self.view = "day"
        self.columns_by = "practitioner"
        self.practitioner_id: uuid.UUID | None = None
        self.practitioners: tuple[PractitionerDTO, ...] = ()
        self.range: AgendaRange | None = None
        self.month_days: tuple[MonthDayCount, ...] = ()
        self.finder: ConflictFinder | None = None
        self.slot_minutes = 15
        self._own_checked = False
        self._generation = 0
        self._scrolled_for: tuple[str, date] | None = None
        self._panel_before_week = True
        self._deferred = 0

        self.toolbar = AgendaToolbar(self)
        self.toolbar.set_can_book(ctx.can("agenda.book"))
        self.banner = MessageBanner("AgendaMessage", self)
        self.grid = TimeGridView(self)
        self.month_view = MonthView(self)
        self.list_view = AgendaListView(self.zone, self)
        self.stack = QStackedWidget(self)
        self.stack.setObjectName("AgendaViews")
        for widget in (self.grid, self.month_view, self.list_view):
            self.stack.addWidget(widget)
        self.side_panel = QTabWidget(self)
        self.side_panel.setObjectName("AgendaSidePanel")
        self.waiting_room, self.waitlist = page_views.side_panels(ctx, self.side_panel)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setObjectName("AgendaSplitter")
        self.splitter.addWidget(self.stack)
        self.splitter.addWidget(self.side_panel)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 0)
        self.splitter.setCollapsible(0, False)
        self.splitter.setSizes([1000, SIDE_PANEL_WIDTH])
        body = QVBoxLayout()
        body.setContentsMargins(16, 0, 16, 12)
        body.addWidget(self.banner)
        body.addWidget(self.splitter, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.toolbar)
        layout.addLayout(body, 1)

        self.files = AgendaFiles(ctx, self, show_error=self.show_error, show_info=self.show_info)
        self.changes = AppointmentChanges(ctx, self, show_error=self.show_error, reload=self.reload)
        self.dialogs = AgendaActions(self)
        self.gestures = GridGestures(self, self.grid)
        self._reload_timer = QTimer(self)
        self._reload_timer.setSingleShot(True)
        self._reload_timer.setInterval(self.RELOAD_DELAY_MS)
        self._reload_timer.timeout.connect(self._on_reload_timer_timeout)
        self._now_timer = QTimer(self)
        self._now_timer.setInterval(self.NOW_INTERVAL_MS)
        self._now_timer.timeout.connect(self._on_now_timer_timeout)
        self._now_timer.start()
        self._connect()
        self._update_toolbar()

    def title(self) -> str:
        return _("Agenda")

    def _connect(self) -> None:
        bar, dialogs = self.toolbar, self.dialogs
        bar.today_clicked.connect(self.go_today)
        bar.previous_clicked.connect(lambda: self.step(-1))
        bar.next_clicked.connect(lambda: self.step(1))
        bar.date_chosen.connect(self.go_to)
        bar.view_chosen.connect(self.set_view)
        bar.columns_chosen.connect(self.set_columns)
        bar.practitioner_chosen.connect(self.set_practitioner)
        bar.new_clicked.connect(lambda: dialogs.new_appointment())
        bar.find_slot_clicked.connect(dialogs.find_slot)
        bar.print_clicked.connect(lambda: dialogs.print_day())
        bar.export_clicked.connect(dialogs.export_ics)
        bar.panel_toggled.connect(self.side_panel.setVisible)
        self.month_view.day_activated.connect(self._on_month_day_activated)
        self.list_view.appointment_activated.connect(dialogs.edit_appointment)
        self.list_view.appointment_context_requested.connect(dialogs.popup_appointment_menu)
        bridge = self.ctx.bridge
        for signal in (
            bridge.appointments_changed,
            bridge.schedule_changed,
            bridge.waitlist_changed,
            bridge.settings_changed,
        ):
            signal.connect(self._on_bridge_changed)
        shortcuts: list[tuple[str, Callable[[], object]]] = [
            ("T", self.go_today),
            ("Ctrl+T", self.go_today),
            ("Alt+Left", lambda: self.step(-1)),
            ("Alt+Right", lambda: self.step(1)),
            ("PgUp", lambda: self.step(-1)),
            ("PgDown", lambda: self.step(1)),
            ("Ctrl+N", lambda: dialogs.new_appointment()),
        ]
        for keys, slot in shortcuts:
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(slot)

    # -- where we are -------------------------------------------------------------------------

    def now_local(self) -> datetime:
        return to_local(self.clock(), self.zone)

    def today(self) -> date:
        return self.now_local().date()

    def go_to(self, day: date) -> None:
        if day != self.day:
            self.banner.clear_message()  # a refusal about another day no longer applies
        self.day = day
        self.reload()

    def go_today(self) -> None:
        self.go_to(self.today())

    def step(self, direction: int) -> None:
        """One day, week or month back (-1) or forward (1)."""
        if self.view == "month":
            month = self.day.month - 1 + direction
            self.go_to(date(self.day.year + month // 12, month % 12 + 1, 1))
        else:
            self.go_to(self.day + timedelta(days=direction * (1 if self.view == "day" else 7)))

    def set_view(self, view: str) -> None:
        if view == self.view:
            return
        panel = self.toolbar.panel_button
        # Seven day columns need the width: the side panel steps aside for the week.
        if view == "week":
            self._panel_before_week = panel.isChecked()
            panel.setChecked(False)
        elif self.view == "week":
            panel.setChecked(self._panel_before_week)
        self.view = view
        if view == "week" and self.practitioner_id is None:
            self.practitioner_id = self.default_practitioner()
            self._filter_waiting_room()
        self.reload()

    def set_columns(self, by: str) -> None:
        self.columns_by = by
        self._show()

    def set_practitioner(self, practitioner_id: uuid.UUID | None) -> None:
        if practitioner_id is None and self.view == "week":
            practitioner_id = self.default_practitioner()
        self.practitioner_id = practitioner_id
        self._filter_waiting_room()
        if self.view == "month":
            self.reload()  # the counts are filtered by the service
        else:
            self._show()

    def _filter_waiting_room(self) -> None:
        chosen = self.practitioner_id
        self.waiting_room.set_practitioners([chosen] if chosen else None)

    def default_practitioner(self) -> uuid.UUID | None:
        own = self.own_practitioner()
        if own is not None:
            return own.id
        return self.practitioners[0].id if self.practitioners else None

    def own_practitioner(self) -> PractitionerDTO | None:
        user_id = self.ctx.user.id
        return next((p for p in self.practitioners if p.user_id == user_id), None)

    def shown_practitioners(self) -> list[PractitionerDTO]:
        if self.practitioner_id is None:
            return list(self.practitioners)
        return [p for p in self.practitioners if p.id == self.practitioner_id]

    def layout_kind(self) -> str:
        """How grid columns map to appointments: "practitioner", "room" or "week"."""
        return "week" if self.view == "week" else self.columns_by

    def appointment(self, key: str | None) -> AppointmentDTO | None:
        return self.finder.appointment(key) if self.finder else None

    # -- loading ------------------------------------------------------------------------------

    def refresh(self) -> None:
        """Reloads the view and the side panels (the shell calls it when the page is shown)."""
        self.reload()
        self.waiting_room.refresh()
        self.waitlist.refresh()

    def reload(self) -> None:
        self._reload_timer.stop()
        self._deferred = 0
        self._generation += 1
        generation, view, day, pid, ctx = (
            self._generation, self.view, self.day, self.practitioner_id, self.ctx,
        )  # fmt: skip
        self._update_toolbar()
        ctx.runner.run(
            lambda: fetch(ctx, view, day, pid),
            on_done=lambda data: self._on_loaded(generation, data),
            on_error=self.show_error,
        )

    def _on_bridge_changed(self, _event: object) -> None:
        self._reload_timer.start()

    def _on_reload_timer_timeout(self) -> None:
        # New data would cancel a drag in progress (someone else's change, or a sync): wait
        # for the button's release, but not for ever (a lost release must not freeze the view).
        held = QApplication.mouseButtons() != Qt.MouseButton.NoButton
        if held and self._deferred < MAX_DEFERRALS:
            self._deferred += 1
            self._reload_timer.start()
            return
        self.reload()

    def _on_loaded(self, generation: int, data: Loaded) -> None:
        if generation != self._generation:
            return  # a newer request is on its way; this one shows an old state
        self.practitioners = data.practitioners
        if not self._own_checked:
            # Doctors open on their own day; reception and the owner on everyone's.
            self._own_checked = True
            own = self.own_practitioner()
            if own is not None and self.practitioner_id is None:
                self.practitioner_id = own.id
                self._filter_waiting_room()
        if self.practitioner_id not in {p.id for p in self.practitioners}:
            self.practitioner_id = None
        if self.view == "week" and self.practitioner_id is None:
            self.practitioner_id = self.default_practitioner()
        values = data.settings
        first = int(values.get("agenda.day_start_hour", 7))
        last = max(int(values.get("agenda.day_end_hour", 21)), first + 1)
        self.slot_minutes = int(values.get("agenda.slot_minutes", 15))
        self.grid.set_range(first, last, self.slot_minutes)
        self.range = data.range
        self.finder = ConflictFinder(data.range, self.zone) if data.range else None
        self.month_days = data.month
        self.toolbar.set_practitioners(self.practitioners, self.practitioner_id)
        self._show()
        self.loaded.emit()

    def _show(self) -> None:
        """Paints the loaded data in the current view (filters apply without a fetch)."""
        self._update_toolbar()
        empty = not self.practitioners and self.range is not None
        if empty:
            self.banner.show_message(no_practitioners_text(), "info")
        elif self.banner.kind == "info" and self.banner.text() == no_practitioners_text():
            self.banner.clear_message()
        view = self.view
        if view in ("day", "week") and self.range is not None:
            columns, blocks, shades = page_views.grid_for(self)
            self.grid.set_data(columns, blocks, shades)
            self.grid.set_now(self.now_local())
            self.stack.setCurrentWidget(self.grid)
            if self._scrolled_for != (view, self.day):
                self._scrolled_for = (view, self.day)
                self.grid.scroll_to_time(page_views.first_visible_time(self, shades))
            self.toolbar.set_summary(page_views.summary(self, blocks))
        elif view == "month":
            page_views.show_month(self)
            self.stack.setCurrentWidget(self.month_view)
        elif view == "list" and self.range is not None:
            rows = [
                a
                for a in self.range.appointments
                if self.practitioner_id is None or a.practitioner_id == self.practitioner_id
            ]
            self.list_view.set_appointments(rows, show_practitioner=self.practitioner_id is None)
            self.stack.setCurrentWidget(self.list_view)
            self.toolbar.set_summary("")

    def _update_toolbar(self) -> None:
        self.toolbar.set_state(
            day=self.day,
            view=self.view,
            columns=self.columns_by,
            practitioner_id=self.practitioner_id,
            heading=page_views.heading(self.view, self.day),
        )

    def _on_now_timer_timeout(self) -> None:
        self.grid.set_now(self.now_local())

    # -- messages -----------------------------------------------------------------------------

    def show_error(self, message: str, kind: str = "error") -> None:
        self.banner.show_message(message, kind)

    def show_info(self, message: str) -> None:
        self.banner.show_message(message, "ok")

    def _on_month_day_activated(self, day: date) -> None:
        self.day = day
        self.set_view("day")
