"""Job descriptions: read one (Markdown, plain text, a saved web page, a PDF or a Word file) and extract its
requirements.

The file's format is read by :mod:`interviewkit.bank.jd_readers` into Markdown-like text; this module finds
the requirements in it. A requirement is one bullet of the document (``-``, ``*``, ``•``, ``·``, ``✔``,
``→``, ``▪``, an emoji... or a numbered item), kept with the section it stands in, its position and its
line. Job ads pasted from web pages often lose their line breaks ("you will:- Lead ... - Oversee ...");
such inline lists are split back into bullets first. A heading run into the end of a bullet ("... model
serving. Technical Requirements:") starts the next section.

Sections that hold no requirement (benefits, pay, the company's blurb, an equal-opportunity statement, how
to apply) are skipped and listed with the reason; so are bullets that state a pay range. Prose is split
into requirement sentences, marked ``from_prose`` for review, when the document has no bullets or in a
section named for requirements that has no list. Each requirement is a must-have or nice to have
(``priority``), as its document says (:mod:`interviewkit.bank.jd_vocabulary`).

Each requirement gets a readable id that only depends on the document id, the section and the
requirement's position in that section: ``<doc>.<section-slug>.<nn>``, e.g.
``ml-eng-manager-profile.technical-expertise.01``.
"""

from __future__ import annotations

import os
import re
import unicodedata
from bisect import bisect_left
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import lru_cache, partial
from pathlib import Path

from interviewkit.bank.jd_readers import ReaderError, read_document
from interviewkit.bank.jd_vocabulary import (
    METRIC,
    MUST,
    NICE,
    QUALIFICATION,
    RESPONSIBILITY,
    addresses_candidate,
    is_requirement_heading,
    is_requirement_sentence,
    kind_of,
    names_a_section,
    priority_of,
    sentence_skip_reason,
    skip_reason,
    split_sentences,
)
from interviewkit.inputs import InputError, display_path, one_line, read_bytes

__all__ = [
    "MAX_REQUIREMENTS",
    "METRIC",
    "MUST",
    "NICE",
    "QUALIFICATION",
    "RESPONSIBILITY",
    "JDError",
    "JDRequirement",
    "ParsedJD",
    "SkippedPart",
    "clean_text",
    "jd_from_bytes",
    "parse_jd_text",
    "read_jd_file",
    "requirement_kinds",
    "slugify",
]


class JDError(Exception):
    """A job description that cannot be read: empty, binary, unreadable or without requirements."""


@dataclass(frozen=True)
class JDRequirement:
    """One requirement extracted from a job description.

    ``priority`` is :data:`MUST` or :data:`NICE`; made without one (from what the database keeps: the
    section and the text), it is found from them by :func:`~interviewkit.bank.jd_vocabulary.priority_of`.
    ``kind`` is :data:`QUALIFICATION`, :data:`RESPONSIBILITY` or :data:`METRIC`, from the section and the
    headings it stands under (:func:`~interviewkit.bank.jd_vocabulary.kind_of`). The database keeps no
    enclosing heading: made without a kind, it is found from the section alone, which cannot tell "Team
    Leadership" under "Key Responsibilities" from a qualification; :func:`requirement_kinds` reads it
    again from the stored text of the document.
    """

    id: str
    section: str
    position: int  # 1-based position in the whole document
    text: str
    priority: str = ""
    from_prose: bool = False  # a sentence of a paragraph, not a bullet: for the user to review
    line: int = 0  # the line of the document's text it starts on (1-based; 0 when not known)
    kind: str = ""

    def __post_init__(self) -> None:
        if not self.priority:
            object.__setattr__(self, "priority", priority_of(self.section, self.text))
        if not self.kind:
            object.__setattr__(self, "kind", kind_of(self.section))


@dataclass(frozen=True)
class SkippedPart:
    """A part of a job description that holds no requirement: its section, line, why, and its bullets or
    paragraphs (each cut to 200 characters)."""

    section: str
    line: int
    reason: str
    texts: tuple[str, ...]


@dataclass(frozen=True)
class ParsedJD:
    """A job description and the requirements found in it."""

    id: str
    title: str
    text: str
    requirements: tuple[JDRequirement, ...] = field(default_factory=tuple)
    source_name: str = ""  # the file it was read from, if any
    skipped: tuple[SkippedPart, ...] = field(default_factory=tuple)
    source_format: str = ""  # how the file was read: markdown, text, html, pdf or docx ("" for given text)


