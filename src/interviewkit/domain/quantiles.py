"""Quantiles of the normal, t, chi-squared and F distributions, without importing scipy for the usual cases.

The calibration statistics need only these four inverse distribution functions. ``scipy.stats`` costs about a
second to import (its hundred distributions); even ``scipy.special`` costs 0.1-0.2 s with scipy's common
modules, which every ``calibrate`` run paid. So:

* the normal quantile is Cephes' ``ndtri`` (S. L. Moshier's rational approximations, the algorithm and
  coefficients of ``scipy.special.ndtri``, step for step: the same float for every p), and the chi-squared
  quantile with 1 degree of freedom is its square, ``z((1 + p) / 2) ** 2``;
* the t and F quantiles invert the regularised incomplete beta function ``I_x(a, b)`` (Lentz's continued
  fraction, as in Press et al., *Numerical Recipes*, 3rd ed., 6.4) by safeguarded Newton steps, in the tail
  where the answer has no cancellation: ``F = (dfd / dfn) x / (1 - x)`` with ``I_x(dfn/2, dfd/2) = p``, and
  ``t^2 = df (1 - x) / x`` with ``I_x(df/2, 1/2) = 2 min(p, 1 - p)``;
* anything else (other chi-squared degrees of freedom, half-parameters beyond ``_BETA_MAX`` or below
  ``_BETA_MIN``, probabilities within 1e-10 of 0 or 1, an inversion that does not converge) is computed by
  :mod:`scipy.special` as before (``ndtri``, ``stdtrit``, ``chdtri``, ``fdtri``).

Inverting takes 30-150 us, so the t, chi-squared and F quantiles are remembered per argument (a drift of 300
interviewers asks for 300 t quantiles of few distinct degrees of freedom). The normal quantile is scipy's
exactly, the others agree with ``scipy.stats.<dist>.ppf`` to about 1e-13 relatively for the degrees of freedom
of a team's ratings, 1e-10 at worst (tests/domain/test_quantiles.py compares them), as numpy floats like theirs
(a division by an infinite or zero quantile gives inf or 0 with a warning, not an exception).
"""

from __future__ import annotations

import math
from functools import lru_cache

import numpy as np

__all__ = ["chi2_ppf", "f_ppf", "norm_ppf", "t_ppf"]

_BETA_MIN, _BETA_MAX = 0.1, 5_000.0  # the half degrees of freedom inverted here; scipy beyond
_P_EDGE = 1e-10
_TINY = 1e-300


def norm_ppf(p: float) -> float:
    """The standard normal quantile: ``scipy.stats.norm.ppf(p)``."""
    return np.float64(_ndtri(float(p)))


@lru_cache(maxsize=4096)  # pure; the same few degrees of freedom recur (drift: every interviewer's n - 2)
def t_ppf(p: float, df: float) -> float:
    """Student's t quantile with ``df`` degrees of freedom: ``scipy.stats.t.ppf(p, df)``."""
    p, df = float(p), float(df)
    if _usual(p) and _BETA_MIN <= df / 2 <= _BETA_MAX:
        if p == 0.5:
            return np.float64(0.0)
        q = 2.0 * min(p, 1.0 - p)  # I_x(df/2, 1/2) = q with x = df / (df + t^2)
        guess = _t_start(p, df) ** 2  # t^2, where Newton starts
        if q <= 0.5:
            x = _beta_inverse(df / 2, 0.5, q, start=df / (df + guess))
            t = None if x is None else math.sqrt(df * (1.0 - x) / x)
        else:  # the other tail: y = 1 - x = t^2 / (df + t^2), I_y(1/2, df/2) = 1 - q
            y = _beta_inverse(0.5, df / 2, 1.0 - q, start=guess / (df + guess))
            t = None if y is None else math.sqrt(df * y / (1.0 - y))
        if t is not None:
            return np.float64(t if p > 0.5 else -t)
    from scipy import special

    return np.float64(special.stdtrit(df, p))


@lru_cache(maxsize=4096)  # pure; the same few degrees of freedom recur (drift: every interviewer's n - 2)
def chi2_ppf(p: float, df: float) -> float:
    """The chi-squared quantile: ``scipy.stats.chi2.ppf(p, df)`` (``chdtri`` inverts the upper tail)."""
    p, df = float(p), float(df)
    if df == 1.0 and 0.5 <= p < 1.0 - _P_EDGE:  # below, (1 + p) / 2 loses digits of p
        z = _ndtri((1.0 + p) / 2.0)
        return np.float64(z * z)
    from scipy import special

    return np.float64(special.chdtri(df, 1.0 - p))


