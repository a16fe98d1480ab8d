"""``interviewkit db copy --from URL --to URL``: counts and hashes per table, refusal of a full target."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from interviewkit.bank.loader import load_bank
from interviewkit.cli import main
from interviewkit.paths import shipped_bank_dir

# The shipped bank's size (it is edited: its counts are read, not written down here).
_BANK = load_bank(shipped_bank_dir())
QUESTIONS = len(_BANK.questions)
REQUIREMENTS = sum(len(jd.requirements) for jd in _BANK.job_descriptions)


def test_db_copy_prints_each_table_and_refuses_to_copy_twice(capsys: pytest.CaptureFixture[str], make_db,  # type: ignore[no-untyped-def]
                                                            tmp_path: Path) -> None:
    source = make_db("source", "shipped")
    target = str(tmp_path / "copy.sqlite")
    assert main(["db", "copy", "--from", source, "--to", target]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Copied ") and f"search index rebuilt for {QUESTIONS} questions" in out
    assert re.search(rf"^question\s+{QUESTIONS}\s+[0-9a-f]{{16}}$", out, re.M)
    assert re.search(rf"^requirement\s+{REQUIREMENTS}\s+[0-9a-f]{{16}}$", out, re.M)
    assert out.rstrip().endswith(
        "Verified: every table has the same number of rows and the same content in both databases."
    )

    assert main(["db", "copy", "--from", source, "--to", target]) == 2
    err = capsys.readouterr().err
    assert err.startswith("interviewkit: error: ") and "already holds data" in err and err.count("\n") == 1

    assert main(["db", "copy", "--from", source, "--to", str(tmp_path / "second.sqlite"), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["ok"] and {t["table"]: t["target_rows"] for t in data["tables"]}["question"] == QUESTIONS
    assert all(t["source_sha256"] == t["target_sha256"] for t in data["tables"])
