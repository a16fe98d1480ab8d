"""Evidence ticks of a submitted scorecard are part of the record (issue 14), on both backends: they change
only through an amendment with a reason, audited before and after like a rating; a draft's save cannot touch
them once the scorecard is submitted."""

from __future__ import annotations

from pathlib import Path

import pytest

from interviewkit.bank.loader import load_settings
from interviewkit.services import interview_views, scorecards
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


def _submitted(w: World) -> tuple[int, int]:
    """The interview stage's scorecard submitted with items 1 and 2 of serving-design ticked: (card, asked id)."""
    card = scorecards.open_scorecard(w.db, w.interview, w.interviewer, WINDOW)
    design = next(q.asked_id for q in card.questions if q.question_id == "serving-design")
    ratings = {c.id: RatingState(3) for c in card.focus}
    changes = DraftChanges(ticks={design: (1, 2)}, ratings=ratings, recommendation="Yes", summary="Solid.")
    scorecards.save_draft(w.db, card.id, WINDOW, changes, by=w.interviewer)
    scorecards.submit(w.db, card.id, w.interviewer, SETTINGS)
    return card.id, design


def _ticks(w: World, card: int, asked: int) -> tuple[int, ...]:
    state = scorecards.scorecard_state(w.db, card, by=w.interviewer)
    return next(q.evidence_ticks for q in state.questions if q.asked_id == asked)


def test_a_draft_save_cannot_change_the_ticks_of_a_submitted_scorecard(world: World) -> None:
    card, design = _submitted(world)
    with pytest.raises(ScorecardLocked, match="changes now need an amendment with a reason"):
        scorecards.save_draft(world.db, card, WINDOW, DraftChanges(ticks={design: (1, 2, 3, 4)}), by=world.interviewer)
    assert _ticks(world, card, design) == (1, 2)


def test_ticks_are_amended_with_a_reason_and_audited_before_and_after(world: World) -> None:
    card, design = _submitted(world)
    with pytest.raises(ValidationFailed, match="say why"):
        scorecards.amend(world.db, card, world.interviewer, reason=" ", ticks={design: (1, 2, 3)}, settings=SETTINGS)
    with pytest.raises(PermissionDenied):
        scorecards.amend(world.db, card, world.manager, reason="x", ticks={design: (1, 2, 3)}, settings=SETTINGS)
    with pytest.raises(ValidationFailed, match="is not an item of this question"):
        scorecards.amend(world.db, card, world.interviewer, reason="x", ticks={design: (9,)}, settings=SETTINGS)
    with pytest.raises(ValidationFailed, match="No question 999999 in this scorecard"):
        scorecards.amend(world.db, card, world.interviewer, reason="x", ticks={999999: (1,)}, settings=SETTINGS)
    with pytest.raises(ValidationFailed, match="Nothing was changed"):
        scorecards.amend(world.db, card, world.interviewer, reason="x", ticks={design: (2, 1)}, settings=SETTINGS)
    assert _ticks(world, card, design) == (1, 2)
    amended = scorecards.amend(
        world.db,
        card,
        world.interviewer,
        reason="I missed that they compared models",
        ticks={design: (3, 1, 2)},
        settings=SETTINGS,
    )
    assert amended.changes.scorecards == {card}
    assert _ticks(world, card, design) == (1, 2, 3)
    entry = audit_trail(world.db, "scorecard", card, by=world.interviewer)[-1]
    assert entry.action == "amended" and entry.reason == "I missed that they compared models"
    detail = {k: v for k, v in entry.detail.items() if k != "db_login"}  # PostgreSQL adds the login
    assert detail == {f"ticks:{design}": {"before": [1, 2], "after": [1, 2, 3]}}
    page = interview_views.audit_html([entry], {}, {design: "Serving design"})
    assert "Evidence ticked for “Serving design”: items 1 and 2 → <b>items 1, 2 and 3</b>" in page
