"""The D-study (Brennan 2001): reliability against interviewers and questions, checked against known truths."""

from __future__ import annotations

import numpy as np
import pytest

from interviewkit.domain.calibration import Observations, fit_variance_components
from interviewkit.domain.calibration.gstudy import (
    PRIOR_CI,
    d_study,
    g_study,
    neutral_prior,
    question_share,
    reliability_words,
)


def simulate(rng: np.random.Generator, *, nc: int, ni: int, per: int, s2p: float, s2r: float, s2pr: float,
             s2pq: float, questions: tuple[int, ...] = (1,)) -> Observations:
    """Ratings of a p x (q:r) design: each candidate met ``per`` of ``ni`` interviewers, each of whom rated
    the competency as the mean of ``q`` question scores, ``q`` drawn from ``questions``."""
    cand = np.repeat(np.arange(nc), per)
    inter = np.concatenate([rng.choice(ni, per, replace=False) for _ in range(nc)])
    q = rng.choice(np.array(questions), cand.size).astype(float)
    y = (
        rng.normal(0, np.sqrt(s2p), nc)[cand]
        + rng.normal(0, np.sqrt(s2r), ni)[inter]
        + rng.normal(0, np.sqrt(s2pr), cand.size)
        + rng.normal(0, 1, cand.size) * np.sqrt(s2pq / q)
    )
    return Observations(tuple(map(str, range(nc))), tuple(map(str, range(ni))), cand.astype(np.intp),
                        inter.astype(np.intp), y, np.full(y.size, np.nan), q)


def phi(s2p: float, s2r: float, s2pr: float, s2pq: float, n_r: int, n_q: float) -> float:
    """Brennan's dependability of the p x (q:r) design, from the true components."""
    return s2p / (s2p + (s2r + s2pr + s2pq / n_q) / n_r)


def test_at_the_historys_questions_it_is_the_spearman_brown_step_up_of_the_iccs() -> None:
    rng = np.random.default_rng(1)
    vc = fit_variance_components(simulate(rng, nc=300, ni=12, per=3, s2p=1.0, s2r=0.2, s2pr=0.3, s2pq=0.3))
    g = g_study(vc)
    for n in range(1, 6):
        point = d_study(g, n)
        step = n * vc.icc_absolute / (1 + (n - 1) * vc.icc_absolute)  # type: ignore[operator]
        assert point.absolute == pytest.approx(step)
        assert point.relative == pytest.approx(n * vc.icc_consistency / (1 + (n - 1) * vc.icc_consistency))  # type: ignore[operator]
        low, high = vc.icc_absolute_ci  # type: ignore[misc]
        assert point.absolute_ci == pytest.approx((n * low / (1 + (n - 1) * low), n * high / (1 + (n - 1) * high)))
    assert d_study(g, 1).absolute < d_study(g, 2).absolute < d_study(g, 5).absolute < 1  # type: ignore[operator]


def test_the_d_study_recovers_the_true_dependability_for_interviewers_and_questions() -> None:
    """2,000 candidates, 3 of 40 interviewers each, ratings resting on 1 to 3 questions: the projected
    reliability for 1-5 interviewers and 1-3 questions lies within 0.03 of the truth."""
    truth = {"s2p": 1.0, "s2r": 0.15, "s2pr": 0.25, "s2pq": 0.6}
    rng = np.random.default_rng(2001)
    obs = simulate(rng, nc=2000, ni=40, per=3, questions=(1, 2, 3), **truth)
    vc = fit_variance_components(obs)
    share, per_rating = question_share(obs.candidate, obs.interviewer, obs.score, obs.questions, vc.residual)  # type: ignore[arg-type]
    assert share is not None and per_rating == pytest.approx(1 / np.mean([1, 1 / 2, 1 / 3]), abs=0.05)
    g = g_study(vc, questions_per_rating=per_rating, question_share_=share)
    worst = 0.0
    for n_r in range(1, 6):
        for n_q in (1, 2, 3):
            projected = d_study(g, n_r, n_q).absolute
            worst = max(worst, abs(projected - phi(**truth, n_r=n_r, n_q=n_q)))  # type: ignore[operator]
    assert worst < 0.03
    # One interviewer asking one question vs three: the question facet matters here.
    assert d_study(g, 1, 3).absolute - d_study(g, 1, 1).absolute > 0.08  # type: ignore[operator]


def test_without_varying_question_counts_more_questions_are_assumed_to_add_nothing() -> None:
    rng = np.random.default_rng(3)
    obs = simulate(rng, nc=200, ni=10, per=2, s2p=1.0, s2r=0.1, s2pr=0.3, s2pq=0.3, questions=(2,))
    vc = fit_variance_components(obs)
    share, per_rating = question_share(obs.candidate, obs.interviewer, obs.score, obs.questions, vc.residual)  # type: ignore[arg-type]
    assert share is None and per_rating == 2.0
    g = g_study(vc, questions_per_rating=per_rating, question_share_=share)
    assert d_study(g, 2, 5).absolute == d_study(g, 2).absolute


def test_no_history_gives_the_neutral_prior_in_words() -> None:
    g = g_study(fit_variance_components(simulate(np.random.default_rng(4), nc=1, ni=2, per=1, s2p=1, s2r=0,
                                                 s2pr=1, s2pq=0)))
    assert g == neutral_prior() and g.source == "prior"
    one, two = d_study(g, 1), d_study(g, 2)
    assert one.absolute == 0.5 and one.absolute_ci == PRIOR_CI
    assert two.absolute == pytest.approx(2 / 3) and two.absolute_ci == pytest.approx((0.05 / 1.025, 1.95 / 1.975))
    words = reliability_words("people leadership", g, [one, two])
    assert words.startswith("people leadership: 1 interviewer, reliability 0.50 (95% 0.03 to 0.97);")
    assert "a second interviewer raises it to 0.67" in words and "neutral assumption, not a measurement" in words


def test_the_planner_sentence_and_a_short_history() -> None:
    rng = np.random.default_rng(5)
    vc = fit_variance_components(simulate(rng, nc=12, ni=4, per=2, s2p=1.0, s2r=0.1, s2pr=0.5, s2pq=0.5))
    g = g_study(vc)
    assert g.short
    points = [d_study(g, n) for n in (1, 2, 3)]
    words = reliability_words("people leadership", g, points)
    first, second = points[0].absolute, points[1].absolute
    assert words.startswith(f"people leadership: 1 interviewer, reliability {first:.2f}")
    assert f"a second interviewer raises it to {second:.2f}" in words and "from 12 candidates: too few" in words
    assert reliability_words("x", g, points, planned=2).startswith(f"x: 2 interviewers, reliability {second:.2f}")
    with pytest.raises(ValueError, match="at least one interviewer"):
        d_study(g, 0)
