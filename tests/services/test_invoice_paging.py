"""Paging the invoices list to its end: `count_invoices` counts what `list_invoices` pages
through with the same filters (including the patient-name text match and a deleted draft
left out), so a list whose last page ends exactly on its last document knows there is
nothing more, and one with a document left over fetches exactly that one next; reading the
count needs the same permission as the list and writes nothing."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from support.invoice_data import SYSTEM, actor, audit_count, buyer, draft, line

from clinic_desktop.errors import PermissionDenied
from clinic_desktop.models.billing import Invoice
from clinic_desktop.services.invoice_queries import count_invoices, list_invoices
from clinic_desktop.services.invoices import delete_draft, issue_invoice


def _issue(demo, who, made):
    return issue_invoice(demo.db.uow(), actor=who, invoice_id=made.id, version=made.version)


@pytest.fixture
def five(demo):
    """Five documents at reception: four issued (one to a company) and one draft, plus a
    deleted draft the list must not count."""
    reception = actor(demo, "recepcion")
    issued = [
        _issue(demo, reception, draft(demo, reception, [line(f"Consulta {n}", "20")]))
        for n in range(3)
    ]
    company = _issue(
        demo,
        reception,
        draft(
            demo,
            reception,
            [line("Chequeo", "45")],
            **buyer("Seguros Andinos S.A.", "ruc", "1710034065001"),
        ),
    )
    pending = draft(demo, reception, [line("Radiografía", "12")])
    gone = draft(demo, reception, [line("Borrador", "5")])
    delete_draft(demo.db.uow(), actor=reception, invoice_id=gone.id, version=gone.version)
    return reception, issued, company, pending


def _pages(demo, who, page_size: int, **filters):
    """Pages as a list screen reads them: stop when the rows shown reach the count."""
    total = count_invoices(demo.db.uow(), actor=who, **filters)
    pages = [list_invoices(demo.db.uow(), actor=who, limit=page_size, **filters)]
    while sum(len(p) for p in pages) < total:
        after = pages[-1][-1].cursor
        pages.append(
            list_invoices(demo.db.uow(), actor=who, limit=page_size, after=after, **filters)
        )
    return total, pages


def test_the_count_matches_the_list_for_every_filter(demo, five) -> None:
    reception, issued, company, _pending = five
    uow = demo.db.uow
    with uow().transaction(SYSTEM) as session:
        stored = session.scalar(select(func.count(Invoice.id)))
    assert stored == 6  # the deleted draft is still stored, only not listed

    for filters in (
        {},
        {"status": "draft"},
        {"status": ("issued", "partly_paid"), "kind": "invoice"},
        {"buyer_text": "andinos"},
        {"buyer_text": "1710034065001"},
        {"series_prefix": "001-001"},
        {"series_prefix": "001-009"},
        {"date_from": issued[0].issue_date, "date_to": issued[0].issue_date},
    ):
        listed = list_invoices(uow(), actor=reception, limit=1000, **filters)
        assert count_invoices(uow(), actor=reception, **filters) == len(listed), filters
    assert count_invoices(uow(), actor=reception) == 5
    assert count_invoices(uow(), actor=reception, buyer_text="andinos") == 1
    assert [i.id for i in list_invoices(uow(), actor=reception, buyer_text="andinos")] == [
        company.id
    ]
    assert count_invoices(uow(), actor=reception, status="draft") == 1


def test_a_last_page_of_exactly_page_size_rows_ends_the_list(demo, five) -> None:
    reception, issued, _company, pending = five
    everything = [i.id for i in list_invoices(demo.db.uow(), actor=reception, limit=1000)]
    assert everything[0] == pending.id and len(everything) == 5

    # Exactly one page: the count says everything is shown, nothing more is asked for.
    total, pages = _pages(demo, reception, 5)
    assert total == 5 and len(pages) == 1 and [i.id for i in pages[0]] == everything
    # And the page after the last row really is empty: the button would have loaded nothing.
    after = pages[0][-1].cursor
    assert list_invoices(demo.db.uow(), actor=reception, limit=5, after=after) == []

    # One document over a page: the second page holds exactly that one.
    total, pages = _pages(demo, reception, 4)
    assert total == 5 and [len(p) for p in pages] == [4, 1]
    assert [i.id for p in pages for i in p] == everything
    assert pages[1][0].id == issued[0].id  # the oldest issued comes last

    # Filtered the same way: four issued documents, pages of two, two pages and no third.
    total, pages = _pages(demo, reception, 2, status="issued")
    assert total == 4 and [len(p) for p in pages] == [2, 2]


def test_counting_needs_the_list_permission_and_writes_nothing(demo, five) -> None:
    before = audit_count(demo)
    assert count_invoices(demo.db.uow(), actor=five[0]) == 5
    assert audit_count(demo) == before
    with pytest.raises(PermissionDenied):
        count_invoices(demo.db.uow(), actor=actor(demo, "medico"))
    with pytest.raises(PermissionDenied):
        list_invoices(demo.db.uow(), actor=actor(demo, "medico"))
