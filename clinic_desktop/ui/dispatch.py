"""Hands work from other threads to the GUI thread without calling Qt from those threads:
workers put callables on a plain queue and a timer on the GUI thread drains it. Keeping Qt
(and shiboken's reference counting) on one thread avoids a class of crashes seen with PySide6
6.12.0, whose refcount bugs aborted the process ("Fatal Python error: bool_dealloc") under
cross-thread signals and even plain processEvents(); pyproject pins 6.11.3 for that reason."""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer

log = logging.getLogger(__name__)

DRAIN_INTERVAL_MS = 10

_shared: GuiDispatcher | None = None


class GuiDispatcher(QObject):
    """`post(fn)` from any thread; `fn` runs on the GUI thread within ~10 ms."""

    def __init__(self) -> None:
        super().__init__()
        self._inbox: queue.SimpleQueue[Callable[[], None]] = queue.SimpleQueue()
        self._gui_thread = threading.get_ident()
        self._timer = QTimer(self)
        self._timer.setInterval(DRAIN_INTERVAL_MS)
        self._timer.timeout.connect(self.drain)
        self._timer.start()

    def on_gui_thread(self) -> bool:
        return threading.get_ident() == self._gui_thread

    def post(self, fn: Callable[[], None]) -> None:
        self._inbox.put(fn)

    def drain(self) -> None:
        while True:
            try:
                fn = self._inbox.get_nowait()
            except queue.Empty:
                return
            try:
                fn()
            except Exception:
                log.exception("GUI callback failed")


def gui_dispatcher() -> GuiDispatcher:
    """The application's dispatcher; the first call must come from the GUI thread."""
    global _shared
    if _shared is None:
        _shared = GuiDispatcher()
    return _shared
