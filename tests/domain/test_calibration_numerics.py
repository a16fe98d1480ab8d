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


def _dense_greedy_block(x: np.ndarray, starts: int = 5):  # type: ignore[no-untyped-def]
    """complete_block as it was written on the dense matrix (before issue 17's cells), the reference."""
    rated = ~np.isnan(x)
    if rated.all():
        return np.arange(x.shape[0]), np.arange(x.shape[1])
    r = rated.astype(np.float64)
    common = r.T @ r
    np.fill_diagonal(common, -1.0)
    upper = np.triu_indices(common.shape[0], 1)
    best = None
    for idx in np.argsort(-common[upper], kind="stable")[:starts]:
        i, j = int(upper[0][idx]), int(upper[1][idx])
        rows = rated[:, i] & rated[:, j]
        if rows.sum() < 2:
            continue
        cols, size = [i, j], int(rows.sum()) * 2
        while True:
            kept = rated[rows].sum(axis=0, dtype=np.float64)
            kept[cols] = -1
            cand = int(np.argmax(kept))
            if kept[cand] < 2 or int(kept[cand]) * (len(cols) + 1) <= size:
                break
            cols.append(cand)
            rows, size = rows & rated[:, cand], int(kept[cand]) * (len(cols))
        if best is None or size > best[0]:
            best = (size, cols, rows)
    return None if best is None else (np.flatnonzero(best[2]), np.array(sorted(best[1])))


@pytest.mark.parametrize("limit", [counts.DENSE_LIMIT, 0])
def test_the_complete_block_from_cells_is_the_dense_matrixs(limit: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """block_stats finds the complete block from the rated cells, without the candidate x interviewer matrix
    (60,000 x 400 on the large demo): the same block as the dense search, on dense and sparse count paths,
    and the same Shrout & Fleiss ICC on it."""
    from interviewkit.domain.calibration import Observations, complete_block, shrout_fleiss, to_matrix
    from interviewkit.domain.calibration.summary import block_stats

    monkeypatch.setattr(counts, "DENSE_LIMIT", limit)
    rng = np.random.default_rng(17)
    for trial in range(40):
        n, k = int(rng.integers(2, 60)), int(rng.integers(2, 12))
        x = rng.integers(1, 5, size=(n, k)).astype(np.float64)
        x[rng.random((n, k)) < (0.0 if trial % 10 == 0 else rng.uniform(0.1, 0.8))] = np.nan
        expected, found = _dense_greedy_block(x), complete_block(x)
        assert (expected is None) == (found is None)
        if expected is not None and found is not None:
            np.testing.assert_array_equal(found[0], expected[0])
            np.testing.assert_array_equal(found[1], expected[1])
        rows, cols = np.nonzero(~np.isnan(x))
        if rows.size < 3 or np.unique(rows).size < 2 or np.unique(cols).size < 2:
            continue
        obs = Observations(tuple(map(str, range(n))), tuple(map(str, range(k))), rows.astype(np.intp),
                           cols.astype(np.intp), x[rows, cols], np.full(rows.size, np.nan))  # fmt: skip
        obs = Observations(*(getattr(obs, f) for f in ("candidates", "interviewers", "candidate", "interviewer",
                                                     "score", "at")))  # fmt: skip
        present_r, present_c = np.unique(rows), np.unique(cols)
        if present_r.size != n or present_c.size != k:
            continue  # every listed candidate and interviewer has an observation
        stats = block_stats(obs, None)
        matrix = to_matrix(obs).values
        if expected is None or stats.icc is None:
            continue
        reference = shrout_fleiss(matrix[expected[0]][:, expected[1]])
        assert reference is not None and stats.icc.values == reference.values
        assert stats.complete == (not np.isnan(x).any())


def test_a_large_sparse_table_makes_no_dense_candidate_by_interviewer_matrix() -> None:
    """20,000 candidates x 300 interviewers, 3 ratings each: the matrix would be 48 MB (the large demo's
    60,000 x 400, 190 MB, was filled once per competency); block_stats stays far below it."""
    import tracemalloc

    from interviewkit.domain.calibration import Observations
    from interviewkit.domain.calibration.summary import block_stats

    rng = np.random.default_rng(3)
    nc, ni = 20_000, 300
    cand = np.repeat(np.arange(nc), 3).astype(np.intp)
    inter = np.concatenate([rng.choice(ni, 3, replace=False) for _ in range(nc)]).astype(np.intp)
    score = np.clip(np.round(2.5 + rng.normal(size=nc)[cand] + 0.3 * rng.normal(size=ni)[inter]
                             + 0.5 * rng.normal(size=cand.size)), 1, 4)  # fmt: skip
    obs = Observations(tuple(map(str, range(nc))), tuple(map(str, range(ni))), cand, inter, score,
                       np.full(cand.size, np.nan))  # fmt: skip
    tracemalloc.start()
    try:
        stats = block_stats(obs, None)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert stats.icc is not None and not stats.complete
    assert peak < 20e6, f"{peak / 1e6:.0f} MB at the peak"


def _pairwise_r_per_pair(matrix: np.ndarray) -> float | None:
    """The halo's mean inter-competency r as it was computed, one corrcoef per pair (the reference)."""
    rs = []
    for a in range(matrix.shape[1]):
        for b in range(a + 1, matrix.shape[1]):
            both = ~np.isnan(matrix[:, a]) & ~np.isnan(matrix[:, b])
            if np.count_nonzero(both) < 5:
                continue
            x, y = matrix[both, a], matrix[both, b]
            if np.ptp(x) == 0 or np.ptp(y) == 0:
                continue
            rs.append(float(np.corrcoef(x, y)[0, 1]))
    return float(np.mean(rs)) if rs else None


def test_the_halos_pairwise_r_from_matrix_products_is_corrcoefs() -> None:
    """All pairs at once (five products) give what corrcoef per pair gave, constant sides (thirds: means of
    duplicates) and too few common rows left out alike."""
    from interviewkit.domain.calibration.profiles import _mean_pairwise_r

    rng = np.random.default_rng(1)
    for t in range(1500):
        n, k = int(rng.integers(0, 80)), int(rng.integers(1, 9))
        x = rng.integers(1, 5, size=(n, k)).astype(float)
        if t % 3 == 0:
            x = x + rng.integers(0, 3, size=(n, k)) / 3.0
        if t % 5 == 0 and k > 1:
            x[:, 0] = 2.0
        if t % 7 == 0:
            x[:, -1] = 7 / 3
        x[rng.random((n, k)) < rng.uniform(0, 0.9)] = np.nan
        expected, found = _pairwise_r_per_pair(x), _mean_pairwise_r(x)
        assert (expected is None) == (found is None)
        if expected is not None:
            assert found == pytest.approx(expected, abs=1e-12)
