"""The rows of the patients list: one patient as a row (from the plain list or from a search),
a page of them with where the next one starts, the table model (further pages are appended so
the view keeps its place; anonymised patients in grey italics) and the cell texts."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from babel.numbers import format_decimal
from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QFont

from clinic_desktop.i18n import _, current_language
from clinic_desktop.services.patient_admin import PatientDTO, PatientPageKey
from clinic_desktop.ui.patients.labels import age_on
from clinic_desktop.ui.style import MUTED
from clinic_desktop.ui.widgets.screen_kit import ListTableModel


@dataclass(frozen=True)
class PatientRow:
    id: uuid.UUID
    chart_number: int
    full_name: str
    id_number: str | None
    phone: str | None
    birth_date: date | None
    anonymised: bool = False

    @classmethod
    def of(cls, p: PatientDTO) -> PatientRow:
        return cls(
            p.id,
            p.chart_number,
            p.full_name,
            p.id_number,
            p.phone or p.mobile_phone,
            p.birth_date,
            p.anonymised_at is not None,
        )


@dataclass(frozen=True)
class ListPage:
    """One answer for the table: the rows, and for the plain list (no search) how many
    patients there are in all and where the next page starts."""

    rows: list[PatientRow]
    total: int | None = None
    next_key: PatientPageKey | None = None


def name_text(row: PatientRow) -> str:
    return _("Anonymised patient") if row.anonymised else row.full_name


def number_text(value: int) -> str:
    return str(format_decimal(value, locale=current_language()))


class PatientTableModel(ListTableModel[PatientRow]):
    """The list's rows; a further page is appended (the view keeps its scroll position), and
    anonymised patients are drawn in grey italics."""

    def append_rows(self, rows: Sequence[PatientRow]) -> None:
        if not rows:
            return
        start = self.rowCount()
        self.beginInsertRows(QModelIndex(), start, start + len(rows) - 1)
        self._rows.extend(rows)
        self.endInsertRows()

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        item = self.row_at(index.row())
        if item is not None and item.anonymised:
            if role == Qt.ItemDataRole.ForegroundRole:
                return QColor(MUTED)
            if role == Qt.ItemDataRole.FontRole:
                font = QFont()
                font.setItalic(True)
                return font
        return super().data(index, role)


def birth_text(row: PatientRow) -> str:
    if row.birth_date is None:
        return "—"
    years = age_on(row.birth_date, date.today())
    return _("{date} ({years} y)").format(date=row.birth_date.strftime("%d/%m/%Y"), years=years)
