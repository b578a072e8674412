"""The chart's summary tab: the standing clinical record of one patient at a glance. On the
left the medical history, one titled text per section with its "Edit" button (the
gyneco-obstetric section only when it applies: not for a patient recorded as male, unless
something was already written there); on the right the allergies, the current medications
and the problem list. Writing needs clinical.write (the buttons are hidden otherwise). The tab
reloads when this patient's record changes anywhere, including on another PC."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from clinic_desktop.events import ClinicalChanged, PatientsChanged
from clinic_desktop.i18n import _
from clinic_desktop.services.clinical_dto import (
    SECTION_LABELS,
    ClinicalSummaryDTO,
    HistorySectionDTO,
)
from clinic_desktop.services.clinical_history import get_clinical_summary
from clinic_desktop.services.patient_admin import PatientDTO, get_patient
from clinic_desktop.ui.chart import clinical_dialog_kit as kit
from clinic_desktop.ui.chart.clinical_dialog_kit import (
    Card,
    date_text,
    hint_label,
)
from clinic_desktop.ui.chart.clinical_dialogs import HistorySectionDialog
from clinic_desktop.ui.chart.summary_lists import AllergiesCard, MedicationsCard, ProblemsCard
from clinic_desktop.ui.context import UiContext
from clinic_desktop.ui.style import BORDER, MUTED, bold, set_role
from clinic_desktop.ui.widgets.screen_kit import MessageBanner

GYNECO = "gyneco_obstetric"
_OWN_CHANGES = {"history", "allergies", "medications", "problems"}


@dataclass(frozen=True)
class SummaryData:
    patient: PatientDTO
    summary: ClinicalSummaryDTO


def gyneco_applies(patient: PatientDTO | None, entry: HistorySectionDTO) -> bool:
    """Shown for women and for anyone whose sex is not recorded as male; never hidden once
    something was written there."""
    return bool(entry.text) or patient is None or (patient.sex or "") != "M"


class HistorySectionView(QWidget):
    """One history section: title, "Edit", the text (or "Not recorded") and who wrote it."""

    def __init__(self, section: str, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.section = section
        self.setObjectName(f"HistorySection_{section}")
        self.title_label = QLabel(title, self)
        bold(self.title_label)
        self.edit_button = QPushButton(_("Edit"), self)
        self.edit_button.setObjectName(f"EditHistory_{section}")
        set_role(self.edit_button, "link")
        self.edit_button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.text_label = QLabel(self)
        self.text_label.setObjectName(f"HistoryText_{section}")
        self.text_label.setWordWrap(True)
        self.text_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.text_label.setTextFormat(Qt.TextFormat.PlainText)
        self.meta_label = hint_label("", self, f"HistoryMeta_{section}")
        font = self.meta_label.font()
        font.setPointSizeF(font.pointSizeF() * 0.9)
        self.meta_label.setFont(font)
        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(self.title_label)
        top.addStretch(1)
        top.addWidget(self.edit_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 6)
        layout.setSpacing(3)
        layout.addLayout(top)
        layout.addWidget(self.text_label)
        layout.addWidget(self.meta_label)

    def show_entry(self, entry: HistorySectionDTO) -> None:
        if entry.text:
            self.text_label.setText(entry.text)
            self.text_label.setStyleSheet("")
        else:
            self.text_label.setText(_("Not recorded"))
            self.text_label.setStyleSheet(f"color: {MUTED}; font-style: italic;")
        meta = ""
        if entry.version and entry.updated_at:
            meta = _("{name} · {date}").format(
                name=entry.updated_by or "—", date=date_text(entry.updated_at.date())
            )
        self.meta_label.setText(meta)
        self.meta_label.setVisible(bool(meta))


class HistoryCard(Card):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("MedicalHistory", _("Medical history"), parent)
        self.sections: dict[str, HistorySectionView] = {}
        for number, (section, label) in enumerate(SECTION_LABELS.items()):
            if number:
                rule = QFrame(self)
                rule.setFrameShape(QFrame.Shape.HLine)
                rule.setStyleSheet(f"color: {BORDER};")
                rule.setObjectName(f"HistoryRule_{section}")
                self.body.addWidget(rule)
            view = HistorySectionView(section, _(label), self)
            self.sections[section] = view
            self.body.addWidget(view)
        self.body.addStretch(1)


class SummaryTab(QWidget):
    """The summary tab of one patient's chart; `refresh()` reloads it."""

    def __init__(
        self, ctx: UiContext, patient_id: uuid.UUID, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("SummaryTab")
        self._ctx = ctx
        self.patient_id = patient_id
        self.patient: PatientDTO | None = None
        self.summary: ClinicalSummaryDTO | None = None
        self.writable = ctx.can("clinical.write")
        self.last_dialog: Any = None

        self.banner = MessageBanner("SummaryMessage", self)
        self.show_past_check = QCheckBox(_("Show past entries"), self)
        self.show_past_check.setObjectName("ShowPastEntriesCheck")
        self.show_past_check.setToolTip(
            _("Inactive allergies, stopped medications, resolved problems and entries in error.")
        )
        self.show_past_check.toggled.connect(self._on_show_past_toggled)

        self.history = HistoryCard(self)
        for view in self.history.sections.values():
            view.edit_button.setVisible(self.writable)
            view.edit_button.clicked.connect(
                lambda _checked=False, s=view.section: self.edit_section(s)
            )
        self.allergies = AllergiesCard(ctx, self)
        self.medications = MedicationsCard(ctx, self)
        self.problems = ProblemsCard(ctx, self)
        self.cards = (self.allergies, self.medications, self.problems)
        for card in self.cards:
            card.failed.connect(lambda text: self.banner.show_message(text, "error"))

        history_scroll = QScrollArea(self)
        history_scroll.setObjectName("HistoryScroll")
        history_scroll.setWidgetResizable(True)
        history_scroll.setFrameShape(QFrame.Shape.NoFrame)
        history_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        history_scroll.setWidget(self.history)

        right = QVBoxLayout()
        right.setSpacing(12)
        right.addWidget(self.allergies, 3)
        right.addWidget(self.medications, 4)
        right.addWidget(self.problems, 4)
        columns = QHBoxLayout()
        columns.setSpacing(12)
        columns.addWidget(history_scroll, 5)
        columns.addLayout(right, 7)
        top = QHBoxLayout()
        top.addStretch(1)
        top.addWidget(self.show_past_check)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 12)
        layout.setSpacing(8)
        layout.addWidget(self.banner)
        layout.addLayout(top)
        layout.addLayout(columns, 1)

        ctx.bridge.clinical_changed.connect(self._on_bridge_clinical_changed)
        ctx.bridge.patients_changed.connect(self._on_bridge_patients_changed)
        self.refresh()

    # -- loading ---------------------------------------------------------------------------

    def refresh(self) -> None:
        ctx, patient_id = self._ctx, self.patient_id

        def load() -> SummaryData:
            return SummaryData(
                patient=get_patient(ctx.uow(), actor=ctx.actor, patient_id=patient_id),
                summary=get_clinical_summary(ctx.uow(), actor=ctx.actor, patient_id=patient_id),
            )

        ctx.runner.run(
            load,
            on_done=self._on_loaded,
            on_error=lambda text: self.banner.show_message(text, "error"),
            parent=self,
        )

    def _on_loaded(self, data: SummaryData) -> None:
        self.banner.clear_message()
        self.patient, self.summary = data.patient, data.summary
        for entry in data.summary.history:
            view = self.history.sections[entry.section]
            view.show_entry(entry)
            shown = entry.section != GYNECO or gyneco_applies(data.patient, entry)
            view.setVisible(shown)
            rule = self.history.findChild(QFrame, f"HistoryRule_{entry.section}")
            if rule is not None:
                rule.setVisible(shown)
        self.allergies.set_entries(self.patient_id, data.summary.allergies)
        self.medications.set_entries(self.patient_id, data.summary.medications)
        self.problems.set_entries(self.patient_id, data.summary.problems)

    def _on_show_past_toggled(self, show: bool) -> None:
        for card in self.cards:
            card.set_show_past(show)

    def _on_bridge_clinical_changed(self, event: ClinicalChanged) -> None:
        if event.patient_id == str(self.patient_id) and event.what in _OWN_CHANGES:
            self.refresh()

    def _on_bridge_patients_changed(self, event: PatientsChanged) -> None:
        if getattr(event, "patient_id", "") in ("", str(self.patient_id)):
            self.refresh()

    # -- history ---------------------------------------------------------------------------

    def visible_sections(self) -> list[str]:
        return [s for s, view in self.history.sections.items() if not view.isHidden()]

    def edit_section(self, section: str) -> None:
        if self.summary is None or not self.writable:
            return
        self.last_dialog = HistorySectionDialog(self._ctx, self.summary.section(section), self)
        kit.open_dialog(self.last_dialog)
