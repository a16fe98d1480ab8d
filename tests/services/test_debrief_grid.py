"""The debrief grid and its HTML as plain values: figures, flags and words, without a database or Qt."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from interviewkit.services.debrief import CoverageEntry, Debrief, Evidence, ScorecardColumn
from interviewkit.services.debrief_grid import (
    ADJUSTED,
    MEAN,
    NO_SPREAD,
    NOT_ASSESSED,
    OVERALL,
    SPREAD,
    DebriefGrid,
    assessed_lines,
    coverage_summary,
    debrief_grid,
    short_name,
)
from interviewkit.services.debrief_html import competency_html, rating_html, rating_tip, scorecard_html

SCALE = ((1, "No evidence"), (2, "Some"), (3, "Solid"), (4, "Strong"))
RECOMMENDATIONS = ("Strong no", "No", "Yes", "Strong yes")  # weakest first, as in the bank's settings


def card(
    sid: int,
    who: str,
    ratings: dict[str, int | None],
    recommendation: str | None,
    *,
    summary: str = "",
    not_assessed: dict[str, str] | None = None,
    evidence: dict[str, str] | None = None,
    questions: tuple[Evidence, ...] = (),
) -> ScorecardColumn:
    return ScorecardColumn(
        scorecard_id=sid,
        stage_id=sid,
        stage_name=f"Stage {sid}",
        stage_position=sid,
        interviewer_id=100 + sid,
        interviewer=who,
        submitted_at=datetime(2025, 3, sid, 9, 0, tzinfo=UTC),
        recommendation=recommendation,
        summary=summary,
        ratings=ratings,
        not_assessed=not_assessed or {},
        rating_evidence=evidence or {},
        questions=questions,
    )


def debrief(
    *columns: ScorecardColumn,
    disagreements: dict[str, int] | None = None,
    split: bool = False,
    coverage: tuple[CoverageEntry, ...] = (),
    hidden: int = 0,
) -> Debrief:
    rated = {c for col in columns for c in col.ratings}
    competencies = tuple(
        (cid, name)
        for cid, name in (("design", "System design"), ("ops", "Operations"), ("people", "People"))
        if cid in rated
    )
    return Debrief(
        candidate_id=7,
        candidate="Priya Natarajan",
        opening_id=1,
        opening="ML EM",
        viewer_id=1,
        viewer_is_lead=True,
        stage_count=len(columns),
        submitted_count=len(columns) + hidden,
        columns=columns,
        hidden_count=hidden,
        why_hidden="",
        competencies=competencies,
        disagreements=disagreements or {},
        split_recommendation=split,
        coverage=coverage,
        decision=None,
    )


PANEL = debrief(
    card(1, "Ana Ortiz", {"design": 3, "ops": 1}, "Yes", evidence={"ops": "No monitoring <at all>"}),
    card(2, "Bo Chen", {"design": 4, "ops": 3, "people": None}, "Strong yes", not_assessed={"people": "No time left"}),
    card(3, "Chidi Okafor", {"design": 3, "ops": 4}, "No"),
    disagreements={"ops": 3},
    split=True,
)


def grid(
    d: Debrief = PANEL,
    *,
    adjusted: dict[str, float] | None = None,
    adjusted_note: str = "",
    when: Callable[[datetime | None], str] | None = None,
) -> DebriefGrid:
    extra = {"when": when} if when is not None else {}
    return debrief_grid(
        d, scale_labels=SCALE, recommendations=RECOMMENDATIONS, adjusted=adjusted, adjusted_note=adjusted_note, **extra
    )


def test_rows_columns_means_and_spreads() -> None:
    g = grid()
    assert [c.key for c in g.columns] == [1, 2, 3, SPREAD, MEAN]
    assert [r.key for r in g.rows] == ["design", "ops", "people", OVERALL]
    assert g.card_count == 3 and g.column_of(MEAN) == 4 and g.column_of(ADJUSTED) == -1
    design, ops, people, _overall = g.rows
    assert design.scores == (3, 4, 3) and design.mean == 10 / 3 and design.spread is None and not design.warning
    assert ops.spread == 3 and ops.warning
    assert people.scores == () and people.mean is None
    assert [g.cell(0, c).text for c in range(5)] == ["3", "4", "3", "1", "3.3"]
    assert g.cell(0, 3).tip == "Ratings within one point (3–4)." and not g.cell(0, 3).warning
    assert [g.cell(1, c).text for c in range(5)] == ["1", "3", "4", "spread 3", "2.7"]
    assert g.cell(1, 3).warning and "range from 1 to 4, 3 points apart" in g.cell(1, 3).tip
    assert g.cell(1, 4).tip == "Mean of 3 ratings: 1, 3, 4 (n/a not counted)"


def test_a_spread_needs_two_ratings_and_the_grid_shows_what_the_pdf_prints() -> None:
    """Below two ratings there is no spread: "—" with the reason, on screen as in the debrief PDF (which printed
    the number of a calm row the grid left blank); two or more ratings within a point: the number, calm."""
    from interviewkit.services.exports import debrief_rows

    d = debrief(
        card(1, "Ana Ortiz", {"design": 3, "ops": 2, "people": None}, "Yes"),
        card(2, "Bo Chen", {"design": 4, "people": 3}, "Yes"),
    )
    g = grid(d)
    spread = g.column_of(SPREAD)
    shown = {g.rows[r].key: g.cell(r, spread) for r in range(len(g.rows)) if g.rows[r].key != OVERALL}
    assert shown["design"].text == "1" and not shown["design"].warning
    assert shown["ops"].text == NO_SPREAD and shown["ops"].tip == "Only one rating: a spread needs two ratings."
    assert shown["people"].text == NO_SPREAD  # the n/a is not a rating
    printed = {row.competency: row.spread for row in debrief_rows(d)}
    assert printed == {"System design": 1, "Operations": None, "People": None}  # None prints as "—"


def test_not_rated_not_assessed_and_the_colour_scale() -> None:
    g = grid()
    people = g.row_of("people")
    assert g.cell(people, 0).text == "" and "not rated in this stage" in g.cell(people, 0).spoken
    assert g.cell(people, 1).text == NOT_ASSESSED and "No time left" in g.cell(people, 1).tip
    assert g.cell(people, 4).text == NOT_ASSESSED and "every interviewer marked it n/a" in g.cell(people, 4).tip
    ops = g.row_of("ops")
    assert [g.cell(ops, c).level for c in range(3)] == [0.0, 2 / 3, 1.0]
    assert g.cell(ops, 0).spoken == "Operations, Ana Ortiz: 1, No evidence"


def test_the_overall_row_the_split_and_the_flags() -> None:
    g = grid()
    overall = g.row_of(OVERALL)
    assert g.competency_at(overall) is None and g.competency_at(0) == ("design", "System design")
    assert [g.cell(overall, c).text for c in range(3)] == ["Yes", "Strong yes", "No"]
    assert [g.cell(overall, c).level for c in range(3)] == [2 / 3, 1.0, 1 / 3]
    assert all(g.cell(overall, c).bold for c in range(3))
    assert g.recommendation_counts == (("Strong yes", 1), ("Yes", 1), ("No", 1))
    assert g.split_words == "Strong yes 1 · Yes 1 · No 1"
    split = g.cell(overall, g.column_of(SPREAD))
    assert split.text == "split" and split.warning and "both sides of hire" in split.tip
    assert g.flags_state == "warning"
    assert g.flags == "⚠ Ratings 2 or more points apart: Operations (spread 3)    ⚠ Split panel: " + g.split_words


def test_an_agreeing_panel_and_an_empty_one() -> None:
    calm = debrief(card(1, "Ana Ortiz", {"design": 3}, "Yes"), card(2, "Bo Chen", {"design": 4}, "Yes"))
    g = grid(calm)
    assert g.flags_state == "ok" and g.flags.startswith("✓ No disagreement")
    assert g.recommendation_counts == (("Yes", 2),)
    empty = grid(debrief(hidden=2))
    assert empty.columns == () and empty.rows == () and empty.flags_state == "" and empty.card_count == 0
    assert debrief_grid(None).rows == ()


def test_adjusted_means_come_as_given_with_their_note() -> None:
    g = grid(adjusted={"design": 3.14}, adjusted_note="From 14 shared candidates")
    col = g.column_of(ADJUSTED)
    assert col == len(g.columns) - 1 and g.has_adjusted and g.adjusted_note == "From 14 shared candidates"
    assert g.columns[col].tip == "From 14 shared candidates"
    design, ops = g.row_of("design"), g.row_of("ops")
    assert g.cell(design, col).text == "3.1" and g.cell(design, col).tip == "From 14 shared candidates"
    assert g.rows[design].adjusted == 3.14
    assert g.cell(ops, col).text == NOT_ASSESSED and g.cell(ops, col).tip == "No adjusted mean for this competency."
    assert not grid(adjusted_note="ignored").has_adjusted and grid(adjusted_note="ignored").adjusted_note == ""


def test_headers_say_who_and_when_in_the_callers_words() -> None:
    g = grid(when=lambda when: "the third" if when is not None and when.day == 3 else "another day")
    assert g.columns[0].title == "A. Ortiz\nStage 1"
    assert "submitted another day" in g.columns[0].tip and "submitted the third" in g.columns[2].tip
    assert g.rows[0].tip.startswith("System design\n")


def test_html_escapes_names_and_renders_notes_safely() -> None:
    notes = "- detected late\n- <script>alert(1)</script> fixed"
    sneaky = card(
        1,
        "Ana <b>Ortiz</b>",
        {"ops": 2},
        "Yes",
        evidence={"ops": "Said 'weekly' & <late>"},
        questions=(Evidence("q1", "Drift <story>", notes, ("ops",), ()),),
        summary="**Good** hire",
    )
    d = debrief(sneaky)
    html = rating_html(sneaky, "ops", "Operations", dict(SCALE))
    assert "Ana &lt;b&gt;Ortiz&lt;/b&gt;" in html and "Drift &lt;story&gt;" in html
    assert "<script" not in html and "<li>detected late</li>" in html
    tip = rating_tip(sneaky, "ops", "Operations", dict(SCALE))
    assert "Said 'weekly' &amp; &lt;late&gt;" in tip and "2 · Some" in tip
    summary = scorecard_html(sneaky, d.competencies, dict(SCALE), submitted="Mon 3 Mar")
    assert "<strong>Good</strong>" in summary and "submitted Mon 3 Mar" in summary
    assert "Operations" in competency_html(d, "ops", "Operations", dict(SCALE))


def test_coverage_lines_and_summary() -> None:
    done = CoverageEntry(
        "r1",
        "Monitor models",
        "Ops",
        (
            ("Ana Ortiz", "Production ML", "A drifting model", "Operations 3"),
            ("Ana Ortiz", "Production ML", "Another question", "Operations 3"),
        ),
    )
    gap = CoverageEntry("r2", "Hire a team", "People", ())
    assert assessed_lines(done) == ["A. Ortiz (Production ML): Operations 3"]
    summary = coverage_summary(debrief(card(1, "Ana Ortiz", {"ops": 3}, "Yes"), coverage=(done, gap), hidden=1))
    assert summary.state == "warning" and summary.missing == 1
    assert summary.text == "⚠ 1 of 2 requirements assessed · 1 not assessed (from the 1 scorecard you can see)"
    assert coverage_summary(debrief(card(1, "A B", {"ops": 3}, "Yes"), coverage=(done,))).text == (
        "✓ All 1 requirements assessed"
    )
    assert coverage_summary(debrief(card(1, "A B", {"ops": 3}, "Yes"))).state == "warning"
    assert short_name("王芳") == "王芳" and short_name("José Ñúñez") == "J. Ñúñez"
