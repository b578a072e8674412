"""Pieces the chart's summary and prescription widgets share: dates in the UI language, an
optional date field ("not known" is a real answer for an allergy noted decades ago), a table
model that greys past entries and strikes through those entered in error, a pill-shaped
severity badge, a titled card, and the base of the small form dialogs (a banner, errors under
the fields, a save that runs through the runner and closes only when the service agreed).
Dialogs open without blocking through `open_dialog`, which tests replace."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from babel.dates import format_date
from PySide6.QtCore import QDate, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QCheckBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from clinic_desktop.i18n import _, current_language
from clinic_desktop.services.clinical_dto import SEVERITY_LABELS
from clinic_desktop.ui.agenda.dialog_kit import (
    SaveFailures,
    date_box,
    from_qdate,
    to_qdate,
    with_errors,
)
from clinic_desktop.ui.context import UiContext
from clinic_desktop.ui.style import BORDER, MUTED, bold, set_role
from clinic_desktop.ui.widgets.forms import FieldError, FormErrors
from clinic_desktop.ui.widgets.messages import fit_width
from clinic_desktop.ui.widgets.pill_delegate import Pill, PillDelegate, row_pill
from clinic_desktop.ui.widgets.screen_kit import (
    Column,
    ListTableModel,
    MessageBanner,
)

T = TypeVar("T")
Index = QModelIndex | QPersistentModelIndex

# Severity colours: (text, background) of the badge.
SEVERITY_COLOURS: dict[str, tuple[str, str]] = {
    "life_threatening": ("#FFFFFF", "#B42318"),
    "severe": ("#FFFFFF", "#D9480F"),
    "moderate": ("#7A2E0E", "#FEDF89"),
    "mild": ("#344054", "#E4E7EC"),
}


def open_dialog(dialog: QDialog) -> None:
    """Shows a dialog without blocking (window-modal); tests replace this to drive it."""
    dialog.open()


def clinic_today(ctx: UiContext) -> date:
    """Today on the clinic's calendar, which the services check dates against (a PC set to
    another zone must not offer tomorrow)."""
    return datetime.now(ZoneInfo(ctx.clinic.timezone)).date()


def date_text(day: date | None, empty: str = "—") -> str:
    """'10 mar 2026' in the UI language."""
    if day is None:
        return empty
    return str(format_date(day, "medium", locale=current_language()))


def label_text(labels: dict[str, str], code: str) -> str:
    """The translated label of a code (a severity, a status); the code itself if unknown."""
    label = labels.get(code)
    return _(label) if label else code


def severity_text(code: str) -> str:
    return label_text(SEVERITY_LABELS, code)


# -- tables --------------------------------------------------------------------------------


class EntryTableModel(ListTableModel[T]):
    """Rows over DTOs with a `status`: past entries (inactive, stopped, resolved) in grey,
    entries in error struck through, so the list reads as what is true now."""

    def __init__(
        self,
        columns: Sequence[Column[T]],
        *,
        past: Callable[[T], bool],
        in_error: Callable[[T], bool],
        parent: Any = None,
    ) -> None:
        super().__init__(columns, parent)
        self._past = past
        self._in_error = in_error

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        item = self.row_at(index.row())
        if item is None:
            return None
        if role == Qt.ItemDataRole.ForegroundRole and (self._past(item) or self._in_error(item)):
            return QBrush(QColor(MUTED))
        if role == Qt.ItemDataRole.FontRole and self._in_error(item):
            font = QFont()
            font.setStrikeOut(True)
            return font
        if role == Qt.ItemDataRole.UserRole:
            return item
        return super().data(index, role)


def severity_pill(code: str, faded: bool = False) -> Pill:
    fg, bg = SEVERITY_COLOURS.get(code, ("#344054", "#E4E7EC"))
    return Pill(severity_text(code), fg, bg, faded)


class SeverityBadgeDelegate(PillDelegate):
    """Paints an allergy's severity as a coloured pill (red for life-threatening); a past
    entry's badge is faded, as it must not shout."""

    def __init__(
        self,
        severity_of: Callable[[Any], str | None],
        faded: Callable[[Any], bool] = lambda _item: False,
        parent: Any = None,
    ) -> None:
        def pill_of(item: Any) -> Pill | None:
            code = severity_of(item)
            return severity_pill(code, faded(item)) if code is not None else None

        super().__init__(row_pill(pill_of), parent)
        self._severity_of = severity_of

    def width_for(self, items: Sequence[Any]) -> int:
        """The column width that shows every badge of `items` whole."""
        codes = {self._severity_of(item) for item in items} - {None}
        return self.column_width((severity_text(str(c)) for c in codes), margin=20)


# -- cards ---------------------------------------------------------------------------------


