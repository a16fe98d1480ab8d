"""A throwaway PostgreSQL cluster for the tests: initdb + pg_ctl, a unix socket in a temporary folder.

The cluster lives for one test session. It listens on a unix socket only (no TCP port), runs without
fsync (its data is thrown away), and trusts the ``postgres`` superuser on the socket while every other
role must give its password (scram-sha-256), so sign-in can be tested for real. As root, the server
runs as the ``postgres`` system user (PostgreSQL refuses to run as root).

Tests get databases by ``CREATE DATABASE t_N TEMPLATE ...`` from templates migrated once.
"""

from __future__ import annotations

import atexit
import contextlib
import glob
import itertools
import os
import pwd
import re
import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

__all__ = ["NO_PG_REASON", "PgServer", "find_pg_bin", "reap_stale_clusters"]

_PREFIX = "ik-pg-"

NO_PG_REASON = (
    "PostgreSQL server binaries (initdb, pg_ctl) not found in /usr/lib/postgresql/*/bin or on PATH; "
    "install them (Debian: apt-get install postgresql) or set INTERVIEWKIT_REQUIRE_PG=1 to fail instead"
)


def _version_key(path: str) -> tuple[int, ...]:
    return tuple(int(n) for n in re.findall(r"\d+", path)) or (0,)


def find_pg_bin() -> Path | None:
    """The folder of the newest installed PostgreSQL server binaries, or None."""
    env = os.environ.get("INTERVIEWKIT_PG_BIN")  # this folder only (e.g. another version, or none)
    if env:
        candidates = [env]
    else:
        candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=_version_key, reverse=True)
        found = shutil.which("pg_ctl")
        if found:
            candidates.append(str(Path(found).parent))
    for folder in candidates:
        if folder and (Path(folder) / "initdb").is_file() and (Path(folder) / "pg_ctl").is_file():
            return Path(folder)
    return None


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def reap_stale_clusters(bin_dir: Path) -> None:
    """Stop and remove the clusters of test sessions that were killed before they could clean up."""
    for root in Path(tempfile.gettempdir()).glob(_PREFIX + "*"):
        owner = root / "owner.pid"
        try:
            pid = int(owner.read_text())
        except (OSError, ValueError):
            continue
        if _alive(pid):
            continue
        as_postgres = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        subprocess.run([*as_postgres, str(bin_dir / "pg_ctl"), "-D", str(root / "data"), "-m", "immediate", "-w",
                        "stop"], capture_output=True, check=False)
        shutil.rmtree(root, ignore_errors=True)


class PgServer:
    """One running cluster. ``url(dbname)`` names a database on it as the superuser."""

    def __init__(self, bin_dir: Path) -> None:
        self.bin_dir = bin_dir
        reap_stale_clusters(bin_dir)
        self.root = Path(tempfile.mkdtemp(prefix=_PREFIX))
        (self.root / "owner.pid").write_text(str(os.getpid()))
        self.data = self.root / "data"
        self.socket_dir = self.root
        self.port = 5432  # only names the socket file; no TCP
        self._as_postgres: list[str] = []
        if os.geteuid() == 0:
            pw = pwd.getpwnam("postgres")
            os.chown(self.root, pw.pw_uid, pw.pw_gid)
            self._as_postgres = ["runuser", "-u", "postgres", "--"]
        self._counter = itertools.count(1)
        self._templates: dict[str, str] = {}
        self.started = False

    def _run(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([*self._as_postgres, *args], capture_output=True, text=True, check=True, cwd=self.root)

    def start(self) -> None:
        self._run(
            str(self.bin_dir / "initdb"), "-D", str(self.data), "-U", "postgres", "-E", "UTF8", "--locale=C.UTF-8",
            "--no-sync", "--auth-local=trust", "--auth-host=scram-sha-256",
        )
        # The superuser is trusted on the socket; other roles sign in with a password.
        (self.data / "pg_hba.conf").write_text("local all postgres trust\nlocal all all scram-sha-256\n")
        options = (
            f"-k {self.socket_dir} -c listen_addresses='' -p {self.port} -c fsync=off -c synchronous_commit=off "
            "-c full_page_writes=off -c max_connections=200 -c shared_buffers=32MB"
        )
        self._run(str(self.bin_dir / "pg_ctl"), "-D", str(self.data), "-l", str(self.root / "log"), "-o", options,
                  "-w", "-t", "60", "start")
        self.started = True
        atexit.register(self.stop)  # also when the session ends without its fixtures' teardown

    def stop(self) -> None:
        if self.started:
            with contextlib.suppress(subprocess.CalledProcessError):
                self._run(str(self.bin_dir / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop")
            self.started = False
        shutil.rmtree(self.root, ignore_errors=True)

    def url(self, dbname: str = "postgres", *, user: str = "postgres", password: str | None = None) -> str:
        auth = user if password is None else f"{user}:{password}"
        return f"postgresql+psycopg://{auth}@/{dbname}?host={self.socket_dir}&port={self.port}"

    def execute(self, sql: str, dbname: str = "postgres") -> list[tuple[object, ...]]:
        """Run SQL as the superuser, outside a transaction (CREATE DATABASE needs that)."""
        import psycopg

        with psycopg.connect(host=str(self.socket_dir), port=self.port, user="postgres", dbname=dbname,
                             autocommit=True) as conn:
            cur = conn.execute(sql)  # type: ignore[arg-type]
            return list(cur.fetchall()) if cur.description else []

    def template(self, name: str, prepare: Callable[[str], None]) -> str:
        """A template database, made once by ``prepare(url)`` (which must close its connections)."""
        if name not in self._templates:
            self.execute(f'CREATE DATABASE "{name}"')
            prepare(self.url(name))
            self._templates[name] = name
        return name

    def new_database(self, template: str | None = None) -> str:
        """A fresh database (a copy of ``template``, or empty); returns its name."""
        name = f"t_{os.getpid()}_{next(self._counter)}"
        if template:
            for attempt in range(50):
                try:
                    self.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
                    break
                except Exception as exc:  # the template may still be in use for an instant
                    if "being accessed by other users" not in str(exc) or attempt == 49:
                        raise
                    time.sleep(0.1)
        else:
            self.execute(f'CREATE DATABASE "{name}"')
        return name

    def drop_database(self, name: str) -> None:
        with contextlib.suppress(Exception):  # best effort: the cluster is thrown away anyway
            self.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
