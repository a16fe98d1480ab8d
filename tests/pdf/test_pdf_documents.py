"""The three PDFs, read back with pypdf: text in every script, fonts, pages, hidden names, paper sizes."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from interviewkit.bank.loader import load_settings
from interviewkit.paths import shipped_bank_dir
from interviewkit.pdf import exports
from interviewkit.services.access import LOCAL_ADMIN
from interviewkit.storage.db import Database
from tests.pdf.conftest import (
    CANDIDATE,
    HIRING_MANAGER,
    INTERVIEWERS,
    Panel,
    build_panel,
    page_texts,
    pdf_fonts,
    pdf_text,
)

A4 = (595.3, 841.9)  # points
LETTER = (612.0, 792.0)


def size_of(path: Path, page: int = 0) -> tuple[float, float]:
    box = PdfReader(str(path)).pages[page].mediabox
    return float(box.width), float(box.height)


def squash(text: str) -> str:
    """Text without whitespace: line breaks fall anywhere in extracted text."""
    return re.sub(r"\s+", "", text)


def assert_furniture(path: Path) -> None:
    """Every page: 'Confidential' and 'Page X of N' in the footer."""
    pages = page_texts(path)
    for number, text in enumerate(pages, start=1):
        assert "Confidential" in text
        assert f"Page {number} of {len(pages)}" in text


def test_a_scorecard_has_everything_in_every_script(panel: Panel, tmp_path: Path) -> None:
    out = tmp_path / "card.pdf"
    result = exports.export_scorecard_pdf(
        panel.db, panel.scorecard_ids[1], out, settings=panel.settings, viewer_id=LOCAL_ADMIN
    )
    assert result.pages >= 1 and out.read_bytes().startswith(b"%PDF")
    text = pdf_text(out)
    assert "ليلى" in text and "حداد" in text  # the candidate, in Arabic
    assert "Zoë Ørsted" in text  # the interviewer of this stage
    assert "Stage 2: ML system design" in text and "ML Engineering Manager" in text
    # Questions with their notes, the Markdown rendered (no asterisks left)
    assert "A real-time and batch fraud scoring" in text or "fraud" in text.lower()
    assert "Marker S1Q0 noted in detail" in text and "Marker S1Q1 noted in detail" in text
    assert "**" not in text
    # Ratings: score, scale label, the rubric anchor of that level, not assessed with its reason, evidence
    assert "Clear evidence" in text and "Strong, exemplary evidence" in text
    assert "Not assessed: Ran out of time before the serving question" in text
    assert "Evidence for ml-system-design in stage 1" in text
    assert "The rubric at the levels given" in text
    # Overall recommendation and summary
    assert "Overall recommendation" in text and "Summary of stage 1" in text
    assert_furniture(out)
    assert size_of(out) == pytest.approx(A4, abs=1)


def test_the_rubric_anchor_printed_is_the_one_of_the_level_given(panel: Panel, tmp_path: Path) -> None:
    from interviewkit.services.bank_queries import question_detail

    out = tmp_path / "card.pdf"
    exports.export_scorecard_pdf(panel.db, panel.scorecard_ids[0], out, settings=panel.settings, viewer_id=LOCAL_ADMIN)
    text = pdf_text(out)
    drift = question_detail(panel.db, "drift-incident-retraining")
    assert drift is not None
    level2, level4 = dict(drift.rubric)[2], dict(drift.rubric)[4]
    assert squash(level2)[:80] in squash(text)  # monitoring-drift was rated 2 in this stage
    assert squash(level4)[:80] not in squash(text)


def test_the_header_names_the_subject(panel: Panel, tmp_path: Path) -> None:
    out = tmp_path / "kit.pdf"
    exports.export_kit_pdf(panel.db, panel.stage_ids[0], out, settings=panel.settings, by=LOCAL_ADMIN)
    first = page_texts(out)[0]
    assert "Interview kit" in first and "Stage 1: Production ML" in first


def test_cjk_and_arabic_names_come_with_fonts_that_have_them(panel: Panel, tmp_path: Path) -> None:
    out = tmp_path / "debrief.pdf"
    exports.export_debrief_pdf(
        panel.db, panel.candidate_id, out, settings=panel.settings, viewer_id=panel.hiring_manager_id
    )
    text = pdf_text(out)
    for name in INTERVIEWERS:
        assert name in text
    assert "ليلى" in text and "حداد" in text
    fonts = pdf_fonts(out)
    assert any("CJK" in f for f in fonts), fonts  # 王芳 is drawn with a CJK font, not as boxes
    assert any("Arabic" in f for f in fonts), fonts
    assert "王芳" in text


def test_very_long_notes_flow_over_pages_and_no_text_is_lost(shipped_db: Database, tmp_path: Path) -> None:
    panel = build_panel(shipped_db, notes_words=2400)
    out = tmp_path / "long.pdf"
    result = exports.export_scorecard_pdf(
        panel.db, panel.scorecard_ids[0], out, settings=panel.settings, viewer_id=LOCAL_ADMIN
    )
    assert result.pages >= 6
    assert result.pages == len(PdfReader(str(out)).pages)
    text = pdf_text(out)
    for q in range(3):
        for i in range(1, 2400 // 12 + 1):
            marker = f"s0q{q}w{i:04d}"
            assert text.count(marker) == 1, marker  # every sentence once: nothing cut, nothing drawn twice
    assert_furniture(out)


def test_hide_names_hides_every_interviewer_everywhere(panel: Panel, tmp_path: Path) -> None:
    out = tmp_path / "anon.pdf"
    exports.export_debrief_pdf(
        panel.db, panel.candidate_id, out, settings=panel.settings, viewer_id=panel.hiring_manager_id, hide_names=True
    )
    text = pdf_text(out)
    for word in ("José", "Ñúñez", "Zoë", "Ørsted", "王芳", HIRING_MANAGER, "Ana"):
        assert word not in text, word
    assert "Interviewer A" in text and "Interviewer B" in text and "Interviewer C" in text
    assert "Agreed with Interviewer B after the session; Interviewer B asked the follow-up" in text
    assert "ليلى حداد" in text or ("ليلى" in text and "حداد" in text)  # the candidate stays


def test_hide_names_is_consistent_between_grid_and_scorecards(panel: Panel, tmp_path: Path) -> None:
    out = tmp_path / "anon.pdf"
    exports.export_debrief_pdf(
        panel.db, panel.candidate_id, out, settings=panel.settings, viewer_id=panel.hiring_manager_id, hide_names=True
    )
    text = pdf_text(out)
    # Stage 3 was interviewed by 王芳, the third column: Interviewer C in the panel line and on the scorecard.
    assert "Stage 3, People leadership: Interviewer C" in text
    pages = page_texts(out)
    card3 = next(p for p in pages if "Scorecard 3 of 3" in p and "Interviewer" in p)
    assert "Interviewer C" in card3


def test_the_debrief_packet_has_grid_disagreements_coverage_and_decision(panel: Panel, tmp_path: Path) -> None:
    out = tmp_path / "debrief.pdf"
    result = exports.export_debrief_pdf(
        panel.db, panel.candidate_id, out, settings=panel.settings, viewer_id=panel.hiring_manager_id
    )
    text = pdf_text(out)
    assert "Ratings by competency and interviewer" in text
    assert "3 of 3 scorecards submitted" in text
    # The disagreement on monitoring (2 vs 4) and the split (No vs Yes, Strong yes): symbol and words.
    assert "⚠ Ratings disagree on Monitoring" in text
    assert "⚠ Split recommendation" in text
    assert "split: yes and no" in text
    # Coverage: assessed requirements name who assessed them; unassessed ones are marked in words.
    assert "Requirement coverage" in text
    assert "✗ Not assessed by anyone" in text
    assert re.search(r"\d+ of \d+ requirements assessed", text)
    # Decision in force and its history
    assert "Hire" in text and "References were strong." in text and "Wait for the reference check." in text
    assert "superseded" in text
    # Every scorecard follows
    for i in range(1, 4):
        assert f"Scorecard {i} of 3" in text
    assert_furniture(out)
    assert result.pages == len(PdfReader(str(out)).pages)


def test_the_packet_only_holds_what_its_viewer_may_see(shipped_db: Database, tmp_path: Path) -> None:
    panel = build_panel(shipped_db, submit=2)  # the third scorecard is still a draft
    out = tmp_path / "mine.pdf"
    # 王芳 has not submitted: she sees nothing of the others (independent judgement first).
    exports.export_debrief_pdf(
        panel.db, panel.candidate_id, out, settings=panel.settings, viewer_id=panel.interviewer_ids[2]
    )
    text = pdf_text(out)
    assert "Marker S0Q0" not in text and "Marker S1Q0" not in text and "Marker S2Q0" not in text
    assert "José Ñúñez" not in text and "Zoë Ørsted" not in text
    assert "2 submitted scorecards are not in this packet" in text
    # José has submitted: he sees both submitted ones, never the draft.
    result = exports.export_debrief_pdf(
        panel.db, panel.candidate_id, out, settings=panel.settings, viewer_id=panel.interviewer_ids[0]
    )
    text = pdf_text(out)
    assert "Marker S0Q0" in text and "Marker S1Q0" in text and "Marker S2Q0" not in text
    assert result.note == ""


def test_the_interview_kit(panel: Panel, tmp_path: Path) -> None:
    from interviewkit.services.bank_queries import question_detail

    out = tmp_path / "kit.pdf"
    result = exports.export_kit_pdf(panel.db, panel.stage_ids[0], out, settings=panel.settings, by=LOCAL_ADMIN)
    text = pdf_text(out)
    q = question_detail(panel.db, "drift-incident-retraining")
    assert q is not None
    assert q.title in text
    assert squash(q.follow_ups[0]) in squash(text)
    assert squash(q.red_flags[0]) in squash(text)
    for _level, anchor in q.rubric:
        assert squash(anchor)[:60] in squash(text)
    assert "Follow-up probes" in text and "Rubric" in text and "Red flags" in text and "NOTES" in text
    assert "Focus competencies" in text and "José Ñúñez" in text and "ليلى" in text
    assert f"{q.minutes} MIN" in text
    assert result.pages >= 4  # a cover, one page (or more) per question, the ratings page
    assert_furniture(out)


def test_letter_and_a4(panel: Panel, tmp_path: Path) -> None:
    a4, letter = tmp_path / "a4.pdf", tmp_path / "letter.pdf"
    exports.export_kit_pdf(panel.db, panel.stage_ids[1], a4, settings=panel.settings, page_size="A4", by=LOCAL_ADMIN)
    exports.export_kit_pdf(
        panel.db, panel.stage_ids[1], letter, settings=panel.settings, page_size="Letter", by=LOCAL_ADMIN
    )
    assert size_of(a4) == pytest.approx(A4, abs=1)
    assert size_of(letter) == pytest.approx(LETTER, abs=1)
    reader = PdfReader(str(letter))
    assert all(size_of(letter, i) == pytest.approx(LETTER, abs=1) for i in range(len(reader.pages)))


def test_hide_names_in_a_scorecard_and_a_kit(panel: Panel, tmp_path: Path) -> None:
    card, kit = tmp_path / "card.pdf", tmp_path / "kit.pdf"
    exports.export_scorecard_pdf(
        panel.db, panel.scorecard_ids[0], card, settings=panel.settings, hide_names=True, viewer_id=LOCAL_ADMIN
    )
    exports.export_kit_pdf(panel.db, panel.stage_ids[2], kit, settings=panel.settings, hide_names=True, by=LOCAL_ADMIN)
    card_text, kit_text = pdf_text(card), pdf_text(kit)
    for word in ("José", "Ñúñez", "Zoë", "Ørsted"):
        assert word not in card_text
    assert "Interviewer A" in card_text
    # The same letters as in the debrief packet: the third stage's interviewer is Interviewer C everywhere.
    assert "王芳" not in kit_text and "Interviewer C" in kit_text
    assert CANDIDATE.split()[0] in card_text


def test_empty_cases_print_and_say_so(shipped_db: Database, tmp_path: Path) -> None:
    from interviewkit.services import loops, people

    opening = people.create_opening(shipped_db, title="Data Engineer", jd_ids=["ml-lead-lisbon-ad"], by=LOCAL_ADMIN)
    cand = people.create_candidate(shipped_db, name="Kim Lee", opening_id=opening.id, by=LOCAL_ADMIN)
    loop_id = loops.create_loop(shipped_db, cand.id, name="Onsite", by=LOCAL_ADMIN).id
    stage = loops.add_stage(shipped_db, loop_id, name="Screen", minutes=30, by=LOCAL_ADMIN).id
    settings = load_settings(shipped_bank_dir())
    kit = tmp_path / "kit.pdf"
    exports.export_kit_pdf(shipped_db, stage, kit, settings=settings, by=LOCAL_ADMIN)
    text = pdf_text(kit)
    assert "No question is planned for this stage yet." in text and "not assigned" in text
    viewer = people.create_person(
        shipped_db, name="Lee Admin", email="lee@example.com", access_role="admin", by=LOCAL_ADMIN
    )
    packet = tmp_path / "packet.pdf"
    exports.export_debrief_pdf(shipped_db, cand.id, packet, settings=settings, viewer_id=viewer.id)
    text = pdf_text(packet)
    assert "No scorecard is visible to you yet." in text and "No decision recorded yet." in text
    assert "✗ Not assessed by anyone" in text  # nothing was assessed: every requirement stands out


def test_a_dark_screen_theme_does_not_reach_the_paper(panel: Panel, tmp_path: Path, qapp) -> None:  # type: ignore[no-untyped-def]
    """Text without its own colour is drawn with the print palette, not the application's (white in dark mode)."""
    from interviewkit.ui.widgets.theme import apply_theme

    def contents(name: str) -> list[bytes]:
        out = tmp_path / name
        exports.export_debrief_pdf(
            panel.db, panel.candidate_id, out, settings=panel.settings, viewer_id=panel.hiring_manager_id
        )
        return [page.get_contents().get_data() for page in PdfReader(out).pages]  # type: ignore[union-attr]

    apply_theme(qapp, "light")
    light = contents("light.pdf")
    try:
        apply_theme(qapp, "dark")
        dark = contents("dark.pdf")
    finally:
        apply_theme(qapp, "light")
    assert dark == light
