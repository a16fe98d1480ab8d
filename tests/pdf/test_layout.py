"""The paginator: table rows never split, headers repeat, headings stay with what follows, text is cut
between lines and nothing is lost."""

from __future__ import annotations

import itertools

import pytest
from PySide6.QtCore import QBuffer, QByteArray, QIODevice

from interviewkit.pdf.builder import Builder
from interviewkit.pdf.layout import Block, BlockStyle, Cell, LayoutContext, PageBreak, RuledLines
from interviewkit.pdf.pages import paginate

WIDTH = 600.0
BODY = 400.0


@pytest.fixture
def ctx(qapp) -> LayoutContext:  # type: ignore[no-untyped-def]
    from PySide6.QtGui import QPdfWriter

    buffer = QBuffer(QByteArray())
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    writer.setResolution(96)
    context = LayoutContext(writer, WIDTH)
    context._keep = (buffer, writer)  # type: ignore[attr-defined]
    return context


def placed(pages) -> list[list[Block]]:  # type: ignore[no-untyped-def]
    return [[item for item, _ in page.items if isinstance(item, Block)] for page in pages]


def test_rows_move_whole_and_the_header_repeats(ctx: LayoutContext) -> None:
    b = Builder(ctx)
    rows = [[f"<p>row {i}</p>", "<p>" + " ".join(["words"] * (10 + 7 * (i % 4))) + "</p>"] for i in range(30)]
    b.table([30, 70], ["<b>A</b>", "<b>B</b>"], rows)
    header = b.items[0]
    pages = paginate(b.items, BODY)
    assert len(pages) > 2
    seen = []
    for page in placed(pages):
        assert page[0] is header  # every page starts with the header row
        for block in page[1:]:
            assert block.first and block.last  # never a piece of a row
            seen.append(block)
    assert len(seen) == 30
    for page in pages:
        assert page.used <= BODY + 0.01


def test_a_heading_is_never_left_alone_at_the_bottom(ctx: LayoutContext) -> None:
    b = Builder(ctx)
    b.add(
        Block([Cell(ctx.document("<p>" + "filler " * 400 + "</p>", WIDTH), 0, WIDTH)], BlockStyle(), splittable=False)
    )
    b.heading("<h2>A heading</h2>")
    b.table([50, 50], ["<b>x</b>", "<b>y</b>"], [["<p>1</p>", "<p>2</p>"]])
    pages = paginate(b.items, BODY)
    heading_page = next(
        i for i, page in enumerate(placed(pages)) if any("A heading" in blk.cells[0].doc.toPlainText() for blk in page)
    )
    table_page = next(
        i for i, page in enumerate(placed(pages)) if any(blk.cells[0].doc.toPlainText() == "1" for blk in page)
    )
    assert heading_page == table_page


def test_long_text_is_cut_between_lines_and_keeps_every_line(ctx: LayoutContext) -> None:
    b = Builder(ctx)
    text = " ".join(f"w{i:04d}" for i in range(2000))
    b.para(f"<p>{text}</p>")
    block = b.items[0]
    assert isinstance(block, Block)
    full = block.cells[0].doc.size().height()
    pages = paginate(b.items, BODY)
    assert len(pages) >= 3
    pieces = [blk for page in placed(pages) for blk in page]
    # The pieces tile the document exactly: each starts where the previous ended, at a line boundary.
    assert pieces[0].cells[0].start == 0
    assert pieces[-1].cells[0].end == pytest.approx(full)
    breaks = set(block.cells[0].breaks())
    for before, after in itertools.pairwise(pieces):
        assert after.cells[0].start == before.cells[0].end
        assert round(before.cells[0].end, 3) in breaks


def test_a_row_taller_than_a_page_is_cut_rather_than_lost(ctx: LayoutContext) -> None:
    b = Builder(ctx)
    b.table([100], None, [["<p>" + "tall " * 3000 + "</p>"]])
    pages = paginate(b.items, BODY)
    pieces = [blk for page in placed(pages) for blk in page]
    assert len(pieces) > 1
    assert sum(p.cells[0].visible for p in pieces) == pytest.approx(b.items[0].cells[0].doc.size().height())


def test_page_breaks_and_ruled_lines_fill_the_page(ctx: LayoutContext) -> None:
    b = Builder(ctx)
    b.para("<p>first</p>")
    b.add(PageBreak())
    b.add(PageBreak())  # a second break on an empty page does nothing
    b.para("<p>second</p>")
    b.add(RuledLines(WIDTH, lines=3, fill=True))
    pages = paginate(b.items, BODY)
    assert len(pages) == 2
    lines = [item for item, _ in pages[1].items if isinstance(item, RuledLines)]
    assert len(lines) == 1 and lines[0].lines > 3  # grown to the bottom of the page
    assert pages[1].used <= BODY + 0.01
