"""The appointment dialog: book a new appointment (once, or as a series with its dates checked
first) or edit one. Saving goes through the agenda services, which check every rule; a refusal
keeps the dialog open with the message under the field at fault. A time that breaks a soft rule
(outside hours, a closure, a holiday, the past) reveals a 'Book anyway' area with the problems
and a required reason for whoever manages schedules; everyone else is told to choose another
time. Editing one appointment of a series asks whether the new time applies to the following
ones too. For users who read clinical content, the patient's allergy alert heads the dialog."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QLabel,
    QRadioButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from clinic_desktop.errors import (
    ConcurrentEditError,
    NeedsOverride,
    UserFacingError,
)
from clinic_desktop.i18n import _
from clinic_desktop.services import series
from clinic_desktop.services.agenda_dto import AppointmentDTO, OccurrencePreview
from clinic_desktop.services.agenda_labels import status_label
from clinic_desktop.ui.agenda.allergy_alerts import patient_allergy_banner
from clinic_desktop.ui.agenda.appointment_form import DEFAULT_MINUTES, AppointmentForm
from clinic_desktop.ui.agenda.appointment_save import save_call
from clinic_desktop.ui.agenda.dialog_kit import (
    Choices,
    clock_text,
    from_qdate,
    load_choices,
    local,
    zone_of,
)
from clinic_desktop.ui.agenda.override_prompt import OverrideArea
from clinic_desktop.ui.agenda.repeat_section import RepeatSection
from clinic_desktop.ui.context import UiContext
from clinic_desktop.ui.style import set_role
from clinic_desktop.ui.widgets.screen_kit import MessageBanner

MOVABLE = frozenset({"scheduled", "confirmed"})
SERIES_FIELDS = frozenset({"series", "unit", "interval", "until", "count", "weekdays"})


def _next_slot(now: datetime, step: int = 15) -> datetime:
    now = now.replace(second=0, microsecond=0)
    return now + timedelta(minutes=(-now.minute) % step or step)


class AppointmentDialog(QDialog):
    """New appointment when `appointment` is None, otherwise an edit of the loaded version."""

    saved = Signal(object)  # AppointmentDTO | SeriesResult | list[AppointmentDTO]

    def __init__(
        self,
        ctx: UiContext,
        *,
        appointment: AppointmentDTO | None = None,
        practitioner_id: uuid.UUID | None = None,
        start: datetime | None = None,
        minutes: int | None = None,
        patient_id: uuid.UUID | None = None,
        patient_name: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._zone = zone_of(ctx)
        self._appointment = appointment
        self._prefill = (practitioner_id, start, minutes, patient_id, patient_name)
        self.choices: Choices | None = None
        self.setObjectName("AppointmentDialog")
        self.setMinimumWidth(640)

        self.banner = MessageBanner("AppointmentMessage", self)
        self.status_label = QLabel(self)
        self.status_label.setObjectName("AppointmentStatusLabel")
        self.status_label.setWordWrap(True)
        set_role(self.status_label, "hint")
        self.status_label.hide()
        self.form = AppointmentForm(ctx, self._zone, self)
        self.allergy_banner = patient_allergy_banner(
            ctx, self.form.patient_picker, self, on_resized=self.schedule_fit
        )
        self.scope_box = QFrame(self)
        self.scope_box.setObjectName("SeriesScopeBox")
        set_role(self.scope_box, "card")
        self.only_this_radio = QRadioButton(_("Only this appointment"), self.scope_box)
        self.only_this_radio.setObjectName("OnlyThisRadio")
        self.following_radio = QRadioButton(_("This and the following ones"), self.scope_box)
        self.following_radio.setObjectName("FollowingRadio")
        self.scope_group = QButtonGroup(self)
        self.scope_group.addButton(self.only_this_radio)
        self.scope_group.addButton(self.following_radio)
        self.only_this_radio.setChecked(True)
        scope_title = QLabel(_("This appointment is part of a series. Apply a new time to:"))
        scope_title.setWordWrap(True)
        scope_layout = QVBoxLayout(self.scope_box)
        scope_layout.setContentsMargins(12, 8, 12, 8)
        scope_layout.addWidget(scope_title)
        scope_layout.addWidget(self.only_this_radio)
        scope_layout.addWidget(self.following_radio)
        self.scope_box.setVisible(appointment is not None and appointment.series_id is not None)
        self.repeat = RepeatSection(self)
        self.repeat.setVisible(appointment is None)
        self.override = OverrideArea(self)

        body = QWidget(self)
        body_layout = QVBoxLayout(body)
        body_layout.setContentsMargins(2, 2, 12, 2)
        body_layout.setSpacing(12)
        body_layout.addWidget(self.allergy_banner)
        body_layout.addWidget(self.status_label)
        body_layout.addWidget(self.form)
        body_layout.addWidget(self.scope_box)
        body_layout.addWidget(self.repeat)
        body_layout.addWidget(self.override)
        body_layout.addStretch(1)
        self.scroll_area = QScrollArea(self)
        self.scroll_area.setObjectName("AppointmentScroll")
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll_area.setWidget(body)

        self.buttons = QDialogButtonBox(self)
        self.save_button = self.buttons.addButton("", QDialogButtonBox.ButtonRole.AcceptRole)
        self.save_button.setObjectName("SaveAppointmentButton")
        self.save_button.setDefault(True)
        set_role(self.save_button, "primary")
        self.cancel_button = self.buttons.addButton(
            _("Close") if self._read_only else _("Cancel"), QDialogButtonBox.ButtonRole.RejectRole
        )
        self.cancel_button.setObjectName("CancelAppointmentButton")
        self.save_button.clicked.connect(self.save)
        self.cancel_button.clicked.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addWidget(self.scroll_area, 1)
        layout.addWidget(self.buttons)

        self.form.when_changed.connect(self._on_form_when_changed)
        self.form.patient_picker.layout_changed.connect(self.schedule_fit)
        self.repeat.changed.connect(self._on_repeat_changed)
        self.repeat.check_requested.connect(self.check_dates)
        self.setWindowTitle(
            _("New appointment")
            if appointment is None
            else _("Appointment of {patient}").format(patient=appointment.patient_name)
        )
        self._update_save_text()
        self.resize(700, 560)
        ctx.runner.run(
            lambda: load_choices(ctx),
            on_done=self._on_choices_loaded,
            on_error=self._show_error_text,
            parent=self,
        )

    @property
    def _read_only(self) -> bool:
        return self._appointment is not None and self._appointment.status in ("cancelled",)

    # -- loading ---------------------------------------------------------------------------

    def _on_choices_loaded(self, choices: Choices) -> None:
        self.choices = choices
        self.form.set_choices(choices)
        if self._appointment is None:
            self._prefill_new(choices)
        else:
            self._load(self._appointment)
        self.override.withdraw()
        self._update_save_text()
        self.schedule_fit()

    def _prefill_new(self, choices: Choices) -> None:
        practitioner_id, start, minutes, patient_id, patient_name = self._prefill
        form = self.form
        form.offer_missing(form.practitioner_combo, practitioner_id, None)
        moment = start or _next_slot(datetime.now(UTC), choices.slot_minutes)
        form.set_when(moment, minutes or DEFAULT_MINUTES)
        self.repeat.set_first_day(local(moment, self._zone).date())
        if patient_id is not None:
            form.patient_picker.select_id(patient_id, patient_name)

    def _load(self, appointment: AppointmentDTO) -> None:
        form = self.form
        form.offer_missing(
            form.practitioner_combo, appointment.practitioner_id, appointment.practitioner_name
        )
        form.offer_missing(form.room_combo, appointment.room_id, appointment.room_name)
        form.offer_missing(form.type_combo, appointment.type_id, appointment.type_name)
        form.set_when(appointment.start, appointment.minutes)
        form.set_mode(appointment.mode)
        form.reason_edit.setText(appointment.reason)
        form.notes_edit.setPlainText(appointment.notes)
        form.patient_picker.select_id(
            appointment.patient_id, appointment.patient_name, appointment.chart_number
        )
        if appointment.status not in MOVABLE:
            state = status_label(appointment.status)
            if appointment.arrived_at is not None and appointment.status == "arrived":
                state = _("{status} at {time}").format(
                    status=state, time=clock_text(appointment.arrived_at, self._zone)
                )
            reason = _("This appointment is “{status}”: its time can no longer change.").format(
                status=state
            )
            self.status_label.setText(reason)
            self.status_label.show()
            form.lock_time(reason)
            self.scope_box.hide()
        if self._read_only:
            form.setEnabled(False)
            self.save_button.hide()

    # -- saving ----------------------------------------------------------------------------

    def is_series(self) -> bool:
        return self._appointment is None and self.repeat.is_on()

    def save(self) -> None:
        """Validates and saves; the dialog closes only when the service accepted it."""
        self._clear_errors()
        values = self.form.values()
        if values.patient_id is None:
            self.form.errors.show(_("Patient: choose an existing patient."), "patient")
            return
        if values.practitioner_id is None:
            self.form.errors.show(_("Practitioner: choose an active practitioner."), "practitioner")
            return
        override_reason: str | None = None
        if self.override.active:
            override_reason = self.override.reason()
            if not override_reason:
                self.override.reason_error.show_error(
                    _("Override reason: say why the rule is overridden.")
                )
                self.override.reason_edit.setFocus()
                return
        call = save_call(
            self._ctx,
            current=self._appointment,
            values=values,
            zone=self._zone,
            repeat=self.repeat.values() if self.is_series() else None,
            skip_conflicts=self.repeat.skip_conflicts(),
            following=self.following_radio.isChecked(),
            override_reason=override_reason,
        )
        self.save_button.setEnabled(False)
        self._ctx.runner.run(
            call,
            on_done=self._on_save_done,
            on_error=self._on_save_error,
            on_user_error=self._on_user_error,
            busy_text=_("Saving the appointment…"),
            parent=self,
        )

    def _on_save_done(self, result: object) -> None:
        self.save_button.setEnabled(True)
        self.saved.emit(result)
        self.accept()

    def _on_save_error(self, message: str) -> None:
        self.save_button.setEnabled(True)
        self._show_error_text(message)

    def _on_user_error(self, error: UserFacingError) -> None:
        self.save_button.setEnabled(True)
        if isinstance(error, NeedsOverride):
            self._needs_override(error.message, error.problems)
        elif error.field == "override_reason":
            self.override.reason_error.show_error(error.message)
        elif error.field in SERIES_FIELDS:
            self.repeat.show_error(error.message)
            self._offer_series_override(error)
        elif self.form.errors.knows(error.field):
            self.form.errors.show(error.message, error.field)
            self._reveal(self.form)
        else:
            kind = "warn" if isinstance(error, ConcurrentEditError) else "error"
            self.banner.show_message(error.message, kind)

    def _needs_override(self, message: str, problems: tuple[str, ...]) -> None:
        if self._ctx.can("schedule.manage"):
            self.override.reveal(problems)
            self._update_save_text()
            self.schedule_fit()
            self._reveal(self.override)
            return
        self.form.errors.show(message, "start")
        self.banner.show_message(
            _(
                "{problems} Only someone who manages schedules can book outside the rules: "
                "choose another time."
            ).format(problems=message),
            "error",
        )

    def _offer_series_override(self, error: UserFacingError) -> None:
        """A series refused only for soft problems (outside hours, holidays...) may be booked
        anyway by whoever manages schedules, like a single appointment."""
        previews: list[OccurrencePreview] = self.repeat.previews
        problems = [p for o in previews for p in o.problems]
        if (
            error.field == "series"
            and problems
            and not any(p.blocking for p in problems)
            and self._ctx.can("schedule.manage")
            and not self.repeat.skip_conflicts()
        ):
            self._needs_override(error.message, tuple(dict.fromkeys(p.message for p in problems)))

    # -- the series preview ----------------------------------------------------------------

    def check_dates(self) -> None:
        """Lists every occurrence of the series with what would stop it, saving nothing."""
        self._clear_errors()
        values = self.form.values()
        if values.practitioner_id is None:
            self.form.errors.show(_("Practitioner: choose an active practitioner."), "practitioner")
            return
        ctx, repeat = self._ctx, self.repeat.values()
        local_start = local(values.start, self._zone)
        practitioner_id = values.practitioner_id
        ctx.runner.run(
            lambda: series.preview_series(
                ctx.uow(),
                actor=ctx.actor,
                practitioner_id=practitioner_id,
                first_day=local_start.date(),
                at=local_start.time(),
                minutes=values.minutes,
                unit=repeat.unit,
                interval=repeat.interval,
                weekdays=repeat.weekdays,
                until=repeat.until,
                count=repeat.count,
                room_id=values.room_id,
            ),
            on_done=self._on_preview_done,
            on_error=self._show_error_text,
            on_user_error=self._on_user_error,
            parent=self,
        )

    def _on_preview_done(self, previews: list[OccurrencePreview]) -> None:
        self.repeat.show_preview(previews, self._zone)
        self.schedule_fit()
        self._reveal(self.repeat.skip_check)

    # -- helpers ---------------------------------------------------------------------------

    def schedule_fit(self) -> None:
        # After the event loop has laid out what was just shown or hidden.
        QTimer.singleShot(0, self, self.fit_height)

    def fit_height(self) -> None:
        """As tall as the content (the repeat section and the override area come and go),
        within the screen; beyond that the body scrolls."""
        screen = self.screen()
        room = screen.availableGeometry().height() - 60 if screen is not None else 860
        layout = self.layout()
        assert layout is not None
        margins = layout.contentsMargins()
        body = self.scroll_area.widget()
        assert body is not None
        need = (
            body.sizeHint().height()
            + self.buttons.sizeHint().height()
            + (self.banner.sizeHint().height() + layout.spacing() if self.banner.isVisible() else 0)
            + margins.top()
            + margins.bottom()
            + layout.spacing()
        )
        self.resize(self.width(), max(420, min(need, room)))

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.schedule_fit()

    def _on_repeat_changed(self) -> None:
        self._update_save_text()
        self.schedule_fit()

    def _on_form_when_changed(self) -> None:
        if self.override.active:
            self.override.withdraw()
            self._update_save_text()
        if self._appointment is None:
            self.repeat.set_first_day(from_qdate(self.form.date_edit.date()))

    def _update_save_text(self) -> None:
        if self.override.active:
            text = _("Book anyway")
        elif self._appointment is not None:
            text = _("Save changes")
        elif self.repeat.is_on():
            text = _("Book series")
        else:
            text = _("Book appointment")
        self.save_button.setText(text)

    def _clear_errors(self) -> None:
        self.banner.clear_message()
        self.form.errors.clear()
        self.repeat.clear_error()
        self.override.reason_error.clear_message()

    def _show_error_text(self, message: str) -> None:
        self.banner.show_message(message, "error")

    def _reveal(self, widget: QWidget) -> None:
        self.scroll_area.ensureWidgetVisible(widget)
