"""Inter-rater agreement: Krippendorff's alpha, Shrout & Fleiss intraclass correlations, Koo & Li bands.

Krippendorff's alpha
--------------------
Reference: K. Krippendorff, "Computing Krippendorff's Alpha-Reliability", Annenberg School for
Communication, University of Pennsylvania, 2011 (and *Content Analysis*, 3rd ed., 2013, ch. 12).

The data are units (here: candidates) rated by any number of coders (interviewers), with missing values.
Only *pairable* values count: those in units with ``m_u >= 2`` values; other units are dropped. The
coincidence matrix is

    o_ck = sum_u  (number of ordered pairs (c, k) of values from different coders in u) / (m_u - 1),

with margins ``n_c = sum_k o_ck`` and ``n = sum_c n_c`` (the number of pairable values). Then

    alpha = 1 - D_o / D_e = 1 - (n - 1) * sum_ck o_ck d2(c, k) / sum_ck n_c n_k d2(c, k)

with the squared distance ``d2`` of the metric:

* nominal: 0 if c == k else 1
* ordinal: (sum_{g=c..k} n_g - (n_c + n_k) / 2)^2, on the observed value frequencies n_g
* interval: (c - k)^2
* ratio: ((c - k) / (c + k))^2

Two identities make interval and ordinal alpha O(number of ratings), whatever the number of distinct
values (the overall score, a mean over competencies, takes many):

* interval: ``sum_{i != j in u} (x_i - x_j)^2 = 2 m_u SS_u`` (``SS_u``: the sum of squared deviations
  from the unit mean) and ``sum_ck n_c n_k (c - k)^2 = 2 n SS`` over all pairable values, so
  ``alpha = 1 - (n - 1) / n * sum_u (m_u SS_u / (m_u - 1)) / SS``;
* ordinal: with ``r(v) = #{pairable values < v} + n_v / 2`` (the mid-rank, up to a constant),
  ``r(k) - r(c) = sum_{g=c..k} n_g - (n_c + n_k) / 2``, so ordinal alpha is interval alpha of the
  mid-ranks.

Nominal and ratio alpha use the coincidence matrix itself (:func:`coincidence_matrix`). Alpha is
undefined (``None``) when there are no pairable values or when they are all equal (``D_e = 0``).

Shrout & Fleiss intraclass correlations
---------------------------------------
Reference: P. E. Shrout and J. L. Fleiss, "Intraclass correlations: uses in assessing rater
reliability", *Psychological Bulletin* 86(2), 420-428, 1979; confidence intervals for the averages of
k raters from K. O. McGraw and S. P. Wong, "Forming inferences about some intraclass correlation
coefficients", *Psychological Methods* 1(1), 30-46, 1996.

For a complete block of n targets x k judges, the two-way ANOVA gives the mean squares

    BMS = k * sum_i (xbar_i. - xbar)^2 / (n - 1)                    between targets
    JMS = n * sum_j (xbar_.j - xbar)^2 / (k - 1)                    between judges
    EMS = sum_ij (x_ij - xbar_i. - xbar_.j + xbar)^2 / ((n-1)(k-1)) residual
    WMS = (SS_judges + SS_residual) / (n (k - 1))                   within targets

and

    ICC(1,1) = (BMS - WMS) / (BMS + (k-1) WMS)           ICC(1,k) = (BMS - WMS) / BMS
    ICC(2,1) = (BMS - EMS) / (BMS + (k-1) EMS + k (JMS - EMS) / n)
    ICC(2,k) = (BMS - EMS) / (BMS + (JMS - EMS) / n)
    ICC(3,1) = (BMS - EMS) / (BMS + (k-1) EMS)           ICC(3,k) = (BMS - EMS) / BMS

Confidence intervals at level 1 - a (Shrout & Fleiss, eqs. 6, 7, 8 and 13; ``F(p; d1, d2)`` is the
p-quantile of the F distribution):

* ICC(1,1): F0 = BMS/WMS, FL = F0 / F(1-a/2; n-1, n(k-1)), FU = F0 * F(1-a/2; n(k-1), n-1);
  limits (FL - 1)/(FL + k - 1) and (FU - 1)/(FU + k - 1). ICC(1,k): 1 - 1/FL and 1 - 1/FU.
* ICC(3,1): the same with F0 = BMS/EMS and (n-1)(k-1) in place of n(k-1). ICC(3,k): 1 - 1/FL, 1 - 1/FU.
* ICC(2,1): Satterthwaite's approximation. With rho = ICC(2,1) and Fj = JMS/EMS,
  v = (k-1)(n-1) (k rho Fj + n (1 + (k-1) rho) - k rho)^2 / ((n-1) k^2 rho^2 Fj^2 + (n (1 + (k-1) rho) - k rho)^2),
  F* = F(1-a/2; n-1, v), F_* = F(1-a/2; v, n-1),
  lower = n (BMS - F* EMS) / (F* (k JMS + (kn - k - n) EMS) + n BMS),
  upper = n (F_* BMS - EMS) / (k JMS + (kn - k - n) EMS + n F_* BMS).
* ICC(2,k): Shrout & Fleiss give none; McGraw & Wong's interval for ICC(A,k) (their Table 7) is the
  Spearman-Brown transform ``k r / (1 + (k-1) r)`` of the ICC(2,1) limits (same v), which is what is
  computed.

Incomplete data: the ICCs are computed on a complete block (:func:`complete_block`): a set of interviewers
and the candidates rated by every one of them.

Koo & Li bands
--------------
Reference: T. K. Koo and M. Y. Li, "A guideline of selecting and reporting intraclass correlation
coefficients for reliability research", *Journal of Chiropractic Medicine* 15(2), 155-163, 2016:
poor < 0.5 <= moderate < 0.75 <= good < 0.9 <= excellent, judged on the 95% confidence interval,
not on the point estimate (:func:`koo_li_band`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray

from interviewkit.domain.calibration.counts import pair_counts_of_cells, weighted_gram
from interviewkit.domain.quantiles import f_ppf

__all__ = [
    "BANDS",
    "ICCResult",
    "Metric",
    "alpha_from_observations",
    "coincidence_matrix",
    "complete_block",
    "complete_block_of_cells",
    "koo_li_band",
    "krippendorff_alpha",
    "shrout_fleiss",
]

Metric = Literal["nominal", "ordinal", "interval", "ratio"]
FloatArray = NDArray[np.float64]
IntArray = NDArray[np.intp]

# --- Krippendorff's alpha ---------------------------------------------------------------------------


def _long(data: ArrayLike) -> tuple[IntArray, FloatArray]:
    """Units x coders (NaN = missing) to (unit of each value, value)."""
    matrix = np.asarray(data, dtype=np.float64)
    if matrix.ndim != 2:
        raise ValueError("reliability data must be a 2-D array: units x coders")
    units, _ = np.nonzero(~np.isnan(matrix))
    return units.astype(np.intp), matrix[~np.isnan(matrix)]


def _pairable(units: IntArray, values: FloatArray) -> tuple[IntArray, FloatArray, FloatArray]:
    """Keep values of units with at least two values; return (unit codes 0..U-1, values, m_u per unit)."""
    if values.size == 0:
        return units, values, np.zeros(0)
    _, inverse, counts = np.unique(units, return_inverse=True, return_counts=True)
    keep = counts[inverse] >= 2
    _, inverse, counts = np.unique(units[keep], return_inverse=True, return_counts=True)
    return inverse.astype(np.intp).reshape(-1), values[keep], counts.astype(np.float64)


def _interval_alpha(units: IntArray, values: FloatArray, m: FloatArray) -> float | None:
    n = values.size
    if n < 2:
        return None
    ss_total = float(np.sum((values - values.mean()) ** 2))
    if ss_total <= 1e-12 * max(1.0, float(np.sum(values**2))):
        return None
    sums = np.bincount(units, weights=values, minlength=m.size)
    squares = np.bincount(units, weights=values * values, minlength=m.size)
    ss_units = np.maximum(squares - sums * sums / m, 0.0)
    observed = float(np.sum(m * ss_units / (m - 1.0)))
    return 1.0 - (n - 1.0) / n * observed / ss_total


def _midranks(values: FloatArray) -> FloatArray:
    """r(v) = #{values < v} + n_v / 2 for each value."""
    _, inverse, counts = np.unique(values, return_inverse=True, return_counts=True)
    below = np.concatenate(([0.0], np.cumsum(counts)[:-1]))
    return (below + counts / 2.0)[inverse.reshape(-1)]


