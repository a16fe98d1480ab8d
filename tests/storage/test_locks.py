"""The locks that tell other copies an SQLite database is in use, and what keeps them when a stray close()
in the process drops SQLite's own (POSIX) locks: the ``-wal`` stays and no commit is lost."""

from __future__ import annotations

import errno
import fcntl
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import text

from interviewkit.storage.db import Database, open_database

pytestmark = [
    pytest.mark.sqlite_only,
    pytest.mark.skipif(not sys.platform.startswith("linux"), reason="counts locks in Linux's /proc/locks"),
]


def _locks_on(path: Path, kind: str) -> int:
    """How many locks of ``kind`` ("POSIX": this process's, "OFDLCK": any descriptor's) /proc/locks lists
    on the file at ``path`` (matched by device and inode)."""
    st = os.stat(path)
    where = f"{os.major(st.st_dev):02x}:{os.minor(st.st_dev):02x}:{st.st_ino}"
    count = 0
    with open("/proc/locks", encoding="ascii") as fh:
        for line in fh:
            fields = line.split()
            if len(fields) < 6 or fields[1] == "->":  # "->": a request waiting for a lock, not a lock
                continue
            _n, lock_kind, _mode, _access, pid, file_id = fields[:6]
            if file_id == where and lock_kind == kind and (kind != "POSIX" or pid == str(os.getpid())):
                count += 1
    return count


def posix_locks(db_path: Path) -> int:
    """SQLite's locks held by this process on the database and its -shm."""
    shm = Path(f"{db_path}-shm")
    return _locks_on(db_path, "POSIX") + (_locks_on(shm, "POSIX") if shm.exists() else 0)


def ofd_locks(db_path: Path) -> int:
    shm = Path(f"{db_path}-shm")
    return _locks_on(db_path, "OFDLCK") + (_locks_on(shm, "OFDLCK") if shm.exists() else 0)


def put(db: Database, key: str, value: str) -> None:
    """Commit one small row (a key in ik_meta) through the app's own engine."""
    with db.engine.begin() as conn:
        conn.execute(text("INSERT INTO ik_meta (key, value) VALUES (:k, :v)"), {"k": key, "v": value})


def read_elsewhere(db_path: Path, *keys: str) -> dict[str, str]:
    """What a third process reads for ``keys`` (a plain sqlite3 connection, as any other copy would)."""
    script = (
        "import json, sqlite3, sys\n"
        "con = sqlite3.connect(sys.argv[1])\n"
        "rows = con.execute('SELECT key, value FROM ik_meta WHERE key IN (%s)' % ','.join('?' * (len(sys.argv) - 2)),"
        " sys.argv[2:]).fetchall()\n"
        "print(json.dumps(dict(rows)))\n"
        "con.close()\n"
    )
    out = subprocess.run([sys.executable, "-c", script, str(db_path), *keys],
                         capture_output=True, text=True, check=True, timeout=120)
    import json

    return json.loads(out.stdout)


def run_cli(db_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """``interviewkit --db PATH ...`` in a process of its own."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run([sys.executable, "-m", "interviewkit", "--db", str(db_path), *args],
                          capture_output=True, text=True, env=env, timeout=300, check=False)


def drop_posix_locks(db_path: Path) -> None:
    """What a file dialog sniffing the files' types did: open and close each of them in this process."""
    for suffix in ("", "-wal", "-shm"):
        os.close(os.open(f"{db_path}{suffix}", os.O_RDONLY))


@pytest.mark.slow
def test_the_wal_survives_another_copy_after_a_stray_close_dropped_this_process_posix_locks(db_path: Path) -> None:
    db = open_database(db_path)
    try:
        put(db, "test.before", "written before the other copy ran")
        with db.engine.connect() as reading:
            reading.begin()
            assert reading.execute(text("SELECT count(*) FROM ik_meta")).scalar_one() > 0
            assert posix_locks(db_path) >= 2  # SHARED on the file, DMS (and a read mark) on the -shm
            drop_posix_locks(db_path)
            assert posix_locks(db_path) == 0  # the simulation did drop them

            other = run_cli(db_path, "jd", "list")  # another copy opens, reads and closes the database
            assert other.returncode == 0, other.stderr
            assert Path(f"{db_path}-wal").exists() and Path(f"{db_path}-shm").exists()
            reading.rollback()

        put(db, "test.after", "written after the other copy closed")
        assert read_elsewhere(db_path, "test.before", "test.after") == {
            "test.before": "written before the other copy ran",
            "test.after": "written after the other copy closed",
        }
    finally:
        db.dispose()
    assert sorted(p.name for p in db_path.parent.iterdir()) == [db_path.name]  # the last to close cleans up


def test_the_in_use_locks_are_held_while_open_and_let_go_on_dispose(db_path: Path) -> None:
    db = open_database(db_path)
    put(db, "test.key", "value")
    assert ofd_locks(db_path) == 2  # the SHARED range of the file and the -shm's DMS byte
    drop_posix_locks(db_path)
    assert ofd_locks(db_path) == 2  # a stray close() leaves them
    db.dispose()
    assert ofd_locks(db_path) == 0
    assert sorted(p.name for p in db_path.parent.iterdir()) == [db_path.name]


def test_two_databases_on_one_file_in_one_process_keep_the_log_until_both_close(db_path: Path) -> None:
    first, second = open_database(db_path), open_database(db_path)
    put(first, "test.one", "1")
    put(second, "test.two", "2")
    first.dispose()
    assert Path(f"{db_path}-wal").exists()
    with second.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM ik_meta WHERE key LIKE 'test.%'")).scalar_one() == 2
    second.dispose()
    assert sorted(p.name for p in db_path.parent.iterdir()) == [db_path.name]


def test_a_file_system_that_refuses_the_locks_is_used_without_them(db_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    real = fcntl.fcntl

    def refuse_ofd(fd, cmd, arg=0):  # type: ignore[no-untyped-def]
        if cmd == getattr(fcntl, "F_OFD_SETLK", None):
            raise OSError(errno.EINVAL, "Invalid argument")
        return real(fd, cmd, arg)

    monkeypatch.setattr(fcntl, "fcntl", refuse_ofd)
    db = open_database(db_path)
    try:
        put(db, "test.key", "value")
        assert ofd_locks(db_path) == 0
        assert read_elsewhere(db_path, "test.key") == {"test.key": "value"}
    finally:
        db.dispose()
