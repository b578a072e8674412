"""Fixtures for driving the whole app shell: a ClinicApp controller with the same-thread
runner, the file keyring and cheap recovery-key KDF parameters, whose error reports are
recorded instead of opening modal message boxes."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from pytestqt.qtbot import QtBot
from support.constants import FAST_KDF
from support.file_keyring import FileKeyring

from clinic_desktop.app_flow import ClinicApp
from clinic_desktop.config import AppPaths
from clinic_desktop.ui.ops import SameThreadRunner

MakeApp = Callable[..., ClinicApp]


@pytest.fixture
def make_app(qtbot: QtBot, keyring_backend: FileKeyring) -> Iterator[MakeApp]:
    made: list[ClinicApp] = []

    def make(paths: AppPaths, **overrides: object) -> ClinicApp:
        options: dict[str, object] = {
            "runner": SameThreadRunner(),
            "keyring_backend": keyring_backend,
            "kdf": FAST_KDF,
            "demo_patients": 5,
        }
        options.update(overrides)
        controller = ClinicApp(paths, **options)  # type: ignore[arg-type]
        errors: list[str] = []
        controller.errors = errors  # type: ignore[attr-defined]
        controller.report_error = lambda message, parent=None: errors.append(message)  # type: ignore[method-assign]
        made.append(controller)
        return controller

    yield make
    for controller in made:
        for name in (
            "main_window", "sign_in_dialog", "password_dialog", "recovery_dialog", "wizard",
            "new_key_dialog", "restore_dialog", "first_run",
        ):  # fmt: skip
            widget = getattr(controller, name)
            if widget is not None:
                if hasattr(widget, "shut_down"):
                    widget.shut_down()
                widget.hide()
                widget.deleteLater()
        if controller.db is not None:
            controller.db.close()
