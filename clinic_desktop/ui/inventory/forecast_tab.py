"""The stock forecast tab ("previsión de stock"): for a horizon of days (the clinic's setting
at first), the products the booked appointments will run out of, with the day of the first
appointment left short, what they need, what there is and the shortfall, in red; products
that stay covered but fall below their reorder level in amber, and, on request, every product
the appointments use. Beside it, "Check a treatment" says whether the stock usable today
covers a treatment done a number of times, product by product."""

from __future__ import annotations

from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSpinBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from clinic_desktop.i18n import _, ngettext
from clinic_desktop.services.stock_check import (
    ForecastDTO,
    ForecastLineDTO,
    StockCheckLineDTO,
    TreatmentStockCheckDTO,
    check_treatment_stock,
    forecast,
)
from clinic_desktop.services.treatments import TreatmentDTO, list_treatments
from clinic_desktop.ui.agenda.dialog_kit import clock_text, day_text, zone_of
from clinic_desktop.ui.context import UiContext
from clinic_desktop.ui.inventory.treatment_kit import (
    OK_GREEN,
    ROW_DANGER,
    ROW_WARNING,
    RowColourModel,
    SearchCombo,
    qty,
    treatment_label,
)
from clinic_desktop.ui.style import DANGER, WARNING, bold, set_role
from clinic_desktop.ui.widgets.screen_kit import Column, MessageBanner, list_table


