"""The recurring-expense editor: what the expense editor asks (category, description,
supplier, net + tax = total, how it is paid) plus the day of the month it falls on and the
period it runs. The services check everything; a refusal lands under the field it names."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QHBoxLayout, QLineEdit, QSpinBox, QWidget

from clinic_desktop.errors import ValidationError
from clinic_desktop.i18n import _
from clinic_desktop.services.expense_dto import RecurringExpenseDTO, RecurringForm
from clinic_desktop.services.recurring_expenses import (
    create_recurring_expense,
    update_recurring_expense,
)
from clinic_desktop.ui.agenda.dialog_kit import date_box, from_qdate, to_qdate
from clinic_desktop.ui.billing.expense_editor import add_amounts_row, add_supplier_row, fill_choices
from clinic_desktop.ui.billing.expense_fields import (
    AmountFields,
    CategoryCombo,
    SupplierCombo,
    method_combo,
    set_method,
)
from clinic_desktop.ui.chart.clinical_dialog_kit import FormDialog, hint_label
from clinic_desktop.ui.context import UiContext
from clinic_desktop.ui.inventory.order_widgets import OptionalDateEdit
from clinic_desktop.ui.inventory.products_kit import refusal


class RecurringEditorDialog(FormDialog):
    """`template` None creates one; `saved` carries the RecurringExpenseDTO."""

    def __init__(
        self,
        ctx: UiContext,
        template: RecurringExpenseDTO | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(
            ctx,
            name="RecurringEditorDialog",
            title=_("New recurring expense") if template is None else _("Edit recurring expense"),
            save_text=_("Create") if template is None else _("Save changes"),
            parent=parent,
            subtitle=_(
                "One expense is recorded every month on the chosen day. Changes apply to the "
                "months still to come; expenses already recorded keep their amounts."
            ),
            width=640,
        )
        self.template = template
        self.category_combo = CategoryCombo("RecurringCategoryCombo", self)
        self.description_edit = QLineEdit(self)
        self.description_edit.setObjectName("RecurringDescriptionEdit")
        self.description_edit.setPlaceholderText(_("For example: office rent"))
        self.supplier_combo = SupplierCombo("RecurringSupplierCombo", self)
        self.amounts = AmountFields("RecurringAmounts", self)
        self.method_combo = method_combo("RecurringMethodCombo", self)
        self.day_spin = QSpinBox(self)
        self.day_spin.setObjectName("RecurringDaySpin")
        self.day_spin.setRange(1, 31)
        self.day_spin.setValue(1)
        self.day_spin.setFixedWidth(90)
        day_row = QHBoxLayout()
        day_row.setContentsMargins(0, 0, 0, 0)
        day_row.addWidget(self.day_spin)
        day_row.addWidget(hint_label(_("29 to 31 fall on the last day of shorter months."), self))
        day_box = QWidget(self)
        day_box.setLayout(day_row)
        self.starts_edit = date_box("RecurringStartsEdit", self, weekday=False)
        self.starts_edit.setDate(to_qdate(self.today.replace(day=1)))
        self.starts_edit.setFixedWidth(140)
        self.ends_edit = OptionalDateEdit("RecurringEnds", self, label=_("Ends on"))
        self.ends_edit.set_value(None, self.today)
        self.ends_edit.date_edit.setFixedWidth(140)
        ends_layout = self.ends_edit.layout()
        if isinstance(ends_layout, QHBoxLayout):
            ends_layout.setContentsMargins(0, 0, 0, 0)
            ends_layout.addStretch(1)

        self.add_row(_("Category"), "category", self.category_combo)
        self.add_row(_("Description"), "description", self.description_edit)
        add_supplier_row(self, self.supplier_combo)
        add_amounts_row(self, self.amounts)
        self.add_row(_("Paid by"), "payment_method", self.method_combo)
        self.add_row(_("Day of the month"), "day_of_month", day_box, self.day_spin)
        self.add_row(_("Starts on"), "starts_on", self.starts_edit)
        self.add_row(_("End"), "ends_on", self.ends_edit, self.ends_edit.date_edit)

        if template is not None:
            self.description_edit.setText(template.description)
            self.amounts.set_values(template.net, template.tax, template.total)
            set_method(self.method_combo, template.payment_method)
            self.day_spin.setValue(template.day_of_month)
            self.starts_edit.setDate(to_qdate(template.starts_on))
            self.ends_edit.set_value(template.ends_on, self.today)
        fill_choices(ctx, self, self.category_combo, self.supplier_combo, kept=template)
        self.finish_layout()

    def recurring_form(self) -> RecurringForm:
        net, tax, total = self.amounts.values()
        supplier_id, supplier_name = self.supplier_combo.value()
        return RecurringForm(
            category=self.category_combo.value(),
            starts_on=from_qdate(self.starts_edit.date()),
            description=self.description_edit.text(),
            supplier_id=supplier_id,
            supplier_name=supplier_name,
            net=net,
            tax=tax,
            total=total,
            payment_method=str(self.method_combo.currentData() or ""),
            day_of_month=self.day_spin.value(),
            ends_on=self.ends_edit.value(),
        )

    def service_call(self) -> Callable[[], object]:
        try:
            form = self.recurring_form()
        except ValidationError as exc:
            return refusal(exc.message, exc.field or "")
        ctx, template = self._ctx, self.template
        if template is None:
            return lambda: create_recurring_expense(ctx.uow(), actor=ctx.actor, form=form)
        return lambda: update_recurring_expense(
            ctx.uow(),
            actor=ctx.actor,
            recurring_id=template.id,
            expected_version=template.version,
            form=form,
        )
