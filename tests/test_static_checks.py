"""The architecture rules as checks (docs/architecture.md), run by README's one test command.

Each test runs one tool of the test extra from this virtual environment, with its settings in
pyproject.toml, and fails with what the tool printed:

- ``ruff check``: lint of src/, tests/, benchmarks/ and scripts/;
- ``mypy``: types of every layer (domain, bank, storage, services, the small modules beside them, cli.py,
  the printer pdf/ and the screens ui/);
- ``lint-imports``: the layers, no Qt below the screens and the printer, the screens independent of each other
  and off the database.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent  # the venv's bin/ (Scripts\ on Windows)

pytestmark = pytest.mark.slow


def _check(tool: str, *args: str) -> None:
    exe = shutil.which(tool, path=str(BIN))
    if exe is None:
        pytest.fail(f"{tool} is not installed beside {sys.executable}: pip install -e '.[test]'")
    result = subprocess.run([exe, *args], cwd=ROOT, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        command = " ".join([tool, *args])
        pytest.fail(f"{command} (exit {result.returncode}):\n{result.stdout}{result.stderr}", pytrace=False)


def test_ruff_finds_nothing() -> None:
    _check("ruff", "check", "--no-cache", ".")


def test_mypy_finds_nothing() -> None:
    _check("mypy")


def test_the_import_contracts_hold() -> None:
    _check("lint-imports", "--no-cache")
