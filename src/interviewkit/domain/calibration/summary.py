"""The whole calibration in one call: agreement and variance components per competency and overall,
and interviewer leniency on the overall score.

:func:`calibrate` computes, for each competency and for the overall score (each interviewer's mean over
the competencies they rated for a candidate, see :mod:`.data`):

* Krippendorff's alpha, interval and ordinal metrics, on the candidate x interviewer matrix;
* the six Shrout & Fleiss ICCs with intervals, on a complete block of that matrix (:func:`.complete_block`),
  or None when there is none;
* the REML variance components and ICCs from every rating, with Koo & Li bands of ``icc_absolute``
  and ``icc_consistency`` judged on their intervals;

and, on the overall score, interviewer leniency with empirical-Bayes shrinkage towards 0 using the
REML interviewer variance and flags beyond a margin of ``MARGIN_SD`` (0.2) candidate SDs
(:mod:`.leniency`), the connected components of the design, the leniency-adjusted candidate scores and
each interviewer's drift over time; and from all ratings, each interviewer's rating distribution and
halo profile (:mod:`.profiles`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

import numpy as np

from interviewkit.domain.calibration.agreement import (
    ICCResult,
    alpha_from_observations,
    complete_block,
    koo_li_band,
    shrout_fleiss,
)
from interviewkit.domain.calibration.data import (
    Observations,
    Rating,
    RatingSet,
    cell_means,
    to_matrix,
)
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

__all__ = ["BlockStats", "Calibration", "block_stats", "calibrate"]


@dataclass(frozen=True)
class BlockStats:
    """Agreement statistics of one competency (or of the overall score, ``competency=None``)."""

    competency: str | None
    n_candidates: int
    n_interviewers: int
    n_ratings: int
    alpha_interval: float | None
    alpha_ordinal: float | None
    icc: ICCResult | None
    icc_raters: tuple[str, ...]
    variance: VarianceComponents

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


def block_stats(obs: Observations, competency: str | None) -> BlockStats:
    """Alpha, Shrout & Fleiss ICCs and REML components of one table of observations."""
    cells = cell_means(obs)
    alpha_i = alpha_from_observations(cells.candidate, cells.score, "interval")
    alpha_o = alpha_from_observations(cells.candidate, cells.score, "ordinal")
    icc = None
    raters: tuple[str, ...] = ()
    if obs.n_candidates >= 2 and obs.n_interviewers >= 2:
        matrix = to_matrix(cells)
        block = complete_block(matrix.values)
        if block is not None:
            rows, cols = block
            result = shrout_fleiss(matrix.values[rows][:, cols])
            if result is not None:
                icc = replace(result, rows=tuple(int(r) for r in rows), columns=tuple(int(c) for c in cols))
                raters = tuple(matrix.interviewers[c] for c in cols)
    return BlockStats(
        competency, obs.n_candidates, obs.n_interviewers, obs.n, alpha_i, alpha_o, icc, raters,
        fit_variance_components(obs),
    )


def calibrate(
    ratings: Iterable[Rating], *, min_ratings: int = MIN_RATINGS, scale: Sequence[float] | None = None
) -> Calibration:
    """The calibration statistics of a list of ratings (see the module docstring), with each
    interviewer's rating distribution, halo profile and, when ratings carry times, drift
    (:mod:`.profiles`, :func:`.leniency.drift`). ``scale`` lists the scale's values for the
    distributions (default: the observed ones)."""
    table = RatingSet.from_ratings(ratings)
    blocks = tuple(block_stats(table.of(c), c) for c in table.competencies)
    overall_obs = table.overall()
    overall = block_stats(overall_obs, None)
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
        blocks,
        overall,
        leniency,
        tuple(adjusted_scores(overall_obs, leniency)),
        min_ratings,
        pool,
        tuple(distributions),
        tuple(halo(table)),
        tuple(drift(overall_obs, leniency)) if dated else (),
    )
