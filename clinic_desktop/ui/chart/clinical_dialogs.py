"""The summary tab's dialogs: one history section's text, an allergy, a medication and a
problem (new or edited, with the version they were loaded at), and the small date question
asked when a medication is stopped or a problem resolved. Each saves through its service and
closes only when it was accepted; a refusal shows under the field it names."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date

from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

from clinic_desktop.i18n import _
from clinic_desktop.services.clinical_dto import (
    COMMON_ROUTES,
    HISTORY_TEXT_LIMIT,
    SEVERITY_LABELS,
    AllergyDTO,
    AllergyForm,
    HistorySectionDTO,
    MedicationDTO,
    MedicationForm,
    ProblemDTO,
    ProblemForm,
)
from clinic_desktop.services.clinical_history import save_history_section
from clinic_desktop.services.clinical_lists import (
    add_allergy,
    add_medication,
    add_problem,
    update_allergy,
    update_medication,
    update_problem,
)
from clinic_desktop.ui.chart.clinical_dialog_kit import (
    FormDialog,
    OptionalDateField,
    date_text,
    hint_label,
)
from clinic_desktop.ui.context import UiContext
from clinic_desktop.ui.style import MUTED


def _line(name: str, parent: QWidget, max_length: int, placeholder: str = "") -> QLineEdit:
    edit = QLineEdit(parent)
    edit.setObjectName(name)
    edit.setMaxLength(max_length)
    edit.setPlaceholderText(placeholder)
    return edit


def route_combo(name: str, parent: QWidget | None) -> QComboBox:
    """An editable combo offering the common routes; anything else may be typed."""
    combo = QComboBox(parent)
    combo.setObjectName(name)
    combo.setEditable(True)
    combo.addItem("")
    for route in COMMON_ROUTES:
        combo.addItem(_(route))
    combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
    return combo


class HistorySectionDialog(FormDialog):
    """Edits one section of the medical history as free text."""

    def __init__(
        self, ctx: UiContext, entry: HistorySectionDTO, parent: QWidget | None = None
    ) -> None:
        who = (
            _("Last changed by {name} on {date}.").format(
                name=entry.updated_by or "—",
                date=date_text(entry.updated_at.date() if entry.updated_at else None),
            )
            if entry.version
            else _("Not recorded yet.")
        )
        super().__init__(
            ctx,
            name="HistorySectionDialog",
            title=entry.label,
            save_text=_("Save"),
            parent=parent,
            subtitle=who,
            width=640,
        )
        self.entry = entry
        self.text_edit = QPlainTextEdit(self)
        self.text_edit.setObjectName("HistoryTextEdit")
        self.text_edit.setPlainText(entry.text)
        self.text_edit.setMinimumHeight(260)
        self.text_edit.setPlaceholderText(_("Write one item per line, e.g. “Asthma since 2010”."))
        self.count_label = QLabel(self)
        self.count_label.setObjectName("HistoryCountLabel")
        self.count_label.setStyleSheet(f"color: {MUTED};")
        self.text_edit.textChanged.connect(self._update_count)
        self.extra.addWidget(self.text_edit)
        self.extra.addWidget(self.count_label)
        self.errors.add("text", self.general_error, self.text_edit)
        self._update_count()
        self.grow_extra()
        self.finish_layout()
        self.resize(self.width(), 460)

    def _update_count(self) -> None:
        length = len(self.text_edit.toPlainText())
        self.count_label.setText(
            _("{count} of {limit} characters").format(count=length, limit=HISTORY_TEXT_LIMIT)
        )

    def service_call(self) -> Callable[[], object]:
        ctx, entry, text = self._ctx, self.entry, self.text_edit.toPlainText()
        return lambda: save_history_section(
            ctx.uow(),
            actor=ctx.actor,
            patient_id=entry.patient_id,
            section=entry.section,
            text=text,
            expected_version=entry.version,
        )


class AllergyDialog(FormDialog):
    def __init__(
        self,
        ctx: UiContext,
        patient_id: uuid.UUID,
        allergy: AllergyDTO | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(
            ctx,
            name="AllergyDialog",
            title=_("New allergy") if allergy is None else _("Edit allergy"),
            save_text=_("Save"),
            parent=parent,
        )
        self.patient_id = patient_id
        self.allergy = allergy
        self.substance_edit = _line(
            "AllergySubstanceEdit", self, 200, _("e.g. Penicillin, latex, peanuts")
        )
        self.reaction_edit = _line(
            "AllergyReactionEdit", self, 300, _("e.g. Anaphylaxis, hives, rash")
        )
        self.severity_combo = QComboBox(self)
        self.severity_combo.setObjectName("AllergySeverityCombo")
        for code, label in SEVERITY_LABELS.items():
            self.severity_combo.addItem(_(label), code)
        self.noted_field = OptionalDateField("AllergyNotedOn", self, known=False, today=self.today)
        self.note_edit = _line("AllergyNoteEdit", self, 500)
        self.add_row(_("Substance"), "substance", self.substance_edit)
        self.add_row(_("Reaction"), "reaction", self.reaction_edit)
        self.add_row(_("Severity"), "severity", self.severity_combo)
        self.add_row(_("Noted on"), "noted_on", self.noted_field, self.noted_field.date_edit)
        self.add_row(_("Note"), "note", self.note_edit)
        if allergy is not None:
            self.substance_edit.setText(allergy.substance)
            self.reaction_edit.setText(allergy.reaction)
            self.severity_combo.setCurrentIndex(self.severity_combo.findData(allergy.severity))
        else:
            self.severity_combo.setCurrentIndex(self.severity_combo.findData("moderate"))
        self.noted_field.set_value(allergy.noted_on if allergy else None)
        self.note_edit.setText(allergy.note if allergy else "")
        self.finish_layout()

    def form_values(self) -> AllergyForm:
        return AllergyForm(
            substance=self.substance_edit.text(),
            reaction=self.reaction_edit.text(),
            severity=str(self.severity_combo.currentData()),
            noted_on=self.noted_field.value(),
            note=self.note_edit.text(),
        )

    def service_call(self) -> Callable[[], object]:
        ctx, form, allergy = self._ctx, self.form_values(), self.allergy
        patient_id = self.patient_id
        if allergy is None:
            return lambda: add_allergy(ctx.uow(), actor=ctx.actor, patient_id=patient_id, form=form)
        return lambda: update_allergy(
            ctx.uow(),
            actor=ctx.actor,
            allergy_id=allergy.id,
            expected_version=allergy.version,
            form=form,
        )


class MedicationDialog(FormDialog):
    def __init__(
        self,
        ctx: UiContext,
        patient_id: uuid.UUID,
        medication: MedicationDTO | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(
            ctx,
            name="MedicationDialog",
            title=_("New medication") if medication is None else _("Edit medication"),
            subtitle=_("A medication the patient takes, prescribed here or elsewhere."),
            save_text=_("Save"),
            parent=parent,
        )
        self.patient_id = patient_id
        self.medication = medication
        m = medication
        self.name_edit = _line("MedicationNameEdit", self, 200, _("e.g. Enalapril 10 mg tablets"))
        self.dose_edit = _line("MedicationDoseEdit", self, 120, _("e.g. 1 tablet"))
        self.route_combo = route_combo("MedicationRouteCombo", self)
        self.route_combo.setMinimumWidth(220)
        self.frequency_edit = _line("MedicationFrequencyEdit", self, 120, _("e.g. every 12 hours"))
        self.started_field = OptionalDateField(
            "MedicationStartedOn", self, known=False, today=self.today
        )
        self.note_edit = _line("MedicationNoteEdit", self, 500)
        self.add_row(_("Medication"), "name", self.name_edit)
        self.add_row(_("Dose"), "dose", self.dose_edit)
        self.add_row(_("Route"), "route", self.route_combo)
        self.add_row(_("Frequency"), "frequency", self.frequency_edit)
        self.add_row(
            _("Started on"), "started_on", self.started_field, self.started_field.date_edit
        )
        self.add_row(_("Note"), "note", self.note_edit)
        self.name_edit.setText(m.name if m else "")
        self.dose_edit.setText(m.dose if m else "")
        self.route_combo.setCurrentText(m.route if m else "")
        self.frequency_edit.setText(m.frequency if m else "")
        self.started_field.set_value(m.started_on if m else None)
        self.note_edit.setText(m.note if m else "")
        self.finish_layout()

    def form_values(self) -> MedicationForm:
        return MedicationForm(
            name=self.name_edit.text(),
            dose=self.dose_edit.text(),
            route=self.route_combo.currentText(),
            frequency=self.frequency_edit.text(),
            started_on=self.started_field.value(),
            note=self.note_edit.text(),
        )

    def service_call(self) -> Callable[[], object]:
        ctx, form, medication = self._ctx, self.form_values(), self.medication
        patient_id = self.patient_id
        if medication is None:
            return lambda: add_medication(
                ctx.uow(), actor=ctx.actor, patient_id=patient_id, form=form
            )
        return lambda: update_medication(
            ctx.uow(),
            actor=ctx.actor,
            medication_id=medication.id,
            expected_version=medication.version,
            form=form,
        )


class ProblemDialog(FormDialog):
    def __init__(
        self,
        ctx: UiContext,
        patient_id: uuid.UUID,
        problem: ProblemDTO | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(
            ctx,
            name="ProblemDialog",
            title=_("New problem") if problem is None else _("Edit problem"),
            save_text=_("Save"),
            parent=parent,
        )
        self.patient_id = patient_id
        self.problem = problem
        p = problem
        self.description_edit = _line(
            "ProblemDescriptionEdit", self, 300, _("e.g. Type 2 diabetes mellitus")
        )
        self.icd10_edit = _line("ProblemIcd10Edit", self, 10, "E11.9")
        self.icd10_edit.setFixedWidth(140)
        icd_hint = hint_label(_("Optional, e.g. J45.9, K02.1 or E11."), self)
        icd_hint.setWordWrap(False)
        icd_box = QWidget(self)
        icd_row = QHBoxLayout(icd_box)
        icd_row.setContentsMargins(0, 0, 0, 0)
        icd_row.addWidget(self.icd10_edit)
        icd_row.addWidget(icd_hint, 1)
        self.onset_field = OptionalDateField("ProblemOnsetOn", self, known=False, today=self.today)
        self.note_edit = _line("ProblemNoteEdit", self, 500)
        self.add_row(_("Description"), "description", self.description_edit)
        self.add_row(_("ICD-10 code"), "icd10", icd_box, self.icd10_edit)
        self.add_row(_("Onset"), "onset_on", self.onset_field, self.onset_field.date_edit)
        self.add_row(_("Note"), "note", self.note_edit)
        self.description_edit.setText(p.description if p else "")
        self.icd10_edit.setText(p.icd10 if p else "")
        self.onset_field.set_value(p.onset_on if p else None)
        self.note_edit.setText(p.note if p else "")
        self.finish_layout()

    def form_values(self) -> ProblemForm:
        return ProblemForm(
            description=self.description_edit.text(),
            icd10=self.icd10_edit.text(),
            onset_on=self.onset_field.value(),
            note=self.note_edit.text(),
        )

    def service_call(self) -> Callable[[], object]:
        ctx, form, problem = self._ctx, self.form_values(), self.problem
        patient_id = self.patient_id
        if problem is None:
            return lambda: add_problem(ctx.uow(), actor=ctx.actor, patient_id=patient_id, form=form)
        return lambda: update_problem(
            ctx.uow(),
            actor=ctx.actor,
            problem_id=problem.id,
            expected_version=problem.version,
            form=form,
        )


class DateActionDialog(FormDialog):
    """Asks for one date (today by default) and runs `action(day)`: stopping a medication,
    resolving a problem. `field` is the service's field name for the date."""

    def __init__(
        self,
        ctx: UiContext,
        *,
        name: str,
        title: str,
        text: str,
        label: str,
        field: str,
        ok_text: str,
        action: Callable[[date], object],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(
            ctx, name=name, title=title, save_text=ok_text, parent=parent, subtitle=text
        )
        self._action = action
        self.date_field = OptionalDateField(f"{name}Date", self, known=True, today=self.today)
        self.date_field.unknown_check.hide()
        self.add_row(label, field, self.date_field, self.date_field.date_edit)
        self.finish_layout()

    def service_call(self) -> Callable[[], object]:
        day, action = self.date_field.value(), self._action
        assert day is not None
        return lambda: action(day)
