"""Locks that say "this SQLite database is in use" and that no stray ``close()`` can drop.

SQLite (unix VFS) marks a database in use with POSIX record locks: a read lock on the database file's
SHARED range, and one on the ``-shm`` file's "DMS" byte. POSIX locks belong to the process, and the
kernel drops all of them when the process closes *any* descriptor of the file, e.g. a file dialog
that opens the database to guess its type. Once they are gone, any other process believes it is alone:

* on its last close (``sqlite3WalClose``) it takes an EXCLUSIVE lock on the database file, which now
  succeeds, checkpoints, and deletes the ``-wal`` and ``-shm`` that the running app keeps writing to
  (its later commits go to a deleted file and are lost);
* on opening, it finds no lock on the DMS byte (``unixLockSharedMemory``) and truncates the ``-shm``.

While an InterviewKit process has a connection to a database file open, it also holds the same two read
locks as *open file description* (OFD) locks (``F_OFD_SETLK``, Linux). OFD locks belong to a descriptor
of our own, so closing another descriptor of the file leaves them in place, and they conflict with
POSIX locks, which is what SQLite tests in every process (InterviewKit's, the CLI's, the sqlite3 shell).
So SQLite itself sees the holder: another process's last close cannot get its EXCLUSIVE lock and keeps
the ``-wal`` and ``-shm`` (as it does when another copy is reading), and its open does not truncate the
``-shm``. Our own connections never need the EXCLUSIVE lock while open (WAL mode); the locks are let go
just before a process's last connection to the file closes (engine dispose, the pool's last close, exit),
so the last copy to close still checkpoints and removes the log as before.

Why not ``SQLITE_FCNTL_PERSIST_WAL``: Python's sqlite3 module has no ``sqlite3_file_control``; reaching
the ``sqlite3*`` handle through ctypes means reading a private CPython struct. It would also only stop
the deletion, not the checkpoint at close nor the ``-shm`` truncation at open, and only in our processes.

Coverage: Linux (kernel 3.15+). macOS has no OFD locks and Windows needs none (SQLite locks there
belong to its own file handle): there these functions do nothing and nothing fails; on macOS the app's
file dialogs, which no longer open the files they list, are the protection. A file system that refuses
OFD locks (some network file systems) is used as before, without them.
"""

from __future__ import annotations

import atexit
import contextlib
import errno
import logging
import os
import struct
import threading
import time
import weakref
from pathlib import Path
from types import ModuleType
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine

__all__ = ["Sentinel", "guard", "supported"]


def _fcntl() -> ModuleType | None:
    """The fcntl module; None on Windows, which has no such locks."""
    try:
        import fcntl
    except ImportError:  # Windows
        return None
    return fcntl


fcntl = _fcntl()

log = logging.getLogger(__name__)

# SQLite's unix VFS lock layout (os_unix.c, sqlite3.c): the database file's SHARED range and the -shm
# file's "DMS" byte (UNIX_SHM_BASE 120 + SQLITE_SHM_NLOCK 8).
_PENDING_BYTE = 0x40000000
_SHARED_FIRST = _PENDING_BYTE + 2
_SHARED_SIZE = 510
_SHM_DMS = 128

_OFD_SETLK: int | None = getattr(fcntl, "F_OFD_SETLK", None) if fcntl is not None else None
_WAIT_FOR_CLOSER = 2.0  # seconds: another process may hold EXCLUSIVE for a moment while it closes


def supported() -> bool:
    """Whether this platform has OFD locks (Linux)."""
    return _OFD_SETLK is not None


def _flock(kind: int, start: int, length: int) -> bytes:
    # struct flock {short l_type; short l_whence; off_t l_start; off_t l_len; pid_t l_pid;} (native
    # alignment); l_pid must be 0 for OFD locks.
    return struct.pack("hhqqi4x", kind, os.SEEK_SET, start, length, 0)


