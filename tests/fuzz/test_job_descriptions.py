"""Fuzzed job descriptions through ``interviewkit jd import FILE`` (stored, and ``--dry-run --json``), and
as a file of the bank's ``job_descriptions/`` through ``bank check`` and ``bank sync``.

``jd import`` reads and parses the whole file before it opens the database: a refused file (exit 2, one
line) leaves the database byte for byte as it was.
"""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.fuzz import strategies as fz
from tests.fuzz.support import NORMAL, THOROUGH, Workspace, count, db_state, run_cli


def _import_case(capsys: pytest.CaptureFixture[str], ws: Workspace, data: bytes, dry_run: bool) -> None:
    ws.fresh()
    path = ws.file("platform-lead.md")
    path.write_bytes(data)
    before = db_state(ws.db)
    argv = ["--db", str(ws.db), "jd", "import", str(path)] + (["--dry-run", "--json"] if dry_run else [])
    result = run_cli(capsys, *argv, allowed=(0, 2))
    if result.code == 2 or dry_run:
        assert db_state(ws.db) == before
    if result.code == 0 and dry_run:
        parsed = json.loads(result.out)
        assert parsed["requirements"] and all(len(r["id"]) <= 200 for r in parsed["requirements"])
        assert len(parsed["title"]) <= 300
    count(f"exit {result.code}")


@NORMAL
@given(data=fz.job_descriptions(), dry_run=st.booleans())
def test_jd_import(capsys: pytest.CaptureFixture[str], workspace: Workspace, data: bytes, dry_run: bool) -> None:
    _import_case(capsys, workspace, data, dry_run)


@pytest.mark.slow
@THOROUGH
@given(data=fz.job_descriptions(), dry_run=st.booleans())
def test_jd_import_thoroughly(capsys: pytest.CaptureFixture[str], workspace: Workspace, data: bytes,
                              dry_run: bool) -> None:
    _import_case(capsys, workspace, data, dry_run)


def _bank_case(capsys: pytest.CaptureFixture[str], ws: Workspace, data: bytes) -> None:
    ws.fresh()
    (ws.bank / "job_descriptions" / "other-role.md").write_bytes(data)
    check = run_cli(capsys, "--bank", str(ws.bank), "bank", "check", allowed=(0, 1))
    before = db_state(ws.db)
    sync = run_cli(capsys, "--db", str(ws.db), "--bank", str(ws.bank), "bank", "sync", allowed=(0, 2))
    if sync.code == 2:
        assert db_state(ws.db) == before
        assert "job_descriptions/other-role.md" in sync.err  # the only file with an error
    # A readable document adds requirements no question covers: check fails on coverage, the sync goes on.
    assert check.code == 1 or sync.code == 0
    count(f"check exit {check.code}, sync exit {sync.code}")


@NORMAL
@given(data=fz.job_descriptions())
def test_a_job_description_in_the_bank(capsys: pytest.CaptureFixture[str], workspace: Workspace, data: bytes) -> None:
    _bank_case(capsys, workspace, data)


@pytest.mark.slow
@THOROUGH
@given(data=fz.job_descriptions())
def test_a_job_description_in_the_bank_thoroughly(capsys: pytest.CaptureFixture[str], workspace: Workspace,
                                                  data: bytes) -> None:
    _bank_case(capsys, workspace, data)
