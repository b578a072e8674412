"""Viewing one document inside the app: PDFs in Qt's PDF view (every page in one scroll, zoom
in and out, fit to the width), pictures in a scrollable, zoomable view. The bytes come from the
encrypted database through `open_document` (which writes the audit entry) and stay in memory:
nothing is written to a temporary file, because a temporary copy of a clinical document is a
plaintext copy on disk. Saving a copy elsewhere is a deliberate "Export…", audited apart."""

from __future__ import annotations

import uuid
from pathlib import Path

from babel.dates import format_date
from PySide6.QtCore import (
    QBuffer,
    QByteArray,
    QEvent,
    QIODevice,
    QMargins,
    QObject,
    QStandardPaths,
    Qt,
)
from PySide6.QtGui import QColor, QImage, QKeySequence, QPalette, QPixmap, QShortcut
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from clinic_desktop.i18n import _, current_language
from clinic_desktop.services.documents import (
    DocumentContentDTO,
    DocumentDTO,
    category_label,
    export_document,
    open_document,
)
from clinic_desktop.ui.context import UiContext
from clinic_desktop.ui.style import bold, set_role
from clinic_desktop.ui.widgets.screen_kit import MessageBanner, format_size
from clinic_desktop.ui.widgets.stored_files import save_copy

ZOOM_STEP = 1.25
ZOOM_MIN, ZOOM_MAX = 0.1, 8.0
PAGE_SURROUND = "#D5DBE1"


def choose_save_path(parent: QWidget, title: str, suggested: str) -> str:
    """Where to save an exported copy, or "" if the user cancelled (tests replace this)."""
    folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    path, _selected = QFileDialog.getSaveFileName(parent, title, str(Path(folder) / suggested))
    return path


def document_date_text(document: DocumentDTO) -> str:
    return str(format_date(document.document_date, "d MMM y", locale=current_language()))


def export_to_file(
    ctx: UiContext, document_id: uuid.UUID, path: str, *, parent: QWidget, banner: MessageBanner
) -> None:
    """Fetches the bytes through the audited export, writes them where the user chose and
    says on `banner` where the copy went (or why it did not)."""
    save_copy(
        ctx,
        lambda: export_document(ctx.uow(), actor=ctx.actor, document_id=document_id).data,
        path,
        parent=parent,
        banner=banner,
    )


def export_chosen(
    ctx: UiContext, document: DocumentDTO, *, parent: QWidget, banner: MessageBanner
) -> None:
    """Asks where to save a copy of `document` (named for its real type) and saves it there;
    nothing happens if the user cancels."""
    path = choose_save_path(parent, _("Export a copy"), document.suggested_file_name)
    if path:
        export_to_file(ctx, document.id, path, parent=parent, banner=banner)


