"""What the feed pipeline hands to the rest of the bot: items, one fetch's outcome, the error."""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from news.model import is_publication_time

if TYPE_CHECKING:
    from news.articles import InvalidArticle
    from news.model import NewArticle


class FeedError(Exception):
    """The document cannot be read as a feed; the message is one line for the admin."""


@dataclass(frozen=True, slots=True)
class FeedItem:
    title: str  # plain text
    url: str | None  # http(s) only, tracking parameters removed
    guid: str | None  # as the feed gives it, stripped
    summary: str  # plain text, paragraphs separated by a blank line
    body: str  # the full text when the feed carries it, else ""
    published_at: datetime | None  # aware, UTC
    categories: tuple[str, ...]
    lang: str | None  # two letters ("ar", "fr"), item's or else feed's


@dataclass(frozen=True, slots=True)
class FetchResult:
    status: str  # "ok" | "not_modified" | "error"
    items: tuple[FeedItem, ...] = ()
    feed_title: str | None = None
    etag: str | None = None  # to send back next time
    last_modified: str | None = None
    retry_after: float | None = None  # seconds, on 429 and 503
    error: str | None = None  # one short line for the admin
    http_status: int | None = None
    final_url: str | None = None  # after redirects
    # Each item's article (or why it cannot be stored), when the fetch was asked to prepare them.
    articles: tuple[NewArticle | InvalidArticle, ...] = ()
    # An ok feed that is not well-formed, its items read leniently: why (one line for the admin).
    malformed: str | None = None

    @property
    def ok(self) -> bool:
        return self.status == "ok"


def utc_from_struct(moment: time.struct_time | None) -> datetime | None:
    """A date feedparser parsed (already in UTC, as a struct_time) as an aware datetime."""
    if not moment:
        return None
    try:
        return feed_date(datetime(*moment[:6], tzinfo=UTC))
    except (TypeError, ValueError):
        return None


def feed_date(moment: datetime) -> datetime | None:
    """An item's aware UTC date, or None for one no article has (Go's zero time, 0001-01-01):
    the item is then stored as published when it arrived, as with a date that cannot be read."""
    return moment if is_publication_time(moment) else None
