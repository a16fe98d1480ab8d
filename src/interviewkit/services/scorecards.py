"""Scorecards: start or resume one, autosave its draft, submit it, amend it with a reason.

A scorecard is opened by one copy of the app at a time: the copy writes its instance id into
``lock_owner`` and refreshes ``lock_heartbeat`` with every save. Another copy that finds a fresh
heartbeat is told who has it open; a stale heartbeat means the holder crashed, so the scorecard can be
resumed. A clean close clears the lock, which is how the next start tells a crash from a normal exit.

Every write is one short transaction that locks the scorecard row first (``FOR UPDATE``; SQLite takes
its database-wide write lock), and runs again when it loses a race with another writer (a deadlock or
serialization failure on PostgreSQL, a lock held past the busy timeout on SQLite, or two copies
creating the same stage's scorecard at once): see :func:`~interviewkit.storage.db.retry_transient`.
"""

from __future__ import annotations

import os
import socket
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col

from interviewkit.bank.model import BankSettings
from interviewkit.domain.evidence import RuleError, parse_rule, suggested_level
from interviewkit.domain.interview import RatingInput, submission_problems
from interviewkit.services import audit, policy
from interviewkit.services.access import Actor, require_in
from interviewkit.services.changes import NO_CHANGES, Changes, Created
from interviewkit.services.errors import NotFound, PermissionDenied, ScorecardLocked, SubmitRejected, ValidationFailed
from interviewkit.storage.db import Database, retry_transient
from interviewkit.storage.models import (
    AskedQuestion,
    Candidate,
    Competency,
    InterviewLoop,
    Opening,
    Person,
    QuestionCompetency,
    QuestionVersion,
    Rating,
    Scorecard,
    Stage,
    StageQuestion,
    id_of,
    table_of,
    utcnow,
)
from interviewkit.storage.models import Question as QuestionRow

__all__ = [
    "LOCK_STALE_AFTER",
    "AskedState",
    "CompetencyInfo",
    "DraftChanges",
    "RatingState",
    "ScorecardState",
    "add_question",
    "amend",
    "draft_for_writing",
    "interrupted_scorecards",
    "new_instance_id",
    "open_scorecard",
    "release",
    "save_draft",
    "scorecard_state",
    "submit",
    "suggest",
]

LOCK_STALE_AFTER = timedelta(seconds=20)


def new_instance_id() -> str:
    """An id for this running copy of the app: host, process and a random part."""
    return f"{socket.gethostname()[:40]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


@dataclass(frozen=True)
class CompetencyInfo:
    id: str
    name: str
    description: str


@dataclass(frozen=True)
class AskedState:
    """One question of a scorecard with everything the cockpit shows."""

    asked_id: int
    position: int
    question_id: str
    version: int
    title: str
    prompt: str
    minutes: int
    kind: str
    follow_ups: tuple[str, ...]
    rubric: tuple[tuple[int, str], ...]
    red_flags: tuple[str, ...]
    competencies: tuple[str, ...]
    planned: bool
    notes: str
    seconds_spent: float
    # The second edition (empty on a question of the first): the checklist, the rule of each level above the
    # lowest, example answers by level, the scope line, and the items the interviewer ticked as heard.
    evidence: tuple[str, ...] = ()
    thresholds: tuple[tuple[int, str], ...] = ()
    examples: tuple[tuple[int, str], ...] = ()
    scope: str = ""
    evidence_ticks: tuple[int, ...] = ()

    @property
    def suggested_level(self) -> int | None:
        """The rating the ticked items suggest (:func:`~interviewkit.domain.evidence.suggested_level`: the
        highest level whose rule holds, else the scale's lowest), or None for a question without a checklist.
        Only ever shown beside the rating: the interviewer rates."""
        lowest = min((level for level, _ in self.rubric), default=1)  # the rubric has every level of the scale
        return suggest(self.evidence, self.thresholds, self.evidence_ticks, lowest)


