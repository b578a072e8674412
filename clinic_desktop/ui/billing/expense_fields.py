"""The inputs the expense editor and the recurring-expense editor share: the category combo
(the default categories by their translated names plus the clinic's own, and free text for a
new one), the supplier combo (suppliers on file, or a name typed for a one-off supplier), the
payment method combo, and the three amounts (net + tax = total) where any two typed give the
third as the user types. Also the one worker call that loads what the combos offer."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QComboBox, QGridLayout, QLabel, QLineEdit, QSizePolicy, QWidget

from clinic_desktop.errors import ValidationError
from clinic_desktop.formatting import money
from clinic_desktop.i18n import _, current_language
from clinic_desktop.services.expense_dto import ExpenseCategoryDTO
from clinic_desktop.services.expenses import expense_categories
from clinic_desktop.services.inventory_dto import SupplierDTO
from clinic_desktop.services.payment_dto import METHODS, method_label
from clinic_desktop.services.suppliers import list_suppliers
from clinic_desktop.ui.context import UiContext
from clinic_desktop.ui.style import MUTED, set_role
from clinic_desktop.ui.widgets.forms import FieldError, FormErrors

CENT = Decimal("0.01")
CALCULATED_STYLE = f"QLineEdit {{ color: {MUTED}; font-style: italic; }}"


@dataclass(frozen=True)
class ExpenseChoices:
    categories: tuple[ExpenseCategoryDTO, ...]
    suppliers: tuple[SupplierDTO, ...]  # inactive ones included: a past expense may name one


def load_expense_choices(ctx: UiContext) -> ExpenseChoices:
    """Runs on the worker: what the category and supplier combos offer."""
    return ExpenseChoices(
        categories=tuple(expense_categories(ctx.uow(), actor=ctx.actor)),
        suppliers=tuple(list_suppliers(ctx.uow(), actor=ctx.actor, include_inactive=True)),
    )


def money_text(ctx: UiContext, amount: Decimal) -> str:
    return money(amount, ctx.clinic.currency)


# -- amounts -------------------------------------------------------------------------------


def amount_text(value: Decimal | None) -> str:
    """An amount for an input box: two decimals, the UI language's decimal mark, no grouping."""
    if value is None:
        return ""
    text = f"{value.quantize(CENT):f}"
    return text.replace(".", ",") if current_language() == "es" else text


def parse_amount(text: str) -> Decimal | None:
    """What was typed as an amount ("1.234,50", "1234.5", "12,5"); None when empty or not a
    number (the caller tells the two apart by the text)."""
    cleaned = text.strip().replace(" ", "").replace("\u00a0", "")
    for symbol in ("$", "€"):
        cleaned = cleaned.replace(symbol, "")
    if not cleaned:
        return None
    if "," in cleaned and "." in cleaned:
        # Whichever mark comes last separates the decimals; the other one groups thousands.
        grouping = "." if cleaned.rfind(",") > cleaned.rfind(".") else ","
        cleaned = cleaned.replace(grouping, "")
    try:
        value = Decimal(cleaned.replace(",", "."))
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


