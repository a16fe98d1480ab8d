"""The Debriefs list a page at a time (issue 17): newest candidates first, searched and filtered in SQL.

:func:`~interviewkit.services.debrief.debrief_candidates` reads every candidate and asks, one by one, how many
scorecards are in and whether the person may see the debrief (60,000 candidates on the large demo: minutes).
:func:`debrief_page` gives the same rows a page at a time: the next entries of ``ix_candidate_created``
(revision 0015) with a submitted scorecard whose debrief the person may see
(:func:`~interviewkit.services.list_access.debrief_candidates`), counted for that page only; the decision in
force where the person may see it (:func:`~interviewkit.services.list_access.decision_visible`).

The search is the Debriefs screen's: every typed word in the candidate's name, the opening's title or the
decision's label as shown ("No hire"), case and accents ignored.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, NamedTuple

from sqlalchemy import ColumnElement, Select, and_, case, func, literal, or_, select
from sqlmodel import Session, col

from interviewkit.services import list_access, policy
from interviewkit.services.access import Actor
from interviewkit.services.debrief import OUTCOME_LABELS
from interviewkit.services.folded_search import matches_words, prepare
from interviewkit.services.loop_pages import PAGE_SIZE, Page
from interviewkit.storage.db import Database
from interviewkit.storage.models import Candidate, Decision, InterviewLoop, Opening, Stage
from interviewkit.storage.views import scorecard_status

__all__ = ["DebriefCandidate", "debrief_count", "debrief_page", "debrief_position"]


class DebriefCandidate(NamedTuple):
    """A row of the Debriefs list, as :func:`~interviewkit.services.debrief.debrief_candidates` gives it."""

    id: int
    name: str
    opening: str
    submitted: int  # submitted scorecards
    stages: int  # interview stages (a recruiter's screen has no scorecard)
    outcome: str | None  # the decision in force, if the person may see it


def _outcome(s: Session, by: Actor) -> ColumnElement[Any]:
    """The candidate's decision in force, where this person may see it (else NULL)."""
    current = (
        select(col(Decision.outcome))
        .where(col(Decision.candidate_id) == col(Candidate.id), col(Decision.superseded_by).is_(None))
        .limit(1)
        .scalar_subquery()
    )
    shown = list_access.decision_visible(policy.who(s, by), col(Candidate.id), col(Opening.hiring_manager_id))
    return case((shown, current), else_=None)


def _label(outcome: ColumnElement[Any]) -> ColumnElement[str]:
    """The decision as the list shows it ("No hire"), or ""."""
    return func.coalesce(
        case(*((outcome == key, literal(label)) for key, label in OUTCOME_LABELS.items()), else_=outcome), literal("")
    )


def _listed(s: Session, by: Actor, search: str) -> Select[Any]:
    """The candidates with a submitted scorecard whose debrief this person may see, matching the search."""
    outcome = _outcome(s, by)
    q = (
        select(
            col(Candidate.id),
            col(Candidate.name),
            col(Opening.title),
            outcome.label("outcome"),
            col(Candidate.created_at),
        )
        .join(Opening, col(Opening.id) == col(Candidate.opening_id))
        .where(_has_submitted().is_not(None))
    )
    visible = list_access.debrief_candidates(policy.who(s, by))
    if visible is not None:
        q = q.where(col(Candidate.id).in_(visible))
    if search.strip():
        prepare(s)
        text = col(Candidate.name) + literal(" ") + col(Opening.title) + literal(" ") + _label(outcome)
        q = q.where(matches_words(s, text, search))
    return q


def _has_submitted() -> ColumnElement[Any]:
    """1 when the candidate has a submitted scorecard, else NULL: a scalar subquery, not EXISTS. PostgreSQL
    turns an EXISTS into a semi-join over every scorecard, through ``scorecard_status``'s row-level check
    (``ik_sees_candidate``, a security-definer function called once per loop: 60,000 calls, 24 s for the
    admin's first page on the large demo); a scalar subquery is probed per candidate in the list's order, so
    the first page stops after its 201 rows (104 ms). SQLite plans both alike."""
    return (
        select(literal(1))
        .where(scorecard_status.c.candidate_id == col(Candidate.id), scorecard_status.c.status == "submitted")
        .limit(1)
        .scalar_subquery()
    )


def _count(s: Session, q: Select[Any]) -> int:
    return int(s.scalar(select(func.count()).select_from(q.subquery())) or 0)


def debrief_page(
    db: Database, viewer: Actor, *, search: str = "", offset: int = 0, limit: int = PAGE_SIZE, count: bool = False
) -> Page[DebriefCandidate]:
    """``limit`` rows from ``offset`` of the list :func:`~interviewkit.services.debrief.debrief_candidates`
    gives (newest candidates first), matching ``search``; with ``count``, how many match in all."""
    offset, limit = max(0, offset), max(1, limit)
    with db.session() as s:
        q = _listed(s, viewer, search)
        order = (col(Candidate.created_at).desc(), col(Candidate.id).desc())
        rows = s.execute(q.order_by(*order).limit(limit + 1).offset(offset)).all()
        more = len(rows) > limit
        rows = rows[:limit]
        submitted, stages = _progress(s, [int(r[0]) for r in rows])
        total = _count(s, q) if count else None
    out = tuple(
        DebriefCandidate(int(i), name, title, submitted.get(int(i), 0), stages.get(int(i), 0), outcome)
        for i, name, title, outcome, _created in rows
    )
    return Page(out, offset, more, total)


def _progress(s: Session, candidate_ids: Sequence[int]) -> tuple[dict[int, int], dict[int, int]]:
    """For these candidates: their submitted scorecards, and their interview stages."""
    if not candidate_ids:
        return {}, {}
    submitted = dict(
        s.execute(
            select(scorecard_status.c.candidate_id, func.count(scorecard_status.c.id))
            .where(scorecard_status.c.candidate_id.in_(candidate_ids), scorecard_status.c.status == "submitted")
            .group_by(scorecard_status.c.candidate_id)
        ).all()
    )
    stages = dict(
        s.execute(
            select(col(InterviewLoop.candidate_id), func.count(col(Stage.id)))
            .join(Stage, col(Stage.loop_id) == col(InterviewLoop.id))
            .where(col(InterviewLoop.candidate_id).in_(candidate_ids), col(Stage.kind) != "screen")
            .group_by(col(InterviewLoop.candidate_id))
        ).all()
    )
    return {int(k): int(v) for k, v in submitted.items()}, {int(k): int(v) for k, v in stages.items()}


def debrief_count(db: Database, viewer: Actor, *, search: str = "") -> int:
    """How many candidates of this person's Debriefs list match ``search``."""
    with db.session() as s:
        return _count(s, _listed(s, viewer, search))


def debrief_position(db: Database, viewer: Actor, candidate_id: int, *, search: str = "") -> int | None:
    """Where ``candidate_id`` is in the list (0: first), or None when it is not listed for this person."""
    with db.session() as s:
        q = _listed(s, viewer, search)
        found = s.execute(q.where(col(Candidate.id) == candidate_id)).first()
        if found is None:
            return None
        created = found[4]
        before = or_(
            col(Candidate.created_at) > created,
            and_(col(Candidate.created_at) == created, col(Candidate.id) > candidate_id),
        )
        return _count(s, q.where(before))
