"""The setup wizard's input pages: the clinic (name, country, tax ID), where it is (address,
time zone, currency), invoice numbering, and the first owner account. Each page knows the
service field names it shows, so an error from services.startup lands beside its field."""

from __future__ import annotations

import html
from zoneinfo import available_timezones

from PySide6.QtCore import QRegularExpression, Qt
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
    QWizardPage,
)

from clinic_desktop.i18n import _
from clinic_desktop.ui.signin.password_dialog import password_policy_hint
from clinic_desktop.ui.style import set_role
from clinic_desktop.ui.widgets.forms import FieldError, FormErrors

TAX_ID_HINTS = {
    "EC": lambda: _("The RUC: 13 digits, ending in 001."),
    "ES": lambda: _("The NIF of the clinic or its owner: DNI, NIE or CIF."),
}


def _hint(text: str, name: str = "") -> QLabel:
    label = QLabel(text)
    if name:
        label.setObjectName(name)
    label.setWordWrap(True)
    # A wrapped label in a form row otherwise shrinks to a narrow column.
    label.setMinimumWidth(420)
    set_role(label, "hint")
    return label


def page_title(text: str) -> str:
    """Wizard titles are rich text: larger than Qt's default bold line."""
    return f'<span style="font-size: 16pt; font-weight: 600;">{html.escape(text)}</span>'


