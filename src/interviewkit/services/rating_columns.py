"""Calibration's input read once per state of the database and kept in memory as columns (issue 17, point 3).

What :func:`~interviewkit.services.calibration.ratings_from_db`, ``question_uses_from_db`` and
``pass_through_from_db`` read (every rating, scorecard and question asked of the submitted scorecards: 1.2
million ratings on the large demo, about 40 MB as numpy arrays) is read by one query per view and kept per
:class:`Database`, with the ``calibration_stamp`` it was read under (revision 0016: triggers add one to it on
every write that can change these views, from this process or any other). Every call reads the stamp first
(one row): when it moved the columns are read again, so a stale copy is never used; a filter is then a
numpy mask over the columns, with the viewer's scope (:func:`~interviewkit.services.policy.calibration_scope`,
the same rule the SQL readers apply) and labels as the SQL readers give them.

The stamp is read before the rows: a write that commits in between moves the next stamp, so the columns are
read again on the next call rather than kept stale.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

import numpy as np
from numpy.typing import NDArray
from sqlalchemy import String, func, select, text, type_coerce
from sqlmodel import col

from interviewkit.services.policy import CalibrationScope
from interviewkit.storage.db import Database
from interviewkit.storage.models import Person, QuestionCompetency, QuestionVersion
from interviewkit.storage.views import calibration_asked, calibration_rating, calibration_scorecard

__all__ = ["Cards", "Columns", "Progress", "bypass", "columns", "current", "enabled", "forget", "scope_mask", "wanted"]

Progress = Callable[[float, str], None]  # (share done 0..1, what is being read)
NO_TIME = np.iinfo(np.int64).min  # a row without a time: outside every period


@dataclass(frozen=True, eq=False)
class Cards:
    """One row per submitted scorecard (``calibration_scorecard``), by scorecard id."""

    id: NDArray[np.int64]
    person: NDArray[np.int64]
    candidate: NDArray[np.int64]
    loop: NDArray[np.int64]
    opening: NDArray[np.int64]
    held: NDArray[np.int64]  # microseconds since the epoch, UTC (NO_TIME: none)
    recommendation: list[str | None]
    outcome: list[str | None]
    hired: NDArray[np.float64]  # the outcome as 1.0 (hire), 0.0 (no hire), NaN (anything else)


@dataclass(frozen=True, eq=False)
class Columns:
    """Every rating of a submitted scorecard, in the order ratings_from_db reads them (when held, scorecard,
    competency), with the scorecards, the questions asked and the people who rated."""

    stamp: int
    card: NDArray[np.int64]  # the rating's scorecard id
    candidate: NDArray[np.int64]
    person: NDArray[np.int64]
    opening: NDArray[np.int64]
    competencies: tuple[str, ...]
    competency: NDArray[np.intp]
    score: NDArray[np.float64]  # NaN: no score, or not assessed
    times: tuple[datetime | None, ...]  # each distinct held_at, aware (UTC as stored)
    time: NDArray[np.intp]
    held: NDArray[np.int64]  # microseconds since the epoch, UTC (NO_TIME: none)
    n_questions: NDArray[np.intp]  # distinct questions asked in the scorecard that assess the competency
    single: NDArray[np.intp]  # where exactly one: its index in ``questions`` plus one, else 0
    questions: tuple[str, ...]
    cards: Cards
    asked_card: NDArray[np.int64]  # per question asked: its scorecard, version and question (index)
    asked_version: NDArray[np.int64]
    asked_question: NDArray[np.intp]
    assesses: dict[int, frozenset[str]]  # question version -> the competencies it assesses
    people: dict[int, tuple[str, str]]  # person id -> (name, email)

    @property
    def nbytes(self) -> int:
        arrays = [v for v in vars(self).values() if isinstance(v, np.ndarray)]
        return sum(a.nbytes for a in arrays) + sum(
            a.nbytes for a in vars(self.cards).values() if isinstance(a, np.ndarray)
        )


_cache: weakref.WeakKeyDictionary[Database, Columns] = weakref.WeakKeyDictionary()
_lock = threading.Lock()
_bypass = threading.local()


def enabled() -> bool:
    """Whether the readers use the columns (not inside :func:`bypass`)."""
    return not getattr(_bypass, "on", False)


@contextmanager
def bypass() -> Iterator[None]:
    """The readers query the database as before, in this thread (tests compare both paths)."""
    before = getattr(_bypass, "on", False)
    _bypass.on = True
    try:
        yield
    finally:
        _bypass.on = before


def current(db: Database) -> bool:
    """Whether columns are kept for ``db`` and still current (one read of the stamp)."""
    with _lock:
        kept = _cache.get(db)
    return kept is not None and kept.stamp == stamp(db)


def wanted(db: Database, *, narrowed: bool) -> bool:
    """Whether a reader answers from the columns: always for a question about every rating (it reads them all
    anyway, and keeps them for the next question); for a narrowed one (an opening, a period...) only when they
    are kept and current, so a one-off command about one opening reads only that opening's rows. The screen
    reads the columns first (:func:`columns`), so its filters are always answered from them."""
    return enabled() and (not narrowed or current(db))


def forget(db: Database) -> None:
    """Drop what is kept for ``db``."""
    with _lock:
        _cache.pop(db, None)


def stamp(db: Database) -> int:
    """The database's calibration stamp (revision 0016)."""
    with db.session() as s:
        return int(s.connection().execute(text("SELECT n FROM calibration_stamp WHERE id = 1")).scalar_one())


