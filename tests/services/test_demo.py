"""The demo: fills an empty database with a plausible hiring process, and never touches one with data."""

from __future__ import annotations

import shutil
import statistics
import unicodedata
from datetime import date, datetime, time, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlmodel import SQLModel

from interviewkit.bank.loader import load_settings
from interviewkit.paths import shipped_bank_dir
from interviewkit.services import audit, demo, loops, people, scorecards
from interviewkit.services.access import LOCAL_ADMIN
from interviewkit.services.errors import ValidationFailed
from interviewkit.storage.models import Scorecard

TODAY = date(2025, 3, 12)  # a Wednesday
BANK = shipped_bank_dir()
SETTINGS = load_settings(BANK)


def row_counts(db) -> dict[str, int]:  # type: ignore[no-untyped-def]
    with db.engine.connect() as conn:
        return {
            t.name: conn.execute(select(func.count()).select_from(t)).scalar_one()
            for t in SQLModel.metadata.sorted_tables
        }


def all_cards(db) -> list[scorecards.ScorecardState]:  # type: ignore[no-untyped-def]
    with db.session() as s:
        ids = list(s.scalars(select(Scorecard.id).order_by(Scorecard.id)))
    return [scorecards.scorecard_state(db, i, by=LOCAL_ADMIN) for i in ids]


def local_date(when: datetime) -> date:
    return when.astimezone().date()


@pytest.fixture(scope="module")
def demo_template(shipped_db_template: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, demo.DemoReport]:
    """The demo written once into a copy of the shipped database; tests get their own copy."""
    from interviewkit.storage.db import open_database

    path = tmp_path_factory.mktemp("demo") / "demo.sqlite"
    shutil.copy(shipped_db_template, path)
    database = open_database(path)
    report = demo.create_demo(database, BANK, today=TODAY, by=LOCAL_ADMIN)
    with database.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    database.dispose()
    return path, report


@pytest.fixture
def demo_db(demo_template: tuple[Path, demo.DemoReport], tmp_path: Path):  # type: ignore[no-untyped-def]
    from interviewkit.storage.db import open_database

    path = tmp_path / "demo.sqlite"
    shutil.copy(demo_template[0], path)
    database = open_database(path)
    yield database
    database.dispose()


@pytest.fixture
def report(demo_template: tuple[Path, demo.DemoReport]) -> demo.DemoReport:
    return demo_template[1]


def loop_of(db, candidate_name: str) -> loops.LoopDetail:  # type: ignore[no-untyped-def]
    (summary,) = [s for s in loops.loops(db, by=LOCAL_ADMIN) if s.candidate == candidate_name]
    return loops.loop_detail(db, summary.id, by=LOCAL_ADMIN)


def scenario_candidate(scenario: str) -> str:
    return next(c.name for c in demo.CANDIDATES if c.scenario == scenario)


# --- shape ---------------------------------------------------------------------------------------


def test_the_demo_fills_an_empty_database(demo_db, report: demo.DemoReport) -> None:  # type: ignore[no-untyped-def]
    directory = people.people(demo_db)
    assert len(directory) == report.people == 9
    assert [p.name for p in directory if p.access_role == "admin"] == ["Sofia Marques"]
    assert sum(p.access_role == "interviewer" for p in directory) == report.interviewers == 7
    assert all(p.title for p in directory)
    openings = people.openings(demo_db)
    assert len(openings) == report.openings == 2
    assert {o.title for o in openings} == {"ML Engineering Manager (Lisbon)", demo.SECOND_OPENING_TITLE}
    for opening in openings:
        assert set(opening.jd_ids) == {"ml-eng-manager-profile", "ml-lead-lisbon-ad"}
        assert opening.hiring_manager == demo.HIRING_MANAGER.name
        assert people.person(demo_db, opening.hiring_manager_id).access_role == "hiring_manager"
    assert len(people.candidates(demo_db, by=LOCAL_ADMIN)) == report.candidates == 5 + len(demo._HISTORY)
    summaries = loops.loops(demo_db, by=LOCAL_ADMIN)
    assert len(summaries) == report.loops == report.candidates
    assert sum(s.stages for s in summaries) == report.stages
    cards = all_cards(demo_db)
    assert sum(c.status == "submitted" for c in cards) == report.submitted
    assert sum(c.status == "draft" for c in cards) == report.drafts == 1
    assert report.amended == 1 and report.scheduled_today == 1
    assert report.today_interviewer == demo.INTERVIEWERS[0].name
    assert directory[0].name == report.today_interviewer  # first in the directory: the app's default user
    assert f"2 openings, {report.candidates} candidates" in report.summary()


