"""``interviewkit calibrate`` and ``interviewkit scorecards import``: JSON shape, summary, exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from interviewkit.cli import main

BLOCK_KEYS = {
    "n_candidates",
    "n_interviewers",
    "n_ratings",
    "alpha_interval",
    "alpha_ordinal",
    "icc",
    "variance_components",
}
ICC_KEYS = {"ICC1", "ICC2", "ICC3", "ICC1k", "ICC2k", "ICC3k"}
VC_KEYS = {"candidate", "interviewer", "residual", "icc_absolute", "icc_consistency"}
INTERVIEWER_KEYS = {"id", "n", "effect", "se", "shrunk_effect", "flag"}


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def panel_csv(path: Path, *, seed: int = 3, groups: int = 1) -> Path:
    """120 candidates per group, each rated by 3 of 8 interviewers on two competencies; 'i0' is lenient."""
    rng = np.random.default_rng(seed)
    lines = ["candidate,interviewer,competency,score"]
    for g in range(groups):
        for c in range(120):
            ability = rng.normal(0, 0.8)
            for i in rng.choice(8, 3, replace=False):
                lenient = 1.0 if i == 0 else 0.0
                for comp in ("model-serving", "ml-system-design"):
                    score = np.clip(np.round(2.5 + ability + lenient + rng.normal(0, 0.5)), 1, 4)
                    lines.append(f"g{g}c{c},g{g}i{i},{comp},{int(score)}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_calibrate_json_has_the_documented_shape(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, err = run(capsys, "calibrate", "--ratings", str(panel_csv(tmp_path / "r.csv")), "--json")
    assert code == 0 and err == ""
    report = json.loads(out)
    assert set(report["competencies"]) == {"model-serving", "ml-system-design"}
    for block in [*report["competencies"].values(), report["overall"]]:
        assert set(block) >= BLOCK_KEYS
        assert set(block["icc"]) == ICC_KEYS
        assert set(block["variance_components"]) >= VC_KEYS
        assert all(v is None or isinstance(v, float) for v in block["icc"].values())
    assert len(report["interviewers"]) == 8
    for entry in report["interviewers"]:
        assert set(entry) >= INTERVIEWER_KEYS
        assert isinstance(entry["flag"], bool)
    assert report["interviewers"][0]["id"] == "g0i0" and report["interviewers"][0]["flag"]  # flagged first
    assert report["overall"]["n_ratings"] == 360 and report["n_ratings"] == 720


def test_calibrate_summary(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, _ = run(capsys, "calibrate", "--ratings", str(panel_csv(tmp_path / "r.csv")))
    assert code == 0
    assert "Calibration of 720 ratings" in out and "120 candidates, 8 interviewers, 2 competencies" in out
    lines = out.splitlines()
    serving = next(line for line in lines if line.startswith("model-serving"))
    assert " 360 " in serving and any(band in serving for band in ("poor", "moderate", "good", "excellent"))
    assert any(line.startswith("overall") for line in lines)
    assert "g0i0: n=" in out and "more lenient than colleagues" in out
    assert "not all connected" not in out


def test_calibrate_says_when_interviewers_are_not_connected(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, _ = run(capsys, "calibrate", "--ratings", str(panel_csv(tmp_path / "r.csv", groups=2)))
    assert code == 0
    assert "The interviewers are not all connected: they form 2 groups that share no candidates" in out
    code, out, _ = run(capsys, "calibrate", "--ratings", str(tmp_path / "r.csv"), "--json")
    report = json.loads(out)
    assert report["connectivity"]["components"] == 2 and not report["connectivity"]["connected"]
    assert {i["component"] for i in report["interviewers"]} == {0, 1}


def test_calibrate_bad_input_exits_2(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("candidate,interviewer,competency,score\nc1,a,k,3\nc1,b,k,lots\n", encoding="utf-8")
    code, out, err = run(capsys, "calibrate", "--ratings", str(bad))
    assert code == 2 and out == ""
    assert err == "interviewkit: error: row 3: score 'lots' is not a number\n"
    code, _, err = run(capsys, "calibrate", "--ratings", str(tmp_path / "none.csv"))
    assert code == 2 and "no such file" in err
    header_only = tmp_path / "empty.csv"
    header_only.write_text("candidate,interviewer,competency,score\n", encoding="utf-8")
    code, _, err = run(capsys, "calibrate", "--ratings", str(header_only))
    assert code == 2 and "no ratings to calibrate" in err
    code, _, err = run(capsys, "calibrate", "--ratings", str(bad), "--since", "2025-01-01")
    assert code == 2 and "not with --ratings" in err


def test_calibrate_an_empty_database_exits_2(capsys: pytest.CaptureFixture[str], db_url: str) -> None:
    code, _, err = run(capsys, "--db", db_url, "calibrate")
    assert code == 2 and "no ratings to calibrate" in err
    code, _, err = run(capsys, "--db", db_url, "calibrate", "--since", "last week")
    assert code == 2 and "--since 'last week' is not a date" in err


def test_import_history_then_calibrate_from_the_database(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                                         db_url: str) -> None:
    db = db_url
    csv = str(panel_csv(tmp_path / "r.csv"))
    code, out, _ = run(capsys, "--db", db, "scorecards", "import", csv)
    assert code == 0 and out.startswith(
        "Imported 720 ratings from r.csv: 360 scorecards, 120 new candidates, 8 new interviewers"
    )
    code, out, _ = run(capsys, "--db", db, "scorecards", "import", csv, "--json")
    assert code == 0 and json.loads(out)["already_imported"] == 360 and json.loads(out)["scorecards_added"] == 0

    code, out, _ = run(capsys, "--db", db, "calibrate", "--json")
    assert code == 0
    from_db = json.loads(out)
    code, out, _ = run(capsys, "calibrate", "--ratings", csv, "--json")
    from_csv = json.loads(out)
    assert from_db["overall"]["variance_components"]["icc_absolute"] == pytest.approx(
        from_csv["overall"]["variance_components"]["icc_absolute"]
    )
    assert from_db["pass_through"]["panel"]["n"] == 0 and from_db["questions"] == []


def test_scorecards_import_rejects_unknown_values_with_row_numbers(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                                                  db_url: str) -> None:
    db = db_url
    bad = tmp_path / "bad.csv"
    bad.write_text("candidate,interviewer,competency,score\nc1,a,model-serving,7\nc1,b,telepathy,2\n", encoding="utf-8")
    code, out, err = run(capsys, "--db", db, "scorecards", "import", str(bad))
    assert code == 2 and out == ""
    assert "row 2: score 7 is not on the bank's scale (1-4, whole numbers)" in err
    assert "row 3: unknown competency 'telepathy'" in err
