"""The composition root: every service of a process, built in one place and closed in one.

`Services.open(settings)` opens the database (PostgreSQL at settings.database_url, else the
SQLite file settings.db_path: the services never know which), builds the repositories over it and the news
core's services over those; the bot (post_init / post_shutdown), the CLI and the demo each open
it once and close it once.  Handlers and jobs call the services (reading, subscriptions,
curation, digests, the ingestor and the poller); the repositories are kept here for the
services, and for tests and tools that inspect what was stored.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.config import Settings
from news.feeds import FeedFetcher
from news.ingest import Ingestor, index_missing
from news.metrics import NO_METRICS, Metrics
from news.percolator import Percolator
from news.polling import Poller
from news.repositories import StorageError
from news.search_across import prepare as prepare_search_across
from news.services import (
    ActivityService,
    ChatDefaults,
    Clock,
    CurationService,
    DigestService,
    ReadingService,
    SubscriptionService,
)
from news.services.alerts import AlertService
from news.services.buttons import ButtonService
from news.services.follows import FollowService, load_percolator
from news.services.sharing import SharingService
from news.workers import CpuWorkers
from storage.activity import ActivityRepository
from storage.alerts import AlertRepository
from storage.articles import ArticleRepository
from storage.buttons import ButtonTextRepository
from storage.chats import ChatRepository
from storage.connect import open_database, open_target, same_database
from storage.copy import Copied, Progress, copy_tables
from storage.engine import Database
from storage.follows import FollowRepository
from storage.processes import ProcessRepository
from storage.sources import SourceRepository


@dataclass(slots=True)
class Services:
    settings: Settings
    reading: ReadingService
    # Inline mode's offers (a cache of this process over `reading`).
    sharing: SharingService
    subscriptions: SubscriptionService
    curation: CurationService
    activity: ActivityService
    digests: DigestService
    follows: FollowService
    alerts: AlertService
    buttons: ButtonService
    ingestor: Ingestor
    # Feed polling, with the worker processes that parse feeds: only where it is wanted.
    poller: Poller | None
    # The repositories and the database under the services.
    db: Database
    articles: ArticleRepository
    chats: ChatRepository
    sources: SourceRepository
    processes: ProcessRepository  # the processes sharing the database (bot/processes.py)
    _clock: Clock
    # What the services report for the operator (bot/metrics.py), or nothing.
    metrics: Metrics = NO_METRICS
    _workers: CpuWorkers | None = None
    _fetcher: FeedFetcher | None = None

    @property
    def clock(self) -> Callable[[], datetime]:
        """The one clock every service reads; setting it (tests, benchmarks) moves them all."""
        return self._clock.now

    @clock.setter
    def clock(self, now: Callable[[], datetime]) -> None:
        self._clock.now = now

    @classmethod
    async def open(
        cls, settings: Settings, *, polling: bool = False, follows: bool = True, metrics: Metrics = NO_METRICS
    ) -> Services:
        """Everything over the database `settings` name; with `polling`, the feed poller too.

        Without `follows`, every chat's follows and mutes are not read into the percolator (a
        few seconds at 300,000): for the commands that neither match stories against them nor
        list news for a chat (import, export, search, sources, fetch).  Stories they store are
        still noted for alerts; the bot matches them."""
        db = await open_database(settings.database_url, settings.db_path)
        try:
            articles, chats, sources = ArticleRepository(db), ChatRepository(db), SourceRepository(db)
            await index_missing(articles)
            follows_repository = FollowRepository(db)
            percolator, follows_version = await load_percolator(follows_repository) if follows else (Percolator(), None)
            ingestor = await Ingestor.open(articles, alerts=True, metrics=metrics)
            if follows:  # the bot: its readers' first search in French is not the one to wait
                prepare_search_across()
        except BaseException:
            await db.close()
            raise
        clock = Clock()
        workers = fetcher = poller = None
        if polling:
            workers = CpuWorkers(settings.workers)
            fetcher = FeedFetcher(workers=workers)
            poller = Poller(sources, ingestor, fetcher, clock=clock, metrics=metrics)
        subscriptions = SubscriptionService(chats, clock, ChatDefaults(settings.timezone, settings.digest_time))
        alerts = AlertService(
            AlertRepository(db), chats, articles, clock, percolator, per_hour=settings.alerts_per_hour,
            retention=timedelta(days=settings.alert_retention_days),
        )
        reading = ReadingService(articles, percolator)
        return cls(
            settings=settings,
            reading=reading,
            sharing=SharingService(reading),
            subscriptions=subscriptions,
            curation=CurationService(articles, sources, chats, ingestor, clock, post_source=settings.post_source),
            activity=ActivityService(ActivityRepository(db), clock),
            digests=DigestService(
                articles, chats, clock, cap=settings.digest_cap, staleness=timedelta(hours=settings.digest_stale_hours),
                percolator=percolator, metrics=metrics,
            ),
            follows=FollowService(
                follows_repository, chats, subscriptions, percolator, before_new_follow=alerts.expand_all,
                version=follows_version,
            ),
            alerts=alerts,
            buttons=ButtonService(ButtonTextRepository(db)),
            ingestor=ingestor,
            poller=poller,
            db=db, articles=articles, chats=chats, sources=sources, processes=ProcessRepository(db),
            _clock=clock, metrics=metrics, _workers=workers, _fetcher=fetcher,
        )

    async def close(self) -> None:
        try:
            if self._fetcher is not None:
                await self._fetcher.aclose()
            if self._workers is not None:
                await self._workers.close()
        finally:
            await self.db.close()

    async def __aenter__(self) -> Services:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()


async def schema_version(settings: Settings) -> tuple[str, int]:
    """`akhbar db migrate`: the database `settings` name, migrated (as every start does); its
    label and schema version."""
    db = await open_database(settings.database_url, settings.db_path)
    try:
        return db.label, await db.schema_version()
    finally:
        await db.close()


@dataclass(frozen=True, slots=True)
class CopyReport:
    source: str  # the databases' labels (no password)
    target: str
    tables: list[Copied]
    indexed: int  # articles given their search entry in the target


async def copy_database(
    settings: Settings, target: str, progress: Progress | None = None, indexing: Callable[[int, int], None] | None = None,
) -> CopyReport:
    """`akhbar db copy --to TARGET`: the database `settings` name copied into `target` (a
    postgresql:// URL or a SQLite file), whose search index is then built.  `progress` follows
    the copy table by table, `indexing` the index (articles indexed, articles to index)."""
    if not target.strip():  # SQLite would take "" for a temporary database, gone at the end
        raise StorageError("--to is empty: give a postgresql:// URL or a new SQLite file's path")
    if same_database(settings.database_url, settings.db_path, target):
        raise StorageError("--to names the database being copied; give another one")
    source = await open_database(settings.database_url, settings.db_path)
    try:
        copy = await open_target(target)
        try:
            tables = await copy_tables(source, copy, progress)
            repository = ArticleRepository(copy)
            to_index = await repository.note_unindexed()
            indexed = await index_missing(repository, None if indexing is None else lambda done: indexing(done, to_index))
            return CopyReport(source.label, copy.label, tables, indexed)
        finally:
            await copy.close()
    finally:
        await source.close()
