"""A list's search box as SQL: every typed word somewhere in a row's text, case and accents ignored.

The lists read a page at a time (:mod:`~interviewkit.services.loop_pages`,
:mod:`~interviewkit.services.debrief_pages`) filter in the database, as the screens filtered in memory
before: "tomas" finds "Tomás", "nunez" finds "Ñúñez". :func:`folded` is the rule (lower case, accents
removed, Unicode's NFKD); the database applies it to a row's text with :func:`folded_sql`:

* SQLite: the function ``ik_fold``, :func:`folded` itself, given to the connection by :func:`prepare`;
* PostgreSQL: ``translate(lower(text), ...)`` over the Latin letters with accents (U+00C0 to U+024F, the
  names a hiring team types), computed from :func:`folded`. A letter whose folding is two letters ("ß"
  folds to "ss") is left as it is there, and outside that range only ``lower`` applies.
"""

from __future__ import annotations

import unicodedata
from typing import Any

from sqlalchemy import ColumnElement, and_, func, literal, true
from sqlmodel import Session

__all__ = ["folded", "folded_sql", "matches_words", "prepare", "words_of"]

_FUNCTION = "ik_fold"


def folded(text: str | None) -> str:
    """Lower case without accents: "Tomás" is found by typing "tomas"."""
    decomposed = unicodedata.normalize("NFKD", (text or "").casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _translation() -> tuple[str, str]:
    """The letters with accents that fold to one letter, and that letter (PostgreSQL's ``translate``)."""
    source, target = [], []
    for code in range(0xC0, 0x250):
        ch = chr(code)
        to = folded(ch)
        if len(to) == 1 and to != ch:
            source.append(ch)
            target.append(to)
    return "".join(source), "".join(target)


_FROM, _TO = _translation()


def prepare(s: Session) -> None:
    """Give this session's SQLite connection :func:`folded` as ``ik_fold`` (nothing to do on PostgreSQL)."""
    connection = s.connection()
    if connection.dialect.name != "sqlite":
        return
    raw: Any = connection.connection.driver_connection
    raw.create_function(_FUNCTION, 1, folded, deterministic=True)


def folded_sql(s: Session, text: ColumnElement[str]) -> ColumnElement[str]:
    """``text`` folded as :func:`folded` folds it, in the session's database."""
    if s.connection().dialect.name == "sqlite":
        applied: ColumnElement[str] = getattr(func, _FUNCTION)(text)
        return applied
    return func.translate(func.lower(text), literal(_FROM), literal(_TO))


def words_of(search: str) -> list[str]:
    """The typed words, folded."""
    return folded(search).split()


def _like_escaped(word: str) -> str:
    return word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def matches_words(s: Session, text: ColumnElement[str], search: str) -> ColumnElement[bool]:
    """A condition: ``text`` contains every word of ``search`` (case and accents ignored; all rows when
    nothing is typed)."""
    words = words_of(search)
    if not words:
        return true()
    subject = folded_sql(s, text)
    return and_(*(subject.like(f"%{_like_escaped(w)}%", escape="\\") for w in words))
