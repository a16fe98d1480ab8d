"""Calibration benchmark: the whole calibration report over 100,000 synthetic ratings.

The ratings are what a busy hiring team accumulates: 5,000 candidates, each interviewed by 5 interviewers
drawn from a pool of 60, each interviewer rating the same 4 competencies, on the shipped 1-4 scale, over
a year. Scores come from a latent ability per candidate and competency (correlated across competencies,
as real ones are), plus the interviewer's leniency (most near 0, a few clearly lenient or harsh), plus
noise, rounded and clipped to the scale. The data are generated once per run with a fixed seed (untimed).

Timed: ``interviewkit.services.calibration_report.calibration_of_ratings(ratings)`` (the report
``interviewkit calibrate --ratings`` prints, and the same value the screen and the PDF show), i.e. for each
of the 4 competencies and the overall score Krippendorff's alpha (interval and ordinal), the Shrout & Fleiss
ICCs on a complete block, the REML variance components with intervals, and, once, interviewer leniency with
shrinkage and flags, adjusted candidate scores, rating distributions, halo profiles and drift (with the
busiest interviewer's points over time).
"""

from __future__ import annotations

import gc
import time
from datetime import UTC, datetime, timedelta

import numpy as np
from harness import Context, Report, benchmark, format_seconds, timing_row

from interviewkit.domain.calibration import Rating
from interviewkit.services.calibration_report import CalibrationReport, calibration_of_ratings

CALIBRATION_TARGET = 2.0  # seconds, the whole report over 100,000 ratings
CANDIDATES, POOL, PANEL, COMPETENCIES = 5_000, 60, 5, 4
SEED = 20240611


def synthetic_ratings(seed: int = SEED) -> tuple[list[Rating], np.ndarray]:
    """100,000 ratings (see the module docstring) and the interviewers' true leniency."""
    rng = np.random.default_rng(seed)
    leniency = rng.normal(0, 0.12, POOL)
    leniency[:3] = (0.6, -0.6, 0.45)  # three interviewers a calibration session should talk to
    shared = rng.normal(0, 0.7, (CANDIDATES, 1))
    ability = shared + rng.normal(0, 0.45, (CANDIDATES, COMPETENCIES))
    start = datetime(2025, 1, 6, 9, 0, tzinfo=UTC)
    day = rng.integers(0, 365, CANDIDATES)
    comps = [f"competency-{k + 1}" for k in range(COMPETENCIES)]
    people = [f"interviewer-{i:02d}" for i in range(POOL)]
    panels = np.array([rng.choice(POOL, PANEL, replace=False) for _ in range(CANDIDATES)])
    noise = rng.normal(0, 0.55, (CANDIDATES, PANEL, COMPETENCIES))
    scores = np.clip(np.rint(2.5 + ability[:, None, :] + leniency[panels][:, :, None] + noise), 1, 4)
    ratings = []
    for c in range(CANDIDATES):
        when = start + timedelta(days=int(day[c]))
        for p in range(PANEL):
            who = people[panels[c, p]]
            for k in range(COMPETENCIES):
                ratings.append(Rating(f"cand-{c:05d}", who, comps[k], float(scores[c, p, k]), when))
    return ratings, leniency


def _f(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


@benchmark(
    "calibration",
    "the whole calibration report over 100,000 ratings (5,000 candidates x 5 of 60 interviewers x 4 competencies)",
)
def calibration(ctx: Context) -> Report:
    started = time.perf_counter()
    ratings, leniency = synthetic_ratings()
    ctx.log(f"generated {len(ratings):,} ratings in {time.perf_counter() - started:.1f} s")
    calibration_of_ratings(ratings)  # warm-up: imports, first-call costs (untimed)
    samples: list[float] = []
    report: CalibrationReport | None = None
    for i in range(ctx.options.repeat):
        gc.collect()
        t0 = time.perf_counter()
        report = calibration_of_ratings(ratings)
        samples.append(time.perf_counter() - t0)
        ctx.log(f"calibration {i + 1}/{ctx.options.repeat}: {format_seconds(samples[-1])}")
    assert report is not None and report.overall is not None
    overall = report.overall
    vc = overall.variance
    flagged = [r.interviewer for r in report.flagged]
    truth = {f"interviewer-{i:02d}" for i in range(3)}
    margin = report.margin or 0.0
    centred = leniency - leniency.mean()
    beyond = sum(1 for f in flagged if abs(centred[int(f.rsplit("-", 1)[1])]) > margin)
    counts = (
        f"calibration: {report.n_ratings:,} ratings, {report.n_candidates:,} candidates, "
        f"{report.n_interviewers} interviewers, {len(report.competencies)} competencies"
    )
    low, high = vc.icc_absolute_ci or (None, None)
    agreement = (
        f"  overall: alpha interval {_f(overall.alpha)}, ICC absolute {_f(vc.icc_absolute)} [{_f(low)}, {_f(high)}] "
        f"({vc.band_absolute}), components c/i/e {_f(vc.candidate)}/{_f(vc.interviewer)}/{_f(vc.residual)}"
    )
    flags = (
        f"  flagged: {', '.join(flagged) or 'nobody'}; the 3 planted ones recovered: {len(truth & set(flagged))}; "
        f"flags whose true leniency is beyond the margin ({margin:.3f}): {beyond} of {len(flagged)}"
    )
    details = [counts, agreement, flags]
    return Report([timing_row("calibration: report, 100,000 ratings", samples, target=CALIBRATION_TARGET,
                              spread="minmax")], details)
