"""Reading a ratings CSV file: ``interviewkit calibrate --ratings`` and ``scorecards import``.

* :func:`ratings_from_csv` reads a long-format CSV (``candidate,interviewer,competency,score`` and optional
  ``date``, ``questions``, ``question`` and ``stage``), validating every row;
* :func:`read_ratings_csv` reads it for ``calibrate``: every score on a scale, a repeat refused or reported.

A clean file is read by the fast reader (:mod:`interviewkit.services.ratings_csv`) into columns; any other
goes row by row here (:func:`_read_rows`), which names every problem with its row. CSV rows are numbered as
a spreadsheet shows them: the header is row 1, the first rating row 2. This module needs no database, so the
command line imports neither SQLAlchemy nor the storage models to read a file (0.6 s of a cold start).
"""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from interviewkit.domain.calibration import Rating
from interviewkit.services.errors import ValidationFailed
from interviewkit.services.ratings_csv import CleanFile, read_clean

if TYPE_CHECKING:
    from _csv import Reader as CsvReader

__all__ = [
    "DEFAULT_SCALE",
    "DUPLICATES",
    "MAX_PROBLEMS_SHOWN",
    "MAX_QUESTIONS",
    "OPTIONAL_COLUMNS",
    "REQUIRED_COLUMNS",
    "RatingsFile",
    "parse_scale",
    "ratings_from_csv",
    "read_ratings_csv",
]

REQUIRED_COLUMNS = ("candidate", "interviewer", "competency", "score")
OPTIONAL_COLUMNS = ("date", "questions", "question", "stage")
MAX_QUESTIONS = 20  # questions behind one rating of one competency: more is a typo
MAX_PROBLEMS_SHOWN = 50


@dataclass(frozen=True)
class _Row:
    row: int
    candidate: str
    interviewer: str
    competency: str
    score: float | None
    at: datetime | None
    questions: int | None = None
    question: str | None = None
    stage: str | None = None


def _capped(problems: list[str]) -> list[str]:
    if len(problems) <= MAX_PROBLEMS_SHOWN:
        return problems
    return [*problems[:MAX_PROBLEMS_SHOWN], f"... and {len(problems) - MAX_PROBLEMS_SHOWN} more problems"]


def _parse_date(text: str) -> datetime:
    """An ISO 8601 date or date-time; a date is midnight UTC, a time without offset is UTC."""
    value = text.strip()
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return datetime.combine(date.fromisoformat(value), time(0), tzinfo=UTC)
    parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=UTC)


def _read_text(path: Path) -> str:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise ValidationFailed([f"{path}: no such file"]) from None
    except IsADirectoryError:
        raise ValidationFailed([f"{path}: is a folder, not a CSV file"]) from None
    except OSError as exc:
        raise ValidationFailed([f"{path}: cannot be read ({exc.strerror or exc})"]) from None
    if b"\x00" in data[:8192]:
        raise ValidationFailed([f"{path.name}: not a CSV file (it holds binary data); export the ratings as CSV UTF-8"])
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        message = (
            f"{path.name}: not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start}); "
            "save the file as 'CSV UTF-8' and try again"
        )
        raise ValidationFailed([message]) from None


def _read_header(path: Path, reader: CsvReader) -> list[str]:
    """The header row of a ratings CSV (the first row that is not blank), its names checked."""
    try:
        header = next(reader, None)
        while header is not None and not any(cell.strip() for cell in header):
            header = next(reader, None)
    except csv.Error as exc:
        raise ValidationFailed([f"{path.name}: not a readable CSV file ({exc})"]) from None
    if header is None:
        raise ValidationFailed(
            [
                (
                    f"{path.name}: the file is empty; expected a header row '{','.join(REQUIRED_COLUMNS)}' and one "
                    "rating per row"
                )
            ]
        )
    names = [h.strip().lower() for h in header]
    header_row = reader.line_num
    missing = [c for c in REQUIRED_COLUMNS if c not in names]
    duplicated = sorted({n for n in names if n and names.count(n) > 1})
    problems: list[str] = []
    if missing:
        problems.append(
            f"row {header_row}: missing column(s) {', '.join(missing)}; the header must name "
            f"{', '.join(REQUIRED_COLUMNS)} (and optionally date), found: "
            f"{', '.join(h.strip() for h in header) or 'nothing'}"
        )
    if duplicated:
        problems.append(f"row {header_row}: column(s) named twice: {', '.join(duplicated)}")
    if problems:
        raise ValidationFailed(problems)
    return header


