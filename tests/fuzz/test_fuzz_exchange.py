"""Fuzzing scorecard exchange files through the real command line (``interviewkit scorecards import-files``).

A genuine signed file is mutated: a value anywhere replaced by another of any JSON type (huge integers,
NaN, nesting, text that looks like a time), fields removed or added, the whole thing re-signed with the
interviewer's real key (so that only the content checks stand in the way), with a stranger's key, or not
at all, the signature itself damaged, the raw text cut or spliced. Each case runs ``main`` in-process
against a lead's database that knows the interviewer and her key, and checks what a user would see:

- no exception escapes ``main`` and no output holds a traceback; no case runs past its budget;
- the exit code is 0 (imported) or 1 (refused); a refusal is exactly one line, ``refused   FILE: ...``,
  followed by the count line, and nothing on stderr;
- a refused file leaves the database file byte-identical (the file and its write-ahead log).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import shutil
import signal
import traceback
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from interviewkit.cli import main
from interviewkit.services import signing
from interviewkit.services.access import LOCAL_ADMIN
from interviewkit.services.exchange import export_scorecard, sign_document
from interviewkit.storage.db import open_database

CASES = settings(
    max_examples=300,
    deadline=None,  # the budget below stands for it
    database=None,  # nothing written into the checkout
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.function_scoped_fixture],
)
BUDGET = 20.0  # seconds for one command
ANA = "ana@example.com"


@dataclass
class Lead:
    """The lead's database (restored from ``template`` after a case that imported), and Ana's genuine file."""

    template: Path
    db: Path
    doc: dict[str, Any]
    key: Ed25519PrivateKey
    stranger: Ed25519PrivateKey
    folder: Path

    def restore(self) -> None:
        for leftover in (self.db, Path(f"{self.db}-wal"), Path(f"{self.db}-shm")):
            leftover.unlink(missing_ok=True)
        shutil.copyfile(self.template, self.db)
        self.db.chmod(0o600)  # as the app makes a database (a copy gets the umask's 0644, which the app tightens aloud)


def _settle(path: Path) -> None:
    """Write the database's log into the file, so that a copy of the file alone is the whole database."""
    db = open_database(path)
    with db.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    db.dispose()


@pytest.fixture(scope="module")
def lead(shipped_db_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lead]:
    from tests.services.test_exchange import submit
    from tests.ui.cockpit.conftest import plan_stage

    folder = tmp_path_factory.mktemp("fuzz-exchange")
    keys = folder / "keys"
    with pytest.MonkeyPatch.context() as mp:  # the function-scoped key store is not there yet: the same, here
        mp.setenv(signing.KEY_STORE_ENV, "file")
        mp.setenv(signing.KEY_DIR_ENV, str(keys))
        key, _ = signing.create_key(ANA)
        laptop_path, template = folder / "laptop.sqlite", folder / "lead-template.sqlite"
        shutil.copy(shipped_db_template, laptop_path)
        laptop = open_database(laptop_path)
        doc = export_scorecard(laptop, submit(plan_stage(laptop)), by=LOCAL_ADMIN)
        laptop.dispose()
        shutil.copy(shipped_db_template, template)
        db = open_database(template)
        plan_stage(db)
        signing.set_person_key(db, ANA, signing.public_key_of(key), reason="fuzz", by=LOCAL_ADMIN)
        db.dispose()
    _settle(template)
    lead = Lead(template, folder / "lead.sqlite", doc, key, Ed25519PrivateKey.generate(), folder)
    lead.restore()
    yield lead


def _state(path: Path) -> str:
    digest = hashlib.sha256()
    for part in (path, Path(f"{path}-wal")):
        digest.update(part.read_bytes() if part.exists() else b"")
        digest.update(b"|")
    return digest.hexdigest()


@contextlib.contextmanager
def _budget(seconds: float) -> Iterator[None]:
    def ring(signum: int, frame: object) -> None:
        raise TimeoutError(f"still running after {seconds:.0f} s")

    previous = signal.signal(signal.SIGALRM, ring)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


# --- mutations -------------------------------------------------------------------------------------------

SPECIAL = st.sampled_from([
    99, -5, 3.7, 3.0, 0, 4, 1, 2**63, -(2**63) - 1, 10**30, "x", "", "3", [], {}, None, True, "NaN",
    "2025-03-01T09:30:00", "2025-03-01T09:30:00+00:00", "2025-02-30T09:30:00Z", "Yes", "Maybe", "a\x00b",
    "ed25519:" + "A" * 43 + "=", "0" * 64, "mlops-cicd", "monitoring-drift", "ana@example.com", [[[[[]]]]],
])
SCALARS = (
    st.none() | st.booleans() | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=True, allow_infinity=True) | st.text(max_size=20) | SPECIAL
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=8,
)


