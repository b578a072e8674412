"""The patient editor on the right of the patients screen: identity, contact details, payer,
referral, language and reminder channel of one patient (or of a new one), saved through the
patient services with the version it was loaded at. A refused save keeps what was typed and
shows the message under the field at fault; a possible duplicate asks before saving again;
a save that collided with someone else's is reported in the banner. The photo box sits by the
heading (a chosen photo is stored with the patient) and the consents box below the form.
Without patients.write everything is shown read-only, and so is an anonymised patient, with a
banner saying so. The owner (patients.write and patients.export) gets "Anonymise…" on an
archived patient (`anonymise.AnonymiseDialog`)."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from clinic_desktop.errors import ConcurrentEditError, UserFacingError
from clinic_desktop.i18n import LANGUAGES, _
from clinic_desktop.services.agenda_labels import REMINDER_CHANNEL_LABELS
from clinic_desktop.services.patient_admin import (
    ID_TYPES,
    REMINDER_CHANNELS,
    PatientDTO,
    PatientForm,
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
from clinic_desktop.ui.patients.labels import ID_TYPE_LABELS, SEX_LABELS, age_on, combo, select
from clinic_desktop.ui.patients.photo import PhotoBox
from clinic_desktop.ui.widgets import screen_kit
from clinic_desktop.ui.widgets.banner import Banner
from clinic_desktop.ui.widgets.forms import FieldError, FormErrors
from clinic_desktop.ui.widgets.screen_kit import MessageBanner


class PatientEditor(QWidget):
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

        self.first_names_edit = self._line("PatientFirstNamesEdit")
        self.last_names_edit = self._line("PatientLastNamesEdit")
        for edit in (self.first_names_edit, self.last_names_edit):
            edit.textChanged.connect(self._on_name_edited)
        self.id_type_combo = combo(
            "PatientIdTypeCombo", {t: ID_TYPE_LABELS[t] for t in ID_TYPES}, self
        )
        self.id_number_edit = self._line("PatientIdNumberEdit")
        self.birth_date_edit = QDateEdit(self)
        self.birth_date_edit.setObjectName("PatientBirthDateEdit")
        self.birth_date_edit.setCalendarPopup(True)
        self.birth_date_edit.setDisplayFormat("dd/MM/yyyy")
        self.birth_date_edit.setMinimumDate(QDate(1880, 1, 1))
        self.birth_date_edit.setFixedWidth(150)
        self.birth_unknown_check = QCheckBox(_("Unknown"), self)
        self.birth_unknown_check.setObjectName("PatientBirthUnknownCheck")
        self.birth_unknown_check.toggled.connect(self._on_birth_unknown_toggled)
        self.age_label = QLabel(self)
        self.age_label.setObjectName("PatientAgeLabel")
        self.birth_date_edit.dateChanged.connect(self._update_age)
        self.sex_combo = combo("PatientSexCombo", SEX_LABELS, self)
        self.phone_edit = self._line("PatientPhoneEdit")
        self.mobile_edit = self._line("PatientMobileEdit")
        self.email_edit = self._line("PatientEmailEdit")
        self.address_edit = self._line("PatientAddressEdit")
        self.emergency_contact_edit = self._line("PatientEmergencyContactEdit")
        self.emergency_phone_edit = self._line("PatientEmergencyPhoneEdit")
        self.payer_edit = self._line("PatientPayerEdit")
        self.referral_edit = self._line("PatientReferralEdit")
        self.language_combo = combo(
            "PatientLanguageCombo", {"": "—", **{k: v for k, v in LANGUAGES.items()}}, self
        )
        # Language names are shown in their own language, never translated.
        for row in range(1, self.language_combo.count()):
            self.language_combo.setItemText(row, LANGUAGES[self.language_combo.itemData(row)])
        self.reminder_combo = combo(
            "PatientReminderCombo", {c: REMINDER_CHANNEL_LABELS[c] for c in REMINDER_CHANNELS}, self
        )

        general = FieldError("PatientGeneralError", self)
        self.errors = FormErrors(general)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        id_row = QHBoxLayout()
        id_row.addWidget(self.id_type_combo)
        id_row.addWidget(self.id_number_edit, 1)
        birth_row = QHBoxLayout()
        birth_row.addWidget(self.birth_date_edit)
        birth_row.addWidget(self.birth_unknown_check)
        birth_row.addWidget(self.age_label, 1)
        rows: list[tuple[str, str, QWidget | QHBoxLayout, QWidget]] = [
            ("first_names", _("First names"), self.first_names_edit, self.first_names_edit),
            ("last_names", _("Last names"), self.last_names_edit, self.last_names_edit),
            ("id_number", _("ID"), id_row, self.id_number_edit),
            ("birth_date", _("Birth date"), birth_row, self.birth_date_edit),
            ("sex", _("Sex"), self.sex_combo, self.sex_combo),
            ("phone", _("Phone"), self.phone_edit, self.phone_edit),
            ("mobile_phone", _("Mobile phone"), self.mobile_edit, self.mobile_edit),
            ("email", _("E-mail"), self.email_edit, self.email_edit),
            ("address", _("Address"), self.address_edit, self.address_edit),
            (
                "emergency_contact",
                _("Emergency contact"),
                self.emergency_contact_edit,
                self.emergency_contact_edit,
            ),
            (
                "emergency_phone",
                _("Emergency phone"),
                self.emergency_phone_edit,
                self.emergency_phone_edit,
            ),
            ("payer", _("Payer or insurer"), self.payer_edit, self.payer_edit),
            ("referral_source", _("Referred by"), self.referral_edit, self.referral_edit),
            (
                "preferred_language",
                _("Preferred language"),
                self.language_combo,
                self.language_combo,
            ),
            ("reminder_channel", _("Reminders"), self.reminder_combo, self.reminder_combo),
        ]
        self.error_labels: dict[str, FieldError] = {}
        for field, label, holder, widget in rows:
            error = FieldError(f"PatientError_{field}", self)
            self.error_labels[field] = error
            self.errors.add(field, error, widget)
            cell = QVBoxLayout()
            cell.setSpacing(2)
            if isinstance(holder, QHBoxLayout):
                cell.addLayout(holder)
            else:
                cell.addWidget(holder)
            cell.addWidget(error)
            form.addRow(label, cell)
        self.errors.add("id_type", self.error_labels["id_number"], self.id_type_combo)

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

    def _line(self, name: str) -> QLineEdit:
        edit = QLineEdit(self)
        edit.setObjectName(name)
        return edit

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
        self.first_names_edit.setText(p.first_names if p else "")
        self.last_names_edit.setText(p.last_names if p else "")
        select(self.id_type_combo, p.id_type if p else "none")
        self.id_number_edit.setText((p.id_number or "") if p else "")
        birth = p.birth_date if p else None
        self.birth_unknown_check.setChecked(birth is None)
        if birth is not None:
            self.birth_date_edit.setDate(QDate(birth.year, birth.month, birth.day))
        select(self.sex_combo, (p.sex or "") if p else "")
        self.phone_edit.setText((p.phone or "") if p else "")
        self.mobile_edit.setText((p.mobile_phone or "") if p else "")
        self.email_edit.setText((p.email or "") if p else "")
        self.address_edit.setText((p.address or "") if p else "")
        self.emergency_contact_edit.setText((p.emergency_contact or "") if p else "")
        self.emergency_phone_edit.setText((p.emergency_phone or "") if p else "")
        self.payer_edit.setText((p.payer or "") if p else "")
        self.referral_edit.setText((p.referral_source or "") if p else "")
        select(self.language_combo, (p.preferred_language or "") if p else "")
        select(self.reminder_combo, p.reminder_channel if p else "none")
        self._update_age()
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

    def _on_birth_unknown_toggled(self, unknown: bool) -> None:
        self.birth_date_edit.setEnabled(self.editable and not unknown)
        self._update_age()

    def _update_age(self) -> None:
        birth = self.birth_date()
        if birth is None:
            self.age_label.setText("")
            return
        years = age_on(birth, date.today())
        self.age_label.setText(_("{years} years").format(years=years) if years >= 0 else "")

    def birth_date(self) -> date | None:
        if self.birth_unknown_check.isChecked():
            return None
        value = self.birth_date_edit.date()
        return date(value.year(), value.month(), value.day())

    def set_birth_date(self, value: date | None) -> None:
        self.birth_unknown_check.setChecked(value is None)
        if value is not None:
            self.birth_date_edit.setDate(QDate(value.year, value.month, value.day))

    def form(self) -> PatientForm:
        return PatientForm(
            first_names=self.first_names_edit.text(),
            last_names=self.last_names_edit.text(),
            id_type=str(self.id_type_combo.currentData()),
            id_number=self.id_number_edit.text(),
            birth_date=self.birth_date(),
            sex=str(self.sex_combo.currentData()),
            phone=self.phone_edit.text(),
            mobile_phone=self.mobile_edit.text(),
            email=self.email_edit.text(),
            address=self.address_edit.text(),
            emergency_contact=self.emergency_contact_edit.text(),
            emergency_phone=self.emergency_phone_edit.text(),
            payer=self.payer_edit.text(),
            referral_source=self.referral_edit.text(),
            preferred_language=str(self.language_combo.currentData()),
            reminder_channel=str(self.reminder_combo.currentData()),
        )

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
