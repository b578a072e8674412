"""The patients screen (patients.read): a search box that finds patients as one types (by name
in any order and without caring about accents, ID number, phone or chart number), the results
table, a switch to look at archived patients instead, and the patient editor on the right for
the one selected or a new one. Without a search the list comes a page at a time ("Show 200
more" under it, each page starting where the last one ended, so the thousandth page costs what
the first does) with how many patients there are in all. Anonymised patients show as such, in
grey. Refreshes itself whenever any patient changes, keeping the pages already shown."""

from __future__ import annotations

import uuid

from PySide6.QtCore import QItemSelection, Qt, QTimer
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from clinic_desktop.i18n import _, ngettext
from clinic_desktop.services.patient_admin import (
    PatientDTO,
    PatientPageKey,
    get_patient,
    list_patients,
)
from clinic_desktop.services.patients import search_patients
from clinic_desktop.services.retention import anonymised_among
from clinic_desktop.ui.chart.page import ChartView
from clinic_desktop.ui.context import UiContext
from clinic_desktop.ui.patients.editor import PatientEditor
from clinic_desktop.ui.patients.rows import (
    ListPage,
    PatientRow,
    PatientTableModel,
    birth_text,
    name_text,
    number_text,
)
from clinic_desktop.ui.widgets.screen_kit import Column, MessageBanner, list_table

SEARCH_DELAY_MS = 200
PAGE_SIZE = 200


