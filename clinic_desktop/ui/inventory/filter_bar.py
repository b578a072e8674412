"""The filter row the products and treatments tabs share: a search box whose typing is
debounced (the list follows once the user pauses, not at every key), a category combo refilled
from what is listed, any further filters the tab adds, and a "show inactive" check box. The
tab listens to one signal, `changed`, and reads the filters back from the bar."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QComboBox, QHBoxLayout, QWidget

from clinic_desktop.i18n import _
from clinic_desktop.ui.widgets.filter_kit import SearchEdit, refill_combo


class FilterBar(QWidget):
    """`prefix` names the widgets ("{prefix}SearchEdit", "{prefix}CategoryCombo",
    "{prefix}InactiveCheck") for tests and screenshots."""

    changed = Signal()

    def __init__(
        self,
        parent: QWidget,
        *,
        prefix: str,
        search_hint: str,
        inactive_text: str,
        category_width: int,
        delay_ms: int,
    ) -> None:
        super().__init__(parent)
        self.setObjectName(f"{prefix}FilterBar")
        self.search_edit = SearchEdit(f"{prefix}SearchEdit", search_hint, self, delay_ms=delay_ms)
        self.category_combo = QComboBox(self)
        self.category_combo.setObjectName(f"{prefix}CategoryCombo")
        self.category_combo.setMinimumWidth(category_width)
        self.category_combo.addItem(_("All categories"), None)
        self.inactive_check = QCheckBox(inactive_text, self)
        self.inactive_check.setObjectName(f"{prefix}InactiveCheck")

        self.row = QHBoxLayout(self)
        self.row.setContentsMargins(0, 0, 0, 0)
        self.row.addWidget(self.search_edit, 1)
        self.row.addWidget(self.category_combo)
        self.row.addWidget(self.inactive_check)

        self.search_edit.paused.connect(self.changed)
        self.category_combo.currentIndexChanged.connect(lambda _i: self.changed.emit())
        self.inactive_check.toggled.connect(lambda _on: self.changed.emit())

    def add_filter(self, combo: QComboBox) -> None:
        """Places a further filter before the check box; picking in it filters at once."""
        self.row.insertWidget(self.row.indexOf(self.inactive_check), combo)
        QWidget.setTabOrder(self.category_combo, combo)
        QWidget.setTabOrder(combo, self.inactive_check)
        combo.currentIndexChanged.connect(lambda _i: self.changed.emit())

    def add_widget(self, widget: QWidget, spacing: int = 0) -> None:
        """Appends a widget (a button) after the filters, `spacing` pixels away."""
        if spacing:
            self.row.addSpacing(spacing)
        self.row.addWidget(widget)

    def text(self) -> str:
        return self.search_edit.text()

    def category(self) -> str | None:
        category = self.category_combo.currentData()
        return str(category) if category else None

    def show_inactive(self) -> bool:
        return self.inactive_check.isChecked()

    def cancel_pending(self) -> None:
        """Forgets typing not yet acted on (the caller is about to reload anyway)."""
        self.search_edit.cancel_pending()

    def set_categories(self, categories: list[str]) -> None:
        """Refills the category combo, keeping the chosen one when it is still offered,
        without announcing a change (the list being shown already reflects it)."""
        refill_combo(self.category_combo, _("All categories"), [(c, c) for c in categories])
