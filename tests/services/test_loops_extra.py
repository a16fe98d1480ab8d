"""template_stages: a loop template's stages, read before a loop is created from it."""

from __future__ import annotations

from pathlib import Path

import pytest

from interviewkit.services.access import LOCAL_ADMIN
from interviewkit.services.bank_sync import sync_bank
from interviewkit.services.errors import NotFound
from interviewkit.services.loops import TemplateStage, template_stages
from interviewkit.storage.db import Database

TEMPLATE = """\
id: mini-loop
name: Mini loop
job_descriptions: [ml-eng-manager-profile]
stages:
  - name: Serving
    minutes: 30
    focus: [model-serving]
    questions: [latency-regression, gpu-cost-cut]
  - name: Drift
    minutes: 20
    focus: [monitoring-drift, model-serving]
    questions: [drift-incident]
"""


def test_template_stages_in_order(db: Database, mini_bank: Path) -> None:
    (mini_bank / "loops").mkdir()
    (mini_bank / "loops" / "mini-loop.yaml").write_text(TEMPLATE, encoding="utf-8")
    sync_bank(db, mini_bank, by=LOCAL_ADMIN)
    assert template_stages(db, "mini-loop") == [
        TemplateStage(1, "Serving", 30, ("model-serving",), ("latency-regression", "gpu-cost-cut")),
        TemplateStage(2, "Drift", 20, ("monitoring-drift", "model-serving"), ("drift-incident",)),
    ]


def test_an_unknown_template_is_not_found(bank_db: Database) -> None:
    with pytest.raises(NotFound, match="no-such-loop"):
        template_stages(bank_db, "no-such-loop")
