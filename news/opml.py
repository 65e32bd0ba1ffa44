"""OPML, the feed readers' exchange format: import a reading list, export ours."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass

from news.topics import find_topic


class OpmlError(ValueError):
    """The file is not OPML we can read; the message says why."""


@dataclass(frozen=True, slots=True)
class OpmlFeed:
    url: str
    title: str
    topic: str | None  # from the outline's category or the folder it sits in


def parse_opml(text: str) -> list[OpmlFeed]:
    try:
        root = ET.fromstring(text)
    except ET.ParseError as exc:
        raise OpmlError(f"not valid XML ({exc})") from None
    body = root.find("body")
    if root.tag != "opml" or body is None:
        raise OpmlError("not an OPML file (no <opml><body>)")
    feeds: list[OpmlFeed] = []
    # Depth first in document order, with a stack of our own: folders nested thousands deep
    # are well-formed XML, and recursing into them ran out of Python's stack (RecursionError).
    pending: list[tuple[ET.Element, str | None]] = [(outline, None) for outline in reversed(body.findall("outline"))]
    while pending:
        outline, folder = pending.pop()
        url = (outline.get("xmlUrl") or "").strip()
        label = (outline.get("title") or outline.get("text") or "").strip()
        if url:
            category = (outline.get("category") or "").strip("/ ") or folder
            topic = find_topic(category.split("/")[-1]) if category else None
            feeds.append(OpmlFeed(url, label, topic.slug if topic else None))
        else:  # a folder of feeds
            pending.extend((child, label or folder) for child in reversed(outline.findall("outline")))
    return feeds


def write_opml(feeds: Sequence[OpmlFeed], title: str = "Akhbar sources") -> str:
    root = ET.Element("opml", version="2.0")
    ET.SubElement(ET.SubElement(root, "head"), "title").text = title
    body = ET.SubElement(root, "body")
    for feed in feeds:
        attributes = {"type": "rss", "text": feed.title or feed.url, "title": feed.title or feed.url, "xmlUrl": feed.url}
        if feed.topic:
            attributes["category"] = feed.topic
        ET.SubElement(body, "outline", attributes)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
