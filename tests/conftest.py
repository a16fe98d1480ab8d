"""Shared fixtures: a fresh database per test, a small writable bank, offscreen Qt.

Databases come from two backends. Tests under tests/storage, tests/services and tests/cli
that use a database fixture (``db``, ``bank_db``, ``shipped_db``, ``db_url``, ``make_db``) run twice: on
SQLite and on a throwaway PostgreSQL cluster started once per session (tests/pgserver.py), where each
test gets its own database copied from a migrated template. UI tests, and tests marked
``sqlite_only``, run on SQLite alone. Without PostgreSQL binaries the PostgreSQL runs are skipped with
the reason, unless INTERVIEWKIT_REQUIRE_PG=1, which makes them fail.
"""

from __future__ import annotations

import gc
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from interviewkit.paths import shipped_bank_dir
from interviewkit.services.access import LOCAL_ADMIN

BACKENDS = ("sqlite", "postgresql")
# Test folders whose database tests run on every backend; the others (the UI) run on SQLite only.
EVERY_BACKEND = ("storage", "services", "cli")
_TESTS = Path(__file__).parent


def _runs_on_every_backend(path: Path) -> bool:
    try:
        rel = path.relative_to(_TESTS)
    except ValueError:
        return False
    return len(rel.parts) > 1 and rel.parts[0] in EVERY_BACKEND


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "backend" not in metafunc.fixturenames:
        return
    if metafunc.definition.get_closest_marker("sqlite_only") or not _runs_on_every_backend(metafunc.definition.path):
        return  # the backend fixture gives "sqlite"
    metafunc.parametrize("backend", BACKENDS, indirect=True)


@pytest.fixture(autouse=True, scope="session")
def _collect_in_main_thread() -> Iterator[None]:
    """As in the app (ui/widgets/collector.py): no automatic cycle collection, which could run in a worker
    thread and destroy a Qt object there; what is due is collected between tests, in the main thread."""
    gc.disable()
    yield
    gc.enable()


@pytest.fixture(autouse=True)
def _collect_due() -> Iterator[None]:
    yield
    from interviewkit.ui.widgets.collector import collect_due

    collect_due()


