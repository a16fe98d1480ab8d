"""Every service function, called as each kind of person, against the expected-access table in the repo.

``access_table.csv`` (beside this file) is the specification: one row per operation, one column per
person, each cell what that person gets. A cell is ``no`` (PermissionDenied), ``missing`` (NotFound, for
something the person may not even know exists), ``invalid`` (refused for the input, after the permission
check passed) or the short summary the operation returns (``yes``, or what it shows: which scorecards,
how many candidates...). Changing a rule means changing the table, in review.

The world is the demo's hiring round plus a coordinator, a hiring manager of another opening and a
deactivated admin, with a decision on Helena. The people:

* ``interviewer_before``: Amara Okafor, on Tomasz Nowak's panel, her scorecard not started;
* ``interviewer_after``: Priya Raghunathan, on Tomasz's panel, her scorecard (20) submitted;
* ``coordinator``: a coordinator on no panel;
* ``hm_own``: Rita Figueiredo, the opening's hiring manager (on Tomasz's panel, her scorecard (21) a draft;
  she also screened every candidate: the demo gives her each loop's screen stage);
* ``hm_other``: the hiring manager of another opening;
* ``admin``: Sofia Marques; ``deactivated``: an admin who was deactivated; ``nobody``: no one signed in.

Reading operations run on one copy of the world; each writing operation runs on a fresh copy per person.
"""

from __future__ import annotations

import csv
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

from interviewkit.bank.loader import load_settings
from interviewkit.paths import shipped_bank_dir
from interviewkit.services import (
    audit,
    calibration,
    calibration_report,
    debrief,
    demo,
    exchange,
    exercises,
    exports,
    loops,
    outcomes,
    people,
    privacy,
    scorecards,
    screening,
    team,
)
from interviewkit.services.access import LOCAL_ADMIN, Actor
from interviewkit.services.errors import NotFound, PermissionDenied, ScorecardLocked, ServiceError, ValidationFailed
from interviewkit.storage.db import Database, open_database

TABLE = Path(__file__).with_name("access_table.csv")
ROLES = ("interviewer_before", "interviewer_after", "coordinator", "hm_own", "hm_other", "admin", "deactivated",
         "nobody")
SETTINGS = load_settings(shipped_bank_dir())
TOMASZ, HELENA, KENJI = 4, 1, 5  # candidates of the demo
PRIYA_CARD, RITA_DRAFT, HELENA_CARD = 20, 21, 1  # scorecards
AMARA_STAGE, TOMASZ_LOOP, KENJI_LOOP = 26, 4, 5


@dataclass
class World:
    db: Database
    people: dict[str, Actor]  # role column -> actor
    tmp: Path


def _prepare(db: Database) -> None:
    """The demo plus the people the table needs (the same ids on every backend)."""
    demo.create_demo(db, shipped_bank_dir(), by=LOCAL_ADMIN, today=datetime(2026, 12, 7).date())
    coordinator = people.create_person(
        db, name="Chidi Coordinator", email="chidi@example.com", access_role="coordinator", by=LOCAL_ADMIN
    )
    other = people.create_person(db, name="Olga Other", email="olga@example.com", access_role="hiring_manager",
                                 by=LOCAL_ADMIN)
    people.create_opening(db, title="Data Platform Lead", jd_ids=["ml-eng-manager-profile"], hiring_manager_id=other.id,
                          by=LOCAL_ADMIN)
    dee = people.create_person(db, name="Dee Former", email="dee@example.com", access_role="admin", by=LOCAL_ADMIN)
    people.update_person(db, dee.id, name=dee.name, email=dee.email, access_role="admin", active=False, by=LOCAL_ADMIN)
    # Helena's decision ("hire", by Rita) is the demo's own
    assert coordinator.id and other.id


def _id(db: Database, email: str) -> int:
    return next(p.id for p in people.people(db, include_inactive=True) if p.email == email)


def _actors(db: Database) -> dict[str, Actor]:
    return {
        "interviewer_before": _id(db, "amara.okafor@example.com"),
        "interviewer_after": _id(db, "priya.raghunathan@example.com"),
        "coordinator": _id(db, "chidi@example.com"),
        "hm_own": _id(db, "rita.figueiredo@example.com"),
        "hm_other": _id(db, "olga@example.com"),
        "admin": _id(db, "sofia.marques@example.com"),
        "deactivated": _id(db, "dee@example.com"),
        "nobody": None,
    }


