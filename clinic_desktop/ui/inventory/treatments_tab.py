"""The treatment catalogue tab: every treatment with its category, usual duration, price, the
cost of its composition at today's product costs, the margin (red when it loses money) and tax
code, filtered by text, category and whether deactivated ones show. People with
inventory.manage create, edit, deactivate and reactivate; everyone else opens a treatment to
read what it uses. Refreshes when the catalogue or the products' costs change."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QItemSelection
from PySide6.QtWidgets import (
    QHeaderView,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from clinic_desktop.i18n import _, ngettext
from clinic_desktop.services.treatments import (
    TreatmentDTO,
    list_treatment_categories,
    list_treatments,
    set_treatment_active,
)
from clinic_desktop.ui.chart.clinical_dialog_kit import open_dialog
from clinic_desktop.ui.context import UiContext
from clinic_desktop.ui.inventory.filter_bar import FilterBar
from clinic_desktop.ui.inventory.treatment_editor import MANAGE, TreatmentEditorDialog
from clinic_desktop.ui.inventory.treatment_kit import (
    ROW_MUTED,
    RowColourModel,
    money,
    percent_text,
)
from clinic_desktop.ui.style import DANGER, WARNING, set_role
from clinic_desktop.ui.widgets import screen_kit
from clinic_desktop.ui.widgets.screen_kit import (
    Column,
    MessageBanner,
    list_table,
    select_entry,
    selected_entry,
)

SEARCH_DELAY_MS = 250
MARGIN_COLUMN = 6


class TreatmentsTab(QWidget):
    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._currency = ctx.clinic.currency
        self.setObjectName("TreatmentsTab")
        # The editor open right now (tests and a second click reach it here).
        self.editor: TreatmentEditorDialog | None = None

        self.filters = FilterBar(
            self,
            prefix="Treatments",
            search_hint=_("Search by code or name"),
            inactive_text=_("Show deactivated treatments"),
            category_width=200,
            delay_ms=SEARCH_DELAY_MS,
        )
        self.search_edit = self.filters.search_edit
        self.category_combo = self.filters.category_combo
        self.inactive_check = self.filters.inactive_check
        self.new_button = self._button("NewTreatmentButton", _("New treatment…"), self._on_new)
        self.edit_button = self._button("EditTreatmentButton", _("Edit…"), self._on_edit)
        self.active_button = self._button(
            "DeactivateTreatmentButton", _("Deactivate"), self._on_active_clicked
        )
        self.banner = MessageBanner("TreatmentsMessage", self)

        self.model: RowColourModel[TreatmentDTO] = RowColourModel(
            [
                Column(_("Code"), lambda t: t.code),
                Column(_("Name"), lambda t: t.name, tooltip=self._name_tooltip),
                Column(_("Category"), lambda t: t.category or "—"),
                Column(
                    _("Duration"),
                    lambda t: _("{minutes} min").format(minutes=t.duration_minutes),
                    align_right=True,
                ),
                Column(_("Price"), lambda t: money(t.price, self._currency), align_right=True),
                Column(_("Cost"), self._cost_text, tooltip=self._cost_tooltip, align_right=True),
                Column(_("Margin"), self._margin_text, align_right=True),
                Column(_("Tax"), lambda t: t.tax_label),
                Column(_("Status"), lambda t: _("Active") if t.active else _("Inactive")),
            ],
            foreground=self._foreground,
            parent=self,
        )
        self.table = list_table(self.model, "TreatmentsTable", self)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.doubleClicked.connect(self._on_table_double_clicked)
        self.table.selectionModel().selectionChanged.connect(self._on_selection_changed)
        self.count_label = QLabel(self)
        self.count_label.setObjectName("TreatmentsCountLabel")
        set_role(self.count_label, "hint")

        self.filters.add_widget(self.new_button, spacing=12)
        self.filters.add_widget(self.edit_button)
        self.filters.add_widget(self.active_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.filters)
        layout.addWidget(self.banner)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.count_label)

        manage = ctx.can(MANAGE)
        for button in (self.new_button, self.active_button):
            button.setVisible(manage)
        self.edit_button.setText(_("Edit…") if manage else _("Open…"))

        self.filters.changed.connect(self.refresh)
        ctx.bridge.inventory_changed.connect(self._on_bridge_inventory_changed)
        self._update_buttons()
        self.refresh()

    def _button(self, name: str, text: str, slot: Any) -> QPushButton:
        button = QPushButton(text, self)
        button.setObjectName(name)
        button.clicked.connect(slot)
        return button

    # -- cells -----------------------------------------------------------------------------

    def _cost_text(self, t: TreatmentDTO) -> str:
        if not t.recipe:
            return "—"
        text = money(t.recipe_cost, self._currency)
        return f"⚠ {text}" if t.has_inactive_products else text

    def _cost_tooltip(self, t: TreatmentDTO) -> str:
        if not t.recipe:
            return _("No materials in its composition yet.")
        lines = [
            _("{quantity} {unit} {product}").format(
                quantity=f"{item.quantity.normalize():f}",
                unit=item.unit,
                product=item.product_name,
            )
            + ("" if item.product_active else " — " + _("deactivated"))
            for item in t.recipe
        ]
        return "\n".join(lines)

    def _name_tooltip(self, t: TreatmentDTO) -> str:
        return t.description or t.name

    def _margin_text(self, t: TreatmentDTO) -> str:
        text = money(t.margin, self._currency)
        if t.margin_percent is not None:
            text += f" ({percent_text(t.margin_percent)})"
        return text

    def _foreground(self, t: TreatmentDTO, column: int) -> str | None:
        if not t.active:
            return ROW_MUTED
        if column == MARGIN_COLUMN and t.margin < 0:
            return DANGER
        if column == MARGIN_COLUMN - 1 and t.has_inactive_products:
            return WARNING
        return None

    # -- data ------------------------------------------------------------------------------

    def refresh(self) -> None:
        ctx = self._ctx
        text = self.filters.text()
        category = self.filters.category()
        inactive = self.filters.show_inactive()

        def load() -> tuple[list[TreatmentDTO], list[str]]:
            rows = list_treatments(
                ctx.uow(),
                actor=ctx.actor,
                text=text,
                category=category,
                include_inactive=inactive,
            )
            return rows, list_treatment_categories(ctx.uow(), actor=ctx.actor)

        ctx.runner.run(load, on_done=self._on_loaded, on_error=self._show_error, parent=self)

    def _on_loaded(self, result: tuple[list[TreatmentDTO], list[str]]) -> None:
        treatments, categories = result
        chosen = selected_entry(self.table, self.model)
        self.filters.set_categories(categories)
        self.model.set_rows(treatments)
        self.table.resizeColumnsToContents()
        for column in range(self.model.columnCount()):
            if column != 1:  # breathing room; the name takes what is left
                self.table.setColumnWidth(column, self.table.columnWidth(column) + 16)
        if chosen is not None:
            select_entry(self.table, self.model, chosen.id)
        self.count_label.setText(
            ngettext("{count} treatment", "{count} treatments", len(treatments)).format(
                count=len(treatments)
            )
        )
        self._update_buttons()

    def _show_error(self, message: str) -> None:
        self.banner.show_message(message, "error")

    def _on_bridge_inventory_changed(self, event: object) -> None:
        # Product costs move the treatments' costs and margins too.
        if getattr(event, "what", "") in ("treatments", "products", "stock", ""):
            self.refresh()

    # -- selection and actions -------------------------------------------------------------

    def selected_treatment(self) -> TreatmentDTO | None:
        return selected_entry(self.table, self.model)

    def select_treatment(self, code: str) -> bool:
        found = next((t for t in self.model.rows() if t.code == code), None)
        return found is not None and select_entry(self.table, self.model, found.id)

    def _on_selection_changed(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        self._update_buttons()

    def _update_buttons(self) -> None:
        chosen = self.selected_treatment()
        self.edit_button.setEnabled(chosen is not None)
        self.active_button.setEnabled(chosen is not None)
        self.active_button.setText(
            _("Reactivate") if chosen is not None and not chosen.active else _("Deactivate")
        )

    def open_editor(self, treatment: TreatmentDTO | None) -> TreatmentEditorDialog:
        """Opens the editor without blocking (tests drive it through `self.editor`)."""
        self.banner.clear_message()
        dialog = TreatmentEditorDialog(self._ctx, treatment, self)
        dialog.saved.connect(self._on_editor_saved)
        self.editor = dialog
        open_dialog(dialog)
        return dialog

    def _on_new(self) -> None:
        self.open_editor(None)

    def _on_edit(self) -> None:
        chosen = self.selected_treatment()
        if chosen is not None:
            self.open_editor(chosen)

    def _on_table_double_clicked(self, _index: object) -> None:
        self._on_edit()

    def _on_editor_saved(self, treatment: TreatmentDTO) -> None:
        self.banner.show_message(_("Saved {name}.").format(name=treatment.name), "ok")
        self.refresh()
        select_entry(self.table, self.model, treatment.id)

    def _on_active_clicked(self) -> None:
        chosen = self.selected_treatment()
        if chosen is None:
            return
        activate = not chosen.active
        if not activate and not screen_kit.confirm(
            self,
            _("Deactivate treatment"),
            _(
                "{name} will no longer be offered for new appointments. Appointments that "
                "already have it keep it, and you can reactivate it later."
            ).format(name=chosen.name),
            _("Deactivate"),
        ):
            return
        ctx = self._ctx
        ctx.runner.run(
            lambda: set_treatment_active(
                ctx.uow(), actor=ctx.actor, treatment_id=chosen.id, active=activate
            ),
            on_done=lambda dto: self._after_active(dto, activate),
            on_error=self._show_error,
            parent=self,
        )

    def _after_active(self, treatment: TreatmentDTO, activated: bool) -> None:
        message = _("{name} is active again.") if activated else _("{name} is deactivated.")
        self.banner.show_message(message.format(name=treatment.name), "ok")
        self.refresh()
