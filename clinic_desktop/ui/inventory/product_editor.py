"""The dialog that creates or edits a product: code, name, category, unit of use and purchase
unit with its conversion (a box of 100), cost per unit of use, sale price, tax code of the
clinic's country, reorder level, preferred supplier, location, barcode and notes. Numbers are
typed as people write them (decimal comma or point); the service checks them and a refusal
lands under the field it names, keeping everything typed."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

from clinic_desktop.i18n import _
from clinic_desktop.services.inventory_dto import ProductChoicesDTO, ProductDTO, ProductForm
from clinic_desktop.services.products import create_product, product_choices, update_product
from clinic_desktop.ui.agenda.dialog_kit import combo_id, fill_combo, select_data
from clinic_desktop.ui.chart.clinical_dialog_kit import FormDialog
from clinic_desktop.ui.context import UiContext
from clinic_desktop.ui.inventory.products_kit import decimal_text, number_hint
from clinic_desktop.ui.style import set_role
from clinic_desktop.ui.widgets.forms import FieldError


def _line(name: str, parent: QWidget, placeholder: str = "", width: int = 0) -> QLineEdit:
    edit = QLineEdit(parent)
    edit.setObjectName(name)
    edit.setPlaceholderText(placeholder)
    if width:
        edit.setMaximumWidth(width)
    return edit


def _editable_combo(name: str, parent: QWidget) -> QComboBox:
    combo = QComboBox(parent)
    combo.setObjectName(name)
    combo.setEditable(True)
    combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
    return combo


class ProductEditorDialog(FormDialog):
    """A new product when `product` is None, otherwise an edit of its loaded version."""

    def __init__(
        self, ctx: UiContext, product: ProductDTO | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(
            ctx,
            name="ProductEditorDialog",
            title=_("New product") if product is None else _("Edit product"),
            save_text=_("Create product") if product is None else _("Save changes"),
            parent=parent,
            subtitle=_("Stock is counted in the unit of use; orders use the purchase unit."),
            width=620,
        )
        self._product = product
        self.choices: ProductChoicesDTO | None = None
        self.code_edit = _line("ProductCodeEdit", self, _("For example: GUA-NIT-M"), 220)
        self.name_edit = _line("ProductNameEdit", self, _("For example: Nitrile gloves, size M"))
        self.category_combo = _editable_combo("ProductCategoryCombo", self)
        self.category_combo.setMinimumWidth(260)
        self.unit_combo = _editable_combo("ProductUnitCombo", self)
        self.unit_combo.setMinimumWidth(160)
        self.purchase_unit_edit = _line("ProductPurchaseUnitEdit", self, _("Box of 100"), 200)
        self.per_purchase_edit = _line("ProductPerPurchaseEdit", self, "1", 90)
        self.per_purchase_label = QLabel(self)
        set_role(self.per_purchase_label, "hint")
        purchase = QHBoxLayout()
        purchase.addWidget(self.purchase_unit_edit)
        purchase.addWidget(QLabel(_("holds"), self))
        purchase.addWidget(self.per_purchase_edit)
        purchase.addWidget(self.per_purchase_label)
        purchase.addStretch(1)
        purchase_box = QWidget(self)
        purchase_box.setLayout(purchase)
        purchase.setContentsMargins(0, 0, 0, 0)
        self.cost_edit = _line("ProductCostEdit", self, number_hint(2), 140)
        self.cost_hint = QLabel(self)
        set_role(self.cost_hint, "hint")
        cost_row = QHBoxLayout()
        cost_row.setContentsMargins(0, 0, 0, 0)
        cost_row.addWidget(self.cost_edit)
        cost_row.addWidget(self.cost_hint)
        cost_row.addStretch(1)
        cost_box = QWidget(self)
        cost_box.setLayout(cost_row)
        self.price_edit = _line("ProductSalePriceEdit", self, number_hint(2), 140)
        self.tax_combo = QComboBox(self)
        self.tax_combo.setObjectName("ProductTaxCombo")
        self.tax_combo.setMinimumWidth(260)
        self.reorder_edit = _line("ProductReorderEdit", self, "0", 140)
        self.supplier_combo = QComboBox(self)
        self.supplier_combo.setObjectName("ProductSupplierCombo")
        self.supplier_combo.setMinimumWidth(260)
        self.location_edit = _line("ProductLocationEdit", self, _("For example: Cabinet D1"), 260)
        self.barcode_edit = _line("ProductBarcodeEdit", self, _("Optional"), 260)
        self.notes_edit = QPlainTextEdit(self)
        self.notes_edit.setObjectName("ProductNotesEdit")
        self.notes_edit.setFixedHeight(60)

        self.add_row(_("Code"), "code", self.code_edit)
        self.add_row(_("Name"), "name", self.name_edit)
        self.add_row(_("Category"), "category", self.category_combo)
        self.add_row(_("Unit of use"), "unit", self.unit_combo)
        self.add_row(_("Purchase unit"), "units_per_purchase", purchase_box, self.per_purchase_edit)
        self.add_row(_("Cost"), "cost", cost_box, self.cost_edit)
        self.add_row(_("Sale price"), "sale_price", self.price_edit)
        self.add_row(_("Tax"), "tax_code", self.tax_combo)
        self.add_row(_("Reorder level"), "reorder_level", self.reorder_edit)
        self.add_row(_("Preferred supplier"), "preferred_supplier_id", self.supplier_combo)
        self.add_row(_("Location"), "location", self.location_edit)
        self.add_row(_("Barcode"), "barcode", self.barcode_edit)
        self.add_row(_("Notes"), "notes", self.notes_edit)
        # The purchase unit's own errors share its row.
        shared = self.findChild(FieldError, "ProductEditorDialogError_units_per_purchase")
        assert shared is not None
        self.errors.add("purchase_unit", shared, self.purchase_unit_edit)

        self.unit_combo.currentTextChanged.connect(self._on_unit_changed)
        if product is not None:
            self._load(product)
        else:
            self.per_purchase_edit.setText("1")
        self._on_unit_changed(self.unit_combo.currentText())
        self.finish_layout()
        ctx.runner.run(
            lambda: product_choices(ctx.uow(), actor=ctx.actor),
            on_done=self._on_choices_loaded,
            on_error=lambda message: self.banner.show_message(message, "error"),
            parent=self,
        )

    def _load(self, product: ProductDTO) -> None:
        self.code_edit.setText(product.code)
        self.name_edit.setText(product.name)
        self.category_combo.setEditText(product.category)
        self.unit_combo.setEditText(product.unit)
        self.purchase_unit_edit.setText(product.purchase_unit)
        self.per_purchase_edit.setText(decimal_text(product.units_per_purchase))
        self.cost_edit.setText(decimal_text(product.cost))
        self.price_edit.setText(decimal_text(product.sale_price))
        self.reorder_edit.setText(decimal_text(product.reorder_level))
        self.location_edit.setText(product.location)
        self.barcode_edit.setText(product.barcode or "")
        self.notes_edit.setPlainText(product.notes)

    def _on_choices_loaded(self, choices: ProductChoicesDTO) -> None:
        self.choices = choices
        product = self._product
        category = self.category_combo.currentText()
        unit = self.unit_combo.currentText() or (product.unit if product else "unidad")
        self.category_combo.clear()
        self.category_combo.addItems(list(choices.categories))
        self.category_combo.setEditText(category)
        self.unit_combo.clear()
        self.unit_combo.addItems(list(choices.units))
        self.unit_combo.setEditText(unit)
        fill_combo(
            self.tax_combo,
            [(f"{c.label}", c.code) for c in choices.tax_codes],
            keep=product.tax_code if product else choices.default_tax_code,
        )
        fill_combo(
            self.supplier_combo,
            [(s.name, s.id) for s in choices.suppliers],
            keep=product.preferred_supplier_id if product else None,
            empty=_("None"),
        )
        wanted = product.preferred_supplier_id if product is not None else None
        if wanted is not None and not select_data(self.supplier_combo, wanted):
            # An inactive supplier stays shown rather than silently dropped.
            name = product.preferred_supplier_name if product is not None else None
            self.supplier_combo.addItem(name or "—", str(wanted))
            select_data(self.supplier_combo, wanted)

    def _on_unit_changed(self, unit: str) -> None:
        shown = unit.strip() or _("units")
        self.per_purchase_label.setText(shown)
        self.cost_hint.setText(_("per {unit}").format(unit=shown))

    def product_form(self) -> ProductForm:
        return ProductForm(
            code=self.code_edit.text(),
            name=self.name_edit.text(),
            unit=self.unit_combo.currentText(),
            category=self.category_combo.currentText(),
            barcode=self.barcode_edit.text(),
            purchase_unit=self.purchase_unit_edit.text(),
            units_per_purchase=self.per_purchase_edit.text() or "1",
            cost=self.cost_edit.text(),
            sale_price=self.price_edit.text(),
            tax_code=self.tax_combo.currentData() or "",
            reorder_level=self.reorder_edit.text(),
            preferred_supplier_id=combo_id(self.supplier_combo),
            location=self.location_edit.text(),
            notes=self.notes_edit.toPlainText(),
        )

    def service_call(self) -> Callable[[], object]:
        ctx, product, form = self._ctx, self._product, self.product_form()
        if product is None:
            return lambda: create_product(ctx.uow(), actor=ctx.actor, form=form)
        return lambda: update_product(
            ctx.uow(),
            actor=ctx.actor,
            product_id=product.id,
            expected_version=product.version,
            form=form,
        )
