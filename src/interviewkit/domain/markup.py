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

__all__ = ["escape", "markdown_to_html"]

_TAGS = {
    "p", "br", "strong", "em", "b", "i", "code", "pre", "blockquote", "ul", "ol", "li",
    "h1", "h2", "h3", "h4", "h5", "h6", "table", "thead", "tbody", "tr", "th", "td", "hr", "a", "span",
}
_ATTRIBUTES = {"a": {"href"}, "th": {"align"}, "td": {"align"}}


_local = threading.local()  # one converter per thread: building one costs more than converting a note


def _converter() -> markdown.Markdown:
    md: markdown.Markdown | None = getattr(_local, "converter", None)
    if md is None:
        md = markdown.Markdown(extensions=["fenced_code", "tables", "sane_lists"], output_format="html")
        _local.converter = md
    return md


def markdown_to_html(text: str) -> str:
    """Render Markdown to sanitised HTML (no images, no scripts, no remote content)."""
    md = _converter()
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
