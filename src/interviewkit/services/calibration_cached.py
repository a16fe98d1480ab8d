"""Calibration's readers over the kept columns (:mod:`interviewkit.services.rating_columns`).

The same answers as the SQL readers of :mod:`interviewkit.services.calibration` (tests compare them on both
backends), from numpy masks over the columns: :func:`ratings`, :func:`pass_through`, :func:`question_uses`,
and :func:`question_stats`, the question analytics computed over the columns without a
:class:`QuestionUse` per question asked (900,000 on the large demo).
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable, Mapping
from datetime import date, datetime
from typing import Any, TypeVar

import numpy as np
from numpy.typing import NDArray

from interviewkit.domain.calibration import Column, QuestionUse, RatingColumns, RatingSet
from interviewkit.domain.calibration.leniency import LeniencyByCompetency
from interviewkit.domain.calibration.profiles import EXPOSURE_SHARE, QuestionStats
from interviewkit.services.access import Actor
from interviewkit.services.policy import CalibrationScope, calibration_scope
from interviewkit.services.rating_columns import Columns, Progress, card_mask, columns
from interviewkit.storage.db import Database

__all__ = ["forget_answers", "leniency_by_competency", "pass_through", "question_stats", "question_uses", "ratings"]

Period = dict[str, Any]  # opening_id, since, until


def _scope(db: Database, by: Actor) -> CalibrationScope:
    with db.session() as s:
        return calibration_scope(s, by)


def _labels(cols: Columns, ids: NDArray[np.int64], scope: CalibrationScope) -> dict[int, str]:
    from interviewkit.services.calibration import _interviewer_labels

    named = _interviewer_labels((int(p), *cols.people[int(p)]) for p in ids.tolist())
    return {pid: scope.label(pid, label) for pid, label in named.items()}


def _first_seen(codes: NDArray[np.intp]) -> tuple[NDArray[np.intp], NDArray[np.intp]]:
    """The distinct codes in order of first appearance, and each row's index among them."""
    distinct, first, inverse = np.unique(codes, return_index=True, return_inverse=True)
    order = np.argsort(first, kind="stable")
    rank = np.empty(order.size, dtype=np.intp)
    rank[order] = np.arange(order.size)
    return distinct[order], rank[inverse.reshape(-1)]


def _rating_rows(cols: Columns, scope: CalibrationScope, competency: str | None, **period: Any) -> NDArray[np.intp]:
    keep = card_mask(cols, cols.candidate, cols.person, cols.opening, cols.held, scope=scope, **period)
    if competency is not None:
        keep &= cols.competency == (cols.competencies.index(competency) if competency in cols.competencies else -1)
    return np.flatnonzero(keep)


def leniency_by_competency(db: Database, *, by: Actor) -> LeniencyByCompetency:
    """The leniency fits of every rating ``by`` may use, per competency, fitted on first use and kept with the
    columns (a write moves the stamp: new columns, new fits), so a debrief's second candidate costs no fit."""
    cols = columns(db)
    scope = _scope(db, by)
    period: Period = {"opening_id": None, "since": None, "until": None, "interviewer": None}
    key = ("ratings", scope.everyone, scope.person_id, scope.only, scope.exclude, None, *period.values())
    every = _kept(cols, key, lambda: _ratings(cols, scope, None, period))
    return _kept(cols, ("leniency", *key[1:]), lambda: LeniencyByCompetency(RatingSet.from_columns(every)))


def ratings(
    db: Database,
    *,
    by: Actor,
    opening_id: int | None = None,
    since: datetime | date | None = None,
    until: datetime | date | None = None,
    competency: str | None = None,
    interviewer: int | str | None = None,
    progress: Progress | None = None,
) -> RatingColumns:
    """:func:`~interviewkit.services.calibration.ratings_from_db` over the kept columns."""
    cols = columns(db, progress)
    scope = _scope(db, by)
    period = {"opening_id": opening_id, "since": since, "until": until, "interviewer": interviewer}
    key = ("ratings", scope.everyone, scope.person_id, scope.only, scope.exclude, competency, *period.values())
    return _kept(cols, key, lambda: _ratings(cols, scope, competency, period))


