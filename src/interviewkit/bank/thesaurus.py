"""The bank's thesaurus and the words of a text as the suggestion ranker sees them (no numpy: ``bank check``
validates the thesaurus without loading the ranker).

``question_bank/thesaurus.yaml`` is a YAML list of groups, each a list of at least two words or phrases that
mean the same in this field; each group becomes one term. Words are stemmed by a light suffix stripper
(deploy, deploys, deployed, deploying and deployment meet) and job-ad stop words are dropped.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path

import yaml

from interviewkit.bank.model import Problem

__all__ = ["Thesaurus", "ThesaurusError", "load_thesaurus", "parse_thesaurus", "stem", "terms", "thesaurus_problems"]

# Words of job ads that say nothing about the skill asked for.
_STOP = frozenset(
    """a an and are as at be been being by for from has have in into is it its of on or the to with
    experience experienced ability able knowledge understanding strong including include e g eg etc using
    use your our their we you will this that these those such both other skill skills proven track record
    excellent good great deep solid hands hand demonstrated demonstrate familiarity familiar proficiency
    proficient expertise expert plus preferred ideally bonus nice must should would can could
    role roles across within work working well high level levels new more most least also any all each
    who what how when where which while ensure ensuring etc related relevant various similar them they it
    not over own owning down up out off bring make sure turn keep set get put take give cut run drive
    between about than very per via so ideal ideally foundation foundations background""".split()
)

_TOKEN = re.compile(r"[a-z0-9]+(?:\+\+|#)?")
_VOWEL = re.compile(r"[aeiouy]")

# Inflections first (an -ed/-ing word gets back its e, stripped again below), then derivations.
_INFLECTIONS = (("ies", "y"), ("sses", "ss"), ("ing", "e"), ("ed", "e"), ("ly", ""), ("s", ""))
_DERIVATIONS = (
    ("isation", "iz"),
    ("ization", "iz"),
    ("ational", "ate"),
    ("ation", "ate"),
    ("ments", ""),
    ("ment", ""),
    ("ness", ""),
    ("ability", ""),
    ("ibility", ""),
    ("able", ""),
    ("ible", ""),
    ("ity", ""),
    ("ise", "iz"),
    ("ize", "iz"),
    ("ate", ""),
    ("ive", ""),
    ("al", ""),
    ("e", ""),
)


@lru_cache(maxsize=1 << 16)  # a ranker stems the bank's ~50,000 words, a few thousand of them different
def stem(word: str) -> str:
    """A light English stemmer: deploy, deploys, deployed, deploying, deployment -> deploy."""
    if len(word) <= 3 or not word.isalpha():
        return word
    for suffix, repl in _INFLECTIONS:
        if not word.endswith(suffix):
            continue
        if suffix == "s" and word.endswith(("ss", "us", "is")):
            break
        rest = word[: -len(suffix)]
        if len(rest) >= 3 and _VOWEL.search(rest):
            word = rest + repl
        break
    for _ in range(2):
        for suffix, repl in _DERIVATIONS:
            if word.endswith(suffix) and len(word) - len(suffix) >= 3:
                word = word[: -len(suffix)] + repl
                break
        else:
            break
    if len(word) > 3 and word[-1] == word[-2] and word[-1] not in "sz":
        word = word[:-1]
    return word


# -- the thesaurus -------------------------------------------------------------------------------------------


class ThesaurusError(ValueError):
    """A thesaurus file that cannot be used; the message names the file and line (also kept apart)."""

    def __init__(self, name: str, line: int, problem: str) -> None:
        super().__init__(f"{name}:{line}: {problem}" if line else f"{name}: {problem}")
        self.name, self.line, self.problem = name, line, problem


@dataclass(frozen=True)
class Thesaurus:
    """Groups of words and phrases that mean the same: each maps to its group's first entry's term."""

    words: Mapping[str, str] = field(default_factory=dict)  # stem -> the group's term
    phrases: Mapping[tuple[str, ...], str] = field(default_factory=dict)  # stems -> the group's term
    labels: Mapping[str, str] = field(default_factory=dict)  # the group's term -> its first entry, as written

    @cached_property  # asked once per text a ranker reads
    def longest_phrase(self) -> int:
        return max((len(p) for p in self.phrases), default=1)


def _raw_stems(text: str) -> list[str]:
    return [stem(w) for w in _TOKEN.findall(text.lower())]


def parse_thesaurus(text: str, name: str = "thesaurus.yaml") -> Thesaurus:
    """Read a thesaurus: a YAML list of groups, each a list of at least two words or phrases.

    Raises :class:`ThesaurusError` naming ``name`` and the line of the first problem (a group that is not a
    list, an entry that is not text or has no word, a word or phrase in two groups)."""
    try:
        # libyaml when PyYAML has it: the shipped thesaurus took ~0.1 s CPU to compose with the pure-Python
        # parser on every `jd suggest`; the same nodes and lines with libyaml
        root = yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 1
        raise ThesaurusError(name, line, f"not YAML: {getattr(exc, 'problem', exc)}") from None
    if root is None:
        return Thesaurus()
    if not isinstance(root, yaml.SequenceNode):
        raise ThesaurusError(name, root.start_mark.line + 1, "expected a list of groups of synonyms")
    words: dict[str, str] = {}
    phrases: dict[tuple[str, ...], str] = {}
    labels: dict[str, str] = {}
    seen: dict[tuple[str, ...], int] = {}
    for group in root.value:
        line = group.start_mark.line + 1
        if not isinstance(group, yaml.SequenceNode) or len(group.value) < 2:
            raise ThesaurusError(name, line, "a group is a list of at least two words or phrases")
        term = ""
        for entry in group.value:
            at = entry.start_mark.line + 1
            if not isinstance(entry, yaml.ScalarNode) or not entry.value.strip():
                raise ThesaurusError(name, at, "an entry is a word or a phrase")
            stems = tuple(s for s in _raw_stems(entry.value))
            if not stems:
                raise ThesaurusError(name, at, f"{entry.value!r} has no word")
            if seen.get(stems, line) != line:
                raise ThesaurusError(name, at, f"{entry.value!r} is already in the group of line {seen[stems]}")
            seen[stems] = line
            if not term:
                term = "~" + "_".join(stems)
                labels[term] = entry.value.strip()
            if len(stems) == 1:
                words[stems[0]] = term
            else:
                phrases[stems] = term
    return Thesaurus(words, phrases, labels)


def thesaurus_problems(root: Path) -> list[Problem]:
    """What ``bank check`` says of a bank's thesaurus: nothing, or its first problem as an error."""
    try:
        load_thesaurus(root / "thesaurus.yaml")
    except ThesaurusError as exc:
        return [Problem(exc.name, exc.line, "", exc.problem)]
    return []