class Card(QFrame):
    """A titled white card: the summary tab's sections."""

    def __init__(self, object_name: str, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(object_name)
        set_role(self, "card")
        self.title_label = QLabel(title, self)
        self.title_label.setObjectName(f"{object_name}Title")
        bold(self.title_label, 12)
        self.header = QHBoxLayout()
        self.header.setSpacing(6)
        self.header.addWidget(self.title_label)
        self.header.addStretch(1)
        self.body = QVBoxLayout(self)
        self.body.setContentsMargins(14, 12, 14, 12)
        self.body.setSpacing(8)
        self.body.addLayout(self.header)

    def add_header_widget(self, widget: QWidget) -> None:
        self.header.addWidget(widget)


def small_button(text: str, name: str, parent: QWidget, primary: bool = False) -> QPushButton:
    button = QPushButton(text, parent)
    button.setObjectName(name)
    button.setAutoDefault(False)
    if primary:
        set_role(button, "primary")
    return button


def hint_label(text: str, parent: QWidget, name: str = "") -> QLabel:
    label = QLabel(text, parent)
    if name:
        label.setObjectName(name)
    label.setWordWrap(True)
    set_role(label, "hint")
    return label


# -- fields --------------------------------------------------------------------------------


def past_date_box(name: str, parent: QWidget, today: date) -> QDateEdit:
    """A date box showing `today` that offers nothing later (the services refuse it)."""
    box = date_box(name, parent, weekday=False)
    box.setMaximumDate(to_qdate(today))
    box.setDate(to_qdate(today))
    box.setFixedWidth(140)
    return box


class OptionalDateField(QWidget):
    """A date box with a "Not known" check box; `value()` is None when not known."""

    def __init__(
        self,
        name: str,
        parent: QWidget | None = None,
        *,
        known: bool = True,
        today: date | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.date_edit = past_date_box(f"{name}Date", self, today or date.today())
        self.date_edit.setMinimumDate(QDate(1900, 1, 1))
        self.unknown_check = QCheckBox(_("Not known"), self)
        self.unknown_check.setObjectName(f"{name}Unknown")
        self.unknown_check.toggled.connect(lambda on: self.date_edit.setEnabled(not on))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.date_edit)
        layout.addWidget(self.unknown_check)
        layout.addStretch(1)
        self.unknown_check.setChecked(not known)

    def value(self) -> date | None:
        if self.unknown_check.isChecked():
            return None
        return from_qdate(self.date_edit.date())

    def set_value(self, value: date | None) -> None:
        self.unknown_check.setChecked(value is None)
        if value is not None:
            self.date_edit.setDate(to_qdate(value))


# -- form dialogs --------------------------------------------------------------------------


class FormDialog(SaveFailures, QDialog):
    """Base of the chart's small form dialogs. Subclasses add rows with `add_row`, and
    implement `service_call()`: it reads the form here, on the GUI thread, and returns the
    call the worker runs (widgets must not be touched from the worker), which returns the
    saved DTO. `save()` runs it and closes on success, emitting `saved`; a refusal lands under
    the field it names (one that names no field, such as a concurrent edit, in the banner)."""

    saved = Signal(object)

    def __init__(
        self,
        ctx: UiContext,
        *,
        name: str,
        title: str,
        save_text: str,
        parent: QWidget | None = None,
        subtitle: str = "",
        width: int = 520,
    ) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.today = clinic_today(ctx)
        self.setObjectName(name)
        self.setWindowTitle(title)
        self.heading = QLabel(title, self)
        self.heading.setObjectName(f"{name}Heading")
        bold(self.heading, 13)
        self.subtitle = hint_label(subtitle, self, f"{name}Subtitle")
        self.subtitle.setVisible(bool(subtitle))
        self.banner = MessageBanner(f"{name}Message", self)
        self.general_error = FieldError(f"{name}Error", self)
        self.errors = FormErrors(self.general_error)
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self.form.setVerticalSpacing(8)
        buttons = QDialogButtonBox(self)
        self.save_button = buttons.addButton(save_text, QDialogButtonBox.ButtonRole.AcceptRole)
        self.save_button.setObjectName(f"{name}SaveButton")
        set_role(self.save_button, "primary")
        cancel = buttons.addButton(_("Cancel"), QDialogButtonBox.ButtonRole.RejectRole)
        cancel.setObjectName(f"{name}CancelButton")
        for button in (self.save_button, cancel):
            button.setAutoDefault(False)
        self.save_button.clicked.connect(self.save)
        cancel.clicked.connect(self.reject)
        line = QFrame(self)
        line.setFrameShape(QFrame.Shape.HLine)
        line.setStyleSheet(f"color: {BORDER};")
        self.main = QVBoxLayout(self)
        self.main.setSpacing(10)
        self.main.addWidget(self.heading)
        self.main.addWidget(self.subtitle)
        self.main.addWidget(self.banner)
        self.main.addLayout(self.form)
        self.extra = QVBoxLayout()
        self.main.addLayout(self.extra)
        self.main.addWidget(self.general_error)
        self._stretch_at = self.main.count()
        self.main.addStretch(1)
        self.main.addWidget(line)
        self.main.addWidget(buttons)
        self._width = width

    def finish_layout(self) -> None:
        self.resize(0, 0)
        fit_width(self, self._width)

    def grow_extra(self) -> None:
        """Gives the extra area (a text editor, a table) the room the window gains."""
        self.main.setStretch(self.main.indexOf(self.extra), 1)
        self.main.setStretch(self._stretch_at, 0)

    def add_row(
        self, label: str, field: str, widget: QWidget, focus: QWidget | None = None
    ) -> None:
        error = FieldError(f"{self.objectName()}Error_{field}", self)
        self.errors.add(field, error, focus or widget)
        self.form.addRow(label, with_errors(widget, error))

    def service_call(self) -> Callable[[], object]:
        raise NotImplementedError

    def save(self) -> None:
        self.errors.clear()
        self.banner.clear_message()
        self.save_button.setEnabled(False)
        self._ctx.runner.run(
            self.service_call(),
            on_done=self._on_saved,
            on_error=self._on_save_error,
            on_user_error=self._on_user_error,
            parent=self,
        )

    def _on_saved(self, result: object) -> None:
        self.save_button.setEnabled(True)
        self.saved.emit(result)
        self.accept()
