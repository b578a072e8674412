"""The parameters card every reports screen puts above its table (inventory reports, finance
reports): the chosen report's title and what it is for, one row of labelled inputs with the
Run button at its right end, and a line under them where a service's complaint about one of
the inputs is shown, with that input marked. Each screen subclasses it with its own inputs,
shows only those the chosen report takes (`set_spec`), and turns what is on screen into the
service call to run (`call`). Also the small date helpers the cards share."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, timedelta
from typing import Protocol

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from clinic_desktop.errors import UserFacingError
from clinic_desktop.i18n import _
from clinic_desktop.services.report_table import TabularReport
from clinic_desktop.ui.context import UiContext
from clinic_desktop.ui.style import set_role
from clinic_desktop.ui.widgets.forms import FieldError, FormErrors, mark_invalid

ReportCall = Callable[[], TabularReport]


class ReportEntry(Protocol):
    """One report of a screen's list: its key, and its title and summary as N_() texts."""

    @property
    def key(self) -> str: ...

    @property
    def title(self) -> str: ...

    @property
    def summary(self) -> str: ...


def month_of(day: date) -> tuple[date, date]:
    """The first and last day of `day`'s month."""
    first = day.replace(day=1)
    following = (first + timedelta(days=32)).replace(day=1)
    return first, following - timedelta(days=1)


def qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def pydate(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


class ReportParametersCard(QFrame):
    """The card without inputs; a subclass creates its inputs, then calls `lay_out`."""

    def __init__(self, spec: ReportEntry, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ReportParameters")
        set_role(self, "card")
        self.spec = spec
        # First, since filling a subclass's combos already signals "changed" (clear errors).
        self.field_error = FieldError("ReportFieldError", self)
        self.errors = FormErrors(self.field_error)
        # The inputs a service's complaint can name, by the field name the service uses.
        self._inputs: dict[str, QWidget] = {}

        self.heading = QLabel(self)
        self.heading.setObjectName("ReportHeading")
        set_role(self.heading, "subtitle")
        self.summary = QLabel(self)
        self.summary.setObjectName("ReportSummary")
        self.summary.setWordWrap(True)
        set_role(self.summary, "hint")

    # -- building --------------------------------------------------------------------------

    def date_edit(self, name: str, day: date) -> QDateEdit:
        edit = QDateEdit(qdate(day), self)
        edit.setObjectName(name)
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("dd/MM/yyyy")
        edit.dateChanged.connect(self.clear_errors)
        return edit

    def combo(self, name: str) -> QComboBox:
        combo = QComboBox(self)
        combo.setObjectName(name)
        combo.setMinimumContentsLength(12)
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        combo.currentIndexChanged.connect(self.clear_errors)
        return combo

    def labelled(self, text: str, widget: QWidget) -> QWidget:
        """`widget` with a small label above it, as one piece to show or hide."""
        holder = QWidget(self)
        holder.setObjectName(f"{widget.objectName()}Field")
        box = QVBoxLayout(holder)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(3)
        label = QLabel(text, holder)
        set_role(label, "hint")
        label.setBuddy(widget)
        box.addWidget(label)
        box.addWidget(widget)
        return holder

    def lay_out(self, pieces: Sequence[QWidget], inputs: dict[str, QWidget]) -> None:
        """Heading, summary, `pieces` in one row ending with Run, and the error line;
        `inputs` are the widgets a service's complaint may name, by field name."""
        # Made here, after the inputs, so Tab reaches it last.
        self.run_button = QPushButton(_("Run"), self)
        self.run_button.setObjectName("ReportRunButton")
        set_role(self.run_button, "primary")
        row = QHBoxLayout()
        row.setSpacing(12)
        for piece in pieces:
            row.addWidget(piece, 0, Qt.AlignmentFlag.AlignBottom)
        row.addStretch(1)
        row.addWidget(self.run_button, 0, Qt.AlignmentFlag.AlignBottom)
        self._inputs = dict(inputs)
        for field, widget in self._inputs.items():
            self.errors.add(field, self.field_error, widget)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 10, 14, 12)
        layout.addWidget(self.heading)
        layout.addWidget(self.summary)
        layout.addLayout(row)
        layout.addWidget(self.field_error)

    # -- the chosen report -----------------------------------------------------------------

    def set_spec(self, spec: ReportEntry) -> None:
        """Shows `spec`'s title and summary; subclasses also show only its inputs."""
        self.spec = spec
        self.heading.setText(_(spec.title))
        self.summary.setText(_(spec.summary))

    def call(self, ctx: UiContext) -> ReportCall:
        """The service call for the chosen report with what is on screen now."""
        raise NotImplementedError

    def choose(self, combo: QComboBox, data: object) -> None:
        """Selects the entry of `combo` carrying `data` (tests and other screens use it)."""
        combo.setCurrentIndex(max(combo.findData(data), 0))

    # -- errors ----------------------------------------------------------------------------

    def clear_errors(self, *_args: object) -> None:
        self.field_error.clear_message()
        for widget in self._inputs.values():
            mark_invalid(widget, False)

    def show_error(self, exc: UserFacingError) -> bool:
        """Shows `exc` under the inputs if it names one of them; False when it names none."""
        if not self.errors.knows(exc.field):
            return False
        self.errors.show(exc.message, exc.field)
        return True
