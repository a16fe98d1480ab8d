"""People → Candidates: erasing a candidate's personal data (admins only), and editing by role."""

from __future__ import annotations

import os
from dataclasses import dataclass

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from interviewkit.services import loops, people, scorecards
from interviewkit.services.access import LOCAL_ADMIN
from interviewkit.services.context import AppContext
from interviewkit.ui.people.erase import EraseCandidateDialog
from interviewkit.ui.people.view import PeopleView
from tests.ui.people.conftest import Keyboard

JDS = ["ml-eng-manager-profile", "ml-lead-lisbon-ad"]


@dataclass
class Directory:
    ids: dict[str, int]
    candidate: int
    scorecard: int


@pytest.fixture
def directory(ctx: AppContext) -> Directory:
    db = ctx.db
    ids = {
        role: people.create_person(db, name=name, email=f"{role}@example.com", access_role=role, by=LOCAL_ADMIN).id
        for role, name in (("admin", "Lee Admin"), ("coordinator", "Cy Coordinator"), ("interviewer", "Ana Ortiz"))
    }
    opening = people.create_opening(db, title="ML Engineering Manager, Lisbon", jd_ids=JDS, by=LOCAL_ADMIN)
    cand = people.create_candidate(
        db,
        name="Priya Natarajan",
        opening_id=opening.id,
        email="priya@example.com",
        phone="+44 7700 900123",
        by=LOCAL_ADMIN,
    )
    loop = loops.create_loop(db, cand.id, name="Onsite", by=LOCAL_ADMIN).id
    stage = loops.add_stage(
        db,
        loop,
        name="Production ML",
        minutes=45,
        focus=["model-serving"],
        interviewer_id=ids["interviewer"],
        by=LOCAL_ADMIN,
    ).id
    loops.set_stage_plan(db, stage, ["latency-regression", "drift-incident"], by=LOCAL_ADMIN)
    card = scorecards.open_scorecard(db, stage, ids["interviewer"], ctx.instance_id)
    scorecards.save_draft(
        db,
        card.id,
        ctx.instance_id,
        scorecards.DraftChanges(
            notes={card.questions[0].asked_id: "Priya cut p99 from 480 ms to 120 ms by batching."},
            summary="Strong on serving.",
        ),
        by=ids["interviewer"],
    )
    scorecards.release(db, card.id, ctx.instance_id)
    return Directory(ids, cand.id, card.id)


def _view(qtbot: QtBot, kb: Keyboard, ctx: AppContext, user: int) -> PeopleView:
    ctx.user_id = user
    view = PeopleView()
    qtbot.addWidget(view)
    view.resize(1100, 600)
    view.set_context(ctx)
    kb.show_active(view)
    view.show_candidates_of(None)
    return view


def test_an_admin_erases_a_candidate_after_confirming(
    qtbot: QtBot, kb: Keyboard, ctx: AppContext, directory: Directory
) -> None:
    view = _view(qtbot, kb, ctx, directory.ids["admin"])
    tab = view.candidates_tab
    assert tab.select_record(directory.candidate)
    assert view.erase_button.isVisible() and view.erase_button.isEnabled()
    dialog = view.erase_current_candidate()
    assert isinstance(dialog, EraseCandidateDialog)
    qtbot.waitExposed(dialog)
    heading = dialog.findChild(type(dialog.goes), "eraseHeading")
    assert heading.text() == "Erase Priya Natarajan’s personal data?"
    assert dialog.fields[:3] == ("name", "email", "phone")
    assert "notes on 1 question" in dialog.fields and "1 scorecard summary" in dialog.fields
    assert "notes on 1 question" in dialog.goes.text()
    assert not dialog.erase_button.isEnabled()  # a reason first
    if os.environ.get("IK_SCREENSHOT"):
        dialog.grab().save(os.environ["IK_SCREENSHOT"])
    kb.type(dialog, "Requested by the candidate on 30 Nov")
    assert dialog.erase_button.isEnabled()
    with qtbot.waitSignal(view.sig_people_changed) as changed:
        qtbot.mouseClick(dialog.erase_button, Qt.MouseButton.LeftButton)
    info = changed.args[0]
    assert info.erased and info.name == f"Candidate #{directory.candidate} (erased)" and info.email == ""
    assert tab.current_record().id == directory.candidate
    assert not view.erase_button.isEnabled() and not tab.edit_button.isEnabled()
    state = scorecards.scorecard_state(ctx.db, directory.scorecard, by=LOCAL_ADMIN)
    assert all(not q.notes for q in state.questions) and state.summary == ""  # the autosaved draft too


def test_cancel_erases_nothing(qtbot: QtBot, kb: Keyboard, ctx: AppContext, directory: Directory) -> None:
    view = _view(qtbot, kb, ctx, directory.ids["admin"])
    assert view.candidates_tab.select_record(directory.candidate)
    dialog = view.erase_current_candidate()
    qtbot.waitExposed(dialog)
    kb.type(dialog, "changed my mind")
    kb.press(dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible()
    assert people.candidate(ctx.db, directory.candidate, by=LOCAL_ADMIN).name == "Priya Natarajan"


@pytest.mark.parametrize(
    ("role", "new_people", "new_openings", "new_candidates", "edit_candidates", "erase"),
    [
        ("admin", True, True, True, True, True),
        ("coordinator", False, False, True, True, False),
        ("interviewer", False, False, False, False, False),
    ],
)
def test_what_each_role_may_do_in_people(
    qtbot: QtBot,
    kb: Keyboard,
    ctx: AppContext,
    directory: Directory,
    role: str,
    new_people: bool,
    new_openings: bool,
    new_candidates: bool,
    edit_candidates: bool,
    erase: bool,
) -> None:
    view = _view(qtbot, kb, ctx, directory.ids[role])
    assert view.people_tab.new_button.isEnabled() == new_people
    assert view.openings_tab.new_button.isEnabled() == new_openings
    assert view.candidates_tab.new_button.isEnabled() == new_candidates
    assert view.candidates_tab.select_record(directory.candidate)
    assert view.candidates_tab.edit_button.isEnabled() == edit_candidates
    assert view.erase_button.isVisible() == erase
    assert (view.erase_current_candidate() is not None) == erase
    assert view.people_tab.can_edit(people.person(ctx.db, directory.ids["admin"])) == new_people
