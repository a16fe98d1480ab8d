"""Interview loops: plan the stages of a candidate's interviews and see what they cover.

A stage is an interview (focus competencies, planned questions, a scorecard) or a recruiter's screen
(``kind`` "screen": a checklist of screening.yaml's requirements, answered yes/no/unclear in
:mod:`interviewkit.services.screening`, never a scorecard). A loop's coverage counts the PRIMARY
requirements of its planned questions as assessed; it lists apart those its screen checks and those its
questions only touch (related requirements, not counted), and the must-haves left unassessed.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, func, select
from sqlmodel import Session, col

from interviewkit.domain.interview import LoopCoverageResult, PlannedStage, compute_loop_coverage
from interviewkit.services import bank_queries, policy
from interviewkit.services.access import Actor, require_in
from interviewkit.services.changes import Changes, Created
from interviewkit.services.errors import NotFound, ValidationFailed
from interviewkit.storage.db import Database
from interviewkit.storage.models import (
    Candidate,
    Competency,
    InterviewLoop,
    LoopTemplate,
    Opening,
    OpeningJD,
    Person,
    QuestionRequirement,
    QuestionVersion,
    Requirement,
    Scorecard,
    ScreeningItem,
    Stage,
    StageQuestion,
    id_of,
)
from interviewkit.storage.models import Question as QuestionRow
from interviewkit.storage.views import scorecard_status, screen_progress

__all__ = [
    "LoopCoverage",
    "LoopDetail",
    "LoopSummary",
    "MyStage",
    "PlannedQuestion",
    "StageDetail",
    "TemplateInfo",
    "TemplateStage",
    "add_stage",
    "create_loop",
    "delete_loop",
    "loop_coverage",
    "loop_detail",
    "loop_templates",
    "loops",
    "move_stage",
    "my_interviews",
    "remove_stage",
    "set_stage_checklist",
    "set_stage_plan",
    "stage_loop_id",
    "template_stages",
    "update_stage",
]

BREAK_MINUTES = 15  # between consecutive stages scheduled from a template


@dataclass(frozen=True)
class TemplateInfo:
    id: str
    name: str
    description: str
    stages: int
    minutes: int
    partial: str = ""  # why the template leaves must-haves unassessed on purpose ("": it means to assess them all)


@dataclass(frozen=True)
class TemplateStage:
    """One stage of a loop template, as a coordinator sees it before creating a loop."""

    position: int
    name: str
    minutes: int
    focus: tuple[str, ...]
    questions: tuple[str, ...]
    kind: str = "interview"  # or "screen"
    checklist: tuple[str, ...] = ()  # a screen's requirement ids


@dataclass(frozen=True)
class PlannedQuestion:
    question_id: str
    version_id: int
    version: int
    title: str
    minutes: int
    kind: str
    competencies: tuple[str, ...]
    outdated: bool  # a newer version exists in the bank


@dataclass(frozen=True)
class StageDetail:
    id: int
    position: int
    name: str
    interviewer_id: int | None
    interviewer: str
    scheduled_at: datetime | None
    minutes: int
    focus: tuple[str, ...]
    questions: tuple[PlannedQuestion, ...]
    scorecard_status: str | None  # None, "draft" or "submitted" (a screen stage: always None)
    kind: str = "interview"  # or "screen"
    checklist: tuple[str, ...] = ()  # a screen's requirement ids
    screen_answered: int = 0  # how many checklist items have an answer (a screen stage)

    @property
    def is_screen(self) -> bool:
        return self.kind == "screen"

    @property
    def screen_done(self) -> bool:
        """A screen stage whose every checklist item has an answer."""
        return self.is_screen and bool(self.checklist) and self.screen_answered >= len(self.checklist)

    @property
    def planned_minutes(self) -> int:
        return sum(q.minutes for q in self.questions)

    @property
    def fits(self) -> bool:
        return self.planned_minutes <= self.minutes


@dataclass(frozen=True)
class LoopDetail:
    id: int
    name: str
    candidate_id: int
    candidate: str
    opening_id: int
    opening: str
    template_id: str | None
    stages: tuple[StageDetail, ...]


@dataclass(frozen=True)
class LoopSummary:
    """A loop in a list. ``submitted`` counts submitted scorecards and screens whose every item is answered."""

    id: int
    name: str
    candidate: str
    opening: str
    stages: int
    submitted: int
    first_at: datetime | None


@dataclass(frozen=True)
class MyStage:
    """A stage on an interviewer's list."""

    stage_id: int
    loop_id: int
    candidate: str
    opening: str
    stage_name: str
    position: int
    stage_count: int
    scheduled_at: datetime | None
    minutes: int
    status: str  # "not started", "in progress", "submitted"; a screen: also "to finish", "finished"
    scorecard_id: int | None
    kind: str = "interview"  # or "screen": open its checklist (services.screening), not a scorecard


