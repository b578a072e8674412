"""The chart's prescriptions tab: the patient's prescriptions newest first (date, prescriber,
medications, status; void ones greyed, never hidden), the selected one in full below, and
the actions: "New prescription" and "Void…" for doctors who may sign, and "Print", which
only asks (signal `print_requested` with the prescription id): the chart shell opens the
print preview. The note editor opens the dialog for its note with `new_prescription`."""

from __future__ import annotations

import uuid
from html import escape
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from clinic_desktop.events import ClinicalChanged
from clinic_desktop.i18n import _
from clinic_desktop.services.prescriptions import PrescriptionDTO, list_prescriptions
from clinic_desktop.ui.chart import clinical_dialog_kit as kit
from clinic_desktop.ui.chart.clinical_dialog_kit import (
    EntryTableModel,
    date_text,
    hint_label,
    small_button,
)
from clinic_desktop.ui.chart.prescription_dialog import PrescriptionDialog, VoidPrescriptionDialog
from clinic_desktop.ui.context import UiContext
from clinic_desktop.ui.style import DANGER, MUTED
from clinic_desktop.ui.widgets.screen_kit import (
    Column,
    MessageBanner,
    format_when,
    list_table,
    select_entry,
    selected_entry,
)


def _status_text(rx: PrescriptionDTO) -> str:
    return _("Void") if rx.is_void else _("Issued")


def _line_html(number: int, line: Any) -> str:
    parts = [line.dose, line.route, line.frequency, line.duration]
    detail = " — ".join(escape(p) for p in parts if p)
    text = f"<b>{number}. {escape(line.medication)}</b>"
    if detail:
        text += f" &nbsp;{detail}"
    if line.instructions:
        text += f"<br><span style='color:{MUTED}'>{escape(line.instructions)}</span>"
    return f"<p style='margin: 0 0 8px 0'>{text}</p>"


def prescription_html(rx: PrescriptionDTO, zone: str) -> str:
    """The selected prescription in full, as the detail pane shows it."""
    who = escape(rx.prescriber_name)
    if rx.prescriber_specialty:
        who += f" · {escape(rx.prescriber_specialty)}"
    html = [
        "<h3 style='margin: 0'>{}</h3>".format(
            escape(_("Prescription of {date}").format(date=date_text(rx.issued_on)))
        ),
        f"<p style='color:{MUTED}; margin: 2px 0 10px 0'>{who}</p>",
    ]
    if rx.is_void:
        html.append(
            f"<p style='color:{DANGER}; font-weight: 600'>"
            + escape(
                _("Void since {when}, by {name}. Reason: {reason}").format(
                    when=format_when(rx.voided_at, zone),
                    name=rx.voided_by or "—",
                    reason=rx.void_reason,
                )
            )
            + "</p>"
        )
    html.extend(_line_html(n, line) for n, line in enumerate(rx.lines, start=1))
    if rx.notes:
        html.append(
            "<p style='margin-top: 10px'><b>{}</b> {}</p>".format(
                escape(_("Notes:")), escape(rx.notes).replace("\n", "<br>")
            )
        )
    return "".join(html)


