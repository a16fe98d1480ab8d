"""Rules of a live interview: pacing, submission requirements and loop coverage. Pure Python."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

__all__ = [
    "AMBER",
    "OK",
    "RED",
    "LoopCoverageResult",
    "Pacing",
    "PlannedStage",
    "RatingInput",
    "compute_loop_coverage",
    "pacing",
    "question_state",
    "submission_problems",
]

OK, AMBER, RED = "ok", "amber", "red"
RED_AFTER = 1.25  # a question turns red at 125 % of its budget (an 8-minute question at 10 minutes)


def question_state(seconds: float, budget_minutes: int) -> str:
    """ok while within budget, amber past it, red past 125 % of it."""
    budget = max(budget_minutes, 1) * 60
    if seconds <= budget:
        return OK
    return AMBER if seconds <= budget * RED_AFTER else RED


def _minutes_text(seconds: float) -> str:
    minutes = round(seconds / 60)
    return "1 minute" if minutes == 1 else f"{minutes} minutes"


@dataclass(frozen=True)
class Pacing:
    """Where the interview stands in time, in words the interviewer can read at a glance."""

    elapsed: float
    remaining: float
    question_state: str
    hint: str


def pacing(
    *,
    stage_minutes: int,
    elapsed_seconds: float,
    question_seconds: float,
    question_budget_minutes: int,
    budgets_after_current: Sequence[int],
) -> Pacing:
    """The pacing hint: "2 questions left, 12 minutes", and whether the plan still fits."""
    total = stage_minutes * 60
    remaining = total - elapsed_seconds
    state = question_state(question_seconds, question_budget_minutes)
    left = len(budgets_after_current)
    if remaining <= 0:
        hint = f"Time is up ({_minutes_text(-remaining)} over)" if remaining < -30 else "Time is up"
    elif left == 0:
        hint = f"Last question, {_minutes_text(remaining)} left"
    else:
        needed = sum(budgets_after_current) * 60 + max(question_budget_minutes * 60 - question_seconds, 0)
        noun = "question" if left == 1 else "questions"
        hint = f"{left} {noun} left, {_minutes_text(remaining)}"
        if needed > remaining + 30:
            hint += f": about {_minutes_text(needed - remaining)} short, consider skipping one"
    return Pacing(elapsed_seconds, remaining, state, hint)


@dataclass(frozen=True)
class RatingInput:
    """What the interviewer entered for one competency."""

    score: int | None = None
    not_assessed: bool = False
    reason: str = ""


def submission_problems(
    *,
    focus: Sequence[str],
    competency_names: Mapping[str, str],
    ratings: Mapping[str, RatingInput],
    scale: Sequence[int],
    recommendation: str | None,
    recommendations: Sequence[str],
    summary: str,
) -> list[str]:
    """Everything that stops a scorecard from being submitted; empty when it can be."""
    problems = []
    for cid in focus:
        name = competency_names.get(cid, cid)
        r = ratings.get(cid, RatingInput())
        if r.not_assessed:
            if not r.reason.strip():
                problems.append(f"{name}: say why it was not assessed")
        elif r.score is None:
            problems.append(f"{name}: give a rating or mark it not assessed")
        elif r.score not in scale:
            problems.append(f"{name}: {r.score} is not on the scale {min(scale)}-{max(scale)}")
    if not recommendation:
        problems.append("Choose an overall recommendation")
    elif recommendation not in recommendations:
        problems.append(f"'{recommendation}' is not one of: {', '.join(recommendations)}")
    if not summary.strip():
        problems.append("Write a summary")
    return problems


@dataclass(frozen=True)
class PlannedStage:
    """A stage as the coverage check sees it."""

    id: int
    name: str
    minutes: int
    questions: Sequence[tuple[str, int]]  # (question id, minutes)
    requirements: Mapping[str, Sequence[str]]  # question id -> requirement ids


@dataclass(frozen=True)
class LoopCoverageResult:
    """What a loop assesses of its role's requirements, and what is wrong with its plan."""

    by_stage: dict[int, list[str]]  # stage id -> requirement ids it assesses
    stages_of: dict[str, list[int]]  # requirement id -> stage ids
    unassessed: list[str]
    repeated: dict[str, list[int]]  # question id -> stage ids, where planned more than once
    overrun: dict[int, int]  # stage id -> planned minutes, where more than the stage length
    total: int = 0
    notes: list[str] = field(default_factory=list)

    @property
    def assessed(self) -> int:
        return self.total - len(self.unassessed)


def compute_loop_coverage(stages: Sequence[PlannedStage], requirement_ids: Sequence[str]) -> LoopCoverageResult:
    """Which requirements each stage assesses, which none does, repeats and overruns."""
    by_stage: dict[int, list[str]] = {}
    stages_of: dict[str, list[int]] = {}
    seen: dict[str, list[int]] = {}
    overrun: dict[int, int] = {}
    wanted = set(requirement_ids)
    for st in stages:
        reqs: list[str] = []
        planned = 0
        for qid, minutes in st.questions:
            planned += minutes
            seen.setdefault(qid, []).append(st.id)
            for r in st.requirements.get(qid, ()):
                if r in wanted and r not in reqs:
                    reqs.append(r)
        by_stage[st.id] = reqs
        for r in reqs:
            stages_of.setdefault(r, []).append(st.id)
        if planned > st.minutes:
            overrun[st.id] = planned
    repeated = {q: ids for q, ids in seen.items() if len(ids) > 1}
    unassessed = [r for r in requirement_ids if r not in stages_of]
    return LoopCoverageResult(by_stage, stages_of, unassessed, repeated, overrun, total=len(requirement_ids))
