"""Runs service calls off the GUI thread and delivers results and errors back on it. One
worker thread owns all database work (SQLite has one writer anyway). Anything still running
after ~300 ms shows a progress dialog, so the window never looks frozen. Tests use
SameThreadRunner, which calls through at once."""

from __future__ import annotations

import functools
import logging
import queue
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtWidgets import QProgressDialog, QWidget

from clinic_desktop.errors import UserFacingError
from clinic_desktop.i18n import _
from clinic_desktop.ui.dispatch import gui_dispatcher

log = logging.getLogger(__name__)

Done = Callable[[Any], None]
Failed = Callable[[str], None]
UserFailed = Callable[[UserFacingError], None]
PROGRESS_DELAY_MS = 300


def report_error(
    exc: BaseException, on_error: Failed | None, on_user_error: UserFailed | None
) -> None:
    """A form that passes on_user_error gets our errors whole, to mark the field they name;
    everything else reaches on_error as text safe to show."""
    if on_user_error is not None and isinstance(exc, UserFacingError):
        on_user_error(exc)
        return
    text = error_text(exc)
    if on_error:
        on_error(text)


def error_text(exc: BaseException) -> str:
    """What the user may read: our own messages, or an apology (the traceback goes to the log)."""
    if isinstance(exc, UserFacingError):
        return exc.message
    log.error("unexpected error", exc_info=(type(exc), exc, exc.__traceback__))
    return _(
        "Something went wrong and nothing was changed. The details were written to the log file."
    )


@dataclass
class _Job:
    fn: Callable[[], Any]
    on_done: Done | None
    on_error: Failed | None
    on_user_error: UserFailed | None = None
    progress: QProgressDialog | None = None
    timer: QTimer | None = None


class Runner(QObject):
    """Base: `run(fn, on_done=..., on_error=..., on_user_error=..., busy_text=...)`."""

    def run(
        self,
        fn: Callable[[], Any],
        *,
        on_done: Done | None = None,
        on_error: Failed | None = None,
        on_user_error: UserFailed | None = None,
        busy_text: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        raise NotImplementedError

    def shutdown(self) -> None:
        pass


class SameThreadRunner(Runner):
    """Calls through synchronously: deterministic for tests."""

    def run(
        self,
        fn: Callable[[], Any],
        *,
        on_done: Done | None = None,
        on_error: Failed | None = None,
        on_user_error: UserFailed | None = None,
        busy_text: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        try:
            result = fn()
        except Exception as exc:
            report_error(exc, on_error, on_user_error)
            return
        if on_done:
            on_done(result)


class ThreadRunner(Runner):
    """The production runner: one DB worker thread; results reach the GUI thread through the
    dispatcher's queue, never through a Qt signal emitted by the worker (see ui.dispatch)."""

    def __init__(self) -> None:
        super().__init__()
        self._queue: queue.Queue[_Job | None] = queue.Queue()
        self._dispatcher = gui_dispatcher()
        self._thread = threading.Thread(target=self._work, name="clinic-db", daemon=True)
        self._thread.start()

    def run(
        self,
        fn: Callable[[], Any],
        *,
        on_done: Done | None = None,
        on_error: Failed | None = None,
        on_user_error: UserFailed | None = None,
        busy_text: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        job = _Job(fn=fn, on_done=on_done, on_error=on_error, on_user_error=on_user_error)
        if busy_text:
            dialog = QProgressDialog(busy_text, "", 0, 0, parent)
            dialog.setCancelButton(None)
            dialog.setWindowModality(Qt.WindowModality.WindowModal)
            dialog.setMinimumDuration(0)
            dialog.setWindowTitle(_("Please wait"))
            dialog.reset()
            job.progress = dialog
            timer = QTimer(self)
            timer.setSingleShot(True)
            timer.timeout.connect(dialog.show)
            timer.start(PROGRESS_DELAY_MS)
            job.timer = timer
        self._queue.put(job)

    def _work(self) -> None:
        while True:
            job = self._queue.get()
            if job is None:
                return
            try:
                result, error = job.fn(), None
            except Exception as exc:
                result, error = None, exc
            self._dispatcher.post(functools.partial(self._deliver, job, result, error))

    def _deliver(self, job: _Job, result: Any, exc: BaseException | None) -> None:
        if job.timer:
            job.timer.stop()
        if job.progress:
            job.progress.close()
            job.progress.deleteLater()
        if exc is not None:
            report_error(exc, job.on_error, job.on_user_error)
            return
        if job.on_done:
            job.on_done(result)

    def shutdown(self) -> None:
        self._queue.put(None)
        self._thread.join(timeout=5)
