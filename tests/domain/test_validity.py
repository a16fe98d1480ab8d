"""Predictive validity: Fisher's interval, Thorndike's case II, the words, and a simulation with a known truth."""

from __future__ import annotations

import math

import numpy as np
import pytest

from interviewkit.domain.validity import MIN_HIRES, correlation_ci, thorndike_ii, validity


def hiring_round(rng: np.random.Generator, *, applicants: int = 2000, hires: int = 200,
                 noise: float = 0.75) -> tuple[dict[str, float], dict[str, float], float]:
    """Applicants with a true ability; an interview score (ability + noise); later performance (ability and
    other things); the top ``hires`` by score are hired and only their performance is seen. Returns the
    scores of everyone, the hires' performance, and the validity in the applicant pool (the truth)."""
    ability = rng.normal(0, 1, applicants)
    score = ability + rng.normal(0, noise, applicants)
    performance = 0.6 * ability + rng.normal(0, 0.8, applicants)
    hired = np.argsort(-score)[:hires]
    pool = {f"a{j}": float(score[j]) for j in range(applicants)}
    seen = {f"a{j}": float(performance[j]) for j in hired}
    return pool, seen, float(np.corrcoef(score, performance)[0, 1])


def test_thorndike_case_ii_and_fishers_interval() -> None:
    assert thorndike_ii(0.25, 1.0) == 0.25  # no restriction, no correction
    assert thorndike_ii(0.3, 2.0) == pytest.approx(0.6 / math.sqrt(1 + 0.09 * 3))  # 0.532
    assert thorndike_ii(0.0, 3.0) == 0.0 and thorndike_ii(-0.3, 2.0) == -thorndike_ii(0.3, 2.0)
    low, high = correlation_ci(0.5, 28)  # type: ignore[misc]
    half = 1.959964 / 5  # z / sqrt(n - 3)
    assert (low, high) == pytest.approx((math.tanh(math.atanh(0.5) - half), math.tanh(math.atanh(0.5) + half)))
    assert (round(low, 2), round(high, 2)) == (0.16, 0.74)
    assert correlation_ci(0.5, 3) is None


def test_the_corrected_estimate_recovers_the_truth_and_the_raw_one_is_attenuated() -> None:
    """200 hiring rounds of 2,000 applicants, the top 10% hired: the true validity in the applicant pool is
    0.48; among hires the raw correlation averages 0.22 while the corrected one averages 0.47 (case II's
    small downward bias), and its 95% interval holds the truth in 95% of rounds (docs/calibration.md)."""
    rng = np.random.default_rng(1949)
    truth, raw, corrected, covered = [], [], [], 0
    for _ in range(200):
        pool, seen, true_r = hiring_round(rng)
        v = validity(pool, seen)
        assert v.n == 200 and v.n_pool == 2000 and v.u is not None and v.u > 1.5
        truth.append(true_r)
        raw.append(v.r)
        corrected.append(v.corrected)
        covered += v.corrected_ci[0] <= true_r <= v.corrected_ci[1]  # type: ignore[index]
    assert np.mean(truth) == pytest.approx(0.48, abs=0.01)
    assert np.mean(raw) < 0.6 * np.mean(truth)  # attenuated: about 0.22
    assert np.mean(corrected) == pytest.approx(np.mean(truth), abs=0.025)
    assert np.mean(np.abs(np.array(corrected) - truth)) < 0.1
    assert 0.90 <= covered / 200 <= 0.99


def test_validity_says_what_it_means_in_words() -> None:
    rng = np.random.default_rng(8)
    pool, seen, _ = hiring_round(rng, hires=400)
    strong = validity(pool, seen)
    assert strong.words.startswith("The interview score predicts performance: corrected r 0.")
    assert "relation; raw r 0." in strong.words and "among 400 hires" in strong.words
    few = dict(list(seen.items())[:14])
    assert validity(pool, few).words.startswith("n = 14: too few to say (corrected r ")
    assert f"at least {MIN_HIRES} hires" in validity(pool, few).words
    noise = {c: float(rng.normal()) for c in seen}
    assert validity(pool, noise).words.startswith("No clear relation between the interview score and performance")
    two = dict(list(seen.items())[:2])
    lonely = validity(pool, two)
    assert lonely.r is None and lonely.words == "n = 2: 2 hires with a score and an outcome: at least 3 are needed."
    same = validity(pool, dict.fromkeys(seen, 3.0))
    assert same.r is None and "every hire has the same outcome" in same.words