def interviews(loop: loops.LoopDetail) -> list[loops.StageDetail]:
    """The interview stages of a loop (a screen stage has answers, never a scorecard)."""
    return [st for st in loop.stages if not st.is_screen]


def test_the_loop_template_is_used_when_the_bank_has_it(demo_db, report: demo.DemoReport) -> None:  # type: ignore[no-untyped-def]
    has_template = any(t.id == demo.TEMPLATE_ID for t in loops.loop_templates(demo_db))
    assert report.template_id == (demo.TEMPLATE_ID if has_template else None)
    current = {c.name for c in demo.CANDIDATES}
    for summary in loops.loops(demo_db, by=LOCAL_ADMIN):
        detail = loops.loop_detail(demo_db, summary.id, by=LOCAL_ADMIN)
        if detail.candidate not in current:  # the second opening's earlier candidates: another template
            assert detail.template_id == report.second_template_id
            continue
        assert detail.template_id == report.template_id
        assert len(detail.stages) >= 4
        assert all((st.questions or st.is_screen) and st.interviewer_id and st.scheduled_at for st in detail.stages)
        assert all(st.fits for st in detail.stages)
        interviewers = [st.interviewer_id for st in interviews(detail)]
        assert len(set(interviewers)) == len(interviewers), "one interviewer per interview stage"


def test_candidates_are_at_every_step_of_the_loop(demo_db) -> None:  # type: ignore[no-untyped-def]
    for scenario in (demo.STRONG, demo.NO_HIRE, demo.SPLIT):
        loop = loop_of(demo_db, scenario_candidate(scenario))
        assert all(st.scorecard_status == "submitted" for st in interviews(loop)), scenario
        assert all(st.screen_done for st in loop.stages if st.is_screen), scenario
        days = {(TODAY - local_date(st.scheduled_at)).days for st in loop.stages}
        assert all(3 <= d <= 35 for d in days), (scenario, days)  # in the past weeks (the screen a week earlier)
    # the demo's screens are finished as a recruiter finishes them, not only answered (stage.finished_at)
    screener = next(st.interviewer_id for st in loop.stages if st.is_screen)
    assert screener is not None
    mine = [m for m in loops.my_interviews(demo_db, screener) if m.kind == "screen"]
    statuses = [m.status for m in mine]
    assert statuses.count("finished") >= 16 and "to finish" not in statuses and "in progress" not in statuses

    mid = loop_of(demo_db, scenario_candidate(demo.MID_LOOP))
    statuses = [st.scorecard_status for st in interviews(mid)]
    assert statuses.count("submitted") >= 2 and statuses.count("draft") == 1 and None in statuses
    (today,) = [st for st in mid.stages if local_date(st.scheduled_at) == TODAY]
    assert today.interviewer == demo.INTERVIEWERS[0].name and today.scorecard_status is None
    for st in interviews(mid):
        when = local_date(st.scheduled_at)
        if st.scorecard_status is not None:
            assert when < TODAY
        elif st is not today:
            assert when > TODAY

    next_week = loop_of(demo_db, scenario_candidate(demo.NEXT_WEEK))
    monday = TODAY + timedelta(days=7 - TODAY.weekday())
    assert all(st.scorecard_status is None and st.screen_answered == 0 for st in next_week.stages)
    assert all(monday <= local_date(st.scheduled_at) < monday + timedelta(days=7) for st in interviews(next_week))