def coincidence_matrix(data: ArrayLike) -> tuple[FloatArray, FloatArray]:
    """Krippendorff's coincidence matrix of reliability data (units x coders, NaN = missing).

    Returns ``(values, o)``: the distinct pairable values, sorted, and the matrix ``o`` (``o[c, k]`` for
    ``values[c]``, ``values[k]``) of :mod:`the module docstring <interviewkit.domain.calibration.agreement>`.
    """
    units, vals = _long(data)
    return _coincidence(*_pairable(units, vals))


def _coincidence(units: IntArray, values: FloatArray, m: FloatArray) -> tuple[FloatArray, FloatArray]:
    distinct, codes = np.unique(values, return_inverse=True)
    if distinct.size == 0:
        return distinct, np.zeros((0, 0))
    codes = codes.reshape(-1)
    w = 1.0 / (m - 1.0)
    o = weighted_gram(units, m.size, codes, distinct.size, w)
    o -= np.diag(np.bincount(codes, weights=w[units], minlength=distinct.size))
    return distinct, o


def _distance(values: FloatArray, margins: FloatArray, metric: Metric) -> FloatArray:
    c, k = np.meshgrid(values, values, indexing="ij")
    if metric == "nominal":
        return np.not_equal(c, k).astype(np.float64)
    if metric == "interval":
        return (c - k) ** 2
    if metric == "ratio":
        total = c + k
        with np.errstate(divide="ignore", invalid="ignore"):
            d = np.where(total == 0, 0.0, (c - k) / np.where(total == 0, 1.0, total))
        return d**2
    if metric == "ordinal":
        r = np.cumsum(margins) - margins / 2.0  # r(v) = #{< v} + n_v / 2
        a, b = np.meshgrid(r, r, indexing="ij")
        return (a - b) ** 2
    raise ValueError(f"unknown metric {metric!r}")