def columns(db: Database, progress: Progress | None = None) -> Columns:
    """The columns of ``db`` as of now: kept ones when the stamp has not moved, else read afresh."""
    now = stamp(db)
    with _lock:  # one reader at a time: a second caller waits for the first read rather than reading too
        kept = _cache.get(db)
        if kept is not None and kept.stamp == now:
            return kept
        fresh = _read(db, now, progress or (lambda _share, _what: None))
        _cache[db] = fresh
        return fresh


# --- reading ------------------------------------------------------------------------------------------------


def _factorised(values: Any) -> tuple[list[Any], NDArray[np.intp]]:
    index = {value: k for k, value in enumerate(dict.fromkeys(values))}
    return list(index), np.fromiter(map(index.__getitem__, values), dtype=np.intp, count=len(values))


def _parsed(times: list[Any]) -> tuple[list[datetime | None], NDArray[np.int64]]:
    """Each stored time as :func:`~interviewkit.services.calibration._utc` reads it, and in microseconds
    since the epoch (NO_TIME: none)."""
    from interviewkit.services.calibration import _utc

    parsed = [_utc(raw) for raw in times]
    return parsed, np.array([NO_TIME if at is None else _us(at) for at in parsed], dtype=np.int64)


def _us(at: datetime) -> int:
    delta = (at if at.tzinfo is not None else at.replace(tzinfo=UTC)) - _EPOCH
    return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def _ints(values: Any) -> NDArray[np.int64]:
    """A column of ids (None: -1)."""
    try:
        return np.array(values, dtype=np.int64)
    except TypeError:  # a None among them
        return np.array([-1 if v is None else v for v in values], dtype=np.int64)


