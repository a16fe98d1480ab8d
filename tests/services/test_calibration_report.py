"""The calibration report: filters, the not-enough-data explanation, leniency, drift, questions, who sees what,
and one result for the command line (text and JSON), the screen and the PDF."""

from __future__ import annotations

import json
import random
from datetime import date, timedelta
from pathlib import Path

import pytest

from interviewkit.bank.loader import load_settings
from interviewkit.cli import main
from interviewkit.paths import shipped_bank_dir
from interviewkit.services.access import LOCAL_ADMIN
from interviewkit.services.calibration import import_ratings_csv, ratings_from_csv
from interviewkit.services.calibration_json import report_json
from interviewkit.services.calibration_report import (
    CalibrationFilters,
    band_level,
    calibration_of_ratings,
    calibration_report,
)

SETTINGS = load_settings(shipped_bank_dir())


def history_csv(tmp_path: Path, *, candidates: int = 14, lenient: str = "dana", seed: int = 3) -> Path:
    """Four interviewers who each see most candidates; ``lenient`` scores one point higher."""
    rng = random.Random(seed)
    rows = ["candidate,interviewer,competency,score,date"]
    start = date(2026, 1, 5)
    for c in range(candidates):
        ability = rng.choice([1, 2, 2, 3, 3, 4])
        day = start + timedelta(days=7 * c)
        for who in ("ann", "bob", "cy", "dana"):
            if (c + len(who)) % 5 == 0:
                continue  # an incomplete design, as in real life
            for comp in ("model-serving", "ml-system-design"):
                score = ability + (1 if who == lenient else 0) + rng.choice([0, 0, 0, -1, 1])
                rows.append(f"c{c},{who},{comp},{max(1, min(4, score))},{day.isoformat()}")
    path = tmp_path / "history.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def test_an_empty_database_explains_itself(bank_db) -> None:  # type: ignore[no-untyped-def]
    d = calibration_report(bank_db, SETTINGS, viewer=LOCAL_ADMIN)
    assert not d.enough and d.n_ratings == 0
    assert "at least two interviewers" in d.why_not and "scorecards import" in d.why_not


