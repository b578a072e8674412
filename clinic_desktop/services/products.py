"""Products: the list with stock badges and filters, one product's detail (lots with their
stock, movement history newest first, paged), create, edit, deactivate and reactivate, and the
categories in use. Codes are unique; barcodes unique among active products; the tax code must
be one of the clinic country's; numbers are checked for sign and places before they reach the
integer columns. Editing needs inventory.manage; reading is for every signed-in user."""

from __future__ import annotations

import uuid

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from clinic_desktop.actor import Actor
from clinic_desktop.db.uow import UnitOfWork
from clinic_desktop.errors import NeedsConfirmation, NotFound, ValidationError
from clinic_desktop.events import InventoryChanged
from clinic_desktop.fiscal.tax_codes import DEFAULT_GOODS, find_tax_code, tax_codes
from clinic_desktop.formatting import quantity as quantity_text
from clinic_desktop.i18n import _
from clinic_desktop.models.clinic import Clinic
from clinic_desktop.models.inventory import COMMON_UNITS, Product, Supplier
from clinic_desktop.models.permissions import Permission
from clinic_desktop.models.stock import StockMovement
from clinic_desktop.services.access import require
from clinic_desktop.services.agenda_rules import clinic_country
from clinic_desktop.services.concurrency import check_version
from clinic_desktop.services.inventory_dto import (
    ZERO,
    ProductChoicesDTO,
    ProductDetailDTO,
    ProductDTO,
    ProductForm,
    StockBadge,
    TaxCodeChoice,
    parse_decimal,
)
from clinic_desktop.services.products_query import (
    live_product,
    product_dto,
    product_dtos,
    product_lots,
    product_movements,
    product_query,
    require_reader,
    row_matches_text,
    stock_context,
)
from clinic_desktop.services.suppliers import supplier_dto

MOVEMENTS_PAGE = 50


def list_products(
    uow: UnitOfWork,
    *,
    actor: Actor,
    text: str = "",
    category: str | None = None,
    badge: StockBadge | str | None = None,
    include_inactive: bool = False,
) -> list[ProductDTO]:
    """Products by name, with stock. `text` matches code, name, barcode or location (ignoring
    accents and case, words in any order); `badge` keeps those meeting that condition (a low
    product whose badge shows "expired" is still found under "low")."""
    with uow.transaction(actor) as session:
        require_reader(session, actor)
        context = stock_context(session)
        query = product_query(context)
        if not include_inactive:
            query = query.where(Product.active.is_(True))
        if category:
            query = query.where(Product.category == category)
        # Through the connection: a column query needs nothing from the ORM, whose result
        # handling costs a tenth of the whole list at 5,000 products.
        ordered = query.order_by(func.lower(Product.name))
        rows = [tuple(row) for row in session.connection().execute(ordered)]
        if text.strip():
            # Matched here rather than with LIKE: SQLite folds neither accents nor "Á".
            rows = [row for row in rows if row_matches_text(row, text)]
        products = product_dtos(session, rows, context=context)
    if badge:
        wanted = StockBadge(badge)
        products = [p for p in products if p.matches(wanted)]
    return products


def list_categories(uow: UnitOfWork, *, actor: Actor) -> list[str]:
    with uow.transaction(actor) as session:
        require_reader(session, actor)
        rows = session.scalars(
            select(Product.category)
            .where(Product.deleted_at.is_(None), Product.category != "")
            .distinct()
        )
        return sorted(rows, key=str.lower)


def product_choices(uow: UnitOfWork, *, actor: Actor) -> ProductChoicesDTO:
    """The editor's pick lists, in one trip."""
    with uow.transaction(actor) as session:
        require_reader(session, actor)
        country = clinic_country(session)
        in_use = session.execute(
            select(Product.category, Product.unit).where(Product.deleted_at.is_(None)).distinct()
        ).all()
        categories = sorted({c for c, _u in in_use if c}, key=str.lower)
        units = list(COMMON_UNITS) + sorted({u for _c, u in in_use if u} - set(COMMON_UNITS))
        suppliers = session.scalars(
            select(Supplier)
            .where(Supplier.deleted_at.is_(None), Supplier.active.is_(True))
            .order_by(func.lower(Supplier.name))
        )
        return ProductChoicesDTO(
            categories=tuple(categories),
            units=tuple(units),
            tax_codes=tuple(TaxCodeChoice(c.code, _(c.label)) for c in tax_codes(country)),
            default_tax_code=DEFAULT_GOODS.get(country, ""),
            suppliers=tuple(supplier_dto(s) for s in suppliers),
            currency=session.scalar(select(Clinic.currency).limit(1)) or "USD",
        )