def _read(db: Database, now: int, progress: Progress) -> Columns:
    v = calibration_rating
    stmt = select(
        v.c.candidate_id, v.c.interviewer_id, v.c.competency_id, v.c.score, v.c.not_assessed,
        type_coerce(v.c.held_at, String), v.c.scorecard_id, v.c.opening_id,
    ).order_by(func.coalesce(v.c.scheduled_at, v.c.submitted_at), v.c.scorecard_id, v.c.competency_id)  # fmt: skip
    progress(0.0, "Reading the ratings…")
    with db.session() as s:
        conn = s.connection()
        rows = _fetched(conn, stmt)
        progress(0.45, "Reading the scorecards…")
        ratings = list(zip(*rows)) if rows else [()] * 8
        del rows
        cards = _cards(conn)
        progress(0.65, "Reading the questions asked…")
        a = calibration_asked
        asked = _fetched(conn,
            select(a.c.scorecard_id, a.c.question_version_id, col(QuestionVersion.question_id))
            .join(QuestionVersion, col(QuestionVersion.id) == a.c.question_version_id)
            .order_by(a.c.scorecard_id, a.c.question_version_id)
        )  # fmt: skip
        assesses_rows = conn.execute(
            select(col(QuestionCompetency.question_version_id), col(QuestionCompetency.competency_id))
        ).all()
        found = conn.execute(select(col(Person.id), col(Person.name), col(Person.email)))
        people = {int(p or 0): (n, e) for p, n, e in found}
    progress(0.85, "Putting it together…")
    return _assembled(now, ratings, cards, asked, assesses_rows, people)


def _fetched(conn: Any, stmt: Any) -> list[tuple[Any, ...]]:
    """The rows of a statement without parameters through the driver's own cursor: a million rows without a
    SQLAlchemy Row each (a third of the read's time). Times come as the driver gives them (SQLite: text)."""
    sql = str(stmt.compile(dialect=conn.dialect))
    cursor = conn.connection.dbapi_connection.cursor()
    try:
        cursor.execute(sql)
        return list(cursor.fetchall())
    finally:
        cursor.close()


def _cards(conn: Any) -> Cards:
    c = calibration_scorecard
    rows = _fetched(conn,
        select(c.c.scorecard_id, c.c.interviewer_id, c.c.candidate_id, c.c.loop_id, c.c.opening_id,
               type_coerce(c.c.held_at, String), c.c.recommendation, c.c.outcome).order_by(c.c.scorecard_id)
    )  # fmt: skip
    cols = list(zip(*rows)) if rows else [()] * 8
    times, codes = _factorised(cols[5])
    held = _parsed(times)[1][codes] if times else np.zeros(0, dtype=np.int64)
    value = {"hire": 1.0, "no_hire": 0.0}
    hired = np.array([value.get(o or "", np.nan) for o in cols[7]], dtype=np.float64)
    return Cards(
        _ints(cols[0]),
        _ints(cols[1]),
        _ints(cols[2]),
        _ints(cols[3]),
        _ints(cols[4]),
        held,
        list(cols[6]),
        list(cols[7]),
        hired,
    )


def _assembled(
    now: int, r: list[Any], cards: Cards, asked: Any, assesses_rows: Any, people: dict[int, tuple[str, str]]
) -> Columns:
    comps, comp = _factorised(r[2])
    score = np.array(r[3], dtype=np.float64)  # None: NaN
    score[np.array(r[4], dtype=bool)] = np.nan  # not assessed
    raw_times, time = _factorised(r[5])
    times, micros = _parsed(raw_times)
    held = micros[time] if raw_times else np.zeros(0, dtype=np.int64)
    card = _ints(r[6])
    assesses: dict[int, set[str]] = {}
    for vid, cid in assesses_rows:
        assesses.setdefault(int(vid), set()).add(cid)
    a_cols = list(zip(*asked)) if asked else [(), (), ()]
    qids, a_q = _factorised(a_cols[2])
    a_card, a_ver = _ints(a_cols[0]), _ints(a_cols[1])
    n_q, single = _per_rating_questions(card, comp, comps, a_card, a_ver, a_q, len(qids), assesses)
    return Columns(
        now, card, _ints(r[0]), _ints(r[1]), _ints(r[7]), tuple(comps), comp, score, tuple(times), time, held,
        n_q, single, tuple(qids), cards, a_card, a_ver, a_q, {k: frozenset(v) for k, v in assesses.items()}, people,
    )  # fmt: skip


