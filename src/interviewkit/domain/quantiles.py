"""Quantiles of the normal, t, chi-squared and F distributions, from :mod:`scipy.special`.

The calibration statistics need only these four inverse distribution functions. ``scipy.stats`` computes them
with the same special functions but costs about a second to import (its hundred distributions, and
``scipy.optimize``, ``scipy.spatial`` behind them); a command-line run of ``calibrate`` paid that on every
start. The results are those of ``scipy.stats.<dist>.ppf`` (tests/domain/test_quantiles.py compares them), as numpy
floats like theirs (a division by an infinite or zero quantile gives inf or 0 with a warning, not an exception).
"""

from __future__ import annotations

import numpy as np
from scipy import special

__all__ = ["chi2_ppf", "f_ppf", "norm_ppf", "t_ppf"]


def norm_ppf(p: float) -> float:
    """The standard normal quantile: ``scipy.stats.norm.ppf(p)``."""
    return np.float64(special.ndtri(p))


def t_ppf(p: float, df: float) -> float:
    """Student's t quantile with ``df`` degrees of freedom: ``scipy.stats.t.ppf(p, df)``."""
    return np.float64(special.stdtrit(df, p))


def chi2_ppf(p: float, df: float) -> float:
    """The chi-squared quantile: ``scipy.stats.chi2.ppf(p, df)`` (``chdtri`` inverts the upper tail)."""
    return np.float64(special.chdtri(df, 1.0 - p))


def f_ppf(p: float, dfn: float, dfd: float) -> float:
    """The F quantile with ``dfn`` and ``dfd`` degrees of freedom: ``scipy.stats.f.ppf(p, dfn, dfd)``."""
    return np.float64(special.fdtri(dfn, dfd, p))
