"""Descriptive profiles of interviewers and questions: how each one rates, compared with everyone.

Rating distribution and central tendency
    Per interviewer: the share of ratings at each scale value, the mean and the SD, next to the same
    figures for the pool of all ratings. The *middle values* of a scale are those strictly between its
    lowest and highest value (2 and 3 on a 1-4 scale). The central-tendency index is the interviewer's
    share of middle values divided by the pool's: 1 is like everyone, 1.3 means 30% more middle ratings
    than the pool (avoiding both ends of the scale), below 1 means more extreme ratings. The SD ratio
    (interviewer SD / pool SD) tells the same story in another way. Neither adjusts for the candidates
    the interviewer happened to meet; the leniency model does that for the mean.

Halo
    A halo is rating every competency of a candidate alike, after a general impression. Per scorecard
    (one candidate, one interviewer, at least two competencies rated), the within-scorecard SD of the
    competency ratings measures how much the interviewer differentiated. The interviewer's halo ratio
    is the mean of their within-scorecard SDs divided by the mean over all scorecards of everyone:
    below 1 means less differentiation than colleagues (a stronger halo). The mean inter-competency
    correlation (Pearson r between each pair of competencies across the interviewer's scorecards, pairs
    with at least 5 scorecards in common, averaged) is given next to it; a value near 1 is a halo.

Pass-through
    The share of an interviewer's recommendations that are "yes" (the upper half of the bank's
    recommendations, e.g. Yes and Strong yes), with Wilson's score interval (E. B. Wilson, "Probable
    inference, the law of succession, and statistical inference", *JASA* 22, 209-212, 1927):
    ``(p + z^2/2n +- z sqrt(p(1-p)/n + z^2/4n^2)) / (1 + z^2/n)``. The panel's rate is the share over
    all recommendations; ``differs`` is set when the interviewer's interval excludes the panel's rate.

Question analytics
    Per question: times asked (in submitted scorecards), the number of loops it was asked in and their
    share of all loops, an exposure flag when it was asked in more than ``EXPOSURE_SHARE`` = 50% of the
    loops (a question that most candidates meet is the one most likely to be shared between candidates;
    rotate an equivalent one in), the mean and SD of the ratings of the competencies it assessed in
    those scorecards, and the point-biserial correlation of those ratings with the final decision
    (hire = 1, no hire = 0; candidates without a hire/no-hire decision are left out), with its n.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from interviewkit.domain.calibration.data import Rating, RatingSet
from interviewkit.domain.quantiles import norm_ppf

__all__ = [
    "EXPOSURE_SHARE",
    "Distribution",
    "HaloProfile",
    "PassThrough",
    "QuestionStats",
    "QuestionUse",
    "halo",
    "pass_through",
    "question_analytics",
    "rating_distributions",
    "wilson_interval",
]

FloatArray = NDArray[np.float64]

EXPOSURE_SHARE = 0.5
MIN_COMMON_SCORECARDS = 5


# --- distributions -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Distribution:
    """How one interviewer (or the pool, ``id=None``) uses the scale."""

    id: str | None
    n: int
    proportions: dict[float, float]
    mean: float | None
    sd: float | None
    middle_share: float | None
    central_tendency: float | None  # middle_share / the pool's middle_share
    sd_ratio: float | None  # sd / the pool's sd


def _describe(label: str | None, scores: FloatArray, scale: Sequence[float]) -> Distribution:
    n = int(scores.size)
    if n == 0:
        return Distribution(label, 0, {float(v): 0.0 for v in scale}, None, None, None, None, None)
    props = {float(v): float(np.count_nonzero(scores == v)) / n for v in scale}
    lo, hi = min(scale), max(scale)
    middle = float(np.count_nonzero((scores > lo) & (scores < hi))) / n
    sd = float(np.std(scores, ddof=1)) if n > 1 else None
    return Distribution(label, n, props, float(scores.mean()), sd, middle, None, None)


def _table(ratings: Iterable[Rating] | RatingSet) -> RatingSet:
    return ratings if isinstance(ratings, RatingSet) else RatingSet.from_ratings(ratings)


def rating_distributions(
    ratings: Iterable[Rating] | RatingSet, scale: Sequence[float] | None = None
) -> tuple[Distribution, list[Distribution]]:
    """The pool's distribution and each interviewer's (in order of first appearance).

    ``scale`` is the list of scale values (default: the distinct observed scores); scores off the scale
    count in n, the mean and the SD but in no proportion.
    """
    obs = _table(ratings).all
    values = sorted({float(v) for v in (scale if scale is not None else np.unique(obs.score))})
    pool = _describe(None, obs.score, values)
    order = np.argsort(obs.interviewer, kind="stable")
    bounds = np.searchsorted(obs.interviewer[order], np.arange(obs.n_interviewers + 1))
    out = []
    for j, label in enumerate(obs.interviewers):
        d = _describe(label, obs.score[order[bounds[j] : bounds[j + 1]]], values)
        ct = d.middle_share / pool.middle_share if d.middle_share is not None and pool.middle_share else None
        sr = d.sd / pool.sd if d.sd is not None and pool.sd else None
        out.append(Distribution(d.id, d.n, d.proportions, d.mean, d.sd, d.middle_share, ct, sr))
    return pool, out


# --- halo ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class HaloProfile:
    """One interviewer's differentiation between competencies within a scorecard."""

    id: str
    scorecards: int  # with at least two competencies rated
    within_sd: float | None
    pool_within_sd: float | None
    ratio: float | None
    inter_competency_r: float | None


