"""What the expenses tab shows above and in its table: the filter bar (a named period or any
two dates, a category, text searched once the user pauses typing) and the table's columns,
with the receipt badge and the tooltip that says where an expense came from."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QWidget

from clinic_desktop.i18n import _, ngettext
from clinic_desktop.services.expense_dto import ExpenseCategoryDTO, ExpenseDTO
from clinic_desktop.ui import style
from clinic_desktop.ui.agenda.dialog_kit import from_qdate
from clinic_desktop.ui.billing.expense_fields import money_text
from clinic_desktop.ui.billing.period_range import PeriodRange
from clinic_desktop.ui.chart.clinical_dialog_kit import date_text
from clinic_desktop.ui.context import UiContext
from clinic_desktop.ui.widgets.filter_kit import SearchEdit, refill_combo
from clinic_desktop.ui.widgets.pill_delegate import Pill
from clinic_desktop.ui.widgets.screen_kit import Column

PERIODS = ("this_month", "last_month", "this_year", "custom")
# Where expense_columns puts them: the description takes the room left, receipts get a badge.
DESCRIPTION_COLUMN = 3
RECEIPT_COLUMN = 8


class ExpenseFilterBar(QWidget):
    """Period, dates, category and search in one row; `changed` when any of them changes
    (typing only once the user pauses). Editing a date switches the period to "custom"."""

    changed = Signal()

    def __init__(self, today: date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ExpensesFilterBar")
        self.today = today
        labels = (_("This month"), _("Last month"), _("This year"), _("Custom period"))
        self.periods = PeriodRange("Expenses", list(zip(PERIODS, labels, strict=True)), today, self)
        self.periods.changed.connect(self.changed)
        self.period_combo = self.periods.combo
        self.from_edit, self.to_edit = self.periods.from_edit, self.periods.to_edit
        self.category_combo = QComboBox(self)
        self.category_combo.setObjectName("ExpensesCategoryCombo")
        self.category_combo.setMinimumWidth(220)
        self.category_combo.addItem(_("All categories"), None)
        self.category_combo.currentIndexChanged.connect(lambda _i: self.changed.emit())
        self.search_edit = SearchEdit(
            "ExpensesSearchEdit", _("Search description, supplier, document number or notes"), self
        )
        self.search_edit.paused.connect(self.changed)

        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.periods)
        row.addSpacing(8)
        row.addWidget(self.category_combo)
        row.addWidget(self.search_edit, 1)

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
        self.search_edit.cancel_pending()

    # -- setting -----------------------------------------------------------------------------

    def set_period(self, key: str) -> None:
        """Shows a named period; `changed` follows even when it was already chosen."""
        self.periods.set_period(key)

    def set_custom_period(self, date_from: date, date_to: date) -> None:
        self.periods.set_dates(date_from, date_to)

    def set_category(self, key: str | None) -> bool:
        index = self.category_combo.findData(key) if key else 0
        if index >= 0:
            self.category_combo.setCurrentIndex(index)
        return index >= 0

    def set_categories(self, categories: list[ExpenseCategoryDTO]) -> None:
        """Refills the category combo keeping the choice, without announcing a change."""
        refill_combo(
            self.category_combo, _("All categories"), [(c.label, c.key) for c in categories]
        )


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
