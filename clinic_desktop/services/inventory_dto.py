"""Frozen data the inventory services take and return: suppliers, products with their stock
and badge, lots, movements, alerts, the consistency report and the CSV import preview. The
treatment, purchasing and report services import `ProductDTO` and `SupplierDTO` from here, so
these names stay stable. Quantities are Decimals in the product's unit of use (3 places),
unit costs 4 places, prices 2; datetimes are aware UTC, dates are the clinic's calendar days.

A product's badge is one word for the list, chosen by precedence (the first that applies):
"expired" (a lot past its expiry still holds stock: write it off before anyone uses it),
"out" (no usable stock), "low" (usable stock at or below the reorder level, when one is set),
"expiring" (a lot with stock expires within `inventory.expiry_warning_days`), "ok". The flags
behind it stay on the DTO, so a filter for "low" also finds a low product whose badge is
"expired"."""

from __future__ import annotations

import unicodedata
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from enum import StrEnum

from clinic_desktop.errors import ValidationError
from clinic_desktop.i18n import N_, _

ZERO = Decimal(0)
# Far beyond any clinic's stock or prices, and well inside the 64-bit integer columns.
LARGEST = Decimal(10) ** 12


def fold(text: str) -> str:
    """Lower case without accents, for searching as people type."""
    plain = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in plain if not unicodedata.combining(c))


class StockBadge(StrEnum):
    OK = "ok"
    LOW = "low"
    EXPIRING = "expiring"
    EXPIRED = "expired"
    OUT = "out"


BADGE_LABELS: dict[str, str] = {
    StockBadge.OK: N_("In stock"),
    StockBadge.LOW: N_("Low"),
    StockBadge.EXPIRING: N_("Expiring"),
    StockBadge.EXPIRED: N_("Expired"),
    StockBadge.OUT: N_("Out of stock"),
}

# Most urgent first: the badge shown is the first condition that holds.
BADGE_PRECEDENCE = (
    StockBadge.EXPIRED,
    StockBadge.OUT,
    StockBadge.LOW,
    StockBadge.EXPIRING,
)


def stock_badge(
    *, usable: Decimal, reorder_level: Decimal, has_expired: bool, has_expiring: bool
) -> StockBadge:
    """The badge for a product from its usable stock (excluding expired lots) and flags."""
    if has_expired:
        return StockBadge.EXPIRED
    if usable <= ZERO:
        return StockBadge.OUT
    if reorder_level > ZERO and usable <= reorder_level:
        return StockBadge.LOW
    if has_expiring:
        return StockBadge.EXPIRING
    return StockBadge.OK


@dataclass(frozen=True)
class SupplierDTO:
    id: uuid.UUID
    name: str
    tax_id: str | None
    contact_name: str
    phone: str
    email: str
    address: str
    notes: str
    active: bool
    version: int
    # Translated doubts about the tax ID (a valid but unusual number) for the user to check.
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class SupplierForm:
    name: str
    tax_id: str = ""
    contact_name: str = ""
    phone: str = ""
    email: str = ""
    address: str = ""
    notes: str = ""


