"""Message boxes in the app's voice: a title that says what happened, the service's message as
the text (already translated, never a traceback) and buttons with translated labels, because
Qt's own "OK"/"Cancel" stay in English unless Qt's catalogs are installed."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget

from clinic_desktop.i18n import _


def _box(
    parent: QWidget | None, icon: QMessageBox.Icon, title: str, text: str, name: str
) -> QMessageBox:
    box = QMessageBox(parent)
    box.setObjectName(name)
    box.setIcon(icon)
    box.setWindowTitle(title)
    box.setText(text)
    return box


def show_error(parent: QWidget | None, text: str, *, title: str | None = None) -> None:
    box = _box(parent, QMessageBox.Icon.Warning, title or _("Could not complete"), text, "ErrorBox")
    box.addButton(_("Close"), QMessageBox.ButtonRole.AcceptRole)
    box.exec()


def show_info(parent: QWidget | None, text: str, *, title: str) -> None:
    box = _box(parent, QMessageBox.Icon.Information, title, text, "InfoBox")
    box.addButton(_("OK"), QMessageBox.ButtonRole.AcceptRole)
    box.exec()


def ask(parent: QWidget | None, text: str, *, title: str, confirm: str) -> bool:
    """A yes/no question whose confirming button says what will happen (`confirm`)."""
    box = _box(parent, QMessageBox.Icon.Question, title, text, "QuestionBox")
    yes = box.addButton(confirm, QMessageBox.ButtonRole.AcceptRole)
    box.addButton(_("Cancel"), QMessageBox.ButtonRole.RejectRole)
    box.exec()
    return box.clickedButton() is yes


def fit_width(window: QWidget, width: int) -> None:
    """Sizes a window with wrapped text to `width` and the height that text needs there:
    a window's minimum size ignores height-for-width, so wrapped labels would overlap."""
    window.setProperty("fitWidth", width)
    window.setMinimumWidth(width)
    layout = window.layout()
    if layout is None:
        return
    height = (
        layout.totalHeightForWidth(width)
        if layout.hasHeightForWidth()
        else layout.totalSizeHint().height()
    )
    window.setMinimumHeight(height)
    window.resize(max(width, window.width()), max(height, window.height()))


def refit(widget: QWidget) -> None:
    """After text appeared inside a window sized by fit_width, give it the room it needs."""
    window = widget.window()
    width = window.property("fitWidth")
    if isinstance(width, int):
        fit_width(window, width)
