"""What the treatment catalogue hands out and takes in: the form and recipe lines the editor
sends, the treatment with its recipe, cost and margin (worked out on every read from the
products' current cost, so a new purchase price shows at once), the product choices the
pickers offer and the country's tax codes; plus the loading and the "any live account" check
the catalogue's readers share. The use cases are in services.treatments."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from clinic_desktop.actor import Actor
from clinic_desktop.errors import NotFound, PermissionDenied
from clinic_desktop.fiscal.tax_codes import DEFAULT_SERVICE, find_tax_code, tax_codes
from clinic_desktop.i18n import _
from clinic_desktop.models.inventory import Product
from clinic_desktop.models.patient import fold
from clinic_desktop.models.treatment import RecipeItem, Treatment
from clinic_desktop.models.user import User
from clinic_desktop.services.agenda_rules import clinic_country

ZERO = Decimal(0)
CENT = Decimal("0.01")
QUANTUM = Decimal("0.001")
COST_QUANTUM = Decimal("0.0001")
MIN_MINUTES, MAX_MINUTES = 5, 600
MAX_PRICE = Decimal("1000000")
MAX_RECIPE_QUANTITY = Decimal("100000")


@dataclass(frozen=True)
class TreatmentForm:
    code: str
    name: str
    category: str = ""
    duration_minutes: int = 30
    price: Decimal = ZERO
    # None: the country's usual code for health services.
    tax_code: str | None = None
    description: str = ""


@dataclass(frozen=True)
class RecipeLine:
    """One product of a recipe as the editor sends it."""

    product_id: uuid.UUID
    quantity: Decimal


@dataclass(frozen=True)
class RecipeItemDTO:
    id: uuid.UUID
    product_id: uuid.UUID
    product_code: str
    product_name: str
    unit: str
    quantity: Decimal
    unit_cost: Decimal  # the product's current cost per unit of use
    line_cost: Decimal  # quantity × unit cost, 4 places
    product_active: bool


@dataclass(frozen=True)
class TreatmentDTO:
    id: uuid.UUID
    code: str
    name: str
    category: str
    duration_minutes: int
    price: Decimal
    tax_code: str
    tax_label: str  # translated
    description: str
    active: bool
    recipe: tuple[RecipeItemDTO, ...]
    recipe_cost: Decimal  # rounded to cents, as margins are shown
    margin: Decimal  # price − recipe cost
    margin_percent: Decimal | None  # margin / price as a fraction; None when the price is 0
    version: int

    @property
    def has_inactive_products(self) -> bool:
        return any(not item.product_active for item in self.recipe)


@dataclass(frozen=True)
class ProductChoiceDTO:
    """A product as the recipe editor and the extras picker offer it."""

    id: uuid.UUID
    code: str
    name: str
    unit: str
    cost: Decimal
    active: bool


@dataclass(frozen=True)
class TaxChoice:
    code: str
    label: str  # translated


# -- access ------------------------------------------------------------------------------


def require_user(session: Session, actor: Actor) -> None:
    """Reading the catalogue, stock and forecast needs no capability, only a live account."""
    if actor.is_system:
        return
    user = session.get(User, actor.user_id) if actor.user_id else None
    if user is None or user.disabled or user.is_deleted:
        raise PermissionDenied(_("Your account is not active. Sign in again."))


def tax_choices(country: str) -> list[TaxChoice]:
    """The tax codes a treatment may carry in `country` (for the editor's list)."""
    return [TaxChoice(c.code, _(c.label)) for c in tax_codes(country)]


def default_tax_code(country: str) -> str:
    return DEFAULT_SERVICE.get(country.upper(), "")


# -- DTOs --------------------------------------------------------------------------------


def _item_dto(item: RecipeItem, product: Product) -> RecipeItemDTO:
    return RecipeItemDTO(
        id=item.id,
        product_id=product.id,
        product_code=product.code,
        product_name=product.name,
        unit=product.unit,
        quantity=item.quantity,
        unit_cost=product.cost,
        line_cost=(item.quantity * product.cost).quantize(COST_QUANTUM, ROUND_HALF_UP),
        product_active=product.active and not product.is_deleted,
    )


def treatment_dto(
    treatment: Treatment, recipe: Sequence[RecipeItemDTO], country: str
) -> TreatmentDTO:
    cost = sum((i.line_cost for i in recipe), ZERO).quantize(CENT, ROUND_HALF_UP)
    margin = treatment.price - cost
    found = find_tax_code(country, treatment.tax_code)
    return TreatmentDTO(
        id=treatment.id,
        code=treatment.code,
        name=treatment.name,
        category=treatment.category,
        duration_minutes=treatment.duration_minutes,
        price=treatment.price,
        tax_code=treatment.tax_code,
        tax_label=_(found.label) if found else treatment.tax_code,
        description=treatment.description,
        active=treatment.active,
        recipe=tuple(sorted(recipe, key=lambda i: fold(i.product_name))),
        recipe_cost=cost,
        margin=margin,
        margin_percent=(margin / treatment.price) if treatment.price > 0 else None,
        version=treatment.version,
    )


def recipes_of(
    session: Session, treatment_ids: Iterable[uuid.UUID]
) -> dict[uuid.UUID, list[RecipeItemDTO]]:
    """The live recipe lines of many treatments in one query."""
    ids = list(treatment_ids)
    found: dict[uuid.UUID, list[RecipeItemDTO]] = {i: [] for i in ids}
    if not ids:
        return found
    rows = session.execute(
        select(RecipeItem, Product)
        .join(Product, Product.id == RecipeItem.product_id)
        .where(RecipeItem.treatment_id.in_(ids), RecipeItem.deleted_at.is_(None))
    )
    for item, product in rows:
        found[item.treatment_id].append(_item_dto(item, product))
    return found


def one_treatment(session: Session, treatment: Treatment) -> TreatmentDTO:
    recipe = recipes_of(session, [treatment.id])[treatment.id]
    return treatment_dto(treatment, recipe, clinic_country(session))


def load_treatment(session: Session, treatment_id: uuid.UUID) -> Treatment:
    treatment = session.get(Treatment, treatment_id)
    if treatment is None or treatment.is_deleted:
        raise NotFound(_("The treatment no longer exists."))
    return treatment
