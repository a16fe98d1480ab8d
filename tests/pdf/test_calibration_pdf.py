"""The calibration report as a PDF, read back with pypdf: the figures, the flags, hidden names, the CLI."""

from __future__ import annotations

import random
from datetime import date, timedelta
from pathlib import Path

import pytest
from pypdf import PdfReader

from interviewkit.bank.loader import load_settings
from interviewkit.cli import main
from interviewkit.paths import shipped_bank_dir
from interviewkit.pdf.calibration import leniency_rows
from interviewkit.pdf.exports import export_calibration_pdf
from interviewkit.services.access import LOCAL_ADMIN
from interviewkit.services.calibration import import_ratings_csv
from interviewkit.services.calibration_report import CalibrationFilters, calibration_report
from tests.pdf.conftest import pdf_text

SETTINGS = load_settings(shipped_bank_dir())
PEOPLE = ("Ann Archer", "Bob Brown", "Cy Cole", "Dana Diaz")


def history(tmp_path: Path) -> Path:
    """Twenty candidates seen by four interviewers; Dana scores a point higher than everyone."""
    rng = random.Random(5)
    rows = ["candidate,interviewer,competency,score,date"]
    for c in range(20):
        ability = rng.choice([1, 2, 2, 3, 3])
        day = date(2026, 1, 5) + timedelta(days=5 * c)
        for who in PEOPLE:
            for comp in ("model-serving", "ml-system-design"):
                score = ability + (1 if who == "Dana Diaz" else 0) + rng.choice([0, 0, 0, -1, 1])
                rows.append(f"c{c},{who},{comp},{max(1, min(4, score))},{day.isoformat()}")
    path = tmp_path / "history.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def rated(bank_db, tmp_path: Path):  # type: ignore[no-untyped-def]
    report = import_ratings_csv(bank_db, history(tmp_path), SETTINGS, by=LOCAL_ADMIN)
    return bank_db, report.opening_id


