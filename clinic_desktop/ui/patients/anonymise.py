"""The owner's "Anonymise…" dialog for an archived patient: it shows the retention status (the
last clinical activity, the retention period, the first day the record may be anonymised) and,
once that day has come, what will be erased and what is kept, and asks for the chart number to
be typed before anything happens. Before that day it only explains until when the record is
kept. The service decides either way; its refusals show under the chart number or in the
dialog's banner. Opened without blocking through `open_dialog`, which tests replace."""

from __future__ import annotations

import html
from datetime import datetime
from zoneinfo import ZoneInfo

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from clinic_desktop.errors import UserFacingError
from clinic_desktop.i18n import _, ngettext
from clinic_desktop.services.patient_admin import PatientDTO
from clinic_desktop.services.retention import (
    AnonymisationResult,
    RetentionStatusDTO,
    anonymise_patient,
    long_date,
)
from clinic_desktop.ui.context import UiContext
from clinic_desktop.ui.style import bold, set_role
from clinic_desktop.ui.widgets.banner import Banner
from clinic_desktop.ui.widgets.forms import FieldError, FormErrors
from clinic_desktop.ui.widgets.messages import fit_width
from clinic_desktop.ui.widgets.screen_kit import MessageBanner


def open_dialog(dialog: QDialog) -> None:
    """Shows the dialog without blocking (window-modal); tests replace this to drive it."""
    dialog.open()


def anonymised_note(anonymised_at: datetime, zone: str) -> str:
    """What the editor says above an anonymised patient."""
    day = anonymised_at.astimezone(ZoneInfo(zone)).date()
    return _(
        "The identifying data was erased on {date}, after the retention period. The clinical "
        "record is kept; nothing here can be changed."
    ).format(date=long_date(day))


def done_message(result: AnonymisationResult) -> str:
    """What the editor says once it is done: what was erased, one sentence per kind."""
    parts = [
        _("Chart {chart} is anonymised: the identifying data was erased.").format(
            chart=result.patient.chart_number
        )
    ]
    if result.photo_erased:
        parts.append(_("So was the photo."))
    if result.documents_erased:
        parts.append(
            ngettext(
                "The content of {count} document was erased.",
                "The content of {count} documents was erased.",
                result.documents_erased,
            ).format(count=result.documents_erased)
        )
    return " ".join(parts)


def _bullets(lines: list[str]) -> str:
    """A bulleted list whose wrapped lines stay indented under their text."""
    items = "".join(f"<li>{html.escape(line)}</li>" for line in lines)
    return f'<ul style="margin: 0; -qt-list-indent: 1;">{items}</ul>'


def _list_label(name: str, lines: list[str], parent: QWidget) -> QLabel:
    label = QLabel(_bullets(lines), parent)
    label.setObjectName(name)
    label.setTextFormat(Qt.TextFormat.RichText)
    label.setWordWrap(True)
    return label


