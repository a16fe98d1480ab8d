"""Calibration's kept columns (services/rating_columns, issue 17 point 3): the same reports as the SQL readers,
on the demo and on a generated history, for the administrator and for an interviewer (who sees only her
own rows); read again after every write that can change them (a new rating, an amendment, an erasure), from
this connection or another one, never kept stale; not read again after a draft's autosave."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from dataclasses import fields, is_dataclass
from datetime import date, timedelta
from typing import Any, TypeVar

import numpy as np
import pytest
from sqlalchemy import func, select, text

from interviewkit.bank.loader import load_settings
from interviewkit.paths import shipped_bank_dir
from interviewkit.services import calibration, people, privacy, rating_columns, scorecards
from interviewkit.services.access import LOCAL_ADMIN, Actor
from interviewkit.services.calibration_report import CalibrationFilters, calibration_report
from interviewkit.services.demo import create_demo
from interviewkit.services.demo_large import create_large_demo
from interviewkit.storage.db import Database, open_database
from interviewkit.storage.views import calibration_rating, calibration_scorecard

SETTINGS = load_settings(shipped_bank_dir())
T = TypeVar("T")


@pytest.fixture
def demo(shipped_db: Database) -> Database:
    create_demo(shipped_db, shipped_bank_dir(), today=date(2025, 3, 12), by=LOCAL_ADMIN)
    return shipped_db


def _differences(a: Any, b: Any, path: str = "report") -> Iterator[str]:
    """Where two values differ; floats may differ in the last bits (sums taken in another order)."""
    if is_dataclass(a) and not isinstance(a, type):
        for f in fields(a):
            yield from _differences(getattr(a, f.name), getattr(b, f.name), f"{path}.{f.name}")
    elif isinstance(a, (tuple, list)) and isinstance(b, (tuple, list)):
        if len(a) != len(b):
            yield f"{path}: {len(a)} items against {len(b)}"
            return
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            yield from _differences(x, y, f"{path}[{i}]")
    elif isinstance(a, dict) and isinstance(b, dict):
        if a.keys() != b.keys():
            yield f"{path}: keys {sorted(a)} against {sorted(b)}"
            return
        for k in a:
            yield from _differences(a[k], b[k], f"{path}[{k!r}]")
    elif isinstance(a, float) and isinstance(b, float):
        if not (math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12) or (math.isnan(a) and math.isnan(b))):
            yield f"{path}: {a!r} against {b!r}"
    elif a != b:
        yield f"{path}: {a!r} against {b!r}"


def _cached_and_read(call: Callable[[], T]) -> tuple[T, T]:
    cached = call()
    with rating_columns.bypass():
        read = call()
    return cached, read


def _assert_same(call: Callable[[], Any]) -> Any:
    cached, read = _cached_and_read(call)
    found = list(_differences(read, cached))
    assert not found, found[:10]
    return cached


def _filters(db: Database) -> list[CalibrationFilters]:
    """No filter, the busiest opening, the last 90 days, one competency, the busiest interviewer (focus)."""
    v = calibration_scorecard
    with db.session() as s:
        opening = s.execute(select(v.c.opening_id).group_by(v.c.opening_id).order_by(func.count().desc())).first()
        competency = s.execute(select(calibration_rating.c.competency_id).limit(1)).scalar_one()
    whole = calibration_report(db, SETTINGS, viewer=LOCAL_ADMIN)
    busiest = max(whole.leniency, key=lambda r: r.n).interviewer if whole.leniency else None
    last = max(t for t in rating_columns.columns(db).times if t is not None)
    return [
        CalibrationFilters(),
        CalibrationFilters(opening_id=int(opening[0])) if opening else CalibrationFilters(),
        CalibrationFilters(since=(last - timedelta(days=90)).date(), until=last.date()),
        CalibrationFilters(competency=competency),
        CalibrationFilters(interviewer=busiest),
    ]


def _uses(found: tuple[list[Any], int]) -> tuple[list[tuple[Any, ...]], int]:
    """Question uses in one order (the SQL reader's is the database's), each use's scores sorted."""
    uses, loops = found
    return sorted((u.question, u.loop, sorted(u.scores), u.hired is None, bool(u.hired)) for u in uses), loops


