"""Adding lines to a draft invoice: one search box over the clinic's treatments and the
products it sells (type part of a name or code; accents and case do not matter), each shown
with its price, and a button for a free line (a certificate, a report, anything not in the
catalogue). A treatment comes with its price and tax code; a product — those with a sale
price, the rest are the clinic's own consumables — with its sale price and tax code, and
leaves stock when the invoice is issued."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QWidget

from clinic_desktop.formatting import quantity as quantity_text
from clinic_desktop.i18n import _
from clinic_desktop.services.inventory_dto import ProductDTO
from clinic_desktop.services.invoice_dto import LineForm, Source
from clinic_desktop.services.treatment_dto import TreatmentDTO
from clinic_desktop.ui.billing.money_widgets import money_text
from clinic_desktop.ui.inventory.treatment_kit import SearchCombo


def treatment_line(treatment: TreatmentDTO) -> LineForm:
    return LineForm(
        source=Source.TREATMENT.value,
        description=treatment.name,
        unit_price=treatment.price,
        tax_code=treatment.tax_code,
        treatment_id=treatment.id,
    )


def product_line(product: ProductDTO) -> LineForm:
    return LineForm(
        source=Source.PRODUCT.value,
        description=product.name,
        unit_price=product.sale_price,
        tax_code=product.tax_code,
        product_id=product.id,
    )


def free_line(tax_code: str) -> LineForm:
    return LineForm(source=Source.FREE.value, description="", tax_code=tax_code)


class CataloguePicker(QWidget):
    """`picked` carries the LineForm of the chosen treatment or product; `free_requested`
    asks for an empty free line; `problem` says why nothing was added."""

    picked = Signal(object)  # LineForm
    free_requested = Signal()
    problem = Signal(str)

    def __init__(self, currency: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("InvoiceCataloguePicker")
        self.currency = currency
        self._items: dict[uuid.UUID, Any] = {}
        self.combo = SearchCombo(
            "InvoiceCatalogueCombo",
            _("Add a treatment or product: type its name or code"),
            self,
        )
        self.combo.setMinimumWidth(420)
        self.combo.activated.connect(lambda _i: self.add_chosen())
        completer = self.combo.completer()
        if completer is not None:
            # After the combo itself has taken the completed entry.
            completer.activated.connect(lambda _t: QTimer.singleShot(0, self.add_chosen))
        self.add_button = QPushButton(_("Add"), self)
        self.add_button.setObjectName("InvoiceAddCatalogueButton")
        self.add_button.setAutoDefault(False)
        self.add_button.clicked.connect(self.add_chosen)
        self.free_button = QPushButton(_("Add free line"), self)
        self.free_button.setObjectName("InvoiceAddFreeLineButton")
        self.free_button.setAutoDefault(False)
        self.free_button.clicked.connect(self.free_requested)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.combo, 1)
        layout.addWidget(self.add_button)
        layout.addSpacing(12)
        layout.addWidget(self.free_button)

    def set_catalogue(
        self, treatments: Sequence[TreatmentDTO], products: Sequence[ProductDTO]
    ) -> None:
        self._items = {}
        choices: list[tuple[uuid.UUID, str]] = []
        for treatment in treatments:
            self._items[treatment.id] = treatment
            label = _("Treatment · {name} · {price}").format(
                name=treatment.name, price=money_text(treatment.price, self.currency)
            )
            choices.append((treatment.id, label))
        # Only what the clinic sells: a product without a sale price is a consumable.
        for product in [p for p in products if p.sale_price > 0]:
            self._items[product.id] = product
            label = _("Product · {name} · {price} · {stock} {unit} in stock").format(
                name=product.name,
                price=money_text(product.sale_price, self.currency),
                stock=quantity_text(product.usable),
                unit=product.unit,
            )
            choices.append((product.id, label))
        self.combo.set_choices(choices)

    def item(self, item_id: uuid.UUID) -> Any:
        return self._items.get(item_id)

    def add_item(self, item_id: uuid.UUID) -> bool:
        """Adds the treatment or product with that id (what choosing it in the box does)."""
        item = self._items.get(item_id)
        if isinstance(item, TreatmentDTO):
            self.picked.emit(treatment_line(item))
        elif isinstance(item, ProductDTO):
            self.picked.emit(product_line(item))
        else:
            return False
        self.combo.clear_choice()
        return True

    def add_chosen(self) -> bool:
        chosen = self.combo.current_id() or self.combo.only_match()
        if chosen is not None:
            return self.add_item(chosen)
        text = self.combo.currentText().strip()
        if text:
            self.problem.emit(
                _(
                    "Nothing in the catalogue matches “{text}” alone: choose it from the list."
                ).format(text=text)
            )
        return False
