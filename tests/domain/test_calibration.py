"""Calibration statistics: published examples, REML against ANOVA and a direct likelihood, simulations."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np
import pytest
from scipy import optimize, stats

from interviewkit.domain.calibration import (
    Observations,
    QuestionUse,
    Rating,
    RatingSet,
    adjusted_scores,
    alpha_from_observations,
    anova_components,
    calibrate,
    coincidence_matrix,
    complete_block,
    components,
    drift,
    fit_leniency,
    fit_variance_components,
    halo,
    koo_li_band,
    krippendorff_alpha,
    observations,
    pass_through,
    pivot,
    question_analytics,
    rating_distributions,
    shrout_fleiss,
    wilson_interval,
)
from interviewkit.domain.calibration.agreement import _alpha_from_coincidence

NA = np.nan

# Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", section C: 4 observers x 12 units.
KRIPPENDORFF_CODERS_X_UNITS = np.array(
    [
        [1, 2, 3, 3, 2, 1, 4, 1, 2, NA, NA, NA],
        [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, NA, 3],
        [NA, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, NA],
        [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, NA],
    ]
)
KRIPPENDORFF_PUBLISHED = {"nominal": 0.743, "ordinal": 0.815, "interval": 0.849, "ratio": 0.797}

# Shrout & Fleiss (1979), Table 2: 6 targets x 4 judges.
SHROUT_FLEISS = np.array([[9, 2, 5, 8], [6, 1, 3, 2], [8, 4, 6, 8], [7, 1, 2, 6], [10, 5, 6, 9], [6, 2, 4, 7]], float)
SF_PUBLISHED_2DP = {"ICC1": 0.17, "ICC2": 0.29, "ICC3": 0.71, "ICC1k": 0.44, "ICC2k": 0.62, "ICC3k": 0.91}
SF_EXACT_3DP = {"ICC1": 0.166, "ICC2": 0.290, "ICC3": 0.715, "ICC1k": 0.443, "ICC2k": 0.620, "ICC3k": 0.909}


def obs_from(cand: np.ndarray, inter: np.ndarray, y: np.ndarray, at: np.ndarray | None = None) -> Observations:
    nc, ni = int(cand.max()) + 1, int(inter.max()) + 1
    return Observations(
        tuple(f"c{j}" for j in range(nc)), tuple(f"i{j}" for j in range(ni)), cand.astype(np.intp),
        inter.astype(np.intp), y.astype(float), np.full(y.size, np.nan) if at is None else at,
    )


def crossed_sample(rng: np.random.Generator, nc: int, ni: int, per: int, s2c: float, s2i: float, s2e: float,
                   leniency: np.ndarray | None = None) -> tuple[Observations, np.ndarray]:
    """Each candidate rated by ``per`` distinct interviewers drawn at random from ``ni``."""
    cand = np.repeat(np.arange(nc), per)
    inter = np.concatenate([rng.choice(ni, per, replace=False) for _ in range(nc)])
    effects = rng.normal(0, np.sqrt(s2i), ni) if leniency is None else leniency
    y = 3 + rng.normal(0, np.sqrt(s2c), nc)[cand] + effects[inter] + rng.normal(0, np.sqrt(s2e), cand.size)
    return obs_from(cand, inter, y), effects


# --- Krippendorff's alpha --------------------------------------------------------------------------


@pytest.mark.parametrize("metric", ["nominal", "ordinal", "interval", "ratio"])
def test_krippendorffs_worked_example_with_missing_values(metric: str) -> None:
    alpha = krippendorff_alpha(KRIPPENDORFF_CODERS_X_UNITS.T, metric)  # type: ignore[arg-type]
    assert alpha is not None
    assert round(alpha, 3) == KRIPPENDORFF_PUBLISHED[metric]


def test_the_coincidence_matrix_is_krippendorffs() -> None:
    values, o = coincidence_matrix(KRIPPENDORFF_CODERS_X_UNITS.T)
    assert values.tolist() == [1, 2, 3, 4, 5]
    expected = np.array(
        [[7, 4 / 3, 1 / 3, 1 / 3, 0], [4 / 3, 10, 4 / 3, 1 / 3, 0], [1 / 3, 4 / 3, 8, 1 / 3, 0],
         [1 / 3, 1 / 3, 1 / 3, 4, 0], [0, 0, 0, 0, 3]]
    )
    np.testing.assert_allclose(o, expected)
    assert o.sum() == pytest.approx(40)  # n: unit 12 has a single value and is dropped


@pytest.mark.parametrize("metric", ["interval", "ordinal"])
def test_the_closed_forms_equal_the_coincidence_matrix(metric: str) -> None:
    rng = np.random.default_rng(7)
    data = rng.integers(1, 6, size=(60, 7)).astype(float) + rng.integers(0, 2, size=(60, 1))
    data[rng.random(data.shape) < 0.45] = np.nan
    values, o = coincidence_matrix(data)
    assert krippendorff_alpha(data, metric) == pytest.approx(_alpha_from_coincidence(values, o, metric), abs=1e-12)  # type: ignore[arg-type]


def test_alpha_drops_unpairable_units_and_is_undefined_without_variation() -> None:
    base = krippendorff_alpha(KRIPPENDORFF_CODERS_X_UNITS.T)
    lonely = np.vstack([KRIPPENDORFF_CODERS_X_UNITS.T, [[4, NA, NA, NA]]])
    assert krippendorff_alpha(lonely) == pytest.approx(base)
    assert krippendorff_alpha([[2, 2], [2, 2]]) is None
    assert krippendorff_alpha([[1, NA], [NA, 2]]) is None
    assert alpha_from_observations([0, 0, 1, 1], [1.0, 1.0, 2.0, 2.0]) == pytest.approx(1.0)


# --- Shrout & Fleiss -----------------------------------------------------------------------------------


def test_shrout_fleiss_table_2() -> None:
    result = shrout_fleiss(SHROUT_FLEISS)
    assert result is not None and (result.n, result.k) == (6, 4)
    for key, published in SF_PUBLISHED_2DP.items():
        value = result.values[key]
        assert value is not None
        assert round(value, 2) == published, key
        assert round(value, 3) == SF_EXACT_3DP[key], key
    # The ANOVA of the paper's Table 2.
    assert (round(result.bms, 2), round(result.wms, 2), round(result.jms, 2), round(result.ems, 2)) == (
        11.24, 6.26, 32.49, 1.02,
    )


def test_shrout_fleiss_confidence_intervals() -> None:
    """The intervals of the paper's formulas; the same figures as psych::ICC (W. Revelle) prints for
    these data."""
    ci = shrout_fleiss(SHROUT_FLEISS).ci  # type: ignore[union-attr]
    expected = {
        "ICC1": (-0.133, 0.72), "ICC2": (0.019, 0.76), "ICC3": (0.342, 0.95),
        "ICC1k": (-0.884, 0.91), "ICC2k": (0.071, 0.93), "ICC3k": (0.676, 0.99),
    }
    for key, (lo, hi) in expected.items():
        got = ci[key]
        assert got is not None
        assert got[0] == pytest.approx(lo, abs=5e-4), key
        assert got[1] == pytest.approx(hi, abs=5e-3), key
    # ICC(2,k) is the Spearman-Brown step-up of ICC(2,1)'s limits (McGraw & Wong 1996).
    lo1, hi1 = ci["ICC2"]  # type: ignore[misc]
    assert ci["ICC2k"] == pytest.approx((4 * lo1 / (1 + 3 * lo1), 4 * hi1 / (1 + 3 * hi1)))


def test_shrout_fleiss_needs_a_complete_block_of_two_by_two() -> None:
    assert shrout_fleiss([[1, 2, 3]]) is None
    assert shrout_fleiss([[1, 2], [3, NA]]) is None
    same = shrout_fleiss([[2, 2], [2, 2], [2, 2]])
    assert same is not None and same.values["ICC1"] is None and same.ci["ICC3"] is None


def test_complete_block() -> None:
    rows, cols = complete_block(SHROUT_FLEISS)  # type: ignore[misc]
    assert rows.tolist() == list(range(6)) and cols.tolist() == [0, 1, 2, 3]
    x = np.array(
        [[1, 2, 3, NA], [2, 3, 4, NA], [3, 3, 4, 1], [NA, 1, 2, 2], [4, NA, 4, 3], [2, 2, 3, NA]], float
    )
    rows, cols = complete_block(x)  # type: ignore[misc]
    assert not np.isnan(x[np.ix_(rows, cols)]).any()
    assert (rows.tolist(), cols.tolist()) == ([0, 1, 2, 5], [0, 1, 2])  # 12 ratings: the most available
    assert complete_block(np.array([[1, NA], [NA, 2], [3, NA]])) is None


# --- Koo & Li -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("ci", "band"),
    [
        ((0.76, 0.89), "good"),
        ((0.60, 0.80), "moderate to good"),
        ((0.30, 0.95), "poor to excellent"),
        ((0.90, 0.97), "excellent"),
        ((0.10, 0.49), "poor"),
        ((0.5, 0.75), "moderate to good"),  # 0.75 is good: moderate < 0.75 <= good
        (None, "unknown"),
    ],
)
def test_koo_li_bands_are_judged_on_the_interval(ci: tuple[float, float] | None, band: str) -> None:
    assert koo_li_band(ci) == band


# --- variance components -------------------------------------------------------------------------------


def test_reml_equals_anova_on_a_balanced_complete_design() -> None:
    rng = np.random.default_rng(11)
    n, k = 40, 6
    x = 3 + rng.normal(0, 1, (n, 1)) + rng.normal(0, 0.7, (1, k)) + rng.normal(0, 0.8, (n, k))
    s2c, s2i, s2e = anova_components(x)
    assert min(s2c, s2i, s2e) > 0  # REML equals ANOVA when the ANOVA estimates are admissible
    cand, inter = np.meshgrid(np.arange(n), np.arange(k), indexing="ij")
    vc = fit_variance_components(obs_from(cand.ravel(), inter.ravel(), x.ravel()))
    assert vc.converged
    assert vc.candidate == pytest.approx(s2c, rel=1e-7)
    assert vc.interviewer == pytest.approx(s2i, rel=1e-7)
    assert vc.residual == pytest.approx(s2e, rel=1e-7)
    # Shrout & Fleiss's ICC(2,1) and ICC(3,1) are these ANOVA ratios.
    sf = shrout_fleiss(x)
    assert vc.icc_absolute == pytest.approx(sf.values["ICC2"], rel=1e-6)  # type: ignore[union-attr]
    assert vc.icc_consistency == pytest.approx(sf.values["ICC3"], rel=1e-6)  # type: ignore[union-attr]
    # And the residual's standard error is the ANOVA one, sqrt(2 / df) EMS.
    assert vc.residual_se == pytest.approx(s2e * np.sqrt(2 / ((n - 1) * (k - 1))), rel=1e-3)


def _dense_reml(obs: Observations) -> np.ndarray:
    """REML by brute force: V built explicitly, -2 log L_R minimised over the log variances."""
    n = obs.n
    zc = np.zeros((n, obs.n_candidates))
    zc[np.arange(n), obs.candidate] = 1
    zi = np.zeros((n, obs.n_interviewers))
    zi[np.arange(n), obs.interviewer] = 1
    x = np.ones((n, 1))
    y = obs.score

    def minus2ll(logs: np.ndarray) -> float:
        s2c, s2i, s2e = np.exp(logs)
        v = s2c * zc @ zc.T + s2i * zi @ zi.T + s2e * np.eye(n)
        vinv = np.linalg.inv(v)
        xtvx = x.T @ vinv @ x
        p = vinv - vinv @ x @ np.linalg.inv(xtvx) @ x.T @ vinv
        return float(np.linalg.slogdet(v)[1] + np.linalg.slogdet(xtvx)[1] + y @ p @ y)

    best = optimize.minimize(minus2ll, np.log([0.5, 0.5, 0.5]), method="Nelder-Mead",
                             options={"xatol": 1e-10, "fatol": 1e-12, "maxiter": 20000, "maxfev": 20000})
    return np.exp(best.x)


@pytest.mark.parametrize(("nc", "ni"), [(30, 6), (6, 20)])  # candidates absorbed, or interviewers
def test_reml_on_unbalanced_data_matches_a_brute_force_likelihood(nc: int, ni: int) -> None:
    rng = np.random.default_rng(5)
    cells = [(c, i) for c in range(nc) for i in range(ni) if rng.random() < 0.5]
    cells += cells[:10]  # an interviewer rating the same candidate twice
    cand = np.array([c for c, _ in cells])
    inter = np.array([i for _, i in cells])
    y = 3 + rng.normal(0, 1, nc)[cand] + rng.normal(0, 0.6, ni)[inter] + rng.normal(0, 0.7, cand.size)
    obs = obs_from(cand, inter, y)
    vc = fit_variance_components(obs)
    s2c, s2i, s2e = _dense_reml(obs)
    assert vc.candidate == pytest.approx(s2c, rel=1e-4)
    assert vc.interviewer == pytest.approx(s2i, rel=1e-4)
    assert vc.residual == pytest.approx(s2e, rel=1e-4)


def test_reml_criterion_without_the_per_count_shortcut_is_the_same() -> None:
    """The sparse W' diag(w) W used when there are too many distinct counts gives the same criterion."""
    from interviewkit.domain.calibration.variance import _CrossedREML

    rng = np.random.default_rng(21)
    cand = rng.integers(0, 50, 400)
    inter = rng.integers(0, 9, 400)
    y = rng.normal(0, 1, 50)[cand] + rng.normal(0, 0.5, 9)[inter] + rng.normal(0, 0.7, 400)
    fast = _CrossedREML(cand.astype(np.intp), 50, inter.astype(np.intp), 9, y)
    slow = _CrossedREML(cand.astype(np.intp), 50, inter.astype(np.intp), 9, y)
    slow.grams = None
    theta = np.array([0.4, -1.1])
    f1, g1, q1, _ = fast.evaluate(theta)
    f2, g2, q2, _ = slow.evaluate(theta)
    assert fast.grams is not None and (f1, q1) == pytest.approx((f2, q2), rel=1e-12)
    np.testing.assert_allclose(g1, g2, rtol=1e-10)
    step = 1e-6  # and the analytic gradient is the derivative of the criterion
    numeric = [(fast.evaluate(theta + e)[0] - fast.evaluate(theta - e)[0]) / (2 * step) for e in np.eye(2) * step]
    np.testing.assert_allclose(g1, numeric, rtol=1e-5, atol=1e-5)


