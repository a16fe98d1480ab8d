"""Signing keys: the private half on this machine (keyring or a private file), the public half in the directory.

The system keyring is never touched: the suite forces the file store into a folder of the test's own
(tests/conftest.py), and the keyring cases below put an in-memory backend in its place.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import keyring
import keyring.core
import pytest
from keyring.backend import KeyringBackend
from keyring.backends import chainer, fail, null

from interviewkit.services import people, signing
from interviewkit.services.access import LOCAL_ADMIN
from interviewkit.services.audit import audit_trail
from interviewkit.services.errors import PermissionDenied, ValidationFailed
from interviewkit.storage.db import Database

ANA = "ana@example.com"


class MemoryKeyring(KeyringBackend):
    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.store: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.store.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.store[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.store.pop((service, username), None)


@pytest.fixture
def memory_keyring(monkeypatch: pytest.MonkeyPatch) -> Iterator[MemoryKeyring]:
    """An in-memory keyring in place of the system's, and the key store left to choose (no override)."""
    fake = MemoryKeyring()
    monkeypatch.setattr(keyring.core, "_keyring_backend", fake)
    monkeypatch.delenv(signing.KEY_STORE_ENV)
    yield fake


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_the_tests_never_use_a_real_keyring_or_the_users_keys(_key_store: Path) -> None:
    assert os.environ[signing.KEY_STORE_ENV] == "file"
    assert signing.key_dir() == _key_store
    assert signing.describe_store().startswith("files in ")


