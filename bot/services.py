"""The long-lived objects the handlers use, opened once per process and closed at exit."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from bot.config import Settings
from news.ingest import Ingestor, index_missing
from storage.articles import ArticleRepository
from storage.chats import ChatRepository
from storage.db import Database
from storage.sources import SourceRepository


def utcnow() -> datetime:
    return datetime.now(UTC)


@dataclass(slots=True)
class Services:
    settings: Settings
    db: Database
    articles: ArticleRepository
    chats: ChatRepository
    ingestor: Ingestor
    sources: SourceRepository
    # The one clock schedules are computed with; tests put a fake one here.
    clock: Callable[[], datetime] = field(default=utcnow)

    @classmethod
    async def open(cls, settings: Settings) -> Services:
        db = await Database(settings.db_path).open()
        try:
            articles = ArticleRepository(db)
            await index_missing(articles)
            ingestor = await Ingestor.open(articles)
        except BaseException:
            await db.close()
            raise
        return cls(
            settings=settings, db=db, articles=articles, chats=ChatRepository(db), ingestor=ingestor,
            sources=SourceRepository(db),
        )

    async def close(self) -> None:
        await self.db.close()
