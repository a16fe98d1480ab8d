"""Scorecard exchange: export on a laptop, import on the lead's machine."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from sqlalchemy import text

from interviewkit.services.access import LOCAL_ADMIN
from interviewkit.services import people
from interviewkit.services import scorecards as svc
from interviewkit.services.exchange import export_scorecard, import_files, import_scorecard, write_export
from interviewkit.storage.db import Database, open_database
from tests.ui.cockpit.conftest import Planned, plan_stage

TABLES = ("scorecard", "asked_question", "rating", "audit_event")


def _counts(db: Database) -> dict[str, int]:
    with db.engine.connect() as conn:
        return {t: int(conn.execute(text(f"SELECT COUNT(*) FROM {t}")).scalar() or 0) for t in TABLES}


def _submit(p: Planned) -> int:
    db, settings = p.ctx.db, p.ctx.settings
    card = svc.open_scorecard(db, p.stage_id, p.interviewer_id, p.ctx.instance_id)
    svc.save_draft(db, card.id, p.ctx.instance_id, svc.DraftChanges(
        notes={card.questions[0].asked_id: "Detected via PSI alerts; 王芳 reviewed the runbook."},
        ratings={"monitoring-drift": svc.RatingState(3, evidence="clear alerting"), "mlops-cicd": svc.RatingState(None, True, "no time")},
        recommendation="Yes", summary="Solid on monitoring."), by=p.interviewer_id)
    return svc.submit(db, card.id, p.interviewer_id, settings).id


@pytest.fixture
def machines(shipped_db_template: Path, tmp_path: Path, make_db):  # type: ignore[no-untyped-def]
    """Two databases with the same bank, people, candidate and loop: a laptop (an SQLite file) and the
    lead's (on each backend: the team's database may be on PostgreSQL)."""
    dbs = []
    planned = []
    laptop = tmp_path / "laptop.sqlite"
    shutil.copy(shipped_db_template, laptop)
    for where in (str(laptop), make_db("lead", "shipped")):
        db = open_database(where)
        dbs.append(db)
        planned.append(plan_stage(db))
    yield planned[0], planned[1]
    for db in dbs:
        db.dispose()


def test_export_then_import_then_import_again(machines, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    laptop, lead = machines
    card = _submit(laptop)
    path = write_export(laptop.ctx.db, card, tmp_path / "card.json", by=LOCAL_ADMIN)
    doc = json.loads(path.read_text(encoding="utf-8"))
    assert doc["schema_version"] == 1 and len(doc["content_hash"]) == 64
    importer = people.create_person(lead.ctx.db, name="Rita Lead", email="rita@example.com", access_role="hiring_manager", by=LOCAL_ADMIN).id
    (result,) = import_files(lead.ctx.db, [path], by=importer)
    assert result.status == "imported", result.message
    imported = svc.scorecard_state(lead.ctx.db, result.scorecard_id or 0, by=LOCAL_ADMIN)
    assert imported.status == "submitted" and imported.recommendation == "Yes"
    assert imported.questions[0].notes == "Detected via PSI alerts; 王芳 reviewed the runbook."
    assert imported.ratings["monitoring-drift"].score == 3 and imported.ratings["mlops-cicd"].not_assessed
    before = _counts(lead.ctx.db)
    again = import_scorecard(lead.ctx.db, path, by=importer)
    assert again.status == "unchanged"
    assert _counts(lead.ctx.db) == before


def test_a_file_edited_after_export_is_refused(machines, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    laptop, lead = machines
    doc = export_scorecard(laptop.ctx.db, _submit(laptop), by=LOCAL_ADMIN)
    doc["scorecard"]["ratings"][1]["score"] = 4  # someone "improves" a rating
    path = tmp_path / "edited.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    before = _counts(lead.ctx.db)
    result = import_scorecard(lead.ctx.db, path, by=LOCAL_ADMIN)
    assert result.status == "refused" and "tampered" in result.message
    assert _counts(lead.ctx.db) == before


def test_unknown_candidate_stage_or_question_is_explained_and_nothing_written(machines, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    laptop, lead = machines
    doc = export_scorecard(laptop.ctx.db, _submit(laptop), by=LOCAL_ADMIN)
    cases = {
        "candidate": ("candidate", {"name": "Nobody Known", "email": "nobody@example.com"}, "unknown candidate Nobody Known"),
        "stage": ("stage", {"name": "Origami", "position": 9, "minutes": 30}, "has no stage 9 'Origami'"),
    }
    before = _counts(lead.ctx.db)
    for key, (field, value, message) in cases.items():
        changed = json.loads(json.dumps(doc))
        changed["scorecard"][field] = value
        from interviewkit.services.exchange import _hash

        changed["content_hash"] = _hash(changed["scorecard"])  # a genuine export from another setup
        path = tmp_path / f"{key}.json"
        path.write_text(json.dumps(changed), encoding="utf-8")
        result = import_scorecard(lead.ctx.db, path, by=LOCAL_ADMIN)
        assert result.status == "refused" and message in result.message, result.message
    changed = json.loads(json.dumps(doc))
    changed["scorecard"]["questions"][0]["content_hash"] = "0" * 64
    from interviewkit.services.exchange import _hash

    changed["content_hash"] = _hash(changed["scorecard"])
    path = tmp_path / "question.json"
    path.write_text(json.dumps(changed), encoding="utf-8")
    result = import_scorecard(lead.ctx.db, path, by=LOCAL_ADMIN)
    assert result.status == "refused" and "is not in this database's bank" in result.message
    assert _counts(lead.ctx.db) == before


def test_garbage_and_missing_files(machines, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _laptop, lead = machines
    junk = tmp_path / "photo.jpg"
    junk.write_bytes(b"\xff\xd8\xff\xe0 not json")
    results = import_files(lead.ctx.db, [junk, tmp_path / "missing.json"], by=LOCAL_ADMIN)
    assert [r.status for r in results] == ["refused", "refused"]
    assert "not an InterviewKit scorecard file" in results[0].message
    assert "no such file" in results[1].message


def test_only_submitted_scorecards_export(machines) -> None:  # type: ignore[no-untyped-def]
    from interviewkit.services.errors import ValidationFailed

    laptop, _lead = machines
    card = svc.open_scorecard(laptop.ctx.db, laptop.stage_id, laptop.interviewer_id, laptop.ctx.instance_id)
    with pytest.raises(ValidationFailed, match="submitted"):
        export_scorecard(laptop.ctx.db, card.id, by=LOCAL_ADMIN)


def test_cli_export_and_import(machines, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:  # type: ignore[no-untyped-def]
    from interviewkit.cli import main

    laptop, lead = machines
    card = _submit(laptop)
    out = tmp_path / "x.json"
    assert main(["--db", str(laptop.ctx.db.path), "scorecards", "export", str(card), "-o", str(out)]) == 0
    junk = tmp_path / "junk.json"
    junk.write_text("{}")
    code = main(["--db", lead.ctx.db.url.render_as_string(hide_password=False), "scorecards", "import-files", str(out), str(junk)])
    text_out = capsys.readouterr().out
    assert code == 1
    assert "1 imported, 0 unchanged, 1 refused." in text_out
    assert people.people(lead.ctx.db)