@dataclass(frozen=True)
class ProductDTO:
    id: uuid.UUID
    code: str
    barcode: str | None
    name: str
    category: str
    unit: str  # unit of use: unidad, ml, g
    purchase_unit: str  # "caja de 100"; empty when bought by the unit
    units_per_purchase: Decimal
    cost: Decimal  # per unit of use
    sale_price: Decimal
    tax_code: str
    reorder_level: Decimal
    preferred_supplier_id: uuid.UUID | None
    preferred_supplier_name: str | None
    location: str
    notes: str
    active: bool
    version: int
    # Stock, from the ledger's balance cache.
    on_hand: Decimal  # every lot, expired ones included
    usable: Decimal  # lots not yet expired (what a treatment may take)
    expired_quantity: Decimal
    next_expiry: date | None  # the earliest expiry among lots with stock
    is_low: bool
    has_expiring: bool
    has_expired: bool
    badge: StockBadge
    tax_label: str = ""  # the tax code as people read it ("IVA 0 % (health services)")

    @property
    def is_out(self) -> bool:
        return self.usable <= ZERO

    def matches_text(self, text: str) -> bool:
        """Every word of `text` appears in the code, name, barcode or location, ignoring case
        and accents ("acido" finds "Ácido grabador")."""
        haystack = fold(" ".join((self.code, self.name, self.barcode or "", self.location)))
        return all(word in haystack for word in fold(text).split())

    def matches(self, badge: StockBadge) -> bool:
        """Whether the product meets the condition behind `badge` (for filters and alerts)."""
        return {
            StockBadge.OK: self.badge is StockBadge.OK,
            # Low means some usable stock but not enough; none at all is "out".
            StockBadge.LOW: self.is_low and not self.is_out,
            StockBadge.EXPIRING: self.has_expiring,
            StockBadge.EXPIRED: self.has_expired,
            StockBadge.OUT: self.is_out,
        }[badge]


@dataclass(frozen=True)
class ProductForm:
    """A product as typed. Numbers may be Decimals or the text a person typed ("12,50");
    the service parses and checks them."""

    code: str
    name: str
    unit: str = "unidad"
    category: str = ""
    barcode: str = ""
    purchase_unit: str = ""
    units_per_purchase: Decimal | str = Decimal(1)
    cost: Decimal | str = ZERO
    sale_price: Decimal | str = ZERO
    tax_code: str = ""  # empty: the country's default for goods
    reorder_level: Decimal | str = ZERO
    preferred_supplier_id: uuid.UUID | None = None
    location: str = ""
    notes: str = ""


@dataclass(frozen=True)
class TaxCodeChoice:
    code: str
    label: str  # translated


@dataclass(frozen=True)
class ProductChoicesDTO:
    """What the product editor offers: categories and units in use (and the usual units),
    the clinic country's tax codes with the default for goods, and the active suppliers."""

    categories: tuple[str, ...]
    units: tuple[str, ...]
    tax_codes: tuple[TaxCodeChoice, ...]
    default_tax_code: str
    suppliers: tuple[SupplierDTO, ...]
    currency: str


@dataclass(frozen=True)
class LotDTO:
    id: uuid.UUID
    product_id: uuid.UUID
    lot_number: str
    expiry_date: date | None
    received_on: date
    unit_cost: Decimal
    supplier_id: uuid.UUID | None
    supplier_name: str | None
    on_hand: Decimal
    expired: bool
    expiring: bool  # expires within the warning window, not yet expired


@dataclass(frozen=True)
class MovementDTO:
    id: uuid.UUID
    product_id: uuid.UUID
    lot_id: uuid.UUID
    lot_number: str
    kind: str  # models.stock.MovementKind value
    kind_label: str
    quantity: Decimal  # signed: + in, - out
    unit_cost: Decimal
    reason: str
    user_name: str  # who recorded it ("" for the system)
    occurred_at: datetime
    source: str  # models.stock.MovementSource value
    source_label: str  # "Purchase order OC-000012", "Appointment", "CSV import", "Manual"
    reverses_id: uuid.UUID | None
    reversed: bool  # a later movement undoes this one


@dataclass(frozen=True)
class ProductDetailDTO:
    product: ProductDTO
    lots: tuple[LotDTO, ...]  # lots with stock first (by expiry), then emptied ones
    movements: tuple[MovementDTO, ...]  # newest first, one page
    movements_total: int
    movements_offset: int


@dataclass(frozen=True)
class StockChangeDTO:
    """What a receipt, adjustment, write-off or return did."""

    product_id: uuid.UUID
    lot_id: uuid.UUID | None
    movement_ids: tuple[uuid.UUID, ...]
    on_hand: Decimal  # the product's stock afterwards
    warning: str | None = None  # e.g. stock went below zero because the clinic allows it


