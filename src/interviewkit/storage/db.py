"""The database: naming it, checking it is ours, migrating it, and handing out sessions.

This module alone owns the engine. A database is named by an SQLAlchemy URL (``sqlite:///...``,
``postgresql+psycopg://...``) or by a plain file path, which means SQLite.

Before anything is written, an existing database is inspected read-only: a file that is not an
InterviewKit database, one made by a newer version of the app, or one in a read-only place is refused
with a :class:`DatabaseError` whose message says what and where, and the file is left untouched.
"""

from __future__ import annotations

import functools
import json
import os
import random
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

import orjson
from sqlalchemy import create_engine, event, inspect, text
from sqlalchemy.engine import URL, Engine, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, OperationalError
from sqlalchemy.pool import StaticPool
from sqlmodel import Session

from interviewkit import __version__
from interviewkit.storage import schema, sqlite_files
from interviewkit.storage.models import APPLICATION_ID
from interviewkit.storage.sentinel import guard

__all__ = [
    "Database",
    "DatabaseError",
    "NewerSchemaError",
    "NotInterviewKitDatabase",
    "ReadOnlyLocationError",
    "attach",
    "default_db_path",
    "is_transient",
    "open_database",
    "resolve_url",
    "retry_transient",
]

_SQLITE_MAGIC = b"SQLite format 3\x00"


class DatabaseError(Exception):
    """A database that cannot be used; the message is meant for the user."""


class NotInterviewKitDatabase(DatabaseError):
    """The file or server holds something that InterviewKit did not make."""


class NewerSchemaError(DatabaseError):
    """The database was made by a newer version of InterviewKit."""


class ReadOnlyLocationError(DatabaseError):
    """The database, or the folder it is in, cannot be written."""


def default_db_path() -> Path:
    """The per-user default database file."""
    from platformdirs import user_data_dir

    return Path(user_data_dir("InterviewKit", appauthor=False)) / "interviewkit.sqlite"


def resolve_url(url_or_path: str | os.PathLike[str] | URL) -> URL:
    """An SQLAlchemy URL from a URL or a file path (a path means an SQLite file)."""
    if isinstance(url_or_path, URL):
        return url_or_path
    raw = os.fspath(url_or_path)
    if "://" in raw:
        try:
            return make_url(raw)
        except ArgumentError:
            raise DatabaseError(
                f"'{raw}' is not a database URL (e.g. sqlite:///path or postgresql+psycopg://...)"
            ) from None
    if raw == ":memory:":
        return make_url("sqlite://")
    return make_url("sqlite:///" + str(Path(raw).expanduser().absolute()))


def _sqlite_path(url: URL) -> Path | None:
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        return None
    return Path(url.database)


def _on_sqlite_connect(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=10000")
    if cur.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
        # Switching a new file to WAL needs it to itself, and SQLite does not wait for that (no busy
        # handler): when copies of the app open a new database at once, try again for a while.
        for attempt in range(200):
            try:
                cur.execute("PRAGMA journal_mode=WAL")
                break
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) or attempt == 199:
                    raise
                time.sleep(0.05)
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.close()


def _describe_sqlite_error(path: Path, exc: BaseException) -> DatabaseError:
    msg = str(getattr(exc, "orig", exc))
    if "not a database" in msg or "malformed" in msg or "encrypted" in msg:
        return NotInterviewKitDatabase(
            f"{path} is damaged or is not an SQLite database ({msg}). It was not changed; "
            "open another file or restore a backup."
        )
    if "readonly" in msg or "read-only" in msg or "unable to open" in msg:
        return ReadOnlyLocationError(f"{path} cannot be opened for writing ({msg}).")
    return DatabaseError(f"{path}: {msg}")


# PostgreSQL's SQLSTATEs for a transaction that lost a race and may simply run again:
# serialization_failure, deadlock_detected.
_TRANSIENT_SQLSTATES = frozenset({"40001", "40P01"})

P = ParamSpec("P")
T = TypeVar("T")


def is_transient(exc: BaseException) -> bool:
    """Whether a failed transaction lost a race with another writer and can be run again as it was.

    PostgreSQL: a serialization failure or a deadlock (the server picked this transaction as the
    victim). SQLite: the database stayed locked by another writer past the busy timeout.
    """
    orig = getattr(exc, "orig", exc)
    state = getattr(orig, "sqlstate", None) or getattr(orig, "pgcode", None)
    if state in _TRANSIENT_SQLSTATES:
        return True
    return isinstance(orig, sqlite3.OperationalError) and "locked" in str(orig)