def _per_rating_questions(
    card: NDArray[np.int64], comp: NDArray[np.intp], comps: list[str], a_card: NDArray[np.int64],
    a_ver: NDArray[np.int64], a_q: NDArray[np.intp], n_qids: int, assesses: dict[int, set[str]],
) -> tuple[NDArray[np.intp], NDArray[np.intp]]:  # fmt: skip
    """Per rating: how many distinct questions asked in its scorecard assess its competency, and that
    question (index + 1) when it is exactly one (as calibration._asked_columns computes them)."""
    where = {c: k for k, c in enumerate(comps)}
    pairs = [(vid, where[c]) for vid, cs in assesses.items() for c in cs if c in where]
    if not pairs or not a_card.size or not card.size:
        return np.zeros(card.size, dtype=np.intp), np.zeros(card.size, dtype=np.intp)
    v_ver, v_comp = (np.array(x, dtype=np.int64) for x in zip(*pairs))
    order = np.argsort(v_ver, kind="stable")
    v_ver, v_comp = v_ver[order], v_comp[order]
    lo, hi = np.searchsorted(v_ver, a_ver, "left"), np.searchsorted(v_ver, a_ver, "right")
    reps = hi - lo
    rows = np.repeat(np.arange(a_card.size), reps)
    at = np.repeat(lo - np.cumsum(reps) + reps, reps) + np.arange(rows.size)
    n_comp = len(comps)
    triple = np.unique((a_card[rows] * n_comp + v_comp[at]) * n_qids + a_q[rows])
    pair, first, count = np.unique(triple // n_qids, return_index=True, return_counts=True)
    key = card * n_comp + comp
    pos = np.minimum(np.searchsorted(pair, key), pair.size - 1)
    found = pair[pos] == key
    n = np.where(found, count[pos], 0)
    single = np.where(n == 1, triple[first][pos] % n_qids + 1, 0)
    return n.astype(np.intp), single.astype(np.intp)


# --- filtering ----------------------------------------------------------------------------------------------


def scope_mask(candidate: NDArray[np.int64], scope: CalibrationScope) -> NDArray[np.bool_]:
    """The rows whose candidate ``scope`` allows: :meth:`CalibrationScope.allows` over a column."""
    keep = np.ones(candidate.size, dtype=bool)
    if scope.exclude:
        keep &= ~np.isin(candidate, np.fromiter(scope.exclude, dtype=np.int64))
    if scope.only is not None:
        keep &= np.isin(candidate, np.fromiter(scope.only, dtype=np.int64))
    return keep


def card_mask(
    cols: Columns,
    candidate: NDArray[np.int64],
    person: NDArray[np.int64],
    opening: NDArray[np.int64],
    held: NDArray[np.int64],
    *,
    scope: CalibrationScope,
    opening_id: int | None,
    since: datetime | date | None,
    until: datetime | date | None,
    interviewer: int | str | None,
) -> NDArray[np.bool_]:
    """The rows (of ratings or of scorecards: their columns given) the filters and the scope keep, as
    calibration._scorecard_filter and _in_scope select them in SQL."""
    from interviewkit.services.calibration import _as_utc

    keep = scope_mask(candidate, scope)
    if opening_id is not None:
        keep &= opening == opening_id
    start, stop = _as_utc(since), _as_utc(until, end=True)
    if start is not None:
        keep &= (held != NO_TIME) & (held >= _us(start))
    if stop is not None:
        keep &= (held != NO_TIME) & ((held <= _us(stop)) if isinstance(until, datetime) else (held < _us(stop)))
    if interviewer is not None:
        if isinstance(interviewer, int):
            keep &= person == interviewer
        else:
            ids = [pid for pid, (name, email) in cols.people.items() if interviewer in (name, email)]
            keep &= np.isin(person, np.array(ids, dtype=np.int64))
    return keep
