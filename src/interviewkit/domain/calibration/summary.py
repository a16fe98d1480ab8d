"""The whole calibration in one call: agreement and variance components per competency and overall,
and interviewer leniency on the overall score.

:func:`calibrate` computes, for each competency and for the overall score (each interviewer's mean over
the competencies they rated for a candidate, see :mod:`.data`):

* Krippendorff's alpha, interval and ordinal metrics, on the candidate x interviewer matrix;
* the REML variance components and ICCs from every rating, with Koo & Li bands of ``icc_absolute``
  and ``icc_consistency`` judged on their intervals;
* the six ICC forms as the headline (:class:`Coefficients`): on a complete design (every interviewer rated
  every candidate) Shrout & Fleiss's ANOVA forms with their F intervals; on an incomplete one the same six
  from the REML components, which use every rating (ICC(1,1) and ICC(2,1) estimate the same population
  value under the crossed random model, ``icc_absolute``; ICC(3,1) is ``icc_consistency``; the ``k`` forms
  are their Spearman-Brown step-ups to the harmonic mean number of interviewers per candidate, intervals
  stepped up alike). Shrout & Fleiss on the largest complete block found (:func:`.complete_block`) is
  still computed there, as :attr:`BlockStats.icc`, for comparison only: the block is a subset, often tiny,
  chosen greedily and arbitrarily among ties;
* in words, what could not be estimated and why (:attr:`BlockStats.notes`);

and, on the overall score, interviewer leniency with empirical-Bayes shrinkage towards 0 using the
REML interviewer variance and flags beyond a margin of ``MARGIN_SD`` (0.2) candidate SDs
(:mod:`.leniency`), the connected components of the design, the leniency-adjusted candidate scores and
each interviewer's drift over time; and from all ratings, each interviewer's rating distribution and
halo profile (:mod:`.profiles`).
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

import numpy as np
from numpy.typing import NDArray

from interviewkit.domain.calibration.agreement import (
    ICCResult,
    alpha_from_observations,
    complete_block_of_cells,
    koo_li_band,
    shrout_fleiss,
)
from interviewkit.domain.calibration.data import (
    Observations,
    Rating,
    RatingSet,
    cell_means,
)
from interviewkit.domain.calibration.gstudy import question_share
from interviewkit.domain.calibration.leniency import (
    MARGIN_SD,
    MIN_RATINGS,
    AdjustedScore,
    Drift,
    LeniencyResult,
    adjusted_scores,
    drift,
    fit_leniency,
)
from interviewkit.domain.calibration.profiles import (
    Distribution,
    HaloProfile,
    halo,
    rating_distributions,
)
from interviewkit.domain.calibration.variance import (
    VarianceComponents,
    fit_variance_components,
)

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.intp]

__all__ = ["BlockCache", "BlockStats", "Calibration", "Coefficients", "block_stats", "calibrate", "reml_coefficients"]


@dataclass(frozen=True)
class Coefficients:
    """The six ICC forms shown as the headline, and where they come from.

    ``source`` is "anova" (Shrout & Fleiss on a complete design) or "reml" (from the variance components
    of an incomplete one); ``k`` is the number of interviewers per candidate the ``(.,k)`` forms are for
    (on an incomplete design the harmonic mean over candidates).
    """

    source: str
    k: float
    values: dict[str, float | None]
    ci: dict[str, tuple[float, float] | None]


def _step_up(value: float | None, k: float) -> float | None:
    """Spearman-Brown: the reliability of the mean of k interviewers from that of one."""
    if value is None:
        return None
    den = 1.0 + (k - 1.0) * value
    return k * value / den if den > 0 else None


def reml_coefficients(vc: VarianceComponents, k: float) -> Coefficients:
    """The six ICC forms from the REML components (see the module docstring)."""
    absolute, consistency = vc.icc_absolute, vc.icc_consistency

    def up(ci: tuple[float, float] | None) -> tuple[float, float] | None:
        if ci is None:
            return None
        low, high = _step_up(ci[0], k), _step_up(ci[1], k)
        return None if low is None or high is None else (low, high)

    values = {
        "ICC1": absolute, "ICC2": absolute, "ICC3": consistency,
        "ICC1k": _step_up(absolute, k), "ICC2k": _step_up(absolute, k), "ICC3k": _step_up(consistency, k),
    }
    ci = {
        "ICC1": vc.icc_absolute_ci, "ICC2": vc.icc_absolute_ci, "ICC3": vc.icc_consistency_ci,
        "ICC1k": up(vc.icc_absolute_ci), "ICC2k": up(vc.icc_absolute_ci), "ICC3k": up(vc.icc_consistency_ci),
    }
    return Coefficients("reml", k, values, ci)


@dataclass(frozen=True)
class BlockStats:
    """Agreement statistics of one competency (or of the overall score, ``competency=None``).

    ``coefficients`` are the headline ICC forms; ``icc`` is Shrout & Fleiss on the complete block found
    (``icc_raters``): the whole table when ``complete``, otherwise a subset kept for comparison only.
    """

    competency: str | None
    n_candidates: int
    n_interviewers: int
    n_ratings: int
    alpha_interval: float | None
    alpha_ordinal: float | None
    icc: ICCResult | None
    icc_raters: tuple[str, ...]
    variance: VarianceComponents
    coefficients: Coefficients | None = None
    complete: bool = False
    notes: tuple[str, ...] = ()
    questions_per_rating: float = 1.0  # the D-study's history: mean questions behind a rating (1: unknown)
    question_share: float | None = None  # the share of the residual that averages over questions (None: unknown)

    @property
    def band_absolute(self) -> str:
        return koo_li_band(self.variance.icc_absolute_ci)

    @property
    def band_consistency(self) -> str:
        return koo_li_band(self.variance.icc_consistency_ci)


@dataclass(frozen=True)
class Calibration:
    """Everything :func:`calibrate` found."""

    n_ratings: int
    n_candidates: int
    n_interviewers: int
    competencies: tuple[BlockStats, ...]
    overall: BlockStats
    leniency: LeniencyResult
    adjusted: tuple[AdjustedScore, ...]
    min_ratings: int
    pool_distribution: Distribution
    distributions: tuple[Distribution, ...]
    halo: tuple[HaloProfile, ...]
    drift: tuple[Drift, ...]  # empty when no rating has a time


def _raters_per_candidate(cells: Observations) -> float:
    """The harmonic mean number of interviewers per candidate (G-theory's for an unbalanced design)."""
    per = np.bincount(cells.candidate, minlength=cells.n_candidates).astype(np.float64)
    per = per[per > 0]
    return float(per.size / np.sum(1.0 / per)) if per.size else 0.0


def _alpha_note(cells: Observations, alpha: float | None) -> list[str]:
    if alpha is not None:
        return []
    per = np.bincount(cells.candidate, minlength=cells.n_candidates)
    if not np.any(per >= 2):
        return ["No candidate was rated by two interviewers: Krippendorff's alpha is undefined."]
    return ["The ratings of candidates rated twice are all equal: Krippendorff's alpha is undefined."]


def _block_values(cells: Observations, rows: IntArray, cols: IntArray) -> FloatArray:
    """The ``rows x cols`` block of the candidate x interviewer matrix of ``cells`` (one per pair)."""
    row_at = np.full(cells.n_candidates, -1, dtype=np.intp)
    row_at[rows] = np.arange(rows.size)
    col_at = np.full(cells.n_interviewers, -1, dtype=np.intp)
    col_at[cols] = np.arange(cols.size)
    i, j = row_at[cells.candidate], col_at[cells.interviewer]
    inside = (i >= 0) & (j >= 0)
    values = np.full((rows.size, cols.size), np.nan)
    values[i[inside], j[inside]] = cells.score[inside]
    return np.asfortranarray(values)  # laid out as matrix[rows][:, cols] was: its sums, to the last bit


def block_stats(obs: Observations, competency: str | None) -> BlockStats:
    """Alpha, the headline ICCs, Shrout & Fleiss on a complete block and REML components of one table."""
    cells = cell_means(obs)
    alpha_i = alpha_from_observations(cells.candidate, cells.score, "interval")
    alpha_o = alpha_from_observations(cells.candidate, cells.score, "ordinal")
    variance = fit_variance_components(obs)
    icc = None
    raters: tuple[str, ...] = ()
    complete = False
    if obs.n_candidates >= 2 and obs.n_interviewers >= 2:
        # No dense candidate x interviewer matrix: 60,000 x 400 on the large demo (issue 17).
        complete = cells.n == obs.n_candidates * obs.n_interviewers
        block = complete_block_of_cells(cells.candidate, cells.interviewer, obs.n_candidates, obs.n_interviewers)
        if block is not None:
            rows, cols = block
            result = shrout_fleiss(_block_values(cells, rows, cols))
            if result is not None:
                icc = replace(result, rows=tuple(int(r) for r in rows), columns=tuple(int(c) for c in cols))
                raters = tuple(cells.interviewers[c] for c in cols)
    notes = _alpha_note(cells, alpha_i)
    coefficients = None
    if complete and icc is not None:
        coefficients = Coefficients("anova", float(icc.k), dict(icc.values), dict(icc.ci))
    elif variance.icc_absolute is not None:
        k = _raters_per_candidate(cells)
        coefficients = reml_coefficients(variance, k)
        if obs.n_interviewers >= 2:
            notes.append(
                "Not every interviewer rated every candidate, so the ICC forms come from the REML variance "
                f"components of every rating (k = {k:.2f} interviewers per candidate, the harmonic mean); "
                "Shrout & Fleiss's ANOVA forms need a complete design."
            )
    share, per_rating = None, 1.0
    if obs.questions is not None:
        share, per_rating = question_share(obs.candidate, obs.interviewer, obs.score, obs.questions, variance.residual)
    return BlockStats(
        competency, obs.n_candidates, obs.n_interviewers, obs.n, alpha_i, alpha_o, icc, raters, variance,
        coefficients, complete, tuple(notes) + variance.notes, per_rating, share,
    )


class BlockCache:
    """:func:`block_stats` results kept by the exact content of their observations (labels, codes, scores,
    times, question counts: a digest of every byte), so that a calibration after a write refits only the
    tables the write changed: a new rating of one competency leaves the other competencies' REML fits and
    their profile-likelihood intervals (seconds each on the large demo) as they were. The same input gives
    the same numbers, so what is reused equals a refit exactly. Bounded (least recently used go first) and
    safe to share between threads."""

    def __init__(self, capacity: int = 96) -> None:
        self._kept: OrderedDict[bytes, BlockStats] = OrderedDict()
        self._lock = threading.Lock()
        self.capacity = capacity
        self.hits = self.misses = 0

    def clear(self) -> None:
        with self._lock:
            self._kept.clear()

    def block_stats(self, obs: Observations, competency: str | None) -> BlockStats:
        """:func:`block_stats` of ``obs``, computed unless the same table was computed before."""
        key = _digest(obs, competency)
        with self._lock:
            found = self._kept.get(key)
            if found is not None:
                self._kept.move_to_end(key)
                self.hits += 1
                return found
        found = block_stats(obs, competency)
        with self._lock:
            self.misses += 1
            self._kept[key] = found
            while len(self._kept) > self.capacity:
                self._kept.popitem(last=False)
        return found


def _digest(obs: Observations, competency: str | None) -> bytes:
    h = hashlib.blake2b(digest_size=32)
    h.update(b"-" if competency is None else b"c" + competency.encode())
    for labels in (obs.candidates, obs.interviewers):
        h.update(len(labels).to_bytes(8, "little"))
        h.update("".join(f"{len(x)}:{x}" for x in labels).encode())
    arrays = [obs.candidate, obs.interviewer, obs.score, obs.at]
    for a in [*arrays, *(() if obs.questions is None else (obs.questions,))]:
        h.update(f"{a.dtype.str}{a.shape}".encode())
        h.update(np.ascontiguousarray(a).tobytes())
    return h.digest()


def calibrate(
    ratings: Iterable[Rating] | RatingSet,
    *,
    min_ratings: int = MIN_RATINGS,
    scale: Sequence[float] | None = None,
    blocks: BlockCache | None = None,
) -> Calibration:
    """The calibration statistics of a list of ratings, or of the :class:`.RatingSet` coded from them (see the
    module docstring), with each interviewer's rating distribution, halo profile and, when ratings carry
    times, drift (:mod:`.profiles`, :func:`.leniency.drift`). ``scale`` lists the scale's values for the
    distributions (default: the observed ones). ``blocks`` keeps the agreement tables' statistics between
    calls (:class:`BlockCache`): a table equal to one computed before is not computed again."""
    table = ratings if isinstance(ratings, RatingSet) else RatingSet.from_ratings(ratings)
    stats_of = block_stats if blocks is None else blocks.block_stats
    blocks_found = tuple(stats_of(table.of(c), c) for c in table.competencies)
    overall_obs = table.overall()
    overall = stats_of(overall_obs, None)
    counts = np.bincount(table.all.interviewer, minlength=table.all.n_interviewers)
    per_interviewer = {label: int(n) for label, n in zip(table.all.interviewers, counts)}
    tau2 = overall.variance.interviewer
    margin = MARGIN_SD * float(np.sqrt(overall.variance.candidate or 0.0))
    leniency = fit_leniency(
        overall_obs, tau2=tau2, min_ratings=min_ratings, margin=margin, n_ratings=per_interviewer
    )
    pool, distributions = rating_distributions(table, scale)
    dated = bool(np.isfinite(overall_obs.at).any())
    return Calibration(
        table.all.n,
        table.all.n_candidates,
        table.all.n_interviewers,
        blocks_found,
        overall,
        leniency,
        tuple(adjusted_scores(overall_obs, leniency)),
        min_ratings,
        pool,
        tuple(distributions),
        tuple(halo(table)),
        tuple(drift(overall_obs, leniency)) if dated else (),
    )
