"""Pages: flowables placed on pages (:func:`paginate`), then printed with the running header and footer
(:func:`render_pdf`).

The paginator's rules (see :mod:`interviewkit.pdf.layout` for the flowables): a table row never splits
across pages (a row that does not fit moves to the next page, under a repeat of its table's header row);
flowing text continues on the next page, cut between two lines; a heading is kept with what follows it;
ruled lines for notes can fill the rest of a page. Every page gets a header with the document's subject
(and the section it is in) and a footer with "Confidential" and "Page X of Y".
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMarginsF, QPointF, QRectF, QSizeF, Qt
from PySide6.QtGui import QFont, QFontMetricsF, QPageLayout, QPageSize, QPainter, QPdfWriter, QPen

from interviewkit.pdf.fonts import missing_scripts, remember
from interviewkit.pdf.layout import (
    DPI,
    INK,
    MM,
    MUTED,
    RULE,
    Block,
    Flowable,
    LayoutContext,
    PageBreak,
    RuledLines,
    Section,
    Spacer,
    document_font,
)
from interviewkit.services.documents import format_datetime

__all__ = ["Page", "PageGeometry", "RenderResult", "paginate", "render_pdf"]


# --- pagination --------------------------------------------------------------------------------------


@dataclass
class Page:
    items: list[tuple[Flowable, float]] = field(default_factory=list)
    section: str = ""
    used: float = 0.0
    content: bool = False  # something other than a repeated table header is on it


class _Paginator:
    """The state of one pagination: what is left to place, the pages so far, the current section."""

    def __init__(self, flowables: Iterable[Flowable], body_height: float) -> None:
        self.queue: deque[Flowable] = deque(flowables)
        self.body_height = body_height
        self.pages = [Page()]
        self.section = ""

    def new_page(self) -> None:
        self.pages.append(Page(section=self.section))

    def place(self, item: Flowable) -> None:
        page = self.pages[-1]
        page.items.append((item, page.used))
        page.used += item.height()
        page.content = True

    def continue_on_new_page(self, item: Flowable) -> None:
        """Start a page with ``item``; a row of a table goes under a repeat of the table's header row."""
        self.new_page()
        self.queue.appendleft(item)
        if isinstance(item, Block) and item.header is not None and item is not item.header:
            page = self.pages[-1]
            page.items.append((item.header, page.used))
            page.used += item.header.height()

    def needed_with_next(self, item: Flowable) -> float:
        """Its height plus the start of what it is kept with (a chain of headings and the first lines)."""
        total = item.height()
        for nxt in list(self.queue)[:4]:
            if isinstance(nxt, (Section, Spacer)):
                continue
            if isinstance(nxt, PageBreak):
                break
            total += nxt.min_height()
            if not nxt.keep_with_next:
                break
        return total

    def run(self) -> list[Page]:
        while self.queue:
            item = self.queue.popleft()
            if self._marker(item):
                continue
            available = self.body_height - self.pages[-1].used
            if isinstance(item, RuledLines) and item.fill:
                self._fill(item, available)
            else:
                self._flow(item, available)
        if len(self.pages) > 1 and not self.pages[-1].items:
            self.pages.pop()
        return self.pages

    def _marker(self, item: Flowable) -> bool:
        """Sections, page breaks and a spacer at the top of a page: handled (True), nothing to place."""
        page = self.pages[-1]
        if isinstance(item, Section):
            self.section = item.title
            if not page.content:
                page.section = self.section
            return True
        if isinstance(item, PageBreak):
            if page.content:
                self.new_page()
            return True
        return isinstance(item, Spacer) and not page.content

    def _fill(self, item: RuledLines, available: float) -> None:
        """Fill the rest of the page with lines; when that gives fewer lines than asked, add a page of lines."""
        fit = int((available + 0.01) // item.spacing)
        if fit >= 2:
            self.place(RuledLines(item.width, lines=fit, spacing=item.spacing))
        if fit < item.lines:
            self.new_page()
            self.place(item.grown(self.body_height))

    def _flow(self, item: Flowable, available: float) -> None:
        need = self.needed_with_next(item) if item.keep_with_next and self.queue else item.height()
        if need <= available + 0.01:
            self.place(item)
            return
        if item.height() <= available + 0.01 and need > self.body_height:
            self.place(item)  # kept with something taller than a page anyway: no point moving it
            return
        if not item.keep_with_next and item.splittable and available >= item.min_height():
            parts = item.split(available)
            if parts is not None:
                self.place(parts[0])
                self.continue_on_new_page(parts[1])
                return
        if self.pages[-1].content:
            self.continue_on_new_page(item)
            return
        # Alone on an empty page and still too tall: cut it between lines, whatever it is.
        parts = item.split(available, force=True)
        if parts is None:
            self.place(item)  # cannot be cut (a single unbreakable line): let it overflow rather than lose it
            return
        self.place(parts[0])
        self.continue_on_new_page(parts[1])


def paginate(flowables: Iterable[Flowable], body_height: float) -> list[Page]:
    """Place flowables on pages of ``body_height``; see the module docstring for the rules."""
    return _Paginator(flowables, body_height).run()


# --- rendering ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PageGeometry:
    page_size: str
    width: float  # CSS pixels
    height: float
    margin_x: float = 20 * MM
    margin_top: float = 24 * MM  # the header sits in the top margin
    margin_bottom: float = 22 * MM  # the footer sits in the bottom margin

    @property
    def body_width(self) -> float:
        return self.width - 2 * self.margin_x

    @property
    def body_height(self) -> float:
        return self.height - self.margin_top - self.margin_bottom


_PAGE_IDS = {"A4": QPageSize.PageSizeId.A4, "Letter": QPageSize.PageSizeId.Letter}


def _writer(buffer: QBuffer, page_size: str, title: str) -> tuple[QPdfWriter, PageGeometry]:
    writer = QPdfWriter(buffer)
    writer.setResolution(DPI)
    layout = QPageLayout(QPageSize(_PAGE_IDS[page_size]), QPageLayout.Orientation.Portrait, QMarginsF(0, 0, 0, 0))
    writer.setPageLayout(layout)
    writer.setTitle(title)
    writer.setCreator("InterviewKit")
    size: QSizeF = QPageSize(_PAGE_IDS[page_size]).size(QPageSize.Unit.Inch)
    return writer, PageGeometry(page_size, size.width() * DPI, size.height() * DPI)


@dataclass(frozen=True)
class RenderResult:
    data: bytes
    pages: int
    missing_scripts: tuple[str, ...] = ()  # scripts of its text that no installed font can draw (pdf/fonts.py)


def render_pdf(
    build: Callable[[LayoutContext], Sequence[Flowable]],
    *,
    subject: str,
    page_size: str = "A4",
    generated_at: datetime | None = None,
) -> RenderResult:
    """Lay out the flowables that ``build`` makes for the page width, paginate them, and print the PDF."""
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer, geo = _writer(buffer, page_size, subject)
    ctx = LayoutContext(writer, geo.body_width)
    pages = paginate(build(ctx), geo.body_height)
    painter = QPainter()
    if not painter.begin(writer):
        raise RuntimeError("Qt could not start the PDF writer")
    try:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        stamp = format_datetime(generated_at or datetime.now().astimezone())
        for number, page in enumerate(pages, start=1):
            if number > 1:
                writer.newPage()
            _draw_furniture(painter, writer, geo, subject, page.section, number, len(pages), stamp)
            for item, y in page.items:
                item.draw(painter, geo.margin_x, geo.margin_top + y)
    finally:
        painter.end()
        buffer.close()
    return RenderResult(bytes(data.data()), len(pages), remember(missing_scripts([subject, *ctx.texts])))


def _draw_furniture(
    painter: QPainter,
    device: QPdfWriter,
    geo: PageGeometry,
    subject: str,
    section: str,
    number: int,
    total: int,
    stamp: str,
) -> None:
    """The running header (subject · section) and the footer (Confidential, date, Page X of Y)."""
    painter.save()
    font = document_font(8.0)
    bold = QFont(font)
    bold.setWeight(QFont.Weight.DemiBold)
    metrics = QFontMetricsF(font, device)
    left, right = geo.margin_x, geo.width - geo.margin_x
    # Header
    header_base = geo.margin_top - 9 * MM
    text = subject + (f" · {section}" if section else "")
    painter.setFont(font)
    painter.setPen(MUTED)
    elided = metrics.elidedText(text, Qt.TextElideMode.ElideRight, right - left)
    painter.drawText(
        QRectF(left, header_base - metrics.height(), right - left, metrics.height() + 2),
        int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom),
        elided,
    )
    painter.setPen(QPen(RULE, 0.6))
    painter.drawLine(QPointF(left, header_base + 2.5 * MM), QPointF(right, header_base + 2.5 * MM))
    # Footer
    footer_top = geo.height - geo.margin_bottom + 8 * MM
    painter.drawLine(QPointF(left, footer_top - 2.5 * MM), QPointF(right, footer_top - 2.5 * MM))
    box = QRectF(left, footer_top, right - left, metrics.height() + 2)
    painter.setFont(bold)
    painter.setPen(INK)
    painter.drawText(box, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop), "Confidential")
    painter.setFont(font)
    painter.setPen(MUTED)
    painter.drawText(box, int(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop), f"InterviewKit · {stamp}")
    painter.setPen(INK)
    painter.drawText(box, int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop), f"Page {number} of {total}")
    painter.restore()