def _read_rows(path: Path) -> list[_Row]:
    """Every row of a ratings CSV, validated; raises ValidationFailed listing all problems."""
    path = Path(path)
    text = _read_text(path)
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)  # a quote left open is an error
    header = _read_header(path, reader)
    names = [h.strip().lower() for h in header]
    problems: list[str] = []
    where = {name: names.index(name) for name in (*REQUIRED_COLUMNS, *OPTIONAL_COLUMNS) if name in names}
    rows: list[_Row] = []
    try:
        for record in reader:
            row = reader.line_num
            if not any(cell.strip() for cell in record):
                continue  # blank line
            if len(record) < len(header):
                problems.append(f"row {row}: {len(record)} field(s), the header has {len(header)}")
                continue
            if len(record) > len(header) and any(cell.strip() for cell in record[len(header) :]):
                problems.append(f"row {row}: {len(record)} fields, the header has {len(header)} (a stray comma?)")
                continue
            ids = {name: record[where[name]].strip() for name in ("candidate", "interviewer", "competency")}
            bad = [name for name, value in ids.items() if not value]
            for name in bad:
                problems.append(f"row {row}: empty {name}")
            raw = record[where["score"]].strip()
            score: float | None = None
            if raw:
                try:
                    score = float(raw)
                except ValueError:
                    problems.append(f"row {row}: score '{raw}' is not a number")
                    continue
                if not math.isfinite(score):
                    problems.append(f"row {row}: score '{raw}' is not a finite number")
                    continue
            at = None
            if "date" in where and record[where["date"]].strip():
                try:
                    at = _parse_date(record[where["date"]])
                except ValueError:
                    problems.append(
                        f"row {row}: date '{record[where['date']].strip()}' is not an ISO date (YYYY-MM-DD or "
                        "YYYY-MM-DDTHH:MM)"
                    )
                    continue
            questions = None
            if "questions" in where and record[where["questions"]].strip():
                text = record[where["questions"]].strip()
                if not text.isdigit() or not 1 <= int(text) <= MAX_QUESTIONS:
                    problems.append(
                        f"row {row}: questions '{text}' is not a whole number from 1 to {MAX_QUESTIONS} (how many "
                        "questions on the competency the rating rests on)"
                    )
                    continue
                questions = int(text)
            if bad:
                continue
            labels = {
                name: (record[where[name]].strip() or None) if name in where else None for name in ("question", "stage")
            }
            rows.append(
                _Row(
                    row,
                    ids["candidate"],
                    ids["interviewer"],
                    ids["competency"],
                    score,
                    at,
                    questions,
                    labels["question"],
                    labels["stage"],
                )
            )
    except csv.Error as exc:
        problems.append(f"row {reader.line_num}: not valid CSV ({exc})")
    if problems:
        raise ValidationFailed(_capped(problems))
    return rows


def ratings_from_csv(path: Path | str) -> Sequence[Rating]:
    """The ratings of a long-format CSV file with the header ``candidate,interviewer,competency,score``.

    Scores are numbers on any scale; an empty score means "not rated". An optional ``date`` column (ISO
    8601) dates each rating for the drift analysis, and an optional ``questions`` column says how many
    questions on the competency the rating rests on (1 to :data:`MAX_QUESTIONS`), for the D-study; optional
    ``question`` and ``stage`` columns name where it came from, for the validity analysis. Column order is
    free and names are case-insensitive.
    Raises :class:`ValidationFailed` listing every problem with its row number (the header is row 1):
    missing columns, empty ids, non-numeric scores, bad dates, rows with too few or too many fields, and
    a file that is not UTF-8 CSV. A clean file's ratings come as :class:`~interviewkit.domain.calibration.
    RatingColumns` (no object per row until one is asked for), a file with quotes or blank lines as a list.
    """
    clean = _read_clean(Path(path))
    return clean.ratings if clean is not None else [_rating(r) for r in _read_rows(Path(path))]


def _read_clean(path: Path) -> CleanFile | None:
    """The file read by the fast reader (:mod:`interviewkit.services.ratings_csv`), or None when it has a
    problem to name (or a shape only the row-by-row reader takes): then :func:`_read_rows` reads it."""
    return read_clean(path, _parse_date, OPTIONAL_COLUMNS, MAX_QUESTIONS)


def _rating(r: _Row) -> Rating:
    return Rating(r.candidate, r.interviewer, r.competency, r.score, r.at, r.questions, r.question, r.stage)


DEFAULT_SCALE = "1-4"  # the shipped bank's scale, as ``scorecards import`` checks it
DUPLICATES = ("refuse", "report")


@dataclass(frozen=True)
class RatingsFile:
    """The ratings of a CSV file checked for ``calibrate``, and what the check found worth saying; the ratings
    of a clean file are :class:`~interviewkit.domain.calibration.RatingColumns`, which the statistics take as
    columns."""

    ratings: Sequence[Rating]
    notes: tuple[str, ...] = ()


def parse_scale(text: str) -> tuple[int, ...]:
    """The levels of a scale written ``MIN-MAX`` (whole numbers, e.g. ``1-4`` or ``0-10``); ValueError
    with a message for anything else."""
    found = re.fullmatch(r"\s*(-?\d{1,4})\s*-\s*(-?\d{1,4})\s*", text or "")
    if found is None:
        raise ValueError(f"scale {text!r} is not MIN-MAX in whole numbers, e.g. 1-4")
    low, high = int(found.group(1)), int(found.group(2))
    if not low < high or high - low > 100:
        raise ValueError(f"scale {text!r}: MIN must be below MAX, at most 100 levels apart")
    return tuple(range(low, high + 1))