@pytest.fixture(scope="module")
def _sqlite_world(tmp_path_factory: pytest.TempPathFactory, shipped_db_template: Path) -> Path:
    path = tmp_path_factory.mktemp("access") / "world.sqlite"
    shutil.copy(shipped_db_template, path)
    db = open_database(path)
    _prepare(db)
    with db.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    db.dispose()
    return path


@pytest.fixture
def fresh(backend: str, request: pytest.FixtureRequest, tmp_path: Path) -> Callable[[], World]:
    """A factory of fresh copies of the world on this test's backend."""
    made: list[Database] = []

    def make() -> World:
        if backend == "sqlite":
            path = tmp_path / f"w{len(made)}.sqlite"
            shutil.copy(request.getfixturevalue("_sqlite_world"), path)
            db = open_database(path)
        else:
            server = request.getfixturevalue("pg_server")
            shipped = server.template("ik_shipped", _pg_shipped)
            name = server.new_database(server.template("ik_access_world", lambda url: _pg_world(url, shipped, server)))
            request.addfinalizer(lambda: server.drop_database(name))
            db = open_database(server.url(name))
        made.append(db)
        return World(db, _actors(db), tmp_path)

    yield make  # type: ignore[misc]
    for db in made:
        db.dispose()


def _pg_shipped(url: str) -> None:
    from interviewkit.services.bank_sync import sync_bank

    db = open_database(url)
    sync_bank(db, shipped_bank_dir(), by=LOCAL_ADMIN)
    db.dispose()


def _pg_world(url: str, shipped: str, server: Any) -> None:
    from interviewkit.services.bank_sync import sync_bank

    db = open_database(url)
    sync_bank(db, shipped_bank_dir(), by=LOCAL_ADMIN)
    _prepare(db)
    db.dispose()


# --- the operations -------------------------------------------------------------------------------------


def _ids(values: Any) -> str:
    return ",".join(str(v) for v in sorted(values)) or "none"


def _instance(w: World, who: Actor) -> str:
    return f"test-instance-{who}"


def _stage_of_loop(w: World) -> int:
    return loops.loop_detail(w.db, TOMASZ_LOOP, by=LOCAL_ADMIN).stages[-1].id


def _screen_of(loop_id: int, w: World) -> int:
    """The screen stage of a loop of the demo (the hiring manager's, a week before the interviews)."""
    return next(st.id for st in loops.loop_detail(w.db, loop_id, by=LOCAL_ADMIN).stages if st.is_screen)


def _answer_kenji_screen(w: World, a: Actor) -> str:
    stage = _screen_of(KENJI_LOOP, w)
    item = screening.screen_checklist(w.db, stage, by=LOCAL_ADMIN).items[0].requirement_id
    screening.record_screen_answer(w.db, stage, item, "unclear", "Asked again on the call.", by=a)
    return "yes"


def _amend_tomasz_screen(w: World, a: Actor) -> str:
    stage = _screen_of(TOMASZ_LOOP, w)  # finished by the demo: its answers change only by an amendment
    item = screening.screen_checklist(w.db, stage, by=LOCAL_ADMIN).items[0].requirement_id
    screening.amend_screen_answer(w.db, stage, item, "unclear", "Asked again.", reason="Corrected on a call.", by=a)
    return "yes"


def _outcomes_csv(w: World) -> Path:
    path = w.tmp / "outcomes.csv"
    path.write_text(f"candidate,date,performance\n{HELENA},2027-06-01,4\n")
    return path


def _a_csv(w: World) -> Path:
    path = w.tmp / "history.csv"
    path.write_text("candidate,interviewer,competency,score\nc1,ann,model-serving,3\nc1,bob,model-serving,2\n")
    return path


def _an_exchange_file(w: World) -> Path:
    return w.tmp / "does-not-exist.json"  # the permission check comes before the file is read


def _export_file(w: World, a: Actor) -> str:
    """Signing comes after the permission check; this machine holds nobody's key in the tests."""
    from interviewkit.services.signing import NoSigningKey

    try:
        exchange.export_scorecard(w.db, PRIYA_CARD, by=a)
    except NoSigningKey:
        return "yes"
    return "yes"


