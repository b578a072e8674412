"""The treatment catalogue: cost and margin from the recipe at the products' current cost,
field rules (unique code, duration, price with 2 decimals, the country's tax codes), recipes
replaced with soft-deleted lines and version checks, inactive products refused, inventory.manage
for edits while anyone signed in reads."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import select
from support.clinical_actors import actor
from support.treatment_data import SYSTEM, audit_of, make_product, make_treatment

from clinic_desktop.errors import ConcurrentEditError, PermissionDenied, ValidationError
from clinic_desktop.models.inventory import Product
from clinic_desktop.models.treatment import RecipeItem
from clinic_desktop.services.treatments import (
    RecipeLine,
    TreatmentForm,
    create_treatment,
    get_treatment,
    list_treatment_categories,
    list_treatments,
    set_recipe,
    set_treatment_active,
    update_treatment,
)


def _form(**changes: object) -> TreatmentForm:
    values: dict[str, object] = {
        "code": "RES-1",
        "name": "Resina compuesta",
        "category": "Operatoria",
        "duration_minutes": 45,
        "price": Decimal("40.00"),
    }
    values.update(changes)
    return TreatmentForm(**values)  # type: ignore[arg-type]


def test_cost_and_margin_follow_the_recipe_at_current_cost(demo) -> None:
    gloves = make_product(demo.db, "GUA", "Guantes de nitrilo", cost="0.0850")
    resin = make_product(demo.db, "RES", "Resina A2", unit="g", cost="1.2000")
    owner = actor(demo, "duena")
    dto = create_treatment(
        demo.db.uow(),
        actor=owner,
        form=_form(),
        recipe=[RecipeLine(gloves, Decimal(2)), RecipeLine(resin, Decimal("0.5"))],
    )
    # 2 × 0.085 + 0.5 × 1.20 = 0.77; the clinic is in Ecuador: health care at IVA 0 %.
    assert (dto.recipe_cost, dto.margin) == (Decimal("0.77"), Decimal("39.23"))
    assert dto.margin_percent is not None and round(dto.margin_percent, 4) == Decimal("0.9808")
    assert dto.tax_code == "EC_IVA_0" and "0 %" in dto.tax_label
    assert [(i.product_code, i.quantity, i.line_cost) for i in dto.recipe] == [
        ("GUA", Decimal("2.000"), Decimal("0.1700")),
        ("RES", Decimal("0.500"), Decimal("0.6000")),
    ]
    with demo.db.uow().transaction(SYSTEM) as session:
        product = session.get(Product, resin)
        assert product is not None
        product.cost = Decimal("2.0000")
    again = get_treatment(demo.db.uow(), actor=owner, treatment_id=dto.id)
    assert (again.recipe_cost, again.margin) == (Decimal("1.17"), Decimal("38.83"))
    created = [changes for action, changes in audit_of(demo.db, "Treatment") if action == "create"]
    assert created[-1]["code"] == "RES-1" and created[-1]["price"] == "40.00"
    assert len([a for a, _c in audit_of(demo.db, "RecipeItem") if a == "create"]) == 2


@pytest.mark.parametrize(
    ("changes", "field", "text"),
    [
        ({"code": "res-1"}, "code", "already uses"),
        ({"code": "  "}, "code", "required"),
        ({"name": ""}, "name", "required"),
        ({"duration_minutes": 4}, "duration_minutes", "between 5 and 600"),
        ({"duration_minutes": 601}, "duration_minutes", "between 5 and 600"),
        ({"price": Decimal("10.005")}, "price", "at most 2 decimals"),
        ({"price": Decimal("-1")}, "price", "negative"),
        ({"tax_code": "ES_IVA_21"}, "tax_code", "not a tax code"),
    ],
)
def test_bad_fields_are_refused_by_name_and_change_nothing(demo, changes, field, text) -> None:
    make_treatment(demo.db, "RES-1", "Resina compuesta")
    before = list_treatments(demo.db.uow(), actor=SYSTEM, include_inactive=True)
    with pytest.raises(ValidationError, match=text) as caught:
        create_treatment(
            demo.db.uow(),
            actor=SYSTEM,
            form=_form(code="NEW-1", **changes) if "code" not in changes else _form(**changes),
        )
    assert caught.value.field == field
    assert list_treatments(demo.db.uow(), actor=SYSTEM, include_inactive=True) == before


def test_set_recipe_keeps_rows_soft_deletes_removed_ones_and_checks_the_version(demo) -> None:
    gloves = make_product(demo.db, "GUA", "Guantes", cost="0.10")
    gauze = make_product(demo.db, "GAS", "Gasas", cost="0.05")
    bib = make_product(demo.db, "BAB", "Babero", cost="0.20")
    treatment = make_treatment(demo.db, "LIM", "Limpieza", [(gloves, "2"), (gauze, "4")])
    assistant = actor(demo, "asistente")
    first = get_treatment(demo.db.uow(), actor=assistant, treatment_id=treatment)
    kept_id = next(i.id for i in first.recipe if i.product_id == gloves)
    changed = set_recipe(
        demo.db.uow(),
        actor=assistant,
        treatment_id=treatment,
        items=[(gloves, Decimal(4)), (bib, Decimal(1))],
        expected_version=first.version,
    )
    assert changed.version > first.version
    assert {(i.product_code, i.quantity) for i in changed.recipe} == {
        ("GUA", Decimal("4.000")),
        ("BAB", Decimal("1.000")),
    }
    assert next(i.id for i in changed.recipe if i.product_id == gloves) == kept_id
    with demo.db.uow().transaction(SYSTEM) as session:
        removed = session.scalars(
            select(RecipeItem).where(
                RecipeItem.treatment_id == treatment, RecipeItem.product_id == gauze
            )
        ).one()
        assert removed.deleted_at is not None  # kept, soft-deleted
    with pytest.raises(ConcurrentEditError):
        set_recipe(
            demo.db.uow(),
            actor=assistant,
            treatment_id=treatment,
            items=[(gloves, Decimal(1))],
            expected_version=first.version,
        )
    assert (
        get_treatment(demo.db.uow(), actor=SYSTEM, treatment_id=treatment).recipe == changed.recipe
    )


@pytest.mark.parametrize(
    ("lines", "text"),
    [
        ("inactive", "Recipe: Anestesia vieja is deactivated."),
        ("zero", "Recipe: the quantity of Guantes must be more than zero."),
        ("decimals", "Recipe: the quantity of Guantes takes at most 3 decimals."),
        ("twice", "Recipe: Guantes is listed twice"),
    ],
)
def test_bad_recipes_are_refused_and_change_nothing(demo, lines, text) -> None:
    gloves = make_product(demo.db, "GUA", "Guantes")
    old = make_product(demo.db, "ANE", "Anestesia vieja", active=False)
    treatment = make_treatment(demo.db, "EXO", "Exodoncia", [(gloves, "2")])
    before = get_treatment(demo.db.uow(), actor=SYSTEM, treatment_id=treatment)
    items = {
        "inactive": [(gloves, Decimal(2)), (old, Decimal(1))],
        "zero": [(gloves, Decimal(0))],
        "decimals": [(gloves, Decimal("1.0005"))],
        "twice": [(gloves, Decimal(1)), (gloves, Decimal(2))],
    }[lines]
    with pytest.raises(ValidationError, match=text) as caught:
        set_recipe(
            demo.db.uow(),
            actor=SYSTEM,
            treatment_id=treatment,
            items=items,
            expected_version=before.version,
        )
    assert caught.value.field == "recipe"
    assert get_treatment(demo.db.uow(), actor=SYSTEM, treatment_id=treatment) == before


def test_edits_need_inventory_manage_but_everyone_reads(demo) -> None:
    treatment = make_treatment(demo.db, "CON", "Consulta odontológica", category="General")
    reception = actor(demo, "recepcion")
    with pytest.raises(PermissionDenied, match="inventory"):
        create_treatment(demo.db.uow(), actor=reception, form=_form())
    dto = get_treatment(demo.db.uow(), actor=reception, treatment_id=treatment)
    with pytest.raises(PermissionDenied):
        update_treatment(
            demo.db.uow(),
            actor=reception,
            treatment_id=treatment,
            expected_version=dto.version,
            form=_form(code="CON", name="Otra"),
        )
    with pytest.raises(PermissionDenied):
        set_treatment_active(demo.db.uow(), actor=reception, treatment_id=treatment, active=False)
    it_admin = actor(demo, "soporte")
    assert [t.code for t in list_treatments(demo.db.uow(), actor=it_admin)] == ["CON"]
    assert get_treatment(demo.db.uow(), actor=SYSTEM, treatment_id=treatment) == dto


def test_deactivated_treatments_leave_the_list_and_search_ignores_accents(demo) -> None:
    make_treatment(demo.db, "END-1", "Endodoncia unirradicular", category="Endodoncia")
    ort = make_treatment(demo.db, "ORT-1", "Ortodoncia: revisión", category="Ortodoncia")
    doctor = actor(demo, "odontologa")
    found = list_treatments(demo.db.uow(), actor=doctor, text="REVISION")
    assert [t.code for t in found] == ["ORT-1"]
    assert [
        t.code for t in list_treatments(demo.db.uow(), actor=doctor, category="Endodoncia")
    ] == ["END-1"]
    off = set_treatment_active(demo.db.uow(), actor=doctor, treatment_id=ort, active=False)
    assert off.active is False
    assert [t.code for t in list_treatments(demo.db.uow(), actor=doctor)] == ["END-1"]
    every = list_treatments(demo.db.uow(), actor=doctor, include_inactive=True)
    assert [t.code for t in every] == ["END-1", "ORT-1"]
    assert list_treatment_categories(demo.db.uow(), actor=doctor) == ["Endodoncia", "Ortodoncia"]
    updates = [c for a, c in audit_of(demo.db, "Treatment") if a == "update"]
    assert updates[-1]["active"] == {"old": True, "new": False}


def test_update_changes_fields_and_recipe_in_one_transaction(demo) -> None:
    gloves = make_product(demo.db, "GUA", "Guantes")
    old = make_product(demo.db, "ANE", "Anestesia vieja", active=False)
    treatment = make_treatment(demo.db, "BLA", "Blanqueamiento", price="150.00")
    before = get_treatment(demo.db.uow(), actor=SYSTEM, treatment_id=treatment)
    with pytest.raises(ValidationError, match="deactivated"):
        update_treatment(
            demo.db.uow(),
            actor=SYSTEM,
            treatment_id=treatment,
            expected_version=before.version,
            form=_form(code="BLA", name="Blanqueamiento LED", tax_code="EC_IVA_15"),
            recipe=[RecipeLine(old, Decimal(1))],
        )
    # The refused recipe took the field changes with it.
    assert get_treatment(demo.db.uow(), actor=SYSTEM, treatment_id=treatment) == before
    after = update_treatment(
        demo.db.uow(),
        actor=SYSTEM,
        treatment_id=treatment,
        expected_version=before.version,
        form=_form(code="BLA", name="Blanqueamiento LED", tax_code="EC_IVA_15"),
        recipe=[RecipeLine(gloves, Decimal(2))],
    )
    assert (after.name, after.tax_code, len(after.recipe)) == ("Blanqueamiento LED", "EC_IVA_15", 1)
