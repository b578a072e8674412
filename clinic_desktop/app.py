"""The composition root of the desktop app: QApplication and its style, logging, the UI
language and a last-resort exception hook. On a PC that already has a clinic it shows the
sign-in window first, with only light imports behind it, and loads the database layer and
unlocks once that window is on screen: a person sees the app at once instead of waiting
about a second for SQLAlchemy, Alembic and the key check (benchmarks/: startup_ratio)."""

from __future__ import annotations

import logging
import sys
from types import TracebackType
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QApplication

from clinic_desktop.config import AppPaths, configure_logging
from clinic_desktop.i18n import set_language
from clinic_desktop.ui.ops import ThreadRunner, error_text
from clinic_desktop.ui.signin.sign_in_dialog import SignInDialog
from clinic_desktop.ui.style import apply_style
from clinic_desktop.ui.widgets.language import read_language
from clinic_desktop.ui.widgets.messages import show_error

if TYPE_CHECKING:
    from clinic_desktop.app_flow import ClinicApp

log = logging.getLogger(__name__)


def _install_excepthook() -> None:
    """An unexpected error is logged with its traceback and shown only as an apology."""

    def hook(kind: type[BaseException], value: BaseException, tb: TracebackType | None) -> None:
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, value, tb)
            return
        value.__traceback__ = tb
        text = error_text(value)  # logs the traceback unless it is a UserFacingError
        try:
            show_error(QApplication.activeWindow(), text)
        except Exception:  # never let the hook itself crash the app
            log.exception("could not show the error message")

    sys.excepthook = hook


def run_gui(paths: AppPaths) -> int:
    """Starts the desktop app on `paths`; returns the process exit code."""
    configure_logging(paths)
    set_language(read_language(paths))
    app = QApplication.instance() or QApplication(sys.argv)
    assert isinstance(app, QApplication)
    app.setApplicationName("Clinic Desktop")
    app.setOrganizationName("clinic-desktop")
    # The flow closes one window before showing the next; ClinicApp decides when to quit.
    app.setQuitOnLastWindowClosed(False)
    apply_style(app)
    _install_excepthook()
    runner = ThreadRunner()
    controllers: list[ClinicApp] = []

    def start_flow(early: SignInDialog | None) -> None:
        # Imported here, once the first window is painted: this pulls in the database layer.
        from clinic_desktop.app_flow import ClinicApp

        controller = ClinicApp(paths, runner=runner, sign_in_dialog=early)
        controller.quit_requested.connect(app.exit)
        controllers.append(controller)
        controller.start()

    if paths.is_initialised():
        early = SignInDialog(db=None, paths=paths, runner=runner, clinic=None)
        early.first_painted.connect(lambda: start_flow(early))
        early.show()
    else:
        start_flow(None)
    code = app.exec()
    for controller in controllers:
        controller.shutdown()
    runner.shutdown()
    exit_code = next((c.exit_code for c in controllers if c.exit_code is not None), None)
    return exit_code if exit_code is not None else code
