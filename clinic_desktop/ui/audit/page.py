"""The audit trail screen (audit.read): filters by user, action, record type, dates and free
text; a paged table, newest first; the full changes of the selected entry; and a button that
re-checks the whole hash chain and names the first bad entry if any was tampered with."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from PySide6.QtCore import QDate, QItemSelection, Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from clinic_desktop.i18n import _
from clinic_desktop.services.audit import (
    AuditFilter,
    audit_filter_choices,
    list_audit_entries,
    verify_audit_chain,
)
from clinic_desktop.services.dto import AuditEntryDTO, AuditVerification
from clinic_desktop.ui.audit.changes import (
    action_label,
    change_lines,
    entity_label,
    record_label,
    summarize,
)
from clinic_desktop.ui.context import UiContext
from clinic_desktop.ui.style import set_role
from clinic_desktop.ui.widgets.screen_kit import Column, ListTableModel, MessageBanner, format_when

PAGE_SIZE = 200


class AuditPage(QWidget):
    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._zone = ctx.clinic.timezone  # times are shown in the clinic's zone
        self._offset = 0
        self.total = 0
        self.setObjectName("AuditPage")
        self.setWindowTitle(self.title())

        self.user_combo = self._combo("AuditUserCombo", _("All users"))
        self.action_combo = self._combo("AuditActionCombo", _("All actions"))
        self.entity_combo = self._combo("AuditEntityCombo", _("All records"))
        self.since_check, self.since_edit = self._date("AuditSince", _("From"), days_back=30)
        self.until_check, self.until_edit = self._date("AuditUntil", _("To"), days_back=0)
        self.text_edit = QLineEdit(self)
        self.text_edit.setObjectName("AuditTextEdit")
        self.text_edit.setPlaceholderText(_("Search in changes or record ID"))
        self.text_edit.setClearButtonEnabled(True)
        # Wait for a pause in typing rather than querying on every key.
        self._text_timer = QTimer(self)
        self._text_timer.setSingleShot(True)
        self._text_timer.setInterval(350)
        self._text_timer.timeout.connect(self._on_filters_changed)
        self.text_edit.textChanged.connect(self._text_timer.start)
        self.clear_button = QPushButton(_("Clear filters"), self)
        self.clear_button.setObjectName("AuditClearButton")
        self.clear_button.clicked.connect(self._on_clear_clicked)
        self.verify_button = QPushButton(_("Verify chain"), self)
        self.verify_button.setObjectName("VerifyChainButton")
        self.verify_button.setToolTip(
            _("Recomputes every entry's fingerprint to prove nothing was altered or removed.")
        )
        self.verify_button.clicked.connect(self._on_verify_clicked)

        filters = QGridLayout()
        filters.addWidget(QLabel(_("User")), 0, 0)
        filters.addWidget(self.user_combo, 0, 1)
        filters.addWidget(QLabel(_("Action")), 0, 2)
        filters.addWidget(self.action_combo, 0, 3)
        filters.addWidget(QLabel(_("Record")), 0, 4)
        filters.addWidget(self.entity_combo, 0, 5)
        filters.addWidget(self.since_check, 1, 0)
        filters.addWidget(self.since_edit, 1, 1)
        filters.addWidget(self.until_check, 1, 2)
        filters.addWidget(self.until_edit, 1, 3)
        filters.addWidget(self.text_edit, 1, 4, 1, 2)
        for column in (1, 3, 5):
            filters.setColumnStretch(column, 1)
        buttons = QVBoxLayout()
        buttons.addWidget(self.clear_button)
        buttons.addWidget(self.verify_button)
        top = QHBoxLayout()
        top.addLayout(filters, 1)
        top.addLayout(buttons)

        self.banner = MessageBanner("AuditMessage", self)
        self.model: ListTableModel[AuditEntryDTO] = ListTableModel(
            [
                Column("#", lambda e: str(e.seq), align_right=True),
                Column(_("Time"), lambda e: format_when(e.at, self._zone)),
                Column(_("User"), lambda e: e.user_name),
                Column(_("PC"), lambda e: e.workstation),
                Column(_("Action"), lambda e: action_label(e.action)),
                Column(_("Record"), lambda e: entity_label(e.entity)),
                Column(_("ID"), lambda e: record_label(e.entity, e.entity_id)),
                Column(_("Changes"), lambda e: summarize(e.changes, self._zone)),
            ],
            self,
        )
        self.table = QTableView(self)
        self.table.setObjectName("AuditTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.selectionModel().selectionChanged.connect(self._on_selection_changed)

        self.details = QPlainTextEdit(self)
        self.details.setObjectName("AuditDetails")
        self.details.setReadOnly(True)
        self.details.setPlaceholderText(_("Select an entry to see everything it recorded."))
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(self.table)
        splitter.addWidget(self.details)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)

        self.page_label = QLabel(self)
        self.page_label.setObjectName("AuditPageLabel")
        set_role(self.page_label, "hint")
        self.previous_button = QPushButton(_("‹ Newer"), self)
        self.previous_button.setObjectName("AuditNewerButton")
        self.previous_button.clicked.connect(self._on_previous_clicked)
        self.next_button = QPushButton(_("Older ›"), self)
        self.next_button.setObjectName("AuditOlderButton")
        self.next_button.clicked.connect(self._on_next_clicked)
        pager = QHBoxLayout()
        pager.addWidget(self.page_label, 1)
        pager.addWidget(self.previous_button)
        pager.addWidget(self.next_button)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.banner)
        layout.addWidget(splitter, 1)
        layout.addLayout(pager)

        for combo in (self.user_combo, self.action_combo, self.entity_combo):
            combo.currentIndexChanged.connect(self._on_filters_changed)
        for check in (self.since_check, self.until_check):
            check.toggled.connect(self._on_filters_changed)
        for edit in (self.since_edit, self.until_edit):
            edit.dateChanged.connect(self._on_filters_changed)

    def title(self) -> str:
        return _("Audit trail")

    def _combo(self, name: str, everything: str) -> QComboBox:
        combo = QComboBox(self)
        combo.setObjectName(name)
        combo.addItem(everything, None)
        combo.setMinimumContentsLength(12)
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        return combo

    def _date(self, name: str, label: str, *, days_back: int) -> tuple[QCheckBox, QDateEdit]:
        check = QCheckBox(label, self)
        check.setObjectName(f"{name}Check")
        edit = QDateEdit(QDate.currentDate().addDays(-days_back), self)
        edit.setObjectName(f"{name}Edit")
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("dd/MM/yyyy")
        edit.setEnabled(False)
        check.toggled.connect(edit.setEnabled)
        return check, edit

    # -- data ------------------------------------------------------------------------------

    def current_filter(self) -> AuditFilter:
        zone = ZoneInfo(self._zone)

        def start_of(day: QDate) -> datetime:
            local = datetime.combine(
                date(day.year(), day.month(), day.day()), time.min, tzinfo=zone
            )
            return local.astimezone(UTC)

        since = start_of(self.since_edit.date()) if self.since_check.isChecked() else None
        until = None
        if self.until_check.isChecked():
            # "To 14 March" includes the whole of that day in the clinic's time zone.
            until = start_of(self.until_edit.date()) + timedelta(days=1)
        return AuditFilter(
            user_name=self.user_combo.currentData(),
            action=self.action_combo.currentData(),
            entity=self.entity_combo.currentData(),
            since=since,
            until=until,
            text=self.text_edit.text().strip() or None,
        )

    def refresh(self) -> None:
        """Reloads the drop-down choices and the current page."""
        ctx = self._ctx
        ctx.runner.run(
            lambda: audit_filter_choices(ctx.uow(), actor=ctx.actor),
            on_done=self._on_choices_done,
            on_error=self._show_error,
            parent=self,
        )
        self._load()

    def _on_choices_done(self, choices: dict[str, list[str]]) -> None:
        fill = (
            (self.user_combo, choices["users"], str),
            (self.action_combo, choices["actions"], action_label),
            (self.entity_combo, choices["entities"], entity_label),
        )
        for combo, values, label in fill:
            chosen = combo.currentData()
            combo.blockSignals(True)
            while combo.count() > 1:
                combo.removeItem(1)
            for value in sorted(values, key=lambda v, lb=label: lb(v).lower()):  # type: ignore[misc]
                combo.addItem(label(value), value)
            combo.setCurrentIndex(max(combo.findData(chosen), 0) if chosen else 0)
            combo.blockSignals(False)

    def _load(self) -> None:
        ctx, flt, offset = self._ctx, self.current_filter(), self._offset
        ctx.runner.run(
            lambda: list_audit_entries(
                ctx.uow(), actor=ctx.actor, flt=flt, limit=PAGE_SIZE, offset=offset
            ),
            on_done=self._on_entries_done,
            on_error=self._show_error,
            parent=self,
        )

    def _on_entries_done(self, result: tuple[list[AuditEntryDTO], int]) -> None:
        entries, self.total = result
        self.model.set_rows(entries)
        self.details.clear()
        if entries:
            self.table.resizeColumnsToContents()
            for column in range(self.model.columnCount() - 1):
                self.table.setColumnWidth(column, min(self.table.columnWidth(column), 220))
        first = self._offset + 1 if entries else 0
        self.page_label.setText(
            _("Entries {first}–{last} of {total}").format(
                first=first, last=self._offset + len(entries), total=self.total
            )
        )
        self.previous_button.setEnabled(self._offset > 0)
        self.next_button.setEnabled(self._offset + len(entries) < self.total)

    def _show_error(self, message: str) -> None:
        self.banner.show_message(message, "error")

    def _on_filters_changed(self, *_args: object) -> None:
        self._offset = 0
        self._load()

    def _on_clear_clicked(self) -> None:
        for widget in (self.user_combo, self.action_combo, self.entity_combo):
            widget.blockSignals(True)
            widget.setCurrentIndex(0)
            widget.blockSignals(False)
        for check in (self.since_check, self.until_check):
            check.blockSignals(True)
            check.setChecked(False)
            check.blockSignals(False)
        self.since_edit.setEnabled(False)
        self.until_edit.setEnabled(False)
        self.text_edit.blockSignals(True)
        self.text_edit.clear()
        self.text_edit.blockSignals(False)
        self._on_filters_changed()

    def _on_previous_clicked(self) -> None:
        self._offset = max(self._offset - PAGE_SIZE, 0)
        self._load()

    def _on_next_clicked(self) -> None:
        self._offset += PAGE_SIZE
        self._load()

    def _on_selection_changed(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        rows = self.table.selectionModel().selectedRows()
        entry = self.model.row_at(rows[0].row()) if rows else None
        if entry is None:
            self.details.clear()
            return
        header = [
            _("Entry {seq} · {time}").format(seq=entry.seq, time=format_when(entry.at, self._zone)),
            _("{user} on {pc}").format(user=entry.user_name, pc=entry.workstation),
            f"{action_label(entry.action)} · {entity_label(entry.entity)} "
            f"{record_label(entry.entity, entry.entity_id)}".rstrip(),
            "",
        ]
        self.details.setPlainText("\n".join(header + change_lines(entry.changes, zone=self._zone)))

    # -- verification ----------------------------------------------------------------------

    def _on_verify_clicked(self) -> None:
        ctx = self._ctx
        self.banner.clear_message()
        ctx.runner.run(
            lambda: verify_audit_chain(ctx.uow(), actor=ctx.actor),
            on_done=self._on_verify_done,
            on_error=self._show_error,
            busy_text=_("Checking the audit trail…"),
            parent=self,
        )

    def _on_verify_done(self, result: AuditVerification) -> None:
        if result.ok:
            self.banner.show_message(
                _("The audit trail is intact: {count} entries checked.").format(
                    count=result.checked
                ),
                "ok",
            )
        else:
            self.banner.show_message(
                _(
                    "The audit trail was tampered with. First bad entry: {seq} ({reason}). "
                    "Keep this PC as it is and tell the clinic owner."
                ).format(seq=result.first_bad_seq, reason=result.reason),
                "error",
            )
