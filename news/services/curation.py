"""Curation, for the admins: the sources polled, articles posted by hand, hidden, re-filed or
pinned, and the figures of /stats.  Who is an admin is the caller's business (configuration)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

from news.articles import make_article
from news.ingest import Ingestor
from news.model import Source, first_poll
from news.repositories import ArticleStore, ChatStore, SourceStore
from news.services.clock import Clock

PIN_HOURS = 36  # long enough to open tomorrow's digests wherever the reader lives
DEFAULT_INTERVAL_S = 900
FLOOD_COUNTER = "429"


@dataclass(frozen=True, slots=True)
class Posted:
    article_id: int | None  # None: the same article was already stored
    topics: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Stats:
    subscribed_active: int
    inactive: int
    per_day: list[tuple[str, int]]  # (YYYY-MM-DD, articles) over the last week
    per_source: list[tuple[str, int]]  # (source, articles) over the last day, most first
    failing: list[Source]  # in error or disabled
    digests_yesterday: int
    floods_today: int


class CurationService:
    def __init__(
        self, articles: ArticleStore, sources: SourceStore, chats: ChatStore, ingestor: Ingestor, clock: Clock,
        post_source: str,
    ) -> None:
        self._articles, self._sources, self._chats = articles, sources, chats
        self._ingestor, self._clock, self._post_source = ingestor, clock, post_source

    # --- sources ------------------------------------------------------------------------

    async def add_source(
        self, url: str, *, topic: str | None = None, title: str = "", boilerplate: Sequence[str] = (),
        poll_now: bool = False,
    ) -> Source | None:
        """A new feed (`url` already checked, see news.articles.check_url), polled first soon —
        at a random moment within five minutes unless `poll_now` — or None if already known."""
        now = self._clock()
        return await self._sources.add(
            url, title=title, default_topic=topic, boilerplate=tuple(boilerplate),
            first_poll=now if poll_now else first_poll(now, DEFAULT_INTERVAL_S),
        )

    async def sources(self) -> list[Source]:
        return await self._sources.all()

    async def source(self, source_id: int) -> Source | None:
        return await self._sources.get(source_id)

    async def remove_source(self, source_id: int) -> bool:
        """Forget a source; its articles stay."""
        return await self._sources.remove(source_id)

    async def pause_source(self, source_id: int) -> bool:
        return await self._sources.set_paused(source_id, True)

    async def resume_source(self, source_id: int) -> bool:
        return await self._sources.set_paused(source_id, False)

    async def admins_told(self, source_id: int) -> None:
        """The admins were told this source was disabled: not again."""
        await self._sources.mark_notified(source_id)

    # --- articles -----------------------------------------------------------------------

    async def post(self, title: str, body: str, url: str | None) -> Posted:
        """An article by hand, stored like any other (raises news.articles.InvalidArticle)."""
        article = make_article(title=title, body=body, url=url, source=self._post_source)
        (article_id,) = await self._ingestor.add_many([article])
        return Posted(article_id, article.topics)

    async def hide(self, article_id: int) -> bool:
        """Out of listings, search and digests; never deleted."""
        return await self._articles.set_hidden(article_id, True)

    async def unhide(self, article_id: int) -> bool:
        return await self._articles.set_hidden(article_id, False)

    async def pin(self, article_id: int) -> bool:
        """The story opens the digests of the next PIN_HOURS."""
        return await self._articles.pin(article_id, self._clock() + timedelta(hours=PIN_HOURS))

    async def set_topic(self, article_id: int, topic: str) -> bool:
        return await self._articles.set_topics(article_id, [topic])

    # --- figures ------------------------------------------------------------------------

    async def stats(self) -> Stats:
        now = self._clock()
        chats = await self._chats.counts()
        return Stats(
            subscribed_active=chats["subscribed_active"],
            inactive=chats["inactive"],
            per_day=await self._articles.per_day(7, now),
            per_source=await self._articles.per_source(now - timedelta(hours=24)),
            failing=[s for s in await self._sources.all() if s.errors or s.disabled_reason],
            digests_yesterday=await self._chats.sent_on((now - timedelta(days=1)).strftime("%Y-%m-%d")),
            floods_today=await self._chats.counter(FLOOD_COUNTER, now.strftime("%Y-%m-%d")),
        )

    async def count_flood(self) -> None:
        """Telegram answered 429: counted for /stats."""
        await self._chats.bump(FLOOD_COUNTER)