@lru_cache(maxsize=4096)  # pure; the same few degrees of freedom recur (drift: every interviewer's n - 2)
def f_ppf(p: float, dfn: float, dfd: float) -> float:
    """The F quantile with ``dfn`` and ``dfd`` degrees of freedom: ``scipy.stats.f.ppf(p, dfn, dfd)``."""
    p, dfn, dfd = float(p), float(dfn), float(dfd)
    a, b = dfn / 2, dfd / 2
    if _usual(p) and min(a, b) >= _BETA_MIN and max(a, b) <= _BETA_MAX:
        if p <= 0.5:  # I_x(a, b) = p, F = (dfd / dfn) x / (1 - x)
            x = _beta_inverse(a, b, p)
            if x is not None:
                return np.float64(dfd * x / (dfn * (1.0 - x)))
        else:  # y = 1 - x: I_y(b, a) = 1 - p
            y = _beta_inverse(b, a, 1.0 - p)
            if y is not None:
                return np.float64(dfd * (1.0 - y) / (dfn * y))
    from scipy import special

    return np.float64(special.fdtri(dfn, dfd, p))


# Cephes' ndtri (Moshier 1984-2000; scipy.special's): the central region 0.135 < p < 0.865, then z = sqrt(-2 log p)
# below 8 and above.
_S2PI = 2.50662827463100050242e0
_EXP_M2 = 0.13533528323661269189  # exp(-2)
_P0 = (-5.99633501014107895267e1, 9.80010754185999661536e1, -5.66762857469070293439e1, 1.39312609387279679503e1,
       -1.23916583867381258016e0)
_Q0 = (1.95448858338141759834e0, 4.67627912898881538453e0, 8.63602421390890590575e1, -2.25462687854119370527e2,
       2.00260212380060660359e2, -8.20372256168333339912e1, 1.59056225126211695515e1, -1.18331621121330003142e0)
_P1 = (4.05544892305962419923e0, 3.15251094599893866154e1, 5.71628192246421288162e1, 4.40805073893200834700e1,
       1.46849561928858024014e1, 2.18663306850790267539e0, -1.40256079171354495875e-1, -3.50424626827848203418e-2,
       -8.57456785154685413611e-4)
_Q1 = (1.57799883256466749731e1, 4.53907635128879210584e1, 4.13172038254672030440e1, 1.50425385692907503408e1,
       2.50464946208309415979e0, -1.42182922854787788574e-1, -3.80806407691578277194e-2, -9.33259480895457427372e-4)
_P2 = (3.23774891776946035970e0, 6.91522889068984211695e0, 3.93881025292474443415e0, 1.33303460815807542389e0,
       2.01485389549179081538e-1, 1.23716634817820021358e-2, 3.01581553508235416007e-4, 2.65806974686737550832e-6,
       6.23974539184983293730e-9)
_Q2 = (6.02427039364742014255e0, 3.67983563856160859403e0, 1.37702099489081330271e0, 2.16236993594496635890e-1,
       1.34204006088543189037e-2, 3.28014464682127739104e-4, 2.89247864745380683936e-6, 6.79019408009981274425e-9)


def _polevl(x: float, coefficients: tuple[float, ...]) -> float:
    value = coefficients[0]
    for c in coefficients[1:]:
        value = value * x + c
    return value


def _p1evl(x: float, coefficients: tuple[float, ...]) -> float:
    """As :func:`_polevl` with a leading coefficient of 1 left out."""
    value = x + coefficients[0]
    for c in coefficients[1:]:
        value = value * x + c
    return value


def _ndtri(y0: float) -> float:
    if y0 == 0.0 or y0 == 1.0:
        return -math.inf if y0 == 0.0 else math.inf
    if not 0.0 < y0 < 1.0:  # NaN too
        return math.nan
    lower, y = True, y0
    if y > 1.0 - _EXP_M2:
        y, lower = 1.0 - y, False
    if y > _EXP_M2:
        y = y - 0.5
        y2 = y * y
        return (y + y * (y2 * _polevl(y2, _P0) / _p1evl(y2, _Q0))) * _S2PI
    x = math.sqrt(-2.0 * math.log(y))
    x0 = x - math.log(x) / x
    z = 1.0 / x
    x1 = z * _polevl(z, _P1) / _p1evl(z, _Q1) if x < 8.0 else z * _polevl(z, _P2) / _p1evl(z, _Q2)
    return -(x0 - x1) if lower else x0 - x1


