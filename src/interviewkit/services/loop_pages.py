"""The Loops list a page at a time (issue 17): newest first, searched and filtered in the database.

:func:`~interviewkit.services.loops.loops` reads every loop a person may see with its progress, grouping
every stage and scorecard of the database (60,000 loops, 300,000 scorecards on the large demo: tens of
seconds). :func:`loop_page` gives the same rows in the same order a page at a time: the page's loops are
the next entries of ``ix_interview_loop_created`` (revision 0015) that the person may see and the search
matches, and only they are counted (stages, submitted scorecards, finished screens, first interview).

Who may see which loop is :func:`~interviewkit.services.list_access.readable_candidates` (the rule
``loops`` applies through :func:`~interviewkit.services.policy.readable_candidate_ids`), joined in SQL.
The search is the Loops screen's: every typed word in the candidate's name, the opening's title or the
loop's name, case and accents ignored (:mod:`~interviewkit.services.folded_search`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Generic, TypeVar

from sqlalchemy import Select, and_, func, literal, or_, select
from sqlmodel import Session, col

from interviewkit.services import list_access, policy
from interviewkit.services.access import Actor
from interviewkit.services.folded_search import matches_words, prepare
from interviewkit.services.loops import LoopSummary, _screens_done
from interviewkit.storage.db import Database
from interviewkit.storage.models import Candidate, InterviewLoop, Opening, Stage
from interviewkit.storage.views import scorecard_status

__all__ = ["PAGE_SIZE", "Page", "loop_count", "loop_page", "loop_position"]

PAGE_SIZE = 100
T = TypeVar("T")
_Listed = Select[int | None, str, str, str, datetime]  # id, name, candidate, opening, created_at


@dataclass(frozen=True)
class Page(Generic[T]):
    """Rows of a list from ``offset``: ``more`` says whether rows follow, ``total`` how many match (None: not
    counted with this page)."""

    rows: tuple[T, ...]
    offset: int
    more: bool
    total: int | None = None


def _listed(s: Session, by: Actor, search: str, candidate_id: int | None) -> _Listed:
    """The loops this person may see that the search matches, with their candidate and opening, unordered."""
    q: _Listed = (
        select(
            col(InterviewLoop.id),
            col(InterviewLoop.name),
            col(Candidate.name),
            col(Opening.title),
            col(InterviewLoop.created_at),
        )
        .join(Candidate, col(Candidate.id) == col(InterviewLoop.candidate_id))
        .join(Opening, col(Opening.id) == col(Candidate.opening_id))
    )
    visible = list_access.readable_candidates(policy.who(s, by))
    if visible is not None:
        q = q.where(col(InterviewLoop.candidate_id).in_(visible))
    if candidate_id is not None:
        q = q.where(col(InterviewLoop.candidate_id) == candidate_id)
    if search.strip():
        prepare(s)
        text = col(Candidate.name) + literal(" ") + col(Opening.title) + literal(" ") + col(InterviewLoop.name)
        q = q.where(matches_words(s, text, search))
    return q


def _newest_first(q: _Listed) -> _Listed:
    return q.order_by(col(InterviewLoop.created_at).desc(), col(InterviewLoop.id).desc())


def _count(s: Session, q: _Listed) -> int:
    return int(s.scalar(select(func.count()).select_from(q.subquery())) or 0)


def loop_page(
    db: Database,
    *,
    by: Actor,
    search: str = "",
    offset: int = 0,
    limit: int = PAGE_SIZE,
    candidate_id: int | None = None,
    count: bool = False,
) -> Page[LoopSummary]:
    """``limit`` loops from ``offset`` of the list :func:`~interviewkit.services.loops.loops` gives (the same
    rows, newest first), matching ``search``; with ``count``, how many match in all."""
    offset, limit = max(0, offset), max(1, limit)
    with db.session() as s:
        q = _listed(s, by, search, candidate_id)
        rows = s.execute(_newest_first(q).limit(limit + 1).offset(offset)).all()
        more = len(rows) > limit
        rows = rows[:limit]
        progress = _progress(s, [int(r[0]) for r in rows])
        total = _count(s, q) if count else None
    out = tuple(
        LoopSummary(int(i), name, candidate, opening, *progress.get(int(i), (0, 0, None)))
        for i, name, candidate, opening, _created in rows
    )
    return Page(out, offset, more, total)


def _progress(s: Session, loop_ids: Sequence[int]) -> dict[int, tuple[int, int, datetime | None]]:
    """Loop id -> (stages, submitted scorecards and finished screens, first scheduled stage), for these loops
    only (as :func:`~interviewkit.services.loops.loops` counts them)."""
    if not loop_ids:
        return {}
    stages = {
        int(loop_id): (int(n), first)
        for loop_id, n, first in s.execute(
            select(col(Stage.loop_id), func.count(col(Stage.id)), func.min(col(Stage.scheduled_at)))
            .where(col(Stage.loop_id).in_(loop_ids))
            .group_by(col(Stage.loop_id))
        )
    }
    submitted = {
        int(loop_id): int(n)
        for loop_id, n in s.execute(
            select(scorecard_status.c.loop_id, func.count(scorecard_status.c.id))
            .where(scorecard_status.c.loop_id.in_(loop_ids), scorecard_status.c.status == "submitted")
            .group_by(scorecard_status.c.loop_id)
        )
    }
    screens = _screens_done(s, list(loop_ids))
    out = {}
    for loop_id in loop_ids:
        n, first = stages.get(loop_id, (0, None))
        out[loop_id] = (n, submitted.get(loop_id, 0) + screens.get(loop_id, 0), first)
    return out


def loop_count(db: Database, *, by: Actor, search: str = "") -> int:
    """How many loops this person may see match ``search``."""
    with db.session() as s:
        return _count(s, _listed(s, by, search, None))


def loop_position(db: Database, loop_id: int, *, by: Actor, search: str = "") -> int | None:
    """Where ``loop_id`` is in the list (0: first), or None when the person may not see it or the search
    does not match it: the screen reads that far to select it."""
    with db.session() as s:
        q = _listed(s, by, search, None)
        found = s.execute(q.where(col(InterviewLoop.id) == loop_id)).first()
        if found is None:
            return None
        created = found[4]
        before = or_(
            col(InterviewLoop.created_at) > created,
            and_(col(InterviewLoop.created_at) == created, col(InterviewLoop.id) > loop_id),
        )
        return _count(s, q.where(before))
