"""The calibration dashboard's data: filters, the not-enough-data explanation, leniency, drift, questions."""

from __future__ import annotations

import random
from datetime import date, timedelta
from pathlib import Path

import pytest

from interviewkit.bank.loader import load_settings
from interviewkit.paths import shipped_bank_dir
from interviewkit.services.access import LOCAL_ADMIN
from interviewkit.services.calibration import import_ratings_csv
from interviewkit.services.calibration_dashboard import DashboardFilters, band_level, dashboard

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
    d = dashboard(bank_db, SETTINGS, viewer=LOCAL_ADMIN)
    assert not d.enough and d.n_ratings == 0
    assert "at least two interviewers" in d.why_not and "scorecards import" in d.why_not


def test_one_interviewer_is_not_enough(bank_db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "solo.csv"
    path.write_text("candidate,interviewer,competency,score\nc1,ann,model-serving,3\nc2,ann,model-serving,2\n")
    import_ratings_csv(bank_db, path, SETTINGS, by=LOCAL_ADMIN)
    d = dashboard(bank_db, SETTINGS, viewer=LOCAL_ADMIN)
    assert not d.enough and "2 ratings from 1 interviewer on 2 candidates" in d.why_not


def test_the_lenient_interviewer_stands_out(bank_db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    import_ratings_csv(bank_db, history_csv(tmp_path), SETTINGS, by=LOCAL_ADMIN)
    d = dashboard(bank_db, SETTINGS, viewer=LOCAL_ADMIN)
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
    ann = dashboard(bank_db, SETTINGS, DashboardFilters(interviewer="ann"), viewer=LOCAL_ADMIN)
    assert ann.focus == "ann" and ann.drift is not None and ann.drift.interviewer == "ann"
    assert ann.drift.line is not None and ann.drift.slope_per_30_days is not None


def test_filters_narrow_the_data(bank_db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    import_ratings_csv(bank_db, history_csv(tmp_path), SETTINGS, by=LOCAL_ADMIN)
    everything = dashboard(bank_db, SETTINGS, viewer=LOCAL_ADMIN)
    one = dashboard(bank_db, SETTINGS, DashboardFilters(competency="model-serving"), viewer=LOCAL_ADMIN)
    assert one.n_ratings * 2 == everything.n_ratings
    assert [a.competency for a in one.agreement] == ["model-serving"]
    assert "competency Model deployment and serving" in one.subject
    spring = dashboard(bank_db, SETTINGS, DashboardFilters(since=date(2026, 3, 1)), viewer=LOCAL_ADMIN)
    assert 0 < spring.n_candidates < everything.n_candidates
    assert "interviews from 2026-03-01 to today" in spring.subject
    nothing = dashboard(bank_db, SETTINGS, DashboardFilters(until=date(2025, 1, 1)), viewer=LOCAL_ADMIN)
    assert not nothing.enough and "No submitted rating matches these filters" in nothing.why_not


def test_demo_data_has_question_analytics_and_openings(shipped_db) -> None:  # type: ignore[no-untyped-def]
    from interviewkit.services.demo import create_demo
    from interviewkit.services.people import openings

    create_demo(shipped_db, shipped_bank_dir(), by=LOCAL_ADMIN)
    d = dashboard(shipped_db, SETTINGS, viewer=LOCAL_ADMIN)
    assert d.enough and d.questions and d.total_loops >= 3
    q = d.questions[0]
    assert q.times_asked >= q.loops >= 1 and q.title and 0 < q.loop_share <= 1
    assert q.exposed == (q.loop_share > 0.5)
    assert sum(n for _, n in d.pass_through.values()) >= 1
    [opening] = openings(shipped_db)
    assert (
        dashboard(shipped_db, SETTINGS, DashboardFilters(opening_id=opening.id), viewer=LOCAL_ADMIN).n_ratings
        == d.n_ratings
    )
    assert (
        dashboard(shipped_db, SETTINGS, DashboardFilters(opening_id=opening.id + 99), viewer=LOCAL_ADMIN).enough
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
    everything = dashboard(bank_db, SETTINGS, viewer=LOCAL_ADMIN)
    ann = next(p for p in people(bank_db, include_inactive=True) if p.name == "ann")
    with pytest.raises(PermissionDenied, match="inactive"):  # imported interviewers are inactive
        dashboard(bank_db, SETTINGS, viewer=ann.id)
    update_person(bank_db, ann.id, name=ann.name, email=ann.email, active=True, by=LOCAL_ADMIN)
    mine = dashboard(bank_db, SETTINGS, DashboardFilters(interviewer="bob"), viewer=ann.id)
    assert [r.interviewer for r in mine.leniency] == ["ann"] and mine.restricted_to == "ann"
    assert [d.interviewer for d in mine.distributions] == ["ann"] and mine.interviewers == ("ann",)
    assert mine.focus == "ann" and mine.drift is not None and mine.drift.interviewer == "ann"
    assert [t[0] for t in mine.trends] == ["ann"] and list(mine.pass_through) in ([], ["ann"])
    # Computed from the scorecards ann may read: the candidates she rated (all of their ratings), never
    # the ones she did not see; no colleague is named anywhere.
    rated_by_ann = {f"c{c}" for c in range(14) if (c + 3) % 5 != 0}
    assert mine.n_candidates == len(rated_by_ann) < everything.n_candidates
    shown = repr(mine)
    assert not any(name in shown for name in ("'bob'", "'cy'", "'dana'"))
    manager = create_person(bank_db, name="Hana Manager", email="hana@example.com", access_role="hiring_manager",
                            by=LOCAL_ADMIN).id
    assert len(dashboard(bank_db, SETTINGS, viewer=manager).leniency) == 4
    with pytest.raises(PermissionDenied, match="Nobody is signed in"):
        dashboard(bank_db, SETTINGS, viewer=None)


