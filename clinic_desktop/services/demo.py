"""A demo clinic a newcomer can explore at once: sample users of every role (one shared,
printed password), generated patients, their agenda (`demo_agenda`), their clinical
records (`demo_clinical`), stock (`demo_inventory`) and money (`demo_billing`). Generation is
deterministic for a given seed and fast enough for 100,000 patients (bulk inserts, one audit
entry per batch)."""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from clinic_desktop.actor import Actor
from clinic_desktop.config import AppPaths
from clinic_desktop.db import keys as keymod
from clinic_desktop.db.audit_log import append_audit
from clinic_desktop.models.base import new_id, utcnow
from clinic_desktop.models.patient import Patient, fold
from clinic_desktop.models.patient_search import PatientSearchTerm, term_rows
from clinic_desktop.services.agenda_rules import clinic_zone
from clinic_desktop.services.demo_accounts import DEMO_ACCOUNTS, DEMO_PASSWORD, DemoAccount
from clinic_desktop.services.demo_agenda import add_demo_agenda, demo_agenda_size
from clinic_desktop.services.demo_billing import add_demo_billing
from clinic_desktop.services.demo_bulk import BulkWriter, loading_cache
from clinic_desktop.services.demo_clinical import add_demo_clinical
from clinic_desktop.services.demo_inventory import add_demo_inventory
from clinic_desktop.services.startup import ClinicSetup, CreatedClinic, KeyringChoice, create_clinic
from clinic_desktop.services.users import add_user

_FIRST = (
    "María",
    "José",
    "Ana",
    "Luis",
    "Carmen",
    "Juan",
    "Rosa",
    "Carlos",
    "Lucía",
    "Pedro",
    "Sofía",
    "Miguel",
    "Elena",
    "Jorge",
    "Paula",
    "Diego",
    "Gabriela",
    "Andrés",
    "Daniela",
    "Fernando",
    "Valentina",
    "Mateo",
    "Camila",
    "Santiago",
    "Isabel",
    "Ramón",
    "Inés",
    "Tomás",
    "Verónica",
    "Héctor",
)
_FEMALE = frozenset(
    {"María", "Ana", "Carmen", "Rosa", "Lucía", "Sofía", "Elena", "Paula", "Gabriela"}
    | {"Daniela", "Valentina", "Camila", "Isabel", "Inés", "Verónica"}
)
_LAST = (
    "García",
    "Rodríguez",
    "Zambrano",
    "Cevallos",
    "Mendoza",
    "Vera",
    "Torres",
    "López",
    "Morales",
    "Castro",
    "Andrade",
    "Paredes",
    "Benítez",
    "Villacís",
    "Salazar",
    "Ortiz",
    "Guerrero",
    "Chávez",
    "Muñoz",
    "Ruiz",
    "Aguirre",
    "Cedeño",
    "Jiménez",
    "Navarro",
    "Peña",
    "Romero",
    "Suárez",
    "Molina",
    "Delgado",
    "Ibáñez",
)
_STREETS = (
    "Av. Amazonas",
    "Calle Bolívar",
    "Av. 10 de Agosto",
    "Calle Sucre",
    "Av. Colón",
    "Calle García Moreno",
    "Av. de los Shyris",
    "Calle Olmedo",
)


def cedula_check_digit(first_nine: str) -> int:
    """Módulo 10 with weights 2,1,2,…: only to make plausible demo cédulas (tests check them
    with python-stdnum)."""
    total = 0
    for index, char in enumerate(first_nine):
        product = int(char) * (2 if index % 2 == 0 else 1)
        total += product - 9 if product > 9 else product
    return (10 - total % 10) % 10


def _patient_rows(count: int, rng: random.Random, start_chart: int) -> list[dict[str, Any]]:
    now = utcnow()
    today = date.today()
    rows: list[dict[str, Any]] = []
    for n in range(count):
        first = rng.choice(_FIRST)
        if rng.random() < 0.3:
            first = f"{first} {rng.choice(_FIRST)}"
        last = f"{rng.choice(_LAST)} {rng.choice(_LAST)}"
        nine = f"{rng.randint(1, 24):02d}{rng.randint(0, 5)}{rng.randint(0, 999999):06d}"
        rows.append(
            {
                "id": new_id(),
                "created_at": now,
                "updated_at": now,
                "version": 1,
                "chart_number": start_chart + n,
                "first_names": first,
                "last_names": last,
                "search_name": fold(f"{first} {last}"),
                "id_type": "cedula",
                "id_number": nine + str(cedula_check_digit(nine)),
                "birth_date": today - timedelta(days=rng.randint(0, 95 * 365)),
                # Drawn and then set from the first name: the draw keeps the generator's
                # sequence, so every other demo value stays what it was.
                "sex": rng.choice("FM") and ("F" if first.split()[0] in _FEMALE else "M"),
                "phone": f"09{rng.randint(10000000, 99999999)}",
                "email": None
                if rng.random() < 0.4
                else f"{first.split()[0].lower()}.{n}@correo.ec".translate(_ASCII),
                "address": f"{rng.choice(_STREETS)} {rng.randint(1, 2000)}",
            }
        )
    return rows


