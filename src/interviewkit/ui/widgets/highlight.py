"""The words a search matched, shown in bold: in the lists that answer a search (a delegate: the bank's list,
the cockpit's Ctrl+K list, the Loops question picker) and in the bank's detail pane.

The pattern comes from :func:`interviewkit.services.bank_queries.search_highlight` (the words the search
matched, as prefixes). The list's text is escaped before the bold tags go in, so nothing a question's
title holds is ever read as HTML; the detail pane marks its document's text with formats, not markup.
"""

from __future__ import annotations

import re

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRectF, Qt
from PySide6.QtGui import (
    QAbstractTextDocumentLayout,
    QFont,
    QPainter,
    QPalette,
    QSyntaxHighlighter,
    QTextCharFormat,
    QTextDocument,
)
from PySide6.QtWidgets import QApplication, QStyle, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from interviewkit.domain.markup import escape

__all__ = ["MatchHighlighter", "MatchesDelegate", "compile_pattern", "marked_html"]


def marked_html(text: str, pattern: re.Pattern[str] | None) -> str:
    """``text`` escaped for HTML, with what ``pattern`` matches in <b>…</b>."""
    if pattern is None:
        return escape(text)
    out, end = [], 0
    for m in pattern.finditer(text):
        if m.end() == m.start():
            continue
        out.append(escape(text[end : m.start()]))
        out.append(f"<b>{escape(m.group(0))}</b>")
        end = m.end()
    out.append(escape(text[end:]))
    return "".join(out)


def compile_pattern(pattern: str) -> re.Pattern[str] | None:
    return re.compile(pattern, re.IGNORECASE) if pattern else None


class MatchesDelegate(QStyledItemDelegate):
    """Paints a cell's text with the matched words in bold, each line elided at the right like the other cells."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._pattern: re.Pattern[str] | None = None

    def set_pattern(self, pattern: str) -> None:
        self._pattern = compile_pattern(pattern)

    def marked(self, index: QModelIndex | QPersistentModelIndex) -> str | None:
        """The cell's text as painted, as HTML with the matched words in <b>…</b>; None when nothing in it
        matches (it is painted as any other cell)."""
        text = str(index.data(Qt.ItemDataRole.DisplayRole) or "")
        if self._pattern is None or not self._pattern.search(text):
            return None
        return "<br>".join(marked_html(line, self._pattern) for line in text.split("\n"))

    def paint(
        self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        text = str(index.data(Qt.ItemDataRole.DisplayRole) or "")
        if self.marked(index) is None:
            super().paint(painter, option, index)
            return
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        style = opt.widget.style() if opt.widget is not None else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        rect = style.subElementRect(QStyle.SubElement.SE_ItemViewItemText, opt, opt.widget)
        width = max(rect.width() - 6, 0)
        lines = [opt.fontMetrics.elidedText(line, Qt.TextElideMode.ElideRight, width) for line in text.split("\n")]
        doc = QTextDocument()
        doc.setDefaultFont(QFont(opt.font))
        doc.setDocumentMargin(0)
        marked = "<br>".join(marked_html(line, self._pattern) for line in lines)
        doc.setHtml(f"<span style='white-space:pre'>{marked}</span>")  # spaces as typed ("title   ·   12 min")
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        context = QAbstractTextDocumentLayout.PaintContext()
        context.palette.setColor(QPalette.ColorRole.Text, opt.palette.color(role))
        painter.save()
        painter.translate(rect.left() + 3, rect.top() + (rect.height() - doc.size().height()) / 2)
        painter.setClipRect(QRectF(0, 0, rect.width(), rect.height()))
        doc.documentLayout().draw(painter, context)
        painter.restore()


class MatchHighlighter(QSyntaxHighlighter):
    """Marks the matched words of a text document: bold, on a tint of the palette's highlight (readable
    in both themes)."""

    def __init__(self, document: QTextDocument) -> None:
        super().__init__(document)
        self._pattern: re.Pattern[str] | None = None
        self._format = QTextCharFormat()
        self._format.setFontWeight(QFont.Weight.Bold)
        tint = QPalette().color(QPalette.ColorRole.Highlight)
        tint.setAlpha(80)
        self._format.setBackground(tint)

    def set_pattern(self, pattern: str) -> None:
        self._pattern = compile_pattern(pattern)
        self.rehighlight()

    def highlightBlock(self, text: str) -> None:  # noqa: N802 - Qt override
        if self._pattern is None:
            return
        for m in self._pattern.finditer(text):
            if m.end() > m.start():
                self.setFormat(m.start(), m.end() - m.start(), self._format)