# What was computed from the kept columns, per question (the scope and filters): the same object for the same
# question while the database has not changed, so calibration_report also remembers the statistics of a
# RatingColumns (by identity). New columns (a write) start afresh; the oldest answer goes past _KEEP.
_answers: weakref.WeakKeyDictionary[Columns, dict[tuple[Any, ...], Any]] = weakref.WeakKeyDictionary()
_lock = threading.Lock()
_KEEP = 24
T = TypeVar("T")


def forget_answers() -> None:
    """Drop every remembered answer, keeping the columns (benchmarks time a filter's first computation)."""
    with _lock:
        _answers.clear()


def _kept(cols: Columns, key: tuple[Any, ...], compute: Callable[[], T]) -> T:
    with _lock:
        kept = _answers.setdefault(cols, {})
        found = kept.get(key)
    if found is None:
        found = compute()
        with _lock:
            if len(kept) >= _KEEP:
                kept.pop(next(iter(kept)))
            kept[key] = found
    return found


def _ratings(cols: Columns, scope: CalibrationScope, competency: str | None, period: Period) -> RatingColumns:
    idx = _rating_rows(cols, scope, competency, **period)
    if not idx.size:
        none = np.zeros(0, dtype=np.intp)
        return RatingColumns((), none, (), none, (), none, np.zeros(0))
    person, person_ids = np.unique(cols.person[idx], return_inverse=True)
    labels = _labels(cols, person, scope)
    from interviewkit.services.calibration import _merged

    who, who_ids = _merged([labels[int(p)] for p in person.tolist()], person_ids.reshape(-1).astype(np.intp))
    cand, cand_ids = np.unique(cols.candidate[idx], return_inverse=True)
    comp_codes, comp_ids = _first_seen(cols.competency[idx])
    time_codes, time_ids = _first_seen(cols.time[idx])
    questions, question = _question_columns(cols, idx, scope, comp_codes, period)
    return RatingColumns(
        tuple(str(c) for c in cand.tolist()), cand_ids.reshape(-1).astype(np.intp), who, who_ids,
        tuple(cols.competencies[k] for k in comp_codes.tolist()), comp_ids, cols.score[idx],
        ([cols.times[k] for k in time_codes.tolist()], time_ids), questions, question,
    )  # fmt: skip


def _question_columns(
    cols: Columns, idx: NDArray[np.intp], scope: CalibrationScope, comp_codes: NDArray[np.intp], period: Period
) -> tuple[Column | None, Column | None]:
    """The ``questions`` and ``question`` columns of the rows ``idx`` (calibration._asked_columns')."""
    n = cols.n_questions[idx]
    if not n.max() and not _any_asked(cols, scope, comp_codes, period):
        return None, None
    used, codes = np.unique(cols.single[idx], return_inverse=True)
    names = [cols.questions[k - 1] for k in used.tolist() if k > 0]
    codes = codes.reshape(-1).astype(np.intp) + (0 if used[0] == 0 else 1)
    return ([None, *range(1, int(n.max()) + 1)], n), ([None, *names], codes)


def _any_asked(cols: Columns, scope: CalibrationScope, comp_codes: NDArray[np.intp], period: Period) -> bool:
    """Whether a question asked in a scorecard of the filters assesses one of the competencies rated."""
    cards = cols.cards
    keep = card_mask(cols, cards.candidate, cards.person, cards.opening, cards.held, scope=scope, **period)
    versions = np.unique(cols.asked_version[np.isin(cols.asked_card, cards.id[keep])])
    rated = {cols.competencies[k] for k in comp_codes.tolist()}
    return any(cols.assesses.get(int(v), frozenset()) & rated for v in versions.tolist())


def pass_through(
    db: Database, yes: set[str], *, by: Actor, progress: Progress | None = None, **period: Any
) -> list[tuple[str, bool]]:
    """:func:`~interviewkit.services.calibration.pass_through_from_db` over the kept columns (``yes``: the
    recommendations that count as yes)."""
    cols = columns(db, progress)
    scope = _scope(db, by)
    key = ("pass", scope.everyone, scope.person_id, scope.only, scope.exclude, frozenset(yes), *period.values())
    return _kept(cols, key, lambda: _pass_through(cols, scope, yes, period))


def _pass_through(cols: Columns, scope: CalibrationScope, yes: set[str], period: Period) -> list[tuple[str, bool]]:
    cards = cols.cards
    keep = card_mask(cols, cards.candidate, cards.person, cards.opening, cards.held, scope=scope, **period)
    rows = [k for k in np.flatnonzero(keep).tolist() if cards.recommendation[k] is not None]
    labels = _labels(cols, np.unique(cards.person[rows]), scope)
    return [(labels[int(cards.person[k])], cards.recommendation[k] in yes) for k in rows]


