"""The audit trail: append-only records of who did what, when and why."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select, text
from sqlmodel import Session, col

from interviewkit.services.errors import PermissionDenied
from interviewkit.storage.db import Database
from interviewkit.storage.models import AuditEvent, Person, id_of, utcnow

__all__ = ["AuditEntry", "actor_id", "audit_trail", "change_reason", "record", "redact"]


@dataclass(frozen=True)
class AuditEntry:
    id: int
    at: datetime
    actor: str
    entity: str
    entity_id: str
    action: str
    reason: str
    detail: dict[str, Any]


def actor_id(by: object) -> int | None:
    """The person id an audit entry names for an actor (None for the local operator)."""
    return by if isinstance(by, int) and not isinstance(by, bool) else None


def _postgresql(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def record(
    session: Session,
    *,
    actor_id: int | None,
    entity: str,
    entity_id: int | str,
    action: str,
    reason: str = "",
    detail: dict[str, Any] | None = None,
    at: datetime | None = None,
) -> None:
    """Append an entry, in the caller's transaction (``at`` defaults to now).

    On PostgreSQL the entry goes through ``ik_audit_record`` (revision 0008), the only way into the trail
    for a person's login: the database names the actor from the login (a name passed here counts only
    for the database administrator, who records history such as the demo's) and adds the login itself."""
    if _postgresql(session):
        session.flush()
        session.execute(
            text("SELECT ik_audit_record(:entity, :entity_id, :action, :reason, CAST(:detail AS json), :at, :actor)"),
            {"entity": entity, "entity_id": str(entity_id), "action": action, "reason": reason,
             "detail": json.dumps(detail or {}, ensure_ascii=False, default=str), "at": at, "actor": actor_id},
        )
        return
    event = AuditEvent(
        actor_id=actor_id, entity=entity, entity_id=str(entity_id), action=action, reason=reason, detail=detail or {}
    )
    if at is not None:
        event.at = at
    session.add(event)


def redact(session: Session, event: AuditEvent, *, reason: str, detail: dict[str, Any]) -> None:
    """Rewrite an entry's text once, for an erasure (the database allows nothing else; on PostgreSQL only
    through ``ik_audit_redact``, for an admin)."""
    if _postgresql(session):
        session.flush()
        session.execute(
            text("SELECT ik_audit_redact(:id, :reason, CAST(:detail AS json))"),
            {"id": event.id, "reason": reason, "detail": json.dumps(detail, ensure_ascii=False, default=str)},
        )
        session.expire(event)
        return
    event.reason = reason
    event.detail = detail
    event.redacted_at = utcnow()


def change_reason(session: Session, reason: str) -> None:
    """Say, for this transaction, why a submitted scorecard changes (an amendment, an erasure). On
    PostgreSQL the database refuses any change to a submitted scorecard without one, and writes each
    change to the audit trail with it (revision 0008); SQLite has no such guard (nothing to do)."""
    if _postgresql(session):
        session.execute(text("SELECT set_config('interviewkit.change_reason', :r, true)"), {"r": reason[:500] or "-"})


def audit_trail(db: Database, entity: str, entity_id: int | str, *, by: Any) -> list[AuditEntry]:
    """The entries about one thing, oldest first, if this person may see them: a scorecard's trail with
    the scorecard (:func:`~interviewkit.services.policy.require_scorecard`), a candidate's with their
    decision (the lead, and the panel once they may read every scorecard); anything else, admins."""
    from interviewkit.services import policy

    with db.session() as s:
        if entity == "scorecard" and str(entity_id).isdigit():
            policy.require_scorecard(s, by, int(entity_id))
        elif entity == "candidate" and str(entity_id).isdigit():
            if not policy.require_debrief(s, by, int(entity_id)).decision_visible:
                raise PermissionDenied("This candidate's audit trail is shown with the decision: once your own "
                                       "scorecard is submitted and every submitted scorecard is visible to you")
        elif not policy.who(s, by).admin:
            raise PermissionDenied("Only admins may read this part of the audit trail")
        rows = s.execute(
            select(AuditEvent, col(Person.name))
            .outerjoin(Person, col(Person.id) == col(AuditEvent.actor_id))
            .where(col(AuditEvent.entity) == entity, col(AuditEvent.entity_id) == str(entity_id))
            .order_by(col(AuditEvent.at), col(AuditEvent.id))
        ).all()
    return [
        AuditEntry(id_of(e), e.at, name or "(unknown)", e.entity, e.entity_id, e.action, e.reason, dict(e.detail))
        for e, name in rows
    ]
