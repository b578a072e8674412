"""The patient editor on the right of the patients screen: identity, contact details, payer,
referral, language and reminder channel of one patient (or of a new one), saved through the
patient services with the version it was loaded at. A refused save keeps what was typed and
shows the message under the field at fault; a possible duplicate asks before saving again;
a save that collided with someone else's is reported in the banner. The photo box sits by the
heading (a chosen photo is stored with the patient) and the consents box below the form.
Without patients.write everything is shown read-only, and so is an anonymised patient, with a
banner saying so. The owner (patients.write and patients.export) gets "Anonymise…" on an
archived patient (`anonymise.AnonymiseDialog`). The fields themselves and their mapping to
the patient are `editor_fields.PatientFieldsBase`, which this widget extends."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from clinic_desktop.errors import ConcurrentEditError, UserFacingError
from clinic_desktop.i18n import _
from clinic_desktop.services.patient_admin import (
    PatientDTO,
    PossibleDuplicate,
    create_patient,
    get_patient,
    set_archived,
    update_patient,
)
from clinic_desktop.services.retention import (
    AnonymisationResult,
    RetentionStatusDTO,
    retention_status,
)
from clinic_desktop.ui.context import UiContext
from clinic_desktop.ui.patients import anonymise
from clinic_desktop.ui.patients.consents import ConsentsBox
from clinic_desktop.ui.patients.editor_fields import PatientFieldsBase
from clinic_desktop.ui.patients.photo import PhotoBox
from clinic_desktop.ui.widgets import screen_kit
from clinic_desktop.ui.widgets.banner import Banner
from clinic_desktop.ui.widgets.screen_kit import MessageBanner


class PatientEditor(PatientFieldsBase):
    """Edits one patient; `saved` carries the stored patient after a save or an archive."""

    saved = Signal(object)

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("PatientEditor")
        self._ctx = ctx
        self.patient: PatientDTO | None = None
        self.writable = ctx.can("patients.write")
        self.can_anonymise = self.writable and ctx.can("patients.export")
        self.editable = self.writable  # False while an anonymised patient is shown
        self.anonymise_dialog: anonymise.AnonymiseDialog | None = None

        self.heading = QLabel(self)
        self.heading.setObjectName("PatientEditorHeading")
        font = self.heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.heading.setFont(font)
        self.banner = MessageBanner("PatientEditorMessage", self)
        self.anonymised_banner = Banner(
            "PatientAnonymisedBanner", kind="warning", title=_("Anonymised patient"), parent=self
        )
        self.anonymised_banner.hide()
        self.photo = PhotoBox(ctx, heading=self.heading, parent=self)
        self.photo.failed.connect(lambda text: self.banner.show_message(text, "error"))

        form, general = self._build_fields()
        for edit in (self.first_names_edit, self.last_names_edit):
            edit.textChanged.connect(self._on_name_edited)

        self.save_button = QPushButton(_("Save"), self)
        self.save_button.setObjectName("SavePatientButton")
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(lambda: self.save())
        self.archive_button = QPushButton(_("Archive…"), self)
        self.archive_button.setObjectName("ArchivePatientButton")
        self.archive_button.clicked.connect(self._on_archive_clicked)
        self.anonymise_button = QPushButton(_("Anonymise…"), self)
        self.anonymise_button.setObjectName("AnonymisePatientButton")
        self.anonymise_button.setToolTip(
            _("Erase what identifies this archived patient once the retention period is over")
        )
        self.anonymise_button.clicked.connect(self._on_anonymise_clicked)
        self.anonymise_button.hide()
        buttons = QHBoxLayout()
        buttons.addWidget(self.archive_button)
        buttons.addWidget(self.anonymise_button)
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)

        self.consents = ConsentsBox(ctx, self)
        self.consents.changed.connect(self._on_consents_changed)
        self.consents.failed.connect(lambda text: self.banner.show_message(text, "error"))

        layout = QVBoxLayout(self)
        layout.addWidget(self.photo)
        layout.addWidget(self.anonymised_banner)
        layout.addWidget(self.banner)
        layout.addLayout(form)
        layout.addWidget(general)
        layout.addLayout(buttons)
        layout.addWidget(self.consents)
        layout.addStretch(1)
        self.load(None)

    def _apply_access(self, patient: PatientDTO | None) -> None:
        anonymised = patient is not None and patient.anonymised_at is not None
        self.editable = self.writable and not anonymised
        for widget in self.findChildren(QLineEdit) + self.findChildren(QComboBox):
            widget.setEnabled(self.editable)
        self.birth_date_edit.setEnabled(self.editable and not self.birth_unknown_check.isChecked())
        self.birth_unknown_check.setEnabled(self.editable)
        self.save_button.setVisible(self.editable)
        self.archive_button.setVisible(self.editable)
        self.anonymise_button.setVisible(
            self.can_anonymise
            and patient is not None
            and patient.archived_at is not None
            and not anonymised
        )
        self.consents.set_writable(self.editable)
        self.photo.set_writable(self.editable)
        self.anonymised_banner.setVisible(anonymised)
        if patient is not None and patient.anonymised_at is not None:
            self.anonymised_banner.set_message(
                kind="warning",
                title=_("Anonymised patient"),
                text=anonymise.anonymised_note(patient.anonymised_at, self._ctx.clinic.timezone),
            )

    # -- loading ---------------------------------------------------------------------------

    def load(self, patient: PatientDTO | None) -> None:
        """Shows a patient, or an empty form for a new one."""
        self.patient = patient
        self.errors.clear()
        self.banner.clear_message()
        p = patient
        if p is None:
            self.heading.setText(_("New patient"))
        elif p.anonymised_at is not None:
            self.heading.setText(
                _("Anonymised patient · chart {chart}").format(chart=p.chart_number)
            )
        else:
            self.heading.setText(
                _("{name} · chart {chart}").format(name=p.full_name, chart=p.chart_number)
            )
        self._fill_fields(p)
        self.archive_button.setEnabled(p is not None)
        self.archive_button.setText(
            _("Restore from archive…") if p and p.archived_at else _("Archive…")
        )
        self.consents.setVisible(p is not None)
        self._apply_access(p)
        self.consents.load(p.id if p else None)
        self.photo.load(p.id if p else None, p.full_name if p else "")

    def _on_name_edited(self) -> None:
        self.photo.set_name(f"{self.first_names_edit.text()} {self.last_names_edit.text()}")

    # -- saving ----------------------------------------------------------------------------

    def save(self, confirm_duplicate: bool = False) -> None:
        if not self.editable:
            return
        self.errors.clear()
        self.banner.clear_message()
        ctx, form, patient = self._ctx, self.form(), self.patient
        if patient is None:

            def run() -> PatientDTO:
                return create_patient(
                    ctx.uow(), actor=ctx.actor, form=form, confirm_duplicate=confirm_duplicate
                )
        else:

            def run() -> PatientDTO:
                return update_patient(
                    ctx.uow(),
                    actor=ctx.actor,
                    patient_id=patient.id,
                    expected_version=patient.version,
                    form=form,
                    confirm_duplicate=confirm_duplicate,
                )

        ctx.runner.run(
            run,
            on_done=self._on_saved,
            on_user_error=self._on_user_error,
            on_error=lambda text: self.banner.show_message(text, "error"),
            parent=self,
        )

    def _on_user_error(self, exc: UserFacingError) -> None:
        if isinstance(exc, PossibleDuplicate):
            if screen_kit.confirm(
                self, _("Possible duplicate"), exc.message, _("Save as a different person")
            ):
                self.save(confirm_duplicate=True)
            else:
                self.errors.show(exc.message, exc.field)
            return
        if isinstance(exc, ConcurrentEditError):
            self.banner.show_message(
                exc.message + " " + _("Choose the patient again to see the latest details."),
                "error",
            )
            return
        field = getattr(exc, "field", None)
        if self.errors.knows(field):
            self.errors.show(exc.message, field)
        else:
            self.banner.show_message(exc.message, "error")

    def _on_saved(self, patient: PatientDTO) -> None:
        warnings = patient.warnings
        photo = self.photo.take_pending()  # load() forgets it; stored once the patient is
        self.load(patient)
        if warnings:
            self.banner.show_message(
                _("Saved, with a warning: {text}").format(text=" ".join(warnings)), "warn"
            )
        else:
            self.banner.show_message(_("Saved."), "ok")
        self.photo.save(patient.id, photo)
        self.saved.emit(patient)

    # -- archive and consents --------------------------------------------------------------

    def _on_archive_clicked(self) -> None:
        patient = self.patient
        if patient is None:
            return
        archive = patient.archived_at is None
        if archive:
            title, text, ok = (
                _("Archive patient"),
                _(
                    "{name} will no longer appear in searches and lists. Nothing is deleted, "
                    "and the patient can be restored from the archive."
                ).format(name=patient.full_name),
                _("Archive"),
            )
        else:
            title, text, ok = (
                _("Restore from archive"),
                _("{name} will appear in searches and lists again.").format(name=patient.full_name),
                _("Restore"),
            )
        if not screen_kit.confirm(self, title, text, ok):
            return
        ctx = self._ctx
        ctx.runner.run(
            lambda: set_archived(
                ctx.uow(), actor=ctx.actor, patient_id=patient.id, archived=archive
            ),
            on_done=lambda dto: self._on_archived(dto, archive),
            on_error=lambda message: self.banner.show_message(message, "error"),
            parent=self,
        )

    def _on_archived(self, patient: PatientDTO, archived: bool) -> None:
        self.load(patient)
        self.banner.show_message(
            (_("{name} is archived.") if archived else _("{name} is restored.")).format(
                name=patient.full_name
            ),
            "ok",
        )
        self.saved.emit(patient)

    # -- anonymisation ---------------------------------------------------------------------

    def _on_anonymise_clicked(self) -> None:
        """Reads the retention status, then opens the dialog that shows it (and, once the
        period is over, asks to confirm)."""
        patient = self.patient
        if patient is None:
            return
        self.banner.clear_message()
        ctx = self._ctx
        ctx.runner.run(
            lambda: retention_status(ctx.uow(), actor=ctx.actor, patient_id=patient.id),
            on_done=lambda status: self._open_anonymise(patient, status),
            on_error=lambda message: self.banner.show_message(message, "error"),
            parent=self,
        )

    def _open_anonymise(self, patient: PatientDTO, status: RetentionStatusDTO) -> None:
        if self.patient is None or self.patient.id != patient.id:
            return  # another patient was chosen meanwhile
        dialog = anonymise.AnonymiseDialog(self._ctx, patient, status, self)
        dialog.anonymised.connect(self._on_anonymised)
        self.anonymise_dialog = dialog
        anonymise.open_dialog(dialog)

    def _on_anonymised(self, result: AnonymisationResult) -> None:
        self.load(result.patient)
        self.banner.show_message(anonymise.done_message(result), "ok")
        self.saved.emit(result.patient)

    def _on_consents_changed(self) -> None:
        # The reminder consent flag and the version moved on the server side: reload.
        patient = self.patient
        if patient is None:
            return
        ctx = self._ctx
        ctx.runner.run(
            lambda: get_patient(ctx.uow(), actor=ctx.actor, patient_id=patient.id),
            on_done=self._on_reloaded,
            on_error=lambda message: self.banner.show_message(message, "error"),
            parent=self,
        )

    def _on_reloaded(self, patient: PatientDTO) -> None:
        # Keep what is typed; only the version and flags move on.
        self.patient = patient
