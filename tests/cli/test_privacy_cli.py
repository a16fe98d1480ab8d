"""interviewkit erase / retention / --as: personal data and rights from the command line."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import text

from interviewkit.services.access import LOCAL_ADMIN
from interviewkit.cli import main
from interviewkit.paths import shipped_bank_dir
from interviewkit.services import people
from interviewkit.services.debrief import record_decision
from interviewkit.services.demo import create_demo
from interviewkit.storage.db import Database
from interviewkit.storage.models import utcnow


@pytest.fixture
def demo(shipped_db: Database) -> Database:
    create_demo(shipped_db, shipped_bank_dir(), by=LOCAL_ADMIN)
    lead = next(p.id for p in people.people(shipped_db) if p.access_role == "hiring_manager")
    cands = {c.name: c.id for c in people.candidates(shipped_db, by=LOCAL_ADMIN)}
    for name, days in (("Helena Vasconcelos", 500), ("Marcus Lindqvist", 30)):
        record_decision(shipped_db, cands[name], lead, outcome="hire", rationale=f"{name} was strong.", participants=[lead])
        with shipped_db.engine.begin() as conn:
            conn.execute(text("UPDATE decision SET decided_at = :t WHERE candidate_id = :c"),
                         {"t": utcnow() - timedelta(days=days), "c": cands[name]})
    return shipped_db


def _db(db: Database) -> list[str]:
    return ["--db", db.url.render_as_string(hide_password=False)]


def _names(db: Database) -> set[str]:
    return {c.name for c in people.candidates(db, by=LOCAL_ADMIN)}


def test_retention_dry_run_lists_and_changes_nothing(demo: Database, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([*_db(demo), "retention", "--dry-run", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["days"] == 365 and [d["name"] for d in out["due"]] == ["Helena Vasconcelos"]
    assert "email" in out["due"][0]["fields"]
    assert main([*_db(demo), "retention", "--dry-run", "--days", "10"]) == 0
    text_out = capsys.readouterr().out
    assert "Helena Vasconcelos" in text_out and "Marcus Lindqvist" in text_out and "removes: name, email" in text_out
    assert {"Helena Vasconcelos", "Marcus Lindqvist"} <= _names(demo)


def test_retention_needs_yes_without_a_terminal(demo: Database, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([*_db(demo), "retention"]) == 2
    assert "--yes" in capsys.readouterr().err
    assert "Helena Vasconcelos" in _names(demo)
    assert main([*_db(demo), "retention", "--yes"]) == 0
    assert "Erased 1 candidate(s)." in capsys.readouterr().out
    assert "Helena Vasconcelos" not in _names(demo) and "Marcus Lindqvist" in _names(demo)


def test_retention_days_are_stored(demo: Database, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([*_db(demo), "retention", "--days", "20", "--yes"]) == 0
    assert "Retention period: 20 days" in capsys.readouterr().out
    assert not {"Helena Vasconcelos", "Marcus Lindqvist"} & _names(demo)
    assert main([*_db(demo), "retention", "--dry-run"]) == 0
    assert "Retention period: 20 days" in capsys.readouterr().out


def test_erase_one_candidate(demo: Database, capsys: pytest.CaptureFixture[str]) -> None:
    cid = next(c.id for c in people.candidates(demo, by=LOCAL_ADMIN) if c.name == "Aisha Rahman")
    assert main([*_db(demo), "erase", str(cid), "--yes"]) == 0
    out = capsys.readouterr().out
    assert "Erasing Aisha Rahman" in out and f"Candidate #{cid} (erased)" in out
    assert people.candidate(demo, cid, by=LOCAL_ADMIN).erased
    assert main([*_db(demo), "erase", str(cid), "--yes"]) == 2
    assert "already erased" in capsys.readouterr().err
    assert main([*_db(demo), "erase", "999", "--yes"]) == 2


def test_as_someone_without_the_right(demo: Database, capsys: pytest.CaptureFixture[str]) -> None:
    cid = next(c.id for c in people.candidates(demo, by=LOCAL_ADMIN) if c.name == "Aisha Rahman")
    assert main([*_db(demo), "--as", "rita.figueiredo@example.com", "erase", str(cid), "--yes"]) == 2
    err = capsys.readouterr().err
    assert "Rita Figueiredo (Hiring manager) may not erase" in err
    assert main([*_db(demo), "retention", "--dry-run", "--as", "amara.okafor@example.com"]) == 2
    assert "run_retention" in capsys.readouterr().err
    assert main([*_db(demo), "--as", "nobody@example.com", "retention", "--dry-run"]) == 2
    assert "No person 'nobody@example.com'" in capsys.readouterr().err
    assert not people.candidate(demo, cid, by=LOCAL_ADMIN).erased


def test_calibrate_as_an_interviewer_shows_only_their_own_leniency(
    demo: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([*_db(demo), "calibrate", "--json"]) == 0
    everyone = json.loads(capsys.readouterr().out)
    assert len(everyone["interviewers"]) > 1
    assert main([*_db(demo), "--as", "amara.okafor@example.com", "calibrate", "--json"]) == 0
    mine = json.loads(capsys.readouterr().out)
    assert [i["id"] for i in mine["interviewers"]] == ["Amara Okafor"]
    # Computed from the scorecards she may read, and no colleague is named anywhere, even in the ICC block.
    assert mine["n_candidates"] < everyone["n_candidates"]
    text = json.dumps(mine)
    colleagues = [i["id"] for i in everyone["interviewers"] if i["id"] != "Amara Okafor"]
    assert colleagues and not any(name in text for name in colleagues)
