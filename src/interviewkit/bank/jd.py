"""Job descriptions: read a Markdown or plain-text document and extract its requirements.

A requirement is one bullet of the document (``-``, ``*``, ``•``, ``+`` or a numbered item), kept with
the section it stands in and its position. Job ads pasted from web pages often lose their line breaks
("you will:- Lead ... - Oversee ..."); such inline lists are split back into bullets first. Prose
paragraphs are not requirements.

Each requirement gets a readable id that only depends on the document id, the section and the bullet's
position in that section: ``<doc>.<section-slug>.<nn>``, e.g. ``ml-eng-manager-profile.technical-expertise.01``.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field, replace
from pathlib import Path

__all__ = [
    "JDError",
    "JDRequirement",
    "ParsedJD",
    "parse_jd_text",
    "read_jd_file",
    "slugify",
]


class JDError(Exception):
    """A job description that cannot be read: empty, binary, unreadable or without requirements."""


@dataclass(frozen=True)
class JDRequirement:
    """One requirement extracted from a job description."""

    id: str
    section: str
    position: int  # 1-based position in the whole document
    text: str


@dataclass(frozen=True)
class ParsedJD:
    """A job description and the requirements found in it."""

    id: str
    title: str
    text: str
    requirements: tuple[JDRequirement, ...] = field(default_factory=tuple)
    source_name: str = ""  # the file it was read from, if any


_STOPWORDS = frozenset(
    "a an and as at be for have in is it of on or our should that the this to we will with you your "
    "who what which are can involve involves youll youre well do does".split()
)

_HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+(?P<text>.+?)\s*#*\s*$")
_BOLD_LINE = re.compile(r"^\s*(\*\*|__)(?P<text>[^*_].*?)\1\s*:?\s*$")
_BULLET = re.compile(r"^(?P<indent>\s*)(?:[-*•+●▪◦‣–]|\d{1,3}[.)])\s+(?P<text>\S.*)$")
_RULE = re.compile(r"^\s*([-*_])(\s*\1){2,}\s*$")
# An inline list: a lead-in ending with a colon, then "- item - item - item".
_INLINE_START = re.compile(r":\s*[-•*–]\s+(?=\S)")
_INLINE_SEP = re.compile(r"\s+[-•*–]\s+(?=\S)")
# A sentence boundary with the space lost: "...(IaC).To excel" or "...revenue.As the".
_GLUED_END = re.compile(r"(?<=[a-z0-9)\]])[.!?](?=[A-Z][a-z])")
# Any sentence boundary, used to find where a lead-in sentence starts.
_SENTENCE_END = re.compile(r"[.!?](?=\s*[A-Z\"“])")
_CITATION = re.compile(r"\s*\[\d+\](?:\[\d+\])*|\s*\[\^\d+\]")
_LINK = re.compile(r"\[([^\]]+)\]\([^)]*\)")
_EMPHASIS = re.compile(r"(\*\*|__|\*|_|`)(?=\S)(.+?)(?<=\S)\1")


def slugify(text: str, *, max_words: int = 0, drop_stopwords: bool = False) -> str:
    """A lowercase ASCII slug of ``text``: words joined by hyphens."""
    norm = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    norm = re.sub(r"(?<=[a-z])['’](?=[a-z])", "", norm)  # "you'll" -> "youll", not "you" + "ll"
    words = re.findall(r"[a-z0-9]+", norm)
    if drop_stopwords:
        kept = [w for w in words if w not in _STOPWORDS]
        words = kept or words
    if max_words:
        words = words[:max_words]
    return "-".join(words)


def clean_text(text: str) -> str:
    """Strip Markdown emphasis, links, citation marks and stray punctuation from a bullet's text."""
    text = _LINK.sub(r"\1", text)
    text = _CITATION.sub("", text)
    for _ in range(2):
        text = _EMPHASIS.sub(r"\2", text)
    text = re.sub(r"\s+", " ", text).strip()
    text = text.strip(" \t;,")
    text = re.sub(r"(?<![.][a-z])\.+$", "", text).rstrip(" ;,")
    return text


def _lead_in(prose: str) -> tuple[str, str]:
    """Split prose that precedes an inline list into (prose before, lead-in sentence)."""
    ends = list(_SENTENCE_END.finditer(prose))
    hashes = list(re.finditer(r"(?<=\S)#(?=\w)", prose))
    cut = max([m.end() for m in ends] + [0])
    if hashes and hashes[-1].start() > cut:
        cut = hashes[-1].start()
    return prose[:cut].strip(), prose[cut:].strip().rstrip(":").strip()


