"""Job-description extraction: both seeds, inline lists, other list styles, and bad files."""

from __future__ import annotations

import os
import sys
import time
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
        (b"\xff\xfe- \x00\xd8", "starts with a UTF-16 byte-order mark but is not UTF-16 text"),
        (b"%PDF-1.7\n%broken", "could not be read as a PDF"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "Word 97-2003 document"),
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


N = 100_000
# Inputs that took the old regular expressions quadratic or cubic time (2.7 s for a heading with 1,000
# spaces, minutes for these). Each must parse in well under 2 s; the budget is generous for a busy machine.
ADVERSARIAL = {
    "heading of spaces": "# a" + " " * N + "x\n- x\n",
    "bold line of spaces": "**a**" + " " * N + "x\n- x\n",
    "bullet of repeated '_a '": "- " + "_a " * (N // 3) + "\n",
    "bullet of repeated '*a '": "- " + "*a " * (N // 3) + "\n",
    "emphasis marks": "- " + "**_`" * (N // 4) + "a\n",
    "brackets without an end": "- " + "[" * N + "\n",
    "links without an end": "- " + "[a](" * (N // 4) + "\n",
    "spaces before no citation": "- a" + " " * N + "x\n",
    "spaces between no items": "x: - a" + " " * N + "b\n",
    "dots before the end": "- a" + "." * N + "x\n",
    "rule-like line": "- " * N + "x\n- y\n",
    "sections with one slug": "".join(f"# a{'!' * i}\n- x\n" for i in range(900)),
}


@pytest.mark.parametrize("name", sorted(ADVERSARIAL))
def test_adversarial_text_parses_in_linear_time(name: str) -> None:
    started = time.perf_counter()
    jd = parse_jd_text(ADVERSARIAL[name], "x")
    assert time.perf_counter() - started < 2.0
    assert jd.requirements


def test_sections_with_the_same_slug_get_numbered_ids() -> None:
    text = "".join(f"# Skills{'!' * i}\n- x\n" for i in range(4))
    assert [r.id for r in parse_jd_text(text, "d").requirements] == [
        "d.skills.01", "d.skills-2.01", "d.skills-3.01", "d.skills-4.01"
    ]


def test_a_document_of_thousands_of_bullets_is_not_a_job_description() -> None:
    parse_jd_text("- a\n" * 1000, "d")
    with pytest.raises(JDError, match="more than 1,000 bullets"):
        parse_jd_text("- a\n" * 1001, "d")


def test_long_titles_sections_and_slugs_fit_the_database() -> None:
    word = "a" * 500
    jd = parse_jd_text(f"# {word} title\n## {word} section\n- item\n", "d")
    assert len(jd.title) <= 300 and jd.title.endswith("...")
    (req,) = jd.requirements
    assert len(req.section) <= 300 and len(req.id) <= 200


@pytest.mark.parametrize("doc_id", ["", "Has Spaces", "a/b", "x" * 121, "a\nb"])
def test_a_given_document_id_must_be_an_id(tmp_path: Path, doc_id: str) -> None:
    path = tmp_path / "jd.md"
    path.write_text("- a\n")
    with pytest.raises(JDError) as info:
        read_jd_file(path, doc_id=doc_id)
    assert "\n" not in str(info.value) and str(path) in str(info.value)
    assert read_jd_file(path, doc_id="platform-lead").id == "platform-lead"


def test_a_file_name_that_makes_too_long_an_id_is_refused(tmp_path: Path) -> None:
    path = tmp_path / ("x" * 130 + ".md")
    path.write_text("- a\n")
    with pytest.raises(JDError, match="at most 120"):
        read_jd_file(path)


@pytest.mark.skipif(sys.platform == "win32", reason="FIFOs and devices are POSIX")
@pytest.mark.parametrize("special", ["fifo", "/dev/zero", "/dev/urandom"])
def test_special_files_are_refused_without_reading(tmp_path: Path, special: str) -> None:
    path = tmp_path / "jd.md"
    if special == "fifo":
        os.mkfifo(path)
    else:
        path = Path(special)
    with pytest.raises(JDError, match="not a regular file"):
        read_jd_file(path)


def test_a_file_over_5_mb_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "jd.md"
    path.write_bytes(b"- a\n" + b"x" * (5 * 1024 * 1024))
    with pytest.raises(JDError, match="a job description may be at most 5"):
        read_jd_file(path)
