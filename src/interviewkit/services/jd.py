"""Job descriptions: import one into the database and suggest bank questions for its requirements.

A job description is read from Markdown, plain text (any common encoding), a saved web page, a PDF or a Word
file (:mod:`interviewkit.bank.jd_readers`); what is stored is the document's text as read, its title, and
each requirement's id, section, position, text and priority (must or nice; revision 0011). The app's review
table lets people merge, split, delete, retag and move requirements before saving
(:mod:`interviewkit.bank.jd_review`), so the stored requirements are what they saw, not necessarily what the
stored text parses to. Importing a document that is already in the database (same id, or the same text
under another id) is refused unless asked to replace it (:class:`AlreadyImported`).

Suggestions rank the bank's questions on meaning (:mod:`interviewkit.bank.suggest`), learning from the
bank's curated links and screen as stored in the database and from the bank folder's thesaurus.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from sqlalchemy import select
from sqlmodel import Session, col

from interviewkit.bank.jd import MAX_ID, JDError, ParsedJD, jd_from_bytes, read_jd_file, slugify
from interviewkit.bank.jd_readers import MAX_TEXT
from interviewkit.bank.ranker_cache import cached_ranker
from interviewkit.bank.suggest import (
    CompetencyText,
    Match,
    Ranker,
    Ranking,
    Thesaurus,
    load_examples,
    load_thesaurus,
    question_text,
)
from interviewkit.paths import shipped_bank_dir
from interviewkit.services.access import Actor, require_in
from interviewkit.services.bank_queries import (
    RequirementInfo,
    competencies,
    question_summaries,
    requirements_of,
    screening_items,
)
from interviewkit.services.changes import Changes
from interviewkit.storage.db import Database
from interviewkit.storage.models import JobDescription, QuestionVersion, Requirement

__all__ = [
    "AlreadyImported",
    "SavedJD",
    "Suggestion",
    "already_imported",
    "import_jd",
    "ranker_cache_dir",
    "ranker_of",
    "read_pasted_jd",
    "replacement_of",
    "save_jd",
    "save_reviewed_jd",
    "suggest_for_texts",
    "suggest_questions",
    "suggestions_with",
]


@dataclass(frozen=True)
class Suggestion:
    """A requirement and the questions of the bank that fit it, best first, each with its score (0..1) and
    reason; none, and ``reason`` saying so ("no good match in the bank ..."), when nothing fits well enough."""

    requirement: RequirementInfo
    matches: tuple[Match, ...]
    reason: str = ""

    @property
    def questions(self) -> tuple[tuple[str, str, float], ...]:
        """(question id, title, score) of each match."""
        return tuple((m.question_id, m.title, m.score) for m in self.matches)


class AlreadyImported(JDError):
    """The document is in the database already: under its id, or with the same text under another id."""

    def __init__(self, message: str, existing_id: str) -> None:
        super().__init__(message)
        self.existing_id = existing_id


@dataclass(frozen=True)
class SavedJD:
    """What saving a job description did: its id, what changed in words, and the Changes for the screens."""

    id: str
    messages: tuple[str, ...]
    changes: Changes


def import_jd(
    db: Database | None, path: Path, *, doc_id: str | None = None, by: Actor = None
) -> tuple[ParsedJD, list[str]]:
    """Read a job description and, unless ``db`` is None (a dry run), store it.

    The file is read and parsed whole before the database is touched (only a regular file of at most
    5 MB, in a format :mod:`interviewkit.bank.jd_readers` reads, with at most 1,000 requirements), so a file
    that is refused writes nothing.
    Returns the parsed document and what changed. Raises :class:`~interviewkit.bank.jd.JDError`.
    Storing it is for someone who may change the bank (``by``); a dry run needs nobody.
    """
    jd = read_jd_file(path, doc_id=doc_id)
    if db is None:
        return jd, []
    return jd, save_jd(db, jd, by=by)


def read_pasted_jd(text: str, *, doc_id: str | None = None) -> ParsedJD:
    """A job description pasted as text (the app's "Paste" tab), read as a plain-text file would be (the
    same limits; HTML copied from a page is read as a page). Its id, unless given, is made from its title.
    Raises :class:`~interviewkit.bank.jd.JDError`."""
    data = text.encode("utf-8", errors="replace")
    if len(data) > MAX_TEXT:
        most = MAX_TEXT // 2**20
        raise JDError(f"the pasted text is {len(data) / 1e6:.1f} MB; a job description is at most {most} MB")
    try:
        jd = jd_from_bytes(data, "pasted.txt", doc_id=doc_id or "pasted")
        if doc_id is None:
            slug = slugify(jd.title, max_words=6, drop_stopwords=True)[:MAX_ID].strip("-") or "pasted"
            jd = jd_from_bytes(data, "pasted.txt", doc_id=slug)
    except JDError as exc:
        raise JDError(str(exc).replace("pasted.txt: ", "the pasted text: ", 1)) from None
    return replace(jd, source_name="(pasted text)")


def already_imported(db: Database, jd: ParsedJD) -> AlreadyImported | None:
    """Whether ``jd`` is in the database already (a live document with its id, or with its title and text
    under another id): the refusal to raise unless the caller asked to replace it, else None."""
    with db.session() as s:
        return _already_imported(s, jd)


def _already_imported(s: Session, jd: ParsedJD) -> AlreadyImported | None:
    from interviewkit.services.bank_sync import content_hash  # the bank's sync (its loader): only to import

    same_id = s.get(JobDescription, jd.id)
    if same_id is not None and same_id.retired_at is None:
        when = same_id.imported_at.date().isoformat()
        return AlreadyImported(
            f"job description '{jd.id}' is already in the database (imported {when}, {same_id.origin}); "
            "--replace stores this file as its new version",
            jd.id,
        )
    h = content_hash({"title": jd.title, "text": jd.text})
    other = s.scalars(
        select(JobDescription).where(col(JobDescription.content_hash) == h, col(JobDescription.retired_at).is_(None))
    ).first()
    if other is None:
        return None
    return AlreadyImported(
        f"this document is already in the database as '{other.id}' (same title and text); "
        f"--replace stores it as a new version of '{other.id}'",
        other.id,
    )


def replacement_of(db: Database, jd: ParsedJD) -> ParsedJD:
    """``jd`` as the new version of the document it duplicates: under the id of the live document with the
    same title and text when that id is another (its requirements' ids follow), else ``jd`` itself."""
    with db.session() as s:
        return _replacement_of(s, jd)


def _replacement_of(s: Session, jd: ParsedJD) -> ParsedJD:
    found = _already_imported(s, jd)
    if found is None or found.existing_id == jd.id:
        return jd
    doc_id = found.existing_id
    reqs = tuple(replace(r, id=doc_id + r.id[len(jd.id) :]) for r in jd.requirements)
    return replace(jd, id=doc_id, requirements=reqs)


def save_jd(db: Database, jd: ParsedJD, *, by: Actor, replace_existing: bool = True) -> list[str]:
    """Store a job description read by :func:`import_jd` (a dry run); return what changed, in words.
    Only someone who may change the bank: admins, the local operator of an SQLite file.

    With ``replace_existing`` False, a document already in the database (:func:`already_imported`) raises
    :class:`AlreadyImported` and nothing is written; with True it is stored as that document's new version
    (under the existing id when the same text was there under another: :func:`replacement_of`)."""
    with db.transaction() as s:
        require_in(s, by, "manage_bank")
        found = _already_imported(s, jd)
        if found is not None and not replace_existing:
            raise found
        jd = _replacement_of(s, jd) if found is not None else jd
        existing = s.get(JobDescription, jd.id)
        origin = existing.origin if existing is not None else "import"
        before = _live_requirements(s, jd.id)
        from interviewkit.services.bank_sync import store_jd

        messages = store_jd(s, jd, origin=origin)
        if not messages and _live_requirements(s, jd.id) != before:
            messages.append(f"requirements of job description {jd.id} changed")
        return messages


def _live_requirements(s: Session, jd_id: str) -> set[tuple[object, ...]]:
    rows = s.scalars(select(Requirement).where(col(Requirement.jd_id) == jd_id, col(Requirement.retired_at).is_(None)))
    return {(r.id, r.section, r.position, r.text, r.priority) for r in rows}


def save_reviewed_jd(db: Database, jd: ParsedJD, *, by: Actor, replace_existing: bool = False) -> SavedJD:
    """Store a job description as the review table shows it (requirements edited with
    :mod:`interviewkit.bank.jd_review`); see :func:`save_jd`. Returns what changed for the screens."""
    messages = save_jd(db, jd, by=by, replace_existing=replace_existing)
    return SavedJD(jd.id, tuple(messages), Changes(bank=True) if messages else Changes())


# -- suggestions ------------------------------------------------------------------------------------------------


def ranker_cache_dir() -> Path:
    """Where a ranker is kept between runs (:mod:`interviewkit.bank.ranker_cache`): ``INTERVIEWKIT_CACHE_DIR``
    if set, else the user's cache folder."""
    raw = os.environ.get("INTERVIEWKIT_CACHE_DIR", "").strip()
    if raw:
        return Path(raw).expanduser()
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("InterviewKit", appauthor=False))


