"""The settings screen (settings.manage to change, anyone to read): one editor per setting in
services.settings.SPECS, grouped as Security, Backups and Language, with the spec's limits on
each editor; Save sends every value and a refused value is marked beside its field, changing
nothing. Beside the form, the clinic's profile from setup, read-only, and the letterhead logo."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, QTime
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSpinBox,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from clinic_desktop.errors import UserFacingError
from clinic_desktop.i18n import LANGUAGES, N_, _
from clinic_desktop.services.settings import SPECS, SettingSpec, get_settings, update_settings
from clinic_desktop.ui.context import UiContext
from clinic_desktop.ui.settings.emission_points_box import EmissionPointsBox
from clinic_desktop.ui.settings.logo_box import LogoBox
from clinic_desktop.ui.style import set_role
from clinic_desktop.ui.widgets import screen_kit
from clinic_desktop.ui.widgets.forms import FieldError
from clinic_desktop.ui.widgets.screen_kit import MessageBanner, mark_invalid

GROUPS = (
    ("security.", N_("Security")),
    ("backup.", N_("Backups")),
    ("ui.", N_("Language")),
    ("agenda.", N_("Agenda")),
    ("clinical.", N_("Clinical records")),
    ("documents.", N_("Documents")),
    ("inventory.", N_("Inventory")),
)
MINUTE_KEYS = frozenset({"security.idle_lock_minutes", "security.lockout_minutes"})
COUNTRIES = {"EC": N_("Ecuador"), "ES": N_("Spain")}


class SettingsPage(QWidget):
    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.setObjectName("SettingsPage")
        self.setWindowTitle(self.title())
        self.editors: dict[str, QWidget] = {}
        self.errors: dict[str, FieldError] = {}
        self.loaded: dict[str, Any] = {}

        self.banner = MessageBanner("SettingsMessage", self)
        form_column = QVBoxLayout()
        form_column.addWidget(self.banner)
        for prefix, title in (*GROUPS, ("", N_("Other"))):
            specs = [s for s in SPECS.values() if self._group_of(s.key) == prefix]
            if specs:
                form_column.addWidget(self._group(_(title), specs))
        self.save_button = QPushButton(_("Save settings"), self)
        self.save_button.setObjectName("SaveSettingsButton")
        set_role(self.save_button, "primary")
        self.save_button.clicked.connect(self._on_save_clicked)
        self.undo_button = QPushButton(_("Undo changes"), self)
        self.undo_button.setObjectName("UndoSettingsButton")
        self.undo_button.clicked.connect(self._on_undo_clicked)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.undo_button)
        buttons.addWidget(self.save_button)
        form_column.addLayout(buttons)
        form_column.addStretch(1)

        self.profile_labels: dict[str, QLabel] = {}
        profile = self._profile_card()
        side_column = QVBoxLayout()
        side_column.addWidget(profile)
        # The letterhead logo is changed by whoever may change settings.
        self.logo_box: LogoBox | None = None
        self.emission_box: EmissionPointsBox | None = None
        if ctx.can("settings.manage"):
            self.logo_box = LogoBox(ctx, self)
            side_column.addWidget(self.logo_box)
            self.emission_box = EmissionPointsBox(ctx, self)
            side_column.addWidget(self.emission_box)
        side_column.addStretch(1)

        body = QWidget(self)
        columns = QHBoxLayout(body)
        columns.addLayout(form_column, 3)
        columns.addLayout(side_column, 2)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(body)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scroll)

        if not ctx.can("settings.manage"):
            for editor in self.editors.values():
                editor.setEnabled(False)
            self.save_button.hide()
            self.undo_button.hide()
            self.banner.show_message(
                _("You can see these settings; changing them needs the owner's permission."),
                "info",
            )
        ctx.bridge.settings_changed.connect(self._on_bridge_settings_changed)

    def title(self) -> str:
        return _("Settings")

    @staticmethod
    def _group_of(key: str) -> str:
        return next((prefix for prefix, _title in GROUPS if key.startswith(prefix)), "")

    # -- building --------------------------------------------------------------------------

    def _group(self, title: str, specs: list[SettingSpec]) -> QGroupBox:
        box = QGroupBox(title, self)
        box.setObjectName(f"SettingsGroup_{self._group_of(specs[0].key).rstrip('.') or 'other'}")
        form = QFormLayout(box)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        for spec in specs:
            editor, row = self._editor(spec)
            editor.setObjectName(f"Setting_{spec.key}")
            self.editors[spec.key] = editor
            error = FieldError(f"SettingError_{spec.key}", box)
            # A wrapped label under a form field mis-measures its height and overlaps the field.
            error.setWordWrap(False)
            self.errors[spec.key] = error
            column = QVBoxLayout()
            column.setSpacing(2)
            column.addWidget(row)
            column.addWidget(error)
            form.addRow(_(spec.label), column)
        return box

    def _editor(self, spec: SettingSpec) -> tuple[QWidget, QWidget]:
        """The input for one setting, and the widget to place in the form (may wrap it)."""
        if spec.key == "backup.folder":
            edit = QLineEdit(self)
            edit.setPlaceholderText(str(self._ctx.paths.backups_dir))
            edit.setToolTip(_("Leave empty to use the app's own backup folder."))
            browse = QPushButton(_("Choose…"), self)
            browse.setObjectName("ChooseBackupFolderButton")
            browse.clicked.connect(self._on_browse_clicked)
            row = QWidget(self)
            row_layout = QHBoxLayout(row)
            row_layout.setContentsMargins(0, 0, 0, 0)
            row_layout.addWidget(edit, 1)
            row_layout.addWidget(browse)
            self._browse_button = browse
            return edit, row
        if spec.key == "backup.time":
            clock = QTimeEdit(self)
            clock.setDisplayFormat("HH:mm")
            self._fit_number(clock)
            return clock, clock
        if spec.key == "ui.language":
            combo = QComboBox(self)
            combo.setMinimumWidth(200)
            combo.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
            for code, name in LANGUAGES.items():
                combo.addItem(name, code)
            return combo, combo
        if isinstance(spec.default, bool):
            check = QCheckBox(_("Yes"), self)
            return check, check
        if isinstance(spec.default, int):
            spin = QSpinBox(self)
            spin.setRange(spec.minimum or 0, spec.maximum or 1_000_000)
            if spec.key in MINUTE_KEYS:
                spin.setSuffix(" " + _("min"))
            self._fit_number(spin)
            return spin, spin
        edit = QLineEdit(self)
        return edit, edit

    @staticmethod
    def _fit_number(editor: QAbstractSpinBox) -> None:
        # Same size for every number and time, so the form reads as one column.
        editor.setFixedWidth(140)
        editor.setMinimumHeight(34)

    def _profile_card(self) -> QGroupBox:
        box = QGroupBox(_("Clinic"), self)
        box.setObjectName("ClinicProfileBox")
        form = QFormLayout(box)
        rows = (
            ("name", _("Name")),
            ("country", _("Country")),
            ("tax_id", _("Tax ID")),
            ("address", _("Address")),
            ("timezone", _("Time zone")),
            ("currency", _("Currency")),
            ("establishment_code", _("Establishment")),
            ("emission_point_code", _("Emission point")),
        )
        for key, label in rows:
            value = QLabel("—", box)
            value.setObjectName(f"Profile_{key}")
            value.setWordWrap(True)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.profile_labels[key] = value
            form.addRow(label, value)
        note = QLabel(_("These details were entered when the clinic was set up."), box)
        note.setWordWrap(True)
        set_role(note, "hint")
        form.addRow(note)
        return box

    # -- values ----------------------------------------------------------------------------

    def set_value(self, key: str, value: Any) -> None:
        editor = self.editors[key]
        if isinstance(editor, QTimeEdit):
            editor.setTime(QTime.fromString(str(value), "HH:mm"))
        elif isinstance(editor, QComboBox):
            editor.setCurrentIndex(max(editor.findData(value), 0))
        elif isinstance(editor, QCheckBox):
            editor.setChecked(bool(value))
        elif isinstance(editor, QSpinBox):
            editor.setValue(int(value))
        elif isinstance(editor, QLineEdit):
            editor.setText(str(value))

    def value(self, key: str) -> Any:
        editor = self.editors[key]
        if isinstance(editor, QTimeEdit):
            return editor.time().toString("HH:mm")
        if isinstance(editor, QComboBox):
            return editor.currentData()
        if isinstance(editor, QCheckBox):
            return editor.isChecked()
        if isinstance(editor, QSpinBox):
            return editor.value()
        if isinstance(editor, QLineEdit):
            return editor.text().strip()
        return None

    def values(self) -> dict[str, Any]:
        return {key: self.value(key) for key in self.editors}

    # -- data ------------------------------------------------------------------------------

    def refresh(self) -> None:
        ctx = self._ctx
        if self.logo_box is not None:
            self.logo_box.refresh()
        if self.emission_box is not None:
            self.emission_box.refresh()
        ctx.runner.run(
            lambda: get_settings(ctx.uow(), actor=ctx.actor),
            on_done=self._on_load_done,
            on_error=self._show_error,
            parent=self,
        )

    def _on_load_done(self, settings: dict[str, Any]) -> None:
        clinic = self._ctx.clinic
        self._show_settings(settings)
        profile = {
            "name": clinic.name,
            "country": _(COUNTRIES[clinic.country]) if clinic.country in COUNTRIES else "",
            "tax_id": clinic.tax_id,
            "address": clinic.address or "—",
            "timezone": clinic.timezone.replace("_", " "),
            "currency": clinic.currency,
            "establishment_code": clinic.establishment_code,
            "emission_point_code": clinic.emission_point_code,
        }
        for key, text in profile.items():
            self.profile_labels[key].setText(text or "—")

    def _show_settings(self, settings: dict[str, Any]) -> None:
        self.loaded = dict(settings)
        for key in self.editors:
            if key in settings:
                self.set_value(key, settings[key])
        self._clear_errors()

    def _clear_errors(self) -> None:
        for key, editor in self.editors.items():
            mark_invalid(editor, False)
            self.errors[key].clear_message()

    def _show_error(self, message: str) -> None:
        self.banner.show_message(message, "error")

    def _on_bridge_settings_changed(self, _event: object) -> None:
        # Another PC (or the CLI) changed settings: reload unless the user is mid-edit here.
        if self.values() == {k: self.loaded.get(k) for k in self.editors}:
            self.refresh()

    def _on_browse_clicked(self) -> None:
        start = self.value("backup.folder") or str(self._ctx.paths.backups_dir)
        folder = screen_kit.choose_folder(self, _("Choose the backup folder"), start)
        if folder:
            self.set_value("backup.folder", folder)

    def _on_undo_clicked(self) -> None:
        self.banner.clear_message()
        self._show_settings(self.loaded)

    def _on_save_clicked(self) -> None:
        self.save()

    def save(self) -> None:
        ctx, changes = self._ctx, self.values()
        self.banner.clear_message()
        self._clear_errors()
        ctx.runner.run(
            lambda: update_settings(ctx.uow(), actor=ctx.actor, changes=changes),
            on_done=self._on_save_done,
            on_error=self._show_error,
            on_user_error=self._on_save_refused,
            parent=self,
        )

    def _on_save_refused(self, error: UserFacingError) -> None:
        key = error.field or ""
        if key in self.editors:
            mark_invalid(self.editors[key], True)
            self.errors[key].show_error(error.message)
        self.banner.show_message(
            _("Nothing was saved. {problem}").format(problem=error.message), "error"
        )

    def _on_save_done(self, result: Any) -> None:
        self._show_settings(result)
        self.banner.show_message(_("Settings saved."), "ok")
