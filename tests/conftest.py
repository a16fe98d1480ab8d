"""Shared fixtures: a fresh database per test, a small writable bank, offscreen Qt."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from interviewkit.paths import shipped_bank_dir  # noqa: E402

SEEDS = {
    "profile": shipped_bank_dir() / "job_descriptions" / "ml-eng-manager-profile.md",
    "ad": shipped_bank_dir() / "job_descriptions" / "ml-lead-lisbon-ad.txt",
}

QUESTION = """---
id: {qid}
title: {title}
competencies: [model-serving]
requirements:
  - ml-eng-manager-profile.production-ml-systems.05
  - ml-lead-lisbon-ad.ml-engineering-manager.05
kind: behavioural
level: manager
minutes: 10
follow_ups:
  - How did you find out?
  - What did you change afterwards?
rubric:
  1: Cannot name a concrete regression.
  2: Names a regression but not its cause.
  3: Gives p99 before and after and the cause found by profiling.
  4: As 3, and changed the release process so that it cannot recur silently.
red_flags:
  - Blames another team
---
{prompt}
"""


def write_question(root: Path, qid: str, *, title: str = "A latency regression", prompt: str | None = None,
                   folder: str = "questions/serving", text: str | None = None) -> Path:
    """Write a valid question file (or ``text`` verbatim) into a bank folder."""
    path = root / folder / f"{qid}.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    body = prompt or f"Tell me about a time the model API {qid} got slower after a release."
    path.write_text(text if text is not None else QUESTION.format(qid=qid, title=title, prompt=body), encoding="utf-8")
    return path


@pytest.fixture
def mini_bank(tmp_path: Path) -> Path:
    """A small valid bank: the shipped settings, competencies and job descriptions, three questions."""
    root = tmp_path / "bank"
    src = shipped_bank_dir()
    root.mkdir()
    shutil.copy(src / "bank.yaml", root / "bank.yaml")
    shutil.copy(src / "competencies.yaml", root / "competencies.yaml")
    shutil.copytree(src / "job_descriptions", root / "job_descriptions")
    write_question(root, "latency-regression", prompt="Tell me about a time a model API you owned got slower after a release.")
    write_question(root, "drift-incident", title="A model that drifted",
                   prompt="Walk me through the last time a model you owned degraded in production because its input data drifted.")
    write_question(root, "gpu-cost-cut", title="Cutting GPU serving cost",
                   prompt="How did you bring down the cost per prediction of a GPU-served model?")
    return root


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "test.sqlite"


@pytest.fixture
def db(db_path: Path):  # type: ignore[no-untyped-def]
    """A fresh, empty InterviewKit database in a temporary file."""
    from interviewkit.storage.db import open_database

    database = open_database(db_path)
    yield database
    database.dispose()


@pytest.fixture
def bank_db(db, mini_bank):  # type: ignore[no-untyped-def]
    """A fresh database with the mini bank synced into it."""
    from interviewkit.services.bank_sync import sync_bank

    sync_bank(db, mini_bank)
    return db


@pytest.fixture(scope="session")
def shipped_db_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped bank synced once into a database file; tests get their own copy."""
    from interviewkit.services.bank_sync import sync_bank
    from interviewkit.storage.db import open_database

    path = tmp_path_factory.mktemp("template") / "shipped.sqlite"
    database = open_database(path)
    sync_bank(database, shipped_bank_dir())
    with database.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    database.dispose()
    return path


@pytest.fixture
def shipped_db(shipped_db_template: Path, tmp_path: Path):  # type: ignore[no-untyped-def]
    """A fresh copy of a database holding the whole shipped bank."""
    from interviewkit.storage.db import open_database

    path = tmp_path / "shipped.sqlite"
    shutil.copy(shipped_db_template, path)
    database = open_database(path)
    yield database
    database.dispose()
