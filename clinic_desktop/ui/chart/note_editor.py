"""The draft note editor on the right of the notes tab: date and time, the five SOAP fields,
the vital-signs row, and Save draft / Sign / Discard draft / Prescribe…. Saving sends the
version it loaded; unusual vital signs are shown and saved only if the doctor confirms;
refusals appear under the field they name. Signing saves pending changes first, then asks
for confirmation, because a signed note can no longer change."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from itertools import pairwise
from zoneinfo import ZoneInfo

from PySide6.QtCore import QDate, QDateTime, QTime, Signal
from PySide6.QtWidgets import (
    QDateTimeEdit,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from clinic_desktop.errors import UserFacingError
from clinic_desktop.i18n import _
from clinic_desktop.services.encounter_dto import (
    SOAP_FIELDS,
    VITAL_KEYS,
    EncounterDTO,
    EncounterForm,
)
from clinic_desktop.services.encounters import (
    ImplausibleVitals,
    discard_draft,
    save_encounter,
    sign_encounter,
)
from clinic_desktop.services.note_templates import find_prompts
from clinic_desktop.ui.chart.note_format import day_text, when_text
from clinic_desktop.ui.chart.note_text import SoapFields, show_refusal
from clinic_desktop.ui.chart.note_vitals import VitalsRow
from clinic_desktop.ui.context import UiContext
from clinic_desktop.ui.style import set_role
from clinic_desktop.ui.widgets import screen_kit
from clinic_desktop.ui.widgets.forms import FieldError, FormErrors
from clinic_desktop.ui.widgets.screen_kit import MessageBanner

# (fewest, most) lines each text box shows before it scrolls.
_LINES = {"subjective": (5, 16), "objective": (4, 14), "assessment": (3, 10), "plan": (4, 14)}


class NoteEditor(QWidget):
    """Edits one draft. Signals carry the stored note (or its id once discarded)."""

    saved = Signal(object)
    signed = Signal(object)
    discarded = Signal(object)
    prescribe_requested = Signal(object)

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("NoteEditor")
        self._ctx = ctx
        self._zone = ctx.clinic.timezone
        self.note: EncounterDTO | None = None
        self._loaded_form: EncounterForm | None = None

        self.heading = QLabel(self)
        self.heading.setObjectName("NoteEditorHeading")
        set_role(self.heading, "subtitle")
        self.byline = QLabel(self)
        self.byline.setObjectName("NoteEditorByline")
        self.byline.setWordWrap(True)
        set_role(self.byline, "hint")
        self.correction_banner = MessageBanner("NoteCorrectionBanner", self)
        self.banner = MessageBanner("NoteEditorMessage", self)
        self.when_edit = QDateTimeEdit(self)
        self.when_edit.setObjectName("NoteWhenEdit")
        self.when_edit.setCalendarPopup(True)
        self.when_edit.setDisplayFormat("dd/MM/yyyy HH:mm")
        self.when_edit.setFixedWidth(170)

        general = FieldError("NoteGeneralError", self)
        self.errors = FormErrors(general)
        self.vitals = VitalsRow(self)
        for key in VITAL_KEYS:
            self.errors.add(key, self.vitals.error, self.vitals.edits[key])
        when_error = FieldError("NoteError_occurred_at", self)
        self.errors.add("occurred_at", when_error, self.when_edit)
        self.soap = SoapFields(
            self, prefix="Note", lines=_LINES, errors=self.errors, changed=self._update_prompts
        )
        self.texts = self.soap.edits

        when_row = QHBoxLayout()
        when_label = QLabel(_("Date and time"), self)
        when_row.addWidget(when_label)
        when_row.addWidget(self.when_edit)
        when_row.addStretch(1)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 12, 4)
        layout.setSpacing(6)
        layout.addWidget(self.heading)
        layout.addWidget(self.byline)
        layout.addWidget(self.correction_banner)
        layout.addWidget(self.banner)
        layout.addLayout(when_row)
        layout.addWidget(when_error)
        for key in SOAP_FIELDS:
            layout.addLayout(self.soap.cells[key])
            if key == "chief_complaint":
                layout.addSpacing(4)
                layout.addWidget(self.vitals)
                layout.addSpacing(4)

        self.prompts_label = QLabel(self)
        self.prompts_label.setObjectName("NotePromptsLabel")
        self.prompts_label.setWordWrap(True)
        set_role(self.prompts_label, "field-warning")
        self.prompts_label.hide()
        layout.addWidget(self.prompts_label)
        layout.addWidget(general)

        self.discard_button = QPushButton(_("Discard draft"), self)
        self.discard_button.setObjectName("DiscardNoteButton")
        self.discard_button.clicked.connect(self.discard)
        self.prescribe_button = QPushButton(_("Prescribe…"), self)
        self.prescribe_button.setObjectName("PrescribeButton")
        self.prescribe_button.clicked.connect(self._on_prescribe_clicked)
        self.save_button = QPushButton(_("Save draft"), self)
        self.save_button.setObjectName("SaveNoteButton")
        self.save_button.clicked.connect(lambda: self.save())
        self.sign_button = QPushButton(_("Sign"), self)
        self.sign_button.setObjectName("SignNoteButton")
        set_role(self.sign_button, "primary")
        self.sign_button.clicked.connect(self.sign)
        self.sign_button.setVisible(ctx.can("clinical.sign"))
        buttons = QHBoxLayout()
        buttons.addWidget(self.discard_button)
        buttons.addStretch(1)
        buttons.addWidget(self.prescribe_button)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.sign_button)
        layout.addSpacing(6)
        layout.addLayout(buttons)
        layout.addStretch(1)
        # Tab follows the page (the vital signs sit under the complaint), not the order the
        # widgets were made in, which put the vital signs first.
        order = [
            self.when_edit,
            self.texts["chief_complaint"],
            *self.vitals.edits.values(),
            *(self.texts[key] for key in SOAP_FIELDS[1:]),
        ]
        for first, second in pairwise(order):
            QWidget.setTabOrder(first, second)

    # -- loading -----------------------------------------------------------------------------

    def load(self, note: EncounterDTO) -> None:
        self.note = note
        self.errors.clear()
        self.banner.clear_message()
        zone = self._zone
        self.heading.setText(
            _("Draft of {date}").format(date=day_text(note.occurred_at, zone))
            if note.number == 1
            else _("Corrected version {number} (draft)").format(number=note.number)
        )
        byline = [_("Written by {name}").format(name=note.author_name)]
        if note.appointment is not None:
            byline.append(
                _("{kind} with {practitioner}, {date}").format(
                    kind=note.appointment.type_name or _("Appointment"),
                    practitioner=note.appointment.practitioner_name,
                    date=when_text(note.appointment.start, zone),
                )
            )
        self.byline.setText(" · ".join(byline))
        original = note.original
        if original is not None:
            self.correction_banner.show_message(
                _(
                    "Corrects version {number}, signed on {date} by {name}. Reason: {reason}. "
                    "The original stays in the record; once you sign this version it is marked "
                    "as amended."
                ).format(
                    number=original.number,
                    date=when_text(original.signed_at, zone),
                    name=original.signed_by_name,
                    reason=note.amendment_reason,
                ),
                "info",
            )
        else:
            self.correction_banner.clear_message()
        local = note.occurred_at.astimezone(ZoneInfo(zone))
        self.when_edit.setDateTime(
            QDateTime(QDate(local.year, local.month, local.day), QTime(local.hour, local.minute))
        )
        for key in SOAP_FIELDS:
            self.soap.set_text(key, note.text(key))
        self.vitals.set_values(note.vitals)
        self._loaded_form = self.form()
        self._update_prompts()

    def occurred_at(self) -> datetime:
        value = self.when_edit.dateTime()
        day, clock = value.date(), value.time()
        return datetime(
            day.year(),
            day.month(),
            day.day(),
            clock.hour(),
            clock.minute(),
            tzinfo=ZoneInfo(self._zone),
        )

    def text(self, key: str) -> str:
        return self.soap.text(key)

    def set_text(self, key: str, value: str) -> None:
        self.soap.set_text(key, value)

    def form(self) -> EncounterForm:
        return EncounterForm(
            occurred_at=self.occurred_at(), **self.soap.texts(), **self.vitals.values()
        )

    def is_dirty(self) -> bool:
        return self.note is not None and self.form() != self._loaded_form

    def _update_prompts(self) -> None:
        left = find_prompts(*self.soap.texts().values())
        self.prompts_label.setVisible(bool(left))
        self.prompts_label.setText(
            _("Template questions still to answer before signing: {prompts}").format(
                prompts="; ".join(f"[[{p}]]" for p in left)
            )
        )

    # -- saving and signing ------------------------------------------------------------------

    def save(
        self,
        confirm_implausible: bool = False,
        then: Callable[[EncounterDTO], None] | None = None,
    ) -> None:
        """Stores the draft; `then` runs after a successful save (the tab switches notes,
        signing goes on)."""
        note = self.note
        if note is None:
            return
        self.errors.clear()
        self.banner.clear_message()
        ctx, form = self._ctx, self.form()
        ctx.runner.run(
            lambda: save_encounter(
                ctx.uow(),
                actor=ctx.actor,
                encounter_id=note.id,
                expected_version=note.version,
                form=form,
                confirm_implausible=confirm_implausible,
            ),
            on_done=lambda saved: self._on_saved(saved, then),
            on_user_error=lambda exc: self._on_save_refused(exc, then),
            on_error=lambda text: self.banner.show_message(text, "error"),
            parent=self,
        )

    def _on_saved(self, note: EncounterDTO, then: Callable[[EncounterDTO], None] | None) -> None:
        self.load(note)
        self.banner.show_message(
            _("Draft saved at {time}.").format(
                time=datetime.now(ZoneInfo(self._zone)).strftime("%H:%M")
            ),
            "ok",
        )
        self.saved.emit(note)
        if then is not None:
            then(note)

    def _on_save_refused(
        self, exc: UserFacingError, then: Callable[[EncounterDTO], None] | None
    ) -> None:
        if isinstance(exc, ImplausibleVitals):
            text = "\n".join(f"•  {p}" for p in exc.problems)
            if screen_kit.confirm(
                self,
                _("Unusual vital signs"),
                _("These values are outside the usual range:\n{problems}\n\nSave anyway?").format(
                    problems=text
                ),
                _("Save anyway"),
            ):
                self.save(confirm_implausible=True, then=then)
            else:
                self.errors.show(exc.problems[0], exc.field)
            return
        self._show_refusal(exc)

    def _show_refusal(self, exc: UserFacingError) -> None:
        show_refusal(
            exc, self.errors, self.banner, _("Open the note again to see the latest version.")
        )

    def sign(self) -> None:
        if self.note is None:
            return
        if self.is_dirty():
            self.save(then=lambda _note: self._ask_and_sign())
        else:
            self._ask_and_sign()

    def _ask_and_sign(self) -> None:
        note = self.note
        if note is None:
            return
        if not screen_kit.confirm(
            self,
            _("Sign note"),
            _(
                "Once signed, the note of {date} can no longer be changed; corrections are "
                "made with an addendum or an amended version."
            ).format(date=day_text(note.occurred_at, self._zone)),
            _("Sign"),
        ):
            return
        self.errors.clear()
        self.banner.clear_message()
        ctx = self._ctx
        ctx.runner.run(
            lambda: sign_encounter(
                ctx.uow(), actor=ctx.actor, encounter_id=note.id, expected_version=note.version
            ),
            on_done=self.signed.emit,
            on_user_error=self._show_refusal,
            on_error=lambda text: self.banner.show_message(text, "error"),
            parent=self,
        )

    def discard(self) -> None:
        note = self.note
        if note is None or not screen_kit.confirm(
            self,
            _("Discard draft"),
            _(
                "The draft of {date} will be moved to the trash. Nothing of it is kept in the "
                "chart."
            ).format(date=day_text(note.occurred_at, self._zone)),
            _("Discard draft"),
        ):
            return
        ctx = self._ctx
        ctx.runner.run(
            lambda: discard_draft(ctx.uow(), actor=ctx.actor, encounter_id=note.id),
            on_done=lambda _none: self._on_discarded(note),
            on_user_error=self._show_refusal,
            on_error=lambda text: self.banner.show_message(text, "error"),
            parent=self,
        )

    def _on_discarded(self, note: EncounterDTO) -> None:
        self.note = None
        self.discarded.emit(note.id)

    def _on_prescribe_clicked(self) -> None:
        if self.note is not None:
            self.prescribe_requested.emit(self.note.id)
