"""The recruiter's screen: a screen stage's checklist of screen-only requirements, answered yes, no or unclear.

A loop made from a template with a screen stage (``kind: screen``) carries the stage's checklist: the
requirements of the bank's screening.yaml it checks (a degree, years in a role, languages spoken), facts
from a CV confirmed on a call instead of interview questions. Each item gets one answer (yes, no or
unclear) with an optional note; answering again replaces it, and the answer remembers who gave it and when.

The rules (services/policy.screen_access; on a team database revision 0009's ``ik_may_write_screen`` and
revision 0013's ``ik_may_read_screen`` and triggers say the same):

* The stage's interviewer answers (or an admin; the local operator of an SQLite file); nobody answers a
  screen that has no interviewer yet but an admin. Nothing more is written about a candidate whose
  personal data was erased.
* That a screen was finished, by whom and when, is seen by the candidate's panel and the debrief lead at
  any time. Its answers and notes are read by whoever may answer it, who finished it and the debrief lead
  (the opening's hiring manager, or an admin); a panel member reads them once their own scorecard for the
  candidate is submitted (independent judgement first: no anchoring on the recruiter's notes).
* Finishing a screen (:func:`finish_screen`, the cockpit's "Finish the screen") is like submitting a
  scorecard: every item must have an answer; the stage records who finished it and when (revision 0013's
  ``stage.finished_at`` / ``finished_by``; the finish goes into the audit trail too, with the answers).
  The answers are then the record: :func:`record_screen_answer` refuses to change them, and
  :func:`amend_screen_answer` changes one with a reason, audited (before, after), as a submitted
  scorecard is amended.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col

from interviewkit.inputs import one_line
from interviewkit.services import audit, policy
from interviewkit.services.access import Actor, require_in
from interviewkit.services.changes import Changes
from interviewkit.services.errors import NotFound, PermissionDenied, ValidationFailed
from interviewkit.storage.db import Database, retry_transient
from interviewkit.storage.models import (
    SCREEN_ANSWERS,
    Candidate,
    InterviewLoop,
    Person,
    Requirement,
    ScreenAnswer,
    ScreeningItem,
    Stage,
    id_of,
    utcnow,
)

__all__ = [
    "ANSWER_WORDS",
    "MAX_NOTE",
    "ScreenChecklist",
    "ScreenItem",
    "amend_screen_answer",
    "checklist_to_ask",
    "finish_screen",
    "is_screen",
    "record_screen_answer",
    "screen_checklist",
]

#: What each answer is called where it is shown.
ANSWER_WORDS = {"yes": "Yes", "no": "No", "unclear": "Unclear"}
#: The longest note an answer keeps, in characters (a line or two from the call is what it is for).
MAX_NOTE = 4000


@dataclass(frozen=True)
class ScreenItem:
    """One item of a screen's checklist with its answer (None: not answered yet)."""

    requirement_id: str
    text: str  # the requirement as the job description words it
    ask: str  # what screening.yaml says to ask ("" when the bank no longer lists it)
    answer: str | None
    note: str
    answered_by: str  # the name of who answered ("" when not answered)
    answered_at: datetime | None


@dataclass(frozen=True)
class ScreenChecklist:
    """A screen stage with its checklist and answers, as the person asking may see them."""

    stage_id: int
    loop_id: int
    candidate_id: int
    candidate: str
    stage_name: str
    stage_position: int
    minutes: int
    interviewer_id: int | None
    interviewer: str
    items: tuple[ScreenItem, ...]
    may_answer: bool  # whether the person asking may record answers
    finished_at: datetime | None = None  # when the screen was finished (its answers are then the record)
    finished_by: str = ""  # who finished it
    may_amend: bool = False  # whether the person asking may amend the finished screen's answers
    answers_hidden: str = ""  # why the answers and notes are not shown to the person asking ("": shown)

    @property
    def finished(self) -> bool:
        return self.finished_at is not None

    @property
    def answered(self) -> int:
        return sum(1 for i in self.items if i.answer is not None)

    @property
    def done(self) -> bool:
        """Every item has an answer."""
        return bool(self.items) and self.answered == len(self.items)


