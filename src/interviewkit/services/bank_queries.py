"""Read-only views of the bank in the database, as plain values for the UI and the CLI.

A question's ``requirements`` are its PRIMARY links (the 1-3 it is built to produce evidence for: counted
as assessed); ``related_requirements`` are those it only touches, listed apart and never counted. A
requirement of screening.yaml is covered by the recruiter's screen instead of by questions.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from sqlalchemy import Select, func, select
from sqlmodel import Session, col

from interviewkit.paths import shipped_bank_dir
from interviewkit.storage import search as fts
from interviewkit.storage.db import Database
from interviewkit.storage.models import (
    Competency,
    JobDescription,
    QuestionCompetency,
    QuestionRequirement,
    QuestionVersion,
    Requirement,
    ScreeningItem,
    id_of,
)
from interviewkit.storage.models import Question as QuestionRow

__all__ = [
    "CompetencyInfo",
    "CoverageRow",
    "JobDescriptionInfo",
    "QuestionDetail",
    "QuestionSummary",
    "RequirementInfo",
    "ScreeningItemInfo",
    "competencies",
    "coverage",
    "has_live_questions",
    "job_descriptions",
    "must_haves",
    "question_detail",
    "question_summaries",
    "requirements_of",
    "screening_items",
    "search_highlight",
    "search_question_ids",
    "search_version_ids",
    "synonyms",
]


@dataclass(frozen=True)
class QuestionSummary:
    """A row of the bank browser."""

    id: str
    version: int
    title: str
    kind: str
    level: str
    minutes: int
    competencies: tuple[str, ...]  # ids, in the question's order
    requirements: tuple[str, ...]  # primary: counted as assessed
    documents: tuple[str, ...]  # job descriptions the requirements (primary and related) come from
    version_id: int = 0  # the current version's row id (what search-as-you-type returns)
    related_requirements: tuple[str, ...] = ()  # touched on, never counted
    variant_of: str | None = None
    has_checklist: bool = False  # second edition: evidence items and thresholds


@dataclass(frozen=True)
class RequirementInfo:
    id: str
    jd_id: str
    section: str
    position: int
    text: str


@dataclass(frozen=True)
class QuestionDetail:
    """Everything the detail pane shows about one version of a question."""

    id: str
    version: int
    version_id: int
    title: str
    kind: str
    level: str
    minutes: int
    prompt: str
    follow_ups: tuple[str, ...]
    rubric: tuple[tuple[int, str], ...]
    red_flags: tuple[str, ...]
    competencies: tuple[tuple[str, str], ...]  # (id, name)
    requirements: tuple[RequirementInfo, ...]  # primary: what the question is built to assess
    source_path: str
    retired: bool
    related_requirements: tuple[RequirementInfo, ...] = ()  # touched on, not counted as assessed
    evidence: tuple[str, ...] = ()  # the checklist, item 1 first (empty on a first-edition version)
    thresholds: tuple[tuple[int, str], ...] = ()  # level -> the rule's text, by level
    examples: tuple[tuple[int, str], ...] = ()  # level -> an example answer, by level
    scope: str = ""
    variant_of: str | None = None


@dataclass(frozen=True)
class CompetencyInfo:
    id: str
    name: str
    description: str
    strong_evidence: str


@dataclass(frozen=True)
class JobDescriptionInfo:
    id: str
    title: str
    origin: str
    source_name: str
    requirement_count: int


@dataclass(frozen=True)
class CoverageRow:
    """A requirement with the live questions that assess it (primary links), those that only touch it
    (related, not counted), whether the recruiter's screen checks it and whether it is a must-have."""

    requirement: RequirementInfo
    questions: tuple[str, ...]
    related_questions: tuple[str, ...] = ()
    screen: bool = False  # a screening.yaml item: checked by the screen
    must_have: bool = True
    screen_ask: str = ""  # what the screen asks, when ``screen``

    @property
    def count(self) -> int:
        """The questions that assess it (primary links only)."""
        return len(self.questions)


@dataclass(frozen=True)
class ScreeningItemInfo:
    """An item of screening.yaml: the requirement, what the recruiter asks, and the requirement's text."""

    requirement_id: str
    ask: str
    text: str
    jd_id: str


