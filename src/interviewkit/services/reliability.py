"""How reliable a competency's score is for a number of interviewers: the D-study the loop planner shows.

:func:`competency_reliability` reads the submitted ratings a person may use, fits each competency's REML
variance components and projects them (:mod:`interviewkit.domain.calibration.gstudy`): for each
competency, the reliability of its score from 1 to 5 interviewers, with a 95% interval where the history
gives one, a note when the history is short, and the neutral prior, said in words, for a competency never
rated. The planner asks ``curve.at(n)`` for the number of interviewers a loop gives a competency and shows
``curve.words(n)``: "people leadership: 1 interviewer, reliability 0.48; a second interviewer raises it to
0.65". The reliability shown is the absolute coefficient (Phi): candidates who met different interviewers
are compared, so leniency counts as error.

:func:`reliability_of_ratings` does the same from ratings already read (a CSV file, the report). Its result
is kept for the last few sets of ratings: the REML fits take 0.2-0.9 s on the demo database (11
competencies, 40 ratings), against 3-8 ms to read the ratings, and the loop planner asks again after every
edit of a stage. The same ratings give the same fits, so a changed database (a scorecard submitted, a
rating amended, another person's scope) is a different key and is fitted afresh. The database's ratings
come from the columns kept per database (:mod:`~interviewkit.services.rating_columns`): the same
RatingColumns object while nothing changed, so they are kept by identity (hashing a tuple of 1.2 million
ratings took longer than reading them).
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from interviewkit.domain.calibration import Rating, RatingColumns, RatingSet, fit_variance_components
from interviewkit.domain.calibration.gstudy import (
    DStudyPoint,
    GStudy,
    d_study,
    g_study,
    neutral_prior,
    question_share,
    reliability_words,
)

if TYPE_CHECKING:  # annotations only: a calibration of a file imports no database module
    from interviewkit.services.access import Actor
    from interviewkit.storage.db import Database

__all__ = ["D_STUDY_INTERVIEWERS", "ReliabilityCurve", "competency_reliability", "curve", "reliability_of_ratings"]

D_STUDY_INTERVIEWERS = (1, 2, 3, 4, 5)


@dataclass(frozen=True)
class ReliabilityCurve:
    """One competency's D-study: ``points`` at 1 to 5 interviewers (the history's questions per rating)."""

    competency: str
    name: str
    g: GStudy
    points: tuple[DStudyPoint, ...]

    def at(self, interviewers: int, questions: float | None = None) -> DStudyPoint:
        """The reliability with ``interviewers`` interviewers (any number from 1), asking ``questions`` each
        on the competency (default: as many as in the history)."""
        return d_study(self.g, interviewers, questions)

    def words(self, interviewers: int = 1) -> str:
        """The figure for ``interviewers`` and the next one in words, with what it rests on."""
        points = [self.at(n) for n in (interviewers, interviewers + 1)]
        return reliability_words(self.name, self.g, points, planned=interviewers)


def curve(competency: str, name: str, g: GStudy) -> ReliabilityCurve:
    """The D-study of one G-study at 1 to 5 interviewers."""
    return ReliabilityCurve(competency, name, g, tuple(d_study(g, n) for n in D_STUDY_INTERVIEWERS))


def reliability_of_ratings(
    ratings: Iterable[Rating], names: Mapping[str, str] | None = None, competencies: Sequence[str] | None = None
) -> dict[str, ReliabilityCurve]:
    """Each competency's D-study from these ratings; ``competencies`` adds those to show even when never
    rated (the neutral prior). ``names`` maps competency ids to names."""
    names = names or {}
    items = tuple(sorted(names.items()))
    fitted = _fitted_columns(ratings, items) if isinstance(ratings, RatingColumns) else _fitted(tuple(ratings), items)
    out = dict(fitted)
    for comp in competencies or ():
        if comp not in out:
            out[comp] = curve(comp, names.get(comp, comp), neutral_prior())
    return out


@lru_cache(maxsize=8)
def _fitted(ratings: tuple[Rating, ...], name_items: tuple[tuple[str, str], ...]) -> dict[str, ReliabilityCurve]:
    """The D-study of each rated competency, kept per set of ratings (see the module docstring); callers
    copy the dict."""
    return _fit(RatingSet.from_ratings(ratings), dict(name_items))


# The database's ratings come as RatingColumns, the same object while the database has not changed
# (services/calibration_cached): kept by identity, not by a tuple of a million Rating values to hash.
_by_columns: dict[int, dict[tuple[tuple[str, str], ...], dict[str, ReliabilityCurve]]] = {}
_lock = threading.Lock()


def _fitted_columns(ratings: RatingColumns, name_items: tuple[tuple[str, str], ...]) -> dict[str, ReliabilityCurve]:
    with _lock:
        kept = _by_columns.get(id(ratings))
        if kept is None:
            kept = _by_columns[id(ratings)] = {}
            weakref.finalize(ratings, _by_columns.pop, id(ratings), None)
        found = kept.get(name_items)
    if found is None:
        found = _fit(RatingSet.from_ratings(ratings), dict(name_items))
        with _lock:
            kept[name_items] = found
    return found


def _fit(table: RatingSet, names: dict[str, str]) -> dict[str, ReliabilityCurve]:
    out: dict[str, ReliabilityCurve] = {}
    for comp in table.competencies:
        obs = table.of(comp)
        vc = fit_variance_components(obs)
        share, per_rating = (None, 1.0)
        if obs.questions is not None:
            share, per_rating = question_share(obs.candidate, obs.interviewer, obs.score, obs.questions, vc.residual)
        g = g_study(vc, questions_per_rating=per_rating, question_share_=share)
        out[comp] = curve(comp, names.get(comp, comp), g)
    return out


def competency_reliability(
    db: Database, *, by: Actor, competencies: Sequence[str] | None = None
) -> dict[str, ReliabilityCurve]:
    """Each competency's D-study from the submitted ratings ``by`` may use (see the module docstring);
    ``competencies`` (ids) are always included, with the neutral prior when never rated."""
    from interviewkit.services import bank_queries
    from interviewkit.services.calibration import ratings_from_db

    names = {c.id: c.name for c in bank_queries.competencies(db)}
    return reliability_of_ratings(ratings_from_db(db, by=by), names, competencies)
