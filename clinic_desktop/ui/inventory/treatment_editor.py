"""The dialog that creates or edits one treatment of the catalogue: code, name, category,
usual duration, price, tax code (the clinic country's codes; health care is the default) and a
description, with its composition underneath. One save writes the fields and the composition
together, so a refused composition leaves the treatment as it was. People without
inventory.manage open it read-only, to see what a treatment uses and costs."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal

from PySide6.QtWidgets import (
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QWidget,
)

from clinic_desktop.i18n import _
from clinic_desktop.services.treatments import (
    ProductChoiceDTO,
    TreatmentDTO,
    TreatmentForm,
    create_treatment,
    default_tax_code,
    list_product_choices,
    list_treatment_categories,
    tax_choices,
    update_treatment,
)
from clinic_desktop.ui.chart.clinical_dialog_kit import FormDialog
from clinic_desktop.ui.context import UiContext
from clinic_desktop.ui.inventory.recipe_editor import RecipeEditor
from clinic_desktop.ui.inventory.treatment_kit import decimal_spin, spin_decimal
from clinic_desktop.ui.widgets.forms import FieldError

MANAGE = "inventory.manage"


class TreatmentEditorDialog(FormDialog):
    """New treatment when `treatment` is None; `saved` carries the TreatmentDTO."""

    def __init__(
        self,
        ctx: UiContext,
        treatment: TreatmentDTO | None = None,
        parent: QWidget | None = None,
    ) -> None:
        self.read_only = not ctx.can(MANAGE)
        if treatment is None:
            title = _("New treatment")
        elif self.read_only:
            title = _("Treatment {code}").format(code=treatment.code)
        else:
            title = _("Edit treatment")
        super().__init__(
            ctx,
            name="TreatmentEditorDialog",
            title=title,
            save_text=_("Create treatment") if treatment is None else _("Save changes"),
            parent=parent,
            width=760,
        )
        self.treatment = treatment
        currency = ctx.clinic.currency
        self.code_edit = QLineEdit(self)
        self.code_edit.setObjectName("TreatmentCodeEdit")
        self.code_edit.setMaxLength(40)
        self.code_edit.setPlaceholderText(_("For example: OBT-RES"))
        self.name_edit = QLineEdit(self)
        self.name_edit.setObjectName("TreatmentNameEdit")
        self.name_edit.setMaxLength(200)
        self.name_edit.setPlaceholderText(_("For example: Composite filling"))
        self.category_combo = QComboBox(self)
        self.category_combo.setObjectName("TreatmentCategoryCombo")
        self.category_combo.setEditable(True)
        category_line = self.category_combo.lineEdit()
        assert category_line is not None
        category_line.setPlaceholderText(_("Optional"))
        category_line.setMaxLength(80)
        self.category_combo.setMinimumWidth(280)
        self.duration_spin = QSpinBox(self)
        self.duration_spin.setObjectName("TreatmentDurationSpin")
        self.duration_spin.setRange(5, 600)
        self.duration_spin.setSingleStep(5)
        self.duration_spin.setSuffix(" " + _("min"))
        self.duration_spin.setValue(30)
        self.duration_spin.setFixedWidth(120)
        self.price_spin = decimal_spin(
            "TreatmentPriceSpin", self, decimals=2, maximum=999_999.99, suffix=f" {currency}"
        )
        self.price_spin.setFixedWidth(160)
        self.tax_combo = QComboBox(self)
        self.tax_combo.setObjectName("TreatmentTaxCombo")
        for choice in tax_choices(ctx.clinic.country):
            self.tax_combo.addItem(choice.label, choice.code)
        self._select_tax(default_tax_code(ctx.clinic.country))
        self.description_edit = QPlainTextEdit(self)
        self.description_edit.setObjectName("TreatmentDescriptionEdit")
        self.description_edit.setPlaceholderText(_("What the treatment includes (optional)"))
        self.description_edit.setFixedHeight(64)

        self.add_row(_("Code"), "code", self.code_edit)
        self.add_row(_("Name"), "name", self.name_edit)
        self.add_row(_("Category"), "category", self.category_combo)
        self.add_row(_("Usual duration"), "duration_minutes", self.duration_spin)
        self.add_row(_("Price"), "price", self.price_spin)
        self.add_row(_("Tax"), "tax_code", self.tax_combo)
        self.add_row(_("Description"), "description", self.description_edit)

        self.recipe = RecipeEditor(currency, self)
        recipe_error = FieldError("TreatmentRecipeError", self)
        self.errors.add("recipe", recipe_error, self.recipe.table)
        self.extra.addWidget(self.recipe, 1)
        self.extra.addWidget(recipe_error)
        self.grow_extra()
        self.price_spin.valueChanged.connect(self._on_price_changed)

        if treatment is not None:
            self._load(treatment)
        if self.read_only:
            self._make_read_only()
        self.finish_layout()
        self.resize(820, 760)
        self._load_choices()

    def _load(self, treatment: TreatmentDTO) -> None:
        self.code_edit.setText(treatment.code)
        self.name_edit.setText(treatment.name)
        self.category_combo.setEditText(treatment.category)
        self.duration_spin.setValue(treatment.duration_minutes)
        self.price_spin.setValue(float(treatment.price))
        self._select_tax(treatment.tax_code)
        self.description_edit.setPlainText(treatment.description)
        self.recipe.set_price(treatment.price)
        self.recipe.set_recipe(treatment.recipe)

    def _select_tax(self, code: str) -> None:
        index = self.tax_combo.findData(code)
        if index >= 0:
            self.tax_combo.setCurrentIndex(index)

    def _make_read_only(self) -> None:
        for edit in (self.code_edit, self.name_edit):
            edit.setReadOnly(True)
        self.description_edit.setReadOnly(True)
        for widget in (self.category_combo, self.tax_combo):
            widget.setEnabled(False)
        self.duration_spin.setReadOnly(True)
        self.price_spin.setReadOnly(True)
        self.recipe.set_read_only(True)
        self.save_button.hide()
        cancel = self.findChild(QPushButton, "TreatmentEditorDialogCancelButton")
        if cancel is not None:
            cancel.setText(_("Close"))

    def _load_choices(self) -> None:
        ctx = self._ctx

        def load() -> tuple[list[str], list[ProductChoiceDTO]]:
            categories = list_treatment_categories(ctx.uow(), actor=ctx.actor)
            products = list_product_choices(ctx.uow(), actor=ctx.actor, include_inactive=True)
            return categories, products

        ctx.runner.run(
            load, on_done=self._on_choices_loaded, on_error=self._on_load_error, parent=self
        )

    def _on_choices_loaded(self, result: tuple[Sequence[str], Sequence[ProductChoiceDTO]]) -> None:
        categories, products = result
        text = self.category_combo.currentText()
        self.category_combo.clear()
        self.category_combo.addItems(list(categories))
        self.category_combo.setEditText(text)
        self.recipe.set_products(products)
        if self.treatment is not None:
            self.recipe.set_recipe(self.treatment.recipe)

    def _on_load_error(self, message: str) -> None:
        self.banner.show_message(message, "error")

    def _on_price_changed(self, _value: float) -> None:
        self.recipe.set_price(spin_decimal(self.price_spin))

    def treatment_form(self) -> TreatmentForm:
        return TreatmentForm(
            code=self.code_edit.text(),
            name=self.name_edit.text(),
            category=self.category_combo.currentText(),
            duration_minutes=self.duration_spin.value(),
            price=spin_decimal(self.price_spin),
            tax_code=self.tax_combo.currentData(),
            description=self.description_edit.toPlainText(),
        )

    def service_call(self) -> Callable[[], object]:
        ctx, treatment = self._ctx, self.treatment
        form, lines = self.treatment_form(), self.recipe.lines()
        if treatment is None:
            return lambda: create_treatment(ctx.uow(), actor=ctx.actor, form=form, recipe=lines)
        return lambda: update_treatment(
            ctx.uow(),
            actor=ctx.actor,
            treatment_id=treatment.id,
            expected_version=treatment.version,
            form=form,
            recipe=lines,
        )

    def set_price(self, price: Decimal) -> None:
        self.price_spin.setValue(float(price))