@dataclass(frozen=True)
class LoopCoverage:
    """The coverage of a loop, with texts and names for display.

    ``result`` counts the PRIMARY requirements of the planned questions as assessed (its ``unassessed``
    includes what the screen checks). ``screened``: requirement -> the screen stages whose checklist has it;
    ``related``: requirement -> the stages whose questions only touch it (not counted), for requirements no
    question assesses; ``must_haves_unassessed``: must-haves neither assessed nor screened, in order.
    """

    result: LoopCoverageResult
    requirement_text: dict[str, str]
    stage_names: dict[int, str]
    question_titles: dict[str, str]
    screened: dict[str, tuple[int, ...]] = field(default_factory=dict)
    related: dict[str, tuple[int, ...]] = field(default_factory=dict)
    must_haves_unassessed: tuple[str, ...] = ()
    must_have: frozenset[str] = frozenset()

    @property
    def unassessed(self) -> list[str]:
        """Requirements neither assessed by a planned question (primary) nor checked by the screen."""
        return [r for r in self.result.unassessed if r not in self.screened]


def loop_templates(db: Database) -> list[TemplateInfo]:
    with db.session() as s:
        rows = s.scalars(
            select(LoopTemplate).where(col(LoopTemplate.retired_at).is_(None)).order_by(col(LoopTemplate.name))
        ).all()
    out = []
    for t in rows:
        stages = t.content.get("stages", [])
        out.append(
            TemplateInfo(
                t.id,
                t.name,
                str(t.content.get("description", "")),
                len(stages),
                sum(int(st.get("minutes", 0)) for st in stages),
                str(t.content.get("partial", "")),
            )
        )
    return out


def template_stages(db: Database, template_id: str) -> list[TemplateStage]:
    """The stages of a loop template, in order (to assign interviewers before creating a loop)."""
    with db.session() as s:
        template = s.get(LoopTemplate, template_id)
        if template is None:
            raise NotFound(f"No loop template '{template_id}'")
        stages = list(template.content.get("stages", []))
    return [
        TemplateStage(
            i,
            str(st.get("name", f"Stage {i}")),
            int(st.get("minutes", 0)),
            tuple(str(f) for f in st.get("focus", [])),
            tuple(str(q) for q in st.get("questions", [])),
            str(st.get("kind", "interview")),
            tuple(str(r) for r in st.get("checklist", [])),
        )
        for i, st in enumerate(stages, start=1)
    ]


def _current_version_ids(s: Session, question_ids: list[str]) -> dict[str, int]:
    rows = s.execute(
        select(col(QuestionVersion.question_id), col(QuestionVersion.id))
        .join(
            QuestionRow,
            (col(QuestionRow.id) == col(QuestionVersion.question_id))
            & (col(QuestionRow.current_version) == col(QuestionVersion.version)),
        )
        .where(col(QuestionVersion.question_id).in_(question_ids))
    ).all()
    return {q: int(v) for q, v in rows}


