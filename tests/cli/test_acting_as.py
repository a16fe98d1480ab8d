"""``--as`` takes an email (any case) or a person id, the same everywhere: one resolver
(services.identity.find_person) behind ``--as``, ``people set-key`` and ``db set-login``."""

from __future__ import annotations

from pathlib import Path

import pytest

from interviewkit.cli import main
from interviewkit.services.errors import NotFound
from interviewkit.services.identity import resolve_person
from interviewkit.storage.db import open_database


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("as") / "demo.sqlite"
    assert main(["--db", str(path), "demo"]) == 0
    return path


def test_one_resolver_email_in_any_case_or_id(demo: Path) -> None:
    db = open_database(demo)
    try:
        amara = resolve_person(db, "amara.okafor@example.com")
        assert resolve_person(db, "  Amara.OKAFOR@Example.com ") == amara
        assert resolve_person(db, str(amara)) == amara
        for bad in ("", "   ", "nobody@example.com", "0", "99999999999999999999999", "1; DROP TABLE person"):
            with pytest.raises(NotFound, match="give an email address or a person id"):
                resolve_person(db, bad)
    finally:
        db.dispose()


@pytest.mark.parametrize("command", [["export", "scorecard", "1"], ["export", "debrief", "1"]])
def test_exports_take_the_email_or_the_id(demo: Path, tmp_path: Path, command: list[str],
                                          capsys: pytest.CaptureFixture[str]) -> None:
    db = open_database(demo)
    try:
        rita = resolve_person(db, "rita.figueiredo@example.com")  # the hiring manager: reads candidate 1's packet
    finally:
        db.dispose()
    for who in ("rita.figueiredo@example.com", "RITA.Figueiredo@example.com", str(rita)):
        out = tmp_path / "x.pdf"
        assert main(["--db", str(demo), "--as", who, *command, "-o", str(out)]) == 0, capsys.readouterr().err
        assert out.stat().st_size > 1000
    assert main(["--db", str(demo), "--as", "rita@nowhere", *command, "-o", str(tmp_path / "y.pdf")]) == 2
    assert capsys.readouterr().err.startswith("interviewkit: error: --as: No person 'rita@nowhere'")
    assert not (tmp_path / "y.pdf").exists()


def test_set_key_finds_the_person_the_same_way(demo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from interviewkit.services.signing import public_key_of

    key = public_key_of(Ed25519PrivateKey.generate())
    assert main(["--db", str(demo), "people", "set-key", "ZOE.ORSTED@example.com", key, "--reason", "checked"]) == 0
    assert "Registered the signing key of Zoë Ørsted <zoe.orsted@example.com>" in capsys.readouterr().out
