"""Importing products and opening stock from a CSV file: the columns explained, a file picked,
and a preview of every line, the invalid ones in red with all their reasons; Import stays
disabled until every line is valid, and imports all of it or nothing (the service reads the
file again inside its transaction)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from clinic_desktop.i18n import _, ngettext
from clinic_desktop.services.inventory_dto import ImportPreview, ImportResult
from clinic_desktop.services.stock_import import apply_import, preview_import
from clinic_desktop.ui.context import UiContext
from clinic_desktop.ui.inventory.products_kit import RowTableModel, day_text, qty
from clinic_desktop.ui.style import DANGER, DANGER_TINT, WARNING, WARNING_TINT, bold, set_role
from clinic_desktop.ui.widgets import screen_kit
from clinic_desktop.ui.widgets.screen_kit import Column, MessageBanner, list_table


@dataclass(frozen=True)
class PreviewLine:
    line: int
    ok: bool
    product: str
    quantity: Decimal | None
    lot: str
    expiry: date | None
    notes: str
    warned: bool = False


def preview_lines(preview: ImportPreview) -> list[PreviewLine]:
    lines = [
        PreviewLine(
            line=row.line,
            ok=True,
            product=f"{row.code} · {row.name}",
            quantity=row.quantity,
            lot=row.lot,
            expiry=row.expiry,
            notes=" ".join(row.warnings)
            or (_("New supplier: {name}").format(name=row.supplier) if row.new_supplier else ""),
            warned=bool(row.warnings),
        )
        for row in preview.rows
    ]
    lines += [
        PreviewLine(
            line=error.line,
            ok=False,
            product=error.text,
            quantity=None,
            lot="",
            expiry=None,
            notes=" ".join(error.reasons),
        )
        for error in preview.errors
    ]
    return sorted(lines, key=lambda line: line.line)


def _help_text() -> str:
    return _(
        "The first line names the columns, in any order. Required: code, name. Optional: "
        "category, unit (of use), purchase_unit, units_per_purchase, cost (per unit of use), "
        "sale_price, tax_code, reorder_level, location, barcode, supplier (created if new), "
        "quantity (opening stock, in units of use), lot, expiry (YYYY-MM-DD or DD/MM/YYYY). "
        "Spanish names work too (codigo, nombre, cantidad, lote, caducidad…). Fields may be "
        "separated by ; or , and numbers may use a decimal comma."
    )


class ImportProductsDialog(QDialog):
    imported = Signal(str)  # the message for the products tab

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.data: bytes | None = None
        self.preview: ImportPreview | None = None
        self.setObjectName("ImportProductsDialog")
        self.setWindowTitle(_("Import products from CSV"))
        self.resize(1000, 640)

        heading = QLabel(_("Import products from CSV"), self)
        bold(heading, 13)
        help_label = QLabel(_help_text(), self)
        help_label.setObjectName("ImportHelpLabel")
        help_label.setWordWrap(True)
        set_role(help_label, "hint")
        self.choose_button = QPushButton(_("Choose file…"), self)
        self.choose_button.setObjectName("ImportChooseButton")
        self.choose_button.clicked.connect(self.choose_file)
        self.file_label = QLabel(_("No file chosen"), self)
        self.file_label.setObjectName("ImportFileLabel")
        set_role(self.file_label, "hint")
        pick = QHBoxLayout()
        pick.addWidget(self.choose_button)
        pick.addWidget(self.file_label, 1)
        self.summary_label = QLabel(self)
        self.summary_label.setObjectName("ImportSummaryLabel")
        self.summary_label.setWordWrap(True)
        bold(self.summary_label)
        self.banner = MessageBanner("ImportMessage", self)
        self.model = RowTableModel(
            [
                Column(_("Line"), lambda p: str(p.line), align_right=True),
                Column(_("Status"), lambda p: _("Ready") if p.ok else _("Invalid")),
                Column(_("Product"), lambda p: p.product),
                Column(
                    _("Opening stock"),
                    lambda p: qty(p.quantity) if p.quantity else "—",
                    align_right=True,
                ),
                Column(_("Lot"), lambda p: p.lot or "—"),
                Column(_("Expiry"), lambda p: day_text(p.expiry)),
                Column(_("Problems and notes"), lambda p: p.notes or "—"),
            ],
            foreground=lambda p: DANGER if not p.ok else (WARNING if p.warned else None),
            background=lambda p: DANGER_TINT if not p.ok else (WARNING_TINT if p.warned else None),
            parent=self,
        )
        self.table = list_table(self.model, "ImportPreviewTable", self)
        self.table.setWordWrap(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)

        buttons = QDialogButtonBox(self)
        self.import_button = buttons.addButton(
            _("Import products"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.import_button.setObjectName("ImportApplyButton")
        set_role(self.import_button, "primary")
        self.import_button.setEnabled(False)
        self.import_button.setAutoDefault(False)
        self.import_button.clicked.connect(self.apply)
        close = buttons.addButton(_("Close"), QDialogButtonBox.ButtonRole.RejectRole)
        close.setObjectName("ImportCloseButton")
        close.setAutoDefault(False)
        close.clicked.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(help_label)
        layout.addLayout(pick)
        layout.addWidget(self.banner)
        layout.addWidget(self.summary_label)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)

    def choose_file(self) -> None:
        path = screen_kit.choose_file(
            self, _("Choose a CSV file"), str(Path.home()), _("CSV files (*.csv *.txt)")
        )
        if path:
            self.load_file(Path(path))

    def load_file(self, path: Path) -> None:
        try:
            data = path.read_bytes()
        except OSError as exc:
            self.banner.show_message(
                _("The file could not be read: {reason}").format(reason=exc.strerror or exc),
                "error",
            )
            return
        self.load_bytes(data, path.name)

    def load_bytes(self, data: bytes, name: str) -> None:
        """Previews `data` (the file's bytes); tests call this directly."""
        ctx = self._ctx
        self.banner.clear_message()
        self.data = data
        self.file_label.setText(name)
        self.import_button.setEnabled(False)
        ctx.runner.run(
            lambda: preview_import(ctx.uow(), actor=ctx.actor, data=data),
            on_done=self._on_previewed,
            on_error=lambda message: self.banner.show_message(message, "error"),
            busy_text=_("Reading the file…"),
            parent=self,
        )

    def _on_previewed(self, preview: ImportPreview) -> None:
        self.preview = preview
        self.model.set_rows(preview_lines(preview))
        self.table.resizeColumnsToContents()
        self.table.setColumnWidth(2, min(self.table.columnWidth(2), 280))
        self.table.resizeRowsToContents()
        if preview.errors:
            count = len(preview.errors)
            text = ngettext(
                "{count} line has problems: correct it in the file and choose it again. "
                "Nothing is imported until every line is valid.",
                "{count} lines have problems: correct them in the file and choose it again. "
                "Nothing is imported until every line is valid.",
                count,
            ).format(count=count)
            self.summary_label.setStyleSheet(f"color: {DANGER};")
        else:
            count = len(preview.rows)
            text = ngettext(
                "{count} product ready to import.", "{count} products ready to import.", count
            ).format(count=count)
            if preview.new_suppliers:
                text += " " + _("New suppliers: {names}.").format(
                    names=", ".join(preview.new_suppliers)
                )
            self.summary_label.setStyleSheet("")
        self.summary_label.setText(text)
        self.import_button.setEnabled(preview.ok)

    def apply(self) -> None:
        data, ctx = self.data, self._ctx
        if data is None or self.preview is None or not self.preview.ok:
            return
        self.import_button.setEnabled(False)
        ctx.runner.run(
            lambda: apply_import(ctx.uow(), actor=ctx.actor, data=data),
            on_done=self._on_applied,
            on_error=self._on_apply_failed,
            busy_text=_("Importing…"),
            parent=self,
        )

    def _on_applied(self, result: ImportResult) -> None:
        message = ngettext(
            "Imported {count} product", "Imported {count} products", result.products_created
        ).format(count=result.products_created)
        message += ", " + ngettext(
            "{count} lot of opening stock", "{count} lots of opening stock", result.lots_created
        ).format(count=result.lots_created)
        if result.suppliers_created:
            message += ", " + ngettext(
                "{count} new supplier", "{count} new suppliers", result.suppliers_created
            ).format(count=result.suppliers_created)
        self.imported.emit(message + ".")
        self.accept()

    def _on_apply_failed(self, message: str) -> None:
        self.banner.show_message(message, "error")
        if self.data is not None:
            # Something changed since the preview (a code taken meanwhile): show it again.
            self.load_bytes(self.data, self.file_label.text())
