"""Variance components of a crossed random-effects model, fitted by REML to every observed rating.

The model
---------
    y_j = mu + c_{cand(j)} + i_{int(j)} + e_j,   c ~ N(0, s2c), i ~ N(0, s2i), e ~ N(0, s2e),

all independent: a candidate effect (true differences between candidates), an interviewer effect
(leniency) and a residual (everything else, including the candidate x interviewer interaction, which one
rating per pair cannot separate from noise). The design is crossed and unbalanced: any candidate may be
rated by any subset of interviewers, any number of times.

From the components:

    icc_absolute    = s2c / (s2c + s2i + s2e)   agreement of one interviewer's score with another's on
                                                the same candidate, interviewer leniency counted as error
                                                (the analogue of Shrout & Fleiss's ICC(2,1));
    icc_consistency = s2c / (s2c + s2e)         the same with leniency removed (ICC(3,1)'s analogue).

REML, and how it is made fast
-----------------------------
Reference: D. A. Harville, "Maximum likelihood approaches to variance component estimation and to
related problems", *JASA* 72, 320-338, 1977; the mixed-model-equations (MME) form of the likelihood is
from R. Thompson's and K. Meyer's work as summarised in S. R. Searle, G. Casella and C. E. McCulloch,
*Variance Components*, Wiley 1992 (ch. 6 and 7); Henderson's MME from C. R. Henderson, *Applications of
Linear Models in Animal Breeding*, 1984.

Write ``V = s2e H`` with ``H = I + g_c Z_c Z_c' + g_i Z_i Z_i'`` and the variance ratios
``g_c = s2c / s2e``, ``g_i = s2i / s2e``; ``X = 1`` (``p = 1``). With ``D = diag(g_c I, g_i I)`` and
``Z = [Z_c, Z_i]``, the MME coefficient matrix is

    C = [[X'X, X'Z], [Z'X, Z'Z + D^-1]].

The determinant lemma gives ``log|H| + log|X'H^-1 X| = log|D| + log|C|``, and the MME solution
``(b, u)`` gives ``Q = y'P y = y'y - b'X'y - u'Z'y``. Profiling ``s2e = Q / (N - p)`` out, REML minimises

    f(g_c, g_i) = (N - p) log Q + log|D| + log|C|,

with the analytic gradient (``u_c``: the candidate part of the MME solution, ``C^cc``: the candidate
block of ``C^-1``)

    df/d log g_c = -(N - p) u_c'u_c / (g_c Q) + n_c - tr(C^cc) / g_c,

and the same for interviewers. ``C`` is large (5,000 candidates and a few hundred interviewers) but has
structure: ``Z_c'Z_c + I/g_c`` is diagonal, so the factor with more levels (normally the candidates) is
absorbed. With ``d = counts + 1/g`` of the absorbed factor and ``W = Z_a'[X, Z_b]``, the Schur complement

    S = [X, Z_b]'[X, Z_b] + diag(0, I/g_b) - W' diag(1/d) W

is a small dense matrix (1 + number of interviewers), factorised by Cholesky; ``log|C| = sum log d +
log|S|``, the solution is back-substituted, and ``tr(C^aa) = sum 1/d + tr(S^-1 W' diag(1/d^2) W)``. One
evaluation costs O(ratings + interviewers^3). ``f`` is minimised over ``(log g_c, log g_i)`` by a projected
quasi-Newton method (:func:`.solvers.minimize_box`, in the place of scipy's L-BFGS-B, whose imports cost a
command 0.3 s) from a method-of-moments start, with the logs bounded below at -25 (a component below
``1e-11 s2e`` is reported as 0).

On a balanced complete design REML equals the ANOVA (expected mean squares) estimates whenever those are
non-negative (:func:`anova_components`); the tests check it.

Uncertainty
-----------
Standard errors come from the observed information: the Hessian of ``-2 log L_R`` in
``(log g_c, log g_i, log s2e)``, by central differences of the analytic gradient. The asymptotic
covariance is ``2 H^-1``; a parameter at its lower bound is held fixed (its row and column dropped). The
ICCs' 95% intervals are Wald intervals on the logit scale, back-transformed (so they stay in (0, 1)):
``logit(icc_consistency) = log g_c`` exactly, and ``logit(icc_absolute) = log g_c - log(1 + g_i)``,
whose variance follows by the delta method. The components' standard errors follow by the delta method
from the same covariance.

The bounds
----------
A ratio whose REML estimate is 0 is a boundary case the log parameterisation handles badly: the
gradient in ``log g`` vanishes as ``g`` goes to 0, so the optimiser stops short (log -14 to -19) and the
curvature there is noise. Ratios left below ``1e-3`` are therefore tried at the bound (the other ratio
refitted) and put there when the likelihood is as high (:func:`_settle_boundary`). With a component at its
bound the Wald interval fails (its approximation needs an interior point), so both ICCs get
profile-likelihood intervals instead (:func:`_profile_interval`; Self & Liang's 50:50 mixture when the ICC
itself is 0). ``ci_method`` says which kind an interval is, and ``notes`` says in words what was at a bound.

A perfect additive fit (every rating exactly candidate + interviewer, residual 0) has no finite REML
optimum: the criterion falls without bound as both ratios grow, and their quotient is undetermined. When
the optimiser heads there (a ratio near its upper bound, or a residual near 0) the exact least-squares fit
decides, and the components are the variances of the fitted effects
(:func:`_perfect_fit`), which is what ANOVA gives on a complete design; the absolute ICC's interval is the
exact F interval of ``s2c / s2i``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
from numpy.typing import NDArray

from interviewkit.domain.calibration.counts import (
    SparseCounts,
    count_table,
    dense,
    sparse_counts,
    weighted_gram,
)
from interviewkit.domain.calibration.data import Observations
from interviewkit.domain.calibration.solvers import brentq, minimize_bounded, minimize_box
from interviewkit.domain.quantiles import chi2_ppf, f_ppf, norm_ppf

__all__ = ["VarianceComponents", "anova_components", "fit_variance_components"]

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.intp]

LOG_LOWER, LOG_UPPER = -25.0, 15.0
_AT_BOUND = LOG_LOWER + 1.0
_NEAR_BOUND = float(np.log(1e-3))
_SMALL_W = 100_000  # entries of W kept as a dense matrix  # a ratio below this may be one the optimiser left short of 0


@dataclass(frozen=True)
class VarianceComponents:
    """REML estimates of the crossed model; see the module docstring.

    ``candidate``, ``interviewer`` and ``residual`` are the variances s2c, s2i, s2e (``*_se``: their
    asymptotic standard errors); the ICCs come with 95% intervals (``None`` where unavailable). All
    values are None when the model cannot be fitted (fewer than 3 ratings, no variation, or a design
    that cannot separate the components).
    """

    n: int
    n_candidates: int
    n_interviewers: int
    candidate: float | None
    interviewer: float | None
    residual: float | None
    icc_absolute: float | None
    icc_consistency: float | None
    icc_absolute_ci: tuple[float, float] | None = None
    icc_consistency_ci: tuple[float, float] | None = None
    candidate_se: float | None = None
    interviewer_se: float | None = None
    residual_se: float | None = None
    converged: bool = False
    method: str = "REML"
    ci_method: str | None = None  # "Wald (logit)", "profile likelihood", "exact F", "F (one-way)"
    notes: tuple[str, ...] = ()  # in words: what could not be estimated and why, how the intervals were found

    @classmethod
    def empty(cls, n: int, nc: int, ni: int) -> VarianceComponents:
        return cls(n, nc, ni, None, None, None, None, None)


def anova_components(matrix: NDArray[np.float64]) -> tuple[float, float, float]:
    """The ANOVA (expected mean squares) estimates ``(s2c, s2i, s2e)`` of a complete n x k matrix:
    ``s2e = EMS``, ``s2c = (BMS - EMS) / k``, ``s2i = (JMS - EMS) / n``. They can be negative."""
    x = np.asarray(matrix, dtype=np.float64)
    n, k = x.shape
    grand = x.mean()
    rows, cols = x.mean(axis=1), x.mean(axis=0)
    bms = k * np.sum((rows - grand) ** 2) / (n - 1)
    jms = n * np.sum((cols - grand) ** 2) / (k - 1)
    resid = x - rows[:, None] - cols[None, :] + grand
    ems = np.sum(resid**2) / ((n - 1) * (k - 1))
    return float((bms - ems) / k), float((jms - ems) / n), float(ems)


class _CrossedREML:
    """The profiled REML criterion of the crossed model and its gradient, by absorbing factor a."""

    def __init__(self, a: IntArray, na: int, b: IntArray, nb: int, y: FloatArray) -> None:
        self.n = y.size
        self.na, self.nb = na, nb
        self.count_a = np.bincount(a, minlength=na).astype(np.float64)
        self.r_a = np.bincount(a, weights=y, minlength=na)
        self.a, self.b = a, b
        self._table: FloatArray | SparseCounts | None = None  # N, made when first needed
        count_b = np.bincount(b, minlength=nb).astype(np.float64)
        k = np.zeros((nb + 1, nb + 1))
        k[0, 0] = self.n
        k[0, 1:] = k[1:, 0] = count_b
        k[1:, 1:] = np.diag(count_b)
        self.k = k
        self.r_b = np.concatenate(([y.sum()], np.bincount(b, weights=y, minlength=nb)))
        self.yy = float(y @ y)
        self.diag_b = (np.arange(1, nb + 1), np.arange(1, nb + 1))

        # The weights of W' diag(.) W depend on a level only through its count, so when there are few
        # distinct counts the products are precomputed per count: W' diag(w) W = sum_m w(m) G_m.
        # W = Z_a' [1, Z_b] (column 0 is the intercept), dense for a team's sizes (scipy.sparse above, see
        # domain.calibration.counts): W' diag(w) W is then [[sum w n_a^2, (w n_a)' N], [N' (w n_a), N' diag(w) N]]
        # with N the a x b count table.
        self.w: FloatArray | None = None  # W itself when it is small: its products are then one matmul each
        if na * (nb + 1) <= _SMALL_W:
            self.w = np.column_stack((self.count_a, count_table(a, na, b, nb)))
        counts, self.count_group = np.unique(self.count_a, return_inverse=True)
        self.count_group = self.count_group.reshape(-1)
        self.grams: FloatArray | None = None
        if counts.size * (nb + 1) ** 2 <= 4_000_000:
            self.grams = np.stack([self._gram_of(self.count_group == m) for m in range(counts.size)])
            self.grams_flat = self.grams.reshape(counts.size, -1)
            first = np.zeros(counts.size, dtype=np.intp)
            first[self.count_group[::-1]] = np.arange(self.count_group.size)[::-1]
            self.first_of_count = first  # one level of each distinct count

    def _gram_of(self, weights: FloatArray | NDArray[np.bool_]) -> FloatArray:
        """W' diag(weights) W, dense (``weights``: one per level of a)."""
        w = np.asarray(weights, dtype=np.float64)
        gram = np.empty((self.nb + 1, self.nb + 1))
        gram[0, 0] = float(np.sum(w * self.count_a * self.count_a))
        gram[0, 1:] = gram[1:, 0] = self.wt_times(w * self.count_a)[1:]
        if self._table is None:
            self._table = (
                count_table(self.a, self.na, self.b, self.nb) if dense(self.na, self.nb)
                else sparse_counts(self.a, self.na, self.b, self.nb)
            )
        if isinstance(self._table, np.ndarray):
            gram[1:, 1:] = (self._table.T * w) @ self._table
        else:
            gram[1:, 1:] = self._table.weighted_gram(w)
        return gram

    def wt_times(self, u: FloatArray) -> FloatArray:
        """W' u (one value per level of a in, 1 + nb values out)."""
        if self.w is not None:
            return np.asarray(u @ self.w)
        return np.concatenate(([float(self.count_a @ u)], np.bincount(self.b, weights=u[self.a], minlength=self.nb)))

    def w_times(self, v: FloatArray) -> FloatArray:
        """W v (1 + nb values in, one per level of a out)."""
        if self.w is not None:
            return np.asarray(self.w @ v)
        return np.asarray(self.count_a * v[0] + np.bincount(self.a, weights=v[1:][self.b], minlength=self.na))

    def _gram(self, weights: FloatArray) -> FloatArray:
        """W' diag(weights) W as a dense matrix; ``weights`` must be a function of the level's count."""
        if self.grams is not None:
            return np.asarray(weights[self.first_of_count] @ self.grams_flat).reshape(self.nb + 1, self.nb + 1)
        return self._gram_of(weights)

    def evaluate(self, theta: FloatArray, *, gradient: bool = True) -> tuple[float, FloatArray, float, FloatArray]:
        """At ``theta = (log g_a, log g_b)``: the criterion f, its gradient, Q, and dQ/dtheta.

        f is +inf where Q is not positive (a perfect fit); gradients are zero when not asked for.
        """
        ga, gb = math.exp(theta[0]), math.exp(theta[1])
        d = self.count_a + 1.0 / ga
        inv_d = 1.0 / d
        s = self.k - self._gram(inv_d)
        s[self.diag_b] += 1.0 / gb
        zeros = np.zeros(2)
        factor = _Cholesky.of(s)
        if factor is None:  # not positive definite: numerically degenerate ratios
            return float("inf"), zeros, 0.0, zeros
        rhs = self.r_b - self.wt_times(self.r_a * inv_d)
        sol_b = factor.solve(rhs)
        sol_a = (self.r_a - self.w_times(sol_b)) * inv_d
        q = self.yy - float(sol_b @ self.r_b) - float(sol_a @ self.r_a)
        dof = self.n - 1
        if q <= 0:
            return float("inf"), zeros, q, zeros
        logdet_s = factor.logdet
        f = dof * math.log(q) + self.na * theta[0] + self.nb * theta[1] + float(np.sum(np.log(d))) + logdet_s
        if not gradient:
            return float(f), zeros, q, zeros
        s_inv = factor.inverse()
        tr_aa = float(np.sum(inv_d)) + float(np.sum(s_inv * self._gram(inv_d * inv_d)))
        tr_bb = float(np.trace(s_inv)) - float(s_inv[0, 0])
        ub = sol_b[1:]
        dq = np.array([-float(sol_a @ sol_a) / ga, -float(ub @ ub) / gb])  # dQ / d log g
        grad = dof * dq / q + np.array([self.na - tr_aa / ga, self.nb - tr_bb / gb])
        return float(f), grad, q, dq


