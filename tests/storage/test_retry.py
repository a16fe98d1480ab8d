"""Transactions that lose a race run again; other errors do not."""

from __future__ import annotations

import sqlite3

import pytest
from sqlalchemy.exc import IntegrityError, OperationalError

from interviewkit.storage.db import is_transient, retry_transient


class _PgError(Exception):
    def __init__(self, sqlstate: str) -> None:
        super().__init__(f"sqlstate {sqlstate}")
        self.sqlstate = sqlstate


def _flaky(failures: list[BaseException]):  # type: ignore[no-untyped-def]
    calls = []

    def run() -> str:
        calls.append(1)
        if failures:
            raise failures.pop(0)
        return "done"

    return run, calls


def test_deadlocks_serialization_failures_and_sqlite_locks_are_transient() -> None:
    assert is_transient(OperationalError("x", {}, _PgError("40P01")))
    assert is_transient(OperationalError("x", {}, _PgError("40001")))
    assert is_transient(OperationalError("x", {}, sqlite3.OperationalError("database is locked")))
    assert not is_transient(OperationalError("x", {}, _PgError("42P01")))  # undefined table
    assert not is_transient(OperationalError("x", {}, sqlite3.OperationalError("no such table: t")))


def test_a_transaction_that_lost_a_race_runs_again() -> None:
    run, calls = _flaky([OperationalError("x", {}, _PgError("40P01")), OperationalError("x", {}, _PgError("40001"))])
    assert retry_transient(run)() == "done" and len(calls) == 3


def test_other_errors_are_raised_at_once_and_persistent_ones_in_the_end() -> None:
    run, calls = _flaky([OperationalError("x", {}, _PgError("42P01"))])
    with pytest.raises(OperationalError):
        retry_transient(run)()
    assert len(calls) == 1
    run, calls = _flaky([OperationalError("x", {}, _PgError("40P01")) for _ in range(5)])
    with pytest.raises(OperationalError):
        retry_transient(attempts=3)(run)()
    assert len(calls) == 3


def test_integrity_errors_run_again_only_when_asked() -> None:
    run, calls = _flaky([IntegrityError("x", {}, _PgError("23505"))])
    with pytest.raises(IntegrityError):
        retry_transient(run)()
    run, calls = _flaky([IntegrityError("x", {}, _PgError("23505"))])
    assert retry_transient(also=(IntegrityError,))(run)() == "done" and len(calls) == 2