def test_reml_is_unaffected_by_the_scale_origin() -> None:
    rng = np.random.default_rng(2)
    obs, _ = crossed_sample(rng, 200, 10, 3, s2c=1.0, s2i=0.2, s2e=0.5)
    shifted = Observations(obs.candidates, obs.interviewers, obs.candidate, obs.interviewer, obs.score + 1e4, obs.at)
    a, b = fit_variance_components(obs), fit_variance_components(shifted)
    assert (a.candidate, a.interviewer, a.residual) == pytest.approx((b.candidate, b.interviewer, b.residual), rel=1e-6)


def test_reml_recovers_known_components() -> None:
    rng = np.random.default_rng(2024)
    obs, _ = crossed_sample(rng, 2000, 30, 5, s2c=1.0, s2i=0.25, s2e=0.5)
    vc = fit_variance_components(obs)
    assert vc.converged
    assert vc.candidate == pytest.approx(1.0, abs=0.08)
    assert vc.residual == pytest.approx(0.5, abs=0.025)
    # 30 interviewers: the interviewer variance is known to about +-0.07 whatever the method.
    assert vc.interviewer == pytest.approx(0.25, abs=3 * vc.interviewer_se)  # type: ignore[operator]
    assert vc.candidate_se == pytest.approx(0.034, abs=0.01) and vc.residual_se == pytest.approx(0.008, abs=0.002)
    truth_abs, truth_cons = 1 / 1.75, 1 / 1.5
    assert vc.icc_absolute_ci[0] < truth_abs < vc.icc_absolute_ci[1]  # type: ignore[index]
    assert vc.icc_consistency_ci[0] < truth_cons < vc.icc_consistency_ci[1]  # type: ignore[index]


