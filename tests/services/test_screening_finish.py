"""Finishing a recruiter's screen (issue 14), on both backends: like submitting a scorecard, only its interviewer
or an admin, once every item is answered; the finish is audited and the answers then no longer change."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from interviewkit.bank.loader import load_settings
from interviewkit.services import debrief, privacy, scorecards, screening
from interviewkit.services.access import LOCAL_ADMIN
from interviewkit.services.audit import audit_trail
from interviewkit.services.errors import NotFound, PermissionDenied, ValidationFailed
from interviewkit.services.scorecards import DraftChanges, RatingState
from interviewkit.storage.db import Database
from tests.second_edition import SCREENED, World, build_world, make_second_edition


@pytest.fixture
def world(db: Database, mini_bank: Path) -> World:
    return build_world(db, make_second_edition(mini_bank))


def test_a_screen_is_finished_once_every_item_has_an_answer_then_its_answers_stay(world: World) -> None:
    w = world
    assert screening.is_screen(w.db, w.screen) and not screening.is_screen(w.db, w.interview)
    with pytest.raises(NotFound):
        screening.is_screen(w.db, 99999)
    screening.record_screen_answer(w.db, w.screen, SCREENED[0], "yes", "9 years", by=w.recruiter)
    with pytest.raises(ValidationFailed, match="No answer yet: BS/MS in Computer Science") as refused:
        screening.finish_screen(w.db, w.screen, by=w.recruiter)
    assert len(refused.value.problems) == 1
    screening.record_screen_answer(w.db, w.screen, SCREENED[1], "unclear", "", by=w.recruiter)
    for stranger in (w.interviewer, w.manager, w.outsider, None):
        with pytest.raises(PermissionDenied):
            screening.finish_screen(w.db, w.screen, by=stranger)
    before = screening.screen_checklist(w.db, w.screen, by=w.recruiter)
    assert not before.finished and before.may_answer
    changes = screening.finish_screen(w.db, w.screen, by=w.recruiter)
    assert changes.loops == {w.loop} and changes.candidates == {w.candidate}
    after = screening.screen_checklist(w.db, w.screen, by=w.recruiter)
    assert after.finished and after.finished_by == "Rui Recruiter" and not after.may_answer
    assert [i.answer for i in after.items] == ["yes", "unclear"]
    (entry,) = audit_trail(w.db, "stage", w.screen, by=w.admin)
    assert entry.action == "finished" and entry.detail["answers"] == {SCREENED[0]: "yes", SCREENED[1]: "unclear"}
    for who in (w.recruiter, w.admin):  # the record: nobody changes an answer afterwards, nor finishes again
        with pytest.raises(ValidationFailed, match=r"was finished on .*: its answers are part of the record"):
            screening.record_screen_answer(w.db, w.screen, SCREENED[1], "no", "changed my mind", by=who)
    with pytest.raises(ValidationFailed, match="was finished"):
        screening.finish_screen(w.db, w.screen, by=w.recruiter)
    assert [i.answer for i in screening.screen_checklist(w.db, w.screen, by=LOCAL_ADMIN).items] == ["yes", "unclear"]


def test_an_interview_stage_is_not_finished_as_a_screen(world: World) -> None:
    with pytest.raises(ValidationFailed, match="is an interview"):
        screening.finish_screen(world.db, world.interview, by=world.admin)


SETTINGS = load_settings(Path(__file__).parents[2] / "question_bank")
NOTE = "Nine years at two banks, confirmed on the call"


def _finished_screen(w: World) -> None:
    screening.record_screen_answer(w.db, w.screen, SCREENED[0], "yes", NOTE, by=w.recruiter)
    screening.record_screen_answer(w.db, w.screen, SCREENED[1], "unclear", "Degree abroad", by=w.recruiter)
    screening.finish_screen(w.db, w.screen, by=w.recruiter, now=datetime(2027, 2, 1, 9, 30, tzinfo=UTC))


def _submit_interview(w: World) -> None:
    card = scorecards.open_scorecard(w.db, w.interview, w.interviewer, "test:1")
    ratings = {c.id: RatingState(3, evidence="clear") for c in card.focus}
    scorecards.save_draft(w.db, card.id, "test:1", DraftChanges(ratings=ratings, recommendation="Yes",
                                                                summary="Solid."), by=w.interviewer)
    scorecards.submit(w.db, card.id, w.interviewer, SETTINGS)


def test_the_panel_sees_that_the_screen_was_finished_and_reads_it_once_their_scorecard_is_in(world: World) -> None:
    """The lead's decision (issue 14): the finish (who, when) for the panel at any time; the answers and notes
    for the screen's interviewer, admins and the opening's hiring manager, and for a panel member only once
    their own scorecard for the candidate is submitted. The same in the debrief."""
    w = world
    _finished_screen(w)
    shown = [("yes", NOTE), ("unclear", "Degree abroad")]
    for reader, may_amend in ((w.recruiter, True), (w.admin, True), (w.manager, False), (LOCAL_ADMIN, True)):
        seen = screening.screen_checklist(w.db, w.screen, by=reader)
        assert (seen.finished_by, seen.finished_at) == ("Rui Recruiter", datetime(2027, 2, 1, 9, 30, tzinfo=UTC))
        assert [(i.answer, i.note) for i in seen.items] == shown and seen.answers_hidden == ""
        assert (seen.may_answer, seen.may_amend) == (False, may_amend)
    early = screening.screen_checklist(w.db, w.screen, by=w.interviewer)  # on the panel, scorecard not in
    assert early.finished and early.finished_by == "Rui Recruiter"
    assert [(i.answer, i.note, i.answered_by) for i in early.items] == [(None, "", ""), (None, "", "")]
    assert "once your own scorecard for this candidate is submitted" in early.answers_hidden
    assert not early.may_amend and not early.may_answer
    d = debrief.debrief(w.db, w.candidate, w.interviewer, SETTINGS)
    entry = next(c for c in d.coverage if c.requirement_id == SCREENED[0])
    assert entry.words() == "checked by the screen (Recruiter screen: answered, shown once your own scorecard is in)"
    assert "Nine years" not in repr(d) and "'yes'" not in repr(d.coverage)
    with pytest.raises(PermissionDenied, match="only its interviewer, the candidate's panel and the debrief lead"):
        screening.screen_checklist(w.db, w.screen, by=w.outsider)
    _submit_interview(w)
    late = screening.screen_checklist(w.db, w.screen, by=w.interviewer)
    assert [(i.answer, i.note) for i in late.items] == shown and late.answers_hidden == ""
    d = debrief.debrief(w.db, w.candidate, w.interviewer, SETTINGS)
    entry = next(c for c in d.coverage if c.requirement_id == SCREENED[0])
    assert entry.words() == "checked by the screen (Recruiter screen: yes)"


def test_a_finished_screen_changes_only_by_an_audited_amendment_with_a_reason(world: World) -> None:
    w = world
    screening.record_screen_answer(w.db, w.screen, SCREENED[0], "yes", NOTE, by=w.recruiter)
    with pytest.raises(ValidationFailed, match="is not finished: its answers are simply given again"):
        screening.amend_screen_answer(w.db, w.screen, SCREENED[0], "no", "", reason="typo", by=w.recruiter)
    screening.record_screen_answer(w.db, w.screen, SCREENED[1], "unclear", "", by=w.recruiter)
    screening.finish_screen(w.db, w.screen, by=w.recruiter)
    for stranger in (w.interviewer, w.manager, w.outsider, None):
        with pytest.raises(PermissionDenied, match=r"may not|Nobody"):
            screening.amend_screen_answer(w.db, w.screen, SCREENED[1], "yes", "", reason="saw it", by=stranger)
    with pytest.raises(ValidationFailed, match="Reason: say why"):
        screening.amend_screen_answer(w.db, w.screen, SCREENED[1], "yes", "", reason="  ", by=w.recruiter)
    with pytest.raises(ValidationFailed, match="Nothing was changed"):
        screening.amend_screen_answer(w.db, w.screen, SCREENED[1], "unclear", "", reason="x", by=w.recruiter)
    with pytest.raises(ValidationFailed, match="Answer: 'maybe'"):
        screening.amend_screen_answer(w.db, w.screen, SCREENED[1], "maybe", "", reason="x", by=w.recruiter)
    changes = screening.amend_screen_answer(w.db, w.screen, SCREENED[1], "yes", "Diploma seen", by=w.recruiter,
                                            reason="The diploma arrived by mail")
    assert changes.loops == {w.loop} and changes.candidates == {w.candidate}
    screening.amend_screen_answer(w.db, w.screen, SCREENED[0], "no", "Seven years", by=w.admin, reason="Rechecked")
    after = screening.screen_checklist(w.db, w.screen, by=w.recruiter)
    assert [(i.answer, i.note) for i in after.items] == [("no", "Seven years"), ("yes", "Diploma seen")]
    assert after.finished and after.finished_by == "Rui Recruiter"
    amended = [e for e in audit_trail(w.db, "stage", w.screen, by=w.admin) if e.action == "amended"]
    assert [(e.actor, e.reason, e.detail["requirement"]) for e in amended] == [
        ("Rui Recruiter", "The diploma arrived by mail", SCREENED[1]), ("Ada Admin", "Rechecked", SCREENED[0])]
    assert amended[0].detail["before"] == {"answer": "unclear", "note": ""}
    assert amended[0].detail["after"] == {"answer": "yes", "note": "Diploma seen"}
    with pytest.raises(ValidationFailed, match="change only by an amendment with a reason"):
        screening.record_screen_answer(w.db, w.screen, SCREENED[1], "no", by=w.recruiter)


def test_erasing_the_candidate_empties_a_finished_screens_notes_and_keeps_its_finish(world: World) -> None:
    """An erasure changes a finished screen with its reason (on PostgreSQL the trigger of revision 0013
    lets a finished screen's answers change only so); the answers and the finish stay, as ratings do."""
    w = world
    _finished_screen(w)
    privacy.erase_candidate(w.db, w.candidate, by=LOCAL_ADMIN, reason="asked")
    seen = screening.screen_checklist(w.db, w.screen, by=LOCAL_ADMIN)
    assert [(i.answer, i.note) for i in seen.items] == [("yes", ""), ("unclear", "")]
    assert seen.finished and seen.finished_by == "Rui Recruiter"
    with pytest.raises(ValidationFailed, match="personal data was erased"):
        screening.amend_screen_answer(w.db, w.screen, SCREENED[0], "no", "", reason="late", by=w.recruiter)