def test_the_stage_of_today_and_the_draft_are_on_the_interviewers_lists(demo_db) -> None:  # type: ignore[no-untyped-def]
    ids = {p.name: p.id for p in people.people(demo_db)}
    now = datetime.combine(TODAY, time(9, 0)).astimezone()
    first = loops.my_interviews(demo_db, ids[demo.INTERVIEWERS[0].name], now=now)
    assert first[0].candidate == scenario_candidate(demo.MID_LOOP)
    assert local_date(first[0].scheduled_at) == TODAY and first[0].status == "not started"

    (draft,) = [c for c in all_cards(demo_db) if c.status == "draft"]
    theirs = loops.my_interviews(demo_db, draft.interviewer_id, now=now)
    assert any(m.status == "in progress" and m.scorecard_id == draft.id for m in theirs)
    assert scorecards.interrupted_scorecards(demo_db, draft.interviewer_id) == []  # closed cleanly, not a crash
    assert draft.recommendation is None and not draft.summary
    noted = [q for q in draft.questions if q.notes]
    assert 0 < len(noted) < len(draft.questions)
    assert any(r.score is not None for r in draft.ratings.values())


# --- content -------------------------------------------------------------------------------------


def test_names_use_accents_and_non_latin_scripts(demo_db) -> None:  # type: ignore[no-untyped-def]
    names = [p.name for p in people.people(demo_db)]
    assert any(not n.isascii() and all(unicodedata.name(ch, "").startswith("LATIN") or not ch.isalpha() for ch in n)
               for n in names), "a Latin name with accents"
    assert any(any(ch.isalpha() and not unicodedata.name(ch, "").startswith("LATIN") for ch in n) for n in names), \
        "a name in a non-Latin script"
    cards = all_cards(demo_db)
    assert any(not c.interviewer.isascii() for c in cards if c.status == "submitted")


def test_ratings_are_on_the_scale_and_every_submitted_scorecard_is_complete(demo_db) -> None:  # type: ignore[no-untyped-def]
    levels = set(SETTINGS.scale.levels)
    not_assessed = 0
    for card in all_cards(demo_db):
        for cid, r in card.ratings.items():
            if r.not_assessed:
                not_assessed += 1
                assert r.reason.strip() and r.score is None
            elif r.score is not None:
                assert r.score in levels, (card.id, cid, r.score)
        if card.status != "submitted":
            continue
        assert card.recommendation in SETTINGS.recommendations
        assert all(r.evidence.strip() for r in card.ratings.values() if not r.not_assessed)
        assert 3 <= card.summary.count(". ") + 1 <= 5
        for q in card.questions:
            bullets = q.notes.splitlines()
            assert 2 <= len(bullets) <= 6 and all(b.startswith("- ") for b in bullets), q.notes
            assert q.seconds_spent > 0
    assert not_assessed >= 1


def test_notes_are_tied_to_the_question_and_not_repeated(demo_db) -> None:  # type: ignore[no-untyped-def]
    cards = all_cards(demo_db)
    notes = [q.notes for c in cards for q in c.questions if q.notes]
    assert len(notes) == len(set(notes)), "no two questions have the same notes"
    summaries = [c.summary for c in cards if c.summary]
    assert len(summaries) == len(set(summaries))
    rubric_lines = 0
    for c in cards:
        for q in c.questions:
            anchors = [text.split(";")[0][:40] for _, text in q.rubric]
            rubric_lines += any(a[:30] in q.notes for a in anchors)
    assert rubric_lines >= len(notes) * 0.9  # an observation tied to a rubric anchor of that question