def test_reml_recovers_the_interviewer_variance_with_many_interviewers() -> None:
    rng = np.random.default_rng(99)
    obs, _ = crossed_sample(rng, 2000, 300, 5, s2c=1.0, s2i=0.25, s2e=0.5)
    vc = fit_variance_components(obs)
    assert vc.interviewer == pytest.approx(0.25, abs=0.05)
    assert vc.candidate == pytest.approx(1.0, abs=0.08)
    assert vc.residual == pytest.approx(0.5, abs=0.03)


def test_reml_at_the_boundary_and_degenerate_data() -> None:
    rng = np.random.default_rng(3)
    obs, _ = crossed_sample(rng, 300, 10, 3, s2c=1.0, s2i=0.0, s2e=0.5)
    vc = fit_variance_components(obs)
    assert vc.interviewer is not None and vc.interviewer < 0.01
    assert vc.icc_absolute == pytest.approx(vc.icc_consistency, abs=0.01)
    flat = obs_from(np.array([0, 0, 1, 1]), np.array([0, 1, 0, 1]), np.array([2.0, 2.0, 2.0, 2.0]))
    assert fit_variance_components(flat).candidate is None
    single = obs_from(np.array([0, 1, 2]), np.array([0, 0, 0]), np.array([1.0, 2.0, 3.0]))
    assert fit_variance_components(single).candidate is None  # one rating per candidate: not separable


