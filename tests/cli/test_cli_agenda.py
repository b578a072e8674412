"""`clinic-desktop agenda export` on the demo clinic's generated agenda: the .ics file parses
back with the `icalendar` library and holds exactly the practitioner's appointments of the
range (checked against the agenda service), with stable UIDs, UTC times and accented
summaries; bad dates are usage errors (exit 2), an unknown practitioner or a reversed range
exit 1 with one clear line and write nothing."""

from __future__ import annotations

import calendar as month_calendar
from datetime import UTC, date
from pathlib import Path

import pytest
from icalendar import Calendar
from support.agenda_demo import demo_day

from clinic_desktop.actor import Actor
from clinic_desktop.services.agenda_queries import agenda_range
from clinic_desktop.services.startup import CreatedClinic

SYSTEM = Actor.system("tests")


def _month(day: date) -> tuple[date, date]:
    last = month_calendar.monthrange(day.year, day.month)[1]
    return day.replace(day=1), day.replace(day=last)


def test_export_a_doctors_month_and_read_it_back(
    cli, demo_agenda: CreatedClinic, tmp_path: Path
) -> None:
    first, last = _month(demo_day())
    out = tmp_path / "medico.ics"
    result = cli(
        "agenda",
        "export",
        "--practitioner",
        "medico",
        "--from",
        first.isoformat(),
        "--to",
        last.isoformat(),
        "--out",
        str(out),
    )
    assert result.code == 0, result.err

    shown = agenda_range(
        demo_agenda.db.uow(),
        actor=SYSTEM,
        first_day=first,
        last_day=last,
        include_cancelled=True,
    )
    doctor = next(p for p in shown.practitioners if p.username == "medico")
    expected = {str(a.id): a for a in shown.appointments if a.practitioner_id == doctor.id}
    assert len(expected) > 10  # the demo's busiest weeks are around today

    calendar = Calendar.from_ical(out.read_bytes())
    events = calendar.walk("VEVENT")
    assert len(events) == len(expected)
    assert f"Exported {len(expected)} appointments of Dr. Andrés Paredes" in result.out
    assert "Agenda — Dr. Andrés Paredes" in str(calendar["X-WR-CALNAME"])
    seen = set()
    for event in events:
        uid = str(event["UID"])
        assert uid.endswith("@clinic-desktop")
        appointment = expected[uid.removesuffix("@clinic-desktop")]
        seen.add(str(appointment.id))
        start = event["DTSTART"].dt
        assert start.tzinfo is not None and start.utcoffset().total_seconds() == 0
        assert start == appointment.start.astimezone(UTC)
        assert event["DTEND"].dt == appointment.end
        assert str(event["SUMMARY"]) == f"{appointment.patient_name} — {appointment.type_name}"
        assert (str(event["STATUS"]) == "CANCELLED") == (
            appointment.status in {"cancelled", "no_show"}
        )
    assert seen == set(expected)
    summaries = " ".join(str(e["SUMMARY"]) for e in events)
    assert any(ch in summaries for ch in "áéíóúñ")  # accents survive the round trip
    assert not list(tmp_path.glob(".medico.ics.*.tmp"))


def test_a_dentist_without_appointments_in_range_gets_a_valid_empty_calendar(
    cli, demo_agenda: CreatedClinic, tmp_path: Path
) -> None:
    out = tmp_path / "empty.ics"
    out.write_text("old content")
    result = cli(
        "agenda",
        "export",
        "--practitioner",
        "odontologa",
        "--from",
        "2001-01-01",
        "--to",
        "2001-01-31",
        "--out",
        str(out),
    )
    assert result.code == 0, result.err
    assert "Exported 0 appointments" in result.out
    calendar = Calendar.from_ical(out.read_bytes())  # replaced, not appended to
    assert calendar.walk("VEVENT") == []


@pytest.mark.parametrize(
    ("first", "last", "bad"),
    [("2026-02-30", "2026-03-01", "2026-02-30"), ("01/03/2026", "2026-03-31", "01/03/2026")],
)
def test_a_bad_date_is_a_usage_error(
    cli, demo_agenda: CreatedClinic, tmp_path: Path, first: str, last: str, bad: str
) -> None:
    out = tmp_path / "x.ics"
    result = cli(
        "agenda",
        "export",
        "--practitioner",
        "medico",
        "--from",
        first,
        "--to",
        last,
        "--out",
        str(out),
    )
    assert result.code == 2
    assert f"'{bad}' is not a date; write it as YYYY-MM-DD" in result.err
    assert not out.exists()


def test_unknown_practitioner_and_reversed_dates_fail_with_one_line(
    cli, demo_agenda: CreatedClinic, tmp_path: Path
) -> None:
    out = tmp_path / "x.ics"
    unknown = cli(
        "agenda",
        "export",
        "--practitioner",
        "nadie",
        "--from",
        "2026-03-01",
        "--to",
        "2026-03-31",
        "--out",
        str(out),
    )
    assert unknown.code == 1
    assert unknown.err.strip() == "Practitioner: no practitioner with the user name nadie."

    reversed_ = cli(
        "agenda",
        "export",
        "--practitioner",
        "medico",
        "--from",
        "2026-03-31",
        "--to",
        "2026-03-01",
        "--out",
        str(out),
    )
    assert reversed_.code == 1
    assert reversed_.err.strip() == "To: it must not be before the 'from' date."

    missing_folder = cli(
        "agenda",
        "export",
        "--practitioner",
        "medico",
        "--from",
        "2026-03-01",
        "--to",
        "2026-03-31",
        "--out",
        str(tmp_path / "nowhere" / "x.ics"),
    )
    assert missing_folder.code == 1
    assert (
        "Output file: the folder" in missing_folder.err and "does not exist" in missing_folder.err
    )
    assert not out.exists()


def test_export_needs_all_its_options(cli, demo_agenda: CreatedClinic) -> None:
    result = cli("agenda", "export", "--practitioner", "medico")
    assert result.code == 2
    assert "--from" in result.err