def suggest(
    evidence: tuple[str, ...], thresholds: tuple[tuple[int, str], ...], ticks: tuple[int, ...] | list[int],
    scale_min: int,
) -> int | None:
    """The level ``ticks`` suggest under ``thresholds`` (as stored: level -> rule text), or None when the
    question has no checklist or a stored rule no longer parses."""
    if not evidence or not thresholds:
        return None
    try:
        rules = {level: parse_rule(text, len(evidence)) for level, text in thresholds}
    except RuleError:
        return None
    return suggested_level(rules, ticks, scale_min)


@dataclass(frozen=True)
class RatingState:
    score: int | None = None
    not_assessed: bool = False
    reason: str = ""
    evidence: str = ""


@dataclass(frozen=True)
class ScorecardState:
    """A scorecard as the cockpit and the scorecard view show it."""

    id: int
    stage_id: int
    stage_name: str
    stage_position: int
    stage_count: int
    stage_minutes: int
    candidate_id: int
    candidate: str
    opening: str
    interviewer_id: int
    interviewer: str
    status: str
    current_position: int
    elapsed_seconds: float
    recommendation: str | None
    summary: str
    started_at: datetime
    submitted_at: datetime | None
    focus: tuple[CompetencyInfo, ...]
    questions: tuple[AskedState, ...]
    ratings: dict[str, RatingState]
    revision: int
    changes: Changes = field(default=NO_CHANGES, compare=False, repr=False, kw_only=True)  # what a write changed

    @property
    def locked(self) -> bool:
        return self.status == "submitted"


@dataclass
class DraftChanges:
    """What changed in a draft since the last save; only the fields given are written."""

    notes: dict[int, str] = field(default_factory=dict)  # asked_id -> notes
    seconds: dict[int, float] = field(default_factory=dict)  # asked_id -> seconds spent
    ticks: dict[int, tuple[int, ...]] = field(default_factory=dict)  # asked_id -> evidence items ticked (all)
    order: list[int] | None = None  # asked ids in their new order
    current_position: int | None = None
    elapsed_seconds: float | None = None
    ratings: dict[str, RatingState] = field(default_factory=dict)
    recommendation: str | None = None
    clear_recommendation: bool = False
    summary: str | None = None

    def merge(self, newer: DraftChanges) -> None:
        """Fold a newer set of changes into this one (newer values win)."""
        self.notes.update(newer.notes)
        self.seconds.update(newer.seconds)
        self.ticks.update(newer.ticks)
        self.ratings.update(newer.ratings)
        for name in ("order", "current_position", "elapsed_seconds", "summary"):
            value = getattr(newer, name)
            if value is not None:
                setattr(self, name, value)
        if newer.recommendation is not None or newer.clear_recommendation:
            self.recommendation = newer.recommendation
            self.clear_recommendation = newer.clear_recommendation

    def is_empty(self) -> bool:
        return not (
            self.notes or self.seconds or self.ticks or self.ratings or self.order is not None
            or self.current_position is not None
            or self.elapsed_seconds is not None or self.recommendation is not None or self.clear_recommendation
            or self.summary is not None
        )


def _now() -> datetime:
    return utcnow()


