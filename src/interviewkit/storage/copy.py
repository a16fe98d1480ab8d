"""Copy a whole InterviewKit database to another one, between SQLite and PostgreSQL either way.

The source is only read (an SQLite file is opened read-only) and must be an InterviewKit database of a
schema this version knows. The target must be new or empty: a missing SQLite file, an empty file, a
server database with no tables, or an InterviewKit database without a single row. It is migrated to
the source's revision, then every row of every table is copied in foreign-key order with its id, in
one transaction. Foreign keys that point forward (a decision superseded by a later one, or a cycle)
are filled in after the rows exist. On PostgreSQL the id sequences are then set past the highest id.
The full-text index is derived data: it is rebuilt on the target, not copied.

Then both databases are read again and compared table by table: the number of rows and a SHA-256 of
the rows' contents, with values normalised (times in UTC, JSON with sorted keys, booleans as 0/1) and
rows sorted by primary key, so the same data gives the same hash on both backends.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import JSON, MetaData, Table, create_engine, func, select, text, update
from sqlalchemy.engine import URL, Connection, Engine
from sqlalchemy.exc import DBAPIError
from sqlmodel import SQLModel

from interviewkit.storage import schema, search
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

__all__ = ["CopyError", "CopyReport", "TableCopy", "copy_database", "copy_rows", "table_digests"]

# Not copied: Alembic's own table (the migration writes it), and the derived full-text index (rebuilt).
_SKIP_PREFIXES = ("question_fts", "sqlite_")
_SKIP = {"alembic_version"}
_BATCH = 1000
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


def _normalise(value: Any) -> Any:
    if isinstance(value, datetime):
        value = value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value).hex()
    if isinstance(value, (dict, list)):
        return json.dumps(value, sort_keys=True, ensure_ascii=False)
    return value


def _digest(conn: Connection, table: Table) -> tuple[int, str]:
    columns = sorted(table.columns, key=lambda c: c.name)
    key = [columns.index(c) for c in table.primary_key.columns] or list(range(len(columns)))
    rows = [tuple(_normalise(v) for v in row) for row in conn.execute(select(*columns))]
    rows.sort(key=lambda r: tuple((v is None, str(type(v)), v if v is not None else 0) for v in (r[i] for i in key)))
    h = hashlib.sha256()
    h.update(json.dumps([c.name for c in columns]).encode())
    for row in rows:
        h.update(json.dumps(row, ensure_ascii=False, default=str).encode())
        h.update(b"\n")
    return len(rows), h.hexdigest()


def table_digests(source: Connection, target: Connection, tables: list[Table]) -> list[TableCopy]:
    out = []
    for table in tables:
        n_src, h_src = _digest(source, table)
        n_tgt, h_tgt = _digest(target, table)
        out.append(TableCopy(table.name, n_src, n_tgt, h_src, h_tgt))
    return out


def _utc(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
    return value


def _copy_table(
    source: Connection, target: Connection, table: Table, done: set[str], progress: Callable[[int], None]
) -> None:
    # Foreign keys to rows that are not there yet (self-references, cycles) are written afterwards.
    later = sorted(
        {
            fk.parent.name
            for fk in table.foreign_keys
            if (fk.column.table.name == table.name or fk.column.table.name not in done) and fk.parent.nullable
        }
    )
    key = [c.name for c in table.primary_key.columns]
    if later and not key:
        raise CopyError(f"table {table.name} has forward references but no primary key")
    deferred: list[dict[str, Any]] = []
    result = source.execution_options(stream_results=True).execute(select(*table.columns))
    copied = 0
    while batch := result.fetchmany(_BATCH):
        rows = [{k: _utc(v) for k, v in row._mapping.items()} for row in batch]
        for row in rows:
            if later and any(row[c] is not None for c in later):
                deferred.append({**{f"k_{c}": row[c] for c in key}, **{c: row[c] for c in later}})
                for c in later:
                    row[c] = None
        copy_rows(target, table, rows)
        copied += len(rows)
        progress(copied)
    if deferred:
        stmt = update(table).where(*[table.c[c] == _bind(f"k_{c}") for c in key]).values({c: _bind(c) for c in later})
        target.execute(stmt, deferred)


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
        cursor.copy(
            f"COPY {target.dialect.identifier_preparer.format_table(table)} ({columns}) FROM STDIN"
        ) as copy,
    ):
        for row in rows:
            copy.write_row([dumps(row[n]) if n in as_json else row[n] for n in names])


def _bind(name: str) -> Any:
    from sqlalchemy import bindparam

    return bindparam(name)


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
    src_engine = _source_engine(src_url)
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
        try:
            with src_engine.connect() as src, target_db.engine.begin() as tgt:
                tables = _tables(tgt)
                done: set[str] = set()
                counter = _Progress(say, _counts(src, tables))
                for table in tables:
                    if table.name == "ik_meta":
                        tgt.execute(table.delete())  # the migration's own rows give way to the source's
                    _copy_table(src, tgt, table, done, counter.at(table.name))
                    done.add(table.name)
                    counter.finished(table.name)
                if tgt.dialect.name == "postgresql":
                    _reset_sequences(tgt, tables)
                # The index is rebuilt where it has today's layout (PostgreSQL from 0003, SQLite from 0006).
                # An older layout is built by the migrations when the copy is opened.
                current = "0003" if tgt.dialect.name == "postgresql" else "0006"
                indexed = search.rebuild(tgt) if revision >= current else 0
            say("comparing the rows' hashes of both databases")
            with src_engine.connect() as src, target_db.engine.connect() as tgt:
                report = table_digests(src, tgt, tables)
        except DBAPIError as exc:
            raise CopyError(
                f"the copy into {_shown(tgt_url)} failed and was rolled back: {getattr(exc, 'orig', exc)}"
            ) from None
        finally:
            target_db.dispose()
    finally:
        src_engine.dispose()
    return CopyReport(_shown(src_url), _shown(tgt_url), revision, tuple(report), indexed)