@dataclass(frozen=True)
class ExpiryAlertDTO:
    product_id: uuid.UUID
    product_code: str
    product_name: str
    unit: str
    lot_id: uuid.UUID
    lot_number: str
    expiry_date: date
    on_hand: Decimal
    days_left: int  # negative once expired


@dataclass(frozen=True)
class StockAlertsDTO:
    low: tuple[ProductDTO, ...]
    out: tuple[ProductDTO, ...]
    expiring: tuple[ExpiryAlertDTO, ...]
    expired: tuple[ExpiryAlertDTO, ...]
    warning_days: int

    @property
    def total(self) -> int:
        return len(self.low) + len(self.out) + len(self.expiring) + len(self.expired)


@dataclass(frozen=True)
class MismatchDTO:
    product_id: uuid.UUID
    product_code: str
    product_name: str
    lot_id: uuid.UUID
    lot_number: str
    ledger: Decimal
    cached: Decimal


@dataclass(frozen=True)
class ConsistencyReportDTO:
    lots_checked: int
    movements_checked: int
    mismatches: tuple[MismatchDTO, ...]

    @property
    def ok(self) -> bool:
        return not self.mismatches


@dataclass(frozen=True)
class ImportRowDTO:
    """One valid CSV line, parsed."""

    line: int
    code: str
    name: str
    category: str
    unit: str
    purchase_unit: str
    units_per_purchase: Decimal
    cost: Decimal
    sale_price: Decimal
    tax_code: str
    reorder_level: Decimal
    location: str
    barcode: str
    supplier: str
    quantity: Decimal
    lot: str
    expiry: date | None
    new_supplier: bool
    # Doubts that do not stop the import (an expired lot), shown in the preview.
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class ImportLineError:
    line: int
    reasons: tuple[str, ...]
    text: str  # the raw line, for the preview


@dataclass(frozen=True)
class ImportPreview:
    rows: tuple[ImportRowDTO, ...]
    errors: tuple[ImportLineError, ...]
    delimiter: str
    new_suppliers: tuple[str, ...] = field(default=())

    @property
    def ok(self) -> bool:
        return bool(self.rows) and not self.errors


@dataclass(frozen=True)
class ImportResult:
    products_created: int
    suppliers_created: int
    lots_created: int


def parse_decimal(text: str | Decimal | int, *, field: str, label: str, places: int) -> Decimal:
    """A Decimal from what a person typed ("1.234,5", "12,50", "0.085"), with at most
    `places` decimals. Raises ValidationError naming `label` (already translated)."""
    if isinstance(text, Decimal | int):
        value = Decimal(text)
    else:
        cleaned = text.strip().replace(" ", "").replace("\u00a0", "")
        if not cleaned:
            return ZERO
        if "," in cleaned and "." in cleaned:
            # Whichever comes last is the decimal mark; the other groups thousands.
            if cleaned.rfind(",") > cleaned.rfind("."):
                cleaned = cleaned.replace(".", "").replace(",", ".")
            else:
                cleaned = cleaned.replace(",", "")
        else:
            cleaned = cleaned.replace(",", ".")
        try:
            value = Decimal(cleaned)
        except InvalidOperation:
            raise ValidationError(
                _("{field}: write a number, like 12,50.").format(field=label), field=field
            ) from None
    if not value.is_finite():
        raise ValidationError(
            _("{field}: write a number, like 12,50.").format(field=label), field=field
        )
    exponent = value.normalize().as_tuple().exponent
    if isinstance(exponent, int) and -exponent > places:
        raise ValidationError(
            _("{field}: at most {places} decimals.").format(field=label, places=places),
            field=field,
        )
    if abs(value) >= LARGEST:
        raise ValidationError(
            _("{field}: the number is too large.").format(field=label), field=field
        )
    return value.quantize(Decimal(1).scaleb(-places))
