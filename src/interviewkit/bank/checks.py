"""Bank-wide checks: requirement coverage, loop-template coverage, variant groups, near-duplicate questions.

These read a loaded :class:`~interviewkit.bank.model.Bank` and return plain values; ``bank check`` turns
them into problems. Coverage counts a question's PRIMARY requirements (``requirements:``, the 1-3 it is
built to produce evidence for) as assessed; its ``related_requirements`` are listed apart and never count;
a requirement of ``screening.yaml`` is covered by the recruiter's screen, not by questions.

The names below are used by the command line, the services and the screens; keep them stable.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from interviewkit.bank.jd import MUST, QUALIFICATION, JDRequirement, requirement_kinds
from interviewkit.bank.model import Bank, LoopStageTemplate, LoopTemplate, Problem, Question, variant_heads
from interviewkit.domain.similarity import similar_pairs

__all__ = [
    "FREE_MINUTES_PER_STAGE",
    "MAX_QUESTIONS_PER_STAGE",
    "MINUTES_BY_KIND",
    "MIN_QUESTIONS_PER_REQUIREMENT",
    "NEAR_DUPLICATE_THRESHOLD",
    "LoopCoverage",
    "RequirementCoverage",
    "StagePlan",
    "check_bank",
    "is_must_have",
    "loop_coverage",
    "must_have_ids",
    "near_duplicates",
    "requirement_coverage",
    "variant_groups",
]

MIN_QUESTIONS_PER_REQUIREMENT = 2
# Cosine similarity of TF-IDF vectors (unigrams + bigrams) of title and prompt. Measured on the shipped
# bank (95 questions, 3,602 pairs): median 0.014, 99th percentile 0.094, maximum 0.221. Copies of four
# prompts with a few words changed scored 0.83-0.95; the same prompts paraphrased sentence by sentence
# 0.03-0.32. Nothing fell between 0.33 and 0.83, so 0.5 flags copy-and-edit duplicates with a wide margin
# on both sides and never flags distinct questions on one topic. Duplicates in substance (same intent,
# new words) score like unrelated questions: on the 98 questions of the first edition the five
# lifecycle-automation and four incident stories the review of issue 14 found score at most 0.30 (the
# highest pair of the bank). They need a reviewer, who marks them as variants (variant_of).
NEAR_DUPLICATE_THRESHOLD = 0.5
SIMILARITY = "TF-IDF cosine similarity of title and prompt"
# Realistic minutes per question by kind (docs/bank-format.md): enough to reach evidence for the top level.
MINUTES_BY_KIND: dict[str, tuple[int, int]] = {
    "behavioural": (12, 15),
    "situational": (10, 15),
    "technical": (12, 20),
    "system-design": (30, 45),
    "work-sample": (30, 45),
}
# An interview stage keeps this many minutes for introductions and the candidate's questions (a 60-minute
# stage plans at most 50 minutes of questions) and plans at most this many questions.
FREE_MINUTES_PER_STAGE = 10
MAX_QUESTIONS_PER_STAGE = 3

def is_must_have(requirement: JDRequirement) -> bool:
    """Whether a requirement is a must-have: something the candidate must bring, which a loop must assess.

    Two conditions, both as its document says (docs/bank-format.md, "Must-haves"):

    - its ``priority`` is must: not in a nice-to-have/bonus/preferred/plus section, and not a bullet marked
      so as a whole ("... (preferred)", "... is a plus", "Bonus: ..."; :func:`~interviewkit.bank.
      jd_vocabulary.priority_of`);
    - its ``kind`` is a qualification: it stands under a heading that asks something of the candidate
      ("Key Experience Required", "Technical Skills Required", "To excel in this role, you should have") or
      under none that says otherwise; not a responsibility of the job ("Key Responsibilities", "Your
      typical day will involve": what the person will do, which the interviews sample through the
      competencies) nor a metric the job is measured by ("Success Metrics";
      :func:`~interviewkit.bank.jd_vocabulary.kind_of`).
    """
    return requirement.priority == MUST and requirement.kind == QUALIFICATION


def must_have_ids(requirements: Iterable[JDRequirement], documents: Mapping[str, str]) -> frozenset[str]:
    """The must-haves among requirements read back from the database, which keeps a requirement's section
    but not the headings it stands under: each one's kind is read again from its document's stored text
    (``documents``: job-description id -> text), else from its section's name."""
    kinds: dict[str, str] = {}
    for doc_id, text in documents.items():
        kinds.update(requirement_kinds(doc_id, text))
    return frozenset(
        r.id for r in requirements if r.priority == MUST and kinds.get(r.id, r.kind) == QUALIFICATION
    )


@dataclass(frozen=True)
class RequirementCoverage:
    """One requirement and what covers it.

    ``questions`` assess it (their primary requirement), ``related_questions`` only touch it (not counted),
    ``screen`` says the recruiter's screen checks it (screening.yaml). ``count`` is the primary questions.
    """

    id: str
    document: str
    section: str
    text: str
    questions: tuple[str, ...]
    related_questions: tuple[str, ...] = ()
    screen: bool = False
    must_have: bool = True

    @property
    def count(self) -> int:
        return len(self.questions)