def load_thesaurus(path: Path) -> Thesaurus:
    """The thesaurus file of a bank (an empty one when the bank has none)."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return Thesaurus()
    except (OSError, UnicodeDecodeError) as exc:
        raise ThesaurusError(path.name, 0, f"cannot be read: {exc}") from None
    return parse_thesaurus(text, path.name)


def terms(text: str, thesaurus: Thesaurus, *, surface: dict[str, str] | None = None) -> list[str]:
    """The terms of ``text``: stems of its words less stop words, with the thesaurus's phrases and
    synonyms replaced by their group's term. ``surface`` gets each term's first word (or phrase) as written."""
    words = _TOKEN.findall(text.lower())
    stems = [stem(w) for w in words]
    out: list[str] = []
    i, longest = 0, thesaurus.longest_phrase
    while i < len(stems):
        for n in range(min(longest, len(stems) - i), 1, -1):
            term = thesaurus.phrases.get(tuple(stems[i : i + n]))
            if term is not None:
                out.append(term)
                if surface is not None:
                    surface.setdefault(term, " ".join(words[i : i + n]))
                i += n
                break
        else:
            word, s = words[i], stems[i]
            i += 1
            if word in _STOP or s in _STOP or len(word) < 2 or word.isdigit():
                continue
            term = thesaurus.words.get(s, s)
            out.append(term)
            if surface is not None:
                surface.setdefault(term, word)
    return out
