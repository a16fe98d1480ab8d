"""Signing in to a team database on PostgreSQL with one's own credentials.

Each person connects with their own database role, so the server's own permissions and logs apply to
them. InterviewKit never writes a password into its settings or a file: a URL without a password is
tried as it is first (the server may trust the connection, and libpq itself reads ``PGPASSWORD`` and
``~/.pgpass``), then with the password remembered in the system keyring for that server, database and
user, and only then does it ask (the desktop app with a dialog, the command line with getpass on a
terminal). A password is remembered only when the person asks for it, and only after the server has
accepted it. :func:`sign_in` is the one entry point; the way of asking is passed in.
"""

from __future__ import annotations

import contextlib
import getpass
import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import create_engine
from sqlalchemy.engine import URL
from sqlalchemy.exc import DBAPIError

from interviewkit.storage.db import resolve_url

__all__ = [
    "KEYRING_SERVICE",
    "Credentials",
    "ServerAccount",
    "account_of",
    "forget",
    "needs_sign_in",
    "remember",
    "remembered_password",
    "sign_in",
    "terminal_prompt",
]

KEYRING_SERVICE = "InterviewKit PostgreSQL"
_AUTH_SQLSTATES = {"28P01", "28000"}  # invalid_password, invalid_authorization_specification
_AUTH_WORDS = ("password authentication failed", "no password supplied", "password is required",
               "authentication failed")


@dataclass(frozen=True)
class ServerAccount:
    """Whose password it is: a user on one database of one server."""

    host: str
    port: int
    database: str
    user: str

    @property
    def key(self) -> str:
        """The keyring's user name for this account (the keyring's service is :data:`KEYRING_SERVICE`)."""
        return f"{self.user}@{self.host}:{self.port}/{self.database}"

    def describe(self) -> str:
        return f"{self.user} on {self.database} at {self.host}:{self.port}"


@dataclass(frozen=True)
class Credentials:
    """What the person typed: the user, the password, and whether to remember it in the keyring."""

    user: str
    password: str
    remember: bool = False


# ask(account, problem) -> Credentials, or None when the person cancels. ``problem`` says why we ask
# again (e.g. the password was refused); None the first time.
Ask = Callable[[ServerAccount, str | None], Credentials | None]


def _url(url_or_path: str | URL) -> URL:
    return resolve_url(url_or_path)


def needs_sign_in(url_or_path: str) -> bool:
    """Whether this names a server database without a password in it (a file never needs one)."""
    url = _url(url_or_path)
    return url.get_backend_name() == "postgresql" and not url.password


def account_of(url_or_path: str | URL, user: str | None = None) -> ServerAccount:
    url = _url(url_or_path)
    query = dict(url.query)
    host = url.host or str(query.get("host") or "localhost")
    port = url.port or int(str(query.get("port") or 5432))
    return ServerAccount(host, port, url.database or "", user or url.username or getpass.getuser())


def _keyring() -> Any:
    try:
        import keyring
    except ImportError:  # pragma: no cover - a declared dependency
        return None
    return keyring


def remembered_password(account: ServerAccount) -> str | None:
    """The password kept in the system keyring for this account, if any (None when there is no keyring)."""
    kr = _keyring()
    if kr is None:
        return None
    try:
        password: str | None = kr.get_password(KEYRING_SERVICE, account.key)
    except Exception:  # noqa: BLE001 - no usable keyring backend, or it is locked: as if nothing was stored
        return None
    return password


def remember(account: ServerAccount, password: str) -> bool:
    """Keep the password in the system keyring; False when there is no keyring to keep it in."""
    kr = _keyring()
    if kr is None:
        return False
    try:
        kr.set_password(KEYRING_SERVICE, account.key, password)
    except Exception:  # noqa: BLE001 - whatever the keyring backend raises: the password is not kept
        return False
    return True


def forget(account: ServerAccount) -> None:
    kr = _keyring()
    if kr is None:
        return
    with contextlib.suppress(Exception):  # nothing stored, or no usable backend: nothing to forget
        kr.delete_password(KEYRING_SERVICE, account.key)


def _is_auth_error(exc: BaseException) -> bool:
    orig = getattr(exc, "orig", exc)
    if getattr(orig, "sqlstate", None) in _AUTH_SQLSTATES:
        return True
    text = str(orig).lower()
    return any(w in text for w in _AUTH_WORDS)


def _try(url: URL) -> BaseException | None:
    """Connect once; None when the server let us in, else the error."""
    engine = create_engine(url, connect_args={"connect_timeout": 10})
    try:
        with engine.connect():
            return None
    except DBAPIError as exc:
        return exc
    finally:
        engine.dispose()


def _reason(exc: BaseException) -> str:
    text = str(getattr(exc, "orig", exc)).strip()
    return text.splitlines()[-1].strip() if text else "the server refused the sign-in"


def sign_in(url_or_path: str, ask: Ask, *, attempts: int = 5) -> str | None:
    """The URL to open ``url_or_path`` with: with a password when the server wants one.

    Returns the URL unchanged when no password is needed (a file, a URL with a password, a server that
    lets the connection in, or one that cannot be reached: opening it then explains why), the URL with
    the remembered or typed password when one is, and None when the person cancels. The returned URL
    holds a password: use it to connect, never store it.
    """
    if not needs_sign_in(url_or_path):
        return url_or_path
    url = _url(url_or_path)
    error = _try(url)
    if error is None or not _is_auth_error(error):
        return url_or_path
    account = account_of(url)
    problem: str | None = None
    stored = remembered_password(account)
    if stored:
        candidate = url.set(password=stored)
        if _try(candidate) is None:
            return candidate.render_as_string(hide_password=False)
        problem = "The password remembered in the system keyring was refused; type the current one."
    for _ in range(attempts):
        creds = ask(account, problem)
        if creds is None:
            return None
        user = creds.user.strip() or account.user
        candidate = url.set(username=user, password=creds.password)
        error = _try(candidate)
        if error is None:
            if creds.remember:
                remember(account_of(url, user), creds.password)
            return candidate.render_as_string(hide_password=False)
        if not _is_auth_error(error):
            return candidate.render_as_string(hide_password=False)  # opening it will explain the problem
        problem = f"Sign-in refused: {_reason(error)}"
    return None


def terminal_prompt(account: ServerAccount, problem: str | None) -> Credentials | None:
    """Ask on the terminal (getpass); None when there is no terminal to ask on, or on Ctrl+D."""
    if not (sys.stdin and sys.stdin.isatty()):
        return None
    if problem:
        sys.stderr.write(problem + "\n")
    try:
        password = getpass.getpass(f"Password for {account.describe()}: ")
        if not password:
            return None
        answer = input("Remember it in the system keyring? [y/N] ").strip().lower()
    except (EOFError, KeyboardInterrupt):
        sys.stderr.write("\n")
        return None
    return Credentials(account.user, password, answer in ("y", "yes"))
