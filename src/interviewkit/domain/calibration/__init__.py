"""Statistics of interviewer calibration: agreement, variance components, leniency. Pure numpy/scipy.

Modules:

* :mod:`.data` - the :class:`Rating` record and the tables built from a list of them;
* :mod:`.agreement` - Krippendorff's alpha, Shrout & Fleiss ICCs, complete blocks, Koo & Li bands;
* :mod:`.variance` - REML variance components of the crossed candidate x interviewer model;
* :mod:`.leniency` - interviewer effects, shrinkage, flags, connectivity, adjusted scores, drift;
* :mod:`.profiles` - rating distributions, halo, pass-through, question analytics;
* :mod:`.summary` - :func:`calibrate`, all of the above in one call;
* :mod:`.gstudy` - the D-study: reliability as a function of interviewers and questions.

Each module's docstring states its formulas, choices and references.
"""

from interviewkit.domain.calibration.agreement import (
    BANDS,
    ICC_KEYS,
    ICCResult,
    alpha_from_observations,
    coincidence_matrix,
    complete_block,
    koo_li_band,
    krippendorff_alpha,
    shrout_fleiss,
)
from interviewkit.domain.calibration.data import (
    Column,
    Observations,
    Rating,
    RatingColumns,
    RatingMatrix,
    RatingSet,
    cell_means,
    observations,
    pivot,
    to_matrix,
)
from interviewkit.domain.calibration.leniency import (
    MARGIN_SD,
    MIN_RATINGS,
    AdjustedScore,
    Drift,
    InterviewerEffect,
    LeniencyResult,
    adjusted_scores,
    components,
    drift,
    fit_leniency,
)
from interviewkit.domain.calibration.profiles import (
    EXPOSURE_SHARE,
    Distribution,
    HaloProfile,
    PassThrough,
    QuestionStats,
    QuestionUse,
    halo,
    pass_through,
    question_analytics,
    rating_distributions,
    wilson_interval,
)
from interviewkit.domain.calibration.summary import (
    BlockStats,
    Calibration,
    Coefficients,
    block_stats,
    calibrate,
    reml_coefficients,
)
from interviewkit.domain.calibration.variance import (
    VarianceComponents,
    anova_components,
    fit_variance_components,
)

__all__ = [
    "BANDS",
    "EXPOSURE_SHARE",
    "ICC_KEYS",
    "MARGIN_SD",
    "MIN_RATINGS",
    "AdjustedScore",
    "BlockStats",
    "Calibration",
    "Coefficients",
    "Column",
    "Distribution",
    "Drift",
    "HaloProfile",
    "ICCResult",
    "InterviewerEffect",
    "LeniencyResult",
    "Observations",
    "PassThrough",
    "QuestionStats",
    "QuestionUse",
    "Rating",
    "RatingColumns",
    "RatingMatrix",
    "RatingSet",
    "VarianceComponents",
    "adjusted_scores",
    "alpha_from_observations",
    "anova_components",
    "block_stats",
    "calibrate",
    "cell_means",
    "coincidence_matrix",
    "complete_block",
    "components",
    "drift",
    "fit_leniency",
    "fit_variance_components",
    "halo",
    "koo_li_band",
    "krippendorff_alpha",
    "observations",
    "pass_through",
    "pivot",
    "question_analytics",
    "rating_distributions",
    "reml_coefficients",
    "shrout_fleiss",
    "to_matrix",
    "wilson_interval",
]
