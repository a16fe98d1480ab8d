"""Swapping a question for a variant during an interview, and exposure counted per variant group (issue 14),
on both backends."""

from __future__ import annotations

from pathlib import Path

import pytest

from interviewkit.bank.loader import load_settings
from interviewkit.services import scorecards, variants
from interviewkit.services.audit import audit_trail
from interviewkit.services.errors import PermissionDenied, ScorecardLocked, ValidationFailed
from interviewkit.services.scorecards import DraftChanges, RatingState
from interviewkit.storage.db import Database
from tests.second_edition import World, build_world, make_second_edition

SETTINGS = load_settings(Path(__file__).parents[2] / "question_bank")
WINDOW = "laptop:1:aaaa"


@pytest.fixture
def world(db: Database, mini_bank: Path) -> World:
    return build_world(db, make_second_edition(mini_bank))


def _open(w: World) -> tuple[int, int, int]:
    """The interview's scorecard opened: (card, latency-regression's asked id, serving-design's)."""
    card = scorecards.open_scorecard(w.db, w.interview, w.interviewer, WINDOW)
    asked = {q.question_id: q.asked_id for q in card.questions}
    return card.id, asked["latency-regression"], asked["serving-design"]


def test_a_question_is_swapped_for_a_sibling_not_in_the_loop_before_anything_is_written(world: World) -> None:
    w = world
    card, latency, design = _open(w)
    options = variants.variant_options(w.db, card, design, by=w.interviewer)
    assert [(o.question_id, o.title) for o in options] == [("serving-design-story", "A serving fleet you sized")]
    assert variants.variant_options(w.db, card, latency, by=w.interviewer) == []  # in no group
    with pytest.raises(PermissionDenied):
        variants.variant_options(w.db, card, design, by=w.outsider)
    with pytest.raises(ValidationFailed, match="that this loop has not used"):
        variants.swap_variant(w.db, card, WINDOW, latency, "serving-design-story", by=w.interviewer)
    with pytest.raises(PermissionDenied):
        variants.swap_variant(w.db, card, WINDOW, design, "serving-design-story", by=w.outsider)
    with pytest.raises(ScorecardLocked):
        variants.swap_variant(w.db, card, "another:1:x", design, "serving-design-story", by=w.interviewer)

    swapped = variants.swap_variant(w.db, card, WINDOW, design, "serving-design-story", by=w.interviewer)
    assert swapped.id == design and swapped.changes.scorecards == {card}
    state = scorecards.scorecard_state(w.db, card, by=w.interviewer)
    q = next(q for q in state.questions if q.asked_id == design)
    assert (q.question_id, q.title, q.planned, q.position) == ("serving-design-story", "A serving fleet you sized",
                                                               False, 1)
    assert [q.question_id for q in state.questions] == ["latency-regression", "serving-design-story"]
    entry = audit_trail(w.db, "scorecard", card, by=w.interviewer)[-1]
    assert entry.action == "swapped" and entry.detail["from"] == "serving-design v1"
    assert entry.detail["to"] == "serving-design-story v1"
    # the head is still planned for this stage: it is in the loop, so nothing is offered to swap back to
    assert variants.variant_options(w.db, card, design, by=w.interviewer) == []


@pytest.mark.parametrize("written", ["notes", "ticks"])
def test_a_question_with_notes_or_ticks_is_not_swapped(world: World, written: str) -> None:
    w = world
    card, _, design = _open(w)
    change = DraftChanges(notes={design: "Sized it for p99"}) if written == "notes" else DraftChanges(
        ticks={design: (1,)})
    scorecards.save_draft(w.db, card, WINDOW, change, by=w.interviewer)
    with pytest.raises(ValidationFailed, match="already has notes or ticked evidence"):
        variants.swap_variant(w.db, card, WINDOW, design, "serving-design-story", by=w.interviewer)
    state = scorecards.scorecard_state(w.db, card, by=w.interviewer)
    assert [q.question_id for q in state.questions] == ["latency-regression", "serving-design"]


def test_exposure_is_counted_per_variant_group(world: World) -> None:
    w = world
    card, _, design = _open(w)
    variants.swap_variant(w.db, card, WINDOW, design, "serving-design-story", by=w.interviewer)
    focus = scorecards.scorecard_state(w.db, card, by=w.interviewer).focus
    scorecards.save_draft(w.db, card, WINDOW, DraftChanges(ratings={c.id: RatingState(3) for c in focus},
                                                            recommendation="Yes", summary="Solid."),
                          by=w.interviewer)
    scorecards.submit(w.db, card, w.interviewer, SETTINGS)
    groups = {g.head: g for g in variants.group_exposure(w.db, by=w.admin)}
    design_group = groups["serving-design"]  # asked as its variant, counted for the group
    assert design_group.members == ("serving-design", "serving-design-story")
    assert (design_group.times_asked, design_group.loops, design_group.loop_share, design_group.exposed) == (
        1, 1, 1.0, True)
    assert groups["latency-regression"].members == ("latency-regression",)
    assert "serving-design-story" not in groups
