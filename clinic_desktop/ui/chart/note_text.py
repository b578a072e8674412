"""A plain-text box that grows with what is typed, between a few lines and a cap (then it
scrolls): the SOAP fields of the note editor and the template editor start compact, so the
whole note fits on screen, and a long history does not have to be read through a slot."""

from __future__ import annotations

from PySide6.QtWidgets import QPlainTextEdit, QSizePolicy, QWidget

# Room the style sheet's padding (6 px above and below) and the frame take.
_CHROME = 16


class GrowingTextEdit(QPlainTextEdit):
    def __init__(self, min_lines: int, max_lines: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._min_lines = min_lines
        self._max_lines = max_lines
        self.setTabChangesFocus(True)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.document().documentLayout().documentSizeChanged.connect(lambda _size: self._fit())
        self._fit()

    def _fit(self) -> None:
        # The plain-text layout measures the document in lines, wrapped lines included.
        lines = int(self.document().size().height())
        shown = max(self._min_lines, min(self._max_lines, lines))
        margin = int(self.document().documentMargin() * 2)
        self.setFixedHeight(shown * self.fontMetrics().lineSpacing() + margin + _CHROME)
