"""Variant groups during an interview: swapping a question for a sibling, and exposure counted per group.

A variant group (the bank's ``variant_of``: a chain or a star under one head) holds questions that gather
the same evidence through another story, so that a loop plans one per group. In the cockpit the
interviewer may swap the question being asked for a sibling, for a candidate with no fitting story:
:func:`variant_options` lists the group's other questions not already in the candidate's loop (planned in
any stage, or asked in any scorecard), and :func:`swap_variant` replaces the asked question with one of
them (its current version), before anything is written about it: a question with notes or ticked evidence
is refused (add the sibling as another question instead). Ratings belong to competencies, not to a
question: those given stay as they are. The swap is audited (action ``swapped``, from and to).

:func:`group_exposure` counts exposure per group rather than per question: a candidate who met one
variant has met the group's evidence, so rotating siblings only helps while the group as a whole is
not over-exposed (the same rule as the calibration's question analytics: asked in more than half of the
loops).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime

from sqlalchemy import select
from sqlmodel import Session, col

from interviewkit.domain.calibration.profiles import question_analytics
from interviewkit.services import audit, policy
from interviewkit.services.access import Actor
from interviewkit.services.calibration import question_uses_from_db
from interviewkit.services.changes import Changes, Created
from interviewkit.services.errors import NotFound, ValidationFailed
from interviewkit.services.scorecards import draft_for_writing
from interviewkit.services.validity import variant_groups
from interviewkit.storage.db import Database, retry_transient
from interviewkit.storage.models import (
    AskedQuestion,
    Question,
    QuestionVersion,
    Scorecard,
    Stage,
    StageQuestion,
    id_of,
)

__all__ = ["GroupExposure", "VariantOption", "group_exposure", "swap_variant", "variant_options"]


@dataclass(frozen=True)
class VariantOption:
    """A sibling the question being asked can be swapped for."""

    question_id: str
    title: str
    kind: str
    minutes: int
    prompt: str


@dataclass(frozen=True)
class GroupExposure:
    """How often a variant group was met: its head, its members, and the counts of the group as a whole."""

    head: str
    members: tuple[str, ...]
    times_asked: int
    loops: int
    loop_share: float
    exposed: bool


def _current_versions(s: Session) -> dict[str, QuestionVersion]:
    """Every live question's current version, by question id."""
    rows = s.execute(
        select(QuestionVersion)
        .join(
            Question,
            (col(Question.id) == col(QuestionVersion.question_id))
            & (col(Question.current_version) == col(QuestionVersion.version)),
        )
        .where(col(Question.retired_at).is_(None))
    ).scalars()
    return {v.question_id: v for v in rows}


def _groups(current: dict[str, QuestionVersion]) -> dict[str, str]:
    """question -> its group's head."""
    return variant_groups({qid: v.variant_of for qid, v in current.items()})


def _in_loop(s: Session, scorecard_id: int) -> set[str]:
    """The questions of the scorecard's loop: planned in any stage, or asked in any scorecard of it."""
    loop = s.scalar(select(col(Stage.loop_id)).join(Scorecard, col(Scorecard.stage_id) == col(Stage.id))
                    .where(col(Scorecard.id) == scorecard_id))
    stages = select(col(Stage.id)).where(col(Stage.loop_id) == loop)
    planned = s.scalars(
        select(col(QuestionVersion.question_id))
        .join(StageQuestion, col(StageQuestion.question_version_id) == col(QuestionVersion.id))
        .where(col(StageQuestion.stage_id).in_(stages))
    )
    asked = s.scalars(
        select(col(QuestionVersion.question_id))
        .join(AskedQuestion, col(AskedQuestion.question_version_id) == col(QuestionVersion.id))
        .join(Scorecard, col(Scorecard.id) == col(AskedQuestion.scorecard_id))
        .where(col(Scorecard.stage_id).in_(stages))
    )
    return set(planned) | set(asked)


