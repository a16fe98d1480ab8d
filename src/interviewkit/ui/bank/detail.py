"""The question detail pane: shows the page of :func:`~interviewkit.services.bank_views.question_html` (the
prompt as sanitised Markdown, probes, rubric, red flags, requirements) in the palette's colours."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QUrl
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QTextBrowser, QWidget

from interviewkit.domain.markup import escape
from interviewkit.services.bank_queries import QuestionDetail
from interviewkit.services.bank_views import PageColours, question_html
from interviewkit.ui.widgets.highlight import MatchHighlighter
from interviewkit.ui.widgets.theme import state_colours

__all__ = ["QuestionDetailView"]


class QuestionDetailView(QTextBrowser):
    """Shows one question. Never loads anything from outside: no images, no remote resources."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.setObjectName("questionDetail")
        self.setAccessibleName("The selected question")
        self._scale_labels: dict[int, str] = {}
        self.highlighter = MatchHighlighter(self.document())

    def set_highlight(self, pattern: str) -> None:
        """Mark the words a search matched (a pattern of services.bank_queries.search_highlight; "": none)."""
        self.highlighter.set_pattern(pattern)

    def set_scale_labels(self, labels: dict[int, str]) -> None:
        self._scale_labels = dict(labels)

    def loadResource(self, type_: int, name: QUrl | str) -> Any:  # noqa: N802 - Qt override
        return None  # nothing external is ever fetched

    def _subtle(self) -> str:
        return self.palette().color(QPalette.ColorRole.PlaceholderText).name()

    def show_question(self, q: QuestionDetail | None) -> None:
        if q is None:
            self.setHtml("")
            return
        colours = PageColours(
            subtle=self._subtle(),
            rule=self.palette().color(QPalette.ColorRole.Mid).name(),
            danger=state_colours()["danger"],
        )
        self.setHtml(question_html(q, scale_labels=self._scale_labels, colours=colours))

    def show_message(self, text: str) -> None:
        self.setHtml(f"<p style='color:{self._subtle()}; font-size:12pt; margin:30px'>{escape(text)}</p>")