class ForecastTab(QWidget):
    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._zone = zone_of(ctx)
        self.setObjectName("ForecastTab")
        self.result: ForecastDTO | None = None
        self.check: TreatmentStockCheckDTO | None = None

        self.days_spin = QSpinBox(self)
        self.days_spin.setObjectName("ForecastDaysSpin")
        self.days_spin.setRange(1, 365)
        self.days_spin.setSuffix(" " + _("days"))
        self.days_spin.setFixedWidth(120)
        self.refresh_button = QPushButton(_("Update"), self)
        self.refresh_button.setObjectName("ForecastRefreshButton")
        self.refresh_button.clicked.connect(lambda _checked=False: self.refresh())
        self.all_check = QCheckBox(_("Show every product the appointments use"), self)
        self.all_check.setObjectName("ForecastShowAllCheck")
        self.all_check.toggled.connect(lambda _on: self._show_result())
        self.banner = MessageBanner("ForecastMessage", self)
        self.summary_label = QLabel(self)
        self.summary_label.setObjectName("ForecastSummaryLabel")
        self.summary_label.setWordWrap(True)
        bold(self.summary_label, 12)
        self.basis_label = QLabel(
            _(
                "Booked appointments that have not taken place (scheduled, confirmed, arrived or "
                "in consultation) count with their planned treatments, or with the usual "
                "treatment of their type, times each treatment's materials. Their needs are "
                "taken from the lots that can still be used on each appointment's day, the one "
                "expiring first first."
            ),
            self,
        )
        self.basis_label.setObjectName("ForecastBasisLabel")
        self.basis_label.setWordWrap(True)
        set_role(self.basis_label, "hint")

        self.model: RowColourModel[ForecastLineDTO] = RowColourModel(
            [
                Column(_("Product"), lambda x: f"{x.product_code} · {x.product_name}"),
                Column(_("Runs out"), self._runs_out_text),
                Column(_("Needed"), lambda x: qty(x.needed, x.unit), align_right=True),
                Column(_("In stock"), lambda x: qty(x.on_hand, x.unit), align_right=True),
                Column(
                    _("Shortfall"),
                    lambda x: qty(x.shortfall, x.unit) if x.shortfall else "—",
                    align_right=True,
                ),
                Column(
                    _("Reorder level"),
                    lambda x: qty(x.reorder_level, x.unit) if x.reorder_level else "—",
                    align_right=True,
                ),
                Column(_("Appointments"), lambda x: str(x.appointments), align_right=True),
            ],
            background=self._background,
            foreground=self._foreground,
            parent=self,
        )
        self.table = list_table(self.model, "ForecastTable", self)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)

        controls = QHBoxLayout()
        horizon = QLabel(_("In the next"), self)
        controls.addWidget(horizon)
        controls.addWidget(self.days_spin)
        controls.addWidget(self.refresh_button)
        controls.addStretch(1)
        left = QWidget(self)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addLayout(controls)
        left_layout.addWidget(self.all_check)
        left_layout.addWidget(self.banner)
        left_layout.addWidget(self.summary_label)
        left_layout.addWidget(self.table, 1)
        left_layout.addWidget(self.basis_label)

        splitter = QSplitter(self)
        splitter.setObjectName("ForecastSplitter")
        splitter.addWidget(left)
        splitter.addWidget(self._check_box())
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        # The forecast table has six columns, the check three: start at about 2:1 whatever the
        # tables' size hints say (the splitter scales these to its real width).
        splitter.setSizes([2000, 1000])
        splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)

        # Any booking or stock change may move a run-out date; a hidden tab waits until shown.
        self._stale = False
        ctx.bridge.inventory_changed.connect(self._on_bridge_changed)
        ctx.bridge.appointments_changed.connect(self._on_bridge_changed)
        self._load_treatments()
        self.run_forecast(None)

    def _check_box(self) -> QFrame:
        box = QFrame(self)
        box.setObjectName("TreatmentCheckBox")
        set_role(box, "card")
        title = QLabel(_("Check a treatment"), box)
        bold(title, 12)
        hint = QLabel(_("Is there enough stock today to do a treatment this many times?"), box)
        hint.setWordWrap(True)
        set_role(hint, "hint")
        self.treatment_combo = SearchCombo(
            "CheckTreatmentCombo", _("Search a treatment by code or name"), box
        )
        self.times_spin = QSpinBox(box)
        self.times_spin.setObjectName("CheckTimesSpin")
        self.times_spin.setRange(1, 1000)
        self.times_spin.setPrefix("× ")
        self.times_spin.setFixedWidth(90)
        self.check_button = QPushButton(_("Check"), box)
        self.check_button.setObjectName("CheckTreatmentButton")
        self.check_button.clicked.connect(lambda _checked=False: self.run_check())
        row = QHBoxLayout()
        row.addWidget(self.treatment_combo, 1)
        row.addWidget(self.times_spin)
        row.addWidget(self.check_button)
        self.check_label = QLabel(box)
        self.check_label.setObjectName("CheckResultLabel")
        self.check_label.setWordWrap(True)
        bold(self.check_label)
        self.check_model: RowColourModel[StockCheckLineDTO] = RowColourModel(
            [
                Column(_("Product"), lambda x: x.product_name),
                Column(_("Needed"), lambda x: qty(x.needed, x.unit), align_right=True),
                Column(_("In stock"), lambda x: qty(x.on_hand, x.unit), align_right=True),
                Column(
                    _("Enough?"),
                    lambda x: (
                        _("Yes")
                        if x.enough
                        else _("Missing {quantity}").format(quantity=qty(x.missing, x.unit))
                    ),
                ),
            ],
            background=lambda x: None if x.enough else ROW_DANGER,
            foreground=lambda x, column: (
                (OK_GREEN if x.enough else DANGER) if column == 3 else None
            ),
            parent=box,
        )
        self.check_table = list_table(self.check_model, "CheckTable", box)
        self.check_table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        layout = QVBoxLayout(box)
        layout.setContentsMargins(14, 12, 14, 12)
        layout.addWidget(title)
        layout.addWidget(hint)
        layout.addLayout(row)
        layout.addWidget(self.check_label)
        layout.addWidget(self.check_table, 1)
        return box

    def _on_bridge_changed(self, _event: object) -> None:
        if self.isVisible():
            self.refresh()
        else:
            self._stale = True

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:
            self._stale = False
            self.refresh()

    # -- cells -----------------------------------------------------------------------------

    def _runs_out_text(self, line: ForecastLineDTO) -> str:
        if line.runs_out_at is not None and line.runs_out_on is not None:
            return _("{day}, {time}").format(
                day=day_text(line.runs_out_on), time=clock_text(line.runs_out_at, self._zone)
            )
        if line.below_reorder_on is not None:
            return _("Below reorder level from {day}").format(day=day_text(line.below_reorder_on))
        return _("Covered")

    def _background(self, line: ForecastLineDTO) -> str | None:
        if line.runs_out:
            return ROW_DANGER
        return ROW_WARNING if line.below_reorder_on is not None else None

    def _foreground(self, line: ForecastLineDTO, column: int) -> str | None:
        if column in (1, 4) and line.runs_out:
            return DANGER
        if column == 1 and line.below_reorder_on is not None:
            return WARNING
        return None

    # -- forecast --------------------------------------------------------------------------

    def refresh(self) -> None:
        """Runs the forecast for the horizon in the spin box."""
        self.run_forecast(self.days_spin.value())

    def run_forecast(self, days: int | None) -> None:
        """`days` None: the clinic's setting (inventory.forecast_days), which the box takes."""
        ctx = self._ctx
        ctx.runner.run(
            lambda: forecast(ctx.uow(), actor=ctx.actor, days=days),
            on_done=self._on_forecast_done,
            on_error=self._show_error,
            busy_text=_("Working out the forecast…"),
            parent=self,
        )

    def _on_forecast_done(self, result: ForecastDTO) -> None:
        self.banner.clear_message()
        self.result = result
        self.days_spin.blockSignals(True)
        self.days_spin.setValue(result.days)
        self.days_spin.blockSignals(False)
        self._show_result()

    def _show_result(self) -> None:
        result = self.result
        if result is None:
            return
        running_out = result.running_out
        if self.all_check.isChecked():
            lines = list(result.lines)
        else:
            lines = [x for x in result.lines if x.runs_out or x.below_reorder_on is not None]
        self.model.set_rows(lines)
        self.table.resizeColumnsToContents()
        visits = ngettext(
            "{count} booked appointment counted",
            "{count} booked appointments counted",
            result.appointments,
        ).format(count=result.appointments)
        if running_out:
            text = ngettext(
                "{count} product will run out in the next {days} days.",
                "{count} products will run out in the next {days} days.",
                len(running_out),
            ).format(count=len(running_out), days=result.days)
            self.summary_label.setStyleSheet(f"color: {DANGER};")
        else:
            text = _("No product will run out in the next {days} days.").format(days=result.days)
            self.summary_label.setStyleSheet(f"color: {OK_GREEN};")
        self.summary_label.setText(f"{text} {visits}.")

    def _show_error(self, message: str) -> None:
        self.banner.show_message(message, "error")

    # -- check a treatment -----------------------------------------------------------------

    def _load_treatments(self) -> None:
        ctx = self._ctx
        ctx.runner.run(
            lambda: list_treatments(ctx.uow(), actor=ctx.actor),
            on_done=self._on_treatments_loaded,
            on_error=self._show_error,
            parent=self,
        )

    def _on_treatments_loaded(self, treatments: list[TreatmentDTO]) -> None:
        self.treatment_combo.set_choices(
            [(t.id, treatment_label(t.code, t.name)) for t in treatments]
        )

    def run_check(self) -> None:
        treatment_id = self.treatment_combo.current_id() or self.treatment_combo.only_match()
        if treatment_id is None:
            self.check_label.setStyleSheet(f"color: {DANGER};")
            self.check_label.setText(_("Treatment: choose one from the list first."))
            return
        ctx, times = self._ctx, self.times_spin.value()
        ctx.runner.run(
            lambda: check_treatment_stock(
                ctx.uow(), actor=ctx.actor, treatment_id=treatment_id, times=times
            ),
            on_done=self._on_check_done,
            on_error=self._on_check_error,
            parent=self,
        )

    def _on_check_done(self, check: TreatmentStockCheckDTO) -> None:
        self.check = check
        self.check_model.set_rows(list(check.lines))
        self.check_table.resizeColumnsToContents()
        values = {"name": check.treatment_name, "times": check.times}
        if not check.lines:
            text = _("{name} uses no materials: nothing to check.").format(**values)
            colour = OK_GREEN
        elif check.enough:
            text = _("Enough stock to do {name} × {times}.").format(**values)
            colour = OK_GREEN
        else:
            text = _("Not enough stock to do {name} × {times}.").format(**values)
            colour = DANGER
        self.check_label.setStyleSheet(f"color: {colour};")
        self.check_label.setText(text)

    def _on_check_error(self, message: str) -> None:
        self.check_label.setStyleSheet(f"color: {DANGER};")
        self.check_label.setText(message)