_STOPWORDS = frozenset(
    "a an and as at be for have in is it of on or our should that the this to we will with you your "
    "who what which are can involve involves youll youre well do does".split()
)

# Every pattern below runs on text from outside, so none may backtrack more than linearly: no two
# quantifiers that can match the same characters stand next to each other or inside one another. Where a
# pattern would need that (headings, bold lines, rules, links, emphasis), plain string code does the work.
# A bullet: '-', '*', '+', '•' and their kin or a number, then white space; or another glyph used as one
# ('·', '✔', '→', '▪', '■', '►', an emoji; Word's Symbol-font bullets in the private use area), with or
# without white space after it.
_GLYPHS = (
    "\u00b7\u2014\u2043\u2219\u2190-\u21ff\u25a0-\u25ff\u2600-\u27bf\u2b50\u2b9a-\u2bbf"
    "\uf076\uf0a7\uf0b7\uf0d8\uf0e0\uf0fc\U0001f300-\U0001faff"
)
_BULLET = re.compile(
    rf"^(?P<indent>\s*)(?:(?:[-*•+●▪◦‣–]|\d{{1,3}}[.)])\s+(?P<text>\S.*)"
    rf"|(?P<glyph>[{_GLYPHS}])\ufe0f?\s*(?P<glyph_text>[^\s{_GLYPHS}].*))$"
)
# An inline list: a lead-in ending with a colon, then "- item - item - item".
_INLINE_START = re.compile(r":\s*[-•*–]\s+(?=\S)")
# Between two items; a separator starts where its white space does (never inside it), which keeps a long
# run of spaces from being scanned again from each of its positions.
_INLINE_SEP = re.compile(r"(?<!\s)\s+[-•*–]\s+(?=\S)")
# A list run into one line by a round bullet ("• item • item • item"): a round bullet is never a dash or a
# separator inside a sentence, so each one with white space around it starts an item (a dash or a middle dot
# may be either, and only splits after a lead-in's colon, above).
_ROUND_BULLETS = "•●▪◦‣"
_ROUND_SEP = re.compile(rf"(?:^|(?<=\s))[{_ROUND_BULLETS}]\s+(?=\S)")
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


def _is_capitals(line: str) -> bool:
    """A line in capitals ("SECURITY", "PERSON SPECIFICATION"): a heading when it stands alone, as plain-text
    ads and civil-service adverts write them."""
    return line.upper() == line and sum(ch.isalpha() for ch in line) >= 3


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


def _split_round_bullets(line: str) -> list[str]:
    """One line holding two or more items of a round-bullet list, as one line per item (what stood before
    the first bullet, a heading or a lead-in, on a line of its own); any other line as it is."""
    starts = [m.start() for m in _ROUND_SEP.finditer(line)]
    if len(starts) < 2:
        return [line]
    head = line[: starts[0]].strip()
    items = [line[a:b].strip() for a, b in zip(starts, [*starts[1:], len(line)], strict=True)]
    return ([head] if head else []) + [item for item in items if item[1:].strip()]


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
    """Extract the requirements of a job description given as text (Markdown or plain).

    Bullets are requirements; sections that hold none (benefits, pay, the company's blurb, an equal
    opportunity statement, how to apply) are skipped and listed in ``skipped`` with the reason. Prose
    becomes requirement sentences (``from_prose``) when the document has no bullets, or in a section named
    for requirements that has no list. Raises :class:`JDError` when the text is empty, holds no requirement
    at all, or more than :data:`MAX_REQUIREMENTS`. The work is linear in the length of the text.
    """
    if not text.strip():
        raise JDError("the document is empty")
    raw_lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    lines: list[tuple[int, str]] = []
    for number, line in enumerate(raw_lines, start=1):
        if ":" in line and _INLINE_START.search(line):
            lines.extend((number, part) for part in _expand_inline_lists(line))
        elif any(bullet in line for bullet in _ROUND_BULLETS):
            lines.extend((number, part) for part in _split_round_bullets(line))
        else:
            lines.append((number, line))
    scanner = _Scanner(lines)
    candidates, skipped = _candidates(scanner.run(), scanner.first_line)
    requirements = _requirements(candidates, doc_id)
    if not requirements:
        if skipped:
            raise JDError(
                "no requirements found: every section of the document holds none ("
                + "; ".join(dict.fromkeys(f"'{one_line(p.section[:60])}': {p.reason.split(':')[0]}" for p in skipped))
                + ")"
            )
        raise JDError("no requirements found: the document has no bullets, numbered items or requirement sentences")
    return ParsedJD(
        id=doc_id,
        title=title or _title_of(raw_lines, doc_id),
        text=text,
        requirements=tuple(requirements),
        skipped=tuple(skipped),
    )


