"""What the screens that keep files in the encrypted database share (a patient's documents, an
expense's receipts): the file chooser for attaching PDFs and pictures, viewer windows kept open
side by side until the user closes them, and saving a copy fetched through an audited export
to the place the user chose, saying on the screen's banner where it went or why it did not."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QWidget

from clinic_desktop.errors import UserFacingError
from clinic_desktop.i18n import _
from clinic_desktop.ui.context import UiContext
from clinic_desktop.ui.widgets.screen_kit import MessageBanner

W = TypeVar("W", bound=QWidget)
# Both cases: a Windows camera names its photos "IMG_0001.JPG".
FILE_PATTERN = "*.pdf *.png *.jpg *.jpeg *.PDF *.PNG *.JPG *.JPEG"


def choose_attachments(parent: QWidget, title: str) -> list[str]:
    """The PDFs and pictures the user picked to attach, or [] if they cancelled."""
    paths, _selected = QFileDialog.getOpenFileNames(
        parent,
        title,
        "",
        _("PDF and pictures ({pattern});;All files (*)").format(pattern=FILE_PATTERN),
    )
    return list(paths)


def show_tracked(window: W, windows: list[W]) -> None:
    """Shows a non-modal viewer, kept in `windows` (so it is not collected, and tests reach
    it) until it is closed, when it is deleted and forgotten."""
    window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    window.destroyed.connect(lambda: windows.remove(window))
    windows.append(window)
    window.show()


def save_copy(
    ctx: UiContext,
    fetch: Callable[[], bytes],
    path: str,
    *,
    parent: QWidget,
    banner: MessageBanner,
) -> None:
    """Runs `fetch` (a service call that audits the export and returns the bytes), writes the
    bytes to `path` and says on `banner` where the copy went, or why it could not be written."""

    def run() -> str:
        data = fetch()
        try:
            Path(path).write_bytes(data)
        except OSError as exc:
            raise UserFacingError(
                _("The copy could not be written to {path}: {error}").format(
                    path=path, error=exc.strerror or exc
                )
            ) from exc
        return path

    ctx.runner.run(
        run,
        on_done=lambda where: banner.show_message(
            _("A copy was saved to {path}.").format(path=where), "ok"
        ),
        on_error=lambda text: banner.show_message(text, "error"),
        busy_text=_("Exporting…"),
        parent=parent,
    )
