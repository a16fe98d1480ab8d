"""The question detail pane: the prompt (sanitised Markdown), probes, rubric, red flags, requirements."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QUrl
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QTextBrowser

from interviewkit.ui.widgets.theme import state_colours

if TYPE_CHECKING:
    from interviewkit.services.bank_queries import QuestionDetail

__all__ = ["QuestionDetailView", "question_html"]

KIND_LABELS = {
    "behavioural": "Behavioural",
    "technical": "Technical",
    "system-design": "System design",
    "situational": "Situational",
    "work-sample": "Work sample",
}


def question_html(
    q: QuestionDetail, *, scale_labels: dict[int, str], subtle: str, rule: str, danger: str
) -> str:
    """HTML for one question. Every text from the bank is escaped or sanitised."""
    from interviewkit.domain.markup import escape, markdown_to_html

    comps = " · ".join(escape(name) for _, name in q.competencies)
    meta = " · ".join(
        x
        for x in (
            escape(KIND_LABELS.get(q.kind, q.kind)),
            f"{q.minutes} min",
            escape(q.level) if q.level else "",
            f"v{q.version}",
            "<b>retired</b>" if q.retired else "",
        )
        if x
    )
    parts = [
        f"<h2 style='margin-bottom:2px'>{escape(q.title)}</h2>",
        f"<div style='color:{subtle}'>{meta}<br>{comps}</div>",
        f"<div style='margin-top:10px; font-size:12pt'>{markdown_to_html(q.prompt)}</div>",
    ]
    if q.follow_ups:
        parts.append("<h3>Follow-up probes</h3><ul>")
        parts.extend(f"<li>{escape(f)}</li>" for f in q.follow_ups)
        parts.append("</ul>")
    if q.rubric:
        parts.append("<h3>Rubric</h3><table cellspacing='0' cellpadding='5' width='100%' style='border-collapse:collapse'>")
        for level, anchor in q.rubric:
            label = escape(scale_labels.get(level, ""))
            parts.append(
                f"<tr><td valign='top' width='28' style='border-top:1px solid {rule}'><b>{level}</b></td>"
                f"<td valign='top' style='border-top:1px solid {rule}'>"
                f"<span style='color:{subtle}'>{label}</span><br>{escape(anchor)}</td></tr>"
            )
        parts.append("</table>")
    if q.red_flags:
        parts.append("<h3>Red flags</h3><ul>")
        parts.extend(f"<li><span style='color:{danger}'>⚑</span> {escape(f)}</li>" for f in q.red_flags)
        parts.append("</ul>")
    parts.append(f"<h3>Requirements covered ({len(q.requirements)})</h3>")
    if q.requirements:
        parts.append("<ul>")
        parts.extend(
            f"<li>{escape(r.text)}<br><span style='color:{subtle}; font-size:small'>{escape(r.id)}</span></li>"
            for r in q.requirements
        )
        parts.append("</ul>")
    else:
        parts.append(f"<p style='color:{subtle}'>None: this question is not mapped to any requirement.</p>")
    parts.append(f"<p style='color:{subtle}; font-size:small'>Source: {escape(q.source_path)}</p>")
    return "\n".join(parts)


class QuestionDetailView(QTextBrowser):
    """Shows one question. Never loads anything from outside: no images, no remote resources."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.setObjectName("questionDetail")
        self._scale_labels: dict[int, str] = {}

    def set_scale_labels(self, labels: dict[int, str]) -> None:
        self._scale_labels = dict(labels)

    def loadResource(self, type_: int, name: QUrl) -> Any:  # noqa: N802 - Qt override
        return None  # nothing external is ever fetched

    def show_question(self, q: QuestionDetail | None) -> None:
        if q is None:
            self.setHtml("")
            return
        pal = self.palette()
        colours = state_colours()
        self.setHtml(
            question_html(
                q,
                scale_labels=self._scale_labels,
                subtle=pal.color(QPalette.ColorRole.PlaceholderText).name(),
                rule=pal.color(QPalette.ColorRole.Mid).name(),
                danger=colours["danger"],
            )
        )

    def show_message(self, text: str) -> None:
        from interviewkit.domain.markup import escape

        subtle = self.palette().color(QPalette.ColorRole.PlaceholderText).name()
        self.setHtml(f"<p style='color:{subtle}; font-size:12pt; margin:30px'>{escape(text)}</p>")
