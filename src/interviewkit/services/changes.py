"""What a write changed, so that every screen showing it refreshes itself (in the manner of Anki's OpChanges).

Every service operation that writes returns its :class:`Changes` (as the result itself, or as the
``changes`` of the result); the desktop shell hands them to every screen, and each screen decides from
them whether what it shows is affected. No screen refreshes another by hand.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, fields
from typing import Any

__all__ = ["NO_CHANGES", "Changes", "Created", "changes_of"]


def _ids(values: Iterable[int] | None) -> frozenset[int]:
    return frozenset(int(v) for v in values or ())


@dataclass(frozen=True)
class Changes:
    """Ids of what changed, by kind. ``erased``: candidates whose personal data went (everything shown about
    them changed); ``bank``: questions, competencies, job descriptions or loop templates; ``settings``:
    the database's settings (the retention period)."""

    scorecards: frozenset[int] = field(default_factory=frozenset)
    loops: frozenset[int] = field(default_factory=frozenset)  # a loop, its stages or their plans
    candidates: frozenset[int] = field(default_factory=frozenset)
    decisions: frozenset[int] = field(default_factory=frozenset)  # candidate ids whose decision changed
    people: frozenset[int] = field(default_factory=frozenset)
    openings: frozenset[int] = field(default_factory=frozenset)
    exercises: frozenset[int] = field(default_factory=frozenset)
    erased: frozenset[int] = field(default_factory=frozenset)
    bank: bool = False
    settings: bool = False

    @classmethod
    def of(
        cls, *, scorecards: Iterable[int] | None = None, loops: Iterable[int] | None = None,
        candidates: Iterable[int] | None = None, decisions: Iterable[int] | None = None,
        people: Iterable[int] | None = None, openings: Iterable[int] | None = None,
        exercises: Iterable[int] | None = None, erased: Iterable[int] | None = None, bank: bool = False,
        settings: bool = False,
    ) -> Changes:
        """Changes from any iterables of ids."""
        return cls(_ids(scorecards), _ids(loops), _ids(candidates), _ids(decisions), _ids(people), _ids(openings),
                   _ids(exercises), _ids(erased), bank, settings)

    def __or__(self, other: Changes) -> Changes:
        merged: dict[str, Any] = {}
        for f in fields(self):
            mine, theirs = getattr(self, f.name), getattr(other, f.name)
            merged[f.name] = (mine or theirs) if isinstance(mine, bool) else mine | theirs
        return Changes(**merged)

    def __bool__(self) -> bool:
        return any(getattr(self, f.name) for f in fields(self))

    @property
    def ratings(self) -> bool:
        """Whether calibration's figures may have changed."""
        return bool(self.scorecards or self.erased or self.people)

    def kinds(self) -> frozenset[str]:
        """The names of the kinds that changed ("scorecards", "bank", ...)."""
        return frozenset(f.name for f in fields(self) if getattr(self, f.name))


NO_CHANGES = Changes()


@dataclass(frozen=True)
class Created:
    """A write that made one thing: its id, and what the write changed."""

    id: int
    changes: Changes


def changes_of(result: object) -> Changes | None:
    """The changes a service's result carries: the result itself, or its ``changes``; None if it carries none."""
    if isinstance(result, Changes):
        return result
    found = getattr(result, "changes", None)
    return found if isinstance(found, Changes) else None
