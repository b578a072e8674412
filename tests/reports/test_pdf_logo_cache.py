"""The clinic's logo is decoded once for all the documents that print it: two renders with the
same logo (as fresh bytes, the way each print reads it from the database) decode it once and
both show it; a changed logo or another box is decoded afresh and printed as it now is; a logo
whose pixels cannot be read prints no image instead of refusing the document."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from PIL import Image
from pypdf import PdfReader
from reportlab.lib.utils import ImageReader
from reportlab.platypus import Paragraph

from clinic_desktop.reports import pdf_style
from clinic_desktop.reports.clinical_letterhead import (
    LOGO_BOX,
    Letterhead,
    PatientIdentity,
    build_clinical_pdf,
)
from clinic_desktop.reports.pdf_style import scaled_logo, styles

BLUE = (31, 95, 139)
GREEN = (20, 140, 60)
PATIENT = PatientIdentity("Ana Vera", 7, "Cédula", "1710034065", date(1990, 1, 2))


def png(colour: tuple[int, int, int], width: int = 90, height: int = 60) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(buffer, "PNG")
    return buffer.getvalue()


def render(logo: bytes) -> bytes:
    letterhead = Letterhead("Clínica Santa Ana", "Quito", "1710034065001", "RUC", logo=logo)
    return build_clinical_pdf(
        [Paragraph("Resumen", styles().body)],
        letterhead=letterhead,
        patient=PATIENT,
        title="Historia clínica",
        generated_at=datetime(2026, 3, 5, 10, 30, tzinfo=ZoneInfo("America/Guayaquil")),
        generated_by="Dra. Lucía Andrade",
    )


def logo_colour(pdf: bytes) -> tuple[int, ...]:
    [picture] = PdfReader(io.BytesIO(pdf)).pages[0].images
    image = picture.image
    assert image is not None
    return tuple(image.convert("RGB").getpixel((5, 5)))  # type: ignore[arg-type]


@pytest.fixture
def decoded(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[int]]:
    """Counts the logos decoded, from an empty cache (other tests may have filled it)."""
    counted: list[int] = []

    class CountingReader(ImageReader):  # type: ignore[misc]
        def __init__(self, source: object) -> None:
            counted.append(1)
            super().__init__(source)

    pdf_style._decoded_logo.cache_clear()
    monkeypatch.setattr(pdf_style, "ImageReader", CountingReader)
    yield counted
    pdf_style._decoded_logo.cache_clear()


def test_two_renders_with_the_same_logo_decode_it_once(decoded: list[int]) -> None:
    logo = png(BLUE)
    first = render(bytes(bytearray(logo)))  # equal bytes, not the same object
    second = render(bytes(bytearray(logo)))
    assert len(decoded) == 1
    assert logo_colour(first) == logo_colour(second) == BLUE

    changed = render(png(GREEN))  # a new logo in settings is printed at once
    assert len(decoded) == 2
    assert logo_colour(changed) == GREEN
    assert logo_colour(render(logo)) == BLUE
    assert len(decoded) == 2  # both still cached


def test_the_box_is_part_of_what_is_cached(decoded: list[int]) -> None:
    logo = png(BLUE, 200, 100)
    wide = scaled_logo(logo, LOGO_BOX)
    small = scaled_logo(logo, (20.0, 20.0))
    assert wide is not None and small is not None
    assert len(decoded) == 2
    assert small[1:] == (20.0, 10.0)
    assert wide[1:] == pytest.approx((LOGO_BOX[0], LOGO_BOX[0] / 2))  # as wide as the box
    again = scaled_logo(bytes(bytearray(logo)), LOGO_BOX)
    assert again is not None and again[0] is wide[0] and len(decoded) == 2


def test_a_logo_whose_pixels_cannot_be_read_prints_no_image(decoded: list[int]) -> None:
    # The header reads (so the size is known) but the picture data is cut short: decoding
    # fails, and the document is printed without a logo rather than not at all.
    broken = png(BLUE, 400, 300)[:120]
    assert scaled_logo(broken, LOGO_BOX) is None
    pdf = render(broken)
    assert all(len(page.images) == 0 for page in PdfReader(io.BytesIO(pdf)).pages)
    assert scaled_logo(b"", LOGO_BOX) is None and scaled_logo(None, LOGO_BOX) is None
