"""Cancelling an appointment: who cancels (the patient or the clinic), why (required), and for
a series whether the following occurrences go too. A patient's cancellation close to the start
is a late cancellation that counts in their record; the dialog says so before confirming (the
service decides it). When the freed slot suits patients on the waitlist, the offer opens right
after, so reception can fill it while the phone is still in hand."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from clinic_desktop.errors import UserFacingError
from clinic_desktop.i18n import _, ngettext
from clinic_desktop.services import appointments, series
from clinic_desktop.services.agenda_dto import AppointmentDTO, CancelResult
from clinic_desktop.services.settings import get_settings
from clinic_desktop.ui.agenda.dialog_kit import (
    clock_text,
    day_text,
    local,
    with_errors,
    zone_of,
)
from clinic_desktop.ui.agenda.waitlist_offer import WaitlistOfferDialog
from clinic_desktop.ui.context import UiContext
from clinic_desktop.ui.style import bold, set_role
from clinic_desktop.ui.widgets.forms import FieldError, FormErrors
from clinic_desktop.ui.widgets.messages import fit_width, refit
from clinic_desktop.ui.widgets.screen_kit import MessageBanner


def open_offer(dialog: QDialog) -> None:
    """Shows the waitlist offer without blocking (tests replace this to inspect it)."""
    dialog.open()


def appointment_summary(appointment: AppointmentDTO, ctx: UiContext) -> str:
    zone = zone_of(ctx)
    return _("{day}, {start}–{end} · {practitioner}").format(
        day=day_text(local(appointment.start, zone).date()),
        start=clock_text(appointment.start, zone),
        end=clock_text(appointment.end, zone),
        practitioner=appointment.practitioner_name,
    )


class CancelDialog(QDialog):
    cancelled = Signal(object)  # CancelResult | list[AppointmentDTO]

    def __init__(
        self, ctx: UiContext, appointment: AppointmentDTO, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._appointment = appointment
        self._late_hours = 24
        self.clock: Callable[[], datetime] = lambda: datetime.now(UTC)
        self.offer_dialog: WaitlistOfferDialog | None = None
        self.setObjectName("CancelDialog")
        self.setWindowTitle(_("Cancel appointment"))

        self.banner = MessageBanner("CancelMessage", self)
        card = QFrame(self)
        card.setObjectName("CancelSummary")
        set_role(card, "card")
        name = QLabel(appointment.patient_name, card)
        name.setObjectName("CancelPatientLabel")
        bold(name, 12)
        when = QLabel(appointment_summary(appointment, ctx), card)
        when.setObjectName("CancelWhenLabel")
        when.setWordWrap(True)
        card_layout = QVBoxLayout(card)
        card_layout.setContentsMargins(12, 8, 12, 8)
        card_layout.setSpacing(2)
        card_layout.addWidget(name)
        card_layout.addWidget(when)
        if appointment.type_name or appointment.reason:
            detail = QLabel(
                " · ".join(t for t in (appointment.type_name, appointment.reason) if t), card
            )
            set_role(detail, "hint")
            detail.setWordWrap(True)
            card_layout.addWidget(detail)

        self.by_patient_radio = QRadioButton(_("The patient"), self)
        self.by_patient_radio.setObjectName("ByPatientRadio")
        self.by_clinic_radio = QRadioButton(_("The clinic"), self)
        self.by_clinic_radio.setObjectName("ByClinicRadio")
        self.by_group = QButtonGroup(self)
        self.by_group.addButton(self.by_patient_radio)
        self.by_group.addButton(self.by_clinic_radio)
        self.by_patient_radio.setChecked(True)
        by_row = QHBoxLayout()
        by_row.addWidget(self.by_patient_radio)
        by_row.addWidget(self.by_clinic_radio)
        by_row.addStretch(1)
        self.reason_edit = QLineEdit(self)
        self.reason_edit.setObjectName("CancelReasonEdit")
        self.reason_edit.setMaxLength(300)
        self.reason_edit.setPlaceholderText(_("For example: the patient is travelling"))
        self.late_label = QLabel(self)
        self.late_label.setObjectName("LateCancellationHint")
        self.late_label.setWordWrap(True)
        set_role(self.late_label, "field-warning")
        self.late_label.hide()

        # Only a series asks how far the cancellation goes.
        self.scope_box = QWidget(self)
        self.only_this_radio = QRadioButton(_("Only this appointment"), self.scope_box)
        self.only_this_radio.setObjectName("CancelOnlyThisRadio")
        self.following_radio = QRadioButton(_("This and the following ones"), self.scope_box)
        self.following_radio.setObjectName("CancelFollowingRadio")
        self.scope_group = QButtonGroup(self)
        self.scope_group.addButton(self.only_this_radio)
        self.scope_group.addButton(self.following_radio)
        self.only_this_radio.setChecked(True)
        scope = QVBoxLayout(self.scope_box)
        scope.setContentsMargins(0, 0, 0, 0)
        scope.setSpacing(2)
        scope.addWidget(self.only_this_radio)
        scope.addWidget(self.following_radio)

        self.general_error = FieldError("CancelError", self)
        self.errors = FormErrors(self.general_error)
        by_error = FieldError("CancelledByError", self)
        reason_error = FieldError("CancelReasonError", self)
        self.errors.add("cancelled_by", by_error, None)
        self.errors.add("cancel_reason", reason_error, self.reason_edit)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        form.addRow(_("Who cancels"), with_errors(by_row, by_error))
        form.addRow(_("Reason"), with_errors(self.reason_edit, reason_error, self.late_label))
        if appointment.series_id is not None:
            form.addRow(_("Applies to"), self.scope_box)
        else:
            self.scope_box.hide()

        self.buttons = QDialogButtonBox(self)
        self.confirm_button = self.buttons.addButton(
            _("Cancel appointment"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.confirm_button.setObjectName("ConfirmCancelButton")
        set_role(self.confirm_button, "primary")
        keep = self.buttons.addButton(_("Keep it"), QDialogButtonBox.ButtonRole.RejectRole)
        keep.setObjectName("KeepAppointmentButton")
        # Enter in the reason box must neither cancel by accident nor close and lose the text.
        for button in (self.confirm_button, keep):
            button.setAutoDefault(False)
            button.setDefault(False)
        self.confirm_button.clicked.connect(self.confirm)
        keep.clicked.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        layout.addWidget(card)
        layout.addWidget(self.banner)
        layout.addLayout(form)
        layout.addWidget(self.general_error)
        layout.addStretch(1)
        layout.addWidget(self.buttons, 0, Qt.AlignmentFlag.AlignBottom)
        self.resize(0, 0)  # fit_width only grows a window; start from its minimum
        fit_width(self, 560)  # messages appearing under the fields get their room

        self.by_patient_radio.toggled.connect(self._update_late_hint)
        ctx.runner.run(
            lambda: get_settings(ctx.uow(), actor=ctx.actor),
            on_done=self._on_settings_loaded,
            on_error=lambda _message: self._update_late_hint(),
            parent=self,
        )

    def _on_settings_loaded(self, settings: dict[str, object]) -> None:
        self._late_hours = int(str(settings.get("agenda.late_cancel_hours", 24)))
        self._update_late_hint()

    def is_late(self) -> bool:
        """Whether the service will record a late cancellation (for display only)."""
        if not self.by_patient_radio.isChecked():
            return False
        return self._appointment.start - self.clock() < timedelta(hours=self._late_hours)

    def _update_late_hint(self, *_args: object) -> None:
        if self.is_late():
            self.late_label.setText(
                ngettext(
                    "Late cancellation: less than {count} hour before the appointment. "
                    "It will count in the patient's record.",
                    "Late cancellation: less than {count} hours before the appointment. "
                    "It will count in the patient's record.",
                    self._late_hours,
                ).format(count=self._late_hours)
            )
        self.late_label.setVisible(self.is_late())
        # Measured once the layout has taken the hint in (it lags until the event loop runs).
        QTimer.singleShot(0, self, self._refit)

    def _refit(self) -> None:
        refit(self.late_label)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        QTimer.singleShot(0, self, self._refit)

    def confirm(self) -> None:
        """Cancels (this one, or this and the following ones of a series)."""
        self.errors.clear()
        self.banner.clear_message()
        ctx, appointment = self._ctx, self._appointment
        by = "patient" if self.by_patient_radio.isChecked() else "clinic"
        reason = self.reason_edit.text()
        if appointment.series_id is not None and self.following_radio.isChecked():

            def call() -> object:
                return series.cancel_following(
                    ctx.uow(), actor=ctx.actor, appointment_id=appointment.id, by=by, reason=reason
                )
        else:

            def call() -> object:
                return appointments.cancel_appointment(
                    ctx.uow(), actor=ctx.actor, appointment_id=appointment.id, by=by, reason=reason
                )

        self.confirm_button.setEnabled(False)
        ctx.runner.run(
            call,
            on_done=self._on_cancel_done,
            on_error=self._on_cancel_error,
            on_user_error=self._on_user_error,
            parent=self,
        )

    def _on_cancel_done(self, result: object) -> None:
        self.confirm_button.setEnabled(True)
        self.cancelled.emit(result)
        self.accept()
        if isinstance(result, CancelResult) and result.waitlist_matches:
            freed = result.appointment
            self.offer_dialog = WaitlistOfferDialog(
                self._ctx,
                result.waitlist_matches,
                freed.practitioner_id,
                freed.start,
                self.parentWidget(),
                practitioner_name=freed.practitioner_name,
                minutes=freed.minutes,
            )
            open_offer(self.offer_dialog)

    def _on_cancel_error(self, message: str) -> None:
        self.confirm_button.setEnabled(True)
        self.banner.show_message(message, "error")

    def _on_user_error(self, error: UserFacingError) -> None:
        self.confirm_button.setEnabled(True)
        if self.errors.knows(error.field):
            self.errors.show(error.message, error.field)
        else:
            self.banner.show_message(error.message, "error")