class AnonymiseDialog(QDialog):
    """`anonymised` carries the AnonymisationResult once the service has done it."""

    anonymised = Signal(object)

    def __init__(
        self,
        ctx: UiContext,
        patient: PatientDTO,
        status: RetentionStatusDTO,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._patient = patient
        self.status = status
        self.setObjectName("AnonymiseDialog")
        self.setWindowTitle(_("Anonymise patient"))

        card = QFrame(self)
        card.setObjectName("AnonymisePatientCard")
        set_role(card, "card")
        name = QLabel(patient.full_name, card)
        name.setObjectName("AnonymisePatientName")
        bold(name, 12)
        chart = QLabel(_("Chart {chart}").format(chart=patient.chart_number), card)
        set_role(chart, "hint")
        card_layout = QVBoxLayout(card)
        card_layout.setContentsMargins(12, 8, 12, 8)
        card_layout.setSpacing(2)
        card_layout.addWidget(name)
        card_layout.addWidget(chart)

        facts = QFormLayout()
        facts.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self.last_label = QLabel(long_date(status.last_activity), self)
        self.last_label.setObjectName("AnonymiseLastActivity")
        period = QLabel(
            ngettext("{count} year", "{count} years", status.retention_years).format(
                count=status.retention_years
            ),
            self,
        )
        period.setObjectName("AnonymiseRetentionPeriod")
        self.from_label = QLabel(long_date(status.eligible_from), self)
        self.from_label.setObjectName("AnonymiseEligibleFrom")
        bold(self.from_label)
        facts.addRow(_("Last clinical activity"), self.last_label)
        facts.addRow(_("Records are kept for"), period)
        facts.addRow(_("Can be anonymised from"), self.from_label)

        self.banner = MessageBanner("AnonymiseMessage", self)
        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        layout.addWidget(card)
        layout.addLayout(facts)
        layout.addWidget(self.banner)

        self.buttons = QDialogButtonBox(self)
        self.chart_edit = QLineEdit(self)
        self.chart_edit.setObjectName("AnonymiseChartEdit")
        self.general_error = FieldError("AnonymiseError", self)
        self.errors = FormErrors(self.general_error)
        self.confirm_button = self.buttons.addButton(
            _("Anonymise"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.confirm_button.setObjectName("ConfirmAnonymiseButton")
        set_role(self.confirm_button, "primary")
        if status.eligible:
            self._add_confirmation(layout, patient)
            close_text = _("Cancel")
        else:
            self.status_banner = Banner(
                "AnonymiseNotYetBanner",
                kind="warning",
                title=_("Not yet: the retention period is not over"),
                text=_(
                    "The clinical record must be kept until {date}. The patient stays archived; "
                    "they can be anonymised from that day."
                ).format(date=long_date(status.eligible_from)),
                parent=self,
            )
            layout.addWidget(self.status_banner)
            self.confirm_button.hide()
            self.chart_edit.hide()
            close_text = _("Close")
        close = self.buttons.addButton(close_text, QDialogButtonBox.ButtonRole.RejectRole)
        close.setObjectName("CloseAnonymiseButton")
        for button in (self.confirm_button, close):
            # Enter in the chart number box must not anonymise by itself.
            button.setAutoDefault(False)
            button.setDefault(False)
        self.confirm_button.clicked.connect(self.confirm)
        close.clicked.connect(self.reject)
        layout.addWidget(self.general_error)
        layout.addStretch(1)
        layout.addWidget(self.buttons, 0, Qt.AlignmentFlag.AlignBottom)
        self.resize(0, 0)
        fit_width(self, 600)

    def _add_confirmation(self, layout: QVBoxLayout, patient: PatientDTO) -> None:
        erased = _list_label(
            "AnonymiseErasedList",
            [
                _(
                    "Names, ID number, phones, e-mail, address, emergency contact, payer "
                    "and referral"
                ),
                _("The exact birth date (the year is kept, for statistics by age)"),
                _("The photo and the content of every attached document"),
                _("Free-text notes on consents, appointments and the waitlist"),
            ],
            self,
        )
        kept = _list_label(
            "AnonymiseKeptList",
            [
                _(
                    "The clinical record: history, allergies, medications, problems, notes "
                    "and prescriptions, and the list of documents (date, category, "
                    "description)"
                ),
                _("Consents given and withdrawn, appointments and the audit trail"),
            ],
            self,
        )
        heading_erased = QLabel(_("What is erased"), self)
        bold(heading_erased)
        heading_kept = QLabel(_("What is kept"), self)
        bold(heading_kept)
        warning = Banner(
            "AnonymiseWarning",
            kind="danger",
            title=_("This cannot be undone"),
            text=_(
                "From now on the patient shows as “Anonymised patient”. Backups made before "
                "today still hold the erased data until they are replaced by newer ones."
            ),
            parent=self,
        )
        self.chart_edit.setMaxLength(12)
        self.chart_edit.textChanged.connect(self._on_chart_edited)
        chart_error = FieldError("AnonymiseChartError", self)
        self.errors.add("confirm_chart_number", chart_error, self.chart_edit)
        prompt = QLabel(
            _("To confirm, type the chart number, {chart}:").format(chart=patient.chart_number),
            self,
        )
        prompt.setObjectName("AnonymiseChartPrompt")
        prompt.setWordWrap(True)
        self.confirm_button.setEnabled(False)
        for widget in (heading_erased, erased, heading_kept, kept, warning, prompt):
            layout.addWidget(widget)
        layout.addWidget(self.chart_edit)
        layout.addWidget(chart_error)

    def _on_chart_edited(self, text: str) -> None:
        self.confirm_button.setEnabled(bool(text.strip()))

    def confirm(self) -> None:
        """Anonymises the patient, if the service agrees."""
        if not self.status.eligible:
            return
        self.errors.clear()
        self.banner.clear_message()
        typed = self.chart_edit.text().strip()
        # Anything that is not a number cannot match; the service says so under the field.
        number = int(typed) if typed.isdigit() else 0
        ctx, patient_id = self._ctx, self._patient.id
        self.confirm_button.setEnabled(False)
        ctx.runner.run(
            lambda: anonymise_patient(
                ctx.uow(), actor=ctx.actor, patient_id=patient_id, confirm_chart_number=number
            ),
            on_done=self._on_done,
            on_user_error=self._on_user_error,
            on_error=self._on_error,
            busy_text=_("Anonymising the patient…"),
            parent=self,
        )

    def _on_done(self, result: AnonymisationResult) -> None:
        self.anonymised.emit(result)
        self.accept()

    def _on_user_error(self, error: UserFacingError) -> None:
        self.confirm_button.setEnabled(True)
        if self.errors.knows(error.field):
            self.errors.show(error.message, error.field)
        else:
            self.banner.show_message(error.message, "error")

    def _on_error(self, message: str) -> None:
        self.confirm_button.setEnabled(True)
        self.banner.show_message(message, "error")
