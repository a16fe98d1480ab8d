"""The command line of signed exchange files: ``keys init`` / ``keys show``, ``scorecards export``,
``people set-key``, ``scorecards import-files``, ``scorecards resign``, and ``scorecards import`` twice.

The laptop is an SQLite file; the lead's database runs on each backend. Errors are one line on stderr
(exit 2); a refused file is one line on stdout and exit 1; nothing reaches the user as a traceback.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from interviewkit.cli import main
from interviewkit.services import people
from interviewkit.services.access import LOCAL_ADMIN
from interviewkit.storage.db import open_database
from tests.services.test_exchange import ANA, state, submit
from tests.ui.cockpit.conftest import Planned, plan_stage


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    if code == 2:
        assert len(err.splitlines()) == 1 and err.startswith("interviewkit: error: "), err
    return code, out, err


@pytest.fixture
def laptop(shipped_db_template: Path, tmp_path: Path):  # type: ignore[no-untyped-def]
    path = tmp_path / "laptop.sqlite"
    shutil.copy(shipped_db_template, path)
    db = open_database(path)
    yield plan_stage(db)
    db.dispose()


@pytest.fixture
def lead(make_db):  # type: ignore[no-untyped-def]
    db = open_database(make_db("lead", "shipped"))
    planned = plan_stage(db)
    people.create_person(db, name="Lee Admin", email="lee@example.com", access_role="admin", by=LOCAL_ADMIN)
    people.create_person(db, name="Bo Coord", email="bo@example.com", access_role="coordinator", by=LOCAL_ADMIN)
    yield planned
    db.dispose()


def _where(p: Planned) -> str:
    return p.ctx.db.url.render_as_string(hide_password=False)


def test_keys_export_register_import(capsys: pytest.CaptureFixture[str], laptop: Planned, lead: Planned,
                                     tmp_path: Path, _key_store: Path) -> None:
    here, there = str(laptop.ctx.db.path), _where(lead)
    code, _, err = run(capsys, "--db", here, "keys", "init")
    assert code == 2 and "keys are personal" in err and "--as YOUR_EMAIL" in err

    code, out, err = run(capsys, "--db", here, "--as", ANA, "keys", "init")
    assert code == 0 and err == "", err
    assert out.startswith(f"Made a new signing key for Ana Ortiz <{ANA}>, kept in {_key_store}")
    fingerprint = re.search(r"Fingerprint: ([0-9a-f ]{39})", out).group(1)  # type: ignore[union-attr]
    public = re.search(r"Public key:  (ed25519:\S+)", out).group(1)  # type: ignore[union-attr]
    assert "Registered in" in out
    code, out, _ = run(capsys, "--db", here, "--as", ANA, "keys", "init")
    assert code == 0 and out.startswith("This machine already has a signing key") and "Already registered" in out
    code, out, _ = run(capsys, "--db", here, "--as", ANA, "keys", "show")
    assert (
        code == 0 and f"Fingerprint: {fingerprint}" in out and public in out and "Registered in this database." in out
    )

    card = submit(laptop)
    out_file = tmp_path / "card.json"
    code, out, _ = run(capsys, "--db", here, "scorecards", "export", str(card), "-o", str(out_file))
    assert code == 0 and "signed by its interviewer" in out

    # The lead's database does not know Ana's key yet: refused, with how to register it.
    before = state(lead.ctx.db)
    code, out, err = run(capsys, "--db", there, "scorecards", "import-files", str(out_file))
    assert code == 1 and err == ""
    refused = out.splitlines()[0]
    assert refused.startswith(f"refused   {out_file}: Ana Ortiz <{ANA}> has no signing key registered in this database")
    assert fingerprint in refused and f"interviewkit people set-key {ANA} FILE --reason" in refused
    assert state(lead.ctx.db) == before

    code, _, err = run(capsys, "--db", there, "--as", "bo@example.com", "people", "set-key", ANA, str(out_file),
                       "--reason", "trust me")
    assert code == 2 and "Bo Coord (Coordinator) may not add or change people in the directory" in err
    code, _, err = run(capsys, "--db", there, "--as", "lee@example.com", "people", "set-key", "bo@example.com",
                       str(out_file), "--reason", "checked")
    assert code == 2 and f"the file was signed by {ANA}, not by bo@example.com" in err
    code, out, _ = run(capsys, "--db", there, "--as", "lee@example.com", "people", "set-key", ANA, str(out_file),
                       "--reason", "fingerprint read out by Ana on the phone")
    assert code == 0
    assert out.strip() == (f"Registered the signing key of Ana Ortiz <{ANA}> (taken from {out_file}): fingerprint "
                           f"{fingerprint}. Audited with your reason.")

    code, out, _ = run(capsys, "--db", there, "scorecards", "import-files", str(out_file))
    assert code == 0 and "1 imported, 0 unchanged, 0 refused." in out
    code, out, _ = run(capsys, "--db", there, "scorecards", "import-files", str(out_file), "--json")
    (again,) = json.loads(out)
    assert code == 0 and again["status"] == "unchanged" and again["message"].startswith("already imported")

    # No key on this machine: one line that says what to run.
    for f in _key_store.iterdir():
        f.unlink()
    code, _, err = run(capsys, "--db", here, "scorecards", "export", str(card), "-o", str(tmp_path / "x.json"))
    assert code == 2 and "this machine has no signing key for Ana Ortiz" in err and "keys init" in err
    code, _, err = run(capsys, "--db", here, "--as", ANA, "keys", "show")
    assert code == 2 and "run 'interviewkit keys init'" in err

    # A new key while the laptop's database has the old one: replacing it needs an admin.
    code, out, err = run(capsys, "--db", here, "--as", ANA, "keys", "init")
    assert code == 1 and out.startswith("Made a new signing key")
    assert (
        err.startswith("interviewkit: error: ") and "replacing it needs an admin" in err and len(err.splitlines()) == 1
    )
    code, out, _ = run(capsys, "--db", there, "--as", "lee@example.com", "people", "set-key", ANA,
                       re.search(r"(ed25519:\S+)", out).group(1), "--reason", "new laptop")  # type: ignore[union-attr]
    assert code == 0 and out.startswith("Replaced the signing key of Ana Ortiz") and f"(was {fingerprint})" in out


def test_resign_is_for_admins_with_a_reason(capsys: pytest.CaptureFixture[str], laptop: Planned, lead: Planned,
                                            tmp_path: Path) -> None:
    there = _where(lead)
    old = tmp_path / "old.json"
    old.write_text(json.dumps({"format": "interviewkit-scorecard", "schema_version": 1, "content_hash": "0" * 64,
                               "scorecard": {}}), encoding="utf-8")
    code, out, _ = run(capsys, "--db", there, "scorecards", "import-files", str(old))
    assert code == 1 and "an unsigned version-1 file" in out and "interviewkit scorecards resign" in out
    code, _, err = run(capsys, "--db", there, "--as", "bo@example.com", "scorecards", "resign", str(old), "-o",
                       str(tmp_path / "new.json"), "--reason", "x")
    assert code == 2 and "may not re-sign a scorecard file on purpose" in err
    code, _, err = run(capsys, "--db", there, "--as", "lee@example.com", "scorecards", "resign", str(old), "-o",
                       str(tmp_path / "new.json"), "--reason", "old file")
    assert code == 2 and "no signing key for Lee Admin" in err
    assert run(capsys, "--db", there, "--as", "lee@example.com", "keys", "init")[0] == 0
    code, _, err = run(capsys, "--db", there, "--as", "lee@example.com", "scorecards", "resign", str(old), "-o",
                       str(tmp_path / "new.json"), "--reason", "old file")
    assert code == 2 and f"{old}: cannot be re-signed: $.scorecard: the field" in err
    assert not (tmp_path / "new.json").exists()

    card = submit(laptop)
    assert run(capsys, "--db", str(laptop.ctx.db.path), "--as", ANA, "keys", "init")[0] == 0
    good = tmp_path / "good.json"
    assert run(capsys, "--db", str(laptop.ctx.db.path), "scorecards", "export", str(card), "-o", str(good))[0] == 0
    code, out, _ = run(capsys, "--db", there, "--as", "lee@example.com", "scorecards", "resign", str(good), "-o",
                       str(tmp_path / "new.json"), "--reason", "Ana's laptop was stolen; checked with her")
    assert code == 0 and "(the original: signature valid)" in out
    code, out, _ = run(capsys, "--db", there, "scorecards", "import-files", str(tmp_path / "new.json"))
    assert code == 0 and "re-signed by Lee Admin: Ana's laptop was stolen; checked with her" in out


def test_importing_the_same_ratings_csv_again_says_so_and_writes_nothing(capsys: pytest.CaptureFixture[str],
                                                                         tmp_path: Path, db_url: str) -> None:
    from tests.services.test_imports_concurrent import ratings_csv

    csv = str(ratings_csv(tmp_path / "history.csv"))
    code, out, _ = run(capsys, "--db", db_url, "scorecards", "import", csv)
    assert code == 0 and out.startswith("Imported 360 ratings from history.csv: 180 scorecards, 60 new candidates")
    db = open_database(db_url)
    try:
        before = state(db)
        code, out, err = run(capsys, "--db", db_url, "scorecards", "import", csv)
        assert code == 0 and err == ""
        assert re.fullmatch(r"Nothing imported from history\.csv: this file was already imported \(\d{4}-\d\d-\d\d "
                            r"\d\d:\d\d UTC\); its 180 scorecards are there\.\n", out), out
        code, out, _ = run(capsys, "--db", db_url, "scorecards", "import", csv, "--json")
        assert code == 0 and json.loads(out)["already_imported"] == 180 and json.loads(out)["imported_before"]
        assert state(db) == before
    finally:
        db.dispose()
    for value in ("x", "3.7", "99", "-5", "NaN"):
        bad = tmp_path / "bad.csv"
        bad.write_text(f"candidate,interviewer,competency,score\nc1,a,model-serving,3\nc2,a,model-serving,{value}\n",
                       encoding="utf-8")
        code, out, err = run(capsys, "--db", db_url, "scorecards", "import", str(bad))
        assert code == 2 and out == "" and err.startswith("interviewkit: error: row 3: score "), (value, err)
