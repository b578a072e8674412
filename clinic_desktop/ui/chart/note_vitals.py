"""The vital-signs row of the note editor: one compact field per sign with its unit beside it
(blood pressure as systolic / diastolic in one cell), the usual range as a tooltip, and the
body-mass index worked out as weight and height are typed. Values travel as typed text (a
comma or a dot); the service parses and checks them."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from clinic_desktop.i18n import _
from clinic_desktop.services.encounter_dto import VITAL_INFO, VITAL_KEYS, VitalInfo, number_text
from clinic_desktop.ui.chart.note_format import body_mass_index
from clinic_desktop.ui.style import ACCENT_DARK, bold, set_role
from clinic_desktop.ui.widgets.forms import FieldError

_INFO: dict[str, VitalInfo] = {info.key: info for info in VITAL_INFO}
# Cells in reading order; blood pressure takes two fields.
_CELLS: tuple[tuple[str, ...], ...] = (
    ("systolic_bp", "diastolic_bp"),
    ("heart_rate",),
    ("respiratory_rate",),
    ("temperature_c",),
    ("spo2",),
    ("weight_kg",),
    ("height_cm",),
)
_COLUMNS = 4


def _typed_number(text: str) -> Decimal | None:
    try:
        value = Decimal(text.strip().replace(",", "."))
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


class VitalsRow(QFrame):
    """`values()` gives the fields as typed; `changed` fires on every edit."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("NoteVitals")
        set_role(self, "card")
        title = QLabel(_("Vital signs"), self)
        title.setObjectName("NoteVitalsTitle")
        title.setStyleSheet(f"color: {ACCENT_DARK}; background: transparent;")
        bold(title)
        self.edits: dict[str, QLineEdit] = {}
        grid = QGridLayout()
        grid.setHorizontalSpacing(18)
        grid.setVerticalSpacing(8)
        for n, keys in enumerate(_CELLS):
            cell = self._cell(keys)
            grid.addLayout(cell, n // _COLUMNS, n % _COLUMNS)
        self.bmi_label = QLabel("—", self)
        self.bmi_label.setObjectName("NoteBmiLabel")
        self.bmi_label.setStyleSheet("background: transparent;")
        bold(self.bmi_label)
        bmi_cell = QVBoxLayout()
        bmi_cell.setSpacing(2)
        bmi_cell.addWidget(self._caption(_("BMI")))
        bmi_cell.addWidget(self.bmi_label)
        grid.addLayout(bmi_cell, len(_CELLS) // _COLUMNS, len(_CELLS) % _COLUMNS)
        for column in range(_COLUMNS):
            grid.setColumnStretch(column, 1)
        self.error = FieldError("NoteVitalsError", self)
        self.error.setStyleSheet("background: transparent;")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 10, 14, 12)
        layout.setSpacing(8)
        layout.addWidget(title)
        layout.addLayout(grid)
        layout.addWidget(self.error)
        for key in ("weight_kg", "height_cm"):
            self.edits[key].textChanged.connect(self._update_bmi)

    def _caption(self, text: str) -> QLabel:
        label = QLabel(text, self)
        set_role(label, "hint")
        label.setStyleSheet("background: transparent;")
        return label

    def _edit(self, info: VitalInfo) -> QLineEdit:
        edit = QLineEdit(self)
        edit.setObjectName(f"NoteVital_{info.key}")
        edit.setFixedWidth(76 if info.decimals else 64)
        edit.setMaxLength(7)
        edit.setToolTip(
            _("{vital}: usually {low}–{high} {unit}").format(
                vital=info.label,
                low=number_text(info.plausible_low),
                high=number_text(info.plausible_high),
                unit=info.unit,
            )
        )
        edit.textChanged.connect(lambda _text: self.changed.emit())
        self.edits[info.key] = edit
        return edit

    def _cell(self, keys: tuple[str, ...]) -> QVBoxLayout:
        infos = [_INFO[key] for key in keys]
        caption = _("Blood pressure") if len(keys) == 2 else infos[0].label
        row = QHBoxLayout()
        row.setSpacing(6)
        for n, info in enumerate(infos):
            if n:
                slash = QLabel("/", self)
                slash.setStyleSheet("background: transparent;")
                row.addWidget(slash)
            row.addWidget(self._edit(info))
        unit = QLabel(infos[-1].unit, self)
        unit.setStyleSheet("background: transparent;")
        set_role(unit, "hint")
        row.addWidget(unit)
        row.addStretch(1)
        cell = QVBoxLayout()
        cell.setSpacing(2)
        cell.addWidget(self._caption(caption))
        cell.addLayout(row)
        return cell

    def set_values(self, vitals: Mapping[str, Decimal | None]) -> None:
        for key in VITAL_KEYS:
            value = vitals.get(key)
            self.edits[key].setText("" if value is None else number_text(value))
        self.error.clear_message()
        self._update_bmi()

    def values(self) -> dict[str, str]:
        return {key: self.edits[key].text().strip() for key in VITAL_KEYS}

    def set_read_only(self, read_only: bool) -> None:
        for edit in self.edits.values():
            edit.setReadOnly(read_only)

    def _update_bmi(self) -> None:
        bmi = body_mass_index(
            _typed_number(self.edits["weight_kg"].text()),
            _typed_number(self.edits["height_cm"].text()),
        )
        self.bmi_label.setText("—" if bmi is None else number_text(bmi))
