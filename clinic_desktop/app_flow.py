"""ClinicApp, the start-up and session flow of the desktop app: from first run or unlock
(keychain, else the recovery key) through opening the database (a verified backup and
migration when the schema is old) and signing in, to the main window. Each step is a method
tests can drive with a SameThreadRunner and a test keyring; clinic_desktop.app.run_gui wires
it to a ThreadRunner and the real OS keychain after the first window is on screen."""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from clinic_desktop.config import AppPaths, read_preferences, update_preferences
from clinic_desktop.errors import KeyUnavailable
from clinic_desktop.i18n import _, current_language, set_language
from clinic_desktop.services import auth, clinic_info, demo, startup
from clinic_desktop.services.dto import ClinicDTO, SignedInUser
from clinic_desktop.ui.context import UiContext
from clinic_desktop.ui.event_bridge import EventBridge
from clinic_desktop.ui.main_window import MainWindow
from clinic_desktop.ui.ops import Runner, ThreadRunner
from clinic_desktop.ui.setup.choice import FirstRunScreen
from clinic_desktop.ui.setup.recovery_key import NewRecoveryKeyDialog
from clinic_desktop.ui.setup.restore_dialog import RestoreOnNewPcDialog
from clinic_desktop.ui.setup.wizard import SetupWizard
from clinic_desktop.ui.signin.password_dialog import ChangePasswordDialog
from clinic_desktop.ui.signin.recovery_dialog import RecoveryKeyDialog
from clinic_desktop.ui.signin.sign_in_dialog import SignInDialog
from clinic_desktop.ui.widgets.language import read_language, save_language
from clinic_desktop.ui.widgets.messages import show_error

log = logging.getLogger(__name__)


