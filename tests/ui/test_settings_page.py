"""The settings screen: every spec has an editor with the spec's limits, saving stores the
values, a value the service refuses is marked beside its field and changes nothing, and the
clinic's profile is shown read-only."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QCheckBox, QComboBox, QSpinBox, QTimeEdit
from pytestqt.qtbot import QtBot
from ui.screens_helpers import make_ctx

from clinic_desktop.services.settings import SPECS, get_settings
from clinic_desktop.services.startup import CreatedClinic
from clinic_desktop.ui.settings import SettingsPage
from clinic_desktop.ui.widgets import screen_kit


@pytest.fixture
def page(demo: CreatedClinic, qtbot: QtBot) -> SettingsPage:
    widget = SettingsPage(make_ctx(demo))
    qtbot.addWidget(widget)
    widget.refresh()
    return widget


def stored(page: SettingsPage) -> dict[str, object]:
    ctx = page._ctx
    return get_settings(ctx.uow(), actor=ctx.actor)


def test_every_spec_has_a_fitting_editor(page: SettingsPage) -> None:
    assert set(page.editors) == set(SPECS)
    spin = page.editors["security.lockout_minutes"]
    assert isinstance(spin, QSpinBox)
    assert (spin.minimum(), spin.maximum()) == (1, 1440)
    assert isinstance(page.editors["backup.time"], QTimeEdit)
    assert isinstance(page.editors["backup.enabled"], QCheckBox)
    assert isinstance(page.editors["ui.language"], QComboBox)
    assert page.values() == stored(page)


def test_save_stores_the_values(page: SettingsPage, monkeypatch: pytest.MonkeyPatch) -> None:
    page.set_value("security.idle_lock_minutes", 25)
    page.set_value("backup.time", "22:30")
    page.set_value("backup.enabled", False)
    page.set_value("ui.language", "en")
    monkeypatch.setattr(screen_kit, "choose_folder", lambda *args: "/srv/clinic-backups")
    page._browse_button.click()
    page.save_button.click()

    saved = stored(page)
    assert saved["security.idle_lock_minutes"] == 25
    assert saved["backup.time"] == "22:30"
    assert saved["backup.enabled"] is False
    assert saved["ui.language"] == "en"
    assert saved["backup.folder"] == "/srv/clinic-backups"
    assert page.banner.text() == "Settings saved."


def test_refused_value_marks_its_field_and_changes_nothing(page: SettingsPage) -> None:
    before = stored(page)
    page.set_value("backup.keep", 30)
    # The editor keeps to the spec; widen it to send what the service must refuse.
    spin = page.editors["security.lockout_minutes"]
    assert isinstance(spin, QSpinBox)
    spin.setMaximum(5000)
    spin.setValue(5000)
    page.save()

    error = page.errors["security.lockout_minutes"]
    assert not error.isHidden()
    assert "Lockout minutes" in error.text() and "1440" in error.text()
    assert spin.property("invalid") == "true"
    assert page.banner.kind == "error"
    assert stored(page) == before  # backup.keep was not saved either
    assert page.errors["backup.keep"].isHidden()


def test_clinic_profile_is_shown(page: SettingsPage) -> None:
    labels = page.profile_labels
    assert labels["name"].text() == "Clínica Demo San Rafael"
    assert labels["country"].text() == "Ecuador"
    assert labels["tax_id"].text() == "1710034065001"
    assert labels["timezone"].text() == "America/Guayaquil"


def test_read_only_without_settings_manage(demo: CreatedClinic, qtbot: QtBot) -> None:
    page = SettingsPage(make_ctx(demo, "recepcion"))
    qtbot.addWidget(page)
    page.refresh()
    assert page.save_button.isHidden()
    assert not any(editor.isEnabled() for editor in page.editors.values())