def _check_stage(s: Session, name: str, minutes: int, focus: list[str], interviewer_id: int | None) -> list[str]:
    problems = []
    if not name.strip():
        problems.append("Stage name: required")
    if not 5 <= minutes <= 480:
        problems.append("Length: between 5 and 480 minutes")
    known = set(s.scalars(select(col(Competency.id))))
    for c in focus:
        if c not in known:
            problems.append(f"Focus: unknown competency '{c}'")
    if interviewer_id is not None and s.get(Person, interviewer_id) is None:
        problems.append("Interviewer: not in the directory")
    return problems


def _known_checklist(s: Session, requirement_ids: list[str]) -> list[str]:
    """The ids of a template's checklist that are live screening items, in order, each once."""
    live = set(s.scalars(select(col(ScreeningItem.requirement_id)).where(col(ScreeningItem.retired_at).is_(None))))
    return [r for r in dict.fromkeys(str(x) for x in requirement_ids) if r in live]


def _checklist_problems(s: Session, checklist: list[str]) -> list[str]:
    """What is wrong with a screen stage's checklist: empty, twice, or not a requirement of screening.yaml."""
    if not checklist:
        return ["Checklist: a screen stage checks at least one requirement of screening.yaml"]
    problems = [f"Checklist: {r} is listed twice" for r in sorted({r for r in checklist if checklist.count(r) > 1})]
    known = set(_known_checklist(s, checklist))
    problems += [f"Checklist: {r} is not a requirement of screening.yaml" for r in dict.fromkeys(checklist)
                 if r not in known]
    return problems


def create_loop(
    db: Database,
    candidate_id: int,
    *,
    template_id: str | None = None,
    name: str = "",
    start: datetime | None = None,
    interviewers: list[int | None] | None = None,
    by: Actor,
) -> Created:
    """Create a loop for a candidate, from a template (stages, focus and questions; a screen stage with its
    checklist) or empty."""
    with db.transaction() as s:
        require_in(s, by, "plan_loops")
        cand = s.get(Candidate, candidate_id)
        if cand is None:
            raise NotFound(f"No candidate with id {candidate_id}")
        template = None
        if template_id:
            template = s.get(LoopTemplate, template_id)
            if template is None:
                raise NotFound(f"No loop template '{template_id}'")
        loop = InterviewLoop(
            candidate_id=candidate_id,
            template_id=template_id,
            name=name or (template.name if template else "Interview loop"),
        )
        s.add(loop)
        s.flush()
        if template is not None:
            when = start
            for i, st in enumerate(template.content.get("stages", [])):
                interviewer = interviewers[i] if interviewers and i < len(interviewers) else None
                kind = str(st.get("kind", "interview"))
                stage = Stage(
                    loop_id=id_of(loop),
                    position=i + 1,
                    name=st["name"],
                    minutes=int(st["minutes"]),
                    focus=list(st.get("focus", [])) if kind == "interview" else [],
                    interviewer_id=interviewer,
                    scheduled_at=when,
                    kind=kind,
                    checklist=_known_checklist(s, st.get("checklist", [])) if kind == "screen" else [],
                )
                s.add(stage)
                s.flush()
                versions = _current_version_ids(s, list(st.get("questions", [])))
                for pos, qid in enumerate(q for q in st.get("questions", []) if q in versions):
                    s.add(StageQuestion(stage_id=id_of(stage), position=pos + 1, question_version_id=versions[qid]))
                if when is not None:
                    when = when + timedelta(minutes=int(st["minutes"]) + BREAK_MINUTES)
        s.flush()
        return Created(id_of(loop), Changes.of(loops=[id_of(loop)], candidates=[candidate_id]))


