"""Ingestion: 100,000 feed items through parse → normalize → classify → store → index.

    python benchmarks/ingest_benchmark.py [--items 100000] [--feeds 200]

1. The pipeline: generated RSS documents (the project's own Arabic headlines, varied) are
   parsed (news.feeds.parse_feed), turned into articles (cleaning, normalization, topics,
   wilayas, search text: news.articles.make_article), grouped into stories and stored with
   their FTS5 rows (news.ingest.Ingestor) — items/s — next to a bare `executemany` of the
   same rows into the same articles table, in the same run.  Targets (issue 5): ≥ 3,000
   items/s here, within 10x of the bare insert.
2. A poll round of `--feeds` feeds against a local server that answers 304 to a matching
   If-None-Match, after a first round that fetched them all.  Target: under 5 s.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import sqlite3
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from aiohttp import web  # noqa: E402

from news.articles import make_article  # noqa: E402
from news.feeds import FeedFetcher, parse_feed  # noqa: E402
from news.ingest import Ingestor  # noqa: E402
from news.polling import Poller  # noqa: E402
from storage.articles import ArticleRepository  # noqa: E402
from storage.db import Database  # noqa: E402
from storage.sources import SourceRepository  # noqa: E402

BASE = datetime(2026, 11, 28, tzinfo=UTC)


def headlines() -> list[str]:
    titles = []
    for path in (ROOT / "tests" / "data" / "topics" / "dev.jsonl", ROOT / "bot" / "demo_data" / "articles.jsonl"):
        titles += [json.loads(line)["title"] for line in path.read_text(encoding="utf-8").splitlines()]
    return titles


def rss(feed: int, items: list[tuple[str, str, int]]) -> bytes:
    entries = "".join(
        f"<item><title>{escape(title)}</title><link>https://news{feed}.example.dz/a/{n}?utm_source=rss</link>"
        f"<guid>n{feed}-{n}</guid><pubDate>{format_datetime(BASE + timedelta(seconds=n * 7))}</pubDate>"
        f"<category>أخبار</category><description>{escape(body)}</description></item>"
        for title, body, n in items
    )
    return (f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>مصدر {feed}</title>'
            f"<link>https://news{feed}.example.dz/</link><description>x</description>{entries}</channel></rss>").encode()


def documents(total: int, per_feed: int, rng: random.Random) -> list[bytes]:
    seeds = headlines()
    docs, n = [], 0
    for feed in range(total // per_feed):
        items = []
        for _ in range(per_feed):
            title = f"{rng.choice(seeds)} {n}"  # a number keeps every headline distinct
            body = " ".join(rng.choice(seeds) for _ in range(3))
            items.append((title, body, n))
            n += 1
        docs.append(rss(feed, items))
    return docs


async def pipeline(path: Path, docs: list[bytes]) -> tuple[float, int]:
    start = time.perf_counter()
    stored = 0
    async with Database(path) as db:
        ingestor = await Ingestor.open(ArticleRepository(db), now=BASE)
        for number, doc in enumerate(docs):
            _, items = parse_feed(doc, "application/rss+xml")
            batch = [make_article(title=i.title, body=i.body or i.summary, summary=i.summary, url=i.url,
                                  source=f"مصدر {number}", published_at=i.published_at, categories=i.categories,
                                  guid=i.guid) for i in items]
            stored += sum(1 for article_id in await ingestor.add_many(batch, fetched_at=BASE) if article_id)
    return time.perf_counter() - start, stored


def bare_insert(path: Path, docs: list[bytes]) -> float:
    """The same rows (parsed beforehand, outside the clock), one executemany per feed."""
    rows = []
    for number, doc in enumerate(docs):
        _, items = parse_feed(doc, "application/rss+xml")
        rows += [(i.title, i.title, i.summary, i.summary, i.url, f"مصدر {number}", "2026-11-28T00:00:00Z",
                  "2026-11-28T00:00:00Z", i.guid) for i in items]
    conn = sqlite3.connect(path)
    conn.executescript("CREATE TABLE articles (id INTEGER PRIMARY KEY, title TEXT, title_key TEXT, body TEXT, summary TEXT,"
                       " url TEXT UNIQUE, source TEXT, published_at TEXT, fetched_at TEXT, guid TEXT)")
    start = time.perf_counter()
    with conn:
        for first in range(0, len(rows), 500):
            conn.executemany("INSERT INTO articles (title, title_key, body, summary, url, source, published_at, fetched_at, guid)"
                             " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", rows[first:first + 500])
    seconds = time.perf_counter() - start
    conn.close()
    return seconds


async def poll_rounds(path: Path, feeds: int) -> tuple[float, float, int]:
    """Two poll rounds against a local server; the second is all 304s (counted server-side)."""
    # Descriptions long enough to be the article: no full-text fetch of the (fictional) links.
    text = "نص الخبر كاملا في الخلاصة. " * 20
    bodies = {n: rss(n, [(f"خبر {n}-{i}", text, i) for i in range(20)]) for n in range(feeds)}
    not_modified = 0

    async def feed(request: web.Request) -> web.Response:
        nonlocal not_modified
        n = int(request.match_info["n"])
        if request.headers.get("If-None-Match") == f'"v{n}"':
            not_modified += 1
            return web.Response(status=304, headers={"ETag": f'"v{n}"'})
        return web.Response(body=bodies[n], content_type="application/rss+xml", headers={"ETag": f'"v{n}"'})

    app = web.Application()
    app.router.add_get("/feed/{n}.xml", feed)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]
    try:
        async with Database(path) as db, FeedFetcher() as fetcher:
            sources = SourceRepository(db)
            for n in range(feeds):
                await sources.add(f"http://127.0.0.1:{port}/feed/{n}.xml", first_poll=BASE)
            poller = Poller(sources, await Ingestor.open(ArticleRepository(db)), fetcher)
            start = time.perf_counter()
            await poller.poll(await sources.all())
            first = time.perf_counter() - start
            start = time.perf_counter()
            await poller.poll(await sources.all())
            second = time.perf_counter() - start
    finally:
        await runner.cleanup()
    return first, second, not_modified


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--feeds", type=int, default=200)
    args = parser.parse_args()
    docs = documents(args.items, 100, random.Random(2026))
    with tempfile.TemporaryDirectory() as folder:
        seconds, stored = asyncio.run(pipeline(Path(folder) / "pipeline.db", docs))
        bare = bare_insert(Path(folder) / "bare.db", docs)
        first, second, not_modified = asyncio.run(poll_rounds(Path(folder) / "poll.db", args.feeds))
    rate = stored / seconds
    print(f"pipeline: {stored:,} items in {seconds:.1f} s = {rate:,.0f} items/s (target >= 3,000)")
    print(f"bare executemany of the same rows: {bare:.2f} s = {stored / bare:,.0f} rows/s; "
          f"pipeline is {seconds / bare:.1f}x the bare insert (target <= 10x)")
    print(f"poll round of {args.feeds} feeds: first {first:.2f} s, second {second:.2f} s with {not_modified} answered 304 "
          f"(target < 5 s)")


if __name__ == "__main__":
    main()
