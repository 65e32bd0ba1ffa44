"""The text of an article page, for feeds that only give a title and a line.

trafilatura finds the article among the menus, share buttons and related links (tuned for
precision: a missing sentence is better than a menu in the middle of the news).  Its XML output
is read rather than its plain text, because the plain text puts one newline between
paragraphs, the same as inside one, and cannot tell the page's <h1> (the title we already
have) from a paragraph.  Last, the lines that aggregators glue to every article are dropped.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import TYPE_CHECKING

from news.boilerplate import AGGREGATOR_BOILERPLATE, is_boilerplate
from news.feeds.sanitizer import tidy_text
from news.text import normalize

if TYPE_CHECKING:
    from lxml import etree

log = logging.getLogger(__name__)

# Paragraph-like elements of trafilatura's XML; <head rend="h1"> is the page title.
_PARAGRAPH_TAGS = frozenset({"p", "head", "quote", "code"})


def _element_text(element: etree._Element) -> str:
    parts = [element.text or ""]
    for child in element:
        parts.append("\n" if child.tag == "lb" else _element_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _paragraphs(xml: str) -> list[str]:
    from lxml import etree

    root = etree.fromstring(xml.encode("utf-8"), parser=etree.XMLParser(recover=True, huge_tree=False))
    main = root.find("main") if root is not None else None
    paragraphs: list[str] = []
    for element in main if main is not None else ():
        if element.tag == "head" and element.get("rend") == "h1":
            continue
        if element.tag in _PARAGRAPH_TAGS:
            paragraphs.append(_element_text(element))
        elif element.tag == "list":
            paragraphs.append("\n".join(_element_text(item) for item in element.iter("item")))
    return paragraphs


def boilerplate_patterns(extra: Sequence[str] = ()) -> tuple[str, ...]:
    """The normalized line starts to drop: the aggregators' and a source's own."""
    patterns = (normalize(line) for line in (*AGGREGATOR_BOILERPLATE, *extra))
    return tuple(dict.fromkeys(pattern for pattern in patterns if pattern))  # "" would match every line


def extract_article_text(html: str, url: str | None = None, boilerplate: Sequence[str] = ()) -> str | None:
    """The article's paragraphs separated by a blank line, without boilerplate; None if nothing is left."""
    if not html or not html.strip():
        return None
    import trafilatura  # slow to import and only needed here

    try:
        xml = trafilatura.extract(
            html,
            url=url,
            output_format="xml",
            favor_precision=True,
            include_comments=False,
            include_tables=False,
            include_images=False,
            include_links=False,
        )
        paragraphs = _paragraphs(xml) if xml else []
    except Exception:  # noqa: BLE001 - a page that breaks the extractor is a page without text
        log.warning("article extraction failed for %s", url, exc_info=True)
        return None
    patterns = boilerplate_patterns(boilerplate)
    kept = []
    for paragraph in paragraphs:
        lines = [line for line in tidy_text(paragraph).split("\n") if line and not is_boilerplate(line, patterns)]
        if lines:
            kept.append("\n".join(lines))
    return "\n\n".join(kept) or None
