"""Plain values that describe a question bank as read from its files.

These are immutable and carry no database or Qt state; the loader builds them and services hand them on.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from interviewkit.domain.evidence import Rule
from interviewkit.inputs import one_line

if TYPE_CHECKING:  # types only: reading job descriptions (pdf, docx) is for the commands that import them
    from interviewkit.bank.jd import JDRequirement, ParsedJD

__all__ = [
    "EXAMPLE_KINDS",
    "KINDS",
    "MAX_COMPETENCY_ID",
    "MAX_ID",
    "MAX_LABEL",
    "MAX_NAME",
    "MAX_PATH",
    "MAX_PRIMARY_REQUIREMENTS",
    "MAX_TITLE",
    "SCOPE_COMPETENCIES",
    "SCOPE_LEVELS",
    "STAGE_KINDS",
    "Bank",
    "BankSettings",
    "Competency",
    "LoopStageTemplate",
    "LoopTemplate",
    "Problem",
    "Question",
    "RatingScale",
    "heads_of_variants",
    "variant_heads",
]

KINDS = ("behavioural", "technical", "system-design", "situational", "work-sample")
# The second edition of the format (docs/bank-format.md): a question is built to produce evidence for 1 to
# 3 requirements; these kinds show example answers for the second level and the top one; a question for
# these levels on these competencies says what scope each level shows.
MAX_PRIMARY_REQUIREMENTS = 3
EXAMPLE_KINDS = ("technical", "system-design", "work-sample")
SCOPE_LEVELS = ("manager", "senior-manager")
SCOPE_COMPETENCIES = ("people-leadership", "hiring-team-building", "delivery-management", "technical-strategy")
STAGE_KINDS = ("interview", "screen")

# The longest texts a bank may hold where the database keeps them in columns of a set length (PostgreSQL
# refuses longer ones; tests/bank/test_limits.py checks these against the storage models). The loader
# reports a longer one as a problem of its file.
MAX_ID = 120  # question and loop-template ids
MAX_COMPETENCY_ID = 80
MAX_TITLE = 300  # a question's title, a loop template's name
MAX_PARTIAL = 600  # a loop template's reason for leaving must-haves unassessed
MAX_NAME = 200  # a competency's name
MAX_LABEL = 40  # a level of bank.yaml, a recommendation
MAX_PATH = 500  # a file's path inside the bank


@dataclass(frozen=True)
class RatingScale:
    """The rating scale: whole numbers from ``min`` to ``max``, each with a short label."""

    min: int = 1
    max: int = 4
    labels: tuple[tuple[int, str], ...] = (
        (1, "No evidence"),
        (2, "Some evidence, gaps"),
        (3, "Clear evidence"),
        (4, "Strong, exemplary evidence"),
    )

    @property
    def levels(self) -> tuple[int, ...]:
        return tuple(range(self.min, self.max + 1))

    def label(self, level: int) -> str:
        return dict(self.labels).get(level, str(level))


@dataclass(frozen=True)
class BankSettings:
    """What ``bank.yaml`` says: the bank's name and version, scale, recommendations and levels."""

    name: str = "Question bank"
    version: str = "1"
    scale: RatingScale = field(default_factory=RatingScale)
    recommendations: tuple[str, ...] = ("Strong no", "No", "Yes", "Strong yes")
    levels: tuple[str, ...] = ()


@dataclass(frozen=True)
class Competency:
    """One competency of the framework."""

    id: str
    name: str
    description: str
    strong_evidence: str
    position: int = 0


@dataclass(frozen=True)
class Question:
    """One question file, validated.

    ``requirements`` are the PRIMARY links (the question is built to produce evidence for each);
    ``related_requirements`` are those an answer may touch, never counted as assessed. ``evidence`` is
    the checklist (item 1 first), ``thresholds`` the rule of each level above the lowest, ``examples``
    what an answer sounds like at a level. A first-edition file has none of these (it loads with a
    warning until it is converted).
    """

    id: str
    title: str
    competencies: tuple[str, ...]
    requirements: tuple[str, ...]
    kind: str
    level: str
    minutes: int
    follow_ups: tuple[str, ...]
    rubric: tuple[tuple[int, str], ...]
    red_flags: tuple[str, ...]
    prompt: str
    path: str  # relative to the bank root, with forward slashes
    related_requirements: tuple[str, ...] = ()
    evidence: tuple[str, ...] = ()
    thresholds: tuple[tuple[int, Rule], ...] = ()  # level -> rule, by level
    examples: tuple[tuple[int, str], ...] = ()  # level -> example answer, by level
    scope: str = ""
    variant_of: str | None = None

    def anchor(self, level: int) -> str:
        return dict(self.rubric).get(level, "")

    def rule(self, level: int) -> Rule | None:
        """The threshold rule of ``level``, if it has one."""
        return dict(self.thresholds).get(level)

    def example(self, level: int) -> str:
        return dict(self.examples).get(level, "")

    def content(self) -> dict[str, object]:
        """The content that makes a version: everything but where the file lives.

        The second edition's keys are there only when the file has them, so that a first-edition
        question's content (and so its version) stays what it was.
        """
        content: dict[str, object] = {
            "id": self.id,
            "title": self.title,
            "competencies": list(self.competencies),
            "requirements": list(self.requirements),
            "kind": self.kind,
            "level": self.level,
            "minutes": self.minutes,
            "follow_ups": list(self.follow_ups),
            "rubric": {str(k): v for k, v in self.rubric},
            "red_flags": list(self.red_flags),
            "prompt": self.prompt,
        }
        extra: dict[str, object] = {
            "related_requirements": list(self.related_requirements),
            "evidence": list(self.evidence),
            "thresholds": {str(k): r.text for k, r in self.thresholds},
            "examples": {str(k): v for k, v in self.examples},
            "scope": self.scope,
            "variant_of": self.variant_of,
        }
        content.update({k: v for k, v in extra.items() if v})
        return content


