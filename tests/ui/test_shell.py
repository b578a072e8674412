"""The app shell driven end to end through ClinicApp on a real demo clinic: unlocking with the
keychain or the recovery key, signing in, the areas each role sees, wrong passwords, the
forced password change, the idle lock keeping typed text, switching user, signing out, the
backup status warning and the daily scheduled backup."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from PySide6.QtWidgets import QApplication, QLabel, QLineEdit
from pytestqt.qtbot import QtBot
from sqlalchemy import select, update
from ui.conftest import MakeApp

from clinic_desktop.actor import Actor
from clinic_desktop.app_flow import ClinicApp
from clinic_desktop.config import AppPaths
from clinic_desktop.models.backup import BackupRecord
from clinic_desktop.models.patient import Patient
from clinic_desktop.services import backups
from clinic_desktop.services.demo import DEMO_PASSWORD
from clinic_desktop.services.startup import CreatedClinic
from clinic_desktop.services.users import find_user_id, reset_password
from clinic_desktop.ui.main_window import MainWindow
from clinic_desktop.ui.signin.sign_in_dialog import SignInDialog


def sign_in(controller: ClinicApp, username: str, password: str = DEMO_PASSWORD) -> None:
    dialog = controller.sign_in_dialog
    assert dialog is not None, "the sign-in dialog is not shown"
    dialog.form.username_edit.setText(username)
    dialog.form.password_edit.setText(password)
    dialog.form.sign_in_button.click()


def started(make_app: MakeApp, paths: AppPaths, **options: object) -> ClinicApp:
    controller = make_app(paths, **options)
    controller.start()
    return controller


def main_window(controller: ClinicApp) -> MainWindow:
    assert controller.main_window is not None, controller.errors  # type: ignore[attr-defined]
    return controller.main_window


def test_start_unlocks_with_keychain_and_shows_demo_accounts(
    demo: CreatedClinic, paths: AppPaths, make_app: MakeApp
) -> None:
    controller = started(make_app, paths)
    dialog = controller.sign_in_dialog
    assert isinstance(dialog, SignInDialog)
    assert controller.recovery_dialog is None
    assert dialog.clinic_label.text() == "Clínica Demo San Rafael"
    assert dialog.demo_hint is not None
    hint_text = " ".join(label.text() for label in dialog.demo_hint.findChildren(QLabel))
    assert "IT administrator" in hint_text and "Reception" in hint_text
    assert DEMO_PASSWORD in hint_text


@pytest.mark.parametrize(
    ("username", "areas"),
    [
        (
            "duena",
            [
                "home",
                "agenda",
                "patients",
                "billing",
                "dashboard",
                "inventory",
                "templates",
                "schedules",
                "users",
                "audit",
                "trash",
                "backups",
                "settings",
            ],
        ),
        # Everyone sees stock levels; editing them is what inventory.manage allows.
        # Reception charges at the desk; the dashboard and finance reports are the owner's.
        ("recepcion", ["home", "agenda", "patients", "billing", "inventory", "schedules"]),
        ("medico", ["home", "agenda", "patients", "inventory", "templates", "schedules"]),
        ("asistente", ["home", "agenda", "patients", "inventory"]),
        ("soporte", ["home", "inventory", "users", "audit", "backups", "settings"]),
    ],
)
def test_each_role_sees_only_its_areas(
    demo: CreatedClinic, paths: AppPaths, make_app: MakeApp, username: str, areas: list[str]
) -> None:
    controller = started(make_app, paths)
    sign_in(controller, username)
    window = main_window(controller)
    assert controller.sign_in_dialog is None
    assert window.area_keys == areas
    assert window.nav.count() == len(areas)
    assert sorted(window.home.area_buttons) == sorted(areas[1:])


def test_home_shows_no_patient_data_to_it_admin(
    demo: CreatedClinic, paths: AppPaths, make_app: MakeApp
) -> None:
    controller = started(make_app, paths)
    sign_in(controller, "soporte")
    window = main_window(controller)
    with demo.db.uow().transaction(Actor.system("test")) as session:
        patients = [f"{p.first_names} {p.last_names}" for p in session.scalars(select(Patient))]
    assert patients
    shown = " ".join(label.text() for label in window.findChildren(QLabel))
    assert "Diego Salazar" in shown  # the user's own name is there...
    assert "IT administrator" in shown
    assert not [name for name in patients if name in shown]  # ...no patient's is
    assert window.home.demo_banner.isVisibleTo(window)


def test_wrong_password_shows_the_service_message(
    demo: CreatedClinic, paths: AppPaths, make_app: MakeApp
) -> None:
    controller = started(make_app, paths)
    sign_in(controller, "duena", "not-the-password-1")
    assert controller.main_window is None
    dialog = controller.sign_in_dialog
    assert dialog is not None
    assert dialog.form.error_label.text() == "Wrong user name or password."
    assert dialog.form.password_edit.text() == ""


def test_forced_password_change_before_the_main_window(
    demo: CreatedClinic, paths: AppPaths, make_app: MakeApp
) -> None:
    system = Actor.system("test")
    user_id = find_user_id(demo.db.uow(), actor=system, username="recepcion")
    temporary = reset_password(demo.db.uow(), actor=system, user_id=user_id)
    controller = started(make_app, paths)
    sign_in(controller, "recepcion", temporary)
    dialog = controller.password_dialog
    assert dialog is not None and controller.main_window is None
    dialog.reject()  # Escape / closing cannot skip the change
    assert controller.password_dialog is dialog and controller.main_window is None

    dialog.current_edit.setText(temporary)
    dialog.new_edit.setText("short1")
    dialog.repeat_edit.setText("short1")
    dialog.save_button.click()
    new_error = dialog.findChild(QLabel, "NewPasswordError")
    assert "at least 10 characters" in new_error.text()
    assert controller.main_window is None

    dialog.new_edit.setText("recepcion-nueva-2026")
    dialog.repeat_edit.setText("recepcion-nueva-2026")
    dialog.save_button.click()
    assert "user name" in new_error.text()

    dialog.new_edit.setText("mostrador-2026")
    dialog.repeat_edit.setText("mostrador-2026")
    dialog.save_button.click()
    window = main_window(controller)
    assert not window.ctx.user.must_change_password
    assert controller.password_dialog is None


def test_idle_lock_keeps_typed_text_and_needs_the_right_password(
    demo: CreatedClinic, paths: AppPaths, make_app: MakeApp, qtbot: QtBot
) -> None:
    controller = started(make_app, paths)
    sign_in(controller, "duena")
    window = main_window(controller)
    window.show()
    edit = QLineEdit(window.home)
    edit.setObjectName("Draft")
    edit.show()
    qtbot.keyClicks(edit, "Control en 2 semanas")

    window.idle.last_input -= window.idle.timeout_seconds + 1  # as if idle that long
    assert window.idle.check()
    assert window.is_locked and window.lock_screen is not None
    assert not window.shell.isVisible()
    lock = window.lock_screen
    assert lock.unlock_form.username_edit.text() == "duena"
    assert lock.unlock_form.username_edit.isReadOnly()

    lock.unlock_form.password_edit.setText("wrong-password-9")
    lock.unlock_form.sign_in_button.click()
    assert window.is_locked
    assert lock.unlock_form.error_label.text() == "Wrong user name or password."

    lock.unlock_form.password_edit.setText(DEMO_PASSWORD)
    lock.unlock_form.sign_in_button.click()
    assert not window.is_locked
    assert window.shell.isVisible()
    assert edit.text() == "Control en 2 semanas"
    assert window.ctx.user.username == "duena"


def test_idle_timeout_comes_from_the_settings(
    demo: CreatedClinic, paths: AppPaths, make_app: MakeApp
) -> None:
    from clinic_desktop.services.settings import update_settings

    update_settings(
        demo.db.uow(), actor=Actor.system("test"), changes={"security.idle_lock_minutes": 3}
    )
    controller = started(make_app, paths)
    sign_in(controller, "duena")
    window = main_window(controller)
    assert window.idle.timeout_seconds == 180
    assert not window.idle.check(now=window.idle.last_input + 179)
    assert not window.is_locked
    assert window.idle.check(now=window.idle.last_input + 180)
    assert window.is_locked


def test_switch_user_is_one_action_and_rebuilds_for_the_new_role(
    demo: CreatedClinic, paths: AppPaths, make_app: MakeApp
) -> None:
    controller = started(make_app, paths)
    sign_in(controller, "duena")
    window = main_window(controller)
    window.switch_button.click()
    lock = window.lock_screen
    assert lock is not None and lock.mode == lock.SWITCHING
    lock.switch_form.username_edit.setText("recepcion")
    lock.switch_form.password_edit.setText(DEMO_PASSWORD)
    lock.switch_form.sign_in_button.click()
    assert controller.main_window is window  # the same window, for the next person
    assert not window.is_locked
    assert window.ctx.user.username == "recepcion"
    assert window.area_keys == ["home", "agenda", "patients", "billing", "inventory", "schedules"]
    assert "Carla Mendoza" in window.user_label.text()


def test_sign_out_returns_to_sign_in(
    demo: CreatedClinic, paths: AppPaths, make_app: MakeApp
) -> None:
    controller = started(make_app, paths)
    sign_in(controller, "duena")
    main_window(controller).sign_out_action.trigger()
    assert controller.main_window is None
    assert controller.sign_in_dialog is not None
    assert controller.exit_code is None


def test_backup_status_warns_when_missing_or_old(
    demo: CreatedClinic, paths: AppPaths, make_app: MakeApp
) -> None:
    controller = started(make_app, paths)
    sign_in(controller, "recepcion")
    window = main_window(controller)
    assert window.backup_label.text() == "No backup yet"
    assert window.backup_label.property("level") == "danger"

    backups.make_backup(controller.db, actor=Actor.system("test"))
    QApplication.processEvents()  # the bridge delivers BackupCompleted on the GUI thread
    assert window.backup_label.text().startswith("Last verified backup: ")
    assert window.backup_label.property("level") == "ok"

    with demo.db.uow().transaction(Actor.system("test")) as session:
        session.execute(
            update(BackupRecord).values(verified_at=datetime.now(UTC) - timedelta(hours=49))
        )
    window.refresh_backup_status()
    assert window.backup_label.text().startswith("Last backup over 48 hours ago")
    assert window.backup_label.property("level") == "warning"


def test_scheduled_backup_runs_when_due(
    demo: CreatedClinic, paths: AppPaths, make_app: MakeApp
) -> None:
    controller = started(make_app, paths)
    sign_in(controller, "recepcion")  # the scheduler acts as the system, whoever is signed in
    window = main_window(controller)
    window.check_scheduled_backup(now=datetime.now(UTC))
    QApplication.processEvents()
    with demo.db.uow().transaction(Actor.system("test")) as session:
        kinds = list(session.scalars(select(BackupRecord.kind)))
    assert kinds == ["scheduled"]
    assert window.backup_label.property("level") == "ok"
    window.check_scheduled_backup(now=datetime.now(UTC))
    with demo.db.uow().transaction(Actor.system("test")) as session:
        assert len(list(session.scalars(select(BackupRecord.kind)))) == 1  # not due twice


def test_missing_keychain_asks_for_the_recovery_key(
    demo: CreatedClinic, paths: AppPaths, make_app: MakeApp
) -> None:
    controller = started(make_app, paths, keyring_backend=None)
    assert controller.sign_in_dialog is None
    dialog = controller.recovery_dialog
    assert dialog is not None
    assert dialog.reason_banner.text_label.text() == (
        "No system keychain is available on this computer."
    )
    texts = " ".join(b.text() for b in dialog.findChildren(type(dialog.unlock_button)))
    assert "delete" not in texts.lower() and "reset" not in texts.lower()

    dialog.key_edit.setText("AAAA-BBBB-CCCC-DDDD-EEEE-FFFF-GGGG-HHHH")
    dialog.unlock_button.click()
    assert "does not open" in dialog.error_label.text()
    assert controller.recovery_dialog is dialog and controller.sign_in_dialog is None

    dialog.key_edit.setText(demo.recovery_key.lower())
    dialog.unlock_button.click()
    assert controller.recovery_dialog is None
    assert controller.sign_in_dialog is not None


def test_sign_in_language_choice_is_saved(
    demo: CreatedClinic, paths: AppPaths, make_app: MakeApp
) -> None:
    from clinic_desktop.i18n import current_language

    controller = started(make_app, paths)
    dialog = controller.sign_in_dialog
    assert dialog is not None
    dialog.language_combo.select("es")
    assert current_language() == "es"
    assert json.loads(paths.preferences_file.read_text())["language"] == "es"
    dialog.language_combo.select("en")
    assert json.loads(paths.preferences_file.read_text())["language"] == "en"
    assert dialog.form.sign_in_button.text() == "Sign in"


def test_run_gui_shows_sign_in_before_the_data_is_open_then_enables_it(qtbot, demo, paths):
    """The early window: remembered clinic name, sign-in disabled until unlock finishes."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from clinic_desktop.app import run_gui
    from clinic_desktop.config import read_preferences

    demo.db.close()
    assert read_preferences(paths)["clinic_name"] == "Clínica Demo San Rafael"
    seen: list[tuple[bool, bool]] = []

    def dialog():
        return next(
            w
            for w in QApplication.topLevelWidgets()
            if w.objectName() == "SignInDialog" and w.isVisible()
        )

    def early() -> None:
        box = dialog()
        seen.append((box.form.sign_in_button.isEnabled(), "Demo" in box.clinic_label.text()))

    def ready() -> None:
        if dialog().form.sign_in_button.isEnabled():
            seen.append((True, True))
            QApplication.instance().exit(0)
        else:
            QTimer.singleShot(50, ready)

    QTimer.singleShot(0, early)
    QTimer.singleShot(10, ready)
    assert run_gui(paths) == 0
    assert seen[0] == (False, True)  # shown at once, named, not yet usable
    assert seen[-1] == (True, True)


