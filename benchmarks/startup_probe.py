"""One cold start, run as its own process by run.py: `bare` shows an empty PySide6 window;
`clinic` does what the app does before its first window (unlock through the keyring, open the
clinic, read its name) and shows the real sign-in dialog. Either way it prints "shown" from the
first event-loop turn after show() and quits, so the parent's stopwatch covers interpreter
start, imports, work and the first paint request alike."""

from __future__ import annotations

import sys
from pathlib import Path


def main(mode: str, data_dir: str | None) -> int:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QWidget

    app = QApplication(sys.argv[:1])
    window: QWidget
    if mode == "bare":
        window = QWidget()
        window.resize(500, 360)
    else:
        window = _clinic_sign_in(app, Path(data_dir or ""))
    window.show()

    def shown() -> None:
        print("shown", flush=True)
        app.quit()

    QTimer.singleShot(0, shown)
    return app.exec()


def _clinic_sign_in(app: object, data_dir: Path) -> object:
    from clinic_desktop.config import AppPaths
    from clinic_desktop.services.clinic_info import get_clinic
    from clinic_desktop.services.startup import open_clinic, unlock

    paths = AppPaths.resolve(data_dir)
    db = open_clinic(paths, unlock(paths))
    clinic = get_clinic(db.uow())
    # The same steps as clinic_desktop.app up to its first window; app.py has no hook that
    # stops at the sign-in window, so they are repeated here with the real classes.
    from clinic_desktop.ui.ops import ThreadRunner
    from clinic_desktop.ui.signin.sign_in_dialog import SignInDialog
    from clinic_desktop.ui.style import apply_style

    apply_style(app)  # type: ignore[arg-type]
    return SignInDialog(db=db, paths=paths, runner=ThreadRunner(), clinic=clinic)


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else None))
