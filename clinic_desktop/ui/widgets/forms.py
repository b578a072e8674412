"""Field-level error reporting shared by every form: a red message under the field it names and
a red border on the field, cleared as soon as the form is submitted again. Services raise
ValidationError with `field`; a form maps those field names to its widgets with FormErrors so
the message lands beside the right input, or in a general label when no field matches."""

from __future__ import annotations

from PySide6.QtWidgets import QAbstractSpinBox, QLabel, QWidget

from clinic_desktop.ui.style import DANGER, repolish, set_role
from clinic_desktop.ui.widgets.messages import refit


class FieldError(QLabel):
    """A hidden label that appears with an error (or a warning) for one field."""

    def __init__(self, object_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(object_name)
        self.setWordWrap(True)
        self.setMinimumWidth(360)  # wrapped text in a form row must not shrink to a sliver
        set_role(self, "field-error")
        self.hide()

    def show_error(self, text: str) -> None:
        set_role(self, "field-error")
        self.setText(text)
        self.show()
        refit(self)

    def show_warning(self, text: str) -> None:
        set_role(self, "field-warning")
        self.setText(text)
        self.show()
        refit(self)

    def show_note(self, text: str) -> None:
        set_role(self, "hint")
        self.setText(text)
        self.show()
        refit(self)

    def clear_message(self) -> None:
        self.clear()
        self.hide()


def mark_invalid(widget: QWidget, invalid: bool) -> None:
    """Marks an input that failed validation: a red border on line edits, combos and frames
    (rules in style.py), red digits on spin and time boxes."""
    value = "true" if invalid else "false"
    widget.setProperty("invalid", value)
    repolish(widget)
    if isinstance(widget, QAbstractSpinBox):
        # A border on a spin box makes Qt draw all of it from the style sheet, arrows
        # included (they came out broken); red bold digits mark it instead.
        rule = f"color: {DANGER}; font-weight: bold;"
        widget.setStyleSheet(f"{type(widget).__name__} {{ {rule} }}" if invalid else "")


class FormErrors:
    """Routes a service's field name to the label (and input) that should show it."""

    def __init__(self, general: FieldError) -> None:
        self._general = general
        self._fields: dict[str, tuple[FieldError, QWidget | None]] = {}

    def add(self, field: str, label: FieldError, widget: QWidget | None = None) -> None:
        self._fields[field] = (label, widget)

    def knows(self, field: str | None) -> bool:
        return field is not None and field in self._fields

    def show(self, message: str, field: str | None = None) -> None:
        label, widget = self._fields.get(field or "", (self._general, None))
        label.show_error(message)
        if widget is not None:
            mark_invalid(widget, True)
            widget.setFocus()

    def clear(self) -> None:
        self._general.clear_message()
        for label, widget in self._fields.values():
            label.clear_message()
            if widget is not None:
                mark_invalid(widget, False)
