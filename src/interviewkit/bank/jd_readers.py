"""Job-description files as hiring teams have them, read into the Markdown-like text the parser reads.

* ``.md`` and ``.txt`` (and any other name holding text): UTF-8, UTF-8 or UTF-16/32 with a byte-order mark,
  UTF-16 without one, or a legacy 8-bit encoding. A legacy file is read as Windows-1252 (which holds
  Latin-1) unless charset-normalizer finds another encoding that reads it clearly better (a Czech file
  in Windows-1250, a Russian one in Windows-1251): its best guess alone often takes French or Spanish
  for Central European.
* ``.html`` / ``.htm``, a saved job page: the schema.org ``JobPosting`` the page carries for search engines
  when there is one (job boards publish the description there), else the main content as readability-lxml
  finds it, after navigation, scripts, forms, footers and cookie banners are dropped. Headings stay
  headings, list items become bullets, ``<br>`` lines stay lines.
* ``.pdf``, a PDF with a text layer, read by pdfplumber: lines by position, headings by font size or bold
  type, bullets by their glyph (or a small drawn disc), a bullet's wrapped lines joined back into one
  requirement, running headers, footers and page numbers dropped. A PDF without text (a scan) is refused.
* ``.docx``, read by python-docx: Word's heading styles are headings, list styles and numbered paragraphs
  are bullets, a paragraph all in bold is a heading; tables are read cell by cell.

Whatever the format, a file is refused with one line (:class:`ReaderError`, without the path) when it is
binary, too large once unpacked, or not what its name says. The result is text, kept as the document's
text in the database, so that parsing it again gives the same requirements.
"""

from __future__ import annotations

import contextlib
import html
import io
import itertools
import json
import logging
import re
import statistics
import zipfile
import zlib
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from interviewkit.inputs import one_line

__all__ = ["FORMATS", "MAX_PAGES", "MAX_TEXT", "ReadDocument", "ReaderError", "decode_text", "read_document"]

# The file names each reader is for (any other name is read as text when it holds text).
FORMATS = {
    ".md": "markdown", ".markdown": "markdown", ".txt": "text", ".text": "text",
    ".html": "html", ".htm": "html", ".xhtml": "html", ".pdf": "pdf", ".docx": "docx",
}  # fmt: skip
# A job description has one to five pages; a PDF of more is a brochure or a book.
MAX_PAGES = 50
# The most text a document may hold once read (characters), as much as the largest file read.
MAX_TEXT = 5 * 1024 * 1024
# What a PDF's streams or a Word file's parts may unpack to: far above any real one, and a bound on what a
# crafted file (a few megabytes that unpack to gigabytes) can make the reader hold.
MAX_UNPACKED = 200 * 1024 * 1024


class ReaderError(Exception):
    """A file that cannot be read as a job description; the message is one line, without the path."""


@dataclass(frozen=True)
class ReadDocument:
    """A document's text for the parser, and the format it was read as."""

    text: str
    format: str  # "markdown", "text", "html", "pdf" or "docx"


def read_document(data: bytes, name: str) -> ReadDocument:
    """Read the bytes of the file ``name`` in the format its content and name say.

    Raises :class:`ReaderError` with one line saying what is wrong.
    """
    suffix = "." + name.rsplit(".", 1)[-1].lower() if "." in name[1:] else ""
    named = FORMATS.get(suffix, "")
    if data[:1024].find(b"%PDF-") >= 0:
        return ReadDocument(_limited(_read_pdf(data)), "pdf")
    if named == "pdf":
        raise ReaderError("is named .pdf but is not a PDF file")
    if data.startswith(b"PK\x03\x04"):
        return ReadDocument(_limited(_read_docx(data)), "docx")
    if named == "docx":
        raise ReaderError("is named .docx but is not a Word document")
    _refuse_other_office_files(data)
    text = decode_text(data)
    if named == "html" or (named in ("", "text") and _looks_like_html(text)):
        return ReadDocument(_limited(_read_html(text)), "html")
    return ReadDocument(text, named or "text")


