"""What the expenses tab shows above and in its table: the filter bar (a named period or any
two dates, a category, text searched once the user pauses typing) and the table's columns,
with the receipt badge and the tooltip that says where an expense came from."""

from __future__ import annotations

import calendar
from datetime import date
from typing import Any

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QLineEdit, QWidget

from clinic_desktop.i18n import _, ngettext
from clinic_desktop.services.expense_dto import ExpenseCategoryDTO, ExpenseDTO
from clinic_desktop.ui import style
from clinic_desktop.ui.agenda.dialog_kit import date_box, from_qdate, to_qdate
from clinic_desktop.ui.billing.expense_fields import money_text
from clinic_desktop.ui.chart.clinical_dialog_kit import date_text
from clinic_desktop.ui.context import UiContext
from clinic_desktop.ui.widgets.pill_delegate import Pill
from clinic_desktop.ui.widgets.screen_kit import Column

SEARCH_DELAY_MS = 250
PERIODS = ("this_month", "last_month", "this_year", "custom")
# Where expense_columns puts them: the description takes the room left, receipts get a badge.
DESCRIPTION_COLUMN = 3
RECEIPT_COLUMN = 8


# -- periods -------------------------------------------------------------------------------


def month_bounds(first: date) -> tuple[date, date]:
    return first, first.replace(day=calendar.monthrange(first.year, first.month)[1])


def period_bounds(key: str, today: date) -> tuple[date, date] | None:
    """The first and last day of a named period around `today`; None for "custom"."""
    first = today.replace(day=1)
    if key == "this_month":
        return month_bounds(first)
    if key == "last_month":
        if first.month == 1:
            return month_bounds(date(first.year - 1, 12, 1))
        return month_bounds(first.replace(month=first.month - 1))
    if key == "this_year":
        return date(today.year, 1, 1), date(today.year, 12, 31)
    return None


class ExpenseFilterBar(QWidget):
    """Period, dates, category and search in one row; `changed` when any of them changes
    (typing only once the user pauses). Editing a date switches the period to "custom"."""

    changed = Signal()

    def __init__(self, today: date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ExpensesFilterBar")
        self.today = today
        self.period_combo = QComboBox(self)
        self.period_combo.setObjectName("ExpensesPeriodCombo")
        labels = (_("This month"), _("Last month"), _("This year"), _("Custom period"))
        for key, text in zip(PERIODS, labels, strict=True):
            self.period_combo.addItem(text, key)
        self.period_combo.currentIndexChanged.connect(self._on_period_changed)
        self.from_edit = date_box("ExpensesFromEdit", self, weekday=False)
        self.to_edit = date_box("ExpensesToEdit", self, weekday=False)
        for box in (self.from_edit, self.to_edit):
            box.setFixedWidth(130)
            box.dateChanged.connect(self._on_dates_edited)
        self.category_combo = QComboBox(self)
        self.category_combo.setObjectName("ExpensesCategoryCombo")
        self.category_combo.setMinimumWidth(220)
        self.category_combo.addItem(_("All categories"), None)
        self.category_combo.currentIndexChanged.connect(lambda _i: self.changed.emit())
        self.search_edit = QLineEdit(self)
        self.search_edit.setObjectName("ExpensesSearchEdit")
        self.search_edit.setPlaceholderText(
            _("Search description, supplier, document number or notes")
        )
        self.search_edit.setClearButtonEnabled(True)
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.changed)
        self.search_edit.textChanged.connect(lambda _t: self._search_timer.start())

        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.period_combo)
        row.addWidget(self.from_edit)
        dash = QLabel("–", self)
        style.set_role(dash, "hint")
        row.addWidget(dash)
        row.addWidget(self.to_edit)
        row.addSpacing(8)
        row.addWidget(self.category_combo)
        row.addWidget(self.search_edit, 1)
        self._apply_period("this_month")

    # -- reading -----------------------------------------------------------------------------

    def period(self) -> tuple[date, date]:
        return from_qdate(self.from_edit.date()), from_qdate(self.to_edit.date())

    def category(self) -> str | None:
        data = self.category_combo.currentData()
        return str(data) if data else None

    def text(self) -> str:
        return self.search_edit.text()

    def filtered(self) -> bool:
        return bool(self.text().strip() or self.category())

    def cancel_pending(self) -> None:
        """Forgets typing not yet acted on (the caller is about to reload anyway)."""
        self._search_timer.stop()

    # -- setting -----------------------------------------------------------------------------

    def set_period(self, key: str) -> None:
        """Shows a named period; `changed` follows even when it was already chosen."""
        index = self.period_combo.findData(key)
        if index == self.period_combo.currentIndex():
            self._on_period_changed(index)
        else:
            self.period_combo.setCurrentIndex(index)

    def set_custom_period(self, date_from: date, date_to: date) -> None:
        self._set_dates(date_from, date_to)
        self._select_quietly("custom")
        self.changed.emit()

    def set_category(self, key: str | None) -> bool:
        index = self.category_combo.findData(key) if key else 0
        if index >= 0:
            self.category_combo.setCurrentIndex(index)
        return index >= 0

    def set_categories(self, categories: list[ExpenseCategoryDTO]) -> None:
        """Refills the category combo keeping the choice, without announcing a change."""
        combo = self.category_combo
        current = combo.currentData()
        combo.blockSignals(True)
        combo.clear()
        combo.addItem(_("All categories"), None)
        for category in categories:
            combo.addItem(category.label, category.key)
        combo.setCurrentIndex(max(combo.findData(current), 0) if current else 0)
        combo.blockSignals(False)

    def _apply_period(self, key: str) -> None:
        bounds = period_bounds(key, self.today)
        if bounds is not None:
            self._set_dates(*bounds)

    def _on_period_changed(self, _index: int) -> None:
        self._apply_period(str(self.period_combo.currentData()))
        self.changed.emit()

    def _set_dates(self, date_from: date, date_to: date) -> None:
        for box, day in ((self.from_edit, date_from), (self.to_edit, date_to)):
            box.blockSignals(True)
            box.setDate(to_qdate(day))
            box.blockSignals(False)

    def _select_quietly(self, key: str) -> None:
        self.period_combo.blockSignals(True)
        self.period_combo.setCurrentIndex(self.period_combo.findData(key))
        self.period_combo.blockSignals(False)

    def _on_dates_edited(self, *_args: object) -> None:
        self._select_quietly("custom")
        self.changed.emit()


