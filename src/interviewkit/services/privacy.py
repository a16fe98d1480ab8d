"""Personal data: erase a candidate on request, and the retention period after a decision.

Erasing a candidate removes what identifies them or was written about them, everywhere, and keeps
what calibration needs:

* the candidate row: the name becomes "Candidate #<id> (erased)", email and phone are emptied;
* every scorecard of their loops, drafts included (the autosaved notes live there): the notes on each
  question, the summary, the evidence and "not assessed" reasons of each rating;
* decision rationales and reopening reasons, loop and stage names: the candidate's name, email and
  phone are replaced by "[erased]" (the outcome stays);
* the audit trail: entries about the candidate, their scorecards and decisions, and any other entry
  whose text names them, are redacted through the one-way path the database allows (``redacted_at``);
* a new audit entry records the erasure: who, when, which candidate, why, and which kinds of data
  went, never the data itself.

Ratings, recommendations, outcomes and dates stay, so the calibration statistics do not change.

On SQLite the erasing connection turns on ``secure_delete`` (freed space is zeroed), and afterwards
the file is rebuilt (``VACUUM``) and the write-ahead log checkpointed and truncated, so the old text
is not left in free pages or in the ``-wal`` file. PostgreSQL's old row versions are reclaimed by its
own (auto)vacuum.

Retention: a period in days (the database's ``ik_meta`` key ``retention_days``, 365 by default) after
the decision in force, after which the candidate is erased as above.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any

from sqlalchemy import or_, select, text
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlmodel import Session

from interviewkit.services import audit
from interviewkit.services.access import Actor, require, require_in
from interviewkit.services.errors import NotFound, ValidationFailed
from interviewkit.storage.db import Database
from interviewkit.storage.models import (
    DECISION_OUTCOMES,
    AskedQuestion,
    AuditEvent,
    Candidate,
    Decision,
    InterviewLoop,
    Meta,
    Opening,
    Rating,
    Scorecard,
    Stage,
    utcnow,
)

__all__ = [
    "DEFAULT_RETENTION_DAYS",
    "DueCandidate",
    "ErasureReport",
    "apply_retention",
    "compact",
    "due_for_retention",
    "erase_candidate",
    "erased_label",
    "erasure_preview",
    "retention_days",
    "set_retention_days",
]

DEFAULT_RETENTION_DAYS = 365
MAX_RETENTION_DAYS = 36500
RETENTION_KEY = "retention_days"
ERASED = "[erased]"


def erased_label(candidate_id: int) -> str:
    return f"Candidate #{candidate_id} (erased)"


@dataclass(frozen=True)
class DueCandidate:
    """A candidate whose retention period has run out, and what would go."""

    candidate_id: int
    name: str
    opening: str
    outcome: str
    decided_at: datetime
    fields: tuple[str, ...]


@dataclass(frozen=True)
class ErasureReport:
    candidate_id: int
    label: str
    fields: tuple[str, ...]  # what went, in words ("name", "notes on 6 questions", ...)
    audit_redacted: int
    compacted: bool  # SQLite: rebuilt and the log truncated (False: postponed, another copy was busy)


# --- settings ------------------------------------------------------------------------------------------


def retention_days(db: Database) -> int:
    """The retention period in days (default :data:`DEFAULT_RETENTION_DAYS`)."""
    with db.session() as s:
        row = s.get(Meta, RETENTION_KEY)
    try:
        return int(row.value) if row is not None else DEFAULT_RETENTION_DAYS
    except ValueError:
        return DEFAULT_RETENTION_DAYS


def set_retention_days(db: Database, days: int, *, by: Actor) -> int:
    if not 1 <= days <= MAX_RETENTION_DAYS:
        raise ValidationFailed([f"Retention: between 1 and {MAX_RETENTION_DAYS} days"])
    with db.transaction() as s:
        require_in(s, by, "run_retention")
        row = s.get(Meta, RETENTION_KEY)
        before = row.value if row is not None else str(DEFAULT_RETENTION_DAYS)
        if row is None:
            s.add(Meta(key=RETENTION_KEY, value=str(days)))
        else:
            row.value = str(days)
        audit.record(s, actor_id=by if isinstance(by, int) else None, entity="settings", entity_id=RETENTION_KEY,
                     action="changed", detail={"before": int(before), "after": days})
    return days


# --- what a candidate has -------------------------------------------------------------------------------


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=timezone.utc)


def _identifiers(cand: Candidate, *, loose: bool) -> list[str]:
    """The strings that identify a candidate: full name, email, phone; ``loose`` adds the email's local
    part and the parts of the name of 3 letters or more (shorter ones, "Bo" or "da", match unrelated
    words). The loose set is used on the candidate's own records only."""
    found = {cand.name.strip(), cand.email.strip(), cand.phone.strip()}
    if loose:
        found.update(part for part in re.split(r"[\s,]+", cand.name) if len(part.strip(".")) >= 3)
        if "@" in cand.email:
            found.add(cand.email.split("@", 1)[0])
    return sorted((f for f in found if len(f) >= 3 or f == cand.name.strip()), key=len, reverse=True)