@contextlib.contextmanager
def _quiet(*loggers: str) -> Iterator[None]:
    """The libraries' own log lines silenced: pdfminer warns of every damaged font, readability logs a
    traceback when it gives up; the reader says what is wrong in one line, or nothing when it copes."""
    saved = [(logging.getLogger(name), logging.getLogger(name).level) for name in loggers]
    for logger, _level in saved:
        logger.setLevel(logging.CRITICAL + 1)  # their modules' loggers below them inherit it
    try:
        yield
    finally:
        for logger, level in saved:
            logger.setLevel(level)


def _limited(text: str) -> str:
    if len(text) > MAX_TEXT:
        raise ReaderError(f"holds {len(text):,} characters of text; a job description has a few thousand")
    if not text.strip():
        raise ReaderError("holds no text")
    return text


def _refuse_other_office_files(data: bytes) -> None:
    if data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        raise ReaderError(
            "is a Word 97-2003 document (.doc) or another old Office file: save it as .docx or PDF and try again"
        )
    if data.startswith(b"{\\rtf"):
        raise ReaderError("is an RTF document: save it as .docx, PDF or plain text and try again")


# --- text ----------------------------------------------------------------------------------------------------

_BOMS = (
    (b"\xef\xbb\xbf", "utf-8-sig", "UTF-8"),
    (b"\xff\xfe\x00\x00", "utf-32", "UTF-32"),
    (b"\x00\x00\xfe\xff", "utf-32", "UTF-32"),
    (b"\xff\xfe", "utf-16", "UTF-16"),
    (b"\xfe\xff", "utf-16", "UTF-16"),
)
# Control characters that text may hold: tab, line feed, form feed, carriage return.
_TEXT_CONTROLS = frozenset("\t\n\x0b\x0c\r")


def decode_text(data: bytes) -> str:
    """``data`` as text: a byte-order mark says the encoding; else UTF-16 without one, UTF-8, or a legacy
    8-bit encoding. Raises :class:`ReaderError` for a binary file or text that its mark says is other."""
    for bom, encoding, label in _BOMS:
        if data.startswith(bom):
            try:
                return _checked(data.decode(encoding).removeprefix("\ufeff"))
            except UnicodeDecodeError as exc:
                raise ReaderError(
                    f"starts with a {label} byte-order mark but is not {label} text (byte {exc.start})"
                ) from None
    if b"\x00" in data:
        utf16 = _utf16_without_mark(data)
        if utf16 is None:
            raise ReaderError("looks like a binary file (it holds NUL bytes), not a job description")
        try:
            return _checked(data.decode(utf16))
        except UnicodeDecodeError:
            raise ReaderError("looks like a binary file (it holds NUL bytes), not a job description") from None
    try:
        return _checked(data.decode("utf-8"))
    except UnicodeDecodeError:
        return _checked(_legacy(data))