# -- table ---------------------------------------------------------------------------------


def receipt_text(expense: ExpenseDTO) -> str:
    receipts = expense.receipts
    if not receipts:
        return "—"
    if len(receipts) > 1:
        return ngettext("{count} file", "{count} files", len(receipts)).format(count=len(receipts))
    return "PDF" if receipts[0].is_pdf else _("Photo")


def receipt_pill(expense: ExpenseDTO) -> Pill | None:
    if not expense.receipts:
        return None
    return Pill(receipt_text(expense), style.ACCENT_DARK, style.ACCENT_TINT)


def row_tooltip(expense: ExpenseDTO) -> str:
    lines = [expense.title]
    if expense.recurring_id is not None:
        lines.append(_("Generated by a recurring expense."))
    if expense.purchase_order_id is not None:
        lines.append(_("Created when a purchase order was received."))
    if expense.notes:
        lines.append(expense.notes)
    lines.extend(receipt.file_name for receipt in expense.receipts)
    return "\n".join(lines)


def expense_columns(ctx: UiContext) -> list[Column[ExpenseDTO]]:
    def amount(pick: Any) -> Any:
        return lambda e: money_text(ctx, pick(e))

    return [
        Column(_("Date"), lambda e: date_text(e.expense_date)),
        Column(_("Category"), lambda e: e.category_label),
        Column(_("Supplier"), lambda e: e.supplier_name or "—"),
        Column(_("Description"), lambda e: e.description or "—", tooltip=row_tooltip),
        Column(_("Document no."), lambda e: e.document_number or "—"),
        Column(_("Net"), amount(lambda e: e.net), align_right=True),
        Column(_("Tax"), amount(lambda e: e.tax), align_right=True),
        Column(_("Total"), amount(lambda e: e.total), align_right=True),
        Column(_("Receipts"), receipt_text, tooltip=row_tooltip),
    ]
