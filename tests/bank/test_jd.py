"""Job-description extraction: both seeds, inline lists, other list styles, and bad files."""

from __future__ import annotations

from pathlib import Path

import pytest

from interviewkit.bank.jd import JDError, parse_jd_text, read_jd_file
from tests.conftest import SEEDS


def test_role_profile_yields_its_83_bullets_in_their_sections() -> None:
    jd = read_jd_file(SEEDS["profile"])
    assert len(jd.requirements) == 83
    assert jd.title == "Machine Learning Engineering Manager Role Profile"
    by_id = {r.id: r for r in jd.requirements}
    first = by_id["ml-eng-manager-profile.technical-expertise.01"]
    assert (first.section, first.text) == ("Technical Expertise", "8+ years of hands-on ML engineering experience")
    skill = by_id["ml-eng-manager-profile.technical-skills-required.01"]
    assert skill.text == "Languages: Python (expert), SQL, Scala/Java (preferred)"  # bold markers cleaned
    last = jd.requirements[-1]
    assert last.id == "ml-eng-manager-profile.typical-background.05"
    assert last.text == "Experience with both research and production ML systems"
    sections = [r.section for r in jd.requirements]
    assert sections.count("Success Metrics") == 10
    assert sections.count("Technical Skills Required") == 8
    assert len({r.id for r in jd.requirements}) == 83
    assert [r.position for r in jd.requirements] == list(range(1, 84))


def test_job_ad_with_inline_bullets_yields_its_29_requirements() -> None:
    jd = read_jd_file(SEEDS["ad"])
    assert len(jd.requirements) == 29
    assert jd.title == "Machine Learning (ML) Lead / Manager - Lisbon (hybrid / remote)"
    sections: dict[str, int] = {}
    for r in jd.requirements:
        sections[r.section] = sections.get(r.section, 0) + 1
    assert sections == {
        "As the ML Engineering Manager, you will": 11,
        "To excel in this role, you should have": 10,
        "Your typical day will involve": 8,
    }
    texts = [r.text for r in jd.requirements]
    assert texts[0] == (
        "Lead and manage a team of ML Engineers, including recruitment, onboarding, coaching, and mentoring"
    )
    # The last item of a list runs into the next lead-in without a space: it must be cut there.
    assert texts[10].endswith("and infrastructure as code (IaC)")
    assert texts[-1] == "Participating in Agile development cycles and adapting to evolving project requirements"
    assert not any("Curious" in t or "#TeamCandour" in t for t in texts)  # prose is not a requirement
    assert jd.requirements[0].id == "ml-lead-lisbon-ad.ml-engineering-manager.01"


def test_each_seed_bullet_is_extracted_exactly_once() -> None:
    raw = SEEDS["profile"].read_text(encoding="utf-8")
    bullets = [line[2:].strip() for line in raw.splitlines() if line.startswith("- ")]
    texts = [r.text for r in read_jd_file(SEEDS["profile"]).requirements]
    assert len(bullets) == len(texts) == 83
    for bullet, text in zip(bullets, texts):
        assert text == bullet.replace("**", "")


def test_list_styles_numbering_citations_and_prose() -> None:
    text = """# Senior Data Engineer

We are a friendly team that ships data products. This paragraph is prose.

## What you'll do
1. Build streaming pipelines [1][3]
2) Own the data platform;
* Mentor two engineers,
• Write design docs
+ Talk to customers

**Nice to have**
- Kafka experience
  across several clusters

Requirements:
- SQL
"""
    jd = parse_jd_text(text, "de")
    got = [(r.section, r.text) for r in jd.requirements]
    assert got == [
        ("What you'll do", "Build streaming pipelines"),
        ("What you'll do", "Own the data platform"),
        ("What you'll do", "Mentor two engineers"),
        ("What you'll do", "Write design docs"),
        ("What you'll do", "Talk to customers"),
        ("Nice to have", "Kafka experience across several clusters"),
        ("Requirements", "SQL"),
    ]
    assert jd.title == "Senior Data Engineer"
    assert jd.requirements[0].id == "de.what-youll-do.01"
    assert jd.requirements[5].id == "de.nice.01"


def test_ids_are_stable_and_readable_for_repeated_section_names() -> None:
    text = "## Skills\n- A\n- B\n## Other\n- C\n## Skills\n- D\n"
    ids = [r.id for r in parse_jd_text(text, "x").requirements]
    assert ids == ["x.skills.01", "x.skills.02", "x.other.01", "x.skills.03"]
    assert ids == [r.id for r in parse_jd_text(text, "x").requirements]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty"),
        (b"   \n\n", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
        (b"caf\xe9 au lait\n- one", "not UTF-8"),
        (b"Just a paragraph of prose without any list.", "no requirements"),
    ],
)
def test_bad_files_get_a_clear_error(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "jd.txt"
    path.write_bytes(content)
    with pytest.raises(JDError, match=message) as info:
        read_jd_file(path)
    assert str(path) in str(info.value)


def test_missing_file_and_folder(tmp_path: Path) -> None:
    with pytest.raises(JDError, match="no such file"):
        read_jd_file(tmp_path / "nope.md")
    with pytest.raises(JDError, match="folder"):
        read_jd_file(tmp_path)
