"""Ratings as plain data, and the tables the statistics are computed on.

The input of every calibration statistic is a long-format list of :class:`Rating` values: one row per
(candidate, interviewer, competency) with a score, or ``None`` when the competency was not rated. This
module turns that list into integer-coded observations (:class:`Observations`), one table per
competency or for the "overall" score, and into a candidate x interviewer matrix with NaN for missing
cells (:class:`RatingMatrix`).

Choices
-------
* **Overall score.** For a candidate and an interviewer, the overall score is that interviewer's mean
  over the competencies they rated for that candidate (each competency's duplicates averaged first, so a
  competency rated twice does not weigh double). It is one value per (candidate, interviewer) pair: the
  scorecard-level judgement. A plain mean is used, not a latent-trait score, because it is what
  interviewers and hiring managers read on a scorecard; its limitation is that when interviewers assess
  different competencies of the same candidate, a competency that is scored lower for everyone can look
  like a harsh interviewer. The per-competency tables have no such mixing.
* **Duplicates.** An interviewer can rate the same candidate's competency twice (two stages). The
  variance-components model keeps every rating as an observation; the matrix (used by Krippendorff's
  alpha and the Shrout-Fleiss ICCs, which need one value per rater and unit) holds their mean.
* **Not rated.** ``score=None`` ratings are dropped everywhere: "not assessed" is not a low score.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from operator import attrgetter
from typing import Any, overload

import numpy as np
from numpy.typing import NDArray

__all__ = [
    "Column",
    "Observations",
    "Rating",
    "RatingColumns",
    "RatingMatrix",
    "RatingSet",
    "cell_means",
    "competencies_of",
    "observations",
    "pivot",
    "subset",
    "to_matrix",
]

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.intp]


@dataclass(frozen=True, slots=True)
class Rating:
    """One rating: who rated whom on what, and the score (``None``: not rated).

    ``at`` is when the interview took place, if known; only the drift analysis uses it. ``questions`` is
    how many questions on the competency the rating rests on, if known; only the D-study uses it.
    ``question`` and ``stage`` name the question it came from and the loop's stage, if known; only the
    validity analysis uses them (to group scores).
    """

    candidate: str
    interviewer: str
    competency: str
    score: float | None
    at: datetime | None = None
    questions: int | None = None
    question: str | None = None
    stage: str | None = None


Column = tuple[Sequence[Any], NDArray[np.intp]]
"""One field of many ratings: its distinct values (labels) and, per rating, the index of its value."""


@dataclass(frozen=True, eq=False)
class RatingColumns(Sequence[Rating]):
    """Many ratings held as columns, without a :class:`Rating` object per row (a million ratings from a CSV
    file): a sequence of Rating that builds each one only when asked, and that :meth:`RatingSet.from_ratings`
    codes with numpy alone.

    ``candidates``, ``interviewers`` and ``competencies`` are distinct labels; ``candidate[j]`` (and so on)
    indexes them. ``score[j]`` is the score, NaN when not rated. ``at``, ``questions``, ``question`` and
    ``stage`` are the optional fields as :data:`Column` values (labels may be None), or None when no rating
    has the field.
    """

    candidates: tuple[str, ...]
    candidate: IntArray
    interviewers: tuple[str, ...]
    interviewer: IntArray
    competencies: tuple[str, ...]
    competency: IntArray
    score: FloatArray
    at: Column | None = None
    questions: Column | None = None
    question: Column | None = None
    stage: Column | None = None

    def __len__(self) -> int:
        return int(self.score.shape[0])

    @overload
    def __getitem__(self, index: int) -> Rating: ...

    @overload
    def __getitem__(self, index: slice) -> list[Rating]: ...

    def __getitem__(self, index: int | slice) -> Rating | list[Rating]:
        if isinstance(index, slice):
            return [self[j] for j in range(*index.indices(len(self)))]
        j = range(len(self))[index]  # IndexError as a list gives it; negative indices count from the end
        score = float(self.score[j])
        return Rating(
            self.candidates[self.candidate[j]],
            self.interviewers[self.interviewer[j]],
            self.competencies[self.competency[j]],
            None if score != score else score,
            *(None if c is None else c[0][c[1][j]] for c in (self.at, self.questions, self.question, self.stage)),
        )

    def __iter__(self) -> Iterator[Rating]:
        def values(labels: Sequence[Any], codes: IntArray) -> list[Any]:
            table = np.empty(len(labels), dtype=object)
            table[:] = list(labels)
            out: list[Any] = table[codes].tolist()
            return out

        n = len(self)
        scores = [None if v != v else v for v in self.score.tolist()]  # NaN: not rated
        extras = [[None] * n if c is None else values(*c) for c in (self.at, self.questions, self.question, self.stage)]
        return map(
            Rating,
            values(self.candidates, self.candidate),
            values(self.interviewers, self.interviewer),
            values(self.competencies, self.competency),
            scores,
            *extras,
        )

    def __eq__(self, other: object) -> bool:
        """Equal to any sequence of the same ratings in the same order (a list of Rating included)."""
        if not isinstance(other, Sequence) or isinstance(other, str | bytes):
            return NotImplemented
        return len(self) == len(other) and all(a == b for a, b in zip(self, other))

    __hash__ = None  # type: ignore[assignment]


@dataclass(frozen=True)
class Observations:
    """Scored ratings as parallel arrays with integer codes, ready for numpy.

    ``candidate[j]`` and ``interviewer[j]`` index ``candidates`` and ``interviewers``; ``score[j]`` is a
    finite float. ``at[j]`` is a POSIX timestamp in seconds, NaN when unknown. ``questions[j]`` is the
    number of questions the rating rests on, NaN when unknown (``questions`` is None when no rating says).
    Every listed candidate and interviewer has at least one observation.
    """

    candidates: tuple[str, ...]
    interviewers: tuple[str, ...]
    candidate: IntArray
    interviewer: IntArray
    score: FloatArray
    at: FloatArray
    questions: FloatArray | None = None

    @property
    def n(self) -> int:
        return int(self.score.shape[0])

    @property
    def n_candidates(self) -> int:
        return len(self.candidates)

    @property
    def n_interviewers(self) -> int:
        return len(self.interviewers)


@dataclass(frozen=True)
class RatingMatrix:
    """A candidate x interviewer matrix of scores; NaN where the interviewer did not rate the candidate."""

    candidates: tuple[str, ...]
    interviewers: tuple[str, ...]
    values: FloatArray


def _timestamp(when: datetime | None) -> float:
    if when is None:
        return float("nan")
    if when.tzinfo is None:  # naive times are taken as UTC, as the database stores them
        when = when.replace(tzinfo=UTC)
    return when.timestamp()


def _codes(values: Sequence[str]) -> tuple[IntArray, tuple[str, ...]]:
    """Integer codes in order of first appearance, and the labels."""
    labels = tuple(dict.fromkeys(values))
    index = {label: code for code, label in enumerate(labels)}
    return np.array(list(map(index.__getitem__, values)), dtype=np.intp), labels


def _compact(codes: IntArray, labels: Sequence[str]) -> tuple[IntArray, tuple[str, ...]]:
    """Drop labels that have no observation left, keeping the order of the rest."""
    present = np.zeros(len(labels), dtype=bool)
    present[codes] = True
    if present.all():
        return codes, tuple(labels)
    new = np.cumsum(present) - 1
    return new[codes].astype(np.intp), tuple(label for label, p in zip(labels, present) if p)


def _first_seen(codes: NDArray[np.integer[Any]], labels: Sequence[str]) -> tuple[IntArray, tuple[str, ...]]:
    """Codes into ``labels`` recoded in order of first appearance, and the labels that appear, in that order
    (as :func:`_codes` gives them from the labels themselves; ``labels`` are distinct)."""
    if codes.size == 0:
        return np.zeros(0, dtype=np.intp), ()
    first = np.full(len(labels), codes.size, dtype=np.intp)
    np.minimum.at(first, codes, np.arange(codes.size, dtype=np.intp))
    present = np.flatnonzero(first < codes.size)
    present = present[np.argsort(first[present])]
    new = np.zeros(len(labels), dtype=np.intp)
    new[present] = np.arange(present.size, dtype=np.intp)
    return new[codes], tuple(labels[int(k)] for k in present)


def competencies_of(ratings: Iterable[Rating]) -> list[str]:
    """The competencies that have at least one score, in order of first appearance."""
    seen: dict[str, None] = {}
    for r in ratings:
        if r.score is not None:
            seen.setdefault(r.competency, None)
    return list(seen)


@dataclass(frozen=True)
class RatingSet:
    """All scored ratings, coded once; cheap per-competency and overall views of them.

    Build it with :meth:`from_ratings`. ``competency[j]`` indexes ``competencies`` (in order of first
    appearance).
    """

    all: Observations
    competency: IntArray
    competencies: tuple[str, ...]

    @classmethod
    def from_ratings(cls, ratings: Iterable[Rating]) -> RatingSet:
        if isinstance(ratings, RatingColumns):
            return cls.from_columns(ratings)
        rows = [r for r in ratings if r.score is not None]
        cand, cand_labels = _codes(list(map(attrgetter("candidate"), rows)))
        inter, inter_labels = _codes(list(map(attrgetter("interviewer"), rows)))
        comp, comp_labels = _codes(list(map(attrgetter("competency"), rows)))
        score = np.array(list(map(attrgetter("score"), rows)), dtype=np.float64)
        if not np.all(np.isfinite(score)):
            raise ValueError("scores must be finite numbers")
        if any(r.at is not None for r in rows):
            at = np.array([_timestamp(r.at) for r in rows], dtype=np.float64)
        else:
            at = np.full(len(rows), np.nan)
        questions = None
        if any(r.questions is not None for r in rows):
            questions = np.array([np.nan if r.questions is None else r.questions for r in rows], dtype=np.float64)
        return cls(Observations(cand_labels, inter_labels, cand, inter, score, at, questions), comp, comp_labels)

    @classmethod
    def from_columns(cls, columns: RatingColumns) -> RatingSet:
        """The same set as :meth:`from_ratings` of the same ratings (codes in order of first appearance among
        the scored ones, times and question counts as there), computed with numpy: no object per rating."""
        keep = ~np.isnan(columns.score)
        everything = bool(keep.all())

        def kept(codes: IntArray) -> IntArray:
            return codes if everything else codes[keep]

        cand, cand_labels = _first_seen(kept(columns.candidate), columns.candidates)
        inter, inter_labels = _first_seen(kept(columns.interviewer), columns.interviewers)
        comp, comp_labels = _first_seen(kept(columns.competency), columns.competencies)
        score = columns.score[keep] if not everything else columns.score
        if not np.all(np.isfinite(score)):
            raise ValueError("scores must be finite numbers")
        at = None
        if columns.at is not None:
            stamps = np.array([_timestamp(when) for when in columns.at[0]], dtype=np.float64)[kept(columns.at[1])]
            at = stamps if np.isfinite(stamps).any() else None
        questions = None
        if columns.questions is not None:
            counts = np.array([np.nan if q is None else q for q in columns.questions[0]], dtype=np.float64)
            questions = counts[kept(columns.questions[1])]
            questions = questions if np.isfinite(questions).any() else None
        if at is None:
            at = np.full(score.size, np.nan)
        return cls(Observations(cand_labels, inter_labels, cand, inter, score, at, questions), comp, comp_labels)

    def of(self, competency: str) -> Observations:
        """The observations of one competency (only the candidates and interviewers who have one)."""
        if competency not in self.competencies:
            return subset(self.all, np.zeros(self.all.n, dtype=bool))
        return subset(self.all, self.competency == self.competencies.index(competency))

    def overall(self) -> Observations:
        """One observation per (candidate, interviewer): the mean over the competencies rated."""
        return _overall(self.all, self.competency)


def observations(ratings: Sequence[Rating], competency: str | None = None) -> Observations:
    """The scored ratings of one competency as :class:`Observations`, or the overall score when
    ``competency`` is None (one value per candidate and interviewer: the interviewer's mean over the
    competencies they rated, see the module docstring). Each overall observation's time is the latest
    time of the ratings it averages.
    """
    table = RatingSet.from_ratings(ratings)
    return table.overall() if competency is None else table.of(competency)


def _group(keys: Sequence[IntArray], sizes: Sequence[int]) -> tuple[IntArray, IntArray]:
    """Group rows by a tuple of integer keys: (group of each row, first row of each group)."""
    flat = np.zeros(keys[0].shape[0], dtype=np.int64)
    for k, size in zip(keys, sizes):
        flat = flat * size + k
    _, first, inverse = np.unique(flat, return_index=True, return_inverse=True)
    return inverse.astype(np.intp).reshape(-1), first.astype(np.intp)


def _mean_by(group: IntArray, n_groups: int, values: FloatArray) -> FloatArray:
    counts = np.bincount(group, minlength=n_groups).astype(np.float64)
    return np.bincount(group, weights=values, minlength=n_groups) / counts


def _max_by(group: IntArray, n_groups: int, values: FloatArray) -> FloatArray:
    out = np.full(n_groups, -np.inf)
    np.maximum.at(out, group, np.where(np.isnan(values), -np.inf, values))
    out[np.isneginf(out)] = np.nan
    return out


def _overall(obs: Observations, comp: IntArray) -> Observations:
    if obs.n == 0:
        return obs
    n_comp = int(comp.max()) + 1
    # First the mean of each (candidate, interviewer, competency), then of each (candidate, interviewer).
    g3, first3 = _group([obs.candidate, obs.interviewer, comp], [obs.n_candidates, obs.n_interviewers, n_comp])
    mean3 = _mean_by(g3, first3.size, obs.score)
    at3 = _max_by(g3, first3.size, obs.at)
    cand3, inter3 = obs.candidate[first3], obs.interviewer[first3]
    g2, first2 = _group([cand3, inter3], [obs.n_candidates, obs.n_interviewers])
    return Observations(
        obs.candidates,
        obs.interviewers,
        cand3[first2],
        inter3[first2],
        _mean_by(g2, first2.size, mean3),
        _max_by(g2, first2.size, at3),
    )


def cell_means(obs: Observations) -> Observations:
    """One observation per (candidate, interviewer): duplicates averaged (the latest time kept)."""
    if obs.n == 0:
        return obs
    g, first = _group([obs.candidate, obs.interviewer], [obs.n_candidates, obs.n_interviewers])
    if first.size == obs.n:
        return obs
    return Observations(
        obs.candidates,
        obs.interviewers,
        obs.candidate[first],
        obs.interviewer[first],
        _mean_by(g, first.size, obs.score),
        _max_by(g, first.size, obs.at),
    )


def to_matrix(obs: Observations) -> RatingMatrix:
    """The candidate x interviewer matrix (NaN = not rated); duplicates are averaged."""
    cells = cell_means(obs)
    values = np.full((obs.n_candidates, obs.n_interviewers), np.nan)
    values[cells.candidate, cells.interviewer] = cells.score
    return RatingMatrix(obs.candidates, obs.interviewers, values)


def pivot(ratings: Sequence[Rating], competency: str | None = None) -> RatingMatrix:
    """The candidate x interviewer matrix of one competency, or of the overall score (``None``)."""
    return to_matrix(observations(ratings, competency))


def subset(obs: Observations, keep: NDArray[np.bool_]) -> Observations:
    """The observations where ``keep`` is true, with unused candidates and interviewers dropped."""
    cand, cand_labels = _compact(obs.candidate[keep], obs.candidates)
    inter, inter_labels = _compact(obs.interviewer[keep], obs.interviewers)
    questions = None if obs.questions is None else obs.questions[keep]
    return Observations(cand_labels, inter_labels, cand, inter, obs.score[keep], obs.at[keep], questions)
