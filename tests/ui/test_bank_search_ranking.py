"""Search in the bank browser and in the cockpit's Ctrl+K list: best match first, matched words in bold
(issue 16, item 6), over the shipped bank."""

from __future__ import annotations

import re

from pytestqt.qtbot import QtBot

from interviewkit.bank.loader import load_settings
from interviewkit.paths import shipped_bank_dir
from interviewkit.services.bank_queries import search_highlight
from interviewkit.services.context import AppContext
from interviewkit.storage.db import Database
from interviewkit.ui.bank.browser import BankBrowser
from interviewkit.ui.cockpit.picker import QuestionPicker
from interviewkit.ui.widgets.highlight import marked_html


def _ctx(db: Database) -> AppContext:
    return AppContext(db, shipped_bank_dir(), load_settings(shipped_bank_dir()))


def test_the_browser_lists_the_best_match_first_and_marks_the_words(qtbot: QtBot, shipped_db: Database) -> None:
    browser = BankBrowser()
    qtbot.addWidget(browser)
    browser.resize(1280, 760)
    browser.set_context(_ctx(shipped_db))
    browser.show()
    qtbot.keyClicks(browser.search, "rollback")
    qtbot.waitUntil(lambda: browser.table.model().rowCount() > 1)
    first = browser.proxy.index(0, 0)
    assert first.data() == "Rolling back a model in production"  # alphabetically it came 12th of 14
    assert browser.current_question_id() == "model-rollback-decision"  # the best match is shown
    # the detail pane marks the matched words in its document (formats, not markup)
    detail = browser.detail
    marked = [detail.document().findBlockByNumber(b).layout().formats() for b in range(detail.document().blockCount())]
    assert any(fmt for block in marked for fmt in block)
    # by title again once the search is cleared, and nothing marked
    browser.search.clear()
    qtbot.waitUntil(lambda: browser.proxy.rowCount() == browser.model.rowCount())
    assert browser.proxy.index(0, 0).data() < browser.proxy.index(1, 0).data()
    assert not any(
        detail.document().findBlockByNumber(b).layout().formats() for b in range(detail.document().blockCount())
    )


def test_the_list_marks_words_in_bold_and_never_reads_the_title_as_html() -> None:
    pattern = re.compile(search_highlight("rollback"), re.IGNORECASE)
    assert marked_html("Rollback <img src=x onerror=alert(1)> & rollbacks", pattern) == (
        "<b>Rollback</b> &lt;img src=x onerror=alert(1)&gt; &amp; <b>rollbacks</b>"
    )
    assert marked_html("<b>x</b>", None) == "&lt;b&gt;x&lt;/b&gt;"


def test_ctrl_k_lists_the_best_match_first(qtbot: QtBot, shipped_db: Database) -> None:
    picker = QuestionPicker(_ctx(shipped_db), exclude=set())
    qtbot.addWidget(picker)
    picker.show()
    qtbot.keyClicks(picker.search, "registries")
    qtbot.waitUntil(lambda: picker.results.count() > 1)
    assert picker.results.item(0).text().startswith("Improving how the team uses a model registry")


def test_ctrl_k_lists_the_bank_by_title_before_anything_is_typed(qtbot: QtBot, shipped_db: Database) -> None:
    picker = QuestionPicker(_ctx(shipped_db), exclude=set())
    qtbot.addWidget(picker)
    titles = [picker.results.item(r).text().split("   ·   ")[0] for r in range(picker.results.count())]
    assert titles == sorted(titles, key=str.casefold)


def test_ctrl_k_marks_the_matched_words_as_the_bank_does(qtbot: QtBot, shipped_db: Database) -> None:
    picker = QuestionPicker(_ctx(shipped_db), exclude=set())
    qtbot.addWidget(picker)
    picker.resize(620, 420)
    picker.show()
    qtbot.keyClicks(picker.search, "registry")
    first = picker.results.model().index(0, 0)
    assert picker.results.itemDelegate() is picker.matches
    marked = picker.matches.marked(first)
    assert marked is not None
    assert marked.startswith("Improving how the team uses a model <b>registry</b>   ·   ")
    assert marked.endswith("<br>model-<b>registry</b>-improvement")  # both lines, each marked
    rect = picker.results.visualRect(first)
    bold = picker.results.viewport().grab(rect).toImage()
    picker.matches.set_pattern("")
    assert picker.results.viewport().grab(rect).toImage() != bold  # the bold words are painted
    picker.search.clear()
    assert picker.matches.marked(picker.results.model().index(0, 0)) is None
