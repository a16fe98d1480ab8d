"""A small page-layout engine over Qt: blocks of rich text measured for the page, to be paginated by
:mod:`interviewkit.pdf.pages` and printed with QPdfWriter.

QTextDocument lays out rich text well but paginates it blindly: a table row or a heading can be cut at
the bottom of a page. Here a document is a list of *flowables* (text blocks, table rows, ruled lines, page
breaks), each measured with its own QTextDocument. The paginator places them on pages itself:

- a table row never splits across pages: a row that does not fit moves to the next page, under a
  repeated header row (only a row taller than a whole page is cut, between two lines of text);
- flowing text (long notes) continues on the next page, cut between two lines, never through one;
- a heading is kept with what follows it;
- every page gets a header with the document's subject and a footer with "Confidential" and
  "Page X of Y", so the page count is known before anything is drawn (:mod:`interviewkit.pdf.pages`).

Text stays text: the PDF has real, selectable glyphs in embedded font subsets. Lengths are CSS pixels
(1/96 inch): the PDF writer's resolution is set to 96 dpi and every QTextDocument is laid out against it,
so layout does not depend on the screen.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import (
    QAbstractTextDocumentLayout,
    QColor,
    QFont,
    QGuiApplication,
    QPagedPaintDevice,
    QPainter,
    QPalette,
    QPen,
    QTextDocument,
    QTextOption,
)

__all__ = [
    "DPI",
    "MM",
    "Block",
    "BlockStyle",
    "Cell",
    "Flowable",
    "LayoutContext",
    "PageBreak",
    "RuledLines",
    "Section",
    "Spacer",
    "document_font",
]

DPI = 96
MM = DPI / 25.4  # CSS pixels per millimetre
EPS = 0.75  # how far a clip stays inside a break so that no line on the far side is emitted

# Fonts: a family list that covers Latin, Arabic and CJK names. Qt tries the families in order for every
# character, then the system's fallbacks, so a glyph missing from the first font comes from the next one.
FONT_FAMILIES = [
    "Noto Sans",
    "Noto Sans Arabic",
    "Noto Naskh Arabic",
    "DejaVu Sans",  # symbols: ⚠ ✗ ⚑ ○ ☐
    "Noto Sans CJK SC",
    "Noto Sans SC",
    "Source Han Sans SC",
    "WenQuanYi Micro Hei",
    "Segoe UI",
    "Microsoft YaHei",
    "Helvetica Neue",
    "PingFang SC",
    "Arial",
    "Arial Unicode MS",
]

INK = QColor("#1b1b1b")
MUTED = QColor("#5c5c5c")
RULE = QColor("#b9b9b9")
ACCENT = "#1f4e79"
TEXT_COLOUR = "#1b1b1b"

BASE_CSS = f"""
body {{ color: {TEXT_COLOUR}; }}
p {{ margin-top: 0px; margin-bottom: 5px; }}
h1 {{ font-size: 17pt; font-weight: 600; margin-top: 0px; margin-bottom: 4px; color: {ACCENT}; }}
h2 {{ font-size: 13pt; font-weight: 600; margin-top: 0px; margin-bottom: 3px; color: {ACCENT}; }}
h3 {{ font-size: 11pt; font-weight: 600; margin-top: 0px; margin-bottom: 3px; }}
h4, h5, h6 {{ font-size: 10pt; font-weight: 600; margin-top: 0px; margin-bottom: 2px; }}
ul, ol {{ margin-top: 0px; margin-bottom: 4px; margin-left: 0px; -qt-list-indent: 1; }}
li {{ margin-bottom: 2px; }}
pre {{ font-size: 8.5pt; background-color: #f3f3f3; margin-top: 2px; margin-bottom: 5px; }}
code {{ font-size: 9pt; }}
blockquote {{ margin-left: 12px; color: #444444; }}
table {{ border-collapse: collapse; margin-top: 2px; margin-bottom: 6px; }}
td, th {{ border: 1px solid #9a9a9a; padding: 3px; }}
.muted {{ color: #5c5c5c; }}
.small {{ font-size: 8.5pt; }}
.tiny {{ font-size: 7.5pt; }}
.label {{ font-size: 8pt; color: #5c5c5c; font-weight: 600; }}
.alert {{ color: #8a4b00; font-weight: 600; }}
.missing {{ color: #9b1c1c; font-weight: 600; }}
.big {{ font-size: 14pt; font-weight: 600; }}
"""


def document_font(point_size: float = 10.0) -> QFont:
    """The body font, with fallbacks for every script the directory may hold."""
    font = QFont()
    font.setFamilies(FONT_FAMILIES)
    font.setPointSizeF(point_size)
    font.setStyleHint(QFont.StyleHint.SansSerif)
    # No optional ligatures: "fi" stays two letters in the PDF's text, so searching and copying work.
    # (Arabic's required ligatures are another feature, "rlig", and stay on.)
    for tag in ("liga", "clig", "dlig"):
        font.setFeature(QFont.Tag(tag), 0)
    return font


class LayoutContext:
    """What flowables are measured against: the PDF writer (the paint device) and the text width."""

    def __init__(self, device: QPagedPaintDevice, width: float, *, css: str = BASE_CSS) -> None:
        self.device = device
        self.width = width
        self.font = document_font()
        # Every document is a clone of this one: Qt copies the parsed style sheet instead of parsing it again.
        self._prototype = QTextDocument()
        self._prototype.setUseDesignMetrics(True)
        self._prototype.setDefaultFont(self.font)
        self._prototype.setDefaultStyleSheet(css)
        self._prototype.setDocumentMargin(0)
        option = QTextOption()
        option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        option.setUseDesignMetrics(True)
        # The documents are left to right: a paragraph that starts with an Arabic name stays aligned with
        # the rest (the name itself is still shaped and ordered right to left).
        option.setTextDirection(Qt.LayoutDirection.LeftToRight)
        self._prototype.setDefaultTextOption(option)
        self._cache: dict[tuple[str, float], QTextDocument] = {}
        self.texts: list[str] = []  # the text of every document laid out, for the check of fonts (pdf/fonts.py)

    def document(self, html: str, width: float) -> QTextDocument:
        """A rich-text document laid out at ``width`` CSS pixels on the PDF device (shared when identical)."""
        key = (html, round(width, 2))
        doc = self._cache.get(key)
        if doc is None:
            doc = self._prototype.clone()
            doc.documentLayout().setPaintDevice(self.device)
            doc.setHtml(html)
            doc.setTextWidth(max(width, 1.0))
            self.texts.append(doc.toPlainText())
            self._cache[key] = doc
        return doc


# --- flowables ---------------------------------------------------------------------------------------


class Flowable:
    """Something placed on a page: it has a height and draws itself at a position."""

    keep_with_next = False
    splittable = False  # flowing text may continue on the next page; a row only when taller than a page

    def height(self) -> float:
        raise NotImplementedError

    def min_height(self) -> float:
        """How much of this must fit under a heading kept with it (default: all of it)."""
        return self.height()

    def split(self, available: float, *, force: bool = False) -> tuple[Flowable, Flowable] | None:
        """(the part that fits in ``available``, the rest), or None when it cannot be cut there."""
        return None

    def draw(self, painter: QPainter, x: float, y: float) -> None:
        raise NotImplementedError


@dataclass(frozen=True)
class _Line:
    top: float  # in document coordinates
    bottom: float
    block: int  # the block's number in the document
    index: int  # the line's index in its block


def _lines(doc: QTextDocument) -> list[_Line]:
    """Every laid-out line of a document (table cells included), top to bottom."""
    layout = doc.documentLayout()
    lines: list[_Line] = []
    block = doc.begin()
    while block.isValid():
        rect = layout.blockBoundingRect(block)
        text_layout = block.layout()
        for i in range(text_layout.lineCount()):
            line = text_layout.lineAt(i)
            top = rect.top() + line.y()
            lines.append(_Line(top, top + line.height(), block.blockNumber(), i))
        block = block.next()
    lines.sort(key=lambda ln: (ln.top, ln.bottom))
    return lines


def _breaks(lines: Sequence[_Line]) -> list[float]:
    """Where a document can be cut: line bottoms that no other line straddles."""
    bottoms = sorted({round(ln.bottom, 3) for ln in lines})
    return [b for b in bottoms if not any(ln.top < b - 0.01 and ln.bottom > b + 0.01 for ln in lines)]


@dataclass
class Cell:
    """One cell of a block: a laid-out document at a horizontal offset, shown from ``start`` to ``end``."""

    doc: QTextDocument
    x: float
    width: float
    start: float = 0.0
    end: float = -1.0
    _lines: list[_Line] | None = None
    _breaks: list[float] | None = None

    def __post_init__(self) -> None:
        if self.end < 0:
            self.end = self.doc.size().height()

    @property
    def visible(self) -> float:
        return self.end - self.start

    def lines(self) -> list[_Line]:
        if self._lines is None:
            self._lines = _lines(self.doc)
        return self._lines

    def breaks(self) -> list[float]:
        if self._breaks is None:
            self._breaks = _breaks(self.lines())
        return self._breaks

    def cut(self, height: float) -> float | None:
        """The furthest line boundary at most ``height`` below ``start``, or None."""
        if self.visible <= height:
            return self.end
        points = self.breaks()
        i = bisect.bisect_right(points, self.start + height + 0.01) - 1
        if i >= 0 and points[i] > self.start + 0.5:
            return points[i]
        return None

    def first_lines(self, count: int) -> float:
        """The height of the first ``count`` lines still to show (for keep-with-next)."""
        points = [p for p in self.breaks() if p > self.start + 0.5]
        if len(points) >= count:
            return points[count - 1] - self.start
        return self.visible

    def slice(self, start: float, end: float) -> Cell:
        return Cell(self.doc, self.x, self.width, start, end, self._lines, self._breaks)

    def draw(self, painter: QPainter) -> None:
        """Draw the visible slice with the painter's origin at the document's origin.

        Only the lines of the slice reach the PDF: a line drawn outside the clip would be invisible but
        still be text in the file (found by search, copied twice). QTextLayout::draw also draws the one
        line just above its clip, so a slice that starts inside a paragraph draws that paragraph's lines
        itself and leaves the following blocks (which Qt culls whole) to drawContents.
        """
        full = self.doc.size().height()
        top = self.start + EPS if self.start > 0.5 else -2.0
        bottom = self.end - EPS if self.end < full - 0.5 else full + 2.0
        if bottom <= top:
            return
        clip = QRectF(-2.0, top, self.width + 4.0, bottom - top)
        painter.setClipRect(clip)
        painter.setPen(QColor(TEXT_COLOUR))  # lines drawn one by one take the pen for text without a colour
        if self.start > 0.5:
            first = next((ln for ln in self.lines() if ln.top >= self.start - 0.01), None)
            if first is not None and first.index > 0:  # the slice starts inside a paragraph
                block = self.doc.findBlockByNumber(first.block)
                rect = self.doc.documentLayout().blockBoundingRect(block)
                text_layout = block.layout()
                for ln in self.lines():
                    if ln.block == first.block and ln.index >= first.index and ln.bottom <= self.end + 0.01:
                        text_layout.lineAt(ln.index).draw(painter, rect.topLeft())
                top = max(top, rect.bottom() + EPS)
                if bottom <= top:
                    return
                clip = QRectF(-2.0, top, self.width + 4.0, bottom - top)
        _draw_document(self.doc, painter, clip)


_PALETTES: dict[int, QPalette] = {}  # the print palette made from each application palette (by its cacheKey)


def _print_palette() -> QPalette:
    """Dark text on white paper, whatever the palette of the screen (a dark theme must not reach the PDF).

    Made once per application palette, not once per drawn document (a 30-page debrief draws 685)."""
    base = QGuiApplication.palette()
    key = base.cacheKey()
    kept = _PALETTES.get(key)
    if kept is not None:
        return kept
    palette = QPalette(base)
    ink, paper = QColor(TEXT_COLOUR), QColor("#ffffff")
    for role, colour in (
        (QPalette.ColorRole.Text, ink),
        (QPalette.ColorRole.WindowText, ink),
        (QPalette.ColorRole.Base, paper),
        (QPalette.ColorRole.Window, paper),
        (QPalette.ColorRole.Link, QColor(ACCENT)),
    ):
        palette.setColor(role, colour)
    _PALETTES.clear()  # only the current application palette's is kept
    _PALETTES[key] = palette
    return palette


def _draw_document(doc: QTextDocument, painter: QPainter, clip: QRectF) -> None:
    """QTextDocument.drawContents, but with the print palette instead of the application's."""
    context = QAbstractTextDocumentLayout.PaintContext()
    context.palette = _print_palette()
    context.clip = clip
    doc.documentLayout().draw(painter, context)


@dataclass
class BlockStyle:
    """How a block looks: padding, background, rules and a left bar (for alerts and quotes)."""

    padding: float = 0.0
    padding_x: float | None = None
    background: str | None = None
    rule_below: str | None = None
    rule_width: float = 0.6
    left_bar: str | None = None
    gap_after: float = 0.0
    column_rules: str | None = None  # vertical lines between cells

    @property
    def pad_x(self) -> float:
        return self.padding if self.padding_x is None else self.padding_x


class Block(Flowable):
    """A row of cells side by side (one cell: a paragraph block). The unit the paginator moves.

    ``splittable`` blocks (flowing text) are cut between lines when they reach the bottom of a page; other
    blocks (table rows, headings) move to the next page whole, unless a single one is taller than a page.
    ``header`` is the header row of the table this row belongs to, repeated at the top of a new page.
    """

    def __init__(
        self,
        cells: list[Cell],
        style: BlockStyle | None = None,
        *,
        splittable: bool = False,
        keep_with_next: bool = False,
        header: Block | None = None,
        first: bool = True,
        last: bool = True,
    ) -> None:
        self.cells = cells
        self.style = style or BlockStyle()
        self.splittable = splittable
        self.keep_with_next = keep_with_next
        self.header = header
        self.first = first  # this piece shows the top of the block (top padding)
        self.last = last  # this piece shows the end of the block (bottom padding, gap after)

    def _pad_top(self) -> float:
        return self.style.padding if self.first else 0.0

    def _pad_bottom(self) -> float:
        return self.style.padding if self.last else 0.0

    def content_height(self) -> float:
        return max((c.visible for c in self.cells), default=0.0)

    def box_height(self) -> float:
        return self.content_height() + self._pad_top() + self._pad_bottom()

    def height(self) -> float:
        return self.box_height() + (self.style.gap_after if self.last else 0.0)

    def min_height(self) -> float:
        if not self.splittable:
            return self.height()
        return self._pad_top() + max((c.first_lines(2) for c in self.cells), default=0.0)

    def split(self, available: float, *, force: bool = False) -> tuple[Flowable, Flowable] | None:
        if not (self.splittable or force):
            return None
        room = available - self._pad_top()
        if room <= 0:
            return None
        cuts = []
        for cell in self.cells:
            cut = cell.cut(room)
            if cut is None:
                if cell.visible <= 0.5:
                    cut = cell.end
                elif force and cell.start + room < cell.end:  # a single line taller than a page: cut it
                    cut = cell.start + room
                else:
                    return None
            cuts.append(cut)
        if all(cut >= cell.end for cut, cell in zip(cuts, self.cells)):
            return None  # everything fits: nothing to split
        head = Block(
            [c.slice(c.start, cut) for c, cut in zip(self.cells, cuts)],
            self.style,
            splittable=self.splittable,
            header=self.header,
            first=self.first,
            last=False,
        )
        tail = Block(
            [c.slice(min(cut, c.end), c.end) for c, cut in zip(self.cells, cuts)],
            self.style,
            splittable=self.splittable,
            keep_with_next=self.keep_with_next,
            header=self.header,
            first=False,
            last=self.last,
        )
        return head, tail

    def draw(self, painter: QPainter, x: float, y: float) -> None:
        st = self.style
        width = max((c.x + c.width for c in self.cells), default=0.0) + 2 * st.pad_x
        box = QRectF(x, y, width, self.box_height())
        if st.background:
            painter.fillRect(box, QColor(st.background))
        if st.left_bar:
            painter.fillRect(QRectF(x, y, 3.0, box.height()), QColor(st.left_bar))
        for cell in self.cells:
            if cell.visible <= 0:
                continue
            painter.save()
            painter.translate(x + st.pad_x + cell.x, y + self._pad_top() - cell.start)
            cell.draw(painter)
            painter.restore()
        if st.column_rules:
            painter.save()
            painter.setPen(QPen(QColor(st.column_rules), 0.5))
            for cell in self.cells[1:]:
                lx = x + st.pad_x + cell.x - st.pad_x
                painter.drawLine(QPointF(lx, y), QPointF(lx, y + box.height()))
            painter.restore()
        if st.rule_below and self.last:
            painter.save()
            painter.setPen(QPen(QColor(st.rule_below), st.rule_width))
            painter.drawLine(QPointF(x, box.bottom()), QPointF(x + width, box.bottom()))
            painter.restore()


class Spacer(Flowable):
    """Vertical space (dropped at the top of a page)."""

    def __init__(self, height: float) -> None:
        self._height = height

    def height(self) -> float:
        return self._height

    def draw(self, painter: QPainter, x: float, y: float) -> None:
        pass


class PageBreak(Flowable):
    """Start a new page (nothing happens at the top of an empty page)."""

    def height(self) -> float:
        return 0.0

    def draw(self, painter: QPainter, x: float, y: float) -> None:
        pass


class Section(Flowable):
    """Changes the second part of the running header from the page where it appears."""

    def __init__(self, title: str) -> None:
        self.title = title

    def height(self) -> float:
        return 0.0

    def draw(self, painter: QPainter, x: float, y: float) -> None:
        pass


class RuledLines(Flowable):
    """Ruled lines for handwritten notes; with ``fill`` they run to the bottom of the page."""

    def __init__(self, width: float, *, lines: int = 6, spacing: float = 8 * MM, fill: bool = False) -> None:
        self.width = width
        self.lines = lines
        self.spacing = spacing
        self.fill = fill

    def height(self) -> float:
        return self.lines * self.spacing

    def min_height(self) -> float:
        return min(self.lines, 2) * self.spacing if self.fill else self.height()

    def grown(self, available: float) -> RuledLines:
        count = max(self.lines, int(available // self.spacing))
        return RuledLines(self.width, lines=count, spacing=self.spacing)

    def split(self, available: float, *, force: bool = False) -> tuple[Flowable, Flowable] | None:
        fit = int(available // self.spacing)
        if fit < 1 or fit >= self.lines:
            return None
        return (
            RuledLines(self.width, lines=fit, spacing=self.spacing),
            RuledLines(self.width, lines=self.lines - fit, spacing=self.spacing),
        )

    def draw(self, painter: QPainter, x: float, y: float) -> None:
        painter.save()
        painter.setPen(QPen(QColor("#a8a8a8"), 0.6))
        for i in range(1, self.lines + 1):
            ly = y + i * self.spacing
            painter.drawLine(QPointF(x, ly), QPointF(x + self.width, ly))
        painter.restore()
