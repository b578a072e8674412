"""Reading and verifying the audit trail. Verification walks the whole chain in order and
names the first entry whose hash, predecessor link or sequence number is wrong; filtering
serves the audit screen (audit.read)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, func, select

from clinic_desktop.actor import Actor
from clinic_desktop.db.uow import UnitOfWork
from clinic_desktop.i18n import _
from clinic_desktop.models.audit import GENESIS_HASH, AuditEntry
from clinic_desktop.models.permissions import Permission
from clinic_desktop.services.access import require
from clinic_desktop.services.dto import AuditEntryDTO, AuditVerification


@dataclass(frozen=True)
class AuditFilter:
    user_name: str | None = None
    action: str | None = None
    entity: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    text: str | None = None


def _filtered(flt: AuditFilter) -> Select[AuditEntry]:
    query = select(AuditEntry)
    if flt.user_name:
        query = query.where(AuditEntry.user_name == flt.user_name)
    if flt.action:
        query = query.where(AuditEntry.action == flt.action)
    if flt.entity:
        query = query.where(AuditEntry.entity == flt.entity)
    if flt.since:
        query = query.where(AuditEntry.at >= flt.since)
    if flt.until:
        query = query.where(AuditEntry.at < flt.until)
    if flt.text:
        like = f"%{flt.text}%"
        query = query.where(AuditEntry.changes.like(like) | AuditEntry.entity_id.like(like))
    return query


def list_audit_entries(
    uow: UnitOfWork,
    *,
    actor: Actor,
    flt: AuditFilter | None = None,
    limit: int = 500,
    offset: int = 0,
) -> tuple[list[AuditEntryDTO], int]:
    """Newest first; returns one page and the total count matching the filter."""
    flt = flt or AuditFilter()
    with uow.transaction(actor) as session:
        require(session, actor, Permission.AUDIT_READ)
        query = _filtered(flt)
        total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
        rows = session.scalars(query.order_by(AuditEntry.seq.desc()).limit(limit).offset(offset))
        entries = [
            AuditEntryDTO(
                seq=r.seq,
                at=r.at,
                user_name=r.user_name,
                workstation=r.workstation,
                action=r.action,
                entity=r.entity,
                entity_id=r.entity_id,
                changes=r.changes,
            )
            for r in rows
        ]
    return entries, int(total)


def audit_filter_choices(uow: UnitOfWork, *, actor: Actor) -> dict[str, list[str]]:
    """Distinct users, actions and entities, to fill the screen's drop-downs."""
    with uow.transaction(actor) as session:
        require(session, actor, Permission.AUDIT_READ)
        return {
            "users": sorted(session.scalars(select(AuditEntry.user_name).distinct())),
            "actions": sorted(session.scalars(select(AuditEntry.action).distinct())),
            "entities": sorted(
                e for e in session.scalars(select(AuditEntry.entity).distinct()) if e
            ),
        }


def verify_audit_chain(uow: UnitOfWork, *, actor: Actor) -> AuditVerification:
    with uow.transaction(actor) as session:
        require(session, actor, Permission.AUDIT_READ)
        previous = GENESIS_HASH
        expected_seq = 1
        checked = 0
        for entry in session.scalars(
            select(AuditEntry).order_by(AuditEntry.seq).execution_options(yield_per=2000)
        ):
            reason = None
            if entry.seq != expected_seq:
                reason = _("entry {seq} follows {prev}: entries are missing or reordered").format(
                    seq=entry.seq, prev=expected_seq - 1
                )
            elif entry.prev_hash != previous:
                reason = _("entry {seq} does not link to the entry before it").format(seq=entry.seq)
            elif entry.compute_hash() != entry.hash:
                reason = _("entry {seq} was altered after it was written").format(seq=entry.seq)
            if reason:
                return AuditVerification(
                    ok=False, checked=checked, first_bad_seq=entry.seq, reason=reason
                )
            previous = entry.hash
            expected_seq += 1
            checked += 1
    return AuditVerification(ok=True, checked=checked, first_bad_seq=None, reason="")
