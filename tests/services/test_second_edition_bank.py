"""The bank's second edition in the database (issue 14): what a sync stores, how versions follow it, and what
the coverage screen and the bank browser read (primary links counted, related ones apart, the screen)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from interviewkit.services import bank_views
from interviewkit.services.access import LOCAL_ADMIN
from interviewkit.services.bank_queries import (
    coverage,
    question_detail,
    question_summaries,
    screening_items,
)
from interviewkit.services.bank_sync import sync_bank
from interviewkit.storage.db import Database
from tests.second_edition import LATENCY, PRIMARY, RELATED, SCREENED, make_second_edition

COLOURS = bank_views.PageColours("grey", "silver", "red")


@pytest.fixture
def bank(mini_bank: Path) -> Path:
    return make_second_edition(mini_bank)


def _links(db: Database, qid: str) -> dict[str, bool]:
    """requirement -> is_primary for a question's current version, straight from the table."""
    with db.engine.connect() as conn:
        rows = conn.execute(text(
            "SELECT l.requirement_id, l.is_primary FROM question_requirement l JOIN question_version v "
            "ON v.id = l.question_version_id JOIN question q ON q.id = v.question_id AND q.current_version = v.version "
            "WHERE q.id = :q"), {"q": qid}).all()
    return {r: bool(p) for r, p in rows}


def test_a_sync_stores_the_checklist_thresholds_examples_scope_variant_and_both_kinds_of_link(
    db: Database, bank: Path
) -> None:
    sync_bank(db, bank, by=LOCAL_ADMIN)
    assert _links(db, "serving-design") == {PRIMARY: True, RELATED: False}
    d = question_detail(db, "serving-design")
    assert d is not None
    assert [r.id for r in d.requirements] == [PRIMARY]
    assert [r.id for r in d.related_requirements] == [RELATED]
    assert d.evidence[0] == "States the latency target and the traffic it must hold" and len(d.evidence) == 4
    assert d.thresholds == ((2, "any 2"), (3, "1, 2 and any 1 of 3-4"), (4, "all"))
    assert [level for level, _ in d.examples] == [2, 4] and d.scope.startswith("A manager sizes")
    assert d.variant_of is None
    story = question_detail(db, "serving-design-story")
    assert story is not None and story.variant_of == "serving-design"
    summary = next(q for q in question_summaries(db) if q.id == "serving-design")
    assert summary.requirements == (PRIMARY,) and summary.related_requirements == (RELATED,)
    assert summary.has_checklist and summary.documents == ("ml-eng-manager-profile",)


def test_a_first_edition_question_keeps_its_version_and_every_link_counts(db: Database, bank: Path) -> None:
    """A file without evidence or thresholds is the first edition: its content, hash and version are what
    they were, and all its requirements are primary (as they were counted)."""
    path = bank / "questions" / "serving" / "gpu-cost-cut.md"
    first = path.read_text().split("evidence:")[0] + "---\n" + path.read_text().split("---\n", 2)[2]
    path.write_text(first)
    sync_bank(db, bank, by=LOCAL_ADMIN)
    d = question_detail(db, "gpu-cost-cut")
    assert d is not None and d.evidence == () and d.thresholds == ()
    assert set(_links(db, "gpu-cost-cut").values()) == {True}
    report = sync_bank(db, bank, by=LOCAL_ADMIN, force=True)
    assert report.changed == [] and report.unchanged == 5


@pytest.mark.parametrize("edit", [
    pytest.param(lambda t: t.replace(f"requirements:\n  - {PRIMARY}\nrelated_requirements:\n  - {RELATED}\n",
                                     f"requirements:\n  - {PRIMARY}\n  - {RELATED}\n"), id="re-mapped"),
    pytest.param(lambda t: t.replace("  3: 1, 2 and any 1 of 3-4", "  3: 1-3"), id="threshold"),
    pytest.param(lambda t: t.replace("  - Plans the rollout", "  - Plans the release"), id="evidence"),
    pytest.param(lambda t: t.replace("scope: A manager", "scope: Any manager"), id="scope"),
])
def test_a_change_to_the_second_editions_content_makes_a_new_version(db: Database, bank: Path, edit) -> None:  # type: ignore[no-untyped-def]
    sync_bank(db, bank, by=LOCAL_ADMIN)
    old = question_detail(db, "serving-design")
    path = bank / "questions" / "design" / "serving-design.md"
    changed = edit(path.read_text())
    assert changed != path.read_text()
    path.write_text(changed)
    report = sync_bank(db, bank, by=LOCAL_ADMIN)
    assert report.changed == ["serving-design"]
    new = question_detail(db, "serving-design")
    assert old is not None and new is not None and new.version == old.version + 1
    kept = question_detail(db, "serving-design", version=old.version)
    assert kept == old  # the version that was asked is kept as it was, links and checklist included


