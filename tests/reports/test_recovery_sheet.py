"""The recovery-key sheet renders to a one-page PDF whose extracted text holds the key exactly
as grouped, the clinic's identity with its accents, the storage instructions and the footer."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime

import pytest
from pypdf import PdfReader

from clinic_desktop import i18n
from clinic_desktop.reports.recovery_sheet import RecoverySheet, render_recovery_sheet

KEY = "ABCD-EFGH-JKMN-PQRS-TVWX-YZ23-4567-89AB"
SHEET = RecoverySheet(
    clinic_name="Clínica Dental Muñoz & Asociados",
    tax_id="1792060346001",
    recovery_key=KEY,
    created_at=datetime(2025, 3, 14, 10, 32),
    workstation="RECEPCIÓN-01",
)
# Built by `make translations`; until then the Spanish test is skipped.
SPANISH_MO = i18n.TRANSLATIONS_DIR / "es" / "LC_MESSAGES" / f"{i18n.DOMAIN}.mo"


@pytest.fixture
def language() -> Iterator[None]:
    previous = i18n.current_language()
    yield
    i18n.set_language(previous)


def extract(pdf: bytes) -> tuple[PdfReader, str]:
    reader = PdfReader(io.BytesIO(pdf))
    text = "\n".join(page.extract_text() for page in reader.pages)
    # Paragraphs wrap; compare on single spaces so assertions do not depend on line breaks.
    return reader, re.sub(r"\s+", " ", text)


def test_english_sheet(language: None) -> None:
    i18n.set_language("en")
    pdf = render_recovery_sheet(SHEET)
    assert pdf.startswith(b"%PDF-")
    reader, text = extract(pdf)
    assert len(reader.pages) == 1
    assert reader.metadata is not None
    assert reader.metadata.title == "Recovery key"
    assert KEY in text
    assert "Clínica Dental Muñoz & Asociados" in text
    assert "1792060346001" in text
    assert "14/03/2025 10:32" in text
    assert "RECEPCIÓN-01" in text
    for phrase in (
        "Keep this sheet in a safe place away from the computer, such as a safe",
        "if this computer's keychain is lost, if this computer is replaced, or to restore a "
        "backup on another computer",
        "Anyone who has this sheet and a copy of the data can read the data",
        "will never ask you for this key by e-mail or by phone",
        "Without this key there is no way to recover the data",
        "Stored by:",
        "Date:",
        "Page 1 of 1",
        "Generated on ",
    ):
        assert phrase in text, phrase


def test_key_is_not_in_the_metadata(language: None) -> None:
    i18n.set_language("en")
    reader, _text = extract(render_recovery_sheet(SHEET))
    assert reader.metadata is not None
    assert all(KEY not in str(value) for value in reader.metadata.values())


def test_a_longer_key_still_prints_whole_on_one_page(language: None) -> None:
    i18n.set_language("en")
    key = "-".join(["WXYZ"] * 12)
    reader, text = extract(render_recovery_sheet(replace(SHEET, recovery_key=key)))
    assert len(reader.pages) == 1
    assert key in text.replace(" ", "")


@pytest.mark.skipif(not SPANISH_MO.exists(), reason="Spanish catalog not compiled")
def test_spanish_sheet(language: None) -> None:
    i18n.set_language("es")
    _reader, text = extract(render_recovery_sheet(SHEET))
    assert KEY in text
    assert "Clave de recuperación" in text
    assert "Guardada por:" in text
