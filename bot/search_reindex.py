"""The job that indexes the archive again for search after an upgrade that reads words
otherwise (news.ingest.reindex_search): in the background, a batch at a time, so that start-up,
replies, alerts and ingestion go on meanwhile; a run cut short (a stop, a crash, the database
out of reach) goes on from its last batch at the next tick."""

from __future__ import annotations

from bot.single_run import SingleRun
from news.ingest import reindex_search
from news.repositories import ArticleStore

# How often a tick looks, until the index is this code's (one read).
REINDEX_TICK_SECONDS = 60


class SearchReindex:
    def __init__(self, articles: ArticleStore) -> None:
        self._articles = articles
        self._run = SingleRun(self._reindex, "search-reindex")
        self._done = False

    @property
    def done(self) -> bool:
        """Whether this process found the index this code's (made again, or already)."""
        return self._done

    async def tick(self, _context: object = None) -> None:
        """The JobQueue callback: start the reindex unless it is under way or done."""
        if not self._done:
            self._run.start()

    async def _reindex(self) -> None:
        await reindex_search(self._articles)
        self._done = True

    async def stop(self) -> None:
        """Shutdown: the batch under way is rolled back, and done again by the next run."""
        await self._run.stop()
