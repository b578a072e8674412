"""A tinted box with a short message: information (demo data), warning (backup overdue) or
danger. Used on the home page, the sign-in screen and the setup wizard."""

from __future__ import annotations

from PySide6.QtWidgets import QFrame, QLabel, QVBoxLayout, QWidget

from clinic_desktop.ui.style import bold, set_role


class Banner(QFrame):
    def __init__(
        self,
        object_name: str,
        *,
        kind: str = "info",
        title: str = "",
        text: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName(object_name)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 10, 14, 10)
        layout.setSpacing(4)
        self.title_label = QLabel()
        self.title_label.setObjectName(f"{object_name}Title")
        self.title_label.setStyleSheet("background: transparent;")
        bold(self.title_label)
        self.title_label.setWordWrap(True)
        self.text_label = QLabel()
        self.text_label.setObjectName(f"{object_name}Text")
        self.text_label.setWordWrap(True)
        self.text_label.setStyleSheet("background: transparent;")
        layout.addWidget(self.title_label)
        layout.addWidget(self.text_label)
        self.set_message(kind=kind, title=title, text=text)

    def set_message(self, *, kind: str, title: str, text: str) -> None:
        set_role(self, f"banner-{kind}")
        self.title_label.setText(title)
        self.title_label.setVisible(bool(title))
        self.text_label.setText(text)
        self.text_label.setVisible(bool(text))
