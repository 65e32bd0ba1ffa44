"""JSON Feed 1.0 and 1.1 (https://jsonfeed.org/version/1.1), read by hand.

feedparser does not know the format, and it is small enough not to need a library: a dict of
feed fields with a list of items.  Its text fields are plain text by the spec but publishers
put HTML in them anyway, so they go through the same guess as feedparser's.
"""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any

from news.feeds.model import FeedError, FeedItem, feed_date
from news.feeds.sanitizer import one_line, title_text, to_text
from news.feeds.urlcleaner import normalize_url

JSON_FEED_VERSION_PREFIX = "https://jsonfeed.org/version/1"


def parse_date(value: object) -> datetime | None:
    """RFC 3339 as the spec says, RFC 822 as some publishers write; aware UTC, None if neither."""
    if not isinstance(value, str) or not value.strip():
        return None
    value = value.strip()
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        try:
            moment = parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
    # A time without an offset is taken to be UTC, as news.articles does.
    try:
        return feed_date(moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC))
    except OverflowError:  # year 1 east of UTC, or year 9999 west of it
        return None


def lang_code(value: object) -> str | None:
    """The two-letter language of a tag like "ar", "ar-DZ", "fr_FR"; None if it is not one."""
    if not isinstance(value, str):
        return None
    code = value.strip().replace("_", "-").split("-", 1)[0]
    return code.lower() if len(code) == 2 and code.isascii() and code.isalpha() else None


def _string(value: object) -> str:
    """A text field, or "" for anything else.  JSON may carry lone surrogates ("\\ud800"),
    which are no characters and which SQLite cannot store: each becomes U+FFFD."""
    if not isinstance(value, str):
        return ""
    return value.encode("utf-16", "surrogatepass").decode("utf-16", "replace")


def _item(raw: dict[str, Any], base: str | None, feed_lang: str | None) -> FeedItem | None:
    title = title_text(_string(raw.get("title")))
    summary = to_text(_string(raw.get("summary")))
    if _string(raw.get("content_html")):
        body = to_text(_string(raw["content_html"]), is_html=True)
    else:
        body = to_text(_string(raw.get("content_text")), is_html=False)
    if not (title or summary or body):
        return None
    guid = raw.get("id")
    # The spec says string; some publishers write a number.
    guid = (_string(guid) or str(guid)).strip() if isinstance(guid, (str, int)) and not isinstance(guid, bool) else ""
    tags: list[Any] = raw["tags"] if isinstance(raw.get("tags"), list) else []
    categories = tuple(dict.fromkeys(one_line(_string(tag)) for tag in tags if isinstance(tag, str) and tag.strip()))
    return FeedItem(
        title=title,
        url=normalize_url(_string(raw.get("url")) or _string(raw.get("external_url")), base),
        guid=guid or None,
        summary=summary,
        body=body,
        published_at=parse_date(raw.get("date_published")) or parse_date(raw.get("date_modified")),
        categories=categories,
        lang=lang_code(raw.get("language")) or feed_lang,
    )


def parse_json_feed(text: str, url: str | None = None) -> tuple[str | None, list[FeedItem]]:
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise FeedError(f"not a feed: invalid JSON ({exc.msg} at line {exc.lineno})") from None
    except ValueError:  # the one other thing json.loads refuses: an integer too long to convert
        raise FeedError(f"not a feed: invalid JSON (a number of more than {sys.get_int_max_str_digits()} digits)") from None
    except RecursionError:  # nested ten thousand deep: hostile, not a feed
        raise FeedError("not a feed: JSON nested too deep") from None
    version = document.get("version") if isinstance(document, dict) else None
    if not isinstance(version, str) or not version.startswith(JSON_FEED_VERSION_PREFIX):
        raise FeedError("not a feed: JSON without a JSON Feed version")
    # Relative item links are relative to where the feed was found.
    base = url or _string(document.get("feed_url")) or _string(document.get("home_page_url")) or None
    feed_lang = lang_code(document.get("language"))
    raw_items = document.get("items")
    items = [
        item
        for raw in (raw_items if isinstance(raw_items, list) else [])
        if isinstance(raw, dict) and (item := _item(raw, base, feed_lang)) is not None
    ]
    title = title_text(_string(document.get("title")))
    return title or None, items
