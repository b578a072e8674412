"""The SOAP text fields the note editor and the template editor share, so both read and behave
alike: the five fields in the note's order, each with its label above and its error line
below, the chief complaint one line and the others plain-text boxes that grow with what is
typed, between a few lines and a cap (then they scroll), so the whole note fits on screen and
a long history does not have to be read through a slot; and how either editor shows a refused
save (a stale version in the banner, a field's rule under that field)."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from PySide6.QtWidgets import QLabel, QLineEdit, QPlainTextEdit, QSizePolicy, QVBoxLayout, QWidget

from clinic_desktop.errors import ConcurrentEditError, UserFacingError
from clinic_desktop.services.encounter_dto import SOAP_FIELDS, TEXT_LIMITS, soap_label
from clinic_desktop.ui.style import ACCENT_DARK, bold
from clinic_desktop.ui.widgets.forms import FieldError, FormErrors
from clinic_desktop.ui.widgets.screen_kit import MessageBanner

# Room the style sheet's padding (6 px above and below) and the frame take.
_CHROME = 16

SoapEdit = QLineEdit | QPlainTextEdit


class GrowingTextEdit(QPlainTextEdit):
    def __init__(self, min_lines: int, max_lines: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._min_lines = min_lines
        self._max_lines = max_lines
        self.setTabChangesFocus(True)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.document().documentLayout().documentSizeChanged.connect(lambda _size: self._fit())
        self._fit()

    def _fit(self) -> None:
        # The plain-text layout measures the document in lines, wrapped lines included.
        lines = int(self.document().size().height())
        shown = max(self._min_lines, min(self._max_lines, lines))
        margin = int(self.document().documentMargin() * 2)
        self.setFixedHeight(shown * self.fontMetrics().lineSpacing() + margin + _CHROME)


class SoapFields:
    """The five fields of one editor. Widgets are named `<prefix>Label_<key>`,
    `<prefix>Text_<key>` and `<prefix>Error_<key>`; `lines` gives each multi-line field its
    (fewest, most) lines; `changed` runs on every keystroke; refusals naming a field go under
    it through `errors`."""

    def __init__(
        self,
        parent: QWidget,
        *,
        prefix: str,
        lines: Mapping[str, tuple[int, int]],
        errors: FormErrors,
        changed: Callable[[], None],
    ) -> None:
        self.edits: dict[str, SoapEdit] = {}
        self.cells: dict[str, QVBoxLayout] = {}
        for key in SOAP_FIELDS:
            label = QLabel(soap_label(key), parent)
            label.setObjectName(f"{prefix}Label_{key}")
            label.setStyleSheet(f"color: {ACCENT_DARK};")
            bold(label)
            edit: SoapEdit
            if key == "chief_complaint":
                edit = QLineEdit(parent)
                edit.setMaxLength(TEXT_LIMITS[key])
                edit.textChanged.connect(lambda _text: changed())
            else:
                edit = GrowingTextEdit(*lines[key], parent=parent)
                edit.textChanged.connect(changed)
            edit.setObjectName(f"{prefix}Text_{key}")
            label.setBuddy(edit)
            error = FieldError(f"{prefix}Error_{key}", parent)
            errors.add(key, error, edit)
            cell = QVBoxLayout()
            cell.setSpacing(3)
            cell.addWidget(label)
            cell.addWidget(edit)
            cell.addWidget(error)
            self.edits[key] = edit
            self.cells[key] = cell

    def text(self, key: str) -> str:
        edit = self.edits[key]
        return edit.text() if isinstance(edit, QLineEdit) else edit.toPlainText()

    def set_text(self, key: str, value: str) -> None:
        edit = self.edits[key]
        if isinstance(edit, QLineEdit):
            edit.setText(value)
            edit.setCursorPosition(0)  # a long complaint shows its beginning
        else:
            edit.setPlainText(value)

    def texts(self) -> dict[str, str]:
        return {key: self.text(key) for key in SOAP_FIELDS}

    def set_read_only(self, read_only: bool) -> None:
        for edit in self.edits.values():
            edit.setReadOnly(read_only)


def show_refusal(
    exc: UserFacingError, errors: FormErrors, banner: MessageBanner, stale_hint: str
) -> None:
    """A refused save: under the field it names, else in the banner (with how to get the
    latest version when someone else saved first)."""
    if isinstance(exc, ConcurrentEditError):
        banner.show_message(exc.message + " " + stale_hint, "error")
    elif errors.knows(exc.field):
        errors.show(exc.message, exc.field)
    else:
        banner.show_message(exc.message, "error")
