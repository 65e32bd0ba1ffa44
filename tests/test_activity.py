"""The daily figures behind /stats's chart: storage's counts on both engines, and the series
the admins see (30 aligned days, the top sources and "other", readers day by day)."""

from datetime import UTC, date, datetime, time, timedelta

import pytest

from news.activity import DailyCounts, first_day, series
from news.articles import make_article
from news.model import DeliveryOutcome, NewAlert
from news.services import ActivityService, Clock
from storage.activity import ActivityRepository
from storage.articles import ArticleRepository
from storage.chats import ChatRepository

NOW = datetime(2026, 12, 5, 9, 30, tzinfo=UTC)


def counts(**rows) -> DailyCounts:
    empty = {"articles": [], "readers_before": 0, "joined": [], "left": [], "digests": [], "alerts": []}
    return DailyCounts(**{**empty, **rows})


def test_thirty_days_end_today_with_zeros_where_nothing_happened():
    activity = series(counts(digests=[("2026-12-05", 4), ("2026-11-06", 2)], alerts=[("2026-12-01", 3)]), NOW)
    assert activity.days[0] == date(2026, 11, 6) == first_day(NOW) and activity.days[-1] == date(2026, 12, 5)
    assert len(activity.days) == len(activity.digests) == len(activity.readers) == 30
    assert activity.digests[0] == 2 and activity.digests[-1] == 4 and sum(activity.digests) == 6
    assert activity.deliveries[-5] == 3 and sum(activity.deliveries) == 9
    assert activity.sources == () and activity.articles == (0,) * 30


def test_the_busiest_sources_are_drawn_apart_and_the_rest_summed_as_other():
    rows = [("2026-12-05", "الشروق", 10), ("2026-12-04", "الشروق", 5), ("2026-12-05", "النهار", 12),
            ("2026-12-05", "واج", 3), ("2026-12-04", "الخبر", 2), ("2026-12-04", "", 1)]
    activity = series(counts(articles=rows), NOW, top=2)
    assert [(s.name, s.total) for s in activity.sources] == [("الشروق", 15), ("النهار", 12), (None, 6)]
    assert activity.sources[0].per_day[-2:] == (5, 10) and activity.sources[2].per_day[-2:] == (3, 3)
    assert activity.articles[-2:] == (8, 25)
    # A tie is broken by name: the same figures always draw the same chart.
    tied = series(counts(articles=[("2026-12-05", "ب", 1), ("2026-12-05", "أ", 1)]), NOW, top=1)
    assert [s.name for s in tied.sources] == ["أ", None]
    # Only as many series as there are sources: no empty "other".
    assert [s.name for s in series(counts(articles=rows[:2]), NOW).sources] == ["الشروق"]


def test_readers_are_the_active_chats_at_the_end_of_each_day():
    activity = series(counts(readers_before=100, joined=[("2026-11-06", 5), ("2026-12-05", 1)],
                             left=[("2026-11-07", 2)]), NOW)
    assert activity.readers[:3] == (105, 103, 103) and activity.readers[-1] == 104


def test_rows_outside_the_days_drawn_are_left_out():
    activity = series(counts(digests=[("2026-12-06", 9), ("2026-11-05", 9)]), NOW)
    assert sum(activity.digests) == 0


async def _at(db, table: str, column: str, moment: datetime, where: str = "1 = 1") -> None:
    await db.execute(f"UPDATE {table} SET {column} = ? WHERE {where}", (moment.strftime("%Y-%m-%dT%H:%M:%SZ"),))