def _alpha_from_coincidence(values: FloatArray, o: FloatArray, metric: Metric) -> float | None:
    margins = o.sum(axis=1)
    n = float(margins.sum())
    if n < 2:
        return None
    d2 = _distance(values, margins, metric)
    expected = float(margins @ d2 @ margins)
    if expected <= 0:
        return None
    return 1.0 - (n - 1.0) * float(np.sum(o * d2)) / expected


def alpha_from_observations(units: ArrayLike, values: ArrayLike, metric: Metric = "interval") -> float | None:
    """Krippendorff's alpha from long-format data: the unit of each value and the value.

    Each value is one coder's (interviewer's) value for the unit (candidate); a coder must contribute at
    most one value per unit (average duplicates first). Units with fewer than two values are dropped.
    Returns None when alpha is undefined (no pairable values, or all equal).
    """
    u, x, m = _pairable(np.asarray(units, dtype=np.intp), np.asarray(values, dtype=np.float64))
    if metric == "interval":
        return _interval_alpha(u, x, m)
    if metric == "ordinal":
        if x.size < 2 or np.all(x == x[0]):
            return None
        return _interval_alpha(u, _midranks(x), m)
    return _alpha_from_coincidence(*_coincidence(u, x, m), metric)


def krippendorff_alpha(data: ArrayLike, metric: Metric = "interval") -> float | None:
    """Krippendorff's alpha of reliability data given as units x coders (NaN = missing value).

    Note the orientation: rows are units (candidates), columns coders (interviewers); Krippendorff
    prints his example the other way round. ``metric`` is "nominal", "ordinal", "interval" or "ratio".
    """
    units, values = _long(data)
    return alpha_from_observations(units, values, metric)


# --- Shrout & Fleiss ---------------------------------------------------------------------------------

ICC_KEYS = ("ICC1", "ICC2", "ICC3", "ICC1k", "ICC2k", "ICC3k")


@dataclass(frozen=True)
class ICCResult:
    """The six Shrout & Fleiss ICCs of a complete block, their confidence intervals and mean squares.

    ``values`` and ``ci`` are keyed "ICC1" (= ICC(1,1)), "ICC2", "ICC3", "ICC1k", "ICC2k", "ICC3k"; a
    value is None when its denominator is zero (e.g. every score equal), a CI is None when it cannot be
    computed. ``rows`` and ``columns`` are the indices of the block's targets and judges in the matrix
    it came from.
    """

    n: int  # targets
    k: int  # judges
    values: dict[str, float | None]
    ci: dict[str, tuple[float, float] | None]
    bms: float
    jms: float
    ems: float
    wms: float
    level: float = 0.95
    rows: tuple[int, ...] = ()
    columns: tuple[int, ...] = ()


def _ratio(num: float, den: float) -> float | None:
    return num / den if den != 0 and np.isfinite(den) else None


