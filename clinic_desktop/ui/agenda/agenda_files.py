"""Getting the agenda out of the screen: "Print day" renders a practitioner's day as a PDF
(services.agenda_export), saves it where the user chooses and offers to open it; "Export .ics"
asks for a practitioner and a date range and saves an iCalendar file. The blocking prompts
(save-as, which practitioner, open now) are module functions so tests replace them with
monkeypatch instead of clicking through modal dialogs."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path

from PySide6.QtCore import QDate, QStandardPaths, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QInputDialog,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from clinic_desktop.i18n import _
from clinic_desktop.services import agenda_export
from clinic_desktop.services.agenda_dto import PractitionerDTO
from clinic_desktop.ui.context import UiContext
from clinic_desktop.ui.style import set_role
from clinic_desktop.ui.widgets import screen_kit

# -- prompts (module level so tests can replace them) -----------------------------------------


def save_file_prompt(parent: QWidget, title: str, suggested: str, pattern: str) -> str:
    """The path chosen to save to, or "" if the user cancelled."""
    path, _selected = QFileDialog.getSaveFileName(parent, title, suggested, pattern)
    return path


def choose_practitioner_prompt(
    parent: QWidget, title: str, names: Sequence[str], current: int
) -> int | None:
    """The index of the practitioner chosen, or None if the user cancelled."""
    name, ok = QInputDialog.getItem(
        parent, title, _("Whose day should be printed?"), list(names), current, False
    )
    return names.index(name) if ok and name in names else None


def open_file(path: str) -> None:
    QDesktopServices.openUrl(QUrl.fromLocalFile(path))


def _documents() -> Path:
    folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(folder or Path.home())


def _safe(name: str) -> str:
    return re.sub(r'[\\/:*?"<>|]+', "", name).strip() or "agenda"


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _date(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


class IcsExportDialog(QDialog):
    """Practitioner, from and to; accept() when the user presses Export."""

    def __init__(
        self,
        practitioners: Sequence[PractitionerDTO],
        selected: uuid.UUID | None,
        first_day: date,
        last_day: date,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("IcsExportDialog")
        self.setWindowTitle(_("Export agenda (.ics)"))
        self.practitioner_combo = QComboBox(self)
        self.practitioner_combo.setObjectName("IcsPractitionerCombo")
        for practitioner in practitioners:
            self.practitioner_combo.addItem(practitioner.display_name, str(practitioner.id))
        if selected is not None:
            self.practitioner_combo.setCurrentIndex(
                max(0, self.practitioner_combo.findData(str(selected)))
            )
        self.from_edit = self._date_edit("IcsFromEdit", first_day)
        self.to_edit = self._date_edit("IcsToEdit", last_day)
        hint = QLabel(
            _("An iCalendar file opens in Outlook, Google Calendar or the phone's calendar.")
        )
        hint.setWordWrap(True)
        set_role(hint, "hint")
        self.error_label = QLabel(self)
        self.error_label.setObjectName("IcsErrorLabel")
        self.error_label.setWordWrap(True)
        set_role(self.error_label, "field-error")
        self.error_label.hide()
        form = QFormLayout()
        form.addRow(_("Practitioner"), self.practitioner_combo)
        form.addRow(_("From"), self.from_edit)
        form.addRow(_("To"), self.to_edit)
        buttons = QDialogButtonBox(self)
        self.export_button = buttons.addButton(_("Export…"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.export_button.setObjectName("IcsExportButton")
        set_role(self.export_button, "primary")
        cancel = buttons.addButton(_("Cancel"), QDialogButtonBox.ButtonRole.RejectRole)
        cancel.setObjectName("IcsCancelButton")
        buttons.accepted.connect(self._on_export_clicked)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 18, 20, 16)
        layout.addWidget(hint)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(buttons)
        self.setMinimumWidth(420)

    def _date_edit(self, name: str, day: date) -> QDateEdit:
        edit = QDateEdit(self)
        edit.setObjectName(name)
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("dd/MM/yyyy")
        edit.setDate(_qdate(day))
        return edit

    def choice(self) -> tuple[uuid.UUID | None, date, date]:
        data = self.practitioner_combo.currentData()
        return (
            uuid.UUID(data) if data else None,
            _date(self.from_edit.date()),
            _date(self.to_edit.date()),
        )

    def show_error(self, text: str) -> None:
        self.error_label.setText(text)
        self.error_label.show()

    def _on_export_clicked(self) -> None:
        practitioner, first, last = self.choice()
        if practitioner is None:
            self.show_error(_("Practitioner: choose whose agenda to export."))
            return
        if last < first:
            self.show_error(_("To: it must not be before the 'from' date."))
            return
        self.accept()


class AgendaFiles:
    """The two file actions of the agenda page; messages go to the page's banner."""

    def __init__(
        self,
        ctx: UiContext,
        parent: QWidget,
        *,
        show_error: Callable[[str], None],
        show_info: Callable[[str], None],
    ) -> None:
        self._ctx = ctx
        self._parent = parent
        self._show_error = show_error
        self._show_info = show_info
        self.ics_dialog: IcsExportDialog | None = None
        self.last_saved: Path | None = None

    # -- print day ------------------------------------------------------------------------------

    def print_day(
        self,
        practitioners: Sequence[PractitionerDTO],
        day: date,
        preferred: uuid.UUID | None = None,
    ) -> None:
        """Prints `preferred`'s day, the only one shown, or asks which of those shown."""
        chosen = next((p for p in practitioners if p.id == preferred), None)
        if chosen is None and len(practitioners) == 1:
            chosen = practitioners[0]
        if chosen is None:
            if not practitioners:
                self._show_error(_("There is no practitioner to print a day for."))
                return
            index = choose_practitioner_prompt(
                self._parent,
                _("Print day"),
                [p.display_name for p in practitioners],
                0,
            )
            if index is None:
                return
            chosen = practitioners[index]
        ctx, practitioner = self._ctx, chosen
        ctx.runner.run(
            lambda: agenda_export.practitioner_day_pdf(
                ctx.uow(), actor=ctx.actor, practitioner_id=practitioner.id, day=day
            ),
            on_done=lambda data: self._save_pdf(data, practitioner, day),
            on_error=self._show_error,
            busy_text=_("Preparing the day…"),
            parent=self._parent,
        )

    def _save_pdf(self, data: bytes, practitioner: PractitionerDTO, day: date) -> None:
        name = _safe(f"{practitioner.display_name} {day.isoformat()}") + ".pdf"
        path = save_file_prompt(
            self._parent,
            _("Save the day as PDF"),
            str(_documents() / name),
            _("PDF documents (*.pdf)"),
        )
        if not path or not self._write(path, data):
            return
        if screen_kit.confirm(
            self._parent,
            _("Day saved"),
            _("The day was saved to {path}. Open it now?").format(path=path),
            _("Open"),
        ):
            open_file(path)

    # -- export .ics ----------------------------------------------------------------------------

    def export_ics(
        self,
        practitioners: Sequence[PractitionerDTO],
        selected: uuid.UUID | None,
        first_day: date,
        last_day: date,
    ) -> IcsExportDialog:
        """Opens the export dialog (non-modal); the export runs when it is accepted."""
        dialog = IcsExportDialog(practitioners, selected, first_day, last_day, self._parent)
        dialog.accepted.connect(lambda: self._export(dialog))
        self.ics_dialog = dialog
        dialog.open()
        return dialog

    def _export(self, dialog: IcsExportDialog) -> None:
        practitioner_id, first, last = dialog.choice()
        if practitioner_id is None:
            return
        name = dialog.practitioner_combo.currentText()
        ctx = self._ctx
        ctx.runner.run(
            lambda: agenda_export.practitioner_ics(
                ctx.uow(),
                actor=ctx.actor,
                practitioner_id=practitioner_id,
                first_day=first,
                last_day=last,
            ),
            on_done=lambda data: self._save_ics(data, name, first, last),
            on_error=self._show_error,
            busy_text=_("Exporting the agenda…"),
            parent=self._parent,
        )

    def _save_ics(self, data: bytes, name: str, first: date, last: date) -> None:
        suggested = _safe(f"{name} {first.isoformat()} {last.isoformat()}") + ".ics"
        path = save_file_prompt(
            self._parent,
            _("Save the agenda as iCalendar"),
            str(_documents() / suggested),
            _("iCalendar files (*.ics)"),
        )
        if path and self._write(path, data):
            self._show_info(_("The agenda was exported to {path}.").format(path=path))

    def _write(self, path: str, data: bytes) -> bool:
        try:
            Path(path).write_bytes(data)
        except OSError as exc:
            self._show_error(
                _("The file could not be saved: {reason}").format(reason=exc.strerror or exc)
            )
            return False
        self.last_saved = Path(path)
        return True