def _mean_pairwise_r(matrix: FloatArray) -> float | None:
    """Mean Pearson r over pairs of columns (NaN = missing), pairs with enough rows in common, neither side
    constant. Every pair at once from five matrix products (sums over the rows both columns have), not a
    ``corrcoef`` per pair: 12,000 of them for the large demo's 400 interviewers (issue 17). Scores lie on a
    small scale, so the one-pass sums lose nothing that matters (they agree with corrcoef to ~1e-13); a side
    whose sum of squares about its mean is below 1e-12 of its sum of squares is constant."""
    k = matrix.shape[1]
    if k < 2:
        return None
    rated = ~np.isnan(matrix)
    m = rated.astype(np.float64)
    x = np.where(rated, matrix, 0.0)
    n = m.T @ m  # [a, b]: rows with both
    sx = x.T @ m  # [a, b]: the sum of column a over those rows (so sx.T: of column b)
    sxx = (x * x).T @ m
    sxy = x.T @ x
    a, b = np.triu_indices(k, 1)
    n_ab, sa, sb, saa, sbb = n[a, b], sx[a, b], sx[b, a], sxx[a, b], sxx[b, a]
    enough = n_ab >= MIN_COMMON_SCORECARDS
    with np.errstate(divide="ignore", invalid="ignore"):
        va = saa - sa * sa / n_ab
        vb = sbb - sb * sb / n_ab
        cov = sxy[a, b] - sa * sb / n_ab
        varied = (va > 1e-12 * saa) & (vb > 1e-12 * sbb)
        keep = enough & varied
        r = np.clip(cov[keep] / np.sqrt(va[keep] * vb[keep]), -1.0, 1.0)
    return float(np.mean(r)) if r.size else None


def halo(ratings: Iterable[Rating] | RatingSet) -> list[HaloProfile]:
    """Per interviewer, the within-scorecard SD of competency ratings vs everyone's (module docstring).

    A scorecard is one (candidate, interviewer) pair; a competency rated twice in it counts once (mean).
    """
    table = _table(ratings)
    obs = table.all
    ni, nk = obs.n_interviewers, len(table.competencies)
    if obs.n == 0:
        return []
    # Mean per (scorecard, competency), then the SD over competencies within each scorecard.
    card_key = obs.candidate.astype(np.int64) * ni + obs.interviewer
    cell_key = card_key * nk + table.competency
    cells, cell_of = np.unique(cell_key, return_inverse=True)
    cell_of = cell_of.reshape(-1)
    cell_mean = np.bincount(cell_of, weights=obs.score) / np.bincount(cell_of)
    cell_card = cells // nk
    cell_comp = (cells % nk).astype(np.intp)
    cards, card_of = np.unique(cell_card, return_inverse=True)
    card_of = card_of.reshape(-1)
    m = np.bincount(card_of).astype(np.float64)
    s1 = np.bincount(card_of, weights=cell_mean)
    s2 = np.bincount(card_of, weights=cell_mean**2)
    with np.errstate(divide="ignore", invalid="ignore"):
        sd = np.sqrt(np.maximum(s2 - s1 * s1 / m, 0.0) / (m - 1))
    card_interviewer = (cards % ni).astype(np.intp)
    multi = m >= 2
    pool = float(sd[multi].mean()) if multi.any() else None
    # Each interviewer's multi-competency scorecards and cells, in their order (grouped once, not masked per
    # interviewer: 60 interviewers x a million cells).
    multi_cards = np.flatnonzero(multi)
    multi_cards = multi_cards[np.argsort(card_interviewer[multi_cards], kind="stable")]
    card_bounds = np.searchsorted(card_interviewer[multi_cards], np.arange(ni + 1))
    cell_interviewer = card_interviewer[card_of]
    cells_by = np.argsort(cell_interviewer, kind="stable")
    cell_bounds = np.searchsorted(cell_interviewer[cells_by], np.arange(ni + 1))
    out = []
    for j, label in enumerate(obs.interviewers):
        mine = multi_cards[card_bounds[j] : card_bounds[j + 1]]
        count = int(mine.size)
        within = float(sd[mine].mean()) if count else None
        ratio = within / pool if within is not None and pool else None
        # The interviewer's scorecards x competencies matrix, for the inter-competency correlation.
        in_cells = cells_by[cell_bounds[j] : cell_bounds[j + 1]]
        their_cards, row = np.unique(cell_card[in_cells], return_inverse=True)
        matrix = np.full((their_cards.size, nk), np.nan)
        matrix[row.reshape(-1), cell_comp[in_cells]] = cell_mean[in_cells]
        out.append(HaloProfile(label, count, within, pool, ratio, _mean_pairwise_r(matrix)))
    return out