def _current_versions() -> Select[QuestionVersion]:
    """The current version of every live question."""
    return (
        select(QuestionVersion)
        .join(
            QuestionRow,
            (col(QuestionRow.id) == col(QuestionVersion.question_id))
            & (col(QuestionRow.current_version) == col(QuestionVersion.version)),
        )
        .where(col(QuestionRow.retired_at).is_(None))
    )


def has_live_questions(db: Database) -> bool:
    """Whether :func:`question_summaries` would list anything: one row asked for, not the whole bank."""
    with db.session() as s:
        return s.scalars(_current_versions().limit(1)).first() is not None


def question_summaries(db: Database) -> list[QuestionSummary]:
    """Every live question, current version, ordered by id."""
    with db.session() as s:
        versions = list(s.scalars(_current_versions().order_by(col(QuestionVersion.question_id))))
        ids = [id_of(v) for v in versions]
        comps: dict[int, list[str]] = defaultdict(list)
        for vid, cid in s.execute(
            select(col(QuestionCompetency.question_version_id), col(QuestionCompetency.competency_id))
            .where(col(QuestionCompetency.question_version_id).in_(ids))
            .order_by(col(QuestionCompetency.question_version_id), col(QuestionCompetency.position))
        ):
            comps[vid].append(cid)
        reqs: dict[int, list[tuple[str, str, bool]]] = defaultdict(list)
        for vid, rid, jd, primary in s.execute(
            select(
                col(QuestionRequirement.question_version_id),
                col(QuestionRequirement.requirement_id),
                col(Requirement.jd_id),
                col(QuestionRequirement.is_primary),
            )
            .join(Requirement, col(Requirement.id) == col(QuestionRequirement.requirement_id))
            .where(col(QuestionRequirement.question_version_id).in_(ids))
            .order_by(col(Requirement.jd_id), col(Requirement.position))
        ):
            reqs[vid].append((rid, jd, bool(primary)))
    return [
        QuestionSummary(
            id=v.question_id,
            version=v.version,
            title=v.title,
            kind=v.kind,
            level=v.level,
            minutes=v.minutes,
            competencies=tuple(comps[vid]),
            requirements=tuple(r for r, _, primary in reqs[vid] if primary),
            documents=tuple(sorted({jd for _, jd, _ in reqs[vid]})),
            version_id=vid,
            related_requirements=tuple(r for r, _, primary in reqs[vid] if not primary),
            variant_of=v.variant_of,
            has_checklist=bool(v.evidence),
        )
        for v, vid in zip(versions, ids)
    ]


def question_detail(db: Database, question_id: str, version: int | None = None) -> QuestionDetail | None:
    """One question at ``version`` (default: current), or None if there is no such question."""
    with db.session() as s:
        q = s.get(QuestionRow, question_id)
        if q is None:
            return None
        v = s.scalars(
            select(QuestionVersion).where(
                col(QuestionVersion.question_id) == question_id,
                col(QuestionVersion.version) == (version or q.current_version),
            )
        ).first()
        if v is None:
            return None
        comps = s.execute(
            select(col(Competency.id), col(Competency.name))
            .join(QuestionCompetency, col(QuestionCompetency.competency_id) == col(Competency.id))
            .where(col(QuestionCompetency.question_version_id) == v.id)
            .order_by(col(QuestionCompetency.position))
        ).all()
        reqs = s.execute(
            select(Requirement, col(QuestionRequirement.is_primary))
            .join(QuestionRequirement, col(QuestionRequirement.requirement_id) == col(Requirement.id))
            .where(col(QuestionRequirement.question_version_id) == v.id)
            .order_by(col(Requirement.jd_id), col(Requirement.position))
        ).all()
    return QuestionDetail(
        id=v.question_id,
        version=v.version,
        version_id=id_of(v),
        title=v.title,
        kind=v.kind,
        level=v.level,
        minutes=v.minutes,
        prompt=v.prompt,
        follow_ups=tuple(v.follow_ups),
        rubric=tuple(sorted((int(k), a) for k, a in v.rubric.items())),
        red_flags=tuple(v.red_flags),
        competencies=tuple((c[0], c[1]) for c in comps),
        requirements=tuple(_info(r) for r, primary in reqs if primary),
        source_path=v.source_path,
        retired=q.retired_at is not None,
        related_requirements=tuple(_info(r) for r, primary in reqs if not primary),
        evidence=tuple(v.evidence),
        thresholds=_by_level(v.thresholds),
        examples=_by_level(v.examples),
        scope=v.scope,
        variant_of=v.variant_of,
    )


