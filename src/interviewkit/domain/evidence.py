"""Evidence checklists: the threshold grammar of a question's levels, and the rating the ticks suggest.

A question lists the observable things a strong answer contains (its evidence items, numbered from 1);
each level of the scale above the lowest has a rule saying which ticked items it needs. A rule is one or
more terms joined by `` and `` (all must hold), each term one of::

    all                      every evidence item ticked
    any N                    at least N items ticked, whichever
    any N of A-B             at least N of those items (also: any N of A, C, D-F)
    A    A-B    A, B, D-F    each of those items ticked

Every term is "at least ``need`` of the items ``of``" (``all`` needs every item of all of them, ``1, 3``
needs both of {1, 3}), so checking a rule and finding the fewest ticks it can be met with are the same
small computation for every form. Pure Python: the cockpit, the loader and the tests share it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property

__all__ = [
    "MAX_ITEMS",
    "Rule",
    "RuleError",
    "Term",
    "parse_rule",
    "suggested_level",
]

# The most evidence items a rule can be parsed against. The bank keeps 3 to 7 per question; the bound
# keeps the search for a rule's fewest ticks (every subset of the items) small whatever a caller passes.
MAX_ITEMS = 12
# Item numbers and counts are at most three digits: nothing in a rule is ever bigger, and a number of
# thousands of digits never reaches int().
_NUMBER = r"\d{1,3}"
_RANGE = re.compile(rf"^({_NUMBER})(?:\s*[-\u2013]\s*({_NUMBER}))?$")
_ANY = re.compile(rf"^any\s+({_NUMBER})(?:\s+of\s+(.+))?$")
_AND = re.compile(r"\s+and\s+")
_FORMS = "all, any N, any N of A-B, or item numbers such as 1, 2-4"


class RuleError(ValueError):
    """A rule that does not parse, or names an item the checklist does not have; the message says which."""


@dataclass(frozen=True)
class Term:
    """At least ``need`` of the evidence items ``of`` are ticked."""

    need: int
    of: frozenset[int]

    def holds(self, ticked: frozenset[int] | set[int]) -> bool:
        return len(self.of & ticked) >= self.need


@dataclass(frozen=True)
class Rule:
    """A parsed threshold rule: every term must hold. ``text`` is the rule as written (white space tidied)."""

    text: str
    terms: tuple[Term, ...]
    n_items: int

    def holds(self, ticked: Iterable[int]) -> bool:
        """Whether the ticked item numbers meet the rule (numbers outside the checklist are ignored)."""
        have = frozenset(ticked)
        return all(t.holds(have) for t in self.terms)

    @cached_property
    def min_ticks(self) -> int:
        """The fewest ticked items that meet the rule (a higher level must never need fewer than a lower)."""
        items = range(1, self.n_items + 1)
        best = self.n_items
        for mask in range(1 << self.n_items):
            count = mask.bit_count()
            if count < best and self.holds(i for i in items if mask >> (i - 1) & 1):
                best = count
        return best

    @property
    def items(self) -> frozenset[int]:
        """The item numbers the rule names (every item for ``all`` and ``any N``)."""
        return frozenset().union(*(t.of for t in self.terms))

    def __str__(self) -> str:
        return self.text


def parse_rule(text: str, n_items: int) -> Rule:
    """Parse ``text`` against a checklist of ``n_items`` evidence items; raise :class:`RuleError` if it is not
    a rule of the grammar, names an item that does not exist, or can never be met (``any 5 of 1-3``)."""
    if not 1 <= n_items <= MAX_ITEMS:
        raise RuleError(f"a checklist has 1 to {MAX_ITEMS} evidence items, not {n_items}")
    tidy = " ".join(str(text).split())
    if not tidy:
        raise RuleError(f"empty rule: write {_FORMS}")
    if len(tidy) > 200:
        raise RuleError("a rule of more than 200 characters")
    terms = tuple(_term(part, n_items) for part in _AND.split(tidy.lower()))
    return Rule(tidy, terms, n_items)


def _term(part: str, n_items: int) -> Term:
    everything = frozenset(range(1, n_items + 1))
    if part == "all":
        return Term(n_items, everything)
    found = _ANY.match(part)
    if found:
        need = int(found.group(1))
        of = _items(found.group(2), n_items) if found.group(2) else everything
        if need < 1:
            raise RuleError(f"'{part}': N must be at least 1")
        if need > len(of):
            where = f"of the {len(of)} listed" if found.group(2) else f"of the checklist's {n_items}"
            raise RuleError(f"'{part}' can never be met: it needs {need} items {where}")
        return Term(need, of)
    if part.startswith("any"):
        raise RuleError(f"'{part}' is not a term: write any N or any N of A-B")
    of = _items(part, n_items)
    return Term(len(of), of)


def _items(text: str, n_items: int) -> frozenset[int]:
    """Item numbers written as ``A``, ``A-B`` or a comma-separated list of those, each within 1..n_items."""
    out: set[int] = set()
    for piece in text.split(","):
        found = _RANGE.match(piece.strip())
        if not found:
            raise RuleError(f"'{text.strip()}' is not a term: write {_FORMS}")
        first = int(found.group(1))
        last = int(found.group(2)) if found.group(2) else first
        if first > last:
            raise RuleError(f"'{piece.strip()}': a range runs from the lower item to the higher")
        for number in (first, last):
            if not 1 <= number <= n_items:
                raise RuleError(f"item {number} does not exist: the checklist has items 1 to {n_items}")
        out.update(range(first, last + 1))
    return frozenset(out)


def suggested_level(
    thresholds: Mapping[int, Rule] | Iterable[tuple[int, Rule]], ticked: Iterable[int], scale_min: int
) -> int:
    """The rating the ticked evidence items suggest: the highest level whose rule holds, else ``scale_min``.

    ``thresholds`` maps each level above the lowest to its rule (a mapping, or the pairs of
    :attr:`interviewkit.bank.model.Question.thresholds`); ``ticked`` are item numbers from 1. The
    suggestion is only shown beside the rating: the interviewer rates.
    """
    rules = dict(thresholds)
    have = frozenset(ticked)
    met = [level for level, rule in rules.items() if rule.holds(have)]
    return max(met, default=scale_min)
