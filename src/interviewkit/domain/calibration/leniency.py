"""Interviewer leniency: who scores higher or lower than their colleagues on the same candidates.

The additive model
------------------
On the observed (candidate, interviewer) cells,

    y_ci = a_c + b_i + e_ci,   e ~ (0, s2),

fitted by least squares with the candidate effects ``a_c`` fixed: an interviewer's effect ``b_i`` is how
much higher they score than the other interviewers *who saw the same candidates*, so an interviewer who
happened to meet strong candidates is not called lenient. (Reference: the two-way additive model without
interaction on an incomplete design, e.g. H. Scheffe, *The Analysis of Variance*, 1959, ch. 4, and for
interviewer effects specifically, the rater-severity literature, e.g. J. M. Linacre, *Many-Facet Rasch
Measurement*, 1989, whose additive "facets" this is the linear analogue of.)

Connectivity. Effects are only comparable when interviewers are linked through shared candidates: the
bipartite candidate-interviewer graph is split into its connected components
(:func:`.counts.connected_labels`) and within each one the interviewer effects are
constrained to sum to zero. Effects in different components are on different, unrelated zeros; the
result says which component each interviewer is in (0 is the largest). An interviewer alone in a
component (every candidate they saw was seen by nobody else) has no estimable effect (None).

Estimation. Absorbing the candidates gives the reduced normal equations ``L b = r`` with
``L = diag(n_i) - N' diag(1/n_c) N`` (``N``: the candidate x interviewer count matrix) and
``r_i = sum_c N_ci (ybar_i-cells - ybar_c)``; ``L`` is a weighted graph Laplacian whose null space is
spanned by the components' indicator vectors. Per component with ``m`` interviewers,
``b = (L + J/m)^-1 r`` is the solution that sums to zero, and ``L^+ = (L + J/m)^-1 - J/m`` (Moore-Penrose),
so ``Var(b) = s2 L^+`` with ``s2 = SSE / (N - n_candidates - n_interviewers + n_components)``.

Shrinkage. Raw effects of interviewers with few ratings are noisy. The empirical-Bayes estimate treats
``b_i ~ N(0, tau2)`` and ``b_hat_i | b_i ~ N(b_i, se_i^2)``:

    shrunk_i = b_hat_i * B_i,   B_i = tau2 / (tau2 + se_i^2),   posterior SD = se_i * sqrt(B_i),

with ``tau2`` the REML interviewer variance of the crossed random-effects model fitted to the same data
(:mod:`.variance`) when it is given, else the method-of-moments ``max(0, mean(b_hat^2) - mean(se^2))``.
(C. N. Morris, "Parametric empirical Bayes inference", *JASA* 78, 47-55, 1983.)

Flags. An interviewer is flagged when

* the 95% posterior interval of the shrunk effect, ``shrunk +- 1.96 * se * sqrt(B)``, lies entirely
  outside ``[-margin, +margin]`` (with ``margin = 0``: excludes 0), and
* they rated at least ``MIN_RATINGS`` = 10 candidates.

The posterior interval is used rather than the raw effect's, because with tens of interviewers a raw 95%
interval would flag about one in twenty even-handed interviewers; the posterior interval excludes 0 only
when ``|b_hat| / se > 1.96 / sqrt(B)``, which demands more evidence exactly where the effect is noisy
relative to the real spread of interviewers (and flags nobody when REML finds no interviewer variance).

The margin is a minimum effect worth a conversation. :func:`~.summary.calibrate` sets it to
``MARGIN_SD`` = 0.2 standard deviations of the candidates' true scores (``0.2 * sqrt(s2c)``, Cohen's
"small" effect: an interviewer who moves every candidate by a fifth of the spread between candidates).
Without it, sum-to-zero effects make one very lenient interviewer pull every colleague's effect down by
``effect / number of interviewers``, and with hundreds of ratings each, those shifts (of no practical
consequence) become "significant". The interval must clear the margin, not just the point estimate.

The minimum of 10 candidates keeps the normal approximation and the pooled-variance standard error
reasonable and means the conversation with the interviewer is about a pattern, not two candidates.

Adjusted candidate scores
-------------------------
``adjusted_c = mean over the candidate's cells of (y_ci - b_i)``. Because least squares makes each
candidate's residuals sum to zero, this is exactly ``a_c``. On complete data (everyone rated by every
interviewer of one component), ``sum_i b_i = 0`` makes it equal the raw mean.

Drift
-----
Per interviewer, the OLS slope of the residual ``y_ci - a_c`` (their score minus the candidate's
adjusted score: their leniency on that candidate) on the interview time, in score points per 30 days,
with a t-based 95% interval (n - 2 degrees of freedom); at least 3 dated ratings on 2 distinct days.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from interviewkit.domain.calibration.counts import connected_labels, weighted_gram
from interviewkit.domain.calibration.data import Observations, RatingSet, cell_means
from interviewkit.domain.quantiles import norm_ppf, t_ppf

__all__ = [
    "MARGIN_SD",
    "MIN_RATINGS",
    "AdjustedScore",
    "CompetencyFit",
    "Drift",
    "InterviewerEffect",
    "LeniencyByCompetency",
    "LeniencyResult",
    "adjusted_scores",
    "components",
    "drift",
    "fit_leniency",
]

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.intp]

MIN_RATINGS = 10
MARGIN_SD = 0.2
LEVEL = 0.95
SECONDS_PER_30_DAYS = 30 * 86400.0


@dataclass(frozen=True)
class InterviewerEffect:
    """One interviewer's leniency: positive means they score higher than colleagues on the same candidates.

    ``n`` is the number of candidates they rated (observations of the model), ``n_ratings`` the number of
    individual ratings behind them when known. ``effect``/``se``/``shrunk_effect`` are None for an
    interviewer alone in their component. ``ci`` is the 95% posterior interval of the shrunk effect.
    """

    id: str
    n: int
    effect: float | None
    se: float | None
    shrunk_effect: float | None
    ci: tuple[float, float] | None
    flag: bool
    component: int
    n_ratings: int | None = None


@dataclass(frozen=True)
class LeniencyResult:
    """The additive model's interviewer and candidate effects, and how the design hangs together."""

    interviewers: tuple[InterviewerEffect, ...]
    candidate_effect: FloatArray  # a_c, indexed like obs.candidates
    interviewer_effect: FloatArray  # b_i, 0 where not estimable
    candidate_component: IntArray
    n_components: int
    residual_variance: float | None
    residual_df: int
    tau2: float | None
    tau2_source: str
    margin: float = 0.0

    @property
    def connected(self) -> bool:
        return self.n_components <= 1