def retry_transient(
    func: Callable[P, T] | None = None, *, attempts: int = 8, also: tuple[type[BaseException], ...] = ()
) -> Any:
    """Run a function that does whole transactions again when one loses a race (see :func:`is_transient`).

    The function must start its own transactions (``with db.transaction()``) so that running it again
    starts from scratch. ``also`` adds exceptions that mean "another writer got there first", e.g.
    IntegrityError for a unique row that two copies try to create at once: the rerun then sees the
    winner's row. Waits grow from 20 ms with jitter; the last failure is raised as it was.
    """
    def wrap(fn: Callable[P, T]) -> Callable[P, T]:
        @functools.wraps(fn)
        def run(*args: P.args, **kwargs: P.kwargs) -> T:
            for attempt in range(attempts):
                try:
                    return fn(*args, **kwargs)
                except DBAPIError as exc:
                    retry = is_transient(exc) or (isinstance(exc, also) if also else False)
                    if not retry or attempt == attempts - 1:
                        raise
                time.sleep(min(1.0, 0.02 * 2**attempt) * (0.5 + random.random()))
            raise AssertionError("unreachable")  # pragma: no cover

        return run

    return wrap(func) if func is not None else wrap


@dataclass(frozen=True)
class _Inspection:
    tables: frozenset[str]
    application: str | None
    revision: str | None


def _inspect_sqlite_file(path: Path) -> _Inspection:
    """Look inside an existing SQLite file without writing to it."""
    uri = "file:" + path.as_posix().replace("?", "%3F").replace("#", "%23") + "?mode=ro"
    try:
        con = sqlite3.connect(uri, uri=True)
    except sqlite3.Error as exc:
        raise _describe_sqlite_error(path, exc) from None
    try:
        tables = frozenset(
            r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type IN ('table','view')")
        )
        app = rev = None
        if "ik_meta" in tables:
            row = con.execute("SELECT value FROM ik_meta WHERE key='application'").fetchone()
            app = row[0] if row else None
        if "alembic_version" in tables:
            row = con.execute("SELECT version_num FROM alembic_version").fetchone()
            rev = row[0] if row else None
        return _Inspection(tables, app, rev)
    except sqlite3.Error as exc:
        raise _describe_sqlite_error(path, exc) from None
    finally:
        con.close()


def _inspect_engine(engine: Engine) -> _Inspection:
    with engine.connect() as conn:
        tables = frozenset(inspect(conn).get_table_names())
        app = rev = None
        if "ik_meta" in tables:
            app = conn.execute(text("SELECT value FROM ik_meta WHERE key='application'")).scalar()
        if "alembic_version" in tables:
            rev = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    return _Inspection(tables, app, rev)


def _judge(where: str, found: _Inspection, revision: str | None = None) -> bool:
    """Raise when the database is not ours or too new; return True when it needs migrating (to
    ``revision``, by default the newest)."""
    ours = {"ik_meta", "alembic_version"} | set(schema.TABLES)
    if not found.tables - {"sqlite_sequence"}:
        return True  # empty: create the schema
    if found.application != APPLICATION_ID:
        shown = sorted(found.tables - ours)[:5] or sorted(found.tables)[:5]
        raise NotInterviewKitDatabase(
            f"{where} is not an InterviewKit database (it holds other tables: {', '.join(shown)}). "
            "It was not changed; choose another file with --db."
        )
    if found.revision not in schema.REVISIONS:
        raise NewerSchemaError(
            f"{where} was made by a newer version of InterviewKit (schema '{found.revision}'); "
            f"this is InterviewKit {__version__}, which knows schemas up to '{schema.HEAD}'. "
            "Update InterviewKit to open it. The file was not changed."
        )
    return found.revision != (revision or schema.HEAD)


class Database:
    """An open InterviewKit database: the engine and a way to get sessions."""

    def __init__(self, engine: Engine, url: URL) -> None:
        self.engine = engine
        self.url = url
        # What opening it did that the person should hear about, in sentences (files made private, a
        # backup kept or deleted, a postponed compaction finished): the CLI prints them on stderr, the
        # app shows them in its status bar.
        self.notices: list[str] = []

    @property
    def is_sqlite(self) -> bool:
        return self.url.get_backend_name() == "sqlite"

    @property
    def path(self) -> Path | None:
        """The SQLite file, if the database is one."""
        return _sqlite_path(self.url)

    def describe(self) -> str:
        """Where the database is, for people: a file path or a server without password."""
        path = self.path
        if path is not None:
            return str(path)
        if self.is_sqlite:
            return "in-memory database"
        return self.url.render_as_string(hide_password=True)

    def session(self) -> Session:
        """A new session; objects stay readable after commit."""
        return Session(self.engine, expire_on_commit=False)

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """A session in a transaction that commits on success and rolls back on error."""
        with self.session() as session, session.begin():
            yield session

    def dispose(self) -> None:
        self.engine.dispose()