def _readers_agree(db: Database, viewer: Actor, f: CalibrationFilters) -> None:
    period = {"opening_id": f.opening_id, "since": f.since, "until": f.until}
    _assert_same(lambda: list(calibration.ratings_from_db(db, by=viewer, competency=f.competency, **period)))
    _assert_same(lambda: sorted(calibration.pass_through_from_db(db, SETTINGS, by=viewer, **period)))
    _assert_same(lambda: _uses(calibration.question_uses_from_db(db, by=viewer, **period)))
    _assert_same(lambda: calibration_report(db, SETTINGS, f, viewer=viewer))


def test_the_demo_gives_the_same_report_kept_or_read(demo: Database) -> None:
    for f in _filters(demo):
        _readers_agree(demo, LOCAL_ADMIN, f)
    report = calibration_report(demo, SETTINGS, viewer=LOCAL_ADMIN)
    assert report.enough and report.questions


def test_a_generated_history_gives_the_same_report_to_an_admin_and_an_interviewer(shipped_db: Database) -> None:
    create_large_demo(shipped_db, SETTINGS, scale=0.004)
    v = calibration_scorecard
    with shipped_db.session() as s:
        busiest = int(s.execute(select(v.c.interviewer_id).group_by(v.c.interviewer_id)
                                .order_by(func.count().desc(), v.c.interviewer_id)).first()[0])  # fmt: skip
    filters = _filters(shipped_db)
    for f in filters:
        _readers_agree(shipped_db, LOCAL_ADMIN, f)
    for f in filters[:4]:
        _readers_agree(shipped_db, busiest, f)
    # the interviewer's view: her own rows by name, every colleague an opaque tag, only her candidates' ratings
    me = people.person(shipped_db, busiest)
    ratings = calibration.ratings_from_db(shipped_db, by=busiest)
    assert me.name in ratings.interviewers
    assert all(who == me.name or who.startswith("colleague-") for who in ratings.interviewers)
    report = calibration_report(shipped_db, SETTINGS, viewer=busiest)
    assert report.restricted_to == me.name and {r.interviewer for r in report.leniency} <= {me.name}
    with shipped_db.session() as s:
        scope = calibration.calibration_scope(s, busiest)
    assert scope.only is not None and set(map(int, ratings.candidates)) <= set(scope.only)


def test_a_one_off_narrowed_question_reads_only_its_rows(demo: Database) -> None:
    """Without kept columns (a command run once), a filtered question is asked of the database; a question
    about every rating reads and keeps the columns, which then answer the filtered ones."""
    rating_columns.forget(demo)
    with demo.session() as s:
        opening = int(s.execute(select(calibration_scorecard.c.opening_id).limit(1)).scalar_one())
    narrowed = calibration.ratings_from_db(demo, by=LOCAL_ADMIN, opening_id=opening)
    assert not rating_columns.current(demo)
    calibration.ratings_from_db(demo, by=LOCAL_ADMIN)
    assert rating_columns.current(demo)
    again = calibration.ratings_from_db(demo, by=LOCAL_ADMIN, opening_id=opening)
    assert again is calibration.ratings_from_db(demo, by=LOCAL_ADMIN, opening_id=opening)  # kept: one object
    assert not list(_differences(list(narrowed), list(again)))


def _stamp_moves(db: Database, write: Callable[[], object]) -> None:
    """``write`` moves the stamp, and the next read shows what the SQL readers show."""
    before = rating_columns.columns(db)
    write()
    after = rating_columns.columns(db)
    assert after.stamp > before.stamp and after is not before
    _assert_same(lambda: list(calibration.ratings_from_db(db, by=LOCAL_ADMIN)))


def _a_rating(db: Database) -> tuple[int, str, int]:
    """A scored rating of a submitted scorecard: (scorecard, competency, score)."""
    r = calibration_rating
    with db.session() as s:
        card, comp, score = s.execute(
            select(r.c.scorecard_id, r.c.competency_id, r.c.score).where(r.c.score.is_not(None))
            .order_by(r.c.scorecard_id, r.c.competency_id).limit(1)
        ).one()  # fmt: skip
    return int(card), str(comp), int(score)


