"""Polling sources politely: each on its own interval, spread out, a few at a time.

- A source is polled when its `next_poll_at` comes; a new one at a random moment within its
  first interval, so that 200 sources added at once do not all fire together.
- Conditional GET (ETag / Last-Modified): an unchanged feed costs one 304.
- Failures back off exponentially (interval x 2^errors, at most a day), never sooner than a
  Retry-After; after MAX_ERRORS failures in a row the source is disabled with the reason,
  shown in /sources, and the admins are told once (the bot does the telling).
- New items only: known guids and links are skipped before any page is fetched; an item whose
  feed gives only a summary gets its full text from the article page (news.feeds).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from news.articles import InvalidArticle
from news.feeds.prepare import SourceDefaults, prepare_items
from news.ingest import Ingestor
from news.metrics import NO_METRICS, Metrics
from news.model import NewArticle, Source
from news.plurals import counted
from news.repositories import SourceStore, StorageUnavailable

if TYPE_CHECKING:  # the poller is handed its fetcher; only the types are needed here
    from news.feeds import FeedFetcher, FeedItem, FetchResult

log = logging.getLogger(__name__)

IN_FLIGHT = 8
# A feed whose item text is shorter than this gives a summary, not the article.
SUMMARY_ONLY_CHARS = 400
FULL_TEXT_PER_POLL = 20


def _defaults(source: Source, feed_title: str | None = None) -> SourceDefaults:
    """What each of this source's articles takes from it: a source given no title is named by
    its feed's title (as it will be from this poll on), else by its host."""
    name = source.title or feed_title
    return SourceDefaults(
        name=name or source.name, lang=source.lang, default_topic=source.default_topic, source_id=source.id,
        titled=bool(name),
    )


@dataclass(slots=True)
class SourceReport:
    source: Source
    status: str  # ok, not_modified, error
    found: int = 0
    added: int = 0
    error: str | None = None
    malformed: str | None = None  # an ok feed read leniently: why it is not well-formed


@dataclass(slots=True)
class PollReport:
    sources: list[SourceReport] = field(default_factory=list)
    newly_disabled: list[Source] = field(default_factory=list)

    @property
    def added(self) -> int:
        return sum(r.added for r in self.sources)


class Poller:
    def __init__(
        self,
        sources: SourceStore,
        ingestor: Ingestor,
        fetcher: FeedFetcher,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        in_flight: int = IN_FLIGHT,
        metrics: Metrics = NO_METRICS,
    ) -> None:
        self.sources, self.ingestor, self.fetcher, self.clock = sources, ingestor, fetcher, clock
        self.metrics = metrics
        self._gate = asyncio.Semaphore(in_flight)

    async def poll_due(self, on_done: Callable[[SourceReport], None] | None = None) -> PollReport:
        return await self.poll(await self.sources.due(self.clock(), limit=500), on_done)

    async def poll(self, sources: list[Source], on_done: Callable[[SourceReport], None] | None = None) -> PollReport:
        report = PollReport()

        async def one(source: Source) -> None:
            result = await self._poll_one(source, report)
            self.metrics.feed_fetched(result.status)
            report.sources.append(result)
            if on_done:
                on_done(result)

        await asyncio.gather(*(one(source) for source in sources))
        return report

    async def _poll_one(self, source: Source, report: PollReport) -> SourceReport:
        now = self.clock()
        result: FetchResult | None = None
        articles: list[NewArticle] = []
        error: str | None = None
        try:
            # The gate bounds the sources being downloaded at once, the feed and then its
            # article pages; a feed waiting its turn to be stored no longer holds a place.
            async with self._gate:
                # Parsed and made articles in one step, in the fetcher's workers (news.feeds.prepare).
                result = await self.fetcher.fetch(source.url, source.etag, source.last_modified, _defaults(source))
                if result.status == "error":
                    error = result.error
                elif result.status == "ok":
                    articles = await self._new_articles(source, result)
        except Exception as exc:  # a bug in a parser, a worker that died: the other sources go on
            log.exception("polling source %s failed", source.id)
            error = f"internal error: {type(exc).__name__}"
        ids: list[int | None] = []
        if error is None and result is not None and result.status == "ok" and articles:
            # Stored before the ETag is: a batch the database refuses is fetched again next
            # time, not answered 304 and lost.
            try:
                ids = await self.ingestor.add_many(articles)
            except StorageUnavailable as refused:  # the database's trouble, not the source's
                log.warning(
                    "source %s: %s not stored (%s); fetched again next time", source.id, counted(len(articles), "item"), refused
                )
                return SourceReport(source, "error", error=str(refused))
            except Exception as exc:
                log.exception("storing the items of source %s failed", source.id)
                error = f"internal error: {type(exc).__name__}"
        if error is not None:
            retry_after = result.retry_after if result is not None else None
            next_poll, disable = source.after_failure(now, retry_after)
            updated = await self.sources.record_failure(source.id, error=error, next_poll_at=next_poll, disable=disable)
            if disable and updated is not None:
                report.newly_disabled.append(updated)
            return SourceReport(source, "error", error=error)
        assert result is not None  # without an error, the fetch returned
        await self.sources.record_success(
            source.id, now=now, next_poll_at=source.next_poll_after_success(now),
            etag=result.etag, last_modified=result.last_modified, title=result.feed_title,
            # A 304 says nothing new about the document: the last one read keeps its note.
            note=source.last_error if result.status == "not_modified" else result.malformed,
        )
        if result.status == "not_modified":
            return SourceReport(source, "not_modified")
        added = sum(1 for i in ids if i is not None)
        return SourceReport(source, "ok", found=len(result.items), added=added, malformed=result.malformed)

    async def _new_articles(self, source: Source, result: FetchResult) -> list[NewArticle]:
        known_guids, known_urls = await self.ingestor.articles.known_items(
            source.id, [i.guid for i in result.items if i.guid], [i.url for i in result.items if i.url]
        )
        fresh = [
            (item, article)
            for item, article in zip(result.items, result.articles, strict=True)
            if not (item.guid and item.guid in known_guids) and not (item.url and item.url in known_urls)
        ]
        texts = await self._full_texts([item for item, _ in fresh], source.boilerplate)
        if texts:  # those few are made again, with their page's text
            with_text = [item for item, _ in fresh if item.url in texts]
            remade = iter(await self.fetcher.workers.run(prepare_items, with_text, _defaults(source, result.feed_title), texts))
            fresh = [(item, next(remade) if item.url in texts else article) for item, article in fresh]
        articles = []
        for _, article in fresh:
            if isinstance(article, InvalidArticle):
                log.info("source %s: item skipped: %s", source.id, article)
            else:
                articles.append(article)
        return articles

    async def _full_texts(self, items: list[FeedItem], boilerplate: tuple[str, ...]) -> dict[str, str]:
        """Article pages for the items whose feed gives only a summary (a few per poll), without
        the shared aggregator boilerplate nor this source's own."""
        wanted = [i.url for i in items if i.url and len(i.body or i.summary) < SUMMARY_ONLY_CHARS][:FULL_TEXT_PER_POLL]
        if not wanted:
            return {}

        async def one(url: str) -> tuple[str, str | None]:
            try:
                return url, await self.fetcher.fetch_article_text(url, boilerplate)
            except Exception:  # the summary will do
                log.info("full text of %s could not be fetched", url, exc_info=True)
                return url, None

        # In the place the feed took at the gate: a few pages of one site at once.
        pages = await asyncio.gather(*(one(u) for u in wanted))
        return {url: text for url, text in pages if text}