class _ImageView(QScrollArea):
    """A picture at a zoom factor, scrolled when larger than the window."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("DocumentImageView")
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setStyleSheet(f"QScrollArea {{ background: {PAGE_SURROUND}; }}")
        self.label = QLabel()
        self.label.setObjectName("DocumentImageLabel")
        self.label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setWidget(self.label)
        self.image = QImage()
        self.zoom = 1.0

    def set_image(self, image: QImage) -> None:
        self.image = image

    def fit_factor(self) -> float:
        if self.image.isNull():
            return 1.0
        room = self.viewport().width() - 24
        # Large scans shrink to the width; small pictures keep their own size.
        return max(ZOOM_MIN, min(1.0, room / self.image.width()))

    def show_at(self, zoom: float) -> None:
        self.zoom = zoom
        if self.image.isNull():
            return
        size = self.image.size() * zoom
        pixmap = QPixmap.fromImage(
            self.image.scaled(
                size,
                Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.SmoothTransformation,
            )
        )
        self.label.setPixmap(pixmap)
        self.label.resize(pixmap.size())


class DocumentViewerDialog(QDialog):
    """Shows one document; `pdf` (QPdfDocument) or `image` (QImage) holds what is shown."""

    def __init__(
        self, ctx: UiContext, document_id: uuid.UUID, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._document_id = document_id
        self.setObjectName("DocumentViewerDialog")
        self.setWindowTitle(_("Document"))
        self.document: DocumentDTO | None = None
        self.pdf: QPdfDocument | None = None
        self.image: QImage | None = None
        self._bytes = QByteArray()
        self._buffer: QBuffer | None = None
        self._fit = True

        self.title_label = QLabel(self)
        self.title_label.setObjectName("DocumentTitleLabel")
        self.title_label.setWordWrap(True)
        set_role(self.title_label, "subtitle")
        self.info_label = QLabel(self)
        self.info_label.setObjectName("DocumentInfoLabel")
        set_role(self.info_label, "hint")
        self.banner = MessageBanner("DocumentViewerMessage", self)

        self.zoom_out_button = self._tool("ZoomOutButton", "−", _("Zoom out (Ctrl+−)"))
        self.zoom_in_button = self._tool("ZoomInButton", "+", _("Zoom in (Ctrl++)"))
        self.zoom_label = QLabel(self)
        self.zoom_label.setObjectName("ZoomLabel")
        self.zoom_label.setMinimumWidth(56)
        self.zoom_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.fit_button = QPushButton(_("Fit width"), self)
        self.fit_button.setObjectName("FitWidthButton")
        self.fit_button.setToolTip(_("Fit the width of the window (Ctrl+0)"))
        self.page_label = QLabel(self)
        self.page_label.setObjectName("DocumentPageLabel")
        set_role(self.page_label, "hint")
        self.export_button = QPushButton(_("Export…"), self)
        self.export_button.setObjectName("ExportDocumentButton")
        self.export_button.setToolTip(_("Save a copy outside the clinic's database"))
        self.close_button = QPushButton(_("Close"), self)
        self.close_button.setObjectName("CloseViewerButton")
        self.zoom_out_button.clicked.connect(lambda: self.zoom_by(1 / ZOOM_STEP))
        self.zoom_in_button.clicked.connect(lambda: self.zoom_by(ZOOM_STEP))
        self.fit_button.clicked.connect(self.fit_width)
        self.export_button.clicked.connect(self._on_export_clicked)
        self.close_button.clicked.connect(self.reject)
        for keys, slot in (
            (QKeySequence.StandardKey.ZoomIn, lambda: self.zoom_by(ZOOM_STEP)),
            (QKeySequence.StandardKey.ZoomOut, lambda: self.zoom_by(1 / ZOOM_STEP)),
            (QKeySequence("Ctrl+0"), self.fit_width),
        ):
            QShortcut(keys, self).activated.connect(slot)

        self.pdf_view = QPdfView(self)
        self.pdf_view.setObjectName("DocumentPdfView")
        self.pdf_view.setPageMode(QPdfView.PageMode.MultiPage)
        self.pdf_view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.pdf_view.setFrameShape(QFrame.Shape.NoFrame)
        self.pdf_view.setPageSpacing(14)
        self.pdf_view.setDocumentMargins(QMargins(14, 14, 14, 14))
        # QPdfView paints around the pages with the palette's Dark colour.
        palette = self.pdf_view.palette()
        palette.setColor(QPalette.ColorRole.Dark, QColor(PAGE_SURROUND))
        self.pdf_view.setPalette(palette)
        self.pdf_view.pageNavigator().currentPageChanged.connect(self._update_page_label)
        self.image_view = _ImageView(self)
        self.pdf_view.viewport().installEventFilter(self)
        self.image_view.viewport().installEventFilter(self)
        self.empty_label = QLabel(self)
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.stack = QStackedWidget(self)
        for widget in (self.empty_label, self.pdf_view, self.image_view):
            self.stack.addWidget(widget)

        tools = QHBoxLayout()
        tools.addWidget(self.zoom_out_button)
        tools.addWidget(self.zoom_label)
        tools.addWidget(self.zoom_in_button)
        tools.addWidget(self.fit_button)
        tools.addSpacing(16)
        tools.addWidget(self.page_label)
        tools.addStretch(1)
        tools.addWidget(self.export_button)
        tools.addWidget(self.close_button)
        head = QVBoxLayout()
        head.setSpacing(2)
        head.addWidget(self.title_label)
        head.addWidget(self.info_label)
        layout = QVBoxLayout(self)
        layout.addLayout(head)
        layout.addWidget(self.banner)
        layout.addLayout(tools)
        layout.addWidget(self.stack, 1)
        self.resize(960, 1000)
        self._set_tools_enabled(False)
        self._load()

    def _tool(self, name: str, text: str, tip: str) -> QPushButton:
        button = QPushButton(text, self)
        button.setObjectName(name)
        button.setToolTip(tip)
        button.setFixedWidth(40)
        bold(button)
        return button

    def _set_tools_enabled(self, enabled: bool) -> None:
        for widget in (self.zoom_out_button, self.zoom_in_button, self.fit_button):
            widget.setEnabled(enabled)
        self.export_button.setEnabled(self.document is not None)

    # -- loading ---------------------------------------------------------------------------

    def _load(self) -> None:
        ctx, document_id = self._ctx, self._document_id
        ctx.runner.run(
            lambda: open_document(ctx.uow(), actor=ctx.actor, document_id=document_id),
            on_done=self._show,
            on_error=self._on_load_failed,
            busy_text=_("Opening the document…"),
            parent=self,
        )

    def _on_load_failed(self, text: str) -> None:
        self.title_label.setText(_("The document could not be opened"))
        self.banner.show_message(text, "error")

    def _show(self, content: DocumentContentDTO) -> None:
        meta = self.document = content.meta
        self.setWindowTitle(
            _("{title} · {date}").format(title=meta.title, date=document_date_text(meta))
        )
        self.title_label.setText(meta.title)
        self.info_label.setText(
            " · ".join(
                (
                    category_label(meta.category),
                    document_date_text(meta),
                    meta.file_name,
                    format_size(meta.size_bytes),
                )
            )
        )
        self.info_label.setToolTip(_("Added by {name}").format(name=meta.added_by or "—"))
        shown = self._show_pdf(content.data) if meta.is_pdf else self._show_image(content.data)
        self._set_tools_enabled(shown)
        if not shown:
            self.stack.setCurrentWidget(self.empty_label)
            self.banner.show_message(
                _(
                    "This file could not be shown (it may be damaged). Export a copy to open "
                    "it with another program."
                ),
                "warn",
            )

    def _show_pdf(self, data: bytes) -> bool:
        # Keep the bytes and the buffer alive as long as the PDF document reads from them.
        self._bytes = QByteArray(data)
        self._buffer = QBuffer(self._bytes, self)
        self._buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.pdf = QPdfDocument(self)
        self.pdf.load(self._buffer)
        if self.pdf.status() != QPdfDocument.Status.Ready or self.pdf.pageCount() < 1:
            return False
        self.pdf_view.setDocument(self.pdf)
        self.stack.setCurrentWidget(self.pdf_view)
        self.fit_width()
        return True

    def _show_image(self, data: bytes) -> bool:
        image = QImage.fromData(data)
        if image.isNull():
            return False
        self.image = image
        self.image_view.set_image(image)
        self.stack.setCurrentWidget(self.image_view)
        self.page_label.setText(
            _("{width} × {height} pixels").format(width=image.width(), height=image.height())
        )
        self.fit_width()
        return True

    # -- zoom --------------------------------------------------------------------------------

    def zoom_factor(self) -> float:
        """The scale things are shown at now (1.0 = actual size)."""
        if self.pdf is not None:
            if self.pdf_view.zoomMode() == QPdfView.ZoomMode.FitToWidth:
                return self._pdf_fit_factor()
            return float(self.pdf_view.zoomFactor())
        return self.image_view.zoom

    def _pdf_fit_factor(self) -> float:
        assert self.pdf is not None
        margins = self.pdf_view.documentMargins()
        room = self.pdf_view.viewport().width() - margins.left() - margins.right()
        points = self.pdf.pagePointSize(self.pdf_view.pageNavigator().currentPage()).width()
        pixels = points * self.pdf_view.logicalDpiX() / 72
        return room / pixels if pixels > 0 else 1.0

    def zoom_by(self, step: float) -> None:
        if self.pdf is None and self.image is None:
            return
        zoom = max(ZOOM_MIN, min(ZOOM_MAX, self.zoom_factor() * step))
        self._fit = False
        if self.pdf is not None:
            self.pdf_view.setZoomMode(QPdfView.ZoomMode.Custom)
            self.pdf_view.setZoomFactor(zoom)
        else:
            self.image_view.show_at(zoom)
        self._update_zoom_label()

    def fit_width(self) -> None:
        self._fit = True
        if self.pdf is not None:
            self.pdf_view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        elif self.image is not None:
            self.image_view.show_at(self.image_view.fit_factor())
        self._update_zoom_label()

    def _update_zoom_label(self) -> None:
        self.zoom_label.setText(f"{round(self.zoom_factor() * 100)} %")
        self._update_page_label()

    def _update_page_label(self) -> None:
        if self.pdf is None:
            return
        self.page_label.setText(
            _("Page {page} of {pages}").format(
                page=self.pdf_view.pageNavigator().currentPage() + 1, pages=self.pdf.pageCount()
            )
        )

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # The views learn their width only once laid out: fit (and say the zoom) then.
        shown = self.pdf is not None or self.image is not None
        if event.type() == QEvent.Type.Resize and self._fit and shown:
            self.fit_width()
        return super().eventFilter(watched, event)

    # -- export ------------------------------------------------------------------------------

    def _on_export_clicked(self) -> None:
        if self.document is not None:
            export_chosen(self._ctx, self.document, parent=self, banner=self.banner)

    def export_to(self, path: str) -> None:
        """Saves a copy at `path` (through the audited export) and says where it went."""
        export_to_file(self._ctx, self._document_id, path, parent=self, banner=self.banner)
