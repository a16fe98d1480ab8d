"""The calibration's numerics without scipy (issue 16, CLI latency): the optimisers, the count tables and the
normal quantile give scipy's results, the sparse and LAPACK paths kept for large data give the dense ones, and
a calibration of a team's ratings imports no scipy module at all."""

from __future__ import annotations

import math
import subprocess
import sys

import numpy as np
import pytest
from scipy import optimize, sparse, special
from scipy.sparse.csgraph import connected_components

from interviewkit.domain.calibration import counts, fit_leniency, fit_variance_components
from interviewkit.domain.calibration import variance as variance_module
from interviewkit.domain.calibration.solvers import brentq, minimize_bounded, minimize_box
from interviewkit.domain.quantiles import norm_ppf
from tests.domain.test_calibration import crossed_sample


def _wiggly(c: np.ndarray):  # type: ignore[no-untyped-def]
    return lambda x: (x - c[0]) ** 2 * (1 + 0.3 * math.sin(3 * x * c[1])) + c[2] * x + 0.1 * math.cos(5 * x)


def test_bounded_minimisation_is_scipys_step_for_step() -> None:
    rng = np.random.default_rng(5)
    for k in range(300):
        f = _wiggly(rng.normal(size=3))
        lo, hi = sorted(rng.uniform(-25, 15, 2))
        xatol = (1e-2, 1e-4, 1e-5)[k % 3]
        ref = optimize.minimize_scalar(f, bounds=(lo, hi), method="bounded", options={"xatol": xatol})
        assert minimize_bounded(f, lo, hi, xatol=xatol) == (float(ref.x), float(ref.fun))


def test_brentq_is_scipys_step_for_step() -> None:
    rng = np.random.default_rng(6)
    tried = 0
    for _ in range(300):
        c = rng.normal(size=3)

        def g(x: float, c: np.ndarray = c) -> float:
            return math.tanh(x - c[0]) + 0.2 * x**3 * c[1] ** 2 + 0.01 * c[2]

        if np.sign(g(-5.0)) == np.sign(g(5.0)):
            continue
        tried += 1
        for xtol in (1e-3, 1e-12):
            assert brentq(g, -5.0, 5.0, xtol=xtol) == optimize.brentq(g, -5.0, 5.0, xtol=xtol)
    assert tried > 100
    with pytest.raises(ValueError, match="different signs"):
        brentq(lambda x: x * x + 1, -1.0, 1.0)


def test_the_box_minimiser_finds_l_bfgs_bs_minimum() -> None:
    rng = np.random.default_rng(7)
    for _ in range(50):
        a = rng.normal(size=(2, 2))
        h = a @ a.T + 0.1 * np.eye(2)
        centre = rng.uniform(-30, 20, 2)  # sometimes beyond a bound: the minimum is then on it

        def fun(x: np.ndarray, h: np.ndarray = h, centre: np.ndarray = centre) -> tuple[float, np.ndarray]:
            d = x - centre
            return float(d @ h @ d + 0.05 * np.sum(d**4)), 2 * h @ d + 0.2 * d**3

        start = rng.uniform(-10, 5, 2)
        ref = optimize.minimize(fun, start, jac=True, method="L-BFGS-B", bounds=[(-25.0, 15.0)] * 2,
                                options={"ftol": 1e-14, "gtol": 1e-10, "maxiter": 500})
        x, ok = minimize_box(fun, start, -25.0, 15.0, gtol=1e-10, ftol=1e-14, maxiter=500)
        assert ok and fun(x)[0] <= float(ref.fun) + 1e-9
        np.testing.assert_allclose(x, ref.x, atol=1e-4)


def test_connected_labels_are_numbered_as_scipy_numbers_them() -> None:
    rng = np.random.default_rng(8)
    for _ in range(300):
        n, m = int(rng.integers(1, 40)), int(rng.integers(0, 40))
        u, v = rng.integers(0, n, m).astype(np.intp), rng.integers(0, n, m).astype(np.intp)
        count, labels = connected_components(sparse.coo_matrix((np.ones(m), (u, v)), shape=(n, n)), directed=False)
        mine = counts.connected_labels(n, u, v)
        assert mine[0] == count and np.array_equal(mine[1], labels)


