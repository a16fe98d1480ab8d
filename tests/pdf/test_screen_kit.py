"""The interview kit of a recruiter's screen prints its checklist (keyboard walk of issue 16: Ctrl+P on a
screen stage in Loops printed 'No question is planned for this stage yet', no focus, a page of ratings to
circle, and not one of the items the recruiter checks). Read back with pypdf, through the public export."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from interviewkit.pdf.exports import export_kit_pdf
from interviewkit.services import loops, screening
from interviewkit.services.access import LOCAL_ADMIN
from tests.pdf.conftest import SETTINGS, Panel, pdf_text

CHECKLIST = [
    "ml-eng-manager-profile.technical-expertise.01",
    "ml-eng-manager-profile.engineering-leadership.01",
    "ml-eng-manager-profile.typical-background.01",
]


def test_a_screen_s_kit_prints_its_checklist_with_what_to_ask_and_the_answers_to_tick(
    panel: Panel, tmp_path: Path
) -> None:
    stage = loops.add_stage(
        panel.db,
        panel.loop_id,
        name="Recruiter screen",
        minutes=30,
        kind="screen",
        checklist=CHECKLIST,
        interviewer_id=panel.interviewer_ids[0],
        scheduled_at=datetime(2030, 3, 4, 9, 30, tzinfo=UTC),
        by=LOCAL_ADMIN,
    ).id
    screening.record_screen_answer(panel.db, stage, CHECKLIST[0], "no", "Only two years", by=LOCAL_ADMIN)
    items = screening.screen_checklist(panel.db, stage, by=LOCAL_ADMIN).items
    result = export_kit_pdf(panel.db, stage, tmp_path / "screen.pdf", settings=SETTINGS, by=LOCAL_ADMIN)
    text = pdf_text(result.path)
    words = " ".join(text.split())
    assert "Checklist" in words and "30 min · recruiter's screen, 3 checklist items" in words
    for item in items:  # each item, in order, with what to ask
        assert " ".join(item.text.split()[:6]) in words, item.text
        assert " ".join(item.ask.split()[:6]) in words, item.ask
    positions = [words.index(" ".join(i.text.split()[:6])) for i in items]
    assert positions == sorted(positions)
    assert words.count("☐ Yes ☐ No ☐ Unclear") == 3  # one answer to tick per item
    assert "No question is planned" not in words and "Ratings" not in words  # no interview's parts
    assert "Only two years" not in words  # a blank form: the answers stay behind their rules