def delete_loop(db: Database, loop_id: int, *, by: Actor) -> Changes:
    """Delete a loop that has no scorecard and no screen answer yet."""
    with db.transaction() as s:
        require_in(s, by, "plan_loops")
        stage_ids = [int(i) for i in s.scalars(select(col(Stage.id)).where(col(Stage.loop_id) == loop_id)) if i]
        if stage_ids and s.scalar(select(func.count(scorecard_status.c.id)).where(
                scorecard_status.c.stage_id.in_(stage_ids))):
            raise ValidationFailed(["This loop has scorecards: it cannot be deleted"])
        if stage_ids and _screen_answered(s, stage_ids):
            raise ValidationFailed(["This loop has screen answers: it cannot be deleted"])
        if stage_ids:
            s.execute(delete(StageQuestion).where(col(StageQuestion.stage_id).in_(stage_ids)))
            s.execute(delete(Stage).where(col(Stage.loop_id) == loop_id))
        loop = s.get(InterviewLoop, loop_id)
        if loop is None:
            raise NotFound(f"No loop with id {loop_id}")
        candidate_id = loop.candidate_id
        s.delete(loop)
    return Changes.of(loops=[loop_id], candidates=[candidate_id])


def _screen_answered(s: Session, stage_ids: list[int]) -> int:
    """How many screen answers these stages hold (from the ``screen_progress`` view: a team database shows a
    planner that answers exist, not what they say)."""
    return int(s.scalar(select(func.coalesce(func.sum(screen_progress.c.answered), 0))
                        .where(screen_progress.c.stage_id.in_(stage_ids))) or 0)


def add_stage(
    db: Database,
    loop_id: int,
    *,
    name: str,
    minutes: int = 60,
    focus: list[str] | None = None,
    interviewer_id: int | None = None,
    scheduled_at: datetime | None = None,
    kind: str = "interview",
    checklist: list[str] | None = None,
    by: Actor,
) -> Created:
    """Add a stage at the end of a loop: an interview, or (``kind`` "screen") a recruiter's screen with a
    ``checklist`` of screening.yaml's requirements and no focus."""
    with db.transaction() as s:
        require_in(s, by, "plan_loops")
        if s.get(InterviewLoop, loop_id) is None:
            raise NotFound(f"No loop with id {loop_id}")
        problems = _check_stage(s, name, minutes, focus or [], interviewer_id)
        if kind not in ("interview", "screen"):
            problems.append(f"Kind: '{kind}' is not interview or screen")
        elif kind == "screen":
            problems += _checklist_problems(s, list(checklist or []))
            if focus:
                problems.append("Focus: a screen stage rates no competency")
        elif checklist:
            problems.append("Checklist: only a screen stage has a checklist")
        if problems:
            raise ValidationFailed(problems)
        last = s.scalar(select(func.max(col(Stage.position))).where(col(Stage.loop_id) == loop_id)) or 0
        st = Stage(loop_id=loop_id, position=last + 1, name=name.strip(), minutes=minutes, focus=list(focus or []),
                   interviewer_id=interviewer_id, scheduled_at=scheduled_at, kind=kind,
                   checklist=list(checklist or []))
        s.add(st)
        s.flush()
        return Created(id_of(st), Changes.of(loops=[loop_id]))


def update_stage(
    db: Database,
    stage_id: int,
    *,
    name: str,
    minutes: int,
    focus: list[str],
    interviewer_id: int | None,
    scheduled_at: datetime | None,
    by: Actor,
) -> Changes:
    """Change a stage's name, length, focus, interviewer and time."""
    with db.transaction() as s:
        require_in(s, by, "plan_loops")
        st = s.get(Stage, stage_id)
        if st is None:
            raise NotFound(f"No stage with id {stage_id}")
        problems = _check_stage(s, name, minutes, focus, interviewer_id)
        card = s.execute(select(scorecard_status.c.id).where(scorecard_status.c.stage_id == stage_id)).first()
        if card is not None and interviewer_id != st.interviewer_id:
            problems.append("Interviewer: this stage already has a scorecard; its interviewer cannot change")
        if st.kind == "screen" and focus:
            problems.append("Focus: a screen stage rates no competency")
        if problems:
            raise ValidationFailed(problems)
        st.name, st.minutes, st.focus, st.interviewer_id, st.scheduled_at = (
            name.strip(), minutes, list(focus), interviewer_id, scheduled_at
        )
        return Changes.of(loops=[st.loop_id])


