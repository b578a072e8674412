"""Pieces the filter rows above lists share: a search box that announces the text only once
the user pauses typing (so a list does not reload at every key), and refilling a filter
combo ("All …" first, then the choices) while keeping what was chosen, without announcing a
change (the list on screen already reflects that choice)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QComboBox, QLineEdit, QWidget

SEARCH_DELAY_MS = 250


class SearchEdit(QLineEdit):
    """A search box with a clear button; `paused` once the user stops typing for `delay_ms`."""

    paused = Signal()

    def __init__(
        self,
        name: str,
        hint: str,
        parent: QWidget | None = None,
        *,
        delay_ms: int = SEARCH_DELAY_MS,
    ) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.setPlaceholderText(hint)
        self.setClearButtonEnabled(True)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(delay_ms)
        self._timer.timeout.connect(self.paused)
        self.textChanged.connect(lambda _text: self._timer.start())

    def cancel_pending(self) -> None:
        """Forgets typing not yet announced (the caller is about to reload anyway)."""
        self._timer.stop()


def refill_combo(
    combo: QComboBox, all_text: str, choices: Iterable[tuple[str, Any]], *, all_data: Any = None
) -> None:
    """Replaces the choices (text, data) after an "All …" entry (`all_data`), keeping the
    current choice when it is still offered (else "All …"), without emitting a change."""
    current = combo.currentData()
    combo.blockSignals(True)
    combo.clear()
    combo.addItem(all_text, all_data)
    for text, data in choices:
        combo.addItem(text, data)
    combo.setCurrentIndex(max(combo.findData(current), 0) if current else 0)
    combo.blockSignals(False)