class ClinicApp(QObject):
    """Start-up and session flow. Windows are attributes (None when not shown) so tests can
    find and drive them; `quit_requested(code)` asks the event loop to end."""

    quit_requested = Signal(int)

    def __init__(
        self,
        paths: AppPaths,
        *,
        runner: Runner | None = None,
        keyring_backend: startup.KeyringChoice = True,
        kdf: Any = None,
        demo_patients: int = 200,
        sign_in_dialog: SignInDialog | None = None,
    ) -> None:
        """`sign_in_dialog` is the window run_gui showed before this module loaded; the
        controller makes it usable once the clinic data is open."""
        super().__init__()
        self.paths = paths
        self.runner = runner or ThreadRunner()
        self.keyring_backend = keyring_backend
        self.kdf = kdf  # tests pass cheap Argon2 parameters for the recovery key
        self.demo_patients = demo_patients
        self.db: Any = None
        self.clinic: ClinicDTO | None = None
        self.bridge: EventBridge | None = None
        self.exit_code: int | None = None
        self.last_error: str | None = None
        self.first_run: FirstRunScreen | None = None
        self.wizard: SetupWizard | None = None
        self.restore_dialog: RestoreOnNewPcDialog | None = None
        self.new_key_dialog: NewRecoveryKeyDialog | None = None
        self.recovery_dialog: RecoveryKeyDialog | None = None
        self.sign_in_dialog: SignInDialog | None = None
        if sign_in_dialog is not None:
            self._attach_sign_in(sign_in_dialog)
        self.password_dialog: ChangePasswordDialog | None = None
        self.main_window: MainWindow | None = None

    # -- start ---------------------------------------------------------------------------------

    def start(self) -> None:
        # A database without its key file still goes to unlock: the message then says what is
        # missing, instead of offering to create a clinic over the existing data.
        if self.paths.is_initialised() or self.paths.database.exists():
            self.unlock()
        else:
            self.show_first_run()

    def quit(self, code: int = 0) -> None:
        self.exit_code = code
        self.quit_requested.emit(code)

    def report_error(self, message: str, parent: QWidget | None = None) -> None:
        """Tells the user; tests replace this to avoid a modal box."""
        self.last_error = message
        show_error(parent, message)

    def _close(self, name: str) -> None:
        widget = getattr(self, name)
        if widget is not None:
            widget.hide()
            widget.deleteLater()
            setattr(self, name, None)

    # -- first run -----------------------------------------------------------------------------

    def show_first_run(self) -> None:
        screen = FirstRunScreen(self.paths)
        screen.create_requested.connect(self.show_wizard)
        screen.demo_requested.connect(self.create_demo)
        screen.restore_requested.connect(self.show_restore)
        screen.closed.connect(lambda: self.quit(0))
        self.first_run = screen
        screen.show()

    def show_wizard(self) -> None:
        wizard = SetupWizard(
            paths=self.paths, runner=self.runner, keyring_backend=self.keyring_backend, kdf=self.kdf
        )
        wizard.clinic_created.connect(lambda created: self._adopt(created.db))
        wizard.rejected.connect(self._back_to_first_run)
        self.wizard = wizard
        wizard.show()
        if self.first_run is not None:
            self.first_run.hide()

    def _back_to_first_run(self) -> None:
        if self.first_run is not None:
            self.first_run.show()
        self._close("wizard")
        self._close("restore_dialog")

    def create_demo(self) -> None:
        paths, backend, kdf, count = self.paths, self.keyring_backend, self.kdf, self.demo_patients
        language = current_language()

        def job() -> tuple[Any, str]:
            created = demo.create_demo_clinic(
                paths, patients=count, language=language, kdf=kdf, keyring_backend=backend
            )
            return created.db, created.recovery_key

        self.runner.run(
            job,
            on_done=self._on_demo_created,
            on_error=lambda message: self.report_error(message, self.first_run),
            busy_text=_("Creating the demo clinic…"),
            parent=self.first_run,
        )

    def _on_demo_created(self, result: tuple[Any, str]) -> None:
        db, recovery_key = result
        dialog = NewRecoveryKeyDialog(
            db=db, runner=self.runner, recovery_key=recovery_key, title=_("Demo clinic")
        )
        dialog.accepted.connect(lambda: self._adopt(db))
        self.new_key_dialog = dialog
        dialog.show()
        if self.first_run is not None:
            self.first_run.hide()

    def show_restore(self) -> None:
        dialog = RestoreOnNewPcDialog(
            paths=self.paths, runner=self.runner, keyring_backend=self.keyring_backend,
            parent=self.first_run,
        )  # fmt: skip
        dialog.restored.connect(self._adopt)
        self.restore_dialog = dialog
        dialog.open()

    def _adopt(self, db: Any) -> None:
        """A clinic was just created or restored here: it is open; go to sign-in."""
        self.runner.run(
            lambda: (db, clinic_info.get_clinic(db.uow())),
            on_done=self._on_opened,
            on_error=self._fatal,
        )

    # -- unlock and open -----------------------------------------------------------------------

    def unlock(self) -> None:
        paths, backend = self.paths, self.keyring_backend

        def attempt() -> bytes | KeyUnavailable:
            try:
                return startup.unlock(paths, keyring_backend=backend)
            except KeyUnavailable as exc:  # a normal case (new PC, no keychain): not an error
                return exc

        self.runner.run(attempt, on_done=self._on_unlock_attempted, on_error=self._fatal)

    def _on_unlock_attempted(self, result: bytes | KeyUnavailable) -> None:
        if isinstance(result, KeyUnavailable):
            self._close("sign_in_dialog")  # the early window; signing in comes after recovery
            self.show_recovery(result.message)
        else:
            self.open(result)

    def show_recovery(self, reason: str) -> None:
        dialog = RecoveryKeyDialog(
            paths=self.paths, runner=self.runner, reason=reason,
            keyring_backend=self.keyring_backend,
        )  # fmt: skip
        dialog.unlocked.connect(self.open)
        dialog.rejected.connect(lambda: self.quit(0))
        self.recovery_dialog = dialog
        dialog.show()

    def open(self, data_key: bytes) -> None:
        paths = self.paths

        def job() -> tuple[Any, ClinicDTO]:
            db = startup.open_clinic(paths, data_key, progress=lambda text: log.info("%s", text))
            return db, clinic_info.get_clinic(db.uow())

        self.runner.run(
            job,
            on_done=self._on_opened,
            on_error=self._fatal,
            busy_text=_("Opening the clinic data…"),
        )

    def _on_opened(self, result: tuple[Any, ClinicDTO]) -> None:
        self.db, self.clinic = result
        # Lets the next start show the sign-in window with this name before unlocking.
        update_preferences(
            self.paths, clinic_name=self.clinic.name, clinic_is_demo=self.clinic.is_demo
        )
        if "language" not in read_preferences(self.paths):
            # A PC with no language of its own starts in the clinic's default one.
            set_language(self.clinic.language)
            save_language(self.paths, self.clinic.language)
        self.bridge = EventBridge(self.db.bus)
        for name in ("recovery_dialog", "wizard", "new_key_dialog", "restore_dialog", "first_run"):
            self._close(name)
        self.show_sign_in()

    def _fatal(self, message: str) -> None:
        self.report_error(_("The clinic data could not be opened. {reason}").format(reason=message))
        self.quit(1)

    # -- signing in ----------------------------------------------------------------------------

    def show_sign_in(self) -> None:
        assert self.clinic is not None
        # The sign-in screen speaks this PC's language, whoever signed in last.
        set_language(read_language(self.paths))
        if self.sign_in_dialog is not None:  # shown early by run_gui, before the unlock
            self.sign_in_dialog.language_combo.select(current_language())
            self.sign_in_dialog.set_clinic(self.db, self.clinic)
            self.sign_in_dialog.show()
            return
        dialog = SignInDialog(db=self.db, paths=self.paths, runner=self.runner, clinic=self.clinic)
        self._attach_sign_in(dialog)
        dialog.show()

    def _attach_sign_in(self, dialog: SignInDialog) -> None:
        dialog.signed_in.connect(self._on_signed_in)
        dialog.rejected.connect(lambda: self.quit(0))
        self.sign_in_dialog = dialog

    def _on_signed_in(self, user: SignedInUser) -> None:
        self._close("sign_in_dialog")  # accepted, so hiding it does not emit rejected()
        if user.must_change_password:
            self._force_password_change(user)
        else:
            self.show_main(user)

    def _force_password_change(self, user: SignedInUser) -> None:
        actor = auth.actor_for(user)
        dialog = ChangePasswordDialog(db=self.db, runner=self.runner, actor=actor, forced=True)
        db = self.db
        dialog.password_changed.connect(
            lambda: self.runner.run(
                lambda: auth.refresh_signed_in(db.uow(), user_id=user.id),
                on_done=self.show_main,
                on_error=self._back_to_sign_in,
            )
        )
        dialog.rejected.connect(
            lambda: self.runner.run(
                lambda: auth.sign_out(db.uow(), actor=actor),
                on_done=lambda _r: self._back_to_sign_in(),
                on_error=self._back_to_sign_in,
            )
        )
        self.password_dialog = dialog
        dialog.show()

    def _back_to_sign_in(self, message: str | None = None) -> None:
        self._close("password_dialog")
        self.show_sign_in()
        if message and self.sign_in_dialog is not None:
            self.sign_in_dialog.form.error_label.show_error(message)

    def show_main(self, user: SignedInUser) -> None:
        assert self.clinic is not None and self.bridge is not None
        self._close("password_dialog")
        if user.language and user.language != current_language():
            set_language(user.language)  # the user's own choice, for this session only
        ctx = UiContext(
            db=self.db,
            paths=self.paths,
            runner=self.runner,
            bridge=self.bridge,
            user=user,
            clinic=self.clinic,
            reopen=self.reopen,
        )
        window = MainWindow(ctx)
        window.signed_out.connect(self._on_main_signed_out)
        window.closed.connect(lambda: self.quit(0))
        self.main_window = window
        window.show()

    def _on_main_signed_out(self) -> None:
        self.show_sign_in()
        self._close("main_window")

    def reopen(self) -> None:
        """After a restore replaced the database: open it again and ask to sign in."""
        if self.main_window is not None:
            self.main_window.closed.disconnect()
            self.main_window.shut_down()
            self._close("main_window")
        if self.db is not None:
            self.db.close()
            self.db = None
        self.unlock()

    def shutdown(self) -> None:
        if self.db is not None:
            self.db.close()
        self.runner.shutdown()