def test_the_sparse_path_for_large_tables_gives_the_dense_results(monkeypatch: pytest.MonkeyPatch) -> None:
    """Above DENSE_LIMIT the count tables are scipy.sparse matrices and the Cholesky factor LAPACK's own: the
    same components, intervals and leniency as the dense path (to rounding)."""
    obs, _ = crossed_sample(np.random.default_rng(9), 60, 7, 3, 0.5, 0.2, 0.6)
    dense_vc, dense_len = fit_variance_components(obs), fit_leniency(obs)
    rows, cols = obs.candidate, obs.interviewer
    weights = np.random.default_rng(10).random(obs.n_candidates)
    dense_gram = counts.weighted_gram(rows, obs.n_candidates, cols, obs.n_interviewers, weights)
    dense_pairs = counts.pair_counts(counts.count_table(rows, obs.n_candidates, cols, obs.n_interviewers) > 0)
    dense_labels = counts.connected_labels(obs.n_candidates + obs.n_interviewers, rows, obs.n_candidates + cols)
    monkeypatch.setattr(counts, "DENSE_LIMIT", 0)
    monkeypatch.setattr(counts, "GRAPH_LIMIT", 0)
    monkeypatch.setattr(variance_module._Cholesky, "SMALL", 0)
    sparse_vc, sparse_len = fit_variance_components(obs), fit_leniency(obs)
    np.testing.assert_allclose(counts.weighted_gram(rows, obs.n_candidates, cols, obs.n_interviewers, weights),
                               dense_gram, rtol=1e-13)
    assert np.array_equal(
        counts.pair_counts(counts.count_table(rows, obs.n_candidates, cols, obs.n_interviewers) > 0), dense_pairs
    )
    labels = counts.connected_labels(obs.n_candidates + obs.n_interviewers, rows, obs.n_candidates + cols)
    assert labels[0] == dense_labels[0] and np.array_equal(labels[1], dense_labels[1])
    for name in ("candidate", "interviewer", "residual", "icc_absolute", "icc_consistency"):
        assert getattr(sparse_vc, name) == pytest.approx(getattr(dense_vc, name), rel=1e-8)
    assert sparse_vc.icc_absolute_ci is not None and dense_vc.icc_absolute_ci is not None
    np.testing.assert_allclose(sparse_vc.icc_absolute_ci, dense_vc.icc_absolute_ci, rtol=1e-7)
    for a, b in zip(sparse_len.interviewers, dense_len.interviewers, strict=True):
        assert (a.effect, a.se) == pytest.approx((b.effect, b.se), rel=1e-10)


def test_the_normal_quantile_is_scipys_float_for_float() -> None:
    rng = np.random.default_rng(11)
    ps = np.concatenate([rng.random(20_000), 10 ** rng.uniform(-300, 0, 5_000), 1 - 10 ** rng.uniform(-16, 0, 5_000)])
    assert all(norm_ppf(float(p)) == special.ndtri(p) for p in ps)
    assert norm_ppf(0.0) == -math.inf and norm_ppf(1.0) == math.inf and math.isnan(norm_ppf(1.5))


def test_a_teams_calibration_imports_no_scipy() -> None:
    """The report's statistics on a team's ratings (here 40 candidates, 6 interviewers, incomplete, with a
    complete block, intervals at a bound and drift) run on numpy alone: scipy cost 0.3 s of every calibrate."""
    code = (
        "import sys\n"
        "import numpy as np\n"
        "from interviewkit.domain.calibration import Rating, calibrate\n"
        "from datetime import datetime, timedelta, UTC\n"
        "rng = np.random.default_rng(3)\n"
        "t0 = datetime(2026, 1, 1, tzinfo=UTC)\n"
        "ratings = [Rating(f'c{c}', f'i{i}', comp, float(rng.integers(1, 5)), t0 + timedelta(days=c))\n"
        "           for c in range(40) for i in rng.choice(6, 3, replace=False) for comp in ('a', 'b')]\n"
        "result = calibrate(ratings)\n"
        "assert result.overall.variance.icc_absolute is not None\n"
        "print(sorted(m for m in sys.modules if m == 'scipy' or m.startswith('scipy.')))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120)
    assert done.stdout.strip() == "[]"
