"""The per-PC UI language: read from preferences.json before the clinic is unlocked (the
sign-in screen must already speak the user's language) and chosen with a small combo box that
switches the language at once and remembers it for the next start."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QWidget

from clinic_desktop.config import AppPaths, read_preferences, update_preferences
from clinic_desktop.i18n import DEFAULT_LANGUAGE, LANGUAGES, current_language, set_language


def read_language(paths: AppPaths) -> str:
    language = read_preferences(paths).get("language")
    return language if language in LANGUAGES else DEFAULT_LANGUAGE


def save_language(paths: AppPaths, language: str) -> None:
    update_preferences(paths, language=language)


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
