"""The plain records that go in and out of storage.

They live here, at the bottom of the house, so that storage never imports the layers above it;
the news core and the bot build and read these dataclasses without knowing any SQL.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True, slots=True)
class SearchText:
    """What the search index holds for one article: space-separated normalized forms."""

    title_words: str = ""
    title_stems: str = ""
    body_words: str = ""
    body_stems: str = ""


@dataclass(frozen=True, slots=True)
class NewArticle:
    """An article ready to store: already cleaned, with its de-duplication keys computed."""

    title: str
    title_key: str  # normalized title: same key + same source = the same article
    content_hash: str
    body: str = ""
    summary: str = ""
    url: str | None = None
    source: str = ""
    published_at: datetime | None = None  # aware, UTC
    lang: str = "ar"
    topics: tuple[str, ...] = ()
    regions: tuple[int, ...] = ()  # wilaya codes
    search: SearchText = field(default_factory=SearchText)
    guid: str | None = None  # a feed item's id
    source_id: int | None = None  # the polled source it came from
    # The title's story signature (news.stories), computed with the rest; None: from the title.
    story_words: frozenset[str] | None = None


@dataclass(frozen=True, slots=True)
class Article:
    id: int
    title: str
    body: str
    summary: str
    url: str | None
    source: str
    published_at: datetime | None
    fetched_at: datetime
    lang: str
    topics: tuple[str, ...] = field(default=())
    regions: tuple[int, ...] = field(default=())
    story_id: int | None = None
    story_size: int = 1  # how many articles (sources) tell this story
    hidden: bool = False
    pinned_until: datetime | None = None

    @property
    def shown_at(self) -> datetime:
        """The time a listing shows and sorts by: publication, or when we got it."""
        return self.published_at or self.fetched_at


@dataclass(frozen=True, slots=True)
class Chat:
    """A Telegram chat the bot knows: a reader's private chat, a group or a channel."""

    id: int
    type: str
    title: str
    lang: str
    tz: str
    digest_time: str  # local "HH:MM"
    subscribed: bool
    active: bool
    inactive_reason: str | None
    inactive_at: datetime | None
    created_at: datetime
    updated_at: datetime
    next_due_utc: datetime | None = None
    last_digest_due_utc: datetime | None = None
    topics: tuple[str, ...] = ()  # the digest's topics; empty = all
    empty_note: bool = True  # on a day with nothing new, send a short note


@dataclass(frozen=True, slots=True)
class Delivery:
    """One chat's digest for one local day, as recorded before and after sending."""

    chat_id: int
    local_date: str
    due_utc: datetime
    state: str  # sent, empty (nothing new, no note wanted), failed, skipped (stale)
    sent_at: datetime | None
    message_ids: tuple[int, ...]
    error: str | None


@dataclass(frozen=True, slots=True)
class DeliveryOutcome:
    """How a chat's digest for a local day ended, and when its next one is due."""

    chat_id: int
    local_date: str
    due: datetime
    state: str
    next_due: datetime
    message_ids: tuple[int, ...] = ()
    error: str | None = None

    @property
    def delivered(self) -> bool:
        return self.state in ("sent", "empty")


@dataclass(frozen=True, slots=True)
class Source:
    """A feed or page the bot polls."""

    id: int
    url: str
    title: str
    kind: str  # feed, page
    lang: str
    default_topic: str | None
    interval_s: int
    boilerplate: tuple[str, ...]  # lines to drop from its article pages, besides the shared ones
    etag: str | None
    last_modified: str | None
    next_poll_at: datetime
    last_ok_at: datetime | None
    last_error: str | None
    errors: int
    paused: bool
    disabled_reason: str | None
    disabled_notified: bool
    created_at: datetime