def _off_scale(rows: Sequence[_Row], levels: Sequence[int]) -> list[str]:
    allowed = set(levels)
    scale = f"{levels[0]}-{levels[-1]}"
    return [
        f"row {r.row}: score {r.score:g} is not on the scale {scale} (whole numbers); "
        "give the file's scale with --scale MIN-MAX"
        for r in rows
        if r.score is not None and (r.score != int(r.score) or int(r.score) not in allowed)
    ]


def _repeats(rows: Sequence[_Row]) -> list[tuple[_Row, _Row]]:
    """(earlier row, later row) for every row that repeats an earlier (candidate, interviewer, competency)."""
    first: dict[tuple[str, str, str], _Row] = {}
    out = []
    for r in rows:
        key = (r.candidate, r.interviewer, r.competency)
        if key in first:
            out.append((first[key], r))
        else:
            first[key] = r
    return out


def _repeat_notes(repeats: list[tuple[_Row, _Row]]) -> tuple[str, ...]:
    if not repeats:
        return ()
    differ = [later.row for earlier, later in repeats if earlier.score != later.score]
    note = (
        f"{len(repeats)} row{'s' if len(repeats) != 1 else ''} repeat a candidate, interviewer and competency "
        f"of an earlier row ({_rows_text([later.row for _, later in repeats])}); kept as repeated ratings, as "
        "two interview stages would give: the variance components count each one, alpha and the ICC forms "
        "use their mean."
    )
    if differ:
        note += f" {len(differ)} of them differ from the earlier score ({_rows_text(differ)})."
    return (note,)


def read_ratings_csv(
    path: Path | str, *, scale: Sequence[int] | None = None, duplicates: str = "refuse"
) -> RatingsFile:
    """The ratings of a CSV file for ``interviewkit calibrate --ratings``, checked (as :func:`ratings_from_csv`,
    and more): every score a whole number on ``scale`` (default :data:`DEFAULT_SCALE`), and a (candidate,
    interviewer, competency) given once. ``duplicates="refuse"`` makes a repeat an error naming both rows;
    ``"report"`` keeps repeats as repeated ratings and says so in :attr:`RatingsFile.notes` (how many, which
    rows, and which of them differ). Raises :class:`ValidationFailed` listing every problem with its row.
    """
    if duplicates not in DUPLICATES:
        raise ValueError(f"duplicates must be one of {', '.join(DUPLICATES)}")
    levels = tuple(scale) if scale is not None else parse_scale(DEFAULT_SCALE)
    found = _checked_clean(_read_clean(Path(path)), levels, duplicates)
    if found is not None:
        return found
    rows = _read_rows(Path(path))
    problems = _off_scale(rows, levels)
    repeats = _repeats(rows)
    if duplicates == "refuse":
        problems += [
            f"row {later.row}: candidate '{later.candidate}', interviewer '{later.interviewer}', competency "
            f"'{later.competency}' already given in row {earlier.row} (to keep repeated ratings, as from two "
            "stages, pass --duplicates report)"
            for earlier, later in repeats
        ]
    if problems:
        raise ValidationFailed(_capped(problems))
    return RatingsFile([_rating(r) for r in rows], _repeat_notes(repeats))


def _checked_clean(clean: CleanFile | None, levels: Sequence[int], duplicates: str) -> RatingsFile | None:
    """:func:`read_ratings_csv`'s checks on a file the fast reader read, with numpy; None when a check fails
    (the row-by-row reader then names every problem)."""
    if clean is None:
        return None
    scored = clean.scores[~np.isnan(clean.scores)]
    if scored.size and (np.any(scored != np.rint(scored)) or not np.isin(scored, np.asarray(levels)).all()):
        return None
    order = np.argsort(clean.keys, kind="stable")
    ordered = clean.keys[order]
    later = np.flatnonzero(ordered[1:] == ordered[:-1]) + 1  # positions (in key order) of repeats
    if later.size and duplicates == "refuse":
        return None
    group_start = np.flatnonzero(np.concatenate(([True], ordered[1:] != ordered[:-1])))
    first = order[group_start[np.searchsorted(group_start, later, side="right") - 1]]
    pairs = sorted(zip(first.tolist(), order[later].tolist()), key=lambda pair: pair[1])
    repeats = [(_row_of(clean, a), _row_of(clean, b)) for a, b in pairs]
    return RatingsFile(clean.ratings, _repeat_notes(repeats))


def _row_of(clean: CleanFile, j: int) -> _Row:
    r = clean.ratings[j]
    return _Row(int(clean.rows[j]), r.candidate, r.interviewer, r.competency, r.score, r.at)


def _rows_text(rows: Sequence[int], limit: int = 12) -> str:
    shown = ", ".join(str(r) for r in rows[:limit])
    more = f" and {len(rows) - limit} more" if len(rows) > limit else ""
    return f"row {shown}" if len(rows) == 1 else f"rows {shown}{more}"