def test_screening_items_are_synced_and_retired(db: Database, bank: Path) -> None:
    sync_bank(db, bank, by=LOCAL_ADMIN)
    items = screening_items(db)
    assert [i.requirement_id for i in items] == list(SCREENED)
    assert items[0].ask == "Eight or more years of hands-on ML engineering?"
    assert items[0].text == "8+ years of hands-on ML engineering experience"
    (bank / "screening.yaml").write_text(
        f"items:\n  - requirement: {SCREENED[1]}\n    ask: A degree in Computer Science?\n")
    loop = bank / "loops" / "mini-loop.yaml"
    loop.write_text(loop.read_text().replace(f"{SCREENED[0]}, ", ""))
    report = sync_bank(db, bank, by=LOCAL_ADMIN)
    assert f"screening item {SCREENED[0]} retired" in report.other_changes
    assert [(i.requirement_id, i.ask) for i in screening_items(db)] == [(SCREENED[1], "A degree in Computer Science?")]
    (bank / "screening.yaml").unlink()
    loop.unlink()
    sync_bank(db, bank, by=LOCAL_ADMIN)
    assert screening_items(db) == []


def test_coverage_counts_primary_links_lists_related_ones_apart_and_the_screen(db: Database, bank: Path) -> None:
    sync_bank(db, bank, by=LOCAL_ADMIN)
    rows = {r.requirement.id: r for r in coverage(db, "ml-eng-manager-profile")}
    assert rows[PRIMARY].questions == ("serving-design", "serving-design-story") and rows[PRIMARY].count == 2
    assert rows[RELATED].questions == () and rows[RELATED].count == 0
    assert rows[RELATED].related_questions == ("serving-design", "serving-design-story")
    assert rows[LATENCY].count == 3  # the mini bank's three questions (conftest)
    assert rows[SCREENED[0]].screen and rows[SCREENED[0]].screen_ask.startswith("Eight or more")
    assert not rows[PRIMARY].screen
    # must-haves: the qualifications the documents ask for, less the profile's 'Open source contributions or
    # published papers (preferred)'; PRIMARY stands under 'Key Responsibilities' (read again from the stored
    # text: its own section, 'Infrastructure & Operations', does not say), so it is no must-have
    assert not rows["ml-eng-manager-profile.typical-background.04"].must_have and rows[LATENCY].must_have
    assert not rows[PRIMARY].must_have
    # a gap: fewer than two primary questions, unless the screen checks it; related questions never fill one
    assert bank_views.is_gap(rows[RELATED]) and not bank_views.is_gap(rows[SCREENED[0]])
    assert not bank_views.is_gap(rows[PRIMARY])
    assert bank_views.coverage_words(rows[RELATED]) == (
        "assessed by no question; touched on by 2 more questions (not counted)")
    assert bank_views.coverage_words(rows[SCREENED[0]]) == "checked by the screen"
    figures = bank_views.coverage_figures(list(rows.values()))
    assert (figures.covered, figures.screened) == (2, 2)
    assert figures.enough == 4 and figures.gaps == figures.total - 4
    sentence = figures.sentence()
    assert "2 checked by the screen" in sentence and "at least 2 questions or the screen" in sentence


def test_the_question_page_shows_the_checklist_and_both_kinds_of_requirement(db: Database, bank: Path) -> None:
    sync_bank(db, bank, by=LOCAL_ADMIN)
    d = question_detail(db, "serving-design-story")
    assert d is not None
    page = bank_views.question_html(d, scale_labels={3: "Clear evidence"}, colours=COLOURS)
    assert "<h3>Evidence checklist</h3><ol>\n<li>States the latency target" in page
    assert "<b>3</b> <span style='color:grey'>Clear evidence</span>: 1, 2 and any 1 of 3-4" in page
    assert "Requirements assessed (1)" in page and "Related requirements (1): touched on, not counted" in page
    assert "A variant of serving-design" in page and "Scope by level" in page
    assert page.index("Requirements assessed") < page.index("Related requirements")