# The level of a heading that is not an ATX one ("**Skills**", "Skills:", a short line before a list): below
# every '#' heading, beside the other such headings.
_INNER_LEVEL = 7
# A short line that stands alone before a list ("Requirements", "What we offer") is a heading.
_PLAIN_HEADING_WORDS = 8
_PLAIN_HEADING_CHARS = 80


@dataclass(frozen=True)
class _Heading:
    """The section a line stands in: its name, where it starts, and what its document says of it."""

    name: str
    level: int
    line: int
    skip: str | None = None  # why it holds no requirement (its own name's, or a heading's it stands under)
    enclosing: tuple[str, ...] = ()  # the names of the headings it stands under (not the document's title)
    asks: bool = False  # named for requirements ("Requirements", "What you'll do")


@dataclass
class _Block:
    """A bullet (with its continuation lines) or a paragraph of prose."""

    is_bullet: bool
    heading: _Heading
    line: int
    parts: list[str]


class _Scanner:
    """Reads the lines of a document into bullets and paragraphs, each under its heading."""

    def __init__(self, lines: list[tuple[int, str]]) -> None:
        self.lines = lines
        self.heading = _Heading("General", 0, 0)
        self.stack: list[_Heading] = []  # the '#' headings the current line stands under
        self.blocks: list[_Block] = []
        self.open: _Block | None = None
        self.bullets = 0
        self.seen_text = False  # a non-blank line came before: the next heading is not the title
        self.first_line = 0  # the number of the document's first non-blank line

    def run(self) -> list[_Block]:
        for index, (number, line) in enumerate(self.lines):
            self._line(index, number, line)
        self._close()
        return self.blocks

    def _line(self, index: int, number: int, line: str) -> None:
        stripped = line.strip()
        if not stripped:
            self._close()
            return
        lead = stripped[0]  # each test below runs only on lines that start as it needs
        if lead in "-*_" and _is_rule(line):
            self._close()
            self.seen_text = True
            return
        first_line = not self.seen_text
        if first_line:
            self.first_line = number
        self.seen_text = True
        heading = _heading_text(line) if lead == "#" else None
        level = len(stripped) - len(stripped.lstrip("#")) if heading is not None else _INNER_LEVEL
        if heading is None and lead in "*_":
            heading = _bold_line_text(line)
        if heading is not None:
            self._close()
            name = _shorten(clean_text(heading).rstrip(":").strip(), MAX_SECTION)
            if name:
                self._enter(name, level, number, title=first_line)
            return
        bullet = None if lead.isalpha() else _BULLET.match(line)
        if bullet:
            self._close()
            if bullet.group("glyph") and self._glyph_heading(index, bullet.group("glyph"), bullet.group("glyph_text")):
                name = _shorten(clean_text(bullet.group("glyph_text")).rstrip(":").strip(), MAX_SECTION)
                if name:
                    self._enter(name, _INNER_LEVEL, number, title=first_line)
                return
            self.open = _Block(True, self.heading, number, [bullet.group("text") or bullet.group("glyph_text")])
            return
        if self.open is not None and self.open.is_bullet and (line[0] in " \t" or line[0].islower()):
            self.open.parts.append(stripped)  # a continuation: indented, or going on in lower case
            return
        in_paragraph = self.open is not None
        if stripped.endswith(":") and len(stripped) <= 160:
            self._close()
            name = clean_text(_last_sentence(stripped[:-1])[1])
            if name:
                self._enter(name, _INNER_LEVEL, number, title=first_line)
            return
        if not in_paragraph and self._plain_heading(index, stripped):
            self._enter(_shorten(clean_text(stripped), MAX_SECTION), _INNER_LEVEL, number, title=first_line)
            return
        if self.open is not None and not self.open.is_bullet:
            self.open.parts.append(stripped)
            return
        self._close()
        self.open = _Block(False, self.heading, number, [stripped])

    def _plain_heading(self, index: int, stripped: str) -> bool:
        """Whether a line of plain text that stands alone is a heading: short, not a sentence, and followed by
        a list or named as a section ("Requirements", "Benefits")."""
        if len(stripped) > _PLAIN_HEADING_CHARS or stripped[-1] in ".,;!?" or not stripped[0].isupper():
            return False
        if len(stripped.split()) > _PLAIN_HEADING_WORDS:
            return False
        if names_a_section(stripped) or _is_capitals(stripped):
            return True
        for _number, after in self.lines[index + 1 : index + 3]:
            if after.strip():
                return bool(_BULLET.match(after))
        return False

    def _glyph_heading(self, index: int, glyph: str, text: str) -> bool:
        """Whether a line led by a glyph ("🚀 What you'll do") is a heading, not a bullet: it ends with a colon,
        names a section that holds no requirement, or names one of requirements and the next line is a
        bullet of another kind."""
        core = text.strip()
        if core.endswith(":"):
            return True
        if len(core.split()) > _FUSED_HEADING_WORDS or core[-1] in ".,;!?":
            return False
        if skip_reason(core) is not None:
            return True
        if not is_requirement_heading(core):
            return False
        for _number, after in self.lines[index + 1 : index + 3]:
            if after.strip():
                return bool(_BULLET.match(after)) and not after.lstrip().startswith(glyph)
        return False

    def _enter(self, name: str, level: int, line: int, *, title: bool) -> None:
        """Start the section ``name``: its skip reason is its own, or (unless it is named for requirements)
        that of the '#' heading it stands under. The document's title (its first line, a '#' heading or a
        line of text) is never skipped, and the headings under it do not stand under it."""
        title = title and level in (1, _INNER_LEVEL)
        if level < _INNER_LEVEL:
            while self.stack and self.stack[-1].level >= level:
                self.stack.pop()
        parents = list(self.stack)
        asks = is_requirement_heading(name)
        skip = None if title else skip_reason(name)
        if skip is None and not asks and parents:
            skip = parents[-1].skip
        heading = _Heading(name, level, line, skip, tuple(h.name for h in parents), asks)
        if level < _INNER_LEVEL and not title:
            self.stack.append(heading)
        self.heading = heading

    def _close(self) -> None:
        block, self.open = self.open, None
        if block is None:
            return
        self.blocks.append(block)
        if not block.is_bullet:
            return
        self.bullets += 1
        if self.bullets > MAX_REQUIREMENTS:
            raise JDError(
                f"more than {MAX_REQUIREMENTS:,} bullets: a job description has tens of requirements, "
                "so this is not one"
            )
        head, fused = _split_fused_heading(" ".join(block.parts))
        if fused:  # "... model serving. Technical Requirements:": the heading starts the next section
            block.parts = [head]
            self._enter(fused, _INNER_LEVEL, block.line, title=False)


