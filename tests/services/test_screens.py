"""The recruiter's screen and a loop's coverage with the bank's second edition (issue 14), on both backends.

A loop made from a template gets its screen stage (a checklist, no questions, never a scorecard); the
stage's interviewer (or an admin) answers it, the panel and the lead read it; coverage counts primary links
as assessed, lists related ones apart and what the screen checks, in the Loops screen, the debrief and
the interviewer's list.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from interviewkit.bank.loader import load_settings
from interviewkit.services import debrief, loop_plan, loops, people, privacy, scorecards, screening
from interviewkit.services.access import LOCAL_ADMIN
from interviewkit.services.errors import PermissionDenied, ValidationFailed
from interviewkit.services.scorecards import DraftChanges, RatingState
from interviewkit.storage.db import Database
from tests.second_edition import LATENCY, PRIMARY, RELATED, SCREENED, World, build_world, make_second_edition

SETTINGS = load_settings(Path(__file__).parents[2] / "question_bank")


@pytest.fixture
def world(db: Database, mini_bank: Path) -> World:
    return build_world(db, make_second_edition(mini_bank))


def _submit_interview(w: World, notes: str = "Gave p99 before and after.") -> int:
    card = scorecards.open_scorecard(w.db, w.interview, w.interviewer, "test:1")
    first = card.questions[0].asked_id
    ratings = {c.id: RatingState(3, evidence="clear") for c in card.focus}
    scorecards.save_draft(w.db, card.id, "test:1", DraftChanges(notes={first: notes}, ratings=ratings,
                                                                recommendation="Yes", summary="Solid."),
                          by=w.interviewer)
    scorecards.submit(w.db, card.id, w.interviewer, SETTINGS)
    return card.id


def test_a_loop_from_a_template_gets_its_screen_stage_with_the_checklist(world: World) -> None:
    w = world
    templates = {t.position: t for t in loops.template_stages(w.db, "mini-loop")}
    assert (templates[1].kind, templates[1].checklist, templates[1].questions) == ("screen", SCREENED, ())
    assert templates[2].kind == "interview" and templates[2].questions == ("latency-regression", "serving-design")
    screen, interview = loops.loop_detail(w.db, w.loop, by=LOCAL_ADMIN).stages
    assert (screen.kind, screen.checklist, screen.focus, screen.questions) == ("screen", SCREENED, (), ())
    assert screen.is_screen and not screen.screen_done and screen.interviewer_id == w.recruiter
    assert (interview.kind, interview.checklist) == ("interview", ())
    with pytest.raises(ValidationFailed, match="is a screen"):
        scorecards.open_scorecard(w.db, w.screen, w.recruiter, "test:1")
    with pytest.raises(ValidationFailed, match="a checklist, not questions"):
        loops.set_stage_plan(w.db, w.screen, ["latency-regression"], by=LOCAL_ADMIN)


def test_the_screens_interviewer_answers_each_item_and_the_panel_and_lead_read_them(world: World) -> None:
    w = world
    changes = screening.record_screen_answer(w.db, w.screen, SCREENED[0], "unclear", "CV says 7.5 years",
                                             by=w.recruiter)
    assert changes.loops == {w.loop} and changes.candidates == {w.candidate}
    screening.record_screen_answer(w.db, w.screen, SCREENED[0], "yes", "Confirmed 9 years on the call",
                                   by=w.recruiter)  # a second answer replaces the first
    # the panel's interviewer sees the items, not the answers, until their own scorecard is in (revision 0013)
    early = screening.screen_checklist(w.db, w.screen, by=w.interviewer)
    assert [(i.answer, i.note) for i in early.items] == [(None, ""), (None, "")]
    assert "once your own scorecard for this candidate is submitted" in early.answers_hidden
    _submit_interview(w)
    for reader in (w.recruiter, w.interviewer, w.manager, w.admin, LOCAL_ADMIN):
        seen = screening.screen_checklist(w.db, w.screen, by=reader)
        assert seen.answers_hidden == ""
        assert [(i.requirement_id, i.answer) for i in seen.items] == [(SCREENED[0], "yes"), (SCREENED[1], None)]
        assert seen.items[0].note == "Confirmed 9 years on the call" and seen.items[0].answered_by == "Rui Recruiter"
        assert seen.items[0].ask == "Eight or more years of hands-on ML engineering?"
        assert seen.items[1].text == "BS/MS in Computer Science, Engineering, or related field"
        assert (seen.answered, seen.done, seen.may_answer) == (1, False, reader in (w.recruiter, w.admin, LOCAL_ADMIN))
    with pytest.raises(PermissionDenied, match="only its interviewer, the candidate's panel and the debrief lead"):
        screening.screen_checklist(w.db, w.screen, by=w.outsider)
    for stranger in (w.interviewer, w.manager, w.outsider, None):
        with pytest.raises(PermissionDenied):
            screening.record_screen_answer(w.db, w.screen, SCREENED[1], "yes", by=stranger)
    screening.record_screen_answer(w.db, w.screen, SCREENED[1], "no", by=w.admin)
    done = screening.screen_checklist(w.db, w.screen, by=w.recruiter)
    assert done.done and done.items[1].answered_by == "Ada Admin"


@pytest.mark.parametrize(("stage", "item", "answer", "note", "message"), [
    ("screen", SCREENED[0], "maybe", "", "Answer: 'maybe' is not one of yes, no, unclear"),
    ("screen", LATENCY, "yes", "", f"Item: {LATENCY} is not on this screen's checklist"),
    ("screen", SCREENED[0], "yes", "x" * (screening.MAX_NOTE + 1), "a note keeps at most 4,000"),
    ("interview", SCREENED[0], "yes", "", "is an interview: it has a scorecard"),
])
def test_a_bad_answer_is_refused_and_nothing_is_written(world: World, stage: str, item: str, answer: str, note: str,
                                                        message: str) -> None:
    w = world
    stage_id = w.screen if stage == "screen" else w.interview
    with pytest.raises(ValidationFailed, match=message):
        screening.record_screen_answer(w.db, stage_id, item, answer, note, by=w.admin)
    assert screening.screen_checklist(w.db, w.screen, by=w.admin).answered == 0


def test_a_screen_without_an_interviewer_or_of_an_erased_candidate_takes_no_answer(world: World) -> None:
    w = world
    st = loops.loop_detail(w.db, w.loop, by=LOCAL_ADMIN).stages[0]
    loops.update_stage(w.db, w.screen, name=st.name, minutes=st.minutes, focus=[], interviewer_id=None,
                       scheduled_at=None, by=LOCAL_ADMIN)
    with pytest.raises(PermissionDenied, match="it has no interviewer yet"):
        screening.record_screen_answer(w.db, w.screen, SCREENED[0], "yes", by=w.recruiter)
    with pytest.raises(ValidationFailed, match="a screen stage rates no competency"):
        loops.update_stage(w.db, w.screen, name=st.name, minutes=st.minutes, focus=["model-serving"],
                           interviewer_id=w.recruiter, scheduled_at=None, by=LOCAL_ADMIN)
    privacy.erase_candidate(w.db, w.candidate, by=LOCAL_ADMIN, reason="asked")
    with pytest.raises(ValidationFailed, match="personal data was erased"):
        screening.record_screen_answer(w.db, w.screen, SCREENED[0], "yes", by=w.admin)


def test_erasing_the_candidate_erases_the_screens_notes_and_keeps_the_answers(world: World) -> None:
    w = world
    screening.record_screen_answer(w.db, w.screen, SCREENED[0], "no", "Priya said six years at Acme", by=w.recruiter)
    privacy.erase_candidate(w.db, w.candidate, by=LOCAL_ADMIN, reason="asked")
    (item, _) = screening.screen_checklist(w.db, w.screen, by=w.admin).items
    assert (item.answer, item.note) == ("no", "")


def test_a_loop_or_screen_with_answers_is_kept(world: World) -> None:
    w = world
    screening.record_screen_answer(w.db, w.screen, SCREENED[0], "yes", by=w.recruiter)
    with pytest.raises(ValidationFailed, match="This loop has screen answers"):
        loops.delete_loop(w.db, w.loop, by=LOCAL_ADMIN)
    with pytest.raises(ValidationFailed, match="This screen has answers"):
        loops.remove_stage(w.db, w.screen, by=LOCAL_ADMIN)
    assert len(loops.loop_detail(w.db, w.loop, by=LOCAL_ADMIN).stages) == 2


def test_a_planner_adds_a_screen_stage_and_changes_its_checklist(world: World) -> None:
    w = world
    with pytest.raises(ValidationFailed) as refused:
        loops.add_stage(w.db, w.loop, name="Second screen", minutes=20, kind="screen",
                        checklist=[SCREENED[0], SCREENED[0], LATENCY], by=w.recruiter)
    assert refused.value.problems == [f"Checklist: {SCREENED[0]} is listed twice",
                                      f"Checklist: {LATENCY} is not a requirement of screening.yaml"]
    with pytest.raises(ValidationFailed, match="only a screen stage has a checklist"):
        loops.add_stage(w.db, w.loop, name="Talk", minutes=20, checklist=[SCREENED[0]], by=w.recruiter)
    created = loops.add_stage(w.db, w.loop, name="Second screen", minutes=20, kind="screen",
                              checklist=[SCREENED[1]], interviewer_id=w.recruiter, by=w.recruiter)
    assert created.changes.loops == {w.loop}
    assert loops.set_stage_checklist(w.db, created.id, [SCREENED[1], SCREENED[0]], by=w.recruiter).loops == {w.loop}
    stage = loops.loop_detail(w.db, w.loop, by=LOCAL_ADMIN).stages[-1]
    assert (stage.kind, stage.checklist) == ("screen", (SCREENED[1], SCREENED[0]))
    with pytest.raises(ValidationFailed, match="Only a screen stage has a checklist"):
        loops.set_stage_checklist(w.db, w.interview, [SCREENED[0]], by=w.recruiter)
    with pytest.raises(PermissionDenied):
        loops.set_stage_checklist(w.db, created.id, [SCREENED[0]], by=w.interviewer)


def test_progress_counts_a_screen_once_every_item_is_answered(world: World) -> None:
    w = world
    mine = {m.stage_id: m for m in loops.my_interviews(w.db, w.recruiter)}
    assert (mine[w.screen].kind, mine[w.screen].status, mine[w.screen].scorecard_id) == ("screen", "not started", None)
    screening.record_screen_answer(w.db, w.screen, SCREENED[0], "yes", by=w.recruiter)
    assert loops.my_interviews(w.db, w.recruiter)[0].status == "in progress"
    detail = loops.loop_detail(w.db, w.loop, by=LOCAL_ADMIN)
    assert detail.stages[0].screen_answered == 1 and loop_plan.loop_figures(detail).submitted == 0
    screening.record_screen_answer(w.db, w.screen, SCREENED[1], "no", by=w.recruiter)
    assert loops.my_interviews(w.db, w.recruiter)[0].status == "to finish"  # answered, not finished: still owed
    detail = loops.loop_detail(w.db, w.loop, by=LOCAL_ADMIN)
    assert detail.stages[0].screen_done and detail.stages[0].scorecard_status is None
    assert loop_plan.loop_figures(detail).submitted == 1
    (summary,) = loops.loops(w.db, by=LOCAL_ADMIN)
    assert (summary.stages, summary.submitted) == (2, 1)
    screening.finish_screen(w.db, w.screen, by=w.recruiter)
    assert loops.my_interviews(w.db, w.recruiter)[0].status == "finished"


def test_loop_coverage_counts_primary_links_and_lists_the_screen_and_related_ones_apart(world: World) -> None:
    w = world
    cov = loops.loop_coverage(w.db, w.loop, by=LOCAL_ADMIN)
    detail = loops.loop_detail(w.db, w.loop, by=LOCAL_ADMIN)
    assert cov.result.stages_of == {LATENCY: [w.interview], PRIMARY: [w.interview]}
    assert cov.result.by_stage == {w.screen: [], w.interview: [LATENCY, PRIMARY]}
    assert cov.screened == {SCREENED[0]: (w.screen,), SCREENED[1]: (w.screen,)}
    assert cov.related == {RELATED: (w.interview,)}  # serving-design only touches it: not assessed
    assert RELATED in cov.unassessed and SCREENED[0] not in cov.unassessed and PRIMARY not in cov.unassessed
    assert RELATED in cov.must_haves_unassessed and SCREENED[0] not in cov.must_haves_unassessed
    assert "ml-eng-manager-profile.typical-background.04" not in cov.must_haves_unassessed  # '(preferred)'
    assert "ml-eng-manager-profile.typical-background.04" in cov.unassessed
    assert loop_plan.requirement_words(cov, detail, PRIMARY) == "assessed in 2. Serving"
    assert loop_plan.requirement_words(cov, detail, SCREENED[1]) == "checked by the screen in 1. Recruiter screen"
    assert loop_plan.requirement_words(cov, detail, RELATED) == (
        "not assessed (a must-have); touched on in 2. Serving (not counted)")
    figures = loop_plan.coverage_figures(cov)
    total = cov.result.total
    assert (figures.assessed, figures.screened, figures.touched) == (2, 2, 1)
    assert figures.unassessed == total - 4 and figures.must_haves_unassessed == len(cov.must_haves_unassessed)
    assert figures.sentence().startswith(f"⚠ 2 of {total} requirements assessed · 2 checked by the screen · ")


def test_the_lead_sees_every_scorecard_once_the_interview_stages_are_in(world: World) -> None:
    """A screen stage never has a scorecard: it does not keep the debrief lead waiting."""
    w = world
    card = _submit_interview(w)
    d = debrief.debrief(w.db, w.candidate, w.manager, SETTINGS)
    assert [c.scorecard_id for c in d.columns] == [card] and d.hidden_count == 0
    assert (d.stage_count, d.submitted_count) == (1, 1)


def test_the_debrief_says_who_assessed_what_and_what_was_only_touched_or_screened(world: World) -> None:
    w = world
    card = scorecards.open_scorecard(w.db, w.interview, w.interviewer, "test:1")
    asked = {q.question_id: q.asked_id for q in card.questions}
    ratings = {c.id: RatingState(3, evidence="clear") for c in card.focus}
    scorecards.save_draft(w.db, card.id, "test:1", DraftChanges(
        notes={asked["latency-regression"]: "p99 40 -> 95 ms.", asked["serving-design"]: "Sized twelve pods."},
        ratings=ratings, recommendation="Yes", summary="Solid."), by=w.interviewer)
    scorecards.submit(w.db, card.id, w.interviewer, SETTINGS)
    screening.record_screen_answer(w.db, w.screen, SCREENED[0], "yes", by=w.recruiter)
    d = debrief.debrief(w.db, w.candidate, w.manager, SETTINGS)
    entries = {c.requirement_id: c for c in d.coverage}
    assert [(who, stage, title) for who, stage, title, _ in entries[PRIMARY].assessed_by] == [
        ("Ines Interviewer", "Serving", "Design a model serving fleet")]
    assert entries[RELATED].assessed_by == () and not entries[RELATED].covered
    assert entries[RELATED].related_by == (("Serving", "Design a model serving fleet"),)
    assert entries[RELATED].words() == (
        "not assessed; touched on in Serving: “Design a model serving fleet” (not counted)")
    assert entries[SCREENED[0]].screened_by == (("Recruiter screen", "yes"),)
    assert entries[SCREENED[0]].words() == "checked by the screen (Recruiter screen: yes)"
    assert entries[SCREENED[1]].on_screen and not entries[SCREENED[1]].covered
    assert entries[SCREENED[1]].words() == "on the screen's checklist, not answered yet"
    assert entries[PRIMARY].words() == "assessed in Serving"
    unassessed = {c.requirement_id for c in d.unassessed}
    assert RELATED in unassessed and SCREENED[1] in unassessed
    assert PRIMARY not in unassessed and SCREENED[0] not in unassessed
    assert [c.requirement_id for c in d.screened] == [SCREENED[0]]
    column = d.columns[0]
    design = next(q for q in column.questions if q.question_id == "serving-design")
    assert (design.requirements, design.related_requirements) == ((PRIMARY,), (RELATED,))


def test_people_on_no_panel_still_see_nothing_of_the_candidate(world: World) -> None:
    w = world
    with pytest.raises(PermissionDenied):
        debrief.debrief(w.db, w.candidate, w.outsider, SETTINGS)
    assert people.candidates(w.db, by=w.outsider) == []
