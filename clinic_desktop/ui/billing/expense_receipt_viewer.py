"""Viewing one expense receipt inside the app: the chart's document viewer (PDF pages in one
scroll or a zoomable picture) fed by `receipt_content`, which checks the checksum and audits
the read. The bytes stay in memory: a receipt is never written to a temporary file; "Save a
copy…" writes only where the user chooses, through `export_receipt`, audited as an export."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from clinic_desktop.i18n import _
from clinic_desktop.services.expense_dto import ReceiptDTO
from clinic_desktop.services.expense_receipts import export_receipt, receipt_content
from clinic_desktop.ui.chart import document_viewer
from clinic_desktop.ui.chart.document_viewer import DocumentViewerDialog
from clinic_desktop.ui.context import UiContext
from clinic_desktop.ui.widgets.screen_kit import format_size, format_when
from clinic_desktop.ui.widgets.stored_files import save_copy


def kind_text(receipt: ReceiptDTO) -> str:
    """ "PDF" or "Picture (PNG)"."""
    if receipt.is_pdf:
        return "PDF"
    return _("Picture ({kind})").format(kind=receipt.mime_type.rpartition("/")[2].upper())


class ReceiptViewerDialog(DocumentViewerDialog):
    """The chart's document viewer showing a receipt read through `receipt_content` (audited
    as a read). Its loading and export are replaced; the PDF and picture views are its own."""

    def __init__(self, ctx: UiContext, receipt: ReceiptDTO, parent: QWidget | None = None) -> None:
        super().__init__(ctx, receipt.id, parent)  # its _load is ours, a no-op: see below
        self.receipt = receipt
        self.receipt_bytes: bytes | None = None
        self.setObjectName("ReceiptViewerDialog")
        self.setWindowTitle(receipt.file_name)
        self.export_button.setText(_("Save a copy…"))
        self.export_button.setToolTip(_("Save a copy of the receipt in a folder you choose"))
        self._load_receipt()

    def _load(self) -> None:
        """The base class loads in its constructor, before `receipt` is set: deferred."""

    def _load_receipt(self) -> None:
        ctx, receipt_id = self._ctx, self.receipt.id
        ctx.runner.run(
            lambda: receipt_content(ctx.uow(), actor=ctx.actor, receipt_id=receipt_id),
            on_done=self._show_receipt,
            on_error=self._on_load_failed,
            busy_text=_("Opening the receipt…"),
            parent=self,
        )

    def _on_load_failed(self, text: str) -> None:
        self.title_label.setText(_("The receipt could not be opened"))
        self.banner.show_message(text, "error")

    def _show_receipt(self, data: bytes) -> None:
        receipt = self.receipt
        self.receipt_bytes = data
        self.title_label.setText(receipt.file_name)
        self.info_label.setText(
            " · ".join(
                (
                    kind_text(receipt),
                    format_size(receipt.size_bytes),
                    _("added {when}").format(
                        when=format_when(receipt.added_at, self._ctx.clinic.timezone)
                    ),
                )
            )
        )
        shown = self._show_pdf(data) if receipt.is_pdf else self._show_image(data)
        self._set_tools_enabled(shown)
        if not shown:
            self.stack.setCurrentWidget(self.empty_label)
            self.banner.show_message(
                _(
                    "This file could not be shown (it may be damaged). Save a copy to open it "
                    "with another program."
                ),
                "warn",
            )

    def _set_tools_enabled(self, enabled: bool) -> None:
        super()._set_tools_enabled(enabled)
        self.export_button.setEnabled(getattr(self, "receipt_bytes", None) is not None)

    def _on_export_clicked(self) -> None:
        path = document_viewer.choose_save_path(self, _("Save a copy"), self.receipt.file_name)
        if path:
            self.export_to(path)

    def export_to(self, path: str) -> None:
        """Saves a copy at `path` (through the audited export) and says where it went."""
        if self.receipt_bytes is None:
            return  # not shown yet (or unreadable): the button is disabled then too
        ctx, receipt_id = self._ctx, self.receipt.id
        save_copy(
            ctx,
            lambda: export_receipt(ctx.uow(), actor=ctx.actor, receipt_id=receipt_id),
            path,
            parent=self,
            banner=self.banner,
        )
