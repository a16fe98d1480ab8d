"""The fast reader of a ratings CSV for ``interviewkit calibrate --ratings`` (a million rows in about a second).

:func:`read_clean` reads a file that needs no repair, with the same result as the row-by-row reader of
:mod:`interviewkit.services.calibration`, or says it cannot (``None``); that reader then reads the file
again and names every problem with its row, so there is one set of rules and one wording of errors.

How: the file's bytes are checked with numpy (every line holds exactly the header's number of fields: the
commas of each line counted at once; no quote, NUL or lone carriage return), then split by C-level
``bytes.split`` in blocks of lines, and each column is factorised through a dictionary of its distinct
values, which are decoded, stripped and validated once each (an interviewer's name, a date: a few hundred
distinct values, not a million). The ratings stay columns (:class:`~interviewkit.domain.calibration.
RatingColumns`: each column's distinct values and an integer code per row, no object per rating), which the
statistics code with numpy alone; repeats of (candidate, interviewer, competency) and the scale are checked
on integer codes with numpy. No new dependency: pandas (a 12 MB wheel), pyarrow (55 MB) or polars
would parse faster still, but the time left is the statistics' (docs/performance.md), not the parsing.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np

from interviewkit.domain.calibration import Column, RatingColumns

__all__ = ["CleanFile", "read_clean"]

BLOCK_LINES = 100_000  # lines split at a time: bounds the bytes objects alive at once (~25 MB)
_IDS = ("candidate", "interviewer", "competency")


@dataclass(frozen=True)
class CleanFile:
    """A file's ratings in row order (as columns: no object per row), with each row's number (as a
    spreadsheet shows it, header = 1)."""

    ratings: RatingColumns
    rows: np.ndarray  # int64, the row number of ratings[j]
    keys: np.ndarray  # int64, one code per (candidate, interviewer, competency)
    scores: np.ndarray  # float64, NaN where not rated


class _Refused(Exception):
    """The file needs the careful reader (a problem to name, or a shape the fast path does not take)."""


def read_clean(
    source: bytes | Path,
    parse_date: Callable[[str], datetime],
    optional: Sequence[str],
    max_questions: int,
) -> CleanFile | None:
    """The ratings of ``source`` (a CSV file, or its bytes; BOM allowed), or None when the file cannot be read,
    has a problem or has a shape (quotes, blank or short lines, a header after blank lines) the careful reader
    must handle. Given a path, the file's bytes are let go before the ratings are built."""
    try:
        data = source.read_bytes() if isinstance(source, Path) else source
    except OSError:
        return None
    del source
    box = [data]  # handed over, so that _read can let go of the only reference
    del data
    try:
        return _read(box, parse_date, optional, max_questions)
    except _Refused:
        return None


def _read(box: list[bytes], parse_date: Callable[[str], datetime], optional: Sequence[str], max_q: int) -> CleanFile:
    data = box.pop()
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if b'"' in data or b"\x00" in data:
        raise _Refused
    if b"\r" in data:
        data = data.replace(b"\r\n", b"\n")
        if b"\r" in data:
            raise _Refused
    if not data.isascii():
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            raise _Refused from None
    head_end = data.find(b"\n")
    if head_end <= 0:
        raise _Refused
    names = [h.strip().lower() for h in data[:head_end].decode("utf-8").split(",")]
    if any(c not in names for c in (*_IDS, "score")) or len(set(names)) != len(names):
        raise _Refused
    start, end = head_end + 1, len(data) - (1 if data.endswith(b"\n") else 0)
    if end <= start:
        raise _Refused
    newlines = _check_shape(data, start, end, len(names))
    columns = _split_columns(data, start, end, newlines, names)
    del data  # the only reference when the caller gave a path: 66 MB for a million rows
    return _assemble(columns, names, newlines.size + 1, parse_date, max_q)


def _check_shape(data: bytes, start: int, end: int, width: int) -> np.ndarray:
    """Where the lines of ``data[start:end]`` end (offsets of their newlines from ``start``, the last line's
    none); refused unless every line has exactly ``width - 1`` commas."""
    buf = np.frombuffer(data, dtype=np.uint8, count=end - start, offset=start)
    newlines = np.flatnonzero(buf == 10)
    commas = np.flatnonzero(buf == 44)
    lines = newlines.size + 1
    if commas.size != lines * (width - 1):
        raise _Refused
    per_line = np.bincount(np.searchsorted(newlines, commas), minlength=lines)
    if np.any(per_line != width - 1):
        raise _Refused
    return newlines


