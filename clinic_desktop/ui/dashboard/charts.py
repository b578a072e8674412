"""The dashboard's charts, drawn with QtCharts from a DashboardDTO: income against expenses
month by month (bars), appointments per month (bars) with the no-show rate (a line on its own
percentage axis), and the top treatments by income and by margin (horizontal bars, the
largest on top). Each chart is a QChartView with an object name, and keeps its series as
attributes so tests read exactly what is drawn."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from babel.dates import format_skeleton
from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QChart,
    QChartView,
    QHorizontalBarSeries,
    QLineSeries,
    QValueAxis,
)
from PySide6.QtCore import QMargins, QRect, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QPainter, QPen
from PySide6.QtWidgets import QWidget

from clinic_desktop.formatting import money
from clinic_desktop.i18n import _, current_language
from clinic_desktop.services.dashboard import DashboardDTO, TreatmentFigures
from clinic_desktop.ui.style import ACCENT, BORDER, DANGER, INK, MUTED

EXPENSE_COLOUR = "#D0864E"
APPOINTMENT_COLOUR = "#7FB7AE"
NAME_CHARS = 28


def _chart(title: str) -> QChart:
    chart = QChart()
    chart.setTitle(title)
    font = QFont(chart.titleFont())
    font.setPointSize(11)
    font.setBold(True)
    chart.setTitleFont(font)
    chart.setTitleBrush(QBrush(QColor(INK)))
    chart.setBackgroundRoundness(8)
    chart.setBackgroundPen(QPen(QColor(BORDER)))
    chart.setMargins(QMargins(6, 4, 6, 4))
    chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
    chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
    chart.legend().setLabelColor(QColor(MUTED))
    return chart


def _axis_style(axis: QValueAxis | QBarCategoryAxis) -> None:
    axis.setLabelsColor(QColor(MUTED))
    axis.setGridLineColor(QColor("#E8ECEF"))
    axis.setLinePenColor(QColor(BORDER))
    font = QFont(axis.labelsFont())
    font.setPointSize(8)
    axis.setLabelsFont(font)


def _money_axis(values: Sequence[Decimal], currency: str) -> QValueAxis:
    """From zero (or the lowest loss) to a little above the highest amount."""
    low = min([Decimal(0), *values])
    high = max([Decimal(0), *values])
    axis = QValueAxis()
    # Nothing to show: a plain 0–100 scale rather than ticks reading 0, 0, 1, 1.
    axis.setRange(float(low) * 1.1, float(high) * 1.1 if high > 0 else 100.0)
    axis.setLabelFormat("%.0f")
    axis.setTickCount(5)
    axis.applyNiceNumbers()
    axis.setTitleText(currency)
    axis.setTitleBrush(QBrush(QColor(MUTED)))
    _axis_style(axis)
    return axis


def _bar_set(label: str, colour: str, values: Sequence[Decimal | int]) -> QBarSet:
    bars = QBarSet(label)
    bars.setColor(QColor(colour))
    bars.setBorderColor(QColor(colour))
    bars.append([float(v) for v in values])
    return bars


class ChartView(QChartView):
    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setMinimumHeight(220)
        self.setStyleSheet("background: transparent;")
        # Said in the middle of the plot when there is nothing to draw.
        self.empty_text = ""

    def drawForeground(self, painter: QPainter, rect: QRectF | QRect) -> None:
        super().drawForeground(painter, rect)
        if not self.empty_text:
            return
        painter.save()
        painter.setPen(QColor(MUTED))
        area = self.chart().plotArea() if self.chart() else self.sceneRect()
        painter.drawText(
            area, Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap, self.empty_text
        )
        painter.restore()


class IncomeExpensesChart(ChartView):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("DashboardIncomeChart", parent)
        self.income_set: QBarSet | None = None
        self.expenses_set: QBarSet | None = None

    def show_data(self, board: DashboardDTO) -> None:
        chart = _chart(_("Income and expenses per month"))
        empty = all(m.income == 0 and m.expenses == 0 for m in board.months)
        self.empty_text = _("No invoices or expenses in these months.") if empty else ""
        self.income_set = _bar_set(_("Income"), ACCENT, [m.income for m in board.months])
        self.expenses_set = _bar_set(
            _("Expenses"), EXPENSE_COLOUR, [m.expenses for m in board.months]
        )
        series = QBarSeries()
        series.append(self.income_set)
        series.append(self.expenses_set)
        chart.addSeries(series)
        months = _month_axis([m.month for m in board.months])
        chart.addAxis(months, Qt.AlignmentFlag.AlignBottom)
        values = _money_axis(
            [m.income for m in board.months] + [m.expenses for m in board.months], board.currency
        )
        chart.addAxis(values, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(months)
        series.attachAxis(values)
        self.setChart(chart)


class AppointmentsChart(ChartView):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("DashboardAppointmentsChart", parent)
        self.appointments_set: QBarSet | None = None
        self.no_show_line: QLineSeries | None = None

    def show_data(self, board: DashboardDTO) -> None:
        chart = _chart(_("Appointments and no-shows"))
        empty = all(m.appointments == 0 for m in board.months)
        self.empty_text = _("No appointments in these months.") if empty else ""
        self.appointments_set = _bar_set(
            _("Appointments"), APPOINTMENT_COLOUR, [m.appointments for m in board.months]
        )
        bars = QBarSeries()
        bars.append(self.appointments_set)
        chart.addSeries(bars)
        line = QLineSeries()
        line.setName(_("No-show rate (%)"))
        pen = QPen(QColor(DANGER))
        pen.setWidth(2)
        line.setPen(pen)
        line.setPointsVisible(True)
        for index, month in enumerate(board.months):
            if month.no_show_rate is not None:
                line.append(index, float(month.no_show_rate * 100))
        self.no_show_line = line
        chart.addSeries(line)
        months = _month_axis([m.month for m in board.months])
        chart.addAxis(months, Qt.AlignmentFlag.AlignBottom)
        counts = QValueAxis()
        counts.setRange(0, max([m.appointments for m in board.months] + [1]) * 1.15)
        counts.setLabelFormat("%d")
        counts.applyNiceNumbers()
        _axis_style(counts)
        chart.addAxis(counts, Qt.AlignmentFlag.AlignLeft)
        rate = QValueAxis()
        top = max([float(m.no_show_rate or 0) * 100 for m in board.months] + [10.0])
        rate.setRange(0, min(100.0, top * 1.25))
        rate.applyNiceNumbers()
        rate.setLabelFormat("%.0f %%")
        _axis_style(rate)
        rate.setLabelsColor(QColor(DANGER))
        chart.addAxis(rate, Qt.AlignmentFlag.AlignRight)
        bars.attachAxis(months)
        bars.attachAxis(counts)
        line.attachAxis(months)
        line.attachAxis(rate)
        self.setChart(chart)


def month_labels(months: Sequence[date]) -> list[str]:
    """Short, unique category labels: up to a year, the month's abbreviation ("dic", the
    period above the charts gives the years); beyond, "12/25" (names would repeat)."""
    if len(months) > 12:
        return [f"{m.month}/{m:%y}" for m in months]
    language = current_language()
    return [str(format_skeleton("MMM", m, locale=language)).rstrip(".") for m in months]


def _month_axis(months: Sequence[date]) -> QBarCategoryAxis:
    axis = QBarCategoryAxis()
    axis.append(month_labels(months))
    _axis_style(axis)
    axis.setTruncateLabels(False)  # "ene" rather than "e…"
    if len(months) > 12:
        axis.setLabelsAngle(-90)
    return axis


def short(name: str) -> str:
    return name if len(name) <= NAME_CHARS else name[: NAME_CHARS - 1].rstrip() + "…"


class TopTreatmentsChart(ChartView):
    """One ranking: `by` is "income" or "margin"."""

    def __init__(self, by: str, parent: QWidget | None = None) -> None:
        super().__init__(f"DashboardTop{by.capitalize()}Chart", parent)
        self.by = by
        self.bar_set: QBarSet | None = None
        self.names: list[str] = []
        self.labels: list[str] = []

    def show_data(self, board: DashboardDTO) -> None:
        if self.by == "income":
            title, colour = _("Top treatments by income"), ACCENT
            ranked: Sequence[TreatmentFigures] = board.top_by_income
            values = [t.income for t in ranked]
        else:
            title, colour = _("Top treatments by margin"), "#3E8E7E"
            ranked = board.top_by_margin
            values = [t.margin for t in ranked]
        chart = _chart(title)
        chart.legend().hide()
        self.empty_text = "" if ranked else _("No treatments were invoiced in these months.")
        # Horizontal bars are drawn bottom-up: reversed, the first of the ranking is on top.
        self.names = [t.name for t in ranked]
        self.bar_set = _bar_set(title, colour, list(reversed(values)))
        series = QHorizontalBarSeries()
        series.append(self.bar_set)
        series.setBarWidth(0.6)
        chart.addSeries(series)
        # The amount goes in the name's label, written as everywhere else in the app (a bar
        # label could only print the bare number, "244.99" in any language).
        self.labels = [
            f"{short(t.name)}  ·  {money(value, board.currency)}"
            for t, value in zip(ranked, values, strict=True)
        ]
        names = QBarCategoryAxis()
        names.append(list(reversed(self.labels)) or [""])
        _axis_style(names)
        names.setGridLineVisible(False)
        chart.addAxis(names, Qt.AlignmentFlag.AlignLeft)
        amounts = _money_axis(values, board.currency)
        chart.addAxis(amounts, Qt.AlignmentFlag.AlignBottom)
        series.attachAxis(names)
        series.attachAxis(amounts)
        self.setChart(chart)
