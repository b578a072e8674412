"""The patient search index: one row per searchable term of a patient (each folded word of
the names, the ID number, the phone numbers, the chart number), with the folded "last first"
name to order by. Search-as-you-type matches every typed word as a prefix of some term through
the (state, term, sort_name) index and stops after the first screenful, so it stays fast with a
hundred thousand patients where a `LIKE '%word%'` scan over the patients table did not. The
rows are derived data, rewritten by mapper events whenever a patient is inserted or updated
through the ORM (bulk loaders call `term_rows` themselves); they are not audited or
replicated, since they can always be rebuilt from the patients."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import ForeignKey, Index, Integer, String, Uuid, delete, event, insert, inspect
from sqlalchemy.orm import Mapped, mapped_column

from clinic_desktop.models.base import Base
from clinic_desktop.models.patient import Patient, fold

TERM_LENGTH = 60


def _alnum(text: str) -> str:
    return "".join(c for c in text if c.isalnum())[:TERM_LENGTH]


def normalize_term(text: str) -> str:
    """Folded, letters and digits only: "O'Brien" -> "obrien", "099-123" -> "099123"."""
    return _alnum(fold(text))


def patient_terms(
    *,
    first_names: str,
    last_names: str,
    id_number: str | None,
    phone: str | None,
    mobile_phone: str | None,
    chart_number: int,
) -> set[str]:
    # Folded once for all the name words: folding is the costly part for bulk loads.
    terms = {_alnum(word) for word in fold(f"{first_names} {last_names}").split()}
    for value in (id_number, phone, mobile_phone):
        if value:
            terms.add(normalize_term(value))
    for value in (phone, mobile_phone):
        # People also type a phone without its area or mobile prefix: "234 5678".
        digits = _alnum(value or "")
        if len(digits) > 7:
            terms.add(digits[-7:])
    terms.add(str(chart_number))
    terms.discard("")
    return terms


def sort_name(first_names: str, last_names: str) -> str:
    return fold(f"{last_names} {first_names}")[:250]


class PatientSearchTerm(Base):
    __tablename__ = "patient_search_terms"
    __table_args__ = (
        Index("ix_patient_search_terms_term", "state", "term", "sort_name", "patient_id"),
    )

    patient_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("patients.id"), primary_key=True)
    term: Mapped[str] = mapped_column(String(TERM_LENGTH), primary_key=True)
    sort_name: Mapped[str] = mapped_column(String(250))
    # LISTED, ARCHIVED or DELETED, copied from the patient so that a search never has to
    # read the patients table to leave the archived and deleted ones out.
    state: Mapped[int] = mapped_column(Integer, default=0)


LISTED, ARCHIVED, DELETED = 0, 1, 2


def patient_state(values: dict[str, Any]) -> int:
    if values.get("deleted_at") is not None:
        return DELETED
    return ARCHIVED if values.get("archived_at") is not None else LISTED


def term_rows(values: dict[str, Any]) -> list[dict[str, Any]]:
    """The index rows of one patient given as a dict of its columns (bulk loaders use this)."""
    terms = patient_terms(
        first_names=values["first_names"],
        last_names=values["last_names"],
        id_number=values.get("id_number"),
        phone=values.get("phone"),
        mobile_phone=values.get("mobile_phone"),
        chart_number=values["chart_number"],
    )
    order = sort_name(values["first_names"], values["last_names"])
    state = patient_state(values)
    return [
        {"patient_id": values["id"], "term": t, "sort_name": order, "state": state}
        for t in sorted(terms)
    ]


_INDEXED = (
    "first_names",
    "last_names",
    "id_number",
    "phone",
    "mobile_phone",
    "chart_number",
    "archived_at",
    "deleted_at",
)


def _rewrite(connection: Any, patient: Patient) -> None:
    connection.execute(delete(PatientSearchTerm).where(PatientSearchTerm.patient_id == patient.id))
    rows = term_rows({key: getattr(patient, key) for key in (*_INDEXED, "id")})
    connection.execute(insert(PatientSearchTerm), rows)


@event.listens_for(Patient, "after_insert")
def _index_new(_mapper: Any, connection: Any, target: Patient) -> None:
    _rewrite(connection, target)


@event.listens_for(Patient, "after_update")
def _index_changed(_mapper: Any, connection: Any, target: Patient) -> None:
    state = inspect(target)
    if any(state.attrs[key].history.has_changes() for key in _INDEXED):
        _rewrite(connection, target)
