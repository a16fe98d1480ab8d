"""Full-text search over questions.

On SQLite the ``question_fts`` FTS5 table holds the current version of every live question; its rowid
is the ``question_version`` id, and it keeps no copy of the texts but reads them from the view
``question_fts_source`` (migration 0006). Matching without ranking (for filtering as you type) reads only the
index; ranking uses bm25 with the title weighing most, then prompt, competency names, rubric and probes.
On PostgreSQL the ``question_fts`` table (migration 0003) holds one ``tsvector`` per current version,
behind a GIN index. Its lexemes are made here, in Python, the way FTS5's ``unicode61`` tokenizer makes
them (letters and digits, lower case, diacritics removed), and written as a tsvector literal, so no
text-search configuration, locale or extension of the server changes what matches: a query matches the
same questions on both databases, prefixes included (``'dep':*``). Ranking approximates bm25: each
word's ``ts_rank`` (title weighing most (A), then prompt (B), competency names (C), rubric and probes
(D); normalised by length) times the word's inverse document frequency. Over the shipped bank, the best
match is the same as SQLite's for 77% of sampled queries and 85% of the top three agree.
On other databases a plain case-insensitive match over the same texts stands in.
"""

from __future__ import annotations

import json
import math
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import bindparam, text
from sqlalchemy.engine import Connection
from sqlmodel import Session

__all__ = [
    "BulkLoad",
    "IndexedQuestion",
    "clear",
    "fts_available",
    "highlight_pattern",
    "index_versions",
    "match_query",
    "matching_version_ids",
    "rebuild",
    "remove",
    "search",
    "words_of",
]

# bm25 weights for: title, prompt, competencies, rubric, follow_ups.
_WEIGHTS = "6.0, 3.0, 2.0, 1.0, 1.0"
_TOKEN = re.compile(r"\w+", re.UNICODE)
_MIN_STEM = 4  # shorter stems match too much as prefixes ("rol" for "rolling": "role")
# PostgreSQL: the same tokens as FTS5's unicode61 (letters and digits; "_" separates), and the weights
# of ts_rank for D (rubric, probes), C (competencies), B (prompt), A (title).
_PG_TOKEN = re.compile(r"[^\W_]+", re.UNICODE)
_PG_WEIGHTS = "'{0.17, 0.33, 0.5, 1.0}'"
_PG_MAX_POSITION = 16383  # tsvector positions stop there
_PG_MAX_LEXEME = 200  # characters; PostgreSQL's limit is 2 KB per lexeme
# FTS5 writes its pending terms to a new index segment each time they pass 'hashsize' bytes (1 MB by
# default), and at the end of every statement; it merges a level's segments once there are 'automerge'
# (4) of them. For a bulk load (a sync of a whole bank, statement by statement) a larger buffer and later
# merges write the index in a few large segments: 10,000 questions index in about half the time, and
# searches are as fast. FTS5's defaults come back afterwards, for the small writes that follow.
_BULK_SETTINGS = {"hashsize": 64 * 1024 * 1024, "automerge": 16}
_FTS5_DEFAULTS = {"hashsize": 1024 * 1024, "automerge": 4}


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


def _dialect(session: Session | Connection) -> str:
    if isinstance(session, Connection):
        return session.dialect.name
    return session.get_bind().dialect.name


def fts_available(session: Session | Connection) -> bool:
    return _dialect(session) in ("sqlite", "postgresql")