class PrescriptionsTab(QWidget):
    """One patient's prescriptions; `refresh()` reloads them."""

    print_requested = Signal(object)  # the prescription's uuid.UUID

    def __init__(
        self, ctx: UiContext, patient_id: uuid.UUID, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("PrescriptionsTab")
        self._ctx = ctx
        self.patient_id = patient_id
        self.can_sign = ctx.can("clinical.sign")
        self.last_dialog: Any = None
        self._select_after: uuid.UUID | None = None

        self.banner = MessageBanner("PrescriptionsMessage", self)
        self.new_button = small_button(
            _("New prescription…"), "NewPrescriptionButton", self, primary=True
        )
        self.new_button.clicked.connect(lambda: self.new_prescription())
        self.print_button = small_button(_("Print…"), "PrintPrescriptionButton", self)
        self.print_button.clicked.connect(self.print_selected)
        self.void_button = small_button(_("Void…"), "VoidPrescriptionButton", self)
        self.void_button.clicked.connect(self.void_selected)
        self.new_button.setVisible(self.can_sign)
        self.void_button.setVisible(self.can_sign)

        columns: list[Column[PrescriptionDTO]] = [
            Column(_("Date"), lambda rx: date_text(rx.issued_on)),
            Column(_("Prescriber"), lambda rx: rx.prescriber_name),
            Column(_("Medications"), lambda rx: rx.medications_summary),
            Column(
                _("Status"),
                _status_text,
                tooltip=lambda rx: rx.void_reason if rx.is_void else _status_text(rx),
            ),
        ]
        self.model: EntryTableModel[PrescriptionDTO] = EntryTableModel(
            columns, past=lambda rx: rx.is_void, in_error=lambda _rx: False, parent=self
        )
        self.table = list_table(self.model, "PrescriptionsTable", self)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.selectionModel().selectionChanged.connect(lambda *_a: self._on_selected())
        self.empty_label = hint_label(_("No prescriptions yet."), self, "PrescriptionsEmpty")
        self.detail = QTextBrowser(self)
        self.detail.setObjectName("PrescriptionDetail")
        self.detail.setOpenLinks(False)
        self.detail.setStyleSheet("QTextBrowser { background: white; padding: 8px; }")

        buttons = QHBoxLayout()
        buttons.addWidget(self.new_button)
        buttons.addStretch(1)
        buttons.addWidget(self.print_button)
        buttons.addWidget(self.void_button)
        top = QWidget(self)
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.addWidget(self.table, 1)
        top_layout.addWidget(self.empty_label)
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.setObjectName("PrescriptionsSplitter")
        splitter.addWidget(top)
        splitter.addWidget(self.detail)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 12)
        layout.setSpacing(8)
        layout.addWidget(self.banner)
        layout.addLayout(buttons)
        layout.addWidget(splitter, 1)

        ctx.bridge.clinical_changed.connect(self._on_bridge_clinical_changed)
        self._on_selected()
        self.refresh()

    # -- loading ---------------------------------------------------------------------------

    def refresh(self) -> None:
        ctx, patient_id = self._ctx, self.patient_id
        ctx.runner.run(
            lambda: list_prescriptions(ctx.uow(), actor=ctx.actor, patient_id=patient_id),
            on_done=self._on_loaded,
            on_error=lambda text: self.banner.show_message(text, "error"),
            parent=self,
        )

    def _on_loaded(self, rows: list[PrescriptionDTO]) -> None:
        current = self.selected()
        keep = self._select_after or (current.id if current else None)
        self._select_after = None
        self.model.set_rows(rows)
        self.table.setVisible(bool(rows))
        self.empty_label.setVisible(not rows)
        self.table.resizeColumnsToContents()
        if rows and not select_entry(self.table, self.model, keep):
            self.table.selectRow(0)
        self._on_selected()

    def prescriptions(self) -> list[PrescriptionDTO]:
        return self.model.rows()

    def selected(self) -> PrescriptionDTO | None:
        return selected_entry(self.table, self.model)

    def select(self, prescription_id: uuid.UUID) -> bool:
        """Selects a prescription; one not listed yet (the list is still loading, or it was
        just issued elsewhere) is selected when the list next arrives."""
        if select_entry(self.table, self.model, prescription_id):
            return True
        self._select_after = prescription_id
        return False

    def _on_selected(self) -> None:
        rx = self.selected()
        self.print_button.setEnabled(rx is not None)
        self.void_button.setEnabled(rx is not None and not rx.is_void)
        self.detail.setHtml(prescription_html(rx, self._ctx.clinic.timezone) if rx else "")
        self.detail.setVisible(rx is not None)

    def _on_bridge_clinical_changed(self, event: ClinicalChanged) -> None:
        if event.patient_id == str(self.patient_id) and event.what == "prescriptions":
            self.refresh()

    # -- actions ---------------------------------------------------------------------------

    def new_prescription(self, encounter_id: uuid.UUID | None = None) -> None:
        """Opens the prescription dialog (for the note `encounter_id`, when given)."""
        if not self.can_sign:
            return
        dialog = PrescriptionDialog(self._ctx, self.patient_id, encounter_id, self)
        dialog.saved.connect(self._on_issued)
        self.last_dialog = dialog
        kit.open_dialog(dialog)

    def _on_issued(self, rx: PrescriptionDTO) -> None:
        self._select_after = rx.id
        self.banner.show_message(_("Prescription issued."), "ok")

    def void_selected(self) -> None:
        rx = self.selected()
        if rx is None or rx.is_void or not self.can_sign:
            return
        dialog = VoidPrescriptionDialog(self._ctx, rx, self)
        dialog.saved.connect(lambda _rx: self.banner.show_message(_("Prescription voided."), "ok"))
        self.last_dialog = dialog
        kit.open_dialog(dialog)

    def print_selected(self) -> None:
        rx = self.selected()
        if rx is not None:
            self.print_requested.emit(rx.id)