class _Cholesky:
    """The Cholesky factor of a symmetric positive definite matrix: numpy's for the small matrices of a team's
    data, LAPACK's own triangular routines through scipy for large ones (hundreds of interviewers), where
    they are several times faster than numpy's general solvers."""

    SMALL = 64  # rows up to which numpy is used

    def __init__(self, chol: FloatArray, lapack: Any) -> None:  # scipy.linalg.lapack, or None
        self.chol, self.lapack = chol, lapack
        self.logdet = 2.0 * float(np.sum(np.log(np.diag(chol))))
        self.inv_l = None if lapack is not None else np.linalg.inv(chol)  # small: L^-1 once, then products

    @classmethod
    def of(cls, s: FloatArray) -> _Cholesky | None:
        """The factor, or None when ``s`` is not positive definite."""
        if s.shape[0] <= cls.SMALL:
            try:
                return cls(np.asarray(np.linalg.cholesky(s), dtype=np.float64), None)
            except np.linalg.LinAlgError:
                return None
        from scipy.linalg import lapack

        chol, info = lapack.dpotrf(s, lower=1)
        return cls(chol, lapack) if info == 0 else None

    def solve(self, rhs: FloatArray) -> FloatArray:
        if self.inv_l is not None:
            return np.asarray((rhs @ self.inv_l.T) @ self.inv_l)  # L^-T L^-1 rhs
        solution, _ = self.lapack.dpotrs(self.chol, rhs, lower=1)
        return np.asarray(solution)

    def inverse(self) -> FloatArray:
        if self.inv_l is not None:
            return np.asarray(self.inv_l.T @ self.inv_l)
        s_inv, _ = self.lapack.dpotri(self.chol, lower=1)  # the lower triangle
        return np.asarray(np.tril(s_inv) + np.tril(s_inv, -1).T)


