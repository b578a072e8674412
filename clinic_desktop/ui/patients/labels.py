"""Codes shown in the patient editor and their translated labels (the UI may not import the
models, so the codes the services accept are named here or in services.labels), and small
helpers for the editor's combo boxes and for a patient's age."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import QComboBox, QWidget

from clinic_desktop.i18n import N_, _
from clinic_desktop.services.labels import ID_TYPE_LABELS

__all__ = ["ID_TYPE_LABELS"]

SEX_LABELS: dict[str, str] = {"": "—", "F": N_("F (female)"), "M": N_("M (male)"), "X": "X"}


def age_on(birth: date, today: date) -> int:
    return today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))


def combo(name: str, items: dict[str, str], parent: QWidget) -> QComboBox:
    combo = QComboBox(parent)
    combo.setObjectName(name)
    for code, label in items.items():
        combo.addItem(_(label) if label not in ("—", "X") else label, code)
    return combo


def select(combo: QComboBox, code: str) -> None:
    for row in range(combo.count()):
        if combo.itemData(row) == code:
            combo.setCurrentIndex(row)
            return
