"""The inventory area's Reports tab: the five reports listed on the left (stock valuation,
movements, consumption, recipe vs actual, treatment margins); on the right the chosen report's
parameters and Run button (reports_tab_params), the period and filters of the result, the
table, how its figures are computed, and "Save CSV…" / "Print / PDF…". Each report keeps its
last result while another one is looked at. Reports show costs, so the services decide who
may run them; a user without the right is told why and the Run button stays off. When stock
or the catalogue changes, a shown report says it may be out of date rather than re-running by
itself. Saving goes through `save_csv_to(path)` and printing through `print_report()`, so
tests drive both without modal dialogs (the save-as prompt and the preview are module
functions they replace)."""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from pathlib import Path

from PySide6.QtCore import QStandardPaths, Qt
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from clinic_desktop.errors import PermissionDenied, UserFacingError
from clinic_desktop.i18n import _
from clinic_desktop.services.inventory_reports_common import ReportChoices, report_choices
from clinic_desktop.services.report_csv import to_csv
from clinic_desktop.services.report_table import TabularReport, report_pdf
from clinic_desktop.ui.context import UiContext
from clinic_desktop.ui.inventory.reports_tab_model import SPECS, ReportTableModel
from clinic_desktop.ui.inventory.reports_tab_params import ReportParameters
from clinic_desktop.ui.style import ACCENT_DARK, ACCENT_TINT, BORDER, SURFACE, set_role
from clinic_desktop.ui.widgets.print_preview import show_pdf_preview
from clinic_desktop.ui.widgets.screen_kit import MessageBanner, list_table

LIST_STYLE = f"""
QListWidget#InventoryReportList {{
    background: {SURFACE}; border: 1px solid {BORDER}; border-radius: 10px; padding: 6px;
    outline: 0;
}}
QListWidget#InventoryReportList::item {{ padding: 9px 10px; border-radius: 6px; margin: 1px 0; }}
QListWidget#InventoryReportList::item:selected {{
    background: {ACCENT_TINT}; color: {ACCENT_DARK}; font-weight: 600;
}}
QListWidget#InventoryReportList::item:hover:!selected {{ background: #F0F3F5; }}
"""

# -- prompts (module level so tests can replace them) -----------------------------------------


def save_csv_prompt(parent: QWidget, title: str, suggested: str) -> str:
    """The path chosen to save the CSV to, or "" if the user cancelled."""
    path, _selected = QFileDialog.getSaveFileName(parent, title, suggested, _("CSV files (*.csv)"))
    return path


def _documents() -> Path:
    folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(folder or Path.home())


def file_stem(title: str, day: date) -> str:
    """ "Valoración de existencias", 24 Nov 2026 -> "valoracion-de-existencias-2026-11-24"
    (no accents or spaces: the file travels by e-mail and USB stick)."""
    plain = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-") or "report"
    return f"{slug}-{day.isoformat()}"


