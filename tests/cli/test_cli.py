"""The command line: exit codes, messages and JSON, driven through main()."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import pytest

from interviewkit import __version__
from interviewkit.cli import main
from tests.conftest import SEEDS


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["--version"])
    assert info.value.code == 0
    assert __version__ in capsys.readouterr().out


def test_bank_check_passes_on_the_shipped_bank(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "bank", "check")
    assert code == 0
    assert re.search(r"of 112 requirements covered by primary links, \d+ checked by the screen", out)
    assert "0 error(s), 0 warning(s)." in out  # issue 14: clean
    assert "Loop templates (information: coverage and minutes per question;" in out
    assert "  Partial on purpose: Three interviews cannot assess the hands-on must-haves" in out


def test_bank_check_lists_problems_and_exits_1(capsys: pytest.CaptureFixture[str], mini_bank: Path) -> None:
    (mini_bank / "questions" / "serving" / "drift-incident.md").write_text(
        "---\nid: drift-incident\ntitle: [\n---\nx\n"
    )
    code, out, _ = run(capsys, "--bank", str(mini_bank), "bank", "check")
    assert code == 1
    assert "questions/serving/drift-incident.md:" in out and "bad YAML" in out


def test_bank_coverage_json_has_one_entry_per_requirement(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "bank", "coverage", "--json")
    assert code == 0
    data = json.loads(out)
    assert len(data) == 112
    entry = next(e for e in data if e["id"] == "ml-lead-lisbon-ad.ml-engineering-manager.05")
    assert entry["text"] == "Build and maintain Python APIs (Flask/FastAPI) to serve ML models"
    assert len(entry["questions"]) >= 2
    # every requirement: at least two questions built for it (primary links), or the recruiter's screen
    assert all(e["count"] >= 2 or e["screen"] for e in data)
    twice = sum(e["count"] >= 2 for e in data)
    screened = sum(e["screen"] for e in data)
    code, out, _ = run(capsys, "bank", "coverage")
    assert f"{twice} by at least 2 questions; {screened} checked by the screen." in out


def test_bank_sync_then_nothing_to_do(capsys: pytest.CaptureFixture[str], db_url: str, mini_bank: Path) -> None:
    db = db_url
    code, out, _ = run(capsys, "--db", db, "--bank", str(mini_bank), "bank", "sync")
    assert code == 0 and "3 added" in out
    code, out, _ = run(capsys, "bank", "sync", "--db", db, "--bank", str(mini_bank))  # options after the command too
    assert code == 0 and "nothing written" in out


def test_the_database_can_come_from_the_environment(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, mini_bank: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "env.sqlite"
    monkeypatch.setenv("INTERVIEWKIT_DB", str(db))
    code, _, _ = run(capsys, "--bank", str(mini_bank), "bank", "sync")
    assert code == 0 and db.exists()


def test_jd_import_json_for_both_seeds(capsys: pytest.CaptureFixture[str]) -> None:
    for seed, count in ((SEEDS["profile"], 83), (SEEDS["ad"], 29)):
        code, out, _ = run(capsys, "jd", "import", str(seed), "--dry-run", "--json")
        assert code == 0
        data = json.loads(out)
        assert len(data["requirements"]) == count
        assert set(data["requirements"][0]) >= {"id", "section", "text"}


def test_jd_import_and_suggest(capsys: pytest.CaptureFixture[str], tmp_path: Path, db_url: str) -> None:
    db = db_url
    jd = tmp_path / "platform-lead.md"
    jd.write_text("# Platform lead\n\n## Duties\n- Run Kubernetes clusters for model serving\n- Hire engineers\n")
    code, out, _ = run(capsys, "--db", db, "jd", "import", str(jd))
    assert code == 0 and "Imported 'platform-lead'" in out
    code, out, _ = run(capsys, "--db", db, "jd", "suggest", "platform-lead", "--json")
    assert code == 0
    data = json.loads(out)
    assert [d["requirement"] for d in data] == ["platform-lead.duties.01", "platform-lead.duties.02"]
    assert all(d["questions"] for d in data)
    code, _, err = run(capsys, "--db", db, "jd", "suggest", "nope")
    assert code == 2 and "no job description 'nope'" in err


@pytest.mark.parametrize(("content", "expected"), [(b"", "empty"), (b"\x00\x01\x02binary", "binary")])
def test_jd_import_bad_file_exits_2(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, content: bytes, expected: str
) -> None:
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    code, out, err = run(capsys, "jd", "import", str(path), "--dry-run")
    assert code == 2 and expected in err and "Traceback" not in err + out


def test_jd_import_missing_file_exits_2(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = run(capsys, "jd", "import", str(tmp_path / "nope.md"), "--dry-run")
    assert code == 2 and "no such file" in err


def test_a_foreign_database_gets_one_clear_line_and_is_untouched(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "family-photos.db"
    path.write_bytes(b"\x89PNG not a database at all")
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    code, _out, err = run(capsys, "--db", str(path), "bank", "sync")
    assert code == 2
    assert err.startswith("interviewkit: error: ") and "not an InterviewKit database" in err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert hashlib.sha256(path.read_bytes()).hexdigest() == digest


def test_a_wrong_bank_path(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = run(capsys, "--bank", str(tmp_path / "nope"), "bank", "check")
    assert code == 2 and "bank folder not found" in err


def test_a_usage_error_is_one_line_with_where_the_help_is(capsys: pytest.CaptureFixture[str]) -> None:
    """Issue 12's probe 4: --actor is gone; every usage error is one line and exit 2, like every other error."""
    with pytest.raises(SystemExit) as done:
        main(["scorecards", "import-files", "--actor", "9", "good.json"])
    assert done.value.code == 2
    err = capsys.readouterr().err
    assert err == "interviewkit: error: unrecognized arguments: --actor (see 'interviewkit --help')\n"
