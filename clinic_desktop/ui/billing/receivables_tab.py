"""The receivables tab of the billing area: who owes the clinic what, as of a date, aged by
invoice date into 0–30, 31–60, 61–90 and over 90 days, one row per patient (or per buyer named
on invoices without a patient), largest debt first, with the totals in the last row; the
invoices behind the selected row are listed under it. Double-clicking a patient opens their
account, from where a payment can be taken. Reading needs billing.manage or reports.finance
(the service decides and its refusal is shown). Follows payments and invoices made anywhere
through the event bridge."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from clinic_desktop.events import BillingChanged
from clinic_desktop.i18n import _, ngettext
from clinic_desktop.services.accounts import (
    ReceivableInvoiceDTO,
    ReceivableRowDTO,
    ReceivablesDTO,
    aging_labels,
    receivables,
)
from clinic_desktop.ui.agenda.dialog_kit import date_box, from_qdate, to_qdate
from clinic_desktop.ui.billing.account_dialog import PatientAccountDialog, open_patient_account
from clinic_desktop.ui.billing.money_widgets import ZERO, coalescing_timer, money_text
from clinic_desktop.ui.chart.clinical_dialog_kit import clinic_today, date_text, small_button
from clinic_desktop.ui.context import UiContext
from clinic_desktop.ui.inventory.products_kit import RowTableModel
from clinic_desktop.ui.style import ACCENT_TINT, DANGER, WARNING, bold, set_role
from clinic_desktop.ui.widgets.screen_kit import (
    Column,
    Index,
    MessageBanner,
    list_table,
    selected_entry,
)

OVER_90 = 3
BUCKET_INKS = ("", "", WARNING, DANGER)


@dataclass(frozen=True)
class TotalsRow:
    """The last row of the table: the buckets added up over every debtor."""

    debtor: str
    buckets: tuple[Decimal, Decimal, Decimal, Decimal]
    total: Decimal
    invoices: tuple[ReceivableInvoiceDTO, ...]
    patient_id: None = None


Row = ReceivableRowDTO | TotalsRow


class AgingModel(RowTableModel):
    """The debtors' rows with the totals row in bold on a tint; over-90 amounts in red."""

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        item = self.row_at(index.row())
        if isinstance(item, TotalsRow):
            if role == Qt.ItemDataRole.FontRole:
                font = QFont()
                font.setBold(True)
                return font
            if role == Qt.ItemDataRole.BackgroundRole:
                return QBrush(QColor(ACCENT_TINT))
        bucket = index.column() - 2
        if (
            role == Qt.ItemDataRole.ForegroundRole
            and item is not None
            and 0 <= bucket < len(BUCKET_INKS)
            and BUCKET_INKS[bucket]
            and item.buckets[bucket] > ZERO
        ):
            return QBrush(QColor(BUCKET_INKS[bucket]))
        return super().data(index, role)


def _oldest(row: Row) -> str:
    if isinstance(row, TotalsRow) or not row.invoices:
        return ""
    return date_text(row.invoices[0].issue_date)


