"""Bounded reading of the files people give the app: never block, never read without end, never guess.

Every file that comes from outside (a question file, a job description, a scorecard exchange file, a CSV)
is read through :func:`read_bytes` or :func:`read_text`. They read only a regular file: a FIFO would block
for ever, a device such as ``/dev/zero`` never ends, a folder or socket is no file at all; each is refused
with one line naming the path. Each kind of file has a size limit (:data:`LIMITS`) well above any real one,
so that a wrong file fails at once instead of filling the memory. Text must be UTF-8 without NUL bytes.

:func:`scan_folder` lists the files of a folder that belongs to the app's data (the question bank), and
refuses what must not be read from there: symbolic links that point outside the folder, dangling or looping
links, links to folders, and names that are not UTF-8 text or that hold control characters.

Every refusal is an :class:`InputError` whose message is the one line to show. This module knows nothing of
Qt, SQL or the bank's format.
"""

from __future__ import annotations

import errno
import os
import stat
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass

__all__ = [
    "LIMITS",
    "FolderEntry",
    "InputError",
    "Refusal",
    "decode_text",
    "display_path",
    "one_line",
    "read_bytes",
    "read_text",
    "scan_folder",
]

_MB = 1024 * 1024

# The largest file of each kind that is read, in bytes. Each is far above any real file of the kind (the
# sizes of the shipped ones are given) and low enough that reading and parsing the largest takes well under
# a second, so a wrong file fails at once instead of filling the memory.
LIMITS: dict[str, int] = {
    # A question: front matter and a prompt of a few paragraphs; the longest shipped is 7 KB.
    "question file": 1 * _MB,
    # A job description, verbatim from a web page or a PDF's text: the longest shipped is 5 KB; 5 MB holds
    # a whole book.
    "job description": 5 * _MB,
    # bank.yaml, competencies.yaml and loop templates: the longest shipped is 8 KB.
    "bank file": 1 * _MB,
}
_DEFAULT_LIMIT = 5 * _MB


class InputError(Exception):
    """A file that cannot be read as input; the message is one line that names the path and the reason.

    ``reason`` is the message without the path, for callers that say where in their own way (a bank's
    problems name files relative to the bank).
    """

    def __init__(self, message: str, *, reason: str | None = None) -> None:
        super().__init__(message)
        self.reason = reason if reason is not None else message


def _refuse(shown: str, reason: str) -> InputError:
    return InputError(f"{shown}: {reason}", reason=reason)


@dataclass(frozen=True)
class Refusal:
    """A file or folder that :func:`scan_folder` will not read: where (relative, printable) and why."""

    rel: str
    message: str


@dataclass(frozen=True)
class FolderEntry:
    """A file that :func:`scan_folder` found fit to read."""

    path: str  # the full path, as the file system gave it
    rel: str  # relative to the scanned folder, with forward slashes
    size: int
    mtime_ns: int


def one_line(text: str) -> str:
    """``text`` with line breaks, other control characters and bytes that were not UTF-8 shown as escapes,
    so that it prints as one line and cannot steer a terminal (other characters are left as they are)."""
    if text.isprintable():
        return text
    return "".join(_escape(c) if unicodedata.category(c) in _UNSAFE else c for c in text)


_UNSAFE = frozenset(("Cc", "Cs", "Zl", "Zp"))  # controls, surrogates, line and paragraph separators


def _escape(char: str) -> str:
    code = ord(char)
    if 0xDC80 <= code <= 0xDCFF:  # a byte that was not UTF-8 (Python's surrogateescape)
        return f"\\x{code - 0xDC00:02x}"
    if code <= 0xFF:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


def _bad_name(name: str) -> str | None:
    """Why a file name cannot be used (not UTF-8, or a control character in it), or None."""
    if name.isascii() and name.isprintable():
        return None
    for char in name:
        code = ord(char)
        if 0xD800 <= code <= 0xDFFF:
            return "its name is not UTF-8 text; rename it"
        if code < 0x20 or 0x7F <= code <= 0x9F or code in (0x2028, 0x2029):
            return "its name holds a control character (such as a line break); rename it"
    return None


def display_path(path: str | os.PathLike[str]) -> str:
    """A path as one printable line: bytes that are not UTF-8 as ``\\xNN``, control characters escaped."""
    return one_line(os.fspath(path))


