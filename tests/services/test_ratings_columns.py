"""A clean ratings file goes to the statistics as columns (issue 17, point 3): no Rating object per row, and
the very same report as the ratings read one by one."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from interviewkit.domain.calibration import Rating, RatingColumns, RatingSet
from interviewkit.services import calibration
from interviewkit.services.calibration import read_ratings_csv
from interviewkit.services.calibration_json import report_json
from interviewkit.services.calibration_report import calibration_of_ratings


def history(tmp_path: Path, rows: int = 3000, seed: int = 7) -> Path:
    """Ratings on a 1-4 scale: 24 interviewers (a few lenient), 4 competencies, dates over a year, question
    counts, some not rated, some repeated (two stages), names with spaces and accents."""
    rng = np.random.default_rng(seed)
    people = [f" Interviewer {i:02d}" if i % 5 else f"Jos\u00e9 {i}" for i in range(24)]
    lenient = rng.normal(0, 0.4, len(people))
    lines = ["candidate,interviewer,competency,score,date,questions,question,stage"]
    for _ in range(rows // 8):
        cand = f"c{rng.integers(0, rows // 12)}"
        ability = rng.normal(2.5, 0.7)
        day = f"2025-{rng.integers(1, 13):02d}-{rng.integers(1, 28):02d}"
        for who in rng.choice(len(people), 2, replace=False):
            for comp in ("tech", "design", "comm", "own"):
                raw = ability + lenient[who] + rng.normal(0, 0.6)
                score = "" if rng.random() < 0.05 else str(int(np.clip(np.rint(raw), 1, 4)))
                questions = str(rng.integers(1, 4)) if rng.random() < 0.7 else ""
                question = f"q-{comp}-{rng.integers(0, 3)}" if questions == "1" else ""
                lines.append(f"{cand},{people[who]},{comp},{score},{day},{questions},{question},onsite")
    path = tmp_path / "history.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def one_by_one(path: Path) -> list[Rating]:
    return [calibration._rating(r) for r in calibration._read_rows(path)]


@pytest.mark.parametrize("seed", [7, 11])
def test_the_columns_give_the_report_the_ratings_give(tmp_path: Path, seed: int) -> None:
    path = history(tmp_path, seed=seed)
    found = read_ratings_csv(path, duplicates="report")
    assert isinstance(found.ratings, RatingColumns), "a clean file is read as columns"
    rows = one_by_one(path)
    assert len(rows) > 2900 and any(r.score is None for r in rows) and found.notes, "unrated and repeated rows"
    from_columns = report_json(calibration_of_ratings(found.ratings, scale=(1, 2, 3, 4), input_notes=found.notes))
    from_objects = report_json(calibration_of_ratings(rows, scale=(1, 2, 3, 4), input_notes=found.notes))
    assert json.dumps(from_columns, sort_keys=True) == json.dumps(from_objects, sort_keys=True)
    assert from_columns["enough"] and from_columns["interviewers"]


def test_the_coded_set_is_the_same_array_for_array(tmp_path: Path) -> None:
    path = history(tmp_path, rows=800)
    columns = read_ratings_csv(path, duplicates="report").ratings
    a, b = RatingSet.from_ratings(columns), RatingSet.from_ratings(one_by_one(path))
    assert (a.competencies, a.all.candidates, a.all.interviewers) == (
        b.competencies,
        b.all.candidates,
        b.all.interviewers,
    )
    for name in ("candidate", "interviewer", "score", "at", "questions"):
        assert np.array_equal(getattr(a.all, name), getattr(b.all, name), equal_nan=True), name
    assert np.array_equal(a.competency, b.competency)


def test_columns_are_a_sequence_of_ratings(tmp_path: Path) -> None:
    path = history(tmp_path, rows=200)
    columns = read_ratings_csv(path, duplicates="report").ratings
    rows = one_by_one(path)
    assert columns == rows and list(columns) == rows and len(columns) == len(rows)
    assert columns[-1] == rows[-1] and columns[3:6] == rows[3:6]
    with pytest.raises(IndexError):
        columns[len(rows)]
