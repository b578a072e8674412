"""The first page of the appointment work dialog: the appointment's treatments (planned,
done with when and by whom, or the type's usual one shown planned) and the products used
(the composition's quantity against the actual one, the extras, and whether each was taken
from stock, is still to take or was undone), with the controls to plan a treatment and note
an extra product. The dialog (appointment_work_dialog) runs the service calls."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from zoneinfo import ZoneInfo

from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from clinic_desktop.i18n import _
from clinic_desktop.services.appointment_treatments import (
    AppointmentWorkDTO,
    UsageDTO,
    WorkTreatmentDTO,
)
from clinic_desktop.services.treatments import ProductChoiceDTO, TreatmentDTO
from clinic_desktop.ui.agenda.dialog_kit import clock_text, day_text, local
from clinic_desktop.ui.chart.clinical_dialog_kit import small_button
from clinic_desktop.ui.inventory.treatment_kit import (
    ROW_MUTED,
    RowColourModel,
    SearchCombo,
    decimal_spin,
    money,
    product_label,
    qty,
    treatment_label,
)
from clinic_desktop.ui.style import DANGER, bold, set_role
from clinic_desktop.ui.widgets.forms import FieldError
from clinic_desktop.ui.widgets.screen_kit import Column, list_table

USAGE_STATES = {
    "pending": lambda: _("To take with the completion"),
    "consumed": lambda: _("Taken from stock"),
    "reversed": lambda: _("Undone"),
}


class WorkOverview(QWidget):
    def __init__(self, zone: ZoneInfo, currency: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("WorkOverview")
        self._zone = zone
        self._currency = currency
        self._products: dict[uuid.UUID, ProductChoiceDTO] = {}
        page = self
        treatments_card, body = self._card(page, _("Treatments"), "WorkTreatmentsCard")
        self.treatments_model: RowColourModel[WorkTreatmentDTO] = RowColourModel(
            [
                Column(_("Treatment"), lambda t: treatment_label(t.code, t.name)),
                Column(_("Quantity"), lambda t: str(t.quantity), align_right=True),
                Column(_("Price"), lambda t: money(t.price, self._currency), align_right=True),
                Column(_("Status"), self._treatment_status),
            ],
            foreground=lambda t, _c: ROW_MUTED if t.from_type else None,
            parent=self,
        )
        self.treatments_table = list_table(self.treatments_model, "WorkTreatmentsTable", page)
        self.treatments_table.horizontalHeader().setSectionResizeMode(
            0, QHeaderView.ResizeMode.Stretch
        )
        self.treatment_combo = SearchCombo(
            "WorkTreatmentCombo", _("Search a treatment by code or name"), page
        )
        self.times_spin = QSpinBox(page)
        self.times_spin.setObjectName("WorkTimesSpin")
        self.times_spin.setRange(1, 99)
        self.times_spin.setPrefix("× ")
        self.times_spin.setFixedWidth(80)
        self.add_treatment_button = small_button(_("Add treatment"), "AddWorkTreatmentButton", page)
        self.remove_treatment_button = small_button(
            _("Remove planned"), "RemoveWorkTreatmentButton", page
        )
        self.treatment_error = FieldError("WorkTreatmentError", page)
        row = QHBoxLayout()
        row.addWidget(self.treatment_combo, 1)
        row.addWidget(self.times_spin)
        row.addWidget(self.add_treatment_button)
        row.addWidget(self.remove_treatment_button)
        body.addWidget(self.treatments_table, 1)
        body.addLayout(row)
        body.addWidget(self.treatment_error)

        products_card, body = self._card(page, _("Products used"), "WorkProductsCard")
        hint = QLabel(
            _(
                "Completing takes each treatment's materials from stock, with any extra "
                "products noted here; you can correct the quantities before confirming."
            ),
            page,
        )
        hint.setWordWrap(True)
        set_role(hint, "hint")
        body.addWidget(hint)
        self.usages_model: RowColourModel[UsageDTO] = RowColourModel(
            [
                Column(_("Product"), lambda u: f"{u.product_code} · {u.product_name}"),
                Column(_("Used for"), lambda u: u.treatment_name or _("Extra product")),
                Column(
                    _("Composition"),
                    lambda u: qty(u.recipe_quantity, u.unit) if u.appointment_treatment_id else "—",
                    align_right=True,
                ),
                Column(
                    _("Actually used"), lambda u: qty(u.actual_quantity, u.unit), align_right=True
                ),
                Column(_("Difference"), self._difference_text, align_right=True),
                Column(_("Stock"), lambda u: USAGE_STATES[u.state]()),
            ],
            foreground=self._usage_colour,
            parent=self,
        )
        self.usages_table = list_table(self.usages_model, "WorkUsagesTable", page)
        self.usages_table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.product_combo = SearchCombo(
            "WorkProductCombo", _("Search a product by code or name"), page
        )
        self.product_combo.currentIndexChanged.connect(self._on_product_changed)
        self.quantity_spin = decimal_spin("WorkQuantitySpin", page, decimals=3)
        self.quantity_spin.setValue(1)
        self.add_product_button = small_button(_("Add product"), "AddWorkProductButton", page)
        self.remove_product_button = small_button(
            _("Remove extra"), "RemoveWorkProductButton", page
        )
        self.product_error = FieldError("WorkProductError", page)
        row = QHBoxLayout()
        row.addWidget(self.product_combo, 1)
        row.addWidget(self.quantity_spin)
        row.addWidget(self.add_product_button)
        row.addWidget(self.remove_product_button)
        body.addWidget(self.usages_table, 1)
        body.addLayout(row)
        body.addWidget(self.product_error)

        self.undo_button = small_button(_("Undo completion…"), "UndoCompletionButton", page)
        self.close_button = small_button(_("Close"), "CloseWorkButton", page)
        self.complete_button = small_button(
            _("Complete…"), "CompleteWorkButton", page, primary=True
        )
        buttons = QHBoxLayout()
        buttons.addWidget(self.undo_button)
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)
        buttons.addWidget(self.complete_button)
        self._edit_rows = (
            self.treatment_combo,
            self.times_spin,
            self.add_treatment_button,
            self.remove_treatment_button,
            self.product_combo,
            self.quantity_spin,
            self.add_product_button,
            self.remove_product_button,
        )
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(treatments_card, 2)
        layout.addWidget(products_card, 3)
        layout.addLayout(buttons)

    # -- cells -----------------------------------------------------------------------------

    def _treatment_status(self, t: WorkTreatmentDTO) -> str:
        if t.from_type:
            return _("Planned (usual for this kind of appointment)")
        if t.planned:
            return _("Planned")
        when = local(t.done_at, self._zone) if t.done_at else None
        if when is None:
            return _("Done")
        return _("Done {day} {time} by {user}").format(
            day=day_text(when.date(), weekday=False),
            time=clock_text(when, self._zone),
            user=t.done_by or "—",
        )

    def _difference_text(self, u: UsageDTO) -> str:
        if u.appointment_treatment_id is None or u.difference == 0:
            return "—"
        sign = "+" if u.difference > 0 else "−"
        return f"{sign}{qty(abs(u.difference), u.unit)}"

    def _usage_colour(self, u: UsageDTO, column: int) -> str | None:
        if u.state == "reversed":
            return ROW_MUTED
        if column == 4 and u.appointment_treatment_id and u.difference != 0:
            return DANGER if u.difference > 0 else None
        return None

    def _card(self, parent: QWidget, title: str, name: str) -> tuple[QFrame, QVBoxLayout]:
        card = QFrame(parent)
        card.setObjectName(name)
        set_role(card, "card")
        body = QVBoxLayout(card)
        body.setContentsMargins(14, 10, 14, 12)
        label = QLabel(title, card)
        bold(label, 12)
        body.addWidget(label)
        return card, body

    def set_choices(
        self, treatments: Sequence[TreatmentDTO], products: Sequence[ProductChoiceDTO]
    ) -> None:
        self.treatment_combo.set_choices(
            [(t.id, treatment_label(t.code, t.name)) for t in treatments]
        )
        self._products = {p.id: p for p in products}
        self.product_combo.set_choices(
            [(p.id, product_label(p.code, p.name, p.unit)) for p in products]
        )

    def show_work(self, work: AppointmentWorkDTO) -> None:
        """Fills the tables; editing controls only for who may record on a visit that
        took place."""
        self.treatments_model.set_rows(list(work.treatments))
        self.usages_model.set_rows(list(work.usages))
        for table in (self.treatments_table, self.usages_table):
            table.resizeColumnsToContents()
        editable = work.may_record and not work.closed
        for widget in self._edit_rows:
            widget.setVisible(editable)
        self.complete_button.setVisible(work.may_record)
        self.undo_button.setVisible(work.may_record)
        self.complete_button.setEnabled(work.can_complete)
        self.undo_button.setEnabled(work.can_undo)

    def selected_treatment(self) -> WorkTreatmentDTO | None:
        rows = self.treatments_table.selectionModel().selectedRows()
        return self.treatments_model.row_at(rows[0].row()) if rows else None

    def selected_usage(self) -> UsageDTO | None:
        rows = self.usages_table.selectionModel().selectedRows()
        return self.usages_model.row_at(rows[0].row()) if rows else None

    def _on_product_changed(self, _index: int) -> None:
        product = self._products.get(self.product_combo.current_id() or uuid.UUID(int=0))
        self.quantity_spin.setSuffix(f" {product.unit}" if product else "")
