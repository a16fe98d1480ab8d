"""The calibration report as JSON-ready data: what ``interviewkit calibrate --json`` prints.

Shape: ``{"n_ratings", "n_candidates", "n_interviewers", "enough", "why_not", "notes", "competencies": {id:
block}, "overall": block, "interviewers": [...], "connectivity": {...}, "method": {...}}``. ``enough`` is the
one rule every reader follows (at least two interviewers and two candidates, one candidate seen by two):
when false, ``why_not`` says what is missing and there are no statistics. ``notes`` is what reading the
ratings found (repeated rows kept). Each block has ``n_candidates``, ``n_interviewers``, ``n_ratings``,
``alpha_interval``, ``alpha_ordinal``, ``icc`` (``ICC1``, ``ICC2``, ``ICC3``, ``ICC1k``, ``ICC2k``,
``ICC3k``: Shrout & Fleiss on a complete design, from the REML components on an incomplete one, as
``icc_method`` says), ``icc_ci``, ``icc_bands``, ``icc_block`` (on an incomplete design with the block's own
Shrout & Fleiss values, labelled as a subset), ``variance_components`` (``candidate``, ``interviewer``,
``residual``, ``icc_absolute``, ``icc_consistency``, with intervals, how they were found and Koo & Li bands)
and ``notes`` (in words: what could not be estimated and why). ``d_study`` has, per competency, the
reliability of its score from 1 to 5 interviewers (``interviewers``: absolute and relative G coefficients
with 95% intervals; ``by_questions``: the absolute one for 1, 2 and 3 questions per interviewer; ``words``;
``source`` "history" or "prior"). With outcomes, ``validity`` has each predictor's (composite, competency,
question, variant group, stage, interviewer) raw and corrected correlation with the hires' latest
performance rating, intervals, ``n`` and the verdict in ``words`` (the composite also its ``reliability``
and ``true_score``: corrected for it too, Spearman). Each interviewer has ``id``, ``n``,
``effect``, ``se``, ``shrunk_effect``, ``flag`` and more (component, interval, distribution, halo,
drift). Flagged interviewers come first. A competency's ``n_ratings`` counts its ratings; the overall
block's counts (candidate, interviewer) overall scores. A report read from the database also has
``pass_through`` and ``questions``, and one restricted to a viewer's own rows ``restricted_to``.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from interviewkit.domain.calibration.gstudy import DStudyPoint
from interviewkit.services.calibration_report import AgreementRow, CalibrationReport, QuestionRow
from interviewkit.services.reliability import ReliabilityCurve

if TYPE_CHECKING:  # a file's report without outcomes needs no database module (services.validity reads one)
    from interviewkit.services.validity import ValidityReport

__all__ = ["d_study_json", "report_json", "validity_json"]

LENIENCY_ON = "overall score (each interviewer's mean over the competencies they rated)"
FLAG_RULE = (
    "the 95% empirical-Bayes interval of the shrunk effect lies beyond +-margin "
    "(0.2 SD of the candidates' true overall scores), and n >= min_ratings"
)


def _list(pair: tuple[float, float] | None) -> list[float] | None:
    return None if pair is None else list(pair)


ICC_SOURCES = {
    "anova": "Shrout & Fleiss's ANOVA forms on the complete design (every interviewer rated every candidate)",
    "reml": "the REML variance components of every rating (the design is incomplete); k forms stepped up to k",
}
BLOCK_NOTE = (
    "Shrout & Fleiss on the largest complete block the greedy search found: a subset of the ratings, often "
    "small and chosen arbitrarily among blocks of the same size; for comparison only, not the headline"
)


def _icc_block(a: AgreementRow) -> dict[str, Any] | None:
    if a.block is None:
        return None
    out: dict[str, Any] = {"n_candidates": a.block.n_candidates, "interviewers": list(a.block.interviewers)}
    if not a.block.whole:
        out["icc"] = dict(a.block.values)
        out["icc_ci"] = {key: _list(ci) for key, ci in a.block.ci.items()}
        out["note"] = BLOCK_NOTE
    return out


def _block(a: AgreementRow) -> dict[str, Any]:
    vc = a.variance
    return {
        "n_candidates": a.n_candidates,
        "n_interviewers": a.n_interviewers,
        "n_ratings": a.n_ratings,
        "alpha_interval": a.alpha,
        "alpha_ordinal": a.alpha_ordinal,
        "icc": dict(a.coefficients),
        "icc_ci": {key: _list(ci) for key, ci in a.coefficients_ci.items()},
        "icc_bands": dict(a.coefficient_bands),
        "icc_method": {"source": ICC_SOURCES.get(a.coefficients_from), "k": a.raters_per_candidate},
        "icc_block": _icc_block(a),
        "variance_components": {
            "candidate": vc.candidate,
            "interviewer": vc.interviewer,
            "residual": vc.residual,
            "icc_absolute": vc.icc_absolute,
            "icc_consistency": vc.icc_consistency,
            "icc_absolute_ci": _list(vc.icc_absolute_ci),
            "icc_consistency_ci": _list(vc.icc_consistency_ci),
            "band_absolute": vc.band_absolute,
            "band_consistency": vc.band_consistency,
            "candidate_se": vc.candidate_se,
            "interviewer_se": vc.interviewer_se,
            "residual_se": vc.residual_se,
            "method": vc.method,
            "ci_method": vc.ci_method or None,
            "converged": vc.converged,
        },
        "notes": list(a.notes),
    }


D_STUDY_COEFFICIENT = (
    "absolute: Brennan's dependability (Phi), the reliability of a competency's score from n interviewers "
    "when candidates who met different interviewers are compared (leniency counts as error); relative: the "
    "generalizability coefficient (E rho^2), for candidates seen by the same interviewers"
)


def _point(p: DStudyPoint) -> dict[str, Any]:
    return {
        "n": p.interviewers,
        "absolute": p.absolute,
        "absolute_ci": _list(p.absolute_ci),
        "relative": p.relative,
        "relative_ci": _list(p.relative_ci),
    }


def _d_study(c: ReliabilityCurve) -> dict[str, Any]:
    g = c.g
    return {
        "source": g.source,
        "n_candidates": g.n_candidates,
        "short_history": g.short,
        "questions_per_rating": g.questions_per_rating,
        "question_share": g.question_share,
        "interviewers": [_point(p) for p in c.points],
        "by_questions": {
            str(q): [c.at(n, q).absolute for n in range(1, len(c.points) + 1)] for q in (1, 2, 3)
        },
        "words": c.words(1),
    }


def d_study_json(report: CalibrationReport) -> dict[str, Any]:
    """The ``d_study`` key: per competency, the reliability of its score from 1 to 5 interviewers."""
    return {
        "coefficient": D_STUDY_COEFFICIENT,
        "competencies": {a.competency: _d_study(a.d_study) for a in report.competencies if a.d_study is not None},
    }


def validity_json(v: ValidityReport) -> dict[str, Any]:
    """The ``validity`` key: each predictor's validity for the hires' latest performance rating."""
    return {
        "outcome": v.outcome,
        "n_hires": v.n_hires,
        "n_candidates": v.n_candidates,
        "note": v.note,
        "predictors": [
            {
                "kind": row.kind,
                "label": row.label,
                "n": row.validity.n,
                "n_pool": row.validity.n_pool,
                "r": row.validity.r,
                "r_ci": _list(row.validity.ci),
                "u": row.validity.u,
                "corrected": row.validity.corrected,
                "corrected_ci": _list(row.validity.corrected_ci),
                "reliability": row.reliability,  # the composite's; with true_score: Spearman's correction
                "true_score": row.true_score,
                "true_score_ci": _list(row.true_score_ci),
                "words": row.words,
            }
            for row in v.rows
        ],
    }


def _interviewers(report: CalibrationReport) -> list[dict[str, Any]]:
    dist = {d.interviewer: d for d in report.distributions}
    halo = {h.interviewer: h for h in report.halo}
    drift = {t.interviewer: t for t in report.trends}
    out: list[dict[str, Any]] = []
    for e in report.leniency:
        d, h, t = dist.get(e.interviewer), halo.get(e.interviewer), drift.get(e.interviewer)
        out.append(
            {
                "id": e.interviewer,
                "n": e.n,
                "effect": e.effect,
                "se": e.se,
                "shrunk_effect": e.shrunk,
                "flag": e.flagged,
                "shrunk_ci": [e.low, e.high] if e.low is not None and e.high is not None else None,
                "component": e.component,
                "n_ratings": e.n_ratings,
                "mean": d.mean if d else None,
                "sd": d.sd if d else None,
                "distribution": {f"{k:g}": v for k, v in d.proportions} if d else None,
                "central_tendency": d.central_tendency if d else None,
                "halo_ratio": h.ratio if h else None,
                "inter_competency_r": h.inter_competency_r if h else None,
                "drift_per_30_days": t.slope_per_30_days if t else None,
                "drift_ci": [t.low, t.high] if t and t.low is not None and t.high is not None else None,
            }
        )
    out.sort(key=lambda x: (not x["flag"], -abs(x["shrunk_effect"] or 0.0), x["id"]))
    return out


def _question(q: QuestionRow) -> dict[str, Any]:
    return {
        "id": q.question_id,
        "times_asked": q.times_asked,
        "loops": q.loops,
        "loop_share": q.loop_share,
        "exposed": q.exposed,
        "mean": q.mean,
        "sd": q.sd,
        "n_scores": q.n_scores,
        "decision_r": q.decision_r,
        "decision_n": q.decision_n,
    }


def report_json(report: CalibrationReport) -> dict[str, Any]:
    """The report as JSON-ready data (see the module's description); empty blocks when nothing was rated."""
    out: dict[str, Any] = {
        "n_ratings": report.n_ratings,
        "n_candidates": report.n_candidates,
        "n_interviewers": report.n_interviewers,
        "enough": report.enough,
        "why_not": report.why_not or None,
        "notes": list(report.input_notes),
        "competencies": {a.competency: _block(a) for a in report.competencies},
        "overall": _block(report.overall) if report.overall is not None else None,
        "interviewers": _interviewers(report),
        "d_study": d_study_json(report),
        "connectivity": {
            "components": report.n_groups,
            "connected": report.connected,
            "interviewers_per_component": list(report.group_sizes),
        },
        "method": {
            "leniency_on": LENIENCY_ON,
            "flag_rule": FLAG_RULE,
            "min_ratings": report.min_ratings,
            "margin": report.margin if math.isfinite(report.margin) else None,
            "shrinkage_tau2": report.shrinkage_tau2,
            "shrinkage_tau2_source": report.shrinkage_tau2_source,
            "residual_variance": report.residual_variance,
            "notes": list(report.leniency_notes),
        },
    }
    pt = report.pass_through
    if pt is not None:
        out["pass_through"] = {
            "panel": {"n": pt.panel.n, "yes": pt.panel.yes, "rate": pt.panel.rate, "ci": _list(pt.panel.ci)},
            "interviewers": [
                {"id": p.interviewer, "n": p.n, "yes": p.yes, "rate": p.rate, "ci": _list(p.ci), "differs": p.differs}
                for p in pt.interviewers
            ],
        }
    if report.questions is not None:
        out["questions"] = [_question(q) for q in report.questions]
    if report.validity is not None:
        out["validity"] = validity_json(report.validity)
    if report.restricted_to is not None:
        out["restricted_to"] = [report.restricted_to] if report.restricted_to else []
    return out
