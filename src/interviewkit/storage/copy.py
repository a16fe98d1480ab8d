"""Copy a whole InterviewKit database to another one, between SQLite and PostgreSQL either way.

The source is only read (an SQLite file is opened read-only) and must be an InterviewKit database of a
schema this version knows. The target must be new or empty: a missing SQLite file, an empty file, a
server database with no tables, or an InterviewKit database without a single row. It is migrated to
the source's revision, then every row of every table is copied in foreign-key order with its id, in
one transaction. Foreign keys that point forward (a decision superseded by a later one, or a cycle)
are filled in after the rows exist. On PostgreSQL the id sequences are then set past the highest id.
The full-text index is derived data: it is rebuilt on the target, not copied.

Rows go as the source's driver gives them (times as text in UTC, JSON as its stored text) through one
``COPY ... FROM STDIN`` per table on PostgreSQL, INSERTs through the driver on SQLite. While they pass, the
source's rows are hashed in chunks of rows in primary-key order (:mod:`interviewkit.storage.rowhash`), so the
source is read once. Before the transaction commits, the target's rows are hashed the same way (PostgreSQL
hashes its own: only the hashes leave the server) and compared chunk by chunk: a difference rolls the copy
back, with an error naming the table and the keys of the rows that differ.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import zip_longest
from pathlib import Path
from typing import Any

from sqlalchemy import JSON, MetaData, Table, create_engine, func, select, text
from sqlalchemy.engine import URL, Connection, Engine
from sqlalchemy.exc import DBAPIError
from sqlmodel import SQLModel

from interviewkit.storage import rowhash, schema, search
from interviewkit.storage.db import (
    Database,
    DatabaseError,
    _inspect_engine,
    _inspect_sqlite_file,
    _Inspection,
    _judge,
    _sqlite_path,
    open_database,
    resolve_url,
)

__all__ = ["CopyError", "CopyReport", "TableCopy", "copy_database", "copy_rows"]

# Not copied: Alembic's own table (the migration writes it), and the derived full-text index (rebuilt).
_SKIP_PREFIXES = ("question_fts", "sqlite_")
_SKIP = {"alembic_version", "calibration_stamp"}  # the stamp counts writes to its own database (0016)
_BATCH = 5000  # rows read and written at a time
_PROGRESS_ROWS = 100_000  # a progress line every this many rows of a table


class CopyError(DatabaseError):
    """The copy cannot be made; the message says why. Nothing was written to the target."""


@dataclass(frozen=True)
class TableCopy:
    """One table after the copy: rows and content hash in the source and in the target."""

    name: str
    source_rows: int
    target_rows: int
    source_sha256: str
    target_sha256: str

    @property
    def ok(self) -> bool:
        return self.source_rows == self.target_rows and self.source_sha256 == self.target_sha256


@dataclass(frozen=True)
class CopyReport:
    source: str
    target: str
    revision: str
    tables: tuple[TableCopy, ...]
    indexed_questions: int
    seconds: dict[str, float] = field(default_factory=dict)  # phases: "copy" (of it "hashing the source"), "verify"

    @property
    def ok(self) -> bool:
        return all(t.ok for t in self.tables)

    @property
    def rows(self) -> int:
        return sum(t.target_rows for t in self.tables)


def _shown(url: URL) -> str:
    path = _sqlite_path(url)
    return str(path) if path is not None else url.render_as_string(hide_password=True)


def _skipped(name: str) -> bool:
    return name in _SKIP or name.startswith(_SKIP_PREFIXES)


def _source_engine(url: URL) -> Engine:
    """An engine that only reads: SQLite files are opened read-only."""
    path = _sqlite_path(url)
    if path is not None:
        if not path.exists() or path.stat().st_size == 0:
            raise CopyError(f"there is no database to copy at {path}.")
        uri = "file:" + path.as_posix().replace("?", "%3F").replace("#", "%23") + "?mode=ro&uri=true"
        return create_engine(f"sqlite:///{uri}")
    if url.get_backend_name() == "postgresql":
        return create_engine(url, connect_args={"options": "-c timezone=UTC -c default_transaction_read_only=on"})
    return create_engine(url)


def _inspect(url: URL, engine: Engine) -> _Inspection:
    path = _sqlite_path(url)
    try:
        if path is not None:
            return _inspect_sqlite_file(path)
        return _inspect_engine(engine)
    except (DBAPIError, OSError) as exc:
        raise CopyError(f"cannot read {_shown(url)}: {getattr(exc, 'orig', exc)}") from None


def _check_target(url: URL, revision: str) -> None:
    """Refuse a target that is not new or empty, before anything is written to it."""
    where = _shown(url)
    path = _sqlite_path(url)
    if path is not None:
        if not path.exists() or path.stat().st_size == 0:
            return
        found = _inspect_sqlite_file(path)
        engine = None
    else:
        engine = create_engine(url)
        try:
            found = _inspect_engine(engine)
        except DBAPIError as exc:
            raise CopyError(f"cannot connect to {where}: {getattr(exc, 'orig', exc)}") from None
    try:
        if not found.tables - {"sqlite_sequence"}:
            return
        _judge(where, found, revision)  # foreign or newer: a clear error, nothing changed
        if found.revision != revision:
            raise CopyError(
                f"{where} is an InterviewKit database of schema '{found.revision}', the source is of schema "
                f"'{revision}': copy into a new, empty database instead."
            )
        counts = _row_counts(url, engine, [t for t in found.tables if not _skipped(t) and t != "ik_meta"])
        full = {t: n for t, n in counts.items() if n}
        if full:
            listed = ", ".join(f"{n} in {t}" for t, n in sorted(full.items(), key=lambda p: -p[1])[:4])
            raise CopyError(
                f"{where} already holds data ({sum(full.values())} rows: {listed}). db copy only fills a new or "
                "empty database, so that nothing is overwritten or mixed; choose another target."
            )
    finally:
        if engine is not None:
            engine.dispose()


def _row_counts(url: URL, engine: Engine | None, tables: list[str]) -> dict[str, int]:
    own = engine is None
    engine = engine or _source_engine(url)
    try:
        with engine.connect() as conn:
            return {t: int(conn.execute(text(f'SELECT COUNT(*) FROM "{t}"')).scalar() or 0) for t in tables}
    finally:
        if own:
            engine.dispose()


def _tables(target: Connection) -> list[Table]:
    """The target's tables in foreign-key order, with the app's column types where it has them."""
    reflected = MetaData()
    reflected.reflect(target)
    known = SQLModel.metadata.tables
    out = []
    for table in reflected.sorted_tables:
        if _skipped(table.name):
            continue
        model = known.get(table.name)
        if model is not None and {c.name for c in model.columns} == {c.name for c in table.columns}:
            out.append(model)
        else:
            out.append(table)
    return out


def _deferred_columns(table: Table, done: set[str]) -> list[str]:
    """Foreign keys to rows that are not there yet (self-references, cycles): written after the rows."""
    return sorted(
        {
            fk.parent.name
            for fk in table.foreign_keys
            if (fk.column.table.name == table.name or fk.column.table.name not in done) and fk.parent.nullable
        }
    )


@contextmanager
def _writer(target: Connection, table: Table) -> Iterator[Callable[[list[Any]], None]]:
    """A function that writes rows (tuples of the table's columns, as :func:`rowhash.select_rows` reads
    them) into ``table``: one ``COPY ... FROM STDIN`` for the whole table on PostgreSQL, INSERTs through
    the driver on SQLite."""
    preparer = target.dialect.identifier_preparer
    into = f"{preparer.format_table(table)} ({', '.join(preparer.quote(c.name) for c in table.columns)})"
    if target.dialect.name == "postgresql":
        raw = target.connection.driver_connection
        assert raw is not None
        with raw.cursor() as cursor, cursor.copy(f"COPY {into} FROM STDIN") as copy:

            def write_copy(rows: list[Any]) -> None:
                for row in rows:
                    copy.write_row(row)

            yield write_copy
        return
    insert = f"INSERT INTO {into} VALUES ({', '.join('?' * len(table.columns))})"

    def write_insert(rows: list[Any]) -> None:
        target.exec_driver_sql(insert, rows)

    yield write_insert


@contextmanager
def _source_rows(source: Connection, table: Table, key: list[int]) -> Iterator[Callable[[], list[Any]]]:
    """``fetch()`` gives the next rows of ``table`` in key order (an empty list at the end), streamed: a
    server-side cursor on PostgreSQL."""
    raw = source.connection.driver_connection
    assert raw is not None
    pg = source.dialect.name == "postgresql"
    cursor = raw.cursor(name=f"ik_copy_{table.name}") if pg else raw.cursor()
    try:
        cursor.execute(rowhash.select_rows(source, table, key))
        yield lambda: list(cursor.fetchmany(_BATCH))
    finally:
        cursor.close()


class _Clock:
    """Seconds spent in each phase of the copy, for the progress line and the report."""

    def __init__(self) -> None:
        self.spent: dict[str, float] = {}

    @contextmanager
    def phase(self, name: str) -> Iterator[None]:
        started = time.perf_counter()
        try:
            yield
        finally:
            self.spent[name] = self.spent.get(name, 0.0) + time.perf_counter() - started


def _copy_table(
    source: Connection,
    target: Connection,
    table: Table,
    done: set[str],
    progress: Callable[[int], None],
    clock: _Clock,
) -> rowhash.Digest:
    """Copy every row of ``table``; the rows' hashes (see :mod:`rowhash`), taken as they pass."""
    names = [c.name for c in table.columns]
    key = [names.index(c.name) for c in table.primary_key.columns]
    later = [names.index(c) for c in _deferred_columns(table, done)]
    if later and not key:
        raise CopyError(f"table {table.name} has forward references but no primary key")
    lines = rowhash.Lines(table, key)
    deferred: list[dict[str, Any]] = []
    copied = 0
    with _source_rows(source, table, key) as fetch, _writer(target, table) as write:
        while batch := fetch():
            with clock.phase("hashing the source"):
                lines.add(batch)
            if later:
                batch = [_defer(row, key, later, deferred) for row in batch]
            write(batch)
            copied += len(batch)
            progress(copied)
    if deferred:
        preparer = target.dialect.identifier_preparer
        sets = ", ".join(f"{preparer.quote(names[i])} = :v{j}" for j, i in enumerate(later))
        where = " AND ".join(f"{preparer.quote(names[i])} = :k{j}" for j, i in enumerate(key))
        target.execute(text(f"UPDATE {preparer.format_table(table)} SET {sets} WHERE {where}"), deferred)
    return lines.finish()


