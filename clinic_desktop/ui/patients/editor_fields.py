"""The form part of the patient editor: the identity, contact, payer, referral, language and
reminder fields, laid out with an error line under each (`FormErrors`, so a refused save
shows its message under the field it names), the age shown next to the birth date, and the
two-way mapping between the fields and the patient (`_fill_fields` from a PatientDTO, `form`
to the PatientForm the services take). `PatientEditor` (ui/patients/editor.py) derives from
it and builds the fields where its layout wants them, so the widgets stay its own children
in the same tab order."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QCheckBox,
    QDateEdit,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from clinic_desktop.i18n import LANGUAGES, _
from clinic_desktop.services.agenda_labels import REMINDER_CHANNEL_LABELS
from clinic_desktop.services.patient_admin import (
    ID_TYPES,
    REMINDER_CHANNELS,
    PatientDTO,
    PatientForm,
)
from clinic_desktop.ui.patients.labels import ID_TYPE_LABELS, SEX_LABELS, age_on, combo, select
from clinic_desktop.ui.widgets.forms import FieldError, FormErrors


class PatientFieldsBase(QWidget):
    """A widget with the patient's fields; a subclass calls `_build_fields` once and places
    the layout it returns."""

    # Whether the fields may be changed; the subclass sets it from the user's permissions.
    editable = True

    def _build_fields(self) -> tuple[QFormLayout, FieldError]:
        """Creates the fields and returns their form layout and the line for errors that
        belong to no field."""
        self.first_names_edit = self._line("PatientFirstNamesEdit")
        self.last_names_edit = self._line("PatientLastNamesEdit")
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
        # (field the services name in errors, label, what the row shows, where errors point)
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
        return form, general

    def _line(self, name: str) -> QLineEdit:
        edit = QLineEdit(self)
        edit.setObjectName(name)
        return edit

    def _fill_fields(self, p: PatientDTO | None) -> None:
        """Shows `p`'s details in the fields, or empty fields for a new patient."""
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