# A sentence boundary, used to find a heading run into the end of a bullet or a lead-in line.
_HEADING_BREAK = re.compile(r"[.!?](?=\s*[A-Z])")
_FUSED_HEADING_WORDS = 6


def _last_sentence(text: str) -> tuple[str, str]:
    """``text`` cut before its last sentence: ("We ship weekly.", "Requirements")."""
    cut = 0
    for m in _HEADING_BREAK.finditer(text):
        cut = m.end()
    return text[:cut].strip(), text[cut:].strip()


def _split_fused_heading(raw: str) -> tuple[str, str | None]:
    """A bullet that ends with a heading ("Build model serving. Technical Requirements:"), split into the
    bullet's text and the heading; (raw, None) when it ends with none."""
    core = raw.rstrip()
    if not core.endswith(":"):
        return raw, None
    head, heading = _last_sentence(core[:-1])
    if not head or not 1 <= len(heading.split()) <= _FUSED_HEADING_WORDS:
        return raw, None
    name = clean_text(heading)
    return (head, name) if name else (raw, None)


@dataclass(frozen=True)
class _Candidate:
    heading: _Heading
    line: int
    text: str
    order: int  # the block's place in the document
    from_prose: bool = False


def _candidates(blocks: list[_Block], title_line: int) -> tuple[list[_Candidate], list[SkippedPart]]:
    """The requirements of the blocks, in order, and the parts skipped with the reason.

    Bullets are requirements unless their section is skipped, or they state pay, equal opportunity or how to
    apply. Prose counts when the document has no bullet left, or in a section named for requirements
    that has no bullet; its sentences that ask something of the candidate become requirements.
    """
    skipped: dict[tuple[int, str, str], list[str]] = {}  # (line, section, reason) -> texts

    def skip(heading: _Heading, line: int, reason: str, text: str) -> None:
        skipped.setdefault((line, heading.name, reason), []).append(_shorten(text, 200))

    out: list[_Candidate] = []
    with_bullets: set[int] = set()
    for order, block in enumerate(blocks):
        if not block.is_bullet:
            continue
        text = clean_text(" ".join(block.parts))
        if not text:
            continue
        if block.heading.skip:
            skip(block.heading, block.heading.line, block.heading.skip, text)
        elif reason := sentence_skip_reason(text):
            skip(block.heading, block.line, reason, text)
        else:
            out.append(_Candidate(block.heading, block.line, text, order))
            with_bullets.add(id(block.heading))
    prose_everywhere = not out
    first = _title_block(blocks, title_line)
    prose: list[_Candidate] = []
    for order, block in enumerate(blocks):
        if block.is_bullet or block is first:
            continue
        heading = block.heading
        if heading.skip:
            skip(heading, heading.line, heading.skip, clean_text(" ".join(block.parts)))
            continue
        sentences = [t for t in (clean_text(s) for s in split_sentences(" ".join(block.parts))) if t]
        if prose_everywhere or (heading.asks and id(heading) not in with_bullets):
            asks: Callable[[str], bool] = partial(is_requirement_sentence, in_requirement_section=heading.asks)
        elif id(heading) not in with_bullets and any(map(addresses_candidate, sentences)):
            asks = addresses_candidate  # a prose ad beside a short list: its "You will ..." sentences
        else:
            continue
        for text in sentences:
            if reason := sentence_skip_reason(text):
                skip(heading, block.line, reason, text)
            elif asks(text):
                prose.append(_Candidate(heading, block.line, text, order, from_prose=True))
            else:
                skip(heading, block.line, _NOT_ASKED, text)
    merged = sorted(out + prose, key=lambda c: c.order)  # stable: the sentences of a paragraph keep theirs
    parts = [SkippedPart(section, line, reason, tuple(texts)) for (line, section, reason), texts in skipped.items()]
    return merged, sorted(parts, key=lambda p: p.line)


