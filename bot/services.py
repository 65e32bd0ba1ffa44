"""The long-lived objects the handlers use, opened once per process and closed at exit."""

from __future__ import annotations

from dataclasses import dataclass

from bot.config import Settings
from storage.articles import ArticleRepository
from storage.chats import ChatRepository
from storage.db import Database


@dataclass(slots=True)
class Services:
    settings: Settings
    db: Database
    articles: ArticleRepository
    chats: ChatRepository

    @classmethod
    async def open(cls, settings: Settings) -> Services:
        db = await Database(settings.db_path).open()
        return cls(settings=settings, db=db, articles=ArticleRepository(db), chats=ChatRepository(db))

    async def close(self) -> None:
        await self.db.close()