# --- leniency -------------------------------------------------------------------------------------------


def test_lenient_and_harsh_interviewers_are_flagged() -> None:
    rng = np.random.default_rng(8)
    leniency = np.zeros(12)
    leniency[0], leniency[1] = 0.8, -0.8
    obs, _ = crossed_sample(rng, 400, 12, 3, s2c=1.0, s2i=0.0, s2e=0.3, leniency=leniency)
    vc = fit_variance_components(obs)
    result = fit_leniency(obs, tau2=vc.interviewer)
    by_id = {e.id: e for e in result.interviewers}
    assert {e.id for e in result.interviewers if e.flag} == {"i0", "i1"}
    centred = leniency - leniency.mean()
    for j in range(12):
        assert by_id[f"i{j}"].effect == pytest.approx(centred[j], abs=4 * by_id[f"i{j}"].se)  # type: ignore[operator]
    assert abs(by_id["i0"].shrunk_effect) < abs(by_id["i0"].effect)  # type: ignore[arg-type]
    assert sum(e.effect for e in result.interviewers) == pytest.approx(0, abs=1e-9)  # type: ignore[misc]


def test_few_ratings_are_never_flagged() -> None:
    rng = np.random.default_rng(4)
    leniency = np.zeros(6)
    leniency[0] = 3.0
    obs, _ = crossed_sample(rng, 12, 6, 3, s2c=1.0, s2i=0.0, s2e=0.1, leniency=leniency)
    n0 = int(np.sum(obs.interviewer == 0))
    result = fit_leniency(obs, tau2=1.0, min_ratings=n0 + 1)
    first = next(e for e in result.interviewers if e.id == "i0")
    assert first.effect is not None and first.effect > 1.5 and not first.flag
    assert next(e for e in fit_leniency(obs, tau2=1.0, min_ratings=n0).interviewers if e.id == "i0").flag


