"""Frozen data the purchasing services take and return: purchase orders with their lines (in
the supplier's purchase units and, converted, in the clinic's units of use), the input of a
draft's lines and of a receipt, what a receipt created, and the suggested orders. Also the
translated names of the order statuses and the "OC-000123" form of an order number, shared by
the screens and the printed order. Quantities on lines are purchase units (3 places), unit
costs are per purchase unit (4 places), totals are money (2 places) in the clinic currency."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

from clinic_desktop.i18n import N_, _

ZERO = Decimal(0)
CENT = Decimal("0.01")

STATUS_LABELS: dict[str, str] = {
    "draft": N_("Draft"),
    "ordered": N_("Ordered"),
    "partial": N_("Partly received"),
    "received": N_("Received"),
    "closed": N_("Closed short"),
    "cancelled": N_("Cancelled"),
}
# Orders still expecting goods (or still being written): what "open" means in the filters and
# what the suggestions count as already on order. An order closed short is in neither tuple:
# what it still lacks will never come.
OPEN_STATUSES = ("draft", "ordered", "partial")
RECEIVABLE_STATUSES = ("ordered", "partial")


def status_label(status: str) -> str:
    return _(STATUS_LABELS[status]) if status in STATUS_LABELS else status


def order_number_text(number: int) -> str:
    """ "OC-000123": orden de compra, six digits so the numbers sort as text too."""
    return f"OC-{number:06d}"


def money_round(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class OrderLineDTO:
    id: uuid.UUID
    product_id: uuid.UUID
    product_code: str
    product_name: str
    unit: str  # the unit of use: unidad, ml, g
    purchase_unit: str  # "caja de 100"; "" when bought by the unit of use
    units_per_purchase: Decimal
    quantity: Decimal  # purchase units ordered
    quantity_in_units: Decimal  # the same in units of use
    unit_cost: Decimal  # per purchase unit
    received_quantity: Decimal  # purchase units received so far
    line_total: Decimal  # quantity × unit cost, in cents

    @property
    def outstanding(self) -> Decimal:
        """Purchase units still to arrive (never negative, even after an over-receipt)."""
        return max(ZERO, self.quantity - self.received_quantity)

    @property
    def purchase_unit_name(self) -> str:
        return self.purchase_unit or self.unit


@dataclass(frozen=True)
class PurchaseOrderDTO:
    id: uuid.UUID
    number: int
    number_text: str  # "OC-000123"
    supplier_id: uuid.UUID
    supplier_name: str
    status: str  # models.purchasing.OrderStatus value
    status_label: str
    ordered_on: date | None
    expected_on: date | None
    notes: str
    lines: tuple[OrderLineDTO, ...]
    total: Decimal
    currency: str
    # Share of the ordered quantity received so far, 0 to 1 (over-receipts count as whole).
    received_fraction: Decimal
    created_at: datetime
    version: int

    @property
    def is_draft(self) -> bool:
        return self.status == "draft"

    @property
    def can_receive(self) -> bool:
        return self.status in RECEIVABLE_STATUSES

    @property
    def can_cancel(self) -> bool:
        # Cancelling is refused once anything arrived: the goods are in the ledger.
        return self.status in ("draft", "ordered") and not any(
            line.received_quantity > ZERO for line in self.lines
        )

    @property
    def can_close_short(self) -> bool:
        # Only a partly received order: a placed one with nothing arrived is cancelled instead.
        return self.status == "partial"


@dataclass(frozen=True)
class OrderLineInput:
    """One line of a draft as the editor sends it; `line_id` keeps an existing line."""

    product_id: uuid.UUID
    quantity: Decimal  # purchase units
    unit_cost: Decimal  # per purchase unit
    line_id: uuid.UUID | None = None


@dataclass(frozen=True)
class ReceiptLine:
    """What arrived for one order line; a line received in two lots is sent twice."""

    line_id: uuid.UUID
    quantity: Decimal  # purchase units
    lot_number: str = ""
    expiry_date: date | None = None
    unit_cost: Decimal | None = None  # per purchase unit; None keeps the ordered price


@dataclass(frozen=True)
class ReceivedLotDTO:
    lot_id: uuid.UUID
    line_id: uuid.UUID
    product_id: uuid.UUID
    product_name: str
    lot_number: str
    expiry_date: date | None
    quantity: Decimal  # units of use put into the lot
    unit: str
    unit_cost: Decimal  # per unit of use


@dataclass(frozen=True)
class ReceiptDTO:
    order: PurchaseOrderDTO
    lots: tuple[ReceivedLotDTO, ...]


@dataclass(frozen=True)
class SuggestedLine:
    product_id: uuid.UUID
    product_code: str
    product_name: str
    unit: str
    purchase_unit: str
    units_per_purchase: Decimal
    usable: Decimal  # usable stock now (expired lots excluded), units of use
    reorder_level: Decimal
    forecast_need: Decimal  # booked treatments within the horizon, units of use
    runs_out_on: date | None  # when the booked treatments exhaust the stock, if they do
    on_order: Decimal  # outstanding on open orders, units of use
    quantity: Decimal  # suggested, whole purchase units
    unit_cost: Decimal  # per purchase unit, from the product's current cost
    below_reorder: bool
    reason: str  # translated: why it is suggested

    @property
    def purchase_unit_name(self) -> str:
        return self.purchase_unit or self.unit

    @property
    def line_total(self) -> Decimal:
        return money_round(self.quantity * self.unit_cost)


@dataclass(frozen=True)
class SupplierSuggestion:
    supplier_id: uuid.UUID | None  # None: products with no preferred supplier
    supplier_name: str
    lines: tuple[SuggestedLine, ...]

    @property
    def total(self) -> Decimal:
        return sum((line.line_total for line in self.lines), ZERO)


@dataclass(frozen=True)
class SuggestionsDTO:
    groups: tuple[SupplierSuggestion, ...]
    forecast_days: int
    currency: str
    today: date


@dataclass(frozen=True)
class NewOrderInput:
    """One draft to create from the suggestions the user kept."""

    supplier_id: uuid.UUID | None
    lines: tuple[OrderLineInput, ...]
    expected_on: date | None = None
    notes: str = ""
