"""Articles and their topics: the only code that reads or writes them in SQL."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable
from datetime import UTC, datetime

import aiosqlite

from storage.db import Database, parse_utc_text, utc_text
from storage.records import Article, NewArticle

_COLUMNS = "a.id, a.title, a.body, a.summary, a.url, a.source, a.published_at, a.fetched_at, a.lang"
# Topics come back as one comma-joined column, so a listing is one query, not one per row.
_TOPICS = "(SELECT group_concat(topic, ',') FROM article_topics t WHERE t.article_id = a.id) AS topics"
_NEWEST = "ORDER BY coalesce(a.published_at, a.fetched_at) DESC, a.id DESC"


def _article(row: aiosqlite.Row) -> Article:
    topics = row["topics"]
    return Article(
        id=row["id"],
        title=row["title"],
        body=row["body"],
        summary=row["summary"],
        url=row["url"],
        source=row["source"],
        published_at=parse_utc_text(row["published_at"]),
        fetched_at=parse_utc_text(row["fetched_at"]),
        lang=row["lang"],
        topics=tuple(sorted(topics.split(","))) if topics else (),
    )


class ArticleRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def add_many(
        self, articles: Iterable[NewArticle], fetched_at: datetime | None = None
    ) -> list[int | None]:
        """Store each article unless it is a duplicate; one transaction for the whole batch.

        Returns, for each article in order, its new id, or None when an article with the same
        URL, or the same source and normalized title, is already stored.
        """
        fetched = utc_text(fetched_at or datetime.now(UTC))
        ids: list[int | None] = []
        async with self._db.transaction() as conn:
            for article in articles:
                cursor = await conn.execute(
                    """
                    INSERT INTO articles (title, title_key, body, summary, url, source,
                                          published_at, fetched_at, lang, content_hash)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT DO NOTHING
                    """,
                    (
                        article.title,
                        article.title_key,
                        article.body,
                        article.summary,
                        article.url,
                        article.source,
                        utc_text(article.published_at) if article.published_at else None,
                        fetched,
                        article.lang,
                        article.content_hash,
                    ),
                )
                if cursor.rowcount == 0:
                    ids.append(None)
                    continue
                article_id = cursor.lastrowid
                await conn.executemany(
                    "INSERT INTO article_topics (article_id, topic) VALUES (?, ?)",
                    [(article_id, topic) for topic in dict.fromkeys(article.topics)],
                )
                ids.append(article_id)
        return ids

    async def add(self, article: NewArticle, fetched_at: datetime | None = None) -> int | None:
        (article_id,) = await self.add_many([article], fetched_at)
        return article_id

    async def get(self, article_id: int) -> Article | None:
        async with self._db.conn.execute(
            f"SELECT {_COLUMNS}, {_TOPICS} FROM articles a WHERE a.id = ? AND NOT a.hidden",
            (article_id,),
        ) as cursor:
            row = await cursor.fetchone()
        return _article(row) if row else None

    async def latest(self, limit: int, topic: str | None = None) -> list[Article]:
        """The newest visible articles, optionally only those filed under `topic`."""
        if topic is None:
            sql = f"SELECT {_COLUMNS}, {_TOPICS} FROM articles a WHERE NOT a.hidden {_NEWEST} LIMIT ?"
            params: tuple = (limit,)
        else:
            sql = (
                f"SELECT {_COLUMNS}, {_TOPICS} FROM articles a "
                "JOIN article_topics t ON t.article_id = a.id AND t.topic = ? "
                f"WHERE NOT a.hidden {_NEWEST} LIMIT ?"
            )
            params = (topic, limit)
        async with self._db.conn.execute(sql, params) as cursor:
            return [_article(row) for row in await cursor.fetchall()]

    async def topic_counts(self) -> dict[str, int]:
        """How many visible articles each topic has (topics with none are absent)."""
        async with self._db.conn.execute(
            "SELECT t.topic, count(*) FROM article_topics t "
            "JOIN articles a ON a.id = t.article_id WHERE NOT a.hidden GROUP BY t.topic"
        ) as cursor:
            return {topic: count for topic, count in await cursor.fetchall()}

    async def count(self) -> int:
        async with self._db.conn.execute("SELECT count(*) FROM articles") as cursor:
            (total,) = await cursor.fetchone()
        return total

    async def iter_all(self, batch: int = 500) -> AsyncIterator[Article]:
        """Every article, hidden ones too, oldest id first: the export's source."""
        last_id = 0
        while True:
            async with self._db.conn.execute(
                f"SELECT {_COLUMNS}, {_TOPICS} FROM articles a WHERE a.id > ? ORDER BY a.id LIMIT ?",
                (last_id, batch),
            ) as cursor:
                rows = await cursor.fetchall()
            if not rows:
                return
            for row in rows:
                yield _article(row)
            last_id = rows[-1]["id"]