def _score(db: Database, card: int, comp: str) -> float:
    ratings = calibration.ratings_from_db(db, by=LOCAL_ADMIN)
    cols = rating_columns.columns(db)
    row = np.flatnonzero((cols.card == card) & (np.array(cols.competencies)[cols.competency] == comp))
    assert row.size == 1
    return float(ratings.score[row[0]])


def test_every_write_that_can_change_the_ratings_is_seen(demo: Database) -> None:
    admin = people.create_person(demo, name="Lee Admin", email="lee@example.com", access_role="admin",
                                 by=LOCAL_ADMIN).id  # fmt: skip
    card, comp, score = _a_rating(demo)
    new = SETTINGS.scale.min if score != SETTINGS.scale.min else SETTINGS.scale.max
    kept = rating_columns.columns(demo)
    assert rating_columns.columns(demo) is kept  # nothing written: the same columns
    _stamp_moves(demo, lambda: scorecards.amend(demo, card, admin, reason="typo", settings=SETTINGS,
                                                ratings={comp: scorecards.RatingState(score=new)}))  # fmt: skip
    assert _score(demo, card, comp) == new

    # another connection (another process's pool: its own engine) writes the rating back
    other = open_database(demo.url)
    try:

        def write_elsewhere() -> None:
            with other.engine.begin() as conn:
                if not other.is_sqlite:  # a submitted scorecard changes only with a reason (revision 0008)
                    conn.execute(text("SELECT set_config('interviewkit.change_reason', 'test: elsewhere', true)"))
                conn.execute(text("UPDATE rating SET score = :v WHERE scorecard_id = :c AND competency_id = :k"),
                             {"v": score, "c": card, "k": comp})  # fmt: skip

        _stamp_moves(demo, write_elsewhere)
        assert _score(demo, card, comp) == score
    finally:
        other.engine.dispose()

    # a new submitted scorecard's ratings: the demo's history imported as ratings
    _stamp_moves(demo, lambda: _import_one(demo))
    cand = int(rating_columns.columns(demo).candidate[0])
    _stamp_moves(demo, lambda: privacy.erase_candidate(demo, cand, by=admin, reason="test", compact_after=False))


def _import_one(db: Database) -> None:
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "one.csv"
        path.write_text("candidate,interviewer,competency,score\nc1,ann,model-serving,3\nc1,bob,model-serving,2\n")
        calibration.import_ratings_csv(db, path, SETTINGS, by=LOCAL_ADMIN)


def test_a_draft_being_typed_keeps_the_columns(demo: Database) -> None:
    """Writes that cannot change calibration (a draft's autosave, a lock's heartbeat) do not move the stamp."""
    with demo.session() as s:
        draft = s.execute(text("SELECT id FROM scorecard WHERE status <> 'submitted' ORDER BY id LIMIT 1")).scalar()
    if draft is None:
        pytest.skip("the demo has no draft")
    kept = rating_columns.columns(demo)
    with demo.engine.begin() as conn:
        conn.execute(text("UPDATE scorecard SET summary = 'typing…', lock_heartbeat = NULL WHERE id = :c"),
                     {"c": draft})  # fmt: skip
        conn.execute(text("UPDATE rating SET score = score WHERE scorecard_id = :c"), {"c": draft})
    assert rating_columns.columns(demo) is kept


def _adjustments(db: Database, viewer: Actor, candidates: list[int]) -> list[Any]:
    return [calibration.candidate_adjustment(db, c, by=viewer) for c in candidates]


