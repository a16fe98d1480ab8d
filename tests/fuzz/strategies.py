"""Hypothesis strategies for hostile bank files and job descriptions.

Generated files start from valid ones and are bent: fields replaced by hostile YAML (``.inf``, ``1.5``,
numbers of thousands of digits, aliases that multiply, tags, deep nesting, NUL and surrogate escapes, keys
that are lists), thousands of unknown fields, text with control characters, long runs of the characters the
Markdown parser looks at, and byte-level damage (cut short, bytes that are not UTF-8, NULs, CR line ends).
"""

from __future__ import annotations

import yaml
from hypothesis import strategies as st

from tests.fuzz.support import QUESTION

# YAML source that stands where a value goes. Each once crashed or could crash a naive reader.
RAW_VALUES = (
    ".inf", "-.inf", ".nan", "1.5", "0", "-1", "1e400", "99999999999999999999999", "9" * 5000, "0x10", "0o7",
    "true", "no", "null", "~", "''", '""', "[]", "{}", "[1, 2]", "[[[[[[[[]]]]]]]]", "[" * 300 + "]" * 300,
    "{a: {b: {c: {d: 1}}}}", '"\\0"', '"a\\x00b"', '"\\ud800"', '"\\U0010ffff"', '"\\e[31mred"', '"a\\nb"',
    "!!binary aGVsbG8=", "!!python/object:os.system x", "!!set {a, b}", "!!omap [a: 1]", "2001-12-14",
    "2001-12-14t21:59:43.10-05:00", "&a [1, 2]", "*nope", "<<: {x: 1}", "|\n  block\n  text", ">-\n  folded",
    "'" + "x" * 400 + "'", "a: b: c", "- x", "@at", "`tick", "%percent", "? complex", "\t", '"\\t\\r\\f"',
)

BILLION_LAUGHS = "".join(
    f"l{i}: &l{i} [" + ", ".join([f"*l{i - 1}"] * 9 if i else ["lol"] * 9) + "]\n" for i in range(9)
)

SCALAR_TEXT = st.text(
    alphabet=st.characters(codec="utf-8", exclude_characters="\n\r"), max_size=40
) | st.sampled_from(["", " ", "x" * 301, "\u202eevil", "é", "☕", "東京", "\x1b[2J", "a\u2028b"])

