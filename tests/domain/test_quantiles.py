"""domain.quantiles: the four inverse distribution functions calibration needs, without importing scipy.stats
(about a second of every calibrate and export run), equal to scipy.stats's."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest
from scipy import stats

from interviewkit.domain.quantiles import chi2_ppf, f_ppf, norm_ppf, t_ppf

P = (1e-6, 0.001, 0.025, 0.05, 0.5, 0.9, 0.95, 0.975, 0.999)
DF = (0.5, 1, 2, 3.7, 10, 57.3, 1e3, 1e6)


@pytest.mark.parametrize("p", P)
def test_equal_to_scipy_stats(p: float) -> None:
    assert norm_ppf(p) == pytest.approx(stats.norm.ppf(p), rel=1e-12, abs=1e-12)
    for df in DF:
        assert t_ppf(p, df) == pytest.approx(stats.t.ppf(p, df), rel=1e-8)
        assert chi2_ppf(p, df) == pytest.approx(stats.chi2.ppf(p, df), rel=1e-8)
        for dfd in (1, 2.5, 9, 40.2, 1e4):
            assert f_ppf(p, df, dfd) == pytest.approx(stats.f.ppf(p, df, dfd), rel=1e-8)


def test_nan_in_nan_out() -> None:
    assert np.isnan(norm_ppf(float("nan"))) and np.isnan(f_ppf(0.975, 0, 3)) and np.isnan(t_ppf(0.975, 0))


def test_calibration_does_not_import_scipy_stats() -> None:
    code = ("import sys; import interviewkit.services.calibration_report, interviewkit.services.calibration_json; "
            "print('scipy.stats' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120)
    assert done.stdout.strip() == "False"
