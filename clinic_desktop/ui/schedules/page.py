"""The schedules screen (schedule.manage): where the clinic sets up its calendar. One tab each
for the practitioners and their weekly hours, time off and extra hours, closures and public
holidays, rooms, and appointment types. Every tab reloads when the schedule changes (here,
in another window or on another PC) without discarding what someone is typing."""

from __future__ import annotations

from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget

from clinic_desktop.i18n import _
from clinic_desktop.ui.context import UiContext
from clinic_desktop.ui.schedules.closures_tab import ClosuresTab
from clinic_desktop.ui.schedules.exceptions_tab import ExceptionsTab
from clinic_desktop.ui.schedules.practitioners_tab import PractitionersTab
from clinic_desktop.ui.schedules.rooms_tab import RoomsTab
from clinic_desktop.ui.schedules.types_tab import TypesTab


class SchedulesPage(QWidget):
    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.setObjectName("SchedulesPage")
        self.setWindowTitle(self.title())
        self.practitioners_tab = PractitionersTab(ctx, self)
        self.exceptions_tab = ExceptionsTab(ctx, self)
        self.closures_tab = ClosuresTab(ctx, self)
        self.rooms_tab = RoomsTab(ctx, self)
        self.types_tab = TypesTab(ctx, self)
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("SchedulesTabs")
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(self.practitioners_tab, _("Practitioners"))
        self.tabs.addTab(self.exceptions_tab, _("Time off && extra hours"))
        self.tabs.addTab(self.closures_tab, _("Closures && holidays"))
        self.tabs.addTab(self.rooms_tab, _("Rooms"))
        self.tabs.addTab(self.types_tab, _("Appointment types"))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tabs)
        ctx.bridge.schedule_changed.connect(self._on_bridge_schedule_changed)

    def title(self) -> str:
        return _("Schedules")

    def refresh(self) -> None:
        for tab in (
            self.practitioners_tab,
            self.exceptions_tab,
            self.closures_tab,
            self.rooms_tab,
            self.types_tab,
        ):
            tab.refresh()

    def _on_bridge_schedule_changed(self, _event: object) -> None:
        self.refresh()
