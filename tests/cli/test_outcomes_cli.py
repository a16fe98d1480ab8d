"""``interviewkit outcomes import|list`` and ``calibrate`` with the database's outcomes, on SQLite and PostgreSQL:
a simulated hiring history stored through the commands, whose corrected validity recovers the truth the
simulation knows while the raw correlation among hires is attenuated (issue 18)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from interviewkit.cli import main
from interviewkit.services import people
from interviewkit.services.access import LOCAL_ADMIN
from interviewkit.storage.db import open_database

COMPETENCIES = {"serving": "model-serving", "design": "ml-system-design"}


def simulated_history(folder: Path, *, applicants: int, hires: int, seed: int = 1) -> tuple[Path, list[int], float]:
    """As tests/services/test_calibration_validity.history: applicants with a true ability rated 1-4 on two
    competencies by 3 of 10 interviewers (one lenient); the top ``hires`` by overall score are hired and
    reviewed later. Returns the ratings file, the hires (applicant numbers) with their later performance
    written in ``later.npy``, and the composite's validity among all applicants (the truth)."""
    rng = np.random.default_rng(seed)
    ability = rng.normal(0, 1, applicants)
    later = 3 + 0.6 * ability + rng.normal(0, 0.6, applicants)
    lines = ["candidate,interviewer,competency,score"]
    overall = np.zeros(applicants)
    for c in range(applicants):
        scores = []
        for i in rng.choice(10, 3, replace=False):
            for comp in COMPETENCIES.values():
                raw = 2.5 + 0.6 * ability[c] + (0.5 if i == 0 else 0.0) + rng.normal(0, 0.6)
                score = int(np.clip(np.rint(raw), 1, 4))
                scores.append(score)
                lines.append(f"a{c},i{i},{comp},{score}")
        overall[c] = np.mean(scores)
    ratings = folder / "ratings.csv"
    ratings.write_text("\n".join(lines) + "\n", encoding="utf-8")
    hired = [int(c) for c in np.argsort(-overall, kind="stable")[:hires]]
    np.save(folder / "later.npy", later)
    return ratings, hired, float(np.corrcoef(overall, later)[0, 1])


def test_a_simulated_history_through_the_commands_recovers_the_true_validity(
    db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ratings, hired, truth = simulated_history(tmp_path, applicants=1000, hires=250)
    later = np.load(tmp_path / "later.npy")
    assert main(["--db", db_url, "scorecards", "import", str(ratings)]) == 0
    db = open_database(db_url)
    try:
        ids = {c.name: c.id for c in people.candidates(db, by=LOCAL_ADMIN)}
    finally:
        db.dispose()
    reviews = ["candidate,date,performance,left,regretted,promoted"]
    for c in hired:  # a first review on the company's 1-5 scale, then the one that counts
        reviews.append(f"{ids[f'a{c}']},2026-06-30,{np.clip(3 + np.random.default_rng(c).normal(0, 1), 1, 5):.2f},"
                       "no,,no")
        reviews.append(f"{ids[f'a{c}']},2026-12-31,{np.clip(later[c], 1, 5):.2f},no,,")
    outcomes_file = tmp_path / "outcomes.csv"
    outcomes_file.write_text("\n".join(reviews) + "\n", encoding="utf-8")
    capsys.readouterr()
    assert main(["--db", db_url, "outcomes", "import", str(outcomes_file)]) == 0
    assert capsys.readouterr().out == "Imported 500 outcomes of 250 hires from outcomes.csv.\n"
    assert main(["--db", db_url, "calibrate", "--json"]) == 0
    validity = json.loads(capsys.readouterr().out)["validity"]
    assert validity["n_hires"] == 250 and validity["n_candidates"] == 1000
    composite = validity["predictors"][0]
    assert composite["kind"] == "composite"
    raw, corrected = composite["r"], composite["corrected"]
    # Truth 0.64 among all applicants; raw 0.36 among hires; corrected 0.66 (docs/calibration.md).
    assert raw < truth - 0.2
    assert corrected == pytest.approx(truth, abs=0.07)
    assert composite["corrected_ci"][0] < truth < composite["corrected_ci"][1]
    assert main(["--db", db_url, "calibrate"]) == 0
    out = capsys.readouterr().out
    assert "Predictive validity: 250 hires with a performance rating, 1000 candidates scored." in out


def test_outcomes_import_refuses_a_bad_file_in_one_line_and_lists_what_is_recorded(
    make_db, tmp_path: Path, capsys: pytest.CaptureFixture[str]  # type: ignore[no-untyped-def]
) -> None:
    db_url = make_db("shipped", "shipped")
    db = open_database(db_url)
    try:
        opening = people.create_opening(db, title="ML EM", jd_ids=["ml-eng-manager-profile"], by=LOCAL_ADMIN).id
        cid = people.create_candidate(db, name="Priya N", opening_id=opening, email="priya@example.org",
                                      by=LOCAL_ADMIN).id
    finally:
        db.dispose()
    bad = tmp_path / "o.csv"
    bad.write_text(f"candidate,date,performance\n{cid},2027-06-30,4\nghost,2027-06-30,3\n{cid},2027-12-31,9\n",
                   encoding="utf-8")
    assert main(["--db", db_url, "outcomes", "import", str(bad)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == (
        "interviewkit: error: o.csv:3: unknown candidate 'ghost' (give the candidate's id or email); "
        "o.csv:4: performance 9 is outside the scale 1-5\n"
    )
    assert main(["--db", db_url, "outcomes", "list", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == []  # nothing was written
    assert main(["--db", db_url, "outcomes", "import", str(bad), "--scale", "5-1"]) == 2
    assert capsys.readouterr().err.startswith("interviewkit: error: --scale: '5-1': the lowest rating")
    good = tmp_path / "good.csv"
    good.write_text(f"candidate,date,performance,left\npriya@example.org,2027-06-30,4,no\n#{cid},2027-12-31,,yes\n",
                    encoding="utf-8")
    assert main(["--db", db_url, "outcomes", "import", str(good), "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == {"file": "good.csv", "added": 2, "candidates": 1, "scale": [1, 5]}
    assert main(["--db", db_url, "outcomes", "list"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        (f"#{cid} Priya N  2027-06-30  performance 4 (of 1-5)  left no  regretted -  promoted -  "
         "recorded by the local operator"),
        (f"#{cid} Priya N  2027-12-31  performance - (of 1-5)  left yes  regretted -  promoted -  "
         "recorded by the local operator"),
        "2 outcomes of 1 hire.",
    ]
    rows = (main(["--db", db_url, "outcomes", "list", "--json", "--candidate", str(cid)]), capsys.readouterr().out)
    assert rows[0] == 0 and [r["date"] for r in json.loads(rows[1])] == ["2027-06-30", "2027-12-31"]
    assert main(["--db", db_url, "calibrate", "--outcomes", str(good)]) == 2
    assert "--outcomes goes with --ratings: the database's outcomes" in capsys.readouterr().err