def test_a_key_is_made_once_and_kept_in_a_private_file(_key_store: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = _key_store / "nested" / "keys"
    monkeypatch.setenv(signing.KEY_DIR_ENV, str(folder))
    key, created = signing.create_key("Ana@Example.com")
    assert created
    (path,) = folder.iterdir()
    assert path.name == "ana@example.com.ed25519.pem"
    assert _mode(path) == 0o600 and _mode(folder) == 0o700
    again, created_again = signing.create_key(ANA)
    assert not created_again and signing.public_key_of(again) == signing.public_key_of(key)
    assert signing.load_private_key("someone@example.com") is None
    assert signing.key_location(ANA) == str(path)


def test_odd_emails_make_safe_file_names(_key_store: Path) -> None:
    signing.create_key("../../etc/passwd@example.com")
    signing.create_key("zoë\n@example.com")
    names = sorted(p.name for p in _key_store.iterdir())
    assert all("/" not in n and "\n" not in n and not n.startswith(".") for n in names)
    assert len(names) == 2


def test_a_key_file_others_may_read_or_that_is_no_key_is_refused_in_one_line(_key_store: Path) -> None:
    signing.create_key(ANA)
    (path,) = _key_store.iterdir()
    path.chmod(0o644)
    with pytest.raises(signing.NoSigningKey, match=r"others may read this private key; .*chmod 600"):
        signing.load_private_key(ANA)
    path.chmod(0o600)
    path.write_text("not a key")
    with pytest.raises(signing.NoSigningKey, match="not an InterviewKit signing key"):
        signing.load_private_key(ANA)
    path.unlink()
    os.mkfifo(path, 0o600)
    with pytest.raises(signing.NoSigningKey, match="named pipe"):
        signing.load_private_key(ANA)


def test_a_real_keyring_holds_the_key_when_there_is_one(memory_keyring: MemoryKeyring, _key_store: Path) -> None:
    key, created = signing.create_key(ANA)
    assert created
    assert list(memory_keyring.store) == [(signing.KEYRING_SERVICE, ANA)]
    assert list(_key_store.iterdir()) == []  # no file
    assert signing.public_key_of(signing.load_private_key(ANA)) == signing.public_key_of(key)  # type: ignore[arg-type]
    assert "system keyring" in signing.key_location(ANA)


@pytest.mark.parametrize("unusable", [fail.Keyring(), null.Keyring(), chainer.ChainerBackend()])
def test_no_real_keyring_means_a_file(
    monkeypatch: pytest.MonkeyPatch, _key_store: Path, unusable: KeyringBackend
) -> None:
    monkeypatch.setattr(keyring.core, "_keyring_backend", unusable)
    monkeypatch.setattr(chainer.ChainerBackend, "backends", property(lambda self: []))
    monkeypatch.delenv(signing.KEY_STORE_ENV)
    signing.create_key(ANA)
    assert len(list(_key_store.iterdir())) == 1


def test_public_keys_have_one_written_form() -> None:
    key, _ = signing.create_key(ANA)
    public = signing.public_key_of(key)
    assert public.startswith("ed25519:") and len(public) == 52
    assert signing.parse_public_key(f"  {public}\n") == public
    for bad in (
        "",
        "ed25519:",
        "ssh-ed25519 AAAA",
        public[:-2] + "==",
        public.replace("ed25519:", "rsa:"),
        "ed25519:" + "A" * 200,
    ):
        with pytest.raises(ValidationFailed, match="is not a public key"):
            signing.parse_public_key(bad)
    fp = signing.fingerprint(public)
    assert len(fp.split()) == 8 and all(len(g) == 4 for g in fp.split())


def test_signatures_verify_only_with_the_signers_key() -> None:
    ana, _ = signing.create_key(ANA)
    bo, _ = signing.create_key("bo@example.com")
    sig = signing.sign(ana, b"payload")
    assert signing.verify(signing.public_key_of(ana), b"payload", sig)
    assert not signing.verify(signing.public_key_of(ana), b"payloaD", sig)
    assert not signing.verify(signing.public_key_of(bo), b"payload", sig)
    assert not signing.verify(signing.public_key_of(ana), b"payload", "x" * 88)
    assert not signing.verify("ed25519:nonsense", b"payload", sig)


def test_a_person_registers_their_first_key_and_only_an_admin_replaces_it(db: Database) -> None:
    ana = people.create_person(db, name="Ana Ortiz", email=ANA, by=LOCAL_ADMIN).id
    bo = people.create_person(db, name="Bo Other", email="bo@example.com", by=LOCAL_ADMIN).id
    admin = people.create_person(db, name="Lee Admin", email="lee@example.com", access_role="admin", by=LOCAL_ADMIN).id
    first = signing.public_key_of(signing.create_key(ANA)[0])
    second = signing.public_key_of(signing.create_key("ana-new@example.com")[0])

    assert signing.register_own_key(db, first, by=ana).status == "registered"
    assert signing.register_own_key(db, first, by=ana).status == "unchanged"
    kept = signing.register_own_key(db, second, by=ana)
    assert kept.status == "different" and kept.previous == first and kept.person.public_key == first
    with pytest.raises(PermissionDenied, match="--as"):
        signing.register_own_key(db, first, by=LOCAL_ADMIN)

    with pytest.raises(PermissionDenied, match="manage_people"):
        signing.set_person_key(db, ANA, second, reason="new laptop", by=bo)
    with pytest.raises(ValidationFailed, match="--reason"):
        signing.set_person_key(db, ANA, second, reason=" ", by=admin)
    with pytest.raises(ValidationFailed, match=r"signed by bo@example\.com, not by ana@example\.com"):
        signing.set_person_key(db, ANA, second, reason="new laptop", by=admin, signed_by="bo@example.com")
    done = signing.set_person_key(db, ANA, second, reason="new laptop; fingerprint read out by phone", by=admin,
                                  source="card.json", signed_by=ANA)
    assert (done.status, done.previous, done.person.public_key) == ("replaced", first, second)
    assert signing.set_person_key(db, str(ana), second, reason="again", by=admin).status == "unchanged"

    trail = audit_trail(db, "person", ana, by=LOCAL_ADMIN)
    assert [(e.action, e.actor, e.reason) for e in trail] == [
        ("signing key set", "Ana Ortiz", "registered their own first key"),
        ("signing key set", "Lee Admin", "new laptop; fingerprint read out by phone"),
    ]
    assert {"fingerprint": signing.fingerprint(second), "previous_fingerprint": signing.fingerprint(first),
            "source": "card.json"}.items() <= trail[1].detail.items()
