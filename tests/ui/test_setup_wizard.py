"""First run driven through its widgets: the choice screen, the setup wizard creating a real
encrypted clinic (and refusing a bad tax ID without creating anything), the recovery key page
whose key really opens the data, the demo clinic, and restoring a backup onto a new PC."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QFrame
from pytestqt.qtbot import QtBot
from ui.conftest import MakeApp

from clinic_desktop.actor import Actor
from clinic_desktop.app_flow import ClinicApp
from clinic_desktop.config import AppPaths
from clinic_desktop.services import backups, clinic_info, startup
from clinic_desktop.services.demo import create_demo_clinic
from clinic_desktop.ui.setup import recovery_key as recovery_key_module
from clinic_desktop.ui.setup.wizard import SetupWizard

OWNER_PASSWORD = "consulta-segura-7"


def open_wizard(make_app: MakeApp, paths: AppPaths) -> tuple[ClinicApp, SetupWizard]:
    controller = make_app(paths)
    controller.start()
    assert controller.first_run is not None and controller.sign_in_dialog is None
    controller.first_run.create_button.click()
    assert controller.wizard is not None
    return controller, controller.wizard


def fill_clinic(wizard: SetupWizard, *, tax_id: str = "1710034065001", country: str = "EC") -> None:
    page = wizard.clinic_page
    page.name_edit.setText("Consultorio Dental Sonrisa")
    page.country_combo.setCurrentIndex(page.country_combo.findData(country))
    page.tax_id_edit.setText(tax_id)


def fill_rest(wizard: SetupWizard, *, username: str = "mvera") -> None:
    wizard.location_page.address_edit.setText("Calle Sucre 210, Cuenca")
    wizard.next()
    assert wizard.currentPage() is wizard.numbering_page
    wizard.numbering_page.establishment_edit.setText("002")
    wizard.numbering_page.emission_point_edit.setText("003")
    wizard.next()
    assert wizard.currentPage() is wizard.owner_page
    owner = wizard.owner_page
    owner.full_name_edit.setText("María Vera")
    owner.username_edit.setText(username)
    owner.email_edit.setText("maria@sonrisa.ec")
    owner.password_edit.setText(OWNER_PASSWORD)
    owner.repeat_edit.setText(OWNER_PASSWORD)


def test_wizard_creates_the_clinic_and_its_recovery_key_opens_it(
    paths: AppPaths, make_app: MakeApp
) -> None:
    controller, wizard = open_wizard(make_app, paths)
    fill_clinic(wizard)
    wizard.next()
    assert wizard.currentPage() is wizard.location_page, wizard.clinic_page.tax_id_error.text()
    assert wizard.location_page.timezone == "America/Guayaquil"
    fill_rest(wizard)
    assert not paths.database.exists()
    wizard.next()  # the commit page: creates the clinic
    assert wizard.currentPage() is wizard.recovery_page
    assert paths.is_initialised()

    panel = wizard.recovery_page.panel
    assert panel is not None
    shown_key = panel.key_label.text()
    assert shown_key == wizard.created.recovery_key  # type: ignore[union-attr]
    # The key on screen really opens the data without any keychain.
    data_key = startup.unlock(paths, recovery_key=shown_key, keyring_backend=None)
    assert len(data_key) == 32

    assert not wizard.recovery_page.isComplete()
    wizard.accept()  # Finish cannot be used before confirming the key is stored
    assert controller.wizard is wizard
    wizard.reject()  # nor can the wizard be closed
    assert controller.wizard is wizard
    panel.confirm_check.setChecked(True)
    assert wizard.recovery_page.isComplete()
    wizard.accept()

    assert controller.wizard is None
    dialog = controller.sign_in_dialog
    assert dialog is not None
    assert dialog.clinic_label.text() == "Consultorio Dental Sonrisa"
    assert dialog.demo_hint is None
    clinic = clinic_info.get_clinic(controller.db.uow())
    assert (clinic.establishment_code, clinic.emission_point_code) == ("002", "003")
    assert (clinic.timezone, clinic.currency, clinic.is_demo) == ("America/Guayaquil", "USD", False)

    dialog.form.username_edit.setText("mvera")
    dialog.form.password_edit.setText(OWNER_PASSWORD)
    dialog.form.sign_in_button.click()
    assert controller.main_window is not None
    assert "users" in controller.main_window.area_keys


def test_bad_tax_id_is_shown_beside_the_field_and_creates_nothing(
    paths: AppPaths, make_app: MakeApp
) -> None:
    _controller, wizard = open_wizard(make_app, paths)
    fill_clinic(wizard, tax_id="1710034064001")
    wizard.next()
    page = wizard.clinic_page
    assert wizard.currentPage() is page
    assert page.tax_id_error.isVisibleTo(page)
    assert "Tax ID" in page.tax_id_error.text()
    assert page.tax_id_edit.property("invalid") == "true"
    assert not paths.data_dir.exists() or not any(paths.data_dir.iterdir())


def test_tax_id_warning_is_shown_once_and_does_not_block(
    paths: AppPaths, make_app: MakeApp
) -> None:
    _controller, wizard = open_wizard(make_app, paths)
    fill_clinic(wizard, tax_id="1790012345001")  # check digit off: the SRI issued some such
    wizard.next()
    page = wizard.clinic_page
    assert wizard.currentPage() is page
    assert "SRI" in page.tax_id_error.text()
    assert page.tax_id_error.property("role") == "field-warning"
    wizard.next()
    assert wizard.currentPage() is wizard.location_page
    fill_rest(wizard)
    wizard.next()
    assert wizard.currentPage() is wizard.recovery_page
    assert wizard.created is not None and wizard.created.tax_id_warnings
    panel = wizard.recovery_page.panel
    assert panel is not None and panel.findChild(QFrame, "TaxIdWarning0") is not None


def test_country_fills_time_zone_and_currency_and_spanish_nif_is_accepted(
    paths: AppPaths, make_app: MakeApp
) -> None:
    _controller, wizard = open_wizard(make_app, paths)
    fill_clinic(wizard, country="ES", tax_id="B58378431")
    assert "NIF" in wizard.clinic_page.tax_id_hint.text()
    assert wizard.location_page.timezone == "Europe/Madrid"
    assert wizard.location_page.currency_combo.currentData() == "EUR"
    wizard.next()
    assert wizard.currentPage() is wizard.location_page


def test_service_error_goes_to_the_page_with_the_field(paths: AppPaths, make_app: MakeApp) -> None:
    _controller, wizard = open_wizard(make_app, paths)
    fill_clinic(wizard)
    wizard.next()
    fill_rest(wizard, username="M Vera")
    wizard.next()
    owner = wizard.owner_page
    assert wizard.currentPage() is owner
    assert (
        "User name" in owner.findChild(type(owner.general_error), "OwnerUsernameEditError").text()
    )
    assert not paths.database.exists() and not paths.key_file.exists()

    owner.repeat_edit.setText("something-else-1")
    owner.username_edit.setText("mvera")
    wizard.next()
    assert wizard.currentPage() is owner
    assert (
        "different"
        in owner.findChild(type(owner.general_error), "OwnerRepeatPasswordEditError").text()
    )
    assert not paths.database.exists()


def test_demo_shows_the_recovery_key_then_sign_in_with_accounts(
    paths: AppPaths, make_app: MakeApp
) -> None:
    controller = make_app(paths)
    controller.start()
    assert controller.first_run is not None
    controller.first_run.demo_button.click()
    dialog = controller.new_key_dialog
    assert dialog is not None, controller.errors  # type: ignore[attr-defined]
    assert not dialog.continue_button.isEnabled()
    dialog.panel.confirm_check.setChecked(True)
    dialog.continue_button.click()
    sign_in = controller.sign_in_dialog
    assert sign_in is not None and sign_in.demo_hint is not None
    sign_in.demo_hint.findChild(type(sign_in.form.sign_in_button), "DemoAccount_soporte").click()
    assert sign_in.form.username_edit.text() == "soporte"
    sign_in.form.sign_in_button.click()
    assert controller.main_window is not None
    assert controller.main_window.area_keys == [
        "home",
        "inventory",
        "users",
        "audit",
        "backups",
        "settings",
    ]


def test_recovery_sheet_pdf_is_saved_where_chosen(
    paths: AppPaths, make_app: MakeApp, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    controller = make_app(paths)
    controller.start()
    assert controller.first_run is not None
    controller.first_run.demo_button.click()
    dialog = controller.new_key_dialog
    assert dialog is not None
    target = tmp_path / "hoja"
    monkeypatch.setattr(
        recovery_key_module.QFileDialog,
        "getSaveFileName",
        staticmethod(lambda *args, **kwargs: (str(target), "")),
    )
    dialog.panel.save_button.click()
    saved = tmp_path / "hoja.pdf"
    assert saved.read_bytes().startswith(b"%PDF")
    assert dialog.panel.saved_to == saved


def test_restore_a_backup_onto_a_new_computer(
    tmp_path: Path, make_app: MakeApp, keyring_backend: object, qtbot: QtBot
) -> None:
    from support.constants import FAST_KDF

    old_pc = AppPaths(tmp_path / "old-pc")
    created = create_demo_clinic(
        old_pc,
        patients=3,
        kdf=FAST_KDF,
        keyring_backend=keyring_backend,  # type: ignore[arg-type]
    )
    backup = backups.make_backup(created.db, actor=Actor.system("test"))
    created.db.close()

    new_pc = AppPaths(tmp_path / "new-pc")
    controller = make_app(new_pc)
    controller.start()
    assert controller.first_run is not None
    controller.first_run.restore_button.click()
    dialog = controller.restore_dialog
    assert dialog is not None
    dialog.file_edit.setText(backup.path)
    dialog.key_edit.setText("AAAA-BBBB-CCCC-DDDD-EEEE-FFFF-GGGG-HHHH")
    dialog.restore_button.click()
    assert (
        "Recovery key" in dialog.findChild(type(dialog.errors._general), "RecoveryKeyError").text()
    )
    assert not new_pc.database.exists()

    dialog.key_edit.setText(created.recovery_key)
    dialog.restore_button.click()
    assert controller.restore_dialog is None
    assert controller.sign_in_dialog is not None
    assert controller.sign_in_dialog.clinic_label.text() == "Clínica Demo San Rafael"
