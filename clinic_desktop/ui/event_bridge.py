"""Re-emits the Qt-free event bus as Qt signals on the GUI thread, so screens refresh after a
service commits (also when the commit happened on the DB worker thread)."""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, Signal

from clinic_desktop.events import (
    BackupCompleted,
    Event,
    EventBus,
    RecordRestored,
    SettingsChanged,
    UsersChanged,
)


class EventBridge(QObject):
    users_changed = Signal(object)
    settings_changed = Signal(object)
    record_restored = Signal(object)
    backup_completed = Signal(object)
    _relay = Signal(object)

    def __init__(self, bus: EventBus) -> None:
        super().__init__()
        self._relay.connect(self._dispatch, Qt.ConnectionType.QueuedConnection)
        bus.subscribe(Event, self._relay.emit)

    def _dispatch(self, event: Event) -> None:
        if isinstance(event, UsersChanged):
            self.users_changed.emit(event)
        elif isinstance(event, SettingsChanged):
            self.settings_changed.emit(event)
        elif isinstance(event, RecordRestored):
            self.record_restored.emit(event)
        elif isinstance(event, BackupCompleted):
            self.backup_completed.emit(event)
