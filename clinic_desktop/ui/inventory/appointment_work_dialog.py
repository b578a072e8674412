"""Treatments and products of one appointment, opened from the agenda's appointment menu or
the chart: the treatments planned and done (a visit of a type with a usual treatment shows it
planned), the products used by each and the extras, with the controls to plan a treatment,
note an extra product, complete (a step that shows the quantities to take from stock, each
editable) and undo a completion with a reason. Without agenda.book or clinical.write, or on a
cancelled or missed visit, it only shows. Every step is a public method, so tests drive it
without a modal loop; `open_appointment_work` is the entry point other screens call."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QLabel,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from clinic_desktop.errors import UserFacingError
from clinic_desktop.i18n import _
from clinic_desktop.services.agenda_labels import status_label
from clinic_desktop.services.appointment_treatments import (
    AppointmentWorkDTO,
    CompletionPreviewDTO,
    CompletionResultDTO,
    UsageDTO,
    WorkTreatmentDTO,
    add_extra_product,
    add_planned_treatment,
    appointment_work,
    complete_treatments,
    preview_completion,
    remove_extra_product,
    remove_planned_treatment,
    undo_completion,
)
from clinic_desktop.services.treatments import (
    ProductChoiceDTO,
    TreatmentDTO,
    list_product_choices,
    list_treatments,
)
from clinic_desktop.ui.agenda.dialog_kit import clock_text, day_text, local, zone_of
from clinic_desktop.ui.context import UiContext
from clinic_desktop.ui.inventory.appointment_work_overview import WorkOverview
from clinic_desktop.ui.inventory.appointment_work_pages import CompletionPage, UndoPage
from clinic_desktop.ui.inventory.treatment_kit import (
    spin_decimal,
)
from clinic_desktop.ui.style import bold, set_role
from clinic_desktop.ui.widgets.screen_kit import MessageBanner

USAGE_STATES = {
    "pending": lambda: _("To take with the completion"),
    "consumed": lambda: _("Taken from stock"),
    "reversed": lambda: _("Undone"),
}


def open_appointment_work(ctx: UiContext, appointment_id: uuid.UUID, parent: QWidget) -> None:
    """Opens the dialog window-modally without blocking; it deletes itself when closed."""
    dialog = AppointmentWorkDialog(ctx, appointment_id, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()


class AppointmentWorkDialog(QDialog):
    def __init__(self, ctx: UiContext, appointment_id: uuid.UUID, parent: QWidget | None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._zone = zone_of(ctx)
        self._currency = ctx.clinic.currency
        self.appointment_id = appointment_id
        self.work: AppointmentWorkDTO | None = None
        self.completion_result: CompletionResultDTO | None = None
        self.setObjectName("AppointmentWorkDialog")
        self.setWindowTitle(_("Treatments and products used"))
        self.heading = QLabel(_("Treatments and products used"), self)
        self.heading.setObjectName("AppointmentWorkHeading")
        bold(self.heading, 14)
        self.subtitle = QLabel(self)
        self.subtitle.setObjectName("AppointmentWorkSubtitle")
        set_role(self.subtitle, "hint")
        self.banner = MessageBanner("AppointmentWorkMessage", self)

        self.stack = QStackedWidget(self)
        self.overview = WorkOverview(self._zone, self._currency, self.stack)
        overview = self.overview
        overview.add_treatment_button.clicked.connect(self._on_add_treatment_clicked)
        overview.remove_treatment_button.clicked.connect(self._on_remove_treatment_clicked)
        overview.add_product_button.clicked.connect(self._on_add_product_clicked)
        overview.remove_product_button.clicked.connect(self._on_remove_product_clicked)
        overview.undo_button.clicked.connect(self.start_undo)
        overview.close_button.clicked.connect(self.accept)
        overview.complete_button.clicked.connect(self.start_completion)
        self.completion = CompletionPage(self.stack)
        self.undo_page = UndoPage(self.stack)
        for page in (self.overview, self.completion, self.undo_page):
            self.stack.addWidget(page)
        self.completion.back.connect(self.show_overview)
        self.completion.confirmed.connect(self.confirm_completion)
        self.undo_page.back.connect(self.show_overview)
        self.undo_page.confirmed.connect(self.confirm_undo)

        layout = QVBoxLayout(self)
        layout.setSpacing(8)
        layout.addWidget(self.heading)
        layout.addWidget(self.subtitle)
        layout.addWidget(self.banner)
        layout.addWidget(self.stack, 1)
        self.resize(980, 720)
        self._load_choices()
        self.reload()

    # -- loading ---------------------------------------------------------------------------

    def _run(
        self,
        fn: Callable[[], Any],
        done: Callable[[Any], None],
        user_error: Callable[[UserFacingError], None] | None = None,
    ) -> None:
        self._ctx.runner.run(
            fn,
            on_done=done,
            on_error=lambda text: self.banner.show_message(text, "error"),
            on_user_error=user_error
            or (lambda error: self.banner.show_message(error.message, "error")),
            parent=self,
        )

    def reload(self) -> None:
        ctx = self._ctx
        self._run(
            lambda: appointment_work(
                ctx.uow(), actor=ctx.actor, appointment_id=self.appointment_id
            ),
            self.show_work,
        )

    def _load_choices(self) -> None:
        ctx = self._ctx

        def load() -> tuple[list[TreatmentDTO], list[ProductChoiceDTO]]:
            return (
                list_treatments(ctx.uow(), actor=ctx.actor),
                list_product_choices(ctx.uow(), actor=ctx.actor),
            )

        self._run(load, self._on_choices_loaded)

    def _on_choices_loaded(self, result: tuple[list[TreatmentDTO], list[ProductChoiceDTO]]) -> None:
        self.overview.set_choices(*result)

    def show_work(self, work: AppointmentWorkDTO) -> None:
        self.work = work
        start = local(work.start_at, self._zone)
        parts = [
            work.patient_name,
            _("{day} at {time}").format(
                day=day_text(start.date()), time=clock_text(work.start_at, self._zone)
            ),
            work.practitioner_name,
            work.type_name,
            status_label(work.status),
        ]
        self.subtitle.setText(" · ".join(p for p in parts if p))
        self.overview.show_work(work)
        if work.status == "cancelled":
            self.banner.show_message(
                _("This appointment was cancelled: no treatment can be recorded on it."), "info"
            )
        elif work.closed:
            self.banner.show_message(
                _(
                    "The patient did not come to this appointment: no treatment can be recorded "
                    "on it."
                ),
                "info",
            )
        self.show_overview()

    def show_overview(self) -> None:
        self.stack.setCurrentWidget(self.overview)

    # -- planning --------------------------------------------------------------------------

    def add_treatment(self, treatment_id: uuid.UUID, times: int = 1) -> None:
        ctx = self._ctx
        self.overview.treatment_error.clear_message()
        self._run(
            lambda: add_planned_treatment(
                ctx.uow(),
                actor=ctx.actor,
                appointment_id=self.appointment_id,
                treatment_id=treatment_id,
                quantity=times,
            ),
            self._after_edit,
            lambda error: self.overview.treatment_error.show_error(error.message),
        )

    def _on_add_treatment_clicked(self) -> None:
        chosen = (
            self.overview.treatment_combo.current_id() or self.overview.treatment_combo.only_match()
        )
        if chosen is None:
            self.overview.treatment_error.show_error(
                _("Treatment: choose one from the list first.")
            )
            return
        self.add_treatment(chosen, self.overview.times_spin.value())
        self.overview.treatment_combo.clear_choice()
        self.overview.times_spin.setValue(1)

    def remove_treatment(self, treatment: WorkTreatmentDTO) -> None:
        ctx = self._ctx
        self._run(
            lambda: remove_planned_treatment(
                ctx.uow(),
                actor=ctx.actor,
                appointment_id=self.appointment_id,
                appointment_treatment_id=treatment.id,
            ),
            self._after_edit,
            lambda error: self.overview.treatment_error.show_error(error.message),
        )

    def _on_remove_treatment_clicked(self) -> None:
        chosen = self.overview.selected_treatment()
        if chosen is None or not chosen.planned:
            self.overview.treatment_error.show_error(
                _("Choose a planned treatment in the list first.")
            )
            return
        self.remove_treatment(chosen)

    def add_extra(self, product_id: uuid.UUID, quantity: Decimal) -> None:
        ctx = self._ctx
        self.overview.product_error.clear_message()
        self._run(
            lambda: add_extra_product(
                ctx.uow(),
                actor=ctx.actor,
                appointment_id=self.appointment_id,
                product_id=product_id,
                quantity=quantity,
            ),
            self._after_edit,
            lambda error: self.overview.product_error.show_error(error.message),
        )

    def _on_add_product_clicked(self) -> None:
        chosen = (
            self.overview.product_combo.current_id() or self.overview.product_combo.only_match()
        )
        if chosen is None:
            self.overview.product_error.show_error(_("Product: choose one from the list first."))
            return
        self.add_extra(chosen, spin_decimal(self.overview.quantity_spin))
        self.overview.product_combo.clear_choice()
        self.overview.quantity_spin.setValue(1)

    def remove_extra(self, usage: UsageDTO) -> None:
        ctx = self._ctx
        self._run(
            lambda: remove_extra_product(
                ctx.uow(), actor=ctx.actor, appointment_id=self.appointment_id, usage_id=usage.id
            ),
            self._after_edit,
            lambda error: self.overview.product_error.show_error(error.message),
        )

    def _on_remove_product_clicked(self) -> None:
        chosen = self.overview.selected_usage()
        if chosen is None or chosen.state != "pending":
            self.overview.product_error.show_error(
                _("Choose an extra product not yet taken from stock.")
            )
            return
        self.remove_extra(chosen)

    def _after_edit(self, work: AppointmentWorkDTO) -> None:
        self.banner.clear_message()
        self.show_work(work)

    # -- completing and undoing ------------------------------------------------------------

    def start_completion(self) -> None:
        """Shows the quantities the completion will take, for the user to correct."""
        ctx = self._ctx
        self.banner.clear_message()
        self._run(
            lambda: preview_completion(
                ctx.uow(), actor=ctx.actor, appointment_id=self.appointment_id
            ),
            self._on_preview_done,
        )

    def _on_preview_done(self, preview: CompletionPreviewDTO) -> None:
        self.completion.show_preview(preview)
        self.stack.setCurrentWidget(self.completion)

    def confirm_completion(self) -> None:
        ctx, lines = self._ctx, self.completion.lines()
        self.completion.confirm_button.setEnabled(False)
        self._run(
            lambda: complete_treatments(
                ctx.uow(), actor=ctx.actor, appointment_id=self.appointment_id, lines=lines
            ),
            self._on_completed,
            self._on_completion_refused,
        )

    def _on_completed(self, result: CompletionResultDTO) -> None:
        self.completion_result = result
        self.completion.confirm_button.setEnabled(True)
        self.show_work(result.work)
        if result.warnings:
            self.banner.show_message("\n".join(result.warnings), "warn")
        else:
            self.banner.show_message(_("Completed: the products were taken from stock."), "ok")

    def _on_completion_refused(self, error: UserFacingError) -> None:
        self.completion.confirm_button.setEnabled(True)
        self.completion.banner.show_message(error.message, "error")

    def start_undo(self) -> None:
        if self.work is None:
            return
        self.banner.clear_message()
        self.undo_page.prepare(self.work)
        self.stack.setCurrentWidget(self.undo_page)
        self.undo_page.reason_edit.setFocus()

    def confirm_undo(self) -> None:
        ctx = self._ctx
        reason, scope = self.undo_page.reason_edit.text(), self.undo_page.scope()
        self.undo_page.reason_error.clear_message()
        self.undo_page.error.clear_message()
        self._run(
            lambda: undo_completion(
                ctx.uow(),
                actor=ctx.actor,
                appointment_id=self.appointment_id,
                reason=reason,
                appointment_treatment_id=scope,
            ),
            self._on_undone,
            self._on_undo_refused,
        )

    def _on_undone(self, work: AppointmentWorkDTO) -> None:
        self.show_work(work)
        self.banner.show_message(_("Undone: the products are back in stock."), "ok")

    def _on_undo_refused(self, error: UserFacingError) -> None:
        if error.field == "reason":
            self.undo_page.reason_error.show_error(error.message)
        else:
            self.undo_page.error.show_error(error.message)