def test_no_interviewer_variance_means_full_shrinkage_and_no_flags() -> None:
    rng = np.random.default_rng(1)
    obs, _ = crossed_sample(rng, 200, 8, 3, s2c=1.0, s2i=0.0, s2e=0.5)
    result = fit_leniency(obs, tau2=0.0)
    assert all(e.shrunk_effect == 0 and not e.flag for e in result.interviewers)
    moments = fit_leniency(obs)
    assert moments.tau2_source == "moments" and moments.tau2 is not None


def test_adjusted_scores_equal_raw_means_on_complete_data() -> None:
    rng = np.random.default_rng(6)
    n, k = 25, 5
    cand, inter = np.meshgrid(np.arange(n), np.arange(k), indexing="ij")
    y = rng.integers(1, 5, size=n * k).astype(float) + np.repeat(rng.normal(0, 1, n), k)
    obs = obs_from(cand.ravel(), inter.ravel(), y)
    result = fit_leniency(obs)
    assert np.any(np.abs(result.interviewer_effect) > 0.05)
    scores = adjusted_scores(obs, result)
    raw = y.reshape(n, k).mean(axis=1)
    np.testing.assert_allclose([s.raw for s in scores], raw, rtol=0, atol=1e-12)
    np.testing.assert_allclose([s.adjusted for s in scores], raw, rtol=0, atol=1e-12)


def test_adjusted_scores_take_out_leniency_on_incomplete_data() -> None:
    # Two identical candidates; one met the lenient interviewer (+1), the other the harsh one (-1).
    rows = [(0, 0, 4.0), (0, 1, 3.0), (1, 2, 2.0), (1, 1, 3.0), (2, 0, 3.0), (2, 2, 1.0), (3, 0, 4.0), (3, 2, 2.0)]
    cand, inter, y = (np.array(v) for v in zip(*rows))
    obs = obs_from(cand, inter, y)
    result = fit_leniency(obs)
    np.testing.assert_allclose(result.interviewer_effect, [1.0, 0.0, -1.0], atol=1e-12)
    scores = {s.candidate: s for s in adjusted_scores(obs, result)}
    assert scores["c0"].raw == 3.5 and scores["c1"].raw == 2.5
    assert scores["c0"].adjusted == pytest.approx(3.0) and scores["c1"].adjusted == pytest.approx(3.0)
    np.testing.assert_allclose([scores[f"c{j}"].adjusted for j in range(4)], result.candidate_effect, atol=1e-12)


def test_connectivity_components_and_comparability() -> None:
    # Interviewers 0-2 share candidates 0-5; interviewers 3-4 share candidates 6-9; interviewer 5 alone.
    rows = []
    for c in range(6):
        rows += [(c, 0, 3 + c % 2), (c, 1, 2 + c % 3 / 2), (c, 2, 2 + (c % 2))]
    for c in range(6, 10):
        rows += [(c, 3, 1 + c % 3), (c, 4, 2 + c % 2)]
    rows += [(10, 5, 4.0), (11, 5, 1.0)]
    cand, inter, y = (np.array(v) for v in zip(*rows))
    obs = obs_from(cand, inter, y.astype(float))
    count, comp_c, comp_i = components(obs)
    assert count == 3
    assert comp_i.tolist() == [0, 0, 0, 1, 1, 2]  # the largest first
    assert comp_c.tolist() == [0] * 6 + [1] * 4 + [2] * 2
    result = fit_leniency(obs)
    assert not result.connected and result.n_components == 3
    effects = {e.id: e for e in result.interviewers}
    assert sum(effects[f"i{j}"].effect for j in range(3)) == pytest.approx(0, abs=1e-12)  # type: ignore[misc]
    assert effects["i3"].effect == pytest.approx(-effects["i4"].effect)  # type: ignore[operator]
    assert effects["i5"].effect is None and effects["i5"].component == 2 and not effects["i5"].flag


# --- tables ---------------------------------------------------------------------------------------------