def _aware(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _holder_is_dead(owner: str | None) -> bool:
    """True when the holder ran on this machine and its process is gone (it crashed or was killed)."""
    if not owner or os.name != "posix":
        return False
    host, _, rest = owner.partition(":")
    pid_text = rest.split(":", 1)[0]
    if host != socket.gethostname()[:40] or not pid_text.isdigit():
        return False
    pid = int(pid_text)
    if pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


def _lock_is_fresh(card: Scorecard) -> bool:
    """Whether another running copy holds the scorecard right now."""
    beat = _aware(card.lock_heartbeat)
    if beat is None or _now() - beat >= LOCK_STALE_AFTER:
        return False
    return not _holder_is_dead(card.lock_owner)


def _claim(card: Scorecard, instance_id: str, *, take_over: bool) -> None:
    if card.lock_owner and card.lock_owner != instance_id and _lock_is_fresh(card) and not take_over:
        host = card.lock_owner.split(":", 1)[0]
        raise ScorecardLocked(
            f"This scorecard is open in another InterviewKit window (on {host}). Close it there first, "
            "or take it over here: the other window will stop saving.",
            owner=card.lock_owner,
        )
    card.lock_owner = instance_id
    card.lock_heartbeat = _now()


@retry_transient(also=(IntegrityError,))  # two copies starting the same stage: the rerun finds the winner's
def open_scorecard(
    db: Database, stage_id: int, person_id: int, instance_id: str, *, take_over: bool = False,
    now: datetime | None = None,
) -> ScorecardState:
    """Start the scorecard of a stage (copying its question plan) or resume it where it was.

    ``now`` (aware) records a start time other than the clock's, for imported or demo history.
    """
    with db.transaction() as s:
        require_in(s, person_id, "interview")
        stage = s.get(Stage, stage_id, with_for_update=True)
        if stage is None:
            raise NotFound(f"No stage with id {stage_id}")
        if stage.kind == "screen":
            raise ValidationFailed([f"Stage '{stage.name}' is a screen: record its checklist's answers instead"])
        if stage.interviewer_id is not None and stage.interviewer_id != person_id:
            raise PermissionDenied("This stage is assigned to another interviewer")
        card = s.scalars(select(Scorecard).where(col(Scorecard.stage_id) == stage_id)).first()
        if card is None:
            if stage.interviewer_id is None:
                stage.interviewer_id = person_id
            card = Scorecard(stage_id=stage_id, interviewer_id=person_id)
            if now is not None:
                card.started_at = card.updated_at = now
            s.add(card)
            s.flush()
            plan = s.scalars(
                select(StageQuestion)
                .where(col(StageQuestion.stage_id) == stage_id)
                .order_by(col(StageQuestion.position))
            )
            for i, sq in enumerate(plan):
                s.add(AskedQuestion(scorecard_id=id_of(card), position=i, question_version_id=sq.question_version_id))
            for cid in stage.focus:
                s.add(Rating(scorecard_id=id_of(card), competency_id=cid))
            audit.record(s, actor_id=person_id, entity="scorecard", entity_id=id_of(card), action="started", at=now)
        if card.status == "draft":
            _claim(card, instance_id, take_over=take_over)
        s.flush()
        return replace(_state(s, id_of(card)), changes=Changes.of(scorecards=[id_of(card)]))


def scorecard_state(db: Database, scorecard_id: int, *, by: Actor) -> ScorecardState:
    """A scorecard, read-only, if this person may read it (:func:`~interviewkit.services.policy.require_scorecard`)."""
    with db.session() as s:
        policy.require_scorecard(s, by, scorecard_id)
        return _state(s, scorecard_id)


def _state_row(s: Session, scorecard_id: int) -> tuple[Scorecard, Stage, Candidate, str, str]:
    """The scorecard with its stage, candidate, opening's title and interviewer's name."""
    row = s.execute(
        select(Scorecard, Stage, Candidate, col(Opening.title), col(Person.name))
        .join(Stage, col(Stage.id) == col(Scorecard.stage_id))
        .join(InterviewLoop, col(InterviewLoop.id) == col(Stage.loop_id))
        .join(Candidate, col(Candidate.id) == col(InterviewLoop.candidate_id))
        .join(Opening, col(Opening.id) == col(Candidate.opening_id))
        .join(Person, col(Person.id) == col(Scorecard.interviewer_id))
        .where(col(Scorecard.id) == scorecard_id)
    ).first()
    if row is None:
        raise NotFound(f"No scorecard with id {scorecard_id}")
    card, stage, cand, opening_title, interviewer = row
    return card, stage, cand, opening_title, interviewer


def _asked_rows(
    s: Session, scorecard_id: int
) -> tuple[list[tuple[AskedQuestion, QuestionVersion]], dict[int, list[str]]]:
    """The questions asked, in order, with their versions; and per version its competencies, in its order."""
    asked = [
        (a, v)
        for a, v in s.execute(
            select(AskedQuestion, QuestionVersion)
            .join(QuestionVersion, col(QuestionVersion.id) == col(AskedQuestion.question_version_id))
            .where(col(AskedQuestion.scorecard_id) == scorecard_id)
            .order_by(col(AskedQuestion.position))
        ).all()
    ]
    comps: dict[int, list[str]] = {}
    vids = [v.id for _, v in asked]
    if vids:
        for vid, cid in s.execute(
            select(col(QuestionCompetency.question_version_id), col(QuestionCompetency.competency_id))
            .where(col(QuestionCompetency.question_version_id).in_(vids))
            .order_by(col(QuestionCompetency.position))
        ):
            comps.setdefault(vid, []).append(cid)
    return asked, comps


def _asked_state(a: AskedQuestion, v: QuestionVersion, comps: dict[int, list[str]]) -> AskedState:
    """One question asked, as the scorecard shows it: the version asked, its notes and time."""
    return AskedState(
        asked_id=id_of(a),
        position=a.position,
        question_id=v.question_id,
        version=v.version,
        title=v.title,
        prompt=v.prompt,
        minutes=v.minutes,
        kind=v.kind,
        follow_ups=tuple(v.follow_ups),
        rubric=tuple(sorted((int(k), t) for k, t in v.rubric.items())),
        red_flags=tuple(v.red_flags),
        competencies=tuple(comps.get(id_of(v), [])),
        planned=a.planned,
        notes=a.notes,
        seconds_spent=a.seconds_spent,
        evidence=tuple(v.evidence),
        thresholds=_by_level(v.thresholds),
        examples=_by_level(v.examples),
        scope=v.scope,
        evidence_ticks=tuple(a.evidence_ticks),
    )


def _by_level(stored: dict[str, str]) -> tuple[tuple[int, str], ...]:
    """A level -> text mapping as stored (JSON keys are text), by level."""
    return tuple(sorted((int(k), str(t)) for k, t in stored.items() if str(k).lstrip("-").isdigit()))


def _state(s: Session, scorecard_id: int) -> ScorecardState:
    card, stage, cand, opening_title, interviewer = _state_row(s, scorecard_id)
    stage_count = s.scalar(select(func.count(col(Stage.id))).where(col(Stage.loop_id) == stage.loop_id)) or 0
    names = {c.id: c for c in s.scalars(select(Competency))}
    asked, comps = _asked_rows(s, scorecard_id)
    ratings = {
        r.competency_id: RatingState(r.score, r.not_assessed, r.reason, r.evidence)
        for r in s.scalars(select(Rating).where(col(Rating.scorecard_id) == scorecard_id))
    }
    focus = list(stage.focus)
    focus += [c for c in ratings if c not in focus]
    return ScorecardState(
        id=id_of(card),
        stage_id=id_of(stage),
        stage_name=stage.name,
        stage_position=stage.position,
        stage_count=int(stage_count),
        stage_minutes=stage.minutes,
        candidate_id=id_of(cand),
        candidate=cand.name,
        opening=opening_title,
        interviewer_id=card.interviewer_id,
        interviewer=interviewer,
        status=card.status,
        current_position=card.current_position,
        elapsed_seconds=card.elapsed_seconds,
        recommendation=card.recommendation,
        summary=card.summary,
        started_at=card.started_at,
        submitted_at=card.submitted_at,
        focus=tuple(
            CompetencyInfo(c, names[c].name if c in names else c, names[c].description if c in names else "")
            for c in focus
        ),
        questions=tuple(_asked_state(a, v, comps) for a, v in asked),
        ratings=ratings,
        revision=card.revision,
    )


def _draft_for_writing(s: Session, scorecard_id: int, instance_id: str, by: Actor) -> Scorecard:
    card = s.get(Scorecard, scorecard_id, with_for_update=True)
    if card is None:
        raise NotFound(f"No scorecard with id {scorecard_id}")
    w = policy.who(s, by)
    if not (w.signed_in and w.person_id == card.interviewer_id):
        raise PermissionDenied(
            f"{w.name} may not write scorecard {scorecard_id}: only its interviewer writes a draft"
            + ("" if w.signed_in or w.person_id is None else " (and they are inactive)")
        )
    if not instance_id:
        raise ScorecardLocked("This window has not opened the scorecard; open it first", owner=card.lock_owner)
    if card.status != "draft":
        raise ScorecardLocked("This scorecard has been submitted; changes now need an amendment with a reason")
    if card.lock_owner != instance_id:
        raise ScorecardLocked(
            "This scorecard was taken over by another InterviewKit window; this one stopped saving.",
            owner=card.lock_owner,
        )
    _refuse_if_erased(s, card)
    return card


def draft_for_writing(s: Session, scorecard_id: int, instance_id: str, by: Actor) -> Scorecard:
    """The draft, locked for this transaction, if this window of its interviewer may write it (else the
    refusal, as every draft write here): for writes to a draft made elsewhere (services/variants.py)."""
    return _draft_for_writing(s, scorecard_id, instance_id, by)


def _refuse_if_erased(s: Session, card: Scorecard) -> None:
    """Nothing more is written about a candidate whose personal data was erased (a window still open on
    their scorecard would otherwise write its notes back)."""
    erased = s.scalar(
        select(col(Candidate.erased_at)).join(InterviewLoop, col(InterviewLoop.candidate_id) == col(Candidate.id))
        .join(Stage, col(Stage.loop_id) == col(InterviewLoop.id)).where(col(Stage.id) == card.stage_id)
    )
    if erased is not None:
        raise ScorecardLocked(
            "This candidate's personal data was erased: the scorecard takes no more notes or changes.",
            owner=card.lock_owner,
        )


@dataclass(frozen=True)
class DraftSaved:
    """A draft's write: its new revision, and what changed."""

    revision: int
    changes: Changes


@retry_transient
def save_draft(
    db: Database, scorecard_id: int, instance_id: str, changes: DraftChanges, *, by: Actor
) -> DraftSaved:
    """Write a draft's changes in one short transaction; returns the new revision. Only the scorecard's
    interviewer, from the window that holds it (``instance_id``)."""
    with db.transaction() as s:
        card = _draft_for_writing(s, scorecard_id, instance_id, by)
        asked = {
            a.id: a for a in s.scalars(select(AskedQuestion).where(col(AskedQuestion.scorecard_id) == scorecard_id))
        }
        for aid, text in changes.notes.items():
            if aid in asked:
                asked[aid].notes = text
        for aid, secs in changes.seconds.items():
            if aid in asked:
                asked[aid].seconds_spent = max(0.0, float(secs))
        if changes.ticks:
            _write_ticks(s, asked, changes.ticks)
        if changes.order is not None:
            for pos, aid in enumerate(changes.order):
                if aid in asked:
                    asked[aid].position = pos
        if changes.ratings:
            existing = {
                r.competency_id: r for r in s.scalars(select(Rating).where(col(Rating.scorecard_id) == scorecard_id))
            }
            for cid, r in changes.ratings.items():
                row = existing.get(cid)
                if row is None:
                    row = Rating(scorecard_id=scorecard_id, competency_id=cid)
                    s.add(row)
                row.score, row.not_assessed, row.reason, row.evidence = r.score, r.not_assessed, r.reason, r.evidence
        if changes.current_position is not None:
            card.current_position = changes.current_position
        if changes.elapsed_seconds is not None:
            card.elapsed_seconds = max(0.0, float(changes.elapsed_seconds))
        if changes.recommendation is not None or changes.clear_recommendation:
            card.recommendation = changes.recommendation
        if changes.summary is not None:
            card.summary = changes.summary
        card.revision += 1
        card.updated_at = _now()
        card.lock_heartbeat = _now()
        return DraftSaved(card.revision, Changes.of(scorecards=[scorecard_id]))


def _write_ticks(
    s: Session, asked: Mapping[int | None, AskedQuestion], ticks: Mapping[int, Any],
    changed: dict[str, Any] | None = None,
) -> None:
    """Each question's ticked evidence items (all of them, replacing what was there): whole numbers of its
    version's checklist, kept sorted and once each. A number the checklist lacks refuses the whole save.
    ``changed`` (an amendment) gets each question's ticks that differ (before, after)."""
    vids = {asked[aid].question_version_id for aid in ticks if aid in asked}
    sizes = {int(vid): len(ev) for vid, ev in s.execute(
        select(col(QuestionVersion.id), col(QuestionVersion.evidence)).where(col(QuestionVersion.id).in_(vids)))}
    for aid, items in ticks.items():
        row = asked.get(aid)
        if row is None:
            continue
        size = sizes.get(row.question_version_id, 0)
        bad = [i for i in items if isinstance(i, bool) or not isinstance(i, int) or not 1 <= i <= size]
        if bad:
            have = f"items 1-{size}" if size else "no checklist"
            raise ValidationFailed([f"Evidence ticks: {str(bad[0])[:20]} is not an item of this question ({have})"])
        after = sorted(set(items))
        if changed is not None and list(row.evidence_ticks) != after:
            changed[f"ticks:{aid}"] = {"before": list(row.evidence_ticks), "after": after}
        row.evidence_ticks = after


@retry_transient
def heartbeat(db: Database, scorecard_id: int, instance_id: str) -> None:
    """Tell other copies this one still has the scorecard open (a lease: nothing anyone is shown changes)."""
    with db.transaction() as s:
        cards = table_of(Scorecard)
        s.execute(
            update(cards)
            .where(cards.c.id == scorecard_id, cards.c.lock_owner == instance_id)
            .values(lock_heartbeat=_now())
        )


@retry_transient
def release(db: Database, scorecard_id: int, instance_id: str) -> Changes:
    """Close a scorecard cleanly: a later start will not offer to resume it."""
    with db.transaction() as s:
        cards = table_of(Scorecard)
        s.execute(
            update(cards)
            .where(cards.c.id == scorecard_id, cards.c.lock_owner == instance_id)
            .values(lock_owner=None, lock_heartbeat=None)
        )
    return Changes.of(scorecards=[scorecard_id])


@dataclass(frozen=True)
class Interrupted:
    """A draft that was open when its app stopped without closing it."""

    scorecard_id: int
    stage_id: int
    candidate: str
    stage_name: str
    stage_position: int
    question_position: int
    question_count: int
    updated_at: datetime


def interrupted_scorecards(db: Database, person_id: int) -> list[Interrupted]:
    """This person's drafts left open by an app that did not close them (a crash), newest first.
    ``person_id`` is the acting person: it lists only their own."""
    with db.session() as s:
        if not policy.who(s, person_id).signed_in:
            return []
        rows = s.execute(
            select(Scorecard, Stage, col(Candidate.name))
            .join(Stage, col(Stage.id) == col(Scorecard.stage_id))
            .join(InterviewLoop, col(InterviewLoop.id) == col(Stage.loop_id))
            .join(Candidate, col(Candidate.id) == col(InterviewLoop.candidate_id))
            .where(
                col(Scorecard.interviewer_id) == person_id,
                col(Scorecard.status) == "draft",
                col(Scorecard.lock_owner).is_not(None),
            )
            .order_by(col(Scorecard.updated_at).desc())
        ).all()
        out = []
        for card, stage, cand in rows:
            if _lock_is_fresh(card):
                continue  # open right now in another copy
            count = (
                s.scalar(select(func.count(col(AskedQuestion.id))).where(col(AskedQuestion.scorecard_id) == card.id))
                or 0
            )
            out.append(
                Interrupted(id_of(card), id_of(stage), cand, stage.name, stage.position,
                            card.current_position, int(count), card.updated_at)
            )
        return out


@retry_transient
def add_question(
    db: Database, scorecard_id: int, instance_id: str, question_id: str, *, after: int | None = None, by: Actor
) -> Created:
    """Add an unplanned question (its current version) to a draft; returns the new asked id."""
    with db.transaction() as s:
        _draft_for_writing(s, scorecard_id, instance_id, by)
        v = s.scalars(
            select(QuestionVersion)
            .join(
                QuestionRow,
                (col(QuestionRow.id) == col(QuestionVersion.question_id))
                & (col(QuestionRow.current_version) == col(QuestionVersion.version)),
            )
            .where(col(QuestionVersion.question_id) == question_id)
        ).first()
        if v is None:
            raise NotFound(f"No question '{question_id}' in the bank")
        rows = list(
            s.scalars(
                select(AskedQuestion)
                .where(col(AskedQuestion.scorecard_id) == scorecard_id)
                .order_by(col(AskedQuestion.position))
            )
        )
        if any(a.question_version_id == v.id or _question_of(s, a) == question_id for a in rows):
            raise ValidationFailed([f"'{v.title}' is already in this interview"])
        insert_at = len(rows) if after is None else min(after + 1, len(rows))
        new = AskedQuestion(scorecard_id=scorecard_id, position=insert_at, question_version_id=id_of(v), planned=False)
        rows.insert(insert_at, new)
        s.add(new)
        for pos, a in enumerate(rows):
            a.position = pos
        s.flush()
        return Created(id_of(new), Changes.of(scorecards=[scorecard_id]))


def _question_of(s: Session, asked: AskedQuestion) -> str:
    v = s.get(QuestionVersion, asked.question_version_id)
    return v.question_id if v else ""


def _rating_inputs(ratings: Mapping[str, RatingState]) -> dict[str, RatingInput]:
    return {c: RatingInput(r.score, r.not_assessed, r.reason) for c, r in ratings.items()}


@retry_transient
def submit(
    db: Database, scorecard_id: int, person_id: int, settings: BankSettings, *, now: datetime | None = None
) -> ScorecardState:
    """Submit a complete draft; raises SubmitRejected listing what is missing. Then it is locked.

    ``now`` (aware) records a submission time other than the clock's, for imported or demo history.
    """
    with db.transaction() as s:
        card = s.get(Scorecard, scorecard_id, with_for_update=True)
        if card is None:
            raise NotFound(f"No scorecard with id {scorecard_id}")
        if card.interviewer_id != person_id or not policy.who(s, person_id).signed_in:
            raise PermissionDenied("Only the interviewer who wrote a scorecard can submit it")
        if card.status == "submitted":
            raise ScorecardLocked("This scorecard has already been submitted")
        state = _state(s, scorecard_id)
        problems = submission_problems(
            focus=[c.id for c in state.focus],
            competency_names={c.id: c.name for c in state.focus},
            ratings=_rating_inputs(state.ratings),
            scale=settings.scale.levels,
            recommendation=state.recommendation,
            recommendations=settings.recommendations,
            summary=state.summary,
        )
        if problems:
            raise SubmitRejected(problems)
        card.status = "submitted"
        card.submitted_at = now or _now()
        card.lock_owner = None
        card.lock_heartbeat = None
        card.revision += 1
        audit.record(
            s, actor_id=person_id, entity="scorecard", entity_id=scorecard_id, action="submitted", at=now,
            detail={"recommendation": state.recommendation,
                    "ratings": {c: (r.score if not r.not_assessed else "n/a") for c, r in state.ratings.items()}},
        )
        s.flush()
        return replace(_state(s, scorecard_id), changes=Changes.of(scorecards=[scorecard_id]))


def _amendable(s: Session, scorecard_id: int, actor_id: int) -> Scorecard:
    """The submitted scorecard, locked, if ``actor_id`` may amend it: its interviewer or an admin, signed in,
    and the candidate's personal data not erased."""
    card = s.get(Scorecard, scorecard_id, with_for_update=True)
    if card is None:
        raise NotFound(f"No scorecard with id {scorecard_id}")
    if card.status != "submitted":
        raise ValidationFailed(["Only a submitted scorecard is amended; a draft is simply edited"])
    w = policy.who(s, actor_id)
    if not w.signed_in or not isinstance(actor_id, int):
        raise PermissionDenied(
            f"{w.name} may not amend a scorecard" + (": they are inactive" if w.person_id is not None else "")
        )
    if actor_id != card.interviewer_id and not w.admin:
        raise PermissionDenied("Only the interviewer who wrote a scorecard (or an admin) can amend it")
    _refuse_if_erased(s, card)
    return card


def _amend_ratings(
    s: Session, scorecard_id: int, ratings: Mapping[str, RatingState], settings: BankSettings, changed: dict[str, Any]
) -> None:
    """Check and write the amended ratings; each one that differs goes into ``changed`` (before, after)."""
    existing = {r.competency_id: r for r in s.scalars(select(Rating).where(col(Rating.scorecard_id) == scorecard_id))}
    for cid, new in ratings.items():
        row = existing.get(cid)
        if row is None:
            raise ValidationFailed([f"{cid}: not a competency of this scorecard"])
        if new.score is not None and new.score not in settings.scale.levels:
            raise ValidationFailed([f"{cid}: {new.score} is not on the scale"])
        if new.not_assessed and not new.reason.strip():
            raise ValidationFailed([f"{cid}: say why it was not assessed"])
        if not new.not_assessed and new.score is None:
            raise ValidationFailed([f"{cid}: give a rating or mark it not assessed"])
        before = {
            "score": row.score,
            "not_assessed": row.not_assessed,
            "reason": row.reason,
            "evidence": row.evidence,
        }
        after = {
            "score": new.score,
            "not_assessed": new.not_assessed,
            "reason": new.reason,
            "evidence": new.evidence,
        }
        if before != after:
            changed[f"rating:{cid}"] = {"before": before, "after": after}
            row.score, row.not_assessed, row.reason, row.evidence = (
                new.score,
                new.not_assessed,
                new.reason,
                new.evidence,
            )


def _amend_verdict(
    card: Scorecard,
    recommendation: str | None,
    summary: str | None,
    settings: BankSettings,
    changed: dict[str, Any],
) -> None:
    """Check and write an amended recommendation and summary, each into ``changed`` when it differs."""
    if recommendation is not None and recommendation != card.recommendation:
        if recommendation not in settings.recommendations:
            raise ValidationFailed([f"'{recommendation}' is not one of: {', '.join(settings.recommendations)}"])
        changed["recommendation"] = {"before": card.recommendation, "after": recommendation}
        card.recommendation = recommendation
    if summary is not None and summary != card.summary:
        if not summary.strip():
            raise ValidationFailed(["Summary: a submitted scorecard keeps a summary"])
        changed["summary"] = {"before": card.summary, "after": summary}
        card.summary = summary


def _amend_notes(s: Session, scorecard_id: int, notes: Mapping[int, str], changed: dict[str, Any]) -> None:
    """Write the amended notes of the questions asked, each into ``changed`` when it differs."""
    asked = {a.id: a for a in s.scalars(select(AskedQuestion).where(col(AskedQuestion.scorecard_id) == scorecard_id))}
    for aid, text in notes.items():
        a = asked.get(aid)
        if a is None:
            raise ValidationFailed([f"No question {aid} in this scorecard"])
        if a.notes != text:
            changed[f"notes:{aid}"] = {"before": a.notes, "after": text}
            a.notes = text


@retry_transient
def amend(
    db: Database,
    scorecard_id: int,
    actor_id: int,
    *,
    reason: str,
    ratings: Mapping[str, RatingState] | None = None,
    recommendation: str | None = None,
    summary: str | None = None,
    notes: Mapping[int, str] | None = None,
    ticks: Mapping[int, tuple[int, ...] | list[int]] | None = None,
    settings: BankSettings,
    now: datetime | None = None,
) -> ScorecardState:
    """Change a submitted scorecard. Each change is written to the audit trail with who, when and why.
    ``ticks`` (asked id -> every evidence item ticked) are part of the record like the ratings they back:
    they change only here, never through :func:`save_draft` once submitted.

    One transaction: a change refused halfway (say, the notes of a question not in the scorecard) leaves
    nothing written, not even the ratings checked before it."""
    if not reason.strip():
        raise ValidationFailed(["Reason: say why the submitted scorecard is being changed"])
    with db.transaction() as s:
        card = _amendable(s, scorecard_id, actor_id)
        audit.change_reason(s, f"amendment: {reason.strip()}")
        changed: dict[str, Any] = {}
        if ratings:
            _amend_ratings(s, scorecard_id, ratings, settings, changed)
        _amend_verdict(card, recommendation, summary, settings, changed)
        if notes:
            _amend_notes(s, scorecard_id, notes, changed)
        if ticks:
            rows = s.scalars(select(AskedQuestion).where(col(AskedQuestion.scorecard_id) == scorecard_id))
            asked = {a.id: a for a in rows}
            if unknown := [aid for aid in ticks if aid not in asked]:
                raise ValidationFailed([f"No question {unknown[0]} in this scorecard"])
            _write_ticks(s, asked, ticks, changed)
        if not changed:
            raise ValidationFailed(["Nothing was changed"])
        card.revision += 1
        card.updated_at = _now()
        audit.record(s, actor_id=actor_id, entity="scorecard", entity_id=scorecard_id, action="amended",
                     reason=reason.strip(), detail=changed, at=now)
        s.flush()
        return replace(_state(s, scorecard_id), changes=Changes.of(scorecards=[scorecard_id]))
