"""A page made of a heading and tabs whose widgets are built the first time each tab is shown,
so opening an area costs only its first tab. The inventory and billing areas are such pages;
`tab(key)` builds and shows one (tests and other screens use it)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from PySide6.QtWidgets import QLabel, QTabWidget, QVBoxLayout, QWidget

from clinic_desktop.i18n import _
from clinic_desktop.ui.context import UiContext
from clinic_desktop.ui.style import set_role


@dataclass(frozen=True)
class LazyTab:
    key: str
    title: str  # N_() source text
    factory: Callable[[UiContext], QWidget]
    # Shown only to users holding it (the services still decide).
    permission: str | None = None


class LazyTabsPage(QWidget):
    """`name` prefixes the object names: <name>Page, <name>Tabs, <name>TabHolder_<key>."""

    def __init__(
        self,
        ctx: UiContext,
        *,
        name: str,
        title: str,
        tabs: Sequence[LazyTab],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._title = title
        self.setObjectName(f"{name}Page")
        self.setWindowTitle(_(title))
        heading = QLabel(_(title), self)
        set_role(heading, "title")
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName(f"{name}Tabs")
        self._specs = [t for t in tabs if t.permission is None or ctx.can(t.permission)]
        self._built: dict[str, QWidget] = {}
        for spec in self._specs:
            holder = QWidget(self.tabs)
            holder.setObjectName(f"{name}TabHolder_{spec.key}")
            QVBoxLayout(holder).setContentsMargins(0, 0, 0, 0)
            self.tabs.addTab(holder, _(spec.title))
        self.tabs.currentChanged.connect(self._on_tabs_current_changed)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(self.tabs, 1)
        self._on_tabs_current_changed(0)

    def title(self) -> str:
        return _(self._title)

    def keys(self) -> list[str]:
        return [spec.key for spec in self._specs]

    def tab(self, key: str) -> QWidget:
        """The tab's widget, built if needed, and shown."""
        index = next(i for i, spec in enumerate(self._specs) if spec.key == key)
        self.tabs.setCurrentIndex(index)
        self._on_tabs_current_changed(index)
        return self._built[key]

    def _on_tabs_current_changed(self, index: int) -> None:
        if index < 0:
            return
        spec = self._specs[index]
        if spec.key in self._built:
            return
        widget = spec.factory(self._ctx)
        holder = self.tabs.widget(index)
        layout = holder.layout() if holder is not None else None
        assert layout is not None
        layout.addWidget(widget)
        self._built[spec.key] = widget
