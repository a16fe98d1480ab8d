"""Markdown from bank files, turned into HTML that is safe to display.

Bank files are reviewed like code, but a question could still carry raw HTML or a remote image. The
rendered HTML is cleaned with nh3 (an allow-list sanitiser): scripts, styles, event handlers, iframes,
forms and images are removed, links keep only their text target, so nothing runs and nothing loads.
"""

from __future__ import annotations

import html
import threading

import markdown
import nh3
from markdown.extensions.fenced_code import FencedCodeExtension
from markdown.extensions.nl2br import Nl2BrExtension
from markdown.extensions.sane_lists import SaneListExtension
from markdown.extensions.tables import TableExtension

__all__ = ["escape", "markdown_to_html", "notes_to_html"]

_TAGS = {
    "p", "br", "strong", "em", "b", "i", "code", "pre", "blockquote", "ul", "ol", "li",
    "h1", "h2", "h3", "h4", "h5", "h6", "table", "thead", "tbody", "tr", "th", "td", "hr", "a", "span",
}
_ATTRIBUTES = {"a": {"href"}, "th": {"align"}, "td": {"align"}}


_local = threading.local()  # converters per thread: building one costs more than converting a note


def _converter(line_breaks: bool) -> markdown.Markdown:
    made: dict[bool, markdown.Markdown] | None = getattr(_local, "converters", None)
    if made is None:
        made = _local.converters = {}
    md = made.get(line_breaks)
    if md is None:
        # Instances, not names: a name is looked up among the installed packages' entry points (importlib.metadata
        # reads every package's metadata, ~35 ms of each PDF export), and the modules load here, with markup,
        # before Qt (which reads the source of every module imported after it).
        extensions: list[markdown.Extension] = [FencedCodeExtension(), TableExtension(), SaneListExtension()]
        if line_breaks:
            extensions.append(Nl2BrExtension())
        md = made[line_breaks] = markdown.Markdown(extensions=extensions, output_format="html")
        if line_breaks:
            # What people type: a line indented by four spaces or a tab is text, not a code block (a summary
            # that began with a tab printed in a code box). Code can still be fenced with ```.
            md.parser.blockprocessors.deregister("code")
    return md


def notes_to_html(text: str) -> str:
    """What people type (interview notes, evidence, summaries, rationales) as sanitised HTML: Markdown, where a
    single line break stays a break (one observation per line), instead of joining the lines as Markdown does
    for text wrapped by hand, as in the bank's files."""
    return markdown_to_html(text, line_breaks=True)


def markdown_to_html(text: str, *, line_breaks: bool = False) -> str:
    """Render Markdown to sanitised HTML (no images, no scripts, no remote content). ``line_breaks``: a single
    line break is a break (``<br>``), see :func:`notes_to_html`."""
    md = _converter(line_breaks)
    try:
        raw = md.convert(text)
    finally:
        md.reset()
    return nh3.clean(
        raw,
        tags=_TAGS,
        attributes=_ATTRIBUTES,
        url_schemes={"https", "http", "mailto"},
        link_rel="noopener noreferrer",
        strip_comments=True,
    )


def escape(text: str) -> str:
    """Escape plain text for HTML."""
    return html.escape(text, quote=True)