@dataclass(frozen=True)
class StagePlan:
    """A stage of a loop template as planned: its questions with their minutes, or a screen's checklist."""

    name: str
    kind: str
    minutes: int
    questions: tuple[tuple[str, int], ...]  # (question id, its minutes), in order
    checklist: tuple[str, ...] = ()

    @property
    def planned(self) -> int:
        """Minutes of questions planned."""
        return sum(m for _, m in self.questions)


@dataclass(frozen=True)
class LoopCoverage:
    """What a loop template assesses of the requirements of its job descriptions.

    ``covered``: requirement -> the stages whose questions assess it (primary links); ``screened``: those a
    screen stage's checklist checks instead; ``uncovered``: all the others, in document order; ``related``:
    the uncovered ones some planned question touches as a related requirement (-> those stages);
    ``must_haves_unassessed``: the uncovered must-haves (:func:`is_must_have`). ``stages``: the minutes per
    question by stage.
    """

    loop: LoopTemplate
    covered: dict[str, tuple[str, ...]]
    uncovered: tuple[str, ...]
    related: dict[str, tuple[str, ...]] = field(default_factory=dict)
    screened: dict[str, tuple[str, ...]] = field(default_factory=dict)
    must_haves_unassessed: tuple[str, ...] = ()
    stages: tuple[StagePlan, ...] = ()

    @property
    def total(self) -> int:
        """The requirements of the loop's job descriptions."""
        return len(self.covered) + len(self.screened) + len(self.uncovered)


def variant_groups(bank: Bank) -> dict[str, str]:
    """Every question's variant group: question id -> the id of the group's head (the question without
    ``variant_of`` its chain leads to; a question that is no one's variant heads its own group)."""
    return variant_heads(bank.questions)


def requirement_coverage(bank: Bank, jd_ids: list[str] | None = None) -> list[RequirementCoverage]:
    """Every requirement of the bank's job descriptions (or of ``jd_ids``), in document order, with the
    questions that assess it (primary), those that only touch it (related) and whether the screen checks it."""
    primary: dict[str, list[str]] = {}
    related: dict[str, list[str]] = {}
    for q in bank.questions:
        for r in dict.fromkeys(q.requirements):
            primary.setdefault(r, []).append(q.id)
        for r in dict.fromkeys(q.related_requirements):
            related.setdefault(r, []).append(q.id)
    out = []
    for jd in bank.job_descriptions:
        if jd_ids and jd.id not in jd_ids:
            continue
        for req in jd.requirements:
            out.append(
                RequirementCoverage(
                    req.id,
                    jd.id,
                    req.section,
                    req.text,
                    tuple(sorted(primary.get(req.id, []))),
                    tuple(sorted(related.get(req.id, []))),
                    req.id in bank.screening,
                    is_must_have(req),
                )
            )
    return out


def loop_coverage(bank: Bank, loop: LoopTemplate) -> LoopCoverage:
    """Which requirements of the loop's job descriptions its planned questions assess (primary links), which
    its screen checks, which it leaves unassessed (and of those, which it only touches and which are
    must-haves), and the minutes per question by stage."""
    questions: dict[str, Question] = {q.id: q for q in bank.questions}
    assessed: dict[str, list[str]] = {}
    touched: dict[str, list[str]] = {}
    screened: dict[str, list[str]] = {}
    for stage in loop.stages:
        for r in stage.checklist:
            _add(screened, r, stage.name)
        for qid in stage.questions:
            q = questions.get(qid)
            for r in q.requirements if q else ():
                _add(assessed, r, stage.name)
            for r in q.related_requirements if q else ():
                _add(touched, r, stage.name)
    wanted = [
        r for jd in bank.job_descriptions if not loop.job_descriptions or jd.id in loop.job_descriptions
        for r in jd.requirements
    ]
    covered = {r.id: tuple(assessed[r.id]) for r in wanted if r.id in assessed}
    screen = {r.id: tuple(screened[r.id]) for r in wanted if r.id in screened and r.id not in assessed}
    uncovered = [r for r in wanted if r.id not in covered and r.id not in screen]
    return LoopCoverage(
        loop,
        covered,
        tuple(r.id for r in uncovered),
        related={r.id: tuple(touched[r.id]) for r in uncovered if r.id in touched},
        screened=screen,
        must_haves_unassessed=tuple(r.id for r in uncovered if is_must_have(r)),
        stages=tuple(_stage_plan(stage, questions) for stage in loop.stages),
    )


def _add(where: dict[str, list[str]], requirement: str, stage: str) -> None:
    names = where.setdefault(requirement, [])
    if stage not in names:
        names.append(stage)


def _stage_plan(stage: LoopStageTemplate, questions: dict[str, Question]) -> StagePlan:
    planned = tuple((qid, questions[qid].minutes if qid in questions else 0) for qid in stage.questions)
    return StagePlan(stage.name, stage.kind, stage.minutes, planned, stage.checklist)


