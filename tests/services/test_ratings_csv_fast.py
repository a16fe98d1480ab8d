"""The fast ratings CSV reader (issue 17, point 3) reads what the row-by-row reader reads, and leaves every
file with a problem to it, so errors keep naming their rows."""

from __future__ import annotations

from pathlib import Path

import pytest

from interviewkit.services import calibration
from interviewkit.services.calibration import ratings_from_csv, read_ratings_csv
from interviewkit.services.errors import ValidationFailed
from interviewkit.services.ratings_csv import read_clean

HEADER = "Candidate, interviewer ,competency,score,date,questions,question,stage"
ROWS = [
    "c1,José Ñúñez,tech,3,2025-01-06,2,q-design,onsite",
    "c1, bob ,tech,4,2025-01-06T10:30,,,",
    "c2,José Ñúñez,tech,,2025-02-01,1,q-design,",
    "c2,bob,comm,1.0,2025-02-01T09:00Z,3,,screen",
    "c3,carol,comm,2,,,,",
]


def write(tmp_path: Path, text: str, name: str = "r.csv", *, bom: bool = False, crlf: bool = False) -> Path:
    path = tmp_path / name
    if crlf:
        text = text.replace("\n", "\r\n")
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8"))
    return path


def row_by_row(path: Path) -> list[object]:
    return [calibration._rating(r) for r in calibration._read_rows(path)]


@pytest.mark.parametrize(
    ("bom", "crlf", "final_newline"), [(False, False, True), (True, True, False), (True, False, False)]
)
def test_the_fast_reader_reads_what_the_row_by_row_reader_reads(
    tmp_path: Path, bom: bool, crlf: bool, final_newline: bool
) -> None:
    path = write(tmp_path, "\n".join([HEADER, *ROWS]) + ("\n" if final_newline else ""), bom=bom, crlf=crlf)
    fast = read_clean(path.read_bytes(), calibration._parse_date, calibration.OPTIONAL_COLUMNS, 20)
    assert fast is not None, "a clean file takes the fast path"
    assert fast.ratings == row_by_row(path) == ratings_from_csv(path)
    assert fast.rows.tolist() == [2, 3, 4, 5, 6]
    assert fast.ratings[1].interviewer == "bob" and fast.ratings[2].score is None


def test_repeats_are_reported_as_the_row_by_row_reader_reports_them(tmp_path: Path) -> None:
    lines = [f"c{i % 5},p{i % 3},k{i % 2},{1 + i % 4}" for i in range(40)]  # rows 32-41 repeat 2-11
    path = write(tmp_path, "\n".join(["candidate,interviewer,competency,score", *lines]) + "\n")
    found = read_ratings_csv(path, duplicates="report")
    rows = calibration._read_rows(path)
    assert found.notes == calibration._repeat_notes(calibration._repeats(rows)) and found.notes
    assert found.ratings == row_by_row(path)
    with pytest.raises(ValidationFailed) as refused:
        read_ratings_csv(path)
    assert "row 32: candidate 'c0', interviewer 'p0', competency 'k0' already given in row 2" in str(refused.value)


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        ("c1,a,k,3\nc1,b,k,x\n", "row 3: score 'x' is not a number"),
        ("c1,a,k,3\nc1,b,k,7\n", "row 3: score 7 is not on the scale 1-4"),
        ("c1,a,k,3\nc1,,k,2\n", "row 3: empty interviewer"),
        ("c1,a,k,3\nc1,b,k\n", "row 3: 3 field(s), the header has 4"),
        ("c1,a,k,3\n\nc2,b,k,2,9\n", "row 4: 5 fields, the header has 4"),
        ("c1,a,k,nan\n", "row 2: score 'nan' is not a finite number"),
    ],
)
def test_a_file_with_a_problem_still_gets_its_row_named(tmp_path: Path, body: str, problem: str) -> None:
    path = write(tmp_path, "candidate,interviewer,competency,score\n" + body)
    with pytest.raises(ValidationFailed) as refused:
        read_ratings_csv(path)
    assert problem in str(refused.value)


@pytest.mark.parametrize(
    "text",
    [
        'candidate,interviewer,competency,score\n"c, 1",a,k,3\nc2,a,k,2\n',  # quoted: the csv module's reading
        "\ncandidate,interviewer,competency,score\nc1,a,k,3\n\nc2,b,k,2\n",  # blank lines
        "candidate,interviewer,competency,score\nc1,a,k,3,\nc2,b,k,2,\n",  # trailing empty fields
    ],
)
def test_shapes_the_fast_reader_leaves_are_read_row_by_row(tmp_path: Path, text: str) -> None:
    path = write(tmp_path, text)
    assert read_clean(path.read_bytes(), calibration._parse_date, calibration.OPTIONAL_COLUMNS, 20) is None
    assert read_ratings_csv(path).ratings == row_by_row(path) and len(row_by_row(path)) == 2


