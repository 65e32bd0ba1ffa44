"""A changed feed made ready to store in one step: parsed, and each of its items made an article.

One step, so that a feed costs one round trip to a worker process (news.workers): the items and
their articles come back together, and the poller keeps the new ones.  Preparing the items it
already holds too is cheaper than a second trip: parsing them was most of the work anyway.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace

from news.articles import InvalidArticle, make_article
from news.feeds.model import FeedItem
from news.feeds.parser import read_feed
from news.model import NewArticle

# A feed's summary is kept as a teaser, not a second copy of the article.
SUMMARY_CHARS = 500


@dataclass(frozen=True, slots=True)
class SourceDefaults:
    """What an item's article takes from its source rather than from the item."""

    name: str  # the articles' source name
    lang: str  # for items whose feed says no language
    default_topic: str | None = None
    source_id: int | None = None
    # False when `name` only stands in (the host of a source given no title): the feed's own
    # title, which the source takes from this poll on, names its articles from the first.
    titled: bool = True


def item_article(item: FeedItem, source: SourceDefaults, body: str | None = None) -> NewArticle:
    """The article of one feed item; `body` is its page's full text when that was fetched.

    Raises InvalidArticle for an item that cannot be stored.
    """
    return make_article(
        title=item.title,
        body=body or item.body or item.summary,
        summary=item.summary[:SUMMARY_CHARS],
        url=item.url,
        source=source.name,
        published_at=item.published_at,
        lang=item.lang or source.lang,
        categories=(source.default_topic, *item.categories),
        guid=item.guid,
        source_id=source.source_id,
    )


def prepare_items(
    items: Iterable[FeedItem], source: SourceDefaults, bodies: Mapping[str, str] | None = None
) -> list[NewArticle | InvalidArticle]:
    """Each item's article, in order, or its InvalidArticle in its place (one bad item costs
    only itself); `bodies` are full texts by item URL."""
    bodies = bodies or {}
    made: list[NewArticle | InvalidArticle] = []
    for item in items:
        try:
            made.append(item_article(item, source, bodies.get(item.url) if item.url else None))
        except InvalidArticle as invalid:
            made.append(invalid)
    return made


@dataclass(frozen=True, slots=True)
class PreparedFeed:
    title: str | None
    items: list[FeedItem]
    articles: list[NewArticle | InvalidArticle]  # each item's, in order
    malformed: str | None = None  # news.feeds.parser.ParsedFeed's


def read_and_prepare(
    document: bytes, content_type: str | None, url: str | None, source: SourceDefaults
) -> PreparedFeed:
    """The feed read and each of its items made an article; FeedError if the document is no feed."""
    parsed = read_feed(document, content_type, url)
    if not source.titled and parsed.title:
        source = replace(source, name=parsed.title, titled=True)
    return PreparedFeed(parsed.title, parsed.items, prepare_items(parsed.items, source), parsed.malformed)


def parse_and_prepare(
    document: bytes, content_type: str | None, url: str | None, source: SourceDefaults
) -> tuple[str | None, list[FeedItem], list[NewArticle | InvalidArticle]]:
    """(feed title, items, each item's article); FeedError if the document is no feed."""
    prepared = read_and_prepare(document, content_type, url, source)
    return prepared.title, prepared.items, prepared.articles
