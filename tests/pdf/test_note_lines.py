"""Notes keep their line breaks (issue 16, item 5): one observation per line stays one per line in the PDF and
on screen (the debrief's HTML), while Markdown still works and the sanitising still removes what must go."""

from __future__ import annotations

from pathlib import Path

from pypdf import PdfReader

from interviewkit.domain.markup import markdown_to_html, notes_to_html
from interviewkit.pdf.exports import export_scorecard_pdf
from interviewkit.services import debrief, scorecards
from interviewkit.services.access import LOCAL_ADMIN
from interviewkit.services.debrief_html import rating_html, scorecard_html
from interviewkit.services.scorecards import DraftChanges, RatingState
from interviewkit.storage.db import Database
from tests.pdf.conftest import SETTINGS, build_panel

NOTES = "Opened with the incident timeline\nNamed the PSI alert as the signal\nRolled back the same day"
EVIDENCE = "Owned the rollback\nAdded the schema contract test"
SUMMARY = "Strong on incidents\nVague on cost"


def test_single_line_breaks_are_breaks_and_sanitising_stays() -> None:
    html = notes_to_html(NOTES)
    assert html.count("<br") == 2
    assert "<br" not in markdown_to_html(NOTES)  # the bank's hand-wrapped Markdown is still joined
    assert "<li>" in notes_to_html("- one\n- two") and "<strong>x</strong>" in notes_to_html("**x**\ny")
    dirty = notes_to_html("a\n<script>alert(1)</script>\n<img src=x onerror=alert(2)>\n[l](javascript:alert(3))")
    assert "<script" not in dirty and "<img" not in dirty and "onerror" not in dirty and "javascript:" not in dirty


def _submitted_card(db: Database) -> int:
    panel = build_panel(db, submit=0)
    card = panel.scorecard_ids[0]
    state = scorecards.scorecard_state(db, card, by=LOCAL_ADMIN)
    first = state.questions[0].asked_id
    ratings = {c: RatingState(score=3, evidence=EVIDENCE) for c in state.ratings}
    scorecards.save_draft(db, card, "test:0", DraftChanges(notes={first: NOTES}, ratings=ratings, summary=SUMMARY),
                          by=panel.interviewer_ids[0])
    scorecards.submit(db, card, panel.interviewer_ids[0], SETTINGS)
    return card


def test_the_scorecard_pdf_keeps_one_observation_per_line(shipped_db: Database, tmp_path: Path) -> None:
    card = _submitted_card(shipped_db)
    out = tmp_path / "card.pdf"
    export_scorecard_pdf(shipped_db, card, out, settings=SETTINGS, viewer_id=LOCAL_ADMIN)
    lines = [" ".join(line.split()) for page in PdfReader(str(out)).pages for line in page.extract_text().splitlines()]
    for text in (*NOTES.splitlines(), *EVIDENCE.splitlines(), *SUMMARY.splitlines()):
        assert text in lines, (text, lines)  # a line of its own, not run into the next


def test_the_debriefs_evidence_pane_keeps_the_lines(shipped_db: Database) -> None:
    card = _submitted_card(shipped_db)
    candidate = next(c for c in debrief.debrief_candidates(shipped_db, LOCAL_ADMIN))[0]
    seen = debrief.debrief(shipped_db, candidate, LOCAL_ADMIN, SETTINGS)
    column = next(c for c in seen.columns if c.scorecard_id == card)
    panes = [rating_html(column, c, c, {3: "Good"}) for c in column.ratings]
    assert all("Owned the rollback<br>Added the schema contract test" in html for html in panes)
    assert any("Opened with the incident timeline<br>" in html for html in panes)


INDENTED = "\tStrong hire: calm under the outage question\n    and clear on cost"


def _fonts(path: Path) -> set[str]:
    found = set()
    for page in PdfReader(str(path)).pages:
        fonts = page["/Resources"].get("/Font", {})
        found |= {str(f.get_object()["/BaseFont"]) for f in fonts.values()}
    return found


def test_an_indented_summary_is_text_not_a_code_block(shipped_db: Database, tmp_path: Path) -> None:
    """A summary that starts with a tab (or four spaces) printed as a code block, in a monospace box, in the PDF
    and on screen: it is a paragraph in both now. Fenced code stays code."""
    assert "<pre" not in notes_to_html(INDENTED) and "<code" not in notes_to_html(INDENTED)
    assert "<pre><code>" in notes_to_html("```\nx = 1\n```") and "<pre" in markdown_to_html("    bank code")
    panel = build_panel(shipped_db, submit=0)
    card = panel.scorecard_ids[0]
    state = scorecards.scorecard_state(shipped_db, card, by=LOCAL_ADMIN)
    ratings = {c: RatingState(score=3, evidence="ok") for c in state.ratings}
    scorecards.save_draft(shipped_db, card, "test:0", DraftChanges(ratings=ratings, summary=INDENTED),
                          by=panel.interviewer_ids[0])
    scorecards.submit(shipped_db, card, panel.interviewer_ids[0], SETTINGS)
    out = tmp_path / "card.pdf"
    export_scorecard_pdf(shipped_db, card, out, settings=SETTINGS, viewer_id=LOCAL_ADMIN)
    text = " ".join(" ".join(page.extract_text().split()) for page in PdfReader(str(out)).pages)
    assert "Strong hire: calm under the outage question" in text
    assert not any("Mono" in f or "Courier" in f for f in _fonts(out)), _fonts(out)
    candidate = next(c for c in debrief.debrief_candidates(shipped_db, LOCAL_ADMIN))[0]
    column = next(c for c in debrief.debrief(shipped_db, candidate, LOCAL_ADMIN, SETTINGS).columns
                  if c.scorecard_id == card)
    assert "<pre" not in scorecard_html(column, [], {}, submitted="today")  # the debrief's pane, as the PDF


def test_the_scorecard_pdf_prints_the_evidence_items_ticked(shipped_db: Database, tmp_path: Path) -> None:
    """The checklist ticks an interviewer made are printed per question (the items heard, not the level they
    suggest: the finish page does not show that either); a question with a checklist and no tick says so."""
    panel = build_panel(shipped_db, submit=0)
    card = panel.scorecard_ids[0]
    state = scorecards.scorecard_state(shipped_db, card, by=LOCAL_ADMIN)
    with_list = [q for q in state.questions if len(q.evidence) >= 3]
    assert len(with_list) >= 2
    first, second = with_list[0], with_list[1]
    ratings = {c: RatingState(score=3, evidence="ok") for c in state.ratings}
    scorecards.save_draft(shipped_db, card, "test:0", DraftChanges(ratings=ratings, ticks={first.asked_id: (1, 3)}),
                          by=panel.interviewer_ids[0])
    scorecards.submit(shipped_db, card, panel.interviewer_ids[0], SETTINGS)
    out = tmp_path / "card.pdf"
    export_scorecard_pdf(shipped_db, card, out, settings=SETTINGS, viewer_id=LOCAL_ADMIN)
    text = " ".join(" ".join(page.extract_text().split()) for page in PdfReader(str(out)).pages)
    assert f"EVIDENCE HEARD · 2 OF {len(first.evidence)} ITEMS TICKED" in text
    for item in (first.evidence[0], first.evidence[2]):
        assert " ".join(item.split()) in text
    assert " ".join(first.evidence[1].split()) not in text  # not heard: not printed
    assert f"EVIDENCE HEARD · 0 OF {len(second.evidence)} ITEMS TICKED" in text
    assert "Ticks suggest" not in text
