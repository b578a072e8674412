"""Small helpers the list screens and list dialogs share: fitting a table's columns to their
contents with some air while one column takes the room left, an action row's buttons, a
dialog's plain buttons (not auto-default, so Enter in the table does not press them) and its
Close box, and the Edit/Deactivate buttons that follow the selected record of a list with
inactive entries."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QAbstractItemModel
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QPushButton,
    QTableView,
    QWidget,
)

from clinic_desktop.i18n import _


def fit_columns(table: QTableView, *, stretch_column: int, padding: int = 16) -> None:
    """Sizes every column to its contents plus `padding` pixels, except `stretch_column`
    (the header stretches it over what is left)."""
    table.resizeColumnsToContents()
    model: QAbstractItemModel = table.model()
    for column in range(model.columnCount()):
        if column != stretch_column:
            table.setColumnWidth(column, table.columnWidth(column) + padding)


def dialog_button(parent: QWidget, name: str, text: str, *, visible: bool = True) -> QPushButton:
    button = QPushButton(text, parent)
    button.setObjectName(name)
    button.setAutoDefault(False)
    button.setVisible(visible)
    return button


def close_button_box(dialog: QDialog, name: str) -> QDialogButtonBox:
    """The dialog's button box with one Close button (named `name`) that rejects it."""
    buttons = QDialogButtonBox(dialog)
    close = buttons.addButton(_("Close"), QDialogButtonBox.ButtonRole.RejectRole)
    close.setObjectName(name)
    close.setAutoDefault(False)
    close.clicked.connect(dialog.reject)
    return buttons


def show_active_choice(active: bool | None, *, edit: QPushButton, toggle: QPushButton) -> None:
    """Edit and Deactivate act on the selected record (`active` None: nothing selected); the
    toggle offers to reactivate an inactive one."""
    edit.setEnabled(active is not None)
    toggle.setEnabled(active is not None)
    toggle.setText(_("Reactivate") if active is False else _("Deactivate"))


def action_button(parent: QWidget, name: str, text: str, slot: Callable[[], object]) -> QPushButton:
    """A button of a screen's action row that calls `slot` with no arguments."""
    button = QPushButton(text, parent)
    button.setObjectName(name)
    button.clicked.connect(lambda _checked=False: slot())
    return button