def _limit_of(kind: str, limit: int | None) -> int:
    return limit if limit is not None else LIMITS.get(kind, _DEFAULT_LIMIT)


def _size(n: int) -> str:
    if n >= _MB:
        return f"{n / _MB:.1f} MB".replace(".0 MB", " MB")
    if n >= 1024:
        return f"{n / 1024:.0f} KB"
    return f"{n} bytes"


def _too_large(size: int, most: int, kind: str) -> str:
    shown, limit = _size(size), _size(most)
    if shown == limit:  # just over: the rounded sizes would read the same
        shown, limit = f"{size:,} bytes", f"{most:,} bytes"
    return f"is {shown}; a {kind} may be at most {limit}"


def _not_regular(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "is a folder, not a file"
    if stat.S_ISFIFO(mode):
        return "is a named pipe (FIFO), not a regular file"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "is a device, not a regular file"
    if stat.S_ISSOCK(mode):
        return "is a socket, not a regular file"
    return "is not a regular file"


_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)


def read_bytes(path: str | os.PathLike[str], *, kind: str, limit: int | None = None) -> bytes:
    """The bytes of the regular file ``path``, at most ``limit`` of them (default: the kind's, :data:`LIMITS`).

    The file is opened without blocking and checked once open (so that what is read is what was checked):
    anything but a regular file is refused, and so is a file larger than the limit, whatever its size
    claims. Raises :class:`InputError` with one line naming the path and the ``kind`` of file.
    """
    most = _limit_of(kind, limit)
    try:
        fd = os.open(path, _OPEN_FLAGS)
    except FileNotFoundError:
        raise _refuse(display_path(path), "no such file") from None
    except IsADirectoryError:
        raise _refuse(display_path(path), "is a folder, not a file") from None
    except OSError as exc:
        raise _refuse(display_path(path), f"cannot be read ({one_line(exc.strerror or str(exc))})") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise _refuse(display_path(path), _not_regular(info.st_mode))
        if info.st_size > most:
            raise _refuse(display_path(path), _too_large(info.st_size, most, kind))
        want = info.st_size + 1  # one byte more than it claims: a shorter read is the end of the file
        data = os.read(fd, want)
        if len(data) < want:
            return data
        chunks = [data]  # it grew since fstat, or claims a size it does not have (/proc): read on, bounded
        got = len(data)
        while got <= most:
            chunk = os.read(fd, most + 1 - got)
            if not chunk:
                return b"".join(chunks)
            chunks.append(chunk)
            got += len(chunk)
        raise _refuse(display_path(path), f"is larger than {_size(most)}, the most a {kind} may be")
    except OSError as exc:
        raise _refuse(display_path(path), f"cannot be read ({one_line(exc.strerror or str(exc))})") from None
    finally:
        os.close(fd)


def decode_text(data: bytes, path: str | os.PathLike[str], *, kind: str) -> str:
    """``data`` as UTF-8 text (a leading byte-order mark dropped); NUL bytes mean a binary file.

    Raises :class:`InputError` naming the path, and the line of the first byte that is not UTF-8.
    """
    shown = display_path(path)
    if b"\x00" in data:
        raise _refuse(shown, f"looks like a binary file (it holds NUL bytes), not a {kind}")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise _refuse(
            shown, f"is not UTF-8 text (line {line}, byte {exc.start}); save it as UTF-8 and try again"
        ) from None
    return text.removeprefix("\ufeff")


def read_text(path: str | os.PathLike[str], *, kind: str, limit: int | None = None) -> str:
    """The text of the regular file ``path``: :func:`read_bytes` then :func:`decode_text`."""
    return decode_text(read_bytes(path, kind=kind, limit=limit), path, kind=kind)


def _inside(target: str, root_real: str) -> bool:
    return target == root_real or target.startswith(root_real.rstrip(os.sep) + os.sep)


