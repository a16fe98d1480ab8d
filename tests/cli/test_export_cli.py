"""``interviewkit export scorecard|debrief|kit``: PDFs from the command line, one clear line on errors."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader

from interviewkit.cli import main
from interviewkit.storage.db import Database
from tests.pdf.conftest import INTERVIEWERS, Panel, build_panel, pdf_text


@pytest.fixture
def panel(shipped_db: Database) -> Panel:
    return build_panel(shipped_db)


def db_args(panel: Panel) -> list[str]:
    return ["--db", panel.db.url.render_as_string(hide_password=False)]


def test_export_scorecard(panel: Panel, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "card.pdf"
    assert main([*db_args(panel), "export", "scorecard", str(panel.scorecard_ids[0]), "-o", str(out)]) == 0
    pages = len(PdfReader(str(out)).pages)
    assert capsys.readouterr().out == f"Wrote {out} ({pages} page{'s' if pages != 1 else ''}, A4).\n"
    assert INTERVIEWERS[0] in pdf_text(out)


def test_export_debrief_as_the_local_operator(panel: Panel, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "debrief.pdf"
    assert main([*db_args(panel), "export", "debrief", str(panel.candidate_id), "-o", str(out),
                 "--page-size", "Letter", "--hide-names"]) == 0
    assert "Letter" in capsys.readouterr().out
    text = pdf_text(out)
    assert "Scorecard 3 of 3" in text  # the file's local operator (no --as) sees every submitted scorecard
    assert not any(name in text for name in INTERVIEWERS)
    box = PdfReader(str(out)).pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (612, 792)


def test_export_debrief_as_someone_else(shipped_db: Database, tmp_path: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    panel = build_panel(shipped_db, submit=2)
    out = tmp_path / "debrief.pdf"
    assert main([*db_args(panel), "export", "debrief", str(panel.candidate_id), "-o", str(out),
                 "--as", str(panel.interviewer_ids[2])]) == 0
    captured = capsys.readouterr().out
    assert "Note: 2 submitted scorecard(s) left out" in captured
    assert "Marker S0Q0" not in pdf_text(out)


def test_export_kit(panel: Panel, tmp_path: Path) -> None:
    out = tmp_path / "kit.pdf"
    assert main([*db_args(panel), "export", "kit", str(panel.stage_ids[0]), "-o", str(out)]) == 0
    assert "Interview kit" in pdf_text(out)


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["export", "scorecard", "9999"], "No scorecard with id 9999"),
        (["export", "debrief", "9999"], "No candidate with id 9999"),
        (["export", "kit", "9999"], "No stage with id 9999"),
        (["export", "debrief", "{cand}", "--as", "9999"],
         "--as: No person '9999' in the directory (give an email address or a person id)"),
    ],
)
def test_bad_ids_are_one_line_and_exit_2(panel: Panel, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                         argv: list[str], message: str) -> None:
    out = tmp_path / "x.pdf"
    argv = [a.replace("{cand}", str(panel.candidate_id)) for a in argv]
    assert main([*db_args(panel), *argv, "-o", str(out)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == f"interviewkit: error: {message}\n"
    assert not out.exists()


def test_an_unwritable_path_is_one_line_and_exit_2(panel: Panel, tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "missing" / "kit.pdf"
    assert main([*db_args(panel), "export", "kit", str(panel.stage_ids[0]), "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("interviewkit: error: cannot write") and "does not exist" in err
