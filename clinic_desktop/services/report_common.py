"""What every tabular report shares, whatever it is about (the inventory reports, the financial
ones, the dashboard's figures): the clinic's zone, money and today read once per report (a
Frame), the start of a clinic day as a UTC instant, and the assembly of a TabularReport
(report_table) from a report's parts. Each family of reports keeps its own permissions, keys
and wording in its *_common module."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from clinic_desktop.models.base import utcnow
from clinic_desktop.models.clinic import Clinic
from clinic_desktop.services.agenda_rules import clinic_zone
from clinic_desktop.services.report_table import ReportColumn, ReportRow, TabularReport


@dataclass(frozen=True)
class Frame:
    """The clinic's zone, money and today, read once per report."""

    zone: ZoneInfo
    currency: str
    today: date
    generated_at: datetime


def frame_of(session: Session) -> Frame:
    zone = clinic_zone(session)
    currency = session.scalar(select(Clinic.currency).where(Clinic.deleted_at.is_(None)).limit(1))
    now = utcnow()
    return Frame(zone, currency or "USD", now.astimezone(zone).date(), now)


def start_of_day(frame: Frame, day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=frame.zone).astimezone(UTC)


def build_report(
    frame: Frame,
    key: str,
    *,
    title: str,
    period: str,
    basis: str,
    columns: Sequence[ReportColumn],
    rows: Sequence[ReportRow],
    totals: Sequence[ReportRow],
    filters: Sequence[str] | None = None,
    group_column: int | None = None,
    empty_text: str = "",
) -> TabularReport:
    """A TabularReport in the clinic's money and zone, generated when `frame` was read. `key`
    is the report's key (a StrEnum member of its family is stored as its plain value)."""
    return TabularReport(
        key=str(key),
        title=title,
        period=period,
        filters=tuple(filters or ()),
        basis=basis,
        columns=tuple(columns),
        rows=tuple(rows),
        totals=tuple(totals),
        currency=frame.currency,
        zone=frame.zone.key,
        generated_at=frame.generated_at,
        group_column=group_column,
        empty_text=empty_text,
    )
