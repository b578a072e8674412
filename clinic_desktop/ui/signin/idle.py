"""Notices when nobody has touched the keyboard or mouse for a while. One application-wide
event filter records the time of the last input; a coarse timer compares it with the limit,
which is cheaper than restarting a timer on every mouse move. Tests call `check(now=...)` or
move `last_input` back instead of waiting."""

from __future__ import annotations

import time

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication

_INPUT_EVENTS = frozenset(
    {
        QEvent.Type.KeyPress,
        QEvent.Type.KeyRelease,
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseButtonRelease,
        QEvent.Type.MouseMove,
        QEvent.Type.Wheel,
        QEvent.Type.TouchBegin,
        QEvent.Type.TouchUpdate,
        QEvent.Type.TabletPress,
    }
)


class IdleWatcher(QObject):
    idle_reached = Signal()

    def __init__(
        self, *, minutes: float = 10, check_ms: int = 15_000, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.timeout_seconds = minutes * 60
        self.last_input = time.monotonic()
        self.paused = False
        self._timer = QTimer(self)
        self._timer.setInterval(check_ms)
        self._timer.timeout.connect(self.check)
        self._installed = False

    def start(self) -> None:
        app = QApplication.instance()
        if app is not None and not self._installed:
            app.installEventFilter(self)
            self._installed = True
        self.last_input = time.monotonic()
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()
        app = QApplication.instance()
        if app is not None and self._installed:
            app.removeEventFilter(self)
            self._installed = False

    def set_minutes(self, minutes: float) -> None:
        self.timeout_seconds = minutes * 60

    def touch(self) -> None:
        self.last_input = time.monotonic()

    def check(self, now: float | None = None) -> bool:
        """Emits idle_reached (once per idle period) when the limit has passed."""
        if self.paused:
            return False
        current = time.monotonic() if now is None else now
        if current - self.last_input >= self.timeout_seconds:
            self.paused = True  # the owner resumes after unlocking
            self.idle_reached.emit()
            return True
        return False

    def resume(self) -> None:
        self.paused = False
        self.touch()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in _INPUT_EVENTS:
            self.last_input = time.monotonic()
        return False
