"""Storing new articles: the one road every source takes into the archive.

`Ingestor.add_many` stores a batch: storage de-duplicates, indexes and files each new article
under its story in one transaction, a headline that retells one stored in the last few days
joining that story instead of standing alone.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from news.search import index_text
from news.stories import WINDOW, StoryMatcher
from storage.articles import ArticleRepository
from storage.records import NewArticle


class Ingestor:
    def __init__(self, articles: ArticleRepository, matcher: StoryMatcher) -> None:
        self.articles = articles
        self._matcher = matcher

    @classmethod
    async def open(cls, articles: ArticleRepository, now: datetime | None = None) -> Ingestor:
        """An ingestor that remembers the stories of the last few days from the database."""
        matcher = StoryMatcher()
        for article in await articles.recent((now or datetime.now(UTC)) - WINDOW):
            matcher.add(article.id, article.story_id or article.id, article.title, article.shown_at)
        return cls(articles, matcher)

    async def add_many(self, batch: Sequence[NewArticle], fetched_at: datetime | None = None) -> list[int | None]:
        fetched = fetched_at or datetime.now(UTC)
        assigned: list[int] = []

        def story_of(article_id: int, article: NewArticle) -> int:
            assigned.append(article_id)
            return self._matcher.assign(article_id, article.title, article.published_at or fetched)

        try:
            return await self.articles.add_many(batch, fetched, story_of=story_of)
        except BaseException:
            # The transaction was rolled back, and its ids will be given again: the matcher
            # must not file later headlines under stories that were never stored.
            self._matcher.forget(assigned)
            raise


async def index_missing(articles: ArticleRepository) -> int:
    """Index the articles that older versions stored before search existed; returns how many."""
    done = 0
    while batch := await articles.unindexed():
        await articles.index_many([(article_id, index_text(title, body)) for article_id, title, body in batch])
        done += len(batch)
    return done