class InventoryReportsTab(QWidget):
    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.setObjectName("InventoryReportsTab")
        self.reports: dict[str, TabularReport] = {}
        self.last_pdf: bytes | None = None
        self.saved_path: Path | None = None

        self.report_list = QListWidget(self)
        self.report_list.setObjectName("InventoryReportList")
        self.report_list.setFixedWidth(250)
        self.report_list.setWordWrap(True)
        self.report_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.report_list.setStyleSheet(LIST_STYLE)
        for spec in SPECS:
            item = QListWidgetItem(_(spec.title))
            item.setData(Qt.ItemDataRole.UserRole, spec.key)
            item.setToolTip(_(spec.summary))
            self.report_list.addItem(item)
        self.report_list.currentRowChanged.connect(self._on_report_list_current_row_changed)

        self.params = ReportParameters(self)
        self.params.run_button.clicked.connect(self.run_report)
        self.banner = MessageBanner("ReportBanner", self)
        self.period_label = QLabel(self)
        self.period_label.setObjectName("ReportPeriodLabel")
        self.period_label.setWordWrap(True)
        self.csv_button = QPushButton(_("Save CSV…"), self)
        self.csv_button.setObjectName("ReportCsvButton")
        self.csv_button.clicked.connect(self.save_csv)
        self.print_button = QPushButton(_("Print / PDF…"), self)
        self.print_button.setObjectName("ReportPrintButton")
        self.print_button.clicked.connect(self.print_report)
        actions = QHBoxLayout()
        actions.addWidget(self.period_label, 1)
        actions.addWidget(self.csv_button)
        actions.addWidget(self.print_button)

        self.model = ReportTableModel(self)
        self.table = list_table(self.model, "ReportTable", self)
        self.table.setSelectionMode(self.table.SelectionMode.NoSelection)
        self.table.setWordWrap(False)
        self.basis_label = QLabel(self)
        self.basis_label.setObjectName("ReportBasisLabel")
        self.basis_label.setWordWrap(True)
        self.basis_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        set_role(self.basis_label, "hint")

        right = QVBoxLayout()
        right.addWidget(self.params)
        right.addWidget(self.banner)
        right.addLayout(actions)
        right.addWidget(self.table, 1)
        right.addWidget(self.basis_label)
        layout = QHBoxLayout(self)
        layout.addWidget(self.report_list)
        layout.addLayout(right, 1)

        ctx.bridge.inventory_changed.connect(self._on_bridge_inventory_changed)
        self.report_list.setCurrentRow(0)
        self.refresh()

    # -- choices ---------------------------------------------------------------------------

    def refresh(self) -> None:
        """Reloads the filters' choices (categories, products) and whether reports may run."""
        ctx = self._ctx
        ctx.runner.run(
            lambda: report_choices(ctx.uow(), actor=ctx.actor),
            on_done=self._on_choices_done,
            on_error=lambda text: self.banner.show_message(text, "error"),
            parent=self,
        )

    def _on_choices_done(self, choices: ReportChoices) -> None:
        self.params.set_choices(choices)
        if not choices.allowed:
            self.banner.show_message(
                _(
                    "These reports show purchase costs and margins: they need the right to "
                    "manage inventory or to see financial reports. Ask the clinic's owner."
                ),
                "warn",
            )

    # -- choosing a report -----------------------------------------------------------------

    def select_report(self, key: str) -> None:
        self.report_list.setCurrentRow(next(i for i, s in enumerate(SPECS) if s.key == key))

    def current_key(self) -> str:
        return self.params.spec.key

    def _on_report_list_current_row_changed(self, row: int) -> None:
        if row >= 0:
            self.params.set_spec(SPECS[row])
            self._show(self.reports.get(SPECS[row].key))

    # -- running ---------------------------------------------------------------------------

    def run_report(self) -> None:
        """Runs the chosen report with the parameters on screen."""
        self.params.clear_errors()
        key = self.params.spec.key
        self._ctx.runner.run(
            self.params.call(self._ctx),
            on_done=lambda report: self._on_report_done(key, report),
            on_user_error=self._on_user_error,
            on_error=lambda text: self.banner.show_message(text, "error"),
            busy_text=_("Preparing the report…"),
            parent=self,
        )

    def _on_report_done(self, key: str, report: TabularReport) -> None:
        self.reports[key] = report
        self.banner.clear_message()
        if key == self.current_key():
            self._show(report)

    def _on_user_error(self, exc: UserFacingError) -> None:
        if isinstance(exc, PermissionDenied) or not self.params.show_error(exc):
            self.banner.show_message(exc.message, "error")

    def shown_report(self) -> TabularReport | None:
        return self.model.report

    def _show(self, report: TabularReport | None) -> None:
        self.model.set_report(report)
        self.csv_button.setEnabled(report is not None)
        self.print_button.setEnabled(report is not None)
        if report is None:
            self.period_label.setText(_("Choose the options and press Run."))
            self.basis_label.hide()
            return
        self.period_label.setText(" · ".join([report.period, *report.filters]))
        self.basis_label.setText(
            _("How these figures are computed: {basis}").format(basis=report.basis)
        )
        self.basis_label.show()
        self._fit_columns(report)
        if not report.rows and report.empty_text:
            self.banner.show_message(report.empty_text, "info")

    def _fit_columns(self, report: TabularReport) -> None:
        self.table.clearSpans()
        for row in range(self.model.rowCount()):
            span = self.model.label_span(row)
            if span > 1:
                self.table.setSpan(row, 0, 1, span)
        header = self.table.horizontalHeader()
        header.setStretchLastSection(False)
        self.table.resizeColumnsToContents()
        # The widest column (the product or treatment name) takes the room left over.
        widest = max(range(len(report.columns)), key=lambda i: report.columns[i].weight)
        for index in range(len(report.columns)):
            mode = QHeaderView.ResizeMode.Interactive
            if index == widest:
                mode = QHeaderView.ResizeMode.Stretch
            header.setSectionResizeMode(index, mode)

    # -- files -----------------------------------------------------------------------------

    def save_csv(self) -> None:
        """Asks where to save the shown report as CSV, then saves it."""
        report = self.model.report
        if report is None:
            return
        suggested = _documents() / f"{file_stem(report.title, date.today())}.csv"
        path = save_csv_prompt(self, _("Save the report as CSV"), str(suggested))
        if path:
            self.save_csv_to(Path(path))

    def save_csv_to(self, path: Path) -> None:
        """Writes the shown report to `path` as CSV in the UI language's conventions."""
        report = self.model.report
        if report is None:
            return

        def write() -> Path:
            path.write_bytes(to_csv(report))
            return path

        self._ctx.runner.run(
            write,
            on_done=self._on_csv_saved,
            on_error=lambda text: self.banner.show_message(text, "error"),
            parent=self,
        )

    def _on_csv_saved(self, path: Path) -> None:
        self.saved_path = path
        self.banner.show_message(_("Saved as {name}.").format(name=path.name), "ok")

    def print_report(self) -> None:
        """The shown report as a PDF in the print preview (print, or save as PDF from there)."""
        report = self.model.report
        if report is None:
            return
        ctx = self._ctx
        ctx.runner.run(
            lambda: report_pdf(ctx.uow(), actor=ctx.actor, report=report),
            on_done=lambda pdf: self._on_pdf_done(report, pdf),
            on_error=lambda text: self.banner.show_message(text, "error"),
            busy_text=_("Preparing the PDF…"),
            parent=self,
        )

    def _on_pdf_done(self, report: TabularReport, pdf: bytes) -> None:
        self.last_pdf = pdf
        show_pdf_preview(self, pdf, report.title)

    # -- events ----------------------------------------------------------------------------

    def _on_bridge_inventory_changed(self, _event: object) -> None:
        self.refresh()
        if self.model.report is not None:
            self.banner.show_message(
                _(
                    "Stock or the catalogue changed after this report was run: run it again "
                    "to include the change."
                ),
                "warn",
            )
