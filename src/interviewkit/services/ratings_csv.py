"""The fast reader of a ratings CSV for ``interviewkit calibrate --ratings`` (a million rows in about a second).

:func:`read_clean` reads a file that needs no repair, with the same result as the row-by-row reader of
:mod:`interviewkit.services.calibration`, or says it cannot (``None``); that reader then reads the file
again and names every problem with its row, so there is one set of rules and one wording of errors.

How, with numpy alone and no loop over rows: the file's bytes are checked (no quote, NUL or lone carriage
return), every separator is found at once and the file refused unless the separators run (one comma fewer
than the header's fields, a newline) over and over, so that every line holds the header's number of fields.
Each column is then factorised without a Python object per field: every field copied, zero-padded, into a
row of 8-byte words, the words mixed into one 64-bit hash, the hashes grouped by one sort, and every field
compared with the first of its group (a collision refuses the file to the careful reader, so that two
values are never merged). Only the distinct values (an interviewer's name, a date: a few hundred, not a
million) become ``bytes``, to be decoded, stripped and validated once each. The ratings stay columns
(:class:`~interviewkit.domain.calibration.RatingColumns`: each column's distinct values and an integer
code per row, no object per rating), which the statistics code with numpy alone; repeats of (candidate,
interviewer, competency) and the scale are checked on integer codes with numpy.

Why numpy and not a CSV engine (docs/performance.md): numpy is already a dependency, and this splits and
factorises a million rows in 0.6-0.9 s of CPU (at a load of 11-13); pyarrow 26 (Apache-2.0) reads and
dictionary-encodes the same file in 0.24-0.6 s of CPU, but takes 0.15 s to import and is a 55 MB wheel
(170 MB installed); polars (MIT), also a large compiled wheel, was not tried. Either would save a few
tenths of a second and still leave every rule to this module and the careful reader.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from interviewkit.domain.calibration import Column, RatingColumns

__all__ = ["CleanFile", "read_clean"]

BLOCK_LINES = 131_072  # fields copied at a time: bounds the temporary copy (MAX_FIELD bytes a field at most)
SCAN_BYTES = 1 << 23  # bytes searched for separators at a time
KEEP_SPAN = 64  # bytes: a column's words are kept between its two passes while its fields are this short
MAX_FIELD = 256  # bytes: a longer field (no rating's) goes to the careful reader
_MIX = np.uint64(0x9E3779B97F4A7C15)  # odd: multiplying by it mixes a field's words into one 64-bit hash
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
    body = np.zeros(end - start + MAX_FIELD, dtype=np.uint8)  # the rating lines, then zeros (see _factorise)
    body[: end - start] = np.frombuffer(data, dtype=np.uint8, count=end - start, offset=start)
    del data  # the only reference when the caller gave a path: 66 MB for a million rows
    columns = _split_columns(body, end - start, names)
    return _assemble(columns, names, columns["score"][1].size, parse_date, max_q)


def _field_ends(body: np.ndarray, width: int) -> np.ndarray:
    """The offsets in ``body`` of every separator (a comma, or the newline that ends a line), in order;
    refused unless every line has exactly ``width - 1`` commas, i.e. unless the separators run
    (``width - 1`` commas, a newline) over and over, the last line's newline left out. Found by blocks of
    :data:`SCAN_BYTES`, so that the masks alive at once stay small."""
    found: list[np.ndarray] = []
    at_newline: list[np.ndarray] = []
    count = 0
    for b in range(0, body.size, SCAN_BYTES):
        chunk = body[b : b + SCAN_BYTES]
        newline = chunk == 10
        separators = np.flatnonzero(newline | (chunk == 44))
        at_newline.append(np.flatnonzero(newline[separators]) + count)
        found.append(separators + b)
        count += separators.size
    newlines = np.concatenate(at_newline) if at_newline else np.zeros(0, dtype=np.intp)
    if (count + 1) % width or not np.array_equal(newlines, np.arange(width - 1, count, width)):
        raise _Refused
    return np.concatenate(found) if found else np.zeros(0, dtype=np.intp)


def _column_bounds(separators: np.ndarray, j: int, width: int, size: int) -> tuple[np.ndarray, np.ndarray]:
    """Where column ``j``'s field of each line starts and ends (offsets from the first rating line)."""
    line_ends = separators[width - 1 :: width]
    starts = np.concatenate(([0], line_ends + 1)) if j == 0 else separators[j - 1 :: width] + 1
    ends = np.concatenate((line_ends, [size])) if j == width - 1 else separators[j::width]
    return starts, ends


