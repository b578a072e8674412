"""The consents box of the patient editor: for each kind of consent (data processing, reminders
by e-mail, SMS or WhatsApp) the patient's latest answer with when and by whom it was recorded,
and buttons to record a new "given" or "withdrawn" answer. Earlier answers stay in the history
(shown as a tooltip); nothing here edits or deletes an answer."""

from __future__ import annotations

import uuid
from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QGridLayout, QGroupBox, QLabel, QPushButton, QWidget

from clinic_desktop.errors import UserFacingError
from clinic_desktop.i18n import _
from clinic_desktop.services.labels import CONSENT_LABELS, consent_label
from clinic_desktop.services.patient_admin import ConsentDTO, list_consents, record_consent
from clinic_desktop.ui.context import UiContext
from clinic_desktop.ui.widgets.screen_kit import format_when


class ConsentsBox(QGroupBox):
    """Latest answer per kind; `changed` fires after an answer is recorded."""

    changed = Signal()
    failed = Signal(str)

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(_("Consents"), parent)
        self.setObjectName("PatientConsentsBox")
        self._ctx = ctx
        self._patient_id: uuid.UUID | None = None
        self._writable = ctx.can("patients.write")
        self.history: list[ConsentDTO] = []
        self.state_labels: dict[str, QLabel] = {}
        self.given_buttons: dict[str, QPushButton] = {}
        self.withdrawn_buttons: dict[str, QPushButton] = {}
        grid = QGridLayout(self)
        grid.setColumnStretch(1, 1)
        for row, kind in enumerate(CONSENT_LABELS):
            grid.addWidget(QLabel(consent_label(kind), self), row, 0)
            state = QLabel(self)
            state.setObjectName(f"ConsentState_{kind}")
            state.setWordWrap(True)
            self.state_labels[kind] = state
            grid.addWidget(state, row, 1)
            given = self._button(f"ConsentGiven_{kind}", _("Given"), kind, True)
            withdrawn = self._button(f"ConsentWithdrawn_{kind}", _("Withdrawn"), kind, False)
            self.given_buttons[kind] = given
            self.withdrawn_buttons[kind] = withdrawn
            grid.addWidget(given, row, 2)
            grid.addWidget(withdrawn, row, 3)

    def _button(self, name: str, text: str, kind: str, granted: bool) -> QPushButton:
        button = QPushButton(text, self)
        button.setObjectName(name)
        button.setVisible(self._writable)
        button.clicked.connect(self._recorder(kind, granted))
        return button

    def _recorder(self, kind: str, granted: bool) -> Callable[[], None]:
        return lambda: self.record(kind, granted)

    def set_writable(self, writable: bool) -> None:
        """Hides the answer buttons (a role without patients.write, an anonymised patient)."""
        self._writable = writable
        for button in (*self.given_buttons.values(), *self.withdrawn_buttons.values()):
            button.setVisible(writable)

    def load(self, patient_id: uuid.UUID | None) -> None:
        self._patient_id = patient_id
        if patient_id is None:
            self._show([])
            return
        ctx = self._ctx
        ctx.runner.run(
            lambda: list_consents(ctx.uow(), actor=ctx.actor, patient_id=patient_id),
            on_done=self._show,
            on_error=self.failed.emit,
            parent=self,
        )

    def record(self, kind: str, granted: bool) -> None:
        patient_id = self._patient_id
        if patient_id is None:
            return
        ctx = self._ctx
        ctx.runner.run(
            lambda: record_consent(
                ctx.uow(), actor=ctx.actor, patient_id=patient_id, kind=kind, granted=granted
            ),
            on_done=self._on_recorded,
            on_user_error=self._on_user_error,
            on_error=self.failed.emit,
            parent=self,
        )

    def _on_user_error(self, exc: UserFacingError) -> None:
        self.failed.emit(exc.message)

    def _on_recorded(self, consents: list[ConsentDTO]) -> None:
        self._show(consents)
        self.changed.emit()

    def _show(self, consents: list[ConsentDTO]) -> None:
        self.history = list(consents)
        zone = self._ctx.clinic.timezone
        for kind, label in self.state_labels.items():
            answers = [c for c in consents if c.kind == kind]  # newest first
            if not answers:
                label.setText(_("Not asked yet"))
                label.setToolTip("")
            else:
                latest = answers[0]
                label.setText(self._answer_text(latest, zone))
                label.setToolTip("\n".join(self._answer_text(a, zone) for a in answers))
            for button in (self.given_buttons[kind], self.withdrawn_buttons[kind]):
                button.setEnabled(self._patient_id is not None)

    @staticmethod
    def _answer_text(answer: ConsentDTO, zone: str) -> str:
        text = _("Given") if answer.granted else _("Withdrawn")
        return _("{answer} · {when} · {who}").format(
            answer=text, when=format_when(answer.recorded_at, zone), who=answer.recorded_by
        )
