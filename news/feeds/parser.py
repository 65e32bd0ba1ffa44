"""Feed documents to FeedItems: which format it is, then the reader for that format.

RSS 0.9x/1.0/2.0 and Atom go to feedparser, which has seen every way a feed can be wrong;
JSON Feed is read by news.feeds.jsonfeed.  feedparser only ever gets UTF-8 that says it is
UTF-8 (news.feeds.encoding did the decoding), and everything it returns as HTML becomes
plain text here: the bot shows text, never markup.

Feeds as publishers serve them are often not well-formed XML: an unescaped "&" in a link, a
CDATA section never closed, a namespace prefix never declared.  What feedparser's lenient
reading recovers from such a file is kept, and the feed is said to be malformed (`malformed`,
shown in /sources) so that an admin can tell the publisher.

Only feedparser's public API is used (feedparser.parse and the dictionaries it returns).  A
reader of its own on lxml was tried and measured: at a realistic load (300 feeds of 30 items
every 5 minutes, benchmarks/feed_parse_benchmark.py) it saved about 2% of one worker core
against feedparser, not worth a second parser that had to follow feedparser's internals.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import feedparser

from news.feeds.encoding import as_utf8_document, charset_from_content_type, decode_feed_bytes
from news.feeds.jsonfeed import lang_code, parse_json_feed
from news.feeds.model import FeedError, FeedItem, utc_from_struct
from news.feeds.sanitizer import one_line, title_text, to_text
from news.feeds.urlcleaner import normalize_url

_JSON_TYPES = frozenset({"application/feed+json", "application/json"})


def _media_type(content_type: str | None) -> str:
    return (content_type or "").split(";", 1)[0].strip().lower()


@dataclass(frozen=True, slots=True)
class ParsedFeed:
    title: str | None
    items: list[FeedItem]
    # Why the document is not well-formed, when its items were read leniently all the same.
    malformed: str | None = None


def _is_json(text: str, content_type: str | None) -> bool:
    # By the body first: servers label feeds with whatever type their default is.
    start = text[:64].lstrip("\ufeff \t\r\n")
    if start.startswith("{"):
        return True
    return _media_type(content_type) in _JSON_TYPES and not start.startswith("<")


def _is_html(detail: Mapping[str, Any] | None) -> bool | None:
    """Whether feedparser found a field to be HTML; None if it does not say (then: guess)."""
    kind = (detail or {}).get("type") or ""
    return None if not kind else ("html" in kind)


def _detail_text(detail: Mapping[str, Any] | None, value: str | None) -> str:
    """A feedparser field as text, by the type feedparser found (text/plain is not parsed as HTML)."""
    return to_text(value, is_html=_is_html(detail))


def _entry_lang(entry: Mapping[str, Any]) -> str | None:
    details = [entry.get("title_detail"), entry.get("summary_detail"), *(entry.get("content") or [])]
    for value in (entry.get("language"), *((d or {}).get("language") for d in details)):
        if code := lang_code(value):
            return code
    return None


def _categories(entry: Mapping[str, Any]) -> tuple[str, ...]:
    terms = (one_line(tag.get("term") or tag.get("label") or "") for tag in entry.get("tags") or ())
    return tuple(dict.fromkeys(term for term in terms if term))


def _updated(entry: Mapping[str, Any]) -> Any:
    # Asked for an updated_parsed it lacks, feedparser answers with published_parsed and a
    # DeprecationWarning (its issue 310): only what is really there is asked for.
    return entry["updated_parsed"] if "updated_parsed" in entry else None


def _item(entry: Mapping[str, Any], base: str | None, feed_lang: str | None) -> FeedItem | None:
    contents = entry.get("content") or []
    # The HTML version when a feed gives several (Atom may carry text and html side by side).
    content = next((c for c in contents if "html" in (c.get("type") or "")), contents[0] if contents else None)
    body = _detail_text(content, content.get("value")) if content else ""
    summary_value = entry.get("summary")
    if content and summary_value == content.get("value"):
        # Without a <description>, feedparser copies the content into the summary: it is not one.
        summary = ""
    else:
        summary = _detail_text(entry.get("summary_detail"), summary_value)
    title = title_text(entry.get("title"), _is_html(entry.get("title_detail")))
    if not (title or summary or body):
        return None
    return FeedItem(
        title=title,
        url=normalize_url(entry.get("link"), base),
        guid=(entry.get("id") or "").strip() or None,
        summary=summary,
        body=body,
        published_at=utc_from_struct(entry.get("published_parsed")) or utc_from_struct(_updated(entry)),
        categories=_categories(entry),
        lang=_entry_lang(entry) or feed_lang,
    )


def _bozo_reason(exc: BaseException | None) -> str:
    if exc is None:
        return "no RSS, Atom or JSON Feed found"
    message = exc.getMessage() if hasattr(exc, "getMessage") else str(exc)  # SAX errors: without the position
    return one_line(message)[:120] or type(exc).__name__


def _parse_with_feedparser(document: bytes, url: str | None = None) -> ParsedFeed:
    """RSS or Atom through feedparser; `document` is as_utf8_document's bytes."""
    # No content-location: feedparser would resolve every guid against it ("5521" becoming
    # "https://site/5521"); guids stay as given and links are resolved by normalize_url.
    headers = {"content-type": "application/xml; charset=utf-8"}
    try:
        parsed = feedparser.parse(document, response_headers=headers, resolve_relative_uris=False)
    except Exception as exc:  # noqa: BLE001 — its own bugs, e.g. ValueError from chr() on "&#x110000;"
        raise FeedError(f"not a feed: the parser failed ({type(exc).__name__}: {one_line(str(exc))[:80]})") from None
    feed_lang = lang_code(parsed.feed.get("language"))
    items = [item for entry in parsed.entries if (item := _item(entry, url, feed_lang)) is not None]
    # A slightly broken feed that still gives items is a feed (real ones often are); broken
    # with nothing in it, or well-formed but not RSS/Atom (an HTML page), is not.
    if not items and (parsed.bozo or not parsed.version):
        raise FeedError(f"not a feed: {_bozo_reason(parsed.get('bozo_exception'))}")
    title = title_text(parsed.feed.get("title"), _is_html(parsed.feed.get("title_detail")))
    malformed = _bozo_reason(parsed.get("bozo_exception")) if parsed.bozo else None
    return ParsedFeed(title or None, items, malformed)


def read_feed(data: bytes, content_type: str | None = None, url: str | None = None) -> ParsedFeed:
    """The title and items of an RSS, Atom or JSON Feed document, and whether it was malformed;
    FeedError if it is none of them."""
    if not data or not data.strip():
        raise FeedError("not a feed: empty document")
    charset = charset_from_content_type(content_type)
    text = decode_feed_bytes(data, charset)
    if _is_json(text, content_type):
        return ParsedFeed(*parse_json_feed(text, url))
    return _parse_with_feedparser(as_utf8_document(text), url)


def parse_feed(
    data: bytes, content_type: str | None = None, url: str | None = None
) -> tuple[str | None, list[FeedItem]]:
    """(feed title, items) of an RSS, Atom or JSON Feed document; FeedError if it is none of them."""
    parsed = read_feed(data, content_type, url)
    return parsed.title, parsed.items
