"""Invoice numbers: each PC issues from its own emission point, and each kind of document has
its own series there, numbered from 1 without gaps. Ecuador prints
`establecimiento-punto-secuencial` (001-002-000000123, facturas and notas de crédito counted
apart); Spain prints the series and number (F002-000123, simplified S002-..., rectifying
R002-...). The number is taken inside the issuing transaction (BEGIN IMMEDIATE: one writer),
so a failed issue rolls the counter back with it and leaves no gap. The first PC that issues
gets the clinic's configured emission point; a second PC must be given its own by the owner,
because two offline PCs sharing a series could both issue the same number."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from clinic_desktop.actor import Actor
from clinic_desktop.db.uow import UnitOfWork
from clinic_desktop.errors import ValidationError
from clinic_desktop.events import SettingsChanged
from clinic_desktop.i18n import _
from clinic_desktop.models.billing import EmissionPoint, InvoiceKind, InvoiceSeries
from clinic_desktop.models.clinic import Clinic
from clinic_desktop.models.permissions import Permission
from clinic_desktop.services.access import require, require_any

# Spain: the series letter of each kind of document.
_ES_LETTERS = {
    InvoiceKind.INVOICE: "F",
    InvoiceKind.SIMPLIFIED: "S",
    InvoiceKind.CREDIT_NOTE: "R",
}


class NoEmissionPoint(ValidationError):
    """This PC has none and others already issue: the owner must assign one."""


@dataclass(frozen=True)
class EmissionPointDTO:
    code: str
    workstation: str
    label: str
    active: bool


@dataclass
class _Numbering:
    """What numbering needs of the clinic: read as three columns, since the clinic row also
    holds the logo (up to 1 MB) and numbering runs in every issue."""

    country: str
    establishment_code: str
    emission_point_code: str


def _clinic(session: Session) -> _Numbering:
    row = session.execute(
        select(Clinic.country, Clinic.establishment_code, Clinic.emission_point_code)
    ).one()
    return _Numbering(*row)


def emission_point_for(session: Session, workstation: str) -> EmissionPoint:
    """This PC's emission point; the first PC ever to issue takes the clinic's configured one."""
    point = session.scalars(
        select(EmissionPoint).where(
            EmissionPoint.workstation == workstation, EmissionPoint.deleted_at.is_(None)
        )
    ).one_or_none()
    if point is not None and point.active:
        return point
    if point is None and session.scalars(select(EmissionPoint.id).limit(1)).first() is None:
        point = EmissionPoint(
            code=_clinic(session).emission_point_code, workstation=workstation, label=workstation
        )
        session.add(point)
        session.flush()
        return point
    raise NoEmissionPoint(
        _(
            "Emission point: this computer ({workstation}) has none of its own. The owner "
            "assigns one in Settings, Invoicing, before it can issue invoices."
        ).format(workstation=workstation),
        field="emission_point",
    )


def series_prefix(clinic: Clinic | _Numbering, point_code: str, kind: InvoiceKind) -> str:
    if clinic.country == "EC":
        return f"{clinic.establishment_code}-{point_code}"
    return f"{_ES_LETTERS[kind]}{point_code}"


def format_number(country: str, prefix: str, number: int) -> str:
    if country == "EC":
        return f"{prefix}-{number:09d}"
    return f"{prefix}-{number:06d}"


@dataclass(frozen=True)
class IssuedNumber:
    series: InvoiceSeries
    number: int
    text: str


def next_number(session: Session, *, workstation: str, kind: InvoiceKind) -> IssuedNumber:
    """Takes the next number of `kind` at this PC's emission point (inside the caller's
    transaction: it commits or rolls back with the issue)."""
    clinic = _clinic(session)
    point = emission_point_for(session, workstation)
    series = session.scalars(
        select(InvoiceSeries).where(
            InvoiceSeries.emission_point_id == point.id, InvoiceSeries.kind == kind.value
        )
    ).one_or_none()
    if series is None:
        series = InvoiceSeries(
            emission_point_id=point.id,
            kind=kind.value,
            prefix=series_prefix(clinic, point.code, kind),
            last_number=0,
        )
        session.add(series)
        session.flush()  # its id, for the document to name
    # Written with the caller's next flush, in the same transaction.
    series.last_number = (series.last_number or 0) + 1
    return IssuedNumber(
        series, series.last_number, format_number(clinic.country, series.prefix, series.last_number)
    )


def list_emission_points(uow: UnitOfWork, *, actor: Actor) -> list[EmissionPointDTO]:
    with uow.transaction(actor) as session:
        # Billing staff see which PC issues what; whoever manages settings assigns them.
        require_any(session, actor, (Permission.BILLING_MANAGE, Permission.SETTINGS_MANAGE))
        points = session.scalars(
            select(EmissionPoint)
            .where(EmissionPoint.deleted_at.is_(None))
            .order_by(EmissionPoint.code)
        )
        return [EmissionPointDTO(p.code, p.workstation, p.label, p.active) for p in points]


def assign_emission_point(
    uow: UnitOfWork, *, actor: Actor, workstation: str, code: str, label: str = ""
) -> EmissionPointDTO:
    """Gives `workstation` its own emission point `code` (three digits, unused)."""
    code, workstation = code.strip(), workstation.strip()
    if len(code) != 3 or not code.isdigit() or code == "000":
        raise ValidationError(
            _("Emission point: three digits from 001 to 999, such as 002."), field="code"
        )
    if not workstation:
        raise ValidationError(_("Computer: write the computer's name."), field="workstation")
    with uow.transaction(actor) as session:
        require(session, actor, Permission.SETTINGS_MANAGE)
        taken = session.scalars(select(EmissionPoint).where(EmissionPoint.code == code)).first()
        if taken is not None and taken.workstation != workstation:
            raise ValidationError(
                _("Emission point: {code} already belongs to {workstation}.").format(
                    code=code, workstation=taken.workstation
                ),
                field="code",
            )
        point = session.scalars(
            select(EmissionPoint).where(EmissionPoint.workstation == workstation)
        ).first()
        if point is not None and point.code != code:
            used = session.scalars(
                select(InvoiceSeries.id).where(
                    InvoiceSeries.emission_point_id == point.id, InvoiceSeries.last_number > 0
                )
            ).first()
            if used is not None:
                raise ValidationError(
                    _(
                        "Emission point: {workstation} has already issued from {code}; its "
                        "series cannot change."
                    ).format(workstation=workstation, code=point.code),
                    field="code",
                )
            point.code = code
        elif point is None:
            point = EmissionPoint(code=code, workstation=workstation, label=label or workstation)
            session.add(point)
        point.label = label or point.label
        point.active = True
        session.flush()
        uow.publish_after_commit(SettingsChanged(keys=("billing.emission_points",)))
        return EmissionPointDTO(point.code, point.workstation, point.label, point.active)
