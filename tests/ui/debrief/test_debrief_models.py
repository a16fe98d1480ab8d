"""The Debriefs item models, without a view: what each cell says, shows and explains."""

from __future__ import annotations

import html

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush

from interviewkit.services import demo
from interviewkit.services.debrief import CoverageEntry, Debrief, debrief
from interviewkit.services.debrief_grid import ADJUSTED as EXTRA_ADJUSTED
from interviewkit.services.debrief_grid import MEAN as EXTRA_MEAN
from interviewkit.services.debrief_grid import NOT_ASSESSED, debrief_grid, short_name
from interviewkit.services.debrief_grid import SPREAD as EXTRA_SPREAD
from interviewkit.ui.debrief.model import (
    CandidateFilterProxy,
    CandidateListModel,
    CandidateRow,
    CoverageFilterProxy,
    CoverageTableModel,
    DebriefGridModel,
    contrast_ratio,
    rating_colours,
)
from tests.ui.debrief.conftest import Demo

pytestmark = pytest.mark.usefixtures("qapp")  # icons and palettes need a QApplication

D, TIP, DECO, BG, FG = (
    Qt.ItemDataRole.DisplayRole,
    Qt.ItemDataRole.ToolTipRole,
    Qt.ItemDataRole.DecorationRole,
    Qt.ItemDataRole.BackgroundRole,
    Qt.ItemDataRole.ForegroundRole,
)


def grid_for(seeded: Demo, scenario: str, adjusted: dict[str, float] | None = None) -> tuple[DebriefGridModel, Debrief]:
    """The grid model over the service's grid of a demo candidate's debrief, as its lead sees it."""
    d = debrief(seeded.db, seeded.candidates[scenario], seeded.lead_id, seeded.ctx.settings)
    model = DebriefGridModel()
    model.set_grid(
        debrief_grid(
            d,
            scale_labels=seeded.ctx.scale_labels,
            recommendations=seeded.ctx.settings.recommendations,
            adjusted=adjusted,
            adjusted_note="Adjusted for leniency" if adjusted is not None else "",
        )
    )
    return model, d


def test_rows_are_competencies_and_overall_columns_are_scorecards_then_spread_and_mean(seeded: Demo) -> None:
    model, d = grid_for(seeded, demo.SPLIT)
    assert len(d.columns) == 6  # the demo loop's six interview stages (its screen has no scorecard)
    assert model.rowCount() == len(d.competencies) + 1
    assert model.columnCount() == len(d.columns) + 2
    assert [model.headerData(r, Qt.Orientation.Vertical) for r in range(model.rowCount())] == [
        name for _cid, name in d.competencies
    ] + ["Overall"]
    first = d.columns[0]
    assert (
        model.headerData(0, Qt.Orientation.Horizontal)
        == f"{short_name(first.interviewer)}\nStage {first.stage_position}"
    )
    assert [model.extra_at(c) for c in range(6, 8)] == [EXTRA_SPREAD, EXTRA_MEAN]
    assert model.headerData(6, Qt.Orientation.Horizontal) == "Spread"


def test_a_rating_shows_its_number_colour_and_in_the_tooltip_its_label_and_evidence(seeded: Demo) -> None:
    model, d = grid_for(seeded, demo.SPLIT)
    col, card = next((i, c) for i, c in enumerate(d.columns) if any(s is not None for s in c.ratings.values()))
    cid, score = next((k, s) for k, s in card.ratings.items() if s is not None)
    index = model.index(model.row_of(cid), col)
    assert index.data(D) == str(score)
    assert isinstance(index.data(BG), QBrush) and isinstance(index.data(FG), QBrush)
    tip = index.data(TIP)
    assert f"{score} · {dict(seeded.ctx.scale_labels)[score]}" in tip
    assert html.escape(card.rating_evidence[cid][:60], quote=False) in tip
    assert card.evidence_for(cid)[0].title[:30] in tip


def test_not_assessed_shows_a_dash_and_its_reason_and_a_competency_outside_the_stage_is_blank(seeded: Demo) -> None:
    model, d = grid_for(seeded, demo.SPLIT)
    col, card = next((i, c) for i, c in enumerate(d.columns) if c.not_assessed)
    cid, reason = next(iter(card.not_assessed.items()))
    index = model.index(model.row_of(cid), col)
    assert index.data(D) == NOT_ASSESSED
    assert "not assessed" in index.data(TIP) and reason.split(":")[0] in index.data(TIP)
    other = next(c for c, _n in d.competencies if c not in card.ratings)
    assert model.index(model.row_of(other), col).data(D) == ""