def test_pivot_and_overall_score() -> None:
    ratings = [
        Rating("ann", "x", "serving", 4), Rating("ann", "x", "design", 2),
        Rating("ann", "y", "serving", 3), Rating("ann", "y", "serving", 4),  # twice: averaged first
        Rating("ann", "y", "design", None),  # not rated: left out
        Rating("bob", "x", "design", 1),
    ]
    serving = pivot(ratings, "serving")
    assert serving.candidates == ("ann",) and serving.interviewers == ("x", "y")
    np.testing.assert_allclose(serving.values, [[4.0, 3.5]])
    overall = pivot(ratings)
    assert overall.candidates == ("ann", "bob")
    np.testing.assert_allclose(overall.values, [[3.0, 3.5], [1.0, np.nan]])
    obs = observations(ratings, "serving")
    assert obs.n == 3  # the variance components keep every rating
    table = RatingSet.from_ratings(ratings)
    assert table.competencies == ("serving", "design") and table.of("missing").n == 0


def test_calibrate_reports_no_icc_without_a_complete_block() -> None:
    # Every candidate has two interviewers, and no two candidates share both.
    ratings = []
    for c, (a, b) in enumerate([(0, 1), (2, 3), (1, 2), (3, 0), (0, 2), (1, 3)]):
        ratings += [Rating(f"c{c}", f"i{a}", "k", 1 + c % 4), Rating(f"c{c}", f"i{b}", "k", 1 + (c + 1) % 4)]
    result = calibrate(ratings)
    assert result.competencies[0].icc is None and result.overall.icc is None
    assert result.competencies[0].alpha_interval is not None


def test_calibrate_on_simulated_panels() -> None:
    rng = np.random.default_rng(12)
    abilities = rng.normal(0, 0.8, (300, 3))
    lenient = {"i0": 0.9}
    ratings = []
    for c in range(300):
        for i in rng.choice(15, 3, replace=False):
            for k in range(3):
                score = 2.5 + abilities[c, k] + lenient.get(f"i{i}", 0.0) + rng.normal(0, 0.5)
                ratings.append(Rating(f"c{c}", f"i{i}", f"k{k}", float(np.clip(np.round(score), 1, 4))))
    result = calibrate(ratings)
    assert [b.competency for b in result.competencies] == ["k0", "k1", "k2"]
    assert result.overall.n_ratings == 900 and result.n_ratings == 2700
    assert [e.id for e in result.leniency.interviewers if e.flag] == ["i0"]
    assert result.overall.variance.icc_absolute is not None and 0 < result.overall.variance.icc_absolute < 1


# --- profiles ---------------------------------------------------------------------------------------------


def test_rating_distributions_and_central_tendency() -> None:
    ratings = [Rating(f"c{j}", "middle", "k", s) for j, s in enumerate([2, 3, 2, 3])]
    ratings += [Rating(f"c{j}", "ends", "k", s) for j, s in enumerate([1, 4, 1, 4])]
    pool, per = rating_distributions(ratings, scale=[1, 2, 3, 4])
    assert pool.middle_share == 0.5 and pool.proportions == {1.0: 0.25, 2.0: 0.25, 3.0: 0.25, 4.0: 0.25}
    middle, ends = per
    assert middle.central_tendency == 2.0 and ends.central_tendency == 0.0
    assert middle.mean == 2.5 and middle.sd == pytest.approx(np.std([2, 3, 2, 3], ddof=1))
    assert middle.sd_ratio is not None and middle.sd_ratio < 1 < ends.sd_ratio  # type: ignore[operator]


def test_halo_profile() -> None:
    ratings = []
    for c in range(6):
        ratings += [Rating(f"c{c}", "haloed", k, 1 + c % 4) for k in ("a", "b", "c")]  # all alike
        ratings += [Rating(f"c{c}", "careful", k, v) for k, v in zip("abc", (1 + c % 4, 4 - c % 4, 2))]
    profiles = {h.id: h for h in halo(ratings)}
    assert profiles["haloed"].within_sd == 0 and profiles["haloed"].ratio == 0
    assert profiles["haloed"].inter_competency_r == pytest.approx(1.0)
    assert profiles["careful"].ratio is not None and profiles["careful"].ratio > 1
    assert profiles["careful"].scorecards == 6


def test_pass_through_with_wilson_intervals() -> None:
    lo, hi = wilson_interval(8, 10)  # type: ignore[misc]
    assert (round(lo, 4), round(hi, 4)) == (0.4902, 0.9433)
    assert wilson_interval(0, 10)[0] == 0.0 and wilson_interval(0, 0) is None  # type: ignore[index]
    recs = [("a", True)] * 9 + [("a", False)] + [("b", True)] * 2 + [("b", False)] * 18
    panel, per = pass_through(recs)
    assert panel.n == 30 and panel.rate == pytest.approx(11 / 30)
    by_id = {p.id: p for p in per}
    assert by_id["a"].rate == 0.9 and by_id["a"].differs and by_id["b"].differs


