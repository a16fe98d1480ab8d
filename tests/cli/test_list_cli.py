"""``interviewkit list``: the ids the other commands take, each list exactly what its viewer may read.

The lists are checked as an attacker would: for every person of the demo, the scorecards listed are exactly
those ``export scorecard`` lets them read (services.policy.require_scorecard), and the candidates and stages
those of the candidates they may see; a filter on someone else's candidate lists nothing.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlmodel import col

from interviewkit.cli import main
from interviewkit.services import listing, policy
from interviewkit.services.access import LOCAL_ADMIN
from interviewkit.services.errors import PermissionDenied
from interviewkit.services.people import create_person, update_person
from interviewkit.storage.db import Database, open_database
from interviewkit.storage.models import Person, Scorecard


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("list") / "demo.sqlite"
    assert main(["--db", str(path), "demo"]) == 0
    return path


@pytest.fixture
def demo(demo_file: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "demo.sqlite"
    copy.write_bytes(demo_file.read_bytes())
    copy.chmod(0o600)  # as the demo made it: no notice about its mode on stderr
    return copy


def _people(db: Database) -> list[int]:
    with db.session() as s:
        return [int(i) for i in s.scalars(select(col(Person.id)))]


def _readable(db: Database, person: int) -> set[int]:
    with db.session() as s:
        ids = [int(i) for i in s.scalars(select(col(Scorecard.id)))]
        out = set()
        for sid in ids:
            try:
                policy.require_scorecard(s, person, sid)
            except PermissionDenied:
                continue
            out.add(sid)
    return out


def test_every_persons_scorecards_are_exactly_those_they_may_read(demo_file: Path) -> None:
    db = open_database(demo_file)
    try:
        everyone = _people(db)
        total = len(_readable(db, LOCAL_ADMIN))  # type: ignore[arg-type]
        hidden_somewhere = False
        for person in everyone:
            listed = [r.id for r in listing.list_scorecards(db, by=person)]
            readable = _readable(db, person)
            assert sorted(listed) == sorted(readable), person
            hidden_somewhere |= len(readable) < total
            with db.session() as s:
                seen = policy.readable_candidate_ids(s, person)
            candidates = {r.id for r in listing.list_candidates(db, by=person)}
            assert seen is None or candidates == set(seen)
            assert all(r.candidate_id in candidates for r in listing.list_stages(db, by=person))
            for other in {1, 2, 3, 4, 5} - candidates:  # a filter on someone else's candidate leaks nothing
                assert listing.list_scorecards(db, by=person, candidate_id=other) == []
                assert listing.list_stages(db, by=person, candidate_id=other) == []
        assert hidden_somewhere  # the demo has interviewers who may not read everything
        drafts = [r for r in listing.list_scorecards(db, by=LOCAL_ADMIN) if r.status == "draft"]  # type: ignore[arg-type]
        assert drafts  # the local operator reads drafts too, as export does
        owner = _owner(db, drafts[0].id)
        for person in set(everyone) - {owner}:  # nobody else sees someone's draft
            assert drafts[0].id not in {r.id for r in listing.list_scorecards(db, by=person)}
    finally:
        db.dispose()


def _owner(db: Database, scorecard_id: int) -> int:
    with db.session() as s:
        card = s.get(Scorecard, scorecard_id)
        assert card is not None
        return int(card.interviewer_id)


def test_list_as_an_interviewer_on_the_command_line(demo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--db", str(demo), "--as", "amara.okafor@example.com", "list", "scorecards", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert rows and {r["interviewer"] for r in rows} >= {"Amara Okafor"}
    ids = {r["id"] for r in rows}
    assert main(["--db", str(demo), "--as", "AMARA.OKAFOR@example.com", "list", "scorecards", "--json"]) == 0
    assert {r["id"] for r in json.loads(capsys.readouterr().out)} == ids  # the email in any case
    db = open_database(demo)
    try:
        with db.session() as s:
            amara = int(s.scalars(select(col(Person.id)).where(col(Person.email) == "amara.okafor@example.com")).one())
        assert ids == _readable(db, amara)
    finally:
        db.dispose()
    assert main(["--db", str(demo), "--as", str(amara), "list", "scorecards", "--json"]) == 0  # or the id
    assert {r["id"] for r in json.loads(capsys.readouterr().out)} == ids


def test_each_list_prints_ids_first(demo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for what, expect in (("openings", "ML Engineering Manager"), ("candidates", "Helena Vasconcelos"),
                         ("stages", "ML system design"), ("scorecards", "submitted"), ("people", "Sofia Marques")):
        assert main(["--db", str(demo), "list", what]) == 0
        lines = capsys.readouterr().out.splitlines()
        assert lines and all(line.split()[0].isdigit() for line in lines), what
        assert any(expect in line for line in lines), what


def test_names_cannot_steer_the_terminal(demo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = open_database(demo)
    try:
        create_person(db, name="Eve", email="eve@example.com", by=LOCAL_ADMIN)  # type: ignore[arg-type]
        with db.transaction() as s:
            eve = s.scalars(select(Person).where(col(Person.email) == "eve@example.com")).one()
            eve.name = "Eve\n    99  Forged <x@example.com> (admin)\x1b[2J"
    finally:
        db.dispose()
    assert main(["--db", str(demo), "list", "people"]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\n    99  Forged" not in out
    assert "Eve\\x0a" in out


def test_refusals_are_one_line(demo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--db", str(demo), "--as", "nobody@example.com", "list", "people"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("interviewkit: error: --as: No person 'nobody@example.com'") and err.count("\n") == 1
    db = open_database(demo)
    try:
        amara = next(p for p in listing.list_people(db, by=LOCAL_ADMIN) if p.name == "Amara Okafor")  # type: ignore[arg-type]
        update_person(db, amara.id, name=amara.name, email=amara.email, access_role=amara.role, active=False,
                      by=LOCAL_ADMIN)  # type: ignore[arg-type]
    finally:
        db.dispose()
    assert main(["--db", str(demo), "--as", str(amara.id), "list", "scorecards"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == "interviewkit: error: Amara Okafor is inactive and may not list anything.\n"
    with pytest.raises(SystemExit) as exited:
        main(["--db", str(demo), "list", "everything"])
    assert exited.value.code == 2
    assert "invalid choice" in capsys.readouterr().err