def test_ratings_follow_ability_and_the_interviewers_leniency(demo_db) -> None:  # type: ignore[no-untyped-def]
    cards = [c for c in all_cards(demo_db) if c.status == "submitted"]

    def mean_score(pred) -> float:  # type: ignore[no-untyped-def]
        return statistics.mean(r.score for c in cards if pred(c) for r in c.ratings.values() if r.score is not None)

    strong, weak = scenario_candidate(demo.STRONG), scenario_candidate(demo.NO_HIRE)
    assert mean_score(lambda c: c.candidate == strong) - mean_score(lambda c: c.candidate == weak) >= 1.0
    yes = set(SETTINGS.recommendations[len(SETTINGS.recommendations) // 2:])
    assert all(c.recommendation in yes for c in cards if c.candidate == strong)
    assert all(c.recommendation not in yes for c in cards if c.candidate == weak)


def test_the_split_panel_disagrees_by_two_points_or_more(demo_db) -> None:  # type: ignore[no-untyped-def]
    split = scenario_candidate(demo.SPLIT)
    cards = [c for c in all_cards(demo_db) if c.candidate == split]
    by_competency: dict[str, list[int]] = {}
    for c in cards:
        for cid, r in c.ratings.items():
            if r.score is not None:
                by_competency.setdefault(cid, []).append(r.score)
    assert any(max(s) - min(s) >= 2 for s in by_competency.values() if len(s) >= 2)
    yes = set(SETTINGS.recommendations[len(SETTINGS.recommendations) // 2:])
    votes = [c.recommendation in yes for c in cards]
    assert any(votes) and not all(votes)


def test_one_submitted_scorecard_was_amended_with_a_reason(demo_db) -> None:  # type: ignore[no-untyped-def]
    amended = []
    for c in all_cards(demo_db):
        for entry in audit.audit_trail(demo_db, "scorecard", c.id, by=LOCAL_ADMIN):
            if entry.action == "amended":
                amended.append((c, entry))
    ((card, entry),) = amended
    assert card.status == "submitted" and entry.reason.strip() and entry.actor == card.interviewer
    assert any(key.startswith("rating:") for key in entry.detail)


def test_the_same_seed_and_day_give_the_same_demo(shipped_db, demo_db) -> None:  # type: ignore[no-untyped-def]
    demo.create_demo(shipped_db, BANK, today=TODAY, by=LOCAL_ADMIN)

    def content(db) -> list[tuple]:  # type: ignore[no-untyped-def]
        return [
            (c.candidate, c.stage_name, c.interviewer, c.status, c.recommendation, c.summary,
             tuple(q.notes for q in c.questions), tuple(sorted((k, r.score, r.evidence) for k, r in c.ratings.items())))
            for c in all_cards(db)
        ]

    assert content(shipped_db) == content(demo_db)


# --- safety --------------------------------------------------------------------------------------


def test_running_it_again_changes_nothing(demo_db) -> None:  # type: ignore[no-untyped-def]
    before = row_counts(demo_db)
    with pytest.raises(ValidationFailed, match="already holds data: the demo only fills an empty database"):
        demo.create_demo(demo_db, BANK, today=TODAY, by=LOCAL_ADMIN)
    assert row_counts(demo_db) == before


def test_a_database_with_one_person_is_left_alone(shipped_db) -> None:  # type: ignore[no-untyped-def]
    people.create_person(shipped_db, name="Ada Lovelace", email="ada@example.com", by=LOCAL_ADMIN)
    before = row_counts(shipped_db)
    with pytest.raises(ValidationFailed) as info:
        demo.create_demo(shipped_db, BANK, today=TODAY, by=LOCAL_ADMIN)
    assert "Use --db demo.sqlite" in str(info.value)
    assert row_counts(shipped_db) == before


def test_a_database_without_the_bank_is_refused(db) -> None:  # type: ignore[no-untyped-def]
    before = row_counts(db)
    with pytest.raises(ValidationFailed, match="sync the bank first"):
        demo.create_demo(db, BANK, today=TODAY, by=LOCAL_ADMIN)
    assert row_counts(db) == before


def test_without_the_template_the_loop_is_built_stage_by_stage(db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from interviewkit.services.bank_sync import sync_bank

    bank = tmp_path / "bank"
    shutil.copytree(BANK, bank, ignore=shutil.ignore_patterns("loops"))
    sync_bank(db, bank, by=LOCAL_ADMIN)
    report = demo.create_demo(
        db, bank, today=date(2025, 3, 16), by=LOCAL_ADMIN
    )  # a Sunday: the stage of today is still today
    assert report.template_id is None
    assert report.submitted >= 15 and report.drafts == 1 and report.scheduled_today == 1
    for summary in loops.loops(db, by=LOCAL_ADMIN):
        detail = loops.loop_detail(db, summary.id, by=LOCAL_ADMIN)
        assert len(detail.stages) == len(demo._HAND_LOOP)
        assert all(st.questions and st.fits for st in detail.stages)
    mid = loop_of(db, scenario_candidate(demo.MID_LOOP))
    assert [st.interviewer for st in mid.stages if local_date(st.scheduled_at) == date(2025, 3, 16)] == [
        demo.INTERVIEWERS[0].name
    ]