async def test_storage_counts_each_day_on_both_engines(engine_db):
    db = engine_db
    articles, chats = ArticleRepository(db), ChatRepository(db)
    day = timedelta(days=1)
    await articles.add_many([make_article(title="خبر قديم جدا", source="الشروق")], fetched_at=NOW - 40 * day)
    await articles.add_many([make_article(title=f"خبر رقم {i}", source="الشروق") for i in range(3)], fetched_at=NOW)
    await articles.add_many([make_article(title="خبر أمس", source="النهار")], fetched_at=NOW - day)
    await articles.add_many([make_article(title="خبر أول الشهر", source="النهار")], fetched_at=datetime(2026, 11, 6, tzinfo=UTC))
    for chat_id in (1, 2, 3, 4):
        await chats.ensure(chat_id, type="private", title="", lang="ar", tz="Africa/Algiers", digest_time=time(7))
    await _at(db, "chats", "created_at", NOW - 60 * day)  # four readers before the thirty days
    await _at(db, "chats", "created_at", NOW - 2 * day, "id = 4")  # ... but one came two days ago
    await chats.mark_inactive(2, "blocked")
    await _at(db, "chats", "inactive_at", NOW - 45 * day, "id = 2")  # gone before the thirty days
    await chats.mark_inactive(3, "blocked")
    await _at(db, "chats", "inactive_at", NOW - day, "id = 3")  # gone yesterday
    await chats.record_deliveries([
        DeliveryOutcome(1, "2026-12-04", NOW - day, "sent", NOW),
        DeliveryOutcome(3, "2026-12-04", NOW - day, "sent", NOW),
        DeliveryOutcome(4, "2026-12-04", NOW - day, "failed", NOW, error="boom"),  # not a delivery
        DeliveryOutcome(1, "2026-12-05", NOW, "sent", NOW + day),
        DeliveryOutcome(4, "2026-12-05", NOW, "empty", NOW + day),  # nothing sent
    ])
    await _at(db, "deliveries", "sent_at", NOW - day, "local_date = '2026-12-04'")
    await _at(db, "deliveries", "sent_at", NOW, "local_date = '2026-12-05'")
    from storage.alerts import AlertRepository

    alerts = AlertRepository(db)
    (story,) = await articles.add_many([make_article(title="زلزال في الشرق", source="واج")], fetched_at=NOW,
                                       owes_alerts=lambda *_: True)
    await alerts.expand(story, [NewAlert(1, story, story, ("زلزال",)), NewAlert(4, story, story, ("زلزال",))], NOW)
    first, second = await alerts.open()
    await alerts.record_sent([(first.id, "sent", 7), (second.id, "summed", None)], NOW - 3 * day)

    daily = await ActivityRepository(db).daily(first_day(NOW))
    assert sorted(daily.articles) == [("2026-11-06", "النهار", 1), ("2026-12-04", "النهار", 1),
                                      ("2026-12-05", "الشروق", 3), ("2026-12-05", "واج", 1)]
    assert daily.readers_before == 2  # chats 1 and 3
    assert daily.joined == [("2026-12-03", 1)] and daily.left == [("2026-12-04", 1)]
    assert sorted(daily.digests) == [("2026-12-04", 2), ("2026-12-05", 1)]
    assert daily.alerts == [("2026-12-02", 1)]  # a summed alert went in a summary, not on its own
    assert await chats.sent_on("2026-12-04") == 2 and await chats.sent_on("2026-12-05") == 1
    assert await chats.sent_on("2026-12-03") == 0

    activity = await ActivityService(ActivityRepository(db), Clock(lambda: NOW)).last_days()
    assert activity.readers[-4:] == (2, 3, 2, 2) and activity.articles[-2:] == (1, 4)
    assert activity.digests[-2:] == (2, 1) and activity.alerts[-4] == 1


@pytest.mark.parametrize("query", ["daily", "sent_on"])
async def test_the_daily_counts_read_indexes_not_the_whole_history(db, query):
    """On a large archive 30 days must cost what they hold: no query scans articles, chats,
    deliveries or alerts from end to end (SQLite's plan; PostgreSQL has the same indexes)."""
    plans = []
    original = db.fetch, db.fetchrow

    async def explained(sql, params=()):
        plans.append((sql, [tuple(row)[-1] for row in await original[0](f"EXPLAIN QUERY PLAN {sql}", params)]))
        return await original[0](sql, params)

    async def explained_row(sql, params=()):
        rows = await explained(sql, params)
        return rows[0] if rows else None

    db.fetch, db.fetchrow = explained, explained_row
    if query == "daily":
        await ActivityRepository(db).daily(date(2026, 11, 6))
    else:
        await ChatRepository(db).sent_on("2026-12-04")
    assert plans
    for sql, plan in plans:
        for step in plan:
            if any(f" {table} " in f"{step} " for table in ("articles", "deliveries", "alerts", "chats")):
                assert step.startswith("SEARCH") and any(f"{column}{op}?" in step for column in (
                    "sent_at", "fetched_at", "created_at", "inactive_at") for op in "<>"), (sql, plan)
