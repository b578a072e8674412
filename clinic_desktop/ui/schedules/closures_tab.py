"""The closures and holidays tab: days the whole clinic is shut. Closures (an inventory day,
the Christmas week) are added here with a reason and removed to the trash; public holidays
come by themselves from the clinic's country and are listed read-only for the coming twelve
months, so staff can see which days the agenda already treats as closed."""

from __future__ import annotations

from datetime import date, timedelta

from babel import Locale
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from clinic_desktop.errors import UserFacingError
from clinic_desktop.i18n import _, current_language, ngettext
from clinic_desktop.services.agenda_dto import ClosureDTO
from clinic_desktop.services.agenda_rules import holidays_between
from clinic_desktop.services.schedules import add_closure, list_closures, remove_closure
from clinic_desktop.ui.context import UiContext
from clinic_desktop.ui.schedules.common import (
    SwatchListModel,
    card,
    date_edit,
    field_error,
    fit_columns,
    form_label,
    format_day,
    hint,
    make_table,
    show_user_error,
    subtitle,
    to_date,
    with_error,
)
from clinic_desktop.ui.style import set_role
from clinic_desktop.ui.widgets import screen_kit
from clinic_desktop.ui.widgets.forms import FormErrors
from clinic_desktop.ui.widgets.screen_kit import Column, MessageBanner

Holiday = tuple[date, str]


def country_name(code: str) -> str:
    territories = Locale.parse(current_language()).territories
    return str(territories.get(code, code))


def closure_days(closure: ClosureDTO) -> int:
    return (closure.last_day - closure.first_day).days + 1


