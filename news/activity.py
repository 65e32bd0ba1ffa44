"""What the bot did, day by day: the figures behind /stats's chart and `akhbar stats`.

Storage counts rows per UTC day (`DailyCounts`, from one repository method); `series` turns
those counts into complete, aligned series over the last N days — days with nothing are
zeros, not gaps — with the most prolific sources apart and the rest summed as "other".
Plain values only (tuples, dates, ints): an `Activity` crosses to the process that draws it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

DAYS = 30
TOP_SOURCES = 6


@dataclass(frozen=True, slots=True)
class DailyCounts:
    """Rows counted per UTC day (YYYY-MM-DD) since a day, as storage gives them."""

    articles: list[tuple[str, str, int]]  # (day, source name, articles fetched)
    readers_before: int  # chats active at the start of the first day
    joined: list[tuple[str, int]]  # (day, chats the bot met for the first time)
    left: list[tuple[str, int]]  # (day, chats that blocked the bot or were deleted, still inactive)
    digests: list[tuple[str, int]]  # (day, digests sent)
    alerts: list[tuple[str, int]]  # (day, alerts sent)


@dataclass(frozen=True, slots=True)
class SourceSeries:
    name: str | None  # None: every other source, summed
    per_day: tuple[int, ...]

    @property
    def total(self) -> int:
        return sum(self.per_day)


@dataclass(frozen=True, slots=True)
class Activity:
    """Aligned series, one value per day of `days` (oldest first, the last one is today)."""

    days: tuple[date, ...]
    sources: tuple[SourceSeries, ...]  # the top sources, most articles first, then "other" if any
    readers: tuple[int, ...]  # chats active at the end of each day
    digests: tuple[int, ...]
    alerts: tuple[int, ...]

    @property
    def articles(self) -> tuple[int, ...]:
        """Articles per day, every source together."""
        return tuple(sum(day) for day in zip(*(s.per_day for s in self.sources), strict=True)) or (0,) * len(self.days)

    @property
    def deliveries(self) -> tuple[int, ...]:
        return tuple(d + a for d, a in zip(self.digests, self.alerts, strict=True))


def first_day(now: datetime, days: int = DAYS) -> date:
    """The first UTC day of the `days` that end with `now`'s."""
    return now.date() - timedelta(days=days - 1)


def series(counts: DailyCounts, now: datetime, days: int = DAYS, top: int = TOP_SOURCES) -> Activity:
    """`counts` (since `first_day(now, days)`) as `days` aligned daily series ending today."""
    span = tuple(first_day(now, days) + timedelta(days=i) for i in range(days))
    index = {day.isoformat(): i for i, day in enumerate(span)}

    def per_day(rows: Iterable[tuple[str, int]]) -> list[int]:
        values = [0] * days
        for day, n in rows:
            if day in index:  # a clock moved back or a row dated ahead: not drawn
                values[index[day]] += n
        return values

    totals: Counter[str] = Counter()
    for _, source, n in counts.articles:
        totals[source] += n
    # Most articles first; a tie goes by name, so that the same data always draws the same.
    ranked = sorted(totals, key=lambda source: (-totals[source], source))
    kept = set(ranked[:top])
    sources = [
        SourceSeries(source, tuple(per_day((day, n) for day, s, n in counts.articles if s == source)))
        for source in ranked[:top]
    ]
    if len(ranked) > top:
        sources.append(SourceSeries(None, tuple(per_day((day, n) for day, s, n in counts.articles if s not in kept))))

    joined, left = per_day(counts.joined), per_day(counts.left)
    readers, active = [], counts.readers_before
    for came, went in zip(joined, left, strict=True):
        active += came - went
        readers.append(active)
    return Activity(
        days=span, sources=tuple(sources), readers=tuple(readers),
        digests=tuple(per_day(counts.digests)), alerts=tuple(per_day(counts.alerts)),
    )