def _pattern(identifiers: list[str]) -> re.Pattern[str] | None:
    if not identifiers:
        return None
    return re.compile("|".join(rf"(?<!\w){re.escape(i)}(?!\w)" for i in identifiers), re.IGNORECASE)


def _scrub(value: str, pattern: re.Pattern[str] | None) -> str:
    return pattern.sub(ERASED, value) if pattern is not None and value else value


@dataclass
class _Holdings:
    cand: Candidate
    cards: list[Scorecard]
    asked: list[AskedQuestion]
    ratings: list[Rating]
    decisions: list[Decision]
    loops: list[InterviewLoop]
    stages: list[Stage]
    events: list[AuditEvent]
    pattern: re.Pattern[str] | None  # loose: for the candidate's own records
    strong: re.Pattern[str] | None  # full name, email, phone: for everything else
    mentions: list[tuple[Any, str]]  # (row, attribute) of other records whose text names the candidate


def _holdings(s: Session, cand: Candidate) -> _Holdings:
    cid = int(cand.id or 0)
    loops = list(s.scalars(select(InterviewLoop).where(InterviewLoop.candidate_id == cid)))
    loop_ids = [lp.id for lp in loops]
    stages = list(s.scalars(select(Stage).where(Stage.loop_id.in_(loop_ids)))) if loop_ids else []  # type: ignore[attr-defined]
    stage_ids = [st.id for st in stages]
    cards = list(s.scalars(select(Scorecard).where(Scorecard.stage_id.in_(stage_ids)))) if stage_ids else []  # type: ignore[attr-defined]
    card_ids = [int(c.id or 0) for c in cards]
    asked = list(s.scalars(select(AskedQuestion).where(AskedQuestion.scorecard_id.in_(card_ids)))) if card_ids else []  # type: ignore[attr-defined]
    ratings = list(s.scalars(select(Rating).where(Rating.scorecard_id.in_(card_ids)))) if card_ids else []  # type: ignore[attr-defined]
    decisions = list(s.scalars(select(Decision).where(Decision.candidate_id == cid)))
    pattern = _pattern(_identifiers(cand, loose=True))
    strong_ids = _identifiers(cand, loose=False)
    strong = _pattern(strong_ids)
    linked = {("candidate", str(cid))}
    linked |= {("scorecard", str(i)) for i in card_ids}
    linked |= {("decision", str(d.id)) for d in decisions}
    linked |= {("interview_loop", str(i)) for i in loop_ids} | {("loop", str(i)) for i in loop_ids}
    linked |= {("stage", str(i)) for i in stage_ids}
    events = []
    for e in s.scalars(select(AuditEvent).where(AuditEvent.redacted_at.is_(None))):  # type: ignore[union-attr]
        if (e.entity, e.entity_id) in linked:
            events.append(e)
        elif strong is not None and (
            strong.search(e.reason or "") or strong.search(json.dumps(e.detail, ensure_ascii=False))
        ):
            events.append(e)
    mentions: list[tuple[Any, str]] = []
    own_cards = set(card_ids)
    for model, attr, owner in (
        (AskedQuestion, "notes", "scorecard_id"),
        (Scorecard, "summary", "id"),
        (Rating, "evidence", "scorecard_id"),
        (Decision, "rationale", "candidate_id"),
    ):
        column = getattr(model, attr)
        if not strong_ids:
            break
        rows = s.scalars(select(model).where(or_(*(column.ilike(f"%{i}%") for i in strong_ids))))
        for row in rows:
            mine = getattr(row, owner) == cid if model is Decision else getattr(row, owner) in own_cards
            if not mine and strong is not None and strong.search(getattr(row, attr)):
                mentions.append((row, attr))
    return _Holdings(cand, cards, asked, ratings, decisions, loops, stages, events, pattern, strong, mentions)