class ClosuresTab(QWidget):
    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.setObjectName("ClosuresTab")
        self._closures: list[ClosureDTO] = []
        self.banner = MessageBanner("ClosuresMessage", self)

        form_card, form_layout = card("ClosureForm", self)
        self.first_day_edit = date_edit("ClosureFirstDayEdit", form_card)
        self.first_day_edit.dateChanged.connect(self._on_first_day_changed)
        self.last_day_edit = date_edit("ClosureLastDayEdit", form_card)
        self.reason_edit = QLineEdit(form_card)
        self.reason_edit.setObjectName("ClosureReasonEdit")
        self.reason_edit.setMaxLength(200)
        self.reason_edit.setPlaceholderText(_("For example: inventory, Christmas holidays"))
        self.add_button = QPushButton(_("Add closure"), form_card)
        self.add_button.setObjectName("AddClosureButton")
        set_role(self.add_button, "primary")
        self.add_button.clicked.connect(self._on_add_button_clicked)
        general = field_error("ClosureError", form_card)
        self.errors = FormErrors(general)
        last_error = field_error("ClosureError_last_day", form_card)
        self.errors.add("last_day", last_error, self.last_day_edit)
        reason_error = field_error("ClosureError_reason", form_card)
        self.errors.add("reason", reason_error, self.reason_edit)
        days = QHBoxLayout()
        days.setContentsMargins(0, 0, 0, 0)
        days.addWidget(self.first_day_edit)
        days.addWidget(QLabel(_("to"), form_card))
        days.addWidget(self.last_day_edit)
        days.addStretch(1)
        days_box = QWidget(form_card)
        days_box.setLayout(days)
        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        form.setVerticalSpacing(10)
        form.setHorizontalSpacing(16)
        form.addRow(form_label(_("Days"), form_card), with_error(days_box, last_error, form_card))
        form.addRow(
            form_label(_("Reason"), form_card),
            with_error(self.reason_edit, reason_error, form_card),
        )
        add_row = QHBoxLayout()
        add_row.addStretch(1)
        add_row.addWidget(self.add_button)
        form_layout.addWidget(subtitle(_("Close the clinic"), form_card))
        form_layout.addWidget(
            hint(
                _(
                    "No one can be booked on these days without an explicit override. "
                    "Public holidays need no entry: they are already closed."
                ),
                form_card,
            )
        )
        form_layout.addLayout(form)
        form_layout.addWidget(general)
        form_layout.addLayout(add_row)

        self.past_check = QCheckBox(_("Show past closures"), self)
        self.past_check.setObjectName("ShowPastClosuresCheck")
        self.past_check.toggled.connect(self._show_closures)
        self.remove_button = QPushButton(_("Remove…"), self)
        self.remove_button.setObjectName("RemoveClosureButton")
        self.remove_button.clicked.connect(self._on_remove_button_clicked)
        self.model: SwatchListModel[ClosureDTO] = SwatchListModel(
            [
                Column(_("From"), lambda c: format_day(c.first_day)),
                Column(_("To"), lambda c: format_day(c.last_day)),
                Column(_("Days"), lambda c: str(closure_days(c))),
                Column(_("Reason"), lambda c: c.reason),
            ],
            parent=self,
        )
        self.table = make_table("ClosuresTable", self.model, self)
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        self.empty_label = hint(_("No closures planned."), self)
        self.empty_label.setObjectName("ClosuresEmpty")
        list_header = QHBoxLayout()
        list_header.addWidget(subtitle(_("Closures"), self))
        list_header.addStretch(1)
        list_header.addWidget(self.past_check)
        list_header.addWidget(self.remove_button)
        left = QVBoxLayout()
        left.setSpacing(12)
        left.addWidget(form_card)
        left.addLayout(list_header)
        left.addWidget(self.table, 1)
        left.addWidget(self.empty_label)

        holidays_card, holidays_layout = card("HolidaysCard", self)
        self.holidays_title = subtitle(_("Public holidays (automatic)"), holidays_card)
        self.holidays_title.setObjectName("HolidaysTitle")
        self.holidays_hint = hint("", holidays_card)
        self.holidays_hint.setObjectName("HolidaysHint")
        self.holidays_model: SwatchListModel[Holiday] = SwatchListModel(
            [
                Column(_("Date"), lambda h: format_day(h[0])),
                Column(_("Holiday"), lambda h: h[1]),
            ],
            parent=self,
        )
        self.holidays_table = make_table("HolidaysTable", self.holidays_model, holidays_card)
        self.holidays_table.setSelectionMode(self.holidays_table.SelectionMode.NoSelection)
        self.holidays_table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        holidays_layout.addWidget(self.holidays_title)
        holidays_layout.addWidget(self.holidays_hint)
        holidays_layout.addWidget(self.holidays_table, 1)

        columns = QHBoxLayout()
        columns.setSpacing(18)
        columns.addLayout(left, 3)
        columns.addWidget(holidays_card, 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 14, 16, 14)
        layout.addWidget(self.banner)
        layout.addLayout(columns, 1)
        self._update_buttons()

    # -- data ------------------------------------------------------------------------------

    def refresh(self) -> None:
        ctx = self._ctx
        country = ctx.clinic.country
        today = date.today()
        ctx.runner.run(
            lambda: list_closures(ctx.uow(), actor=ctx.actor),
            on_done=self._on_closures_loaded,
            on_error=self._show_error,
            parent=self,
        )
        # The holidays are computed, not stored: no transaction, and no failure to report
        # beyond an empty list (an unsupported country has none).
        ctx.runner.run(
            lambda: sorted(holidays_between(country, today, today + timedelta(days=365)).items()),
            on_done=self._on_holidays_loaded,
            on_error=self._show_error,
            parent=self,
        )
        self.holidays_hint.setText(
            _(
                "From the public calendar of {country}, for the next twelve months. The agenda "
                "treats them as closed; booking on one needs an override."
            ).format(country=country_name(country))
        )

    def _on_closures_loaded(self, closures: list[ClosureDTO]) -> None:
        self._closures = closures
        self._show_closures()

    def _show_closures(self, *_args: object) -> None:
        today = date.today()
        rows = [c for c in self._closures if self.past_check.isChecked() or c.last_day >= today]
        self.model.set_rows(rows)
        fit_columns(self.table)
        self.empty_label.setVisible(not rows)
        self._update_buttons()

    def _on_holidays_loaded(self, holidays: list[Holiday]) -> None:
        self.holidays_model.set_rows(holidays)
        fit_columns(self.holidays_table)

    def holiday_names(self) -> dict[date, str]:
        return dict(self.holidays_model.rows())

    def _show_error(self, message: str) -> None:
        self.banner.show_message(message, "error")

    # -- adding ----------------------------------------------------------------------------

    def _on_first_day_changed(self, value: object) -> None:
        if self.last_day_edit.date() < self.first_day_edit.date():
            self.last_day_edit.setDate(self.first_day_edit.date())

    def _on_add_button_clicked(self) -> None:
        self.add()

    def add(self) -> None:
        ctx = self._ctx
        self.banner.clear_message()
        self.errors.clear()
        first, last = to_date(self.first_day_edit.date()), to_date(self.last_day_edit.date())
        reason = self.reason_edit.text()
        ctx.runner.run(
            lambda: add_closure(
                ctx.uow(), actor=ctx.actor, first_day=first, last_day=last, reason=reason
            ),
            on_done=self._on_added,
            on_error=self._show_error,
            on_user_error=self._on_add_refused,
            parent=self,
        )

    def _on_added(self, closure: ClosureDTO) -> None:
        self.reason_edit.clear()
        days = closure_days(closure)
        self.banner.show_message(
            ngettext(
                "The clinic is closed on {first} ({reason}).",
                "The clinic is closed {count} days from {first} ({reason}).",
                days,
            ).format(count=days, first=format_day(closure.first_day), reason=closure.reason),
            "ok",
        )
        self.refresh()

    def _on_add_refused(self, error: UserFacingError) -> None:
        show_user_error(error, self.errors, self.banner)

    # -- removing --------------------------------------------------------------------------

    def selected(self) -> ClosureDTO | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row()) if rows else None

    def _update_buttons(self, *_args: object) -> None:
        self.remove_button.setEnabled(self.selected() is not None)

    def _on_remove_button_clicked(self) -> None:
        self.remove_selected()

    def remove_selected(self) -> None:
        closure = self.selected()
        if closure is None or not screen_kit.confirm(
            self,
            _("Remove closure"),
            _(
                "Open the clinic again on the days of “{reason}”? The closure goes to the trash."
            ).format(reason=closure.reason),
            _("Remove closure"),
        ):
            return
        ctx = self._ctx
        ctx.runner.run(
            lambda: remove_closure(ctx.uow(), actor=ctx.actor, closure_id=closure.id),
            on_done=lambda _none: self._on_removed(closure),
            on_error=self._show_error,
            parent=self,
        )

    def _on_removed(self, closure: ClosureDTO) -> None:
        self.banner.show_message(
            _("Removed the closure “{reason}”; it is in the trash.").format(reason=closure.reason),
            "ok",
        )
        self.refresh()