def _card_rows(cols: Columns, scope: CalibrationScope, period: Period) -> NDArray[np.intp]:
    cards = cols.cards
    keep = card_mask(cols, cards.candidate, cards.person, cards.opening, cards.held, scope=scope,
                     interviewer=None, **period)  # fmt: skip
    return np.flatnonzero(keep)


def _hired(cols: Columns, rows: NDArray[np.intp]) -> NDArray[np.float64]:
    """1.0 for a hire, 0.0 for no hire, NaN otherwise: each scorecard's candidate's decision in force."""
    return cols.cards.hired[rows]


def question_uses(
    db: Database, *, by: Actor, progress: Progress | None = None, **period: Any
) -> tuple[list[QuestionUse], int]:
    """:func:`~interviewkit.services.calibration.question_uses_from_db` over the kept columns."""
    cols = columns(db, progress)
    rows = _card_rows(cols, _scope(db, by), period)
    if not rows.size:
        return [], 0
    card_ids = cols.cards.id[rows]
    use, rated_card, rated = _uses(cols, card_ids)
    hired = dict(zip(card_ids.tolist(), _hired(cols, rows).tolist(), strict=True))
    loop = dict(zip(card_ids.tolist(), cols.cards.loop[rows].tolist(), strict=True))
    scores: list[list[float]] = [[] for _ in range(use.size)]
    for u, k in zip(rated_card.tolist(), rated.tolist(), strict=True):
        scores[u].append(float(cols.score[k]))
    out = []
    for j, a in enumerate(use.tolist()):
        card = int(cols.asked_card[a])
        h = hired[card]
        out.append(QuestionUse(cols.questions[cols.asked_question[a]], str(loop[card]), tuple(scores[j]),
                               None if h != h else h == 1.0))  # fmt: skip
    return out, len(set(loop.values()))


def _uses(cols: Columns, card_ids: NDArray[np.int64]) -> tuple[NDArray[np.intp], NDArray[np.intp], NDArray[np.intp]]:
    """The questions asked in the scorecards ``card_ids`` (rows of the asked columns), and the pairs
    (use, rating) of each use with the scored ratings of its scorecard on a competency it assesses."""
    use = np.flatnonzero(np.isin(cols.asked_card, card_ids))
    scored = np.flatnonzero(np.isin(cols.card, card_ids) & ~np.isnan(cols.score))
    scored = scored[np.argsort(cols.card[scored], kind="stable")]
    by_card = cols.card[scored]
    lo = np.searchsorted(by_card, cols.asked_card[use], "left")
    reps = np.searchsorted(by_card, cols.asked_card[use], "right") - lo
    pair_use = np.repeat(np.arange(use.size), reps)
    pair_rating = scored[np.repeat(lo - np.cumsum(reps) + reps, reps) + np.arange(pair_use.size)]
    versions, v_index = np.unique(cols.asked_version[use], return_inverse=True)
    table = np.zeros((versions.size, len(cols.competencies)), dtype=bool)
    where = {c: k for k, c in enumerate(cols.competencies)}
    for i, vid in enumerate(versions.tolist()):
        for c in cols.assesses.get(int(vid), ()):
            if c in where:
                table[i, where[c]] = True
    ok = table[v_index.reshape(-1)[pair_use], cols.competency[pair_rating]]
    return use, pair_use[ok], pair_rating[ok]


def question_stats(
    db: Database,
    *,
    by: Actor,
    groups: Mapping[str, str] | None = None,
    only: set[str] | None = None,
    progress: Progress | None = None,
    **period: Any,
) -> tuple[list[QuestionStats], int]:
    """:func:`~interviewkit.domain.calibration.profiles.question_analytics` of :func:`question_uses`, and
    the number of loops, computed over the columns; ``only``: the questions to keep (the competency filter)."""
    cols = columns(db, progress)
    scope = _scope(db, by)
    key = ("questions", scope.only, scope.exclude, tuple(sorted((groups or {}).items())),
           None if only is None else frozenset(only), *period.values())  # fmt: skip
    return _kept(cols, key, lambda: _question_stats(cols, scope, groups or {}, only, period))


