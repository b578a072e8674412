"""The two steps of the appointment work dialog that ask before changing stock. Completing
shows every usage line the completion will write (the composition's quantity and an editable
actual one, 0 meaning "not used"), the stock usable today and a warning on each product
short; confirming takes the stock. Undoing asks what to undo (the whole appointment or one
treatment) and why, since the reversing movements carry the reason."""

from __future__ import annotations

import uuid
from decimal import Decimal

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from clinic_desktop.i18n import _
from clinic_desktop.services.appointment_treatments import (
    AppointmentWorkDTO,
    CompletionLine,
    CompletionPreviewDTO,
    PreviewLineDTO,
)
from clinic_desktop.ui.chart.clinical_dialog_kit import small_button
from clinic_desktop.ui.inventory.treatment_kit import ROW_DANGER, decimal_spin, qty, spin_decimal
from clinic_desktop.ui.style import DANGER, bold, set_role
from clinic_desktop.ui.widgets.forms import FieldError
from clinic_desktop.ui.widgets.screen_kit import MessageBanner

FOR, PRODUCT, RECIPE, ACTUAL, STOCK = range(5)


class CompletionPage(QWidget):
    """Step "Complete": `lines()` gives what the service takes; `back` and `confirmed` are
    the buttons."""

    back = Signal()
    confirmed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("CompletionPage")
        self.preview: CompletionPreviewDTO | None = None
        self._spins: list[QDoubleSpinBox] = []
        title = QLabel(_("Check the quantities used"), self)
        bold(title, 12)
        hint = QLabel(
            _(
                "These products will be taken from stock, the lots expiring first first. Change "
                "any quantity that differs from the composition; 0 means the product was not "
                "used. Both figures are kept."
            ),
            self,
        )
        hint.setWordWrap(True)
        set_role(hint, "hint")
        self.banner = MessageBanner("CompletionMessage", self)
        self.table = QTableWidget(0, 5, self)
        self.table.setObjectName("CompletionTable")
        self.table.setHorizontalHeaderLabels(
            [_("Used for"), _("Product"), _("Composition"), _("Actually used"), _("In stock")]
        )
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(36)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(PRODUCT, QHeaderView.ResizeMode.Stretch)
        self.table.setColumnWidth(ACTUAL, 150)
        self.back_button = small_button(_("Back"), "CompletionBackButton", self)
        self.confirm_button = small_button(
            _("Confirm and take from stock"), "ConfirmCompletionButton", self, primary=True
        )
        self.back_button.clicked.connect(self.back.emit)
        self.confirm_button.clicked.connect(self.confirmed.emit)
        buttons = QHBoxLayout()
        buttons.addWidget(self.back_button)
        buttons.addStretch(1)
        buttons.addWidget(self.confirm_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(title)
        layout.addWidget(hint)
        layout.addWidget(self.banner)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)

    def show_preview(self, preview: CompletionPreviewDTO) -> None:
        self.preview = preview
        self.table.setRowCount(0)
        self._spins = []
        for row, line in enumerate(preview.lines):
            self.table.insertRow(row)
            self._fill_row(row, line)
        self.table.resizeColumnsToContents()
        self.table.setColumnWidth(ACTUAL, max(self.table.columnWidth(ACTUAL), 150))
        if preview.warnings:
            kind = "warn" if preview.allow_negative else "error"
            self.banner.show_message("\n".join(preview.warnings), kind)
        else:
            self.banner.clear_message()

    def _fill_row(self, row: int, line: PreviewLineDTO) -> None:
        cells = {
            FOR: line.treatment_name or _("Extra product"),
            PRODUCT: f"{line.product_code} · {line.product_name}",
            RECIPE: qty(line.recipe_quantity, line.unit) if not line.is_extra else "—",
            STOCK: qty(line.on_hand, line.unit),
        }
        for column, text in cells.items():
            item = QTableWidgetItem(text)
            if column in (RECIPE, STOCK):
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            if line.short:
                item.setBackground(QBrush(QColor(ROW_DANGER)))
                if column == STOCK:
                    item.setForeground(QBrush(QColor(DANGER)))
                item.setToolTip(line.warning)
            self.table.setItem(row, column, item)
        spin = decimal_spin(f"ActualQuantity_{row}", self.table, decimals=3, suffix=f" {line.unit}")
        spin.setFrame(False)
        spin.setValue(float(line.actual_quantity))
        self.table.setCellWidget(row, ACTUAL, spin)
        self._spins.append(spin)

    def row_of(self, product_id: uuid.UUID, treatment_id: uuid.UUID | None = None) -> int:
        """The row of a product (for one treatment, or the first it appears on)."""
        assert self.preview is not None
        for row, line in enumerate(self.preview.lines):
            if line.product_id == product_id and (
                treatment_id is None or line.treatment_id == treatment_id
            ):
                return row
        raise KeyError(product_id)

    def set_actual(self, row: int, quantity: Decimal) -> None:
        self._spins[row].setValue(float(quantity))

    def lines(self) -> list[CompletionLine]:
        assert self.preview is not None
        return [
            CompletionLine(
                line.appointment_treatment_id,
                line.product_id,
                spin_decimal(spin),
                None if line.appointment_treatment_id else line.treatment_id,
            )
            for line, spin in zip(self.preview.lines, self._spins, strict=True)
        ]


