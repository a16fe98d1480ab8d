"""Hiding names and the small formatting helpers: plain Python, no Qt."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from interviewkit.services.documents import NameMasker, PdfOptions, format_date, short_name


def test_interviewers_get_letters_in_order_and_others_numbers() -> None:
    m = NameMasker(["José Ñúñez", "Zoë Ørsted", "王芳", "José Ñúñez"], ["Ana Ortiz"], keep=["Priya Natarajan"])
    assert [m.name(n) for n in ("José Ñúñez", "Zoë Ørsted", "王芳", "Ana Ortiz")] == [
        "Interviewer A",
        "Interviewer B",
        "Interviewer C",
        "Panel member 1",
    ]
    assert m.name("Someone Else") == "Someone Else"


def test_names_in_free_text_are_replaced_whole_words_only() -> None:
    m = NameMasker(["Zoë Ørsted", "王芳", "Ana Ortiz"], keep=["Priya Natarajan"])
    text = "Zoë Ørsted and 王芳说 agreed; Zoë probed; Zoëlle and Anastasia did not. Ana too."
    assert m.text(text) == (
        "Interviewer A and Interviewer B说 agreed; Interviewer A probed; Zoëlle and Anastasia did not. "
        "Interviewer C too."
    )


def test_a_first_name_shared_with_the_candidate_or_another_person_stays() -> None:
    m = NameMasker(["Priya Raghunathan", "Ana Ortiz", "Ana Lima"], keep=["Priya Natarajan"])
    assert m.text("Priya said Ana was right; Ana Lima disagreed") == "Priya said Ana was right; Interviewer C disagreed"


def test_decomposed_accents_are_matched() -> None:
    m = NameMasker(["José Ñúñez"])
    assert m.text("Jose\u0301 N\u0303u\u0301n\u0303ez") == "Interviewer A"


def test_short_names_and_dates() -> None:
    assert short_name("Priya Natarajan") == "Priya N."
    assert short_name("José María Ñúñez") == "José Ñ."
    assert short_name("王芳") == "王芳"
    assert short_name("ليلى حداد") == "ليلى حداد"
    assert format_date(datetime(2025, 3, 12, 12, 0, tzinfo=UTC).replace(tzinfo=None)) == "12 Mar 2025"


def test_page_size_is_checked() -> None:
    with pytest.raises(ValueError):
        PdfOptions(page_size="A5")
