"""Evidence checklists in a scorecard (issue 14): a question's state carries its checklist, thresholds,
examples, scope, the items ticked and the level the ticks suggest (never the rating itself); ticks autosave
with the draft, travel in the recovery journal and, when there are some, in exchange files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from interviewkit.bank.loader import load_settings
from interviewkit.services import exchange, interview_views, recovery, scorecards, signing
from interviewkit.services.access import LOCAL_ADMIN
from interviewkit.services.errors import ValidationFailed
from interviewkit.services.recovery import Journal, replay
from interviewkit.services.scorecards import DraftChanges, RatingState
from tests.second_edition import World, build_world, make_second_edition

SETTINGS = load_settings(Path(__file__).parents[2] / "question_bank")
LABELS = dict(SETTINGS.scale.labels)
WINDOW = "laptop:1:aaaa"


@pytest.fixture
def world(db, mini_bank: Path) -> World:  # type: ignore[no-untyped-def]
    return build_world(db, make_second_edition(mini_bank))


def _open(w: World) -> tuple[scorecards.ScorecardState, int, int]:
    """The interview stage's scorecard, opened: (state, latency-regression's asked id, serving-design's)."""
    card = scorecards.open_scorecard(w.db, w.interview, w.interviewer, WINDOW)
    asked = {q.question_id: q.asked_id for q in card.questions}
    return card, asked["latency-regression"], asked["serving-design"]


def _question(w: World, card_id: int, asked_id: int) -> scorecards.AskedState:
    state = scorecards.scorecard_state(w.db, card_id, by=w.interviewer)
    return next(q for q in state.questions if q.asked_id == asked_id)


@pytest.mark.parametrize(("ticks", "level"), [
    ((), 1), ((3,), 1), ((3, 4), 2), ((1, 2), 2), ((1, 2, 4), 3), ((1, 2, 3, 4), 4),
])
def test_a_question_carries_its_checklist_and_the_level_its_ticks_suggest(world: World, ticks: tuple[int, ...],
                                                                         level: int) -> None:
    card, _, design = _open(world)
    q = next(q for q in card.questions if q.asked_id == design)
    assert len(q.evidence) == 4 and q.thresholds == ((2, "any 2"), (3, "1, 2 and any 1 of 3-4"), (4, "all"))
    assert [lv for lv, _ in q.examples] == [2, 4] and q.scope.startswith("A manager sizes")
    assert q.evidence_ticks == () and q.suggested_level == 1
    scorecards.save_draft(world.db, card.id, WINDOW, DraftChanges(ticks={design: ticks}), by=world.interviewer)
    q = _question(world, card.id, design)
    assert q.evidence_ticks == ticks and q.suggested_level == level
    ratings = scorecards.scorecard_state(world.db, card.id, by=world.interviewer).ratings
    assert all(r.score is None for r in ratings.values())  # a suggestion, never a rating


def test_ticks_replace_what_was_ticked_kept_sorted_and_once(world: World) -> None:
    card, latency, design = _open(world)
    saved = scorecards.save_draft(world.db, card.id, WINDOW, DraftChanges(ticks={design: (4, 1, 4), latency: (2,)}),
                                  by=world.interviewer)
    assert saved.changes.scorecards == {card.id}
    assert _question(world, card.id, design).evidence_ticks == (1, 4)
    scorecards.save_draft(world.db, card.id, WINDOW, DraftChanges(ticks={design: (2,)}), by=world.interviewer)
    assert _question(world, card.id, design).evidence_ticks == (2,)
    assert _question(world, card.id, latency).evidence_ticks == (2,)  # untouched


@pytest.mark.parametrize("bad", [(0,), (5,), (True,), ("1",), (1.0,)])
def test_a_tick_the_checklist_lacks_refuses_the_whole_save(world: World, bad: tuple[object, ...]) -> None:
    card, latency, design = _open(world)
    before = scorecards.scorecard_state(world.db, card.id, by=world.interviewer)
    with pytest.raises(ValidationFailed, match="is not an item of this question"):
        scorecards.save_draft(world.db, card.id, WINDOW,
                              DraftChanges(notes={latency: "lost?"}, ticks={design: bad}),  # type: ignore[dict-item]
                              by=world.interviewer)
    after = scorecards.scorecard_state(world.db, card.id, by=world.interviewer)
    assert after.revision == before.revision and after.questions == before.questions


def test_the_cockpit_words_for_the_checklist_and_the_suggestion(world: World) -> None:
    card, _, design = _open(world)
    scorecards.save_draft(world.db, card.id, WINDOW, DraftChanges(ticks={design: (1, 2, 3)}), by=world.interviewer)
    q = _question(world, card.id, design)
    suggestion = interview_views.suggestion_text(q, LABELS)
    assert suggestion == "The ticks suggest 3 · Clear evidence (3 of 4 items). You rate."
    page = interview_views.checklist_html(q, LABELS, subtle="grey")
    assert "☑ 1. States the latency target" in page and "☐ 4. Plans the rollout" in page
    assert "Items each level needs: 2: any 2 · 3: 1, 2 and any 1 of 3-4 · 4: all" in page
    assert "Sounds like 4 · Strong, exemplary evidence" in page and "Scope: A manager sizes" in page
    assert interview_views.checklist_html(replace_evidence(q), LABELS, subtle="grey") == ""
    assert interview_views.suggestion_text(replace_evidence(q), LABELS) == ""