class AmountFields(QWidget):
    """Net + tax = total in one row. The field the user touched least recently is worked out
    from the other two (shown in grey with a "calculated" hint), so whichever two are known
    give the third; a single total is a net amount without tax, as the services read it."""

    changed = Signal()
    FIELDS = ("net", "tax", "total")

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.edits: dict[str, QLineEdit] = {}
        captions = {"net": _("Net amount"), "tax": _("Tax"), "total": _("Total")}
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(8)
        grid.setVerticalSpacing(2)
        hint = "0,00" if current_language() == "es" else "0.00"
        for column, field in enumerate(self.FIELDS):
            caption = QLabel(captions[field], self)
            set_role(caption, "hint")
            edit = QLineEdit(self)
            edit.setObjectName(f"{name}_{field}")
            edit.setPlaceholderText(hint)
            edit.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            edit.setMinimumWidth(110)
            edit.textEdited.connect(lambda _text, f=field: self._on_edited(f))
            edit.editingFinished.connect(lambda f=field: self._tidy(f))
            self.edits[field] = edit
            grid.addWidget(caption, 0, column * 2)
            grid.addWidget(edit, 1, column * 2)
            if column < 2:
                sign = QLabel("+" if column == 0 else "=", self)
                sign.setAlignment(Qt.AlignmentFlag.AlignCenter)
                set_role(sign, "hint")
                grid.addWidget(sign, 1, column * 2 + 1)
        for column in (0, 2, 4):
            grid.setColumnStretch(column, 1)
        # Most recently typed last: the first is the one worked out.
        self._order = ["tax", "net", "total"]
        self._computed: str | None = None

    @property
    def computed_field(self) -> str | None:
        """The field whose value was worked out from the other two, if any."""
        return self._computed

    def _on_edited(self, field: str) -> None:
        self._order.remove(field)
        self._order.append(field)
        if self._computed == field:
            self._set_computed(None)
        self._recompute()
        self.changed.emit()

    def _recompute(self) -> None:
        # Both other amounts typed after it: the least recent one is worked out, even over
        # what the user typed there before. Otherwise a typed value is left alone.
        target, first, second = self._order
        typed = {first: self._parsed(first), second: self._parsed(second)}
        result: Decimal | None = None
        if None not in typed.values():
            if target == "total":
                result = typed["net"] + typed["tax"]  # type: ignore[operator]
            else:
                other = "tax" if target == "net" else "net"
                result = typed["total"] - typed[other]  # type: ignore[operator]
        if result is not None and result >= 0:
            self.edits[target].setText(amount_text(result))
            self._set_computed(target)
        elif self._computed == target:
            # Nothing to work out any more, or the two typed cannot both be right (a net
            # above the total): the service names the wrong one when saving.
            self.edits[target].clear()
            self._set_computed(None)

    def _tidy(self, field: str) -> None:
        """Shows a finished amount the way amounts are written ("30" becomes "30,00")."""
        value = self._parsed(field)
        if value is not None and value >= 0:
            self.edits[field].setText(amount_text(value))

    def _parsed(self, field: str) -> Decimal | None:
        return parse_amount(self.edits[field].text())

    def _set_computed(self, field: str | None) -> None:
        self._computed = field
        for name, edit in self.edits.items():
            calculated = name == field
            edit.setStyleSheet(CALCULATED_STYLE if calculated else "")
            edit.setToolTip(_("Worked out from the other two amounts.") if calculated else "")

    def values(self) -> tuple[Decimal | None, Decimal | None, Decimal | None]:
        """(net, tax, total) as typed; text that is not an amount is refused here, under its
        field, exactly as the services refuse theirs."""
        labels = {"net": _("Net amount"), "tax": _("Tax"), "total": _("Total")}
        found: list[Decimal | None] = []
        for field in self.FIELDS:
            text = self.edits[field].text()
            value = parse_amount(text)
            if value is None and text.strip():
                raise ValidationError(
                    _("{field}: enter an amount such as {example}.").format(
                        field=labels[field], example=amount_text(Decimal("12.50"))
                    ),
                    field=field,
                )
            found.append(value)
        return found[0], found[1], found[2]

    def set_values(self, net: Decimal, tax: Decimal, total: Decimal) -> None:
        for field, value in zip(self.FIELDS, (net, tax, total), strict=True):
            self.edits[field].setText(amount_text(value))
        self._order = ["total", "tax", "net"]
        self._set_computed(None)

    def add_errors(self, errors: FormErrors, prefix: str) -> list[FieldError]:
        """One error label per amount, routed by the service's field name."""
        labels = []
        for field in self.FIELDS:
            label = FieldError(f"{prefix}Error_{field}", self.parentWidget())
            errors.add(field, label, self.edits[field])
            labels.append(label)
        return labels


# -- combos --------------------------------------------------------------------------------


class CategoryCombo(QComboBox):
    """The categories by their names; typing a name not offered files under a new category."""

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.setMinimumWidth(260)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        line = self.lineEdit()
        if line is not None:
            line.setPlaceholderText(_("Choose one or type a new category"))

    def set_categories(self, categories: tuple[ExpenseCategoryDTO, ...], keep: str = "") -> None:
        text = keep or self.currentText()
        self.blockSignals(True)
        self.clear()
        for category in categories:
            self.addItem(category.label, category.key)
        self.blockSignals(False)
        self.set_category(text)

    def set_category(self, key_or_label: str) -> None:
        index = self.findData(key_or_label)
        if index < 0:
            index = self.findText(key_or_label, Qt.MatchFlag.MatchFixedString)
        if index >= 0:
            self.setCurrentIndex(index)
        else:
            self.setCurrentIndex(-1)
            self.setEditText(key_or_label)

    def value(self) -> str:
        """A listed category's key, or the text typed (the service files it)."""
        text = self.currentText().strip()
        index = self.findText(text, Qt.MatchFlag.MatchFixedString)
        return str(self.itemData(index)) if index >= 0 else text


class SupplierCombo(QComboBox):
    """The active suppliers on file (and the record's own, even if now inactive), or any name
    typed for a supplier the clinic does not keep on file."""

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.setMinimumWidth(260)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        line = self.lineEdit()
        if line is not None:
            line.setPlaceholderText(_("A supplier on file, or type any name"))

    def set_suppliers(
        self, suppliers: tuple[SupplierDTO, ...], *, keep_id: uuid.UUID | None, keep_name: str
    ) -> None:
        self.blockSignals(True)
        self.clear()
        for supplier in suppliers:
            if supplier.active or supplier.id == keep_id:
                self.addItem(supplier.name, str(supplier.id))
        self.blockSignals(False)
        index = self.findData(str(keep_id)) if keep_id is not None else -1
        if index >= 0:
            self.setCurrentIndex(index)
        else:
            self.setCurrentIndex(-1)
            self.setEditText(keep_name)

    def value(self) -> tuple[uuid.UUID | None, str]:
        """(supplier on file, typed name): a name matching one on file picks that one."""
        text = self.currentText().strip()
        index = self.findText(text, Qt.MatchFlag.MatchFixedString)
        if index >= 0:
            return uuid.UUID(str(self.itemData(index))), ""
        return None, text


def method_combo(name: str, parent: QWidget) -> QComboBox:
    """The payment methods by their translated names, after "Not stated"."""
    combo = QComboBox(parent)
    combo.setObjectName(name)
    combo.addItem(_("Not stated"), "")
    for method in METHODS:
        combo.addItem(method_label(method.value), method.value)
    return combo


def set_method(combo: QComboBox, method: str) -> None:
    index = combo.findData(method)
    combo.setCurrentIndex(max(index, 0))
