"""Each person's Ed25519 signing key: where the private half is kept, and the public half in the directory.

A scorecard exchange file (:mod:`interviewkit.services.exchange`) is signed by its interviewer, so that
the debrief lead's database imports only what that person wrote: a file edited after export, or signed by
anyone else, is refused. This module holds the keys:

* **The private key** never leaves the person's machine. It is kept in the system keyring when a real
  keyring backend is there (not keyring's "fail" or "null" backends, nor a chain without backends), else in
  a file readable by its owner only (``0600``) in a folder of its own (``0700``): ``keys/`` in the user's
  data folder, or the folder named by ``INTERVIEWKIT_KEY_DIR``. ``INTERVIEWKIT_KEY_STORE=file`` (tests do
  this) or ``=keyring`` chooses the store instead of looking. Keys are named by the person's email, which
  is how two databases know the same person.
* **The public key** is registered in the directory (``person.public_key``, ``ed25519:`` and the 32 bytes
  in base64). A person registers their own key once (``interviewkit keys init``); replacing a registered
  key, or registering someone else's, is an admin's audited act (``interviewkit people set-key``), after
  checking the key's :func:`fingerprint` with its owner by some other way than the file itself.

Nothing here knows Qt; the command line and the app call these functions.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import hashlib
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)

from interviewkit.inputs import InputError, display_path, one_line, read_bytes
from interviewkit.services import audit
from interviewkit.services.access import LOCAL_ADMIN, Actor, require_in
from interviewkit.services.errors import (
    NotFound,
    PermissionDenied,
    ServiceError,
    ValidationFailed,
)
from interviewkit.services.identity import find_person
from interviewkit.storage.db import Database
from interviewkit.storage.models import Person, id_of, utcnow

__all__ = [
    "KEYRING_SERVICE",
    "KEY_DIR_ENV",
    "KEY_STORE_ENV",
    "KeyInfo",
    "KeyRegistration",
    "NoSigningKey",
    "acting_person",
    "create_key",
    "decode_public_key",
    "describe_store",
    "encode_public_key",
    "fingerprint",
    "key_dir",
    "key_location",
    "load_private_key",
    "parse_public_key",
    "public_key_of",
    "register_own_key",
    "set_person_key",
    "sign",
    "verify",
]

ALGORITHM = "ed25519"
_PREFIX = "ed25519:"
_PUBLIC_KEY = re.compile(r"ed25519:[A-Za-z0-9+/]{43}=")
KEYRING_SERVICE = "InterviewKit signing key"
KEY_DIR_ENV = "INTERVIEWKIT_KEY_DIR"
KEY_STORE_ENV = "INTERVIEWKIT_KEY_STORE"  # "file" or "keyring"; unset: the keyring when there is a real one
_KEY_FILE_LIMIT = 4096  # a PEM Ed25519 private key is 119 bytes


class NoSigningKey(ServiceError):
    """This machine holds no private key for the person."""


# --- public keys ------------------------------------------------------------------------------------------


def encode_public_key(key: Ed25519PublicKey) -> str:
    """``ed25519:`` and the key's 32 raw bytes in base64: how the directory and files carry a public key."""
    raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return _PREFIX + base64.b64encode(raw).decode("ascii")


def decode_public_key(text: str) -> Ed25519PublicKey | None:
    """The public key written as :func:`encode_public_key` writes it, or None for anything else."""
    if not isinstance(text, str) or not _PUBLIC_KEY.fullmatch(text):
        return None
    try:
        raw = base64.b64decode(text[len(_PREFIX):], validate=True)
        return Ed25519PublicKey.from_public_bytes(raw)
    except (binascii.Error, ValueError):
        return None


def parse_public_key(text: str) -> str:
    """``text`` as a public key in its one written form; raises :class:`ValidationFailed` otherwise."""
    value = text.strip() if isinstance(text, str) else ""
    key = decode_public_key(value)
    if key is None:
        shown = one_line(value[:60]) + ("…" if len(value) > 60 else "")
        raise ValidationFailed([(f"'{shown}' is not a public key: expected 'ed25519:' and 44 characters of base64 "
                                 "(as 'interviewkit keys show' prints it)")])
    return encode_public_key(key)


