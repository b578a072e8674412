"""The per-PC UI language: read from preferences.json before the clinic is unlocked (the
sign-in screen must already speak the user's language) and chosen with a small combo box that
switches the language at once and remembers it for the next start."""

from __future__ import annotations

import json
import logging

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QWidget

from clinic_desktop.config import AppPaths
from clinic_desktop.i18n import DEFAULT_LANGUAGE, LANGUAGES, current_language, set_language

log = logging.getLogger(__name__)


def read_language(paths: AppPaths) -> str:
    try:
        data = json.loads(paths.preferences_file.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return DEFAULT_LANGUAGE
    except (OSError, ValueError):
        # A damaged preferences file must never stop the app from starting.
        log.warning("preferences file unreadable; using the default language", exc_info=True)
        return DEFAULT_LANGUAGE
    language = data.get("language") if isinstance(data, dict) else None
    return language if language in LANGUAGES else DEFAULT_LANGUAGE


def save_language(paths: AppPaths, language: str) -> None:
    data: dict[str, object] = {}
    try:
        loaded = json.loads(paths.preferences_file.read_text(encoding="utf-8"))
        if isinstance(loaded, dict):
            data = loaded
    except (OSError, ValueError):
        pass
    data["language"] = language
    try:
        paths.data_dir.mkdir(parents=True, exist_ok=True)
        paths.preferences_file.write_text(json.dumps(data, indent=2), encoding="utf-8")
    except OSError:
        # Not being able to remember the choice is no reason to refuse it for this session.
        log.warning("could not save the language preference", exc_info=True)


class LanguageCombo(QComboBox):
    """Lists the languages by their own names (Español, English), so anyone finds theirs."""

    language_changed = Signal(str)

    def __init__(self, paths: AppPaths, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("LanguageCombo")
        self._paths = paths
        for code, name in LANGUAGES.items():
            self.addItem(name, code)
        self.setCurrentIndex(max(0, self.findData(current_language())))
        self.currentIndexChanged.connect(self._on_index_changed)

    def _on_index_changed(self, _index: int) -> None:
        language = str(self.currentData())
        if language == current_language():
            return
        set_language(language)
        save_language(self._paths, language)
        self.language_changed.emit(language)

    def select(self, language: str) -> None:
        self.setCurrentIndex(max(0, self.findData(language)))
