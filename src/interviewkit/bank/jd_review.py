"""Edits a person makes to a job description's requirements before it is saved: delete, merge, split,
retag the priority, move to another section. Pure functions over a :class:`~interviewkit.bank.jd.ParsedJD`
(the review table in the app uses them; so could the CLI): each returns a new one whose requirements have
ids and positions numbered again as the parser numbers them (``<document>.<section slug>.<NN>``, sections in
the order they first appear, requirements counted within their section), so what is saved is what the table
showed.

Rows are addressed by their index in ``jd.requirements``. An index out of range, a merge of fewer than two rows, a
split into no text, an empty section or a priority other than must or nice raises :class:`ReviewError`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import replace

from interviewkit.bank.jd import MAX_SLUG, JDRequirement, ParsedJD, slugify
from interviewkit.bank.jd_vocabulary import MUST, NICE

__all__ = [
    "ReviewError",
    "delete",
    "merge",
    "move_to_section",
    "propose_split",
    "renumber",
    "retag",
    "split",
]

MAX_TEXT = 2000  # characters of one requirement (the parser's requirements are far shorter)


class ReviewError(ValueError):
    """An edit that cannot be made; the message says why, for the person who asked for it."""


def _slug_of_section(section: str) -> str:
    """As the parser makes it: up to 4 words without stop words, at most MAX_SLUG characters."""
    slug = slugify(section, max_words=4, drop_stopwords=True) or "general"
    if len(slug) > MAX_SLUG:
        cut = slug[:MAX_SLUG]
        slug = cut[: cut.rfind("-")] if "-" in cut else cut
    return slug


def renumber(jd: ParsedJD, requirements: Iterable[JDRequirement]) -> ParsedJD:
    """``jd`` with these requirements, in this order, their ids and positions as the parser would give them."""
    doc_id = jd.id
    out: list[JDRequirement] = []
    slugs: dict[str, str] = {}
    taken: set[str] = set()
    counters: dict[str, int] = {}
    for r in requirements:
        if r.section not in slugs:
            base = slug = _slug_of_section(r.section)
            n = 2
            while slug in taken:
                slug, n = f"{base}-{n}", n + 1
            slugs[r.section] = slug
            taken.add(slug)
        counters[r.section] = counters.get(r.section, 0) + 1
        rid = f"{doc_id}.{slugs[r.section]}.{counters[r.section]:02d}"
        out.append(replace(r, id=rid, position=len(out) + 1))
    return replace(jd, requirements=tuple(out))


def _check(requirements: Sequence[JDRequirement], rows: Iterable[int]) -> list[int]:
    chosen = sorted(set(rows))
    if not chosen:
        raise ReviewError("choose a requirement first")
    for i in chosen:
        if not 0 <= i < len(requirements):
            raise ReviewError(f"there is no requirement {i + 1} (the table has {len(requirements)})")
    return chosen


def _clean(text: str) -> str:
    text = re.sub(r"\s+", " ", text).strip()
    if len(text) > MAX_TEXT:
        raise ReviewError(f"a requirement is at most {MAX_TEXT:,} characters; this one has {len(text):,}")
    return text


def delete(jd: ParsedJD, rows: Iterable[int]) -> ParsedJD:
    """Without the requirements at ``rows``."""
    gone = set(_check(jd.requirements, rows))
    return renumber(jd, (r for i, r in enumerate(jd.requirements) if i not in gone))


def merge(jd: ParsedJD, rows: Iterable[int]) -> ParsedJD:
    """The requirements at ``rows`` as one, where the first of them stands: their texts joined with "; ",
    the first one's section and line; a must-have if any of them is; from prose if any was."""
    requirements = jd.requirements
    chosen = _check(requirements, rows)
    if len(chosen) < 2:
        raise ReviewError("choose at least two requirements to merge")
    parts = [requirements[i] for i in chosen]
    text = _clean("; ".join(p.text.rstrip(" ;.") for p in parts))
    first = parts[0]
    merged = replace(
        first,
        text=text,
        priority=MUST if any(p.priority == MUST for p in parts) else NICE,
        from_prose=any(p.from_prose for p in parts),
    )
    out = [merged if i == chosen[0] else r for i, r in enumerate(requirements) if i == chosen[0] or i not in chosen]
    return renumber(jd, out)


_SPLIT_AT = re.compile(r"(?<=[.;!?])\s+(?=[A-Z0-9(])|\s*;\s*|\s*\n\s*")


def propose_split(text: str) -> list[str]:
    """Where a requirement would split by itself: sentences, semicolons, lines (one part if none)."""
    parts = [p.strip(" ;") for p in _SPLIT_AT.split(text)]
    return [p for p in parts if p] or [text]


def split(jd: ParsedJD, row: int, parts: Sequence[str]) -> ParsedJD:
    """The requirement at ``row`` as one requirement per text of ``parts`` (in its place, its section,
    priority and line). Empty parts are dropped; at least one must be left."""
    requirements = jd.requirements
    (i,) = _check(requirements, [row])
    texts = [_clean(p) for p in parts]
    texts = [t for t in texts if t]
    if not texts:
        raise ReviewError("a split needs at least one text")
    new = [replace(requirements[i], text=t) for t in texts]
    return renumber(jd, [*requirements[:i], *new, *requirements[i + 1 :]])


def retag(jd: ParsedJD, rows: Iterable[int], priority: str) -> ParsedJD:
    """The requirements at ``rows`` with ``priority`` (must or nice)."""
    if priority not in (MUST, NICE):
        raise ReviewError(f"a priority is '{MUST}' or '{NICE}', not {priority!r}")
    chosen = set(_check(jd.requirements, rows))
    return renumber(jd, (replace(r, priority=priority) if i in chosen else r for i, r in enumerate(jd.requirements)))


def move_to_section(jd: ParsedJD, rows: Iterable[int], section: str) -> ParsedJD:
    """The requirements at ``rows`` under ``section`` (a new one or one the document has), where they stand."""
    name = re.sub(r"\s+", " ", section).strip()
    if not name:
        raise ReviewError("a section needs a name")
    if len(name) > 300:
        raise ReviewError("a section's name is at most 300 characters")
    chosen = set(_check(jd.requirements, rows))
    return renumber(jd, (replace(r, section=name) if i in chosen else r for i, r in enumerate(jd.requirements)))
