"""Predictive validity: did the people we hired turn out as we scored them? Pure numpy/scipy.

For a predictor (a competency's interview score, a question's, a stage's, one interviewer's, or the
composite: the candidate's overall score) and an outcome known only for hires (a later performance
rating), :func:`validity` gives:

* the raw Pearson correlation ``r`` among the hires, with ``n`` and a 95% interval from Fisher's z
  (``atanh(r) +- z / sqrt(n - 3)``, back-transformed);
* the correction for range restriction. Only hires have outcomes, and hires are the candidates who scored
  high, so the spread of scores among them is narrower than among applicants and ``r`` is attenuated.
  Thorndike's case II (R. L. Thorndike, *Personnel Selection*, Wiley, 1949; the formula is Pearson's, 1903)
  restores it with ``u = SD(applicants) / SD(hires)`` of the predictor:

      r_c = r u / sqrt(1 + r^2 (u^2 - 1))

  It assumes selection directly on this predictor (or on something that carries its whole effect),
  a linear relation and equal residual spread; hires selected on the composite make a single
  competency's correction approximate (J. E. Hunter, F. L. Schmidt and H. Le, *Journal of Applied
  Psychology* 91, 594-612, 2006, on indirect restriction). The correction is monotone in ``r``, so the
  interval's ends are corrected alike (the usual practice; it keeps the interval's coverage when ``u``
  is known, as the applicant pool's spread is here);
* the verdict in words, never a bare coefficient: fewer than :data:`MIN_HIRES` hires is "too few to
  say"; an interval that includes 0 is "no clear relation"; otherwise the direction and Cohen's size
  (negligible below 0.1, small below 0.3, moderate below 0.5, large above; J. Cohen, *Statistical Power
  Analysis for the Behavioral Sciences*, 2nd ed., 1988).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from interviewkit.domain.quantiles import norm_ppf

__all__ = ["MIN_HIRES", "Validity", "correlation_ci", "thorndike_ii", "validity", "verdict"]

MIN_HIRES = 20  # below this a correlation's interval spans most of [-1, 1]: too few to say


@dataclass(frozen=True)
class Validity:
    """A predictor's validity for an outcome: raw among hires, corrected for range restriction, in words.

    ``n`` hires have both a score and an outcome; ``n_pool`` candidates (hired or not) have a score. ``u`` is
    SD(pool) / SD(hires) of the predictor; ``corrected`` is None when it cannot be computed (``why``).
    """

    n: int
    n_pool: int
    r: float | None
    ci: tuple[float, float] | None
    u: float | None
    corrected: float | None
    corrected_ci: tuple[float, float] | None
    words: str
    why: str = ""  # what could not be computed, and why


def correlation_ci(r: float, n: int, level: float = 0.95) -> tuple[float, float] | None:
    """Fisher's z interval of a Pearson correlation from ``n`` pairs (None below 4 pairs)."""
    if n < 4 or not math.isfinite(r):
        return None
    z = float(norm_ppf(1 - (1 - level) / 2))
    centre = math.atanh(min(max(r, -0.999999), 0.999999))
    half = z / math.sqrt(n - 3)
    return math.tanh(centre - half), math.tanh(centre + half)


def thorndike_ii(r: float, u: float) -> float:
    """Thorndike's case II: the correlation in the applicant pool from ``r`` among the selected and
    ``u = SD(pool) / SD(selected)`` of the predictor."""
    return r * u / math.sqrt(1.0 + r * r * (u * u - 1.0))


def _strength(r: float) -> str:
    size = abs(r)
    return "negligible" if size < 0.1 else "small" if size < 0.3 else "moderate" if size < 0.5 else "large"


def verdict(v: Validity, what: str = "the interview score", outcome: str = "performance") -> str:
    """``v`` in words (see the module docstring)."""
    if v.r is None:
        return f"n = {v.n}: {v.why or 'no correlation can be computed'}."
    r, ci = (v.corrected, v.corrected_ci) if v.corrected is not None else (v.r, v.ci)
    label = "corrected r" if v.corrected is not None else "r (not corrected)"
    shown = f"{label} {r:.2f}" + (f" (95% {ci[0]:.2f} to {ci[1]:.2f})" if ci else "")
    raw = f"raw r {v.r:.2f} among {v.n} hires"
    if v.n < MIN_HIRES:
        return f"n = {v.n}: too few to say ({shown}; at least {MIN_HIRES} hires with an outcome are needed)."
    if ci is None or ci[0] <= 0 <= ci[1]:
        return f"No clear relation between {what} and {outcome}: {shown}; {raw}."
    direction = "predicts" if r > 0 else "goes with lower"
    return f"{what[:1].upper() + what[1:]} {direction} {outcome}: {shown}, a {_strength(r)} relation; {raw}."


def validity(
    pool: Mapping[str, float], outcome: Mapping[str, float], *, level: float = 0.95
) -> Validity:
    """The validity of a predictor (``pool``: candidate -> score, every candidate who has one) for an
    outcome known for some of them (``outcome``: candidate -> value; the hires). See the module docstring."""
    hires = [c for c in outcome if c in pool and math.isfinite(pool[c]) and math.isfinite(outcome[c])]
    scores = np.array([pool[c] for c in hires], dtype=np.float64)
    later = np.array([outcome[c] for c in hires], dtype=np.float64)
    everyone = np.array([v for v in pool.values() if math.isfinite(v)], dtype=np.float64)
    n, n_pool = len(hires), int(everyone.size)
    if n < 3:
        hires_text = f"{n} hire{'s' if n != 1 else ''}"
        return _without(n, n_pool, f"{hires_text} with a score and an outcome: at least 3 are needed")
    if float(np.ptp(scores)) == 0 or float(np.ptp(later)) == 0:
        which = "interview score" if float(np.ptp(scores)) == 0 else "outcome"
        return _without(n, n_pool, f"every hire has the same {which}, so nothing can go with anything")
    r = float(np.corrcoef(scores, later)[0, 1])
    ci = correlation_ci(r, n, level)
    sd_hired, sd_pool = float(np.std(scores, ddof=1)), float(np.std(everyone, ddof=1)) if n_pool > 1 else 0.0
    u = sd_pool / sd_hired if sd_hired > 0 and sd_pool > 0 else None
    why = "" if u is not None else "the applicants' spread of scores is unknown, so no correction"
    corrected = thorndike_ii(r, u) if u is not None else None
    corrected_ci = (thorndike_ii(ci[0], u), thorndike_ii(ci[1], u)) if u is not None and ci is not None else None
    v = Validity(n, n_pool, r, ci, u, corrected, corrected_ci, "", why)
    return Validity(n, n_pool, r, ci, u, corrected, corrected_ci, verdict(v), why)


def _without(n: int, n_pool: int, why: str) -> Validity:
    v = Validity(n, n_pool, None, None, None, None, None, "", why)
    return Validity(n, n_pool, None, None, None, None, None, verdict(v), why)
