"""Full-text search over questions.

On SQLite the ``question_fts`` FTS5 table holds the current version of every live question and ranks
matches with bm25 (title weighs most, then prompt, competency names, rubric and probes). On other
databases a plain case-insensitive match over the same texts stands in, ranked by how many words match.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import text
from sqlmodel import Session

__all__ = ["IndexedQuestion", "fts_available", "match_query", "remove", "search", "upsert"]

# bm25 weights for: question_id (unindexed), title, prompt, competencies, rubric, follow_ups.
_WEIGHTS = "0.0, 6.0, 3.0, 2.0, 1.0, 1.0"
_TOKEN = re.compile(r"\w+", re.UNICODE)


@dataclass(frozen=True)
class IndexedQuestion:
    """The texts of one question as the index sees them."""

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
    """Put questions into the index, replacing what it held for them."""
    rows = list(rows)
    if not rows or not fts_available(session):
        return
    remove(session, [r.question_id for r in rows])
    session.execute(
        text(
            "INSERT INTO question_fts (question_id, title, prompt, competencies, rubric, follow_ups) "
            "VALUES (:question_id, :title, :prompt, :competencies, :rubric, :follow_ups)"
        ),
        [r.__dict__ for r in rows],
    )


def remove(session: Session, question_ids: Sequence[str]) -> None:
    """Take questions out of the index."""
    if not question_ids or not fts_available(session):
        return
    session.execute(
        text("DELETE FROM question_fts WHERE question_id = :q"), [{"q": q} for q in question_ids]
    )


def search(
    session: Session, expression: str, *, limit: int | None = None
) -> list[tuple[str, float]]:
    """(question id, score) pairs, best first. ``expression`` comes from :func:`match_query`."""
    if not expression.strip():
        return []
    if fts_available(session):
        sql = (
            f"SELECT question_id, bm25(question_fts, {_WEIGHTS}) AS rank FROM question_fts "
            "WHERE question_fts MATCH :q ORDER BY rank"
        )
        if limit:
            sql += f" LIMIT {int(limit)}"
        return [(r[0], -float(r[1])) for r in session.execute(text(sql), {"q": expression})]
    return _search_portable(session, expression, limit)


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