def _checked(text: str) -> str:
    """``text``, unless control characters show it is a binary file read as text."""
    sample = text[:65536]
    controls = sum(1 for c in sample if c < " " and c not in _TEXT_CONTROLS)
    if controls > max(2, len(sample) // 1000):
        raise ReaderError("looks like a binary file (it holds control characters), not a job description")
    return text


def _utf16_without_mark(data: bytes) -> str | None:
    """ "utf-16-le" or "utf-16-be" when ``data`` reads as UTF-16 text without a byte-order mark (ASCII text
    then has a NUL in every other byte), else None."""
    sample = data[:4096]
    pairs = len(sample) // 2
    if pairs < 2 or len(data) % 2:
        return None
    odd = sum(1 for i in range(1, pairs * 2, 2) if sample[i] == 0)
    even = sum(1 for i in range(0, pairs * 2, 2) if sample[i] == 0)
    if odd >= pairs * 0.6 and even == 0:
        return "utf-16-le"
    if even >= pairs * 0.6 and odd == 0:
        return "utf-16-be"
    return None


# Encodings that write Latin letters; among them Windows-1252 wins a tie, as the one Western files use.
_WESTERN = "cp1252"


def _legacy(data: bytes) -> str:
    """Text in a legacy 8-bit encoding: Windows-1252 (Latin-1's superset), unless charset-normalizer finds an
    encoding that reads the bytes clearly more coherently; Latin-1 when Windows-1252 cannot read them."""
    from charset_normalizer import from_bytes

    results = list(from_bytes(data))
    if not results:  # too little text to judge, or no text at all: Windows-1252 if it reads as text
        try:
            return data.decode(_WESTERN)
        except UnicodeDecodeError:
            raise ReaderError("is neither UTF-8 nor text in another encoding: is it a binary file?") from None
    best = min(results, key=lambda r: (r.chaos, -r.coherence))
    western = next((r for r in results if r.encoding == _WESTERN), None)
    if western is not None and western.chaos <= best.chaos and western.coherence >= best.coherence - 0.02:
        return str(western)
    return str(best)


# --- HTML ----------------------------------------------------------------------------------------------------

_HTML_TAG = re.compile(r"<(?:!doctype\s{1,20}html|html)\b", re.I)
# Elements that are never the job's text, and class or id words of cookie banners and page furniture.
_DROP_TAGS = (
    "script", "style", "noscript", "template", "svg", "iframe", "object", "embed", "form", "button", "input",
    "select", "textarea", "nav", "footer", "aside", "dialog", "head",
)  # fmt: skip
# A cookie banner's words anywhere in a class or id; other furniture by whole class or id words only, so that a
# "job-description sidebar-layout" stays.
_COOKIES = re.compile(r"cookie|consent|gdpr|onetrust|cookiebot|cc-window|cc-banner", re.I)
_FURNITURE = re.compile(
    r"(?:newsletter|breadcrumbs?|share|sharing|social(?:-links|-share)?|similar-jobs|related-jobs|recommended-jobs"
    r"|skip-link|sidebar|navbar|site-header|site-footer|apply-button|job-alert|job-alerts)",
    re.I,
)
_FURNITURE_ROLES = frozenset(
    {"navigation", "banner", "contentinfo", "complementary", "search", "dialog", "alertdialog"}
)
_HEADINGS = {f"h{n}": n for n in range(1, 7)}
_BLOCKS = frozenset(
    "p div section article main header blockquote figure figcaption table thead tbody tfoot tr td th dl dt dd "
    "pre address fieldset center body html details summary hr".split()
)
_BOLD = frozenset({"b", "strong"})
_MAX_DEPTH = 200  # below this depth an element's text is read as one paragraph
_MAX_READABILITY = 512 * 1024
_XML_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def _looks_like_html(text: str) -> bool:
    """Whether the text starts (after white space, an XML declaration and comments) with an HTML document."""
    head = text[:4096].lstrip()
    if head.startswith("<?xml"):
        head = head[head.find(">") + 1 :].lstrip()
    while head.startswith("<!--"):
        end = head.find("-->")
        if end < 0:
            return False
        head = head[end + 3 :].lstrip()
    return bool(_HTML_TAG.match(head))


def _read_html(text: str) -> str:
    """The main content of a saved web page as Markdown-like text."""
    import lxml.html

    text = re.sub(r"\A\s*<\?xml[^>]{0,200}>", "", text)  # lxml refuses text that declares an encoding
    text = _XML_UNSAFE.sub(" ", text)  # lxml refuses control characters in text it builds
    if not text.strip():
        raise ReaderError("is an empty web page")
    try:
        root = lxml.html.document_fromstring(text)
    except Exception as exc:  # noqa: BLE001 - lxml's errors differ by version; the file is what is wrong
        raise ReaderError(f"could not be read as a web page ({_one_line(exc)})") from None
    posting = _job_posting(root)
    if posting is not None:
        title, description = posting
        if "<" not in description and "&lt;" in description:  # escaped twice by the job board
            description = html.unescape(description)
        fragment = lxml.html.fragment_fromstring(description, create_parent="div")
        return _with_title(title, _markdown(fragment))
    title = _page_title(root)
    _drop_furniture(root)
    cleaned = lxml.html.tostring(root, encoding="unicode")
    # readability's work grows faster than the page: past this size (twenty times a real job page's, once
    # its scripts and styles are gone) the whole page is read instead.
    main = _main_content(cleaned) if len(cleaned) <= _MAX_READABILITY else ""
    return _with_title(title, main if main.strip() else _markdown(root))


def _with_title(title: str, body: str) -> str:
    """``body`` under the heading ``title``, unless it starts with that title already."""
    title = " ".join(title.split())
    first = next((line for line in body.splitlines() if line.strip()), "")
    if not title or title.lower() in first.lower():
        return body
    return f"# {title}\n\n{body}"


def _job_posting(root: Any) -> tuple[str, str] | None:
    """(title, description HTML) of the page's schema.org JobPosting, when it has one with a description."""
    for script in root.iter("script"):
        if (script.get("type") or "").strip().lower() != "application/ld+json" or not script.text:
            continue
        try:
            data = json.loads(script.text)
        except (ValueError, RecursionError):
            continue
        for item in _json_ld_items(data):
            kind = item.get("@type")
            kinds = kind if isinstance(kind, list) else [kind]
            description = item.get("description")
            if "JobPosting" in kinds and isinstance(description, str) and len(description) >= 200:
                title = item.get("title")
                return (title if isinstance(title, str) else ""), description
    return None


def _json_ld_items(data: object) -> list[dict[str, Any]]:
    """The objects of a JSON-LD block: itself, a list of them, or those of its ``@graph``."""
    items = data if isinstance(data, list) else [data]
    out: list[dict[str, Any]] = []
    for item in items[:100]:
        if isinstance(item, dict):
            out.append(item)
            graph = item.get("@graph")
            if isinstance(graph, list):
                out.extend(g for g in graph[:100] if isinstance(g, dict))
    return out


def _page_title(root: Any) -> str:
    """The page's first top-level heading outside its navigation, else its <title>."""
    for h1 in itertools.islice(root.iter("h1"), 20):
        if not any(a.tag in ("nav", "footer", "aside") for a in h1.iterancestors()):
            text = " ".join(h1.text_content().split())
            if text:
                return text
    title = root.find(".//title")
    text = " ".join(title.text_content().split()) if title is not None else ""
    return text.split(" | ")[0].strip()  # "Senior Data Scientist | Careers at Norbank": the site's name goes


def _drop_furniture(root: Any) -> None:
    """Remove what is never the job's text: scripts, navigation, forms, footers, cookie banners, page headers
    without the job's heading, bars of links. One pass from the leaves up counts what each element holds, so
    the work is linear in the size of the page however deep it nests."""
    elements = [el for el in root.iter() if isinstance(el.tag, str)]
    stats: dict[Any, _Counts] = {}
    doomed = [el for el in root.iter() if not isinstance(el.tag, str)]  # comments, processing instructions
    for el in reversed(elements):  # every element after all of its descendants
        counts = _Counts(text=_letters(el.text), h1=el.tag.lower() == "h1")
        for child in el:
            if isinstance(child.tag, str):
                counts.add(stats[child])
            counts.text += _letters(child.tail)
        if el.tag.lower() == "a":
            counts.links, counts.linked = counts.links + 1, counts.text
        stats[el] = counts
        if _is_furniture(el, counts):
            doomed.append(el)
    for el in doomed:
        if el.getparent() is not None:
            el.drop_tree()  # its tail (the text after it) stays


@dataclass
class _Counts:
    """What an element holds: letters of text, letters inside links, links, and whether a top heading."""

    text: int = 0
    linked: int = 0
    links: int = 0
    h1: bool = False

    def add(self, other: _Counts) -> None:
        self.text += other.text
        self.linked += other.linked
        self.links += other.links
        self.h1 = self.h1 or other.h1


def _letters(text: str | None) -> int:
    return len(text) - text.count(" ") - text.count("\n") - text.count("\t") if text else 0


def _is_furniture(el: Any, counts: _Counts) -> bool:
    tag = el.tag.lower()
    if tag in _DROP_TAGS:
        return True
    if tag in ("body", "html", "main", "article") or counts.h1:
        return False
    if tag == "header" or (el.get("role") or "").lower() in _FURNITURE_ROLES:
        return True
    marks = " ".join(filter(None, (el.get("id"), el.get("class"), el.get("aria-label"))))
    if marks and (_COOKIES.search(marks) or any(_FURNITURE.fullmatch(w) for w in marks.split())):
        return True
    # A bar of links ("Careers | Search for jobs | Sign in"): three links or more, and little text besides.
    return tag != "li" and counts.links >= 3 and counts.text > 0 and counts.linked >= counts.text * 0.8


def _main_content(page: str) -> str:
    """The page's main content (readability-lxml) as Markdown-like text."""
    import lxml.html
    from readability import Document

    try:
        with _quiet("readability"):
            summary = Document(page, min_text_length=10).summary(html_partial=True)
        return _markdown(lxml.html.fragment_fromstring(summary, create_parent="div"))
    except Exception:  # noqa: BLE001 - readability gives up on some pages; the whole page is read instead
        return ""


def _markdown(root: Any) -> str:
    """An HTML element's text as Markdown-like lines: headings, bullets, bold lines and paragraphs."""
    out: list[str] = []
    _Writer(out).block(root, 0)
    text = "\n".join(out)
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"


class _Writer:
    """Writes the blocks of an HTML tree as lines: a paragraph's inline text collected line by line
    (``<br>`` ends a line), with whether every word of it is bold."""

    def __init__(self, out: list[str]) -> None:
        self.out = out
        self.lines: list[list[tuple[str, bool]]] = [[]]  # the open paragraph: lines of (text, bold)

    def flush(self) -> None:
        for line in self.lines:
            text = " ".join("".join(t for t, _b in line).split())
            if not text:
                continue
            bold = all(b for t, b in line if t.strip())
            if bold and len(text) <= 160:
                text = f"**{text}**"
            elif text.startswith("#"):
                text = "\\" + text  # "# of models" is not a heading
            self.out.append(text)
        if any(any(t.strip() for t, _b in line) for line in self.lines):
            self.out.append("")
        self.lines = [[]]

    def block(self, el: Any, depth: int, bold: bool = False) -> None:
        """Write ``el``'s content: its own text, its children, each child's tail."""
        if el.text:
            self.lines[-1].append((el.text, bold))
        for child in el:
            if isinstance(child.tag, str):
                self.element(child, depth + 1, bold)
            if child.tail:
                self.lines[-1].append((child.tail, bold))

    def element(self, el: Any, depth: int, bold: bool) -> None:
        tag = el.tag.lower()
        if tag in _DROP_TAGS:
            return
        if depth > _MAX_DEPTH:
            self.lines[-1].append((" " + el.text_content() + " ", bold))
            return
        if tag in _HEADINGS:
            self.flush()
            text = " ".join(el.text_content().split())
            if text:
                self.out.extend([f"{'#' * _HEADINGS[tag]} {text}", ""])
        elif tag in ("ul", "ol", "menu"):
            self.flush()
            self.list_items(el, depth)
        elif tag == "li":
            self.flush()
            self.list_item(el, depth)
        elif tag == "br":
            self.lines.append([])
        elif tag in _BLOCKS:
            self.flush()
            self.block(el, depth, bold)
            self.flush()
        else:
            self.block(el, depth, bold or tag in _BOLD)

    def list_items(self, el: Any, depth: int) -> None:
        for child in el:
            if isinstance(child.tag, str):
                if child.tag.lower() == "li":
                    self.list_item(child, depth + 1)
                else:
                    self.element(child, depth + 1, False)
        self.out.append("")

    def list_item(self, li: Any, depth: int) -> None:
        """A bullet: the item's own text on one line; lists inside it follow as bullets of their own."""
        nested = [c for c in li if isinstance(c.tag, str) and c.tag.lower() in ("ul", "ol")]
        for c in nested:
            li.remove(c)  # read apart below; the tree is a copy made for reading
        text = " ".join(li.text_content().split())
        if text:
            self.out.append(f"- {text}")
        for c in nested:
            self.list_items(c, depth + 1)


# --- PDF -----------------------------------------------------------------------------------------------------

# A bullet at the start of a PDF line: a glyph, or the code of a symbol-font glyph without a Unicode name.
_PDF_BULLET = re.compile(
    r"^(?:[-*•●▪◦‣–—·■□◆◇○◉►▶▸➢➤→✓✔\uf076\uf0a7\uf0b7\uf0d8\uf0e0\uf0fc]|\(cid:\d{1,5}\))\s*(?=\S)"
)
_PAGE_NUMBER = re.compile(r"^(?:page\s*)?\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?$", re.I)
_BOLD_FONT = re.compile(r"bold|black|heavy|semibold|demi", re.I)


@dataclass
class _PdfLine:
    page: int
    top: float  # points from the top of the page
    bottom: float
    edge: bool  # in the top or bottom 8% of the page, where running headers and footers stand
    x0: float
    text_x: float  # where the text starts after a bullet's glyph (x0 when it has none)
    text: str
    size: float
    bold: bool
    marked: bool  # a small shape (a drawn bullet) stands just left of it


def _read_pdf(data: bytes) -> str:
    """A PDF's text as Markdown-like lines."""
    _check_pdf_streams(data)
    lines, images = _pdf_lines(data)
    if not any(line.text.strip() for line in lines):
        if images:
            raise ReaderError(
                "is a PDF without a text layer (a scanned image): run it through OCR, or paste its text, and try again"
            )
        raise ReaderError("is a PDF without any text")
    return _pdf_markdown(_drop_running_lines(lines, _body_size(lines)))


def _check_pdf_streams(data: bytes) -> None:
    """Refuse a PDF whose compressed streams unpack to more than :data:`MAX_UNPACKED` bytes: the PDF library
    unpacks each stream whole, so a few megabytes crafted to unpack to gigabytes would fill the memory."""
    total = 0
    start = data.find(b"stream")
    while start >= 0:
        begin = start + 6
        begin += 2 if data[begin : begin + 2] == b"\r\n" else 1
        end = data.find(b"endstream", begin)
        if end < 0:
            break
        inflater = zlib.decompressobj()
        try:
            chunk = data[begin:end]
            out = inflater.decompress(chunk, MAX_UNPACKED - total + 1)
            total += len(out)
            while inflater.unconsumed_tail and total <= MAX_UNPACKED:
                out = inflater.decompress(inflater.unconsumed_tail, MAX_UNPACKED - total + 1)
                if not out:
                    break
                total += len(out)
        except zlib.error:
            total += end - begin  # not deflated: as large as it is
        if total > MAX_UNPACKED:
            raise ReaderError(f"is a PDF whose contents unpack to more than {MAX_UNPACKED // (1024 * 1024)} MB")
        start = data.find(b"stream", end + 9)


def _pdf_lines(data: bytes) -> tuple[list[_PdfLine], int]:
    """The text lines of every page, in reading order, and how many images the pages hold."""
    import pdfplumber

    lines: list[_PdfLine] = []
    images = 0
    try:
        with _quiet("pdfminer", "pdfplumber"), pdfplumber.open(io.BytesIO(data)) as pdf:
            if len(pdf.pages) > MAX_PAGES:
                raise ReaderError(
                    f"is a PDF of {len(pdf.pages)} pages; a job description has a few (at most {MAX_PAGES})"
                )
            for number, page in enumerate(pdf.pages, start=1):
                images += len(page.images)
                marks = [
                    (o["x0"], o["x1"], o["top"], o["bottom"])
                    for o in (*page.curves, *page.rects)
                    if o["x1"] - o["x0"] <= 8 and o["bottom"] - o["top"] <= 8
                ]
                height = float(page.height)
                for raw in page.extract_text_lines(return_chars=True, strip=True):
                    lines.append(_pdf_line(number, raw, marks, height))
    except ReaderError:
        raise
    except Exception as exc:  # noqa: BLE001 - pdfminer raises many kinds; the file is what is wrong
        if "password" in str(exc).lower() or type(exc).__name__.startswith("PDFPassword"):
            raise ReaderError("is a password-protected PDF: save a copy without a password and try again") from None
        raise ReaderError(f"could not be read as a PDF ({_one_line(exc)})") from None
    return lines, images


def _pdf_line(
    page: int, raw: dict[str, Any], marks: list[tuple[float, float, float, float]], height: float
) -> _PdfLine:
    chars = [c for c in raw.get("chars", []) if str(c.get("text", "")).strip()]
    sizes = [round(float(c.get("size", 0)), 1) for c in chars] or [0.0]
    bold = bool(chars) and all(_BOLD_FONT.search(str(c.get("fontname", ""))) for c in chars)
    top, bottom, x0 = float(raw["top"]), float(raw["bottom"]), float(raw["x0"])
    text = str(raw["text"])
    marked = any(x1 <= x0 + 1 and x0 - x1 <= 24 and m_top >= top - 2 and m_bottom <= bottom + 2
                 for _x0, x1, m_top, m_bottom in marks)  # fmt: skip
    text_x = x0
    if _PDF_BULLET.match(text.strip()):  # the text starts at the first character right of the glyph
        text_x = next((float(c["x0"]) for c in chars if float(c["x0"]) > float(chars[0]["x0"]) + 1), x0)
    edge = top < height * 0.08 or bottom > height * 0.92
    return _PdfLine(page, top, bottom, edge, x0, text_x, text, statistics.median(sizes), bold, marked)


def _body_size(lines: list[_PdfLine]) -> float:
    """The font size of most of the text."""
    weights: Counter[float] = Counter()
    for line in lines:
        weights[line.size] += len(line.text)
    return weights.most_common(1)[0][0] if weights else 0.0


def _drop_running_lines(lines: list[_PdfLine], body: float) -> list[_PdfLine]:
    """Without running headers and footers (near the top or bottom of the page: the same text on several
    pages, digits aside, or text smaller than the body's) and page numbers."""

    def key(line: _PdfLine) -> str:
        return re.sub(r"\d+", "#", line.text.strip().lower())

    seen = Counter(key for _page, key in {(line.page, key(line)) for line in lines if line.edge})
    return [
        line
        for line in lines
        if not (line.edge and (seen[key(line)] > 1 or line.size < body * 0.85 or _PAGE_NUMBER.match(line.text.strip())))
    ]


def _pdf_markdown(lines: list[_PdfLine]) -> str:
    """PDF lines as Markdown-like text: headings by size or bold type, bullets with their wrapped lines
    joined, paragraphs apart."""
    body = _body_size(lines)
    heading_sizes = sorted({line.size for line in lines if line.size >= body * 1.15}, reverse=True)
    levels = {size: min(i + 1, 3) for i, size in enumerate(heading_sizes)}
    out: list[str] = []
    item: _PdfLine | None = None  # the line that opened the current bullet or paragraph
    previous: _PdfLine | None = None
    for line in lines:
        text = line.text.strip()
        bullet = _PDF_BULLET.match(text)
        gap = line.top - previous.bottom if previous is not None and previous.page == line.page else None
        close = gap is not None and gap <= max(line.size, 1.0) * 0.6
        if line.size in levels and not bullet:
            if (
                len(out) > 1
                and out[-2].startswith("#")
                and previous is not None
                and previous.size == line.size
                and close
            ):
                out[-2] += " " + text  # a heading on two lines
            else:
                out.extend(["", f"{'#' * levels[line.size]} {text}", ""])
            item = None
        elif line.bold and not bullet and len(text.split()) <= 10 and not text.endswith("."):
            out.extend(["", f"**{text}**", ""])
            item = None
        elif bullet or line.marked:
            out.append(f"- {text[bullet.end() :] if bullet else text}")
            item = line
        elif item is not None and _continues(item, line, text, close):
            out[-1] = _joined(out[-1], text)
        else:
            out.extend(["", text])
            item = line
        previous = line
    return "\n".join(out).strip() + "\n"


def _continues(item: _PdfLine, line: _PdfLine, text: str, close: bool) -> bool:
    """Whether ``line`` goes on with the bullet or paragraph that ``item`` opened: close below the line before
    and aligned with the item's text (a bullet's hanging indent), or at the top of the next page going on in
    lower case."""
    if line.page != item.page and not (line.page == item.page + 1 and text[:1].islower()):
        return False
    if line.page == item.page and not close:
        return False
    if item.text_x == item.x0 and not item.marked:  # a paragraph: its lines start where it starts, or left of it
        return line.x0 <= item.x0 + 3 or text[:1].islower()
    return line.x0 >= item.text_x - 6 or text[:1].islower()


def _joined(previous: str, text: str) -> str:
    """A wrapped line joined to the one before: a word broken at a hyphen keeps it without a space."""
    if previous.endswith("-") and previous[-2:-1].isalpha() and text[:1].islower():
        return previous + text
    return previous + " " + text


# --- Word ----------------------------------------------------------------------------------------------------

_MAX_PARTS = 5000


def _read_docx(data: bytes) -> str:
    """A Word document's body as Markdown-like lines."""
    _check_zip(data)
    import docx
    from docx.oxml.ns import qn

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # noqa: BLE001 - python-docx raises several kinds for a file that is no .docx
        raise ReaderError(f"could not be read as a Word document ({_one_line(exc)})") from None
    out: list[str] = []
    body = document.element.body
    for child in body.iterchildren():
        if child.tag == qn("w:p"):
            _docx_paragraph(child, document, out)
        elif child.tag == qn("w:tbl") or child.tag == qn("w:sdt"):
            for p in child.iter(qn("w:p")):
                _docx_paragraph(p, document, out)
    return "\n".join(out).strip() + "\n"


def _check_zip(data: bytes) -> None:
    """Refuse a ZIP that is no Word document, or whose parts unpack to more than :data:`MAX_UNPACKED` bytes."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
            names = {info.filename for info in infos[: _MAX_PARTS + 1]}
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise ReaderError(f"could not be read as a Word document ({_one_line(exc)})") from None
    if "word/document.xml" not in names:
        raise ReaderError("is a ZIP archive (an OpenDocument, Excel or other file?), not a Word .docx document")
    if len(infos) > _MAX_PARTS or sum(info.file_size for info in infos) > MAX_UNPACKED:
        raise ReaderError(f"is a Word document whose parts unpack to more than {MAX_UNPACKED // (1024 * 1024)} MB")


def _docx_paragraph(p: Any, document: Any, out: list[str]) -> None:
    """One Word paragraph as a heading, a bullet, a bold line or lines of prose."""
    from docx.text.paragraph import Paragraph

    para = Paragraph(p, document)
    text = para.text.strip()
    if not text:
        return
    styles = _style_names(para)
    heading = _heading_level(styles)
    if heading:
        out.extend(["", f"{'#' * heading} {' '.join(text.split())}", ""])
    elif _is_list(para, styles):
        out.append(f"- {' '.join(text.split())}")
    elif _all_bold(para) and len(text) <= 160:
        out.extend(["", f"**{' '.join(text.split())}**", ""])
    else:
        out.extend(["", *(line.strip() for line in text.splitlines()), ""])


def _style_names(para: Any) -> list[str]:
    """The names of a paragraph's style and the styles it is based on, in lower case."""
    names: list[str] = []
    style = para.style
    while style is not None and len(names) < 10:
        names.append((style.name or "").lower())
        style = style.base_style
    return names


def _heading_level(styles: list[str]) -> int:
    for name in styles:
        if name == "title":
            return 1
        m = re.fullmatch(r"heading (\d)", name)
        if m:
            return min(int(m.group(1)) + 1, 6)  # the document's title keeps level 1
    return 0


def _is_list(para: Any, styles: list[str]) -> bool:
    """A bullet: numbering on the paragraph or its style, or a list style."""
    ppr = para._p.pPr  # python-docx exposes numbering only through the XML
    if ppr is not None and ppr.numPr is not None:
        return True
    if any(name.startswith(("list bullet", "list number", "list paragraph", "list continue")) for name in styles):
        return True
    style = para.style
    while style is not None:
        spr = style.element.pPr
        if spr is not None and spr.numPr is not None:
            return True
        style = style.base_style
    return False


def _all_bold(para: Any) -> bool:
    runs = [r for r in para.runs if r.text.strip()]
    return bool(runs) and all(r.bold or (r.style is not None and r.style.font.bold) for r in runs)


def _one_line(exc: BaseException) -> str:
    """A library's error as a short printable phrase (its first 100 characters, control characters escaped)."""
    text = " ".join(str(exc).split()) or type(exc).__name__
    return one_line(text[:100] + ("..." if len(text) > 100 else ""))
