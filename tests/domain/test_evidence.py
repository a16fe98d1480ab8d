"""The threshold grammar of evidence checklists, and the rating that ticked items suggest."""

from __future__ import annotations

import pytest

from interviewkit.domain.evidence import MAX_ITEMS, RuleError, parse_rule, suggested_level


@pytest.mark.parametrize(
    ("text", "ticked", "holds"),
    [
        ("all", {1, 2, 3, 4, 5}, True),
        ("all", {1, 2, 3, 4}, False),
        ("any 2", {4, 5}, True),
        ("any 2", {5}, False),
        ("any 2 of 3-5", {1, 2, 3}, False),
        ("any 2 of 3-5", {3, 5}, True),
        ("any 1 of 1, 4, 5", {4}, True),
        ("any 1 of 1, 4, 5", {2, 3}, False),
        ("any 2 of 1, 3-4", {1, 4}, True),
        ("3", {3}, True),
        ("3", {1, 2}, False),
        ("1-3", {1, 2, 3}, True),
        ("1-3", {1, 3}, False),
        ("1, 2, 4-5", {1, 2, 4, 5}, True),
        ("1, 2, 4-5", {1, 2, 4}, False),
        ("1, 2 and any 1 of 3-5", {1, 2, 5}, True),
        ("1, 2 and any 1 of 3-5", {1, 2}, False),
        ("1 and 2 and any 3", {1, 2, 3}, True),
        ("1 and 2 and any 3", {1, 2}, False),
    ],
)
def test_every_form_of_a_rule(text: str, ticked: set[int], holds: bool) -> None:
    assert parse_rule(text, 5).holds(ticked) is holds


def test_white_space_case_and_an_en_dash_are_forgiven() -> None:
    rule = parse_rule("  1 – 2   AND  Any 1 OF 3,4 ", 5)
    assert rule.text == "1 – 2 AND Any 1 OF 3,4"
    assert rule.holds({1, 2, 4}) and not rule.holds({1, 2})
    assert str(rule) == rule.text


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "empty rule"),
        ("some", "'some' is not a term: write all, any N, any N of A-B, or item numbers"),
        ("any", "'any' is not a term: write any N or any N of A-B"),
        ("any two", "'any two' is not a term"),
        ("any 0", "'any 0': N must be at least 1"),
        ("any 6", "'any 6' can never be met: it needs 6 items of the checklist's 5"),
        ("any 3 of 1-2", "'any 3 of 1-2' can never be met: it needs 3 items of the 2 listed"),
        ("1-4 and any 2 of 5-5", "'any 2 of 5-5' can never be met"),
        ("6", "item 6 does not exist: the checklist has items 1 to 5"),
        ("0", "item 0 does not exist"),
        ("2-9", "item 9 does not exist"),
        ("any 1 of 4-7", "item 7 does not exist"),
        ("4-2", "'4-2': a range runs from the lower item to the higher"),
        ("1,, 2", "is not a term"),
        ("1 and", "'1 and' is not a term"),
        ("-1", "'-1' is not a term"),
        ("1" * 4, "'1111' is not a term"),  # never an int() of an unbounded number
        ("1 or 2", "'1 or 2' is not a term"),
        ("1, " * 80, "more than 200 characters"),
    ],
)
def test_a_rule_that_does_not_parse_says_why(text: str, message: str) -> None:
    with pytest.raises(RuleError, match=message.replace("(", r"\(").replace(")", r"\)")):
        parse_rule(text, 5)


def test_the_checklist_size_is_bounded() -> None:
    with pytest.raises(RuleError, match="1 to 12 evidence items, not 0"):
        parse_rule("all", 0)
    with pytest.raises(RuleError, match=f"not {MAX_ITEMS + 1}"):
        parse_rule("all", MAX_ITEMS + 1)
    assert parse_rule("any 12", MAX_ITEMS).min_ticks == 12


@pytest.mark.parametrize(
    ("text", "fewest"),
    [
        ("all", 6),
        ("any 2", 2),
        ("any 2 of 3-5", 2),
        ("1-4", 4),
        ("1, 2 and any 1 of 3-5", 3),
        ("1, 2 and any 1 of 1-5", 2),  # item 1 meets both terms
        ("1-4 and any 2 of 3-6", 4),
        ("1-4 and any 2 of 5-6", 6),
        ("any 2 of 1-3 and any 2 of 3-5", 3),  # 3 counts for both
    ],
)
def test_the_fewest_ticks_a_rule_can_be_met_with(text: str, fewest: int) -> None:
    rule = parse_rule(text, 6)
    assert rule.min_ticks == fewest


def test_the_items_a_rule_names() -> None:
    assert parse_rule("1, 2 and any 1 of 4-5", 6).items == frozenset({1, 2, 4, 5})
    assert parse_rule("any 1", 3).items == frozenset({1, 2, 3})


THRESHOLDS = {
    2: parse_rule("any 1", 6),
    3: parse_rule("1, 2 and any 1 of 3-5", 6),
    4: parse_rule("1-4 and any 2 of 5-6", 6),
}


@pytest.mark.parametrize(
    ("ticked", "level"),
    [
        (set(), 1),
        ({6}, 2),
        ({1, 2}, 2),
        ({1, 2, 5}, 3),
        ({1, 2, 3, 4, 5}, 3),
        ({1, 2, 3, 4, 5, 6}, 4),
        ({1, 3, 4, 5, 6}, 2),  # item 2 missing: neither 3 nor 4 holds
        ({1, 2, 3, 99}, 3),  # a number off the checklist is ignored
    ],
)
def test_the_suggested_level_is_the_highest_whose_rule_holds(ticked: set[int], level: int) -> None:
    assert suggested_level(THRESHOLDS, ticked, 1) == level
    assert suggested_level(sorted(THRESHOLDS.items()), ticked, 1) == level  # as a question keeps them


def test_without_rules_the_suggestion_is_the_scale_minimum() -> None:
    assert suggested_level({}, {1, 2, 3}, 0) == 0
