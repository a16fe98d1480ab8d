"""Bank-wide checks: requirement coverage, loop-template coverage, near-duplicate questions.

These read a loaded :class:`~interviewkit.bank.model.Bank` and return plain values; ``bank check`` turns
them into problems.
"""

from __future__ import annotations

from dataclasses import dataclass

from interviewkit.bank.model import Bank, LoopTemplate, Problem, Question
from interviewkit.domain.similarity import similar_pairs

__all__ = [
    "MIN_QUESTIONS_PER_REQUIREMENT",
    "NEAR_DUPLICATE_THRESHOLD",
    "LoopCoverage",
    "RequirementCoverage",
    "check_bank",
    "loop_coverage",
    "near_duplicates",
    "requirement_coverage",
]

MIN_QUESTIONS_PER_REQUIREMENT = 2
# Cosine similarity of TF-IDF vectors (unigrams + bigrams) of title and prompt. Measured on the shipped
# bank (95 questions, 3,602 pairs): median 0.014, 99th percentile 0.094, maximum 0.221. Copies of four
# prompts with a few words changed scored 0.83-0.95; the same prompts paraphrased sentence by sentence
# 0.03-0.32. Nothing fell between 0.33 and 0.83, so 0.5 flags copy-and-edit duplicates with a wide margin
# on both sides and never flags distinct questions on one topic. Duplicates in substance (same intent,
# new words) score like unrelated questions: they need a reviewer, which this check does not replace.
NEAR_DUPLICATE_THRESHOLD = 0.5


@dataclass(frozen=True)
class RequirementCoverage:
    """One requirement and the questions that assess it."""

    id: str
    document: str
    section: str
    text: str
    questions: tuple[str, ...]

    @property
    def count(self) -> int:
        return len(self.questions)


@dataclass(frozen=True)
class LoopCoverage:
    """What a loop template assesses of the requirements of its job descriptions."""

    loop: LoopTemplate
    covered: dict[str, tuple[str, ...]]  # requirement id -> stage names
    uncovered: tuple[str, ...]

    @property
    def total(self) -> int:
        return len(self.covered) + len(self.uncovered)


def requirement_coverage(bank: Bank, jd_ids: list[str] | None = None) -> list[RequirementCoverage]:
    """Every requirement of the bank's job descriptions (or of ``jd_ids``) with its questions."""
    by_req: dict[str, list[str]] = {}
    for q in bank.questions:
        for r in q.requirements:
            by_req.setdefault(r, []).append(q.id)
    out = []
    for jd in bank.job_descriptions:
        if jd_ids and jd.id not in jd_ids:
            continue
        for req in jd.requirements:
            out.append(
                RequirementCoverage(req.id, jd.id, req.section, req.text, tuple(sorted(by_req.get(req.id, []))))
            )
    return out


def loop_coverage(bank: Bank, loop: LoopTemplate) -> LoopCoverage:
    """Which requirements of the loop's job descriptions its planned questions assess."""
    questions: dict[str, Question] = {q.id: q for q in bank.questions}
    stages_of: dict[str, list[str]] = {}
    for stage in loop.stages:
        for qid in stage.questions:
            q = questions.get(qid)
            for r in q.requirements if q else ():
                stages_of.setdefault(r, [])
                if stage.name not in stages_of[r]:
                    stages_of[r].append(stage.name)
    wanted = [
        r.id
        for jd in bank.job_descriptions
        if not loop.job_descriptions or jd.id in loop.job_descriptions
        for r in jd.requirements
    ]
    covered = {r: tuple(stages_of[r]) for r in wanted if r in stages_of}
    uncovered = tuple(r for r in wanted if r not in stages_of)
    return LoopCoverage(loop, covered, uncovered)


def near_duplicates(
    bank: Bank, threshold: float = NEAR_DUPLICATE_THRESHOLD
) -> list[tuple[Question, Question, float]]:
    """Pairs of questions whose title and prompt are nearly the same."""
    qs = bank.questions
    pairs = similar_pairs([f"{q.title}\n{q.prompt}" for q in qs], threshold)
    return [(qs[i], qs[j], s) for i, j, s in pairs]


def check_bank(bank: Bank, *, near_duplicate_threshold: float = NEAR_DUPLICATE_THRESHOLD) -> list[Problem]:
    """Problems found by the bank-wide checks (the loader's own problems are in ``bank.problems``)."""
    problems: list[Problem] = []
    jd_paths = {jd.id: f"job_descriptions/{jd.source_name or jd.id}" for jd in bank.job_descriptions}
    for cov in requirement_coverage(bank):
        if cov.count < MIN_QUESTIONS_PER_REQUIREMENT:
            have = ", ".join(cov.questions) if cov.questions else "none"
            problems.append(
                Problem(
                    jd_paths.get(cov.document, cov.document),
                    0,
                    cov.id,
                    f"covered by {cov.count} question(s) ({have}); at least "
                    f"{MIN_QUESTIONS_PER_REQUIREMENT} are needed: \"{cov.text}\"",
                )
            )
    for a, b, score in near_duplicates(bank, near_duplicate_threshold):
        problems.append(
            Problem(
                b.path,
                0,
                "prompt",
                f"nearly the same as '{a.id}' ({a.path}), similarity {score:.2f}",
                "warning",
            )
        )
    for loop in bank.loops:
        lc = loop_coverage(bank, loop)
        if lc.uncovered:
            problems.append(
                Problem(
                    loop.path,
                    0,
                    "stages",
                    f"assesses {len(lc.covered)} of {lc.total} requirements; not assessed: "
                    + ", ".join(lc.uncovered),
                    "warning",
                )
            )
    return problems
