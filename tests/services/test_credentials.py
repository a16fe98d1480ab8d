"""Signing in to PostgreSQL with one's own role: the URL as it is, PGPASSWORD, the keyring, then asking.

A real server (the test cluster) checks the passwords; the system keyring is replaced by one in memory.
"""

from __future__ import annotations

from collections.abc import Iterator

import keyring
import keyring.core
import pytest
from keyring.backend import KeyringBackend

from interviewkit.services.credentials import (
    KEYRING_SERVICE,
    Credentials,
    ServerAccount,
    account_of,
    needs_sign_in,
    sign_in,
)
from interviewkit.storage.db import open_database


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
    fake = MemoryKeyring()
    monkeypatch.setattr(keyring.core, "_keyring_backend", fake)
    yield fake


@pytest.fixture
def team_db(pg_server, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """A team database owned by the superuser, and Alice's own role, which needs a password."""
    monkeypatch.delenv("PGPASSWORD", raising=False)
    monkeypatch.setenv("PGPASSFILE", "/nonexistent")
    name = pg_server.new_database()
    pg_server.execute("DO $$ BEGIN CREATE ROLE alice LOGIN PASSWORD 'correct horse'; "
                      "EXCEPTION WHEN duplicate_object THEN NULL; END $$")
    pg_server.execute(f'GRANT ALL ON DATABASE "{name}" TO alice')
    pg_server.execute("GRANT ALL ON SCHEMA public TO alice", name)
    yield pg_server.url(name, user="alice"), name
    pg_server.drop_database(name)


class Asker:
    def __init__(self, *answers: Credentials | None) -> None:
        self.answers = list(answers)
        self.problems: list[str | None] = []
        self.accounts: list[ServerAccount] = []

    def __call__(self, account: ServerAccount, problem: str | None) -> Credentials | None:
        self.accounts.append(account)
        self.problems.append(problem)
        return self.answers.pop(0) if self.answers else None


def test_files_and_urls_with_a_password_need_no_sign_in() -> None:
    assert not needs_sign_in("/tmp/x.sqlite")
    assert not needs_sign_in("postgresql+psycopg://u:p@db.example.com/ik")
    assert needs_sign_in("postgresql+psycopg://u@db.example.com/ik")
    never = Asker()
    assert sign_in("/tmp/x.sqlite", never) == "/tmp/x.sqlite" and never.accounts == []


def test_the_keyring_key_names_host_port_database_and_user() -> None:
    account = account_of("postgresql+psycopg://rita@db.example.com:5433/hiring")
    assert account == ServerAccount("db.example.com", 5433, "hiring", "rita")
    assert account.key == "rita@db.example.com:5433/hiring"
    socket = account_of("postgresql+psycopg://rita@/hiring?host=/run/postgresql")
    assert (socket.host, socket.port) == ("/run/postgresql", 5432)


def test_asked_once_then_remembered_in_the_keyring(team_db, memory_keyring: MemoryKeyring) -> None:  # type: ignore[no-untyped-def]
    url, _ = team_db
    ask = Asker(Credentials("alice", "correct horse", remember=True))
    signed = sign_in(url, ask)
    assert signed is not None and "correct" in signed and len(ask.accounts) == 1
    assert ask.accounts[0].user == "alice" and ask.problems == [None]
    account = account_of(url)
    assert memory_keyring.store == {(KEYRING_SERVICE, account.key): "correct horse"}
    # The whole app opens with it: migrations run on first connect, as Alice.
    db = open_database(signed)
    assert db.describe().count("correct") == 0  # the password is never shown
    db.dispose()
    # Next time the keyring answers; nobody is asked.
    never = Asker()
    assert sign_in(url, never) == signed and never.accounts == []


def test_a_wrong_password_is_asked_again_with_the_reason_and_not_remembered(  # type: ignore[no-untyped-def]
    team_db, memory_keyring: MemoryKeyring
) -> None:
    url, _ = team_db
    ask = Asker(Credentials("alice", "wrong", remember=True), Credentials("alice", "correct horse"))
    assert sign_in(url, ask) is not None
    assert ask.problems[0] is None and "password authentication failed" in str(ask.problems[1])
    assert memory_keyring.store == {}  # remember was not ticked for the good one, and the bad one never is


def test_a_stale_remembered_password_leads_to_asking(team_db, memory_keyring: MemoryKeyring) -> None:  # type: ignore[no-untyped-def]
    url, _ = team_db
    memory_keyring.store[(KEYRING_SERVICE, account_of(url).key)] = "old password"
    ask = Asker(Credentials("alice", "correct horse", remember=True))
    assert sign_in(url, ask) is not None
    assert "remembered" in str(ask.problems[0])
    assert memory_keyring.store[(KEYRING_SERVICE, account_of(url).key)] == "correct horse"


def test_cancelling_gives_none(team_db, memory_keyring: MemoryKeyring) -> None:  # type: ignore[no-untyped-def]
    url, _ = team_db
    assert sign_in(url, Asker(None)) is None


def test_pgpassword_is_used_without_asking(team_db, memory_keyring: MemoryKeyring,  # type: ignore[no-untyped-def]
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    url, _ = team_db
    monkeypatch.setenv("PGPASSWORD", "correct horse")
    never = Asker()
    assert sign_in(url, never) == url and never.accounts == []
    open_database(url).dispose()  # libpq reads PGPASSWORD itself


def test_the_cli_reads_pgpassword_and_explains_a_missing_one(team_db, memory_keyring: MemoryKeyring,  # type: ignore[no-untyped-def]
                                                             monkeypatch: pytest.MonkeyPatch,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    from interviewkit.cli import main

    url, _ = team_db
    assert main(["--db", url, "jd", "list"]) == 2  # no terminal to ask on, no PGPASSWORD
    err = capsys.readouterr().err
    assert err.startswith("interviewkit: error: ") and "password" in err and "PGPASSWORD" in err
    monkeypatch.setenv("PGPASSWORD", "correct horse")
    assert main(["--db", url, "jd", "list"]) == 0


def test_the_cli_asks_on_a_terminal_and_can_remember(team_db, memory_keyring: MemoryKeyring,  # type: ignore[no-untyped-def]
                                                     monkeypatch: pytest.MonkeyPatch,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    import getpass
    import io

    from interviewkit.cli import main

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    url, _ = team_db
    prompts: list[str] = []
    monkeypatch.setattr("sys.stdin", Terminal())
    monkeypatch.setattr(getpass, "getpass", lambda prompt: prompts.append(prompt) or "correct horse")
    monkeypatch.setattr("builtins.input", lambda prompt: prompts.append(prompt) or "y")
    assert main(["--db", url, "jd", "list"]) == 0
    assert prompts[0].startswith("Password for alice on ") and "keyring" in prompts[1]
    assert memory_keyring.store == {(KEYRING_SERVICE, account_of(url).key): "correct horse"}
    prompts.clear()
    assert main(["--db", url, "jd", "list"]) == 0 and prompts == []  # remembered
    monkeypatch.setattr(getpass, "getpass", lambda prompt: "")  # an empty answer cancels
    memory_keyring.store.clear()
    assert main(["--db", url, "jd", "list"]) == 2
    assert "sign-in cancelled" in capsys.readouterr().err
