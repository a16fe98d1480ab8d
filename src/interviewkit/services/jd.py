"""Job descriptions: import one into the database and suggest bank questions for its requirements.

A job description is read from Markdown, plain text (any common encoding), a saved web page, a PDF or a Word
file (:mod:`interviewkit.bank.jd_readers`); what is stored is the document's text as read, its title, and
each requirement's id, section, position and text. A requirement's priority (must or nice) is found again
from its section and text when read back (:class:`~interviewkit.bank.jd.JDRequirement`); whether it came
from prose, and under which enclosing heading it stood, is in the parse (``import_jd``'s result, the dry
run's output) and in the stored text, which parses to the same requirements again, but not in a column.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlmodel import col

from interviewkit.bank.jd import ParsedJD, read_jd_file
from interviewkit.services.access import Actor, require_in
from interviewkit.services.bank_queries import RequirementInfo, requirements_of
from interviewkit.services.bank_sync import store_jd
from interviewkit.storage import search as fts
from interviewkit.storage.db import Database
from interviewkit.storage.models import JobDescription, QuestionVersion
from interviewkit.storage.models import Question as QuestionRow

__all__ = ["Suggestion", "import_jd", "save_jd", "suggest_questions"]

_STOP = frozenset(
    """a an and are as at be by for from in into is of on or the to with experience ability knowledge
    understanding strong including e.g etc using your our their we you will this that such both other""".split()
)


@dataclass(frozen=True)
class Suggestion:
    """A requirement and the best-matching questions of the bank, best first."""

    requirement: RequirementInfo
    questions: tuple[tuple[str, str, float], ...]  # (question id, title, score)


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


def save_jd(db: Database, jd: ParsedJD, *, by: Actor) -> list[str]:
    """Store a job description read by :func:`import_jd` (a dry run); return what changed, in words.
    Only someone who may change the bank: admins, the local operator of an SQLite file."""
    with db.transaction() as s:
        require_in(s, by, "manage_bank")
        existing = s.get(JobDescription, jd.id)
        origin = existing.origin if existing is not None else "import"
        return store_jd(s, jd, origin=origin)


def _requirement_query(text: str) -> str:
    words = [w for w in re.findall(r"\w+", text.lower()) if w not in _STOP and len(w) > 1]
    return fts.match_query(" ".join(words), prefix_all=False, any_word=True, stem=6)


def suggest_questions(db: Database, jd_id: str, *, per_requirement: int = 3) -> list[Suggestion]:
    """For each requirement of ``jd_id``, the questions whose text ranks best for it (bm25)."""
    reqs = requirements_of(db, jd_id)
    out = []
    with db.session() as s:
        titles = dict(
            s.execute(
                select(col(QuestionVersion.question_id), col(QuestionVersion.title))
                .join_from(
                    QuestionVersion,
                    QuestionRow,
                    (col(QuestionRow.id) == col(QuestionVersion.question_id))
                    & (col(QuestionRow.current_version) == col(QuestionVersion.version)),
                )
            ).all()
        )
        for r in reqs:
            expr = _requirement_query(r.text)
            hits = fts.search(s, expr, limit=per_requirement) if expr else []
            out.append(Suggestion(r, tuple((qid, titles.get(qid, qid), score) for qid, score in hits)))
    return out
