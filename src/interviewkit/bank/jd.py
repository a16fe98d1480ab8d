"""Job descriptions: read a Markdown or plain-text document and extract its requirements.

A requirement is one bullet of the document (``-``, ``*``, ``•``, ``+`` or a numbered item), kept with
the section it stands in and its position. Job ads pasted from web pages often lose their line breaks
("you will:- Lead ... - Oversee ..."); such inline lists are split back into bullets first. Prose
paragraphs are not requirements.

Each requirement gets a readable id that only depends on the document id, the section and the bullet's
position in that section: ``<doc>.<section-slug>.<nn>``, e.g. ``ml-eng-manager-profile.technical-expertise.01``.
"""

from __future__ import annotations

import os
import re
import unicodedata
from bisect import bisect_left
from dataclasses import dataclass, field, replace
from pathlib import Path

from interviewkit.inputs import (
    InputError,
    decode_text,
    display_path,
    one_line,
    read_bytes,
)

__all__ = [
    "MAX_REQUIREMENTS",
    "JDError",
    "JDRequirement",
    "ParsedJD",
    "clean_text",
    "jd_from_bytes",
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

# Every pattern below runs on text from outside, so none may backtrack more than linearly: no two
# quantifiers that can match the same characters stand next to each other or inside one another. Where a
# pattern would need that (headings, bold lines, rules, links, emphasis), plain string code does the work.
_BULLET = re.compile(r"^(?P<indent>\s*)(?:[-*•+●▪◦‣–]|\d{1,3}[.)])\s+(?P<text>\S.*)$")
# An inline list: a lead-in ending with a colon, then "- item - item - item".
_INLINE_START = re.compile(r":\s*[-•*–]\s+(?=\S)")
# Between two items; a separator starts where its white space does (never inside it), which keeps a long
# run of spaces from being scanned again from each of its positions.
_INLINE_SEP = re.compile(r"(?<!\s)\s+[-•*–]\s+(?=\S)")
# A sentence boundary with the space lost: "...(IaC).To excel" or "...revenue.As the".
_GLUED_END = re.compile(r"(?<=[a-z0-9)\]])[.!?](?=[A-Z][a-z])")
# Any sentence boundary, used to find where a lead-in sentence starts.
_SENTENCE_END = re.compile(r"[.!?](?=\s*[A-Z\"“])")
_HASHTAG = re.compile(r"(?<=\S)#(?=\w)")
# Citation marks "[1][3]" or "[^2]", with the white space before them (starting where it starts).
_CITATION = re.compile(r"(?<!\s)\s*(?:\[\d+\](?:\[\d+\])*|\[\^\d+\])")
_EMPHASIS_MARKS = ("**", "__", "*", "_", "`")
_EMPHASIS_CHAR = re.compile(r"[*_`]")
_DOC_ID = re.compile(r"[a-z0-9]+(?:[-_.][a-z0-9]+)*\Z")

# What the database holds of a job description (the columns' lengths) and how many requirements one may
# have: the shipped ones have 29 and 83; a document with thousands of bullets is not a job description.
MAX_ID = 120
MAX_TITLE = 300
MAX_SECTION = 300
MAX_SLUG = 60
MAX_REQUIREMENTS = 1000


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


def _shorten(text: str, most: int) -> str:
    """``text`` cut to at most ``most`` characters, at a space where there is one, with "..." added."""
    if len(text) <= most:
        return text
    cut = text[: most - 3]
    space = cut.rfind(" ")
    return (cut[:space] if space > most // 2 else cut).rstrip() + "..."


def _heading_text(line: str) -> str | None:
    """The text of an ATX heading ("## Skills ##"), or None: up to 3 white-space characters, 1 to 6 '#',
    white space, the text, and optionally closing '#'s."""
    rest = line.lstrip()
    if len(line) - len(rest) > 3 or not rest.startswith("#"):
        return None
    after = rest.lstrip("#")
    if len(rest) - len(after) > 6 or not after[:1].isspace():
        return None
    text = after.strip()
    if not text:  # "#" and two spaces: a heading without text
        return "" if len(after) >= 2 else None
    return text.rstrip("#").rstrip() or text[0]


def _bold_line_text(line: str) -> str | None:
    """The text of a line that is only bold text ("**Nice to have**", "__Skills__:"), or None."""
    core = line.strip()
    if core.endswith(":"):
        core = core[:-1].rstrip()
    mark = core[:2]
    if mark not in ("**", "__") or len(core) < 5 or not core.endswith(mark) or core[2] in "*_":
        return None
    return core[2:-2]


def _is_rule(line: str) -> bool:
    """A thematic break: three or more of the same '-', '*' or '_', with only white space between."""
    core = line.strip()
    if not core or core[0] not in "-*_":
        return False
    return core.count(core[0]) >= 3 and not "".join(core.replace(core[0], " ").split())


def _strip_links(text: str) -> str:
    """Markdown links "[text](url)" replaced by their text, in one pass over ``text``.

    The next ']' and the next ')' are remembered between candidates, so that many '[' without a ']'
    (or links without a ')') cost one scan, not one per '['.
    """
    if "](" not in text:
        return text
    out: list[str] = []
    pos = 0
    close_bracket = close_paren = -1
    start = text.find("[")
    while start >= 0:
        if close_bracket <= start:
            close_bracket = text.find("]", start + 1)
            if close_bracket < 0:
                break
        end = close_bracket
        if end > start + 1 and text.startswith("(", end + 1):
            if close_paren <= end + 1:
                close_paren = text.find(")", end + 2)
                if close_paren < 0:
                    break
            out.append(text[pos:start])
            out.append(text[start + 1 : end])
            pos = close_paren + 1
            start = text.find("[", pos)
        else:
            start = text.find("[", start + 1)
    out.append(text[pos:])
    return "".join(out)


def _strip_emphasis_line(line: str) -> str:
    """One pass of emphasis removal on a line without line breaks: "**x**", "__x__", "*x*", "_x_" and
    "`x`" become "x" when the text inside starts and ends with a non-space.

    For each opening mark, the closing one is the first later occurrence of the same mark that follows a
    non-space (found by bisection in a list made once), so the work is linear in the line's length.
    """
    closings: dict[str, list[int]] = {}
    for mark in _EMPHASIS_MARKS:
        found, at = [], line.find(mark, 1)
        while at >= 0:
            if not line[at - 1].isspace():
                found.append(at)
            at = line.find(mark, at + 1)
        closings[mark] = found
    starts = [m.start() for m in _EMPHASIS_CHAR.finditer(line)]
    out: list[str] = []
    pos = 0
    n = len(line)
    for start in starts:
        if start < pos:
            continue
        for mark in _EMPHASIS_MARKS:
            width = len(mark)
            if not line.startswith(mark, start) or start + width >= n or line[start + width].isspace():
                continue
            ends = closings[mark]
            k = bisect_left(ends, start + width + 1)
            if k < len(ends):
                end = ends[k]
                out.append(line[pos:start])
                out.append(line[start + width : end])
                pos = end + width
                break
    out.append(line[pos:])
    return "".join(out)


def _strip_emphasis(text: str) -> str:
    if "*" not in text and "_" not in text and "`" not in text:
        return text
    return "\n".join(_strip_emphasis_line(line) for line in text.split("\n"))


def _strip_trailing_dots(text: str) -> str:
    """Drop the dots that end ``text``, but keep the last dot of an abbreviation such as "e.g."."""
    core = text.rstrip(".")
    if len(core) == len(text):
        return text
    start = len(core)
    if start >= 2 and text[start - 2] == "." and "a" <= text[start - 1] <= "z":
        start += 1
    return text[:start]


def clean_text(text: str) -> str:
    """Strip Markdown emphasis, links, citation marks and stray punctuation from a bullet's text."""
    text = _strip_links(text)
    text = _CITATION.sub("", text)
    for _ in range(2):
        text = _strip_emphasis(text)
    text = " ".join(text.split())
    text = text.strip(" \t;,")
    text = _strip_trailing_dots(text).rstrip(" ;,")
    return text


def _lead_in(prose: str) -> tuple[str, str]:
    """Split prose that precedes an inline list into (prose before, lead-in sentence)."""
    cut = 0
    for m in _SENTENCE_END.finditer(prose):
        cut = m.end()
    for m in _HASHTAG.finditer(prose):
        cut = max(cut, m.start())
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
        heading = _heading_text(line)
        if heading is not None:
            return _shorten(clean_text(heading), MAX_TITLE) or fallback
        first = line.strip()
        cut = len(first)
        for pattern in (_HASHTAG, _GLUED_END):
            found = pattern.search(first)
            if found:
                cut = min(cut, found.start())
        colon = first.find(":")
        if colon >= 0:
            cut = min(cut, colon)
        title = clean_text(first[:cut])
        if len(title) > 120:
            title = title[:117].rsplit(" ", 1)[0] + "..."
        return title or fallback
    return fallback


def parse_jd_text(text: str, doc_id: str, *, title: str | None = None) -> ParsedJD:
    """Extract the requirements of a job description given as text.

    Raises :class:`JDError` when the text is empty, holds no requirement at all, or more than
    :data:`MAX_REQUIREMENTS`. The work is linear in the length of the text.
    """
    if not text.strip():
        raise JDError("the document is empty")
    raw_lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    lines: list[str] = []
    for line in raw_lines:
        lines.extend(_expand_inline_lists(line) if ":" in line and _INLINE_START.search(line) else [line])
    requirements = _requirements(_bullets(lines), doc_id)
    if not requirements:
        raise JDError("no requirements found: the document has no bullets or numbered items")
    return ParsedJD(
        id=doc_id,
        title=title or _title_of(raw_lines, doc_id),
        text=text,
        requirements=tuple(requirements),
    )


def _bullets(lines: list[str]) -> list[tuple[str, str]]:
    """The bullets of the document's lines, as (section, raw text), continuation lines joined.

    Raises :class:`JDError` past :data:`MAX_REQUIREMENTS` bullets.
    """
    section = "General"
    items: list[tuple[str, str]] = []  # (section, raw text)
    current: list[str] | None = None  # the open bullet, for continuation lines

    def close() -> None:
        nonlocal current
        if current is not None:
            items.append((section, " ".join(current)))
            current = None
            if len(items) > MAX_REQUIREMENTS:
                raise JDError(
                    f"more than {MAX_REQUIREMENTS:,} bullets: a job description has tens of requirements, "
                    "so this is not one"
                )

    for line in lines:
        if not line.strip():
            close()
            continue
        if _is_rule(line):
            close()
            continue
        heading = _heading_text(line)
        if heading is None:
            heading = _bold_line_text(line)
        if heading is not None:
            close()
            section = _shorten(clean_text(heading).rstrip(":").strip(), MAX_SECTION) or section
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
    return items


def _requirements(items: list[tuple[str, str]], doc_id: str) -> list[JDRequirement]:
    """The requirements of the bullets that have text once cleaned, each with its id.

    A section's slug is taken once, in the order sections first appear; two sections whose names make
    the same slug get ``-2``, ``-3``... Bullets are numbered within their section.
    """
    requirements: list[JDRequirement] = []
    slugs: dict[str, str] = {}  # section -> its slug
    taken: set[str] = set()
    next_suffix: dict[str, int] = {}  # base slug -> the next number to try after it
    counters: dict[str, int] = {}
    for sec, raw in ((s, clean_text(t)) for s, t in items):
        if not raw:
            continue
        if sec not in slugs:
            base = _slug_of_section(sec)
            slug, n = base, next_suffix.get(base, 2)
            while slug in taken:
                slug, n = f"{base}-{n}", n + 1
            next_suffix[base] = n
            slugs[sec] = slug
            taken.add(slug)
        counters[sec] = counters.get(sec, 0) + 1
        requirements.append(
            JDRequirement(
                id=f"{doc_id}.{slugs[sec]}.{counters[sec]:02d}",
                section=sec,
                position=len(requirements) + 1,
                text=raw,
            )
        )
    return requirements


def _slug_of_section(section: str) -> str:
    """The slug of a section's name in requirement ids: up to 4 words, at most :data:`MAX_SLUG` characters."""
    slug = slugify(section, max_words=4, drop_stopwords=True) or "general"
    if len(slug) > MAX_SLUG:
        cut = slug[:MAX_SLUG]
        slug = cut[: cut.rfind("-")] if "-" in cut else cut
    return slug


def _check_id(doc_id: str) -> str:
    if not _DOC_ID.match(doc_id):
        raise JDError(
            f"'{one_line(doc_id[:80])}' is not a document id: use lowercase letters, digits and hyphens, "
            "such as 'ml-platform-lead'"
        )
    if len(doc_id) > MAX_ID:
        raise JDError(f"the document id is {len(doc_id)} characters long; at most {MAX_ID} are allowed")
    return doc_id


def jd_from_bytes(data: bytes, path: str | os.PathLike[str], *, doc_id: str | None = None) -> ParsedJD:
    """Parse the bytes of the job-description file ``path`` (UTF-8 text); the id defaults to the file's stem.

    Raises :class:`JDError` naming the file.
    """
    shown = display_path(path)
    if not data.strip():
        raise JDError(f"{shown}: the file is empty")
    try:
        text = decode_text(data, path, kind="job description")
    except InputError as exc:
        raise JDError(str(exc)) from None
    name = os.path.basename(os.fspath(path))
    stem = name.rsplit(".", 1)[0] if "." in name[1:] else name
    try:
        ident = _check_id(doc_id if doc_id is not None else (slugify(stem) or "jd"))
        return replace(parse_jd_text(text, ident), source_name=_shorten(name, MAX_TITLE))
    except JDError as exc:
        raise JDError(f"{shown}: {exc}") from None


def read_jd_file(path: Path, *, doc_id: str | None = None) -> ParsedJD:
    """Read and parse a job-description file; the document id defaults to the file's stem.

    The file is read through :mod:`interviewkit.inputs`: only a regular file of at most 5 MB. Raises
    :class:`JDError` with one line naming the file.
    """
    try:
        data = read_bytes(path, kind="job description")
    except InputError as exc:
        raise JDError(str(exc)) from None
    return jd_from_bytes(data, path, doc_id=doc_id)
