"""Invoice numbering on the settings screen: which computer issues from which emission point
(Ecuador's punto de emisión; Spain's series F002, S002, R002), and a form to give a computer
its own. Each PC numbers its invoices apart, so two PCs working offline can never issue the
same number; the first PC to issue takes the clinic's configured point by itself, any other
must be assigned one here before it can issue. The service refuses a code already in use or a
change for a PC that has issued."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from clinic_desktop.errors import UserFacingError
from clinic_desktop.i18n import _
from clinic_desktop.services.invoice_numbering import (
    EmissionPointDTO,
    assign_emission_point,
    list_emission_points,
)
from clinic_desktop.ui.context import UiContext
from clinic_desktop.ui.style import set_role
from clinic_desktop.ui.widgets.screen_kit import Column, ListTableModel, MessageBanner, list_table


class EmissionPointsBox(QGroupBox):
    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(_("Invoice numbering"), parent)
        self._ctx = ctx
        self.setObjectName("EmissionPointsBox")
        self.banner = MessageBanner("EmissionPointsMessage", self)
        here = ctx.actor.workstation
        hint = QLabel(
            _(
                "Each computer issues invoices from its own emission point, so numbers never "
                "clash. This computer is {workstation}."
            ).format(workstation=here),
            self,
        )
        hint.setWordWrap(True)
        set_role(hint, "hint")
        self.model: ListTableModel[EmissionPointDTO] = ListTableModel(
            [
                Column(_("Point"), lambda p: p.code),
                Column(_("Computer"), lambda p: p.workstation),
                Column(_("Name"), lambda p: p.label),
            ]
        )
        self.table = list_table(self.model, "EmissionPointsTable", self)
        self.table.setMinimumHeight(110)
        self.workstation_edit = QLineEdit(here, self)
        self.workstation_edit.setObjectName("EmissionWorkstationEdit")
        self.code_edit = QLineEdit(self)
        self.code_edit.setObjectName("EmissionCodeEdit")
        self.code_edit.setPlaceholderText("002")
        self.code_edit.setMaxLength(3)
        self.label_edit = QLineEdit(self)
        self.label_edit.setObjectName("EmissionLabelEdit")
        self.label_edit.setPlaceholderText(_("Reception"))
        self.assign_button = QPushButton(_("Assign"), self)
        self.assign_button.setObjectName("AssignEmissionPointButton")
        self.assign_button.clicked.connect(self.assign)
        form = QFormLayout()
        form.addRow(_("Computer"), self.workstation_edit)
        form.addRow(_("Emission point"), self.code_edit)
        form.addRow(_("Name"), self.label_edit)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.assign_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addWidget(hint)
        layout.addWidget(self.table)
        layout.addLayout(form)
        layout.addLayout(buttons)

    def refresh(self) -> None:
        ctx = self._ctx
        ctx.runner.run(
            lambda: list_emission_points(ctx.uow(), actor=ctx.actor),
            on_done=self.model.set_rows,
            on_error=lambda message: self.banner.show_message(message, "error"),
            parent=self,
        )

    def assign(self) -> None:
        ctx = self._ctx
        workstation = self.workstation_edit.text()
        code, label = self.code_edit.text(), self.label_edit.text()

        def done(point: EmissionPointDTO) -> None:
            self.banner.show_message(
                _("{workstation} now issues from emission point {code}.").format(
                    workstation=point.workstation, code=point.code
                ),
                "ok",
            )
            self.code_edit.clear()
            self.label_edit.clear()
            self.refresh()

        def refused(error: UserFacingError) -> None:
            self.banner.show_message(str(error), "error")

        ctx.runner.run(
            lambda: assign_emission_point(
                ctx.uow(), actor=ctx.actor, workstation=workstation, code=code, label=label
            ),
            on_done=done,
            on_user_error=refused,
            on_error=lambda message: self.banner.show_message(message, "error"),
            parent=self,
        )
