"""What the dialogs that change one product's stock by hand share (receiving a delivery,
adjusting, writing off, returning): the product named with its stock under the title, a
quantity box, form fields made of several widgets side by side, loading what the form offers
with a failure shown in the banner, and, once the service agreed, a message for the window
that opened the dialog saying the product's new stock. Refusals land under the field they
name, as in every FormDialog."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLineEdit, QWidget

from clinic_desktop.i18n import _
from clinic_desktop.services.inventory_dto import ProductDTO, StockChangeDTO
from clinic_desktop.ui.chart.clinical_dialog_kit import FormDialog
from clinic_desktop.ui.context import UiContext
from clinic_desktop.ui.inventory.products_kit import qty


def product_header(product: ProductDTO) -> str:
    """ "Gasa estéril · GAS-EST · in stock: 1.100 unidad": which product, and how much now."""
    return _("{product} · {code} · in stock: {stock}").format(
        product=product.name, code=product.code, stock=qty(product.on_hand, product.unit)
    )


def inline_row(parent: QWidget, *parts: QWidget | int) -> QWidget:
    """Widgets side by side in one form field, kept to the left; an int is a gap in pixels."""
    row = QHBoxLayout()
    row.setContentsMargins(0, 0, 0, 0)
    for part in parts:
        if isinstance(part, int):
            row.addSpacing(part)
        else:
            row.addWidget(part)
    row.addStretch(1)
    box = QWidget(parent)
    box.setLayout(row)
    return box


def quantity_edit(name: str, parent: QWidget) -> QLineEdit:
    """A short box for a quantity as typed; the service parses and checks it."""
    edit = QLineEdit(parent)
    edit.setObjectName(name)
    edit.setMaximumWidth(120)
    return edit


class StockDialog(FormDialog):
    """Base of the stock dialogs: `stock_changed` carries the message for the window that
    opened it once the service agreed; subclasses say it in `saved_message`."""

    stock_changed = Signal(str)

    def __init__(
        self,
        ctx: UiContext,
        product: ProductDTO,
        *,
        name: str,
        title: str,
        save_text: str,
        width: int,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(
            ctx,
            name=name,
            title=title,
            save_text=save_text,
            parent=parent,
            subtitle=product_header(product),
            width=width,
        )
        self._product = product

    def load(self, call: Callable[[], Any], on_done: Callable[[Any], None]) -> None:
        """Loads what the form offers (lots, suppliers); a failure shows in the banner."""
        self._ctx.runner.run(
            call,
            on_done=on_done,
            on_error=lambda message: self.banner.show_message(message, "error"),
            parent=self,
        )

    def saved_message(self, change: StockChangeDTO) -> str:
        raise NotImplementedError

    def _on_saved(self, result: object) -> None:
        assert isinstance(result, StockChangeDTO)
        self.stock_changed.emit(self.saved_message(result))
        super()._on_saved(result)
