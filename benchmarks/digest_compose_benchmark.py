"""Composing the morning's digests for 100,000 subscribers, next to composing one.

    python benchmarks/digest_compose_benchmark.py [--subscribers 100000] [--articles 3000]

Builds a database with the real schema: a day's worth of articles (topics from the real
classifier) and subscribers spread over zones, digest times, topic choices and languages as a
real audience would be, all due now.  Then it runs the digest engine's real dry run — paging
through the due chats, composing and rendering each distinct digest once — and times it next
to the same dry run for a single subscriber, in the same process.  Target (issue 4): 100,000
digests composed in under 30 s here.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sqlite3
import sys
import tempfile
import time
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from telegram import Bot  # noqa: E402

from bot.config import load_settings  # noqa: E402
from bot.digests import DigestEngine  # noqa: E402
from bot.services import Services  # noqa: E402
from news.articles import make_article  # noqa: E402
from news.ingest import Ingestor  # noqa: E402
from news.schedule import next_due_utc  # noqa: E402
from storage.articles import ArticleRepository  # noqa: E402
from storage.db import Database  # noqa: E402

# Late in the day, so that every subscriber's time today has come; the dry run is told to
# treat none as stale, so that all 100,000 digests are composed.
NOW = datetime(2026, 12, 1, 23, 30, tzinfo=UTC)
STAMP = "2026-11-01T00:00:00Z"
ZONES = ["Africa/Algiers"] * 8 + ["Europe/Paris", "Europe/London", "Africa/Tunis", "Asia/Dubai", "America/Montreal"]
TIMES = ["06:00", "06:30", "07:00", "07:00", "07:00", "07:30", "08:00", "12:00", "18:00", "21:00"]
TOPIC_CHOICES = [(), (), (), ("sports",), ("economy", "politics"), ("world",), ("sports", "culture"), ("weather",),
                 ("health", "society"), ("technology",), ("religion",), ("security", "politics", "world")]


def headlines(count: int, rng: random.Random) -> list[str]:
    seeds = [line.split('"title": "')[1].split('"')[0]
             for line in (ROOT / "bot" / "demo_data" / "articles.jsonl").read_text(encoding="utf-8").splitlines()]
    return [f"{rng.choice(seeds)} ({i})" for i in range(count)]


async def build(path: Path, subscribers: int, articles: int, rng: random.Random) -> None:
    async with Database(path) as db:
        ingestor = await Ingestor.open(ArticleRepository(db), now=NOW)
        titles = headlines(articles, rng)
        for first in range(0, articles, 500):
            batch = [make_article(title=t, source=f"s{i % 7}") for i, t in enumerate(titles[first:first + 500])]
            await ingestor.add_many(batch, fetched_at=NOW - timedelta(hours=rng.uniform(1, 30)))
    rows = []
    for chat_id in range(1, subscribers + 1):
        tz, at = rng.choice(ZONES), rng.choice(TIMES)
        local = datetime.strptime(at, "%H:%M").time()
        due = next_due_utc(local, tz, NOW - timedelta(days=1))  # today's instant, already past
        rows.append((chat_id, "private", rng.choice(["ar", "ar", "ar", "fr", "en"]), tz, at,
                     due.strftime("%Y-%m-%dT%H:%M:%SZ"), ",".join(rng.choice(TOPIC_CHOICES)), STAMP, STAMP))
    conn = sqlite3.connect(path)
    with conn:
        conn.executemany(
            "INSERT INTO chats (id, type, lang, tz, digest_time, next_due_utc, topics, created_at, updated_at, subscribed) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1)",
            rows,
        )
    conn.close()


async def dry_run(path: Path, only_chat: int | None = None):
    settings = load_settings({})
    settings = replace(settings, db_path=str(path), digest_stale_hours=24)
    services = await Services.open(settings)
    services.clock = lambda: NOW
    try:
        engine = DigestEngine(Bot("0:benchmark-no-network-needed"), services)
        start = time.perf_counter()
        report = await engine.run_due(dry_run=True, only_chat=only_chat)
        return time.perf_counter() - start, report
    finally:
        await services.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subscribers", type=int, default=100_000)
    parser.add_argument("--articles", type=int, default=3_000)
    args = parser.parse_args()
    rng = random.Random(2026)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "digests.db"
        started = time.perf_counter()
        asyncio.run(build(path, args.subscribers, args.articles, rng))
        built_in = time.perf_counter() - started
        print(f"built {args.articles:,} articles and {args.subscribers:,} due subscribers in {built_in:.0f} s")
        one_seconds, one = asyncio.run(dry_run(path, only_chat=1))
        all_seconds, everyone = asyncio.run(dry_run(path))
    print(f"one subscriber:   {one_seconds * 1000:8.1f} ms   ({len(one.planned)} digest)")
    print(f"all subscribers:  {all_seconds:8.2f} s    ({len(everyone.planned):,} digests, "
          f"{everyone.compositions} distinct compositions, {everyone.skipped} stale)")
    print(f"per digest: {all_seconds / max(1, len(everyone.planned)) * 1e6:.0f} µs; "
          f"all / one = {all_seconds / one_seconds:.0f}x for {len(everyone.planned):,}x the digests")
    print(f"target < 30 s: {'met' if all_seconds < 30 else 'MISSED'}")


if __name__ == "__main__":
    main()
