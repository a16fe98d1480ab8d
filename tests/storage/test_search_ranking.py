"""Search ranked by relevance over the shipped bank (issue 16, item 6), on SQLite and PostgreSQL: the
database's own ranking (bm25 / ts_rank) with the title weighing most, words found by their stems."""

from __future__ import annotations

import re

import pytest

from interviewkit.services.bank_queries import search_highlight, search_question_ids, search_version_ids
from interviewkit.storage.db import Database

# What was typed -> the question that must come first (its title holds the words, or a form of them).
BEST_FIRST = {
    "rollback": "model-rollback-decision",  # 'Rolling back a model in production': 12th of 14 alphabetically
    "registries": "model-registry-improvement",  # a plural found by its stem (registry)
    "calibrating reviews": "performance-review-calibration-ml-team",  # 'Writing and calibrating a hard ...'
}


@pytest.mark.parametrize(("query", "best"), BEST_FIRST.items())
def test_the_best_match_comes_first(shipped_db: Database, query: str, best: str) -> None:
    ranked = search_question_ids(shipped_db, query, ranked=True)
    assert ranked[0] == best, ranked[:5]
    # Ranking orders what the filter as you type shows: the same questions.
    assert sorted(ranked) == sorted(search_question_ids(shipped_db, query))


def test_words_are_found_by_their_stems(shipped_db: Database) -> None:
    # "registries" appears nowhere in the bank; its stem's prefix finds "registry", "registries" ...
    assert "model-registry-improvement" in search_question_ids(shipped_db, "registries")
    # what is typed still matches as typed, part-words included (search as you type)
    assert search_question_ids(shipped_db, "rollba") == search_question_ids(shipped_db, "rollback")
    assert search_version_ids(shipped_db, "deploying") == search_version_ids(shipped_db, "deploy")


@pytest.mark.parametrize("query", ["promises demand", "demand promises", "deploying registries rollback"])
def test_a_word_with_a_stem_beside_other_words_is_a_valid_query(shipped_db: Database, query: str) -> None:
    """A word whose stem is not its prefix becomes a group, '("promises"* OR "promiz"*)', which FTS5 takes
    beside another word only with an explicit AND (the full suite's backend test met it: a syntax error)."""
    for word in query.split():  # every word must match (AND), and the query must not be refused
        assert set(search_question_ids(shipped_db, query)) <= set(search_question_ids(shipped_db, word))


def test_the_highlight_marks_what_the_search_matched() -> None:
    pattern = re.compile(search_highlight("Deploying registries"), re.IGNORECASE)
    text = "A model registry for deployments, not a registrar"
    assert [m.group(0) for m in pattern.finditer(text)] == ["registry", "deployments"]
    assert search_highlight("  ") == "" and search_highlight('"*') == ""