def components(obs: Observations) -> tuple[int, IntArray, IntArray]:
    """Connected components of the bipartite candidate-interviewer graph.

    Returns ``(count, component of each candidate, component of each interviewer)``, components numbered
    by decreasing number of interviewers, then of candidates (0 is the largest).
    """
    nc, ni = obs.n_candidates, obs.n_interviewers
    if nc == 0:
        return 0, np.zeros(0, dtype=np.intp), np.zeros(ni, dtype=np.intp)
    count, labels = connected_labels(nc + ni, obs.candidate, nc + obs.interviewer)
    sizes_i = np.bincount(labels[nc:], minlength=count)
    sizes_c = np.bincount(labels[:nc], minlength=count)
    order = np.lexsort((np.arange(count), -sizes_c, -sizes_i))
    rank = np.empty(count, dtype=np.intp)
    rank[order] = np.arange(count)
    ranked = rank[labels]
    return int(count), ranked[:nc].astype(np.intp), ranked[nc:].astype(np.intp)


def fit_leniency(
    obs: Observations,
    *,
    tau2: float | None = None,
    min_ratings: int = MIN_RATINGS,
    margin: float = 0.0,
    n_ratings: dict[str, int] | None = None,
) -> LeniencyResult:
    """Interviewer effects, standard errors, empirical-Bayes shrinkage and flags (module docstring).

    ``obs`` should hold one observation per (candidate, interviewer) (the overall score); duplicates are
    averaged. ``tau2`` is the interviewer variance to shrink with (the REML estimate), or None for the
    method of moments. ``margin`` is the minimum effect a flag needs (the posterior interval must lie
    beyond it). ``n_ratings`` optionally gives each interviewer's number of individual ratings.
    """
    cells = cell_means(obs)
    nc, ni = cells.n_candidates, cells.n_interviewers
    c, i, y = cells.candidate, cells.interviewer, cells.score
    n_comp, comp_c, comp_i = components(cells)
    n_c = np.bincount(c, minlength=nc).astype(np.float64)
    n_i = np.bincount(i, minlength=ni).astype(np.float64)
    sum_c = np.bincount(c, weights=y, minlength=nc)
    mean_c = sum_c / np.maximum(n_c, 1)
    # Reduced normal equations after absorbing the candidates.
    lap = np.diag(n_i) - weighted_gram(c, nc, i, ni, 1.0 / np.maximum(n_c, 1))
    rhs = np.bincount(i, weights=y - mean_c[c], minlength=ni)
    beta = np.zeros(ni)
    lap_pinv = np.zeros((ni, ni))
    estimable = np.zeros(ni, dtype=bool)
    for k in range(n_comp):
        members = np.flatnonzero(comp_i == k)
        m = members.size
        if m < 2:
            continue
        estimable[members] = True
        block = lap[np.ix_(members, members)] + 1.0 / m
        inv = np.linalg.inv(block)
        beta[members] = inv @ rhs[members]
        lap_pinv[np.ix_(members, members)] = inv - 1.0 / m
    alpha = mean_c - np.bincount(c, weights=beta[i], minlength=nc) / np.maximum(n_c, 1)
    resid = y - alpha[c] - beta[i]
    df = int(cells.n - nc - ni + n_comp)
    s2 = float(resid @ resid) / df if df > 0 else None
    se = np.sqrt(np.maximum(np.diag(lap_pinv), 0.0) * s2) if s2 is not None else np.full(ni, np.nan)
    usable = estimable & np.isfinite(se)
    source = "REML"
    if tau2 is None:
        source = "moments"
        tau2 = float(max(0.0, np.mean(beta[usable] ** 2) - np.mean(se[usable] ** 2))) if usable.any() else None
    z = float(norm_ppf(1 - (1 - LEVEL) / 2))
    out = []
    for j in range(ni):
        label = cells.interviewers[j]
        n = int(n_i[j])
        if not estimable[j]:
            out.append(InterviewerEffect(label, n, None, None, None, None, False, int(comp_i[j]),
                                         (n_ratings or {}).get(label)))
            continue
        eff = float(beta[j])
        if not usable[j] or tau2 is None:
            out.append(InterviewerEffect(label, n, eff, None, None, None, False, int(comp_i[j]),
                                         (n_ratings or {}).get(label)))
            continue
        s = float(se[j])
        weight = tau2 / (tau2 + s * s) if tau2 + s * s > 0 else 0.0
        shrunk = eff * weight
        half = z * s * np.sqrt(weight)
        ci = (shrunk - half, shrunk + half)
        flag = bool(n >= min_ratings and weight > 0 and (ci[0] > margin or ci[1] < -margin))
        out.append(InterviewerEffect(label, n, eff, s, shrunk, ci, flag, int(comp_i[j]),
                                     (n_ratings or {}).get(label)))
    return LeniencyResult(
        tuple(out), alpha, beta, comp_c, n_comp, s2, df, tau2, source, margin,
    )