def _moments_start(a: IntArray, na: int, b: IntArray, nb: int, y: FloatArray) -> FloatArray:
    """Rough variance ratios from within-group variances, as a starting point."""
    total = float(np.var(y))

    def within(g: IntArray, ng: int) -> float:
        counts = np.bincount(g, minlength=ng).astype(np.float64)
        means = np.bincount(g, weights=y, minlength=ng) / np.maximum(counts, 1)
        dof = y.size - np.count_nonzero(counts)
        return float(np.sum((y - means[g]) ** 2) / dof) if dof > 0 else total

    wa, wb = within(a, na), within(b, nb)
    floor = 0.05 * total
    s2a = max(total - wa, floor)
    s2b = max(total - wb, floor)
    s2e = max(wa + wb - total, floor)
    start: FloatArray = np.log(np.array([s2a / s2e, s2b / s2e]))
    return start


def _hessian(model: _CrossedREML, theta: FloatArray, q: float, step: float = 1e-5) -> FloatArray:
    """Hessian of -2 log L_R in (log g_a, log g_b, tau = log s2e) at the REML estimate.

    The unprofiled criterion is ``g = (N - p) tau + Q(theta) e^-tau + L(theta)``, where the profile f is
    ``(N - p) log Q + L``. So ``dg/dtheta = Q' e^-tau + L'`` with ``L' = f' - (N - p) Q'/Q``; the theta
    block is differentiated numerically (central differences of that analytic gradient), the tau row
    analytically: ``d2g/dtau2 = Q e^-tau``, ``d2g/dtau dtheta = -Q' e^-tau``.
    """
    dof = model.n - 1
    scale = dof / q  # e^-tau at the estimate

    def grad_theta(th: FloatArray) -> FloatArray:
        _, grad, qq, dq = model.evaluate(th)
        return np.asarray(dq * scale + grad - dof * dq / qq)

    h = np.zeros((3, 3))
    for j in range(2):
        e = np.zeros(2)
        e[j] = step
        h[:2, j] = (grad_theta(theta + e) - grad_theta(theta - e)) / (2 * step)
    h[:2, :2] = (h[:2, :2] + h[:2, :2].T) / 2
    _, _, _, dq = model.evaluate(theta)
    h[2, :2] = h[:2, 2] = -dq * scale
    h[2, 2] = q * scale
    return h


