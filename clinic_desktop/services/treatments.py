"""The treatment catalogue and each treatment's recipe ("composición": the products and
quantities one performance uses): listing and searching it, and creating, changing,
deactivating and re-composing treatments. Editing needs inventory.manage; anyone signed in
may read the catalogue. Treatments are deactivated, never deleted (appointments refer to
them); recipe lines that go away are soft-deleted, so the audit trail shows what a recipe
was. The DTOs live in services.treatment_dto and are re-exported here."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from clinic_desktop.actor import Actor
from clinic_desktop.db.uow import UnitOfWork
from clinic_desktop.errors import ValidationError
from clinic_desktop.events import InventoryChanged
from clinic_desktop.fiscal.tax_codes import find_tax_code
from clinic_desktop.i18n import _
from clinic_desktop.models.base import utcnow
from clinic_desktop.models.inventory import Product
from clinic_desktop.models.patient import fold
from clinic_desktop.models.permissions import Permission
from clinic_desktop.models.treatment import RecipeItem, Treatment
from clinic_desktop.services.access import require
from clinic_desktop.services.agenda_rules import clinic_country
from clinic_desktop.services.concurrency import check_version
from clinic_desktop.services.treatment_dto import (
    CENT,
    MAX_MINUTES,
    MAX_PRICE,
    MAX_RECIPE_QUANTITY,
    MIN_MINUTES,
    QUANTUM,
    ProductChoiceDTO,
    RecipeItemDTO,
    RecipeLine,
    TaxChoice,
    TreatmentDTO,
    TreatmentForm,
    default_tax_code,
    load_treatment,
    one_treatment,
    recipes_of,
    require_user,
    tax_choices,
    treatment_dto,
)

__all__ = [
    "ProductChoiceDTO",
    "RecipeItemDTO",
    "RecipeLine",
    "TaxChoice",
    "TreatmentDTO",
    "TreatmentForm",
    "create_treatment",
    "default_tax_code",
    "get_treatment",
    "list_product_choices",
    "list_treatment_categories",
    "list_treatments",
    "load_treatment",
    "set_recipe",
    "set_treatment_active",
    "tax_choices",
    "update_treatment",
]


# -- reading -----------------------------------------------------------------------------


def list_treatments(
    uow: UnitOfWork,
    *,
    actor: Actor,
    text: str = "",
    category: str | None = None,
    include_inactive: bool = False,
) -> list[TreatmentDTO]:
    """The catalogue by name; `text` matches code or name ignoring case and accents."""
    with uow.transaction(actor) as session:
        require_user(session, actor)
        query = select(Treatment).where(Treatment.deleted_at.is_(None))
        if not include_inactive:
            query = query.where(Treatment.active.is_(True))
        if category:
            query = query.where(Treatment.category == category)
        treatments = list(session.scalars(query))
        wanted = fold(text.strip())
        if wanted:
            treatments = [t for t in treatments if wanted in fold(f"{t.code} {t.name}")]
        recipes = recipes_of(session, [t.id for t in treatments])
        country = clinic_country(session)
        dtos = [treatment_dto(t, recipes[t.id], country) for t in treatments]
    return sorted(dtos, key=lambda t: (fold(t.name), t.code))


def get_treatment(uow: UnitOfWork, *, actor: Actor, treatment_id: uuid.UUID) -> TreatmentDTO:
    with uow.transaction(actor) as session:
        require_user(session, actor)
        return one_treatment(session, load_treatment(session, treatment_id))


def list_treatment_categories(uow: UnitOfWork, *, actor: Actor) -> list[str]:
    with uow.transaction(actor) as session:
        require_user(session, actor)
        rows = session.scalars(
            select(Treatment.category)
            .where(Treatment.deleted_at.is_(None), Treatment.category != "")
            .distinct()
        )
        return sorted(set(rows), key=fold)


def list_product_choices(
    uow: UnitOfWork, *, actor: Actor, include_inactive: bool = False
) -> list[ProductChoiceDTO]:
    """The products a recipe or an extra can use, by name (the pickers filter them locally)."""
    with uow.transaction(actor) as session:
        require_user(session, actor)
        query = select(Product).where(Product.deleted_at.is_(None))
        if not include_inactive:
            query = query.where(Product.active.is_(True))
        dtos = [
            ProductChoiceDTO(p.id, p.code, p.name, p.unit, p.cost, p.active)
            for p in session.scalars(query)
        ]
    return sorted(dtos, key=lambda p: (fold(p.name), p.code))


# -- writing -----------------------------------------------------------------------------


def _clean_form(session: Session, form: TreatmentForm, own_id: uuid.UUID | None) -> TreatmentForm:
    code = " ".join(form.code.split())
    if not code:
        raise ValidationError(_("Code: it is required."), field="code")
    if len(code) > 40:
        raise ValidationError(_("Code: at most {count} characters.").format(count=40), field="code")
    # The column is unique over every row, deactivated and deleted ones too.
    clash = session.scalar(
        select(Treatment.id).where(func.upper(Treatment.code) == code.upper()).limit(1)
    )
    if clash is not None and clash != own_id:
        raise ValidationError(
            _("Code: another treatment already uses “{code}”.").format(code=code), field="code"
        )
    name = " ".join(form.name.split())
    if not name:
        raise ValidationError(_("Name: it is required."), field="name")
    if len(name) > 200:
        raise ValidationError(
            _("Name: at most {count} characters.").format(count=200), field="name"
        )
    category = " ".join(form.category.split())
    if len(category) > 80:
        raise ValidationError(
            _("Category: at most {count} characters.").format(count=80), field="category"
        )
    if not MIN_MINUTES <= form.duration_minutes <= MAX_MINUTES:
        raise ValidationError(
            _("Duration: between {low} and {high} minutes.").format(
                low=MIN_MINUTES, high=MAX_MINUTES
            ),
            field="duration_minutes",
        )
    price = Decimal(form.price)
    if price < 0 or price >= MAX_PRICE:
        raise ValidationError(_("Price: it cannot be negative."), field="price")
    if price != price.quantize(CENT):
        raise ValidationError(_("Price: at most 2 decimals."), field="price")
    country = clinic_country(session)
    tax_code = form.tax_code or default_tax_code(country)
    if find_tax_code(country, tax_code) is None:
        raise ValidationError(
            _("Tax: “{code}” is not a tax code of this clinic's country.").format(code=tax_code),
            field="tax_code",
        )
    description = form.description.strip()
    if len(description) > 2000:
        raise ValidationError(
            _("Description: at most {count} characters.").format(count=2000), field="description"
        )
    return TreatmentForm(
        code=code,
        name=name,
        category=category,
        duration_minutes=form.duration_minutes,
        price=price.quantize(CENT),
        tax_code=tax_code,
        description=description,
    )


def _recipe_error(message: str) -> ValidationError:
    return ValidationError(_("Recipe: {problem}").format(problem=message), field="recipe")


def _apply_recipe(
    session: Session, actor: Actor, treatment: Treatment, items: Sequence[RecipeLine]
) -> None:
    """Replaces the treatment's live recipe with `items`: kept products keep their row (and
    its history), removed ones are soft-deleted, new ones added."""
    ids = [line.product_id for line in items]
    products = (
        {p.id: p for p in session.scalars(select(Product).where(Product.id.in_(ids)))}
        if ids
        else {}
    )
    seen: set[uuid.UUID] = set()
    wanted: dict[uuid.UUID, Decimal] = {}
    for line in items:
        product = products.get(line.product_id)
        if product is None or product.is_deleted:
            raise _recipe_error(_("a product no longer exists."))
        if not product.active:
            raise _recipe_error(_("{product} is deactivated.").format(product=product.name))
        if line.product_id in seen:
            raise _recipe_error(
                _("{product} is listed twice; put the whole quantity on one line.").format(
                    product=product.name
                )
            )
        seen.add(line.product_id)
        quantity = Decimal(line.quantity)
        if quantity <= 0:
            raise _recipe_error(
                _("the quantity of {product} must be more than zero.").format(product=product.name)
            )
        if quantity >= MAX_RECIPE_QUANTITY:
            raise _recipe_error(
                _("the quantity of {product} is too large.").format(product=product.name)
            )
        if quantity != quantity.quantize(QUANTUM):
            raise _recipe_error(
                _("the quantity of {product} takes at most 3 decimals.").format(
                    product=product.name
                )
            )
        wanted[line.product_id] = quantity.quantize(QUANTUM)
    current = list(
        session.scalars(
            select(RecipeItem).where(
                RecipeItem.treatment_id == treatment.id, RecipeItem.deleted_at.is_(None)
            )
        )
    )
    for item in current:
        if item.product_id not in wanted:
            item.soft_delete(by=actor.user_id)
            continue
        quantity = wanted.pop(item.product_id)
        if item.quantity != quantity:
            item.quantity = quantity
    for product_id, quantity in wanted.items():
        session.add(RecipeItem(treatment_id=treatment.id, product_id=product_id, quantity=quantity))


def _announce(uow: UnitOfWork, treatment_id: uuid.UUID) -> None:
    uow.publish_after_commit(InventoryChanged(what="treatments", ids=(str(treatment_id),)))


def create_treatment(
    uow: UnitOfWork,
    *,
    actor: Actor,
    form: TreatmentForm,
    recipe: Sequence[RecipeLine] = (),
) -> TreatmentDTO:
    """A new catalogue entry, with its recipe when given (one transaction)."""
    with uow.transaction(actor) as session:
        require(session, actor, Permission.INVENTORY_MANAGE)
        clean = _clean_form(session, form, None)
        treatment = Treatment(
            code=clean.code,
            name=clean.name,
            category=clean.category,
            duration_minutes=clean.duration_minutes,
            price=clean.price,
            tax_code=clean.tax_code or "",
            description=clean.description,
            active=True,
        )
        session.add(treatment)
        session.flush()
        _apply_recipe(session, actor, treatment, recipe)
        session.flush()
        dto = one_treatment(session, treatment)
        _announce(uow, treatment.id)
    return dto


def update_treatment(
    uow: UnitOfWork,
    *,
    actor: Actor,
    treatment_id: uuid.UUID,
    expected_version: int,
    form: TreatmentForm,
    recipe: Sequence[RecipeLine] | None = None,
) -> TreatmentDTO:
    """Changes the catalogue fields, and the recipe too unless `recipe` is None."""
    with uow.transaction(actor) as session:
        require(session, actor, Permission.INVENTORY_MANAGE)
        treatment = load_treatment(session, treatment_id)
        check_version(session, treatment, expected_version)
        clean = _clean_form(session, form, treatment.id)
        for key in ("code", "name", "category", "duration_minutes", "price", "description"):
            if getattr(treatment, key) != getattr(clean, key):
                setattr(treatment, key, getattr(clean, key))
        if treatment.tax_code != clean.tax_code:
            treatment.tax_code = clean.tax_code or ""
        if recipe is not None:
            _apply_recipe(session, actor, treatment, recipe)
            treatment.updated_at = utcnow()  # a recipe change is a change of the treatment
        session.flush()
        dto = one_treatment(session, treatment)
        _announce(uow, treatment.id)
    return dto


def set_recipe(
    uow: UnitOfWork,
    *,
    actor: Actor,
    treatment_id: uuid.UUID,
    items: Sequence[RecipeLine | tuple[uuid.UUID, Decimal]],
    expected_version: int,
) -> TreatmentDTO:
    """Replaces the recipe; the treatment's version moves on, so two editors cannot both win."""
    lines = [i if isinstance(i, RecipeLine) else RecipeLine(i[0], Decimal(i[1])) for i in items]
    with uow.transaction(actor) as session:
        require(session, actor, Permission.INVENTORY_MANAGE)
        treatment = load_treatment(session, treatment_id)
        check_version(session, treatment, expected_version)
        _apply_recipe(session, actor, treatment, lines)
        treatment.updated_at = utcnow()
        session.flush()
        dto = one_treatment(session, treatment)
        _announce(uow, treatment.id)
    return dto


def set_treatment_active(
    uow: UnitOfWork, *, actor: Actor, treatment_id: uuid.UUID, active: bool
) -> TreatmentDTO:
    """Deactivated treatments stay on past appointments but are no longer offered."""
    with uow.transaction(actor) as session:
        require(session, actor, Permission.INVENTORY_MANAGE)
        treatment = load_treatment(session, treatment_id)
        if treatment.active != active:
            treatment.active = active
        session.flush()
        dto = one_treatment(session, treatment)
        _announce(uow, treatment.id)
    return dto