def set_stage_plan(db: Database, stage_id: int, question_ids: list[str], *, by: Actor) -> Changes:
    """Replace a stage's ordered question plan. Questions already planned keep their pinned version."""
    if len(set(question_ids)) != len(question_ids):
        raise ValidationFailed(["A question can be planned only once in a stage"])
    with db.transaction() as s:
        require_in(s, by, "plan_loops")
        stage = s.get(Stage, stage_id)
        if stage is None:
            raise NotFound(f"No stage with id {stage_id}")
        if stage.kind == "screen" and question_ids:
            raise ValidationFailed(["A screen stage has a checklist, not questions"])
        pinned = dict(
            s.execute(
                select(col(QuestionVersion.question_id), col(StageQuestion.question_version_id))
                .join(QuestionVersion, col(QuestionVersion.id) == col(StageQuestion.question_version_id))
                .where(col(StageQuestion.stage_id) == stage_id)
            ).all()
        )
        current = _current_version_ids(s, [q for q in question_ids if q not in pinned])
        unknown = [q for q in question_ids if q not in pinned and q not in current]
        if unknown:
            raise ValidationFailed([f"Unknown or retired question: {q}" for q in unknown])
        s.execute(delete(StageQuestion).where(col(StageQuestion.stage_id) == stage_id))
        s.flush()
        for pos, qid in enumerate(question_ids, start=1):
            s.add(StageQuestion(stage_id=stage_id, position=pos, question_version_id=pinned.get(qid) or current[qid]))
        return Changes.of(loops=[stage.loop_id])


def set_stage_checklist(db: Database, stage_id: int, requirement_ids: list[str], *, by: Actor) -> Changes:
    """Replace a screen stage's checklist (requirement ids of screening.yaml, in order). Answers already given
    stay; an answer to an item taken off the checklist is kept but no longer shown."""
    with db.transaction() as s:
        require_in(s, by, "plan_loops")
        stage = s.get(Stage, stage_id)
        if stage is None:
            raise NotFound(f"No stage with id {stage_id}")
        if stage.kind != "screen":
            raise ValidationFailed(["Only a screen stage has a checklist"])
        problems = _checklist_problems(s, list(requirement_ids))
        if problems:
            raise ValidationFailed(problems)
        stage.checklist = list(requirement_ids)
        return Changes.of(loops=[stage.loop_id])


def remove_stage(db: Database, stage_id: int, *, by: Actor) -> Changes:
    """Remove a stage that has no scorecard (a screen: no answer); later stages move up."""
    with db.transaction() as s:
        require_in(s, by, "plan_loops")
        st = s.get(Stage, stage_id)
        if st is None:
            raise NotFound(f"No stage with id {stage_id}")
        if s.execute(select(scorecard_status.c.id).where(scorecard_status.c.stage_id == stage_id)).first() is not None:
            raise ValidationFailed(["This stage has a scorecard: it cannot be removed"])
        if _screen_answered(s, [stage_id]):
            raise ValidationFailed(["This screen has answers: it cannot be removed"])
        s.execute(delete(StageQuestion).where(col(StageQuestion.stage_id) == stage_id))
        loop_id, position = st.loop_id, st.position
        s.delete(st)
        s.flush()
        for other in s.scalars(
            select(Stage)
            .where(col(Stage.loop_id) == loop_id, col(Stage.position) > position)
            .order_by(col(Stage.position))
        ):
            other.position -= 1
        return Changes.of(loops=[loop_id])


def move_stage(db: Database, stage_id: int, new_position: int, *, by: Actor) -> Changes:
    """Move a stage to ``new_position`` (1-based) within its loop."""
    with db.transaction() as s:
        require_in(s, by, "plan_loops")
        st = s.get(Stage, stage_id)
        if st is None:
            raise NotFound(f"No stage with id {stage_id}")
        stages = list(s.scalars(select(Stage).where(col(Stage.loop_id) == st.loop_id).order_by(col(Stage.position))))
        stages.remove(st)
        stages.insert(max(0, min(new_position - 1, len(stages))), st)
        for i, other in enumerate(stages, start=1):
            other.position = i
        return Changes.of(loops=[st.loop_id])


