"""db copy says how far it is (issue 17, point 6): a line per table, and for a large table every so many rows
how many of its rows are copied and the share of all rows; then it compares the hashes and says so."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from interviewkit.bank.loader import load_settings
from interviewkit.paths import shipped_bank_dir
from interviewkit.services.demo_large import create_large_demo
from interviewkit.storage import copy as copy_module
from interviewkit.storage.copy import copy_database
from interviewkit.storage.db import Database


def test_a_copy_reports_its_progress_row_by_row(
    shipped_db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    report = create_large_demo(shipped_db, load_settings(shipped_bank_dir()), scale=0.002)
    monkeypatch.setattr(copy_module, "_PROGRESS_ROWS", 1000)
    seen: list[str] = []
    copied = copy_database(shipped_db.url, tmp_path / "copy.sqlite", progress=seen.append)
    assert copied.ok
    lines = [s for s in seen if s.startswith("copying rating:")]
    assert lines and all(re.fullmatch(r"copying rating: [\d,]+ of [\d,]+ rows \(\d+% of all\)", s) for s in lines)
    assert lines[-1].split(" of ")[1].startswith(f"{report.ratings:,} rows")
    shares = [int(re.search(r"\((\d+)% of all\)", s).group(1)) for s in seen if "% of all" in s]  # type: ignore[union-attr]
    assert shares == sorted(shares) and "copied rating" in seen
    assert "comparing the rows' hashes of both databases" in seen
    assert seen[-1].startswith(f"verified: the {copied.rows:,} rows of {len(copied.tables)} tables have the same")
