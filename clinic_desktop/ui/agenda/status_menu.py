"""The agenda's right-click menus. On an appointment: the statuses it may move to next (in
lifecycle order, named by what the person does: "Patient arrived", "Start consultation"...),
cancelling, editing, its move history, the treatments done and products used, invoicing a
completed one, and printing the day; on free time: a new appointment
there and printing the day. The menus only say what is possible and call back; the page runs
the service calls. Actions carry object names so tests can find and trigger them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QWidget

from clinic_desktop.i18n import _
from clinic_desktop.services.agenda_dto import AppointmentDTO
from clinic_desktop.services.agenda_labels import (
    STATUS_ACTIONS,
    can_cancel,
    next_statuses,
    status_label,
)

# Nothing was done in a visit that did not happen.
NO_WORK_STATUSES = frozenset({"cancelled", "no_show"})


@dataclass(frozen=True)
class AppointmentActions:
    """What each entry of the appointment menu calls."""

    change_status: Callable[[AppointmentDTO, str], object]
    cancel: Callable[[AppointmentDTO], object]
    edit: Callable[[AppointmentDTO], object]
    history: Callable[[AppointmentDTO], object]
    print_day: Callable[[AppointmentDTO], object]
    # The treatments done and products used (inventory); None hides the entry.
    work: Callable[[AppointmentDTO], object] | None = None
    # Invoicing a completed appointment (billing.manage); None hides the entry.
    invoice: Callable[[AppointmentDTO], object] | None = None


def _add(menu: QMenu, name: str, text: str, slot: Callable[[], object]) -> QAction:
    action = menu.addAction(text)
    action.setObjectName(name)
    action.triggered.connect(lambda _checked=False: slot())
    return action


def appointment_menu(
    parent: QWidget, appointment: AppointmentDTO, actions: AppointmentActions, *, can_book: bool
) -> QMenu:
    menu = QMenu(parent)
    menu.setObjectName("AppointmentMenu")
    heading = menu.addAction(
        _("{patient} · {status}").format(
            patient=appointment.patient_name, status=status_label(appointment.status)
        )
    )
    heading.setEnabled(False)
    menu.addSeparator()
    if can_book:
        for status in next_statuses(appointment.status):
            text = _(STATUS_ACTIONS.get(status, status))
            _add(
                menu,
                f"StatusAction_{status}",
                text,
                lambda s=status: actions.change_status(appointment, s),  # type: ignore[misc]
            )
        if can_cancel(appointment.status):
            menu.addSeparator()
            _add(
                menu, "CancelAction", _("Cancel appointment…"), lambda: actions.cancel(appointment)
            )
        menu.addSeparator()
        _add(menu, "EditAction", _("Edit…"), lambda: actions.edit(appointment))
    else:
        _add(menu, "EditAction", _("Details…"), lambda: actions.edit(appointment))
    _add(menu, "HistoryAction", _("History…"), lambda: actions.history(appointment))
    work = actions.work
    if work is not None and appointment.status not in NO_WORK_STATUSES:
        _add(menu, "WorkAction", _("Treatments and products…"), lambda: work(appointment))
    invoice = actions.invoice
    if invoice is not None and appointment.status == "completed":
        _add(menu, "InvoiceAction", _("Invoice…"), lambda: invoice(appointment))
    menu.addSeparator()
    _add(menu, "PrintDayAction", _("Print day…"), lambda: actions.print_day(appointment))
    return menu


def empty_menu(
    parent: QWidget,
    *,
    can_book: bool,
    new_here: Callable[[], object],
    print_day: Callable[[], object],
    time_text: str,
) -> QMenu:
    menu = QMenu(parent)
    menu.setObjectName("EmptyTimeMenu")
    if can_book:
        _add(
            menu, "NewHereAction", _("New appointment at {time}…").format(time=time_text), new_here
        )
        menu.addSeparator()
    _add(menu, "PrintDayAction", _("Print day…"), print_day)
    return menu


def find_action(menu: QMenu, name: str) -> QAction | None:
    """The menu entry with object name `name` (tests and keyboard helpers use it)."""
    for action in menu.actions():
        if action.objectName() == name:
            return action
    return None