def _screen_stage(s: Session, stage_id: int) -> tuple[Stage, int]:
    """The stage, if it is a screen, and its candidate's id."""
    row = s.execute(
        select(Stage, col(InterviewLoop.candidate_id))
        .join(InterviewLoop, col(InterviewLoop.id) == col(Stage.loop_id))
        .where(col(Stage.id) == stage_id)
    ).first()
    if row is None:
        raise NotFound(f"No stage with id {stage_id}")
    stage, candidate_id = row
    if stage.kind != "screen":
        raise ValidationFailed([f"Stage '{stage.name}' is an interview: it has a scorecard, not a screen checklist"])
    return stage, int(candidate_id)


def is_screen(db: Database, stage_id: int) -> bool:
    """Whether a stage is a screen (a checklist to answer) rather than an interview (a scorecard). Says
    nothing of the stage's content; NotFound when there is no such stage."""
    with db.session() as s:
        kind = s.scalar(select(col(Stage.kind)).where(col(Stage.id) == stage_id))
        if kind is None:
            raise NotFound(f"No stage with id {stage_id}")
        return kind == "screen"


def _finished(s: Session, stage: Stage) -> tuple[datetime, str] | None:
    """When the screen was finished and by whom (their name; "" for the local operator), or None."""
    if stage.finished_at is None:
        return None
    name = s.scalar(select(col(Person.name)).where(col(Person.id) == stage.finished_by)) if stage.finished_by else None
    at = stage.finished_at
    return (at.replace(tzinfo=UTC) if at.tzinfo is None else at), str(name or "")


def _access(s: Session, by: Actor, stage: Stage, candidate_id: int) -> policy.ScreenAccess:
    return policy.screen_access(s, by, interviewer_id=stage.interviewer_id, finished_by=stage.finished_by,
                                candidate_id=candidate_id)


def _require_seer(s: Session, by: Actor, stage: Stage, candidate_id: int) -> policy.ScreenAccess:
    """What the person may do with this screen, if they may see it at all (see the module's description)."""
    access = _access(s, by, stage, candidate_id)
    if access.see:
        return access
    w = policy.who(s, by)
    if not w.signed_in:
        raise PermissionDenied(f"{w.name} may not read a screen" + (": they are inactive" if w.person_id else ""))
    raise PermissionDenied(
        f"{w.name} may not read the screen of candidate #{candidate_id}: only its interviewer, the candidate's "
        "panel and the debrief lead may."
    )


def _require_writer(s: Session, by: Actor, stage: Stage, candidate_id: int, what: str) -> policy.Who:
    """The person, if they may answer, finish or amend this screen: its interviewer or an admin."""
    require_in(s, by, "interview")
    w = policy.who(s, by)
    if not _access(s, by, stage, candidate_id).write:
        raise PermissionDenied(
            f"{w.name} may not {what} the screen '{stage.name}': only its interviewer (or an admin) may"
            + ("; it has no interviewer yet: a coordinator assigns one" if stage.interviewer_id is None else "")
        )
    return w


def _items(s: Session, stage: Stage, shown: bool) -> list[ScreenItem]:
    """The checklist in its order, each item with its answer (left out when ``shown`` is false)."""
    texts = dict(s.execute(select(col(Requirement.id), col(Requirement.text))
                           .where(col(Requirement.id).in_(stage.checklist))).all())
    asks = dict(s.execute(select(col(ScreeningItem.requirement_id), col(ScreeningItem.ask))
                          .where(col(ScreeningItem.requirement_id).in_(stage.checklist),
                                 col(ScreeningItem.retired_at).is_(None))).all())
    answers = {} if not shown else {
        a.requirement_id: (a, name)
        for a, name in s.execute(
            select(ScreenAnswer, col(Person.name))
            .outerjoin(Person, col(Person.id) == col(ScreenAnswer.answered_by))
            .where(col(ScreenAnswer.stage_id) == id_of(stage))
        )
    }
    items = []
    for rid in stage.checklist:
        answer, name = answers.get(rid, (None, None))
        items.append(ScreenItem(
            rid, str(texts.get(rid, "")), str(asks.get(rid, "")), answer.answer if answer else None,
            answer.note if answer else "", (name or "") if answer else "", answer.answered_at if answer else None,
        ))
    return items


