"""Suggestions for a number of years of something (issue 20, 2026-12-08): the years are the recruiter's screen's,
what they are of is still an interview's when the ranker is sure what it asks for; "spoken" alone is no language.

Leaving one blind round out, "3+ years managing ML engineers, including performance reviews" got "no good match"
(a CV fact) where the labels asked for people-leadership questions, and "the models that grade every spoken
exercise" was taken for a spoken language (docs/job-descriptions.md, failure classes)."""

from __future__ import annotations

from pathlib import Path

from interviewkit.bank.jd import read_jd_file
from interviewkit.bank.suggest import SCREEN_FACT
from interviewkit.services.jd import suggest_for_texts
from interviewkit.storage.db import Database

JD = """# Engineering Manager, ML

## Requirements
- 4+ years leading ML engineers, with one-to-ones, feedback and career conversations
- 6+ years of professional experience
- A PhD and 5+ years in machine learning
- You have lived in the EU for at least three years
- Own the models that score every spoken answer in the app
"""


def test_years_of_a_skill_get_its_questions_and_the_years_go_to_the_screen(
    shipped_db: Database, tmp_path: Path
) -> None:
    path = tmp_path / "ml-eng-manager.md"
    path.write_text(JD, encoding="utf-8")
    leading, experience, phd, lived, spoken = suggest_for_texts(shipped_db, read_jd_file(path))
    assert leading.matches and not leading.reason
    for m in leading.matches:
        assert m.reason.startswith("asks for people leadership"), m
        assert m.reason.endswith("the number of years is for the recruiter's screen"), m
    # years of nothing in particular, a degree with them, a span of residence: the screen's whole
    for fact in (experience, phd, lived):
        assert not fact.matches and SCREEN_FACT in fact.reason, fact.requirement.text
    # a spoken answer is no spoken language
    assert spoken.matches and SCREEN_FACT not in spoken.reason
    assert all("recruiter's screen" not in m.reason for m in spoken.matches)
