"""Re-emits the Qt-free event bus as Qt signals on the GUI thread, so screens refresh after a
service commits. Services publish on whichever thread ran them (the DB worker, in the app);
the bridge never emits from there but hands the event to the GUI thread (see ui.dispatch)."""

from __future__ import annotations

import functools

from PySide6.QtCore import QObject, QTimer, Signal

from clinic_desktop.events import (
    AppointmentsChanged,
    BackupCompleted,
    BillingChanged,
    ClinicalChanged,
    Event,
    EventBus,
    InventoryChanged,
    PatientsChanged,
    RecordRestored,
    ScheduleChanged,
    SettingsChanged,
    UsersChanged,
    WaitlistChanged,
)
from clinic_desktop.ui.dispatch import gui_dispatcher


class EventBridge(QObject):
    users_changed = Signal(object)
    settings_changed = Signal(object)
    record_restored = Signal(object)
    backup_completed = Signal(object)
    appointments_changed = Signal(object)
    schedule_changed = Signal(object)
    waitlist_changed = Signal(object)
    patients_changed = Signal(object)
    clinical_changed = Signal(object)
    inventory_changed = Signal(object)
    billing_changed = Signal(object)
    # Not from the bus: a screen asks the main window to open a patient's chart, at a note
    # when the second argument is an encounter id (the agenda's "Start consultation").
    chart_requested = Signal(object, object)

    def __init__(self, bus: EventBus) -> None:
        super().__init__()
        self._dispatcher = gui_dispatcher()
        bus.subscribe(Event, self._on_bus_event)

    def _on_bus_event(self, event: Event) -> None:
        deliver = functools.partial(self._dispatch, event)
        if self._dispatcher.on_gui_thread():
            # Like a queued connection: after the current call (and its callbacks) return.
            QTimer.singleShot(0, self, deliver)
        else:
            self._dispatcher.post(deliver)

    def _dispatch(self, event: Event) -> None:
        if isinstance(event, UsersChanged):
            self.users_changed.emit(event)
        elif isinstance(event, SettingsChanged):
            self.settings_changed.emit(event)
        elif isinstance(event, RecordRestored):
            self.record_restored.emit(event)
        elif isinstance(event, BackupCompleted):
            self.backup_completed.emit(event)
        elif isinstance(event, AppointmentsChanged):
            self.appointments_changed.emit(event)
        elif isinstance(event, ScheduleChanged):
            self.schedule_changed.emit(event)
        elif isinstance(event, WaitlistChanged):
            self.waitlist_changed.emit(event)
        elif isinstance(event, PatientsChanged):
            self.patients_changed.emit(event)
        elif isinstance(event, ClinicalChanged):
            self.clinical_changed.emit(event)
        elif isinstance(event, InventoryChanged):
            self.inventory_changed.emit(event)
        elif isinstance(event, BillingChanged):
            self.billing_changed.emit(event)
