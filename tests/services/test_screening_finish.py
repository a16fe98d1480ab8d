"""Finishing a recruiter's screen (issue 14), on both backends: like submitting a scorecard, only its interviewer
or an admin, once every item is answered; the finish is audited and the answers then no longer change."""

from __future__ import annotations

from pathlib import Path

import pytest

from interviewkit.services import screening
from interviewkit.services.access import LOCAL_ADMIN
from interviewkit.services.audit import audit_trail
from interviewkit.services.errors import NotFound, PermissionDenied, ValidationFailed
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
