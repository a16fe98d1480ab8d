"""README.md's key tables are the registry's (scripts/key_tables.py writes them), and its sections table names
each section's key as the window binds it."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path
from types import ModuleType

from interviewkit.ui.shell.registry import SECTIONS
from interviewkit.ui.widgets.shortcuts import KEYMAP, PLACES, key_of

ROOT = Path(__file__).resolve().parents[3]


def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("key_tables", ROOT / "scripts" / "key_tables.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_readme_key_tables_are_the_registry() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    script = _script()
    assert script.with_tables(readme) == readme, "run: python scripts/key_tables.py --write"
    for name in script.TABLES:
        assert f"<!-- keys: {name} -->" in readme


def test_every_registry_key_is_in_a_readme_table() -> None:
    script = _script()
    tabled = {place for places in script.TABLES.values() for place in places}
    assert {e.where for e in KEYMAP} <= tabled
    assert {e.where for e in KEYMAP} <= set(PLACES)


def test_the_sections_table_names_the_keys_the_window_binds() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for i, section in enumerate(SECTIONS):
        row = re.search(rf"^\| {re.escape(section.title)} \| ([^|]+) \|", readme, re.MULTILINE)
        assert row is not None, section.title
        assert row.group(1).strip() == key_of("sections", i)


def test_a_stale_table_is_found() -> None:
    script = _script()
    stale = "x\n<!-- keys: window -->\n| Key | Where | Action |\n| Ctrl+9 | anywhere | nothing |\n<!-- /keys -->\n"
    assert script.with_tables(stale) != stale
