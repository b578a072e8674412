"""What every reports screen shares (the inventory area's Reports tab, the billing area's
finance reports): the reports listed on the left; on the right the chosen report's parameters
card and Run button (a ui.widgets.report_params card the screen supplies), the period and
filters of the result, the table, how its figures are computed, and "Save CSV…" /
"Print / PDF…". Each report keeps its last result while another one is looked at. A screen
subclasses ReportsView with its list of reports and its card, and says when a shown report
may be out of date rather than re-running it by itself. Saving goes through
`save_csv_to(path)` and printing through `print_report()`, so tests drive both without modal
dialogs: the save-as prompt and the preview are reached through `ask_csv_path` and
`preview_pdf`, which each screen points at module functions of its own that tests replace."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from PySide6.QtCore import QRect, QSize, QStandardPaths, Qt
from PySide6.QtGui import QFont, QFontMetrics
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
from clinic_desktop.services.report_csv import to_csv
from clinic_desktop.services.report_table import TabularReport, report_pdf
from clinic_desktop.ui.context import UiContext
from clinic_desktop.ui.style import ACCENT_DARK, ACCENT_TINT, BORDER, SURFACE, set_role
from clinic_desktop.ui.widgets.print_preview import show_pdf_preview
from clinic_desktop.ui.widgets.report_params import ReportEntry, ReportParametersCard
from clinic_desktop.ui.widgets.report_table_model import ReportTableModel
from clinic_desktop.ui.widgets.screen_kit import MessageBanner, list_table

# The list's width and the box model of LIST_STYLE (and the item view's own text margin),
# which long titles are wrapped to.
LIST_WIDTH, LIST_BORDER, LIST_PADDING, ITEM_PADDING_X, TEXT_MARGIN = 250, 1, 6, 10, 4
LIST_STYLE = """
QListWidget#{name} {{
    background: {surface}; border: 1px solid {border}; border-radius: 10px; padding: 6px;
    outline: 0;
}}
QListWidget#{name}::item {{ padding: 9px 10px; border-radius: 6px; margin: 1px 0; }}
QListWidget#{name}::item:selected {{
    background: {tint}; color: {dark}; font-weight: 600;
}}
QListWidget#{name}::item:hover:!selected {{ background: #F0F3F5; }}
"""

# -- prompts and file names ---------------------------------------------------------------------


def save_csv_prompt(parent: QWidget, title: str, suggested: str) -> str:
    """The path chosen to save the CSV to, or "" if the user cancelled."""
    path, _selected = QFileDialog.getSaveFileName(parent, title, suggested, _("CSV files (*.csv)"))
    return path


def documents_folder() -> Path:
    folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(folder or Path.home())


def file_stem(title: str, day: date) -> str:
    """ "Valoración de existencias", 24 Nov 2026 -> "valoracion-de-existencias-2026-11-24"
    (no accents or spaces: the file travels by e-mail and USB stick)."""
    plain = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-") or "report"
    return f"{slug}-{day.isoformat()}"


class ReportsView(QWidget):
    """The list, the card, the result and its files; `create_parameters` makes the card."""

    def __init__(
        self,
        ctx: UiContext,
        *,
        specs: Sequence[ReportEntry],
        list_name: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._specs = tuple(specs)
        self.reports: dict[str, TabularReport] = {}
        self.last_pdf: bytes | None = None
        self.saved_path: Path | None = None

        self.report_list = QListWidget(self)
        self.report_list.setObjectName(list_name)
        self.report_list.setFixedWidth(LIST_WIDTH)
        self.report_list.setWordWrap(True)
        self.report_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.report_list.setStyleSheet(
            LIST_STYLE.format(
                name=list_name, surface=SURFACE, border=BORDER, tint=ACCENT_TINT, dark=ACCENT_DARK
            )
        )
        for spec in self._specs:
            item = QListWidgetItem(_(spec.title))
            item.setData(Qt.ItemDataRole.UserRole, spec.key)
            item.setToolTip(_(spec.summary))
            self.report_list.addItem(item)
        self._wrap_long_titles()
        self.report_list.currentRowChanged.connect(self._on_report_list_current_row_changed)

        self.params = self.create_parameters()
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
        self.report_list.setCurrentRow(0)

    def _wrap_long_titles(self) -> None:
        # A styled list sizes every item to one line and elides what does not fit; a title
        # too long for the list gets the height of its wrapped lines (bold, as when chosen).
        room = LIST_WIDTH - 2 * (LIST_BORDER + LIST_PADDING + ITEM_PADDING_X + TEXT_MARGIN)
        plain = self.report_list.fontMetrics()
        bold = QFont(self.report_list.font())
        bold.setWeight(QFont.Weight.DemiBold)
        for row in range(self.report_list.count()):
            item = self.report_list.item(row)
            if plain.horizontalAdvance(item.text()) <= room:
                continue
            wrapped = QFontMetrics(bold).boundingRect(
                QRect(0, 0, room, 1000), Qt.TextFlag.TextWordWrap, item.text()
            )
            item.setSizeHint(
                QSize(LIST_WIDTH - 2 * (LIST_BORDER + LIST_PADDING), wrapped.height() + 20)
            )

    # -- what a screen supplies ------------------------------------------------------------

    def create_parameters(self) -> ReportParametersCard:
        """The screen's parameters card, parented to this view."""
        raise NotImplementedError

    def ask_csv_path(self, title: str, suggested: str) -> str:
        """Where to save the CSV ("" = cancelled); screens route this to their own module
        function so tests can replace it there."""
        return save_csv_prompt(self, title, suggested)

    def preview_pdf(self, pdf: bytes, title: str) -> None:
        """Shows the PDF in the print preview; screens route it like `ask_csv_path`."""
        show_pdf_preview(self, pdf, title)

    # -- choosing a report -----------------------------------------------------------------

    def select_report(self, key: str) -> None:
        self.report_list.setCurrentRow(next(i for i, s in enumerate(self._specs) if s.key == key))

    def current_key(self) -> str:
        return self.params.spec.key

    def _on_report_list_current_row_changed(self, row: int) -> None:
        if row >= 0:
            self.params.set_spec(self._specs[row])
            self._show(self.reports.get(self._specs[row].key))

    def refuse(self, text: str) -> None:
        """Says why this user may not run the reports and keeps Run off."""
        self.params.run_button.setEnabled(False)
        self.banner.show_message(text, "warn")

    def mark_out_of_date(self, text: str) -> None:
        """Warns that a shown report no longer includes the latest changes."""
        if self.model.report is not None:
            self.banner.show_message(text, "warn")

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
        stretched = set(self.stretched_columns(report))
        for index in range(len(report.columns)):
            mode = QHeaderView.ResizeMode.Interactive
            if index in stretched:
                mode = QHeaderView.ResizeMode.Stretch
            header.setSectionResizeMode(index, mode)

    def stretched_columns(self, report: TabularReport) -> Sequence[int]:
        """The columns that share the room left over: the widest one (a product, treatment
        or practitioner name) unless a screen says otherwise."""
        return [max(range(len(report.columns)), key=lambda i: report.columns[i].weight)]

    # -- files -----------------------------------------------------------------------------

    def save_csv(self) -> None:
        """Asks where to save the shown report as CSV, then saves it."""
        report = self.model.report
        if report is None:
            return
        suggested = documents_folder() / f"{file_stem(report.title, date.today())}.csv"
        path = self.ask_csv_path(_("Save the report as CSV"), str(suggested))
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
        self.preview_pdf(pdf, report.title)
