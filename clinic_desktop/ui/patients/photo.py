"""The photo box at the top of the patient editor: the patient's photo in a circle (or their
initials on a neutral disc), with "Choose photo…" and "Remove". A chosen picture is shrunk to a
portrait size and re-encoded as JPEG in memory, so any picture Qt can read works and the stored
photo stays small; the change waits until the editor saves the patient (for a new patient,
right after it is created), so cancelling the edit leaves the photo as it was."""

from __future__ import annotations

import uuid
from enum import Enum

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QFont, QImage, QPainter, QPainterPath, QPen, QPixmap
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from clinic_desktop.i18n import _
from clinic_desktop.services.patient_photo import (
    get_patient_photo,
    remove_patient_photo,
    set_patient_photo,
)
from clinic_desktop.ui.context import UiContext
from clinic_desktop.ui.style import ACCENT_DARK, ACCENT_TINT, BORDER, set_role

PHOTO_SIZE = 96
# Large enough to print on a chart or zoom on a 4K screen, small enough to cost nothing.
STORED_EDGE = 640


class _Removal(Enum):
    REMOVE = "remove"


REMOVE = _Removal.REMOVE
Pending = bytes | _Removal | None


def choose_photo_file(parent: QWidget) -> str:
    """The picture to use, or "" if the user cancelled (tests replace this)."""
    path, _selected = QFileDialog.getOpenFileName(
        parent,
        _("Choose the patient's photo"),
        "",
        _("Pictures (*.jpg *.jpeg *.png *.webp *.bmp *.gif);;All files (*)"),
    )
    return path


def portrait_jpeg(image: QImage) -> bytes:
    """The picture at most STORED_EDGE pixels on its long side, on white (JPEG has no
    transparency), as JPEG bytes."""
    if max(image.width(), image.height()) > STORED_EDGE:
        image = image.scaled(
            STORED_EDGE,
            STORED_EDGE,
            Qt.AspectRatioMode.KeepAspectRatio,
            Qt.TransformationMode.SmoothTransformation,
        )
    flat = QImage(image.size(), QImage.Format.Format_RGB32)
    flat.fill(QColor("white"))
    painter = QPainter(flat)
    painter.drawImage(0, 0, image)
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    # PySide6 6.11 wants the format as str at run time; its stubs say bytes.
    flat.save(buffer, "JPG", 90)  # type: ignore[call-overload]
    buffer.close()
    return bytes(data.data())


def initials(name: str) -> str:
    words = [w for w in name.split() if w[:1].isalpha()]
    if not words:
        return ""
    return (words[0][0] + (words[-1][0] if len(words) > 1 else "")).upper()