def _fold(text: str) -> list[str]:
    """Lexemes as FTS5's unicode61 tokenizer (remove_diacritics 2) makes them."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return [t[:_PG_MAX_LEXEME] for t in _PG_TOKEN.findall(plain)]


def _pg_tsvector(row: IndexedQuestion) -> str:
    """A tsvector literal: each lexeme with its positions and the weight of the field it is in."""
    positions: dict[str, list[str]] = {}
    pos = 0
    for weight, field_text in (("A", row.title), ("B", row.prompt), ("C", row.competencies),
                               ("D", row.rubric), ("D", row.follow_ups)):
        for token in _fold(field_text):
            pos = min(pos + 1, _PG_MAX_POSITION)
            seen = positions.setdefault(token, [])
            if len(seen) < 256:
                seen.append(f"{pos}{weight}")
    return " ".join(f"'{lex}':{','.join(p)}" for lex, p in positions.items())


def _pg_tsquery(expression: str) -> str:
    """A tsquery literal from a :func:`match_query` expression (same words, prefixes, AND/OR)."""
    return (" | " if _any_word(expression) else " & ").join(_pg_terms(expression))


# A :func:`match_query` expression is a list of groups, ANDed (or ORed with ``any_word``): a quoted word
# (with * for a prefix), or the alternatives of one typed word in parentheses, each a word or a phrase of
# words joined by " + ".
_GROUP = re.compile(r'\(([^()]*)\)|("[^"]*"\*?)')
_WORD = re.compile(r'"([^"]*)"(\*?)')

Alternative = list[tuple[str, bool]]  # a phrase: its words, each with whether it is a prefix


def _any_word(expression: str) -> bool:
    """Whether the groups of ``expression`` are ORed (``any_word``) rather than ANDed."""
    return " OR " in re.sub(r"\([^()]*\)", "", expression)


def _groups(expression: str) -> list[list[Alternative]]:
    """The groups of ``expression``, each a list of alternatives."""
    groups = []
    for inner, single in _GROUP.findall(expression):
        alternatives = [
            [(w, bool(star)) for w, star in _WORD.findall(alt) if w] for alt in (inner or single).split(" OR ")
        ]
        groups.append([a for a in alternatives if a])
    return groups


def _pg_terms(expression: str) -> list[str]:
    """One tsquery literal per group of a :func:`match_query` expression (its alternatives ORed)."""
    terms = []
    for group in _groups(expression):
        alternatives = [a for a in (_pg_phrase(alt) for alt in group) if a]
        if alternatives:
            terms.append(alternatives[0] if len(alternatives) == 1 else "(" + " | ".join(alternatives) + ")")
    return terms


def _pg_phrase(words: Alternative) -> str:
    """A tsquery literal of one alternative: a word, or a phrase of words (<->)."""
    parts = [p for p in (_pg_word(w, star) for w, star in words) if p]
    return parts[0] if len(parts) == 1 else "(" + " <-> ".join(parts) + ")" if parts else ""


def _pg_word(word: str, star: bool) -> str:
    """A tsquery literal of one quoted word (a phrase of its lexemes if folding splits it)."""
    parts = _fold(word)
    if not parts:
        return ""
    quoted = [f"'{p}'" for p in parts]
    if star:
        quoted[-1] += ":*"
    return quoted[0] if len(quoted) == 1 else "(" + " <-> ".join(quoted) + ")"


def match_query(
    words: str,
    *,
    prefix_all: bool = True,
    any_word: bool = False,
    stem: int = 0,
    stemmer: Callable[[str], str] | None = None,
) -> str:
    """An FTS5 MATCH expression from free text, safe against FTS syntax in the input.

    ``prefix_all`` matches every word as a prefix (for search as you type); ``any_word`` ORs the words
    instead of ANDing them (for ranking); ``stem`` > 0 cuts longer words to that many letters first, a
    crude stemmer that lets "deploying" find "deployment". ``stemmer`` (a word's stem) lets a word match
    as its stem's prefix too, where the stem has at least four letters: "deploying" finds "deployment"
    and "registries" "registry", while what is typed still matches as typed.
    """
    parts = []
    for token in (t.lower() for t in _TOKEN.findall(words)):
        t = token[:stem] if stem and len(token) > stem else token
        word = f'"{t}"*' if prefix_all or stem else f'"{t}"'
        root = stemmer(token) if stemmer else token
        if root == token or len(root) < _MIN_STEM:
            parts.append(word)
        elif token.startswith(root):
            parts.append(f'"{root}"*')  # the stem's prefix matches what the word's does, and more
        else:
            parts.append(f'({word} OR "{root}"*)')
    # FTS5 takes an implicit AND only between phrases: beside a parenthesised group it must be written out.
    return (" OR " if any_word else " AND ").join(parts)


def words_of(text: str) -> list[str]:
    """The words of ``text`` as :func:`match_query` reads them (lower case)."""
    return [t.lower() for t in _TOKEN.findall(text)]


def highlight_pattern(expression: str) -> str:
    """A regular expression (case-insensitive) for the words of a text that ``expression`` matched: the
    words starting with one of its prefixes, or equal to one of its exact words."""
    alternatives = sorted(
        {re.escape(w) + (r"\w*" if star else r"\b") for w, star in _WORD.findall(expression) if w},
        key=len,
        reverse=True,
    )
    return r"\b(?:" + "|".join(alternatives) + ")" if alternatives else ""


# On SQLite the index keeps no copy of the texts: its content is the view question_fts_source (migration
# 0006), which makes them from the stored version: its title and prompt, the current names of its
# competencies (in the question's order), its rubric anchors by level, then its probes and red flags, one
# per line. Indexing is one statement, so that SQLite builds the index without coming back to Python (see
# interviewkit.storage.bulk).
_SQLITE_INDEX = (
    "INSERT INTO question_fts (rowid, title, prompt, competencies, rubric, follow_ups) "
    "SELECT id, title, prompt, competencies, rubric, follow_ups FROM question_fts_source "
    "WHERE id IN (SELECT value FROM json_each(?))"
)


def index_versions(session: Session | Connection, version_ids: Sequence[int]) -> None:
    """Add these question versions, which are not in the index yet, from their stored text."""
    if not version_ids or not fts_available(session):
        return
    if _dialect(session) == "postgresql":
        session.execute(
            text("INSERT INTO question_fts (version_id, doc) VALUES (:v, CAST(:doc AS tsvector))"),
            [{"v": r.version_id, "doc": _pg_tsvector(r)} for r in _stored(session, version_ids)],
        )
        return
    conn = session.connection() if isinstance(session, Session) else session
    conn.exec_driver_sql(_SQLITE_INDEX, (json.dumps([int(v) for v in version_ids]),))


def _stored(session: Session | Connection, version_ids: Sequence[int]) -> list[IndexedQuestion]:
    """The texts of these stored question versions as the index sees them."""
    ids = sorted({int(v) for v in version_ids})
    rows: list[Any] = []  # rows of seven columns
    names: dict[int, list[str]] = {}
    for start in range(0, len(ids), 1000):  # IN lists of a bounded length
        chunk = ids[start : start + 1000]
        rows.extend(session.execute(
            text(
                "SELECT id, question_id, title, prompt, rubric, follow_ups, red_flags FROM question_version "
                "WHERE id IN :ids ORDER BY id"
            ).bindparams(bindparam("ids", expanding=True)),
            {"ids": chunk},
        ).all())
        for vid, name in session.execute(
            text(
                "SELECT qc.question_version_id, c.name FROM question_competency qc "
                "JOIN competency c ON c.id = qc.competency_id WHERE qc.question_version_id IN :ids "
                "ORDER BY qc.question_version_id, qc.position"
            ).bindparams(bindparam("ids", expanding=True)),
            {"ids": chunk},
        ):
            names.setdefault(vid, []).append(name)
    indexed = []
    for vid, qid, title, prompt, stored_rubric, stored_follow_ups, stored_red_flags in rows:
        rubric, follow_ups, red_flags = _json(stored_rubric), _json(stored_follow_ups), _json(stored_red_flags)
        anchors = sorted(((int(k), str(a)) for k, a in (rubric or {}).items()))
        indexed.append(IndexedQuestion(
            version_id=vid, question_id=qid, title=title, prompt=prompt,
            competencies=" ".join(names.get(vid, [])),
            rubric=" ".join(a for _, a in anchors),
            follow_ups="\n".join(follow_ups or []) + "\n" + "\n".join(red_flags or []),
        ))
    return indexed


class BulkLoad:
    """Many :func:`index_versions` calls in one transaction (a sync of a whole bank, a rebuild).

    On SQLite, FTS5 then keeps the new terms in memory (up to 64 MB instead of 1 MB) and merges its
    segments later (see ``_BULK_SETTINGS``). Nothing is changed until the first versions come, so a sync
    that indexes nothing writes nothing.
    """

    def __init__(self) -> None:
        self._started = False

    def index_versions(self, session: Session | Connection, version_ids: Sequence[int]) -> None:
        if version_ids and not self._started and _dialect(session) == "sqlite":
            self._configure(session, _BULK_SETTINGS)
            self._started = True
        index_versions(session, version_ids)

    def finish(self, session: Session | Connection) -> None:
        """Back to FTS5's defaults, for the small writes that come later."""
        if self._started:
            self._configure(session, _FTS5_DEFAULTS)
            self._started = False

    @staticmethod
    def _configure(session: Session | Connection, settings: dict[str, int]) -> None:
        conn = session.connection() if isinstance(session, Session) else session
        for name, value in settings.items():
            conn.exec_driver_sql(f"INSERT INTO question_fts (question_fts, rank) VALUES ('{name}', {int(value)})")


def remove(session: Session, question_ids: Sequence[str]) -> None:
    """Take these questions out of the index, before their current version or their state changes.

    On SQLite the index holds exactly the current version of every live question, and FTS5 reads the
    text of a row from ``question_fts_source`` to take it out, so only that version is removed: removing
    a row that is not in the index would damage it.
    """
    if not question_ids or not fts_available(session):
        return
    if _dialect(session) == "postgresql":
        session.execute(
            text(
                "DELETE FROM question_fts WHERE version_id IN (SELECT id FROM question_version WHERE question_id = :q)"
            ),
            [{"q": q} for q in question_ids],
        )
        return
    session.execute(
        text(
            "DELETE FROM question_fts WHERE rowid IN (SELECT v.id FROM question q JOIN question_version v "
            "ON v.question_id = q.id AND v.version = q.current_version WHERE q.id = :q AND q.retired_at IS NULL)"
        ),
        [{"q": q} for q in question_ids],
    )


def clear(session: Session | Connection) -> None:
    """Empty the index (before indexing every live question again)."""
    if not fts_available(session):
        return
    if _dialect(session) == "postgresql":
        session.execute(text("DELETE FROM question_fts"))
        return
    session.execute(text("INSERT INTO question_fts (question_fts) VALUES ('delete-all')"))


def search(
    session: Session,
    expression: str,
    *,
    limit: int | None = None,
    ranked: bool = True,
    boosts: Sequence[Sequence[str]] = (),
) -> list[tuple[str, float]]:
    """(question id, score) pairs, best first when ``ranked``. ``expression`` comes from :func:`match_query`.

    ``boosts`` are phrases (each its words, matched as prefixes) that raise the rank of the questions
    holding them without changing which questions match: the synonyms of what was typed.
    """
    if not expression.strip():
        return []
    if not fts_available(session):
        return _search_portable(session, expression, limit)
    boost = [p for p in (_boost_phrase(words) for words in boosts) if p] if ranked else []
    if _dialect(session) == "postgresql":
        return _search_pg(session, expression, limit, ranked, boost)
    if ranked:
        if boost:  # matches what expression does (each of its groups is among the alternatives)
            groups = [f"({inner})" if inner else single for inner, single in _GROUP.findall(expression)]
            expression = f"({expression}) AND ({' OR '.join(groups + boost)})"
        sql = (
            f"SELECT v.question_id, bm25(question_fts, {_WEIGHTS}) AS rank FROM question_fts "
            "CROSS JOIN question_version v ON v.id = question_fts.rowid "
            "WHERE question_fts MATCH :q ORDER BY rank, v.question_id"
        )
    else:
        sql = (
            "SELECT v.question_id, 0.0 FROM question_fts CROSS JOIN question_version v "
            "ON v.id = question_fts.rowid WHERE question_fts MATCH :q"
        )
    if limit:
        sql += f" LIMIT {int(limit)}"
    return [(r[0], -float(r[1])) for r in session.execute(text(sql), {"q": expression})]


def _boost_phrase(words: Sequence[str]) -> str:
    """An FTS5 phrase of these words (stems), each a prefix; a single word is matched whole, as a stem's
    prefix would match too much ("serv" for "serve": "service"). Safe against FTS syntax; empty when
    there is no word."""
    tokens = [t.lower() for w in words for t in _TOKEN.findall(w)]
    if len(tokens) == 1:
        return f'"{tokens[0]}"'
    return " + ".join(f'"{t}"*' for t in tokens)


def matching_version_ids(session: Session, expression: str) -> set[int] | None:
    """The question_version ids whose index entry matches, read straight from the index.

    This is the fast path for filtering as you type: no ranking, no join, no ORM rows. Returns None
    where there is no FTS5 index (the caller then falls back to :func:`search`).
    """
    if not expression.strip():
        return set()
    if not fts_available(session):
        return None
    if _dialect(session) == "postgresql":
        query = _pg_tsquery(expression)
        if not query:
            return set()
        rows = session.execute(
            text("SELECT version_id FROM question_fts WHERE doc @@ CAST(:q AS tsquery)"), {"q": query}
        )
        return {r[0] for r in rows}
    raw = session.connection().connection.driver_connection
    assert raw is not None  # an open connection's DBAPI connection
    cursor = raw.execute("SELECT rowid FROM question_fts WHERE question_fts MATCH ?", (expression,))
    return {r[0] for r in cursor.fetchall()}


def _search_pg(
    session: Session, expression: str, limit: int | None, ranked: bool, boosts: Sequence[str] = ()
) -> list[tuple[str, float]]:
    query = _pg_tsquery(expression)
    if not query:
        return []
    params: dict[str, str] = {"q": query}
    if ranked:
        # Like bm25: each word's ts_rank (normalised by the document's length) weighed by the word's
        # inverse document frequency, so that rare words count more than common ones; the boosts
        # (synonyms) count as words of their own.
        terms = _pg_terms(expression) + [t for b in boosts for t in _pg_terms(f"({b})")]
        params.update({f"t{i}": t for i, t in enumerate(terms)})
        counts = ", ".join(f"COUNT(*) FILTER (WHERE doc @@ CAST(:t{i} AS tsquery))" for i in range(len(terms)))
        total, *found = session.execute(text(f"SELECT COUNT(*), {counts} FROM question_fts"), params).one()
        idf = [math.log(1.0 + (total - n + 0.5) / (n + 0.5)) for n in found]
        rank = " + ".join(
            f"{w:.6f} * ts_rank({_PG_WEIGHTS}, f.doc, CAST(:t{i} AS tsquery), 1)" for i, w in enumerate(idf)
        )
        sql = (
            f"SELECT v.question_id, {rank} AS rank "
            "FROM question_fts f JOIN question_version v ON v.id = f.version_id "
            "WHERE f.doc @@ CAST(:q AS tsquery) ORDER BY rank DESC, v.question_id"
        )
    else:
        sql = (
            "SELECT v.question_id, 0.0 FROM question_fts f JOIN question_version v ON v.id = f.version_id "
            "WHERE f.doc @@ CAST(:q AS tsquery)"
        )
    if limit:
        sql += f" LIMIT {int(limit)}"
    return [(r[0], float(r[1])) for r in session.execute(text(sql), params)]


def rebuild(session: Session | Connection) -> int:
    """Index the current version of every live question again, from the stored versions.

    The index is derived data: migrations and ``db copy`` rebuild it rather than copy it. Returns the
    number of questions indexed.
    """
    if not fts_available(session):
        return 0
    ids = [
        r[0]
        for r in session.execute(
            text(
                "SELECT v.id FROM question q JOIN question_version v "
                "ON v.question_id = q.id AND v.version = q.current_version WHERE q.retired_at IS NULL ORDER BY v.id"
            )
        )
    ]
    clear(session)
    bulk = BulkLoad()
    bulk.index_versions(session, ids)
    bulk.finish(session)
    return len(ids)


def _json(value: object) -> Any:
    return json.loads(value) if isinstance(value, str) else value


def _search_portable(session: Session, expression: str, limit: int | None) -> list[tuple[str, float]]:
    """Match without FTS5: every word (as a prefix) must appear in one of the texts."""
    any_word = _any_word(expression)
    groups = [[w.lower() for alt in g for w, _ in alt] for g in _groups(expression)]
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
        hits = sum(1 for g in groups if any(w in hay for w in g))
        if (any_word and hits) or (not any_word and hits == len(groups)):
            in_title = any(w in title.lower() for g in groups for w in g)
            scored.append((qid, float(hits) + (2.0 if in_title else 0.0)))
    scored.sort(key=lambda p: -p[1])
    return scored[:limit] if limit else scored
