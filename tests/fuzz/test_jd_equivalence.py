"""The job-description parser's string code reads text as the regular expressions it replaced did.

The old expressions backtracked (cubic time for a heading with a long run of spaces), so they are kept
here only as the reference, run on short texts where their cost does not matter.
"""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from interviewkit.bank import jd
from tests.fuzz.support import NORMAL

OLD_HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+(?P<text>.+?)\s*#*\s*$")
OLD_BOLD_LINE = re.compile(r"^\s*(\*\*|__)(?P<text>[^*_].*?)\1\s*:?\s*$")
OLD_RULE = re.compile(r"^\s*([-*_])(\s*\1){2,}\s*$")
OLD_INLINE_SEP = re.compile(r"\s+[-•*–]\s+(?=\S)")
OLD_CITATION = re.compile(r"\s*\[\d+\](?:\[\d+\])*|\s*\[\^\d+\]")
OLD_LINK = re.compile(r"\[([^\]]+)\]\([^)]*\)")
OLD_EMPHASIS = re.compile(r"(\*\*|__|\*|_|`)(?=\S)(.+?)(?<=\S)\1")


def old_clean_text(text: str) -> str:
    text = OLD_LINK.sub(r"\1", text)
    text = OLD_CITATION.sub("", text)
    for _ in range(2):
        text = OLD_EMPHASIS.sub(r"\2", text)
    text = re.sub(r"\s+", " ", text).strip()
    text = text.strip(" \t;,")
    return re.sub(r"(?<![.][a-z])\.+$", "", text).rstrip(" ;,")


LINES = st.text(alphabet=list(" \t#*_`-•:.![](^)1aAbB,;e–\u00a0\x0b"), max_size=16)


@NORMAL
@given(line=LINES)
def test_line_shapes_read_as_before(line: str) -> None:
    old = OLD_HEADING.match(line)
    heading = jd._heading_text(line)
    if old is None:
        assert heading is None
    else:  # a heading whose text is only white space reads "" now: both clean to ""
        assert heading == (old.group("text") if old.group("text").strip() else "")
    old = OLD_BOLD_LINE.match(line)
    assert jd._bold_line_text(line) == (old.group("text") if old else None)
    assert jd._is_rule(line) == bool(OLD_RULE.match(line))
    assert jd._INLINE_SEP.split(line) == OLD_INLINE_SEP.split(line)
    assert jd._CITATION.sub("", line) == OLD_CITATION.sub("", line)
    assert jd.clean_text(line) == old_clean_text(line)
