"""`bank coverage` and `bank check` on a bank of the second edition (issue 14): primary links counted, related
ones apart, the screen, must-haves; per loop template the minutes of each question by stage."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from interviewkit.cli import main
from tests.second_edition import LATENCY, PRIMARY, RELATED, SCREENED, make_second_edition


@pytest.fixture
def bank(mini_bank: Path) -> Path:
    return make_second_edition(mini_bank)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_coverage_json_gives_primary_and_related_questions_the_screen_and_must_haves(
    capsys: pytest.CaptureFixture[str], bank: Path
) -> None:
    code, out, _ = run(capsys, "--bank", str(bank), "bank", "coverage", "--json", "--jd", "ml-eng-manager-profile")
    assert code == 0
    data = {e["id"]: e for e in json.loads(out)}
    assert data[PRIMARY]["questions"] == ["serving-design", "serving-design-story"] and data[PRIMARY]["count"] == 2
    assert data[RELATED]["questions"] == [] and data[RELATED]["count"] == 0
    assert data[RELATED]["related_questions"] == ["serving-design", "serving-design-story"]
    assert data[SCREENED[0]]["screen"] is True and data[PRIMARY]["screen"] is False
    assert data["ml-eng-manager-profile.typical-background.04"]["must_have"] is False  # '(preferred)'
    assert data[LATENCY]["must_have"] is True
    assert set(data[PRIMARY]) == {"id", "document", "section", "text", "questions", "count", "related_questions",
                                  "screen", "must_have"}


def test_coverage_text_marks_the_screen_and_lists_related_questions_apart(
    capsys: pytest.CaptureFixture[str], bank: Path
) -> None:
    code, out, _ = run(capsys, "--bank", str(bank), "bank", "coverage", "-v", "--jd", "ml-eng-manager-profile")
    assert code == 0
    lines = out.splitlines()
    screened = next(i for i, line in enumerate(lines) if SCREENED[0] in line)
    assert lines[screened].startswith(" S  0  ") and "checked by the screen" in lines[screened + 1]
    related = next(i for i, line in enumerate(lines) if RELATED in line)
    assert lines[related].startswith(" ✗  0  ")
    assert lines[related + 1].strip() == "related, not counted: serving-design, serving-design-story"
    assert "; 2 checked by the screen." in out
    assert SCREENED[0] not in out.split("Not covered: ")[1]


def test_check_reports_each_loop_by_stage_with_its_minutes_coverage_and_must_haves(
    capsys: pytest.CaptureFixture[str], bank: Path
) -> None:
    code, out, _ = run(capsys, "--bank", str(bank), "bank", "check")
    assert code == 1  # most requirements of the job descriptions have no question in this small bank
    assert "covered by primary links, 2 checked by the screen" in out
    assert ("Loop 'mini-loop': 2 stages, 90 minutes, 2 questions, assesses 2 of 83 requirements by primary links, "
            "2 checked by the screen.") in out
    assert "  Recruiter screen (screen, 30 min): 2 checklist items" in out
    assert "  Serving (40 of 60 min planned): latency-regression 10, serving-design 30" in out
    must = next(line for line in out.splitlines() if line.startswith("  Must-haves unassessed ("))
    assert RELATED in must and SCREENED[0] not in must and PRIMARY not in must
    assert "ml-eng-manager-profile.typical-background.04" not in must
    code, out, _ = run(capsys, "--bank", str(bank), "bank", "check", "--json")
    (loop,) = json.loads(out)["loops"]
    assert (loop["assessed"], loop["screened"], loop["requirements"]) == (2, 2, 83)
    assert loop["stages"][1]["questions"] == [
        {"id": "latency-regression", "kind": "behavioural", "minutes": 10},
        {"id": "serving-design", "kind": "system-design", "minutes": 30}]
    assert loop["stages"][0] == {"name": "Recruiter screen", "kind": "screen", "minutes": 30, "planned": 0,
                                 "questions": [], "checklist": list(SCREENED)}
    assert RELATED in loop["must_haves_unassessed"] and loop["related_only"] == [RELATED]
