"""How many interviewers and questions a competency needs: a D-study of generalizability theory.

The G-study is the variance components already estimated by REML for each competency
(:mod:`interviewkit.domain.calibration.variance`): candidate ``s2p``, interviewer ``s2r`` and residual ``s2e``.
The D-study asks how reliable a candidate's score on the competency would be if it were the mean of
``n_r`` interviewers, each asking ``n_q`` questions on it (R. L. Brennan, *Generalizability Theory*,
Springer, 2001, ch. 4, the design p x (q:r): questions nested in interviewers, candidates crossed with
both).

The residual of one rating splits into the candidate-by-interviewer part ``s2pr`` (how this interviewer
sees this candidate, whatever they ask) and the part that averages out over questions, ``s2pq`` (how the
candidate did on these particular questions, and noise): at the history's harmonic mean number of
questions per rating ``m``, ``s2e = s2pr + s2pq / m``. With ``lam`` the question share of the residual
(``s2pq / m = lam s2e``):

    relative error  s2(delta) = ((1 - lam) s2e + lam s2e m / n_q) / n_r
    absolute error  s2(Delta) = s2r / n_r + s2(delta)
    E rho^2 = s2p / (s2p + s2(delta))       generalizability coefficient: ranks candidates seen by the same
                                            interviewers (leniency cancels)
    Phi     = s2p / (s2p + s2(Delta))       dependability: compares candidates seen by different
                                            interviewers, leniency counted as error (what a hiring bar needs)

At ``n_q = m`` these are the Spearman-Brown step-ups of the REML ICCs (consistency and absolute), and
their 95% intervals are the step-ups of the ICCs' intervals (a monotone map, as McGraw & Wong step up
ICC(A,1)'s interval). Question-to-question differences in difficulty that one interviewer always asks the
same way are part of the interviewer's effect; those that vary between candidates are part of ``s2pq``.

The question share ``lam`` is estimated when ratings say how many questions they rest on and that number
varies (:func:`question_share`): for two interviewers' ratings of the same candidate,
``E (y_j - y_k)^2 = 2 (s2r + s2pr) + s2pq (1/q_j + 1/q_k)``, so the least-squares slope of the squared
differences on ``1/q_j + 1/q_k`` estimates ``s2pq`` (a method-of-moments estimate, C. R. Henderson's
approach). Otherwise ``lam`` is unknown and taken as 0: more questions per interviewer are assumed to add
nothing, the cautious reading, and the D-study says so.

Without any history of a competency the figures come from a neutral prior: every single-interviewer
reliability from 0 to 1 taken as equally likely (uniform), so the figure for one interviewer is its median
0.5 with a 95% range of 0.025 to 0.975, stepped up alike for more interviewers. It is stated in words as an
assumption, not a measurement.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from interviewkit.domain.calibration.variance import VarianceComponents

__all__ = [
    "PRIOR_CI",
    "SHORT_HISTORY",
    "DStudyPoint",
    "GStudy",
    "d_study",
    "g_study",
    "neutral_prior",
    "question_share",
    "reliability_words",
]

SHORT_HISTORY = 20  # candidates: below this a figure is rough, and said to be
PRIOR_CI = (0.025, 0.975)  # the central 95% of a uniform prior on one interviewer's reliability


@dataclass(frozen=True)
class GStudy:
    """The variance components a D-study projects from, and where they came from.

    ``source`` is "history" (REML on past ratings) or "prior" (no ratings: the neutral prior, with no
    components). ``questions_per_rating`` is the history's mean number of questions behind one rating (1
    when unknown); ``question_share`` the share of the residual that averages over questions (None:
    unknown, taken as 0).
    """

    source: str
    n_candidates: int
    candidate: float | None
    interviewer: float | None
    residual: float | None
    icc_absolute: float | None
    icc_consistency: float | None
    icc_absolute_ci: tuple[float, float] | None
    icc_consistency_ci: tuple[float, float] | None
    questions_per_rating: float = 1.0
    question_share: float | None = None

    @property
    def short(self) -> bool:
        """Whether the history is too short for more than a rough figure."""
        return self.source == "history" and self.n_candidates < SHORT_HISTORY


@dataclass(frozen=True)
class DStudyPoint:
    """The reliability of a competency's score from ``interviewers`` interviewers asking ``questions`` each.

    ``absolute`` (Phi) counts leniency as error; ``relative`` (E rho^2) does not. Intervals are None where
    they cannot be given (a question count other than the history's, or no interval in the G-study).
    """

    interviewers: int
    questions: float
    relative: float | None
    absolute: float | None
    relative_ci: tuple[float, float] | None
    absolute_ci: tuple[float, float] | None


def g_study(
    vc: VarianceComponents, *, questions_per_rating: float = 1.0, question_share_: float | None = None
) -> GStudy:
    """The G-study of one competency from its REML components; the neutral prior when there are none."""
    if vc.icc_absolute is None or vc.candidate is None:
        return neutral_prior()
    return GStudy(
        "history",
        vc.n_candidates,
        vc.candidate,
        vc.interviewer,
        vc.residual,
        vc.icc_absolute,
        vc.icc_consistency,
        vc.icc_absolute_ci,
        vc.icc_consistency_ci,
        questions_per_rating,
        question_share_,
    )


def neutral_prior() -> GStudy:
    """No history: a uniform prior on one interviewer's reliability (median 0.5, 95% from 0.025 to 0.975)."""
    return GStudy("prior", 0, None, None, None, 0.5, 0.5, PRIOR_CI, PRIOR_CI)


def _step_up(value: float, n: float) -> float:
    """Spearman-Brown: the reliability of the mean of n from that of one."""
    return n * value / (1.0 + (n - 1.0) * value) if value > -1.0 / max(n - 1.0, 1e-12) else 0.0


def _step_up_ci(ci: tuple[float, float] | None, n: float) -> tuple[float, float] | None:
    return None if ci is None else (_step_up(max(ci[0], 0.0), n), _step_up(ci[1], n))


def d_study(g: GStudy, interviewers: int, questions: float | None = None) -> DStudyPoint:
    """The D-study at ``interviewers`` interviewers and ``questions`` questions each on the competency
    (default: the history's number; see the module docstring)."""
    if interviewers < 1:
        raise ValueError("a D-study needs at least one interviewer")
    m = g.questions_per_rating
    n_q = m if questions is None else float(questions)
    if n_q <= 0:
        raise ValueError("a D-study needs at least one question")
    same = abs(n_q - m) < 1e-9
    if g.source == "prior" or same or not g.question_share:
        # The question share unknown (or 0): the coefficients do not move with questions; at the history's
        # count they are the step-ups of the ICCs, intervals included.
        rel = None if g.icc_consistency is None else _step_up(g.icc_consistency, interviewers)
        absolute = None if g.icc_absolute is None else _step_up(g.icc_absolute, interviewers)
        return DStudyPoint(
            interviewers, n_q, rel, absolute,
            _step_up_ci(g.icc_consistency_ci, interviewers), _step_up_ci(g.icc_absolute_ci, interviewers),
        )
    s2p, s2r, s2e = g.candidate or 0.0, g.interviewer or 0.0, g.residual or 0.0
    lam = float(np.clip(g.question_share, 0.0, 1.0))
    delta = ((1.0 - lam) * s2e + lam * s2e * m / n_q) / interviewers
    big_delta = s2r / interviewers + delta
    rel = s2p / (s2p + delta) if s2p + delta > 0 else None
    absolute = s2p / (s2p + big_delta) if s2p + big_delta > 0 else None
    return DStudyPoint(interviewers, n_q, rel, absolute, None, None)


def question_share(
    candidate: NDArray[np.intp],
    interviewer: NDArray[np.intp],
    score: NDArray[np.float64],
    questions: NDArray[np.float64],
    residual: float | None,
) -> tuple[float | None, float]:
    """The question share of the residual and the mean number of questions per rating (see the module
    docstring): ``(lam, m)``; ``lam`` is None when the questions per rating do not vary (or are unknown
    for every rating) or the residual is 0. Ratings with an unknown count (NaN) are left out of the
    estimate of ``lam``; ``m`` is the harmonic mean of the known counts (1 without any), so that
    ``s2pq / m`` is the average question part of one rating's residual."""
    known = np.isfinite(questions) & (questions >= 1)
    m = float(1.0 / np.mean(1.0 / questions[known])) if known.any() else 1.0
    if not residual or known.sum() < 4:
        return None, m
    c, i, y, q = candidate[known], interviewer[known], score[known], questions[known]
    order = np.argsort(c, kind="stable")
    c, i, y, q = c[order], i[order], y[order], q[order]
    first, second = _pairs_within(np.flatnonzero(np.r_[True, c[1:] != c[:-1]]), c.size)
    other = i[first] != i[second]
    first, second = first[other], second[other]
    x = 1.0 / q[first] + 1.0 / q[second]
    if x.size < 3 or float(np.ptp(x)) == 0.0:
        return None, m
    slope = float(np.polyfit(x, (y[first] - y[second]) ** 2, 1)[0])
    return float(np.clip(max(slope, 0.0) / m / residual, 0.0, 1.0)), m


def _pairs_within(starts: NDArray[np.intp], n: int) -> tuple[NDArray[np.intp], NDArray[np.intp]]:
    """Every pair (a, b), a < b, of rows of the same group (groups are runs starting at ``starts``, ``n`` rows
    in all), group after group and within a group in ``np.triu_indices`` order: built per group size with
    numpy, not per group (300,000 candidates took 40 s in a Python loop)."""
    sizes = np.diff(np.r_[starts, n])
    counts = sizes * (sizes - 1) // 2
    offsets = np.r_[0, np.cumsum(counts)]
    first = np.empty(int(offsets[-1]), dtype=np.intp)
    second = np.empty_like(first)
    for k in np.unique(sizes[sizes >= 2]).tolist():
        groups = np.flatnonzero(sizes == k)
        a, b = np.triu_indices(k, 1)
        where = offsets[groups][:, None] + np.arange(a.size)
        first[where] = starts[groups][:, None] + a
        second[where] = starts[groups][:, None] + b
    return first, second


def _fmt(value: float | None) -> str:
    return "unknown" if value is None else f"{value:.2f}"


_ORDINAL = {2: "second", 3: "third", 4: "fourth", 5: "fifth", 6: "sixth"}


def reliability_words(name: str, g: GStudy, points: Sequence[DStudyPoint], planned: int = 1) -> str:
    """The D-study in words, as the loop planner and the report say it: with ``planned`` interviewers on
    the competency, e.g. "people leadership: 1 interviewer, reliability 0.48; a second interviewer raises it
    to 0.65" (the absolute coefficient), and what the figure rests on. ``points`` are the D-study at 1, 2,
    ... interviewers."""
    here = next((p for p in points if p.interviewers == planned), None)
    if here is None:
        return f"{name}: no figures for {planned} interviewers."
    who = f"{planned} interviewer{'s' if planned != 1 else ''}"
    text = f"{name}: {who}, reliability {_fmt(here.absolute)}"
    if here.absolute_ci is not None:
        text += f" (95% {here.absolute_ci[0]:.2f} to {here.absolute_ci[1]:.2f})"
    following = next((p for p in points if p.interviewers == planned + 1), None)
    if following is not None:
        text += f"; a {_ORDINAL.get(planned + 1, 'further')} interviewer raises it to {_fmt(following.absolute)}"
    if g.source == "prior":
        return (
            text + ". No ratings of it yet, so this is a neutral assumption, not a measurement: every reliability "
            "from 0 to 1 taken as equally likely, the figure is the middle of that range."
        )
    history = f"from {g.n_candidates} candidate{'s' if g.n_candidates != 1 else ''}"
    if g.short:
        return text + f" ({history}: too few for more than a rough figure)."
    return text + f" ({history})."
