"""``jd import --suggest`` learns from the bank folder's labelled examples (competency_examples.yaml, issue 20
round four); a broken examples file is one line, exit 2, as a broken thesaurus is."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from interviewkit.cli import main
from interviewkit.paths import shipped_bank_dir

JD = """# Platform Lead

## Duties
- Run Kubernetes clusters for model serving
- Fluency in Spanish
"""


@pytest.mark.parametrize(
    ("examples", "says"),
    [
        ("- text: Coach engineers\n  competencies: []\n", "example 1: needs a list of competency ids"),
        ("- [a, b\n", "cannot be read as YAML"),  # with its line: competency_examples.yaml:2: ...
        ("text: x\n", "must be a list of examples"),
    ],
)
def test_a_broken_examples_file_is_one_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, db_url: str, examples: str, says: str
) -> None:
    bank = tmp_path / "bank"
    shutil.copytree(shipped_bank_dir(), bank)
    (bank / "competency_examples.yaml").write_text(examples, encoding="utf-8")
    path = tmp_path / "platform-lead.md"
    path.write_text(JD, encoding="utf-8")
    code = main(["--db", db_url, "--bank", str(bank), "jd", "import", str(path), "--dry-run", "--suggest"])
    out, err = capsys.readouterr()
    assert code == 2 and not out
    assert err.startswith("interviewkit: error: competency_examples.yaml") and err.strip().endswith(says)
    assert err.count("\n") == 1
