"""The table models cost a command as little as they can when imported (issue 16, command-line latency)."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

from interviewkit.storage import models


def test_importing_the_models_builds_no_pydantic_schema() -> None:
    """Every command that opens the database imports the models; pydantic's validators are built only when a
    model is validated (nothing in a command does), not for the 29 tables at import. A fresh interpreter, so
    that no other test has built one."""
    script = textwrap.dedent("""
        from sqlmodel import SQLModel
        import interviewkit.storage.models as m
        tables = [c for c in vars(m).values()
                  if isinstance(c, type) and issubclass(c, SQLModel) and c.model_config.get("table")]
        assert len(tables) >= 28, len(tables)
        built = sorted(c.__name__ for c in tables if c.__pydantic_complete__)
        assert not built, built
        print(len(tables))
    """)
    source = str(Path(models.__file__).resolve().parents[2])  # the interviewkit these tests import
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in (source, os.environ.get("PYTHONPATH")) if p)}
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=False, env=env)
    assert done.returncode == 0, done.stderr


def test_a_table_model_still_validates_on_demand() -> None:
    row = models.Meta.model_validate({"key": "k", "value": "v"})
    assert (row.key, row.value) == ("k", "v")
    assert models.Meta.__pydantic_complete__
    assert models.Person.model_fields["email"].annotation is str
