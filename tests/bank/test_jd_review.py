"""The review table's edits as pure functions (bank/jd_review.py): what is saved is what the table showed."""

from __future__ import annotations

import pytest

from interviewkit.bank.jd import parse_jd_text
from interviewkit.bank.jd_review import ReviewError, delete, merge, move_to_section, propose_split, retag, split

TEXT = """# Data Platform Lead

## Responsibilities
- Run the feature store in production
- Coach engineers. Hire two more
- Write the roadmap

## Nice to have
- Spark experience
"""


def _jd():  # type: ignore[no-untyped-def]
    return parse_jd_text(TEXT, "dp.lead")


def _rows(jd) -> list[tuple[str, str, str, str]]:  # type: ignore[no-untyped-def]
    return [(r.id, r.section, r.text, r.priority) for r in jd.requirements]


def test_delete_renumbers() -> None:
    jd = delete(_jd(), [0])
    assert _rows(jd) == [
        ("dp.lead.responsibilities.01", "Responsibilities", "Coach engineers. Hire two more", "must"),
        ("dp.lead.responsibilities.02", "Responsibilities", "Write the roadmap", "must"),
        ("dp.lead.nice.01", "Nice to have", "Spark experience", "nice"),
    ]
    assert [r.position for r in jd.requirements] == [1, 2, 3]


def test_merge_joins_where_the_first_stands_and_keeps_a_must() -> None:
    jd = merge(_jd(), [3, 0])
    assert _rows(jd)[0] == (
        "dp.lead.responsibilities.01",
        "Responsibilities",
        "Run the feature store in production; Spark experience",
        "must",
    )
    assert len(jd.requirements) == 3
    with pytest.raises(ReviewError, match="at least two"):
        merge(_jd(), [1])


def test_split_in_place() -> None:
    assert propose_split("Coach engineers. Hire two more") == ["Coach engineers.", "Hire two more"]
    jd = split(_jd(), 1, ["Coach engineers", "Hire two more", "  "])
    assert [r.text for r in jd.requirements] == [
        "Run the feature store in production",
        "Coach engineers",
        "Hire two more",
        "Write the roadmap",
        "Spark experience",
    ]
    assert jd.requirements[2].id == "dp.lead.responsibilities.03"
    with pytest.raises(ReviewError, match="at least one text"):
        split(_jd(), 1, [" "])


def test_retag_and_move() -> None:
    jd = retag(_jd(), [0, 3], "nice")
    assert [r.priority for r in jd.requirements] == ["nice", "must", "must", "nice"]
    with pytest.raises(ReviewError, match="'must' or 'nice'"):
        retag(_jd(), [0], "maybe")
    jd = move_to_section(_jd(), [3], "Skills")
    assert jd.requirements[3].id == "dp.lead.skills.01" and jd.requirements[3].section == "Skills"
    with pytest.raises(ReviewError, match="needs a name"):
        move_to_section(_jd(), [0], "  ")


def test_rows_out_of_range_are_refused() -> None:
    with pytest.raises(ReviewError, match="no requirement 10"):
        delete(_jd(), [9])
    with pytest.raises(ReviewError, match="choose a requirement"):
        delete(_jd(), [])


def test_numbering_is_the_parsers() -> None:
    from interviewkit.bank.jd_review import renumber

    jd = _jd()
    assert renumber(jd, jd.requirements) == jd