def replace_evidence(q: scorecards.AskedState) -> scorecards.AskedState:
    """The same question as a first-edition version would be: no checklist."""
    from dataclasses import replace

    return replace(q, evidence=(), thresholds=(), examples=(), scope="")


# --- the recovery journal -----------------------------------------------------------------------------------


def test_ticks_travel_in_the_journal_and_replay_once(world: World, tmp_path: Path) -> None:
    changes = DraftChanges(ticks={7: (1, 3)}, notes={7: "x"})
    assert recovery.decode_changes(json.loads(json.dumps(recovery.encode_changes(changes)))) == changes
    assert recovery.describe_changes(DraftChanges(ticks={7: (1,), 8: (2,)})) == "evidence ticked for 2 questions"
    for bad in ({"ticks": {"7": "1,3"}}, {"ticks": {"7": [1.5]}}, {"ticks": {"x": [1]}}, {"ticks": {"7": [1] * 65}}):
        with pytest.raises(ValueError):
            recovery.decode_changes(bad)
    card, latency, design = _open(world)
    state = scorecards.scorecard_state(world.db, card.id, by=world.interviewer)
    journal = Journal.create(tmp_path, world.db, state, world.interviewer, WINDOW)
    journal.record(DraftChanges(ticks={design: (1,)}))
    journal.record(DraftChanges(ticks={design: (1, 2, 3)}, notes={latency: "p99 40 -> 95"}))
    assert journal.sync()
    journal.close()
    pending = recovery.read_journal(journal.path).pending
    assert pending is not None and pending.ticks == {design: (1, 2, 3)}
    shown = recovery.overlay(state, pending)
    assert next(q for q in shown.questions if q.asked_id == design).suggested_level == 3
    resumed = scorecards.open_scorecard(world.db, world.interview, world.interviewer, "desk:2:bbbb", take_over=True)
    assert recovery.still_to_write(resumed, pending).ticks == {design: (1, 2, 3)}
    result = replay(world.db, card.id, "desk:2:bbbb", by=world.interviewer, directory=tmp_path)
    assert result.applied
    assert _question(world, card.id, design).evidence_ticks == (1, 2, 3)
    after = scorecards.scorecard_state(world.db, card.id, by=world.interviewer)
    assert recovery.still_to_write(after, pending).is_empty()  # written once: nothing left


# --- exchange files -----------------------------------------------------------------------------------------


def _submitted(w: World, ticks: dict[str, tuple[int, ...]]) -> int:
    card, latency, design = _open(w)
    ids = {"latency-regression": latency, "serving-design": design}
    ratings = {c.id: RatingState(3, evidence="clear") for c in card.focus}
    scorecards.save_draft(w.db, card.id, WINDOW, DraftChanges(
        ticks={ids[q]: t for q, t in ticks.items()}, ratings=ratings, recommendation="Yes", summary="Solid."),
        by=w.interviewer)
    scorecards.submit(w.db, card.id, w.interviewer, SETTINGS)
    key, _ = signing.create_key("ines.interviewer@example.com")
    signing.register_own_key(w.db, signing.public_key_of(key), by=w.interviewer)
    return card.id


def test_an_exchange_file_carries_ticks_only_when_there_are_some(world: World) -> None:
    card_id = _submitted(world, {"serving-design": (1, 2)})
    doc = exchange.export_scorecard(world.db, card_id, by=world.interviewer)
    questions = {q["question_id"]: q for q in doc["scorecard"]["questions"]}
    assert questions["serving-design"]["evidence_ticks"] == [1, 2]
    assert "evidence_ticks" not in questions["latency-regression"]  # as earlier versions wrote it


def test_ticks_are_imported_with_the_scorecard_and_checked_against_the_checklist(
    world: World, make_db, mini_bank: Path, tmp_path: Path  # type: ignore[no-untyped-def]
) -> None:
    card_id = _submitted(world, {"serving-design": (2, 4)})
    file = exchange.write_export(world.db, card_id, tmp_path / "ines.json", by=world.interviewer)
    from interviewkit.storage.db import open_database

    lead = open_database(make_db("lead"))
    try:
        there = build_world(lead, mini_bank)
        signing.set_person_key(lead, "ines.interviewer@example.com",
                               exchange.public_key_from_file(file)[0], reason="checked", by=LOCAL_ADMIN)
        # a file whose ticks name an item the checklist lacks is refused (signed, so only that is wrong)
        doc = json.loads(file.read_text())
        doc["scorecard"]["questions"][1]["evidence_ticks"] = [2, 9]
        key, _ = signing.create_key("ines.interviewer@example.com")
        forged = tmp_path / "forged.json"
        forged.write_text(json.dumps(exchange.sign_document(doc, key, name="Ines Interviewer",
                                                            email="ines.interviewer@example.com")))
        (refused,) = exchange.import_files(lead, [forged], by=there.admin, settings=SETTINGS)
        assert refused.status == "refused"
        assert refused.message.endswith(
            "$.scorecard.questions[1].evidence_ticks: item 9 is not on the checklist of 'serving-design' (4 items)")
        (result,) = exchange.import_files(lead, [file], by=there.admin, settings=SETTINGS)
        assert result.status == "imported", result.message
        state = scorecards.scorecard_state(lead, result.scorecard_id or 0, by=LOCAL_ADMIN)
        design = next(q for q in state.questions if q.question_id == "serving-design")
        assert design.evidence_ticks == (2, 4) and design.suggested_level == 2
    finally:
        lead.dispose()