def test_the_report_holds_every_figure(rated, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    db, _ = rated
    report = calibration_report(db, SETTINGS, viewer=LOCAL_ADMIN)
    dana = next(r for r in leniency_rows(report) if r.label == "Dana Diaz")
    assert dana.flagged and dana.low is not None and dana.low > 0
    out = tmp_path / "calibration.pdf"
    result = export_calibration_pdf(db, out, settings=SETTINGS, viewer=LOCAL_ADMIN)
    reader = PdfReader(str(out))
    assert result.pages == len(reader.pages) >= 3
    text = pdf_text(out)
    for words in (
        "Calibration report",
        "Leniency",
        "Flagged:",
        "Dana Diaz",
        "Agreement per competency",
        "Model deployment and serving",
        "Overall score",
        "Rating distributions",
        "Everyone",
        "Drift over time",
        "Question analytics",
        "Confidential",
        f"Page 1 of {result.pages}",
    ):
        assert words in text, words
    assert "⚠" in text and ("poor" in text or "moderate" in text or "good" in text or "excellent" in text)
    assert "No question was recorded as asked" in text  # imported ratings carry no questions
    assert reader.metadata is not None and reader.metadata.title == "Calibration report · all submitted scorecards"


def test_hidden_names_and_filters(rated, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    db, opening_id = rated
    out = tmp_path / "hidden.pdf"
    export_calibration_pdf(
        db,
        out,
        settings=SETTINGS,
        page_size="Letter",
        hide_names=True,
        filters=CalibrationFilters(opening_id=opening_id, competency="model-serving"),
        viewer=LOCAL_ADMIN,
    )
    text = pdf_text(out)
    assert not any(name in text for name in PEOPLE)
    assert "Interviewer A" in text and "Interviewer D" in text
    assert "competency Model deployment and serving" in text
    assert "ML system design and architecture" not in text
    box = PdfReader(str(out)).pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (612, 792)


def test_not_enough_data_is_said_on_paper(bank_db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "empty.pdf"
    result = export_calibration_pdf(bank_db, out, settings=SETTINGS, viewer=LOCAL_ADMIN)
    assert result.pages == 1 and "at least two interviewers" in result.note
    assert "Not enough data for calibration" in pdf_text(out)


def test_cli_export_calibration(rated, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:  # type: ignore[no-untyped-def]
    db, opening_id = rated
    out = tmp_path / "cli.pdf"
    args = [
        "--db",
        db.url.render_as_string(hide_password=False),
        "export",
        "calibration",
        "-o",
        str(out),
        "--opening",
        str(opening_id),
    ]
    assert main(args) == 0
    pages = len(PdfReader(str(out)).pages)
    assert capsys.readouterr().out == f"Wrote {out} ({pages} pages, A4).\n"
    assert "Dana Diaz" in pdf_text(out)
    assert main([*args[:-2], "--since", "someday"]) == 2
    assert "--since" in capsys.readouterr().err


def test_an_interviewers_copy_holds_only_their_rows(rated, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from interviewkit.services.people import people, update_person

    db, _ = rated
    bob = next(p for p in people(db, include_inactive=True) if p.name == "Bob Brown")
    update_person(db, bob.id, name=bob.name, email=bob.email, active=True, by=LOCAL_ADMIN)  # imported: inactive
    out = tmp_path / "bob.pdf"
    export_calibration_pdf(db, out, settings=SETTINGS, viewer=bob.id)
    text = pdf_text(out)
    assert "Bob Brown" in text and "Dana Diaz" not in text and "one interviewer's own rows" in text
    # "Hide interviewer names" holds in an interviewer's own copy too: not even the header names them.
    hidden = tmp_path / "bob-hidden.pdf"
    export_calibration_pdf(db, hidden, settings=SETTINGS, viewer=bob.id, hide_names=True)
    text = pdf_text(hidden)
    assert "Bob" not in text and "Dana" not in text
    assert "Bob" not in (PdfReader(str(hidden)).metadata.title or "")


def test_the_report_says_how_many_interviewers_a_competency_needs(rated, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    db, _ = rated
    out = tmp_path / "d-study.pdf"
    export_calibration_pdf(db, out, settings=SETTINGS, viewer=LOCAL_ADMIN)
    text = pdf_text(out)
    report = calibration_report(db, SETTINGS, viewer=LOCAL_ADMIN)
    serving = next(a for a in report.competencies if a.competency == "model-serving")
    assert serving.d_study is not None
    assert "How many interviewers" in text and "20 candidates" in text
    assert f"{serving.d_study.points[1].absolute:.2f}" in text  # two interviewers' reliability
    assert "Model deployment and serving: 1 interviewer, reliability" in text.replace("\n", " ")


def test_the_validity_section_from_a_ratings_file_and_outcomes(tmp_path: Path) -> None:
    from interviewkit.pdf.calibration import calibration_pdf
    from interviewkit.services.calibration import ratings_from_csv
    from interviewkit.services.calibration_report import calibration_of_ratings
    from interviewkit.services.documents import PdfOptions
    from interviewkit.services.validity import outcomes_from_csv
    from tests.services.test_calibration_validity import history as hiring_history

    ratings_path, outcomes_path, _ = hiring_history(tmp_path, applicants=300, hires=60)
    report = calibration_of_ratings(ratings_from_csv(ratings_path), outcomes=outcomes_from_csv(outcomes_path))
    for hide in (False, True):
        out = tmp_path / f"validity-{hide}.pdf"
        out.write_bytes(calibration_pdf(report, PdfOptions(hide_names=hide)).data)
        text = pdf_text(out).replace("\n", " ")
        assert "Predictive validity" in text and "60 hires with a performance rating, 300 candidates scored" in text
        assert "composite: overall score" in text and "Thorndike" in text
        assert ("interviewer: i0" in text) is not hide
        assert ("names are hidden" in text) is hide