def _info(r: Requirement) -> RequirementInfo:
    return RequirementInfo(r.id, r.jd_id, r.section, r.position, r.text)


def _by_level(stored: dict[str, str]) -> tuple[tuple[int, str], ...]:
    """A level -> text mapping as stored (JSON keys are text), by level; keys that are not levels are skipped."""
    return tuple(sorted((int(k), str(t)) for k, t in stored.items() if str(k).lstrip("-").isdigit()))


def _expression(text: str) -> str:
    """The index's query for what was typed: every word as a prefix, or as its stem's (the light stemmer
    of the job-description suggestions: "deploying" finds "deployment")."""
    from interviewkit.bank.suggest import stem  # here: the suggestions' module loads numpy

    return fts.match_query(text, stemmer=stem)


def search_question_ids(db: Database, text: str, *, limit: int | None = None, ranked: bool = False) -> list[str]:
    """Ids of live questions matching ``text`` (every word, as typed or by its stem, as a prefix).

    Unranked (the default, for filtering as you type) reads only the index; ``ranked`` puts the best
    match first: the database's own relevance (SQLite FTS5's bm25, PostgreSQL's ts_rank weighed by each
    word's rarity) with the title weighing most, then the prompt, the competencies, the rubric and probes.
    """
    expression = _expression(text)
    if not expression:
        return []
    with db.session() as s:
        return [qid for qid, _ in fts.search(s, expression, limit=limit, ranked=ranked, boosts=synonyms(text))]


@lru_cache(maxsize=1)
def _synonym_groups() -> tuple[dict[tuple[str, ...], tuple[tuple[str, ...], ...]], int]:
    """The shipped thesaurus (the job-description suggestions'): each word's or phrase's stems -> the
    stems of the others of its group, and the longest phrase. Empty where it cannot be read."""
    from interviewkit.bank.suggest import ThesaurusError, load_thesaurus

    try:
        thesaurus = load_thesaurus(shipped_bank_dir() / "thesaurus.yaml")
    except ThesaurusError:
        return {}, 1
    members: dict[str, list[tuple[str, ...]]] = defaultdict(list)
    for word, term in thesaurus.words.items():
        members[term].append((word,))
    for phrase, term in thesaurus.phrases.items():
        members[term].append(phrase)
    groups = {m: tuple(o for o in group if o != m) for group in members.values() for m in group}
    return groups, thesaurus.longest_phrase


def synonyms(text: str) -> list[tuple[str, ...]]:
    """The thesaurus's synonyms of the words and phrases of ``text`` (as stems): "rollback" gives
    ("rol", "back") and ("revert",). A ranked search counts them, as an index of stems would."""
    from interviewkit.bank.suggest import stem

    groups, longest = _synonym_groups()
    stems = [stem(w) for w in fts.words_of(text)]
    found: list[tuple[str, ...]] = []
    i = 0
    while i < len(stems):
        for n in range(min(longest, len(stems) - i), 0, -1):
            others = groups.get(tuple(stems[i : i + n]))
            if others is not None:
                found.extend(o for o in others if o not in found)
                i += n
                break
        else:
            i += 1
    return found


def search_version_ids(db: Database, text: str) -> set[int] | None:
    """The current question versions matching ``text`` (as :func:`search_question_ids`), as a set of ids.

    The fastest way to filter a list of :class:`QuestionSummary` (by ``version_id``) as the user types.
    None means: match by question id with :func:`search_question_ids` instead (no FTS5 index here).
    """
    expression = _expression(text)
    if not expression:
        return set()
    with db.session() as s:
        return fts.matching_version_ids(s, expression)


def search_highlight(text: str) -> str:
    """A regular expression (to use case-insensitively) for the words a search for ``text`` matched, to
    show them highlighted; empty when there is nothing to highlight."""
    return fts.highlight_pattern(_expression(text))


def competencies(db: Database) -> list[CompetencyInfo]:
    """The live competencies, in framework order."""
    with db.session() as s:
        rows = s.scalars(
            select(Competency).where(col(Competency.retired_at).is_(None)).order_by(col(Competency.position))
        ).all()
    return [CompetencyInfo(c.id, c.name, c.description, c.strong_evidence) for c in rows]


