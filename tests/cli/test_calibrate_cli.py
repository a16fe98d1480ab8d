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
    # a quote left open to the end of the file was read as a score "4\n" (a forged or truncated export)
    open_quote = tmp_path / "open.csv"
    open_quote.write_text('candidate,interviewer,competency,score\nc1,a,k,3\nc1,b,k,"4\n', encoding="utf-8")
    code, out, err = run(capsys, "calibrate", "--ratings", str(open_quote))
    assert code == 2 and out == ""
    assert err == "interviewkit: error: row 3: not valid CSV (unexpected end of data)\n"


def test_calibrate_names_lines_of_the_wrong_width_when_the_commas_add_up(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    bad = tmp_path / "width.csv"  # 6 commas for two rows of 4 fields, but 4 on one line and 2 on the other
    bad.write_text("candidate,interviewer,competency,score\nc1,a,k,3,9\nc1,b,k\n", encoding="utf-8")
    code, out, err = run(capsys, "calibrate", "--ratings", str(bad))
    assert code == 2 and out == ""
    assert err == (
        "interviewkit: error: row 2: 5 fields, the header has 4 (a stray comma?); row 3: 3 field(s), the header has 4\n"
    )


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


# --- issue 18, point 3: statistics that never mislead ---------------------------------------------------

BOUNDARY_CSV = (
    "candidate,interviewer,competency,score\nc0,i1,a,3\nc0,i2,a,3\nc0,i0,a,3\nc1,i0,a,3\nc1,i2,a,4\nc1,i1,a,3\n"
    "c2,i1,a,1\nc2,i2,a,1\nc3,i0,a,3\nc3,i2,a,3\nc3,i1,a,3\n"
)
ADDITIVE_CSV = (
    "candidate,interviewer,competency,score\nc1,i1,a,3\nc1,i2,a,4\nc2,i1,a,2\nc2,i2,a,3\nc3,i1,a,1\nc3,i2,a,2\n"
)


def _json_of(capsys: pytest.CaptureFixture[str], path: Path, *extra: str) -> dict:  # type: ignore[type-arg]
    code, out, err = run(capsys, "calibrate", "--ratings", str(path), "--json", *extra)
    assert code == 0 and err == ""
    return json.loads(out)  # type: ignore[no-any-return]


def test_the_issues_near_zero_interviewer_variance_csv_has_intervals(capsys: pytest.CaptureFixture[str],
                                                                     tmp_path: Path) -> None:
    path = tmp_path / "boundary.csv"
    path.write_text(BOUNDARY_CSV, encoding="utf-8")
    vc = _json_of(capsys, path)["competencies"]["a"]["variance_components"]
    assert vc["interviewer"] == 0.0 and vc["icc_absolute"] == pytest.approx(0.919, abs=1e-3)
    assert vc["icc_absolute_ci"] is not None and vc["icc_consistency_ci"] is not None  # were null
    assert vc["band_absolute"] == "moderate to excellent" and vc["ci_method"] == "profile likelihood"
    assert vc["candidate_se"] is not None and vc["residual_se"] is not None and vc["converged"]
    _, out, _ = run(capsys, "calibrate", "--ratings", str(path))
    assert "0.92 [0.59, 0.99]" in out and "interviewer variance is estimated at 0" in out


def test_the_issues_perfect_additive_fit_agrees_with_anova(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "additive.csv"
    path.write_text(ADDITIVE_CSV, encoding="utf-8")
    block = _json_of(capsys, path)["competencies"]["a"]
    vc = block["variance_components"]
    assert (vc["candidate"], vc["interviewer"], vc["residual"]) == pytest.approx((1.0, 0.5, 0.0))  # was 0.5/0.5
    assert vc["icc_absolute"] == pytest.approx(2 / 3) == block["icc"]["ICC2"]  # was 0.50 beside ICC2 0.667
    assert block["icc_method"]["source"].startswith("Shrout & Fleiss") and block["icc_block"].get("note") is None


def test_an_incomplete_design_heads_with_the_reml_coefficients(capsys: pytest.CaptureFixture[str],
                                                               tmp_path: Path) -> None:
    report = _json_of(capsys, panel_csv(tmp_path / "r.csv"))
    for block in [*report["competencies"].values(), report["overall"]]:
        vc = block["variance_components"]
        assert block["icc_method"]["source"].startswith("the REML variance components")
        assert block["icc"]["ICC2"] == vc["icc_absolute"] == block["icc"]["ICC1"]
        assert block["icc"]["ICC3"] == vc["icc_consistency"]
        k = block["icc_method"]["k"]
        assert k == pytest.approx(3.0)  # every candidate met 3 interviewers
        assert block["icc"]["ICC2k"] == pytest.approx(3 * vc["icc_absolute"] / (1 + 2 * vc["icc_absolute"]))
        # The largest complete block's Shrout & Fleiss values stay, labelled as a subset.
        assert "subset" in block["icc_block"]["note"] and set(block["icc_block"]["icc"]) == ICC_KEYS
        assert any("REML variance components" in note for note in block["notes"])
    # The D-study: each competency's reliability for 1 to 5 interviewers (issue 18, point 2).
    for comp, study in report["d_study"]["competencies"].items():
        one = report["competencies"][comp]["variance_components"]["icc_absolute"]
        assert [p["n"] for p in study["interviewers"]] == [1, 2, 3, 4, 5] and study["source"] == "history"
        assert [p["absolute"] for p in study["interviewers"]] == pytest.approx([n * one / (1 + (n - 1) * one)
                                                                              for n in range(1, 6)])
        assert study["by_questions"]["1"] == [p["absolute"] for p in study["interviewers"]]  # no question counts


def _changed(path: Path, changes: dict[int, str]) -> Path:
    """The CSV with the score of some rating rows (1 = the first after the header) replaced."""
    lines = path.read_text(encoding="utf-8").splitlines()
    for row, score in changes.items():
        fields = lines[row].split(",")
        lines[row] = ",".join([*fields[:3], score])
    out = path.with_name(f"changed-{path.name}")
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return out


def test_scores_off_the_scale_are_refused_with_their_rows(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """Before: 40, 0 and -3 were accepted without a word and moved alpha from 0.66 to -0.15."""
    bad = _changed(panel_csv(tmp_path / "r.csv"), {1: "40", 5: "0", 9: "-3"})
    code, out, err = run(capsys, "calibrate", "--ratings", str(bad))
    assert code == 2 and out == ""
    assert err.startswith("interviewkit: error: row 2: score 40 is not on the scale 1-4 (whole numbers)")
    assert "row 6: score 0 is not" in err and "row 10: score -3 is not" in err and "--scale MIN-MAX" in err
    assert err.count("\n") == 1  # one line
    code, _, err = run(capsys, "calibrate", "--ratings", str(bad), "--scale=-3-40")
    assert code == 0
    half = _changed(panel_csv(tmp_path / "r.csv"), {1: "2.5"})
    code, _, err = run(capsys, "calibrate", "--ratings", str(half))
    assert code == 2 and "score 2.5 is not on the scale 1-4 (whole numbers)" in err
    for scale in ("4-1", "one-four", "1-400"):
        code, out, err = run(capsys, "calibrate", "--ratings", str(half), "--scale", scale)
        assert code == 2 and out == "" and err.startswith("interviewkit: error: --scale: ")
    code, _, err = run(capsys, "--db", str(tmp_path / "x.sqlite"), "calibrate", "--scale", "1-5")
    assert code == 2 and "--scale and --duplicates check a --ratings file" in err


def test_repeated_rows_are_refused_or_reported(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """Before: repeated rows were taken silently (the REML ICC moved from 0.665 to 0.732) and conflicting
    ones averaged without a word."""
    path = panel_csv(tmp_path / "r.csv")
    lines = path.read_text(encoding="utf-8").splitlines()
    first, second = lines[1], lines[2]
    conflicting = ",".join([*second.split(",")[:3], "4" if second.endswith(",1") else "1"])
    doubled = tmp_path / "doubled.csv"
    doubled.write_text("\n".join([*lines, first, conflicting]) + "\n", encoding="utf-8")
    code, out, err = run(capsys, "calibrate", "--ratings", str(doubled))
    assert code == 2 and out == ""
    assert f"row {len(lines) + 1}: candidate '{first.split(',')[0]}'" in err and "already given in row 2" in err
    assert "already given in row 3" in err and "--duplicates report" in err
    code, out, _ = run(capsys, "calibrate", "--ratings", str(doubled), "--duplicates", "report")
    assert code == 0
    assert f"2 rows repeat a candidate, interviewer and competency of an earlier row (rows {len(lines) + 1}, " in out
    assert f"1 of them differ from the earlier score (row {len(lines) + 2})" in out
    report = _json_of(capsys, doubled, "--duplicates", "report")
    assert report["n_ratings"] == 722 and "kept as repeated ratings" in report["notes"][0]
    assert _json_of(capsys, path)["notes"] == []


@pytest.mark.parametrize(
    ("rows", "have"),
    [
        ("c1,ann,k,3\nc2,ann,k,2\nc3,ann,k,4\n", "3 ratings from 1 interviewer on 3 candidates"),
        ("c1,ann,k,3\nc1,bob,k,2\nc1,cy,k,4\n", "3 ratings from 3 interviewers on 1 candidate"),
    ],
)
def test_too_little_data_says_so_as_the_dashboard_does(capsys: pytest.CaptureFixture[str], tmp_path: Path, rows: str,
                                                        have: str) -> None:
    """Before: a single interviewer or candidate gave nulls and 'No interviewer is flagged' with no warning,
    while the dashboard refused; now both follow the report's one rule."""
    from interviewkit.services.calibration import ratings_from_csv
    from interviewkit.services.calibration_report import calibration_of_ratings

    path = tmp_path / "small.csv"
    path.write_text("candidate,interviewer,competency,score\n" + rows, encoding="utf-8")
    code, out, err = run(capsys, "calibrate", "--ratings", str(path))
    assert code == 0 and err == ""
    report = calibration_of_ratings(ratings_from_csv(path))
    assert not report.enough and have in report.why_not
    assert f"Not enough data for calibration. {report.why_not}" in out and "flagged" not in out
    data = _json_of(capsys, path)
    assert data["enough"] is False and data["why_not"] == report.why_not
    assert data["overall"] is None and data["competencies"] == {} and data["interviewers"] == []