def test_drift_slope_of_residual_scores() -> None:
    start = datetime(2025, 1, 1, tzinfo=UTC)
    ratings = []
    for day in range(0, 120, 4):
        c = f"c{day}"
        # "drifting" gets 0.5 points more lenient every 30 days; "steady" does not.
        ratings += [
            Rating(c, "drifting", "k", 2.0 + 0.5 * day / 30, start + timedelta(days=day)),
            Rating(c, "steady", "k", 2.0, start + timedelta(days=day)),
            Rating(c, "other", "k", 2.0, start + timedelta(days=day)),
        ]
    obs = observations(ratings)
    trends = {d.id: d for d in drift(obs, fit_leniency(obs))}
    slope = trends["drifting"].slope_per_30_days
    assert slope is not None and slope == pytest.approx(2 / 3 * 0.5)  # the candidate mean absorbs a third
    assert trends["drifting"].ci[0] > 0  # type: ignore[index]
    assert trends["steady"].slope_per_30_days == pytest.approx(-1 / 3 * 0.5)


def test_question_analytics() -> None:
    uses = [
        QuestionUse("everywhere", f"l{j}", (float(1 + j % 4),), j % 4 >= 2) for j in range(8)
    ] + [QuestionUse("rare", "l0", (2.0, 3.0), None)]
    stats = {q.question: q for q in question_analytics(uses, total_loops=10)}
    every = stats["everywhere"]
    assert every.times_asked == 8 and every.loops == 8 and every.loop_share == 0.8 and every.exposed
    scores = np.array([1 + j % 4 for j in range(8)], float)
    hired = np.array([j % 4 >= 2 for j in range(8)], float)
    assert every.decision_r == pytest.approx(np.corrcoef(scores, hired)[0, 1]) and every.decision_n == 8
    rare = stats["rare"]
    assert not rare.exposed and rare.mean == 2.5 and rare.decision_r is None and rare.decision_n == 0


def test_exposure_is_counted_per_variant_group() -> None:
    # Two variants of one story, each asked in 3 of 10 loops: neither is over-exposed alone, their group is.
    uses = [QuestionUse("story", f"l{j}", (3.0,), None) for j in range(3)]
    uses += [QuestionUse("story-variant", f"l{j}", (3.0,), None) for j in range(3, 6)]
    alone = {q.question: q for q in question_analytics(uses, total_loops=10)}
    assert not alone["story"].exposed and not alone["story-variant"].exposed
    grouped = {q.question: q for q in question_analytics(uses, total_loops=10, groups={"story-variant": "story"})}
    assert grouped["story"].exposed and grouped["story-variant"].exposed
    assert grouped["story"].loops == 3 and grouped["story"].loop_share == 0.3  # its own use stays as it was


# --- issue 18: the boundary, a perfect fit ------------------------------------------------------------------

# The two CSVs (candidate,interviewer,competency,score).
NEAR_ZERO_INTERVIEWER_VARIANCE = (
    "c0,i1,a,3 c0,i2,a,3 c0,i0,a,3 c1,i0,a,3 c1,i2,a,4 c1,i1,a,3 c2,i1,a,1 c2,i2,a,1 c3,i0,a,3 c3,i2,a,3 c3,i1,a,3"
)
PERFECT_ADDITIVE_FIT = "c1,i1,a,3 c1,i2,a,4 c2,i1,a,2 c2,i2,a,3 c3,i1,a,1 c3,i2,a,2"


def ratings_of(text: str) -> list[Rating]:
    rows = [item.split(",") for item in text.split()]
    return [Rating(c, i, k, float(s)) for c, i, k, s in rows]


def _dense_minus2ll(obs: Observations, s2c: float, s2i: float, s2e: float) -> float:
    n = obs.n
    zc = np.zeros((n, obs.n_candidates))
    zc[np.arange(n), obs.candidate] = 1
    zi = np.zeros((n, obs.n_interviewers))
    zi[np.arange(n), obs.interviewer] = 1
    v = s2c * zc @ zc.T + s2i * zi @ zi.T + s2e * np.eye(n)
    vinv = np.linalg.inv(v)
    x = np.ones((n, 1))
    xtvx = x.T @ vinv @ x
    p = vinv - vinv @ x @ np.linalg.inv(xtvx) @ x.T @ vinv
    return float(np.linalg.slogdet(v)[1] + np.linalg.slogdet(xtvx)[1] + obs.score @ p @ obs.score)


