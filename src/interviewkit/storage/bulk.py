"""Writing thousands of rows at once (a bank sync).

SQLAlchemy's Core ``insert()`` with a list of dicts builds each row's parameters in Python, which is most
of the time of a 10,000-question sync on SQLite. :func:`insert_rows` compiles nothing per row: on SQLite it
turns each value with the column type's own bind processor (JSON, dates) and hands plain tuples to the
driver's ``executemany``. Other databases keep SQLAlchemy's path, whose batched ``insertmanyvalues`` is
already fast there.

:class:`Background` runs a long statement on a second thread while the caller prepares the next writes.
The driver lets go of Python's lock while SQLite works, so a bank sync reads the next files while SQLite
builds the full-text index of the last ones: both cores of a two-core machine at work.
"""

from __future__ import annotations

import concurrent.futures
import json
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from types import TracebackType
from typing import Any, Generic, TypeVar

from sqlalchemy import Table, insert
from sqlalchemy.orm import Session

__all__ = ["Background", "insert_rows"]

_S = TypeVar("_S", bound=Session)  # the session's own class (SQLModel's), handed back to the jobs


def insert_rows(
    session: Session, table: Table, rows: Sequence[Mapping[str, Any]], *, one_statement: bool = False
) -> None:
    """INSERT ``rows`` (dicts with the same keys, named by column) into ``table`` in this transaction.

    ``one_statement`` (SQLite) sends the rows as one JSON document to a single ``INSERT ... SELECT``, so
    that SQLite inserts them all without coming back to Python: for small rows of numbers and text, run
    on a :class:`Background` thread.
    """
    if not rows:
        return
    conn = session.connection()
    dialect = conn.dialect
    if dialect.name != "sqlite":
        conn.execute(insert(table), list(rows))
        return
    names = list(rows[0])
    columns = [table.c[name] for name in names]
    values = [[row[name] for row in rows] for name in names]  # column by column
    for i, column in enumerate(columns):
        process = column.type.dialect_impl(dialect).bind_processor(dialect)
        if process is None:
            continue
        first = values[i][0]
        if all(v is first for v in values[i]):  # one value for every row (a timestamp): turn it once
            values[i] = [process(first)] * len(rows)
        else:
            values[i] = list(map(process, values[i]))
    data = list(zip(*values))
    preparer = dialect.identifier_preparer
    into = f"INSERT INTO {preparer.format_table(table)} ({', '.join(preparer.format_column(c) for c in columns)}) "
    if one_statement:
        selected = ", ".join(f"value ->> {i}" for i in range(len(columns)))
        conn.exec_driver_sql(into + f"SELECT {selected} FROM json_each(?)", (json.dumps(data),))
    else:
        conn.exec_driver_sql(into + f"VALUES ({', '.join('?' * len(columns))})", data)


class Background(Generic[_S]):
    """One statement at a time on a worker thread (SQLite), while the caller prepares the next writes.

    :meth:`start` runs a job on the session; :meth:`session` waits for it and hands the session back, so
    the session is only ever used by one thread at a time. A job's exception is raised again in the
    caller's thread. Elsewhere than SQLite, jobs run at once in the caller's thread.

    A job should be one statement that works inside SQLite for long (an ``INSERT ... SELECT``): every
    return to Python must wait for the caller's thread to let go of Python's lock.
    """

    def __init__(self, session: _S) -> None:
        self._session = session
        threaded = session.get_bind().dialect.name == "sqlite"
        self._executor = ThreadPoolExecutor(1, thread_name_prefix="interviewkit-db") if threaded else None
        self._pending: Future[None] | None = None

    def __enter__(self) -> Background[_S]:
        return self

    def session(self) -> _S:
        """The session, once the running job (if any) is done."""
        self.wait()
        return self._session

    def start(self, job: Callable[[_S], None]) -> None:
        session = self.session()
        if self._executor is None:
            job(session)
        else:
            self._pending = self._executor.submit(job, session)

    def wait(self) -> None:
        pending, self._pending = self._pending, None
        if pending is not None:
            pending.result()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        try:
            if exc is None:
                self.wait()
            elif self._pending is not None:
                concurrent.futures.wait([self._pending])  # the caller's error wins over the job's
                self._pending = None
        finally:
            if self._executor is not None:
                self._executor.shutdown(wait=True)