def _logit_ci(logit: float, var: float, z: float) -> tuple[float, float] | None:
    if not np.isfinite(var) or var < 0:
        return None
    half = z * np.sqrt(var)
    return _expit(logit - half), _expit(logit + half)


def _expit(x: float) -> float:
    """The logistic function, as ``scipy.special.expit`` computes it: 1 / (1 + exp(-x))."""
    x = float(x)
    return 0.0 if x < -709.0 else 1.0 / (1.0 + math.exp(-x))


def _no_fit(obs: Observations, why: str) -> VarianceComponents:
    return replace(VarianceComponents.empty(obs.n, obs.n_candidates, obs.n_interviewers), notes=(why,))


def fit_variance_components(obs: Observations, *, level: float = 0.95) -> VarianceComponents:
    """REML estimates of s2c, s2i, s2e and the two ICCs from every observation (see the module docstring).

    Every rating is an observation, duplicates included. A factor with a single level (one interviewer,
    or one candidate) has its variance fixed at 0; when no candidate and no interviewer has two ratings the
    components cannot be separated and all values are None. ``notes`` says, in words, what could not be
    estimated and why, and how the intervals were found when it is not the usual way.
    """
    n, nc, ni = obs.n, obs.n_candidates, obs.n_interviewers
    y = obs.score
    if n < 3:
        return _no_fit(obs, f"{n} rating{'s' if n != 1 else ''}: at least 3 are needed to separate the components")
    if float(np.ptp(y)) == 0.0:
        return _no_fit(obs, f"every rating is {y[0]:g}: with no variation there is nothing to attribute")
    # Absorb the factor with more levels; keep the other dense.
    absorb_candidates = nc >= ni
    a, na, b, nb = (
        (obs.candidate, nc, obs.interviewer, ni) if absorb_candidates else (obs.interviewer, ni, obs.candidate, nc)
    )
    if np.bincount(a, minlength=na).max() < 2 and np.bincount(b, minlength=nb).max() < 2:
        return _no_fit(
            obs, "no candidate was rated twice and no interviewer rated twice: the components cannot be separated"
        )
    if na < 2 or nb < 2:
        return _one_factor(obs, level=level)
    # REML is invariant to a shift of y; centring keeps y'y - b'X'y - u'Z'y free of cancellation.
    model = _CrossedREML(a, na, b, nb, y - y.mean())
    start = np.clip(_moments_start(a, na, b, nb, y), LOG_LOWER + 1, LOG_UPPER - 1)

    def fun(theta: FloatArray) -> tuple[float, FloatArray]:
        f, grad, _, _ = model.evaluate(theta)
        return f, grad

    theta, success = minimize_box(fun, start, LOG_LOWER, LOG_UPPER, gtol=1e-6, ftol=1e-10, maxiter=200)
    ss = float(np.sum((y - y.mean()) ** 2))
    if theta.max() > LOG_UPPER - 2 or model.evaluate(theta, gradient=False)[2] <= 1e-8 * ss:
        # Heading for a residual of 0: a perfect additive fit has no finite optimum (see the docstring).
        exact = _additive_fit(obs)
        if exact.sse <= 1e-12 * ss:
            return _perfect_fit(obs, exact, level=level)
    theta, polished = _polish(model, theta)
    theta, settled = _settle_boundary(model, theta)
    fit = _Fit(model, theta, absorb_candidates, bool(success or polished or settled))
    return _estimates(obs, fit, level=level)