def loop_detail(db: Database, loop_id: int, *, by: Actor) -> LoopDetail:
    """A loop with its stages and plans, for whoever may see its candidate
    (:func:`~interviewkit.services.policy.require_candidate`)."""
    with db.session() as s:
        cand_of = s.scalar(select(col(InterviewLoop.candidate_id)).where(col(InterviewLoop.id) == loop_id))
        if cand_of is not None:
            policy.require_candidate(s, by, int(cand_of))
        row = s.execute(
            select(InterviewLoop, col(Candidate.name), col(Candidate.id), col(Opening.id), col(Opening.title))
            .join(Candidate, col(Candidate.id) == col(InterviewLoop.candidate_id))
            .join(Opening, col(Opening.id) == col(Candidate.opening_id))
            .where(col(InterviewLoop.id) == loop_id)
        ).first()
        if row is None:
            raise NotFound(f"No loop with id {loop_id}")
        loop, cand_name, cand_id, opening_id, opening_title = row
        stages = s.execute(
            select(Stage, col(Person.name), scorecard_status.c.status, screen_progress.c.answered)
            .outerjoin(Person, col(Person.id) == col(Stage.interviewer_id))
            .outerjoin(scorecard_status, scorecard_status.c.stage_id == col(Stage.id))
            .outerjoin(screen_progress, screen_progress.c.stage_id == col(Stage.id))
            .where(col(Stage.loop_id) == loop_id)
            .order_by(col(Stage.position))
        ).all()
        plans: dict[int, list[PlannedQuestion]] = defaultdict(list)
        stage_ids = [st.id for st, _, _, _ in stages]
        if stage_ids:
            comps: dict[int, list[str]] = defaultdict(list)
            from interviewkit.storage.models import QuestionCompetency

            for vid, cid in s.execute(
                select(col(QuestionCompetency.question_version_id), col(QuestionCompetency.competency_id))
                .join(
                    StageQuestion, col(StageQuestion.question_version_id) == col(QuestionCompetency.question_version_id)
                )
                .where(col(StageQuestion.stage_id).in_(stage_ids))
                .order_by(col(QuestionCompetency.position))
            ):
                if cid not in comps[vid]:
                    comps[vid].append(cid)
            for sq, v, current in s.execute(
                select(StageQuestion, QuestionVersion, col(QuestionRow.current_version))
                .join(QuestionVersion, col(QuestionVersion.id) == col(StageQuestion.question_version_id))
                .join(QuestionRow, col(QuestionRow.id) == col(QuestionVersion.question_id))
                .where(col(StageQuestion.stage_id).in_(stage_ids))
                .order_by(col(StageQuestion.stage_id), col(StageQuestion.position))
            ):
                plans[sq.stage_id].append(
                    PlannedQuestion(v.question_id, id_of(v), v.version, v.title, v.minutes, v.kind,
                                    tuple(comps[id_of(v)]), current != v.version)
                )
    return LoopDetail(
        id_of(loop),
        loop.name,
        cand_id,
        cand_name,
        opening_id,
        opening_title,
        loop.template_id,
        tuple(
            StageDetail(id_of(st), st.position, st.name, st.interviewer_id, name or "", st.scheduled_at,
                        st.minutes, tuple(st.focus), tuple(plans[id_of(st)]), status, st.kind,
                        tuple(st.checklist), int(answered or 0))
            for st, name, status, answered in stages
        ),
    )


def stage_loop_id(db: Database, stage_id: int) -> int:
    """The id of the loop a stage belongs to (then :func:`loop_detail` has the stage with its plan)."""
    with db.session() as s:
        loop_id = s.scalar(select(col(Stage.loop_id)).where(col(Stage.id) == stage_id))
    if loop_id is None:
        raise NotFound(f"No stage with id {stage_id}")
    return int(loop_id)


