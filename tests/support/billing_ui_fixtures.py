"""Fixtures shared by the billing screens' tests: reception's UiContext on the demo clinic,
and stand-ins for the modal helpers (questions answered from a list or a switch, PDF previews
recorded) so no dialog blocks a test. Test modules load it as a plugin (`pytest_plugins =
["support.billing_ui_fixtures"]`) rather than importing the fixtures by name, so pytest finds
them without a test's signature shadowing an import. Its asserts need no rewriting (Answers is
imported for type hints before the plugin loads): PYTEST_DONT_REWRITE."""

from __future__ import annotations

from typing import Any

import pytest
from ui.screens_helpers import make_ctx

from clinic_desktop.services.startup import CreatedClinic
from clinic_desktop.ui.context import UiContext
from clinic_desktop.ui.widgets import print_preview, screen_kit

# {"questions": [(title, text, ok_text)], "answers": [bool], "printed": [(pdf, title)]}
Prompts = dict[str, list[Any]]


@pytest.fixture
def ctx(demo: CreatedClinic) -> UiContext:
    """Reception ("recepcion") at the desk of the demo clinic."""
    return make_ctx(demo, "recepcion")


@pytest.fixture
def prompts(monkeypatch: pytest.MonkeyPatch) -> Prompts:
    """Records every question; answers from `answers` (default: no), and what was printed."""
    record: Prompts = {"questions": [], "answers": [], "printed": []}

    def confirm(_parent: object, title: str, text: str, ok_text: str) -> bool:
        record["questions"].append((title, text, ok_text))
        return record["answers"].pop(0) if record["answers"] else False

    monkeypatch.setattr(screen_kit, "confirm", confirm)
    monkeypatch.setattr(
        print_preview,
        "show_pdf_preview",
        lambda _parent, pdf, title: record["printed"].append((pdf, title)),
    )
    return record


class Answers(list[str]):
    """Every question asked (title: text), answered yes unless `no` is set."""

    no = False

    def confirm(self, _parent: object, title: str, text: str, _ok: str) -> bool:
        self.append(f"{title}: {text}")
        return not self.no


@pytest.fixture
def answers(monkeypatch: pytest.MonkeyPatch) -> Answers:
    found = Answers()
    monkeypatch.setattr(screen_kit, "confirm", found.confirm)
    return found


@pytest.fixture
def printed(monkeypatch: pytest.MonkeyPatch) -> list[bytes]:
    """The PDFs sent to the print preview, in order."""
    pdfs: list[bytes] = []
    monkeypatch.setattr(print_preview, "show_pdf_preview", lambda _p, pdf, _t: pdfs.append(pdf))
    return pdfs