@dataclass(frozen=True)
class _Fit:
    """Where REML stopped: the model, ``theta`` in the model's order (absorbed factor first)."""

    model: _CrossedREML
    theta: FloatArray
    absorb_candidates: bool
    converged: bool

    def order(self, th_c: float, th_i: float) -> FloatArray:
        """(log g_c, log g_i) in the model's order."""
        return np.array([th_c, th_i] if self.absorb_candidates else [th_i, th_c], dtype=np.float64)

    @property
    def th_c(self) -> float:
        return float(self.theta[0 if self.absorb_candidates else 1])

    @property
    def th_i(self) -> float:
        return float(self.theta[1 if self.absorb_candidates else 0])


def _estimates(obs: Observations, fit: _Fit, *, level: float) -> VarianceComponents:
    """Components, ICCs, standard errors and intervals at the REML estimate ``fit``."""
    model, theta = fit.model, fit.theta
    n = obs.n
    _, _, q, _ = model.evaluate(theta, gradient=False)
    s2e = q / (n - 1)
    gc = 0.0 if fit.th_c <= _AT_BOUND else float(np.exp(fit.th_c))
    gi = 0.0 if fit.th_i <= _AT_BOUND else float(np.exp(fit.th_i))
    s2c, s2i = gc * s2e, gi * s2e
    icc_abs = gc / (gc + gi + 1.0)
    icc_cons = gc / (gc + 1.0)

    # Uncertainty from the observed information.
    z = float(norm_ppf(1.0 - (1.0 - level) / 2.0))
    cov = _covariance(model, theta, q)
    order = [0, 1] if fit.absorb_candidates else [1, 0]  # to (log g_c, log g_i)
    cov = cov[np.ix_([*order, 2], [*order, 2])]
    abs_ci = cons_ci = None
    se_c = se_i = se_e = None
    wald = bool(np.all(np.isfinite(cov)))
    if wald:
        # s2c = exp(th_c + tau): d s2c = s2c (d th_c + d tau).
        se_c = float(s2c * np.sqrt(max(cov[0, 0] + 2 * cov[0, 2] + cov[2, 2], 0.0))) if gc > 0 else None
        se_i = float(s2i * np.sqrt(max(cov[1, 1] + 2 * cov[1, 2] + cov[2, 2], 0.0))) if gi > 0 else None
        se_e = float(s2e * np.sqrt(max(cov[2, 2], 0.0)))
    notes: list[str] = []
    if wald and gc > 0 and gi > 0:
        cons_ci = _logit_ci(fit.th_c, float(cov[0, 0]), z)
        grad = np.array([1.0, -gi / (1.0 + gi)])
        abs_ci = _logit_ci(float(fit.th_c - np.log1p(gi)), float(grad @ cov[:2, :2] @ grad), z)
        method = "Wald (logit)"
    else:
        f_hat = model.evaluate(theta, gradient=False)[0]
        cons_ci = _profile_interval(fit, f_hat, "consistency", level)
        abs_ci = _profile_interval(fit, f_hat, "absolute", level)
        method = "profile likelihood"
        notes.extend(_boundary_notes(gc, gi, wald))
    return VarianceComponents(
        n, obs.n_candidates, obs.n_interviewers, float(s2c), float(s2i), float(s2e), float(icc_abs),
        float(icc_cons), abs_ci, cons_ci, se_c, se_i, se_e, fit.converged, ci_method=method, notes=tuple(notes),
    )


