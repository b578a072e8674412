"""The suppliers window (inventory.manage): the list with contact data, new and edit through a
small form (a doubtful tax ID is saved and its warning shown, as for patients), and
deactivation instead of deletion, since lots and orders keep referring to a supplier."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QModelIndex
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from clinic_desktop.i18n import _
from clinic_desktop.services.inventory_dto import SupplierDTO, SupplierForm
from clinic_desktop.services.suppliers import (
    create_supplier,
    list_suppliers,
    set_supplier_active,
    update_supplier,
)
from clinic_desktop.ui.chart.clinical_dialog_kit import FormDialog
from clinic_desktop.ui.context import UiContext
from clinic_desktop.ui.inventory.products_kit import RowTableModel
from clinic_desktop.ui.style import MUTED, bold
from clinic_desktop.ui.widgets.list_kit import close_button_box, dialog_button, show_active_choice
from clinic_desktop.ui.widgets.screen_kit import (
    Column,
    MessageBanner,
    list_table,
    select_entry,
    selected_entry,
)


class SupplierEditorDialog(FormDialog):
    def __init__(
        self, ctx: UiContext, supplier: SupplierDTO | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(
            ctx,
            name="SupplierEditorDialog",
            title=_("New supplier") if supplier is None else _("Edit supplier"),
            save_text=_("Create supplier") if supplier is None else _("Save changes"),
            parent=parent,
            width=560,
        )
        self._supplier = supplier
        self.edits: dict[str, QLineEdit] = {}
        for field, label, placeholder in (
            ("name", _("Name"), _("For example: Dental Andina S.A.")),
            ("tax_id", _("Tax ID"), _("RUC or NIF, optional")),
            ("contact_name", _("Contact person"), ""),
            ("phone", _("Phone"), ""),
            ("email", _("E-mail"), "pedidos@example.com"),
            ("address", _("Address"), ""),
        ):
            edit = QLineEdit(self)
            edit.setObjectName(f"Supplier_{field}")
            edit.setPlaceholderText(placeholder)
            self.edits[field] = edit
            self.add_row(label, field, edit)
        self.notes_edit = QPlainTextEdit(self)
        self.notes_edit.setObjectName("Supplier_notes")
        self.notes_edit.setFixedHeight(60)
        self.add_row(_("Notes"), "notes", self.notes_edit)
        if supplier is not None:
            for field, edit in self.edits.items():
                edit.setText(getattr(supplier, field) or "")
            self.notes_edit.setPlainText(supplier.notes)
        self.finish_layout()

    def supplier_form(self) -> SupplierForm:
        return SupplierForm(
            **{field: edit.text() for field, edit in self.edits.items()},
            notes=self.notes_edit.toPlainText(),
        )

    def service_call(self) -> Callable[[], object]:
        ctx, supplier, form = self._ctx, self._supplier, self.supplier_form()
        if supplier is None:
            return lambda: create_supplier(ctx.uow(), actor=ctx.actor, form=form)
        return lambda: update_supplier(
            ctx.uow(),
            actor=ctx.actor,
            supplier_id=supplier.id,
            expected_version=supplier.version,
            form=form,
        )


class SuppliersDialog(QDialog):
    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.editor: SupplierEditorDialog | None = None
        self.setObjectName("SuppliersDialog")
        self.setWindowTitle(_("Suppliers"))
        self.resize(980, 520)
        heading = QLabel(_("Suppliers"), self)
        bold(heading, 13)
        self.banner = MessageBanner("SuppliersMessage", self)
        self.inactive_check = QCheckBox(_("Show inactive"), self)
        self.inactive_check.setObjectName("SuppliersInactiveCheck")
        self.inactive_check.toggled.connect(lambda _on: self.refresh())
        manage = ctx.can("inventory.manage")
        self.new_button = dialog_button(
            self, "NewSupplierButton", _("New supplier…"), visible=manage
        )
        self.edit_button = dialog_button(self, "EditSupplierButton", _("Edit…"), visible=manage)
        self.active_button = dialog_button(
            self, "SupplierActiveButton", _("Deactivate"), visible=manage
        )
        self.new_button.clicked.connect(lambda: self.open_editor(None))
        self.edit_button.clicked.connect(self._on_edit_clicked)
        self.active_button.clicked.connect(self._on_active_clicked)
        self.model = RowTableModel(
            [
                Column(_("Name"), lambda s: s.name),
                Column(_("Tax ID"), lambda s: s.tax_id or "—"),
                Column(_("Contact"), lambda s: s.contact_name or "—"),
                Column(_("Phone"), lambda s: s.phone or "—"),
                Column(_("E-mail"), lambda s: s.email or "—"),
                Column(_("Status"), lambda s: _("Active") if s.active else _("Inactive")),
            ],
            foreground=lambda s: None if s.active else MUTED,
            parent=self,
        )
        self.table = list_table(self.model, "SuppliersTable", self)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        self.table.doubleClicked.connect(self._on_table_double_clicked)
        self.table.selectionModel().selectionChanged.connect(lambda *_a: self._update())
        actions = QHBoxLayout()
        actions.addWidget(self.inactive_check)
        actions.addStretch(1)
        for button in (self.new_button, self.edit_button, self.active_button):
            actions.addWidget(button)
        buttons = close_button_box(self, "SuppliersCloseButton")
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addLayout(actions)
        layout.addWidget(self.banner)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
        ctx.bridge.inventory_changed.connect(self._on_bridge_inventory_changed)
        self._update()
        self.refresh()

    def refresh(self) -> None:
        ctx, inactive = self._ctx, self.inactive_check.isChecked()
        ctx.runner.run(
            lambda: list_suppliers(ctx.uow(), actor=ctx.actor, include_inactive=inactive),
            on_done=self._on_loaded,
            on_error=lambda message: self.banner.show_message(message, "error"),
            parent=self,
        )

    def _on_loaded(self, suppliers: list[SupplierDTO]) -> None:
        selected = self.selected_supplier()
        self.model.set_rows(suppliers)
        self.table.resizeColumnsToContents()
        if selected is not None:
            self.select_supplier(selected.id)
        self._update()

    def _on_bridge_inventory_changed(self, event: object) -> None:
        if getattr(event, "what", "") == "suppliers":
            self.refresh()

    def selected_supplier(self) -> SupplierDTO | None:
        return selected_entry(self.table, self.model)

    def select_supplier(self, supplier_id: object) -> bool:
        return select_entry(self.table, self.model, supplier_id)

    def _update(self) -> None:
        supplier = self.selected_supplier()
        show_active_choice(
            supplier.active if supplier is not None else None,
            edit=self.edit_button,
            toggle=self.active_button,
        )

    def open_editor(self, supplier: SupplierDTO | None) -> SupplierEditorDialog:
        self.banner.clear_message()
        dialog = SupplierEditorDialog(self._ctx, supplier, self)
        dialog.saved.connect(self._on_saved)
        self.editor = dialog
        dialog.open()
        return dialog

    def _on_edit_clicked(self) -> None:
        supplier = self.selected_supplier()
        if supplier is not None:
            self.open_editor(supplier)

    def _on_table_double_clicked(self, index: QModelIndex) -> None:
        supplier = self.model.row_at(index.row())
        if supplier is not None and self._ctx.can("inventory.manage"):
            self.open_editor(supplier)

    def _on_saved(self, supplier: object) -> None:
        assert isinstance(supplier, SupplierDTO)
        if supplier.warnings:
            self.banner.show_message(" ".join(supplier.warnings), "warn")
        else:
            self.banner.show_message(_("Saved {name}.").format(name=supplier.name), "ok")
        self.refresh()
        self.select_supplier(supplier.id)

    def _on_active_clicked(self) -> None:
        supplier = self.selected_supplier()
        if supplier is None:
            return
        ctx = self._ctx
        ctx.runner.run(
            lambda: set_supplier_active(
                ctx.uow(), actor=ctx.actor, supplier_id=supplier.id, active=not supplier.active
            ),
            on_done=lambda _s: self.refresh(),
            on_error=lambda message: self.banner.show_message(message, "error"),
            parent=self,
        )
