"""Daily counts across articles, chats, deliveries and alerts: the figures of /stats's chart.

Read-only, and each query is a range scan of an index on the time it counts by (migrations
0006 and 0012: fetched_at with the source for articles, sent_at of what was sent, created_at
and inactive_at of chats), so that 30 days of a large archive cost what those 30 days hold,
not the whole history.  Days are UTC: the
stored times are UTC text ('2026-11-29T06:40:00Z'), whose first ten characters are the day.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from news.activity import DailyCounts
from news.repositories import ActivityStore
from storage.engine import Database


class ActivityRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def daily(self, since: date) -> DailyCounts:
        """Rows counted per UTC day from the start of `since` on."""
        start = since.isoformat()  # sorts before every time of that day
        articles = await self._db.fetch(
            "SELECT substr(fetched_at, 1, 10) AS day, source, count(*) AS n FROM articles "
            "WHERE fetched_at >= ? GROUP BY day, source",
            (start,),
        )
        # Active before: met before, less those lost before (a chat is lost after it is met).
        # Two counts of an index each, where one query over both conditions reads every chat.
        met = await self._db.fetchrow("SELECT count(*) FROM chats WHERE created_at < ?", (start,))
        lost = await self._db.fetchrow("SELECT count(*) FROM chats WHERE active = 0 AND inactive_at < ?", (start,))
        assert met is not None and lost is not None  # an aggregate always gives one row
        joined = await self._per_day("chats", "created_at", "", start)
        left = await self._per_day("chats", "inactive_at", "active = 0 AND ", start)
        digests = await self._per_day("deliveries", "sent_at", "state = 'sent' AND ", start)
        alerts = await self._per_day("alerts", "sent_at", "state = 'sent' AND ", start)
        return DailyCounts(
            articles=[(row[0], row[1], int(row[2])) for row in articles], readers_before=int(met[0]) - int(lost[0]),
            joined=joined, left=left, digests=digests, alerts=alerts,
        )

    async def _per_day(self, table: str, column: str, where: str, start: str) -> list[tuple[str, int]]:
        # `where` repeats its index's condition (alerts_sent_at and chats_inactive_since are partial).
        rows = await self._db.fetch(
            f"SELECT substr({column}, 1, 10) AS day, count(*) FROM {table} WHERE {where}{column} >= ? GROUP BY day",
            (start,),
        )
        return [(row[0], int(row[1])) for row in rows]


if TYPE_CHECKING:
    # mypy holds this class to the interface the news core is written against.
    _conforms: type[ActivityStore] = ActivityRepository