def _paths(node: Any, where: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every place in the document below its root (down to 12 levels: below that, nesting a mutation made)."""
    out = [where] if where else []
    if len(where) >= 12:
        return out
    if isinstance(node, dict):
        for k, v in node.items():
            out += _paths(v, (*where, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            out += _paths(v, (*where, i))
    return out


def _parent(doc: Any, where: tuple[Any, ...]) -> Any:
    for step in where[:-1]:
        doc = doc[step]
    return doc


def _sign(doc: dict[str, Any], key: Ed25519PrivateKey, name: str = "Ana Ortiz", email: str = ANA) -> dict[str, Any]:
    try:
        return sign_document({k: v for k, v in doc.items() if k != "signature"}, key, name=name, email=email)
    except (ValueError, TypeError, AttributeError):  # NaN, or a document the mutation made unsignable
        return doc


def _mutated(data: st.DataObject, lead: Lead) -> str:
    doc = json.loads(json.dumps(lead.doc))
    for _ in range(data.draw(st.integers(1, 3), label="mutations")):
        paths = _paths(doc)
        if not paths:
            break
        where = data.draw(st.sampled_from(paths), label="where")
        parent = _parent(doc, where)
        kind = data.draw(
            st.sampled_from(["replace", "replace", "special", "delete", "add", "wrap", "nest"]), label="kind"
        )
        if kind == "replace":
            parent[where[-1]] = data.draw(VALUES, label="value")
        elif kind == "special":
            parent[where[-1]] = data.draw(SPECIAL, label="special")
        elif kind == "delete":
            del parent[where[-1]]
        elif kind == "add" and isinstance(parent, dict):
            parent[data.draw(st.text(min_size=1, max_size=12), label="new key")] = data.draw(VALUES, label="value")
        elif kind == "add" and isinstance(parent, list):
            parent.append(data.draw(VALUES, label="value"))
        elif kind == "wrap":
            parent[where[-1]] = [parent[where[-1]]]
        else:
            deep: Any = parent[where[-1]]
            for _ in range(data.draw(st.sampled_from([3, 20, 200]), label="depth")):
                deep = [deep]
            parent[where[-1]] = deep
    how = data.draw(
        st.sampled_from(["ana", "ana", "ana", "none", "stranger as ana", "stranger", "damage"]), label="signature"
    )
    if how == "ana":
        doc = _sign(doc, lead.key)
    elif how == "stranger as ana":
        doc = _sign(doc, lead.stranger)
    elif how == "stranger":
        doc = _sign(doc, lead.stranger, "Mallory", "mallory@example.com")
    elif how == "damage" and isinstance(doc.get("signature"), dict):
        sig = doc["signature"]
        field = data.draw(st.sampled_from(["value", "public_key", "algorithm", "signer"]), label="signature field")
        sig[field] = data.draw(VALUES | SPECIAL, label="signature value")
    try:
        text = json.dumps(doc, ensure_ascii=False)
    except (ValueError, RecursionError):
        text = json.dumps(lead.doc)
    if data.draw(st.integers(0, 3), label="raw edit") == 0:
        at = data.draw(st.integers(0, len(text)), label="at")
        text = data.draw(st.sampled_from([
            text[:at],
            text[:at] + data.draw(st.text(max_size=4), label="insert") + text[at:],
            text[:at] + text[at + 1:],
            text.replace('"summary":', '"summary": 1, "summary":', 1),
            text.replace('"summary":', '"deep": ' + "[" * 10_000 + "]" * 10_000 + ', "summary":', 1),
            text.replace('"summary":', '"deep": ' + "{\"a\": " * 3_000 + "1" + "}" * 3_000 + ', "summary":', 1),
        ]), label="raw")
    return text


@CASES
@given(data=st.data())
def test_mutated_exchange_files_are_imported_or_refused_in_one_line(lead: Lead, data: st.DataObject) -> None:
    text = _mutated(data, lead)
    path = lead.folder / "case.json"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    before = _state(lead.db)
    with contextlib.ExitStack() as stack:
        out_buf, err_buf = stack.enter_context(_Capture())
        try:
            with _budget(BUDGET):
                code = main(["--db", str(lead.db), "scorecards", "import-files", str(path)])
        except BaseException:  # noqa: BLE001 - anything escaping main is what this test hunts
            pytest.fail(f"an exception escaped main for {text[:300]!r}:\n{traceback.format_exc()}")
    out, err = out_buf.getvalue(), err_buf.getvalue()
    assert "Traceback" not in out + err
    assert err == "", err
    lines = out.splitlines()
    assert len(lines) == 2, out
    event(f"exit {code}")
    if code == 1:
        assert lines[0].startswith(f"refused   {path}: ") and lines[1] == "0 imported, 0 unchanged, 1 refused.", out
        assert _state(lead.db) == before, f"a refused file changed the database: {lines[0]}"
    else:
        assert code == 0 and lines[0].startswith(f"imported  {path}: imported: Ana Ortiz's scorecard"), out
        lead.restore()


class _Capture:
    """stdout and stderr of one call, captured (capsys does not reset between hypothesis examples)."""

    def __enter__(self) -> tuple[Any, Any]:
        import io

        self._out, self._err = io.StringIO(), io.StringIO()
        self._stack = contextlib.ExitStack()
        self._stack.enter_context(contextlib.redirect_stdout(self._out))
        self._stack.enter_context(contextlib.redirect_stderr(self._err))
        return self._out, self._err

    def __exit__(self, *exc: object) -> None:
        self._stack.close()