@dataclass(frozen=True)
class LoopStageTemplate:
    """One stage of a loop template: an interview with focus competencies and planned questions, or a
    recruiter's screen (``kind`` "screen") with a checklist of screen-only requirements and no questions."""

    name: str
    minutes: int
    focus: tuple[str, ...]
    questions: tuple[str, ...]
    kind: str = "interview"
    checklist: tuple[str, ...] = ()  # requirement ids from screening.yaml (a screen stage only)


@dataclass(frozen=True)
class LoopTemplate:
    """An interview loop template: ordered stages with their question plans."""

    id: str
    name: str
    job_descriptions: tuple[str, ...]
    stages: tuple[LoopStageTemplate, ...]
    path: str
    description: str = ""
    # Why this loop leaves must-haves unassessed on purpose (a compact loop); "" for a loop meant to assess
    # every must-have, where a gap is a warning of ``bank check``.
    partial: str = ""

    def content(self) -> dict[str, object]:
        content: dict[str, object] = {
            "id": self.id,
            "name": self.name,
            "description": self.description,
            "job_descriptions": list(self.job_descriptions),
            "stages": [_stage_content(s) for s in self.stages],
        }
        if self.partial:  # (a loop without it keeps the content, and the hash, it had)
            content["partial"] = self.partial
        return content


def _stage_content(stage: LoopStageTemplate) -> dict[str, object]:
    """A stage as stored; a screen stage adds its kind and checklist (an interview stage stays as it was)."""
    content: dict[str, object] = {
        "name": stage.name,
        "minutes": stage.minutes,
        "focus": list(stage.focus),
        "questions": list(stage.questions),
    }
    if stage.kind != "interview":
        content["kind"] = stage.kind
        content["checklist"] = list(stage.checklist)
    return content


@dataclass(frozen=True, order=True)
class Problem:
    """Something wrong in a bank file, with where it is."""

    path: str
    line: int
    field: str
    message: str
    severity: str = "error"  # "error" or "warning"

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        what = f"{self.field}: " if self.field else ""
        return one_line(f"{where}: {self.severity}: {what}{self.message}")


@dataclass
class Bank:
    """A whole bank: what loaded, and every problem found on the way."""

    root: Path
    settings: BankSettings
    competencies: list[Competency]
    job_descriptions: list[ParsedJD]
    questions: list[Question]
    loops: list[LoopTemplate]
    problems: list[Problem]
    # Question files that exist but could not be loaded (relative paths): a sync keeps their
    # questions as they were instead of retiring them.
    unloaded: list[str] = field(default_factory=list)
    # sha256 of each question file's bytes as read, by relative path (a sync remembers them).
    file_hashes: dict[str, str] = field(default_factory=dict)
    # Requirements a recruiter's screen checks (screening.yaml): requirement id -> what to ask.
    screening: dict[str, str] = field(default_factory=dict)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]

    def requirements(self) -> dict[str, JDRequirement]:
        return {r.id: r for jd in self.job_descriptions for r in jd.requirements}

    def question(self, qid: str) -> Question | None:
        return next((q for q in self.questions if q.id == qid), None)


def variant_heads(questions: Iterable[Question]) -> dict[str, str]:
    """Each question's variant group, named by its head: follow ``variant_of`` to a question without one.

    A question without ``variant_of`` heads its own group. Where the chain is broken (``variant_of``
    names no question of ``questions``) the last question reached is the head; where it loops, the
    smallest id of the loop is. The loader reports both as errors; this only keeps every question in
    exactly one group.
    """
    return heads_of_variants({q.id: q.variant_of for q in questions})


def heads_of_variants(parent: Mapping[str, str | None]) -> dict[str, str]:
    """:func:`variant_heads` from each question id's ``variant_of`` (None: heads its own group), as the
    database keeps them."""
    heads: dict[str, str] = {}
    for qid in parent:
        path: list[str] = []
        on_path: set[str] = set()
        at = qid
        while at not in heads:
            up = parent.get(at)
            if up is None or up not in parent:
                heads[at] = at
                break
            if at in on_path:
                cycle = path[path.index(at) :]
                for member in cycle:
                    heads[member] = min(cycle)
                break
            path.append(at)
            on_path.add(at)
            at = up
        for member in path:
            heads.setdefault(member, heads[at])
    return heads