def fingerprint(public_key: str) -> str:
    """A short form of a public key to read out to its owner: the first 16 bytes of its SHA-256, in hex
    groups of four ("3f2a 9c1e ...")."""
    digest = hashlib.sha256(public_key.encode("ascii", "replace")).hexdigest()[:32]
    return " ".join(digest[i:i + 4] for i in range(0, 32, 4))


def sign(private_key: Ed25519PrivateKey, payload: bytes) -> str:
    """The Ed25519 signature of ``payload``, in base64."""
    return base64.b64encode(private_key.sign(payload)).decode("ascii")


def verify(public_key: str, payload: bytes, signature: str) -> bool:
    """Whether ``signature`` (base64) is the signature of ``payload`` by ``public_key``."""
    key = decode_public_key(public_key)
    if key is None or not isinstance(signature, str) or len(signature) != 88:
        return False
    try:
        raw = base64.b64decode(signature, validate=True)
        key.verify(raw, payload)
    except (binascii.Error, ValueError, InvalidSignature):
        return False
    return True


def public_key_of(private_key: Ed25519PrivateKey) -> str:
    return encode_public_key(private_key.public_key())


# --- where private keys are kept -------------------------------------------------------------------------


def key_dir() -> Path:
    """The folder of key files: ``INTERVIEWKIT_KEY_DIR``, else ``keys/`` in the user's data folder."""
    named = os.environ.get(KEY_DIR_ENV, "").strip()
    if named:
        return Path(named).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir("InterviewKit", appauthor=False)) / "keys"


def _keyring() -> Any:
    """The system keyring, when it is a real one and the key store is not forced to files; else None."""
    choice = os.environ.get(KEY_STORE_ENV, "").strip().lower()
    if choice == "file":
        return None
    try:
        import keyring
        from keyring.backends import chainer, fail, null

        backend = keyring.get_keyring()
    except Exception:  # noqa: BLE001 - a broken keyring configuration: as if there were none
        backend = None
    usable = backend is not None and not isinstance(backend, (fail.Keyring, null.Keyring)) and not (
        isinstance(backend, chainer.ChainerBackend) and not backend.backends
    )
    if choice == "keyring" and not usable:
        raise NoSigningKey(f"{KEY_STORE_ENV}=keyring, but this machine has no usable system keyring")
    return backend if usable else None


def describe_store() -> str:
    """Where this machine keeps private keys, for people."""
    backend = _keyring()
    if backend is not None:
        return f"the system keyring ({type(backend).__name__}, service '{KEYRING_SERVICE}')"
    return f"files in {display_path(key_dir())}"


def _file_name(email: str) -> str:
    """A key file's name from an email: the address where it is plain, else a slug and a short hash."""
    email = email.strip().lower()
    if re.fullmatch(r"[a-z0-9][a-z0-9._+@-]{0,120}", email) and ".." not in email:
        return f"{email}.ed25519.pem"
    slug = re.sub(r"[^a-z0-9]+", "-", email).strip("-")[:40] or "key"
    return f"{slug}-{hashlib.sha256(email.encode('utf-8', 'replace')).hexdigest()[:12]}.ed25519.pem"


def _key_path(email: str) -> Path:
    return key_dir() / _file_name(email)


def _ensure_dir(folder: Path) -> None:
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        if os.name == "posix":
            info = folder.stat()
            if info.st_uid == os.getuid() and stat.S_IMODE(info.st_mode) & 0o077:
                folder.chmod(0o700)
    except OSError as exc:
        raise NoSigningKey(f"{display_path(folder)}: cannot hold keys ({one_line(exc.strerror or str(exc))})") from None


