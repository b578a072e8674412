"""The billing area: reception gets invoices, receivables, the cash close and expenses; the
owner also gets the finance reports. Every tab builds on a real demo clinic."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot
from ui.screens_helpers import make_ctx

from clinic_desktop.services.startup import CreatedClinic
from clinic_desktop.ui.billing.page import BillingPage


@pytest.mark.parametrize(
    ("username", "keys"),
    [
        ("duena", ["invoices", "receivables", "cash", "expenses", "reports"]),
        ("recepcion", ["invoices", "receivables", "cash", "expenses"]),
    ],
)
def test_tabs_follow_the_role_and_each_builds(
    demo: CreatedClinic, qtbot: QtBot, username: str, keys: list[str]
) -> None:
    page = BillingPage(make_ctx(demo, username))
    qtbot.addWidget(page)
    assert page.keys() == keys
    assert page.tabs.count() == len(keys)
    for key in keys:
        widget = page.tab(key)
        assert page.tabs.currentIndex() == keys.index(key)
        assert page.tabs.widget(keys.index(key)).isAncestorOf(widget)
