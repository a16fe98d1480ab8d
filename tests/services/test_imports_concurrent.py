"""Two processes import the same file at once: it is written once, and both finish cleanly.

Issue 13 measured, before import receipts: the same ratings CSV imported by two processes at once was
stored twice on SQLite in 9 of 10 runs (360 scorecards instead of 180, two "Imported ratings" openings,
both exiting 0), and crashed the second import with a traceback on PostgreSQL in 8 of 10; two copies of
one exchange file crashed in 3 of 10 runs on each database. Here each process is a separate copy of the
command line (multiprocessing, spawn) running ``interviewkit scorecards import`` / ``import-files`` through
``main``; both start together at a barrier. Every run must end with one import and one "already
imported", both exiting 0, no traceback, and the data there exactly once.
"""

from __future__ import annotations

import contextlib
import io
import json
import multiprocessing as mp
import shutil
import traceback
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from interviewkit.services import signing
from interviewkit.services.access import LOCAL_ADMIN
from interviewkit.storage.db import Database, open_database
from interviewkit.storage.models import ImportReceipt, Opening, Rating, Scorecard

RUNS = 3  # per backend and kind of file; the report's figures come from 10 runs of the same code
COMPETENCIES = ("model-serving", "ml-system-design")


def ratings_csv(path: Path) -> Path:
    """60 candidates, each rated by 3 of 6 interviewers on 2 competencies: 180 scorecards, 360 ratings."""
    lines = ["candidate,interviewer,competency,score,date"]
    for c in range(60):
        for k in range(3):
            who = f"i{(c + 2 * k) % 6}"
            for comp in COMPETENCIES:
                lines.append(f"c{c:02d},{who},{comp},{1 + (c + k) % 4},2025-0{1 + c % 9}-1{k}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def run_cli(argv: list[str], barrier: Any) -> dict[str, Any]:
    """One copy of the command line: its exit code and what it printed, or the traceback that escaped."""
    from interviewkit.cli import main

    out, err = io.StringIO(), io.StringIO()
    try:
        barrier.wait(120)
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(argv)
    except BaseException:  # noqa: BLE001 - exactly what this test hunts
        return {"code": None, "out": out.getvalue(), "err": err.getvalue() + traceback.format_exc()}
    return {"code": code, "out": out.getvalue(), "err": err.getvalue()}


def _race(argv: list[str]) -> list[dict[str, Any]]:
    ctx = mp.get_context("spawn")
    with ctx.Manager() as manager:
        barrier = manager.Barrier(2)
        with ctx.Pool(2) as pool:
            pending = [pool.apply_async(run_cli, (argv, barrier)) for _ in range(2)]
            return [p.get(timeout=240) for p in pending]


def _url(db: Database) -> str:
    return db.url.render_as_string(hide_password=False)


def _count(db: Database, model: Any, *where: Any) -> int:
    with db.session() as s:
        return int(s.scalar(select(func.count()).select_from(model).where(*where)) or 0)


@pytest.mark.slow
def test_two_processes_import_the_same_ratings_csv_once(make_db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    csv = ratings_csv(tmp_path / "history.csv")
    for run in range(RUNS):
        db = open_database(make_db(f"csv{run}", "shipped"))
        try:
            results = _race(["--db", _url(db), "scorecards", "import", str(csv)])
            for r in results:
                assert r["code"] == 0 and r["err"] == "" and "Traceback" not in r["out"], r
            outs = sorted(r["out"] for r in results)
            assert outs[0].startswith("Imported 360 ratings from history.csv: 180 scorecards"), outs
            assert outs[1].startswith("Nothing imported from history.csv: this file was already imported"), outs
            assert _count(db, Scorecard) == 180 and _count(db, Rating) == 360
            assert _count(db, Opening, Opening.title == "Imported ratings") == 1
            assert _count(db, ImportReceipt) == 1
        finally:
            db.dispose()


@pytest.mark.slow
def test_two_processes_import_the_same_exchange_file_once(shipped_db_template: Path, make_db,  # type: ignore[no-untyped-def]
                                                          tmp_path: Path) -> None:
    from tests.services.test_exchange import ANA, submit
    from tests.ui.cockpit.conftest import plan_stage

    laptop_path = tmp_path / "laptop.sqlite"
    shutil.copy(shipped_db_template, laptop_path)
    laptop = open_database(laptop_path)
    planned = plan_stage(laptop)
    key, _ = signing.create_key(ANA)
    from interviewkit.services.exchange import write_export

    card = write_export(laptop, submit(planned), tmp_path / "card.json", by=LOCAL_ADMIN)
    laptop.dispose()
    for run in range(RUNS):
        db = open_database(make_db(f"lead{run}", "shipped"))
        try:
            plan_stage(db)
            signing.set_person_key(db, ANA, signing.public_key_of(key), reason="checked", by=LOCAL_ADMIN)
            results = _race(["--db", _url(db), "scorecards", "import-files", str(card), "--json"])
            for r in results:
                assert r["code"] == 0 and r["err"] == "", r
            statuses = sorted(json.loads(r["out"])[0]["status"] for r in results)
            assert statuses == ["imported", "unchanged"], results
            assert any(json.loads(r["out"])[0]["message"].startswith("already imported") for r in results)
            assert _count(db, Scorecard) == 1 and _count(db, ImportReceipt) == 1
        finally:
            db.dispose()
