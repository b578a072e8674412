"""Reading invoices: the list's filters (status, kind, issue dates, buyer text, series,
patient), its order and keyset pages, the reports.finance role reading without writing, the
patient's timeline showing issued invoices and credit notes (not drafts) to those who may
read billing, and the labels of the stored codes."""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select
from support.invoice_data import SYSTEM, actor, draft, line

from clinic_desktop.errors import PermissionDenied
from clinic_desktop.models.patient import Patient
from clinic_desktop.models.permissions import Permission
from clinic_desktop.models.user import RoleGrant
from clinic_desktop.services.credit_notes import issue_credit_note
from clinic_desktop.services.invoice_dto import (
    BUYER_ID_TYPE_LABELS,
    STATUS_LABELS,
    Status,
    kind_label,
    status_label,
)
from clinic_desktop.services.invoices import (
    create_draft,
    issue_invoice,
    list_invoice_series,
    list_invoices,
)
from clinic_desktop.services.timeline import TimelineKind, patient_timeline

D = Decimal
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2)}
PLACEHOLDER = re.compile(r"\{(\w+)\}")


def _patients(demo, count: int):
    with demo.db.uow().transaction(SYSTEM) as session:
        return [
            (p.id, p.full_name)
            for p in session.scalars(select(Patient).order_by(Patient.chart_number).limit(count))
        ]


def _issue(demo, who, made):
    return issue_invoice(demo.db.uow(), actor=who, invoice_id=made.id, version=made.version)


def test_the_list_filters_and_pages(demo) -> None:
    reception = actor(demo, "recepcion")
    (first, first_name), (second, _name) = _patients(demo, 2)
    a = _issue(demo, reception, draft(demo, reception, [line("Consulta", "20")], patient_id=first))
    b = _issue(demo, reception, draft(demo, reception, [line("Control", "15")], patient_id=second))
    c = _issue(demo, reception, draft(demo, reception, [line("Limpieza", "30")], patient_id=first))
    open_draft = draft(demo, reception, [line("Radiografía", "12")], patient_id=second)
    note = issue_credit_note(demo.db.uow(), actor=reception, invoice_id=b.id, reason="Error")
    uow = demo.db.uow

    everything = list_invoices(uow(), actor=reception)
    # Drafts first, then the newest issued first.
    assert [i.id for i in everything] == [open_draft.id, note.id, c.id, b.id, a.id]
    assert everything[0].is_draft and everything[0].number_text == ""
    assert everything[1].kind == "credit_note" and everything[1].corrects_id == b.id
    assert {i.currency for i in everything} == {"USD"}

    def ids(**filters):
        return [i.id for i in list_invoices(uow(), actor=reception, **filters)]

    assert ids(status="issued", kind="invoice") == [c.id, a.id]
    assert ids(status=("credited",)) == [b.id]
    assert ids(kind="credit_note") == [note.id]
    assert ids(patient_id=first) == [c.id, a.id]
    # The patient's name without accents or case, or the number.
    folded = first_name.lower().replace("í", "i").replace("á", "a").replace("é", "e")
    assert ids(buyer_text=folded.split()[0], patient_id=first) == [c.id, a.id]
    assert ids(buyer_text="001-001-000000002") == [b.id]
    assert ids(buyer_text="001-001-000000001") == [note.id, a.id]
    assert ids(buyer_text="1710034065") == []  # patients' drafts carry their own cédulas
    today = a.issue_date
    assert ids(date_from=today, date_to=today) == [note.id, c.id, b.id, a.id]
    assert ids(date_from=today + timedelta(days=1)) == []
    assert ids(series_prefix="001-001", kind="invoice") == [c.id, b.id, a.id]
    assert ids(series_prefix="001-009") == []

    page_one = list_invoices(uow(), actor=reception, limit=2)
    page_two = list_invoices(uow(), actor=reception, limit=2, after=page_one[-1].cursor)
    page_three = list_invoices(uow(), actor=reception, limit=2, after=page_two[-1].cursor)
    assert [i.id for i in page_one + page_two + page_three] == [i.id for i in everything]

    series = list_invoice_series(uow(), actor=reception)
    assert [(s.prefix, s.kind, s.last_number) for s in series] == [
        ("001-001", "credit_note", 1),
        ("001-001", "invoice", 3),
    ]
    assert series[0].kind_label == "Credit note" and series[0].workstation == "RECEPCION-1"


def test_finance_readers_read_but_do_not_write(demo) -> None:
    reception = actor(demo, "recepcion")
    made = _issue(demo, reception, draft(demo, reception, [line("Consulta", "20")]))
    doctor = actor(demo, "medico")
    with pytest.raises(PermissionDenied):
        list_invoices(demo.db.uow(), actor=doctor)
    with demo.db.uow().transaction(SYSTEM) as session:
        session.add(RoleGrant(role="doctor", permission=Permission.REPORTS_FINANCE.value))
    assert [i.id for i in list_invoices(demo.db.uow(), actor=doctor)] == [made.id]
    with pytest.raises(PermissionDenied):
        create_draft(demo.db.uow(), actor=doctor)
    with pytest.raises(PermissionDenied):
        issue_credit_note(demo.db.uow(), actor=doctor, invoice_id=made.id, reason="x")


def test_the_timeline_shows_issued_invoices_and_credit_notes(demo) -> None:
    reception, owner, doctor = actor(demo, "recepcion"), actor(demo, "duena"), actor(demo, "medico")
    [(patient, _name)] = _patients(demo, 1)
    issued = _issue(
        demo, reception, draft(demo, reception, [line("Consulta", "20")], patient_id=patient)
    )
    draft(demo, reception, [line("Control", "10")], patient_id=patient)
    note = issue_credit_note(
        demo.db.uow(),
        actor=reception,
        invoice_id=issued.id,
        lines=[(issued.lines[0].id, D(1))],
        reason="Error",
    )
    items = patient_timeline(demo.db.uow(), actor=owner, patient_id=patient)
    billing = [i for i in items if i.kind in (TimelineKind.INVOICE, TimelineKind.CREDIT_NOTE)]
    assert [(i.kind, i.record_id, i.status) for i in billing] == [
        (TimelineKind.CREDIT_NOTE, note.id, "issued"),
        (TimelineKind.INVOICE, issued.id, "credited"),
    ]
    assert "001-001-000000001" in billing[1].title and "$20.00" in billing[1].title
    assert "$20.00" in billing[0].title
    # A doctor reads the chart but not the billing.
    seen = patient_timeline(demo.db.uow(), actor=doctor, patient_id=patient)
    assert not [i for i in seen if i.kind in (TimelineKind.INVOICE, TimelineKind.CREDIT_NOTE)]


def test_labels_of_the_stored_codes() -> None:
    assert set(STATUS_LABELS) == {s.value for s in Status}
    assert status_label("partly_paid") == "Partly paid" and status_label("odd") == "odd"
    assert kind_label("credit_note", "ES") == "Corrective invoice"
    assert kind_label("simplified", "ES") == "Simplified invoice"
    assert all(BUYER_ID_TYPE_LABELS[k] for k in BUYER_ID_TYPE_LABELS)
