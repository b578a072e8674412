"""`clinic-desktop patients export --chart N --out DIR` on a demo clinic: it unlocks the clinic
from the keyring, writes the PDF, the FHIR bundle and the documents, lists them, and records
the export under the CLI's system actor; a used folder, an unknown chart or a chart that is not
a number are one clear line and a non-zero exit, with nothing written."""

from __future__ import annotations

import io
import json
from pathlib import Path

from fhir.resources.R4B.bundle import Bundle
from pypdf import PdfReader
from sqlalchemy import select
from support.clinical_print_data import PDF_BYTES, SYSTEM, seed_record

from clinic_desktop.models.audit import AuditEntry


def test_export_a_chart_end_to_end(cli, demo, tmp_path: Path) -> None:
    record = seed_record(demo.db)
    out = tmp_path / "export"
    result = cli("patients", "export", "--chart", str(record.chart_number), "--out", str(out))
    assert result.code == 0, result.err
    chart = record.chart_number
    pdf, bundle = out / f"{chart}-record.pdf", out / f"{chart}-fhir-r4.json"
    assert f"Exported the record of José Pérez Núñez (chart {chart})" in result.out
    for path in (pdf, bundle, out / "documents" / "2026-02-12-cultivo faríngeo.pdf"):
        assert str(path) in result.out
    assert "4 files written, 2 of them attached documents." in result.out
    assert PdfReader(io.BytesIO(pdf.read_bytes())).pages[0].extract_text().count("Pérez Núñez")
    Bundle.model_validate(json.loads(bundle.read_text(encoding="utf-8")))
    assert (out / "documents" / "2026-02-12-cultivo faríngeo.pdf").read_bytes() == PDF_BYTES
    with demo.db.uow().transaction(SYSTEM) as session:
        entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "export")).one()
        assert entry.user_name.startswith("cli:")
        assert entry.entity_id == str(record.patient_id)


def test_refusals_are_one_line_and_write_nothing(cli, demo, tmp_path: Path) -> None:
    used = tmp_path / "used"
    used.mkdir()
    (used / "keep.txt").write_text("mine")
    result = cli("patients", "export", "--chart", "1", "--out", str(used))
    assert result.code == 1
    assert result.err.strip().count("\n") == 0
    assert "is not empty" in result.err
    assert [p.name for p in used.iterdir()] == ["keep.txt"]

    missing = tmp_path / "missing"
    result = cli("patients", "export", "--chart", "9999", "--out", str(missing))
    assert result.code == 1
    assert result.err.strip() == "There is no patient with chart number 9999."
    assert not missing.exists()

    result = cli("patients", "export", "--chart", "abc", "--out", str(missing))
    assert result.code == 2
    assert "'abc' is not a chart number" in result.err
    assert not missing.exists()
