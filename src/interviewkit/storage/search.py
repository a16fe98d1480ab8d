"""Full-text search over questions.

On SQLite the ``question_fts`` FTS5 table holds the current version of every live question; its rowid
is the ``question_version`` id. Matching without ranking (for filtering as you type) reads only the
index; ranking uses bm25 with the title weighing most, then prompt, competency names, rubric and probes.
On other databases a plain case-insensitive match over the same texts stands in.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import text
from sqlmodel import Session

__all__ = [
    "IndexedQuestion", "fts_available", "insert", "match_query", "matching_version_ids", "remove", "search", "upsert",
]

# bm25 weights for: title, prompt, competencies, rubric, follow_ups.
_WEIGHTS = "6.0, 3.0, 2.0, 1.0, 1.0"
_TOKEN = re.compile(r"\w+", re.UNICODE)


@dataclass(frozen=True)
class IndexedQuestion:
    """The texts of one question version as the index sees them."""

    version_id: int
    question_id: str
    title: str
    prompt: str
    competencies: str
    rubric: str
    follow_ups: str


def fts_available(session: Session) -> bool:
    return session.get_bind().dialect.name == "sqlite"


def match_query(words: str, *, prefix_all: bool = True, any_word: bool = False, stem: int = 0) -> str:
    """An FTS5 MATCH expression from free text, safe against FTS syntax in the input.

    ``prefix_all`` matches every word as a prefix (for search as you type); ``any_word`` ORs the words
    instead of ANDing them (for ranking); ``stem`` > 0 cuts longer words to that many letters first, a
    crude stemmer that lets "deploying" find "deployment".
    """
    tokens = [t.lower() for t in _TOKEN.findall(words)]
    parts = []
    for t in tokens:
        if stem and len(t) > stem:
            t = t[:stem]
        parts.append(f'"{t}"*' if prefix_all or stem else f'"{t}"')
    return (" OR " if any_word else " ").join(parts)


def upsert(session: Session, rows: Iterable[IndexedQuestion]) -> None:
    """Put question versions into the index, replacing any version of the same questions."""
    rows = list(rows)
    if not rows or not fts_available(session):
        return
    remove(session, [r.question_id for r in rows])
    insert(session, rows)


def insert(session: Session, rows: Iterable[IndexedQuestion]) -> None:
    """Add question versions that are not in the index yet."""
    rows = list(rows)
    if not rows or not fts_available(session):
        return
    session.execute(
        text(
            "INSERT INTO question_fts (rowid, title, prompt, competencies, rubric, follow_ups) "
            "VALUES (:version_id, :title, :prompt, :competencies, :rubric, :follow_ups)"
        ),
        [r.__dict__ for r in rows],
    )


def remove(session: Session, question_ids: Sequence[str]) -> None:
    """Take every version of these questions out of the index (by rowid: no scan)."""
    if not question_ids or not fts_available(session):
        return
    session.execute(
        text("DELETE FROM question_fts WHERE rowid IN (SELECT id FROM question_version WHERE question_id = :q)"),
        [{"q": q} for q in question_ids],
    )


def search(
    session: Session, expression: str, *, limit: int | None = None, ranked: bool = True
) -> list[tuple[str, float]]:
    """(question id, score) pairs, best first when ``ranked``. ``expression`` comes from :func:`match_query`."""
    if not expression.strip():
        return []
    if not fts_available(session):
        return _search_portable(session, expression, limit)
    if ranked:
        sql = (
            f"SELECT v.question_id, bm25(question_fts, {_WEIGHTS}) AS rank FROM question_fts "
            "CROSS JOIN question_version v ON v.id = question_fts.rowid "
            "WHERE question_fts MATCH :q ORDER BY rank"
        )
    else:
        sql = (
            "SELECT v.question_id, 0.0 FROM question_fts CROSS JOIN question_version v "
            "ON v.id = question_fts.rowid WHERE question_fts MATCH :q"
        )
    if limit:
        sql += f" LIMIT {int(limit)}"
    return [(r[0], -float(r[1])) for r in session.execute(text(sql), {"q": expression})]


def matching_version_ids(session: Session, expression: str) -> set[int] | None:
    """The question_version ids whose index entry matches, read straight from the index.

    This is the fast path for filtering as you type: no ranking, no join, no ORM rows. Returns None
    where there is no FTS5 index (the caller then falls back to :func:`search`).
    """
    if not expression.strip():
        return set()
    if not fts_available(session):
        return None
    raw = session.connection().connection.driver_connection
    cursor = raw.execute("SELECT rowid FROM question_fts WHERE question_fts MATCH ?", (expression,))
    return {r[0] for r in cursor.fetchall()}


def _search_portable(session: Session, expression: str, limit: int | None) -> list[tuple[str, float]]:
    """Match without FTS5: every word (as a prefix) must appear in one of the texts."""
    any_word = " OR " in expression
    words = [w.strip('"*').lower() for w in re.split(r"\s+OR\s+|\s+", expression) if w.strip('"*')]
    rows = session.execute(
        text(
            "SELECT q.id, v.title, v.prompt, CAST(v.rubric AS TEXT), CAST(v.follow_ups AS TEXT) "
            "FROM question q JOIN question_version v "
            "ON v.question_id = q.id AND v.version = q.current_version WHERE q.retired_at IS NULL"
        )
    ).all()
    scored = []
    for qid, title, prompt, rubric, follow in rows:
        hay = f"{title}\n{prompt}\n{rubric}\n{follow}".lower()
        hits = sum(1 for w in words if w in hay)
        if (any_word and hits) or (not any_word and hits == len(words)):
            scored.append((qid, float(hits) + (2.0 if any(w in title.lower() for w in words) else 0.0)))
    scored.sort(key=lambda p: -p[1])
    return scored[:limit] if limit else scored
