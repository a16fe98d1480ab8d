"""The export service: the documents it builds (plain data, no Qt), who may print what, and writing the file
whole or not at all (the printer, interviewkit.pdf, writes through it)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from interviewkit.pdf import exports as pdf_exports
from interviewkit.services import debrief, exports, loops
from interviewkit.services.access import LOCAL_ADMIN
from interviewkit.services.errors import NotFound, PermissionDenied, ValidationFailed
from interviewkit.storage.db import Database
from tests.pdf.conftest import INTERVIEWERS, Panel, build_panel


@pytest.fixture
def panel(shipped_db: Database) -> Panel:
    return build_panel(shipped_db, submit=2)


def test_stage_loop_id_finds_the_loop_of_a_stage(panel: Panel) -> None:
    for stage_id in panel.stage_ids:
        assert loops.stage_loop_id(panel.db, stage_id) == panel.loop_id
    with pytest.raises(NotFound, match="No stage with id 9999"):
        loops.stage_loop_id(panel.db, 9999)


def test_a_packet_is_printed_for_its_viewer_and_never_for_someone_off_the_panel(panel: Panel, tmp_path: Path) -> None:
    from interviewkit.services import people

    out = tmp_path / "packet.pdf"
    stranger = people.create_person(panel.db, name="Sam Stranger", email="sam@example.com", by=LOCAL_ADMIN).id
    with pytest.raises(PermissionDenied, match="only the panel and the debrief lead"):
        pdf_exports.export_debrief_pdf(panel.db, panel.candidate_id, out, settings=panel.settings, viewer_id=stranger)
    with pytest.raises(PermissionDenied, match="Nobody is signed in"):
        pdf_exports.export_debrief_pdf(panel.db, panel.candidate_id, out, settings=panel.settings, viewer_id=None)
    assert not out.exists()


def test_documents_carry_what_is_printed(panel: Panel) -> None:
    card = exports.scorecard_document(panel.db, panel.scorecard_ids[1], settings=panel.settings, viewer_id=LOCAL_ADMIN)
    assert card.interviewer == INTERVIEWERS[1] and card.stage_position == 2 and card.stage_count == 3
    assert card.panel == INTERVIEWERS
    serving = next(r for r in card.ratings if r.competency.startswith("Model deployment"))
    assert serving.not_assessed and serving.score is None and "Ran out of time" in serving.reason
    drift = next(r for r in card.ratings if r.competency.startswith("Monitoring"))
    assert drift.score == 4 and drift.label == "Strong, exemplary evidence"
    kit = exports.kit_document(panel.db, panel.stage_ids[0], settings=panel.settings, by=LOCAL_ADMIN)
    assert [q.number for q in kit.questions] == [1, 2, 3] and kit.questions[0].rubric and kit.questions[0].follow_ups
    assert kit.interviewer == INTERVIEWERS[0] and kit.stage_count == 3


def test_a_scorecard_is_printed_only_for_someone_who_may_read_it(panel: Panel, tmp_path: Path) -> None:
    out = tmp_path / "card.pdf"
    # The interviewer of the draft (stage 3) has not submitted: the others' scorecards are hidden from her.
    with pytest.raises(PermissionDenied):
        pdf_exports.export_scorecard_pdf(panel.db, panel.scorecard_ids[0], out, settings=panel.settings,
                                     viewer_id=panel.interviewer_ids[2])
    assert not out.exists()
    # Her own draft, yes; and someone who submitted sees the other submitted one.
    pdf_exports.export_scorecard_pdf(panel.db, panel.scorecard_ids[2], out, settings=panel.settings,
                                 viewer_id=panel.interviewer_ids[2])
    pdf_exports.export_scorecard_pdf(panel.db, panel.scorecard_ids[1], out, settings=panel.settings,
                                 viewer_id=panel.interviewer_ids[0])
    with pytest.raises(PermissionDenied, match="Nobody is signed in"):  # not in the directory: nobody
        pdf_exports.export_scorecard_pdf(panel.db, panel.scorecard_ids[1], out, settings=panel.settings, viewer_id=9999)


def test_the_debrief_note_says_what_was_left_out(panel: Panel, tmp_path: Path) -> None:
    result = pdf_exports.export_debrief_pdf(panel.db, panel.candidate_id, tmp_path / "d.pdf", settings=panel.settings,
                                        viewer_id=panel.hiring_manager_id)
    assert "2 submitted scorecard(s) left out" in result.note


def test_paths_that_cannot_be_written_fail_early_and_cleanly(panel: Panel, tmp_path: Path) -> None:
    with pytest.raises(exports.ExportFailed, match="does not exist"):
        pdf_exports.export_kit_pdf(
            panel.db, panel.stage_ids[0], tmp_path / "nope" / "kit.pdf", settings=panel.settings, by=LOCAL_ADMIN
        )
    with pytest.raises(exports.ExportFailed, match="it is a folder"):
        pdf_exports.export_kit_pdf(panel.db, panel.stage_ids[0], tmp_path, settings=panel.settings, by=LOCAL_ADMIN)
    with pytest.raises(ValidationFailed, match="Page size"):
        pdf_exports.export_kit_pdf(
            panel.db, panel.stage_ids[0], tmp_path / "k.pdf", settings=panel.settings, page_size="A5", by=LOCAL_ADMIN
        )
    if os.getuid() != 0:  # root writes anywhere
        locked = tmp_path / "locked"
        locked.mkdir()
        locked.chmod(0o500)
        with pytest.raises(exports.ExportFailed, match="permission denied"):
            pdf_exports.export_kit_pdf(
                panel.db, panel.stage_ids[0], locked / "kit.pdf", settings=panel.settings, by=LOCAL_ADMIN
            )


def test_the_file_is_replaced_whole(panel: Panel, tmp_path: Path) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    out = folder / "kit.pdf"
    out.write_bytes(b"old")
    result = pdf_exports.export_kit_pdf(panel.db, panel.stage_ids[0], out, settings=panel.settings, by=LOCAL_ADMIN)
    assert result.path == out and out.read_bytes().startswith(b"%PDF")
    assert [p.name for p in folder.iterdir()] == ["kit.pdf"]  # no temporary file left behind


def test_a_debrief_packet_holds_the_debrief_services_own_values(shipped_db: Database) -> None:
    """Coverage and decisions are the debrief service's values, not copies made for the printer."""
    p = build_panel(shipped_db, with_decision=True)
    doc = exports.debrief_document(p.db, p.candidate_id, settings=p.settings, viewer_id=p.hiring_manager_id)
    shown = debrief.debrief(p.db, p.candidate_id, p.hiring_manager_id, p.settings)
    assert doc.coverage and all(isinstance(c, debrief.CoverageEntry) for c in doc.coverage)
    assert doc.coverage == tuple(shown.coverage)
    assert isinstance(doc.decision, debrief.DecisionInfo) and doc.decision == shown.decision
    assert doc.decision.label == "Hire" and [d.label for d in doc.history] == [h.label for h in shown.history]


def test_check_target_and_write_whole_without_printing(tmp_path: Path) -> None:
    target = exports.check_target(tmp_path / "report.pdf")
    exports.write_whole(target, b"%PDF-1.4 whole")
    assert target.read_bytes() == b"%PDF-1.4 whole" and [f.name for f in tmp_path.iterdir()] == ["report.pdf"]
    with pytest.raises(ValidationFailed, match="Page size"):
        exports.pdf_options("A3", False)
    assert exports.pdf_options("Letter", True).hide_names