def test_adjusted_means_come_from_fits_kept_until_a_write(
    shipped_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The debrief's leniency-adjusted means: the same as fitted afresh from the SQL readers, for the
    administrator and for an interviewer; a second candidate fits nothing; after a write the fits are made
    again (the amended score shows in the candidate's raw and adjusted means)."""
    from interviewkit.domain.calibration import leniency

    create_large_demo(shipped_db, SETTINGS, scale=0.004)
    v = calibration_scorecard
    with shipped_db.session() as s:
        busiest = int(s.execute(select(v.c.interviewer_id).group_by(v.c.interviewer_id)
                                .order_by(func.count().desc(), v.c.interviewer_id)).first()[0])  # fmt: skip
        theirs = select(v.c.candidate_id).where(v.c.interviewer_id == busiest).group_by(v.c.candidate_id)
        mine = [int(c) for (c,) in s.execute(theirs.order_by(v.c.candidate_id).limit(3))]
    for viewer in (LOCAL_ADMIN, busiest):
        found = _assert_same(lambda viewer=viewer: _adjustments(shipped_db, viewer, mine))  # type: ignore[misc]
        assert any(a is not None and a.adjusted for a in found)

    fits: list[int] = []
    real = leniency.fit_leniency

    def counted(*args: Any, **kwargs: Any) -> Any:
        fits.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(leniency, "fit_leniency", counted)
    calibration.candidate_adjustment(shipped_db, mine[0], by=LOCAL_ADMIN)
    calibration.candidate_adjustment(shipped_db, mine[1], by=LOCAL_ADMIN)
    assert not fits  # kept from the comparison above

    with shipped_db.session() as s:
        card, comp, score = s.execute(
            select(calibration_rating.c.scorecard_id, calibration_rating.c.competency_id, calibration_rating.c.score)
            .join(v, v.c.scorecard_id == calibration_rating.c.scorecard_id)
            .where(v.c.candidate_id == mine[0], calibration_rating.c.score.is_not(None)).limit(1)
        ).one()  # fmt: skip
    before = calibration.candidate_adjustment(shipped_db, mine[0], by=LOCAL_ADMIN)
    assert before is not None and comp in before.raw
    new = SETTINGS.scale.min if score != SETTINGS.scale.min else SETTINGS.scale.max
    with shipped_db.engine.begin() as conn:
        if not shipped_db.is_sqlite:
            conn.execute(text("SELECT set_config('interviewkit.change_reason', 'test: amend', true)"))
        conn.execute(text("UPDATE rating SET score = :v WHERE scorecard_id = :c AND competency_id = :k"),
                     {"v": new, "c": card, "k": comp})  # fmt: skip
    after = _assert_same(lambda: calibration.candidate_adjustment(shipped_db, mine[0], by=LOCAL_ADMIN))
    assert fits  # fitted again after the write
    assert after is not None and after.raw[comp] != before.raw[comp]


def test_after_a_write_only_the_tables_it_changed_are_fitted_again(shipped_db: Database) -> None:
    """One amended score: the next report refits that competency's table and the overall one, keeps every
    other competency's statistics, and equals a report computed afresh from the SQL readers."""
    from interviewkit.services import calibration_report as module

    create_large_demo(shipped_db, SETTINGS, scale=0.004)
    module.forget_statistics()
    before = calibration_report(shipped_db, SETTINGS, viewer=LOCAL_ADMIN)
    assert len(before.competencies) >= 3
    card, comp, score = _a_rating(shipped_db)
    new = SETTINGS.scale.min if score != SETTINGS.scale.min else SETTINGS.scale.max
    with shipped_db.engine.begin() as conn:
        if not shipped_db.is_sqlite:
            conn.execute(text("SELECT set_config('interviewkit.change_reason', 'test: amend', true)"))
        conn.execute(text("UPDATE rating SET score = :v WHERE scorecard_id = :c AND competency_id = :k"),
                     {"v": new, "c": card, "k": comp})  # fmt: skip
    hits, misses = module._blocks.hits, module._blocks.misses
    after = calibration_report(shipped_db, SETTINGS, viewer=LOCAL_ADMIN)
    assert module._blocks.misses - misses == 2  # the amended competency and the overall score
    assert module._blocks.hits - hits == len(after.competencies) - 1
    assert after != before
    module.forget_statistics()
    with rating_columns.bypass():
        afresh = calibration_report(shipped_db, SETTINGS, viewer=LOCAL_ADMIN)
    found = list(_differences(afresh, after))
    assert not found, found[:10]
