"""Roles and access: the permission table, and each service refusing whoever may not act, per role."""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import pytest

import interviewkit
from interviewkit.domain.access import ACTIONS, OPENING_SCOPED, ROLE_PERMISSIONS, ROLES, effective_permissions
from interviewkit.services import access, debrief, exchange, loops, people
from interviewkit.services.access import LOCAL_ADMIN
from interviewkit.services.errors import PermissionDenied, ValidationFailed
from interviewkit.storage.db import Database

JDS = ["ml-eng-manager-profile", "ml-lead-lisbon-ad"]


@dataclass
class World:
    db: Database
    ids: dict[str, int]  # role -> a person with that role
    lead: int  # the opening's hiring manager (role hiring_manager)
    other_hm: int  # a hiring manager of another opening
    opening: int
    candidate: int
    loop: int
    stage: int


@pytest.fixture
def world(shipped_db: Database) -> World:
    db = shipped_db
    ids = {
        role: people.create_person(
            db, name=f"{role.title()} Person", email=f"{role}@example.com", access_role=role, by=LOCAL_ADMIN
        ).id
        for role in ROLES
    }
    lead = ids["hiring_manager"]
    other_hm = people.create_person(
        db, name="Other Manager", email="other@example.com", access_role="hiring_manager", by=LOCAL_ADMIN
    ).id
    opening = people.create_opening(db, title="ML EM", jd_ids=JDS, hiring_manager_id=lead, by=LOCAL_ADMIN).id
    people.create_opening(db, title="Another role", jd_ids=JDS, hiring_manager_id=other_hm, by=LOCAL_ADMIN)
    cand = people.create_candidate(db, name="Priya Natarajan", opening_id=opening, by=LOCAL_ADMIN).id
    loop = loops.create_loop(db, cand, name="Onsite", by=LOCAL_ADMIN).id
    stage = loops.add_stage(
        db,
        loop,
        name="Design",
        minutes=45,
        focus=["monitoring-drift"],
        interviewer_id=ids["interviewer"],
        by=LOCAL_ADMIN,
    ).id
    return World(db, ids, lead, other_hm, opening, cand, loop, stage)


# --- the table --------------------------------------------------------------------------------------


def test_the_table_covers_every_role_and_only_known_actions() -> None:
    assert set(ROLE_PERMISSIONS) == set(ROLES)
    for role, granted in ROLE_PERMISSIONS.items():
        assert granted <= set(ACTIONS), role
    assert ROLE_PERMISSIONS["admin"] == frozenset(ACTIONS)
    # each role adds to the interviewer's rights
    for role in ROLES:
        assert ROLE_PERMISSIONS["interviewer"] <= ROLE_PERMISSIONS[role]


def test_opening_scoped_actions_follow_the_opening() -> None:
    assert effective_permissions("hiring_manager", leads=True) >= OPENING_SCOPED
    assert not OPENING_SCOPED & effective_permissions("hiring_manager", leads=False)
    assert effective_permissions("interviewer", leads=True) >= OPENING_SCOPED  # named the opening's manager
    assert effective_permissions("admin", leads=False) >= OPENING_SCOPED
    assert effective_permissions("nonsense") == frozenset()


# --- per role, per service ----------------------------------------------------------------------------