def ranker_of(db: Database, bank_dir: Path | None = None, *, thesaurus: Thesaurus | None = None) -> Ranker:
    """A ranker that learns from the bank in ``db`` (its live questions, their curated primary and related
    links, the screen's items), the thesaurus and the labelled examples (competency_examples.yaml) of the bank
    folder ``bank_dir`` (the shipped bank's by default). Raises :class:`~interviewkit.bank.suggest.ThesaurusError`
    for a thesaurus or examples file that cannot be used. The ranker is kept in :func:`ranker_cache_dir`
    under a hash of all of these (:func:`~interviewkit.bank.ranker_cache.cached_ranker`): a cold ``jd suggest``
    reads it instead of learning the bank again."""
    if thesaurus is None:
        thesaurus = load_thesaurus((bank_dir or shipped_bank_dir()) / "thesaurus.yaml")
    summaries = question_summaries(db)
    with db.session() as s:
        versions = {
            v.id: v
            for v in s.scalars(
                select(QuestionVersion).where(col(QuestionVersion.id).in_([q.version_id for q in summaries]))
            )
        }
        linked = {r for q in summaries for r in (*q.requirements, *q.related_requirements)}
        texts = dict(
            s.execute(select(col(Requirement.id), col(Requirement.text)).where(col(Requirement.id).in_(linked))).all()
        )
    questions = []
    for q in summaries:
        v = versions[q.version_id]
        questions.append(
            question_text(
                q.id,
                q.title,
                v.prompt,
                follow_ups=v.follow_ups,
                rubric=[v.rubric[k] for k in sorted(v.rubric)],
                evidence=v.evidence,
                competencies=q.competencies,
                requirements=q.requirements,
                related=q.related_requirements,
            )
        )
    comps = [CompetencyText(c.id, c.name, c.description) for c in competencies(db)]
    screen = [f"{item.text} {item.ask}" for item in screening_items(db)]
    examples = load_examples((bank_dir or shipped_bank_dir()) / "competency_examples.yaml")
    return cached_ranker(
        questions, comps, texts, thesaurus, screen=screen, examples=examples, cache_dir=ranker_cache_dir()
    )


