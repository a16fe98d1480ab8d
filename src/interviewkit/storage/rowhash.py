"""Row hashes that SQLite and PostgreSQL compute alike: how ``db copy`` proves the target holds the source's rows.

Every row becomes one line of text, its columns in the table's order, separated by commas:

==============  ==========================================  =============================================
column          text in the line                            PostgreSQL computes it as
==============  ==========================================  =============================================
NULL            ``-``                                       ``COALESCE(..., '-')``
integer         its digits                                  ``col::text``
boolean         ``1`` or ``0``                              ``CASE WHEN col THEN '1' ELSE '0' END``
float           the 8 bytes of the IEEE double, in hex      ``encode(float8send(col), 'hex')``
date and time   ``YYYY-MM-DD HH:MM:SS.ffffff`` in UTC       ``to_char(col AT TIME ZONE 'UTC', ...)``
date            ``YYYY-MM-DD``                              ``to_char(col, 'YYYY-MM-DD')``
bytes           hex                                         ``encode(col, 'hex')``
text, JSON      ``LENGTH:text`` as stored                   ``length(col) || ':' || col``
==============  ==========================================  =============================================

Text carries its length in characters, so that no text can pass for two columns; floats are compared bit for
bit; JSON is copied as its stored text, so its text must be equal too. Rows are taken in primary-key order
(text keys by code point: PostgreSQL's "C" collation, SQLite's BINARY) and hashed in chunks of
:data:`CHUNK_ROWS` rows: the SHA-256 of the chunk's lines joined by newlines. PostgreSQL hashes its own rows
(only 64 characters a chunk leave the server); on SQLite, Python makes the lines from the values as the driver
gives them (:class:`Lines`), for a source while its rows stream to the target, so that it is read once.
A mismatch names the table and the keys of the first chunk that differs.
"""

from __future__ import annotations

import hashlib
import struct
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Date, DateTime, Float, Integer, LargeBinary, Table
from sqlalchemy.engine import Connection
from sqlalchemy.types import TypeDecorator

__all__ = [
    "CHUNK_ROWS",
    "BadValue",
    "Chunk",
    "Digest",
    "Lines",
    "kinds",
    "order_by",
    "pg_digest",
    "select_rows",
    "sqlite_digest",
]

CHUNK_ROWS = 50_000

_FLOAT = struct.Struct(">d")


class BadValue(ValueError):
    """A value that is not what its column says (a date and time that is not one)."""


def kinds(table: Table) -> list[str]:
    """Each column's kind: int, bool, float, datetime, date, bytes, json or text."""
    return [_kind(column.type) for column in table.columns]


def _kind(t: Any) -> str:
    while isinstance(t, TypeDecorator):  # SQLModel's AutoString, UTCDateTime: what they store
        t = t.impl_instance
    for cls, name in (
        (Boolean, "bool"),
        (Integer, "int"),
        (Float, "float"),
        (DateTime, "datetime"),
        (Date, "date"),
        (LargeBinary, "bytes"),
        (JSON, "json"),
    ):
        if isinstance(t, cls):
            return name
    return "text"


# --- the lines, in Python (values as sqlite3 gives them, or as pg_select reads them) ------------------


def _int(v: Any) -> str:
    return "-" if v is None else str(v)


def _bool(v: Any) -> str:
    return "-" if v is None else ("1" if v else "0")


def _float(v: Any) -> str:
    return "-" if v is None else _FLOAT.pack(v).hex()


def _text(v: Any) -> str:
    if v is None:
        return "-"
    s = v if type(v) is str else str(v)  # SQLite keeps a JSON number in a JSON column as a number
    return f"{len(s)}:{s}"


def _bytes(v: Any) -> str:
    return "-" if v is None else bytes(v).hex()


def _datetime(v: Any) -> str:
    if v is None:
        return "-"
    if type(v) is str and len(v) == 26 and v[10] == " " and v[19] == ".":  # as SQLAlchemy stores it
        return v
    try:
        d = v if isinstance(v, datetime) else datetime.fromisoformat(str(v))
    except ValueError:
        raise BadValue(f"{v!r} is not a date and time") from None
    if d.tzinfo is not None:
        d = d.astimezone(UTC).replace(tzinfo=None)
    return d.isoformat(sep=" ", timespec="microseconds")


def _date(v: Any) -> str:
    if v is None:
        return "-"
    if type(v) is str and len(v) == 10:
        return v
    try:
        return (v if isinstance(v, date) else date.fromisoformat(str(v))).isoformat()
    except ValueError:
        raise BadValue(f"{v!r} is not a date") from None


_PY: dict[str, Callable[[Any], str]] = {
    "int": _int,
    "bool": _bool,
    "float": _float,
    "datetime": _datetime,
    "date": _date,
    "bytes": _bytes,
    "json": _text,
    "text": _text,
}


@dataclass(frozen=True)
class Chunk:
    """Up to CHUNK_ROWS consecutive rows: how many, their hash, the keys of the first and the last."""

    rows: int
    sha256: str
    first: tuple[Any, ...] = ()
    last: tuple[Any, ...] = ()


@dataclass
class Digest:
    """A table's chunks in key order, and the hash of them all (the table's hash)."""

    chunks: list[Chunk] = field(default_factory=list)

    @property
    def rows(self) -> int:
        return sum(c.rows for c in self.chunks)

    @property
    def sha256(self) -> str:
        return hashlib.sha256("".join(c.sha256 for c in self.chunks).encode()).hexdigest()