def checklist_to_ask(db: Database, stage_id: int) -> tuple[ScreenItem, ...]:
    """A screen stage's checklist in its order without any answer: what the screen checks and what to ask
    (for its interview kit, printed for whoever may see the loop; the answers stay behind their rules)."""
    with db.session() as s:
        stage, _candidate_id = _screen_stage(s, stage_id)
        return tuple(_items(s, stage, False))


def screen_checklist(db: Database, stage_id: int, *, by: Actor) -> ScreenChecklist:
    """A screen stage's checklist in its order, for those who may see it: each item with its answer for those
    who may read the answers; for a panel member who has not submitted their own scorecard yet the items
    without answers, whether the screen was finished (by whom, when) and why the answers are not shown."""
    with db.session() as s:
        stage, candidate_id = _screen_stage(s, stage_id)
        access = _require_seer(s, by, stage, candidate_id)
        candidate = s.get(Candidate, candidate_id)
        interviewer = s.get(Person, stage.interviewer_id) if stage.interviewer_id is not None else None
        finished = _finished(s, stage)
        return ScreenChecklist(
            stage_id=stage_id, loop_id=stage.loop_id, candidate_id=candidate_id,
            candidate=candidate.name if candidate else "", stage_name=stage.name, stage_position=stage.position,
            minutes=stage.minutes, interviewer_id=stage.interviewer_id,
            interviewer=interviewer.name if interviewer else "", items=tuple(_items(s, stage, access.read)),
            may_answer=access.write and finished is None,
            finished_at=finished[0] if finished else None, finished_by=finished[1] if finished else "",
            may_amend=access.write and finished is not None, answers_hidden=access.why_hidden,
        )


def _check_answer(answer: str, note: str) -> list[str]:
    problems = []
    if answer not in SCREEN_ANSWERS:
        problems.append(f"Answer: '{one_line(str(answer))[:20]}' is not one of {', '.join(SCREEN_ANSWERS)}")
    if len(note) > MAX_NOTE:
        problems.append(f"Note: {len(note):,} characters; a note keeps at most {MAX_NOTE:,}")
    return problems


@retry_transient(also=(IntegrityError,))  # two windows answering the same item at once: the rerun updates
def record_screen_answer(
    db: Database, stage_id: int, requirement_id: str, answer: str, note: str = "", *, by: Actor,
    now: datetime | None = None,
) -> Changes:
    """Record (or change) the answer to one item of a screen stage's checklist: "yes", "no" or "unclear", with
    an optional note. Only the stage's interviewer or an admin, until the screen is finished; ``now`` (aware)
    records another time than the clock's, for imported or demo history."""
    problems = _check_answer(answer, note)
    with db.transaction() as s:
        stage, candidate_id = _screen_stage(s, stage_id)
        w = _require_writer(s, by, stage, candidate_id, "answer")
        if requirement_id not in stage.checklist:
            problems.append(f"Item: {one_line(requirement_id)[:200]} is not on this screen's checklist")
        if problems:
            raise ValidationFailed(problems)
        _refuse_if_erased(s, stage, candidate_id)
        if stage.finished_at is not None:
            finished = _finished(s, stage)
            when = f"{finished[0]:%d %b %Y}" if finished else ""
            message = f"The screen '{stage.name}' was finished on {when}: its answers are part of the record"
            raise ValidationFailed([message + " and change only by an amendment with a reason"])
        row = s.get(ScreenAnswer, (stage_id, requirement_id))
        if row is None:
            row = ScreenAnswer(stage_id=stage_id, requirement_id=requirement_id, answer=answer)
            s.add(row)
        row.answer, row.note = answer, note
        row.answered_by = w.person_id
        row.answered_at = now or utcnow()
        s.flush()
        return Changes.of(loops=[stage.loop_id], candidates=[candidate_id])