def _expand_inline_lists(line: str) -> list[str]:
    """Rewrite one long line holding inline lists as Markdown-like lines.

    Lead-ins become ``Lead-in:`` lines, items become ``- item`` lines, prose stays prose.
    """
    parts = _INLINE_START.split(line)
    if len(parts) < 2:
        return [line]
    out: list[str] = []
    prose, lead = _lead_in(parts[0])
    if prose:
        out.append(prose)
    for i, chunk in enumerate(parts[1:]):
        out.append(f"{lead}:")
        items = _INLINE_SEP.split(chunk)
        last = items[-1]
        tail = ""
        glued = _GLUED_END.search(last)
        if glued:
            items[-1], tail = last[: glued.end()], last[glued.end() :]
        out.extend(f"- {item.strip()}" for item in items if item.strip())
        if i + 2 < len(parts):
            # The tail holds prose and the lead-in of the next list.
            prose, lead = _lead_in(tail)
            if prose:
                out.append(prose)
        elif tail.strip():
            out.append(tail.strip())
    return out


def _title_of(lines: list[str], fallback: str) -> str:
    for line in lines:
        if not line.strip():
            continue
        m = _HEADING.match(line)
        if m:
            return clean_text(m.group("text"))
        first = line.strip()
        cut = len(first)
        for pattern in (r"(?<=\S)#(?=\w)", r":", _GLUED_END.pattern):
            found = re.search(pattern, first)
            if found:
                cut = min(cut, found.start() if pattern != _GLUED_END.pattern else found.start())
        title = clean_text(first[:cut])
        if len(title) > 120:
            title = title[:117].rsplit(" ", 1)[0] + "..."
        return title or fallback
    return fallback


def parse_jd_text(text: str, doc_id: str, *, title: str | None = None) -> ParsedJD:
    """Extract the requirements of a job description given as text.

    Raises :class:`JDError` when the text is empty or holds no requirement at all.
    """
    if not text.strip():
        raise JDError("the document is empty")
    raw_lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    lines: list[str] = []
    for line in raw_lines:
        lines.extend(_expand_inline_lists(line) if len(_INLINE_START.findall(line)) else [line])

    section = "General"
    items: list[tuple[str, str]] = []  # (section, raw text)
    current: list[str] | None = None  # the open bullet, for continuation lines

    def close() -> None:
        nonlocal current
        if current is not None:
            items.append((section, " ".join(current)))
            current = None

    for line in lines:
        if not line.strip():
            close()
            continue
        if _RULE.match(line):
            close()
            continue
        heading = _HEADING.match(line) or _BOLD_LINE.match(line)
        if heading:
            close()
            section = clean_text(heading.group("text")).rstrip(":").strip() or section
            continue
        bullet = _BULLET.match(line)
        if bullet:
            close()
            current = [bullet.group("text")]
            continue
        if current is not None and (line.startswith((" ", "\t"))):
            current.append(line.strip())
            continue
        close()
        stripped = line.strip()
        if stripped.endswith(":") and len(stripped) <= 160:
            section = clean_text(stripped[:-1]) or section
        # Any other line is prose: kept in the document, not a requirement.
    close()

    requirements: list[JDRequirement] = []
    slugs: dict[str, str] = {}
    counters: dict[str, int] = {}
    for position, (sec, raw) in enumerate(((s, clean_text(t)) for s, t in items), start=1):
        if not raw:
            continue
        if sec not in slugs:
            base = slugify(sec, max_words=4, drop_stopwords=True) or "general"
            slug, n = base, 2
            while slug in slugs.values():
                slug, n = f"{base}-{n}", n + 1
            slugs[sec] = slug
        counters[sec] = counters.get(sec, 0) + 1
        requirements.append(
            JDRequirement(
                id=f"{doc_id}.{slugs[sec]}.{counters[sec]:02d}",
                section=sec,
                position=len(requirements) + 1,
                text=raw,
            )
        )
        del position
    if not requirements:
        raise JDError("no requirements found: the document has no bullets or numbered items")
    return ParsedJD(
        id=doc_id,
        title=title or _title_of(raw_lines, doc_id),
        text=text,
        requirements=tuple(requirements),
    )


def read_jd_file(path: Path, *, doc_id: str | None = None) -> ParsedJD:
    """Read and parse a job-description file; the document id defaults to the file's stem."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise JDError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise JDError(f"{path}: is a folder, not a file") from None
    except OSError as exc:
        raise JDError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    if not data.strip():
        raise JDError(f"{path}: the file is empty")
    if b"\x00" in data[:8192]:
        raise JDError(f"{path}: looks like a binary file, not a text job description")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise JDError(
            f"{path}: is not UTF-8 text (byte {exc.start}); save it as UTF-8 and try again"
        ) from None
    ident = doc_id or slugify(path.stem) or "jd"
    try:
        return replace(parse_jd_text(text, ident), source_name=path.name)
    except JDError as exc:
        raise JDError(f"{path}: {exc}") from None