def _boundary_notes(gc: float, gi: float, wald: bool) -> list[str]:
    notes = []
    if gi == 0:
        notes.append(
            "The interviewer variance is estimated at 0, its lower bound: these ratings show no difference in "
            "leniency between interviewers beyond what noise explains."
        )
    if gc == 0:
        notes.append(
            "The candidate variance is estimated at 0, its lower bound: these ratings do not tell candidates "
            "apart beyond what noise explains."
        )
    if not wald and gc > 0 and gi > 0:
        notes.append("The likelihood's curvature could not be inverted at the estimate.")
    notes.append(
        "Intervals are profile-likelihood intervals (the ICC values whose likelihood is not significantly "
        "lower), which hold at a bound, where the usual curvature-based interval does not; no standard error "
        "is given for a component at its bound."
    )
    return notes


def _settle_boundary(model: _CrossedREML, theta: FloatArray) -> tuple[FloatArray, bool]:
    """Put a ratio that the optimiser left near 0 on its bound when the likelihood there is as high.

    In log coordinates the gradient of a ratio vanishes as the ratio goes to 0 (``df/dlog g = g df/dg``),
    so the optimiser stops anywhere below about 1e-6 (log -14 to -19) instead of at the bound, and the
    curvature there is noise. Each face where such ratios are 0 is fitted (the other ratio free) and kept
    when its criterion is no higher (1e-8: far below any meaningful difference of -2 log L). Returns the
    point and whether a face was taken.
    """
    near = [j for j in range(2) if _AT_BOUND < theta[j] < _NEAR_BOUND]
    if not near:
        return theta, False
    best, f_best = theta, model.evaluate(theta, gradient=False)[0]
    faces = [[j] for j in near] + ([near] if len(near) == 2 else [])
    taken = False
    for face in faces:
        trial = theta.copy()
        trial[face] = LOG_LOWER
        free = [j for j in range(2) if j not in face and trial[j] > _AT_BOUND]
        if free:
            j = free[0]

            def along(x: float, j: int = j, base: FloatArray = trial) -> float:
                point = base.copy()
                point[j] = x
                return model.evaluate(point, gradient=False)[0]

            trial[j] = minimize_bounded(along, LOG_LOWER, LOG_UPPER, xatol=1e-4)[0]
            trial, _ = _polish(model, trial)
        f = model.evaluate(trial, gradient=False)[0]
        if f <= f_best + 1e-8:
            best, f_best, taken = trial, f, True
    return best, taken


def _profile_interval(fit: _Fit, f_hat: float, which: str, level: float) -> tuple[float, float] | None:
    """The profile-likelihood interval of ``icc_consistency`` or ``icc_absolute`` (``which``).

    The ICC's logit ``lam`` is fixed and the other ratio profiled out (``g_i`` for the consistency ICC,
    ``logit = log g_c``; for the absolute ICC ``log g_c = lam + log(1 + g_i)``); the interval is where
    ``profile(lam) - f_hat`` stays within the chi-square(1) quantile at ``level``. When the ICC is itself at
    0 (no candidate variance) its interval is [0, upper] with the quantile at ``2 level - 1``: the
    likelihood-ratio statistic at a bound is a 50:50 mixture of 0 and chi-square(1) (S. G. Self and K.-Y.
    Liang, *JASA* 82, 605-610, 1987). An end that never reaches the quantile is the ICC's bound, 0 or 1.
    """
    at_zero = fit.th_c <= _AT_BOUND
    crit = float(chi2_ppf(2 * level - 1 if at_zero else level, 1))
    gi_hat = 0.0 if fit.th_i <= _AT_BOUND else float(np.exp(fit.th_i))
    lam_hat = fit.th_c - (np.log1p(gi_hat) if which == "absolute" else 0.0)

    def profile(lam: float) -> float:
        def at(th_i: float) -> float:
            th_c = lam + (float(np.log1p(np.exp(th_i))) if which == "absolute" else 0.0)
            if th_c > LOG_UPPER:
                return float("inf")
            return fit.model.evaluate(fit.order(max(th_c, LOG_LOWER), th_i), gradient=False)[0]

        best = minimize_bounded(at, LOG_LOWER, LOG_UPPER, xatol=1e-2)[1]
        return min(float(best), at(LOG_LOWER)) - f_hat - crit

    def end(direction: float) -> float | None:
        inside, step = lam_hat, 0.5
        while True:
            lam = lam_hat + direction * step
            if not LOG_LOWER + 1 < lam < LOG_UPPER - 1:
                return None
            if profile(lam) > 0:
                return brentq(profile, min(inside, lam), max(inside, lam), xtol=1e-3)
            inside, step = lam, step * 2

    low = None if at_zero else end(-1.0)
    high = end(+1.0)
    return (
        0.0 if low is None else _expit(low),
        1.0 if high is None else _expit(high),
    )


@dataclass(frozen=True)
class _Additive:
    """The least-squares fit of y = mu + a_c + b_i (fixed effects) to every observation."""

    sse: float
    candidate_effect: FloatArray
    interviewer_effect: FloatArray
    candidate_component: IntArray
    interviewer_component: IntArray


