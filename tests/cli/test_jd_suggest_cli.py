"""``jd import`` of a document already in the database is refused unless ``--replace`` (issues 16 and 20);
``jd import --suggest`` and ``jd suggest`` give each requirement's questions with score and reason, or "no good
match in the bank"."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from interviewkit.cli import main

JD = """# Platform Lead

## Duties
- Run Kubernetes clusters for model serving
- Detect data drift in production models and trigger retraining
- Fluency in Spanish
"""


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def _list(capsys: pytest.CaptureFixture[str], db: str) -> list[dict[str, object]]:
    code, out, _ = run(capsys, "--db", db, "jd", "list", "--json")
    assert code == 0
    return [d for d in json.loads(out) if d["origin"] == "import"]


def test_import_again_says_so_and_replace_makes_a_new_version(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, db_url: str
) -> None:
    path = tmp_path / "platform-lead.md"
    path.write_text(JD, encoding="utf-8")
    assert run(capsys, "--db", db_url, "jd", "import", str(path))[0] == 0
    before = _list(capsys, db_url)
    code, out, err = run(capsys, "--db", db_url, "jd", "import", str(path))
    assert code == 2 and not out
    assert err.startswith("interviewkit: error: job description 'platform-lead' is already in the database")
    assert "--replace" in err and len(err.strip().splitlines()) == 1
    copy = tmp_path / "copy-of-lead.md"
    copy.write_text(JD, encoding="utf-8")
    code, _, err = run(capsys, "--db", db_url, "jd", "import", str(copy))
    assert code == 2 and "already in the database as 'platform-lead'" in err
    assert _list(capsys, db_url) == before  # nothing written
    code, out, _ = run(capsys, "--db", db_url, "jd", "import", str(copy), "--replace")
    assert code == 0 and "Already up to date: 'platform-lead'" in out  # the copy is that document's new version
    path.write_text(JD.replace("- Fluency in Spanish\n", ""), encoding="utf-8")
    code, out, _ = run(capsys, "--db", db_url, "jd", "import", str(path), "--replace")
    assert code == 0 and "Imported 'platform-lead'" in out
    assert [d["id"] for d in _list(capsys, db_url)] == ["platform-lead"]


def test_suggestions_have_scores_reasons_and_no_match(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, db_url: str
) -> None:
    path = tmp_path / "platform-lead.md"
    path.write_text(JD, encoding="utf-8")
    code, out, err = run(capsys, "--db", db_url, "jd", "import", str(path), "--dry-run", "--suggest", "--json")
    assert code == 0 and not err
    reqs = json.loads(out)["requirements"]
    k8s, drift, spanish = (r["suggestions"] for r in reqs)
    assert k8s["questions"] and drift["questions"] and not k8s["no_match"]
    for q in k8s["questions"] + drift["questions"]:
        assert 0 < q["score"] <= 1 and q["reason"]
    assert spanish["no_match"] and spanish["questions"] == [] and "no good match in the bank" in spanish["reason"]
    assert _list(capsys, db_url) == []  # a dry run writes no job description
    code, out, _ = run(capsys, "--db", db_url, "jd", "import", str(path), "--suggest")
    assert code == 0 and "-- no good match in the bank" in out and "shares '" in out
    code, out, _ = run(capsys, "--db", db_url, "jd", "suggest", "platform-lead", "--json")
    data = json.loads(out)
    assert [d["no_match"] for d in data] == [False, False, True]
    code, out, _ = run(capsys, "--db", db_url, "jd", "suggest", "platform-lead")
    assert code == 0 and out.rstrip().endswith("3 requirements, 1 with no good match in the bank.")


def test_a_broken_thesaurus_is_one_line(capsys: pytest.CaptureFixture[str], tmp_path: Path, db_url: str) -> None:
    import shutil

    from interviewkit.paths import shipped_bank_dir

    bank = tmp_path / "bank"
    shutil.copytree(shipped_bank_dir(), bank)
    (bank / "thesaurus.yaml").write_text("- [deploy, serve]\n- [serve, ship]\n", encoding="utf-8")
    path = tmp_path / "platform-lead.md"
    path.write_text(JD, encoding="utf-8")
    code, out, err = run(
        capsys, "--db", db_url, "--bank", str(bank), "jd", "import", str(path), "--dry-run", "--suggest"
    )
    assert code == 2 and not out
    assert err.strip() == "interviewkit: error: thesaurus.yaml:2: 'serve' is already in the group of line 1"


@pytest.mark.parametrize("limit", ["0", "-1", "21"])
def test_a_limit_out_of_range_is_one_line(capsys: pytest.CaptureFixture[str], limit: str) -> None:
    code, out, err = run(capsys, "jd", "suggest", "ml-eng-manager-profile", "--limit", limit)
    assert (
        code == 2
        and not out
        and err.strip() == f"interviewkit: error: --limit {limit}: give 1 to 20 questions per requirement"
    )


def test_bank_check_reports_a_broken_thesaurus(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    import shutil

    from interviewkit.paths import shipped_bank_dir

    bank = tmp_path / "bank"
    shutil.copytree(shipped_bank_dir(), bank)
    assert run(capsys, "--bank", str(bank), "bank", "check")[0] == 0
    (bank / "thesaurus.yaml").write_text("- [deploy, serve]\n- [serve, ship]\n", encoding="utf-8")
    code, out, _ = run(capsys, "--bank", str(bank), "bank", "check", "--json")
    assert code == 1
    errors = json.loads(out)["errors"]
    assert [(e["path"], e["line"]) for e in errors] == [("thesaurus.yaml", 2)]
    assert "'serve' is already in the group of line 1" in errors[0]["message"]