def _sb(r: float, k: int) -> float:
    """The Spearman-Brown step-up to the mean of k raters (-inf at or below r = -1/(k-1))."""
    den = 1.0 + (k - 1.0) * r
    return k * r / den if den > 0 else float("-inf")


def shrout_fleiss(matrix: ArrayLike, *, level: float = 0.95) -> ICCResult | None:
    """Shrout & Fleiss's ICC(1,1), ICC(2,1), ICC(3,1), ICC(1,k), ICC(2,k), ICC(3,k) of a complete
    n targets x k judges matrix, with confidence intervals at ``level`` (see the module docstring).

    Returns None when the block is smaller than 2 x 2 or has a missing value.
    """
    x = np.asarray(matrix, dtype=np.float64)
    if x.ndim != 2 or x.shape[0] < 2 or x.shape[1] < 2 or np.isnan(x).any():
        return None
    n, k = x.shape
    grand = x.mean()
    rows, cols = x.mean(axis=1), x.mean(axis=0)
    ss_rows = k * float(np.sum((rows - grand) ** 2))
    ss_cols = n * float(np.sum((cols - grand) ** 2))
    ss_total = float(np.sum((x - grand) ** 2))
    ss_err = max(ss_total - ss_rows - ss_cols, 0.0)
    bms = ss_rows / (n - 1)
    jms = ss_cols / (k - 1)
    ems = ss_err / ((n - 1) * (k - 1))
    wms = (ss_cols + ss_err) / (n * (k - 1))
    values: dict[str, float | None] = {
        "ICC1": _ratio(bms - wms, bms + (k - 1) * wms),
        "ICC2": _ratio(bms - ems, bms + (k - 1) * ems + k * (jms - ems) / n),
        "ICC3": _ratio(bms - ems, bms + (k - 1) * ems),
        "ICC1k": _ratio(bms - wms, bms),
        "ICC2k": _ratio(bms - ems, bms + (jms - ems) / n),
        "ICC3k": _ratio(bms - ems, bms),
    }
    q = 1.0 - (1.0 - level) / 2.0
    ci: dict[str, tuple[float, float] | None] = dict.fromkeys(ICC_KEYS)
    with np.errstate(divide="ignore", invalid="ignore"):
        # ICC(1,*): one-way model, F0 = BMS / WMS.
        if wms > 0 and bms > 0:
            f0 = bms / wms
            df1, df2 = n - 1, n * (k - 1)
            fl = f0 / f_ppf(q, df1, df2)
            fu = f0 * f_ppf(q, df2, df1)
            ci["ICC1"] = ((fl - 1) / (fl + k - 1), (fu - 1) / (fu + k - 1))
            ci["ICC1k"] = (1 - 1 / fl, 1 - 1 / fu)
        # ICC(3,*): two-way mixed model, F0 = BMS / EMS.
        if ems > 0 and bms > 0:
            f0 = bms / ems
            df1, df2 = n - 1, (n - 1) * (k - 1)
            fl = f0 / f_ppf(q, df1, df2)
            fu = f0 * f_ppf(q, df2, df1)
            ci["ICC3"] = ((fl - 1) / (fl + k - 1), (fu - 1) / (fu + k - 1))
            ci["ICC3k"] = (1 - 1 / fl, 1 - 1 / fu)
        # ICC(2,*): two-way random model, Satterthwaite's degrees of freedom.
        rho = values["ICC2"]
        if rho is not None and ems > 0:
            fj = jms / ems
            a = n * (1 + (k - 1) * rho) - k * rho
            den = (n - 1) * k**2 * rho**2 * fj**2 + a**2
            v = (k - 1) * (n - 1) * (k * rho * fj + a) ** 2 / den if den > 0 else float("nan")
            if np.isfinite(v) and v > 0:
                f_star = f_ppf(q, n - 1, v)
                f_star_low = f_ppf(q, v, n - 1)
                c = k * jms + (k * n - k - n) * ems
                lo = n * (bms - f_star * ems) / (f_star * c + n * bms)
                hi = n * (f_star_low * bms - ems) / (c + n * f_star_low * bms)
                ci["ICC2"] = (float(lo), float(hi))
                ci["ICC2k"] = (_sb(float(lo), k), _sb(float(hi), k))
    clean = {
        key: (float(b[0]), float(b[1])) if b is not None and np.all(np.isfinite(b)) else None for key, b in ci.items()
    }
    return ICCResult(n, k, values, clean, bms, jms, ems, wms, level)


