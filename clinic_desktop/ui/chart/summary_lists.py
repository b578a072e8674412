"""The three list cards of the chart's summary tab: allergies (severity as a coloured badge),
current medications and the problem list (with ICD-10 codes). Each card is a table with its
buttons under it (hidden without clinical.write), acting on the selected entry: edit, the
status changes that entry allows (inactive / active, stop, resolve / reopen) and "entered in
error", which asks first because it is final. Past entries are hidden unless asked for."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from datetime import date

from PySide6.QtWidgets import QWidget

from clinic_desktop.i18n import _
from clinic_desktop.services.clinical_dto import (
    ALLERGY_STATUS_LABELS,
    MEDICATION_STATUS_LABELS,
    PROBLEM_STATUS_LABELS,
    AllergyDTO,
    MedicationDTO,
    ProblemDTO,
)
from clinic_desktop.services.clinical_lists import (
    mark_medication_entered_in_error,
    set_allergy_status,
    set_problem_status,
    stop_medication,
)
from clinic_desktop.ui.chart.clinical_dialog_kit import (
    SeverityBadgeDelegate,
    date_text,
    label_text,
    severity_text,
)
from clinic_desktop.ui.chart.clinical_dialogs import (
    AllergyDialog,
    DateActionDialog,
    MedicationDialog,
    ProblemDialog,
)
from clinic_desktop.ui.chart.summary_list_card import IN_ERROR, ListCard
from clinic_desktop.ui.context import UiContext
from clinic_desktop.ui.widgets.screen_kit import Column


def _allergy_status_call(ctx: UiContext, entry: AllergyDTO, status: str) -> Callable[[], object]:
    return lambda: set_allergy_status(
        ctx.uow(),
        actor=ctx.actor,
        allergy_id=entry.id,
        status=status,
        expected_version=entry.version,
    )


class AllergiesCard(ListCard[AllergyDTO]):
    dialog_class = AllergyDialog

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        columns: list[Column[AllergyDTO]] = [
            Column(_("Substance"), lambda a: a.substance),
            Column(_("Reaction"), lambda a: a.reaction or "—"),
            Column(_("Severity"), lambda a: severity_text(a.severity)),
            Column(_("Status"), lambda a: label_text(ALLERGY_STATUS_LABELS, a.status)),
            Column(_("Noted on"), lambda a: date_text(a.noted_on)),
        ]
        super().__init__(
            ctx,
            name="Allergies",
            title=_("Allergies"),
            empty_text=_("No allergies recorded."),
            columns=columns,
            past=lambda a: a.status == "inactive",
            parent=parent,
        )
        self.badges = SeverityBadgeDelegate(
            lambda a: a.severity, lambda a: a.status != "active", self.table
        )
        self.table.setItemDelegateForColumn(2, self.badges)
        self.active_button = self.button(
            _("Mark inactive"), "AllergyActiveButton", self.toggle_active
        )
        self.finish_buttons(_("Entered in error…"))

    def set_entries(self, patient_id: uuid.UUID, entries: Sequence[AllergyDTO]) -> None:
        super().set_entries(patient_id, entries)
        self.table.setColumnWidth(2, max(self.table.columnWidth(2), self.badges.width_for(entries)))

    def update_status_buttons(self, entry: AllergyDTO | None) -> None:
        inactive = entry is not None and entry.status == "inactive"
        self.active_button.setText(_("Mark active") if inactive else _("Mark inactive"))
        self.active_button.setEnabled(entry is not None and entry.status != IN_ERROR)

    def toggle_active(self) -> None:
        entry = self.selected_live()
        if entry is not None:
            status = "active" if entry.status == "inactive" else "inactive"
            self.run_change(_allergy_status_call(self._ctx, entry, status))

    def describe(self, entry: AllergyDTO) -> str:
        return entry.substance

    def entered_in_error_call(self, entry: AllergyDTO) -> Callable[[], object]:
        return _allergy_status_call(self._ctx, entry, IN_ERROR)


def _medication_status(m: MedicationDTO) -> str:
    if m.status == "stopped" and m.stopped_on:
        return _("Stopped on {date}").format(date=date_text(m.stopped_on))
    return label_text(MEDICATION_STATUS_LABELS, m.status)


class MedicationsCard(ListCard[MedicationDTO]):
    dialog_class = MedicationDialog

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        columns: list[Column[MedicationDTO]] = [
            Column(_("Medication"), lambda m: m.name),
            Column(_("Dose"), lambda m: m.dose or "—"),
            Column(_("Route"), lambda m: m.route or "—"),
            Column(_("Frequency"), lambda m: m.frequency or "—"),
            Column(_("Since"), lambda m: date_text(m.started_on)),
            Column(_("Status"), _medication_status),
        ]
        super().__init__(
            ctx,
            name="Medications",
            title=_("Current medications"),
            empty_text=_("No current medications recorded."),
            columns=columns,
            past=lambda m: m.status == "stopped",
            parent=parent,
        )
        self.stop_button = self.button(_("Stop…"), "StopMedicationButton", self.stop_selected)
        self.finish_buttons(_("Entered in error…"))

    def update_status_buttons(self, entry: MedicationDTO | None) -> None:
        self.stop_button.setEnabled(entry is not None and entry.status == "active")

    def stop_selected(self) -> None:
        entry = self.selected_with("active")
        if entry is None:
            return
        ctx = self._ctx

        def stop(day: date) -> object:
            return stop_medication(
                ctx.uow(),
                actor=ctx.actor,
                medication_id=entry.id,
                stopped_on=day,
                expected_version=entry.version,
            )

        dialog = DateActionDialog(
            ctx,
            name="StopMedicationDialog",
            title=_("Stop medication"),
            text=_("{name} will be kept in the record as stopped.").format(name=entry.name),
            label=_("Stopped on"),
            field="stopped_on",
            ok_text=_("Stop medication"),
            action=stop,
            parent=self,
        )
        self.show_dialog(dialog)

    def describe(self, entry: MedicationDTO) -> str:
        return entry.name

    def entered_in_error_call(self, entry: MedicationDTO) -> Callable[[], object]:
        ctx = self._ctx
        return lambda: mark_medication_entered_in_error(
            ctx.uow(), actor=ctx.actor, medication_id=entry.id, expected_version=entry.version
        )


def _problem_status(p: ProblemDTO) -> str:
    if p.status == "resolved" and p.resolved_on:
        return _("Resolved on {date}").format(date=date_text(p.resolved_on))
    return label_text(PROBLEM_STATUS_LABELS, p.status)


def _problem_status_call(
    ctx: UiContext, entry: ProblemDTO, status: str, resolved_on: date | None = None
) -> Callable[[], object]:
    return lambda: set_problem_status(
        ctx.uow(),
        actor=ctx.actor,
        problem_id=entry.id,
        status=status,
        resolved_on=resolved_on,
        expected_version=entry.version,
    )


class ProblemsCard(ListCard[ProblemDTO]):
    dialog_class = ProblemDialog

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        columns: list[Column[ProblemDTO]] = [
            Column(
                _("Problem"), lambda p: p.description, tooltip=lambda p: p.note or p.description
            ),
            Column(_("ICD-10"), lambda p: p.icd10 or "—"),
            Column(_("Onset"), lambda p: date_text(p.onset_on)),
            Column(_("Status"), _problem_status),
        ]
        super().__init__(
            ctx,
            name="Problems",
            title=_("Problem list"),
            empty_text=_("No problems recorded."),
            columns=columns,
            past=lambda p: p.status == "resolved",
            parent=parent,
        )
        self.resolve_button = self.button(
            _("Resolve…"), "ResolveProblemButton", self.resolve_selected
        )
        self.reopen_button = self.button(_("Reopen"), "ReopenProblemButton", self.reopen_selected)
        self.finish_buttons(_("Entered in error…"))

    def update_status_buttons(self, entry: ProblemDTO | None) -> None:
        self.resolve_button.setEnabled(entry is not None and entry.status == "active")
        self.reopen_button.setEnabled(entry is not None and entry.status == "resolved")

    def resolve_selected(self) -> None:
        entry = self.selected_with("active")
        if entry is None:
            return
        ctx = self._ctx
        dialog = DateActionDialog(
            ctx,
            name="ResolveProblemDialog",
            title=_("Resolve problem"),
            text=_("{name} will move to the past problems.").format(name=entry.description),
            label=_("Resolved on"),
            field="resolved_on",
            ok_text=_("Resolve"),
            action=lambda day: _problem_status_call(ctx, entry, "resolved", day)(),
            parent=self,
        )
        self.show_dialog(dialog)

    def reopen_selected(self) -> None:
        entry = self.selected_with("resolved")
        if entry is not None:
            self.run_change(_problem_status_call(self._ctx, entry, "active"))

    def describe(self, entry: ProblemDTO) -> str:
        return entry.description

    def entered_in_error_call(self, entry: ProblemDTO) -> Callable[[], object]:
        return _problem_status_call(self._ctx, entry, IN_ERROR)
