"""Suppliers: unique names, tax IDs checked by the clinic country's rules (impossible numbers
refused, unusual ones saved with a warning, as for patients), contact data checked, edits with
optimistic concurrency, deactivation instead of deletion, and inventory.manage for changes."""

from __future__ import annotations

from dataclasses import replace

import pytest
from support.products_kit import SYSTEM, actor, audit_actions

from clinic_desktop.errors import ConcurrentEditError, PermissionDenied, ValidationError
from clinic_desktop.services.inventory_dto import SupplierForm
from clinic_desktop.services.suppliers import (
    create_supplier,
    deactivate_supplier,
    list_suppliers,
    set_supplier_active,
    update_supplier,
)

FORM = SupplierForm(
    name="Depósito Dental Quito",
    tax_id="1710034065001",
    contact_name="Marta Ruiz",
    phone="02 255 1234",
    email="ventas@deposito.ec",
    address="Av. 10 de Agosto N24, Quito",
)


def _names(demo, **kw) -> list[str]:
    return [s.name for s in list_suppliers(demo.db.uow(), actor=SYSTEM, **kw)]


def test_create_list_and_audit(demo) -> None:
    created = create_supplier(demo.db.uow(), actor=actor(demo, "asistente"), form=FORM)
    assert (created.tax_id, created.warnings, created.active) == ("1710034065001", (), True)
    found = list_suppliers(demo.db.uow(), actor=actor(demo, "recepcion"))
    assert created.id in [s.id for s in found]
    assert audit_actions(demo, "Supplier", created.id) == ["create"]


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"name": "  "}, "name", "Name: it is required."),
        ({"tax_id": "1710034066001"}, "tax_id", "Tax ID"),
        ({"tax_id": "ABC"}, "tax_id", "only digits"),
        ({"email": "ventas(at)deposito"}, "email", "E-mail: it does not look like"),
        ({"phone": "12"}, "phone", "Phone: at least 6 digits."),
        ({"contact_name": "x" * 201}, "contact_name", "at most 200 characters"),
    ],
)
def test_bad_fields_are_refused_and_nothing_is_saved(demo, change, field, message) -> None:
    with pytest.raises(ValidationError, match=message) as caught:
        create_supplier(demo.db.uow(), actor=SYSTEM, form=replace(FORM, **change))
    assert caught.value.field == field
    assert FORM.name not in _names(demo, include_inactive=True)


def test_an_unusual_but_possible_tax_id_is_saved_with_a_warning(demo) -> None:
    # A company RUC whose check digit fails: the SRI has issued such numbers, so warn only.
    created = create_supplier(
        demo.db.uow(), actor=SYSTEM, form=replace(FORM, tax_id="1790000000001")
    )
    assert created.tax_id == "1790000000001"
    assert created.warnings and "Tax ID" in created.warnings[0]


def test_names_are_unique_ignoring_case_and_spaces(demo) -> None:
    create_supplier(demo.db.uow(), actor=SYSTEM, form=FORM)
    with pytest.raises(ValidationError, match="already a supplier called") as caught:
        create_supplier(
            demo.db.uow(),
            actor=SYSTEM,
            form=replace(FORM, name="depósito  dental QUITO", tax_id=""),
        )
    assert caught.value.field == "name"
    assert _names(demo).count(FORM.name) == 1


def test_edit_checks_the_version(demo) -> None:
    created = create_supplier(demo.db.uow(), actor=SYSTEM, form=FORM)
    edited = update_supplier(
        demo.db.uow(),
        actor=SYSTEM,
        supplier_id=created.id,
        expected_version=created.version,
        form=replace(FORM, phone="02 255 9999", tax_id=""),
    )
    assert (edited.phone, edited.tax_id) == ("02 255 9999", None)
    with pytest.raises(ConcurrentEditError):
        update_supplier(
            demo.db.uow(),
            actor=SYSTEM,
            supplier_id=created.id,
            expected_version=created.version,
            form=replace(FORM, phone="02 000 0000"),
        )
    [now] = [s for s in list_suppliers(demo.db.uow(), actor=SYSTEM) if s.id == created.id]
    assert now.phone == "02 255 9999"
    assert audit_actions(demo, "Supplier", created.id) == ["create", "update"]


def test_deactivated_suppliers_leave_the_list_and_can_come_back(demo) -> None:
    created = create_supplier(demo.db.uow(), actor=SYSTEM, form=FORM)
    deactivate_supplier(demo.db.uow(), actor=SYSTEM, supplier_id=created.id)
    assert FORM.name not in _names(demo)
    assert FORM.name in _names(demo, include_inactive=True)
    set_supplier_active(demo.db.uow(), actor=SYSTEM, supplier_id=created.id, active=True)
    assert FORM.name in _names(demo)


def test_reception_reads_but_cannot_change_suppliers(demo) -> None:
    reception = actor(demo, "recepcion")
    with pytest.raises(PermissionDenied):
        create_supplier(demo.db.uow(), actor=reception, form=FORM)
    created = create_supplier(demo.db.uow(), actor=SYSTEM, form=FORM)
    with pytest.raises(PermissionDenied):
        deactivate_supplier(demo.db.uow(), actor=reception, supplier_id=created.id)
    assert FORM.name in [s.name for s in list_suppliers(demo.db.uow(), actor=reception)]