ALLOWED = {
    "manage_people": {"admin"},
    "manage_openings": {"admin"},
    "manage_candidates": {"coordinator", "admin"},
    "plan_loops": {"coordinator", "hiring_manager", "admin"},
    "erase_data": {"admin"},
    "run_retention": {"admin"},
    "view_calibration_others": {"hiring_manager", "admin"},
    "import_data": {"coordinator", "hiring_manager", "admin"},
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", sorted(ALLOWED))
def test_permissions_per_role(world: World, role: str, action: str) -> None:
    pid = world.ids[role]
    assert (action in access.permissions(world.db, pid)) == (role in ALLOWED[action])
    if role in ALLOWED[action]:
        access.require(world.db, pid, action)
    else:
        with pytest.raises(PermissionDenied) as err:
            access.require(world.db, pid, action)
        message = str(err.value)
        assert people.person(world.db, pid).name in message
        assert f"({access.ROLE_LABELS[role]})" in message and action in message


def _manage_people(w: World, by: int) -> None:
    people.create_person(w.db, name="New Person", email="new@example.com", by=by)


def _manage_openings(w: World, by: int) -> None:
    people.create_opening(w.db, title="Yet another", jd_ids=JDS, by=by)


def _manage_candidates(w: World, by: int) -> None:
    people.create_candidate(w.db, name="Bo Chen", opening_id=w.opening, by=by)


def _plan_loops(w: World, by: int) -> None:
    loops.add_stage(w.db, w.loop, name="Extra", minutes=30, by=by)


SERVICES = {
    "manage_people": _manage_people,
    "manage_openings": _manage_openings,
    "manage_candidates": _manage_candidates,
    "plan_loops": _plan_loops,
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", sorted(SERVICES))
def test_services_enforce_the_table(world: World, role: str, action: str) -> None:
    run = SERVICES[action]
    if role in ALLOWED[action]:
        run(world, world.ids[role])
    else:
        with pytest.raises(PermissionDenied, match=action):
            run(world, world.ids[role])


@pytest.mark.parametrize(
    "fn", ["update_stage", "set_stage_plan", "remove_stage", "move_stage", "delete_loop", "create_loop"]
)
def test_every_loop_change_is_planning(world: World, fn: str) -> None:
    calls = {
        "update_stage": lambda by: loops.update_stage(
            world.db,
            world.stage,
            name="D",
            minutes=30,
            focus=[],
            interviewer_id=world.ids["interviewer"],
            scheduled_at=None,
            by=by,
        ),
        "set_stage_plan": lambda by: loops.set_stage_plan(world.db, world.stage, [], by=by),
        "remove_stage": lambda by: loops.remove_stage(world.db, world.stage, by=by),
        "move_stage": lambda by: loops.move_stage(world.db, world.stage, 1, by=by),
        "delete_loop": lambda by: loops.delete_loop(world.db, world.loop, by=by),
        "create_loop": lambda by: loops.create_loop(world.db, world.candidate, name="Second", by=by),
    }
    with pytest.raises(PermissionDenied):
        calls[fn](world.ids["interviewer"])
    calls[fn](world.ids["coordinator"])


@pytest.mark.parametrize("who", ["interviewer", "coordinator", "other_hm", "lead", "admin"])
def test_decisions_only_by_the_openings_hiring_manager_or_an_admin(world: World, who: str) -> None:
    pid = {"other_hm": world.other_hm, "lead": world.lead}.get(who) or world.ids[who]
    allowed = who in ("lead", "admin")
    assert debrief.can_lead(world.db, world.candidate, pid) == allowed
    assert ("record_decision" in access.permissions(world.db, pid, candidate_id=world.candidate)) == allowed

    def decide() -> None:
        debrief.record_decision(world.db, world.candidate, pid, outcome="hire", rationale="Strong", participants=[pid])

    if allowed:
        decide()
    else:
        with pytest.raises(PermissionDenied, match="record_decision"):
            decide()
        with pytest.raises(PermissionDenied, match="override_independence"):
            debrief.override_independence(world.db, world.candidate, pid, "we need it")


def test_an_interviewer_named_hiring_manager_leads_that_opening_only(world: World) -> None:
    ana = world.ids["interviewer"]
    own = people.create_opening(world.db, title="Ana's team", jd_ids=JDS, hiring_manager_id=ana, by=LOCAL_ADMIN).id
    assert "record_decision" in access.permissions(world.db, ana, opening_id=own)
    assert "record_decision" not in access.permissions(world.db, ana, opening_id=world.opening)
    assert "record_decision" in access.permissions(world.db, ana)  # somewhere: show the debrief tools


def test_nobody_signed_in_and_inactive_people_may_do_nothing(world: World) -> None:
    assert access.permissions(world.db, None) == frozenset()
    with pytest.raises(PermissionDenied, match="Nobody is signed in"):
        people.create_candidate(world.db, name="Bo", opening_id=world.opening, by=None)
    admin = people.person(world.db, world.ids["admin"])
    other_admin = people.create_person(
        world.db, name="Second Admin", email="a2@example.com", access_role="admin", by=LOCAL_ADMIN
    )
    people.update_person(world.db, admin.id, name=admin.name, email=admin.email, access_role="admin", active=False,
                         by=other_admin.id)
    assert access.permissions(world.db, admin.id) == frozenset()
    with pytest.raises(PermissionDenied, match="inactive"):
        access.require(world.db, admin.id, "erase_data")


def test_the_local_admin_may_do_everything(world: World) -> None:
    assert access.permissions(world.db, LOCAL_ADMIN) == frozenset(ACTIONS)
    access.require(world.db, LOCAL_ADMIN, "erase_data")


def test_the_last_active_admin_cannot_be_demoted(world: World) -> None:
    admin = people.person(world.db, world.ids["admin"])
    with pytest.raises(ValidationFailed, match="active admin"):
        people.update_person(world.db, admin.id, name=admin.name, email=admin.email, access_role="coordinator",
                             by=admin.id)


def test_register_self_makes_the_first_person_admin(db: Database) -> None:
    first = people.register_self(db, name="First", email="first@example.com")
    second = people.register_self(db, name="Second", email="second@example.com")
    assert (first.access_role, second.access_role) == ("admin", "interviewer")


def test_imports_need_import_rights(world: World, tmp_path: Path) -> None:
    with pytest.raises(PermissionDenied, match="import_data"):
        exchange.import_files(world.db, [tmp_path / "x.json"], by=world.ids["interviewer"])
    (result,) = exchange.import_files(world.db, [tmp_path / "x.json"], by=world.ids["coordinator"])
    assert result.status == "refused"  # allowed to try; the file does not exist


GATED = {
    "create_person", "update_person", "create_opening", "update_opening", "create_candidate", "update_candidate",
    "create_loop", "delete_loop", "add_stage", "update_stage", "set_stage_plan", "remove_stage", "move_stage",
    "erase_candidate", "apply_retention", "set_retention_days",
}


def test_the_ui_always_says_who_acts() -> None:
    """Services default to the local admin for scripts; the UI must pass the signed-in person."""
    ui = Path(interviewkit.__file__).parent / "ui"
    missing = []
    for path in sorted(ui.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call):
                name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
                if name in GATED and not any(k.arg == "by" for k in node.keywords):
                    missing.append(f"{path.relative_to(ui)}:{node.lineno} {name}")
    assert not missing, missing


def test_a_draft_is_written_only_by_its_interviewer_from_the_window_that_holds_it(world: World) -> None:
    """Probe of issue 12: save_draft(db, 21, None, ...) wrote into Priya's draft once she had closed it
    cleanly (the lock owner is NULL then, and None matched it)."""
    from interviewkit.services import scorecards
    from interviewkit.services.errors import ScorecardLocked

    me = world.ids["interviewer"]
    card = scorecards.open_scorecard(world.db, world.stage, me, "window-1")
    scorecards.release(world.db, card.id, "window-1")  # a clean close: no lock owner
    changes = scorecards.DraftChanges(summary="written by someone else")
    with pytest.raises(ScorecardLocked, match="open it first"):
        scorecards.save_draft(world.db, card.id, None, changes, by=me)  # type: ignore[arg-type]
    for other in (world.ids["admin"], world.ids["coordinator"], None, LOCAL_ADMIN):
        with pytest.raises(PermissionDenied, match="only its interviewer writes a draft"):
            scorecards.save_draft(world.db, card.id, "window-1", changes, by=other)
    assert scorecards.scorecard_state(world.db, card.id, by=me).summary == ""