READ: dict[str, Callable[[World, Actor], Any]] = {
    "scorecard_state(Tomasz, Priya's submitted)": lambda w, a: (
        scorecards.scorecard_state(w.db, PRIYA_CARD, by=a).status
    ),
    "scorecard_state(Tomasz, Rita's draft)": lambda w, a: scorecards.scorecard_state(w.db, RITA_DRAFT, by=a).status,
    "scorecard_state(Helena, all submitted)": lambda w, a: scorecards.scorecard_state(w.db, HELENA_CARD, by=a).status,
    "scorecard_document(Tomasz, Priya's)": lambda w, a: (
        exports.scorecard_document(w.db, PRIYA_CARD, settings=SETTINGS, viewer_id=a).status
    ),
    "exchange.export_scorecard(Priya's)": _export_file,
    "debrief(Tomasz)": lambda w, a: (lambda d: f"shown={len(d.columns)} hidden={d.hidden_count}")(
        debrief.debrief(w.db, TOMASZ, a, SETTINGS)
    ),
    "debrief(Helena): decision": lambda w, a: (
        lambda d: d.decision.label if d.decision else ("hidden" if d.decision_hidden else "none")
    )(debrief.debrief(w.db, HELENA, a, SETTINGS)),
    "debrief_document(Tomasz)": lambda w, a: (
        f"scorecards={len(exports.debrief_document(w.db, TOMASZ, settings=SETTINGS, viewer_id=a).scorecards)}"
    ),
    "debrief_candidates": lambda w, a: _ids(r[0] for r in debrief.debrief_candidates(w.db, a)),
    "decisions(Helena)": lambda w, a: str(len(debrief.decisions(w.db, HELENA, by=a))),
    "visible_scorecard_ids(Tomasz)": lambda w, a: _ids(debrief.visible_scorecard_ids(w.db, TOMASZ, a)),
    "can_lead(Tomasz)": lambda w, a: str(debrief.can_lead(w.db, TOMASZ, a)).lower(),
    "candidate_adjustment(Helena)": lambda w, a: (
        "adjusted" if calibration.candidate_adjustment(w.db, HELENA, by=a) else "none"
    ),
    "audit_trail(scorecard 20)": lambda w, a: (
        "yes" if audit.audit_trail(w.db, "scorecard", PRIYA_CARD, by=a) else "empty"
    ),
    "audit_trail(candidate Helena)": lambda w, a: (
        "yes" if audit.audit_trail(w.db, "candidate", HELENA, by=a) else "empty"
    ),
    "audit_trail(settings)": lambda w, a: str(len(audit.audit_trail(w.db, "settings", "retention_days", by=a))),
    "loops": lambda w, a: str(len(loops.loops(w.db, by=a))),
    "loop_detail(Tomasz)": lambda w, a: str(len(loops.loop_detail(w.db, TOMASZ_LOOP, by=a).stages)),
    "loop_coverage(Tomasz)": lambda w, a: loops.loop_coverage(w.db, TOMASZ_LOOP, by=a) and "yes",
    "kit_document(Amara's stage)": lambda w, a: exports.kit_document(w.db, AMARA_STAGE, settings=SETTINGS, by=a).stage,
    "my_interviews(self)": lambda w, a: str(len(loops.my_interviews(w.db, a))),  # type: ignore[arg-type]
    "people": lambda w, a: str(len(people.people(w.db))),
    "candidates": lambda w, a: _ids(c.id for c in people.candidates(w.db, by=a)),
    "candidate(Tomasz)": lambda w, a: people.candidate(w.db, TOMASZ, by=a).name.split()[0],
    "erasure_preview(Helena)": lambda w, a: "yes" if privacy.erasure_preview(w.db, HELENA, by=a) else "empty",
    "due_for_retention": lambda w, a: str(
        len(privacy.due_for_retention(w.db, by=a, days=1, now=datetime(2030, 1, 1, tzinfo=UTC)))
    ),
    "ratings_from_db": lambda w, a: f"candidates={len({r.candidate for r in calibration.ratings_from_db(w.db, by=a)})}",
    "calibration dashboard": lambda w, a: (
        lambda d: f"rows={len(d.leniency) if d.enough else 0} restricted={d.restricted_to is not None}"
    )(calibration_report.calibration_report(w.db, SETTINGS, viewer=a)),
    "interrupted_scorecards(self)": lambda w, a: str(len(scorecards.interrupted_scorecards(w.db, a))),  # type: ignore[arg-type]
    "exercises(self)": lambda w, a: str(len(exercises.exercises(w.db, a))),  # type: ignore[arg-type]
    "screening.is_screen(Tomasz's screen)": lambda w, a: str(screening.is_screen(w.db, _screen_of(TOMASZ_LOOP, w))),
    "screening.screen_checklist(Tomasz's screen)": lambda w, a: (
        lambda c: f"answered={c.answered} may_answer={c.may_answer} may_amend={c.may_amend} finished={c.finished}"
    )(screening.screen_checklist(w.db, _screen_of(TOMASZ_LOOP, w), by=a)),
    "outcomes.list_outcomes": lambda w, a: f"rows={len(outcomes.list_outcomes(w.db, by=a))}",
    "outcomes.list_outcomes(Helena)": lambda w, a: (
        f"rows={len(outcomes.list_outcomes(w.db, by=a, candidate_id=HELENA))}"
    ),
    "outcomes.may_record_outcomes": lambda w, a: str(outcomes.may_record_outcomes(w.db, by=a)),
}

