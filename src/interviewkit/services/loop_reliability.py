"""How reliable each competency's score will be with the loop as planned: the D-study the loop planner shows.

A stage rates the competencies of its focus (its scorecard has a rating for each), so a competency's score
in a loop is the mean of as many ratings as there are interview stages focused on it. What averages out is
the interviewer: two stages run by the same person are one interviewer's view twice, so the D-study counts
the distinct interviewers (a stage with nobody assigned yet counts as one more). For each competency the
loop rates, :func:`loop_reliability` gives the reliability of its score with that many interviewers and with
one more (:mod:`interviewkit.services.reliability`: the absolute coefficient, Phi, from the REML variance
components of the ratings the person may see), with its 95% interval, and says how much history it rests on.

A competency nobody has rated yet (or none the person may see) gets a published figure instead, said as an
assumption: interviewers who each interview the candidate separately agree at about 0.44 on average, in
the meta-analysis of Huffcutt, Culbertson and Weyhrauch (2013), "Employment interview reliability: new
meta-analytic estimates by structure and format", *International Journal of Selection and Assessment*
21(3), 264-276 (125 reliability coefficients; panel interviews, where the raters hear the same answers,
reached 0.74). A loop's stages are separate interviews, so 0.44 is the figure that fits; it is stepped up
for more interviewers by the Spearman-Brown formula. It describes overall interview ratings in other
organisations, not one competency with your interviewers, so no interval is given for it: the history
replaces it as soon as scorecards rating the competency are submitted.

Nothing here writes; the fits are kept per set of ratings (:func:`~interviewkit.services.reliability.
reliability_of_ratings`), so the planner can ask again after every edit.
"""

from __future__ import annotations

from dataclasses import dataclass

from interviewkit.domain.calibration.gstudy import DStudyPoint, GStudy, d_study
from interviewkit.services.access import Actor, can
from interviewkit.services.loop_plan import stage_label
from interviewkit.services.loops import LoopDetail, StageDetail
from interviewkit.services.reliability import competency_reliability
from interviewkit.storage.db import Database

__all__ = [
    "PUBLISHED_AGREEMENT",
    "PUBLISHED_SOURCE",
    "CompetencyPlan",
    "ReliabilityRow",
    "competency_plans",
    "loop_reliability",
    "published_prior",
    "reliability_row",
]

PUBLISHED_AGREEMENT = 0.44
"""Mean interrater reliability of separate interviews (Huffcutt, Culbertson & Weyhrauch 2013)."""
PUBLISHED_SOURCE = (
    "Huffcutt, Culbertson & Weyhrauch (2013), Employment interview reliability: new meta-analytic estimates "
    "by structure and format, International Journal of Selection and Assessment 21(3), 264-276"
)

_ORDINAL = {1: "first", 2: "second", 3: "third", 4: "fourth", 5: "fifth", 6: "sixth"}


def published_prior() -> GStudy:
    """No history: one interviewer's reliability taken as :data:`PUBLISHED_AGREEMENT`, with no interval."""
    return GStudy("prior", 0, None, None, None, PUBLISHED_AGREEMENT, PUBLISHED_AGREEMENT, None, None)


@dataclass(frozen=True)
class CompetencyPlan:
    """Where a loop rates one competency: the stages focused on it (labels and ids, in stage order), how many
    distinct interviewers that is, and the questions planned on it in those stages (all, and the fewest in
    one stage: 0 when a stage rates it without a question planned on it).

    ``questions_each`` is the harmonic mean of the stages' counts, the number of questions per interviewer
    the D-study takes (with ``n_q`` questions for interviewer j, the question part of the error is the
    mean of ``1 / n_q``); None when a stage plans none on it (then the history's number is assumed)."""

    competency: str
    stages: tuple[str, ...]
    interviewers: int
    questions: int
    fewest_questions: int
    questions_each: float | None = None
    stage_ids: tuple[int, ...] = ()


@dataclass(frozen=True)
class ReliabilityRow:
    """One competency's line in the planner.

    ``now`` is the D-study at the planned number of interviewers, ``one_more`` with one more; ``basis`` is
    "history", "short" (history, but under :data:`~interviewkit.domain.calibration.gstudy.SHORT_HISTORY`
    candidates) or "published" (no ratings: :func:`published_prior`). ``text`` is the line, ``detail``
    what it rests on, in words.
    """

    plan: CompetencyPlan
    name: str
    now: DStudyPoint
    one_more: DStudyPoint
    basis: str
    candidates: int
    text: str
    detail: str

    @property
    def competency(self) -> str:
        return self.plan.competency


def _interviewers(stages: list[StageDetail]) -> int:
    assigned = {st.interviewer_id for st in stages if st.interviewer_id is not None}
    return len(assigned) + sum(1 for st in stages if st.interviewer_id is None)