def _asked(s: Session, scorecard_id: int, asked_id: int) -> tuple[AskedQuestion, QuestionVersion]:
    a = s.get(AskedQuestion, asked_id)
    if a is None or a.scorecard_id != scorecard_id:
        raise NotFound(f"No question {asked_id} in scorecard {scorecard_id}")
    v = s.get(QuestionVersion, a.question_version_id)
    assert v is not None  # a foreign key
    return a, v


def _options(s: Session, scorecard_id: int, asked: QuestionVersion) -> list[VariantOption]:
    current = _current_versions(s)
    heads = _groups(current)
    head = heads.get(asked.question_id, asked.variant_of or asked.question_id)
    taken = _in_loop(s, scorecard_id)
    return [
        VariantOption(qid, v.title, v.kind, v.minutes, v.prompt)
        for qid, v in sorted(current.items())
        if heads.get(qid) == head and qid not in taken and qid != asked.question_id
    ]


def variant_options(db: Database, scorecard_id: int, asked_id: int, *, by: Actor) -> list[VariantOption]:
    """The siblings of an asked question's variant group not already in the candidate's loop (empty when
    it is in no group, or every sibling is taken), for those who may read the scorecard."""
    with db.session() as s:
        policy.require_scorecard(s, by, scorecard_id)
        _, v = _asked(s, scorecard_id, asked_id)
        return _options(s, scorecard_id, v)


@retry_transient
def swap_variant(
    db: Database, scorecard_id: int, instance_id: str, asked_id: int, question_id: str, *, by: Actor
) -> Created:
    """Replace an asked question of a draft with a sibling of its variant group (the sibling's current
    version), in the same place. Refused once the question has notes or ticked evidence, for a question
    outside the group or already in the loop. Only the draft's interviewer, from the window holding it.
    Returns the asked id (unchanged: the notes to come and the clock stay with the place in the interview)."""
    with db.transaction() as s:
        draft_for_writing(s, scorecard_id, instance_id, by)
        a, old = _asked(s, scorecard_id, asked_id)
        if a.notes.strip() or a.evidence_ticks:
            why = f"'{old.title}' already has notes or ticked evidence: a variant replaces a question before"
            raise ValidationFailed([why + " anything is written about it. Add the variant as another question instead"
                                    " (Ctrl+K)."])
        chosen = next((o for o in _options(s, scorecard_id, old) if o.question_id == question_id), None)
        if chosen is None:
            raise ValidationFailed([f"'{question_id}' is not a variant of '{old.title}' that this loop has not used"])
        new = _current_versions(s)[question_id]
        a.question_version_id = id_of(new)
        a.planned = False
        audit.record(
            s, actor_id=audit.actor_id(by), entity="scorecard", entity_id=scorecard_id, action="swapped",
            detail={"asked": asked_id, "from": f"{old.question_id} v{old.version}",
                    "to": f"{new.question_id} v{new.version}"},
        )
        s.flush()
        return Created(asked_id, Changes.of(scorecards=[scorecard_id]))


def group_exposure(
    db: Database, *, by: Actor, opening_id: int | None = None, since: datetime | date | None = None,
    until: datetime | date | None = None,
) -> list[GroupExposure]:
    """Exposure per variant group in submitted scorecards, as the calibration's question analytics count it
    per question (the same filters and access rules), most asked first. A question in no group is a group of
    one."""
    uses, total = question_uses_from_db(db, by=by, opening_id=opening_id, since=since, until=until)
    with db.session() as s:
        heads = _groups(_current_versions(s))
    members: dict[str, set[str]] = {}
    for qid, head in heads.items():
        members.setdefault(head, set()).add(qid)
    grouped = [replace(u, question=heads.get(u.question, u.question)) for u in uses]
    return [
        GroupExposure(st.question, tuple(sorted(members.get(st.question, {st.question}))), st.times_asked,
                      st.loops, st.loop_share, st.exposed)
        for st in question_analytics(grouped, total)
    ]