WRITE: dict[str, Callable[[World, Actor], Any]] = {
    "open_scorecard(Amara's stage)": lambda w, a: (
        scorecards.open_scorecard(w.db, AMARA_STAGE, a, _instance(w, a)) and "yes"
    ),  # type: ignore[arg-type]
    "save_draft(Rita's draft)": lambda w, a: (
        scorecards.save_draft(w.db, RITA_DRAFT, _instance(w, a), scorecards.DraftChanges(summary="x"), by=a) and "yes"
    ),
    "submit(Rita's draft)": lambda w, a: scorecards.submit(w.db, RITA_DRAFT, a, SETTINGS) and "yes",  # type: ignore[arg-type]
    "amend(Priya's submitted)": lambda w, a: (
        scorecards.amend(w.db, PRIYA_CARD, a, reason="typo", summary="Amended summary.", settings=SETTINGS) and "yes"
    ),  # type: ignore[arg-type]
    "override_independence(Tomasz)": lambda w, a: (
        debrief.override_independence(w.db, TOMASZ, a, "panel today") and "yes"
    ),
    "record_decision(Tomasz)": lambda w, a: (
        debrief.record_decision(
            w.db, TOMASZ, a, outcome="hold", rationale="Waiting for the last stage.", participants=[1]
        )
        and "yes"
    ),
    "create_loop(Kenji)": lambda w, a: loops.create_loop(w.db, KENJI, name="Second loop", by=a) and "yes",
    "add_stage(Tomasz)": lambda w, a: loops.add_stage(w.db, TOMASZ_LOOP, name="Extra", by=a) and "yes",
    "update_stage(Tomasz, unstarted)": lambda w, a: (
        loops.update_stage(
            w.db, _stage_of_loop(w), name="Renamed", minutes=45, focus=[], interviewer_id=None, scheduled_at=None, by=a
        )
        and "yes"
    ),
    "set_stage_plan(Tomasz, unstarted)": lambda w, a: loops.set_stage_plan(w.db, _stage_of_loop(w), [], by=a) and "yes",
    "move_stage(Tomasz)": lambda w, a: loops.move_stage(w.db, _stage_of_loop(w), 1, by=a) and "yes",
    "remove_stage(Tomasz, unstarted)": lambda w, a: loops.remove_stage(w.db, _stage_of_loop(w), by=a) and "yes",
    "delete_loop(Kenji's, no scorecards)": lambda w, a: loops.delete_loop(w.db, 5, by=a) and "yes",
    "create_person": lambda w, a: (
        people.create_person(w.db, name="New Person", email="new@example.com", by=a) and "yes"
    ),
    "update_person(Amara to admin)": lambda w, a: (
        people.update_person(w.db, 2, name="Amara Okafor", email="amara.okafor@example.com", access_role="admin", by=a)
        and "yes"
    ),
    "set_db_login(Amara)": lambda w, a: team.set_db_login(w.db, 2, None, by=a) or "yes",
    "create_opening": lambda w, a: (
        people.create_opening(w.db, title="New role", jd_ids=["ml-eng-manager-profile"], by=a) and "yes"
    ),
    "update_opening(the demo's)": lambda w, a: (
        people.update_opening(
            w.db, 1, title="Renamed role", jd_ids=["ml-eng-manager-profile"], hiring_manager_id=1, by=a
        )
        and "yes"
    ),
    "create_candidate": lambda w, a: people.create_candidate(w.db, name="New Candidate", opening_id=1, by=a) and "yes",
    "update_candidate(Kenji)": lambda w, a: (
        people.update_candidate(w.db, KENJI, name="Kenji W.", opening_id=1, by=a) and "yes"
    ),
    "erase_candidate(Kenji)": lambda w, a: (
        privacy.erase_candidate(w.db, KENJI, by=a, reason="asked", compact_after=False) and "yes"
    ),
    "set_retention_days": lambda w, a: privacy.set_retention_days(w.db, 30, by=a) and "yes",
    "apply_retention": lambda w, a: str(len(privacy.apply_retention(w.db, by=a, days=3650).reports)),
    "import_ratings_csv": lambda w, a: calibration.import_ratings_csv(w.db, _a_csv(w), SETTINGS, by=a) and "yes",
    "exchange.import_files": lambda w, a: exchange.import_files(w.db, [_an_exchange_file(w)], by=a)[0].status,
    "create_exercise": lambda w, a: (
        exercises.create_exercise(
            w.db,
            question_id="model-rollback-decision",
            transcript="An answer.",
            agreed_score=3,
            rationale="Why.",
            created_by=a,
            settings=SETTINGS,
        )
        and "yes"
    ),  # type: ignore[arg-type]
    "init_team": lambda w, a: team.init_team(w.db, by=a) and "yes",
    "screening.record_screen_answer(Kenji's screen)": _answer_kenji_screen,
    "screening.finish_screen(Tomasz's screen)": lambda w, a: (
        screening.finish_screen(w.db, _screen_of(TOMASZ_LOOP, w), by=a) and "yes"
    ),
    "screening.amend_screen_answer(Tomasz's screen)": _amend_tomasz_screen,
    "outcomes.record_outcome(Helena)": lambda w, a: (
        outcomes.record_outcome(w.db, HELENA, date(2027, 6, 1), 4, by=a) and "yes"
    ),
    "outcomes.import_outcomes(Helena)": lambda w, a: str(outcomes.import_outcomes(w.db, _outcomes_csv(w), by=a).added),
}