def _split_columns(
    data: bytes, start: int, end: int, newlines: np.ndarray, names: list[str]
) -> dict[str, tuple[list[bytes], np.ndarray]]:
    """Each column as (its distinct raw values, each row's code into them), split and factorised by block."""
    width, lines = len(names), newlines.size + 1
    seen: list[dict[bytes, int]] = [{} for _ in range(width)]
    codes: list[list[np.ndarray]] = [[] for _ in range(width)]
    ends = [*(start + newlines[BLOCK_LINES - 1 :: BLOCK_LINES]).tolist(), end]
    for stop in ends:
        fields = data[start:stop].replace(b",", b"\n").split(b"\n")
        for j in range(width):
            column = fields[j::width]
            index = seen[j]
            for value in dict.fromkeys(column):
                index.setdefault(value, len(index))
            codes[j].append(np.fromiter(map(index.__getitem__, column), dtype=np.int64, count=len(column)))
        start = stop + 1
    out: dict[str, tuple[list[bytes], np.ndarray]] = {}
    for j, name in enumerate(names):
        values = np.concatenate(codes[j]) if codes[j] else np.zeros(0, dtype=np.int64)
        if values.size != lines:
            raise _Refused
        out[name] = (list(seen[j]), values)
    return out


def _labels(distinct: list[bytes], *, required: bool) -> list[str | None]:
    labels: list[str | None] = []
    for raw in distinct:
        text = raw.decode("utf-8").strip()
        if not text and required:
            raise _Refused
        labels.append(text or None)
    return labels


def _recode(labels: list[Any]) -> tuple[np.ndarray, tuple[str, ...]]:
    """Per distinct raw value, the code of its label (' a' and 'a' are one once stripped); the distinct labels."""
    first: dict[Any, int] = {}
    merged = np.array([first.setdefault(label, len(first)) for label in labels], dtype=np.intp)
    return merged, tuple(first)


def _scores(distinct: list[bytes]) -> list[float | None]:
    out: list[float | None] = []
    for raw in distinct:
        text = raw.decode("utf-8").strip()
        if not text:
            out.append(None)
            continue
        try:
            value = float(text)
        except ValueError:
            raise _Refused from None
        if not math.isfinite(value):
            raise _Refused
        out.append(value)
    return out


def _converted(distinct: list[bytes], convert: Callable[[str], Any]) -> list[Any]:
    out: list[Any] = []
    for raw in distinct:
        text = raw.decode("utf-8").strip()
        try:
            out.append(convert(text) if text else None)
        except ValueError:
            raise _Refused from None
    return out


def _assemble(
    columns: dict[str, tuple[list[Any], np.ndarray]],
    names: list[str],
    lines: int,
    parse_date: Callable[[str], datetime],
    max_q: int,
) -> CleanFile:
    ids: list[tuple[tuple[str, ...], np.ndarray]] = []
    key = np.zeros(lines, dtype=np.int64)
    for name in _IDS:
        distinct, codes = columns[name]
        merged, labels = _recode(_labels(distinct, required=True))
        ids.append((labels, merged[codes]))
        key = key * len(labels) + ids[-1][1]
        if int(key.max()) > 1 << 40:  # before the next product could overflow: back to 0..n-1
            key = np.unique(key, return_inverse=True)[1].reshape(-1).astype(np.int64)
    distinct, codes = columns["score"]
    scores = np.array([np.nan if v is None else v for v in _scores(distinct)], dtype=np.float64)[codes]

    def questions(text: str) -> int:
        if not text.isdigit() or not 1 <= int(text) <= max_q:
            raise ValueError(text)
        return int(text)

    converters: dict[str, Callable[[list[bytes]], list[Any]]] = {
        "date": lambda d: _converted(d, parse_date),
        "questions": lambda d: _converted(d, questions),
        "question": lambda d: _labels(d, required=False),
        "stage": lambda d: _labels(d, required=False),
    }
    extras: dict[str, Column | None] = {}
    for name in ("date", "questions", "question", "stage"):
        if name in names:
            distinct, codes = columns[name]
            extras[name] = (converters[name](distinct), codes.astype(np.intp, copy=False))
        else:
            extras[name] = None
    (cand, cand_codes), (who, who_codes), (comp, comp_codes) = ids
    ratings = RatingColumns(
        cand, cand_codes, who, who_codes, comp, comp_codes, scores,
        extras["date"], extras["questions"], extras["question"], extras["stage"],
    )  # fmt: skip
    return CleanFile(ratings, np.arange(2, lines + 2, dtype=np.int64), key, scores)