class Sentinel:
    """The two OFD read locks on one database file (and its ``-shm``), held through our own descriptors."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        self._fds: list[int] = []
        self._mutex = threading.Lock()

    @property
    def held(self) -> bool:
        return bool(self._fds)

    def hold(self) -> bool:
        """Take the locks (a no-op when held or unsupported); True if they are held afterwards."""
        with self._mutex:
            if self._fds or _OFD_SETLK is None:
                return bool(self._fds)
            fds: list[int] = []
            try:
                for target, start, length in ((self.path, _SHARED_FIRST, _SHARED_SIZE),
                                              (Path(f"{self.path}-shm"), _SHM_DMS, 1)):
                    fd = self._lock(target, start, length)
                    if fd is None:
                        break
                    fds.append(fd)
            except OSError as exc:
                log.debug("no sentinel lock on %s: %s", self.path, exc)
                for fd in fds:
                    os.close(fd)
                return False
            self._fds = fds
            if fds:
                _live.add(self)
            return bool(fds)

    @staticmethod
    def _lock(path: Path, start: int, length: int) -> int | None:
        """Our own descriptor of ``path`` with an OFD read lock on the range; None if there is no file."""
        assert fcntl is not None and _OFD_SETLK is not None
        try:
            fd = os.open(path, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NOFOLLOW", 0))
        except FileNotFoundError:
            return None
        deadline = time.monotonic() + _WAIT_FOR_CLOSER
        try:
            while True:
                try:
                    fcntl.fcntl(fd, _OFD_SETLK, _flock(fcntl.F_RDLCK, start, length))
                    return fd
                except OSError as exc:
                    # A write lock there: a connection is closing with EXCLUSIVE, or a copy is
                    # initialising the -shm. Both are over in milliseconds.
                    if exc.errno not in (errno.EAGAIN, errno.EACCES) or time.monotonic() > deadline:
                        raise
                time.sleep(0.01)
        except BaseException:
            os.close(fd)
            raise

    def release(self) -> None:
        """Let the locks go (closing our descriptors); safe to call more than once."""
        with self._mutex:
            fds, self._fds = self._fds, []
            _live.discard(self)
        for fd in fds:
            with contextlib.suppress(OSError):
                os.close(fd)

    def __del__(self) -> None:
        self.release()


_live: weakref.WeakSet[Sentinel] = weakref.WeakSet()


@atexit.register
def _release_all() -> None:
    # At exit, before the interpreter closes connections that were never disposed: the last copy to
    # close must be free to remove the -wal and -shm.
    for sentinel in list(_live):
        sentinel.release()


def guard(engine: Engine, path: str | os.PathLike[str]) -> Sentinel:
    """Hold a :class:`Sentinel` on ``path`` while ``engine`` has at least one connection open.

    Register after the listener that puts new connections in WAL mode: the locks are taken once the
    file is a WAL database and its ``-shm`` exists, and let go just before the engine's last open
    connection closes (dispose, or the pool closing its last one), so that this process's own SQLite
    may still remove the log when it is the last user of the database.
    """
    sentinel = Sentinel(path)
    open_connections: set[int] = set()
    mutex = threading.Lock()

    def connected(dbapi_conn: Any, _record: Any) -> None:
        if _OFD_SETLK is None:
            return
        try:
            cur = dbapi_conn.cursor()
            try:
                cur.execute("PRAGMA schema_version").fetchone()  # opens the WAL, creating the -shm
            finally:
                cur.close()
        except Exception as exc:  # noqa: BLE001 - the caller's own queries will report a real problem
            log.debug("no sentinel lock on %s: %s", path, exc)
            return
        with mutex:
            open_connections.add(id(dbapi_conn))
            sentinel.hold()

    def closing(dbapi_conn: Any, *_: Any) -> None:
        with mutex:
            if id(dbapi_conn) not in open_connections:
                return
            open_connections.discard(id(dbapi_conn))
            if not open_connections:
                sentinel.release()

    event.listen(engine, "connect", connected)
    event.listen(engine, "close", closing)  # pool events: they carry over to the pool that dispose() makes
    event.listen(engine, "close_detached", closing)
    return sentinel
