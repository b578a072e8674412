"""Booking against the agenda's soft rules (outside working hours, a closure, a holiday, the
past): someone who manages schedules may do it, but must say why, and the reason goes to the
audit trail. `OverrideArea` is the inline version the appointment dialog reveals; the module
function `ask_override_reason` is the small modal prompt the agenda page uses after a drag
(tests replace it with monkeypatch)."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFrame,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from clinic_desktop.i18n import _
from clinic_desktop.ui.style import bold, set_role
from clinic_desktop.ui.widgets.forms import FieldError


def _problem_lines(problems: Sequence[str]) -> str:
    return "\n".join(f"•  {p}" for p in problems)


class OverrideArea(QFrame):
    """A warning box listing what the time breaks, with the required reason."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("OverrideArea")
        set_role(self, "banner-warning")
        self.title_label = QLabel(_("This time breaks the agenda's rules"), self)
        self.title_label.setObjectName("OverrideTitle")
        self.title_label.setStyleSheet("background: transparent;")
        bold(self.title_label)
        self.problems_label = QLabel(self)
        self.problems_label.setObjectName("OverrideProblems")
        self.problems_label.setWordWrap(True)
        self.problems_label.setStyleSheet("background: transparent;")
        hint = QLabel(
            _("You may book it anyway. Say why; the reason is kept in the audit trail."), self
        )
        hint.setWordWrap(True)
        hint.setStyleSheet("background: transparent;")
        set_role(hint, "hint")
        self.reason_edit = QLineEdit(self)
        self.reason_edit.setObjectName("OverrideReasonEdit")
        self.reason_edit.setPlaceholderText(_("For example: the doctor agreed to stay later"))
        self.reason_edit.setMaxLength(300)
        self.reason_error = FieldError("OverrideReasonError", self)
        self.reason_error.setStyleSheet("background: transparent;")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 10, 14, 10)
        layout.setSpacing(6)
        layout.addWidget(self.title_label)
        layout.addWidget(self.problems_label)
        layout.addWidget(hint)
        layout.addWidget(self.reason_edit)
        layout.addWidget(self.reason_error)
        self.problems: tuple[str, ...] = ()
        self.hide()

    def reveal(self, problems: Sequence[str]) -> None:
        self.problems = tuple(problems)
        self.problems_label.setText(_problem_lines(self.problems))
        self.reason_error.clear_message()
        self.show()
        self.reason_edit.setFocus()

    def withdraw(self) -> None:
        """Hidden again (the time changed): the old problems no longer apply."""
        self.problems = ()
        self.reason_error.clear_message()
        self.hide()

    @property
    def active(self) -> bool:
        return not self.isHidden()

    def reason(self) -> str:
        return " ".join(self.reason_edit.text().split())


class OverrideReasonDialog(QDialog):
    """The modal version: the problems, a reason line and 'Book anyway' (enabled once a reason
    is typed)."""

    def __init__(self, problems: Sequence[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("OverrideReasonDialog")
        self.setWindowTitle(_("Book outside the rules?"))
        self.setMinimumWidth(440)
        self.area = OverrideArea(self)
        self.area.reveal(problems)
        self.buttons = QDialogButtonBox(self)
        self.ok_button = self.buttons.addButton(
            _("Book anyway"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.ok_button.setObjectName("OverrideOkButton")
        set_role(self.ok_button, "primary")
        self.ok_button.setEnabled(False)
        cancel = self.buttons.addButton(_("Cancel"), QDialogButtonBox.ButtonRole.RejectRole)
        cancel.setObjectName("OverrideCancelButton")
        self.ok_button.clicked.connect(self.accept)
        cancel.clicked.connect(self.reject)
        self.area.reason_edit.textChanged.connect(self._on_reason_changed)
        layout = QVBoxLayout(self)
        layout.addWidget(self.area)
        layout.addWidget(self.buttons)

    def _on_reason_changed(self, _text: str) -> None:
        self.ok_button.setEnabled(bool(self.area.reason()))

    def reason(self) -> str:
        return self.area.reason()


def ask_override_reason(parent: QWidget | None, problems: tuple[str, ...]) -> str | None:
    """The reason for booking against the rules, or None if the user declined."""
    dialog = OverrideReasonDialog(problems, parent)
    try:
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
        reason = dialog.reason()
    finally:
        dialog.deleteLater()
    return reason if accepted and reason else None
