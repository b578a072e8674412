"""Printing the app's PDFs (clinical history, a note, a prescription) through the system's
print dialog with a preview first. The PDF stays in memory: QtPdf reads it from a QBuffer (a
temporary file would leave clinical content on disk), renders each page to an image at the
printer's resolution (capped, so a 1200 dpi printer does not need half a gigabyte per page)
and paints it onto the printer's full page, a new printer page per PDF page. The same painting
serves the preview, the real printer and `print_pdf_to_file`, which tests use."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMarginsF, QRectF, QSize, QSizeF, Qt
from PySide6.QtGui import QImage, QPageLayout, QPageSize, QPaintEngine, QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog
from PySide6.QtWidgets import QWidget

from clinic_desktop.i18n import _

# Text prints sharp at 300 dpi; above that the images only cost memory and time.
MAX_DPI = 300
# The preview keeps every page as a picture in memory and is looked at on a screen.
PREVIEW_DPI = 150


class PdfPages:
    """A PDF loaded from bytes, ready to paint page by page onto any QPrinter."""

    def __init__(self, pdf: bytes) -> None:
        # The buffer must live as long as the document reads from it.
        self._data = QByteArray(pdf)
        self._buffer = QBuffer(self._data)
        self._buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.document = QPdfDocument()
        self.document.load(self._buffer)
        if self.document.status() != QPdfDocument.Status.Ready:
            raise ValueError("not a readable PDF")

    @property
    def page_count(self) -> int:
        return int(self.document.pageCount())

    def paint(self, printer: QPrinter) -> int:
        """Paints every page onto `printer`; returns the number of pages painted."""
        count = self.page_count
        if count == 0:
            return 0
        printer.setFullPage(True)  # the PDF pages carry their own margins
        # Our PDFs have one page size throughout; a printer takes its layout before painting.
        printer.setPageLayout(self._layout(0))
        painter = QPainter()
        if not painter.begin(printer):
            return 0
        preview = painter.paintEngine().type() == QPaintEngine.Type.Picture
        dpi = min(printer.resolution(), PREVIEW_DPI if preview else MAX_DPI)
        try:
            for index in range(count):
                if index:
                    printer.newPage()
                self._paint_page(painter, printer, index, dpi)
        finally:
            painter.end()
        return count

    def _layout(self, index: int) -> QPageLayout:
        points = self.document.pagePointSize(index)
        width, height = points.width(), points.height()
        # A page size is described upright; a wide page is that size turned.
        landscape = width > height
        size = QPageSize(QSizeF(min(width, height), max(width, height)), QPageSize.Unit.Point, "")
        orientation = (
            QPageLayout.Orientation.Landscape if landscape else QPageLayout.Orientation.Portrait
        )
        return QPageLayout(size, orientation, QMarginsF(0, 0, 0, 0))

    def _paint_page(self, painter: QPainter, printer: QPrinter, index: int, dpi: int) -> None:
        points = self.document.pagePointSize(index)
        pixels = QSize(round(points.width() * dpi / 72), round(points.height() * dpi / 72))
        rendered = self.document.render(index, pixels)
        # Rendered pages are transparent where nothing is drawn; flattened onto white they
        # print without an alpha mask, which halves the time a PDF printer engine takes.
        page = QImage(pixels, QImage.Format.Format_RGB32)
        page.fill(Qt.GlobalColor.white)
        flatten = QPainter(page)
        flatten.drawImage(0, 0, rendered)
        flatten.end()
        target = QRectF(printer.pageRect(QPrinter.Unit.DevicePixel))
        target.moveTo(0, 0)
        painter.drawImage(target, page)


class PdfPrintPreview(QPrintPreviewDialog):
    """The print preview of one PDF; its Print button opens the system print dialog and
    prints exactly the previewed pages."""

    def __init__(self, pdf: bytes, title: str, parent: QWidget | None = None) -> None:
        self.printer_device = QPrinter(QPrinter.PrinterMode.HighResolution)
        super().__init__(self.printer_device, parent)
        self.setObjectName("PdfPrintPreview")
        self.setWindowTitle(_("Print preview — {title}").format(title=title))
        self.printer_device.setDocName(title)
        self.pages = PdfPages(pdf)
        self.painted_pages = 0
        self.paintRequested.connect(self._on_paint_requested)
        self.resize(900, 1000)

    def _on_paint_requested(self, printer: QPrinter) -> None:
        self.painted_pages = self.pages.paint(printer)


def show_pdf_preview(parent: QWidget | None, pdf: bytes, title: str) -> None:
    """Shows the preview of `pdf` (modal); printing goes through the system dialog."""
    dialog = PdfPrintPreview(pdf, title, parent)
    dialog.exec()
    dialog.deleteLater()


def print_pdf_to_file(pdf: bytes, path: Path) -> int:
    """Prints `pdf` through the same painting as the dialog into a PDF file at `path`;
    returns the number of pages printed (tests and the screenshots use it)."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    return PdfPages(pdf).paint(printer)
