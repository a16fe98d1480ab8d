"""The export service: the queries it added, who may print what, and writing the file whole or not at all."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from interviewkit.services import exports, loops
from interviewkit.services.access import LOCAL_ADMIN
from interviewkit.services.errors import NotFound, PermissionDenied, ValidationFailed
from interviewkit.storage.db import Database
from tests.export.conftest import INTERVIEWERS, Panel, build_panel


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
        exports.export_debrief_pdf(panel.db, panel.candidate_id, out, settings=panel.settings, viewer_id=stranger)
    with pytest.raises(PermissionDenied, match="Nobody is signed in"):
        exports.export_debrief_pdf(panel.db, panel.candidate_id, out, settings=panel.settings, viewer_id=None)
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
        exports.export_scorecard_pdf(panel.db, panel.scorecard_ids[0], out, settings=panel.settings,
                                     viewer_id=panel.interviewer_ids[2])
    assert not out.exists()
    # Her own draft, yes; and someone who submitted sees the other submitted one.
    exports.export_scorecard_pdf(panel.db, panel.scorecard_ids[2], out, settings=panel.settings,
                                 viewer_id=panel.interviewer_ids[2])
    exports.export_scorecard_pdf(panel.db, panel.scorecard_ids[1], out, settings=panel.settings,
                                 viewer_id=panel.interviewer_ids[0])
    with pytest.raises(PermissionDenied, match="Nobody is signed in"):  # not in the directory: nobody
        exports.export_scorecard_pdf(panel.db, panel.scorecard_ids[1], out, settings=panel.settings, viewer_id=9999)


def test_the_debrief_note_says_what_was_left_out(panel: Panel, tmp_path: Path) -> None:
    result = exports.export_debrief_pdf(panel.db, panel.candidate_id, tmp_path / "d.pdf", settings=panel.settings,
                                        viewer_id=panel.hiring_manager_id)
    assert "2 submitted scorecard(s) left out" in result.note


def test_paths_that_cannot_be_written_fail_early_and_cleanly(panel: Panel, tmp_path: Path) -> None:
    with pytest.raises(exports.ExportFailed, match="does not exist"):
        exports.export_kit_pdf(
            panel.db, panel.stage_ids[0], tmp_path / "nope" / "kit.pdf", settings=panel.settings, by=LOCAL_ADMIN
        )
    with pytest.raises(exports.ExportFailed, match="it is a folder"):
        exports.export_kit_pdf(panel.db, panel.stage_ids[0], tmp_path, settings=panel.settings, by=LOCAL_ADMIN)
    with pytest.raises(ValidationFailed, match="Page size"):
        exports.export_kit_pdf(
            panel.db, panel.stage_ids[0], tmp_path / "k.pdf", settings=panel.settings, page_size="A5", by=LOCAL_ADMIN
        )
    if os.getuid() != 0:  # root writes anywhere
        locked = tmp_path / "locked"
        locked.mkdir()
        locked.chmod(0o500)
        with pytest.raises(exports.ExportFailed, match="permission denied"):
            exports.export_kit_pdf(
                panel.db, panel.stage_ids[0], locked / "kit.pdf", settings=panel.settings, by=LOCAL_ADMIN
            )


def test_the_file_is_replaced_whole(panel: Panel, tmp_path: Path) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    out = folder / "kit.pdf"
    out.write_bytes(b"old")
    result = exports.export_kit_pdf(panel.db, panel.stage_ids[0], out, settings=panel.settings, by=LOCAL_ADMIN)
    assert result.path == out and out.read_bytes().startswith(b"%PDF")
    assert [p.name for p in folder.iterdir()] == ["kit.pdf"]  # no temporary file left behind
