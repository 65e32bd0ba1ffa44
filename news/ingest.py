"""Storing new articles: the one road every source takes into the archive.

A publication time more than an hour after the article reached us (a feed whose clock says
2099) is a wrong clock, not news from the future: it would pin the article to the top of every
listing for ever and file later headlines under the wrong story.  Such an article is stored as
published when it arrived, the time it claimed kept beside for the record (/read shows it).

`Ingestor.add_many` stores a batch: storage de-duplicates, indexes and files each new article
under its story in one transaction, a headline that retells one stored in the last few days
joining that story instead of standing alone — and a version filed under topics the lexicon was
unsure of takes those of a surer version of its story (news.classify.refiling), either way round.
Batches that arrive together (the feeds of one poll round) share a transaction: group commit.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta

from news.articles import article_story_key
from news.classify import refiling
from news.metrics import NO_METRICS, Metrics
from news.model import Article, NewArticle, SearchText
from news.repositories import ArticleStore, StorageUnavailable
from news.search import ANALYSER_VERSION, index_text
from news.stories import WINDOW, StoryMatcher
from news.story_bilingual import prepare as prepare_bilingual

# Batches waiting together are stored in one transaction of at most this many articles: SQLite
# and FTS5 pay much of their cost per commit (a third less per article at 800 than at 100),
# while a transaction this size holds the write lock, and the event loop for its story
# matching, only some tens of milliseconds.
GROUP_ARTICLES = 500
# An article published longer ago than this before it reached us is old news: no alert.
ALERT_FRESHNESS = timedelta(hours=24)
# A publication time later than its arrival by more than this is a wrong clock (clocks drift and
# time zones get mislabelled by minutes or an hour; further than that, nothing is news yet).
FUTURE_SLACK = timedelta(hours=1)

log = logging.getLogger(__name__)


def as_arrived(article: NewArticle, arrived: datetime) -> NewArticle:
    """`article`, published when it arrived if it claims a time beyond FUTURE_SLACK after that."""
    claimed = article.published_at
    if claimed is None or claimed - arrived <= FUTURE_SLACK:
        return article
    log.info("%r claims to be published at %s, arrived %s: stored as published on arrival",
             article.title[:60], claimed.isoformat(), arrived.isoformat())
    return replace(article, published_at=arrived, claimed_published_at=claimed)


@dataclass(slots=True)
class _Waiting:
    batch: list[NewArticle]
    fetched_at: datetime | None
    ids: asyncio.Future[list[int | None]]


class Ingestor:
    def __init__(
        self, articles: ArticleStore, matcher: StoryMatcher, alerts: bool = False, metrics: Metrics = NO_METRICS,
        read_up_to: int = 0,
    ) -> None:
        self.articles = articles
        self.metrics = metrics
        self._matcher = matcher
        # Other processes store articles too (the poller before a failover, a receiver's /post,
        # `akhbar fetch` beside the bot): before each write the matcher reads the articles
        # stored since the largest id it read (`_catch_up`), skipping this process's own.
        self._read_up_to = read_up_to
        self._own: set[int] = set()
        # With alerts, a fresh story new to the store is noted in the alerts outbox in the
        # transaction that stores it; the alert service matches it against the follows later.
        self.alerts = alerts
        self._waiting: list[_Waiting] = []
        self._writing = asyncio.Lock()

    @classmethod
    async def open(
        cls, articles: ArticleStore, now: datetime | None = None, alerts: bool = False, metrics: Metrics = NO_METRICS
    ) -> Ingestor:
        """An ingestor that remembers the stories of the last few days from the database (and,
        with `alerts`, notes the stories that may owe alerts)."""
        # (built here, before any batch's transaction, rather than inside the first to hold French)
        prepare_bilingual()
        matcher = StoryMatcher()
        recent = await articles.recent((now or datetime.now(UTC)) - WINDOW)
        for article in recent:
            _remember(matcher, article)
        return cls(articles, matcher, alerts, metrics, read_up_to=max((a.id for a in recent), default=0))

    async def _catch_up(self, now: datetime) -> None:
        """The matcher learns the recent articles other processes stored since it last read
        (a headline retelling one of them joins its story, and alerts nobody again).  Two
        processes storing the same story in the same instant, each in its own transaction,
        still see nothing of each other: one polls the feeds at a time, so that is rare."""
        stored = await self.articles.recent(now - WINDOW, after_id=self._read_up_to)
        if not stored:
            return
        for article in stored:
            if article.id not in self._own:
                _remember(self._matcher, article)
        self._read_up_to = max(self._read_up_to, max(article.id for article in stored))
        self._own = {article_id for article_id in self._own if article_id > self._read_up_to}

    async def add_many(self, batch: Sequence[NewArticle], fetched_at: datetime | None = None) -> list[int | None]:
        """Store a batch (see ArticleStore.add_many): each article's new id, or None for a
        duplicate.  `fetched_at` defaults to the time it is stored.

        Group commit: batches that arrive while another is being written wait, then go in
        together, in one transaction, in the order they came.  A group that fails for any
        reason but the database refusing writes is tried again batch by batch, so that one bad
        batch fails alone.
        """
        waiting = _Waiting(list(batch), fetched_at, asyncio.get_running_loop().create_future())
        self._waiting.append(waiting)
        try:
            async with self._writing:
                # Unless an earlier writer took this batch along, the groups ahead of it and
                # then its own are written now.
                while not waiting.ids.done():
                    await self._write(self._next_group())
        except asyncio.CancelledError:
            if waiting in self._waiting:  # its caller is gone: not stored by anyone else
                self._waiting.remove(waiting)
            else:  # taken into a group being written: how that ends is nobody's business now
                waiting.ids.add_done_callback(_outcome_read)
            raise
        return waiting.ids.result()

    def _next_group(self) -> list[_Waiting]:
        """The first batch waiting and the ones behind it with the same fetch time, up to the size."""
        first = self._waiting[0]
        group: list[_Waiting] = []
        size = 0
        for waiting in self._waiting:
            if group and (waiting.fetched_at != first.fetched_at or size + len(waiting.batch) > GROUP_ARTICLES):
                break
            group.append(waiting)
            size += len(waiting.batch)
        del self._waiting[: len(group)]
        return group

    async def _write(self, group: list[_Waiting]) -> None:
        try:
            ids = await self._store([a for waiting in group for a in waiting.batch], group[0].fetched_at)
        except StorageUnavailable as refused:
            for waiting in group:
                waiting.ids.set_exception(refused)
        except Exception as error:
            if len(group) == 1:
                group[0].ids.set_exception(error)
            else:
                for waiting in group:
                    await self._write([waiting])
        else:
            self.metrics.articles_stored(sum(1 for i in ids if i is not None))
            start = 0
            for waiting in group:
                waiting.ids.set_result(ids[start : start + len(waiting.batch)])
                start += len(waiting.batch)
        finally:
            # Cancelled (the bot is stopping): what was not stored is cancelled with it.
            for waiting in group:
                if not waiting.ids.done():
                    waiting.ids.cancel()

    async def _store(self, batch: list[NewArticle], fetched_at: datetime | None) -> list[int | None]:
        fetched = fetched_at or datetime.now(UTC)
        batch = [as_arrived(article, fetched) for article in batch]
        assigned: list[int] = []

        def story_of(article_id: int, article: NewArticle) -> int:
            assigned.append(article_id)
            key = article.story_key or article_story_key(article.title, article.body, article.summary)
            return self._matcher.assign(article_id, key, article.published_at or fetched)

        def owes_alerts(article_id: int, story_id: int, article: NewArticle) -> bool:
            return self._owes_alerts(article_id, story_id, article, fetched)

        await self._catch_up(fetched)
        try:
            ids = await self.articles.add_many(
                batch, fetched, story_of=story_of, owes_alerts=owes_alerts if self.alerts else None, refile=refiling
            )
        except BaseException:
            # The transaction was rolled back, and its ids will be given again: the matcher
            # must not file later headlines under stories that were never stored.  (Cancelled
            # at shutdown during its COMMIT, the batch may be stored after all: forgetting it
            # then costs only a story match in a process that is ending.)
            self._matcher.forget(assigned)
            raise
        stored = sorted(article_id for article_id in ids if article_id is not None)
        if stored and stored[0] == self._read_up_to + 1 and stored[-1] - stored[0] == len(stored) - 1:
            # The ids right after the last one read are all this batch's: nobody else stored
            # anything since, and there is nothing to read back (an import's every batch).
            self._read_up_to = stored[-1]
        else:
            self._own.update(stored)
        return ids

    def _owes_alerts(self, article_id: int, story_id: int, article: NewArticle, fetched: datetime) -> bool:
        """Whether a new article may owe alerts: it begins a story (another source's version of
        a story already told alerts nobody) and is fresh news (not published a day before it
        reached us).  Who is owed what is matched later, by the alert service."""
        if story_id != article_id:
            return False
        return fetched - (article.published_at or fetched) <= ALERT_FRESHNESS


def _remember(matcher: StoryMatcher, article: Article) -> None:
    """`matcher` knows the stored `article`, filed under its story."""
    key = article_story_key(article.title, article.body, article.summary)
    matcher.add(article.id, article.story_id or article.id, key, article.shown_at)


async def index_missing(articles: ArticleStore, progress: Callable[[int], None] | None = None) -> int:
    """Index the articles stored without their search entry (by older versions, or copied by
    `akhbar db copy`); returns how many.  `progress` is told how many so far, batch by batch."""
    done = 0
    while batch := await articles.unindexed():
        await articles.index_many([(article_id, index_text(title, body)) for article_id, title, body in batch])
        done += len(batch)
        if progress is not None:
            progress(done)
    return done


# Articles indexed again in one transaction, and how often the progress is logged.
REINDEX_BATCH = 200
REINDEX_LOG_SECONDS = 30.0


def _index_texts(rows: Sequence[tuple[int, str, str]]) -> list[tuple[int, SearchText]]:
    return [(article_id, index_text(title, body)) for article_id, title, body in rows]


async def reindex_search(
    articles: ArticleStore, batch: int = REINDEX_BATCH, rest: float = 1.0,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Index every stored article again when the search index was made by another analyser
    than this code's (news.search.ANALYSER_VERSION: an upgrade that reads words otherwise);
    how many articles were.  A batch at a time, in order of id, each batch in a transaction
    with the mark of how far it went: cut short (a crash, a stop), it goes on from there next
    time.  Searches read the index as it was until the new one is whole (SQLite) or each entry
    as it is replaced (PostgreSQL); articles stored meanwhile are indexed as they come, by
    this code.  Several processes may run it: a batch another wrote first is not written again.
    The words are read in a thread, and after each batch it rests `rest` times as long as the
    batch took: replies, alerts and ingestion keep most of the process.  `progress` is told
    (the last id done, how many so far) after each batch."""
    version, _ = await articles.search_analyser()
    if version >= ANALYSER_VERSION:  # this code's, or a newer one's (not this process's to undo)
        return 0
    after = await articles.begin_reindex()
    log.info("search index: made by analyser %s, indexing the articles again (analyser %s) from id %s",
             version, ANALYSER_VERSION, after)
    done = 0
    started = logged = time.monotonic()
    while True:
        began = time.monotonic()
        rows = await articles.texts_after(after, batch)
        if not rows:
            if await articles.end_reindex(ANALYSER_VERSION, after):
                break
        elif await articles.reindex(await asyncio.to_thread(_index_texts, rows), after):
            after, done = rows[-1][0], done + len(rows)
            if progress is not None:
                progress(after, done)
            if time.monotonic() - logged >= REINDEX_LOG_SECONDS:
                logged = time.monotonic()
                log.info("search index: indexed again up to article %s (%s this run, %.0f a second)",
                         after, done, done / (time.monotonic() - started))
            await asyncio.sleep(rest * (time.monotonic() - began))
            continue
        # Another process moved on, or finished, or articles came after the last batch.
        version, mark = await articles.search_analyser()
        if version >= ANALYSER_VERSION:
            break
        after = await articles.begin_reindex() if mark is None else mark
    log.info("search index: every article indexed by analyser %s (%s this run)", ANALYSER_VERSION, done)
    return done


def _outcome_read(ids: asyncio.Future[list[int | None]]) -> None:
    """Marks a failed batch's error as seen, so that asyncio does not log it as forgotten."""
    if not ids.cancelled():
        ids.exception()
