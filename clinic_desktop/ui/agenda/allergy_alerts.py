"""The allergy alerts the agenda shows, only to users with clinical.read (reception sees none
and asks for none): the chart's alert banner in the appointment dialog, following the patient
chosen there, and a compact red line on the waiting room's cards ("⚠ Allergies: Penicillin,
Latex", the reactions in the tooltip). The waiting room asks for all its patients in one call
and keeps the answer for the panel's life, asking again only for a patient who newly arrives or
whose allergies changed: each answer is an audited opening of that patient's record, so a
refresh every time someone else arrives must not write a fresh read for everybody waiting."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from PySide6.QtCore import (
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRect,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter
from PySide6.QtWidgets import QStyleOptionViewItem, QWidget

from clinic_desktop.events import ClinicalChanged
from clinic_desktop.i18n import _
from clinic_desktop.services.clinical_dto import AllergyDTO
from clinic_desktop.services.clinical_history import allergy_alerts_for
from clinic_desktop.ui.agenda.panel_cards import CARD_ROLE, PAD, CardDelegate, CardRow
from clinic_desktop.ui.agenda.patient_picker import PatientPicker
from clinic_desktop.ui.chart.allergy_banner import AllergyBanner, alert_text
from clinic_desktop.ui.context import UiContext
from clinic_desktop.ui.style import DANGER, WARNING

Index = QModelIndex | QPersistentModelIndex
_SEVERE = {"severe", "life_threatening"}
ALERT_INK = {"danger": DANGER, "warning": WARNING}


@dataclass(frozen=True)
class CompactAlert:
    """One line for a narrow card: the substances only; `kind` is "danger" (anything severe
    or life-threatening), "warning", or "" with no active allergy."""

    text: str = ""
    kind: str = ""


def compact_alert(allergies: Iterable[AllergyDTO]) -> CompactAlert:
    active = [a for a in allergies if a.is_active]
    if not active:
        return CompactAlert()
    kind = "danger" if any(a.severity in _SEVERE for a in active) else "warning"
    text = _("Allergies: {list}").format(list=", ".join(a.substance for a in active))
    return CompactAlert(f"⚠ {text}", kind)


class AllergyAlerts(QObject):
    """The active allergies of the patients a panel shows. `want(ids)` says who is shown now
    (asking the service only for those not known yet); `changed` fires when an answer
    arrives. Without clinical.read it never asks and knows nothing."""

    changed = Signal()

    def __init__(self, ctx: UiContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.enabled = ctx.can("clinical.read")
        self._known: dict[uuid.UUID, tuple[AllergyDTO, ...]] = {}
        self._asking: set[uuid.UUID] = set()
        self._shown: set[uuid.UUID] = set()
        if self.enabled:
            ctx.bridge.clinical_changed.connect(self._on_bridge_clinical_changed)

    def want(self, patient_ids: Iterable[uuid.UUID]) -> None:
        if not self.enabled:
            return
        self._shown = set(patient_ids)
        missing = self._shown - self._known.keys() - self._asking
        if not missing:
            return
        self._asking |= missing
        ctx = self._ctx
        ctx.runner.run(
            lambda: allergy_alerts_for(ctx.uow(), actor=ctx.actor, patient_ids=missing),
            on_done=self._on_loaded,
            # An alert that cannot load must not block the panel; the next refresh asks again.
            on_error=lambda _text: self._asking.difference_update(missing),
        )

    def allergies(self, patient_id: uuid.UUID) -> tuple[AllergyDTO, ...]:
        return self._known.get(patient_id, ())

    def compact(self, patient_id: uuid.UUID) -> CompactAlert:
        return compact_alert(self.allergies(patient_id))

    def full_text(self, patient_id: uuid.UUID) -> str:
        """The banner's sentence, with reactions and severity ("" with no active allergy)."""
        allergies = tuple(a for a in self.allergies(patient_id) if a.is_active)
        return alert_text(allergies) if allergies else ""

    def _on_loaded(self, found: dict[uuid.UUID, tuple[AllergyDTO, ...]]) -> None:
        self._asking.difference_update(found.keys())
        self._known.update(found)
        self.changed.emit()

    def _on_bridge_clinical_changed(self, event: ClinicalChanged) -> None:
        if event.what != "allergies":
            return
        try:
            patient_id = uuid.UUID(event.patient_id)
        except ValueError:
            return
        if self._known.pop(patient_id, None) is not None and patient_id in self._shown:
            self.want(self._shown)


# -- the waiting room's cards -------------------------------------------------------------------


@dataclass(frozen=True)
class AlertCardRow(CardRow):
    """A card with an allergy line under its other lines."""

    alert: str = ""
    alert_kind: str = ""


class AlertCardDelegate(CardDelegate):
    """Paints cards as usual, then the allergy line in bold red (amber when nothing recorded
    is severe), below the muted lines."""

    def _alert_font(self, option: QStyleOptionViewItem) -> QFont:
        font = QFont(option.font)
        font.setBold(True)
        return font

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        size = super().sizeHint(option, index)
        card = index.data(CARD_ROLE)
        if isinstance(card, AlertCardRow) and card.alert:
            size.setHeight(size.height() + QFontMetrics(self._alert_font(option)).height() + 2)
        return size

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        super().paint(painter, option, index)
        card = index.data(CARD_ROLE)
        if not isinstance(card, AlertCardRow) or not card.alert:
            return
        rect: QRect = option.rect
        title = QFont(option.font)
        title.setBold(True)
        body_height = QFontMetrics(option.font).height() + 2
        alert_font = self._alert_font(option)
        metrics = QFontMetrics(alert_font)
        left = rect.left() + PAD + 4
        width = rect.right() - PAD - left
        top = rect.top() + PAD + QFontMetrics(title).height() + 2 + len(card.lines) * body_height
        painter.save()
        painter.setFont(alert_font)
        painter.setPen(QColor(ALERT_INK.get(card.alert_kind, DANGER)))
        painter.drawText(
            QRect(left, top, width, metrics.height()),
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            metrics.elidedText(card.alert, Qt.TextElideMode.ElideRight, width),
        )
        painter.restore()


# -- the appointment dialog ---------------------------------------------------------------------


class DialogAllergyBanner(AllergyBanner):
    """The chart's banner, telling its dialog when an answer arrived (it may have appeared or
    gone, and the dialog fits its height to the content). A signal rather than watching show
    and hide events: those also fire while the dialog is being destroyed."""

    alerts_set = Signal()

    def set_allergies(self, allergies: tuple[AllergyDTO, ...]) -> None:
        super().set_allergies(allergies)
        self.alerts_set.emit()


def patient_allergy_banner(
    ctx: UiContext,
    picker: PatientPicker,
    parent: QWidget,
    *,
    on_resized: Callable[[], None] | None = None,
) -> DialogAllergyBanner:
    """The chart's allergy banner, following the patient chosen in `picker`: loaded when an
    existing appointment's patient is shown or a patient is chosen, reloaded when the patient
    changes (not when the same patient's details arrive), cleared when the choice is undone.
    `on_resized` runs when an answer arrived (the banner may have appeared or gone)."""
    banner = DialogAllergyBanner(ctx, parent)

    def follow(hit: object) -> None:
        patient_id = getattr(hit, "id", None)
        if patient_id != banner.patient_id or patient_id is None:
            banner.show_for(patient_id)

    picker.patient_changed.connect(follow)
    if on_resized is not None:
        banner.alerts_set.connect(on_resized)
    return banner