def _refuse_if_erased(s: Session, stage: Stage, candidate_id: int) -> None:
    """No answer is written about an erased candidate."""
    if s.scalar(select(col(Candidate.erased_at)).where(col(Candidate.id) == candidate_id)) is not None:
        raise ValidationFailed(["This candidate's personal data was erased: the screen takes no more answers"])


@retry_transient
def finish_screen(db: Database, stage_id: int, *, by: Actor, now: datetime | None = None) -> Changes:
    """Finish a screen, as a scorecard is submitted: only its interviewer (or an admin), once every item of
    its checklist has an answer (else ValidationFailed naming those without). The stage records who finished
    it and when (on a team database the database's clock and the login's person, revision 0013); the finish,
    with the answers, goes into the audit trail too. The answers then change only by an amendment."""
    with db.transaction() as s:
        stage, candidate_id = _screen_stage(s, stage_id)
        w = _require_writer(s, by, stage, candidate_id, "finish")
        _refuse_if_erased(s, stage, candidate_id)
        if stage.finished_at is not None:
            raise ValidationFailed([f"The screen '{stage.name}' was finished on {stage.finished_at:%d %b %Y}"])
        answers = {a.requirement_id: a.answer for a in s.scalars(
            select(ScreenAnswer).where(col(ScreenAnswer.stage_id) == stage_id))}
        if not stage.checklist:
            raise ValidationFailed([f"The screen '{stage.name}' has no checklist to answer"])
        missing = [rid for rid in stage.checklist if rid not in answers]
        if missing:
            texts = dict(s.execute(select(col(Requirement.id), col(Requirement.text))
                                   .where(col(Requirement.id).in_(missing))).all())
            raise ValidationFailed([f"No answer yet: {one_line(str(texts.get(rid) or rid))[:200]}" for rid in missing])
        stage.finished_at = now or utcnow()
        stage.finished_by = w.person_id
        s.add(stage)
        audit.record(
            s, actor_id=audit.actor_id(by), entity="stage", entity_id=stage_id, action="finished", at=now,
            detail={"answers": {rid: answers[rid] for rid in stage.checklist}},
        )
        s.flush()
        return Changes.of(loops=[stage.loop_id], candidates=[candidate_id])


@retry_transient
def amend_screen_answer(
    db: Database, stage_id: int, requirement_id: str, answer: str, note: str, *, reason: str, by: Actor,
    now: datetime | None = None,
) -> Changes:
    """Change one answer (and its note) of a FINISHED screen, saying why: only its interviewer or an admin,
    as a submitted scorecard is amended. The change goes into the audit trail (entity ``stage``, action
    ``amended``, the reason, the item's answer and note before and after); the answer keeps who gave it
    first. Before the screen is finished an answer is simply given again (:func:`record_screen_answer`)."""
    problems = _check_answer(answer, note)
    if not reason.strip():
        problems.append("Reason: say why the finished screen's answer is being changed")
    with db.transaction() as s:
        stage, candidate_id = _screen_stage(s, stage_id)
        _require_writer(s, by, stage, candidate_id, "amend")
        if stage.finished_at is None:
            problems.append(f"The screen '{stage.name}' is not finished: its answers are simply given again")
        row = s.get(ScreenAnswer, (stage_id, requirement_id), with_for_update=True)
        if requirement_id not in stage.checklist or row is None:
            problems.append(f"Item: {one_line(requirement_id)[:200]} has no answer on this screen's checklist")
        if problems:
            raise ValidationFailed(problems)
        assert row is not None
        _refuse_if_erased(s, stage, candidate_id)
        before = {"answer": row.answer, "note": row.note}
        if before == {"answer": answer, "note": note}:
            raise ValidationFailed(["Nothing was changed"])
        audit.change_reason(s, f"amendment: {reason.strip()}")
        row.answer, row.note = answer, note
        s.flush()
        audit.record(
            s, actor_id=audit.actor_id(by), entity="stage", entity_id=stage_id, action="amended", at=now,
            reason=reason.strip(),
            detail={"requirement": requirement_id, "before": before, "after": {"answer": answer, "note": note}},
        )
        s.flush()
        return Changes.of(loops=[stage.loop_id], candidates=[candidate_id])
