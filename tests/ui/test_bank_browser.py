"""The bank browser, driven like a user: typing filters, selecting shows the question."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from interviewkit.bank.loader import load_settings
from interviewkit.services.access import LOCAL_ADMIN
from interviewkit.services.bank_sync import sync_bank
from interviewkit.services.context import AppContext
from interviewkit.storage.db import Database
from interviewkit.ui.bank.browser import BankBrowser
from tests.conftest import write_question


def _browser(qtbot: QtBot, ctx: AppContext) -> BankBrowser:
    browser = BankBrowser()
    qtbot.addWidget(browser)
    browser.resize(1200, 700)
    browser.set_context(ctx)
    with qtbot.waitActive(browser):  # active, as a person's window is: Esc is a shortcut (the registry's)
        browser.show()
        browser.activateWindow()
    return browser


def test_typing_filters_the_table(qtbot: QtBot, ctx: AppContext) -> None:
    browser = _browser(qtbot, ctx)
    assert browser.proxy.rowCount() == 3
    assert browser.count_label.text() == "3 of 3 questions"
    qtbot.keyClicks(browser.search, "drif")
    qtbot.waitUntil(lambda: browser.proxy.rowCount() == 1)
    assert browser.count_label.text() == "1 of 3 questions"
    assert "A model that drifted" in browser.detail.toPlainText()
    qtbot.keyClick(browser.search, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: browser.proxy.rowCount() == 3)
    qtbot.keyClicks(browser.search, "nothing matches this")
    qtbot.waitUntil(lambda: browser.proxy.rowCount() == 0)
    assert browser.list_stack.currentWidget() is browser.empty
    assert "No question matches" in browser.empty.text()


def test_selecting_a_row_shows_the_question(qtbot: QtBot, ctx: AppContext) -> None:
    browser = _browser(qtbot, ctx)
    row = next(
        r for r in range(browser.proxy.rowCount()) if browser.proxy.index(r, 0).data() == "Cutting GPU serving cost"
    )
    rect = browser.table.visualRect(browser.proxy.index(row, 0))
    with qtbot.waitSignal(browser.sig_question_selected) as blocker:
        qtbot.mouseClick(browser.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert blocker.args == ["gpu-cost-cut"]
    text = browser.detail.toPlainText()
    assert "Cutting GPU serving cost" in text
    assert "How did you bring down the cost per prediction" in text
    assert "Follow-up probes" in text and "What did you change afterwards?" in text
    assert "Clear evidence" in text and "Gives p99 before and after" in text  # rubric level with its label
    assert "Blames another team" in text
    assert "Build and maintain Python APIs (Flask/FastAPI) to serve ML models" in text


def test_keyboard_navigation_from_search_to_table(qtbot: QtBot, ctx: AppContext) -> None:
    browser = _browser(qtbot, ctx)
    browser.focus_search()
    qtbot.keyClicks(browser.search, "cost")
    qtbot.waitUntil(lambda: browser.proxy.rowCount() == 1)
    qtbot.keyClick(browser.search, Qt.Key.Key_Return)
    qtbot.waitUntil(browser.table.hasFocus)
    assert browser.current_question_id() == "gpu-cost-cut"


def test_filters_by_competency_kind_and_document(qtbot: QtBot, ctx: AppContext) -> None:
    browser = _browser(qtbot, ctx)
    browser.competency.setCurrentIndex(browser.competency.findData("people-leadership"))
    assert browser.proxy.rowCount() == 0
    browser.competency.setCurrentIndex(browser.competency.findData("model-serving"))
    assert browser.proxy.rowCount() == 3
    browser.kind.setCurrentIndex(browser.kind.findData("work-sample"))
    assert browser.proxy.rowCount() == 0
    browser.kind.setCurrentIndex(0)
    browser.document.setCurrentIndex(browser.document.findData("ml-lead-lisbon-ad"))
    assert browser.proxy.rowCount() == 3


def test_raw_html_and_remote_images_never_run_or_load(qtbot: QtBot, db: Database, mini_bank: Path) -> None:
    write_question(
        mini_bank,
        "hostile",
        title="Hostile markup",
        prompt='Explain **this**. <script>alert("x")</script><img src="https://evil.example/t.png">'
        '![pixel](https://evil.example/p.png) <a href="javascript:alert(1)">click</a>',
    )
    sync_bank(db, mini_bank, by=LOCAL_ADMIN)
    browser = _browser(qtbot, AppContext(db, mini_bank, load_settings(mini_bank)))
    assert browser.select_question("hostile")
    html = browser.detail.toHtml()
    assert "Explain" in browser.detail.toPlainText()
    assert "evil.example" not in html and "alert" not in html and "<img" not in html


def test_an_empty_bank_explains_what_to_do(qtbot: QtBot, db: Database, tmp_path: Path) -> None:
    browser = _browser(qtbot, AppContext(db, tmp_path, load_settings(tmp_path)))
    assert browser.list_stack.currentWidget() is browser.empty
    assert "Sync bank" in browser.empty.text()


def test_a_bank_sync_elsewhere_refreshes_it_keeping_the_selection(qtbot: QtBot, db: Database, mini_bank: Path) -> None:
    from interviewkit.services.changes import Changes

    sync_bank(db, mini_bank, by=LOCAL_ADMIN)
    browser = _browser(qtbot, AppContext(db, mini_bank, load_settings(mini_bank)))
    assert browser.select_question("gpu-cost-cut")
    write_question(mini_bank, "cold-start", title="A cold start after a deploy")
    sync_bank(db, mini_bank, by=LOCAL_ADMIN)  # the window's File → Sync bank, say
    assert browser.proxy.rowCount() == 3  # nothing re-read by hand
    browser.apply_changes(Changes(bank=True))  # what the window hands every screen after that write
    assert browser.proxy.rowCount() == 4 and browser.count_label.text() == "4 of 4 questions"
    assert browser.current_question_id() == "gpu-cost-cut"
    browser.apply_changes(Changes.of(scorecards=[1]))  # not something it shows: no reading again
    assert browser.current_question_id() == "gpu-cost-cut"
