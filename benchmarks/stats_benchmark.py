"""/stats's chart at archive scale: the daily counts' query, the drawing, and the event loop
while a chart is drawn.

    python benchmarks/stats_benchmark.py [--articles 300000] [--deliveries 1500000] [--pg URL]

Builds a database with the real schema (migrations) and a year of generated history: articles
from 40 sources (a few busy, most quiet), 100,000 chats (some gone inactive), digests sent to
about 4,000 chats a day, alerts.  Then, in the same run:
  - ActivityRepository.daily over 30 days (what /stats reads), next to the same counts over
    the whole year (30 days must cost about their share of it, not the whole), and
    ChatRepository.sent_on for one day, next to the query it used before (substr(sent_at)
    = day: every delivery read);
  - draw_png of those 30 days (CPU seconds, in this process);
  - the event loop's lateness (a 10 ms ticker's delay) with no chart drawn, while the bot's
    ChartDrawer draws charts in its worker process, and, for comparison, while the same
    charts are drawn on the loop itself.
With --pg URL (a PostgreSQL database the role can create schemas in) the query figures are
measured on PostgreSQL too, in a schema of its own dropped at the end.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sqlite3
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.charts import ChartDrawer, draw_png, labels_for  # noqa: E402
from news.activity import first_day, series  # noqa: E402
from storage.activity import ActivityRepository  # noqa: E402
from storage.chats import ChatRepository  # noqa: E402
from storage.connect import open_database  # noqa: E402
from storage.engine import Database  # noqa: E402

NOW = datetime(2026, 12, 5, 9, 0, tzinfo=UTC)
DAYS_OF_HISTORY = 365
CHATS = 100_000
SOURCES = [f"مصدر {i}" for i in range(40)]


def text(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def rows(articles: int, deliveries: int, rng: random.Random) -> dict[str, list[tuple]]:
    """A year of history, as rows of the tables the counts read."""
    start = NOW - timedelta(days=DAYS_OF_HISTORY)
    span = int((NOW - start).total_seconds())
    weights = [1 / (rank + 1) for rank in range(len(SOURCES))]  # a few sources write most
    sources = rng.choices(SOURCES, weights, k=articles)
    article_rows = [
        (i, f"عنوان {i}", f"عنوان {i}", source, text(start + timedelta(seconds=rng.randrange(span))), f"h{i}")
        for i, source in enumerate(sources, 1)
    ]
    chat_rows = []
    for chat_id in range(1, CHATS + 1):
        created = start - timedelta(days=30) + timedelta(seconds=rng.randrange(span))
        gone = rng.random() < 0.1
        inactive_at = text(created + (NOW - created) * rng.random()) if gone else None
        chat_rows.append((chat_id, "private", "Africa/Algiers", "07:00", 1, 0 if gone else 1, inactive_at,
                          text(created), text(created)))
    per_day = deliveries // DAYS_OF_HISTORY
    delivery_rows = []
    for back in range(DAYS_OF_HISTORY):
        day = (NOW - timedelta(days=back)).date()
        sent = datetime(day.year, day.month, day.day, 6, tzinfo=UTC)
        for chat_id in rng.sample(range(1, CHATS + 1), per_day):
            state = "sent" if rng.random() < 0.93 else rng.choice(("empty", "failed", "skipped"))
            delivery_rows.append((chat_id, day.isoformat(), text(sent), state,
                                  text(sent + timedelta(seconds=rng.randrange(3600)))))
    alert_rows = [
        (i, rng.randrange(1, CHATS + 1), i, i, "كلمة", "sent", text(start + timedelta(seconds=rng.randrange(span))))
        for i in range(1, deliveries // 7 + 1)
    ]
    return {"articles": article_rows, "chats": chat_rows, "deliveries": delivery_rows, "alerts": alert_rows}


COLUMNS = {
    "articles": ("id", "title", "title_key", "source", "fetched_at", "content_hash"),
    "chats": ("id", "type", "tz", "digest_time", "subscribed", "active", "inactive_at", "created_at", "updated_at"),
    "deliveries": ("chat_id", "local_date", "due_utc", "state", "sent_at"),
    "alerts": ("id", "chat_id", "story_id", "article_id", "matched", "state", "sent_at"),
}


async def load_sqlite(path: Path, data: dict[str, list[tuple]]) -> None:
    await (await open_database(None, str(path))).close()  # migrated
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA synchronous = OFF")
    for table, columns in COLUMNS.items():
        extra = ", created_at" if table == "alerts" else ""
        values = ", ?" if table == "alerts" else ""
        conn.executemany(
            f"INSERT INTO {table} ({', '.join(columns)}{extra}) VALUES ({', '.join('?' * len(columns))}{values})",
            [(*row, row[-1]) for row in data[table]] if table == "alerts" else data[table],
        )
    conn.commit()
    conn.close()


async def load_postgres(url: str, data: dict[str, list[tuple]]) -> None:
    import asyncpg

    await (await open_database(url, "")).close()  # migrated
    conn = await asyncpg.connect(url)
    try:
        for table, columns in COLUMNS.items():
            records = [(*row, row[-1]) for row in data[table]] if table == "alerts" else data[table]
            names = [*columns, "created_at"] if table == "alerts" else list(columns)
            await conn.copy_records_to_table(table, records=records, columns=names)
        await conn.execute("VACUUM ANALYZE")  # the steady state autovacuum brings
    finally:
        await conn.close()


async def timed(call: Callable[[], Awaitable[object]], runs: int) -> tuple[float, float]:
    """(median, best) seconds of `runs` calls, after one to warm the caches."""
    await call()
    seconds = []
    for _ in range(runs):
        start = time.perf_counter()
        await call()
        seconds.append(time.perf_counter() - start)
    return statistics.median(seconds), min(seconds)


async def queries(db: Database, label: str, runs: int) -> None:
    repo, chats = ActivityRepository(db), ChatRepository(db)
    since = first_day(NOW)
    yesterday = (NOW - timedelta(days=1)).strftime("%Y-%m-%d")
    daily = await timed(lambda: repo.daily(since), runs)
    whole = await timed(lambda: repo.daily(first_day(NOW, DAYS_OF_HISTORY + 1)), runs)
    sent_on = await timed(lambda: chats.sent_on(yesterday), runs)
    old_sent_on = await timed(lambda: db.fetch(
        "SELECT count(*) FROM deliveries WHERE state = 'sent' AND substr(sent_at, 1, 10) = ?", (yesterday,)), runs)
    print(f"{label}: daily counts over 30 days median {daily[0] * 1000:.1f} ms (best {daily[1] * 1000:.1f}); "
          f"the same counts over the whole year {whole[0] * 1000:.1f} ms (ratio {daily[0] / whole[0]:.2f}; "
          f"30 days are {30 / (DAYS_OF_HISTORY + 1):.2f} of it)")
    print(f"{label}: sent_on one day {sent_on[0] * 1000:.2f} ms; as it was (substr of every delivery) "
          f"{old_sent_on[0] * 1000:.1f} ms ({old_sent_on[0] / sent_on[0]:.0f}x)")


async def lateness(during: Callable[[], Awaitable[None]] | None, seconds: float) -> list[float]:
    """How late a 10 ms ticker wakes, in ms, while `during` runs (or for `seconds` idle)."""
    late: list[float] = []
    stop = asyncio.Event()

    async def ticker() -> None:
        loop = asyncio.get_running_loop()
        while not stop.is_set():
            due = loop.time() + 0.01
            await asyncio.sleep(0.01)
            late.append((loop.time() - due) * 1000)

    task = asyncio.create_task(ticker())
    if during is None:
        await asyncio.sleep(seconds)
    else:
        await during()
    stop.set()
    await task
    return late


def summary(late: list[float]) -> str:
    ordered = sorted(late)
    p99 = ordered[int(len(ordered) * 0.99) - 1]
    return f"p50 {statistics.median(ordered):.1f} ms, p99 {p99:.1f} ms, max {ordered[-1]:.1f} ms ({len(ordered)} ticks)"


def worst(late: list[float]) -> str:
    return f"max {max(late):.0f} ms ({len(late)} ticks in all)"


async def drawing(db: Database, charts: int) -> None:
    activity = series(await ActivityRepository(db).daily(first_day(NOW)), NOW)
    labels = labels_for("ar")
    draw_png(activity, labels)  # fonts and caches warm, as in a worker after its first chart
    cpu = []
    for _ in range(5):
        start = time.process_time()
        png = draw_png(activity, labels)
        cpu.append(time.process_time() - start)
    print(f"draw_png: median {statistics.median(cpu):.2f} s of CPU (best {min(cpu):.2f}), {len(png):,} bytes")

    # Each chart of other figures, so that none is given again from the drawer's last one.
    variants = [series(await ActivityRepository(db).daily(first_day(NOW)), NOW - timedelta(hours=24 * i), top=6)
                for i in range(charts)]
    drawer = ChartDrawer()
    try:
        await drawer.png(variants[0], labels)  # the worker process started, matplotlib imported

        async def in_worker() -> None:
            for activity in variants[1:]:
                await drawer.png(activity, labels)

        async def on_loop() -> None:
            for activity in variants[1:]:
                draw_png(activity, labels)
                await asyncio.sleep(0)

        start = time.perf_counter()
        worker = await lateness(in_worker, 0)
        took = time.perf_counter() - start
        idle = await lateness(None, took)
        blocking = await lateness(on_loop, 0)
    finally:
        await drawer.close()
    print(f"event loop, idle: {summary(idle)}")
    print(f"event loop, {charts - 1} charts drawn by the ChartDrawer ({took:.1f} s): {summary(worker)}")
    print(f"event loop, the same charts drawn on the loop: {worst(blocking)}")


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=300_000)
    parser.add_argument("--deliveries", type=int, default=1_500_000)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--charts", type=int, default=6)
    parser.add_argument("--pg", metavar="URL", help="also measure the queries on PostgreSQL")
    args = parser.parse_args()
    rng = random.Random(16)
    start = time.perf_counter()
    data = rows(args.articles, args.deliveries, rng)
    print(f"{len(data['articles']):,} articles, {len(data['chats']):,} chats, {len(data['deliveries']):,} deliveries, "
          f"{len(data['alerts']):,} alerts over {DAYS_OF_HISTORY} days, to {date.isoformat(NOW.date())} "
          f"(generated in {time.perf_counter() - start:.0f} s)")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "stats.db"
        await load_sqlite(path, data)
        db = await open_database(None, str(path))
        try:
            await queries(db, "SQLite", args.runs)
            await drawing(db, args.charts)
        finally:
            await db.close()
    if args.pg:
        import asyncpg

        schema = f"stats_bench_{uuid.uuid4().hex[:8]}"
        admin = await asyncpg.connect(args.pg)
        await admin.execute(f"CREATE SCHEMA {schema}")
        try:
            parts = urlsplit(args.pg)
            url = urlunsplit(parts._replace(query="&".join(filter(None, [parts.query, f"search_path={schema}"]))))
            await load_postgres(url, data)
            db = await open_database(url, "")
            try:
                await queries(db, "PostgreSQL", args.runs)
            finally:
                await db.close()
        finally:
            await admin.execute(f"DROP SCHEMA {schema} CASCADE")
            await admin.close()


if __name__ == "__main__":
    asyncio.run(main())
