"""What ``interviewkit list`` shows: the ids the other commands take, each list as its viewer may see it.

The rules are :mod:`~interviewkit.services.policy`'s, as in the app: people and openings for anyone signed in
(the People section shows them to everyone); candidates, their stages, for those who may see the candidate
(:func:`~interviewkit.services.policy.readable_candidate_ids`); scorecards, only those the viewer may read
(their own, draft or submitted; colleagues' submitted ones once the rules allow). A scorecard the viewer may not
read is not listed at all, nor counted. Someone deactivated, or nobody, is refused.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlmodel import Session, col

from interviewkit.services import policy
from interviewkit.services.access import Actor
from interviewkit.services.errors import PermissionDenied
from interviewkit.storage.db import Database
from interviewkit.storage.models import Candidate, InterviewLoop, Opening, Person, Stage, id_of
from interviewkit.storage.views import scorecard_status

__all__ = [
    "CandidateRow",
    "OpeningRow",
    "PersonRow",
    "ScorecardRow",
    "StageRow",
    "list_candidates",
    "list_openings",
    "list_people",
    "list_scorecards",
    "list_stages",
]


@dataclass(frozen=True)
class PersonRow:
    id: int
    name: str
    email: str
    role: str
    active: bool


@dataclass(frozen=True)
class OpeningRow:
    id: int
    title: str
    status: str
    hiring_manager: str
    candidates: int  # all of the opening's candidates, as the People section shows


@dataclass(frozen=True)
class CandidateRow:
    id: int
    name: str  # "(erased)" once their personal data is erased
    opening_id: int
    opening: str


@dataclass(frozen=True)
class StageRow:
    id: int
    candidate_id: int
    candidate: str
    loop_id: int
    position: int
    name: str
    kind: str  # "interview" or "screen"
    interviewer: str
    scheduled_at: datetime | None


@dataclass(frozen=True)
class ScorecardRow:
    id: int
    candidate_id: int
    candidate: str
    stage_id: int
    stage: str
    interviewer: str
    status: str  # "draft" or "submitted"
    submitted_at: datetime | None


def _signed_in(s: Session, by: Actor) -> policy.Who:
    w = policy.who(s, by)
    if w.signed_in:
        return w
    if w.person_id is not None:
        raise PermissionDenied(f"{w.name} is inactive and may not list anything.")
    raise PermissionDenied("Nobody is signed in: choose who you are (--as EMAIL) to list anything.")


def _name(c_name: str, erased: datetime | None) -> str:
    return "(erased)" if erased is not None else c_name


def list_people(db: Database, *, by: Actor) -> list[PersonRow]:
    """The directory by name, deactivated people too (marked)."""
    with db.session() as s:
        _signed_in(s, by)
        rows = s.scalars(select(Person).order_by(func.lower(col(Person.name)), col(Person.id))).all()
        return [PersonRow(id_of(p), p.name, p.email, p.access_role, bool(p.active)) for p in rows]


def list_openings(db: Database, *, by: Actor) -> list[OpeningRow]:
    """Every opening by id, with its hiring manager and number of candidates."""
    with db.session() as s:
        _signed_in(s, by)
        counts = {
            int(o): int(n)
            for o, n in s.execute(
                select(col(Candidate.opening_id), func.count(col(Candidate.id))).group_by(col(Candidate.opening_id))
            )
        }
        rows = s.execute(
            select(Opening, col(Person.name)).outerjoin(Person, col(Person.id) == col(Opening.hiring_manager_id))
            .order_by(col(Opening.id))
        ).all()
        return [OpeningRow(id_of(o), o.title, o.status, hm or "", int(counts.get(id_of(o), 0))) for o, hm in rows]


def list_candidates(db: Database, *, by: Actor, opening_id: int | None = None) -> list[CandidateRow]:
    """The candidates this person may see, by id (of one opening, or all)."""
    with db.session() as s:
        _signed_in(s, by)
        visible = policy.readable_candidate_ids(s, by)
        q = (
            select(col(Candidate.id), col(Candidate.name), col(Candidate.erased_at), col(Opening.id),
                   col(Opening.title))
            .join(Opening, col(Opening.id) == col(Candidate.opening_id))
            .order_by(col(Candidate.id))
        )
        if opening_id is not None:
            q = q.where(col(Candidate.opening_id) == opening_id)
        if visible is not None:
            q = q.where(col(Candidate.id).in_(sorted(visible)))
        return [CandidateRow(int(i), _name(n, e), int(o), t) for i, n, e, o, t in s.execute(q)]


def list_stages(db: Database, *, by: Actor, candidate_id: int | None = None) -> list[StageRow]:
    """The stages of the loops of the candidates this person may see, by candidate, loop and position."""
    with db.session() as s:
        _signed_in(s, by)
        visible = policy.readable_candidate_ids(s, by)
        q = (
            select(Stage, col(InterviewLoop.candidate_id), col(Candidate.name), col(Candidate.erased_at),
                   col(Person.name))
            .join(InterviewLoop, col(InterviewLoop.id) == col(Stage.loop_id))
            .join(Candidate, col(Candidate.id) == col(InterviewLoop.candidate_id))
            .outerjoin(Person, col(Person.id) == col(Stage.interviewer_id))
            .order_by(col(InterviewLoop.candidate_id), col(Stage.loop_id), col(Stage.position), col(Stage.id))
        )
        if candidate_id is not None:
            q = q.where(col(InterviewLoop.candidate_id) == candidate_id)
        if visible is not None:
            q = q.where(col(InterviewLoop.candidate_id).in_(sorted(visible)))
        return [
            StageRow(id_of(st), int(cid), _name(cn, ce), st.loop_id, st.position, st.name, st.kind, pn or "",
                     st.scheduled_at)
            for st, cid, cn, ce, pn in s.execute(q)
        ]


def list_scorecards(db: Database, *, by: Actor, candidate_id: int | None = None) -> list[ScorecardRow]:
    """The scorecards this person may read (the rules of ``export scorecard``), by candidate and stage."""
    with db.session() as s:
        _signed_in(s, by)
        q = (
            select(scorecard_status.c.id, scorecard_status.c.candidate_id, col(Candidate.name),
                   col(Candidate.erased_at), scorecard_status.c.stage_id, col(Stage.name), col(Person.name),
                   scorecard_status.c.status, scorecard_status.c.submitted_at)
            .join(Candidate, col(Candidate.id) == scorecard_status.c.candidate_id)
            .join(Stage, col(Stage.id) == scorecard_status.c.stage_id)
            .outerjoin(Person, col(Person.id) == scorecard_status.c.interviewer_id)
            .order_by(scorecard_status.c.candidate_id, col(Stage.position), scorecard_status.c.id)
        )
        if candidate_id is not None:
            q = q.where(scorecard_status.c.candidate_id == candidate_id)
        rows = s.execute(q).all()
        readable: dict[int, policy.Visibility] = {}
        out: list[ScorecardRow] = []
        for sid, cid, cn, ce, stage_id, stage, interviewer, status, submitted_at in rows:
            vis = readable.get(int(cid))
            if vis is None:
                vis = readable[int(cid)] = policy.visibility(s, by, int(cid))
            if not (vis.local_admin or vis.may_read(int(sid))):
                continue
            out.append(ScorecardRow(int(sid), int(cid), _name(cn, ce), int(stage_id), stage, interviewer or "",
                                    str(status), submitted_at))
        return out
