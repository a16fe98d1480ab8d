"""Fixtures of the fuzz suite (see :mod:`tests.fuzz.support`); thousands of cases only with ``-m slow``."""

from __future__ import annotations

from pathlib import Path

import pytest

from interviewkit.cli import main
from tests.fuzz.support import Workspace, write_bank

HERE = Path(__file__).parent


@pytest.fixture(scope="session")
def fuzz_template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(clean bank, database file with it synced), made once; cases work on copies."""
    base = tmp_path_factory.mktemp("fuzz-template")
    bank = write_bank(base / "bank")
    db = base / "synced.sqlite"
    code = main(["--db", str(db), "--bank", str(bank), "bank", "sync"])
    assert code == 0
    assert not Path(f"{db}-wal").exists()
    return bank, db


@pytest.fixture
def workspace(tmp_path: Path, fuzz_template: tuple[Path, Path]) -> Workspace:
    return Workspace(tmp_path, fuzz_template)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """The thousands of cases (marked slow) run only when the marker is asked for: ``-m slow``."""
    expr = config.getoption("markexpr") or ""
    if "slow" in expr and "not slow" not in expr:
        return
    skip = pytest.mark.skip(reason="thousands of fuzz cases: run them with -m slow")
    for item in items:
        if item.get_closest_marker("slow") and HERE in Path(str(item.fspath)).parents:
            item.add_marker(skip)