def _json_text(value: Any) -> str:
    """JSON columns' text: compact, in UTF-8, by orjson (a bank sync writes tens of thousands); the
    standard library takes what orjson refuses (integers beyond 64 bits, text with a lone surrogate)."""
    try:
        return orjson.dumps(value, option=orjson.OPT_NON_STR_KEYS).decode("utf-8")
    except TypeError:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _make_engine(url: URL) -> Engine:
    if url.get_backend_name() == "sqlite":
        kwargs: dict[str, Any] = {"connect_args": {"check_same_thread": False, "timeout": 10}}
        if _sqlite_path(url) is None:
            kwargs["poolclass"] = StaticPool
        engine = create_engine(url, json_serializer=_json_text, **kwargs)
        event.listen(engine, "connect", _on_sqlite_connect)
        if (path := _sqlite_path(url)) is not None:
            guard(engine, path)  # in-use locks that a stray close() in this process cannot drop
        return engine
    if url.get_backend_name() == "postgresql":
        # Times come back in UTC, as they do from SQLite, whatever the server's time zone.
        return create_engine(
            url, pool_pre_ping=True, json_serializer=_json_text, connect_args={"options": "-c timezone=UTC"}
        )
    return create_engine(url, pool_pre_ping=True, json_serializer=_json_text)


def attach(url_or_path: str | os.PathLike[str] | URL) -> Database:
    """An existing database as it is, read-only for SQLite files: no checks, no migration, nothing
    written (to ask who a login is before copying a database, say). Dispose of it after use."""
    url = resolve_url(url_or_path)
    path = _sqlite_path(url)
    if path is not None:
        if not path.is_file():
            raise DatabaseError(f"{path} does not exist")
        uri = "file:" + path.as_posix().replace("?", "%3F").replace("#", "%23") + "?mode=ro"
        engine = create_engine("sqlite://", creator=lambda: sqlite3.connect(uri, uri=True, check_same_thread=False),
                               poolclass=StaticPool)
        return Database(engine, url)
    return Database(_make_engine(url), url)


def _check_sqlite_location(path: Path, *, default: bool) -> None:
    if path.exists():
        if path.is_dir():
            raise DatabaseError(f"{path} is a folder, not a database file.")
        if not path.is_file():  # a FIFO would block the read below forever, a device never end
            raise DatabaseError(f"{path} is not a regular file, so it cannot be a database.")
        try:
            with path.open("rb") as fh:
                head = fh.read(16)
        except OSError as exc:
            raise DatabaseError(f"{path} cannot be read ({exc.strerror or exc}). It was not changed.") from None
        if head and head != _SQLITE_MAGIC:
            raise NotInterviewKitDatabase(
                f"{path} is not an InterviewKit database (it is not an SQLite file). "
                "It was not changed; choose another file with --db."
            )
        return
    parent = path.parent
    if not parent.exists():
        if default:
            parent.mkdir(parents=True, exist_ok=True)
        else:
            raise DatabaseError(f"cannot create {path}: the folder {parent} does not exist.")


def _check_writable(path: Path) -> None:
    parent = path.parent
    if path.exists() and not os.access(path, os.W_OK):
        raise ReadOnlyLocationError(
            f"{path} is read-only. InterviewKit saves every change as you work, so it needs a "
            "writable database: copy the file somewhere writable or choose another with --db."
        )
    if not os.access(parent, os.W_OK):
        raise ReadOnlyLocationError(
            f"the folder {parent} is read-only, so {path.name} cannot be written there. "
            "Choose a database in a writable folder with --db."
        )


def _create_private_file(path: Path) -> None:
    """Create an empty database file readable by its owner only."""
    try:
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    except FileExistsError:
        return  # another copy of the app created it a moment ago
    os.close(fd)


