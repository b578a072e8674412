"""The billing area's Reports tab (reports.finance): the seven financial reports listed on the
left (income, expenses and profit; income by practitioner, by treatment and by payment method;
the tax summary by rate; receivables; cash closes), each with its parameters
(finance_reports_params), shown with the basis its figures are computed on, saved as the
accountant's CSV and printed, by the shared ui.widgets.report_view. The services decide who may
run them; a user without the right is told why and the Run button stays off. When invoices,
payments, cash closes or expenses change, a shown report says it may be out of date rather
than re-running by itself. The save-as prompt and the preview are this module's
`save_csv_prompt` and `show_pdf_preview`, which tests replace."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from zoneinfo import ZoneInfo

from PySide6.QtWidgets import QWidget

from clinic_desktop.i18n import _
from clinic_desktop.services.finance_reports_common import FinanceReportKey
from clinic_desktop.services.labels import permission_label
from clinic_desktop.services.report_table import TabularReport
from clinic_desktop.ui.billing.finance_reports_params import SPECS, FinanceReportParameters
from clinic_desktop.ui.context import UiContext
from clinic_desktop.ui.widgets.print_preview import show_pdf_preview
from clinic_desktop.ui.widgets.report_view import ReportsView, file_stem, save_csv_prompt

__all__ = ["FinanceReportsTab", "file_stem", "save_csv_prompt", "show_pdf_preview"]

FINANCE = "reports.finance"


class FinanceReportsTab(ReportsView):
    params: FinanceReportParameters

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, specs=SPECS, list_name="FinanceReportList", parent=parent)
        self.setObjectName("FinanceReportsTab")
        if not ctx.can(FINANCE):
            self.refuse(
                _(
                    "Your role does not allow the financial reports (needs: {permission}). "
                    "Ask the clinic's owner."
                ).format(permission=permission_label(FINANCE))
            )
        ctx.bridge.billing_changed.connect(self._on_bridge_billing_changed)

    def create_parameters(self) -> FinanceReportParameters:
        return FinanceReportParameters(clinic_today(self._ctx), self)

    # Through this module's names, which tests replace.
    def ask_csv_path(self, title: str, suggested: str) -> str:
        return save_csv_prompt(self, title, suggested)

    def preview_pdf(self, pdf: bytes, title: str) -> None:
        show_pdf_preview(self, pdf, title)

    def stretched_columns(self, report: TabularReport) -> Sequence[int]:
        # A month or a day is short: the figures, not the first column, share the width.
        if report.key == FinanceReportKey.INCOME_EXPENSES:
            return range(len(report.columns))
        return super().stretched_columns(report)

    def _on_bridge_billing_changed(self, _event: object) -> None:
        self.mark_out_of_date(
            _(
                "Invoices, payments or expenses changed after this report was run: run it "
                "again to include the change."
            )
        )


def clinic_today(ctx: UiContext) -> date:
    """Today on the clinic's calendar: the named periods are the clinic's months and years."""
    return datetime.now(ZoneInfo(ctx.clinic.timezone)).date()
