"""The question being asked: its prompt in large type over the interviewer's notes, and beside them the
probes, the evidence checklist to tick (:mod:`.checklist`) and the rubric (with the level under the cursor,
or just given, marked)."""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette, QTextCursor
from PySide6.QtWidgets import QLabel, QListWidget, QPlainTextEdit, QSplitter, QTextBrowser, QVBoxLayout, QWidget

from interviewkit.services.interview_views import NO_QUESTION_HTML, checklist_html, prompt_html, rubric_html
from interviewkit.services.scorecards import AskedState
from interviewkit.ui.cockpit.checklist import EvidenceList

__all__ = ["PROMPT_STYLE", "QuestionPanel"]

PROMPT_STYLE = "pre { white-space: pre-wrap; font-size: 12pt; }"


def _titled(title: str | QLabel, *parts: tuple[QWidget, int], top: int = 0) -> QWidget:
    box = QWidget()
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, top, 0, 0)
    layout.addWidget(title if isinstance(title, QLabel) else QLabel(f"<b>{title}</b>"))
    for widget, stretch in parts:
        layout.addWidget(widget, stretch)
    return box


class QuestionPanel(QSplitter):
    """Prompt over notes on the left, probes over rubric on the right. The notes' text is the caller's:
    :meth:`show_question` shows a question with the notes given, without emitting ``textChanged``."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(Qt.Orientation.Horizontal, parent)
        self.setObjectName("cockpitSplitter")
        self.prompt = QTextBrowser()
        self.prompt.setObjectName("cockpitPrompt")
        self.prompt.setOpenLinks(False)
        self.prompt.setAccessibleName("Question")
        # Code in a work sample wraps (a horizontal scrollbar hid half of each line at 1280x800), a little
        # smaller than the prompt's large type.
        self.prompt.document().setDefaultStyleSheet(PROMPT_STYLE)
        self.notes = QPlainTextEdit()
        self.notes.setObjectName("cockpitNotes")
        self.notes.setAccessibleName("Notes for this question")
        self.notes.setPlaceholderText("Notes for this question (Ctrl+J). Plain text; Markdown is fine.")
        self.probes = QListWidget()
        self.probes.setObjectName("cockpitProbes")
        self.probes.setWordWrap(True)
        self.probes.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.rubric = QTextBrowser()
        self.rubric.setObjectName("cockpitRubric")
        self.rubric.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.rubric_title = QLabel("<b>Rubric</b>")
        self.evidence = EvidenceList()
        self.evidence_title = QLabel("<b>Evidence heard</b> (Ctrl+E, Space ticks)")
        self.evidence_title.setToolTip(self.evidence.toolTip())
        self._build()

    def _build(self) -> None:
        left = QSplitter(Qt.Orientation.Vertical)
        left.setObjectName("cockpitLeftSplitter")
        left.addWidget(self.prompt)
        left.addWidget(_titled("Notes", (self.notes, 1), top=4))
        left.setStretchFactor(0, 3)
        left.setStretchFactor(1, 2)
        left.setChildrenCollapsible(False)  # neither the question nor the notes can be dragged away
        self.prompt.setMinimumHeight(140)
        self.notes.setMinimumHeight(90)
        left.setSizes([440, 260])
        self.evidence_box = _titled(self.evidence_title, (self.evidence, 1), top=4)
        right = QSplitter(Qt.Orientation.Vertical)
        right.setObjectName("cockpitRightSplitter")
        right.addWidget(_titled("Probes", (self.probes, 1)))
        right.addWidget(self.evidence_box)
        right.addWidget(_titled(self.rubric_title, (self.rubric, 1), top=4))
        right.setSizes([130, 280, 290])
        self.addWidget(left)
        self.addWidget(right)
        self.setStretchFactor(0, 3)
        self.setStretchFactor(1, 2)
        self.setSizes([700, 420])

    def set_evidence_editable(self, on: bool, *, submitted: bool) -> None:
        """Ticks are taken while the draft is written; a submitted scorecard's are its record, and say so."""
        self.evidence.set_editable(on)
        if submitted:
            self.evidence_title.setText("<b>Evidence heard</b> (submitted: change it by an amendment, Ctrl+Shift+A)")
        else:
            self.evidence_title.setText("<b>Evidence heard</b> (Ctrl+E, Space ticks)")

    def show_question(self, q: AskedState | None, notes: str, labels: Mapping[int, str]) -> None:
        """Show ``q`` with ``notes`` and its ticks (as ``q.evidence_ticks`` holds them)."""
        self.notes.blockSignals(True)
        self.probes.clear()
        self.evidence_box.setVisible(bool(q is not None and q.evidence))
        if q is None:
            self.prompt.setHtml(NO_QUESTION_HTML)
            self.notes.setPlainText("")
            self.rubric.setHtml("")
            self.evidence.show_items((), ())
        else:
            self.prompt.setHtml(prompt_html(q))
            self.notes.setPlainText(notes)
            self.notes.moveCursor(QTextCursor.MoveOperation.End)
            self.probes.addItems([f"› {f}" for f in q.follow_ups])
            self.evidence.show_items(q.evidence, q.evidence_ticks)
            self.show_anchor(q, labels, -1)
        self.notes.blockSignals(False)

    def show_anchor(self, q: AskedState, labels: Mapping[int, str], level: int) -> None:
        """The rubric of ``q`` with ``level`` marked (-1: none)."""
        pal = self.rubric.palette()
        anchors = rubric_html(
            q.rubric,
            labels,
            level=level,
            background=pal.color(QPalette.ColorRole.Highlight).name(),
            foreground=pal.color(QPalette.ColorRole.HighlightedText).name(),
        )
        # the anchors name evidence items by number (the list to tick, above): what each level needs follows
        checklist = checklist_html(q, labels, subtle=pal.color(QPalette.ColorRole.PlaceholderText).name(), items=False)
        self.rubric.setHtml(anchors + checklist)
        title = "<b>Rubric</b>" + (" and what each level needs" if checklist else "")
        self.rubric_title.setText(f"{title} · level {level}" if level > 0 else title)
