"""Imports that happen once: a receipt per imported file, and one import at a time per opening.

Every import of a file (a ratings CSV, a scorecard exchange file) runs in :func:`import_transaction`, which
lets one process at a time import into an opening: on PostgreSQL a transaction-scoped advisory lock named
after the opening, on SQLite the database's write lock taken up front (``BEGIN IMMEDIATE``). Inside it the
import first looks for the file's receipt (:class:`~interviewkit.storage.models.ImportReceipt`, keyed by a
hash of the file's content) and, when there is none, writes its data and the receipt in the same
transaction. So the same file imported twice, or by two processes at once, is written once: the second
finds the receipt and says "already imported". The receipt's primary key stops a writer that would get
past the lock anyway (a unique violation, which the caller retries with
:func:`~interviewkit.storage.db.retry_transient`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import text
from sqlmodel import Session

from interviewkit.storage.db import Database
from interviewkit.storage.models import ImportReceipt

__all__ = ["add_receipt", "content_key", "find_receipt", "import_transaction", "lock_key"]


def content_key(data: bytes) -> str:
    """The receipt key of some content: its SHA-256 in hex."""
    return hashlib.sha256(data).hexdigest()


def lock_key(scope: str) -> int:
    """A signed 64-bit advisory lock key for imports into ``scope`` (an opening's title)."""
    digest = hashlib.sha256(f"interviewkit import into {scope}".encode("utf-8", "replace")).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


@contextmanager
def import_transaction(db: Database, scope: str) -> Iterator[Session]:
    """A transaction in which this process alone imports into ``scope``; commits on success.

    SQLite has one writer at a time anyway: the write lock is taken at the start (``BEGIN IMMEDIATE``)
    rather than at the first write, so that what the import reads cannot change before it writes. A copy
    that waits longer than the busy timeout gets "database is locked", which
    :func:`~interviewkit.storage.db.retry_transient` runs again.
    """
    with db.session() as s, s.begin():
        conn = s.connection()
        if conn.dialect.name == "sqlite":
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        elif conn.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": lock_key(scope)})
        yield s


def find_receipt(s: Session, key: str) -> ImportReceipt | None:
    return s.get(ImportReceipt, key)


def add_receipt(
    s: Session, key: str, *, kind: str, source: str, actor_id: int | None, scorecard_id: int | None = None,
    detail: dict[str, Any] | None = None,
) -> None:
    """Record, in the caller's transaction, that the content with ``key`` has been imported."""
    s.add(ImportReceipt(content_key=key, kind=kind, source=source[:300], actor_id=actor_id,
                        scorecard_id=scorecard_id, detail=detail or {}))
    s.flush()