# The vectorised split (every separator found at once, each column factorised by 64-bit hashes of its fields).


def test_values_alike_in_their_first_words_stay_apart_in_order_of_first_appearance(tmp_path: Path) -> None:
    long = "x" * 40
    names = [f"interviewer-{long}-2", f"interviewer-{long}-1", "interviewer-", "interviewer", f"interviewer-{long}-2 "]
    lines = [f"c{i % 3},{names[i % len(names)]},k{i % 2},{1 + i % 4}" for i in range(30)]
    path = write(tmp_path, "\n".join(["candidate,interviewer,competency,score", *lines]) + "\n")
    fast = read_clean(path.read_bytes(), calibration._parse_date, calibration.OPTIONAL_COLUMNS, 20)
    assert fast is not None
    assert fast.ratings.interviewers == (names[0], names[1], "interviewer-", "interviewer")  # ' ' stripped
    assert fast.ratings.candidates == ("c0", "c1", "c2") and fast.ratings.competencies == ("k0", "k1")
    assert fast.ratings == row_by_row(path)


@pytest.mark.parametrize("tail", ["-one", "-" + "o" * 90])  # words kept between the passes, or read again
def test_a_hash_collision_sends_the_file_to_the_careful_reader(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, tail: str
) -> None:
    import numpy as np

    from interviewkit.services import ratings_csv

    # With the mixing constant 0, a hash is the last 8-byte word: 'aaaaaaaa-one' and 'bbbbbbbb-one' collide.
    monkeypatch.setattr(ratings_csv, "_MIX", np.uint64(0))
    one, other = "aaaaaaaa" + tail, "bbbbbbbb" + tail
    path = write(tmp_path, f"candidate,interviewer,competency,score\nc1,{one},k,3\nc1,{other},k,2\n")
    assert read_clean(path.read_bytes(), calibration._parse_date, calibration.OPTIONAL_COLUMNS, 20) is None
    found = read_ratings_csv(path)
    assert [r.interviewer for r in found.ratings] == [one, other] == [r.interviewer for r in row_by_row(path)]


def test_long_fields_are_read_by_the_fast_reader_in_two_passes(tmp_path: Path) -> None:
    names = ["x" * 100 + "1", "x" * 100 + "2", "y" * 120]  # over KEEP_SPAN: the words are read again
    lines = [f"c{i % 4},{names[i % 3]},k{i % 2},{1 + i % 4}" for i in range(24)]
    path = write(tmp_path, "\n".join(["candidate,interviewer,competency,score", *lines]) + "\n")
    fast = read_clean(path.read_bytes(), calibration._parse_date, calibration.OPTIONAL_COLUMNS, 20)
    assert fast is not None and fast.ratings.interviewers == tuple(names)
    assert fast.ratings == row_by_row(path)


def test_a_field_longer_than_the_fast_reader_takes_is_read_row_by_row(tmp_path: Path) -> None:
    from interviewkit.services.ratings_csv import MAX_FIELD

    name = "n" * (MAX_FIELD + 1)
    path = write(tmp_path, f"candidate,interviewer,competency,score\nc1,{name},k,3\nc2,b,k,2\n")
    assert read_clean(path.read_bytes(), calibration._parse_date, calibration.OPTIONAL_COLUMNS, 20) is None
    assert read_ratings_csv(path).ratings == row_by_row(path) and row_by_row(path)[0].interviewer == name


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        # as many commas as the rows need in all, but one too many on one line and one too few on another
        ("c1,a,k,3,9\nc1,b,k\n", "row 2: 5 fields, the header has 4"),
        ("c1,a,k,3\nc2,b,k\nc3,c,k,1,1\n", "row 3: 3 field(s), the header has 4"),
        ("c1,a,k,3\nc2,b,k,2\n\n", None),  # blank lines at the end: no problem, read row by row
    ],
)
def test_lines_of_the_wrong_width_are_named_even_when_the_commas_add_up(
    tmp_path: Path, body: str, problem: str | None
) -> None:
    path = write(tmp_path, "candidate,interviewer,competency,score\n" + body)
    assert read_clean(path.read_bytes(), calibration._parse_date, calibration.OPTIONAL_COLUMNS, 20) is None
    if problem is None:
        assert len(read_ratings_csv(path).ratings) == 2
        return
    with pytest.raises(ValidationFailed) as refused:
        read_ratings_csv(path)
    assert problem in str(refused.value)