class FormPage(QWizardPage):
    """A page with a form whose rows each have an error label underneath."""

    def __init__(self, title: str, subtitle: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(page_title(title))
        self.setSubTitle(subtitle)
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self.form.setVerticalSpacing(6)
        self.form.setHorizontalSpacing(16)
        self.general_error = FieldError(f"{type(self).__name__}Error")
        self.errors = FormErrors(self.general_error)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addLayout(self.form)
        layout.addWidget(self.general_error)
        layout.addStretch(1)

    def add_field(
        self, field: str, label: str, widget: QWidget, *, hint: QLabel | None = None
    ) -> FieldError:
        error = FieldError(f"{widget.objectName()}Error")
        self.form.addRow(label, widget)
        if hint is not None:
            self.form.addRow("", hint)
        self.form.addRow("", error)
        self.errors.add(field, error, widget)
        return error


def _line(name: str, *, placeholder: str = "") -> QLineEdit:
    edit = QLineEdit()
    edit.setObjectName(name)
    edit.setPlaceholderText(placeholder)
    return edit


class ClinicPage(FormPage):
    FIELDS = ("name", "country", "tax_id")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(
            _("Your clinic"),
            _("The name and tax ID printed on invoices and reports."),
            parent,
        )
        self.name_edit = _line("ClinicNameEdit", placeholder=_("e.g. Clínica Dental Sonrisa"))
        self.country_combo = QComboBox()
        self.country_combo.setObjectName("CountryCombo")
        self.country_combo.addItem("Ecuador", "EC")
        self.country_combo.addItem("España", "ES")
        self.tax_id_edit = _line("TaxIdEdit")
        self.tax_id_hint = _hint("", "TaxIdHint")
        self.add_field("name", _("Clinic name"), self.name_edit)
        self.add_field("country", _("Country"), self.country_combo)
        self.tax_id_error = self.add_field(
            "tax_id", _("Tax ID"), self.tax_id_edit, hint=self.tax_id_hint
        )
        self.country_combo.currentIndexChanged.connect(self._update_hint)
        self._update_hint()
        # Warnings (e.g. an unusual RUC) are shown once; Next again with the same number goes on.
        self.acknowledged_tax_id: str | None = None

    @property
    def country(self) -> str:
        return str(self.country_combo.currentData())

    def _update_hint(self) -> None:
        self.tax_id_hint.setText(TAX_ID_HINTS[self.country]())
        self.tax_id_edit.setPlaceholderText(
            "1790012345001" if self.country == "EC" else "B12345678"
        )


class LocationPage(FormPage):
    FIELDS = ("address", "timezone", "currency")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(
            _("Where it is"),
            _("Appointments and documents use the clinic's local time and currency."),
            parent,
        )
        self.address_edit = _line("AddressEdit", placeholder=_("Street, number, city"))
        self.timezone_combo = QComboBox()
        self.timezone_combo.setObjectName("TimezoneCombo")
        self.timezone_combo.setEditable(True)
        self.timezone_combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.timezone_combo.addItems(sorted(available_timezones()))
        completer = self.timezone_combo.completer()
        if completer is not None:
            completer.setFilterMode(Qt.MatchFlag.MatchContains)
            completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.currency_combo = QComboBox()
        self.currency_combo.setObjectName("CurrencyCombo")
        self.currency_combo.addItem(_("US dollar (USD)"), "USD")
        self.currency_combo.addItem(_("Euro (EUR)"), "EUR")
        self.add_field("address", _("Address"), self.address_edit)
        self.add_field(
            "timezone",
            _("Time zone"),
            self.timezone_combo,
            hint=_hint(_("Filled in from the country; change it only for the Canary Islands "
                         "(Atlantic/Canary) or the Galápagos (Pacific/Galapagos).")),
        )  # fmt: skip
        self.add_field("currency", _("Currency"), self.currency_combo)

    @property
    def timezone(self) -> str:
        return self.timezone_combo.currentText().strip()

    def set_defaults(self, timezone: str, currency: str) -> None:
        self.timezone_combo.setCurrentText(timezone)
        self.currency_combo.setCurrentIndex(max(0, self.currency_combo.findData(currency)))

    def validatePage(self) -> bool:
        self.errors.clear()
        if self.timezone not in available_timezones():
            self.errors.show(
                _("Time zone: {zone} is not a known time zone.").format(zone=self.timezone),
                "timezone",
            )
            return False
        return True


class NumberingPage(FormPage):
    FIELDS = ("establishment_code", "emission_point_code")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(
            _("Invoice numbering"),
            _("Every invoice number starts with these two codes."),
            parent,
        )
        three_digits = QRegularExpressionValidator(QRegularExpression(r"\d{0,3}"), self)
        self.establishment_edit = _line("EstablishmentCodeEdit")
        self.emission_point_edit = _line("EmissionPointCodeEdit")
        for edit in (self.establishment_edit, self.emission_point_edit):
            edit.setValidator(three_digits)
            edit.setText("001")
            edit.setMaximumWidth(120)
            edit.textChanged.connect(self._update_example)
        self.add_field("establishment_code", _("Establishment code"), self.establishment_edit)
        self.add_field("emission_point_code", _("Emission point code"), self.emission_point_edit)
        self.explanation = _hint(
            _(
                "The establishment is this clinic's premises and the emission point is the "
                "till or computer that issues invoices; if in doubt, keep 001 and 001."
            ),
            "NumberingExplanation",
        )
        self.example = QLabel()
        self.example.setObjectName("NumberingExample")
        self.form.addRow("", self.explanation)
        self.form.addRow(_("First invoice"), self.example)
        self._update_example()

    def _update_example(self) -> None:
        est = self.establishment_edit.text().zfill(3)
        point = self.emission_point_edit.text().zfill(3)
        self.example.setText(f"{est}-{point}-000000001")

    def validatePage(self) -> bool:
        self.errors.clear()
        for field, edit, label in (
            ("establishment_code", self.establishment_edit, _("Establishment code")),
            ("emission_point_code", self.emission_point_edit, _("Emission point code")),
        ):
            value = edit.text()
            if not (len(value) == 3 and value.isdigit() and value != "000"):
                self.errors.show(
                    _("{field}: three digits from 001 to 999.").format(field=label), field
                )
                return False
        return True


class OwnerPage(FormPage):
    FIELDS = ("username", "full_name", "email", "owner_password", "repeat_password")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(
            _("Your account"),
            _("The first account is the clinic owner's: it can add everyone else later."),
            parent,
        )
        self.full_name_edit = _line("OwnerFullNameEdit", placeholder=_("e.g. Dra. Ana Torres"))
        self.username_edit = _line("OwnerUsernameEdit", placeholder=_("e.g. atorres"))
        self.email_edit = _line("OwnerEmailEdit", placeholder=_("optional"))
        self.password_edit = _line("OwnerPasswordEdit")
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.repeat_edit = _line("OwnerRepeatPasswordEdit")
        self.repeat_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.add_field("full_name", _("Full name"), self.full_name_edit)
        self.add_field(
            "username",
            _("User name"),
            self.username_edit,
            hint=_hint(_("Used to sign in: lowercase letters and digits, no spaces.")),
        )
        self.add_field("email", _("E-mail"), self.email_edit)
        self.add_field(
            "owner_password", _("Password"), self.password_edit, hint=_hint(password_policy_hint())
        )
        self.add_field("repeat_password", _("Repeat the password"), self.repeat_edit)
