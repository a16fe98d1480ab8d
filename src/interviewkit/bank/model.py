"""Plain values that describe a question bank as read from its files.

These are immutable and carry no database or Qt state; the loader builds them and services hand them on.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from interviewkit.bank.jd import JDRequirement, ParsedJD
from interviewkit.inputs import one_line

__all__ = [
    "KINDS",
    "MAX_COMPETENCY_ID",
    "MAX_ID",
    "MAX_LABEL",
    "MAX_NAME",
    "MAX_PATH",
    "MAX_TITLE",
    "Bank",
    "BankSettings",
    "Competency",
    "LoopStageTemplate",
    "LoopTemplate",
    "Problem",
    "Question",
    "RatingScale",
]

KINDS = ("behavioural", "technical", "system-design", "situational", "work-sample")

# The longest texts a bank may hold where the database keeps them in columns of a set length (PostgreSQL
# refuses longer ones; tests/bank/test_limits.py checks these against the storage models). The loader
# reports a longer one as a problem of its file.
MAX_ID = 120  # question and loop-template ids
MAX_COMPETENCY_ID = 80
MAX_TITLE = 300  # a question's title, a loop template's name
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
    """One question file, validated."""

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

    def anchor(self, level: int) -> str:
        return dict(self.rubric).get(level, "")

    def content(self) -> dict[str, object]:
        """The content that makes a version: everything but where the file lives."""
        return {
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


@dataclass(frozen=True)
class LoopStageTemplate:
    """One stage of a loop template."""

    name: str
    minutes: int
    focus: tuple[str, ...]
    questions: tuple[str, ...]


@dataclass(frozen=True)
class LoopTemplate:
    """An interview loop template: ordered stages with their question plans."""

    id: str
    name: str
    job_descriptions: tuple[str, ...]
    stages: tuple[LoopStageTemplate, ...]
    path: str
    description: str = ""

    def content(self) -> dict[str, object]:
        return {
            "id": self.id,
            "name": self.name,
            "description": self.description,
            "job_descriptions": list(self.job_descriptions),
            "stages": [
                {
                    "name": s.name,
                    "minutes": s.minutes,
                    "focus": list(s.focus),
                    "questions": list(s.questions),
                }
                for s in self.stages
            ],
        }


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