PLAIN_VALUES = st.one_of(
    st.integers(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.none(),
    SCALAR_TEXT,
    st.lists(SCALAR_TEXT, max_size=5),
    st.dictionaries(st.one_of(SCALAR_TEXT, st.integers(), st.floats()), SCALAR_TEXT, max_size=4),
)


def _dump(value: object) -> str:
    """A value as one line of YAML source (flow style); something odd when PyYAML cannot write it."""
    try:
        return yaml.safe_dump(value, default_flow_style=True, allow_unicode=True, width=10**9).strip()
    except Exception:  # noqa: BLE001 - e.g. surrogates
        return "~"


VALUE_SOURCES = st.one_of(st.sampled_from(RAW_VALUES), PLAIN_VALUES.map(_dump))

# What the Markdown and JD parsers look at, to be repeated into long runs.
MARKDOWN_PIECES = (
    "# ", "## ", "###### ", "####### ", "- ", "* ", "+ ", "• ", "1. ", "2) ", "**", "__", "*", "_", "`", "[", "]",
    "(", ")", "[1]", "[^2]", "[a](b)", ":", ": - ", " - ", ".", "!", "?", " ", "\t", "\n", "\n\n", "\r", "\r\n",
    "a", "Ab", "word", "you will:", "To excel", "---", "***", "___", "#tag", "e.g.", "\x0b", "\x0c", "\u00a0",
    "\u2028", "\x1c", "\x85", "é", "\ufeff",
)


@st.composite
def markdown_text(draw: st.DrawFn, *, max_pieces: int = 60) -> str:
    """Markdown-like text: pieces and long runs of one piece (the shapes that made regexes backtrack)."""
    parts = []
    for _ in range(draw(st.integers(0, max_pieces))):
        piece = draw(st.sampled_from(MARKDOWN_PIECES) | SCALAR_TEXT)
        times = draw(st.sampled_from((1, 1, 1, 2, 3, 50, 2_000, 20_000)))
        parts.append(piece * times)
    return "".join(parts)[:300_000]


@st.composite
def damaged(draw: st.DrawFn, data: bytes) -> bytes:
    """``data``, sometimes damaged at the byte level."""
    how = draw(st.sampled_from(("none", "none", "none", "cut", "insert", "crlf", "bom", "latin1", "nul", "cr")))
    if how == "cut" and data:
        return data[: draw(st.integers(0, len(data) - 1))]
    if how == "insert":
        at = draw(st.integers(0, len(data)))
        return data[:at] + draw(st.binary(min_size=1, max_size=8)) + data[at:]
    if how == "crlf":
        return data.replace(b"\n", b"\r\n")
    if how == "cr":
        return data.replace(b"\n", b"\r")
    if how == "bom":
        return b"\xef\xbb\xbf" + data
    if how == "latin1":
        return data + b"caf\xe9"
    if how == "nul":
        return data + b"\x00"
    return data


QUESTION_FIELDS = ("id", "title", "competencies", "requirements", "kind", "level", "minutes", "follow_ups",
                   "rubric", "red_flags")
GOOD_NAMES = ("fuzz-question", "serving-story", "hiring-story", "x", "a-b.c_d")


@st.composite
def file_names(draw: st.DrawFn, *, suffix: bytes) -> bytes:
    """A file name as bytes: usually an id, sometimes with bytes that are not UTF-8 or control characters."""
    kind = draw(st.sampled_from(("good", "good", "good", "text", "bytes")))
    if kind == "good":
        stem = draw(st.sampled_from(GOOD_NAMES)).encode()
    elif kind == "text":
        stem = draw(st.text(st.characters(codec="utf-8", exclude_characters="/\x00"), min_size=1, max_size=60)).encode()
    else:
        stem = draw(st.binary(min_size=1, max_size=40)).replace(b"/", b"_").replace(b"\x00", b"_")
    if stem in (b".", b"..") or stem.startswith(b"."):
        stem = b"_" + stem
    return stem[:200] + suffix


@st.composite
def question_files(draw: st.DrawFn) -> tuple[bytes, bytes]:
    """(file name, bytes) of a question file: a valid one with fields bent, added or dropped (one in four
    is left valid, with unknown fields and a Markdown prompt, so that syncs that write are fuzzed too)."""
    pristine = draw(st.integers(0, 3)) == 0
    name = b"fuzz-question.md" if pristine else draw(file_names(suffix=b".md"))
    stem = name[:-3].decode("utf-8", "replace")
    text = QUESTION.format(qid=stem if pristine or draw(st.booleans()) else "fuzz-question",
                           title="A fuzzed question", prompt="Tell me about a time you fixed a slow model API.")
    front, _, body = text[4:].partition("\n---\n")
    lines = front.split("\n")
    out: list[str] = []
    bent = set() if pristine else draw(st.sets(st.sampled_from(QUESTION_FIELDS), max_size=4))
    dropped = set() if pristine else draw(st.sets(st.sampled_from(QUESTION_FIELDS), max_size=2))
    skipping = False
    for line in lines:
        key = line.split(":", 1)[0]
        if not line.startswith(" ") and key in QUESTION_FIELDS:
            skipping = key in dropped or key in bent
            if key in bent and key not in dropped:
                out.append(f"{key}: {draw(VALUE_SOURCES)}")
            if skipping:
                continue
        elif skipping:
            continue
        out.append(line)
    if not pristine and draw(st.booleans()):  # rubric levels bent one by one
        level = draw(st.sampled_from(("  1:", "  2:", "  3:", "  4:")))
        out = [f"  {draw(st.sampled_from(RAW_VALUES[:12]))}:" + ln[len(level):] if ln.startswith(level) else ln
               for ln in out]
    extra = draw(st.sampled_from((0, 0, 1, 3, 50, 5_000)))
    out.extend(f"unknown_{i}: {i}" for i in range(extra))
    if not pristine and draw(st.integers(0, 9)) == 0:
        out.append(BILLION_LAUGHS.rstrip("\n"))
    if not pristine and draw(st.integers(0, 4)) == 0:
        at = draw(st.integers(0, len(out)))
        out.insert(at, draw(st.sampled_from(RAW_VALUES)))
    if draw(st.booleans()):
        body = draw(markdown_text(max_pieces=20)) + "\n"
    if draw(st.booleans()) and body.strip():
        body = body.replace("\x00", "")
    data = ("---\n" + "\n".join(out) + "\n---\n" + body).encode("utf-8", "surrogatepass")
    return name, data if pristine else draw(damaged(data))


def _bend(value: object, draw: st.DrawFn, rate: int, depth: int = 0) -> object:
    """A YAML structure with about one value in ``rate`` replaced by a placeholder for raw YAML (or a plain
    value), items dropped or lists repeated as often (``rate`` 0: unchanged)."""
    def roll() -> bool:
        return rate > 0 and draw(st.integers(0, rate - 1)) == 0

    if depth > 0 and roll():
        return draw(st.sampled_from([f"zzraw{i}zz" for i in range(len(RAW_VALUES))]) | PLAIN_VALUES)
    if isinstance(value, dict):
        return {k: _bend(v, draw, rate, depth + 1) for k, v in value.items() if not roll()}
    if isinstance(value, list):
        items = [_bend(v, draw, rate, depth + 1) for v in value if not roll()]
        return items * (draw(st.sampled_from((2, 300))) if roll() else 1)
    return value


@st.composite
def bent_yaml(draw: st.DrawFn, source: str) -> bytes:
    """``source`` (a valid bank YAML file) with values bent, then written out and maybe damaged."""
    rate = draw(st.sampled_from((0, 3, 6, 12, 25)))
    bent = _bend(yaml.safe_load(source), draw, rate) if draw(st.integers(0, 19)) else draw(PLAIN_VALUES)
    try:
        text = yaml.safe_dump(bent, allow_unicode=True, sort_keys=False, width=10**9)
    except Exception:  # noqa: BLE001 - a surrogate PyYAML will not write: the file as it was
        text = source
    for i, raw in enumerate(RAW_VALUES):
        text = text.replace(f"zzraw{i}zz", raw)
    if draw(st.integers(0, 9)) == 0:
        text += BILLION_LAUGHS
    return draw(damaged(text.encode("utf-8", "surrogatepass")))


@st.composite
def job_descriptions(draw: st.DrawFn) -> bytes:
    """A job description: Markdown-like text with long runs, usually with a bullet, maybe damaged."""
    text = draw(markdown_text())
    if draw(st.booleans()):
        text += "\n## Duties\n- " + draw(markdown_text(max_pieces=10))
    return draw(damaged(text.encode("utf-8", "surrogatepass")))
