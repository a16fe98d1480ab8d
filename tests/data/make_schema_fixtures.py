"""Remake the database fixtures of earlier schemas: each one written by the InterviewKit of its time.

    python tests/data/make_schema_fixtures.py [SCHEMA ...]

For each schema 0002..0015 the commit named in SCHEMAS is checked out in a temporary git worktree (the last
commit before the next migration was added; for 0008 the last before the bank's second edition, whose
shipped bank synced), and its own code does what ``interviewkit demo`` does into a new database with its
own shipped bank. The file is then checkpointed into one file in rollback-journal mode and vacuumed; nothing
else is changed in it. Schema 0001 is interviewkit-0.1.0.sqlite (release 0.1.0 had no demo yet: a synced
bank). A later schema gets its line here when the next migration is added.

tests/storage/test_schema_fixtures.py opens each one with today's code.
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent

# schema -> the commit whose code wrote it
SCHEMAS = {
    "0002": "f547830",
    "0003": "0426b99",
    "0004": "e4e0aca",
    "0005": "6c7eaa4",
    "0006": "40ea5a4",
    "0007": "b8cf159",
    "0008": "1cf6cbc",
    "0009": "18bf5d7",
    "0010": "7622cdd",
    "0011": "58acaa9",
    "0012": "9dcb2dd",
    "0013": "e4df7e1",
    "0014": "6d05b52",
    "0015": "df73e77",
}


# What `interviewkit demo` does (the command came after the service): sync the shipped bank, then the demo;
# the services' `by` argument came later too.
DEMO = """
import inspect, sys
from interviewkit.paths import shipped_bank_dir
from interviewkit.services.bank_sync import sync_bank
from interviewkit.services.demo import create_demo
from interviewkit.storage.db import open_database

def by(func):
    if "by" not in inspect.signature(func).parameters:
        return {}
    from interviewkit.services.access import LOCAL_ADMIN
    return {"by": LOCAL_ADMIN}

db = open_database(sys.argv[1])
sync_bank(db, shipped_bank_dir(), **by(sync_bank))
print(create_demo(db, shipped_bank_dir(), **by(create_demo)).summary())
db.dispose()
"""


def fixture_path(revision: str) -> Path:
    return HERE / f"interviewkit-schema-{revision}.sqlite"


def make(revision: str, commit: str) -> Path:
    target = fixture_path(revision)
    target.unlink(missing_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        tree = Path(tmp) / "tree"
        subprocess.run(["git", "worktree", "add", "--detach", str(tree), commit], cwd=ROOT, check=True,
                       capture_output=True)
        try:
            env = {"PYTHONPATH": str(tree / "src"), "HOME": tmp, "PATH": "/usr/bin:/bin"}
            subprocess.run([sys.executable, "-c", DEMO, str(target)], cwd=tmp, env=env, check=True)
        finally:
            subprocess.run(["git", "worktree", "remove", "--force", str(tree)], cwd=ROOT, check=True)
    con = sqlite3.connect(target)
    try:
        found = con.execute("SELECT version_num FROM alembic_version").fetchone()
        if found != (revision,):
            raise SystemExit(f"{commit} wrote schema {found}, not {revision}")
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        con.execute("PRAGMA journal_mode=DELETE")
        con.execute("VACUUM")
    finally:
        con.close()
    return target


def main() -> int:
    wanted = sys.argv[1:] or list(SCHEMAS)
    for revision, commit in ((r, SCHEMAS[r]) for r in wanted):
        path = make(revision, commit)
        print(f"{path.name}: schema {revision}, written by {commit}, {path.stat().st_size // 1024} KiB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
