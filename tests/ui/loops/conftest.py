"""Fixtures for the Loops section: the shipped bank plus a loop template of our own, people and a candidate.

The template lives in the test bank (not in the shipped one) so these tests do not depend on which
templates the shipped bank carries. The bank is synced once per session; each test gets its own copy.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings

from interviewkit.bank.loader import load_settings
from interviewkit.paths import shipped_bank_dir
from interviewkit.services.access import LOCAL_ADMIN
from interviewkit.services.changes import Changes, changes_of
from interviewkit.services.context import AppContext
from interviewkit.storage.db import Database
from interviewkit.ui.shell.section import SectionWidget

TEMPLATE_ID = "test-em-loop"
TEMPLATE = """\
id: test-em-loop
name: ML Engineering Manager, test loop
description: Six interviews covering the whole ML Engineering Manager profile.
job_descriptions: [ml-eng-manager-profile, ml-lead-lisbon-ad]
stages:
  - name: Hiring manager screen
    minutes: 45
    focus: [people-leadership, technical-strategy]
    questions:
      [formative-experience-in-leading-ml-engineers, technical-depth-vs-people-management, ml-engineer-career-growth]
  - name: ML system design
    minutes: 60
    focus: [ml-system-design, model-serving, cloud-infra]
    questions: [realtime-batch-fraud-scoring-gcp, serving-framework-choice-triton-vs-fastapi]
  - name: Production ML and MLOps
    minutes: 60
    focus: [mlops-cicd, monitoring-drift, model-governance]
    questions: [drift-incident-retraining, ml-cicd-pipeline-you-built, model-release-validation-gate]
  - name: Data and platforms
    minutes: 45
    focus: [data-pipelines, distributed-training, cloud-infra]
    questions: [point-in-time-feature-consistency, large-scale-spark-ray-dask-job, ml-workloads-on-kubernetes]
  - name: People and hiring
    minutes: 60
    focus: [people-leadership, hiring-team-building]
    questions: [hard-feedback-to-strong-engineer, underperformer-turnaround-ml-engineer, first-ml-hires-interview-loop]
  - name: Delivery and stakeholders
    minutes: 45
    focus: [delivery-management, stakeholder-communication]
    questions:
      [ml-delivery-slip-stakeholder-news, ml-roadmap-with-product-manager, ml-estimate-before-feasibility-known]
"""


def write_loop_bank(root: Path) -> Path:
    """A copy of the shipped bank with the test loop template in ``loops/``."""
    shutil.copytree(shipped_bank_dir(), root)
    (root / "loops").mkdir(exist_ok=True)
    (root / "loops" / f"{TEMPLATE_ID}.yaml").write_text(TEMPLATE, encoding="utf-8")
    return root


@pytest.fixture(scope="session")
def loop_bank_template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(bank folder, database file) with the bank and its loop template synced, made once per session."""
    from interviewkit.services.bank_sync import sync_bank
    from interviewkit.storage.db import open_database

    base = tmp_path_factory.mktemp("loop-bank")
    bank = write_loop_bank(base / "bank")
    path = base / "loops.sqlite"
    database = open_database(path)
    report = sync_bank(database, bank, by=LOCAL_ADMIN)
    assert f"loop template {TEMPLATE_ID} added" in report.other_changes, report.problems
    with database.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    database.dispose()
    return bank, path


@dataclass
class Seed:
    """What each test starts with besides the bank."""

    ctx: AppContext
    candidate_id: int
    other_candidate_id: int
    people: dict[str, int]


@pytest.fixture
def loop_db(loop_bank_template: tuple[Path, Path], tmp_path: Path):  # type: ignore[no-untyped-def]
    from interviewkit.storage.db import open_database

    path = tmp_path / "loops.sqlite"
    shutil.copy(loop_bank_template[1], path)
    database = open_database(path)
    yield database
    database.dispose()


@pytest.fixture
def seed(loop_db: Database, loop_bank_template: tuple[Path, Path]) -> Seed:
    """Three interviewers, an opening drawing on both job descriptions, two candidates."""
    from interviewkit.services import people as p

    bank = loop_bank_template[0]
    ids = {}
    for name, email, title in (
        ("Ana Ortiz", "ana@example.com", "ML Lead"),
        ("Ben Chen", "ben@example.com", "Staff Engineer"),
        ("Chidi Diallo", "chidi@example.com", "Head of Data"),
    ):
        role = "coordinator" if name == "Chidi Diallo" else "interviewer"
        ids[name] = p.create_person(loop_db, name=name, email=email, title=title, access_role=role, by=LOCAL_ADMIN).id
    opening = p.create_opening(
        loop_db,
        title="ML Engineering Manager",
        jd_ids=["ml-eng-manager-profile", "ml-lead-lisbon-ad"],
        hiring_manager_id=ids["Ana Ortiz"],
        by=LOCAL_ADMIN,
    )
    priya = p.create_candidate(
        loop_db, name="Priya Natarajan", opening_id=opening.id, email="priya@example.com", by=LOCAL_ADMIN
    )
    other = p.create_candidate(loop_db, name="Tomás Reyes", opening_id=opening.id, by=LOCAL_ADMIN)
    ctx = AppContext(loop_db, bank, load_settings(bank), user_id=ids["Chidi Diallo"])  # a coordinator plans loops
    return Seed(ctx, priya.id, other.id, ids)


class DeferredHost:
    """A screen's host that keeps each write until the test lets it run, as the window's thread pool would:
    meanwhile the screen shows it is busy; then the write runs, ``done`` shows its result, and the changes
    reach the screen."""

    def __init__(self, section: SectionWidget) -> None:
        self.section = section
        self.settings = QSettings()
        self.messages: list[str] = []
        self.pending: list[tuple[str, Callable[[], None]]] = []

    def run(
        self,
        work: Callable[[], Any],
        done: Callable[[Any], None] | None = None,
        *,
        busy: str,
        failed: Callable[[BaseException], None] | None = None,
        changes: Changes | None = None,
    ) -> None:
        def finish() -> None:
            try:
                result = work()
            except Exception as exc:
                if failed is None:
                    raise
                failed(exc)
                return
            if done is not None:
                done(result)
            found = changes_of(result) or changes
            if found:
                self.section.apply_changes(found)

        self.pending.append((busy, finish))

    @property
    def busy(self) -> list[str]:
        return [label for label, _ in self.pending]

    def finish_all(self) -> None:
        while self.pending:
            self.pending.pop(0)[1]()

    def notify(self, text: str, msecs: int = 8000) -> None:
        self.messages.append(text)

    def navigate(self, key: str, target: object = None) -> None:
        pass

    def broadcast(self, changes: Changes) -> None:
        self.section.apply_changes(changes)


def open_loops_view(qtbot: Any, seed: Seed, host: Any = None) -> Any:
    """The Loops screen over the seed's database, shown and active, as a person would find it (with ``host``,
    a DeferredHost, its writes wait for the test)."""
    from interviewkit.ui.loops.view import LoopsView  # (Qt widgets: imported by the tests that show one)

    view = LoopsView()
    qtbot.addWidget(view)
    if host is not None:
        host.section = view
        view.set_host(host)
    view.resize(1200, 760)
    view.set_context(seed.ctx)
    with qtbot.waitActive(view):
        view.show()
        view.activateWindow()
    return view