def _observe(fn: Callable[[World, Actor], Any], world: World, actor: Actor) -> str:
    try:
        result = fn(world, actor)
    except PermissionDenied:
        return "no"
    except NotFound:
        return "missing"
    except ScorecardLocked:
        return "locked"
    except ValidationFailed:
        return "invalid"
    except ServiceError as exc:
        return type(exc).__name__
    return str(result)


def _table() -> dict[str, dict[str, str]]:
    with TABLE.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    return {r["operation"]: {role: r[role] for role in ROLES} for r in rows}


def test_the_table_names_every_operation_once() -> None:
    table = _table()
    assert set(table) == set(READ) | set(WRITE)
    with TABLE.open(encoding="utf-8") as fh:
        assert list(csv.DictReader(fh).fieldnames or []) == ["operation", *ROLES]


@pytest.fixture
def read_world(fresh: Callable[[], World]) -> Iterator[World]:
    yield fresh()


@pytest.mark.parametrize("operation", sorted(READ))
def test_reading(operation: str, read_world: World) -> None:
    expected = _table()[operation]
    observed = {role: _observe(READ[operation], read_world, read_world.people[role]) for role in ROLES}
    assert observed == expected


def _counts(db: Database) -> dict[str, int]:
    from sqlalchemy import func, select
    from sqlmodel import SQLModel

    with db.engine.connect() as conn:
        return {t.name: conn.execute(select(func.count()).select_from(t)).scalar_one()
                for t in SQLModel.metadata.sorted_tables}


@pytest.mark.parametrize("operation", sorted(WRITE))
def test_writing(operation: str, fresh: Callable[[], World]) -> None:
    """Those the table refuses try on one copy, which must not change at all; the others each on their own."""
    expected = _table()[operation]
    observed = {}
    refused = fresh()
    before = _counts(refused.db)
    for role in ROLES:
        world = refused if expected[role] in ("no", "missing") else fresh()
        observed[role] = _observe(WRITE[operation], world, world.people[role])
    assert observed == expected
    assert _counts(refused.db) == before