def loops(db: Database, *, candidate_id: int | None = None, by: Actor) -> list[LoopSummary]:
    """Every loop this person may see (of the candidates they may see), with its progress, newest first."""
    with db.session() as s:
        visible = policy.readable_candidate_ids(s, by)
        q = (
            select(
                col(InterviewLoop.id), col(InterviewLoop.name), col(Candidate.name), col(Opening.title),
                func.count(func.distinct(col(Stage.id))), func.count(func.distinct(scorecard_status.c.id)),
                func.min(col(Stage.scheduled_at)),
            )
            .join(Candidate, col(Candidate.id) == col(InterviewLoop.candidate_id))
            .join(Opening, col(Opening.id) == col(Candidate.opening_id))
            .outerjoin(Stage, col(Stage.loop_id) == col(InterviewLoop.id))
            .outerjoin(scorecard_status,
                       (scorecard_status.c.stage_id == col(Stage.id)) & (scorecard_status.c.status == "submitted"))
            .group_by(col(InterviewLoop.id), col(InterviewLoop.name), col(Candidate.name), col(Opening.title))
            .order_by(col(InterviewLoop.created_at).desc(), col(InterviewLoop.id).desc())
        )
        if candidate_id is not None:
            q = q.where(col(InterviewLoop.candidate_id) == candidate_id)
        if visible is not None:
            q = q.where(col(InterviewLoop.candidate_id).in_(sorted(visible)))
        rows = s.execute(q).all()
        screens = _screens_done(s, [int(r[0]) for r in rows])
    return [LoopSummary(int(i), n, c, o, int(st), int(sub) + screens.get(int(i), 0), first)
            for i, n, c, o, st, sub, first in rows]


def _screens_done(s: Session, loop_ids: list[int]) -> dict[int, int]:
    """Loop id -> how many of its screen stages have an answer to every checklist item."""
    done: dict[int, int] = defaultdict(int)
    if not loop_ids:
        return done
    for loop_id, checklist, answered in s.execute(
        select(col(Stage.loop_id), col(Stage.checklist), screen_progress.c.answered)
        .join(screen_progress, screen_progress.c.stage_id == col(Stage.id))
        .where(col(Stage.loop_id).in_(loop_ids))
    ):
        if checklist and int(answered or 0) >= len(checklist):
            done[int(loop_id)] += 1
    return done


def loop_coverage(db: Database, loop_id: int, *, by: Actor) -> LoopCoverage:
    """What the loop's plan assesses of its opening's requirements (primary links), what its screen checks,
    what its questions only touch (related, not counted), the must-haves left unassessed; per stage, gaps,
    repeats, overruns."""
    detail = loop_detail(db, loop_id, by=by)
    with db.session() as s:
        jd_ids = list(s.scalars(select(col(OpeningJD.jd_id)).where(col(OpeningJD.opening_id) == detail.opening_id)))
        reqs = s.scalars(
            select(Requirement)
            .where(col(Requirement.jd_id).in_(jd_ids), col(Requirement.retired_at).is_(None))
            .order_by(col(Requirement.jd_id), col(Requirement.position))
        ).all()
        version_ids = [q.version_id for st in detail.stages for q in st.questions]
        primary: dict[int, list[str]] = defaultdict(list)
        related: dict[int, list[str]] = defaultdict(list)
        if version_ids:
            for vid, rid, is_primary in s.execute(
                select(col(QuestionRequirement.question_version_id), col(QuestionRequirement.requirement_id),
                       col(QuestionRequirement.is_primary))
                .where(col(QuestionRequirement.question_version_id).in_(version_ids))
            ):
                (primary if is_primary else related)[vid].append(rid)
        must = bank_queries.must_haves(s, reqs)
    planned = [
        PlannedStage(
            st.id,
            st.name,
            st.minutes,
            [(q.question_id, q.minutes) for q in st.questions],
            {q.question_id: primary[q.version_id] for q in st.questions},
        )
        for st in detail.stages
    ]
    result = compute_loop_coverage(planned, [r.id for r in reqs])
    wanted = {r.id for r in reqs}
    screened = _stages_by_requirement((st.id, st.checklist) for st in detail.stages if st.is_screen)
    touched = _stages_by_requirement((st.id, [r for q in st.questions for r in related[q.version_id]])
                                     for st in detail.stages)
    return LoopCoverage(
        result,
        {r.id: r.text for r in reqs},
        {st.id: st.name for st in detail.stages},
        {q.question_id: q.title for st in detail.stages for q in st.questions},
        screened={r: ids for r, ids in screened.items() if r in wanted},
        related={r: ids for r, ids in touched.items() if r in wanted and r not in result.stages_of},
        must_haves_unassessed=tuple(r for r in result.unassessed if r in must and r not in screened),
        must_have=must,
    )