def near_duplicates(
    bank: Bank, threshold: float = NEAR_DUPLICATE_THRESHOLD
) -> list[tuple[Question, Question, float]]:
    """Pairs of questions whose title and prompt are nearly the same (TF-IDF cosine similarity at least
    ``threshold``) and that are NOT marked as variants of one group; most similar first."""
    qs = bank.questions
    heads = variant_heads(qs)
    pairs = similar_pairs([f"{q.title}\n{q.prompt}" for q in qs], threshold)
    return [(qs[i], qs[j], s) for i, j, s in pairs if heads[qs[i].id] != heads[qs[j].id]]


def check_bank(bank: Bank, *, near_duplicate_threshold: float = NEAR_DUPLICATE_THRESHOLD) -> list[Problem]:
    """Problems found by the bank-wide checks (the loader's own problems are in ``bank.problems``): thin
    requirement coverage (an error), unmarked near-duplicates, and per loop template the must-haves it
    leaves unassessed without declaring itself ``partial`` and stages planned too tight or with unrealistic
    minutes (warnings). A loop's coverage report is information, not a problem (:func:`loop_coverage`)."""
    problems = _coverage_problems(bank)
    for a, b, score in near_duplicates(bank, near_duplicate_threshold):
        problems.append(
            Problem(
                b.path,
                0,
                "prompt",
                f"nearly the same as '{a.id}' ({a.path}): {SIMILARITY} {score:.2f}, at or above the threshold "
                f"{near_duplicate_threshold:.2f}; if both ask for the same evidence mark one a variant "
                f"(variant_of: {a.id}) so that a loop plans only one, otherwise make them ask different things",
                "warning",
            )
        )
    kinds = {q.id: q.kind for q in bank.questions}
    for loop in bank.loops:
        problems.extend(_loop_problems(loop_coverage(bank, loop), kinds))
    return problems


def _coverage_problems(bank: Bank) -> list[Problem]:
    """A requirement neither screen-only nor assessed by enough questions (primary links) is an error."""
    problems: list[Problem] = []
    jd_paths = {jd.id: f"job_descriptions/{jd.source_name or jd.id}" for jd in bank.job_descriptions}
    for cov in requirement_coverage(bank):
        if cov.screen or cov.count >= MIN_QUESTIONS_PER_REQUIREMENT:
            continue
        have = ", ".join(cov.questions) if cov.questions else "none"
        also = f"; related in {', '.join(cov.related_questions)} (not counted)" if cov.related_questions else ""
        problems.append(
            Problem(
                jd_paths.get(cov.document, cov.document),
                0,
                cov.id,
                f"covered by {cov.count} question(s) as a primary requirement ({have}); at least "
                f"{MIN_QUESTIONS_PER_REQUIREMENT} are needed, or list it in screening.yaml{also}: \"{cov.text}\"",
            )
        )
    return problems


def _loop_problems(lc: LoopCoverage, kinds: dict[str, str]) -> list[Problem]:
    """Warnings about a loop template: must-haves it leaves unassessed without saying why (``partial:``), a
    ``partial:`` it does not need, and its stages' density. Its coverage itself (requirements assessed,
    minutes per question) is information, which ``bank check`` reports under the loop's heading."""
    loop, out = lc.loop, []
    if lc.must_haves_unassessed and not loop.partial:
        out.append(
            Problem(
                loop.path, 0, "stages",
                f"leaves {len(lc.must_haves_unassessed)} must-have requirement(s) unassessed: "
                + ", ".join(lc.must_haves_unassessed)
                + "; plan questions that assess them, or say why this loop leaves them to another (partial:)",
                "warning",
            )
        )
    elif loop.partial and not lc.must_haves_unassessed:
        out.append(
            Problem(loop.path, 0, "partial", "declared partial, but the loop assesses every must-have: remove "
                    "partial: so that a must-have it drops later is reported", "warning")
        )
    for stage in lc.stages:
        out.extend(_stage_problems(loop, stage, kinds))
    return out


def _stage_problems(loop: LoopTemplate, stage: StagePlan, kinds: dict[str, str]) -> list[Problem]:
    """An interview stage plans 2-3 questions, leaves time free, and gives each question its kind's minutes."""
    if stage.kind != "interview":
        return []
    out: list[Problem] = []

    def warn(message: str) -> None:
        out.append(Problem(loop.path, 0, "stages", f"stage '{stage.name}': {message}", "warning"))

    if len(stage.questions) > MAX_QUESTIONS_PER_STAGE:
        warn(f"plans {len(stage.questions)} questions; at most {MAX_QUESTIONS_PER_STAGE} reach evidence for the "
             "top level in one stage")
    if stage.planned > stage.minutes - FREE_MINUTES_PER_STAGE:
        warn(f"plans {stage.planned} of {stage.minutes} minutes; keep {FREE_MINUTES_PER_STAGE} free for "
             "introductions and the candidate's questions")
    off = []
    for qid, minutes in stage.questions:
        lo, hi = MINUTES_BY_KIND.get(kinds.get(qid, ""), (0, minutes))
        if not lo <= minutes <= hi:
            off.append(f"{qid} ({kinds[qid]}, {minutes}; {lo}-{hi})")
    if off:
        warn("minutes unrealistic for the question's kind (kind, minutes; realistic): " + ", ".join(off))
    return out