def _defer(row: Any, key: list[int], later: list[int], deferred: list[dict[str, Any]]) -> Any:
    """The row with its forward references left empty; what they were goes to ``deferred``."""
    if all(row[i] is None for i in later):
        return row
    deferred.append({**{f"k{j}": row[i] for j, i in enumerate(key)}, **{f"v{j}": row[i] for j, i in enumerate(later)}})
    return tuple(None if i in later else v for i, v in enumerate(row))


def _keys(table: Table, values: tuple[Any, ...]) -> str:
    names = [c.name for c in table.primary_key.columns] or [c.name for c in table.columns]
    if len(values) == 1:
        return f"{names[0]} {values[0]!r}"
    return f"({', '.join(names)}) ({', '.join(repr(v) for v in values)})"


def _compare(table: Table, source: rowhash.Digest, target: rowhash.Digest) -> None:
    """Raise :class:`CopyError` naming the table and the keys of the first chunk of rows that differs."""
    counts = f"{source.rows:,} rows in the source, {target.rows:,} in the target"
    for i, (ours, theirs) in enumerate(zip_longest(source.chunks, target.chunks)):
        if ours is None:  # the target has rows after the source's last
            after = f" after {_keys(table, source.chunks[-1].last)}" if source.chunks else ""
            raise CopyError(f"table {table.name} holds rows in the target{after} that the source has not ({counts})")
        if theirs is None or (ours.rows, ours.sha256) != (theirs.rows, theirs.sha256):
            raise CopyError(
                f"table {table.name} differs from the source in the rows from {_keys(table, ours.first)} to "
                f"{_keys(table, ours.last)} (chunk {i + 1} of {len(source.chunks)}; {counts})"
            )


