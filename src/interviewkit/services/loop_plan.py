"""A loop's plan read for its planner: what to fix (stages that overrun, questions planned twice), where each
question and requirement is planned, what the loop covers (requirements assessed by primary links, checked
by the screen, only touched by related questions, must-haves left unassessed), and its figures at a glance.

Plain values computed from :func:`~interviewkit.services.loops.loop_detail` and
:func:`~interviewkit.services.loops.loop_coverage`, so that the Loops screen only puts them into words.
Nothing here reads or writes the database.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from interviewkit.services.loops import LoopCoverage, LoopDetail, StageDetail

__all__ = [
    "CoverageFigures",
    "LoopFigures",
    "Overrun",
    "Repeat",
    "coverage_figures",
    "loop_figures",
    "overruns",
    "planned_elsewhere",
    "related_stages",
    "repeats",
    "requirement_stages",
    "requirement_words",
    "screen_stages",
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
    """The labels of the stages that assess a requirement (a planned question's primary requirement), in
    stage order."""
    stage_ids = set(coverage.result.stages_of.get(requirement_id, ()))
    return [stage_label(st) for st in detail.stages if st.id in stage_ids]


def screen_stages(coverage: LoopCoverage, detail: LoopDetail, requirement_id: str) -> list[str]:
    """The labels of the screen stages whose checklist has a requirement, in stage order."""
    stage_ids = set(coverage.screened.get(requirement_id, ()))
    return [stage_label(st) for st in detail.stages if st.id in stage_ids]


def related_stages(coverage: LoopCoverage, detail: LoopDetail, requirement_id: str) -> list[str]:
    """The labels of the stages whose questions only touch a requirement no question assesses (not counted)."""
    stage_ids = set(coverage.related.get(requirement_id, ()))
    return [stage_label(st) for st in detail.stages if st.id in stage_ids]


def requirement_words(coverage: LoopCoverage, detail: LoopDetail, requirement_id: str) -> str:
    """How the loop covers a requirement, in words: 'assessed in 2. ML system design', 'checked by the screen
    in 1. Recruiter screen', or 'not assessed; touched on in 3. Delivery (not counted)' (and 'must-have')."""
    assessed = requirement_stages(coverage, detail, requirement_id)
    if assessed:
        return "assessed in " + ", ".join(assessed)
    screened = screen_stages(coverage, detail, requirement_id)
    if screened:
        return "checked by the screen in " + ", ".join(screened)
    words = "not assessed" + (" (a must-have)" if requirement_id in coverage.must_have else "")
    touched = related_stages(coverage, detail, requirement_id)
    if touched:
        words += "; touched on in " + ", ".join(touched) + " (not counted)"
    return words


@dataclass(frozen=True)
class CoverageFigures:
    """A loop's coverage in numbers: of ``total`` requirements, ``assessed`` by planned questions (primary
    links), ``screened`` by the screen (and not by a question), ``touched`` only by related questions (not
    counted), and ``must_haves_unassessed``."""

    total: int
    assessed: int
    screened: int
    touched: int
    must_haves_unassessed: int

    @property
    def unassessed(self) -> int:
        return self.total - self.assessed - self.screened

    def sentence(self) -> str:
        """'✓ 30 of 34 requirements assessed · 4 checked by the screen' or '⚠ ... · 2 must-haves unassessed'."""
        if self.total == 0:
            return "The opening has no job description with requirements."
        parts = [f"{self.assessed} of {self.total} requirements assessed"]
        if self.screened:
            parts.append(f"{self.screened} checked by the screen")
        if self.unassessed:
            parts.append(f"{self.unassessed} not assessed")
            if self.touched:
                parts.append(f"{self.touched} of those only touched on (not counted)")
        if self.must_haves_unassessed:
            parts.append(
                f"{self.must_haves_unassessed} must-have{'s' if self.must_haves_unassessed != 1 else ''} unassessed"
            )
        mark = "⚠" if self.must_haves_unassessed else ("✓" if not self.unassessed else "·")
        return f"{mark} " + " · ".join(parts)


def coverage_figures(coverage: LoopCoverage) -> CoverageFigures:
    """The figures of :func:`~interviewkit.services.loops.loop_coverage`."""
    result = coverage.result
    screened = sum(1 for r in coverage.screened if r not in result.stages_of)
    return CoverageFigures(
        total=result.total,
        assessed=result.assessed,
        screened=screened,
        touched=len(coverage.related),
        must_haves_unassessed=len(coverage.must_haves_unassessed),
    )


def planned_elsewhere(detail: LoopDetail, stage_id: int) -> dict[str, list[str]]:
    """Question id -> the labels of the other stages of the loop that plan it."""
    where: dict[str, list[str]] = {}
    for st in detail.stages:
        if st.id != stage_id:
            for q in st.questions:
                where.setdefault(q.question_id, []).append(stage_label(st))
    return where


def loop_figures(detail: LoopDetail) -> LoopFigures:
    """The loop at a glance; a screen stage counts as submitted once every item of its checklist is answered."""
    return LoopFigures(
        stages=len(detail.stages),
        minutes=sum(st.minutes for st in detail.stages),
        submitted=sum(1 for st in detail.stages if st.scorecard_status == "submitted" or st.screen_done),
        first_at=min((st.scheduled_at for st in detail.stages if st.scheduled_at is not None), default=None),
    )