def complete_block(matrix: ArrayLike, *, starts: int = 5) -> tuple[IntArray, IntArray] | None:
    """A complete block of a candidate x interviewer matrix (NaN = missing): ``(rows, columns)`` with
    every cell rated, at least 2 x 2, or None when there is none.

    Finding the largest complete block (a maximum biclique) is NP-hard, so it is chosen greedily to hold
    as many ratings (rows x columns) as possible: starting from each of the ``starts`` pairs of
    interviewers who rated the most candidates in common, add the interviewer that keeps the most
    ratings, while the number of ratings grows. On complete data the block is the whole matrix.
    Ties go to the interviewer that comes first.
    """
    x = np.asarray(matrix, dtype=np.float64)
    if x.ndim != 2 or x.shape[0] < 2 or x.shape[1] < 2:
        return None
    rows, cols = np.nonzero(~np.isnan(x))
    return complete_block_of_cells(rows, cols, x.shape[0], x.shape[1], starts=starts)


def complete_block_of_cells(
    row: IntArray, col: IntArray, n_rows: int, n_cols: int, *, starts: int = 5
) -> tuple[IntArray, IntArray] | None:
    """:func:`complete_block` of the ``n_rows x n_cols`` matrix whose rated cells are ``(row[k], col[k])``,
    without the dense matrix (60,000 x 400 on the large demo: 190 MB to fill per table, issue 17): the same
    block, found by the same steps."""
    if n_rows < 2 or n_cols < 2:
        return None
    key = np.unique(row.astype(np.int64) * n_cols + col)
    r, c = (key // n_cols).astype(np.intp), (key % n_cols).astype(np.intp)
    if key.size == n_rows * n_cols:
        return np.arange(n_rows, dtype=np.intp), np.arange(n_cols, dtype=np.intp)
    by_col = np.argsort(c, kind="stable")
    bounds = np.searchsorted(c[by_col], np.arange(n_cols + 1))

    def rated_by(k: int) -> NDArray[np.bool_]:
        mask = np.zeros(n_rows, dtype=bool)
        mask[r[by_col[bounds[k] : bounds[k + 1]]]] = True
        return mask

    common = pair_counts_of_cells(r, c, n_rows, n_cols)  # sparse above a size: a dense r.T @ r took 1-2 s
    np.fill_diagonal(common, -1.0)
    upper = np.triu_indices(common.shape[0], 1)
    order = np.argsort(-common[upper], kind="stable")[:starts]
    best: tuple[int, list[int], NDArray[np.bool_]] | None = None
    for idx in order:
        i, j = int(upper[0][idx]), int(upper[1][idx])
        rows = rated_by(i) & rated_by(j)
        if rows.sum() < 2:
            continue
        cols = [i, j]
        size = int(rows.sum()) * 2
        while True:
            kept = np.bincount(c[rows[r]], minlength=n_cols).astype(np.float64)  # the block's rows each rated
            kept[cols] = -1
            cand = int(np.argmax(kept))
            new_size = int(kept[cand]) * (len(cols) + 1)
            if kept[cand] < 2 or new_size <= size:
                break
            cols.append(cand)
            rows = rows & rated_by(cand)
            size = new_size
        if best is None or size > best[0]:
            best = (size, cols, rows)
    if best is None:
        return None
    return np.flatnonzero(best[2]).astype(np.intp), np.array(sorted(best[1]), dtype=np.intp)


# --- Koo & Li ----------------------------------------------------------------------------------------

BANDS: tuple[tuple[str, float], ...] = (("poor", 0.5), ("moderate", 0.75), ("good", 0.9), ("excellent", float("inf")))


def _band(value: float) -> str:
    for name, upper in BANDS:
        if value < upper:
            return name
    return BANDS[-1][0]


def koo_li_band(ci: Sequence[float] | None) -> str:
    """Koo & Li's band of an ICC judged on its confidence interval ``(lower, upper)``.

    "good" only when the whole interval lies in [0.75, 0.9); otherwise the range it spans, e.g.
    "moderate to good" or "poor to excellent"; "unknown" without an interval.
    """
    if ci is None or len(ci) != 2 or not all(np.isfinite(v) for v in ci):
        return "unknown"
    lo, hi = _band(float(min(ci))), _band(float(max(ci)))
    return lo if lo == hi else f"{lo} to {hi}"
