"""The parameters card of the inventory reports tab: the chosen report's title and what it is
for, then only the inputs that report takes (a period starting as the current month, the day
of a valuation, a product or treatment category, a product and kind of movement, grouping by
treatment or practitioner, whether margins include a period) and the Run button. It turns
what is on screen into the service call to run, and shows a service's complaint about a field
under the inputs with that input marked."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from datetime import date, timedelta

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from clinic_desktop.errors import UserFacingError
from clinic_desktop.i18n import _
from clinic_desktop.services.inventory_reports import (
    report_stock_movements,
    report_stock_valuation,
)
from clinic_desktop.services.inventory_reports_common import ReportChoices
from clinic_desktop.services.inventory_reports_margins import report_treatment_margins
from clinic_desktop.services.inventory_reports_usage import (
    report_consumption,
    report_recipe_variance,
)
from clinic_desktop.services.report_table import TabularReport
from clinic_desktop.ui.context import UiContext
from clinic_desktop.ui.inventory.reports_tab_model import SPECS, ReportSpec
from clinic_desktop.ui.style import set_role
from clinic_desktop.ui.widgets.forms import FieldError, FormErrors, mark_invalid

ReportCall = Callable[[], TabularReport]


def month_of(day: date) -> tuple[date, date]:
    """The first and last day of `day`'s month."""
    first = day.replace(day=1)
    following = (first + timedelta(days=32)).replace(day=1)
    return first, following - timedelta(days=1)


def qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def pydate(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


class ReportParameters(QFrame):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ReportParameters")
        set_role(self, "card")
        self.spec: ReportSpec = SPECS[0]
        self.choices: ReportChoices | None = None
        # First, since filling the combos below already signals "changed" (clear errors).
        self.field_error = FieldError("ReportFieldError", self)
        self.errors = FormErrors(self.field_error)
        self._inputs: dict[str, QWidget] = {}

        self.heading = QLabel(self)
        self.heading.setObjectName("ReportHeading")
        set_role(self.heading, "subtitle")
        self.summary = QLabel(self)
        self.summary.setObjectName("ReportSummary")
        self.summary.setWordWrap(True)
        set_role(self.summary, "hint")

        first, last = month_of(date.today())
        self.from_edit = self._date_edit("ReportFromEdit", first)
        self.to_edit = self._date_edit("ReportToEdit", last)
        self.as_of_edit = self._date_edit("ReportAsOfEdit", date.today())
        self.period_check = QCheckBox(_("Also what was done in the period"), self)
        self.period_check.setObjectName("ReportPeriodCheck")
        self.period_check.setChecked(True)
        self.period_check.toggled.connect(self._on_period_check_toggled)
        self.category_combo = self._combo("ReportCategoryCombo")
        self.product_combo = self._combo("ReportProductCombo")
        self.product_combo.setMinimumContentsLength(22)
        self.product_combo.setMaxVisibleItems(20)
        self.kind_combo = self._combo("ReportKindCombo")
        self.group_combo = self._combo("ReportGroupCombo")
        self.group_combo.addItem(_("Treatment"), "treatment")
        self.group_combo.addItem(_("Practitioner"), "practitioner")
        self.run_button = QPushButton(_("Run"), self)
        self.run_button.setObjectName("ReportRunButton")
        set_role(self.run_button, "primary")

        self._fields: dict[str, QWidget] = {
            "as_of": self._labelled(_("Stock at the end of"), self.as_of_edit),
            "from": self._labelled(_("From"), self.from_edit),
            "to": self._labelled(_("To"), self.to_edit),
            "category": self._labelled(_("Category"), self.category_combo),
            "product": self._labelled(_("Product"), self.product_combo),
            "kind": self._labelled(_("Kind"), self.kind_combo),
            "group": self._labelled(_("Group by"), self.group_combo),
        }
        inputs = QHBoxLayout()
        inputs.setSpacing(12)
        for holder in self._fields.values():
            inputs.addWidget(holder, 0, Qt.AlignmentFlag.AlignBottom)
        inputs.addWidget(self.period_check, 0, Qt.AlignmentFlag.AlignBottom)
        inputs.addStretch(1)
        inputs.addWidget(self.run_button, 0, Qt.AlignmentFlag.AlignBottom)

        self._inputs = {
            "date_from": self.from_edit,
            "date_to": self.to_edit,
            "as_of": self.as_of_edit,
            "kind": self.kind_combo,
            "by": self.group_combo,
        }
        for field, widget in self._inputs.items():
            self.errors.add(field, self.field_error, widget)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 10, 14, 12)
        layout.addWidget(self.heading)
        layout.addWidget(self.summary)
        layout.addLayout(inputs)
        layout.addWidget(self.field_error)

    def _date_edit(self, name: str, day: date) -> QDateEdit:
        edit = QDateEdit(qdate(day), self)
        edit.setObjectName(name)
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("dd/MM/yyyy")
        edit.dateChanged.connect(self.clear_errors)
        return edit

    def _combo(self, name: str) -> QComboBox:
        combo = QComboBox(self)
        combo.setObjectName(name)
        combo.setMinimumContentsLength(12)
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        combo.currentIndexChanged.connect(self.clear_errors)
        return combo

    def _labelled(self, text: str, widget: QWidget) -> QWidget:
        holder = QWidget(self)
        holder.setObjectName(f"{widget.objectName()}Field")
        box = QVBoxLayout(holder)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(3)
        label = QLabel(text, holder)
        set_role(label, "hint")
        label.setBuddy(widget)
        box.addWidget(label)
        box.addWidget(widget)
        return holder

    # -- what to offer ---------------------------------------------------------------------

    def set_choices(self, choices: ReportChoices) -> None:
        """Fills the filters; the first time also sets the dates from the clinic's today."""
        if self.choices is None:
            first, last = month_of(choices.today)
            self.from_edit.setDate(qdate(first))
            self.to_edit.setDate(qdate(last))
            self.as_of_edit.setDate(qdate(choices.today))
            self.as_of_edit.setMaximumDate(qdate(choices.today))
        self.choices = choices
        products = [(f"{p.name} ({p.code})", p.id) for p in choices.products]
        self._fill(self.product_combo, _("All products"), products)
        kinds = [(label, kind) for kind, label in choices.kinds]
        self._fill(self.kind_combo, _("All kinds"), kinds)
        self._fill_categories()
        self.run_button.setEnabled(choices.allowed)

    def set_spec(self, spec: ReportSpec) -> None:
        """Shows the inputs `spec` takes and hides the others."""
        self.spec = spec
        self.heading.setText(_(spec.title))
        self.summary.setText(_(spec.summary))
        shown = {
            "as_of": spec.as_of,
            "from": spec.period,
            "to": spec.period,
            "category": bool(spec.category),
            "product": spec.product_and_kind,
            "kind": spec.product_and_kind,
            "group": spec.group_by,
        }
        for name, visible in shown.items():
            self._fields[name].setVisible(visible)
        self.period_check.setVisible(spec.optional_period)
        self._on_period_check_toggled(self.period_check.isChecked())
        self._fill_categories()
        self.clear_errors()

    def _fill(self, combo: QComboBox, everything: str, items: Sequence[tuple[str, object]]) -> None:
        chosen = combo.currentData()
        combo.blockSignals(True)
        combo.clear()
        combo.addItem(everything, None)
        for text, data in items:
            combo.addItem(text, data)
        combo.setCurrentIndex(max(combo.findData(chosen), 0) if chosen is not None else 0)
        combo.blockSignals(False)

    def _fill_categories(self) -> None:
        if self.choices is None:
            return
        treatment = self.spec.category == "treatment"
        names = self.choices.treatment_categories if treatment else self.choices.categories
        self._fill(self.category_combo, _("All categories"), [(n, n) for n in names])

    def _on_period_check_toggled(self, checked: bool) -> None:
        enabled = checked or not self.spec.optional_period
        self.from_edit.setEnabled(enabled)
        self.to_edit.setEnabled(enabled)

    def choose(self, combo: QComboBox, data: object) -> None:
        """Selects the entry of `combo` carrying `data` (tests and other screens use it)."""
        combo.setCurrentIndex(max(combo.findData(data), 0))

    # -- errors ----------------------------------------------------------------------------

    def clear_errors(self, *_args: object) -> None:
        self.field_error.clear_message()
        for widget in self._inputs.values():
            mark_invalid(widget, False)

    def show_error(self, exc: UserFacingError) -> bool:
        """Shows `exc` under the inputs if it names one of them; False when it names none."""
        if not self.errors.knows(exc.field):
            return False
        self.errors.show(exc.message, exc.field)
        return True

    # -- the call --------------------------------------------------------------------------

    def call(self, ctx: UiContext) -> ReportCall:
        """The service call for the chosen report with what is on screen now."""
        uow, actor, key = ctx.uow, ctx.actor, self.spec.key
        date_from, date_to = pydate(self.from_edit.date()), pydate(self.to_edit.date())
        category: str | None = self.category_combo.currentData() or None
        if key == "valuation":
            as_of = pydate(self.as_of_edit.date())
            return lambda: report_stock_valuation(
                uow(), actor=actor, as_of=as_of, category=category
            )
        if key == "movements":
            product_id: uuid.UUID | None = self.product_combo.currentData()
            kind: str | None = self.kind_combo.currentData()
            return lambda: report_stock_movements(
                uow(),
                actor=actor,
                date_from=date_from,
                date_to=date_to,
                product_id=product_id,
                category=category,
                kind=kind,
            )
        if key == "consumption":
            by = str(self.group_combo.currentData())
            return lambda: report_consumption(
                uow(),
                actor=actor,
                date_from=date_from,
                date_to=date_to,
                by=by,
                category=category,
            )
        if key == "variance":
            return lambda: report_recipe_variance(
                uow(), actor=actor, date_from=date_from, date_to=date_to, category=category
            )
        with_period = self.period_check.isChecked()
        return lambda: report_treatment_margins(
            uow(),
            actor=actor,
            category=category,
            date_from=date_from if with_period else None,
            date_to=date_to if with_period else None,
        )
