"""The inventory area's Reports tab: the five reports listed on the left (stock valuation,
movements, consumption, recipe vs actual, treatment margins), each with its parameters
(reports_tab_params), shown, saved as CSV and printed by the shared ui.widgets.report_view.
Reports show costs, so the services decide who may run them; a user without the right is told
why and the Run button stays off. When stock or the catalogue changes, a shown report says it
may be out of date rather than re-running by itself. The save-as prompt and the preview are
this module's `save_csv_prompt` and `show_pdf_preview`, which tests replace."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from clinic_desktop.i18n import _
from clinic_desktop.services.inventory_reports_common import ReportChoices, report_choices
from clinic_desktop.ui.context import UiContext
from clinic_desktop.ui.inventory.reports_tab_model import SPECS
from clinic_desktop.ui.inventory.reports_tab_params import ReportParameters
from clinic_desktop.ui.widgets.print_preview import show_pdf_preview
from clinic_desktop.ui.widgets.report_view import ReportsView, file_stem, save_csv_prompt

__all__ = ["InventoryReportsTab", "file_stem", "save_csv_prompt", "show_pdf_preview"]


class InventoryReportsTab(ReportsView):
    params: ReportParameters

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, specs=SPECS, list_name="InventoryReportList", parent=parent)
        self.setObjectName("InventoryReportsTab")
        ctx.bridge.inventory_changed.connect(self._on_bridge_inventory_changed)
        self.refresh()

    def create_parameters(self) -> ReportParameters:
        return ReportParameters(self)

    # Through this module's names, which tests replace.
    def ask_csv_path(self, title: str, suggested: str) -> str:
        return save_csv_prompt(self, title, suggested)

    def preview_pdf(self, pdf: bytes, title: str) -> None:
        show_pdf_preview(self, pdf, title)

    # -- choices ---------------------------------------------------------------------------

    def refresh(self) -> None:
        """Reloads the filters' choices (categories, products) and whether reports may run."""
        ctx = self._ctx
        ctx.runner.run(
            lambda: report_choices(ctx.uow(), actor=ctx.actor),
            on_done=self._on_choices_done,
            on_error=lambda text: self.banner.show_message(text, "error"),
            parent=self,
        )

    def _on_choices_done(self, choices: ReportChoices) -> None:
        self.params.set_choices(choices)
        if not choices.allowed:
            self.refuse(
                _(
                    "These reports show purchase costs and margins: they need the right to "
                    "manage inventory or to see financial reports. Ask the clinic's owner."
                )
            )

    # -- events ----------------------------------------------------------------------------

    def _on_bridge_inventory_changed(self, _event: object) -> None:
        self.refresh()
        self.mark_out_of_date(
            _(
                "Stock or the catalogue changed after this report was run: run it again "
                "to include the change."
            )
        )
