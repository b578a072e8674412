"""The allergy alert strip shown on the chart header and in the appointment dialog:
"Allergies: Penicillin (anaphylaxis, life-threatening) · Latex (rash)", red when any allergy
is severe or life-threatening, amber otherwise. With no active allergy it hides, or, where a
"nothing recorded" line helps (the chart header), says so in grey. It says "recorded", not
"no known allergies": an empty list only means nobody wrote one down. Loading it is an
audited opening of clinical content, so it loads only for users with clinical.read."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from html import escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QSizePolicy, QWidget

from clinic_desktop.events import ClinicalChanged
from clinic_desktop.i18n import _
from clinic_desktop.services.clinical_dto import AllergyDTO
from clinic_desktop.services.clinical_history import allergy_alerts
from clinic_desktop.ui.chart.clinical_dialog_kit import severity_text
from clinic_desktop.ui.context import UiContext

_SEVERE = {"severe", "life_threatening"}
_STYLES = {
    "danger": ("#FEF3F2", "#F04438", "#912018"),
    "warning": ("#FFFAEB", "#F79009", "#7A2E0E"),
    "none": ("#F2F4F7", "#D0D5DD", "#475467"),
}


def _details(allergy: AllergyDTO) -> list[str]:
    """What follows the substance in brackets: the reaction, and the severity when severe."""
    detail = [allergy.reaction] if allergy.reaction else []
    if allergy.severity in _SEVERE:
        detail.append(severity_text(allergy.severity).lower())
    return detail


def alert_text(allergies: tuple[AllergyDTO, ...]) -> str:
    """Plain text of the alert (also the tooltip and what tests read)."""
    parts = []
    for allergy in allergies:
        detail = _details(allergy)
        parts.append(f"{allergy.substance} ({', '.join(detail)})" if detail else allergy.substance)
    return _("Allergies: {list}").format(list=" · ".join(parts))


def _alert_html(allergies: tuple[AllergyDTO, ...]) -> str:
    parts = []
    for allergy in allergies:
        detail = ", ".join(escape(d) for d in _details(allergy))
        name = f"<b>{escape(allergy.substance)}</b>"
        parts.append(f"{name} ({detail})" if detail else name)
    return "<b>{}</b> {}".format(escape(_("Allergies:")), " &nbsp;·&nbsp; ".join(parts))


class AllergyBanner(QFrame):
    """Call `show_for(patient_id)` to load and follow a patient, or `set_allergies(...)` with
    alerts already loaded. `level` is "danger", "warning", "none" or "" (hidden)."""

    def __init__(
        self, ctx: UiContext, parent: QWidget | None = None, *, show_empty: bool = False
    ) -> None:
        super().__init__(parent)
        self.setObjectName("AllergyBanner")
        self._ctx = ctx
        self.show_empty = show_empty
        self.patient_id: uuid.UUID | None = None
        self.allergies: tuple[AllergyDTO, ...] = ()
        self.level = ""
        self.icon_label = QLabel("⚠", self)
        self.icon_label.setObjectName("AllergyBannerIcon")
        font = self.icon_label.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        self.icon_label.setFont(font)
        self.text_label = QLabel(self)
        self.text_label.setObjectName("AllergyBannerText")
        self.text_label.setWordWrap(True)
        self.text_label.setTextFormat(Qt.TextFormat.RichText)
        self.text_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 7, 12, 7)
        layout.setSpacing(10)
        layout.addWidget(self.icon_label, 0, Qt.AlignmentFlag.AlignVCenter)
        layout.addWidget(self.text_label, 1, Qt.AlignmentFlag.AlignVCenter)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        ctx.bridge.clinical_changed.connect(self._on_bridge_clinical_changed)
        self.hide()

    def show_for(self, patient_id: uuid.UUID | None) -> None:
        """Loads the active allergies of `patient_id` (None clears the banner)."""
        self.patient_id = patient_id
        if patient_id is None or not self._ctx.can("clinical.read"):
            self.set_allergies(())
            self.setVisible(False)
            return
        ctx = self._ctx
        ctx.runner.run(
            lambda: allergy_alerts(ctx.uow(), actor=ctx.actor, patient_id=patient_id),
            on_done=self._on_loaded(patient_id),
            # An alert that cannot load must not block the screen it sits on.
            on_error=lambda _text: self.set_allergies(()),
            parent=self,
        )

    def _on_loaded(self, patient_id: uuid.UUID) -> Callable[[tuple[AllergyDTO, ...]], None]:
        def done(allergies: tuple[AllergyDTO, ...]) -> None:
            if patient_id == self.patient_id:  # a newer patient was asked for meanwhile
                self.set_allergies(allergies)

        return done

    def set_allergies(self, allergies: tuple[AllergyDTO, ...]) -> None:
        active = tuple(a for a in allergies if a.is_active)
        self.allergies = active
        if active:
            self.level = "danger" if any(a.severity in _SEVERE for a in active) else "warning"
            self.icon_label.setText("⚠")
            self.text_label.setText(_alert_html(active))
            self.setToolTip(alert_text(active))
        elif self.show_empty:
            self.level = "none"
            self.icon_label.setText("✓")
            self.text_label.setText(escape(_("No allergies recorded.")))
            self.setToolTip("")
        else:
            self.level = ""
        background, border, ink = _STYLES.get(self.level, _STYLES["none"])
        self.setStyleSheet(
            f"QFrame#AllergyBanner {{ background: {background}; border: 1px solid {border};"
            f" border-left: 5px solid {border}; border-radius: 6px; }}"
            f" QFrame#AllergyBanner QLabel {{ color: {ink}; background: transparent; }}"
        )
        self.setVisible(bool(self.level))

    def text(self) -> str:
        """What the banner says, as plain text."""
        if self.allergies:
            return alert_text(self.allergies)
        return _("No allergies recorded.") if self.level == "none" else ""

    def _on_bridge_clinical_changed(self, event: ClinicalChanged) -> None:
        mine = self.patient_id is not None and event.patient_id == str(self.patient_id)
        if mine and event.what == "allergies":
            self.show_for(self.patient_id)
