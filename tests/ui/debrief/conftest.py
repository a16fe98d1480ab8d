"""The demo's hiring process in a fresh database per test, and a shown DebriefView for any person."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date

import pytest
from pytestqt.qtbot import QtBot

from interviewkit.bank.loader import load_settings
from interviewkit.paths import shipped_bank_dir
from interviewkit.services import demo, people
from interviewkit.services.access import LOCAL_ADMIN
from interviewkit.services.context import AppContext
from interviewkit.storage.db import Database
from interviewkit.ui.debrief.view import DebriefView

TODAY = date(2025, 3, 12)


@dataclass(frozen=True)
class Demo:
    """The demo database and who is who in it."""

    ctx: AppContext  # the debrief lead (the opening's hiring manager) is using the app
    lead_id: int
    people: dict[str, int]  # name -> id
    candidates: dict[str, int]  # scenario (demo.STRONG, demo.SPLIT, ...) -> candidate id

    @property
    def db(self) -> Database:
        return self.ctx.db

    def as_person(self, name: str) -> AppContext:
        return replace(self.ctx, user_id=self.people[name])


@pytest.fixture
def seeded(shipped_db: Database) -> Demo:
    # the first opening's round without decisions or earlier candidates: these tests record the first decisions
    demo.create_demo(shipped_db, shipped_bank_dir(), today=TODAY, by=LOCAL_ADMIN, history=False)
    directory = people.people(shipped_db)
    lead = next(p for p in directory if p.access_role == "hiring_manager")
    by_name = {c.name: c.id for c in people.candidates(shipped_db, by=LOCAL_ADMIN)}
    candidates = {c.scenario: by_name[c.name] for c in demo.CANDIDATES}
    settings = load_settings(shipped_bank_dir())
    ctx = AppContext(shipped_db, shipped_bank_dir(), settings, user_id=lead.id)
    return Demo(ctx, lead.id, {p.name: p.id for p in directory}, candidates)


@pytest.fixture
def open_view(qtbot: QtBot) -> Callable[[AppContext], DebriefView]:
    """Build, show and activate a DebriefView for a context (the person in ``ctx.user_id``)."""

    def make(ctx: AppContext) -> DebriefView:
        view = DebriefView()
        qtbot.addWidget(view)
        view.resize(1110, 750)  # what the section gets in a 1280 x 800 main window
        view.set_context(ctx)
        with qtbot.waitActive(view):
            view.show()
            view.activateWindow()
        return view

    return make