def _plural(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"


def _fields(h: _Holdings) -> tuple[str, ...]:
    """What erasing would remove, in words."""
    out = []
    c = h.cand
    out.append("name")
    if c.email.strip():
        out.append("email")
    if c.phone.strip():
        out.append("phone")
    notes = sum(1 for a in h.asked if a.notes.strip())
    if notes:
        out.append(f"notes on {_plural(notes, 'question')}")
    summaries = sum(1 for card in h.cards if card.summary.strip())
    if summaries:
        out.append(_plural(summaries, "scorecard summary", "scorecard summaries"))
    drafts = sum(1 for card in h.cards if card.status != "submitted")
    if drafts:
        out.append(f"autosaved notes of {_plural(drafts, 'draft scorecard')}")
    evidence = sum(1 for r in h.ratings if r.evidence.strip() or r.reason.strip())
    if evidence:
        out.append(_plural(evidence, "rating note"))
    named = sum(
        1 for d in h.decisions
        if h.pattern is not None and (h.pattern.search(d.rationale) or h.pattern.search(d.reopen_reason))
    )
    if named:
        out.append(f"the candidate's name in {_plural(named, 'decision rationale')}")
    if h.mentions:
        out.append(f"the candidate's name in {_plural(len(h.mentions), 'note')} about other candidates")
    if h.events:
        out.append(f"the text of {_plural(len(h.events), 'audit entry', 'audit entries')}")
    return tuple(out)


def _candidate(s: Session, candidate_id: int) -> Candidate:
    cand = s.get(Candidate, candidate_id)
    if cand is None:
        raise NotFound(f"No candidate with id {candidate_id}")
    return cand


def erasure_preview(db: Database, candidate_id: int, *, by: Actor) -> tuple[str, ...]:
    """What erasing this candidate would remove, in words (for the confirmation). Admins only."""
    with db.session() as s:
        require_in(s, by, "erase_data")
        cand = _candidate(s, candidate_id)
        if cand.erased_at is not None:
            return ()
        return _fields(_holdings(s, cand))


# --- erasing ---------------------------------------------------------------------------------------------


def _redact_detail(value: Any, key: str = "") -> Any:
    if isinstance(value, dict):
        return {k: _redact_detail(v, str(k)) for k, v in value.items()}
    if isinstance(value, list):
        return [_redact_detail(v, key) for v in value]
    if isinstance(value, str):
        return value if key in ("outcome", "before") and value in DECISION_OUTCOMES else ERASED
    return value


def _erase(s: Session, cand: Candidate, *, actor: Actor, reason: str, kind: str) -> ErasureReport:
    if s.get_bind().dialect.name == "sqlite":
        s.execute(text("PRAGMA secure_delete = ON"))  # freed space is zeroed, not left behind
    h = _holdings(s, cand)
    fields = _fields(h)
    audit.change_reason(s, f"erasure of candidate #{int(cand.id or 0)}'s personal data ({kind})")
    now = utcnow()
    cid = int(cand.id or 0)
    pattern = h.pattern
    for card in h.cards:
        card.summary = ""
    for a in h.asked:
        a.notes = ""
    for r in h.ratings:
        r.evidence = ""
        r.reason = ""
    for d in h.decisions:
        d.rationale = _scrub(d.rationale, pattern)
        d.reopen_reason = _scrub(d.reopen_reason, pattern)
    for lp in h.loops:
        lp.name = _scrub(lp.name, pattern)
    for st in h.stages:
        st.name = _scrub(st.name, pattern)
    for row, attr in h.mentions:
        setattr(row, attr, _scrub(getattr(row, attr), h.strong))
    for e in h.events:
        audit.redact(s, e, reason="", detail=_redact_detail(dict(e.detail)))
    cand.name = erased_label(cid)
    cand.email = ""
    cand.phone = ""
    cand.erased_at = now
    s.flush()
    audit.record(
        s, actor_id=actor if isinstance(actor, int) else None, entity="candidate", entity_id=cid, action="erased",
        reason=_scrub(reason.strip(), pattern),
        detail={"kind": kind, "removed": list(fields), "by": "person" if isinstance(actor, int) else "local admin"},
        at=now,
    )
    return ErasureReport(cid, erased_label(cid), fields, len(h.events), False)


def compact(db: Database) -> bool:
    """SQLite: rebuild the file (VACUUM) and checkpoint and truncate the log, so erased text is gone
    from free pages and the ``-wal`` file. False if another copy kept it from finishing (it will
    be done by the next erasure); True on other databases (nothing to do here)."""
    if not db.is_sqlite:
        return True
    try:
        with db.engine.connect() as conn:
            conn = conn.execution_options(isolation_level="AUTOCOMMIT")
            conn.exec_driver_sql("PRAGMA secure_delete = ON")
            conn.exec_driver_sql("VACUUM")
            busy, _log, _done = conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)").one()
            return not busy
    except (OperationalError, DBAPIError):
        return False