def _factorise(body: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> tuple[list[bytes], np.ndarray]:
    """One column's distinct raw values (in order of first appearance, as a dictionary would keep them) and
    each row's code into them: each field as a row of 8-byte words (:class:`_Words`), the words mixed into
    one 64-bit hash per field, the hashes grouped (:func:`_groups`), and every field then compared, word for
    word, with the first field of its group: a collision of two different values (never seen with a 64-bit
    hash) refuses the file to the careful reader, so that two values are never merged. By blocks of
    :data:`BLOCK_LINES` fields; the blocks are kept for the comparison only while they are small."""
    lengths = ends - starts
    words = _Words(body, int(lengths.max()))
    blocks = range(0, starts.size, BLOCK_LINES)
    hashes = np.empty(starts.size, dtype=np.uint64)
    kept: list[np.ndarray] = []
    for b in blocks:
        block = words.of(starts[b : b + BLOCK_LINES], lengths[b : b + BLOCK_LINES])
        hashes[b : b + BLOCK_LINES] = block[:, 0]
        for w in range(1, block.shape[1]):
            hashes[b : b + BLOCK_LINES] *= _MIX
            hashes[b : b + BLOCK_LINES] ^= block[:, w]
        if words.span <= KEEP_SPAN:
            kept.append(block)
    first, group = _groups(hashes)
    if words.span > 8:  # one word is the value itself: no collision possible
        for i, b in enumerate(blocks):
            heads = first[group[b : b + BLOCK_LINES]]
            block = kept[i] if kept else words.of(starts[b : b + BLOCK_LINES], lengths[b : b + BLOCK_LINES])
            if not np.array_equal(words.of(starts[heads], lengths[heads]), block):
                raise _Refused
    appearance = np.argsort(first)
    rank = np.empty(appearance.size, dtype=np.intp)
    rank[appearance] = np.arange(appearance.size)
    heads = first[appearance]
    distinct = [body[s:e].tobytes() for s, e in zip(starts[heads].tolist(), ends[heads].tolist(), strict=True)]
    return distinct, rank[group].astype(np.int64, copy=False)


class _Words:
    """Fields as rows of 8-byte words, zeros after each field's end (``body`` ends in :data:`MAX_FIELD`
    zero bytes, so that a window never runs off its end; a NUL never reaches here, so that no two values
    give the same words)."""

    def __init__(self, body: np.ndarray, longest: int) -> None:
        self.span = max(8, -(-longest // 8) * 8)
        if self.span > MAX_FIELD:
            raise _Refused
        self.windows = sliding_window_view(body, self.span)
        keep = (np.arange(self.span)[None, :] < np.arange(self.span + 1)[:, None]).astype(np.uint8) * np.uint8(255)
        self.masks = keep.view(np.uint64)  # per field length, the mask of each word

    def of(self, starts: np.ndarray, lengths: np.ndarray) -> np.ndarray:
        block: np.ndarray = self.windows[starts].view(np.uint64)  # a copy: (fields, span) bytes
        block &= self.masks[lengths]
        return block


def _groups(hashes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Rows of equal hashes grouped: (each group's first row, each row's group). A run of equal neighbours
    (a candidate's rows one after another, as exports write them) is sorted once, not once per row."""
    lines = hashes.size
    run = np.empty(lines, dtype=bool)
    run[:1] = True
    np.not_equal(hashes[1:], hashes[:-1], out=run[1:])
    heads = np.flatnonzero(run)  # each run's first row
    keys = hashes[heads]
    order = np.argsort(keys)
    ordered = keys[order]
    new = np.empty(order.size, dtype=bool)
    new[:1] = True
    np.not_equal(ordered[1:], ordered[:-1], out=new[1:])
    first = heads[np.minimum.reduceat(order, np.flatnonzero(new))]  # the earliest run's first row
    run_group = np.empty(order.size, dtype=np.intp)
    run_group[order] = np.cumsum(new) - 1
    return first, np.repeat(run_group, np.diff(np.append(heads, lines)))


def _split_columns(body: np.ndarray, size: int, names: list[str]) -> dict[str, tuple[list[bytes], np.ndarray]]:
    """Each column of the rating lines (``body[:size]``, then :data:`MAX_FIELD` zero bytes) as (its distinct
    raw values, each row's code into them)."""
    separators = _field_ends(body[:size], len(names))
    out: dict[str, tuple[list[bytes], np.ndarray]] = {}
    for j, name in enumerate(names):
        starts, ends = _column_bounds(separators, j, len(names), size)
        out[name] = _factorise(body, starts, ends)
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