def _dense_profile(obs: Observations, icc: float, which: str) -> float:
    """min over s2e > 0 and s2i >= 0 of -2 log L_R with the ICC held at ``icc``, by brute force."""

    def at(params: np.ndarray) -> float:
        s2e, s2i = np.exp(params[0]), np.exp(params[1])
        s2c = icc / (1 - icc) * (s2e + (s2i if which == "absolute" else 0.0))
        return _dense_minus2ll(obs, s2c, s2i, s2e)

    starts = [np.log([0.1, v]) for v in (1e-12, 1e-3, 0.1, 1.0)]
    return min(
        optimize.minimize(at, s, method="Nelder-Mead", options={"xatol": 1e-8, "fatol": 1e-10, "maxiter": 4000}).fun
        for s in starts
    )


def test_near_zero_interviewer_variance_sits_on_the_bound_with_intervals() -> None:
    """Before: REML stopped at log-ratio -17, the curvature came out negative and every interval, standard
    error and band was missing ('unknown') while converged was true."""
    obs = observations(ratings_of(NEAR_ZERO_INTERVIEWER_VARIANCE), "a")
    vc = fit_variance_components(obs)
    assert vc.converged and vc.interviewer == 0.0 and vc.interviewer_se is None
    assert vc.icc_absolute == pytest.approx(0.9193, abs=1e-4) == vc.icc_consistency
    assert vc.candidate_se is not None and vc.residual_se is not None
    assert vc.ci_method == "profile likelihood" and any("lower bound" in note for note in vc.notes)
    low, high = vc.icc_absolute_ci  # type: ignore[misc]
    assert 0.5 < low < vc.icc_absolute < high < 1
    assert koo_li_band(vc.icc_absolute_ci) == "moderate to excellent"
    # Each end of the interval is where the likelihood ratio reaches chi-square(1) at 95% (3.84),
    # checked against -2 log L_R built explicitly and minimised over the other components.
    best = _dense_minus2ll(obs, vc.candidate, 0.0, vc.residual)  # type: ignore[arg-type]
    for which, ci in (("absolute", vc.icc_absolute_ci), ("consistency", vc.icc_consistency_ci)):
        for end in ci:  # type: ignore[union-attr]
            assert _dense_profile(obs, end, which) - best == pytest.approx(3.8415, abs=0.02), (which, end)


def test_a_perfect_additive_fit_gives_the_anova_components() -> None:
    """Before: both ratios stuck at the upper bound, forcing candidate = interviewer variance (0.5 / 0.5) and
    an absolute ICC of 0.50 where ANOVA (and the same report's ICC2) says 0.667."""
    obs = observations(ratings_of(PERFECT_ADDITIVE_FIT), "a")
    vc = fit_variance_components(obs)
    matrix = pivot(ratings_of(PERFECT_ADDITIVE_FIT), "a").values
    assert (vc.candidate, vc.interviewer, vc.residual) == pytest.approx(anova_components(matrix), abs=1e-12)
    assert (vc.candidate, vc.interviewer, vc.residual) == pytest.approx((1.0, 0.5, 0.0), abs=1e-12)
    assert vc.icc_absolute == pytest.approx(2 / 3) == shrout_fleiss(matrix).values["ICC2"]  # type: ignore[union-attr]
    assert vc.icc_consistency == 1.0 and vc.icc_consistency_ci is None
    # The exact F interval of s2c / s2i (2 and 1 degrees of freedom), as an ICC.
    ratio = 2.0
    low, high = ratio / stats.f.ppf(0.975, 2, 1), ratio * stats.f.ppf(0.975, 1, 2)
    assert vc.icc_absolute_ci == pytest.approx((low / (1 + low), high / (1 + high)))
    assert vc.ci_method == "exact F" and "exactly" in vc.notes[0]


def test_every_small_design_without_interviewer_variance_has_intervals() -> None:
    """101 small panels with no true interviewer variance (the issue found 4 with no intervals)."""
    rng = np.random.default_rng(18)
    missing = []
    at_bound = 0
    for trial in range(101):
        nc, ni = int(rng.integers(4, 9)), int(rng.integers(3, 5))
        obs, _ = crossed_sample(rng, nc, ni, min(ni, 3), s2c=1.0, s2i=0.0, s2e=0.3)
        obs = Observations(obs.candidates, obs.interviewers, obs.candidate, obs.interviewer,
                           np.clip(np.round(obs.score), 1, 4), obs.at)
        vc = fit_variance_components(obs)
        if vc.candidate is None:
            continue
        at_bound += vc.interviewer == 0.0
        if vc.method == "exact additive fit" and vc.interviewer == 0.0:  # every interviewer agreed exactly
            assert vc.icc_absolute == 1.0 and "perfect agreement" in vc.notes[-1]
            continue
        if vc.icc_absolute_ci is None or (vc.residual and vc.icc_consistency_ci is None):
            missing.append(trial)
        assert vc.interviewer != 0.0 or vc.interviewer_se is None
    assert missing == [] and at_bound >= 20
