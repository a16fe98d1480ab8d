"""The few optimisers the REML fits need, in plain Python on numpy, so that a calibration does not import
``scipy.optimize`` (about 0.12 s of every ``calibrate`` run with what it pulls in: scipy.spatial, scipy.fft,
numpy.f2py, numpy.ma).

* :func:`minimize_bounded` - Brent's bounded minimisation of a function of one variable: the algorithm of
  ``scipy.optimize.minimize_scalar(method="bounded")`` (``_minimize_scalar_bounded``, itself after
  Forsythe, Malcolm and Moler's ``fmin``), line for line, so the same points are evaluated and the same
  minimum is returned;
* :func:`brentq` - Brent's root finding in a bracket: ``scipy.optimize.brentq`` (scipy's ``brentq.c``, after
  Brent 1973 ch. 4), line for line, with its default relative tolerance;
* :func:`minimize_box` - a smooth function of a few variables with its gradient, within bounds: a projected
  quasi-Newton method (BFGS on the free variables, Armijo backtracking along the projected path). It takes
  the place of ``scipy.optimize.minimize(method="L-BFGS-B")`` as the first stage of the REML fit, whose
  Newton polish (:func:`.variance._polish`) then reaches the optimum to about 1e-9 whichever method got near
  it.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
from numpy.typing import NDArray

__all__ = ["brentq", "minimize_bounded", "minimize_box"]

FloatArray = NDArray[np.float64]

_SQRT_EPS = math.sqrt(2.2e-16)
_GOLDEN = 0.5 * (3.0 - math.sqrt(5.0))
_RTOL = 4 * float(np.finfo(float).eps)  # scipy.optimize.brentq's default (and least) rtol


def minimize_bounded(
    func: Callable[[float], float], lower: float, upper: float, *, xatol: float = 1e-5, maxiter: int = 500
) -> tuple[float, float]:
    """``(x, f(x))`` at the minimum of ``func`` on ``[lower, upper]`` found as
    ``scipy.optimize.minimize_scalar(func, bounds=(lower, upper), method="bounded", options={"xatol": xatol})``
    finds it (the same steps, see the module docstring)."""
    a, b = lower, upper
    fulc = a + _GOLDEN * (b - a)
    nfc, xf = fulc, fulc
    rat = e = 0.0
    x = xf
    fx = func(x)
    num = 1
    ffulc = fnfc = fx
    xm = 0.5 * (a + b)
    tol1 = _SQRT_EPS * abs(xf) + xatol / 3.0
    tol2 = 2.0 * tol1
    while abs(xf - xm) > (tol2 - 0.5 * (b - a)):
        golden = True
        if abs(e) > tol1:  # a parabolic fit?
            golden = False
            r = (xf - nfc) * (fx - ffulc)
            q = (xf - fulc) * (fx - fnfc)
            p = (xf - fulc) * q - (xf - nfc) * r
            q = 2.0 * (q - r)
            if q > 0.0:
                p = -p
            q = abs(q)
            r = e
            e = rat
            if abs(p) < abs(0.5 * q * r) and p > q * (a - xf) and p < q * (b - xf):  # acceptable
                rat = (p + 0.0) / q
                x = xf + rat
                if (x - a) < tol2 or (b - x) < tol2:
                    rat = tol1 * (_sign(xm - xf) + (xm - xf == 0))
            else:
                golden = True
        if golden:  # a golden-section step
            e = a - xf if xf >= xm else b - xf
            rat = _GOLDEN * e
        x = xf + (_sign(rat) + (rat == 0)) * max(abs(rat), tol1)
        fu = func(x)
        num += 1
        if fu <= fx:
            if x >= xf:
                a = xf
            else:
                b = xf
            fulc, ffulc = nfc, fnfc
            nfc, fnfc = xf, fx
            xf, fx = x, fu
        else:
            if x < xf:
                a = x
            else:
                b = x
            if fu <= fnfc or nfc == xf:
                fulc, ffulc = nfc, fnfc
                nfc, fnfc = x, fu
            elif fu <= ffulc or fulc == xf or fulc == nfc:  # noqa: SIM109 (scipy's test, NaN and all)
                fulc, ffulc = x, fu
        xm = 0.5 * (a + b)
        tol1 = _SQRT_EPS * abs(xf) + xatol / 3.0
        tol2 = 2.0 * tol1
        if num >= maxiter:
            break
    return xf, fx


def _sign(x: float) -> float:
    return float(np.sign(x))


def brentq(func: Callable[[float], float], xa: float, xb: float, *, xtol: float = 2e-12, maxiter: int = 100) -> float:
    """A root of ``func`` between ``xa`` and ``xb`` (where it changes sign), as ``scipy.optimize.brentq(func,
    xa, xb, xtol=xtol)`` finds it. Raises ValueError when the signs are the same or ``func`` gives NaN, and
    RuntimeError when ``maxiter`` iterations do not converge (as scipy does)."""

    def f(x: float) -> float:
        value = float(func(x))
        if math.isnan(value):
            raise ValueError(f"the function value at x={x} is NaN")
        return value

    xpre, xcur = float(xa), float(xb)
    xblk = fblk = spre = scur = 0.0
    fpre, fcur = f(xpre), f(xcur)
    if fpre == 0:
        return xpre
    if fcur == 0:
        return xcur
    if math.copysign(1.0, fpre) == math.copysign(1.0, fcur):
        raise ValueError("f(a) and f(b) must have different signs")
    for _ in range(maxiter):
        if fpre != 0 and fcur != 0 and math.copysign(1.0, fpre) != math.copysign(1.0, fcur):
            xblk, fblk = xpre, fpre
            spre = scur = xcur - xpre
        if abs(fblk) < abs(fcur):
            xpre, xcur, xblk = xcur, xblk, xcur
            fpre, fcur, fblk = fcur, fblk, fcur
        delta = (xtol + _RTOL * abs(xcur)) / 2
        sbis = (xblk - xcur) / 2
        if fcur == 0 or abs(sbis) < delta:
            return xcur
        if abs(spre) > delta and abs(fcur) < abs(fpre):
            if xpre == xblk:  # interpolate
                stry = -fcur * (xcur - xpre) / (fcur - fpre)
            else:  # extrapolate
                dpre = (fpre - fcur) / (xpre - xcur)
                dblk = (fblk - fcur) / (xblk - xcur)
                stry = -fcur * (fblk * dblk - fpre * dpre) / (dblk * dpre * (fblk - fpre))
            if 2 * abs(stry) < min(abs(spre), 3 * abs(sbis) - delta):  # a good short step
                spre, scur = scur, stry
            else:  # bisect
                spre = scur = sbis
        else:  # bisect
            spre = scur = sbis
        xpre, fpre = xcur, fcur
        xcur += scur if abs(scur) > delta else (delta if sbis > 0 else -delta)
        fcur = f(xcur)
    raise RuntimeError(f"brentq: failed to converge after {maxiter} iterations, value is {xcur}")


def minimize_box(
    fun: Callable[[FloatArray], tuple[float, FloatArray]],
    x0: FloatArray,
    lower: float,
    upper: float,
    *,
    gtol: float = 1e-6,
    ftol: float = 1e-10,
    maxiter: int = 200,
) -> tuple[FloatArray, bool]:
    """The minimum of ``fun`` (which returns the value and the gradient) with every variable in ``[lower,
    upper]``, from ``x0``: projected BFGS with backtracking (see the module docstring). Stops, as L-BFGS-B
    with these options, when the projected gradient's largest component is at most ``gtol`` or a step
    lowers the value by at most ``ftol`` relatively. Returns the point and whether it stopped so."""
    x = np.clip(np.asarray(x0, dtype=np.float64), lower, upper)
    f, g = fun(x)
    if not math.isfinite(f):
        return x, False
    inverse = np.eye(x.size)  # the inverse Hessian's approximation
    first = True
    for _ in range(maxiter):
        active = ((x <= lower) & (g > 0)) | ((x >= upper) & (g < 0))
        pg = np.where(active, 0.0, g)
        if float(np.max(np.abs(pg))) <= gtol:
            return x, True
        free = ~active
        direction = np.zeros_like(x)
        direction[free] = -(inverse[np.ix_(free, free)] @ pg[free])
        if not float(direction @ pg) < 0:  # not a descent direction: start again from steepest descent
            inverse = np.eye(x.size)
            direction = -pg
        step = min(1.0, 1.0 / float(np.max(np.abs(direction)))) if first else 1.0
        first = False
        while True:
            new = np.clip(x + step * direction, lower, upper)
            f_new, g_new = fun(new)
            if f_new <= f + 1e-4 * float(g @ (new - x)):
                break
            step *= 0.5
            if step < 1e-12:
                return x, False
        s, y = new - x, g_new - g
        done = (f - f_new) <= ftol * max(abs(f), abs(f_new), 1.0)
        x, f, g = new, f_new, g_new
        if done:
            return x, True
        sy = float(s @ y)
        if sy > 1e-12 * float(np.sqrt((s @ s) * (y @ y))):
            rho = 1.0 / sy
            v = np.eye(x.size) - rho * np.outer(s, y)
            inverse = v @ inverse @ v.T + rho * np.outer(s, s)
    return x, False