def _load_file(email: str) -> Ed25519PrivateKey | None:
    path = _key_path(email)
    if not os.path.lexists(path):
        return None
    shown = display_path(path)
    if os.name == "posix":
        try:
            info = os.stat(path)
        except OSError as exc:
            raise NoSigningKey(f"{shown}: cannot be read ({one_line(exc.strerror or str(exc))})") from None
        if stat.S_IMODE(info.st_mode) & 0o077:
            raise NoSigningKey(f"{shown}: others may read this private key; make it yours alone (chmod 600) "
                               "and try again")
    try:
        data = read_bytes(path, kind="signing key", limit=_KEY_FILE_LIMIT)
    except InputError as exc:
        raise NoSigningKey(str(exc)) from None
    try:
        key = serialization.load_pem_private_key(data, password=None)
    except (ValueError, TypeError):
        key = None
    if not isinstance(key, Ed25519PrivateKey):
        raise NoSigningKey(f"{shown}: not an InterviewKit signing key (an Ed25519 private key in PEM)")
    return key


def _save_file(email: str, key: Ed25519PrivateKey) -> Path:
    folder = key_dir()
    _ensure_dir(folder)
    path = _key_path(email)
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption())
    temp = folder / f".{path.name}.{os.getpid()}.tmp"
    try:
        fd = os.open(temp, os.O_CREAT | os.O_EXCL | os.O_WRONLY | getattr(os, "O_CLOEXEC", 0), 0o600)
        try:
            os.write(fd, pem)
            os.fsync(fd)
        finally:
            os.close(fd)
        os.link(temp, path)  # never replaces a key made a moment ago by another copy: that one wins
    except FileExistsError:
        pass
    except OSError as exc:
        raise NoSigningKey(f"{display_path(path)}: cannot be written ({one_line(exc.strerror or str(exc))})") from None
    finally:
        with contextlib.suppress(OSError):
            os.unlink(temp)
    return path


def load_private_key(email: str) -> Ed25519PrivateKey | None:
    """This machine's private key for the person with ``email``, or None when it holds none."""
    backend = _keyring()
    if backend is not None:
        try:
            stored = backend.get_password(KEYRING_SERVICE, email.strip().lower())
        except Exception:  # noqa: BLE001 - a locked or broken backend holds no key for us
            stored = None
        if stored:
            try:
                return Ed25519PrivateKey.from_private_bytes(base64.b64decode(stored, validate=True))
            except (binascii.Error, ValueError):
                raise NoSigningKey(f"the system keyring's entry '{KEYRING_SERVICE}' for {one_line(email)} is not "
                                   "a signing key") from None
    return _load_file(email)


def create_key(email: str) -> tuple[Ed25519PrivateKey, bool]:
    """This machine's key for ``email``, made and kept now if there was none; and whether it is new."""
    existing = load_private_key(email)
    if existing is not None:
        return existing, False
    key = Ed25519PrivateKey.generate()
    backend = _keyring()
    if backend is not None:
        raw = key.private_bytes(serialization.Encoding.Raw, serialization.PrivateFormat.Raw,
                                serialization.NoEncryption())
        try:
            backend.set_password(KEYRING_SERVICE, email.strip().lower(), base64.b64encode(raw).decode("ascii"))
        except Exception:  # noqa: BLE001 - locked or refused: keep it in a file instead
            backend = None
    if backend is None:
        _save_file(email, key)
    kept = load_private_key(email)  # what is kept now (another copy may have made one a moment before)
    if kept is None:
        raise NoSigningKey(f"the key for {one_line(email)} could not be kept in {describe_store()}")
    return kept, public_key_of(kept) == public_key_of(key)


def key_location(email: str) -> str:
    """Where this machine keeps (or would keep) ``email``'s private key, for people."""
    backend = _keyring()
    if backend is not None:
        return f"the system keyring (service '{KEYRING_SERVICE}', user '{one_line(email.strip().lower())}')"
    return display_path(_key_path(email))


# --- the directory ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class KeyInfo:
    """A person and the public key the directory has for them."""

    person_id: int
    name: str
    email: str
    public_key: str | None


