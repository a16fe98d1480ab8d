"""``interviewkit jd import`` with job descriptions as hiring teams have them (issue 20): the dry run's JSON
shows each requirement's section, priority, line and whether it came from prose, and the skipped sections
with their reasons; a file that is no job description is one line, exit 2, nothing written."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from interviewkit.cli import main
from tests.bank.jd_documents import ROLE_REQUIREMENTS, ROLE_SKIPPED, role_docx, role_pdf, scanned_pdf, write

DATA = Path(__file__).parent.parent / "data" / "jd"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_dry_run_json_shows_requirements_priorities_and_skipped_sections(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = write(tmp_path / "fraud-ml.pdf", role_pdf())
    code, out, err = run(capsys, "jd", "import", str(path), "--dry-run", "--json")
    assert code == 0 and not err
    data = json.loads(out)
    assert (data["id"], data["format"], data["source"], data["dry_run"]) == ("fraud-ml", "pdf", "fraud-ml.pdf", True)
    assert [(r["section"], r["priority"], r["text"]) for r in data["requirements"]] == ROLE_REQUIREMENTS
    first = data["requirements"][0]
    assert set(first) == {"id", "section", "position", "text", "priority", "line", "from_prose"}
    assert first["id"] == "fraud-ml.what-youll-do.01" and first["from_prose"] is False and first["line"] > 0
    assert [s["section"] for s in data["skipped"]] == ROLE_SKIPPED
    benefits = data["skipped"][1]
    assert benefits["reason"] == "benefits: what the job offers, not what it asks"
    assert benefits["texts"][0].startswith("Pension contributions") and benefits["line"] > 0
    assert not (tmp_path / "interviewkit.sqlite").exists()


def test_dry_run_text_marks_nice_to_haves_prose_and_skipped_parts(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = write(
        tmp_path / "ad.txt",
        b"Data Scientist\n\nYou will build credit risk models in Python. Experience with R is a plus.\n\n"
        b"Benefits\nWe offer a pension.\n",
    )
    code, out, _ = run(capsys, "jd", "import", str(path), "--dry-run")
    assert code == 0
    assert "  ad.general.01  You will build credit risk models in Python (from prose: review)" in out
    assert "  ad.general.02  Experience with R is a plus (nice to have) (from prose: review)" in out
    assert (
        "Skipped (no requirements):\n  line 5  Benefits: benefits: what the job offers, not what it asks (1 item)"
        in out
    )
    assert "Would import 'ad' (Data Scientist): 2 requirements, 1 nice to have." in out


def test_import_stores_a_word_file_and_a_saved_page(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, db_url: str
) -> None:
    docx = write(tmp_path / "fraud-ml.docx", role_docx())
    code, out, err = run(capsys, "--db", db_url, "jd", "import", str(docx))
    assert code == 0, err
    assert (
        "Imported 'fraud-ml' (Senior Machine Learning Engineer, Fraud Platform): 8 requirements, 2 nice to have." in out
    )
    code, out, err = run(capsys, "--db", db_url, "jd", "import", str(DATA / "greenhouse.html"), "--id", "staff-mle")
    assert code == 0, err
    code, out, _ = run(capsys, "--db", db_url, "jd", "list", "--json")
    listed = {d["id"]: d["requirement_count"] for d in json.loads(out)}
    assert listed["fraud-ml"] == 8 and listed["staff-mle"] == 10


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("scan.pdf", scanned_pdf, "is a PDF without a text layer (a scanned image)"),
        ("empty.md", lambda: b"", "the file is empty"),
        ("binary.txt", lambda: b"- a\n" * 100 + b"\x00\x01\x02", "looks like a binary file"),
        ("huge.pdf", None, "is 50 MB; a job description may be at most 5 MB"),
    ],
)
def test_a_refused_file_is_one_line_exit_2_and_writes_nothing(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    db_url: str,
    name: str,
    content,
    message: str,
) -> None:
    path = tmp_path / name
    if content is None:
        with path.open("wb") as f:
            f.truncate(50 * 1024 * 1024)
    else:
        path.write_bytes(content())
    code, listed_before, _ = run(capsys, "--db", db_url, "jd", "list", "--json")
    assert code == 0
    code, out, err = run(capsys, "--db", db_url, "jd", "import", str(path))
    assert code == 2 and not out
    assert err.startswith(f"interviewkit: error: {path}: ") and message in err
    assert err.count("\n") == 1 and "Traceback" not in err
    code, listed_after, _ = run(capsys, "--db", db_url, "jd", "list", "--json")
    assert listed_after == listed_before
