"""Every command, run as each kind of person (``--as``), against the expected-access table in the repo.

``access_table.csv`` beside this file: one row per command, one column per person (the same people as
tests/services/access_table.csv, and ``local``: no ``--as``, the SQLite file's local operator, or the
database administrator's login). A cell is what the command did:

* ``ok``: exit 0;
* ``denied``: exit 2 with one line saying who may not do what (or that a deactivated person may do nothing);
* ``error``: exit 2 with one line for another reason (the input, the database);
* ``problems``: exit 1 (a check found problems, a file was refused).

A cell ``a|b`` is ``a`` on SQLite and ``b`` on PostgreSQL (``db init-team`` has nothing to set up in a file).

Commands that change nothing run on one copy of the world; the others on a fresh copy for each person the
table lets through (those it refuses share one copy, which must not change).
"""

from __future__ import annotations

import csv
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from interviewkit.cli import main
from interviewkit.storage.db import Database, open_database
from tests.services import test_access_table as world_of

TABLE = Path(__file__).with_name("access_table.csv")
ROLES = (*world_of.ROLES[:-1], "local")
EMAILS = {
    "interviewer_before": "amara.okafor@example.com",
    "interviewer_after": "priya.raghunathan@example.com",
    "coordinator": "chidi@example.com",
    "hm_own": "rita.figueiredo@example.com",
    "hm_other": "olga@example.com",
    "admin": "sofia.marques@example.com",
    "deactivated": "dee@example.com",
    "local": None,
}
JD = "# Data Platform Lead\n\n## Requirements\n\n- Runs a feature store in production\n- Coaches engineers\n"
CSV = "candidate,interviewer,competency,score\nc1,ann,model-serving,3\nc1,bob,model-serving,2\n"

# (command, changes the database?)
COMMANDS: dict[str, tuple[list[str], bool]] = {
    "bank check": (["bank", "check"], False),
    "bank coverage": (["bank", "coverage"], False),
    "bank sync --force": (["bank", "sync", "--force"], True),
    "jd import --dry-run": (["jd", "import", "{jd}", "--dry-run"], False),
    "jd import": (["jd", "import", "{jd}"], True),
    "jd list": (["jd", "list"], False),
    "jd suggest": (["jd", "suggest", "ml-eng-manager-profile"], False),
    "demo": (["demo"], True),
    "erase": (["erase", "5", "--yes"], True),
    "retention --dry-run": (["retention", "--dry-run"], False),
    "retention --days": (["retention", "--days", "30", "--yes"], True),
    "scorecards import-files": (["scorecards", "import-files", "{missing}"], True),
    "scorecards import": (["scorecards", "import", "{csv}"], True),
    "calibrate": (["calibrate", "--json"], False),
    "list people": (["list", "people"], False),
    "list scorecards": (["list", "scorecards", "--json"], False),
    "export scorecard (Priya's, Tomasz)": (["export", "scorecard", str(world_of.PRIYA_CARD), "-o", "{pdf}"], False),
    "export debrief (Tomasz)": (["export", "debrief", str(world_of.TOMASZ), "-o", "{pdf}"], False),
    "export kit (Amara's stage)": (["export", "kit", str(world_of.AMARA_STAGE), "-o", "{pdf}"], False),
    "export calibration": (["export", "calibration", "-o", "{pdf}"], False),
    "db copy": (["db", "copy", "--from", "{db}", "--to", "{copy}"], False),
    "db init-team": (["db", "init-team"], True),
    "db upgrade": (["db", "upgrade"], False),
    "db set-login": (["db", "set-login", "2", "--none"], True),
}


def _classify(code: int, err: str) -> str:
    if code == 0:
        return "ok"
    if code == 1:
        return "problems"
    lines = err.strip().splitlines()
    assert code == 2 and len(lines) == 1 and lines[0].startswith("interviewkit: error: "), (code, err)
    words = ("may not", "is inactive", "Nobody is signed in", "not visible", "only that person may")
    return "denied" if any(w in lines[0] for w in words) else "error"


def _table(backend: str = "sqlite") -> dict[str, dict[str, str]]:
    """A cell ``a|b`` is ``a`` on SQLite and ``b`` on PostgreSQL."""
    def pick(cell: str) -> str:
        return cell.split("|")[0 if backend == "sqlite" else 1] if "|" in cell else cell

    with TABLE.open(encoding="utf-8") as fh:
        return {r["command"]: {role: pick(r[role]) for role in ROLES} for r in csv.DictReader(fh)}


@pytest.fixture
def copies(backend: str, request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Callable[[], str]]:
    """Fresh copies of the access world (tests/services/test_access_table.py), as database URLs."""
    made: list[str] = []

    def make() -> str:
        world = request.getfixturevalue("fresh")()
        url = world.db.url.render_as_string(hide_password=False)
        world.db.dispose()
        made.append(url)
        return url

    yield make


fresh = world_of.fresh
_sqlite_world = world_of._sqlite_world


def _run(argv: list[str], url: str, role: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> str:
    files = {"{jd}": tmp_path / "lead.md", "{csv}": tmp_path / "history.csv", "{missing}": tmp_path / "no.json",
             "{pdf}": tmp_path / "out.pdf", "{copy}": tmp_path / f"copy-{role}.sqlite", "{db}": url}
    files["{jd}"].write_text(JD, encoding="utf-8")  # type: ignore[union-attr]
    files["{csv}"].write_text(CSV, encoding="utf-8")  # type: ignore[union-attr]
    args = [str(files.get(a, a)) for a in argv]
    who = ["--as", EMAILS[role]] if EMAILS[role] else []
    capsys.readouterr()
    code = main(["--db", url, *who, *args])
    return _classify(code, capsys.readouterr().err)


def _counts(url: str) -> dict[str, int]:
    db: Database = open_database(url)
    try:
        return world_of._counts(db)
    finally:
        db.dispose()


def test_the_table_names_every_command_once() -> None:
    assert set(_table()) == set(COMMANDS)


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_command(command: str, backend: str, copies: Callable[[], str], tmp_path: Path,
                 capsys: pytest.CaptureFixture[str]) -> None:
    argv, writes = COMMANDS[command]
    expected = _table(backend)[command]
    shared = copies()
    before = _counts(shared)
    observed = {}
    for role in ROLES:
        url = copies() if writes and expected[role] not in ("denied",) else shared
        observed[role] = _run(argv, url, role, tmp_path, capsys)
    assert observed == expected
    assert _counts(shared) == before
    if (tmp_path / "copy-local.sqlite").exists():
        shutil.rmtree(tmp_path / "copy-local.sqlite", ignore_errors=True)
