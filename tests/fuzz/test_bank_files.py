"""Fuzzed bank files through ``bank check`` and ``bank sync``: question files (front matter and Markdown),
bank.yaml, competencies.yaml and loop templates.

Besides the contract of every case (:func:`tests.fuzz.support.run_cli`): ``bank check`` and ``bank sync``
agree. Whenever the bank's files have an error (what the loader reports, which ``check`` lists and exits 1
for), ``sync`` refuses with one line and leaves the database byte for byte as it was; when they have none,
``sync`` succeeds (``check`` may still fail on coverage: a question file that became a folder is a removed
question, and its requirements lose a question).
"""

from __future__ import annotations

import json
import os

import pytest
from hypothesis import given
from hypothesis import strategies as st

from interviewkit.bank.loader import load_bank
from tests.fuzz import strategies as fz
from tests.fuzz.support import (
    BANK_YAML,
    COMPETENCIES_YAML,
    LOOP_YAML,
    NORMAL,
    THOROUGH,
    Workspace,
    count,
    db_state,
    run_cli,
)


def check_then_sync(capsys: pytest.CaptureFixture[str], ws: Workspace, *, as_json: bool = False) -> None:
    argv = ["--bank", str(ws.bank), "bank", "check"] + (["--json"] if as_json else [])
    check = run_cli(capsys, *argv, allowed=(0, 1))
    if as_json:
        report = json.loads(check.out)
        assert (check.code == 1) == bool(report["errors"])
    before = db_state(ws.db)
    sync = run_cli(capsys, "--db", str(ws.db), "--bank", str(ws.bank), "bank", "sync", allowed=(0, 2))
    if sync.code == 2:
        assert "nothing was synced" in sync.err, sync.err
        assert db_state(ws.db) == before, "a refused sync changed the database"
    file_errors = bool(load_bank(ws.bank).errors)
    assert file_errors == (sync.code == 2), f"file errors: {file_errors}, sync said {sync.code}: {sync.err}"
    assert check.code == 1 or not file_errors
    count(f"check exit {check.code}, sync exit {sync.code}")


def _write(path: bytes, data: bytes) -> None:
    with open(path, "wb") as fh:
        fh.write(data)


def _question_case(capsys: pytest.CaptureFixture[str], ws: Workspace, case: tuple[bytes, bytes], as_json: bool) -> None:
    ws.fresh()
    name, data = case
    folder = ws.bank / "questions" / "fuzz"
    folder.mkdir()
    _write(os.path.join(os.fsencode(folder), name), data)
    check_then_sync(capsys, ws, as_json=as_json)


@NORMAL
@given(case=fz.question_files(), as_json=st.booleans())
def test_question_files(capsys: pytest.CaptureFixture[str], workspace: Workspace, case: tuple[bytes, bytes],
                        as_json: bool) -> None:
    _question_case(capsys, workspace, case, as_json)


@pytest.mark.slow
@THOROUGH
@given(case=fz.question_files(), as_json=st.booleans())
def test_question_files_thoroughly(capsys: pytest.CaptureFixture[str], workspace: Workspace,
                                   case: tuple[bytes, bytes], as_json: bool) -> None:
    _question_case(capsys, workspace, case, as_json)


BANK_FILES = {
    "bank.yaml": BANK_YAML,
    "competencies.yaml": COMPETENCIES_YAML,
    "loops/fuzz-loop.yaml": LOOP_YAML,
}


def _bank_file_case(capsys: pytest.CaptureFixture[str], ws: Workspace, which: str, data: bytes) -> None:
    ws.fresh()
    (ws.bank / which).write_bytes(data)
    check_then_sync(capsys, ws)


@NORMAL
@given(which=st.sampled_from(sorted(BANK_FILES)), data=st.data())
def test_bank_yaml_competencies_and_loop_templates(
    capsys: pytest.CaptureFixture[str], workspace: Workspace, which: str, data: st.DataObject
) -> None:
    _bank_file_case(capsys, workspace, which, data.draw(fz.bent_yaml(BANK_FILES[which])))


@pytest.mark.slow
@THOROUGH
@given(which=st.sampled_from(sorted(BANK_FILES)), data=st.data())
def test_bank_yaml_competencies_and_loop_templates_thoroughly(
    capsys: pytest.CaptureFixture[str], workspace: Workspace, which: str, data: st.DataObject
) -> None:
    _bank_file_case(capsys, workspace, which, data.draw(fz.bent_yaml(BANK_FILES[which])))


def test_the_clean_bank_passes_check_and_syncs(capsys: pytest.CaptureFixture[str], workspace: Workspace) -> None:
    workspace.fresh()
    assert run_cli(capsys, "--bank", str(workspace.bank), "bank", "check").code == 0
    assert (
        run_cli(capsys, "--db", str(workspace.db), "--bank", str(workspace.bank), "bank", "sync", "--force").code == 0
    )
