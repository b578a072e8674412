"""The agenda's toolbar: where the calendar is (Today, previous/next, a date picker and a heading
that says which day, week or month is shown), how it is shown (Day / Week / Month / List, Day
columns by practitioner or by room, one practitioner or all) and the actions (new appointment,
find a slot, print the day, export .ics, show the side panel). It holds no state of its own
beyond its inputs: it reports choices through signals and the page tells it what to show."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date

from PySide6.QtCore import QDate, QSignalBlocker, Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QToolBar,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from clinic_desktop.i18n import _
from clinic_desktop.services.agenda_dto import PractitionerDTO
from clinic_desktop.ui import style
from clinic_desktop.ui.style import bold, set_role

VIEWS = ("day", "week", "month", "list")

# The view switch is a segmented control; no shared role in style.py draws one, so the toolbar
# carries these few rules itself, in the app's colours.
_SEGMENT_STYLE = f"""
QPushButton[segment="true"] {{
    border-radius: 0; padding: 6px 14px; margin: 0; border-left-width: 0;
}}
QPushButton[segment="first"] {{
    border-top-right-radius: 0; border-bottom-right-radius: 0; padding: 6px 14px;
}}
QPushButton[segment="last"] {{
    border-top-left-radius: 0; border-bottom-left-radius: 0; border-left-width: 0;
    padding: 6px 14px;
}}
QPushButton[segment]:checked {{
    background: {style.ACCENT_TINT}; color: {style.ACCENT_DARK}; border-color: {style.ACCENT};
}}
QToolBar#AgendaActionsBar {{ background: transparent; border: none; spacing: 6px; padding: 0; }}
QToolButton#AgendaPreviousButton, QToolButton#AgendaNextButton {{
    background: {style.SURFACE}; border: 1px solid {style.BORDER}; border-radius: 6px;
    min-width: 30px; min-height: 30px; font-size: 13pt;
}}
QToolButton#AgendaPreviousButton:hover, QToolButton#AgendaNextButton:hover {{
    border-color: {style.ACCENT};
}}
"""


def _date(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


class AgendaToolbar(QWidget):
    today_clicked = Signal()
    previous_clicked = Signal()
    next_clicked = Signal()
    date_chosen = Signal(object)  # date
    view_chosen = Signal(str)  # one of VIEWS
    columns_chosen = Signal(str)  # "practitioner" | "room"
    practitioner_chosen = Signal(object)  # uuid.UUID | None (everyone)
    new_clicked = Signal()
    find_slot_clicked = Signal()
    print_clicked = Signal()
    export_clicked = Signal()
    panel_toggled = Signal(bool)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("AgendaToolbar")
        self.setStyleSheet(_SEGMENT_STYLE)

        self.today_button = self._button("AgendaTodayButton", _("Today"), self.today_clicked)
        self.today_button.setToolTip(_("Go to today (T)"))
        self.previous_button = self._arrow("AgendaPreviousButton", "‹", self.previous_clicked)
        self.previous_button.setToolTip(_("Previous (Alt+Left)"))
        self.next_button = self._arrow("AgendaNextButton", "›", self.next_clicked)
        self.next_button.setToolTip(_("Next (Alt+Right)"))
        self.date_edit = QDateEdit(self)
        self.date_edit.setObjectName("AgendaDateEdit")
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat("dd/MM/yyyy")
        self.date_edit.setToolTip(_("Go to a date"))
        self.date_edit.dateChanged.connect(self._on_date_edit_changed)
        self.heading_label = QLabel(self)
        self.heading_label.setObjectName("AgendaHeadingLabel")
        bold(self.heading_label, 15)
        self.summary_label = QLabel(self)
        self.summary_label.setObjectName("AgendaSummaryLabel")
        set_role(self.summary_label, "hint")

        self.view_buttons: dict[str, QPushButton] = {}
        self._view_group = QButtonGroup(self)
        self._view_group.setExclusive(True)
        names = {"day": _("Day"), "week": _("Week"), "month": _("Month"), "list": _("List")}
        for index, key in enumerate(VIEWS):
            button = QPushButton(names[key], self)
            button.setObjectName(f"AgendaView{key.capitalize()}Button")
            button.setCheckable(True)
            button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
            segment = "first" if index == 0 else "last" if index == len(VIEWS) - 1 else "true"
            button.setProperty("segment", segment)
            button.clicked.connect(lambda _c=False, view=key: self.view_chosen.emit(view))
            self._view_group.addButton(button)
            self.view_buttons[key] = button

        self.columns_combo = QComboBox(self)
        self.columns_combo.setObjectName("AgendaColumnsCombo")
        self.columns_combo.addItem(_("Columns: practitioners"), "practitioner")
        self.columns_combo.addItem(_("Columns: rooms"), "room")
        self.columns_combo.setToolTip(_("What the day view shows side by side"))
        self.columns_combo.currentIndexChanged.connect(self._on_columns_changed)
        self.practitioner_combo = QComboBox(self)
        self.practitioner_combo.setObjectName("AgendaPractitionerCombo")
        self.practitioner_combo.setMinimumContentsLength(22)
        self.practitioner_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.practitioner_combo.currentIndexChanged.connect(self._on_practitioner_changed)

        self.new_button = self._button(
            "AgendaNewButton", _("New appointment"), self.new_clicked, role="primary"
        )
        self.new_button.setToolTip(_("Book an appointment (Ctrl+N)"))
        self.find_button = self._button(
            "AgendaFindSlotButton", _("Find a slot…"), self.find_slot_clicked
        )
        self.print_button = self._button("AgendaPrintButton", _("Print day…"), self.print_clicked)
        self.export_button = self._button(
            "AgendaExportButton", _("Export .ics…"), self.export_clicked
        )
        self.panel_button = QPushButton(_("Waiting room"), self)
        self.panel_button.setObjectName("AgendaPanelButton")
        self.panel_button.setCheckable(True)
        self.panel_button.setChecked(True)
        self.panel_button.setProperty("segment", "single")
        self.panel_button.setToolTip(_("Show or hide the waiting room and the waitlist"))
        self.panel_button.toggled.connect(self.panel_toggled)

        # The heading may be cut on a narrow window rather than widen it.
        self.heading_label.setMinimumWidth(140)
        self.summary_label.setMinimumWidth(1)
        self.summary_label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom)
        top = QHBoxLayout()
        top.setSpacing(6)
        top.addWidget(self.today_button)
        top.addWidget(self.previous_button)
        top.addWidget(self.next_button)
        top.addWidget(self.date_edit)
        top.addSpacing(10)
        top.addWidget(self.heading_label)
        top.addSpacing(4)
        top.addWidget(self.summary_label)
        top.addStretch(1)
        segments = QHBoxLayout()
        segments.setSpacing(0)
        for button in self.view_buttons.values():
            segments.addWidget(button)
        top.addLayout(segments)
        # A tool bar, so what does not fit on a narrow window moves to its » menu.
        self.actions_bar = QToolBar(self)
        self.actions_bar.setObjectName("AgendaActionsBar")
        self.actions_bar.setMovable(False)
        bar_layout = self.actions_bar.layout()
        if bar_layout is not None:
            bar_layout.setContentsMargins(0, 0, 0, 0)
            bar_layout.setSpacing(6)
        self.actions_bar.addWidget(self.practitioner_combo)
        self._columns_action = self.actions_bar.addWidget(self.columns_combo)
        spacer = QWidget(self.actions_bar)
        spacer.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.actions_bar.addWidget(spacer)
        self._new_action = self.actions_bar.addWidget(self.new_button)
        for button in (self.find_button, self.print_button, self.export_button, self.panel_button):
            self.actions_bar.addWidget(button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 8)
        layout.setSpacing(8)
        layout.addLayout(top)
        layout.addWidget(self.actions_bar)

    def _button(self, name: str, text: str, signal: object, *, role: str = "") -> QPushButton:
        button = QPushButton(text, self)
        button.setObjectName(name)
        if role:
            set_role(button, role)
        button.clicked.connect(signal)
        return button

    def _arrow(self, name: str, text: str, signal: object) -> QToolButton:
        button = QToolButton(self)
        button.setObjectName(name)
        button.setText(text)
        button.setAutoRaise(False)
        button.clicked.connect(signal)
        return button

    # -- what the page tells it ---------------------------------------------------------------

    def set_state(
        self,
        *,
        day: date,
        view: str,
        columns: str,
        practitioner_id: uuid.UUID | None,
        heading: str,
    ) -> None:
        with QSignalBlocker(self.date_edit):
            self.date_edit.setDate(QDate(day.year, day.month, day.day))
        self.view_buttons[view].setChecked(True)
        with QSignalBlocker(self.columns_combo):
            self.columns_combo.setCurrentIndex(max(0, self.columns_combo.findData(columns)))
        self._columns_action.setVisible(view == "day")
        self._select_practitioner(practitioner_id)
        # A week is one person's: "everyone" is offered only where it means something.
        self._everyone_enabled(view != "week")
        self.heading_label.setText(heading)
        self.print_button.setEnabled(view in ("day", "week", "list"))

    def set_practitioners(
        self, practitioners: Sequence[PractitionerDTO], selected: uuid.UUID | None
    ) -> None:
        with QSignalBlocker(self.practitioner_combo):
            self.practitioner_combo.clear()
            self.practitioner_combo.addItem(_("All practitioners"), None)
            for practitioner in practitioners:
                self.practitioner_combo.addItem(practitioner.display_name, str(practitioner.id))
        self._select_practitioner(selected)

    def set_summary(self, text: str) -> None:
        self.summary_label.setText(text)

    def set_can_book(self, allowed: bool) -> None:
        self._new_action.setVisible(allowed)

    def chosen_practitioner(self) -> uuid.UUID | None:
        data = self.practitioner_combo.currentData()
        return uuid.UUID(data) if data else None

    def _select_practitioner(self, practitioner_id: uuid.UUID | None) -> None:
        index = self.practitioner_combo.findData(str(practitioner_id) if practitioner_id else None)
        with QSignalBlocker(self.practitioner_combo):
            self.practitioner_combo.setCurrentIndex(max(0, index))

    def _everyone_enabled(self, enabled: bool) -> None:
        model = self.practitioner_combo.model()
        item = getattr(model, "item", None)
        if callable(item) and self.practitioner_combo.count():
            entry = item(0)
            if entry is not None:
                entry.setEnabled(enabled)

    # -- what the user does -------------------------------------------------------------------

    def _on_date_edit_changed(self, value: QDate) -> None:
        self.date_chosen.emit(_date(value))

    def _on_columns_changed(self, _index: int) -> None:
        self.columns_chosen.emit(str(self.columns_combo.currentData()))

    def _on_practitioner_changed(self, _index: int) -> None:
        self.practitioner_chosen.emit(self.chosen_practitioner())