def _verify(
    target: Connection, tables: list[Table], digests: dict[str, rowhash.Digest], say: Callable[[str], None]
) -> list[TableCopy]:
    """Hash the target's rows (PostgreSQL hashes its own) and compare them with the source's, table by table."""
    out = []
    if target.dialect.name == "postgresql":
        target.exec_driver_sql("SET LOCAL work_mem = '256MB'")  # the hashes' sorts stay in memory
    for table in tables:
        source = digests[table.name]
        if source.rows >= _PROGRESS_ROWS:
            say(f"comparing {table.name}: {source.rows:,} rows in {len(source.chunks)} chunks")
        key = [list(table.columns).index(c) for c in table.primary_key.columns]
        digest = rowhash.pg_digest if target.dialect.name == "postgresql" else rowhash.sqlite_digest
        mine = digest(target, table, key)
        _compare(table, source, mine)
        out.append(TableCopy(table.name, source.rows, mine.rows, source.sha256, mine.sha256))
    return out


def _counts(source: Connection, tables: list[Table]) -> dict[str, int]:
    return {t.name: int(source.execute(select(func.count()).select_from(t)).scalar() or 0) for t in tables}


class _Progress:
    """Progress lines: "copied TABLE" for each table, and for a large one every :data:`_PROGRESS_ROWS` rows
    how far it is and the share of all rows copied so far."""

    def __init__(self, say: Callable[[str], None], counts: dict[str, int]) -> None:
        self.say, self.counts = say, counts
        self.total = max(1, sum(counts.values()))
        self.before = 0  # rows of the tables already copied
        self.next = _PROGRESS_ROWS

    def at(self, table: str) -> Callable[[int], None]:
        def copied(rows: int) -> None:
            if rows >= self.next:
                self.next = (rows // _PROGRESS_ROWS + 1) * _PROGRESS_ROWS
                share = 100 * (self.before + rows) / self.total
                self.say(f"copying {table}: {rows:,} of {self.counts.get(table, 0):,} rows ({share:.0f}% of all)")

        return copied

    def finished(self, table: str) -> None:
        self.before += self.counts.get(table, 0)
        self.next = _PROGRESS_ROWS
        self.say(f"copied {table}")


def copy_rows(target: Connection, table: Table, rows: Sequence[Mapping[str, Any]]) -> None:
    """Write ``rows`` (dicts with the same keys) into ``table`` in the connection's transaction: PostgreSQL's
    ``COPY ... FROM STDIN`` through psycopg where the target is PostgreSQL (several times faster than
    INSERTs of many rows; triggers and row checks run as for INSERT), else an executemany INSERT."""
    if not rows:
        return
    if target.dialect.name != "postgresql":
        target.execute(table.insert(), list(rows))
        return
    names = list(rows[0])
    as_json = {n for n in names if isinstance(table.c[n].type, JSON)}
    dumps = getattr(target.dialect, "_json_serializer", None) or json.dumps  # as SQLAlchemy's INSERT would
    columns = ", ".join(target.dialect.identifier_preparer.quote(n) for n in names)
    raw = target.connection.driver_connection
    assert raw is not None
    with (
        raw.cursor() as cursor,
        cursor.copy(f"COPY {target.dialect.identifier_preparer.format_table(table)} ({columns}) FROM STDIN") as copy,
    ):
        for row in rows:
            copy.write_row([dumps(row[n]) if n in as_json else row[n] for n in names])


def _reset_sequences(target: Connection, tables: list[Table]) -> None:
    """PostgreSQL: the next id of each table comes after the highest copied one."""
    for table in tables:
        for column in table.primary_key.columns:
            seq = target.execute(
                text("SELECT pg_get_serial_sequence(:t, :c)"), {"t": f'"{table.name}"', "c": column.name}
            ).scalar()
            if seq:
                top = target.execute(select(func.max(table.c[column.name]))).scalar()
                target.execute(
                    text("SELECT setval(:s, :v, :called)"),
                    {"s": seq, "v": top if top is not None else 1, "called": top is not None},
                )


def copy_database(
    source: str | os.PathLike[str], target: str | os.PathLike[str], *, progress: Callable[[str], None] | None = None
) -> CopyReport:
    """Copy every row of ``source`` into the new or empty ``target`` and compare both; see the module doc.

    Raises :class:`CopyError` (or another :class:`DatabaseError`) with a message for the user.
    """
    src_url, tgt_url = resolve_url(source), resolve_url(target)
    say = progress or (lambda _m: None)
    if _shown(src_url) == _shown(tgt_url) or (
        _sqlite_path(src_url)
        and _sqlite_path(tgt_url)
        and Path(str(_sqlite_path(src_url))).resolve() == Path(str(_sqlite_path(tgt_url))).resolve()
    ):
        raise CopyError("the source and the target are the same database.")
    for url in (src_url, tgt_url):
        if url.get_backend_name() not in ("sqlite", "postgresql"):
            raise CopyError(f"db copy copies SQLite and PostgreSQL databases, not {url.get_backend_name()}.")
    src_engine = _source_engine(src_url)
    clock = _Clock()
    try:
        found = _inspect(src_url, src_engine)
        if not found.tables - {"sqlite_sequence"}:
            raise CopyError(f"{_shown(src_url)} is empty: there is nothing to copy.")
        _judge(_shown(src_url), found)
        revision = str(found.revision)
        if revision not in schema.REVISIONS:  # pragma: no cover - _judge refuses it
            raise CopyError(f"{_shown(src_url)} has an unknown schema '{revision}'.")
        _check_target(tgt_url, revision)
        target_db: Database = open_database(tgt_url, revision=revision)
        errors = _driver_errors(src_engine, target_db.engine)
        try:
            with src_engine.connect() as src, target_db.engine.begin() as tgt:
                indexed, report = _copy_all(src, tgt, revision, say, clock)
        except rowhash.BadValue as exc:
            raise CopyError(f"cannot copy {_shown(src_url)}: {exc}; nothing was written") from None
        except CopyError as exc:
            raise CopyError(f"the copy into {_shown(tgt_url)} was rolled back: {exc}") from None
        except errors as exc:
            raise CopyError(f"the copy into {_shown(tgt_url)} failed and was rolled back: {_first_line(exc)}") from None
        finally:
            target_db.dispose()
    finally:
        src_engine.dispose()
    rows = sum(t.target_rows for t in report)
    say(
        f"verified: the {rows:,} rows of {len(report)} tables have the same hashes in both databases "
        f"({_timings(clock)})"
    )
    return CopyReport(_shown(src_url), _shown(tgt_url), revision, tuple(report), indexed, dict(clock.spent))


def _copy_all(
    src: Connection, tgt: Connection, revision: str, say: Callable[[str], None], clock: _Clock
) -> tuple[int, list[TableCopy]]:
    """Copy every table in the target's transaction, rebuild the search index, then verify every row."""
    if tgt.dialect.name == "postgresql":
        tgt.exec_driver_sql("SET LOCAL TIME ZONE 'UTC'")  # times are copied as text in UTC
    tables = _tables(tgt)
    done: set[str] = set()
    digests: dict[str, rowhash.Digest] = {}
    counter = _Progress(say, _counts(src, tables))
    with clock.phase("copy"):
        for table in tables:
            if table.name == "ik_meta":
                tgt.execute(table.delete())  # the migration's own rows give way to the source's
            digests[table.name] = _copy_table(src, tgt, table, done, counter.at(table.name), clock)
            done.add(table.name)
            counter.finished(table.name)
        if tgt.dialect.name == "postgresql":
            _reset_sequences(tgt, tables)
        # The index is rebuilt where it has today's layout (PostgreSQL from 0003, SQLite from 0006).
        # An older layout is built by the migrations when the copy is opened.
        current = "0003" if tgt.dialect.name == "postgresql" else "0006"
        indexed = search.rebuild(tgt) if revision >= current else 0
    say("comparing the rows' hashes of both databases")
    with clock.phase("verify"):
        report = _verify(tgt, tables, digests, say)
    return indexed, report


def _driver_errors(*engines: Engine) -> tuple[type[BaseException], ...]:
    """What the drivers raise (the copy uses them directly for speed), and SQLAlchemy's wrapper of it."""
    found: list[type[BaseException]] = [DBAPIError]
    for engine in engines:
        error = getattr(getattr(engine.dialect, "loaded_dbapi", None), "Error", None)
        if isinstance(error, type) and issubclass(error, BaseException):
            found.append(error)
    return tuple(found)


def _first_line(exc: BaseException) -> str:
    text_ = str(getattr(exc, "orig", None) or exc).strip()
    return text_.splitlines()[0] if text_ else type(exc).__name__


def _timings(clock: _Clock) -> str:
    spent = clock.spent
    return (
        f"copy {spent.get('copy', 0):.1f} s, of which hashing the source {spent.get('hashing the source', 0):.1f} s; "
        f"comparing {spent.get('verify', 0):.1f} s"
    )
