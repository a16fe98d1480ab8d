"""A planned stage for the interviewer (the cockpit's fixture), for the window's keyboard tests."""

from __future__ import annotations

import pytest

from interviewkit.storage.db import Database
from tests.ui.cockpit.conftest import Planned, plan_stage


@pytest.fixture
def planned(shipped_db: Database) -> Planned:
    return plan_stage(shipped_db)
