"""A patient's chart: a header with the photo, name, chart and ID numbers, age, payer and the
allergy banner, then tabs. Everyone with agenda.view gets the appointments; the clinical tabs
(summary, notes, prescriptions, documents, timeline) exist only for clinical.read, so
reception never receives clinical content. Tabs are built the first time they are shown:
opening a chart costs one tab's query, and each clinical tab's audit entry says what was
really looked at. Printing goes through the print preview; the owner exports the record."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from clinic_desktop.i18n import _
from clinic_desktop.services.clinical_print import encounter_pdf, history_pdf, prescription_pdf
from clinic_desktop.services.labels import sex_label
from clinic_desktop.services.patient_admin import PatientDTO, get_patient
from clinic_desktop.services.patient_photo import get_patient_photo
from clinic_desktop.services.timeline import TimelineKind
from clinic_desktop.ui.billing import invoice_actions
from clinic_desktop.ui.chart.allergy_banner import AllergyBanner
from clinic_desktop.ui.chart.appointments_tab import AppointmentsTab
from clinic_desktop.ui.chart.documents_tab import DocumentsTab
from clinic_desktop.ui.chart.notes_tab import NotesTab
from clinic_desktop.ui.chart.prescriptions_tab import PrescriptionsTab
from clinic_desktop.ui.chart.summary_tab import SummaryTab
from clinic_desktop.ui.chart.timeline_tab import TimelineTab
from clinic_desktop.ui.context import UiContext
from clinic_desktop.ui.patients.labels import ID_TYPE_LABELS, age_on
from clinic_desktop.ui.widgets.screen_kit import MessageBanner

PHOTO_SIZE = 72


class ChartView(QWidget):
    back_requested = Signal()
    edit_requested = Signal(object)  # the patient id: open the demographics editor

    def __init__(
        self, ctx: UiContext, patient_id: uuid.UUID, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("ChartView")
        self._ctx = ctx
        self.patient_id = patient_id
        self.patient: PatientDTO | None = None
        self.clinical = ctx.can("clinical.read")

        self.back_button = QPushButton(_("← Patients"), self)
        self.back_button.setObjectName("ChartBackButton")
        self.back_button.clicked.connect(self.back_requested.emit)
        self.photo_label = QLabel(self)
        self.photo_label.setObjectName("ChartPhoto")
        self.photo_label.setFixedSize(PHOTO_SIZE, PHOTO_SIZE)
        self.photo_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.photo_label.setStyleSheet(
            "QLabel#ChartPhoto { background: #E2E8F0; border-radius: 8px; color: #475569;"
            " font-size: 22px; font-weight: 600; }"
        )
        self.name_label = QLabel(self)
        self.name_label.setObjectName("ChartPatientName")
        self.name_label.setStyleSheet("font-size: 20px; font-weight: 600;")
        self.facts_label = QLabel(self)
        self.facts_label.setObjectName("ChartPatientFacts")
        self.facts_label.setStyleSheet("color: #475569;")
        self.edit_button = QPushButton(_("Patient details"), self)
        self.edit_button.setObjectName("ChartEditButton")
        self.edit_button.clicked.connect(lambda: self.edit_requested.emit(self.patient_id))
        self.print_button = QPushButton(_("Print history…"), self)
        self.print_button.setObjectName("ChartPrintHistoryButton")
        self.print_button.clicked.connect(self.print_history)
        self.print_button.setVisible(self.clinical)
        self.export_button = QPushButton(_("Export record…"), self)
        self.export_button.setObjectName("ChartExportButton")
        self.export_button.clicked.connect(self.export_record)
        self.export_button.setVisible(ctx.can("patients.export"))
        self.banner = MessageBanner("ChartMessage", self)
        self.allergy_banner = AllergyBanner(ctx, self, show_empty=True)
        self.allergy_banner.setVisible(self.clinical)

        names = QVBoxLayout()
        names.setSpacing(2)
        names.addWidget(self.name_label)
        names.addWidget(self.facts_label)
        header = QHBoxLayout()
        header.addWidget(self.back_button, 0, Qt.AlignmentFlag.AlignTop)
        header.addSpacing(8)
        header.addWidget(self.photo_label)
        header.addSpacing(8)
        header.addLayout(names, 1)
        for button in (self.edit_button, self.print_button, self.export_button):
            header.addWidget(button, 0, Qt.AlignmentFlag.AlignTop)

        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("ChartTabs")
        self._factories: list[Callable[[], QWidget]] = []
        self._built: dict[int, QWidget] = {}
        if self.clinical:
            self._add_tab(_("Summary"), self._make_summary)
            self._add_tab(_("Notes"), self._make_notes)
            self._add_tab(_("Prescriptions"), self._make_prescriptions)
            self._add_tab(_("Documents"), self._make_documents)
            self._add_tab(_("Timeline"), self._make_timeline)
        if ctx.can("agenda.view"):
            self._add_tab(_("Appointments"), lambda: AppointmentsTab(ctx, patient_id, self))
        self.tabs.currentChanged.connect(self._build_tab)

        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addWidget(self.banner)
        layout.addWidget(self.allergy_banner)
        layout.addWidget(self.tabs, 1)

        ctx.bridge.patients_changed.connect(self._on_bridge_patients_changed)
        self._load_patient()
        if self.clinical:
            self.allergy_banner.show_for(patient_id)
        self._build_tab(self.tabs.currentIndex())

    # -- tabs ------------------------------------------------------------------------------

    def _add_tab(self, title: str, factory: Callable[[], QWidget]) -> None:
        holder = QWidget(self.tabs)
        QVBoxLayout(holder).setContentsMargins(0, 0, 0, 0)
        self._factories.append(factory)
        self.tabs.addTab(holder, title)

    def _build_tab(self, index: int) -> QWidget | None:
        if index < 0 or index >= len(self._factories):
            return None
        if index not in self._built:
            widget = self._factories[index]()
            holder = self.tabs.widget(index)
            layout = holder.layout() if holder is not None else None
            assert layout is not None
            layout.addWidget(widget)
            self._built[index] = widget
        return self._built[index]

    def _show_tab(self, name: str) -> QWidget | None:
        for index in range(self.tabs.count()):
            built = self._build_tab(index)
            if built is not None and built.objectName() == name:
                self.tabs.setCurrentIndex(index)
                return built
        return None

    def tab(self, name: str) -> QWidget | None:
        """The tab widget with that object name, built if needed (None if not allowed)."""
        for index in range(self.tabs.count()):
            if index in self._built and self._built[index].objectName() == name:
                return self._built[index]
        return self._show_tab(name)

    def tab_titles(self) -> list[str]:
        return [self.tabs.tabText(i) for i in range(self.tabs.count())]

    def _make_summary(self) -> QWidget:
        return SummaryTab(self._ctx, self.patient_id, self)

    def _make_notes(self) -> QWidget:
        notes = NotesTab(self._ctx, self.patient_id, self)
        notes.print_requested.connect(self.print_note)
        notes.prescribe_requested.connect(self.prescribe)
        return notes

    def _make_prescriptions(self) -> QWidget:
        tab = PrescriptionsTab(self._ctx, self.patient_id, self)
        tab.print_requested.connect(self.print_prescription)
        return tab

    def _make_documents(self) -> QWidget:
        tab = DocumentsTab(self._ctx, self.patient_id, self)
        tab.refresh()  # the tab waits to be asked; being shown is the ask
        return tab

    def _make_timeline(self) -> QWidget:
        timeline = TimelineTab(self._ctx, self.patient_id, self)
        timeline.open_requested.connect(self.open_record)
        return timeline

    # -- navigation ------------------------------------------------------------------------

    def open_note(self, encounter_id: uuid.UUID) -> None:
        notes = self._show_tab("NotesTab")
        if isinstance(notes, NotesTab):
            notes.open_encounter(encounter_id)

    def prescribe(self, encounter_id: uuid.UUID | None) -> None:
        tab = self._show_tab("PrescriptionsTab")
        if isinstance(tab, PrescriptionsTab):
            tab.new_prescription(encounter_id)

    def open_record(self, kind: TimelineKind, record_id: uuid.UUID) -> None:
        if kind is TimelineKind.NOTE:
            self.open_note(record_id)
        elif kind is TimelineKind.PRESCRIPTION:
            tab = self._show_tab("PrescriptionsTab")
            if isinstance(tab, PrescriptionsTab):
                tab.select(record_id)
        elif kind is TimelineKind.DOCUMENT:
            tab = self._show_tab("DocumentsTab")
            if isinstance(tab, DocumentsTab):
                tab.select(record_id)
        elif kind in (TimelineKind.INVOICE, TimelineKind.CREDIT_NOTE):
            # Opens read-only when issued; a draft opens editable for billing.manage.
            self.invoice_dialog = invoice_actions.open_editor(self._ctx, self, invoice_id=record_id)
        else:
            self._show_tab("ChartAppointmentsTab")

    # -- header ----------------------------------------------------------------------------

    def _load_patient(self) -> None:
        ctx = self._ctx

        def run() -> tuple[PatientDTO, bytes | None]:
            patient = get_patient(ctx.uow(), actor=ctx.actor, patient_id=self.patient_id)
            photo = get_patient_photo(ctx.uow(), actor=ctx.actor, patient_id=self.patient_id)
            return patient, photo

        ctx.runner.run(run, on_done=self._show_patient, on_error=self._show_error, parent=self)

    def _show_patient(self, loaded: tuple[PatientDTO, bytes | None]) -> None:
        patient, photo = loaded
        self.patient = patient
        self.name_label.setText(patient.full_name)
        facts = [_("Chart {number}").format(number=patient.chart_number)]
        if patient.id_number:
            kind = ID_TYPE_LABELS.get(patient.id_type)
            facts.append(f"{_(kind) if kind else _('ID')} {patient.id_number}")
        if patient.birth_date:
            years = age_on(patient.birth_date, date.today())
            facts.append(_("{years} years").format(years=years))
        if patient.sex:
            facts.append(sex_label(patient.sex))
        if patient.payer:
            facts.append(patient.payer)
        phone = patient.mobile_phone or patient.phone
        if phone:
            facts.append(phone)
        if patient.archived_at is not None:
            facts.append(_("Archived"))
        self.facts_label.setText("  ·  ".join(facts))
        pixmap = QPixmap()
        if photo and pixmap.loadFromData(photo):
            self.photo_label.setPixmap(
                pixmap.scaled(
                    PHOTO_SIZE,
                    PHOTO_SIZE,
                    Qt.AspectRatioMode.KeepAspectRatioByExpanding,
                    Qt.TransformationMode.SmoothTransformation,
                )
            )
        else:
            initials = "".join(
                w[0] for w in (patient.first_names.split()[:1] + patient.last_names.split()[:1])
            )
            self.photo_label.setPixmap(QPixmap())
            self.photo_label.setText(initials.upper())

    def _show_error(self, message: str) -> None:
        self.banner.show_message(message, "error")

    def _on_bridge_patients_changed(self, event: object) -> None:
        if getattr(event, "patient_id", "") in ("", str(self.patient_id)):
            self._load_patient()

    # -- printing and export ---------------------------------------------------------------

    def _preview(self, make: Callable[[], bytes], title: str) -> None:
        from clinic_desktop.ui.widgets.print_preview import show_pdf_preview

        self._ctx.runner.run(
            make,
            on_done=lambda pdf: show_pdf_preview(self, pdf, title),
            on_error=self._show_error,
            busy_text=_("Preparing the document…"),
            parent=self,
        )

    def print_history(self) -> None:
        ctx = self._ctx
        self._preview(
            lambda: history_pdf(ctx.uow(), actor=ctx.actor, patient_id=self.patient_id),
            _("Clinical history"),
        )

    def print_note(self, encounter_id: uuid.UUID) -> None:
        ctx = self._ctx
        self._preview(
            lambda: encounter_pdf(ctx.uow(), actor=ctx.actor, encounter_id=encounter_id),
            _("Clinical note"),
        )

    def print_prescription(self, prescription_id: uuid.UUID) -> None:
        ctx = self._ctx
        self._preview(
            lambda: prescription_pdf(ctx.uow(), actor=ctx.actor, prescription_id=prescription_id),
            _("Prescription"),
        )

    def export_record(self) -> None:
        from clinic_desktop.ui.patients.export_action import export_patient_record

        export_patient_record(self._ctx, self, self.patient_id)