_NOT_ASKED = "prose that asks nothing of the candidate (about the role or the company)"


def _title_block(blocks: list[_Block], title_line: int) -> _Block | None:
    """The document's first block when it is one short line of prose before anything else: its title."""
    if not blocks or blocks[0].is_bullet or blocks[0].line != title_line:
        return None
    return blocks[0] if len(blocks[0].parts) == 1 and len(blocks[0].parts[0]) <= 120 else None


def _requirements(candidates: list[_Candidate], doc_id: str) -> list[JDRequirement]:
    """The requirements, each with its id.

    A section's slug is taken once, in the order sections first appear; two sections whose names make
    the same slug get ``-2``, ``-3``... Requirements are numbered within their section.
    """
    if len(candidates) > MAX_REQUIREMENTS:
        raise JDError(
            f"more than {MAX_REQUIREMENTS:,} requirements: a job description has tens of them, so this is not one"
        )
    requirements: list[JDRequirement] = []
    slugs: dict[str, str] = {}  # section -> its slug
    taken: set[str] = set()
    next_suffix: dict[str, int] = {}  # base slug -> the next number to try after it
    counters: dict[str, int] = {}
    for c in candidates:
        sec = c.heading.name
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
                text=c.text,
                priority=priority_of(sec, c.text, c.heading.enclosing),
                from_prose=c.from_prose,
                line=c.line,
                kind=kind_of(sec, c.heading.enclosing),
            )
        )
    return requirements


@lru_cache(maxsize=16)
def requirement_kinds(doc_id: str, text: str) -> dict[str, str]:
    """Requirement id -> kind, for the job description ``doc_id`` whose text is ``text`` (as stored: the
    text it was parsed from), read again with the headings each requirement stands under. Empty when the
    text no longer parses (the caller falls back on the section's own name). Do not change the result."""
    try:
        return {r.id: r.kind for r in parse_jd_text(text, doc_id).requirements}
    except JDError:
        return {}


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
    """Parse the bytes of the job-description file ``path`` (any format of :mod:`interviewkit.bank.jd_readers`);
    the id defaults to the file's stem.

    Raises :class:`JDError` naming the file.
    """
    shown = display_path(path)
    if not data.strip():
        raise JDError(f"{shown}: the file is empty")
    name = os.path.basename(os.fspath(path))
    try:
        document = read_document(data, name)
    except ReaderError as exc:
        raise JDError(f"{shown}: {exc}") from None
    stem = name.rsplit(".", 1)[0] if "." in name[1:] else name
    try:
        ident = _check_id(doc_id if doc_id is not None else (slugify(stem) or "jd"))
        parsed = parse_jd_text(document.text, ident)
    except JDError as exc:
        raise JDError(f"{shown}: {exc}") from None
    return replace(parsed, source_name=_shorten(name, MAX_TITLE), source_format=document.format)


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
