"""One cold start, run as its own process by run.py: `bare` shows an empty PySide6 window;
`clinic` runs the real app start (the `clinic-desktop` command's main() with no subcommand,
on an existing clinic) and stops when its sign-in window appears. Either way it prints
"shown" from the first event-loop turn after the window is shown and exits, so the parent's
stopwatch covers interpreter start, imports, work and the first paint request alike. The
unlock and the database open come after that window, as in the app; db_open_ms measures
them."""

from __future__ import annotations

import os
import sys


def main(mode: str, data_dir: str | None) -> int:
    if mode != "bare":
        # As the console script does: the command module loads before anything imports Qt.
        from clinic_desktop.cli import main as clinic_desktop_main
    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtWidgets import QApplication, QWidget

    app = QApplication(sys.argv[:1])

    def shown() -> None:
        print("shown", flush=True)
        os._exit(0)  # the stopwatch is done; skip tearing down the app

    if mode == "bare":
        window = QWidget()
        window.resize(500, 360)
        window.show()
        QTimer.singleShot(0, shown)
        return app.exec()

    class SignInWatcher(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Show and watched.objectName() == "SignInDialog":
                QTimer.singleShot(0, shown)
            return False

    watcher = SignInWatcher()
    app.installEventFilter(watcher)
    return clinic_desktop_main(["--data-dir", str(data_dir)])


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else None))
