"""An SQLite database's files as private data: who may read them, the copies beside them, and what is
left of erased text in them.

* **Permissions.** A database file, its ``-wal`` and ``-shm`` hold candidates' personal data, so they are
  readable and writable by their owner only (0600). New files are created that way (SQLite gives the
  ``-wal`` and ``-shm`` the database file's mode); a file found more open (0644 from an older version,
  a copy made with ``cp``) is tightened when the database is opened, and :func:`tighten` says which.
* **Pre-migration backups.** Before migrating a database to a newer schema, a copy is made beside it,
  ``NAME.bak-REVISION`` (``interviewkit.sqlite.bak-0007`` holds schema 0007: an InterviewKit that knows
  that schema opens it), through SQLite's online backup API (a consistent copy even while another copy
  of the app writes; a file copy of a live database in WAL mode can miss what is still in the ``-wal``),
  created 0600. Older versions named it ``NAME.before-REVISION.bak`` with a file copy; both are
  recognised. A backup is deleted once the database has been migrated to this version's schema and the
  grace period (``ik_meta`` key ``backup_days``, :data:`DEFAULT_BACKUP_DAYS`) has passed since the copy
  was made; an erasure deletes them at once (they hold what was erased).
* **Compaction after an erasure.** The erasure itself runs with ``secure_delete``; then the file is
  rebuilt (``VACUUM``) and its write-ahead log checkpointed and truncated, which removes the old text from
  free pages, from pages not yet copied back, and from old frames of the ``-wal``. The truncating
  checkpoint cannot finish while another connection (another copy of the app) holds a read
  transaction: :func:`compact` waits for it with a progress callback, up to a limit, and otherwise
  records a pending compaction (``ik_meta`` key ``pending_compaction``) that :func:`finish_pending`
  completes at the next opening of the database (every command and app start), as soon as no copy
  is reading.

Everything here takes an engine and the file's path (it sits below :mod:`interviewkit.storage.db`,
which calls it from ``open_database``).
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import stat
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError, OperationalError

from interviewkit.storage import schema

__all__ = [
    "BACKUP_DAYS_KEY",
    "DEFAULT_BACKUP_DAYS",
    "MAX_BACKUP_DAYS",
    "PENDING_COMPACTION_KEY",
    "Compaction",
    "backup_days",
    "backup_name",
    "backups_of",
    "checkpoint",
    "compact",
    "delete_backups",
    "expire_backups",
    "finish_pending",
    "make_backup",
    "mark_pending",
    "on_open",
    "pending_since",
    "pending_words",
    "shred",
    "tighten",
    "vacuum",
]

PENDING_COMPACTION_KEY = "pending_compaction"
BACKUP_DAYS_KEY = "backup_days"
DEFAULT_BACKUP_DAYS = 7
MAX_BACKUP_DAYS = 3650
PRIVATE = 0o600
_BUSY_TIMEOUT_MS = 10000  # what storage.db gives every connection; restored after a non-blocking attempt


# --- permissions ----------------------------------------------------------------------------------------


def _sidecars(path: Path) -> list[Path]:
    return [path.with_name(path.name + suffix) for suffix in ("-wal", "-shm", "-journal")]


def tighten(path: Path) -> list[tuple[Path, int]]:
    """Make the database file, its ``-wal``/``-shm``/``-journal`` and its backups readable by their owner
    only. Returns the files whose mode changed, with their mode before (nothing when they were private
    already, belong to someone else, or the file system keeps no modes)."""
    changed = []
    for target in [path, *_sidecars(path), *backups_of(path)]:
        try:
            st = os.stat(target)
        except OSError:
            continue
        if not stat.S_ISREG(st.st_mode) or not st.st_mode & 0o077:
            continue
        if hasattr(os, "geteuid") and st.st_uid != os.geteuid():
            continue  # not ours to change (chmod would fail): the owner opens it
        try:
            os.chmod(target, PRIVATE)
            after = os.stat(target).st_mode
        except OSError:
            continue
        if not after & 0o077:
            changed.append((target, stat.S_IMODE(st.st_mode)))
    return changed


# --- backups beside the database ----------------------------------------------------------------------


def backup_name(path: Path, revision: str) -> Path:
    """Where the copy made before migrating from ``revision`` goes."""
    return path.with_name(f"{path.name}.bak-{revision}")


def _backup_revision(path: Path, name: str) -> str | bool | None:
    """The schema revision a backup of ``path`` called ``name`` holds (None if unknown: an older
    version's name), or False if the name is not one of our backups."""
    if name.startswith(path.name + ".bak-"):
        rev = name[len(path.name) + 5:]
        return rev if rev in schema.REVISIONS else False
    if name.startswith(path.name + ".before-") and name.endswith(".bak"):
        rev = name[len(path.name) + 8:-4]
        return None if rev in schema.REVISIONS else False
    return False


def backups_of(path: Path) -> list[Path]:
    """The pre-migration backups InterviewKit made beside this database file (regular files only)."""
    found = []
    try:
        entries = list(os.scandir(path.parent))
    except OSError:
        return []
    for entry in entries:
        if _backup_revision(path, entry.name) is False:
            continue
        try:
            if entry.is_file(follow_symlinks=False):
                found.append(Path(entry.path))
        except OSError:
            continue
    return sorted(found)


def make_backup(path: Path, revision: str) -> Path:
    """A consistent copy of the database at ``revision``, through SQLite's online backup API, readable by
    its owner only, in rollback-journal mode (one file, nothing beside it). Replaces an older backup of
    the same revision. Raises OSError or sqlite3.Error."""
    target = backup_name(path, revision)
    part = target.with_name(f".{target.name}.{os.getpid()}.part")
    with contextlib.suppress(FileNotFoundError):
        part.unlink()
    fd = os.open(part, os.O_CREAT | os.O_EXCL | os.O_WRONLY | getattr(os, "O_NOFOLLOW", 0), PRIVATE)
    os.close(fd)
    uri = "file:" + path.as_posix().replace("?", "%3F").replace("#", "%23") + "?mode=ro"
    try:
        source = sqlite3.connect(uri, uri=True)
        try:
            copy = sqlite3.connect(part)
            try:
                source.backup(copy)
                copy.execute("PRAGMA journal_mode=DELETE")  # the copy: one file, no -wal/-shm beside it
            finally:
                copy.close()
        finally:
            source.close()
        os.replace(part, target)
    except BaseException:
        for leftover in (part, *_sidecars(part)):
            with contextlib.suppress(OSError):
                leftover.unlink()
        raise
    return target


def shred(path: Path) -> None:
    """Overwrite a file with zeros, then delete it (and its SQLite sidecars). The overwrite reaches the
    disk blocks on ordinary file systems; copy-on-write file systems, SSD wear levelling and snapshots
    may keep old blocks (docs/personal-data.md)."""
    for target in (path, *_sidecars(path)):
        try:
            fd = os.open(target, os.O_WRONLY | getattr(os, "O_NOFOLLOW", 0))
        except FileNotFoundError:
            continue
        except OSError:
            fd = -1
        if fd >= 0:
            try:
                size = os.fstat(fd).st_size
                zeros = bytes(1 << 20)
                done = 0
                while done < size:
                    done += os.write(fd, zeros[: min(len(zeros), size - done)])
                os.fsync(fd)
            except OSError:
                pass
            finally:
                os.close(fd)
        target.unlink(missing_ok=True)


def delete_backups(path: Path) -> list[Path]:
    """Shred every pre-migration backup of this database (an erasure: they hold what was erased)."""
    gone = []
    for backup in backups_of(path):
        try:
            shred(backup)
        except OSError:
            continue
        gone.append(backup)
    return gone


def backup_days(engine: Engine) -> int:
    """Days a pre-migration backup is kept after a successful migration (``ik_meta`` ``backup_days``)."""
    try:
        with engine.connect() as conn:
            value = conn.execute(text("SELECT value FROM ik_meta WHERE key = :k"), {"k": BACKUP_DAYS_KEY}).scalar()
    except (OperationalError, DBAPIError):
        return DEFAULT_BACKUP_DAYS
    try:
        days = int(value) if value is not None else DEFAULT_BACKUP_DAYS
    except ValueError:
        return DEFAULT_BACKUP_DAYS
    return min(max(days, 0), MAX_BACKUP_DAYS)


def expire_backups(engine: Engine, path: Path, *, revision: str | None, now: float | None = None) -> list[Path]:
    """Delete the backups whose grace period has passed since they were made, once the database is at
    this version's schema (a migration that failed leaves the database at the backup's schema, and the
    backup is kept). ``revision`` is the database's schema now."""
    if revision != schema.HEAD:
        return []
    days = backup_days(engine)
    now = time.time() if now is None else now
    gone = []
    for backup in backups_of(path):
        if _backup_revision(path, backup.name) == revision:
            continue
        try:
            age = now - backup.stat().st_mtime
        except OSError:
            continue
        if age >= days * 86400:
            shred(backup)
            gone.append(backup)
    return gone


# --- compaction -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Compaction:
    """What :func:`compact` did."""

    done: bool  # the file rebuilt and its log emptied: no erased text left in either
    waited: float  # seconds spent waiting for other copies to let go
    pending_since: datetime | None  # not done: recorded as pending at this time (the next opening finishes it)


def _meta(engine: Engine, key: str) -> str | None:
    with engine.connect() as conn:
        value = conn.execute(text("SELECT value FROM ik_meta WHERE key = :k"), {"k": key}).scalar()
    return None if value is None else str(value)


def pending_since(engine: Engine) -> datetime | None:
    """When a compaction was postponed (None: nothing is pending)."""
    try:
        raw = _meta(engine, PENDING_COMPACTION_KEY)
    except (OperationalError, DBAPIError):
        return None
    if raw is None:
        return None
    try:
        return datetime.fromisoformat(json.loads(raw)["since"])
    except (ValueError, KeyError, TypeError):
        return datetime.now(UTC)


def _vacuumed(engine: Engine) -> bool:
    raw = _meta(engine, PENDING_COMPACTION_KEY)
    try:
        return bool(json.loads(raw or "{}").get("vacuumed"))
    except (ValueError, AttributeError):
        return False


def mark_pending(engine: Engine, *, vacuumed: bool) -> datetime:
    """Record that the erased text still waits for a compaction (kept if one is pending already)."""
    since = pending_since(engine) or datetime.now(UTC).replace(microsecond=0)
    value = json.dumps({"since": since.isoformat(), "vacuumed": vacuumed})
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM ik_meta WHERE key = :k"), {"k": PENDING_COMPACTION_KEY})
        conn.execute(
            text("INSERT INTO ik_meta (key, value) VALUES (:k, :v)"), {"k": PENDING_COMPACTION_KEY, "v": value}
        )
    return since


def vacuum(engine: Engine) -> bool:
    """Rebuild the file with freed space zeroed (False if another copy kept writing past the busy timeout)."""
    try:
        with engine.connect() as connection:
            conn = connection.execution_options(isolation_level="AUTOCOMMIT")
            conn.exec_driver_sql("PRAGMA secure_delete = ON")
            conn.exec_driver_sql("VACUUM")
        return True
    except (OperationalError, DBAPIError):
        return False


def checkpoint(engine: Engine) -> bool:
    """One truncating checkpoint that does not wait: True if every frame of the log was copied into the
    file and the log emptied, False if another connection is reading or writing."""
    try:
        with engine.connect() as connection:
            conn = connection.execution_options(isolation_level="AUTOCOMMIT")
            conn.exec_driver_sql("PRAGMA busy_timeout = 0")
            try:
                busy, _log, _done = conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)").one()
            finally:
                conn.exec_driver_sql(f"PRAGMA busy_timeout = {_BUSY_TIMEOUT_MS}")
        return not busy
    except (OperationalError, DBAPIError):
        return False


