"""The last days' activity, for the admins' /stats chart and `akhbar stats`."""

from __future__ import annotations

from news.activity import DAYS, TOP_SOURCES, Activity, first_day, series
from news.repositories import ActivityStore
from news.services.clock import Clock


class ActivityService:
    def __init__(self, store: ActivityStore, clock: Clock) -> None:
        self._store, self._clock = store, clock

    async def last_days(self, days: int = DAYS, top: int = TOP_SOURCES) -> Activity:
        """Articles per day by source (the `top` sources, the rest as "other"), readers, digests
        and alerts per day, over the `days` UTC days that end today."""
        now = self._clock()
        return series(await self._store.daily(first_day(now, days)), now, days, top)
