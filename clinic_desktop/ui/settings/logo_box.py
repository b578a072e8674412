"""The letterhead logo on the settings screen (settings.manage): shows the logo printed on the
clinic's documents, lets the owner choose a PNG or JPEG to replace it or remove it. The service
checks the image (type by its first bytes, at most 1 MB) and a refusal is shown in the box,
changing nothing."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import QGroupBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from clinic_desktop.errors import UserFacingError
from clinic_desktop.i18n import _
from clinic_desktop.services.clinic_info import LOGO_MAX_BYTES, get_clinic_logo, set_clinic_logo
from clinic_desktop.ui.context import UiContext
from clinic_desktop.ui.style import set_role
from clinic_desktop.ui.widgets import screen_kit
from clinic_desktop.ui.widgets.screen_kit import MessageBanner

PREVIEW_SIZE = (240, 110)
# Beyond this the file is not even read: the service would refuse it anyway.
_READ_LIMIT = 64 * LOGO_MAX_BYTES


class LogoBox(QGroupBox):
    logo_changed = Signal()

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(_("Letterhead logo"), parent)
        self._ctx = ctx
        self.setObjectName("LogoBox")
        self.logo: bytes | None = None
        self.banner = MessageBanner("LogoMessage", self)
        self.preview = QLabel(self)
        self.preview.setObjectName("LogoPreview")
        self.preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.preview.setFixedSize(PREVIEW_SIZE[0] + 16, PREVIEW_SIZE[1] + 16)
        self.preview.setStyleSheet(
            "QLabel#LogoPreview { background: white; border: 1px solid #CBD2D9; }"
        )
        hint = QLabel(
            _("Printed on the clinical documents' letterhead. PNG or JPEG, up to 1 MB."), self
        )
        hint.setWordWrap(True)
        set_role(hint, "hint")
        self.choose_button = QPushButton(_("Choose…"), self)
        self.choose_button.setObjectName("ChooseLogoButton")
        self.choose_button.clicked.connect(self._on_choose_clicked)
        self.remove_button = QPushButton(_("Remove"), self)
        self.remove_button.setObjectName("RemoveLogoButton")
        self.remove_button.clicked.connect(self._on_remove_clicked)
        buttons = QHBoxLayout()
        buttons.addWidget(self.choose_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addWidget(self.preview, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(hint)
        layout.addLayout(buttons)
        self._show(None)

    def refresh(self) -> None:
        ctx = self._ctx
        ctx.runner.run(
            lambda: get_clinic_logo(ctx.uow(), actor=ctx.actor),
            on_done=self._show,
            on_error=lambda text: self.banner.show_message(text, "error"),
            parent=self,
        )

    def _show(self, logo: bytes | None) -> None:
        self.logo = logo
        pixmap = QPixmap()
        if logo and pixmap.loadFromData(logo):
            self.preview.setPixmap(
                pixmap.scaled(
                    *PREVIEW_SIZE,
                    Qt.AspectRatioMode.KeepAspectRatio,
                    Qt.TransformationMode.SmoothTransformation,
                )
            )
        else:
            self.preview.setPixmap(QPixmap())
            self.preview.setText(_("No logo: documents print without one."))
            self.preview.setWordWrap(True)
        self.remove_button.setEnabled(bool(logo))

    def _on_choose_clicked(self) -> None:
        path = screen_kit.choose_file(
            self, _("Choose the logo"), str(Path.home()), _("Images (*.png *.jpg *.jpeg)")
        )
        if path:
            self.set_logo_from_file(Path(path))

    def set_logo_from_file(self, path: Path) -> None:
        self.banner.clear_message()
        try:
            size = path.stat().st_size
            if size > _READ_LIMIT:
                self.banner.show_message(
                    _("Logo: the image is {size} KB; the limit is 1024 KB.").format(
                        size=(size + 1023) // 1024
                    ),
                    "error",
                )
                return
            data = path.read_bytes()
        except OSError as exc:
            self.banner.show_message(
                _("The file {path} cannot be read ({reason}).").format(
                    path=path, reason=exc.strerror or exc
                ),
                "error",
            )
            return
        self._save(data, _("Logo saved; new documents print it."))

    def _on_remove_clicked(self) -> None:
        if screen_kit.confirm(
            self,
            _("Remove the logo"),
            _("Documents will print without a logo. Remove it?"),
            _("Remove"),
        ):
            self.remove_logo()

    def remove_logo(self) -> None:
        self.banner.clear_message()
        self._save(None, _("Logo removed."))

    def _save(self, data: bytes | None, done_text: str) -> None:
        ctx = self._ctx

        def done(_result: object) -> None:
            self._show(data)
            self.banner.show_message(done_text, "ok")
            self.logo_changed.emit()

        ctx.runner.run(
            lambda: set_clinic_logo(ctx.uow(), actor=ctx.actor, data=data),
            on_done=done,
            on_error=lambda text: self.banner.show_message(text, "error"),
            on_user_error=self._on_refused,
            parent=self,
        )

    def _on_refused(self, error: UserFacingError) -> None:
        self.banner.show_message(error.message, "error")