class ReceivablesTab(QWidget):
    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.setObjectName("ReceivablesTab")
        self.currency = ctx.clinic.currency
        self.data: ReceivablesDTO | None = None
        self.account_dialog: PatientAccountDialog | None = None

        self.on_box = date_box("ReceivablesDateBox", self, weekday=False)
        self.on_box.setDate(to_qdate(clinic_today(ctx)))
        self.on_box.setFixedWidth(150)
        self.on_box.dateChanged.connect(lambda _d: self.refresh())
        self.summary_label = QLabel(self)
        self.summary_label.setObjectName("ReceivablesSummaryLabel")
        bold(self.summary_label, 11)
        self.account_button = small_button(
            _("Open account…"), "ReceivablesAccountButton", self, primary=True
        )
        self.account_button.clicked.connect(self.open_selected_account)
        self.banner = MessageBanner("ReceivablesMessage", self)
        basis = QLabel(
            _(
                "What is still owed on issued invoices dated up to that day, by the age of each "
                "invoice. Payments already received are deducted, whenever they were made."
            ),
            self,
        )
        basis.setObjectName("ReceivablesBasisLabel")
        basis.setWordWrap(True)
        set_role(basis, "hint")

        money = self._money
        labels = aging_labels()
        columns: list[Column[Row]] = [
            Column(_("Debtor"), lambda r: r.debtor),
            Column(_("Invoices"), lambda r: str(len(r.invoices)), align_right=True),
        ]
        for index, label in enumerate(labels):
            columns.append(Column(label, self._bucket_text(index), align_right=True))
        columns.append(Column(_("Total owed"), lambda r: money(r.total), align_right=True))
        columns.append(Column(_("Oldest invoice"), _oldest))
        self.model = AgingModel(columns, parent=self)
        self.table = list_table(self.model, "ReceivablesTable", self)
        self.table.doubleClicked.connect(lambda _i: self.open_selected_account())
        self.table.selectionModel().selectionChanged.connect(lambda *_a: self._on_selected())

        self.invoices_title = QLabel(self)
        self.invoices_title.setObjectName("ReceivablesInvoicesTitle")
        bold(self.invoices_title, 11)
        self.invoices_model = RowTableModel(
            [
                Column(_("Invoice"), lambda i: i.number),
                Column(_("Date"), lambda i: date_text(i.issue_date)),
                Column(_("Days"), lambda i: str(i.age_days), align_right=True),
                Column(_("Age"), lambda i: labels[i.bucket]),
                Column(_("Total"), lambda i: money(i.total), align_right=True),
                Column(_("Owed"), lambda i: money(i.balance), align_right=True),
            ],
            foreground=lambda i: BUCKET_INKS[i.bucket] or None,
            parent=self,
        )
        self.invoices_table = list_table(self.invoices_model, "ReceivablesInvoicesTable", self)
        for table in (self.table, self.invoices_table):
            table.verticalHeader().setDefaultSectionSize(30)
            header = table.horizontalHeader()
            header.setMinimumSectionSize(96)
            header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
            header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)

        top = QHBoxLayout()
        top.addWidget(QLabel(_("As of"), self))
        top.addWidget(self.on_box)
        top.addSpacing(16)
        top.addWidget(self.summary_label, 1)
        top.addWidget(self.account_button)
        lower = QWidget(self)
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 6, 0, 0)
        lower_layout.addWidget(self.invoices_title)
        lower_layout.addWidget(self.invoices_table, 1)
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(self.table)
        splitter.addWidget(lower)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(basis)
        layout.addWidget(self.banner)
        layout.addWidget(splitter, 1)

        self._reload = coalescing_timer(self, self.refresh)
        ctx.bridge.billing_changed.connect(self._on_bridge_billing_changed)
        self._on_selected()
        self.refresh()

    def _money(self, amount: Decimal) -> str:
        return money_text(amount, self.currency)

    def _bucket_text(self, index: int) -> Callable[[Row], str]:
        return lambda row: self._money(row.buckets[index]) if row.buckets[index] else "—"

    def as_of(self) -> date:
        return from_qdate(self.on_box.date())

    def refresh(self) -> None:
        ctx, on = self._ctx, self.as_of()
        ctx.runner.run(
            lambda: receivables(ctx.uow(), actor=ctx.actor, on=on),
            on_done=self._show,
            on_error=lambda text: self.banner.show_message(text, "error"),
            parent=self,
        )

    def _show(self, data: ReceivablesDTO) -> None:
        self.banner.clear_message()
        self.data = data
        self.currency = data.currency
        kept = self.selected_row()
        totals = TotalsRow(
            debtor=_("Total"),
            buckets=data.totals,
            total=data.total,
            invoices=tuple(i for r in data.rows for i in r.invoices),
        )
        self.model.set_rows([*data.rows, totals] if data.rows else [])
        debtors = ngettext("{count} debtor", "{count} debtors", len(data.rows)).format(
            count=len(data.rows)
        )
        invoices = ngettext(
            "{count} invoice owed", "{count} invoices owed", data.invoice_count
        ).format(count=data.invoice_count)
        self.summary_label.setText(
            _("{total} owed · {invoices} · {debtors}").format(
                total=self._money(data.total), invoices=invoices, debtors=debtors
            )
            if data.rows
            else _("Nobody owes the clinic anything on {day}.").format(day=date_text(data.on))
        )
        if kept is not None:
            for row, item in enumerate(self.model.rows()):
                if (item.patient_id, item.debtor) == (kept.patient_id, kept.debtor):
                    self.table.selectRow(row)
                    break
        self._on_selected()

    def rows(self) -> list[Row]:
        return self.model.rows()

    def selected_row(self) -> Row | None:
        return selected_entry(self.table, self.model)

    def _on_selected(self) -> None:
        row = self.selected_row()
        if row is None:
            self.invoices_title.setText(_("Choose a debtor to see the invoices owed."))
            self.invoices_model.set_rows([])
        elif isinstance(row, TotalsRow):
            self.invoices_title.setText(_("Every invoice owed"))
            self.invoices_model.set_rows(row.invoices)
        else:
            self.invoices_title.setText(_("Invoices owed by {debtor}").format(debtor=row.debtor))
            self.invoices_model.set_rows(row.invoices)
        self.account_button.setEnabled(row is not None and row.patient_id is not None)

    def open_selected_account(self) -> None:
        row = self.selected_row()
        if row is None or isinstance(row, TotalsRow):
            return
        if row.patient_id is None:
            self.banner.show_message(
                _(
                    "{debtor} is not a patient: their invoices have no account here. Take the "
                    "payment from the invoice itself."
                ).format(debtor=row.debtor),
                "info",
            )
            return
        self.account_dialog = open_patient_account(self._ctx, row.patient_id, self)

    def _on_bridge_billing_changed(self, event: object) -> None:
        if isinstance(event, BillingChanged) and event.what in ("expenses", "cash"):
            return
        self._reload.start()