def _usual(p: float) -> bool:
    return _P_EDGE < p < 1.0 - _P_EDGE


def _log_beta(a: float, b: float) -> float:
    return math.lgamma(a) + math.lgamma(b) - math.lgamma(a + b)


def _continued_fraction(a: float, b: float, x: float) -> float:
    """The continued fraction of ``I_x(a, b)`` (modified Lentz), for ``x < (a + 1) / (a + b + 2)``."""
    qab, qap, qam = a + b, a + 1.0, a - 1.0
    c, d = 1.0, 1.0 - qab * x / qap
    d = 1.0 / (d if abs(d) > _TINY else _TINY)
    h = d
    for m in range(1, 10_000):
        m2 = 2 * m
        for aa in (m * (b - m) * x / ((qam + m2) * (a + m2)), -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2))):
            d = 1.0 + aa * d
            d = 1.0 / (d if abs(d) > _TINY else _TINY)
            c = 1.0 + aa / c
            c = c if abs(c) > _TINY else _TINY
            delta = d * c
            h *= delta
        if abs(delta - 1.0) < 1e-16:
            return h
    return math.nan


def _beta_cdf(a: float, b: float, x: float, log_beta: float) -> float:
    """The regularised incomplete beta function ``I_x(a, b)`` for ``0 < x < 1``."""
    front = math.exp(a * math.log(x) + b * math.log1p(-x) - log_beta)
    if x < (a + 1.0) / (a + b + 2.0):
        return front * _continued_fraction(a, b, x) / a
    return 1.0 - front * _continued_fraction(b, a, 1.0 - x) / b


def _t_start(p: float, df: float) -> float:
    """A first guess of the t quantile: the normal one with Cornish and Fisher's first two corrections."""
    z = _ndtri(p)
    return z + (z**3 + z) / (4 * df) + (5 * z**5 + 16 * z**3 + 3 * z) / (96 * df * df)


def _beta_inverse(a: float, b: float, p: float, *, start: float | None = None) -> float | None:
    """The x in (0, 1) where ``I_x(a, b) = p`` (``0 < p <= 0.5``): Newton steps kept inside a bracket that
    shrinks with each evaluation, bisecting where Newton would leave it; None when it does not converge.
    ``start``: a first guess (default: Numerical Recipes')."""
    log_beta = _log_beta(a, b)
    low, high = 0.0, 1.0
    x = _beta_start(a, b, p) if start is None or not 0.0 < start < 1.0 else start
    for _ in range(200):
        value = _beta_cdf(a, b, x, log_beta) - p
        if math.isnan(value):
            return None
        if value == 0.0:
            return x
        if value < 0:
            low = x
        else:
            high = x
        log_density = (a - 1.0) * math.log(x) + (b - 1.0) * math.log1p(-x) - log_beta
        density = math.exp(log_density) if log_density < 700 else math.inf
        new = x - value / density if density > 0 else math.nan
        if abs(new - x) <= 1e-15 * x:  # converged (a step of less than an ulp lands on x, a bracket's end)
            return new
        if not low < new < high:  # NaN too
            new = 0.5 * (low + high)
        if high - low <= 1e-15 * low:
            return new
        x = new
    return None


def _beta_start(a: float, b: float, p: float) -> float:
    """A first guess of the inverse (Numerical Recipes' ``invbetai``)."""
    if a >= 1.0 and b >= 1.0:
        pp = p if p < 0.5 else 1.0 - p
        t = math.sqrt(-2.0 * math.log(pp))
        x = (2.30753 + t * 0.27061) / (1.0 + t * (0.99229 + t * 0.04481)) - t
        if p < 0.5:
            x = -x
        al = (x * x - 3.0) / 6.0
        h = 2.0 / (1.0 / (2.0 * a - 1.0) + 1.0 / (2.0 * b - 1.0))
        skew = (1.0 / (2.0 * b - 1.0) - 1.0 / (2.0 * a - 1.0)) * (al + 5.0 / 6.0 - 2.0 / (3.0 * h))
        w = x * math.sqrt(al + h) / h - skew
        guess = a / (a + b * math.exp(2.0 * w))
    else:
        lna, lnb = math.log(a / (a + b)), math.log(b / (a + b))
        t, u = math.exp(a * lna) / a, math.exp(b * lnb) / b
        w = t + u
        guess = (a * w * p) ** (1.0 / a) if p < t / w else 1.0 - (b * w * (1.0 - p)) ** (1.0 / b)
    return min(max(guess, 1e-300), 1.0 - 1e-16)