@dataclass(frozen=True)
class AdjustedScore:
    """A candidate's mean score, raw and with the interviewers' leniency taken out."""

    candidate: str
    n: int
    raw: float
    adjusted: float


def adjusted_scores(obs: Observations, leniency: LeniencyResult) -> list[AdjustedScore]:
    """Raw and leniency-adjusted mean per candidate: ``mean(y_ci)`` and ``mean(y_ci - b_i)``.

    ``obs`` must be the observations ``leniency`` was fitted on (same codes). Effects that are not
    estimable count as 0.
    """
    cells = cell_means(obs)
    nc = cells.n_candidates
    n = np.bincount(cells.candidate, minlength=nc).astype(np.float64)
    raw = np.bincount(cells.candidate, weights=cells.score, minlength=nc) / np.maximum(n, 1)
    adjusted_sum = np.bincount(
        cells.candidate, weights=cells.score - leniency.interviewer_effect[cells.interviewer], minlength=nc
    )
    adjusted = adjusted_sum / np.maximum(n, 1)
    return list(map(AdjustedScore, cells.candidates, n.astype(np.int64).tolist(), raw.tolist(), adjusted.tolist()))


@dataclass(frozen=True)
class Drift:
    """The trend of an interviewer's leniency over time: score points per 30 days, with a 95% CI.

    ``points`` are the (POSIX time in seconds, score minus the candidate's adjusted score) pairs the slope
    was fitted to, in time order: a chart of them and of the slope shows one and the same thing.
    """

    id: str
    n: int
    slope_per_30_days: float | None
    ci: tuple[float, float] | None
    days_covered: float
    points: tuple[tuple[float, float], ...] = ()