def _additive_fit(obs: Observations) -> _Additive:
    """Least squares of the additive model, absorbing the factor with more levels: O(ratings + levels^3)
    of the other."""
    from interviewkit.domain.calibration.leniency import components

    swap = obs.n_interviewers > obs.n_candidates
    a, b = (obs.interviewer, obs.candidate) if swap else (obs.candidate, obs.interviewer)
    na, nb = (obs.n_interviewers, obs.n_candidates) if swap else (obs.n_candidates, obs.n_interviewers)
    y = obs.score
    n_a = np.bincount(a, minlength=na).astype(np.float64)
    n_b = np.bincount(b, minlength=nb).astype(np.float64)
    mean_a = np.bincount(a, weights=y, minlength=na) / n_a
    lap = np.diag(n_b) - weighted_gram(a, na, b, nb, 1.0 / n_a)
    rhs = np.bincount(b, weights=y - mean_a[a], minlength=nb)
    beta = np.asarray(np.linalg.lstsq(lap, rhs, rcond=None)[0], dtype=np.float64)  # minimum norm: lap is singular
    alpha = mean_a - np.bincount(a, weights=beta[b], minlength=na) / n_a
    resid = y - alpha[a] - beta[b]
    _, comp_c, comp_i = components(obs)
    cand, inter = (beta, alpha) if swap else (alpha, beta)
    return _Additive(float(resid @ resid), cand, inter, comp_c, comp_i)


def _within_variance(effects: FloatArray, groups: IntArray) -> float | None:
    """The variance of effects about their group's mean (effects are comparable only within a group)."""
    k = int(groups.max()) + 1 if groups.size else 0
    dof = effects.size - k
    if dof <= 0:
        return None
    means = np.bincount(groups, weights=effects, minlength=k) / np.bincount(groups, minlength=k)
    return float(np.sum((effects - means[groups]) ** 2) / dof)


def _perfect_fit(obs: Observations, exact: _Additive, *, level: float) -> VarianceComponents:
    """Every rating is exactly candidate + interviewer: the residual variance is 0 (see the docstring).

    The REML criterion has no finite optimum there (it falls without bound as s2e goes to 0, the ratios
    to infinity, their quotient undetermined). In the limit the candidate and interviewer effects are
    known exactly, so their REML variances are the variances of the fitted effects (n - 1 denominators,
    within each connected group), which on a complete design are the ANOVA estimates. Given s2e = 0, the
    ratio s2c / s2i of two independent effect variances has an exact F interval, which gives the absolute
    ICC's; the consistency ICC is 1 by construction and has no interval.
    """
    s2c = _within_variance(exact.candidate_effect, exact.candidate_component)
    s2i = _within_variance(exact.interviewer_effect, exact.interviewer_component)
    notes = [
        (
            "The ratings fit 'candidate + interviewer' exactly (no residual variation): the components are the "
            "variances of the fitted candidate and interviewer effects, as an ANOVA gives them. The consistency "
            "ICC is then 1 by construction and has no interval."
        )
    ]
    if s2c is None or s2i is None:
        notes.append("Too few candidates or interviewers in a connected group to estimate their variances.")
        return replace(VarianceComponents.empty(obs.n, obs.n_candidates, obs.n_interviewers), notes=tuple(notes))
    total = s2c + s2i
    icc_abs = s2c / total if total > 0 else None
    icc_cons = 1.0 if s2c > 0 else None
    abs_ci = None
    if s2c > 0 and s2i > 0:
        k_c = int(exact.candidate_component.max()) + 1
        df1, df2 = obs.n_candidates - k_c, obs.n_interviewers - k_c
        q = 1.0 - (1.0 - level) / 2.0
        ratio = s2c / s2i
        low, high = ratio / f_ppf(q, df1, df2), ratio * f_ppf(q, df2, df1)
        abs_ci = (float(low / (1 + low)), float(high / (1 + high)))
        notes.append(
            "The absolute ICC's interval is the exact F interval of the ratio of the candidate and interviewer "
            "variances, given no residual."
        )
    elif s2i == 0 and s2c > 0:
        notes.append(
            "Every interviewer gave each candidate the same score: perfect agreement in these ratings, and with "
            "no disagreement at all there is nothing to compute an interval from."
        )
    return VarianceComponents(
        obs.n, obs.n_candidates, obs.n_interviewers, s2c, s2i, 0.0, icc_abs, icc_cons, abs_ci, None,
        converged=True, method="exact additive fit", ci_method="exact F" if abs_ci else None, notes=tuple(notes),
    )


