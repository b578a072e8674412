"""The setup wizard: clinic, location, invoice numbering, owner account, then the clinic is
created (services.startup.create_clinic, off the GUI thread with a progress message) and the
recovery key is shown once. The tax ID is checked when leaving the first page, so a bad RUC or
NIF is reported there; any other service error sends the user back to the page holding that
field. Before creation nothing is written to disk; after it there is no going back or
cancelling, only finishing once the recovery key is stored."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QVBoxLayout, QWidget, QWizard, QWizardPage

from clinic_desktop.config import AppPaths
from clinic_desktop.errors import UserFacingError
from clinic_desktop.i18n import _, current_language
from clinic_desktop.services import clinic_info, startup
from clinic_desktop.ui.ops import Runner
from clinic_desktop.ui.setup.pages import (
    ClinicPage,
    FormPage,
    LocationPage,
    NumberingPage,
    OwnerPage,
    page_title,
)
from clinic_desktop.ui.setup.recovery_key import RecoveryKeyPanel
from clinic_desktop.ui.style import set_role


class RecoveryKeyPage(QWizardPage):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(page_title(_("Your recovery key")))
        self.setSubTitle(_("The clinic is ready. Store this key before you continue."))
        self.setFinalPage(True)
        self.panel: RecoveryKeyPanel | None = None
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(8, 8, 8, 8)

    def show_key(
        self, *, db: Any, runner: Runner, recovery_key: str, warnings: tuple[str, ...]
    ) -> None:
        self.panel = RecoveryKeyPanel(
            db=db, runner=runner, recovery_key=recovery_key, warnings=warnings
        )
        self.panel.confirmed_changed.connect(lambda _checked: self.completeChanged.emit())
        self._layout.addWidget(self.panel)
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        return self.panel is not None and self.panel.confirmed


class SetupWizard(QWizard):
    clinic_created = Signal(object)  # CreatedClinic, emitted on Finish

    def __init__(
        self,
        *,
        paths: AppPaths,
        runner: Runner,
        keyring_backend: startup.KeyringChoice = True,
        kdf: Any = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("SetupWizard")
        self.setWindowTitle(_("Set up your clinic"))
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        self.setTitleFormat(Qt.TextFormat.RichText)
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage, True)
        self._paths = paths
        self._runner = runner
        self._keyring_backend = keyring_backend
        self._kdf = kdf
        self.created: startup.CreatedClinic | None = None
        self._passed = False
        self._in_check = False
        self._busy = False

        self.clinic_page = ClinicPage()
        self.location_page = LocationPage()
        self.numbering_page = NumberingPage()
        self.owner_page = OwnerPage()
        self.owner_page.setCommitPage(True)
        self.recovery_page = RecoveryKeyPage()
        self.form_pages: list[FormPage] = [
            self.clinic_page,
            self.location_page,
            self.numbering_page,
            self.owner_page,
        ]
        for page in (*self.form_pages, self.recovery_page):
            self.addPage(page)
        self.clinic_page.country_combo.currentIndexChanged.connect(self._on_country_changed)
        self._on_country_changed()

        for button, text in (
            (QWizard.WizardButton.NextButton, _("Next")),
            (QWizard.WizardButton.BackButton, _("Back")),
            (QWizard.WizardButton.CommitButton, _("Create the clinic")),
            (QWizard.WizardButton.FinishButton, _("Finish")),
            (QWizard.WizardButton.CancelButton, _("Cancel")),
        ):
            self.setButtonText(button, text)
        for button in (
            QWizard.WizardButton.NextButton,
            QWizard.WizardButton.CommitButton,
            QWizard.WizardButton.FinishButton,
        ):
            set_role(self.button(button), "primary")
        self.currentIdChanged.connect(self._on_current_id_changed)
        self.resize(820, 640)

    def _on_country_changed(self, _index: int = 0) -> None:
        defaults = startup.COUNTRY_DEFAULTS[self.clinic_page.country]
        self.location_page.set_defaults(defaults["timezone"], defaults["currency"])

    def _on_current_id_changed(self, _page_id: int) -> None:
        # Once the clinic exists there is nothing to cancel: only Finish, after storing the key.
        self.setOption(
            QWizard.WizardOption.NoCancelButton, self.currentPage() is self.recovery_page
        )

    # -- validation that needs a service call -------------------------------------------------

    def validateCurrentPage(self) -> bool:
        if self._passed:  # an asynchronous check finished and called next() again
            self._passed = False
            return True
        if self._busy:
            return False
        page = self.currentPage()
        if page is self.clinic_page:
            return self._run_check(self._check_clinic)
        if page is self.owner_page:
            return self._run_check(self._create)
        return super().validateCurrentPage()

    def _run_check(self, start: Any) -> bool:
        self._in_check = True
        try:
            start()
        finally:
            self._in_check = False
        if self._passed:  # the runner called back at once (same-thread runner)
            self._passed = False
            return True
        return False

    def _pass(self) -> None:
        self._busy = False
        self._passed = True
        if not self._in_check:
            self.next()

    def _fail(self, message: str, field: str | None = None) -> None:
        self._busy = False
        target = next((p for p in self.form_pages if p.errors.knows(field)), None)
        if target is None:
            self._current_form().errors.show(message)
            return
        while self.currentPage() is not target and self.currentId() > 0:
            self.back()
        target.errors.show(message, field)

    def _fail_on_field(self, error: UserFacingError) -> None:
        self._fail(error.message, error.field)

    def _current_form(self) -> FormPage:
        page = self.currentPage()
        return page if isinstance(page, FormPage) else self.owner_page

    def _check_clinic(self) -> None:
        page = self.clinic_page
        page.errors.clear()
        if len(page.name_edit.text().strip()) < 2:
            page.errors.show(_("Clinic name: it is required."), "name")
            return
        country, tax_id = page.country, page.tax_id_edit.text().strip()
        self._busy = True
        self._runner.run(
            lambda: clinic_info.check_clinic_tax_id(country, tax_id),
            on_done=lambda result: self._on_tax_id_checked(tax_id, result),
            on_error=self._fail,
            on_user_error=self._fail_on_field,
            parent=self,
        )

    def _on_tax_id_checked(self, tax_id: str, result: object) -> None:
        assert isinstance(result, tuple)
        warnings: tuple[str, ...] = result[1]
        page = self.clinic_page
        if warnings and page.acknowledged_tax_id != tax_id:
            page.acknowledged_tax_id = tax_id
            page.tax_id_error.show_warning(
                "\n".join(warnings) + "\n" + _("If the number is right, click Next to continue.")
            )
            self._busy = False
            return
        self._pass()

    def setup_values(self) -> startup.ClinicSetup:
        clinic, location = self.clinic_page, self.location_page
        numbering, owner = self.numbering_page, self.owner_page
        return startup.ClinicSetup(
            name=clinic.name_edit.text(),
            country=clinic.country,
            tax_id=clinic.tax_id_edit.text(),
            address=location.address_edit.text(),
            timezone=location.timezone,
            currency=str(location.currency_combo.currentData()),
            establishment_code=numbering.establishment_edit.text(),
            emission_point_code=numbering.emission_point_edit.text(),
            owner_username=owner.username_edit.text(),
            owner_full_name=owner.full_name_edit.text(),
            owner_password=owner.password_edit.text(),
            owner_email=owner.email_edit.text() or None,
            language=current_language(),
        )

    def _create(self) -> None:
        owner = self.owner_page
        for page in self.form_pages:
            page.errors.clear()
        if owner.password_edit.text() != owner.repeat_edit.text():
            owner.errors.show(
                _("Repeat the password: the two passwords are different."), "repeat_password"
            )
            return
        setup, paths = self.setup_values(), self._paths
        kdf, backend = self._kdf, self._keyring_backend
        self._busy = True
        self._runner.run(
            lambda: startup.create_clinic(paths, setup, kdf=kdf, keyring_backend=backend),
            on_done=self._on_created,
            on_error=self._fail,
            on_user_error=self._fail_on_field,
            busy_text=_("Creating the clinic and its encrypted database…"),
            parent=self,
        )

    def _on_created(self, result: object) -> None:
        assert isinstance(result, startup.CreatedClinic)
        self.created = result
        self.owner_page.password_edit.clear()
        self.owner_page.repeat_edit.clear()
        self.recovery_page.show_key(
            db=result.db,
            runner=self._runner,
            recovery_key=result.recovery_key,
            warnings=result.tax_id_warnings,
        )
        self._pass()

    # -- finishing ----------------------------------------------------------------------------

    def accept(self) -> None:
        if self.created is None or not self.recovery_page.isComplete():
            return
        super().accept()
        self.clinic_created.emit(self.created)

    def reject(self) -> None:
        if self.created is not None and not self.recovery_page.isComplete():
            return  # the key has not been stored yet: closing now would lose it
        if self.created is not None:
            self.accept()
            return
        super().reject()
