"""The outer layout of a screen whose list the service may refuse to show: the screen's
content, or in its place a warning banner at the top saying why (the service's own
PermissionDenied message under a title naming what cannot be seen). The screen keeps
loading through the service; a later load that succeeds shows the content again."""

from __future__ import annotations

from PySide6.QtWidgets import QVBoxLayout, QWidget

from clinic_desktop.ui.widgets.banner import Banner


class DeniedGate:
    """Lays `owner` out as the banner (named `banner_name`, hidden) over `content`."""

    def __init__(self, owner: QWidget, content: QWidget, *, banner_name: str, title: str) -> None:
        self.content = content
        self.title = title
        self.banner = Banner(banner_name, kind="warning", parent=owner)
        self.banner.hide()
        # Takes the room the content leaves, so the banner stays at the top.
        self._stretch = QWidget(owner)
        self._stretch.hide()
        layout = QVBoxLayout(owner)
        layout.addWidget(self.banner)
        layout.addWidget(content, 1)
        layout.addWidget(self._stretch, 1)

    def deny(self, message: str) -> None:
        self.content.hide()
        self.banner.set_message(kind="warning", title=self.title, text=message)
        self.banner.show()
        self._stretch.show()

    def allow(self) -> None:
        self.banner.hide()
        self._stretch.hide()
        self.content.show()

    @property
    def denied(self) -> bool:
        return not self.banner.isHidden()