def job_descriptions(db: Database) -> list[JobDescriptionInfo]:
    """The live job descriptions with their number of requirements."""
    with db.session() as s:
        rows = s.execute(
            select(JobDescription, func.count(col(Requirement.id)))
            .outerjoin(
                Requirement,
                (col(Requirement.jd_id) == col(JobDescription.id)) & col(Requirement.retired_at).is_(None),
            )
            .where(col(JobDescription.retired_at).is_(None))
            .group_by(col(JobDescription.id))
            .order_by(col(JobDescription.id))
        ).all()
    return [JobDescriptionInfo(j.id, j.title, j.origin, j.source_name, n) for j, n in rows]


def requirements_of(db: Database, jd_id: str) -> list[RequirementInfo]:
    """The live requirements of one job description, in document order."""
    with db.session() as s:
        rows = s.scalars(
            select(Requirement)
            .where(col(Requirement.jd_id) == jd_id, col(Requirement.retired_at).is_(None))
            .order_by(col(Requirement.position))
        ).all()
    return [RequirementInfo(r.id, r.jd_id, r.section, r.position, r.text) for r in rows]


def coverage(db: Database, jd_id: str | None = None) -> list[CoverageRow]:
    """Requirements (of one job description, or all) with the live questions that assess them (primary
    links), those that only touch them (related), and whether the recruiter's screen checks them."""
    with db.session() as s:
        req_q = select(Requirement).where(col(Requirement.retired_at).is_(None))
        if jd_id:
            req_q = req_q.where(col(Requirement.jd_id) == jd_id)
        reqs = s.scalars(req_q.order_by(col(Requirement.jd_id), col(Requirement.position))).all()
        primary: dict[str, list[str]] = defaultdict(list)
        related: dict[str, list[str]] = defaultdict(list)
        current = _current_versions().subquery()
        for rid, qid, is_primary in s.execute(
            select(col(QuestionRequirement.requirement_id), current.c.question_id, col(QuestionRequirement.is_primary))
            .join(current, current.c.id == col(QuestionRequirement.question_version_id))
            .order_by(current.c.question_id)
        ):
            (primary if is_primary else related)[rid].append(qid)
        asks = _screening_asks(s)
        must = must_haves(s, reqs)
    return [
        CoverageRow(
            _info(r),
            tuple(primary.get(r.id, ())),
            tuple(related.get(r.id, ())),
            screen=r.id in asks,
            must_have=r.id in must,
            screen_ask=asks.get(r.id, ""),
        )
        for r in reqs
    ]


def must_haves(s: Session, reqs: Sequence[Requirement]) -> frozenset[str]:
    """The must-haves among stored requirements (bank.checks.is_must_have): the database keeps no heading
    a requirement stands under, so its kind is read again from its document's stored text; its priority is
    the stored one (revision 0011: as imported and reviewed), else found again from its section and text."""
    from interviewkit.bank.checks import must_have_ids  # the bank's checks load numpy: only where needed
    from interviewkit.bank.jd import JDRequirement

    texts = s.execute(
        select(col(JobDescription.id), col(JobDescription.text)).where(
            col(JobDescription.id).in_({r.jd_id for r in reqs})
        )
    ).all()
    stored = (JDRequirement(r.id, r.section, r.position, r.text, priority=r.priority or "") for r in reqs)
    return must_have_ids(stored, {str(i): str(t) for i, t in texts})


def _screening_asks(s: Session) -> dict[str, str]:
    """The live screening items: requirement id -> what the screen asks."""
    rows = s.execute(
        select(col(ScreeningItem.requirement_id), col(ScreeningItem.ask))
        .where(col(ScreeningItem.retired_at).is_(None))
        .order_by(col(ScreeningItem.position))
    ).all()
    return {str(rid): str(ask) for rid, ask in rows}


def screening_items(db: Database) -> list[ScreeningItemInfo]:
    """screening.yaml's live items, in its order, with their requirements' text."""
    with db.session() as s:
        rows = s.execute(
            select(ScreeningItem, col(Requirement.text), col(Requirement.jd_id))
            .join(Requirement, col(Requirement.id) == col(ScreeningItem.requirement_id))
            .where(col(ScreeningItem.retired_at).is_(None))
            .order_by(col(ScreeningItem.position))
        ).all()
    return [ScreeningItemInfo(item.requirement_id, item.ask, text, jd) for item, text, jd in rows]