@dataclass(frozen=True)
class KeyRegistration:
    """What registering a key did: ``status`` is "registered", "unchanged", "replaced", or "different" (the
    person already has another key registered, which was left as it is); ``previous`` is the key before."""

    person: KeyInfo
    status: str
    previous: str | None = None


def _info(p: Person) -> KeyInfo:
    return KeyInfo(id_of(p), p.name, p.email, p.public_key)


def acting_person(db: Database, by: Actor, what: str) -> KeyInfo:
    """The person who acts: keys are personal, so the local operator must say who they are."""
    if by is LOCAL_ADMIN:
        raise PermissionDenied(f"keys are personal: to {what}, say who you are with --as YOUR_EMAIL")
    if not isinstance(by, int) or isinstance(by, bool):
        raise PermissionDenied(f"Nobody is signed in: choose who you are to {what}.")
    with db.session() as s:
        p = s.get(Person, by)
        if p is None:
            raise PermissionDenied(f"Person {by} is not in the directory, so they may not {what}.")
        return _info(p)


def register_own_key(db: Database, public_key: str, *, by: Actor) -> KeyRegistration:
    """Register the acting person's own public key when the directory has none for them (audited).

    A key already registered is left as it is: replacing it is an admin's act (:func:`set_person_key`),
    so that whoever gets hold of someone's login cannot quietly swap the key their files are checked with.
    """
    key = parse_public_key(public_key)
    me = acting_person(db, by, "register a signing key")
    with db.transaction() as s:
        p = s.get(Person, me.person_id)
        if p is None:  # pragma: no cover - removed a moment ago
            raise NotFound(f"No person with id {me.person_id}")
        if p.public_key == key:
            return KeyRegistration(_info(p), "unchanged", key)
        if p.public_key is not None:
            return KeyRegistration(_info(p), "different", p.public_key)
        p.public_key, p.key_set_at = key, utcnow()
        audit.record(s, actor_id=me.person_id, entity="person", entity_id=me.person_id, action="signing key set",
                     reason="registered their own first key", detail={"fingerprint": fingerprint(key)})
        s.flush()
        return KeyRegistration(_info(p), "registered")


def set_person_key(db: Database, who: str, public_key: str, *, reason: str, by: Actor,
                   source: str = "", signed_by: str | None = None) -> KeyRegistration:
    """An admin registers (or replaces) someone's public key, with the reason for the audit trail.

    ``who`` is an email or a person id. The admin should have checked the key's :func:`fingerprint`
    with its owner first, by some other way than the file it came in. ``signed_by``: the email of the
    signer of the file the key was taken from, which must be that person.
    """
    key = parse_public_key(public_key)
    why = one_line(reason.strip()) if isinstance(reason, str) else ""
    if not why:
        raise ValidationFailed(["--reason: say why this key is registered (e.g. 'fingerprint checked by phone')"])
    if len(why) > 500:
        raise ValidationFailed(["--reason: at most 500 characters"])
    with db.transaction() as s:
        require_in(s, by, "manage_people")
        p = find_person(s, who)
        if signed_by is not None and signed_by.strip().lower() != p.email.lower():
            raise ValidationFailed([(f"the file was signed by {one_line(signed_by)[:80]}, not by {p.email}: "
                                     "take the key from a file they signed")])
        previous = p.public_key
        if previous == key:
            return KeyRegistration(_info(p), "unchanged", previous)
        p.public_key, p.key_set_at = key, utcnow()
        detail: dict[str, Any] = {"fingerprint": fingerprint(key)}
        if previous:
            detail["previous_fingerprint"] = fingerprint(previous)
        if source:
            detail["source"] = source[:200]
        audit.record(s, actor_id=audit.actor_id(by), entity="person", entity_id=id_of(p),
                     action="signing key set", reason=why, detail=detail)
        s.flush()
        return KeyRegistration(_info(p), "replaced" if previous else "registered", previous)