def get_product(uow: UnitOfWork, *, actor: Actor, product_id: uuid.UUID) -> ProductDTO:
    with uow.transaction(actor) as session:
        require_reader(session, actor)
        return product_dto(session, product_id)


def get_product_detail(
    uow: UnitOfWork,
    *,
    actor: Actor,
    product_id: uuid.UUID,
    movements_limit: int = MOVEMENTS_PAGE,
    movements_offset: int = 0,
) -> ProductDetailDTO:
    with uow.transaction(actor) as session:
        require_reader(session, actor)
        product = product_dto(session, product_id)
        context = stock_context(session)
        lots = product_lots(session, product_id, context.today, context.horizon)
        total = session.scalar(select(func.count()).where(StockMovement.product_id == product_id))
        movements = product_movements(
            session, product_id, limit=max(1, movements_limit), offset=max(0, movements_offset)
        )
        return ProductDetailDTO(
            product=product,
            lots=lots,
            movements=movements,
            movements_total=int(total or 0),
            movements_offset=max(0, movements_offset),
        )


def create_product(uow: UnitOfWork, *, actor: Actor, form: ProductForm) -> ProductDTO:
    with uow.transaction(actor) as session:
        require(session, actor, Permission.INVENTORY_MANAGE)
        values = clean_product(session, form, exclude=None)
        product = Product(**values)
        session.add(product)
        session.flush()
        _announce(uow, product.id)
        return product_dto(session, product.id)


def update_product(
    uow: UnitOfWork,
    *,
    actor: Actor,
    product_id: uuid.UUID,
    expected_version: int,
    form: ProductForm,
) -> ProductDTO:
    with uow.transaction(actor) as session:
        require(session, actor, Permission.INVENTORY_MANAGE)
        product = live_product(session, product_id)
        check_version(session, product, expected_version)
        values = clean_product(session, form, exclude=product.id, active=product.active)
        for key, value in values.items():
            if getattr(product, key) != value:
                setattr(product, key, value)
        session.flush()
        _announce(uow, product.id)
        return product_dto(session, product.id)


def set_product_active(
    uow: UnitOfWork,
    *,
    actor: Actor,
    product_id: uuid.UUID,
    active: bool,
    confirmed: bool = False,
) -> ProductDTO:
    """Deactivating hides a product from pickers and new orders; its ledger stays. A product
    that still has stock asks first (NeedsConfirmation) unless `confirmed`."""
    with uow.transaction(actor) as session:
        require(session, actor, Permission.INVENTORY_MANAGE)
        product = live_product(session, product_id)
        if not active and not confirmed:
            current = product_dto(session, product_id)
            if current.on_hand != ZERO:
                raise NeedsConfirmation(
                    _("{product} still has {quantity} {unit} in stock.").format(
                        product=product.name,
                        quantity=quantity_text(current.on_hand),
                        unit=product.unit,
                    ),
                    question=_("Deactivate it anyway? The stock stays in the ledger."),
                )
        if active and product.barcode:
            _check_barcode(session, product.barcode, exclude=product.id)
        product.active = active
        session.flush()
        _announce(uow, product.id)
        return product_dto(session, product.id)


def deactivate_product(
    uow: UnitOfWork, *, actor: Actor, product_id: uuid.UUID, confirmed: bool = False
) -> ProductDTO:
    return set_product_active(
        uow, actor=actor, product_id=product_id, active=False, confirmed=confirmed
    )


def _announce(uow: UnitOfWork, product_id: uuid.UUID) -> None:
    uow.publish_after_commit(InventoryChanged(what="products", ids=(str(product_id),)))