def drift(obs: Observations, leniency: LeniencyResult, *, level: float = LEVEL) -> list[Drift]:
    """Per interviewer, OLS of ``y_ci - a_c`` on the interview time (see the module docstring).

    Observations without a time are left out; fewer than 3 dated ratings or a single day give no slope.
    """
    cells = cell_means(obs)
    resid = cells.score - leniency.candidate_effect[cells.candidate]
    dated = np.flatnonzero(np.isfinite(cells.at))
    by_interviewer = dated[np.argsort(cells.interviewer[dated], kind="stable")]  # each one's in row order
    bounds = np.searchsorted(cells.interviewer[by_interviewer], np.arange(cells.n_interviewers + 1))
    out = []
    for j, label in enumerate(cells.interviewers):
        rows = by_interviewer[bounds[j] : bounds[j + 1]]
        t = cells.at[rows] / SECONDS_PER_30_DAYS
        r = resid[rows]
        span = float((t.max() - t.min()) * 30) if t.size else 0.0
        order = np.argsort(t, kind="stable")
        points = tuple(zip(cells.at[rows][order].tolist(), r[order].tolist()))
        if t.size < 3 or span < 1.0:
            out.append(Drift(label, int(t.size), None, None, span, points))
            continue
        tc = t - t.mean()
        sxx = float(tc @ tc)
        slope = float(tc @ (r - r.mean())) / sxx
        fitted = r.mean() + slope * tc
        dof = t.size - 2
        s2 = float(np.sum((r - fitted) ** 2)) / dof
        se = np.sqrt(s2 / sxx)
        q = float(t_ppf(1 - (1 - level) / 2, dof))
        out.append(Drift(label, int(t.size), slope, (slope - q * se, slope + q * se), span, points))
    return out


@dataclass(frozen=True)
class CompetencyFit:
    """One competency's leniency fit, as a candidate's adjusted means read it: the observations' candidates,
    their adjusted scores and how many candidates share each one's connected component."""

    index: dict[str, int]  # candidate label -> its row in ``scores``
    scores: list[AdjustedScore]
    shared: IntArray  # per candidate: the number of candidates in its component (itself included)


class LeniencyByCompetency:
    """:func:`fit_leniency` of each competency of one set of ratings, each fitted on first use and then kept,
    so that the adjusted means of a second candidate cost no fit (the debrief asks them one candidate at a
    time). The ratings are coded once (:class:`~.data.RatingSet`). Safe to share between threads."""

    def __init__(self, ratings: RatingSet) -> None:
        self._set = ratings
        self._candidates = {label: k for k, label in enumerate(ratings.all.candidates)}
        self._fits: dict[str, CompetencyFit] = {}
        self._lock = threading.Lock()

    def competencies_of(self, candidate: str) -> list[str]:
        """The competencies ``candidate`` has a score on, sorted."""
        k = self._candidates.get(candidate)
        if k is None:
            return []
        codes = np.unique(self._set.competency[self._set.all.candidate == k])
        return sorted(self._set.competencies[int(c)] for c in codes)

    def fit(self, competency: str) -> CompetencyFit:
        """The competency's fit (computed once, under a lock: a second caller waits rather than fits too)."""
        with self._lock:
            found = self._fits.get(competency)
            if found is None:
                obs = self._set.of(competency)
                fit = fit_leniency(obs)
                sizes = np.bincount(fit.candidate_component, minlength=max(fit.n_components, 1))
                found = CompetencyFit(
                    {label: j for j, label in enumerate(obs.candidates)},
                    adjusted_scores(obs, fit),
                    sizes[fit.candidate_component].astype(np.intp),
                )
                self._fits[competency] = found
            return found