_ASCII = str.maketrans("áéíóúñü", "aeiounu")


def add_demo_patients(session: Session, *, count: int, seed: int, actor: Actor) -> int:
    rng = random.Random(seed)
    last_chart = (
        session.scalar(select(Patient.chart_number).order_by(Patient.chart_number.desc()).limit(1))
        or 0
    )
    batch = 5000
    made = 0
    terms: BulkWriter | None = None
    with loading_cache(session):
        while made < count:
            size = min(batch, count - made)
            # render_nulls keeps every row the same shape, so the rows go out in large batches.
            rows = _patient_rows(size, rng, last_chart + 1 + made)
            session.execute(insert(Patient).execution_options(render_nulls=True), rows)
            # Core inserts bypass the mapper events that keep the search index.
            term_batch = [term for row in rows for term in term_rows(row)]
            if terms is None:
                terms = BulkWriter(session, PatientSearchTerm.__table__, term_batch[0])  # type: ignore[arg-type]
            terms.write(term_batch)
            made += size
    # Generated in bulk: one entry for the batch rather than one per row.
    append_audit(
        session,
        actor=actor,
        action="demo.patients_generated",
        entity="Patient",
        changes={"count": count, "seed": seed},
    )
    return made


def create_demo_clinic(
    paths: AppPaths,
    *,
    patients: int = 200,
    seed: int = 1,
    language: str = "es",
    kdf: keymod.KdfParams | None = None,
    keyring_backend: KeyringChoice = True,
    agenda: bool = True,
    clinical: bool = True,
    inventory: bool = True,
    billing: bool = True,
    today: date | None = None,
    now: datetime | None = None,
) -> CreatedClinic:
    """`agenda` adds schedules, rooms, types and appointments (`services.demo_agenda`) centred
    on `today` (default: today in the clinic's zone), with statuses as of `now`. `clinical`
    adds the patient records (`services.demo_clinical`): consents, history, allergies,
    medications, problems and templates always; notes, prescriptions and documents only with
    the agenda, since they belong to its completed visits. `inventory` adds suppliers, products
    with lots, treatments with recipes, purchase orders and, with the agenda, the stock the
    completed visits consumed (`services.demo_inventory`). `billing`, with the agenda and the
    inventory, invoices the completed visits and adds payments, credit notes, cash closes and
    two years of expenses (`services.demo_billing`), after the rest is committed."""
    owner = DEMO_ACCOUNTS[0]
    created = create_clinic(
        paths,
        ClinicSetup(
            name="Clínica Demo San Rafael",
            country="EC",
            tax_id="1710034065001",
            address="Av. Amazonas N34-120 y Av. República, Quito",
            timezone="America/Guayaquil",
            currency="USD",
            establishment_code="001",
            emission_point_code="001",
            owner_username=owner.username,
            owner_full_name=owner.full_name,
            owner_password=DEMO_PASSWORD,
            language=language,
        ),
        is_demo=True,
        kdf=kdf,
        keyring_backend=keyring_backend,
    )
    actor = Actor.system("demo")
    with created.db.uow().transaction(actor) as session:
        for account in DEMO_ACCOUNTS[1:]:
            add_user(
                session,
                username=account.username,
                full_name=account.full_name,
                roles=[account.role],
                password=DEMO_PASSWORD,
            )
        if patients:
            add_demo_patients(session, count=patients, seed=seed, actor=actor)
        moment = now
        if agenda:
            practitioners, appointments = demo_agenda_size(patients)
            zone = clinic_zone(session)
            moment = add_demo_agenda(
                session,
                actor=actor,
                practitioners=practitioners,
                appointments=appointments,
                years=2,
                seed=seed,
                today=today or datetime.now(zone).date(),
                now=now,
            ).now
        if clinical and patients:
            add_demo_clinical(session, actor=actor, seed=seed, now=moment, encounters=agenda)
        if inventory:
            add_demo_inventory(
                session, actor=actor, seed=seed, now=moment or utcnow(), visits=agenda
            )
    if billing and agenda and inventory and patients:
        add_demo_billing(created.db, seed=seed, now=moment or utcnow())
    return created


__all__ = ["DEMO_ACCOUNTS", "DEMO_PASSWORD", "DemoAccount", "create_demo_clinic"]