def test_one_interviewer_is_not_enough(bank_db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "solo.csv"
    path.write_text("candidate,interviewer,competency,score\nc1,ann,model-serving,3\nc2,ann,model-serving,2\n")
    import_ratings_csv(bank_db, path, SETTINGS, by=LOCAL_ADMIN)
    d = calibration_report(bank_db, SETTINGS, viewer=LOCAL_ADMIN)
    assert not d.enough and "2 ratings from 1 interviewer on 2 candidates" in d.why_not


def test_the_lenient_interviewer_stands_out(bank_db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    import_ratings_csv(bank_db, history_csv(tmp_path), SETTINGS, by=LOCAL_ADMIN)
    d = calibration_report(bank_db, SETTINGS, viewer=LOCAL_ADMIN)
    assert d.enough and d.connected and d.n_interviewers == 4 and d.levels == (1, 2, 3, 4)
    top = max(d.leniency, key=lambda r: r.shrunk or 0.0)
    assert top.interviewer == "dana" and top.low is not None and top.low > 0
    assert all(r.low is not None and r.high is not None and r.low <= (r.shrunk or 0) <= r.high for r in d.leniency)
    assert d.pool is not None and abs(sum(d.pool.shares) - 1) < 1e-9
    dana = next(x for x in d.distributions if x.interviewer == "dana")
    assert dana.mean is not None and d.pool.mean is not None and dana.mean > d.pool.mean
    assert {a.competency for a in d.agreement} == {"model-serving", "ml-system-design"}
    assert d.overall is not None and d.overall.icc is not None and d.overall.band != ""
    # The busiest interviewer's drift by default; the filter picks another.
    assert d.focus in d.interviewers and d.drift is not None and len(d.drift.points) >= 3
    ann = calibration_report(bank_db, SETTINGS, CalibrationFilters(interviewer="ann"), viewer=LOCAL_ADMIN)
    assert ann.focus == "ann" and ann.drift is not None and ann.drift.interviewer == "ann"
    assert ann.drift.line is not None and ann.drift.slope_per_30_days is not None


def test_filters_narrow_the_data(bank_db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    import_ratings_csv(bank_db, history_csv(tmp_path), SETTINGS, by=LOCAL_ADMIN)
    everything = calibration_report(bank_db, SETTINGS, viewer=LOCAL_ADMIN)
    one = calibration_report(bank_db, SETTINGS, CalibrationFilters(competency="model-serving"), viewer=LOCAL_ADMIN)
    assert one.n_ratings * 2 == everything.n_ratings
    assert [a.competency for a in one.agreement] == ["model-serving"]
    assert "competency Model deployment and serving" in one.subject
    spring = calibration_report(bank_db, SETTINGS, CalibrationFilters(since=date(2026, 3, 1)), viewer=LOCAL_ADMIN)
    assert 0 < spring.n_candidates < everything.n_candidates
    assert "interviews from 2026-03-01 to today" in spring.subject
    nothing = calibration_report(bank_db, SETTINGS, CalibrationFilters(until=date(2025, 1, 1)), viewer=LOCAL_ADMIN)
    assert not nothing.enough and "No submitted rating matches these filters" in nothing.why_not


def test_demo_data_has_question_analytics_and_openings(shipped_db) -> None:  # type: ignore[no-untyped-def]
    from interviewkit.services.demo import create_demo
    from interviewkit.services.people import openings

    create_demo(shipped_db, shipped_bank_dir(), by=LOCAL_ADMIN)
    d = calibration_report(shipped_db, SETTINGS, viewer=LOCAL_ADMIN)
    assert d.enough and d.questions and d.total_loops >= 3
    q = d.questions[0]
    assert q.times_asked >= q.loops >= 1 and q.title and 0 < q.loop_share <= 1
    assert q.exposed == (q.loop_share > 0.5)
    assert d.pass_through is not None and d.pass_through.panel.n >= 1
    first, second = openings(shipped_db)  # the demo's round and its earlier candidates: the ratings split
    per_opening = [
        calibration_report(shipped_db, SETTINGS, CalibrationFilters(opening_id=o.id), viewer=LOCAL_ADMIN).n_ratings
        for o in (first, second)
    ]
    assert all(per_opening) and sum(per_opening) == d.n_ratings
    assert (
        calibration_report(
            shipped_db, SETTINGS, CalibrationFilters(opening_id=first.id + second.id + 99), viewer=LOCAL_ADMIN
        ).enough
        is False
    )


def test_band_level() -> None:
    assert (
        band_level("poor to good") == "poor" and band_level("excellent") == "excellent" and band_level("") == "unknown"
    )


def test_an_interviewer_gets_only_their_own_rows(bank_db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from interviewkit.services.errors import PermissionDenied
    from interviewkit.services.people import create_person, people, update_person

    import_ratings_csv(bank_db, history_csv(tmp_path), SETTINGS, by=LOCAL_ADMIN)
    everything = calibration_report(bank_db, SETTINGS, viewer=LOCAL_ADMIN)
    ann = next(p for p in people(bank_db, include_inactive=True) if p.name == "ann")
    with pytest.raises(PermissionDenied, match="inactive"):  # imported interviewers are inactive
        calibration_report(bank_db, SETTINGS, viewer=ann.id)
    update_person(bank_db, ann.id, name=ann.name, email=ann.email, active=True, by=LOCAL_ADMIN)
    mine = calibration_report(bank_db, SETTINGS, CalibrationFilters(interviewer="bob"), viewer=ann.id)
    assert [r.interviewer for r in mine.leniency] == ["ann"] and mine.restricted_to == "ann"
    assert [d.interviewer for d in mine.distributions] == ["ann"] and mine.interviewers == ("ann",)
    assert mine.focus == "ann" and mine.drift is not None and mine.drift.interviewer == "ann"
    assert [t.interviewer for t in mine.trends] == ["ann"] and mine.pass_through is not None
    assert [p.interviewer for p in mine.pass_through.interviewers] in ([], ["ann"])
    # Computed from the scorecards ann may read: the candidates she rated (all of their ratings), never
    # the ones she did not see; no colleague is named anywhere.
    rated_by_ann = {f"c{c}" for c in range(14) if (c + 3) % 5 != 0}
    assert mine.n_candidates == len(rated_by_ann) < everything.n_candidates
    shown = repr(mine)
    assert not any(name in shown for name in ("'bob'", "'cy'", "'dana'"))
    manager = create_person(
        bank_db, name="Hana Manager", email="hana@example.com", access_role="hiring_manager", by=LOCAL_ADMIN
    ).id
    assert len(calibration_report(bank_db, SETTINGS, viewer=manager).leniency) == 4
    with pytest.raises(PermissionDenied, match="Nobody is signed in"):
        calibration_report(bank_db, SETTINGS, viewer=None)


def _cli(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    assert main(list(argv)) == 0
    return capsys.readouterr().out


def test_the_command_line_prints_the_same_report(bank_db, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    import_ratings_csv(bank_db, history_csv(tmp_path), SETTINGS, by=LOCAL_ADMIN)
    url = bank_db.url.render_as_string(hide_password=False)
    spring = calibration_report(bank_db, SETTINGS, CalibrationFilters(since=date(2026, 2, 1)), viewer=LOCAL_ADMIN)
    printed = json.loads(_cli(capsys, "--db", url, "calibrate", "--since", "2026-02-01", "--json"))
    assert printed == json.loads(json.dumps(report_json(spring)))
    assert printed["questions"] == [] and "restricted_to" not in printed
    report = calibration_report(bank_db, SETTINGS, viewer=LOCAL_ADMIN)
    text = _cli(capsys, "--db", url, "calibrate")
    assert f"Calibration of {report.n_ratings} ratings" in text
    assert [r.interviewer for r in report.flagged] == ["dana"] and "  dana: n=" in text
    overall = report.overall
    assert overall is not None and overall.low is not None and overall.high is not None
    assert f"{overall.icc:.2f} [{overall.low:.2f}, {overall.high:.2f}]" in text


def test_a_file_of_ratings_is_reported_whole(tmp_path: Path) -> None:
    ratings = ratings_from_csv(history_csv(tmp_path))
    report = calibration_of_ratings(ratings)
    assert report.enough and report.restricted_to is None and report.questions is None and report.pass_through is None
    assert {r.interviewer for r in report.leniency} == {"ann", "bob", "cy", "dana"}
    data = report_json(report)
    assert "pass_through" not in data and "questions" not in data and data["n_ratings"] == len(ratings)


def test_an_interviewer_reads_only_their_own_rows_in_every_output(bank_db, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    from interviewkit.services.people import people, update_person

    import_ratings_csv(bank_db, history_csv(tmp_path), SETTINGS, by=LOCAL_ADMIN)
    ann = next(p for p in people(bank_db, include_inactive=True) if p.name == "ann")
    update_person(bank_db, ann.id, name=ann.name, email=ann.email, active=True, by=LOCAL_ADMIN)
    mine = calibration_report(bank_db, SETTINGS, viewer=ann.id)
    assert [r.interviewer for r in mine.leniency] == ["ann"] and [h.interviewer for h in mine.halo] == ["ann"]
    blocks = [*mine.competencies, mine.overall]
    assert all(a is not None and (a.block is None or a.block.interviewers == ()) for a in blocks)
    url = bank_db.url.render_as_string(hide_password=False)
    printed = json.loads(_cli(capsys, "--db", url, "--as", str(ann.id), "calibrate", "--json"))
    assert printed == json.loads(json.dumps(report_json(mine)))
    assert [i["id"] for i in printed["interviewers"]] == ["ann"] and printed["restricted_to"] == ["ann"]
    assert {p["id"] for p in printed["pass_through"]["interviewers"]} <= {"ann"}
    assert all(not (b["icc_block"] or {}).get("interviewers") for b in [*printed["competencies"].values()])
    assert not any(name in json.dumps(printed) for name in ('"bob"', '"cy"', '"dana"'))


def test_the_drift_points_are_the_ones_the_slope_was_fitted_to() -> None:
    """Before: the points averaged every raw rating while the slope averaged the competencies' means, so a
    competency rated twice put the points off the line (issue 18)."""
    from datetime import UTC, datetime

    from interviewkit.domain.calibration import Rating

    rng = random.Random(18)
    ratings = []
    for c in range(12):
        when = datetime(2026, 1, 5, tzinfo=UTC) + timedelta(days=9 * c)
        ability = rng.choice([1, 2, 3])
        for who in ("ann", "bob"):
            ratings += [Rating(f"c{c}", who, k, float(ability + rng.choice([0, 1])), when) for k in ("a", "b")]
        # eve rates competency a twice (two stages), b once, drifting upwards over time.
        up = min(4, ability + c // 4)
        ratings += [Rating(f"c{c}", "eve", "a", float(up), when), Rating(f"c{c}", "eve", "a", 1.0, when)]
        ratings.append(Rating(f"c{c}", "eve", "b", float(min(4, up + 1)), when))
    report = calibration_of_ratings(ratings, scale=(1, 2, 3, 4))
    trend = next(t for t in report.trends if t.interviewer == "eve")
    series = report.drift  # the busiest interviewer's: eve's
    assert series is not None and series.interviewer == "eve" and len(series.points) == 12
    days = [p[0].timestamp() / (30 * 86400) for p in series.points]
    values = [p[1] for p in series.points]
    mean_t, mean_v = sum(days) / len(days), sum(values) / len(values)
    slope = sum((t - mean_t) * (v - mean_v) for t, v in zip(days, values)) / sum((t - mean_t) ** 2 for t in days)
    assert slope == pytest.approx(trend.slope_per_30_days, abs=1e-9) == series.slope_per_30_days
    (_, y0), (_, y1) = series.line  # type: ignore[misc]
    at_mean = y0 + (y1 - y0) * (mean_t - days[0]) / (days[-1] - days[0])
    assert at_mean == pytest.approx(mean_v, abs=1e-9)


def test_the_loop_planner_gets_each_competencys_reliability(bank_db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """The D-study of issue 18, point 2: reliability for 1 to 5 interviewers from the history, the neutral
    prior (in words) for a competency never rated."""
    from interviewkit.services.bank_queries import competencies
    from interviewkit.services.reliability import competency_reliability

    import_ratings_csv(bank_db, history_csv(tmp_path), SETTINGS, by=LOCAL_ADMIN)
    never = next(c for c in competencies(bank_db) if c.id not in {"model-serving", "ml-system-design"})
    curves = competency_reliability(bank_db, by=LOCAL_ADMIN, competencies=[never.id])
    serving = curves["model-serving"]
    assert serving.g.source == "history" and serving.g.n_candidates == 14 and serving.g.short
    values = [p.absolute for p in serving.points]
    assert [p.interviewers for p in serving.points] == [1, 2, 3, 4, 5] and values == sorted(values)
    report = calibration_report(bank_db, SETTINGS, viewer=LOCAL_ADMIN)
    shown = next(a for a in report.competencies if a.competency == "model-serving")
    assert shown.variance.icc_absolute == pytest.approx(values[0])  # one interviewer: the ICC itself
    assert serving.at(2).absolute == pytest.approx(2 * values[0] / (1 + values[0]))
    assert serving.words(1).startswith(f"Model deployment and serving: 1 interviewer, reliability {values[0]:.2f}")
    assert "a second interviewer raises it to" in serving.words(1) and "too few" in serving.words(1)
    prior = curves[never.id]
    assert prior.g.source == "prior" and prior.at(1).absolute == 0.5
    assert "neutral assumption, not a measurement" in prior.words(1)
    data = report_json(report)["d_study"]
    assert set(data["competencies"]) == {"model-serving", "ml-system-design"}
    entry = data["competencies"]["model-serving"]
    assert [p["n"] for p in entry["interviewers"]] == [1, 2, 3, 4, 5]
    assert entry["interviewers"][0]["absolute"] == pytest.approx(values[0]) and entry["source"] == "history"
    assert entry["words"] == serving.words(1)


def test_equal_leniencies_are_listed_by_name_whatever_the_rounding(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Two interviewers with the same effect (a symmetric design) came in an order decided by the last bit of
    their shrunk effects, which any change of arithmetic moved (the JSON and the PDF's forest plot swapped
    them); equal to 12 places they are listed by name."""
    from dataclasses import replace as with_

    import interviewkit.domain.calibration.summary as summary

    fit = summary.fit_leniency

    def one_ulp_apart(*args, **kwargs):  # type: ignore[no-untyped-def]
        result = fit(*args, **kwargs)
        bumped = tuple(
            with_(e, shrunk_effect=e.shrunk_effect * (1 + 2e-16)) if e.id == "dana" and e.shrunk_effect else e
            for e in result.interviewers
        )
        same = tuple(
            with_(e, shrunk_effect=next(x.shrunk_effect for x in result.interviewers if x.id == "dana"))
            if e.id == "cy" else e
            for e in bumped
        )
        return with_(result, interviewers=same)

    monkeypatch.setattr(summary, "fit_leniency", one_ulp_apart)
    report = calibration_of_ratings(ratings_from_csv(history_csv(tmp_path)))
    order = [r.interviewer for r in report.leniency]
    assert order.index("cy") + 1 == order.index("dana")
