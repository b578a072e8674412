"""Small pieces of the documents tab: the category badges painted in the table, the blocking
prompts (choosing files to attach, the reason for a removal), kept as module functions so tests
replace them instead of clicking through modal dialogs, and reading a file to attach without
loading one far over the size limit."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSize, Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QDialog,
    QInputDialog,
    QLineEdit,
    QStyleOptionViewItem,
    QWidget,
)

from clinic_desktop.errors import ValidationError
from clinic_desktop.i18n import _
from clinic_desktop.services.documents import DocumentDTO, too_large
from clinic_desktop.ui.widgets.pill_delegate import Pill, PillDelegate
from clinic_desktop.ui.widgets.stored_files import choose_attachments

# Badge colours (text, background) per category: distinct but quiet, readable in grey print.
BADGE_COLOURS: dict[str, tuple[str, str]] = {
    "lab": ("#1D4ED8", "#E0EAFF"),
    "imaging": ("#6D28D9", "#EDE7FB"),
    "referral": ("#0F766E", "#E6F4F1"),
    "report": ("#334155", "#E8ECF1"),
    "consent": ("#B54708", "#FFF1DC"),
    "prescription": ("#15803D", "#E3F5E8"),
    "other": ("#5B6770", "#EEF1F3"),
}


def choose_files(parent: QWidget) -> list[str]:
    """The files to attach, or [] if the user cancelled (tests replace this)."""
    return choose_attachments(parent, _("Attach documents"))


def ask_reason(parent: QWidget, document: DocumentDTO) -> str | None:
    """The reason for removing a document, or None if the user cancelled (tests replace this)."""
    dialog = QInputDialog(parent)
    dialog.setObjectName("RemoveDocumentDialog")
    dialog.setWindowTitle(_("Remove document"))
    dialog.setLabelText(
        _(
            "“{title}” will be moved to the trash, from where it can be restored. Why is it "
            "removed?"
        ).format(title=document.title)
    )
    dialog.setTextEchoMode(QLineEdit.EchoMode.Normal)
    dialog.setOkButtonText(_("Remove"))
    dialog.setCancelButtonText(_("Cancel"))
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return dialog.textValue()


def category_pill(index: QModelIndex | QPersistentModelIndex) -> Pill:
    """The category cell's pill: the label the model shows, in the category's colours (an
    unknown code, or none, in those of "other")."""
    code = index.data(Qt.ItemDataRole.UserRole) or "other"
    ink, fill = BADGE_COLOURS.get(code, BADGE_COLOURS["other"])
    return Pill(str(index.data(Qt.ItemDataRole.DisplayRole) or ""), ink, fill)


class CategoryBadgeDelegate(PillDelegate):
    """Paints the category as a small rounded badge in the category's colour: the shared pill,
    in the table's own regular type (the list has always shown categories that way)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(category_pill, parent, font_scale=1.0)

    def pill_font(self, base: QFont) -> QFont:
        return QFont(base)

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        # The text's own width plus the pill's padding and margins: the column, sized to its
        # contents, stays as wide as it always was.
        size = super().sizeHint(option, index)
        return QSize(size.width() + 24, size.height())


def read_file(path: Path, limit: int) -> bytes:
    """The file's bytes; one larger than the limit is refused before it is read whole."""
    try:
        size = path.stat().st_size
        if size > limit:
            raise too_large(size, limit)
        return path.read_bytes()
    except OSError as exc:
        raise ValidationError(
            _("File: it could not be read ({error}).").format(error=exc.strerror or exc),
            field="file",
        ) from exc
