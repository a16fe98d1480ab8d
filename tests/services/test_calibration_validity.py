"""Predictive validity from ratings and outcome files: the whole path, on a simulated hiring history."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from interviewkit.cli import main
from interviewkit.services.calibration import ratings_from_csv
from interviewkit.services.calibration_report import calibration_of_ratings
from interviewkit.services.errors import ValidationFailed
from interviewkit.services.validity import latest_performance, outcomes_from_csv, validity_of_ratings


def history(tmp_path: Path, *, applicants: int = 2000, hires: int = 400, seed: int = 0) -> tuple[Path, Path, float]:
    """Applicants with a true ability, each rated 1-4 on two competencies by 3 of 10 interviewers (one
    lenient), asked one of two questions per competency in two stages; the top ``hires`` by overall score
    are hired, and their performance is reviewed twice (the later review counts). Returns the ratings file,
    the outcomes file, and the composite's validity among all applicants (the truth)."""
    rng = np.random.default_rng(seed)
    ability = rng.normal(0, 1, applicants)
    later = 3 + 0.6 * ability + rng.normal(0, 0.6, applicants)  # the later review's performance
    lines = ["candidate,interviewer,competency,score,question,stage"]
    overall = np.zeros(applicants)
    for c in range(applicants):
        panel = rng.choice(10, 3, replace=False)
        scores = []
        for stage, comp in enumerate(("serving", "design")):
            question = f"{comp}-{rng.integers(2)}"
            for i in panel:
                raw = 2.5 + 0.6 * ability[c] + (0.5 if i == 0 else 0.0) + rng.normal(0, 0.6)
                score = int(np.clip(np.rint(raw), 1, 4))
                scores.append(score)
                lines.append(f"a{c},i{i},{comp},{score},{question},stage {stage + 1}")
        overall[c] = np.mean(scores)
    hired = np.argsort(-overall, kind="stable")[:hires]
    outcomes = ["candidate,date,performance,left,regretted,promoted"]
    for c in hired:
        outcomes.append(f"a{c},2026-06-30,{3 + rng.normal(0, 1):.2f},no,,no")
        outcomes.append(f"a{c},2026-12-31,{later[c]:.2f},no,,")
    ratings = tmp_path / "ratings.csv"
    ratings.write_text("\n".join(lines) + "\n", encoding="utf-8")
    results = tmp_path / "outcomes.csv"
    results.write_text("\n".join(outcomes) + "\n", encoding="utf-8")
    return ratings, results, float(np.corrcoef(overall, later)[0, 1])


def test_the_composite_validity_corrected_for_hiring_recovers_the_applicant_pools(tmp_path: Path) -> None:
    ratings_path, outcomes_path, truth = history(tmp_path)
    report = validity_of_ratings(ratings_from_csv(ratings_path), outcomes_from_csv(outcomes_path))
    assert report.n_hires == 400 and report.n_candidates == 2000
    composite = report.composite
    assert composite is not None and composite.validity.n == 400
    v = composite.validity
    assert v.r is not None and v.corrected is not None and v.corrected_ci is not None
    # Truth 0.64 among all applicants; raw 0.32 among hires; corrected 0.66 (docs/calibration.md: on a 1-4
    # scale case II over-corrects a little, as hires pile up at the top of the scale).
    assert v.r < truth - 0.25  # attenuated among hires
    assert v.corrected_ci[0] < truth < v.corrected_ci[1] and v.corrected == pytest.approx(truth, abs=0.05)
    assert composite.words.startswith("The overall interview score predicts performance: corrected r ")
    kinds = {(r.kind, r.label) for r in report.rows}
    assert {("competency", "serving"), ("competency", "design"), ("stage", "stage 1")} <= kinds
    assert {("question", "serving-0"), ("interviewer", "i0")} <= kinds
    assert all(r.words for r in report.rows) and "Thorndike" in report.note


def test_variant_groups_pool_their_questions(tmp_path: Path) -> None:
    ratings_path, outcomes_path, _ = history(tmp_path)
    report = validity_of_ratings(
        ratings_from_csv(ratings_path), outcomes_from_csv(outcomes_path),
        variant_of={"serving-1": "serving-0", "design-1": "design-0"},
    )
    groups = {r.label: r.validity.n for r in report.rows if r.kind == "variant group"}
    questions = {r.label: r.validity.n for r in report.rows if r.kind == "question"}
    assert set(groups) == {"serving-0", "design-0"} and groups["serving-0"] == 400
    assert questions["serving-0"] + questions["serving-1"] == 400


def test_outcome_files_are_checked_row_by_row(tmp_path: Path) -> None:
    path = tmp_path / "o.csv"
    path.write_text(
        "candidate,date,performance,left\na1,2026-06-30,3.5,no\n,2026-06-30,3,\na2,30/06/2026,3,\n"
        "a3,2026-06-30,great,\na4,2026-06-30,3,maybe\na1,2026-06-30,4,no\n",
        encoding="utf-8",
    )
    with pytest.raises(ValidationFailed) as caught:
        outcomes_from_csv(path)
    assert caught.value.problems == [
        "row 3: empty candidate",
        "row 4: date '30/06/2026' is not a date (YYYY-MM-DD)",
        "row 5: performance 'great' is not a number",
        "row 6: left 'maybe' is not yes or no",
        "row 7: candidate 'a1' on 2026-06-30 already given in row 2",
    ]
    path.write_text("candidate,performance\na1,3\n", encoding="utf-8")
    with pytest.raises(ValidationFailed, match="missing column"):
        outcomes_from_csv(path)
    path.write_text("candidate,date,performance\na1,2026-01-01,2\na1,2026-06-01,\na1,2025-01-01,4\n", encoding="utf-8")
    assert latest_performance(outcomes_from_csv(path)) == {"a1": 2.0}


def test_calibrate_prints_the_validity(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ratings_path, outcomes_path, _ = history(tmp_path)
    assert main(["calibrate", "--ratings", str(ratings_path), "--outcomes", str(outcomes_path), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)["validity"]
    assert data["n_hires"] == 400 and data["predictors"][0]["kind"] == "composite"
    report = calibration_of_ratings(ratings_from_csv(ratings_path), outcomes=outcomes_from_csv(outcomes_path))
    assert data["predictors"][0]["words"] == report.validity.composite.words  # type: ignore[union-attr]
    assert main(["calibrate", "--ratings", str(ratings_path), "--outcomes", str(outcomes_path)]) == 0
    out = capsys.readouterr().out
    assert "Predictive validity: 400 hires with a performance rating, 2000 candidates scored." in out
    assert "composite overall score: The overall interview score predicts performance" in out
    assert main(["--db", str(tmp_path / "x.sqlite"), "calibrate", "--outcomes", str(outcomes_path)]) == 2
    assert "--outcomes goes with --ratings" in capsys.readouterr().err