def test_a_spread_of_two_has_an_icon_and_words_and_a_split_panel_is_flagged_on_overall(seeded: Demo) -> None:
    model, d = grid_for(seeded, demo.SPLIT)
    assert d.disagreements and d.split_recommendation
    spread_col = model.column_of_extra(EXTRA_SPREAD)
    for cid, spread in d.disagreements.items():
        cell = model.index(model.row_of(cid), spread_col)
        assert cell.data(D) == f"spread {spread}"
        assert cell.data(DECO) is not None
        assert model.headerData(model.row_of(cid), Qt.Orientation.Vertical, DECO) is not None
    calm = next(c for c, _n in d.competencies if c not in d.disagreements)
    assert model.index(model.row_of(calm), spread_col).data(D) in {"0", "1", "—"}  # calm: as the PDF prints it
    overall = model.index(model.overall_row(), spread_col)
    assert overall.data(D) == "split" and overall.data(DECO) is not None
    assert "both sides" in overall.data(TIP)
    assert [model.index(model.overall_row(), c).data(D) for c in range(len(d.columns))] == [
        c.recommendation for c in d.columns
    ]


def test_the_mean_is_the_raw_mean_and_the_adjusted_column_comes_only_from_the_hook(seeded: Demo) -> None:
    model, d = grid_for(seeded, demo.STRONG)
    cid = d.competencies[0][0]
    scores = d.ratings_of(cid)
    assert (
        model.index(model.row_of(cid), model.column_of_extra(EXTRA_MEAN)).data(D) == f"{sum(scores) / len(scores):.1f}"
    )
    assert model.column_of_extra(EXTRA_ADJUSTED) == -1 and not model.has_adjusted()
    model, d = grid_for(seeded, demo.STRONG, adjusted={cid: 3.14})
    assert model.has_adjusted()
    col = model.column_of_extra(EXTRA_ADJUSTED)
    assert col == model.columnCount() - 1
    assert model.headerData(col, Qt.Orientation.Horizontal) == "Adjusted"
    assert model.index(model.row_of(cid), col).data(D) == "3.1"
    assert model.index(model.row_of(cid), col).data(TIP) == "Adjusted for leniency"
    assert model.headerData(col, Qt.Orientation.Horizontal, TIP) == "Adjusted for leniency"
    assert model.index(model.row_of(d.competencies[1][0]), col).data(D) == NOT_ASSESSED


def test_no_visible_scorecard_means_no_rows_and_no_columns(seeded: Demo) -> None:
    model, _d = grid_for(seeded, demo.MID_LOOP)  # the lead, before every scorecard is in
    assert model.rowCount() == model.columnCount() == model.card_count() == 0


@pytest.mark.parametrize("dark", [False, True])
def test_the_colour_scale_keeps_the_numbers_legible(dark: bool) -> None:
    scale = rating_colours(dark)
    assert len(scale) == 4
    for bg, fg in scale:
        assert contrast_ratio(bg, fg) >= 4.5, (bg, fg)
    assert len({bg for bg, _fg in scale}) == 4


def test_coverage_rows_say_who_assessed_what_and_gaps_stand_out() -> None:
    done = CoverageEntry(
        "jd.s.01",
        "Monitor models",
        "Ops",
        (
            ("Ana Ortiz", "Production ML", "A drifting model", "Monitoring, drift and retraining 3"),
            ("Ana Ortiz", "Production ML", "Another question", "Monitoring, drift and retraining 3"),
        ),
    )
    gap = CoverageEntry("jd.s.02", "Hire a team", "People", ())
    model = CoverageTableModel()
    model.set_entries([done, gap])
    assert model.index(0, 1).data(D) == "A. Ortiz (Production ML): Monitoring, drift and retraining 3"
    assert model.index(1, 1).data(D) == "Not assessed by anyone in this loop"
    assert model.index(1, 1).data(DECO) is not None and model.index(1, 0).data(BG) is not None
    assert model.index(0, 1).data(DECO) is None
    proxy = CoverageFilterProxy()
    proxy.setSourceModel(model)
    proxy.set_only_unassessed(True)
    assert proxy.rowCount() == 1 and proxy.index(0, 0).data(D) == "Hire a team"


def test_the_candidate_search_ignores_case_and_accents() -> None:
    model = CandidateListModel()
    model.set_candidates(
        [
            CandidateRow(1, "Zoë Ørsted", "ML EM", 6, 6, "Hire"),
            CandidateRow(2, "Tomás Nuñez", "ML EM", 2, 6, ""),
        ]
    )
    proxy = CandidateFilterProxy()
    proxy.setSourceModel(model)
    proxy.set_text("tomas nunez")
    assert proxy.rowCount() == 1 and proxy.index(0, 0).data(D) == "Tomás Nuñez"
    proxy.set_text("hire")
    assert proxy.rowCount() == 1 and proxy.index(0, 0).data(D) == "Zoë Ørsted"
    assert "6 of 6 submitted" in model.index(0).data(Qt.ItemDataRole.UserRole + 20)  # SubtitleRole


def test_short_names() -> None:
    assert short_name("Ana Ortiz") == "A. Ortiz"
    assert short_name("José Ñúñez") == "J. Ñúñez"
    assert short_name("王芳") == "王芳"