def _stages_by_requirement(stages: Iterable[tuple[int, Iterable[str]]]) -> dict[str, tuple[int, ...]]:
    """Requirement id -> the stages (in the order given, each once) that name it."""
    out: dict[str, list[int]] = {}
    for stage_id, requirement_ids in stages:
        for r in requirement_ids:
            ids = out.setdefault(r, [])
            if stage_id not in ids:
                ids.append(stage_id)
    return {r: tuple(ids) for r, ids in out.items()}


def _screen_status(answered: int, items: int, finished: bool) -> str:
    """A screen stage's state in words: 'finished' once its interviewer finished it (stage.finished_at),
    'to finish' when every item has an answer but it is not finished yet, else 'in progress' or 'not started'."""
    if finished:
        return "finished"
    if answered <= 0:
        return "not started"
    return "to finish" if answered >= items else "in progress"


def my_interviews(db: Database, person_id: int, *, now: datetime | None = None) -> list[MyStage]:
    """An interviewer's own stages (``person_id`` is the acting person): today first, then upcoming, then
    unscheduled, then past. Nobody signed in, or an inactive person: none."""
    now = (now or datetime.now(UTC)).astimezone()
    with db.session() as s:
        if not policy.who(s, person_id).signed_in:
            return []
        own_loops = select(col(Stage.loop_id)).where(col(Stage.interviewer_id) == person_id)
        counts = dict(  # the person's loops only: counting every loop's stages read the whole table
            s.execute(
                select(col(Stage.loop_id), func.count(col(Stage.id)))
                .where(col(Stage.loop_id).in_(own_loops))
                .group_by(col(Stage.loop_id))
            ).all()
        )
        rows = s.execute(
            select(Stage, col(Candidate.name), col(Opening.title), col(Scorecard.id), col(Scorecard.status),
                   screen_progress.c.answered)
            .join(InterviewLoop, col(InterviewLoop.id) == col(Stage.loop_id))
            .join(Candidate, col(Candidate.id) == col(InterviewLoop.candidate_id))
            .join(Opening, col(Opening.id) == col(Candidate.opening_id))
            .outerjoin(Scorecard, col(Scorecard.stage_id) == col(Stage.id))
            .outerjoin(screen_progress, screen_progress.c.stage_id == col(Stage.id))
            .where(col(Stage.interviewer_id) == person_id)
        ).all()
    out = []
    for st, cand, opening_title, card_id, status, answered in rows:
        if st.kind == "screen":
            label = _screen_status(int(answered or 0), len(st.checklist), st.finished_at is not None)
        else:
            label = {"draft": "in progress", "submitted": "submitted"}.get(status or "", "not started")
        out.append(
            MyStage(id_of(st), st.loop_id, cand, opening_title, st.name, st.position, int(counts.get(st.loop_id, 0)),
                    st.scheduled_at, st.minutes, label, card_id, st.kind)
        )
    today = now.date()

    def key(m: MyStage) -> tuple[int, float]:
        when = m.scheduled_at.astimezone() if m.scheduled_at is not None else None
        finished = m.status in ("submitted", "finished")
        if when is None:
            return (3 if not finished else 5, 0.0)
        if when.date() == today:
            return (0 if not finished else 1, when.timestamp())
        if when > now:
            return (2, when.timestamp())
        return (4 if not finished else 5, -when.timestamp())

    return sorted(out, key=key)