# --- pass-through ---------------------------------------------------------------------------------------


def wilson_interval(successes: int, n: int, level: float = 0.95) -> tuple[float, float] | None:
    """Wilson's score interval for a proportion; None when n is 0."""
    if n <= 0:
        return None
    z = float(norm_ppf(1 - (1 - level) / 2))
    p = successes / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    return max(0.0, float(centre - half)), min(1.0, float(centre + half))


@dataclass(frozen=True)
class PassThrough:
    """Share of "yes" recommendations of an interviewer (or the panel, ``id=None``)."""

    id: str | None
    n: int
    yes: int
    rate: float | None
    ci: tuple[float, float] | None
    differs: bool = False


def pass_through(recommendations: Iterable[tuple[str, bool]]) -> tuple[PassThrough, list[PassThrough]]:
    """The panel's pass-through rate and each interviewer's, from (interviewer, said yes) pairs."""
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for who, yes in recommendations:
        counts[who][0] += 1
        counts[who][1] += int(bool(yes))
    n_all = sum(c[0] for c in counts.values())
    yes_all = sum(c[1] for c in counts.values())
    panel_rate = yes_all / n_all if n_all else None
    panel = PassThrough(None, n_all, yes_all, panel_rate, wilson_interval(yes_all, n_all))
    out = []
    for who, (n, said_yes) in counts.items():
        ci = wilson_interval(said_yes, n)
        differs = bool(ci is not None and panel_rate is not None and not ci[0] <= panel_rate <= ci[1])
        out.append(PassThrough(who, n, said_yes, said_yes / n, ci, differs))
    return panel, out


# --- questions -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class QuestionUse:
    """A question asked in a submitted scorecard: the loop, the ratings of the competencies it
    assessed in that scorecard, and the candidate's final decision (True hire, False no hire, None
    not decided or another outcome)."""

    question: str
    loop: str
    scores: tuple[float, ...]
    hired: bool | None


@dataclass(frozen=True)
class QuestionStats:
    question: str
    times_asked: int
    loops: int
    loop_share: float
    exposed: bool
    mean: float | None
    sd: float | None
    n_scores: int
    decision_r: float | None  # point-biserial correlation of its ratings with hire (1) / no hire (0)
    decision_n: int


def question_analytics(
    uses: Iterable[QuestionUse],
    total_loops: int,
    *,
    exposure_share: float = EXPOSURE_SHARE,
    groups: Mapping[str, str] | None = None,
) -> list[QuestionStats]:
    """Per question, usage, exposure and how its ratings relate to the decision (module docstring).

    ``total_loops`` is the number of loops in the period analysed (with at least one submitted
    scorecard). Questions come out most asked first. ``groups`` (question -> its variant group's head):
    exposure is counted per group, since a candidate who met one variant knows the story the others ask
    for; a question is flagged when its group was met in more than ``exposure_share`` of the loops.
    """
    by: dict[str, list[QuestionUse]] = defaultdict(list)
    group_loops: dict[str, set[str]] = defaultdict(set)
    for u in uses:
        by[u.question].append(u)
        group_loops[(groups or {}).get(u.question, u.question)].add(u.loop)
    out = []
    for qid, items in by.items():
        loops = len({u.loop for u in items})
        share = loops / total_loops if total_loops else 0.0
        met = len(group_loops[(groups or {}).get(qid, qid)])
        group_share = met / total_loops if total_loops else 0.0
        scores = np.array([s for u in items for s in u.scores], dtype=np.float64)
        mean = float(scores.mean()) if scores.size else None
        sd = float(np.std(scores, ddof=1)) if scores.size > 1 else None
        pairs = [(s, 1.0 if u.hired else 0.0) for u in items if u.hired is not None for s in u.scores]
        r = None
        if len(pairs) >= 3:
            x, h = np.array(pairs).T
            if np.ptp(x) > 0 and np.ptp(h) > 0:
                r = float(np.corrcoef(x, h)[0, 1])
        out.append(QuestionStats(qid, len(items), loops, share, group_share > exposure_share, mean, sd,
                                 int(scores.size), r, len(pairs)))
    out.sort(key=lambda s: (-s.times_asked, s.question))
    return out