def round_pixmap(image: QImage | None, text: str, size: int = PHOTO_SIZE) -> QPixmap:
    """The photo cropped to a circle, or the initials on a tinted disc."""
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    circle = QRectF(1, 1, size - 2, size - 2)
    path = QPainterPath()
    path.addEllipse(circle)
    if image is not None and not image.isNull():
        side = min(image.width(), image.height())
        square = image.copy(
            (image.width() - side) // 2, (image.height() - side) // 3, side, side
        ).scaled(
            size,
            size,
            Qt.AspectRatioMode.IgnoreAspectRatio,
            Qt.TransformationMode.SmoothTransformation,
        )
        painter.setClipPath(path)
        painter.drawImage(0, 0, square)
        painter.setClipping(False)
    else:
        painter.fillPath(path, QColor(ACCENT_TINT))
        font = QFont(painter.font())
        font.setPixelSize(size // 3)
        font.setBold(True)
        painter.setFont(font)
        painter.setPen(QColor(ACCENT_DARK))
        painter.drawText(circle, Qt.AlignmentFlag.AlignCenter, text or "?")
    painter.setPen(QPen(QColor(BORDER), 1.5))
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.drawEllipse(circle)
    painter.end()
    return pixmap


class PhotoBox(QWidget):
    """`failed` carries a message for the editor's banner; `saved` fires after a change was
    stored."""

    failed = Signal(str)
    saved = Signal()

    def __init__(
        self, ctx: UiContext, heading: QWidget | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("PatientPhotoBox")
        self._ctx = ctx
        self.writable = ctx.can("patients.write")
        self.patient_id: uuid.UUID | None = None
        self.image: QImage | None = None  # what is shown (stored or pending)
        self.pending: Pending = None
        self._name = ""

        self.picture = QLabel(self)
        self.picture.setObjectName("PatientPhotoLabel")
        self.picture.setFixedSize(PHOTO_SIZE, PHOTO_SIZE)
        self.choose_button = QPushButton(_("Choose photo…"), self)
        self.choose_button.setObjectName("ChoosePhotoButton")
        self.choose_button.clicked.connect(self.choose)
        self.remove_button = QPushButton(_("Remove photo"), self)
        self.remove_button.setObjectName("RemovePhotoButton")
        self.remove_button.clicked.connect(self.remove)
        self.note_label = QLabel(_("The photo is stored when you save."), self)
        self.note_label.setObjectName("PatientPhotoNote")
        set_role(self.note_label, "hint")
        self.note_label.hide()

        buttons = QHBoxLayout()
        buttons.setSpacing(6)
        buttons.addWidget(self.choose_button)
        buttons.addWidget(self.remove_button)
        buttons.addWidget(self.note_label)
        buttons.addStretch(1)
        side = QVBoxLayout()
        side.setSpacing(6)
        if heading is not None:
            side.addWidget(heading)
        side.addStretch(1)
        side.addLayout(buttons)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(14)
        layout.addWidget(self.picture, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(side, 1)
        self._paint()

    # -- showing -------------------------------------------------------------------------

    def load(self, patient_id: uuid.UUID | None, name: str = "") -> None:
        """Shows a patient's stored photo (none for a new patient); forgets any pending one."""
        self.patient_id = patient_id
        self.pending = None
        self.image = None
        self._name = name
        self._paint()
        if patient_id is None:
            return
        ctx = self._ctx
        ctx.runner.run(
            lambda: get_patient_photo(ctx.uow(), actor=ctx.actor, patient_id=patient_id),
            on_done=lambda data: self._on_loaded(patient_id, data),
            on_error=self.failed.emit,
            parent=self,
        )

    def _on_loaded(self, patient_id: uuid.UUID, data: bytes | None) -> None:
        if patient_id != self.patient_id or self.pending is not None:
            return  # another patient was chosen meanwhile, or the user already picked one
        image = QImage.fromData(data) if data else None
        self.image = image if image is not None and not image.isNull() else None
        self._paint()

    def set_writable(self, writable: bool) -> None:
        """Read-only for a role without patients.write and for an anonymised patient."""
        self.writable = writable
        self._paint()

    def set_name(self, name: str) -> None:
        self._name = name
        if self.image is None:
            self._paint()

    def _paint(self) -> None:
        self.picture.setPixmap(round_pixmap(self.image, initials(self._name)))
        self.picture.setToolTip(
            _("Photo of {name}").format(name=self._name) if self.image else _("No photo")
        )
        self.choose_button.setVisible(self.writable)
        self.remove_button.setVisible(self.writable and self.image is not None)
        self.choose_button.setText(_("Change photo…") if self.image else _("Choose photo…"))
        self.note_label.setVisible(self.writable and self.pending is not None)

    # -- changing ------------------------------------------------------------------------

    def choose(self) -> None:
        path = choose_photo_file(self)
        if path:
            self.use_file(path)

    def use_file(self, path: str) -> bool:
        """Takes the picture at `path` as the pending photo; False (and a message) if it
        cannot be read as a picture."""
        image = QImage(path)
        if image.isNull():
            self.failed.emit(
                _("Photo: this file is not a picture that can be shown (use a JPEG or PNG).")
            )
            return False
        self.pending = portrait_jpeg(image)
        self.image = QImage.fromData(self.pending)
        self._paint()
        return True

    def remove(self) -> None:
        self.pending = REMOVE
        self.image = None
        self._paint()

    def take_pending(self) -> Pending:
        pending, self.pending = self.pending, None
        return pending

    def save(self, patient_id: uuid.UUID, pending: Pending) -> None:
        """Stores (or removes) the photo for the patient just saved."""
        if pending is None or not self.writable:
            return
        ctx = self._ctx
        if isinstance(pending, bytes):
            data = pending

            def run() -> None:
                set_patient_photo(ctx.uow(), actor=ctx.actor, patient_id=patient_id, data=data)
        else:

            def run() -> None:
                remove_patient_photo(ctx.uow(), actor=ctx.actor, patient_id=patient_id)

        ctx.runner.run(
            run,
            on_done=lambda _r: self._on_saved(patient_id, pending),
            on_error=lambda text: self.failed.emit(
                _("The photo was not saved: {error}").format(error=text)
            ),
            parent=self,
        )

    def _on_saved(self, patient_id: uuid.UUID, pending: Pending) -> None:
        if patient_id == self.patient_id and self.pending is None:
            image = QImage.fromData(pending) if isinstance(pending, bytes) else None
            self.image = image
            self._paint()
        self.saved.emit()