def erase_candidate(
    db: Database, candidate_id: int, *, by: Actor, reason: str = "", compact_after: bool = True
) -> ErasureReport:
    """Erase one candidate's personal data everywhere (see the module's description). Only an admin."""
    if not reason.strip():
        raise ValidationFailed(["Reason: say why (e.g. 'erasure requested by the candidate on 2026-11-30')"])
    with db.transaction() as s:
        require_in(s, by, "erase_data")
        cand = _candidate(s, candidate_id)
        if cand.erased_at is not None:
            raise ValidationFailed([f"Candidate #{candidate_id}'s personal data was already erased"])
        report = _erase(s, cand, actor=by, reason=reason, kind="request")
    if compact_after:
        report = ErasureReport(report.candidate_id, report.label, report.fields, report.audit_redacted, compact(db))
    return report


# --- retention -------------------------------------------------------------------------------------------


def _due(s: Session, days: int, now: datetime) -> list[tuple[Candidate, str, Decision]]:
    cutoff = now - timedelta(days=days)
    rows = s.execute(
        select(Candidate, Opening.title, Decision)
        .join(Opening, Opening.id == Candidate.opening_id)
        .join(Decision, Decision.candidate_id == Candidate.id)
        .where(Candidate.erased_at.is_(None), Decision.superseded_by.is_(None))  # type: ignore[union-attr]
        .order_by(Decision.decided_at, Candidate.id)
    ).all()
    return [(c, title, d) for c, title, d in rows if _aware(d.decided_at) <= cutoff]


def due_for_retention(
    db: Database, *, by: Actor, days: int | None = None, now: datetime | None = None
) -> list[DueCandidate]:
    """Candidates whose decision in force is older than the retention period, with what would go.
    Changes nothing. Admins only (it lists candidates of every opening)."""
    days = retention_days(db) if days is None else days
    now = now or utcnow()
    with db.session() as s:
        require_in(s, by, "run_retention")
        return [
            DueCandidate(int(c.id or 0), c.name, title, d.outcome, _aware(d.decided_at), _fields(_holdings(s, c)))
            for c, title, d in _due(s, days, now)
        ]


def apply_retention(
    db: Database, *, by: Actor, days: int | None = None, now: datetime | None = None
) -> list[ErasureReport]:
    """Erase every candidate due under the retention period; only an admin. One transaction."""
    require(db, by, "run_retention")
    days = retention_days(db) if days is None else days
    now = now or utcnow()
    reports = []
    with db.transaction() as s:
        for c, _title, d in _due(s, days, now):
            reason = f"Retention: {days} days after the decision of {_aware(d.decided_at):%Y-%m-%d}"
            reports.append(_erase(s, c, actor=by, reason=reason, kind="retention"))
    if reports:
        done = compact(db)
        reports = [ErasureReport(r.candidate_id, r.label, r.fields, r.audit_redacted, done) for r in reports]
    return reports