def _suggestion(requirement: RequirementInfo, ranking: Ranking) -> Suggestion:
    return Suggestion(requirement, ranking.matches, ranking.reason)


def suggest_questions(
    db: Database, jd_id: str, *, per_requirement: int = 3, bank_dir: Path | None = None
) -> list[Suggestion]:
    """For each live requirement of ``jd_id``, the questions that fit it (at most ``per_requirement``), or
    "no good match in the bank"."""
    ranker = ranker_of(db, bank_dir)
    return [_suggestion(r, ranker.rank(r.text, limit=per_requirement)) for r in requirements_of(db, jd_id)]


def suggest_for_texts(
    db: Database, jd: ParsedJD, *, per_requirement: int = 3, bank_dir: Path | None = None
) -> list[Suggestion]:
    """The same for a job description not stored yet (a dry run, the review table)."""
    ranker = ranker_of(db, bank_dir)
    return [
        _suggestion(
            RequirementInfo(r.id, jd.id, r.section, r.position, r.text), ranker.rank(r.text, limit=per_requirement)
        )
        for r in jd.requirements
    ]


def suggestions_with(ranker: Ranker, requirements: Sequence[RequirementInfo], *, limit: int = 3) -> list[Suggestion]:
    """Rank ``requirements`` with a ranker made once (:func:`ranker_of`)."""
    return [_suggestion(r, ranker.rank(r.text, limit=limit)) for r in requirements]
