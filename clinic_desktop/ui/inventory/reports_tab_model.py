"""Which reports the inventory reports tab offers and which parameters each one takes (the
table that shows them is the shared ui.widgets.report_table_model)."""

from __future__ import annotations

from dataclasses import dataclass

from clinic_desktop.i18n import N_


@dataclass(frozen=True)
class ReportSpec:
    """One report of the list and the parameters it asks for."""

    key: str
    title: str  # N_() source text
    summary: str  # N_() source text
    period: bool = False  # from / to dates
    optional_period: bool = False  # the period can be switched off (margins)
    as_of: bool = False  # one day (valuation)
    category: str = ""  # "product" or "treatment": which categories to offer
    product_and_kind: bool = False  # movements
    group_by: bool = False  # consumption


SPECS: tuple[ReportSpec, ...] = (
    ReportSpec(
        "valuation",
        N_("Stock valuation"),
        N_("What the stock on the shelves was worth at cost at the end of any day."),
        as_of=True,
        category="product",
    ),
    ReportSpec(
        "movements",
        N_("Stock movements"),
        N_("Every receipt, use, adjustment, write-off and return of a period."),
        period=True,
        category="product",
        product_and_kind=True,
    ),
    ReportSpec(
        "consumption",
        N_("Consumption"),
        N_("What was used in a period and what it cost, by treatment or by practitioner."),
        period=True,
        category="product",
        group_by=True,
    ),
    ReportSpec(
        "variance",
        N_("Recipe vs actual"),
        N_("Where the quantities really used differ from the treatments' recipes."),
        period=True,
        category="product",
    ),
    ReportSpec(
        "margins",
        N_("Treatment margins"),
        N_("Each treatment's price against the cost of its recipe, and what it really left."),
        period=True,
        optional_period=True,
        category="treatment",
    ),
)


def spec_of(key: str) -> ReportSpec:
    return next(spec for spec in SPECS if spec.key == key)
