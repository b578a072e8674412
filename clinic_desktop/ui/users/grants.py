"""The "Role permissions" tab: a permission × role matrix of check boxes. Only an owner
(grants.manage) may tick them; each tick is saved at once through set_grant and the matrix is
redrawn from what the service returns, so the screen never shows a grant that is not stored."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QEvent,
    QModelIndex,
    QPersistentModelIndex,
    QRect,
    Qt,
)
from PySide6.QtGui import QKeyEvent, QMouseEvent, QPainter
from PySide6.QtWidgets import (
    QApplication,
    QHeaderView,
    QLabel,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from clinic_desktop.i18n import _
from clinic_desktop.services.access import ROLE_LABELS, permission_label, role_label
from clinic_desktop.services.dto import GrantMatrix
from clinic_desktop.services.users import get_grant_matrix, set_grant
from clinic_desktop.ui.context import UiContext
from clinic_desktop.ui.widgets.screen_kit import MessageBanner

Index = QModelIndex | QPersistentModelIndex


class GrantMatrixModel(QAbstractTableModel):
    """Rows are permissions, columns roles; a cell is checked when the role holds it."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.matrix = GrantMatrix(roles=(), permissions=(), granted=frozenset())
        self.editable = False
        self.on_toggle: Any = None  # callable(role, permission, granted)

    def set_matrix(self, matrix: GrantMatrix) -> None:
        self.beginResetModel()
        self.matrix = matrix
        self.endResetModel()

    def cell(self, index: Index) -> tuple[str, str]:
        return self.matrix.roles[index.column()], self.matrix.permissions[index.row()]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.matrix.permissions)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.matrix.roles)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        cell = self.cell(index)
        if role == Qt.ItemDataRole.CheckStateRole:
            granted = cell in self.matrix.granted
            return Qt.CheckState.Checked if granted else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.ToolTipRole:
            text = f"{role_label(cell[0])} · {permission_label(cell[1])}"
            if cell in self.matrix.fixed:
                text += "\n" + _("This permission cannot be changed for this role.")
            return text
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsSelectable
        if self.editable and self.cell(index) not in self.matrix.fixed:
            flags |= Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable
        elif not self.editable:
            # Read-only for this viewer but not fixed: drawn normally, just not clickable.
            flags |= Qt.ItemFlag.ItemIsEnabled
        return flags

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.CheckStateRole or not (self.flags(index) & _CHECKABLE):
            return False
        checked = Qt.CheckState(value) == Qt.CheckState.Checked
        if self.on_toggle is not None:
            role_code, permission = self.cell(index)
            self.on_toggle(role_code, permission, checked)
        return True

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal and section < len(self.matrix.roles):
            return role_label(self.matrix.roles[section])
        if orientation == Qt.Orientation.Vertical and section < len(self.matrix.permissions):
            return permission_label(self.matrix.permissions[section])
        return None


_CHECKABLE = Qt.ItemFlag.ItemIsUserCheckable


class CenteredCheckDelegate(QStyledItemDelegate):
    """Draws the check box in the middle of its cell and toggles it on a click anywhere in
    the cell: wide role columns otherwise leave a tiny box stuck to the left edge."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        style = opt.widget.style() if opt.widget else QApplication.style()
        opt.features &= ~QStyleOptionViewItem.ViewItemFeature.HasCheckIndicator
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        box = QStyleOptionViewItem(option)
        size = style.pixelMetric(QStyle.PixelMetric.PM_IndicatorWidth, None, opt.widget)
        rect = QRect(0, 0, size, size)
        rect.moveCenter(option.rect.center())
        box.rect = rect
        checked = index.data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Checked
        box.state = (box.state & ~QStyle.StateFlag.State_HasFocus) | (
            QStyle.StateFlag.State_On if checked else QStyle.StateFlag.State_Off
        )
        if not index.flags() & Qt.ItemFlag.ItemIsEnabled:
            box.state &= ~QStyle.StateFlag.State_Enabled
        style.drawPrimitive(
            QStyle.PrimitiveElement.PE_IndicatorItemViewItemCheck, box, painter, opt.widget
        )

    def editorEvent(
        self, event: QEvent, model: Any, option: QStyleOptionViewItem, index: Index
    ) -> bool:
        if not index.flags() & _CHECKABLE:
            return False
        if event.type() == QEvent.Type.MouseButtonRelease and isinstance(event, QMouseEvent):
            if event.button() != Qt.MouseButton.LeftButton:
                return False
        elif not (
            event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Space, Qt.Key.Key_Select)
        ):
            return event.type() == QEvent.Type.MouseButtonDblClick
        checked = index.data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Checked
        new = Qt.CheckState.Unchecked if checked else Qt.CheckState.Checked
        return bool(model.setData(index, new.value, Qt.ItemDataRole.CheckStateRole))


class GrantsTab(QWidget):
    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.setObjectName("GrantsTab")
        intro = QLabel(self)
        intro.setWordWrap(True)
        if ctx.can("grants.manage"):
            intro.setText(
                _(
                    "Tick what each role may do. Changes apply at once and take effect the "
                    "next time each person acts."
                )
            )
        else:
            intro.setText(
                _("Only an owner can change role permissions; this is what each role may do now.")
            )
        intro.setObjectName("GrantsIntro")
        self.banner = MessageBanner("GrantsMessage", self)
        self.model = GrantMatrixModel(self)
        self.model.editable = ctx.can("grants.manage")
        self.model.on_toggle = self._on_model_toggled
        self.table = QTableView(self)
        self.table.setObjectName("GrantsTable")
        self.table.setModel(self.model)
        self.table.setSelectionMode(QTableView.SelectionMode.NoSelection)
        self.table.setItemDelegate(CenteredCheckDelegate(self.table))
        self.table.setAlternatingRowColors(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        # Equal columns, but never narrower than the longest role name ("IT administrator").
        header.setMinimumSectionSize(
            max(header.fontMetrics().horizontalAdvance(role_label(r)) for r in ROLE_LABELS) + 24
        )
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.banner)
        layout.addWidget(self.table, 1)

    def refresh(self) -> None:
        ctx = self._ctx
        ctx.runner.run(
            lambda: get_grant_matrix(ctx.uow(), actor=ctx.actor),
            on_done=self.model.set_matrix,
            on_error=lambda message: self.banner.show_message(message, "error"),
            parent=self,
        )

    def _on_model_toggled(self, role: str, permission: str, granted: bool) -> None:
        ctx = self._ctx
        self.banner.clear_message()
        ctx.runner.run(
            lambda: set_grant(
                ctx.uow(), actor=ctx.actor, role=role, permission=permission, granted=granted
            ),
            on_done=self.model.set_matrix,
            on_error=lambda message: self.banner.show_message(message, "error"),
            parent=self,
        )