def finish_pending(engine: Engine) -> bool:
    """Complete a postponed compaction if no other copy is reading now (does not wait). True when
    nothing is pending afterwards."""
    if pending_since(engine) is None:
        return True
    if not checkpoint(engine):
        return False
    if not _vacuumed(engine) and not (vacuum(engine) and checkpoint(engine)):
        return False
    try:
        with engine.begin() as conn:
            conn.execute(text("DELETE FROM ik_meta WHERE key = :k"), {"k": PENDING_COMPACTION_KEY})
    except (OperationalError, DBAPIError):
        return False
    checkpoint(engine)  # the mark's own page (no erased text in it): best effort
    return True


def compact(
    engine: Engine, *, wait: float, progress: Callable[[float], None] | None = None, poll: float = 0.25
) -> Compaction:
    """Rebuild the file and empty its log; while other copies read, wait for them up to ``wait`` seconds,
    calling ``progress(seconds waited)`` about every ``poll`` seconds, then record a pending compaction."""
    vacuumed = vacuum(engine)
    if vacuumed and checkpoint(engine):
        if pending_since(engine) is not None:
            finish_pending(engine)
        return Compaction(True, 0.0, None)
    since = mark_pending(engine, vacuumed=vacuumed)
    start = time.monotonic()
    waited = 0.0
    while waited < wait:
        time.sleep(min(poll, max(0.0, wait - waited)))
        waited = time.monotonic() - start
        if progress is not None:
            progress(waited)
        if finish_pending(engine):
            return Compaction(True, waited, None)
    return Compaction(False, waited, since)


def _when(at: datetime) -> str:
    return at.astimezone().strftime("%Y-%m-%d %H:%M")


def pending_words(path: Path | None, since: datetime) -> str:
    """The sentence that says what a pending compaction leaves, and until when."""
    where = f"{path.name}'s log ({path.name}-wal) and free pages" if path is not None else "the database file's log"
    return (f"the text erased on {_when(since)} is still in {where} until every other copy of InterviewKit "
            "lets go of the database; the next InterviewKit command or app start then removes it")


def on_open(engine: Engine, path: Path) -> list[str]:
    """At every opening: finish a postponed compaction if it can be; the sentences to show."""
    since = pending_since(engine)
    if since is None:
        return []
    if finish_pending(engine):
        return [(f"removed the text erased on {_when(since)} from {path.name} and its log (it had to wait for "
                 "another copy of InterviewKit to stop reading)")]
    return [f"another copy of InterviewKit is reading {path.name}, so {pending_words(path, since)}"]