# -- validation --------------------------------------------------------------------------------


def _text(value: str, *, field: str, label: str, limit: int) -> str:
    text = " ".join(value.split())
    if len(text) > limit:
        raise ValidationError(
            _("{field}: at most {count} characters.").format(field=label, count=limit),
            field=field,
        )
    return text


def _check_barcode(session: Session, barcode: str, *, exclude: uuid.UUID | None) -> None:
    query = select(Product.code).where(
        Product.barcode == barcode, Product.active.is_(True), Product.deleted_at.is_(None)
    )
    if exclude is not None:
        query = query.where(Product.id != exclude)
    other = session.scalar(query.limit(1))
    if other is not None:
        raise ValidationError(
            _("Barcode: product {code} already has it.").format(code=other), field="barcode"
        )


def clean_product(
    session: Session, form: ProductForm, *, exclude: uuid.UUID | None, active: bool = True
) -> dict[str, object]:
    """The column values for `form`, or ValidationError naming the first bad field."""
    code = _text(form.code, field="code", label=_("Code"), limit=40)
    if not code:
        raise ValidationError(_("Code: it is required."), field="code")
    taken = session.scalar(select(Product.id).where(func.lower(Product.code) == code.lower()))
    if taken is not None and taken != exclude:
        raise ValidationError(
            _("Code: another product already uses {code}.").format(code=code), field="code"
        )
    name = _text(form.name, field="name", label=_("Name"), limit=200)
    if not name:
        raise ValidationError(_("Name: it is required."), field="name")
    unit = _text(form.unit, field="unit", label=_("Unit of use"), limit=20)
    if not unit:
        raise ValidationError(_("Unit of use: it is required (unidad, ml, g...)."), field="unit")
    barcode = form.barcode.strip() or None
    if barcode is not None:
        _text(barcode, field="barcode", label=_("Barcode"), limit=64)
        if active:
            _check_barcode(session, barcode, exclude=exclude)
    per_purchase = parse_decimal(
        form.units_per_purchase,
        field="units_per_purchase",
        label=_("Units per purchase unit"),
        places=3,
    )
    if per_purchase <= ZERO:
        raise ValidationError(
            _("Units per purchase unit: it must be more than zero (1 if bought by the unit)."),
            field="units_per_purchase",
        )
    cost = parse_decimal(form.cost, field="cost", label=_("Cost"), places=4)
    sale_price = parse_decimal(form.sale_price, field="sale_price", label=_("Sale price"), places=2)
    reorder = parse_decimal(
        form.reorder_level, field="reorder_level", label=_("Reorder level"), places=3
    )
    for value, field, label in (
        (cost, "cost", _("Cost")),
        (sale_price, "sale_price", _("Sale price")),
        (reorder, "reorder_level", _("Reorder level")),
    ):
        if value < ZERO:
            raise ValidationError(
                _("{field}: it cannot be negative.").format(field=label), field=field
            )
    country = clinic_country(session)
    tax_code = form.tax_code.strip() or DEFAULT_GOODS.get(country, "")
    if find_tax_code(country, tax_code) is None:
        raise ValidationError(
            _("Tax: {code} is not a tax code used in this clinic's country.").format(code=tax_code),
            field="tax_code",
        )
    supplier_id = form.preferred_supplier_id
    if supplier_id is not None:
        supplier = session.get(Supplier, supplier_id)
        if supplier is None or supplier.is_deleted:
            raise NotFound(_("The supplier no longer exists."))
    return {
        "code": code,
        "name": name,
        "category": _text(form.category, field="category", label=_("Category"), limit=80),
        "unit": unit,
        "barcode": barcode,
        "purchase_unit": _text(
            form.purchase_unit, field="purchase_unit", label=_("Purchase unit"), limit=40
        ),
        "units_per_purchase": per_purchase,
        "cost": cost,
        "sale_price": sale_price,
        "tax_code": tax_code,
        "reorder_level": reorder,
        "preferred_supplier_id": supplier_id,
        "location": _text(form.location, field="location", label=_("Location"), limit=80),
        "notes": form.notes.strip(),
    }