@pytest.fixture(autouse=True)
def _journal_dir(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The cockpit's recovery journal in a folder of the test's own, never the user's data folder."""
    folder = tmp_path_factory.mktemp("journal")
    monkeypatch.setenv("INTERVIEWKIT_JOURNAL_DIR", str(folder))
    return folder


@pytest.fixture(autouse=True, scope="session")
def _cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Derived data the app caches (the suggestion ranker) in a folder of the test session's own, never the
    user's cache folder; shared by the session's tests, as the cache is keyed by everything it derives from."""
    folder = tmp_path_factory.mktemp("cache")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("INTERVIEWKIT_CACHE_DIR", str(folder))
        yield folder


@pytest.fixture(autouse=True)
def _key_store(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Signing keys in files in a folder of the test's own: never the system keyring, never the user's keys."""
    folder = tmp_path_factory.mktemp("keys")
    monkeypatch.setenv("INTERVIEWKIT_KEY_STORE", "file")
    monkeypatch.setenv("INTERVIEWKIT_KEY_DIR", str(folder))
    return folder


@pytest.fixture(scope="session")
def pg_server():  # type: ignore[no-untyped-def]
    """The session's PostgreSQL cluster (started on first use), or a skip/failure saying why not."""
    from tests.pgserver import NO_PG_REASON, PgServer, find_pg_bin

    bin_dir = find_pg_bin()
    if bin_dir is None:
        if os.environ.get("INTERVIEWKIT_REQUIRE_PG") == "1":
            pytest.fail("INTERVIEWKIT_REQUIRE_PG=1 but " + NO_PG_REASON, pytrace=False)
        pytest.skip(NO_PG_REASON)
    server = PgServer(bin_dir)
    try:
        server.start()
    except Exception as exc:  # noqa: BLE001 - any failure to start is reported as the reason to skip or fail
        server.stop()
        detail = getattr(exc, "stderr", "") or exc
        pytest.fail(f"could not start a PostgreSQL cluster with {bin_dir}: {detail}", pytrace=False)
    yield server
    server.stop()


def _pg_migrate(url: str) -> None:
    from interviewkit.storage.db import open_database

    open_database(url).dispose()


def _pg_shipped(url: str) -> None:
    from interviewkit.services.bank_sync import sync_bank
    from interviewkit.storage.db import open_database

    database = open_database(url)
    sync_bank(database, shipped_bank_dir(), by=LOCAL_ADMIN)
    database.dispose()


@pytest.fixture
def backend(request: pytest.FixtureRequest) -> str:
    """The database backend this test runs on: "sqlite" or "postgresql"."""
    name = getattr(request, "param", "sqlite")
    if name == "postgresql":
        request.getfixturevalue("pg_server")
    return name


@pytest.fixture
def make_db(backend: str, tmp_path: Path, request: pytest.FixtureRequest):  # type: ignore[no-untyped-def]
    """A factory of fresh database URLs (paths on SQLite) of this test's backend: ``make_db(name, template)``.

    ``template`` is "schema" (migrated, empty), "shipped" (the shipped bank synced) or None (nothing at
    all: on PostgreSQL an empty database, on SQLite a file not created yet).
    """
    def make(name: str = "test", template: str | None = "schema") -> str:
        if backend == "sqlite":
            path = tmp_path / f"{name}.sqlite"
            if template == "shipped":
                shutil.copy(request.getfixturevalue("shipped_db_template"), path)
            return str(path)
        server = request.getfixturevalue("pg_server")
        source = {
            "schema": lambda: server.template("ik_template", _pg_migrate),
            "shipped": lambda: server.template("ik_shipped", _pg_shipped),
            None: lambda: None,
        }[template]()
        dbname = server.new_database(source)
        request.addfinalizer(lambda: server.drop_database(dbname))
        return server.url(dbname)

    return make


@pytest.fixture
def db_url(backend: str, make_db, request: pytest.FixtureRequest) -> str:  # type: ignore[no-untyped-def]
    """The URL (on SQLite: the path, ``db_path``) of a fresh database of this test's backend."""
    if backend == "sqlite":
        return str(request.getfixturevalue("db_path"))
    return str(make_db())


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
evidence:
  - Names a concrete regression with p99 before and after
  - Names the cause and how it was found (profiling, traces)
  - Changed the release process so that it cannot recur silently
thresholds:
  2: any 1
  3: 1, 2
  4: all
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
    write_question(
        root, "latency-regression", prompt="Tell me about a time a model API you owned got slower after a release."
    )
    write_question(
        root,
        "drift-incident",
        title="A model that drifted",
        prompt="Walk me through the last time a model you owned degraded in production because its input data drifted.",
    )
    write_question(root, "gpu-cost-cut", title="Cutting GPU serving cost",
                   prompt="How did you bring down the cost per prediction of a GPU-served model?")
    return root


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "test.sqlite"


@pytest.fixture
def db(db_url: str):  # type: ignore[no-untyped-def]
    """A fresh, empty InterviewKit database (a temporary file, or a PostgreSQL database)."""
    from interviewkit.storage.db import open_database

    database = open_database(db_url)
    yield database
    database.dispose()


@pytest.fixture
def bank_db(db, mini_bank):  # type: ignore[no-untyped-def]
    """A fresh database with the mini bank synced into it."""
    from interviewkit.services.bank_sync import sync_bank

    sync_bank(db, mini_bank, by=LOCAL_ADMIN)
    return db


@pytest.fixture(scope="session")
def shipped_db_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped bank synced once into a database file; tests get their own copy."""
    from interviewkit.services.bank_sync import sync_bank
    from interviewkit.storage.db import open_database

    path = tmp_path_factory.mktemp("template") / "shipped.sqlite"
    database = open_database(path)
    sync_bank(database, shipped_bank_dir(), by=LOCAL_ADMIN)
    with database.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    database.dispose()
    return path


@pytest.fixture
def shipped_db(make_db):  # type: ignore[no-untyped-def]
    """A fresh copy of a database holding the whole shipped bank."""
    from interviewkit.storage.db import open_database

    database = open_database(make_db("shipped", "shipped"))
    yield database
    database.dispose()