def test_a_users_own_language_applies_while_signed_in_and_the_pc_keeps_its_own(
    demo: CreatedClinic, paths: AppPaths, make_app: MakeApp
) -> None:
    from clinic_desktop.actor import Actor
    from clinic_desktop.i18n import current_language
    from clinic_desktop.services import users
    from clinic_desktop.ui.widgets.language import save_language

    system = Actor.system("test")
    uid = users.find_user_id(demo.db.uow(), actor=system, username="medico")
    doctor = next(u for u in users.list_users(demo.db.uow(), actor=system) if u.id == uid)
    users.update_user(
        demo.db.uow(),
        actor=system,
        user_id=uid,
        expected_version=doctor.version,
        full_name=doctor.full_name,
        email=None,
        roles=["doctor"],
        language="en",
    )
    save_language(paths, "es")
    controller = started(make_app, paths)
    assert current_language() == "es"
    sign_in(controller, "medico")
    window = main_window(controller)
    assert current_language() == "en"
    window.sign_out()
    assert current_language() == "es"
    assert controller.sign_in_dialog is not None
    assert controller.sign_in_dialog.form.sign_in_button.text() == "Iniciar sesión"


def test_a_new_pc_starts_in_the_clinics_default_language(
    demo: CreatedClinic, paths: AppPaths, make_app: MakeApp
) -> None:
    from clinic_desktop.actor import Actor
    from clinic_desktop.config import read_preferences, update_preferences
    from clinic_desktop.i18n import current_language, set_language
    from clinic_desktop.services.settings import update_settings

    update_settings(demo.db.uow(), actor=Actor.system("test"), changes={"ui.language": "es"})
    prefs = read_preferences(paths)
    prefs.pop("language", None)
    paths.preferences_file.unlink(missing_ok=True)
    update_preferences(paths, **prefs)
    set_language("en")  # what the process started in, before the clinic was open
    started(make_app, paths)
    assert current_language() == "es"
    assert read_preferences(paths)["language"] == "es"


def test_open_dialogs_hide_while_locked_and_never_pass_to_the_next_user(
    demo: CreatedClinic, paths: AppPaths, make_app: MakeApp, qtbot: QtBot
) -> None:
    from PySide6.QtWidgets import QDialog

    controller = started(make_app, paths)
    sign_in(controller, "duena")
    window = main_window(controller)
    window.show()
    editor = QDialog(window.home)  # stands for any form opened from a page
    draft = QLineEdit(editor)
    editor.open()
    qtbot.keyClicks(draft, "Nota a medias")
    window.lock_now()
    assert not editor.isVisible()  # nobody can use it above the lock screen
    window.lock_screen.unlock_form.password_edit.setText(DEMO_PASSWORD)
    window.lock_screen.unlock_form.sign_in_button.click()
    assert editor.isVisible() and draft.text() == "Nota a medias"

    window.switch_user()
    assert not editor.isVisible()
    switch = window.lock_screen.switch_form
    switch.username_edit.setText("recepcion")
    switch.password_edit.setText(DEMO_PASSWORD)
    switch.sign_in_button.click()
    assert window.ctx.user.username == "recepcion"
    assert not editor.isVisible()