def _question_stats(
    cols: Columns, scope: CalibrationScope, groups: Mapping[str, str], only: set[str] | None, period: Period
) -> tuple[list[QuestionStats], int]:
    rows = _card_rows(cols, scope, period)
    if not rows.size:
        return [], 0
    card_ids = cols.cards.id[rows]
    use, pair_use, pair_rating = _uses(cols, card_ids)
    total = int(np.unique(cols.cards.loop[rows]).size)
    pos = np.searchsorted(card_ids, cols.asked_card[use])
    q = cols.asked_question[use]
    if only is not None:
        allowed = np.array([qid in only for qid in cols.questions], dtype=bool)
        kept = allowed[q] if q.size else np.zeros(0, dtype=bool)
        pair_keep = kept[pair_use]
        use, q, pos, pair_use, pair_rating = use[kept], q[kept], pos[kept], pair_use[pair_keep], pair_rating[pair_keep]
        pair_use = np.cumsum(kept)[pair_use] - 1  # renumbered among the uses kept
    loops = cols.cards.loop[rows][pos]
    hired = _hired(cols, rows)[pos]
    return _stats(cols, q, loops, hired, pair_use, cols.score[pair_rating], total, groups), total


def _stats(
    cols: Columns, q: NDArray[np.intp], loops: NDArray[np.int64], hired: NDArray[np.float64],
    pair_use: NDArray[np.intp], x: NDArray[np.float64], total: int, groups: Mapping[str, str],
) -> list[QuestionStats]:  # fmt: skip
    n_q = len(cols.questions)
    times = np.bincount(q, minlength=n_q)
    loop_count = np.bincount(_distinct_pairs(q, loops), minlength=n_q)
    heads, head = np.unique([groups.get(qid, qid) for qid in cols.questions] or [""], return_inverse=True)
    met = np.bincount(_distinct_pairs(head.reshape(-1)[q], loops), minlength=heads.size)
    pq, h = q[pair_use], hired[pair_use]
    n = np.bincount(pq, minlength=n_q)
    mean = np.bincount(pq, weights=x, minlength=n_q) / np.maximum(n, 1)
    ss = np.bincount(pq, weights=(x - mean[pq]) ** 2, minlength=n_q)
    decided = ~np.isnan(h)
    r, dn = _decision_r(pq[decided], x[decided], h[decided], n_q)
    out = []
    for k in np.flatnonzero(times).tolist():
        share = loop_count[k] / total if total else 0.0
        exposed = (met[head.reshape(-1)[k]] / total if total else 0.0) > EXPOSURE_SHARE
        out.append(QuestionStats(
            cols.questions[k], int(times[k]), int(loop_count[k]), share, bool(exposed),
            float(mean[k]) if n[k] else None, float(np.sqrt(ss[k] / (n[k] - 1))) if n[k] > 1 else None,
            int(n[k]), r[k], int(dn[k]),
        ))  # fmt: skip
    out.sort(key=lambda s: (-s.times_asked, s.question))
    return out


def _distinct_pairs(a: NDArray[np.intp], b: NDArray[np.int64]) -> NDArray[np.intp]:
    """``a`` of each distinct pair (a, b) (one sort of one key per pair, not np.unique over rows)."""
    if not a.size:
        return a
    span = int(b.max()) + 1
    return (np.unique(a.astype(np.int64) * span + b) // span).astype(np.intp)


def _decision_r(
    q: NDArray[np.intp], x: NDArray[np.float64], h: NDArray[np.float64], n_q: int
) -> tuple[list[float | None], NDArray[np.intp]]:
    """Per question, the correlation of its scores with the decision (None: fewer than 3 pairs, or either
    side constant), and the number of pairs."""
    n = np.bincount(q, minlength=n_q)
    out: list[float | None] = [None] * n_q
    if not q.size:
        return out, n
    order = np.argsort(q, kind="stable")
    qs, xs, hs = q[order], x[order], h[order]
    starts = np.searchsorted(qs, np.arange(n_q))
    for k in np.flatnonzero(n >= 3).tolist():
        a, b = starts[k], starts[k] + n[k]
        xk, hk = xs[a:b], hs[a:b]
        if np.ptp(xk) > 0 and np.ptp(hk) > 0:
            out[k] = float(np.corrcoef(xk, hk)[0, 1])
    return out, n
