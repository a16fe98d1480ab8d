"""The two corrections of the interview's validity against simulations that know the truth (issue 18).

Applicants have a true ability; three of ten interviewers (each with their own leniency) rate two
competencies on a continuous scale; the top fifth by overall score are hired, and their later performance
depends on the ability. Among all applicants the overall score's correlation with performance is the
operational validity (what Thorndike's case II should recover from the hires); its correlation with the
ability is the reliability (what the REML Phi of the overall score should estimate), and the ability's
correlation with performance is the true-score validity (what Spearman's correction should recover).
One history varies by +-0.07 (400 hires); six histories average it out.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest

from interviewkit.domain.calibration import Rating
from interviewkit.services.validity import Outcome, composite_reliability, validity_of_ratings


def history(
    seed: int, applicants: int = 2000, hires: int = 400
) -> tuple[list[Rating], list[Outcome], dict[str, float]]:
    rng = np.random.default_rng(seed)
    ability = rng.normal(0, 1, applicants)
    later = 0.6 * ability + rng.normal(0, 0.6, applicants)
    lenient = rng.normal(0, 0.3, 10)
    ratings, overall = [], np.zeros(applicants)
    for c in range(applicants):
        scores = []
        for i in rng.choice(10, 3, replace=False):
            for comp in ("serving", "design"):
                value = float(2.5 + 0.6 * ability[c] + lenient[i] + rng.normal(0, 0.6))
                scores.append(value)
                ratings.append(Rating(f"a{c}", f"i{i}", comp, value))
        overall[c] = np.mean(scores)
    hired = np.argsort(-overall, kind="stable")[:hires]
    outcomes = [Outcome(f"a{c}", date(2027, 6, 30), float(later[c])) for c in hired]
    truth = {
        "operational": float(np.corrcoef(overall, later)[0, 1]),
        "reliability": float(np.corrcoef(overall, ability)[0, 1] ** 2),
        "true_score": float(np.corrcoef(ability, later)[0, 1]),
    }
    return ratings, outcomes, truth


def test_range_restriction_and_unreliability_corrections_recover_the_simulated_truth() -> None:
    found: dict[str, list[float]] = {k: [] for k in ("raw", "operational", "reliability", "true_score")}
    truths: dict[str, list[float]] = {k: [] for k in ("operational", "reliability", "true_score")}
    covered = 0
    for seed in range(6):
        ratings, outcomes, truth = history(seed)
        composite = validity_of_ratings(ratings, outcomes).composite
        assert composite is not None
        v = composite.validity
        assert v.r is not None and v.corrected is not None and v.corrected_ci is not None
        assert composite.reliability is not None and composite.true_score is not None
        assert composite.true_score == pytest.approx(v.corrected / composite.reliability**0.5)
        found["raw"].append(v.r)
        found["operational"].append(v.corrected)
        found["reliability"].append(composite.reliability)
        found["true_score"].append(composite.true_score)
        for key, value in truth.items():
            truths[key].append(value)
        covered += v.corrected_ci[0] < truth["operational"] < v.corrected_ci[1]
        assert "perfectly reliable score (Spearman's correction)" in composite.words
    mean = {k: float(np.mean(v)) for k, v in found.items()}
    true = {k: float(np.mean(v)) for k, v in truths.items()}
    # docs/calibration.md: truth 0.630, raw 0.361, corrected 0.635; reliability 0.801 against 0.819;
    # true-score validity 0.710 against 0.698.
    assert mean["raw"] < true["operational"] - 0.2  # attenuated among hires
    assert mean["operational"] == pytest.approx(true["operational"], abs=0.03)
    assert mean["reliability"] == pytest.approx(true["reliability"], abs=0.04)
    assert mean["true_score"] == pytest.approx(true["true_score"], abs=0.04)
    assert covered >= 5


def test_no_reliability_without_variance_components() -> None:
    assert composite_reliability([Rating("a", "i", "c", 3.0), Rating("b", "i", "c", 3.0)]) is None
