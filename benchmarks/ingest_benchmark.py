"""Ingestion: 100,000 feed items through parse → normalize → classify → store → index.

    python benchmarks/ingest_benchmark.py [--items 100000] [--feeds 200] [--workers N] [--metrics-cost ROUNDS]

1. The pipeline: one poll round of the bot's own Poller over 1,000 sources whose generated RSS
   documents (the project's own Arabic headlines, varied) are served from memory — only the
   network is taken out.  Each feed is parsed and its items made articles (cleaning,
   normalization, topics, wilayas, search text) in one step in the worker processes
   (news.feeds.prepare.parse_and_prepare, run by news.workers), up to the poller's IN_FLIGHT
   feeds at a time; the bot process looks up the known items, groups the new ones into
   stories and stores them with their FTS5 rows (news.ingest.Ingestor: feeds that finish
   together in one transaction), and records each source's state — items/s, and the event
   loop's lag meanwhile.  Next to it, in the same run, two bare `executemany` baselines:
   - the very rows the pipeline stored, into the same tables (unique indexes, FTS5), with the
     project's connection settings, in transactions as large as the pipeline's largest: what
     storing alone costs.  Target (issue 5): the pipeline within 10x of it, and >= 3,000
     items/s here;
   - the feed's fields into a plain table without indexes: SQLite's raw speed, for scale.
2. A poll round of `--feeds` feeds against a local server that answers 304 to a matching
   If-None-Match, after a first round that fetched them all.  Target: under 5 s.

With --metrics-cost ROUNDS, instead: the pipeline (1.) ROUNDS times without metrics and ROUNDS
times with them (bot.metrics.PrometheusMetrics, its registry exposed every second meanwhile),
alternated; the bot process's CPU time per item stored is compared (the parsing workers do
not count).  Target (issue 16): metrics add < 3%.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import sqlite3
import sys
import tempfile
import time
from bisect import bisect_left
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402
from aiohttp import web  # noqa: E402

from bot.metrics import PrometheusMetrics  # noqa: E402
from news.feeds import FeedFetcher, parse_feed  # noqa: E402
from news.feeds.fetcher import _Answer  # noqa: E402
from news.ingest import GROUP_ARTICLES, Ingestor  # noqa: E402
from news.metrics import NO_METRICS, Metrics  # noqa: E402
from news.polling import Poller  # noqa: E402
from news.workers import CpuWorkers, default_processes  # noqa: E402
from storage.articles import ArticleRepository  # noqa: E402
from storage.db import PRAGMAS, Database  # noqa: E402
from storage.sources import SourceRepository  # noqa: E402

BASE = datetime(2026, 11, 28, tzinfo=UTC)
RSS = "application/rss+xml"
PER_FEED = 100


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


class InMemoryFetcher(FeedFetcher):
    """The bot's fetcher with the network taken out: each feed's document is served from
    memory, and no article page is fetched (downloading is not ingestion's cost)."""

    def __init__(self, documents: dict[str, bytes], workers: CpuWorkers) -> None:
        super().__init__(workers=workers)
        self.documents = documents

    async def _download(self, url: str, headers: dict[str, str], visited: list[str]) -> _Answer:
        visited.append(url)
        return _Answer(200, httpx.Headers({"content-type": RSS}), self.documents[url])

    async def fetch_article_text(self, url: str, boilerplate: Sequence[str] = ()) -> str | None:
        return None


async def pipeline(
    path: Path, docs: list[bytes], processes: int | None, metrics: Metrics = NO_METRICS
) -> tuple[float, int, float, list[float], float]:
    """One poll round of the bot's own Poller over a source per document: each feed parsed and
    its items made articles in one step in the worker processes (IN_FLIGHT feeds at a time),
    its known items looked up, the new ones stored with their stories and index in the bot
    process (feeds that wait for the database together), the source's state recorded.

    Returns the seconds, the items stored, how long the workers took to start (before the
    clock: the bot starts them once for its lifetime), the event loop's lags meanwhile, and
    the CPU seconds of this process.  `metrics` counts (and is scraped every second) if given.
    """
    start = time.perf_counter()
    async with Database(path) as db, CpuWorkers(processes) as workers:
        await asyncio.gather(*(workers.run(parse_feed, docs[0], RSS) for _ in range(workers.processes)))
        started = time.perf_counter() - start
        sources = SourceRepository(db)
        urls = [f"https://news{number}.example.dz/rss" for number in range(len(docs))]
        for number, url in enumerate(urls):
            await sources.add(url, title=f"مصدر {number}", first_poll=BASE)
        fetcher = InMemoryFetcher(dict(zip(urls, docs, strict=True)), workers)
        poller = Poller(
            sources, await Ingestor.open(ArticleRepository(db), now=BASE, metrics=metrics), fetcher, metrics=metrics
        )
        round_of = await sources.all()
        lags: list[float] = []
        watching = asyncio.create_task(loop_lag(lags))
        scraping = asyncio.create_task(scrape(metrics)) if isinstance(metrics, PrometheusMetrics) else None
        start, cpu = time.perf_counter(), time.process_time()
        report = await poller.poll(round_of)
        seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
        watching.cancel()
        if scraping is not None:
            scraping.cancel()
        failed = [r.error for r in report.sources if r.status != "ok"]
        if failed:
            raise SystemExit(f"{len(failed)} feeds failed, e.g. {failed[0]}")
        return seconds, report.added, started, lags, cpu


async def scrape(metrics: PrometheusMetrics, every: float = 1.0) -> None:
    while True:
        await asyncio.sleep(every)
        metrics.exposition()


def metrics_cost(folder: Path, docs: list[bytes], processes: int | None, rounds: int) -> None:
    """The pipeline without and with metrics, alternated: this process's CPU per item stored."""
    from alternated import compare

    def one(counted: bool) -> float:
        path = folder / "round.db"
        seconds, stored, _, _, used = asyncio.run(pipeline(path, docs, processes, PrometheusMetrics() if counted else NO_METRICS))
        path.unlink()
        print(f"{'with' if counted else 'without'} metrics: {stored:,} items in {seconds:.1f} s, "
              f"{used:.2f} s CPU in the bot process = {used / stored * 1e6:.0f} µs per item")
        return used / stored

    compare(rounds, one, "item")
    metrics = PrometheusMetrics()
    start = time.process_time()
    for _ in range(200):
        metrics.exposition()
    print(f"a scrape of the registry, timed alone: {(time.process_time() - start) / 200 * 1e6:.0f} µs "
          f"(the pipeline's own counting: one count per feed and one per transaction)")


async def loop_lag(lags: list[float], every: float = 0.01) -> None:
    """How late the event loop wakes a sleeper: what a reader's command waits for while the
    bot ingests (its replies run on the same loop)."""
    while True:
        asked = time.perf_counter()
        await asyncio.sleep(every)
        lags.append(time.perf_counter() - asked - every)


# Each table's rows begin with the id of the article they belong to (a story's is its first
# article's), so a batch of articles takes its rows along by that first column.
_STORED = {
    "stories": "id, latest_at, size",
    "articles": "*",
    "article_topics": "article_id, topic",
    "article_regions": "article_id, wilaya",
    "article_search": "rowid, title_words, title_stems, body_words, body_stems",
}


def stored_rows(path: Path) -> dict[str, tuple[list[str], list[tuple]]]:
    """Every row the pipeline wrote, table by table (columns, rows by article id)."""
    conn = sqlite3.connect(path)
    rows = {}
    for table, columns in _STORED.items():
        cursor = conn.execute(f"SELECT {columns} FROM {table} ORDER BY 1")
        rows[table] = ([c[0] for c in cursor.description], cursor.fetchall())
    conn.close()
    return rows


async def empty_schema(path: Path, sources_from: Path) -> None:
    """The project's schema, with the pipeline's sources (the articles point to them)."""
    async with Database(path):
        pass
    conn = sqlite3.connect(path)
    conn.execute("ATTACH DATABASE ? AS pipeline", (str(sources_from),))
    with conn:
        conn.execute("INSERT INTO sources SELECT * FROM pipeline.sources")
    conn.execute("DETACH DATABASE pipeline")
    conn.close()


def bare_insert_schema(path: Path, pipeline_db: Path, per_batch: int) -> float:
    """The same rows into the project's own tables (indexes, FTS5) by plain executemany, one
    transaction per `per_batch` articles: what storing alone costs, with nothing parsed,
    cleaned, classified or matched."""
    asyncio.run(empty_schema(path, pipeline_db))
    rows = stored_rows(pipeline_db)
    ids = [row[0] for row in rows["articles"][1]]
    bounds = [ids[first] for first in range(0, len(ids), per_batch)] + [ids[-1] + 1]
    keys = {table: [row[0] for row in table_rows] for table, (_, table_rows) in rows.items()}
    batches = []  # (statement, rows) per transaction, prepared before the clock
    for low, high in zip(bounds, bounds[1:], strict=False):
        batch = []
        for table, (columns, table_rows) in rows.items():
            statement = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"
            batch.append((statement, table_rows[bisect_left(keys[table], low):bisect_left(keys[table], high)]))
        batches.append(batch)
    conn = sqlite3.connect(path, isolation_level=None)
    for pragma in PRAGMAS:  # the project's own connection settings
        conn.execute(pragma)
    start = time.perf_counter()
    for batch in batches:
        conn.execute("BEGIN IMMEDIATE")
        for statement, batch_rows in batch:
            conn.executemany(statement, batch_rows)
        conn.execute("COMMIT")
    seconds = time.perf_counter() - start
    conn.close()
    return seconds


def bare_insert(path: Path, docs: list[bytes]) -> float:
    """The same rows (parsed beforehand, outside the clock), one executemany per feed, into a
    plain table without indexes: SQLite's raw speed on this machine."""
    rows = []
    for number, doc in enumerate(docs):
        _, items = parse_feed(doc, RSS)
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


async def poll_rounds(path: Path, feeds: int, processes: int | None) -> tuple[float, float, int]:
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
        async with Database(path) as db, CpuWorkers(processes) as workers, FeedFetcher(workers=workers) as fetcher:
            await asyncio.gather(*(workers.run(os.getpid) for _ in range(workers.processes)))  # started, as in the bot
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
    parser.add_argument("--workers", type=int, default=None,
                        help="worker processes (default: as the bot, one per core but one; 0: a thread)")
    parser.add_argument("--metrics-cost", type=int, metavar="ROUNDS",
                        help="compare the pipeline's CPU without and with metrics, ROUNDS times each, alternated")
    args = parser.parse_args()
    docs = documents(args.items, PER_FEED, random.Random(2026))
    if args.metrics_cost:
        with tempfile.TemporaryDirectory() as folder:
            metrics_cost(Path(folder), docs, args.workers, args.metrics_cost)
        return
    with tempfile.TemporaryDirectory() as folder:
        seconds, stored, started, lags, _ = asyncio.run(pipeline(Path(folder) / "pipeline.db", docs, args.workers))
        schema = bare_insert_schema(Path(folder) / "bare-schema.db", Path(folder) / "pipeline.db", GROUP_ARTICLES)
        bare = bare_insert(Path(folder) / "bare.db", docs)
        first, second, not_modified = asyncio.run(poll_rounds(Path(folder) / "poll.db", args.feeds, args.workers))
    processes = default_processes() if args.workers is None else args.workers
    rate = stored / seconds
    print(f"pipeline: {stored:,} items in {seconds:.1f} s = {rate:,.0f} items/s (target >= 3,000), "
          f"{processes} worker process(es) started in {started:.2f} s before the clock")
    lags.sort()
    print(f"event loop lag meanwhile (a reader's reply waits that long): median {lags[len(lags) // 2] * 1000:.1f} ms, "
          f"p99 {lags[int(len(lags) * 0.99)] * 1000:.1f} ms, max {lags[-1] * 1000:.0f} ms")
    print(f"bare executemany of the same rows into the same tables (indexes, FTS5), {GROUP_ARTICLES} per transaction: "
          f"{schema:.2f} s = {stored / schema:,.0f} items/s; pipeline is {seconds / schema:.1f}x (target <= 10x)")
    print(f"bare executemany into a plain table without indexes: {bare:.2f} s = {stored / bare:,.0f} rows/s; "
          f"pipeline is {seconds / bare:.1f}x")
    print(f"poll round of {args.feeds} feeds: first {first:.2f} s, second {second:.2f} s with {not_modified} answered 304 "
          f"(target < 5 s)")


if __name__ == "__main__":
    main()