class Lines:
    """Hashes rows given in key order (tuples of the table's columns), chunk by chunk.

    ``add`` takes a batch of rows; the rows' lines are made at once, and a chunk is hashed when it is full.
    """

    def __init__(self, table: Table, key: Sequence[int]) -> None:
        self.name = table.name
        self.columns = [c.name for c in table.columns]
        self.convert = [_PY[k] for k in kinds(table)]
        self.key = list(key)
        self.digest = Digest()
        self._lines: list[str] = []
        self._first: tuple[Any, ...] = ()
        self._last_row: Sequence[Any] = ()

    def _line(self, row: Sequence[Any]) -> str:
        try:
            return ",".join([f(v) for f, v in zip(self.convert, row, strict=True)])
        except BadValue as exc:
            bad = next(i for i, (f, v) in enumerate(zip(self.convert, row)) if not _ok(f, v))
            raise BadValue(f"{self.name}.{self.columns[bad]} of the row {self._key(row)}: {exc}") from None

    def _key(self, row: Sequence[Any]) -> tuple[Any, ...]:
        return tuple(row[i] for i in self.key)

    def add(self, rows: Iterable[Sequence[Any]]) -> None:
        room = CHUNK_ROWS - len(self._lines)
        for row in rows:
            if not self._lines:
                self._first = self._key(row)
            self._lines.append(self._line(row))
            self._last_row = row  # its key is taken when the chunk closes
            room -= 1
            if room == 0:
                self._close()
                room = CHUNK_ROWS

    def _close(self) -> None:
        if self._lines:
            h = hashlib.sha256("\n".join(self._lines).encode("utf-8")).hexdigest()
            self.digest.chunks.append(Chunk(len(self._lines), h, self._first, self._key(self._last_row)))
            self._lines = []

    def finish(self) -> Digest:
        self._close()
        return self.digest


def _ok(f: Callable[[Any], str], v: Any) -> bool:
    try:
        f(v)
    except BadValue:
        return False
    return True


# --- SQL ---------------------------------------------------------------------------------------------


def _q(conn: Connection, name: str) -> str:
    return conn.dialect.identifier_preparer.quote(name)


def order_by(conn: Connection, table: Table, key: Sequence[int]) -> str:
    """The primary key's columns (every column where there is none), text by code point."""
    columns, kind = list(table.columns), kinds(table)
    pg = conn.dialect.name == "postgresql"
    return ", ".join(
        _q(conn, columns[i].name) + (' COLLATE "C"' if pg and kind[i] in ("text", "json") else "")
        for i in (key or range(len(columns)))
    )


_PG_READ = {  # how a PostgreSQL source's values are read: as the lines (and an SQLite target) want them
    "datetime": "to_char({c} AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US')",
    "date": "to_char({c}, 'YYYY-MM-DD')",
    "json": "{c}::text",
}

_PG_LINE = {
    "int": "COALESCE({c}::text, '-')",
    "bool": "CASE WHEN {c} IS NULL THEN '-' WHEN {c} THEN '1' ELSE '0' END",
    "float": "COALESCE(encode(float8send({c}::float8), 'hex'), '-')",
    "datetime": "COALESCE(to_char({c} AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US'), '-')",
    "date": "COALESCE(to_char({c}, 'YYYY-MM-DD'), '-')",
    "bytes": "COALESCE(encode({c}, 'hex'), '-')",
    "json": "COALESCE(length({c}::text)::text || ':' || {c}::text, '-')",
    "text": "COALESCE(length({c}::text)::text || ':' || {c}::text, '-')",
}


def select_rows(conn: Connection, table: Table, key: Sequence[int]) -> str:
    """SELECT every row in key order, each value as :class:`Lines` and the target's COPY or INSERT take it:
    on SQLite as stored, on PostgreSQL times as text in UTC and JSON as its text."""
    columns = [_q(conn, c.name) for c in table.columns]
    if conn.dialect.name == "postgresql":
        columns = [_PG_READ.get(k, "{c}").format(c=c) for k, c in zip(kinds(table), columns, strict=True)]
    table_name = conn.dialect.identifier_preparer.format_table(table)
    return f"SELECT {', '.join(columns)} FROM {table_name} ORDER BY {order_by(conn, table, key)}"


def pg_digest(conn: Connection, table: Table, key: Sequence[int]) -> Digest:
    """The table's chunks, hashed by PostgreSQL itself: nothing but the hashes leaves the server."""
    parts = [_PG_LINE[k].format(c=_q(conn, c.name)) for k, c in zip(kinds(table), table.columns, strict=True)]
    line = " || ',' || ".join(parts)
    table_name = conn.dialect.identifier_preparer.format_table(table)
    sql = (
        f"SELECT n / {CHUNK_ROWS} AS chunk, count(*), "
        "encode(sha256(convert_to(string_agg(line, E'\\n' ORDER BY n), 'UTF8')), 'hex') "
        f"FROM (SELECT row_number() OVER (ORDER BY {order_by(conn, table, key)}) - 1 AS n, {line} AS line "
        f"FROM {table_name}) AS numbered GROUP BY chunk ORDER BY chunk"
    )
    return Digest([Chunk(int(n), str(h)) for _c, n, h in conn.exec_driver_sql(sql)])


def sqlite_digest(conn: Connection, table: Table, key: Sequence[int], batch: int = 5000) -> Digest:
    """The table's chunks, from its rows read in key order through the driver (no type conversion)."""
    lines = Lines(table, key)
    cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
    try:
        cursor.execute(select_rows(conn, table, key))
        while rows := cursor.fetchmany(batch):
            lines.add(rows)
    finally:
        cursor.close()
    return lines.finish()