class UndoPage(QWidget):
    """Step "Undo": the scope (None = the whole appointment) and the reason."""

    back = Signal()
    confirmed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("UndoPage")
        title = QLabel(_("Undo the completion"), self)
        bold(title, 12)
        hint = QLabel(
            _(
                "Everything the completion took is returned to stock by reversing movements and "
                "the treatments are planned again. Nothing is deleted: the lines stay, marked "
                "as undone, with your reason."
            ),
            self,
        )
        hint.setWordWrap(True)
        set_role(hint, "hint")
        self.scope_combo = QComboBox(self)
        self.scope_combo.setObjectName("UndoScopeCombo")
        self.scope_combo.setMinimumWidth(320)
        self.reason_edit = QLineEdit(self)
        self.reason_edit.setObjectName("UndoReasonEdit")
        self.reason_edit.setMaxLength(300)
        self.reason_edit.setPlaceholderText(_("For example: recorded on the wrong patient"))
        self.reason_error = FieldError("UndoReasonError", self)
        self.error = FieldError("UndoError", self)
        form = QFormLayout()
        form.addRow(_("Undo"), self.scope_combo)
        form.addRow(_("Reason"), self.reason_edit)
        form.addRow("", self.reason_error)
        self.back_button = small_button(_("Back"), "UndoBackButton", self)
        self.confirm_button: QPushButton = small_button(
            _("Undo completion"), "ConfirmUndoButton", self, primary=True
        )
        self.back_button.clicked.connect(self.back.emit)
        self.confirm_button.clicked.connect(self.confirmed.emit)
        buttons = QHBoxLayout()
        buttons.addWidget(self.back_button)
        buttons.addStretch(1)
        buttons.addWidget(self.confirm_button)
        card = QFrame(self)
        card.setObjectName("UndoCard")
        set_role(card, "card")
        inside = QVBoxLayout(card)
        inside.setContentsMargins(16, 14, 16, 14)
        inside.setSpacing(10)
        inside.addWidget(title)
        inside.addWidget(hint)
        inside.addLayout(form)
        inside.addWidget(self.error)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(card)
        layout.addStretch(1)
        layout.addLayout(buttons)

    def prepare(self, work: AppointmentWorkDTO) -> None:
        self.scope_combo.clear()
        self.scope_combo.addItem(_("Everything completed on this appointment"), None)
        for treatment in work.done:
            self.scope_combo.addItem(_("Only {name}").format(name=treatment.name), treatment.id)
        self.reason_edit.clear()
        self.reason_error.clear_message()
        self.error.clear_message()

    def scope(self) -> uuid.UUID | None:
        value = self.scope_combo.currentData()
        return value if isinstance(value, uuid.UUID) else None