def scan_folder(
    root: str | os.PathLike[str],
    folder: str = "",
    *,
    suffixes: Iterable[str],
    recursive: bool = False,
    names: Iterable[str] = (),
    ignore_case: bool = False,
) -> tuple[list[FolderEntry], list[Refusal]]:
    """The files of ``root/folder`` whose names end with one of ``suffixes`` (in any case with
    ``ignore_case``) or are one of ``names``, and what was refused there.

    Names starting with ``.`` are skipped. Sub-folders are scanned when ``recursive``, never
    through a symbolic link. A symbolic link to a file is followed only when it resolves to a regular file
    inside ``root``; a link that points outside ``root``, dangles, loops or leads to a folder is refused, and
    so is every name that is not UTF-8 text or that holds a control character. Relative paths use forward
    slashes; refused ones are shown printable. Entries come sorted by relative path.
    """
    base = os.fspath(root)
    ends = tuple(s.lower() for s in suffixes) if ignore_case else tuple(suffixes)
    wanted = frozenset(names)
    root_real: list[str] = []  # the real path of root, found the first time a link needs it

    def real_root() -> str:
        if not root_real:
            root_real.append(os.path.realpath(base))
        return root_real[0]

    found: list[FolderEntry] = []
    refused: list[Refusal] = []
    start = os.path.join(base, folder) if folder else base
    stack = [(f"{folder.strip('/')}/" if folder else "", start)]
    while stack:
        prefix, here = stack.pop()
        for entry in _listing(here, prefix, refused):
            name = entry.name
            if name.startswith("."):
                continue
            rel = prefix + name
            is_link, is_dir = _kind(entry)
            if is_dir:
                if recursive:
                    why = _bad_name(name)
                    if why:
                        refused.append(Refusal(one_line(rel) + "/", f"folder not read: {why}"))
                    else:
                        stack.append((rel + "/", entry.path))
                continue
            if not ((name.lower() if ignore_case else name).endswith(ends) or name in wanted):
                continue
            why = _bad_name(name)
            if why:
                refused.append(Refusal(one_line(rel), f"not read: {why}"))
                continue
            fit = _file_entry(entry, rel, is_link, real_root)
            if isinstance(fit, FolderEntry):
                found.append(fit)
            else:
                refused.append(fit)
    found.sort(key=lambda e: e.rel.split("/"))
    refused.sort(key=lambda r: r.rel.split("/"))
    return found, refused


def _listing(here: str, prefix: str, refused: list[Refusal]) -> list[os.DirEntry[str]]:
    """The entries of the folder ``here`` (none when it is gone); one that cannot be listed is refused."""
    try:
        with os.scandir(here) as entries:
            return list(entries)
    except FileNotFoundError:
        return []
    except OSError as exc:
        refused.append(Refusal(one_line(prefix) or ".", f"cannot be listed ({one_line(exc.strerror or str(exc))})"))
        return []


def _kind(entry: os.DirEntry[str]) -> tuple[bool, bool]:
    """Whether ``entry`` is a symbolic link, and whether it is a folder (not through a link)."""
    try:
        is_link = entry.is_symlink()
        return is_link, not is_link and entry.is_dir(follow_symlinks=False)
    except OSError:
        return False, False


def _file_entry(
    entry: os.DirEntry[str], rel: str, is_link: bool, real_root: Callable[[], str]
) -> FolderEntry | Refusal:
    """``entry`` as a file fit to read, or why not: a symbolic link is followed only to a regular file
    inside the root (``real_root()``); anything but a regular file is refused."""
    try:
        if is_link:
            root_real = real_root()
            info = os.stat(entry.path)  # follows the link: raises when it dangles or loops
            target = os.path.realpath(entry.path)
            if not _inside(target, root_real):
                return Refusal(rel, f"is a symbolic link to {display_path(target)}, outside the bank folder")
            if stat.S_ISDIR(info.st_mode):
                return Refusal(rel, "is a symbolic link to a folder; links to folders are not followed")
        else:
            info = entry.stat(follow_symlinks=False)
    except FileNotFoundError:
        return Refusal(rel, "is a symbolic link to nothing (its target does not exist)")
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return Refusal(rel, "is a symbolic link that loops back on itself")
        return Refusal(rel, f"cannot be read ({one_line(exc.strerror or str(exc))})")
    if not stat.S_ISREG(info.st_mode):
        return Refusal(rel, _not_regular(info.st_mode))
    return FolderEntry(entry.path, rel, info.st_size, info.st_mtime_ns)
