"""Bounded reading of user-given files: only regular files, within a size, as UTF-8; folders scanned safely."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from interviewkit.inputs import (
    InputError,
    display_path,
    one_line,
    read_bytes,
    read_text,
    scan_folder,
)

posix_only = pytest.mark.skipif(sys.platform == "win32", reason="FIFOs, devices and byte file names are POSIX")


def test_a_regular_file_is_read_and_its_byte_order_mark_dropped(tmp_path: Path) -> None:
    path = tmp_path / "a.md"
    path.write_bytes("\ufeffcafé\n".encode())
    assert read_text(path, kind="question file") == "café\n"
    assert read_bytes(path, kind="question file") == "\ufeffcafé\n".encode()


def test_a_file_over_its_kinds_limit_is_refused_in_one_line(tmp_path: Path) -> None:
    path = tmp_path / "big.md"
    path.write_bytes(b"x" * (1024 * 1024 + 1))
    with pytest.raises(InputError) as info:
        read_bytes(path, kind="question file")
    reason = "is 1,048,577 bytes; a question file may be at most 1,048,576 bytes"
    assert (str(info.value), info.value.reason) == (f"{path}: {reason}", reason)
    path.write_bytes(b"x" * (3 * 1024 * 1024))
    with pytest.raises(InputError, match=r"is 3 MB; a question file may be at most 1 MB$"):
        read_bytes(path, kind="question file")
    assert len(read_bytes(path, kind="job description")) == 3 * 1024 * 1024  # 5 MB for those
    with pytest.raises(InputError, match="at most 10 bytes"):
        read_bytes(path, kind="anything", limit=10)


@posix_only
def test_a_fifo_is_refused_at_once_instead_of_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "jd.md"
    os.mkfifo(fifo)
    with pytest.raises(InputError, match="named pipe"):
        read_bytes(fifo, kind="job description")  # nobody writes to it: an open for reading would block


@posix_only
@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom", "/dev/null"])
def test_devices_are_refused(device: str) -> None:
    with pytest.raises(InputError, match=f"^{device}: is a device, not a regular file$"):
        read_text(device, kind="job description")


def test_folders_and_missing_files(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="is a folder, not a file"):
        read_bytes(tmp_path, kind="question file")
    with pytest.raises(InputError, match="no such file"):
        read_bytes(tmp_path / "nope.md", kind="question file")


def test_text_that_is_not_utf8_or_holds_nul_bytes(tmp_path: Path) -> None:
    path = tmp_path / "jd.txt"
    path.write_bytes(b"line one\ncaf\xe9\n")
    with pytest.raises(InputError) as info:
        read_text(path, kind="job description")
    assert str(info.value) == f"{path}: is not UTF-8 text (line 2, byte 12); save it as UTF-8 and try again"
    path.write_bytes(b"- a\n" * 5000 + b"\x00")
    with pytest.raises(InputError, match="binary file"):
        read_text(path, kind="job description")


def test_one_line_escapes_what_would_break_a_line_or_steer_a_terminal() -> None:
    assert one_line("Café ☕ naïve — 東京") == "Café ☕ naïve — 東京"
    assert one_line("a\nb\r\x1b[31mc\u2028") == "a\\x0ab\\x0d\\x1b[31mc\\u2028"
    assert display_path(os.fsdecode(b"/tmp/caf\xe9.md")) == "/tmp/caf\\xe9.md"


@posix_only
def test_scan_folder_refuses_links_out_dangling_and_looping_links_and_bad_names(tmp_path: Path) -> None:
    root = tmp_path / "bank"
    (root / "questions" / "sub").mkdir(parents=True)
    outside = tmp_path / "secret.md"
    outside.write_text("not part of the bank")
    q = root / "questions"
    (q / "ok.md").write_text("ok")
    (q / "sub" / "deep.md").write_text("deep")
    (q / "notes.txt").write_text("not a question")
    (q / ".hidden.md").write_text("skipped")
    (q / "inside.md").symlink_to(q / "ok.md")  # a link within the folder is fine
    (q / "out.md").symlink_to(outside)
    (q / "dangling.md").symlink_to(q / "gone.md")
    (q / "loop.md").symlink_to(q / "loop.md")
    (q / "dir.md").symlink_to(q / "sub")
    os.mkfifo(q / "fifo.md")
    (q / os.fsdecode(b"caf\xe9.md")).write_text("bad name")
    (q / "line\nbreak.md").write_text("bad name")
    found, refused = scan_folder(root, "questions", suffixes=(".md",), recursive=True)
    assert [e.rel for e in found] == ["questions/inside.md", "questions/ok.md", "questions/sub/deep.md"]
    assert found[1].size == 2
    why = {r.rel: r.message for r in refused}
    assert why == {
        "questions/caf\\xe9.md": "not read: its name is not UTF-8 text; rename it",
        "questions/dangling.md": "is a symbolic link to nothing (its target does not exist)",
        "questions/dir.md": "is a symbolic link to a folder; links to folders are not followed",
        "questions/fifo.md": "is a named pipe (FIFO), not a regular file",
        "questions/line\\x0abreak.md": "not read: its name holds a control character (such as a line break); rename it",
        "questions/loop.md": "is a symbolic link that loops back on itself",
        "questions/out.md": f"is a symbolic link to {outside}, outside the bank folder",
    }