def _polish(model: _CrossedREML, theta: FloatArray, *, iterations: int = 5) -> tuple[FloatArray, bool]:
    """Newton steps on the free (not bound) parameters, from where the quasi-Newton stage stopped.

    Its stopping rule (L-BFGS-B's) leaves about 1e-4 of relative error in the ratios; Newton's method with the
    analytic gradient and its finite-difference Jacobian reaches the optimum to about 1e-9 in a step or
    two. A step that does not lower f is refused. Returns the point and whether the gradient vanished.
    """
    step = 1e-5
    f, grad, _, _ = model.evaluate(theta)
    for _ in range(iterations):
        free = np.flatnonzero(theta > _AT_BOUND)
        if free.size == 0:
            return theta, True
        g = grad[free]
        if np.max(np.abs(g)) < 1e-7:
            return theta, True
        h = np.zeros((free.size, free.size))
        for col, j in enumerate(free):
            e = np.zeros(2)
            e[j] = step
            h[:, col] = (model.evaluate(theta + e)[1][free] - model.evaluate(theta - e)[1][free]) / (2 * step)
        h = (h + h.T) / 2
        delta = _solve_positive(h, g)
        if delta is None:
            return theta, False
        new = theta.copy()
        new[free] = np.clip(theta[free] - delta, LOG_LOWER, LOG_UPPER)
        f_new, grad_new, _, _ = model.evaluate(new)
        if not f_new <= f + 1e-12 * abs(f):
            return theta, False
        theta, f, grad = new, f_new, grad_new
    free = np.flatnonzero(theta > _AT_BOUND)
    return theta, bool(free.size == 0 or np.max(np.abs(grad[free])) < 1e-5)


def _solve_positive(h: FloatArray, g: FloatArray) -> FloatArray | None:
    """``h^-1 g`` for a positive definite ``h`` (by its Cholesky factor); None when ``h`` is not positive
    definite or not finite, as ``scipy.linalg.solve(h, g, assume_a="pos")`` refuses it."""
    if not (np.all(np.isfinite(h)) and np.all(np.isfinite(g))):
        return None
    factor = _Cholesky.of(h)
    return None if factor is None else factor.solve(g)


def _covariance(model: _CrossedREML, theta: FloatArray, q: float) -> FloatArray:
    """Asymptotic covariance of (log g_a, log g_b, log s2e): 2 H^-1, bound parameters held fixed."""
    h = _hessian(model, theta, q)
    free = [i for i in range(2) if theta[i] > _AT_BOUND] + [2]
    cov = np.zeros((3, 3))
    block = h[np.ix_(free, free)]
    try:
        if not np.all(np.isfinite(block)):  # scipy.linalg.inv refused these; numpy's would return NaN
            raise np.linalg.LinAlgError("not finite")
        sub = 2.0 * np.linalg.inv(block)
    except np.linalg.LinAlgError:
        return np.full((3, 3), np.nan)
    if np.any(np.diag(sub) < 0):
        return np.full((3, 3), np.nan)
    cov[np.ix_(free, free)] = sub
    return cov


def _one_factor(obs: Observations, *, level: float) -> VarianceComponents:
    """Only one candidate or one interviewer: a one-way model for the other factor.

    With a single interviewer, the interviewer variance is not identifiable and is reported as 0 (and
    ``icc_absolute`` equals ``icc_consistency``); the estimates are the one-way ANOVA (method of moments)
    ones, truncated at 0, with the one-way F interval (Shrout & Fleiss's ICC(1,1) interval, with the
    average number of ratings per candidate ``n0``). With a single candidate there is nothing to tell
    candidates apart: the ICCs are undefined (None).
    """
    n, nc, ni = obs.n, obs.n_candidates, obs.n_interviewers
    y = obs.score
    g, ng = (obs.candidate, nc) if nc >= 2 else (obs.interviewer, ni)
    counts = np.bincount(g, minlength=ng).astype(np.float64)
    means = np.bincount(g, weights=y, minlength=ng) / counts
    dof_w = n - ng
    if dof_w <= 0 or ng < 2:
        return _no_fit(obs, "no candidate was rated twice: the components cannot be separated")
    msw = float(np.sum((y - means[g]) ** 2) / dof_w)
    msb = float(np.sum(counts * (means - y.mean()) ** 2) / (ng - 1))
    n0 = (n - float(np.sum(counts**2)) / n) / (ng - 1)
    s2g = max((msb - msw) / n0, 0.0)
    if nc < 2:
        why = (
            "Only one candidate: there is nothing to tell candidates apart, so the candidate variance and the "
            "ICCs are undefined."
        )
        return VarianceComponents(n, nc, ni, None, s2g, msw, None, None, method="one-way ANOVA", notes=(why,))
    why = (
        "Only one interviewer: differences in leniency between interviewers cannot be estimated (taken as 0), "
        "so the absolute ICC equals the consistency ICC and says nothing about agreement between interviewers."
    )
    total = s2g + msw
    icc = s2g / total if total > 0 else None
    ci = None
    if msw > 0 and msb > 0:
        q = 1.0 - (1.0 - level) / 2.0
        f0 = msb / msw
        fl, fu = f0 / f_ppf(q, ng - 1, dof_w), f0 * f_ppf(q, dof_w, ng - 1)
        ci = (float(max((fl - 1) / (fl + n0 - 1), 0.0)), float(min((fu - 1) / (fu + n0 - 1), 1.0)))
    return VarianceComponents(
        n, nc, ni, s2g, 0.0, msw, icc, icc, ci, ci, method="one-way ANOVA",
        ci_method="F (one-way)" if ci else None, notes=(why,),
    )