def competency_plans(detail: LoopDetail) -> list[CompetencyPlan]:
    """Each competency the loop's interview stages rate, in order of first appearance (stage, then focus)."""
    order: list[str] = []
    for st in detail.stages:
        order += [c for c in st.focus if c not in order and not st.is_screen]
    plans = []
    for comp in order:
        stages = [st for st in detail.stages if comp in st.focus and not st.is_screen]
        counts = [sum(1 for q in st.questions if comp in q.competencies) for st in stages]
        harmonic = len(counts) / sum(1 / c for c in counts) if min(counts) else None
        labels = tuple(stage_label(st) for st in stages)
        ids = tuple(st.id for st in stages)
        plans.append(CompetencyPlan(comp, labels, _interviewers(stages), sum(counts), min(counts), harmonic, ids))
    return plans


def _value(point: DStudyPoint) -> str:
    return "unknown" if point.absolute is None else f"{point.absolute:.2f}"


def _where(plan: CompetencyPlan) -> str:
    """'2 interviewers (2 stages)', '1 interviewer (2 stages, one person)'."""
    who = f"{plan.interviewers} interviewer{'s' if plan.interviewers != 1 else ''}"
    if len(plan.stages) == plan.interviewers:
        return who
    return f"{who} ({len(plan.stages)} stages, {'one person' if plan.interviewers == 1 else 'some share a person'})"


def reliability_row(plan: CompetencyPlan, name: str, g: GStudy, *, sees_all: bool = True) -> ReliabilityRow:
    """The planner's line for one competency from its G-study (a history, or :func:`published_prior`).
    ``sees_all``: the person may see every interviewer's ratings (else the history is theirs only, said)."""
    n = max(plan.interviewers, 1)
    now, more = d_study(g, n, plan.questions_each), d_study(g, n + 1, plan.questions_each)
    stages = f"Rated in {', '.join(plan.stages)}; {plan.questions} planned question{'s' if plan.questions != 1 else ''}"
    stages += " on it." if plan.fewest_questions else " on it (a stage rates it with no question planned on it)."
    scope = "" if sees_all else " you may see"
    if g.source == "prior":
        text = (
            f"{name}: {_where(plan)}. No ratings{scope} yet: with a typical interviewer agreement of "
            f"{PUBLISHED_AGREEMENT:.2f}, reliability {_value(now)}; {_next_one(n, now, more)}."
        )
        detail = (
            f"{PUBLISHED_AGREEMENT:.2f} is the mean agreement of interviewers who each interview the candidate "
            f"separately, from {PUBLISHED_SOURCE} (125 coefficients; panel interviews reached 0.74). It is an "
            "assumption about your interviewers, not a measurement: it was measured on overall interview "
            "ratings elsewhere, not on this competency here. Your own figure replaces it once scorecards rating "
            "it are submitted."
        )
        return ReliabilityRow(plan, name, now, more, "published", 0, text, f"{stages}\n{detail}")
    history = f"{g.n_candidates} candidate{'s' if g.n_candidates != 1 else ''}{scope}"
    ci = now.absolute_ci
    if g.short:
        spread = f"95% {ci[0]:.2f} to {ci[1]:.2f}: " if ci is not None else ""
        figure = f"{_value(now)} ({spread}only {history} so far, a rough figure)"
    else:
        figure = _value(now) + ("" if ci is None else f" (95% {ci[0]:.2f} to {ci[1]:.2f})")
    text = f"{name}: {_where(plan)}, reliability {figure}; {_next_one(n, now, more)}."
    detail = (
        f"From the ratings of {history}"
        + (": too few for more than a rough figure, hence the wide interval." if g.short else ".")
        + " Reliability here is Brennan's dependability (Phi): leniency counts as error, since candidates "
        "seen by different interviewers are compared."
    )
    basis = "short" if g.short else "history"
    return ReliabilityRow(plan, name, now, more, basis, g.n_candidates, text, f"{stages}\n{detail}")


def _next_one(n: int, now: DStudyPoint, more: DStudyPoint) -> str:
    """'a second interviewer would raise it to 0.65' (or would not change it)."""
    who = f"a {_ORDINAL.get(n + 1, 'further')} interviewer"
    if now.absolute is not None and more.absolute is not None and more.absolute - now.absolute < 0.005:
        return f"{who} would not change it"
    return f"{who} would raise it to {_value(more)}"


def loop_reliability(db: Database, detail: LoopDetail, *, by: Actor) -> list[ReliabilityRow]:
    """The reliability of each competency the loop rates, as planned and with one more interviewer (see the
    module docstring), from the submitted ratings ``by`` may use; in order of first appearance."""
    plans = competency_plans(detail)
    if not plans:
        return []
    curves = competency_reliability(db, by=by, competencies=[p.competency for p in plans])
    sees_all = can(db, by, "view_calibration_others")
    rows = []
    for plan in plans:
        c = curves[plan.competency]
        g = published_prior() if c.g.source == "prior" else c.g
        rows.append(reliability_row(plan, c.name, g, sees_all=sees_all))
    return rows