class PatientsPage(QWidget):
    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.setObjectName("PatientsPage")
        self.setWindowTitle(self.title())

        self.banner = MessageBanner("PatientsMessage", self)
        self.search_edit = QLineEdit(self)
        self.search_edit.setObjectName("PatientsSearchEdit")
        self.search_edit.setPlaceholderText(_("Name, ID number, phone or chart number"))
        self.search_edit.setClearButtonEnabled(True)
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.refresh)
        self.search_edit.textChanged.connect(lambda _text: self._search_timer.start())
        self.archived_check = QCheckBox(_("Show archived"), self)
        self.archived_check.setObjectName("ShowArchivedCheck")
        self.archived_check.toggled.connect(lambda _on: self.refresh())
        self.new_button = QPushButton(_("New patient"), self)
        self.new_button.setObjectName("NewPatientButton")
        self.new_button.clicked.connect(self.new_patient)
        self.new_button.setVisible(ctx.can("patients.write"))
        self.chart_button = QPushButton(_("Open chart"), self)
        self.chart_button.setObjectName("OpenChartButton")
        self.chart_button.setEnabled(False)
        self.chart_button.clicked.connect(self._on_chart_clicked)
        self.account_button = QPushButton(_("Account…"), self)
        self.account_button.setObjectName("PatientAccountButton")
        self.account_button.setToolTip(_("Open the patient's invoices, payments and balance"))
        self.account_button.setEnabled(False)
        self.account_button.setVisible(ctx.can("billing.manage") or ctx.can("reports.finance"))
        self.account_button.clicked.connect(self._on_account_clicked)
        self.account_dialog: QWidget | None = None
        self.count_label = QLabel(self)
        self.count_label.setObjectName("PatientsCountLabel")
        self.more_button = QPushButton(self)
        self.more_button.setObjectName("LoadMorePatientsButton")
        self.more_button.clicked.connect(self.load_more)
        self.more_button.hide()
        # The plain list as loaded so far: archived or not, how many in all, the next page.
        self._listing: tuple[bool, int, PatientPageKey | None] | None = None

        self.model = PatientTableModel(
            [
                Column(_("Chart"), lambda r: str(r.chart_number), align_right=True),
                Column(_("Name"), name_text),
                Column(_("ID"), lambda r: r.id_number or "—"),
                Column(_("Phone"), lambda r: r.phone or "—"),
                Column(_("Birth date"), birth_text),
            ],
            self,
        )
        self.table = list_table(self.model, "PatientsTable", self)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        self.table.selectionModel().selectionChanged.connect(self._on_selection_changed)
        self.table.doubleClicked.connect(lambda _index: self._on_chart_clicked())

        top = QHBoxLayout()
        top.addWidget(self.search_edit, 1)
        top.addWidget(self.chart_button)
        top.addWidget(self.account_button)
        top.addWidget(self.new_button)
        under = QHBoxLayout()
        under.addWidget(self.archived_check)
        under.addStretch(1)
        footer = QHBoxLayout()
        footer.addWidget(self.count_label, 1)
        footer.addWidget(self.more_button)
        left = QWidget(self)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addLayout(top)
        left_layout.addLayout(under)
        left_layout.addWidget(self.banner)
        left_layout.addWidget(self.table, 1)
        left_layout.addLayout(footer)

        self.editor = PatientEditor(ctx, self)
        self.editor.saved.connect(self._on_editor_saved)
        scroll = QScrollArea(self)
        scroll.setObjectName("PatientEditorScroll")
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.editor)
        self.placeholder = QLabel(_("Choose a patient, or create a new one."), self)
        self.placeholder.setObjectName("PatientsPlaceholder")
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.right = QStackedWidget(self)
        self.right.addWidget(self.placeholder)
        self.right.addWidget(scroll)

        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(left)
        splitter.addWidget(self.right)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([620, 700])
        # The list with the editor, or one patient's chart in place of both.
        self.stack = QStackedWidget(self)
        self.stack.setObjectName("PatientsStack")
        self.stack.addWidget(splitter)
        self.chart: ChartView | None = None
        layout = QVBoxLayout(self)
        layout.addWidget(self.stack)

        ctx.bridge.patients_changed.connect(self._on_bridge_patients_changed)

    def title(self) -> str:
        return _("Patients")

    # -- data ------------------------------------------------------------------------------

    def refresh(self, *, keep_loaded: bool = False) -> None:
        """Runs the search in the box now (the box itself waits for a pause in typing). With
        `keep_loaded` (a patient changed), the list reloads as many rows as it shows."""
        self._search_timer.stop()
        ctx = self._ctx
        text = self.search_edit.text().strip()
        archived = self.archived_check.isChecked()
        limit = PAGE_SIZE
        if keep_loaded and self._listing is not None and self._listing[0] == archived:
            limit = max(PAGE_SIZE, self.model.rowCount())

        def run() -> ListPage:
            if not text:
                patients, total = list_patients(
                    ctx.uow(), actor=ctx.actor, archived=archived, limit=limit
                )
                return ListPage(
                    [PatientRow.of(p) for p in patients],
                    total,
                    PatientPageKey.after(patients[-1]) if patients else None,
                )
            hits = search_patients(ctx.uow(), actor=ctx.actor, text=text, archived=archived)
            # Only archived patients can be anonymised; a plain search needs no second look.
            hidden = (
                anonymised_among(ctx.uow(), actor=ctx.actor, patient_ids=[h.id for h in hits])
                if archived
                else frozenset()
            )
            return ListPage(
                [
                    PatientRow(
                        h.id,
                        h.chart_number,
                        h.full_name,
                        h.id_number,
                        h.phone,
                        h.birth_date,
                        h.id in hidden,
                    )
                    for h in hits
                ]
            )

        ctx.runner.run(
            run,
            on_done=lambda page: self._on_rows(page, archived if not text else None),
            on_error=self._show_error,
            parent=self,
        )

    def _on_rows(self, page: ListPage, listing_archived: bool | None) -> None:
        keep = self.editor.patient.id if self.editor.patient else None
        self.model.set_rows(page.rows)
        self.table.resizeColumnsToContents()
        if listing_archived is not None and page.total is not None:
            self._listing = (listing_archived, page.total, page.next_key)
        else:
            self._listing = None
        self._show_count()
        if keep is not None:
            self.select_patient(keep)

    def load_more(self) -> None:
        """Appends the next page of the plain list."""
        listing = self._listing
        if listing is None:
            return
        archived, _total, after = listing
        ctx = self._ctx

        def run() -> ListPage:
            patients, total = list_patients(
                ctx.uow(), actor=ctx.actor, archived=archived, limit=PAGE_SIZE, after=after
            )
            return ListPage(
                [PatientRow.of(p) for p in patients],
                total,
                PatientPageKey.after(patients[-1]) if patients else after,
            )

        self.more_button.setEnabled(False)
        ctx.runner.run(
            run,
            on_done=lambda page: self._on_more(page, listing),
            on_error=self._show_error,
            parent=self,
        )

    def _on_more(self, page: ListPage, asked: tuple[bool, int, PatientPageKey | None]) -> None:
        self.more_button.setEnabled(True)
        if self._listing != asked:
            return  # a search or a refresh replaced the list meanwhile
        self.model.append_rows(page.rows)
        self.table.resizeColumnToContents(1)  # longer names may have come
        assert page.total is not None
        self._listing = (asked[0], page.total, page.next_key)
        self._show_count()

    def _show_count(self) -> None:
        shown = self.model.rowCount()
        listing = self._listing
        if listing is None:
            self.count_label.setText(
                ngettext("{count} patient found", "{count} patients found", shown).format(
                    count=number_text(shown)
                )
            )
            self.more_button.hide()
            return
        archived, total, _after = listing
        text = (
            ngettext(
                "Showing {shown} of {total} archived patient",
                "Showing {shown} of {total} archived patients",
                total,
            )
            if archived
            else ngettext(
                "Showing {shown} of {total} patient", "Showing {shown} of {total} patients", total
            )
        )
        self.count_label.setText(text.format(shown=number_text(shown), total=number_text(total)))
        left = total - shown
        self.more_button.setVisible(left > 0)
        self.more_button.setText(
            _("Show {count} more").format(count=number_text(min(left, PAGE_SIZE)))
        )

    def _show_error(self, message: str) -> None:
        self.banner.show_message(message, "error")

    def _on_bridge_patients_changed(self, _event: object) -> None:
        self.refresh(keep_loaded=True)

    # -- selection -------------------------------------------------------------------------

    def rows(self) -> list[PatientRow]:
        return self.model.rows()

    def selected_row(self) -> PatientRow | None:
        selected = self.table.selectionModel().selectedRows()
        return self.model.row_at(selected[0].row()) if selected else None

    def select_patient(self, patient_id: uuid.UUID) -> bool:
        for row, item in enumerate(self.model.rows()):
            if item.id == patient_id:
                self.table.selectRow(row)
                return True
        return False

    def _on_selection_changed(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        row = self.selected_row()
        self.chart_button.setEnabled(row is not None)
        self.account_button.setEnabled(row is not None)
        current = self.editor.patient
        if row is None or (current is not None and current.id == row.id):
            return  # a refresh reselected the patient on screen: keep what is typed
        ctx = self._ctx
        self.banner.clear_message()
        ctx.runner.run(
            lambda: get_patient(ctx.uow(), actor=ctx.actor, patient_id=row.id),
            on_done=self._show_patient,
            on_error=self._show_error,
            parent=self,
        )

    def _show_patient(self, patient: PatientDTO) -> None:
        self.editor.load(patient)
        self.right.setCurrentIndex(1)

    def new_patient(self) -> None:
        self.table.clearSelection()
        self.editor.load(None)
        self.right.setCurrentIndex(1)
        self.editor.first_names_edit.setFocus()

    def _on_editor_saved(self, patient: PatientDTO) -> None:
        self.refresh(keep_loaded=True)
        self.select_patient(patient.id)

    def _on_account_clicked(self) -> None:
        row = self.selected_row()
        if row is not None:
            from clinic_desktop.ui.billing.account_dialog import open_patient_account

            self.account_dialog = open_patient_account(self._ctx, row.id, self)

    # -- chart -----------------------------------------------------------------------------

    def _on_chart_clicked(self) -> None:
        row = self.selected_row()
        if row is not None:
            self.open_chart(row.id)

    def open_chart(self, patient_id: uuid.UUID, encounter_id: uuid.UUID | None = None) -> None:
        """Shows the patient's chart in place of the list (at a note, when given)."""
        if self.chart is None or self.chart.patient_id != patient_id:
            if self.chart is not None:
                self.stack.removeWidget(self.chart)
                self.chart.deleteLater()
            self.chart = ChartView(self._ctx, patient_id, self)
            self.chart.back_requested.connect(self.close_chart)
            self.chart.edit_requested.connect(self._on_chart_edit_requested)
            self.stack.addWidget(self.chart)
        self.stack.setCurrentWidget(self.chart)
        if encounter_id is not None:
            self.chart.open_note(encounter_id)

    def close_chart(self) -> None:
        self.stack.setCurrentIndex(0)

    def _on_chart_edit_requested(self, patient_id: uuid.UUID) -> None:
        self.close_chart()
        if not self.select_patient(patient_id):
            ctx = self._ctx
            ctx.runner.run(
                lambda: get_patient(ctx.uow(), actor=ctx.actor, patient_id=patient_id),
                on_done=self._show_patient,
                on_error=self._show_error,
                parent=self,
            )
