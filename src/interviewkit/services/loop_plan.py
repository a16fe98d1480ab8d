"""A loop's plan read for its planner: what to fix (stages that overrun, questions planned twice), where each
question and requirement is planned, and the loop's figures at a glance.

Plain values computed from :func:`~interviewkit.services.loops.loop_detail` and
:func:`~interviewkit.services.loops.loop_coverage`, so that the Loops screen only puts them into words.
Nothing here reads or writes the database.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from interviewkit.services.loops import LoopCoverage, LoopDetail, StageDetail

__all__ = [
    "LoopFigures",
    "Overrun",
    "Repeat",
    "loop_figures",
    "overruns",
    "planned_elsewhere",
    "repeats",
    "requirement_stages",
    "stage_label",
]


def stage_label(stage: StageDetail) -> str:
    """'2. ML system design': how a stage is named wherever several are listed."""
    return f"{stage.position}. {stage.name}"


@dataclass(frozen=True)
class Overrun:
    """A stage whose plan takes longer than the stage."""

    stage_id: int
    label: str
    planned: int
    minutes: int

    @property
    def over(self) -> int:
        return self.planned - self.minutes


@dataclass(frozen=True)
class Repeat:
    """A question planned in more than one stage; ``stage_ids`` and ``labels`` in stage order."""

    question_id: str
    title: str
    stage_ids: tuple[int, ...]
    labels: tuple[str, ...]

    @property
    def first_stage_id(self) -> int:
        """The stage to show for it: the first one that plans it."""
        return self.stage_ids[0]


@dataclass(frozen=True)
class LoopFigures:
    """A loop at a glance: its length, how many scorecards are submitted, when it starts."""

    stages: int
    minutes: int
    submitted: int
    first_at: datetime | None


def overruns(coverage: LoopCoverage, detail: LoopDetail) -> list[Overrun]:
    """The stages that do not fit their length, in stage order."""
    over = coverage.result.overrun
    return [Overrun(st.id, stage_label(st), over[st.id], st.minutes) for st in detail.stages if st.id in over]


def repeats(coverage: LoopCoverage, detail: LoopDetail) -> list[Repeat]:
    """The questions planned twice or more, ordered by the first stage that plans each."""
    order = {st.id: st.position for st in detail.stages}
    labels = {st.id: stage_label(st) for st in detail.stages}
    found: list[Repeat] = []
    for qid, stage_ids in coverage.result.repeated.items():
        known = sorted({s for s in stage_ids if s in order}, key=order.__getitem__)
        if known:
            title = coverage.question_titles.get(qid, qid)
            found.append(Repeat(qid, title, tuple(known), tuple(labels[s] for s in known)))
    return sorted(found, key=lambda r: order[r.first_stage_id])


def requirement_stages(coverage: LoopCoverage, detail: LoopDetail, requirement_id: str) -> list[str]:
    """The labels of the stages that assess a requirement, in stage order."""
    stage_ids = set(coverage.result.stages_of.get(requirement_id, ()))
    return [stage_label(st) for st in detail.stages if st.id in stage_ids]


def planned_elsewhere(detail: LoopDetail, stage_id: int) -> dict[str, list[str]]:
    """Question id -> the labels of the other stages of the loop that plan it."""
    where: dict[str, list[str]] = {}
    for st in detail.stages:
        if st.id != stage_id:
            for q in st.questions:
                where.setdefault(q.question_id, []).append(stage_label(st))
    return where


def loop_figures(detail: LoopDetail) -> LoopFigures:
    return LoopFigures(
        stages=len(detail.stages),
        minutes=sum(st.minutes for st in detail.stages),
        submitted=sum(1 for st in detail.stages if st.scorecard_status == "submitted"),
        first_at=min((st.scheduled_at for st in detail.stages if st.scheduled_at is not None), default=None),
    )