def open_database(
    url_or_path: str | os.PathLike[str] | URL, *, default: bool = False, revision: str | None = None
) -> Database:
    """Open (creating or migrating as needed) the InterviewKit database named by ``url_or_path``.

    ``default`` says the location is the app's own default, whose folder may be created. ``revision``
    migrates a new database to that schema rather than the newest (``db copy`` from an older database).
    Raises :class:`DatabaseError` with a message for the user; an unusable file is never modified.
    """
    url = resolve_url(url_or_path)
    if url.get_backend_name() not in ("sqlite", "postgresql"):
        raise DatabaseError(
            f"'{url.get_backend_name()}' databases are not supported: use an SQLite file (a path) or a PostgreSQL "
            "server (postgresql+psycopg://user@host/database)"
        )
    path = _sqlite_path(url)
    needs_migration = True
    notices: list[str] = []
    backup: Path | None = None
    if path is not None:
        _check_sqlite_location(path, default=default)
        if path.exists() and path.stat().st_size > 0:
            needs_migration = _judge(str(path), _inspect_sqlite_file(path), revision)
        _check_writable(path)
        if not path.exists():
            _create_private_file(path)
        notices += _tightened(sqlite_files.tighten(path))
        if needs_migration and path.stat().st_size > 0:
            found = _inspect_sqlite_file(path)
            if found.revision is not None:
                backup = _backup_before_migration(path, found.revision)
    engine = _make_engine(url)
    if path is None:
        try:
            needs_migration = _judge(url.render_as_string(hide_password=True), _inspect_engine(engine), revision)
        except DatabaseError:
            engine.dispose()
            raise
        except (OperationalError, DBAPIError) as exc:
            engine.dispose()
            reason = str(getattr(exc, "orig", exc)).strip()
            hint = ""
            if "permission denied" in reason.lower():
                hint = (" This login has no InterviewKit role on the team database: an admin maps it to a person "
                        "('interviewkit db set-login EMAIL LOGIN'), which grants the person's role.")
            elif "password" in reason.lower():
                hint = (" Sign in with your own database user: type the password when asked, or give it in "
                        "PGPASSWORD or ~/.pgpass (InterviewKit never keeps it in its settings).")
            raise DatabaseError(
                f"cannot connect to {url.render_as_string(hide_password=True)}: {reason}{hint}"
            ) from None
    if needs_migration:
        _migrate(engine, url, path, revision, backup)
    from interviewkit.storage.integrity import check_integrity

    try:
        problem = None if revision not in (None, schema.HEAD) else check_integrity(
            engine, str(path) if path is not None else url.render_as_string(hide_password=True))
    except (OperationalError, DBAPIError) as exc:
        problem = f"cannot read the database: {getattr(exc, 'orig', exc)}"
    if problem is not None:
        engine.dispose()
        raise NotInterviewKitDatabase(problem)
    db = Database(engine, url)
    if path is not None:
        notices += _after_opening(engine, path, revision or schema.HEAD, backup)
    db.notices = notices
    return db


def _migrate(engine: Engine, url: URL, path: Path | None, revision: str | None, backup: Path | None) -> None:
    """Bring the schema to ``revision`` (the newest by default). On failure the engine is let go of and the
    reason is said for people: a failed migration (undone) with the copy made before it, the database locked
    by another writer, or a server's refusal."""
    from interviewkit.storage.migrate import MigrationFailed, upgrade

    try:
        upgrade(engine, revision or "head")
    except MigrationFailed as exc:
        engine.dispose()
        raise exc.at(str(path) if path is not None else url.render_as_string(hide_password=True), backup) from None
    except DatabaseError:  # a team database's owner check
        engine.dispose()
        raise
    except (OperationalError, DBAPIError) as exc:
        engine.dispose()
        if path is not None:
            raise _describe_sqlite_error(path, exc) from None
        raise DatabaseError(f"cannot prepare the database: {getattr(exc, 'orig', exc)}") from None


def _tightened(changed: list[tuple[Path, int]]) -> list[str]:
    if not changed:
        return []
    names = ", ".join(p.name for p, _ in changed)
    before = ", ".join(sorted({f"{mode:04o}" for _, mode in changed}))
    return [(f"made {names} readable and writable by you only (mode 0600; it was {before}): "
             "a database holds candidates' personal data")]


def _backup_before_migration(path: Path, revision: str) -> Path:
    """The pre-migration copy (storage/sqlite_files.py); the migration does not start without it."""
    try:
        return sqlite_files.make_backup(path, revision)
    except (OSError, sqlite3.Error) as exc:
        raise DatabaseError(
            f"cannot keep a copy of {path} before upgrading its schema from {revision} to {schema.HEAD} "
            f"({getattr(exc, 'strerror', None) or exc}); nothing was changed. Free some space or check the "
            "folder's permissions, then open it again."
        ) from None


def _after_opening(engine: Engine, path: Path, revision: str, backup: Path | None) -> list[str]:
    """Backups made or past their grace period; a postponed compaction finished if it can be."""
    notices = []
    days = sqlite_files.backup_days(engine)
    plural = "s" if days != 1 else ""
    if backup is not None:
        notices.append(
            f"kept a copy of the database as it was before this upgrade in {backup.name} (readable by you only); "
            f"it is deleted {days} day{plural} after this upgrade ('interviewkit retention --backup-days N' "
            "changes how long), and at once by an erasure")
    try:
        gone = sqlite_files.expire_backups(engine, path, revision=revision)
    except OSError:
        gone = []
    if gone:
        notices.append(f"deleted the pre-migration backup{'s' if len(gone) > 1 else ''} "
                       f"{', '.join(p.name for p in gone)}: the upgrade succeeded more than {days} day{plural} ago")
    with suppress(OperationalError, DBAPIError):
        notices += sqlite_files.on_open(engine, path)
    return notices
