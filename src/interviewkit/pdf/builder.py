"""What every PDF document is built with: the Qt application printing needs, the styles, and
:class:`Builder`, which turns HTML snippets into flowables (paragraphs, headings, boxes, tables) for one
page width.

Colour is never the only signal: a disagreement or an unassessed requirement has a symbol and words
(:data:`WARNING`, :data:`MISSING`).
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Sequence

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication

from interviewkit.domain.markup import escape, markdown_to_html, notes_to_html
from interviewkit.pdf.layout import MM, Block, BlockStyle, Cell, Flowable, LayoutContext, RuledLines, Spacer

__all__ = [
    "ALERT_BOX",
    "ALERT_ROW",
    "BODY_ROW",
    "GAP",
    "GRID_ALERT",
    "GRID_HEADER",
    "GRID_ROW",
    "HEADER_ROW",
    "MISSING",
    "MISSING_ROW",
    "NOTE_BOX",
    "PLAIN_ROW",
    "QUOTE_BOX",
    "TABLE_PAD",
    "WARNING",
    "Builder",
    "ensure_gui_application",
    "first_paragraph",
    "key_values",
    "markdown",
    "minutes",
    "plain",
    "scale_legend",
]

_APPLICATION: list[QApplication] = []  # the application made here, kept alive for the process


def ensure_gui_application() -> None:
    """Create a Qt application if the process has none (offscreen when there is no display).

    A QApplication, not only a QGuiApplication: a process that later shows a widget (a test session, a
    script that goes on to open a window) could not get one once a bare QGuiApplication exists.
    """
    if QGuiApplication.instance() is not None:
        return
    if not os.environ.get("QT_QPA_PLATFORM") and sys.platform.startswith("linux"):
        if not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
            os.environ["QT_QPA_PLATFORM"] = "offscreen"
    _APPLICATION.append(QApplication(["interviewkit"]))


# --- styles ------------------------------------------------------------------------------------------

GAP = 3.2 * MM  # between blocks
TABLE_PAD = 5.0
HEADER_ROW = BlockStyle(padding=TABLE_PAD, background="#e8eef5", rule_below="#1f4e79", rule_width=0.9)
BODY_ROW = BlockStyle(padding=TABLE_PAD, rule_below="#cfcfcf")
ALERT_ROW = BlockStyle(padding=TABLE_PAD, rule_below="#cfcfcf", background="#fff1d1")
MISSING_ROW = BlockStyle(padding=TABLE_PAD, rule_below="#cfcfcf", background="#fbe4e4")
PLAIN_ROW = BlockStyle(padding=2.0, padding_x=0.0)
GRID_HEADER = BlockStyle(padding=TABLE_PAD, padding_x=2.5, background="#e8eef5", rule_below="#1f4e79", rule_width=0.9)
GRID_ROW = BlockStyle(padding=TABLE_PAD, padding_x=2.5, rule_below="#cfcfcf")
GRID_ALERT = BlockStyle(padding=TABLE_PAD, padding_x=2.5, rule_below="#cfcfcf", background="#fff1d1")
ALERT_BOX = BlockStyle(padding=7.0, padding_x=10.0, background="#fff1d1", left_bar="#b86e00", gap_after=GAP)
NOTE_BOX = BlockStyle(padding=7.0, padding_x=10.0, background="#f2f4f7", left_bar="#8796a8", gap_after=GAP)
QUOTE_BOX = BlockStyle(padding=5.0, padding_x=10.0, left_bar="#b8c2cf", gap_after=2.0 * MM)

WARNING = "⚠"  # with words next to it, never alone
MISSING = "✗"


_HEADING = re.compile(r"<(/?)h[1-6]>")


def markdown(text: str) -> str:
    """Markdown from people (notes, prompts) as sanitised HTML, its headings demoted below ours."""
    return _HEADING.sub(r"<\1h4>", markdown_to_html(text)) if text.strip() else ""


def notes(text: str) -> str:
    """What people typed (notes, evidence, summaries, rationales) as sanitised HTML: Markdown whose single line
    breaks stay breaks (one observation per line), its headings demoted below ours."""
    return _HEADING.sub(r"<\1h4>", notes_to_html(text)) if text.strip() else ""


def first_paragraph(text: str) -> str:
    return text.strip().split("\n\n", 1)[0]


def plain(text: str) -> str:
    return escape(text).replace("\n", "<br>")


def minutes(seconds: float) -> str:
    minutes = round(seconds / 60)
    return f"{minutes} min" if minutes else "under a minute"


class Builder:
    """Turns HTML snippets into flowables for one page width: paragraphs, headings, boxes and tables."""

    def __init__(self, ctx: LayoutContext) -> None:
        self.ctx = ctx
        self.items: list[Flowable] = []

    @property
    def width(self) -> float:
        return self.ctx.width

    def add(self, item: Flowable) -> None:
        self.items.append(item)

    def block(
        self, html: str, style: BlockStyle | None = None, *, splittable: bool = True, keep_with_next: bool = False
    ) -> Block:
        style = style or BlockStyle(gap_after=GAP)
        inner = self.width - 2 * style.pad_x
        block = Block(
            [Cell(self.ctx.document(html, inner), 0.0, inner)],
            style,
            splittable=splittable,
            keep_with_next=keep_with_next,
        )
        self.add(block)
        return block

    def para(self, html: str, *, gap: float = GAP, keep_with_next: bool = False) -> Block:
        return self.block(html, BlockStyle(gap_after=gap), keep_with_next=keep_with_next)

    def heading(self, html: str, *, gap: float = 1.5 * MM, space_before: float = 2.0 * MM) -> Block:
        if space_before:
            self.add(Spacer(space_before))
        return self.block(html, BlockStyle(gap_after=gap), splittable=False, keep_with_next=True)

    def box(self, html: str, style: BlockStyle, *, splittable: bool = True) -> Block:
        return self.block(html, style, splittable=splittable)

    def table(
        self,
        widths: Sequence[float],
        header: Sequence[str] | None,
        rows: Sequence[Sequence[str]],
        *,
        styles: Sequence[BlockStyle] | None = None,
        header_style: BlockStyle = HEADER_ROW,
        gap_after: float = GAP,
        column_rules: str | None = None,
    ) -> None:
        """A table as one block per row; rows never split (unless one is taller than a page)."""
        total = sum(widths)
        outer = [self.width * w / total for w in widths]

        def row(cells: Sequence[str], style: BlockStyle, head: Block | None, *, last: bool) -> Block:
            if column_rules:
                style = BlockStyle(**{**style.__dict__, "column_rules": column_rules})
            if last and gap_after:
                style = BlockStyle(**{**style.__dict__, "gap_after": gap_after})
            x = 0.0
            out = []
            for html, w in zip(cells, outer):
                inner = w - 2 * style.pad_x
                out.append(Cell(self.ctx.document(html, inner), x, inner))
                x += w
            return Block(out, style, header=head)

        head = None
        if header is not None:
            head = row(header, header_style, None, last=not rows)
            head.keep_with_next = bool(rows)
            head.header = head
            self.add(head)
        for i, cells in enumerate(rows):
            style = styles[i] if styles is not None else BODY_ROW
            self.add(row(cells, style, head, last=i == len(rows) - 1))

    def lines(self, count: int, *, fill: bool = False) -> None:
        self.add(RuledLines(self.width, lines=count, fill=fill))


def key_values(b: Builder, pairs: Sequence[tuple[str, str]]) -> None:
    """Facts as a compact two-by-two grid of label and value (plain HTML values)."""
    rows = []
    for i in range(0, len(pairs), 2):
        chunk = list(pairs[i : i + 2])
        if len(chunk) == 1:
            chunk.append(("", ""))
        rows.append([cell for label, value in chunk for cell in (f"<span class='label'>{escape(label)}</span>", value)])
    b.table([15, 35, 15, 35], None, rows, styles=[PLAIN_ROW] * len(rows), gap_after=GAP)


def scale_legend(scale: Sequence[tuple[int, str]]) -> str:
    return " · ".join(f"<b>{level}</b> {escape(label)}" for level, label in scale)
