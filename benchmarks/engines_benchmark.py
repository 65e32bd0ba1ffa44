"""SQLite and PostgreSQL side by side, in one run: /search at archive scale, ingestion, digests.

    python benchmarks/engines_benchmark.py [--pg URL] [--articles 1000000] [--queries 300]
                                           [--ingest 5000] [--subscribers 100000] [--only search,ingest,compose]

`--pg` (default: AKHBAR_BENCH_DATABASE_URL, else AKHBAR_TEST_DATABASE_URL) is a database the
role owns; everything happens in a schema of its own, dropped at the end.  Each part does the
same work on both engines with the project's own code, and prints both figures and their ratio:

1. /search at `--articles`: one archive of generated articles (search_benchmark's Zipf
   vocabulary), its index text computed once and loaded into both engines by their bulk paths
   (sqlite3 executemany; PostgreSQL COPY, the GIN index built after).  Each reader query goes
   through ArticleRepository.search on each engine, alternately first; p50/p95.  Then how the
   engines agree: for a sample of queries, the number of articles each index matches (the
   same words and stems: they must be equal), and how many of the first page's stories are
   the same (ranking: FTS5's bm25 against ts_rank, weights alike).
2. Ingestion: `--ingest` articles (the demo headlines, varied) through news.ingest.Ingestor in
   batches of 100 into an empty database: items/s.
3. Digests: `--subscribers` due subscribers over a day's 3,000 articles, composed by the digest
   engine's dry run (as digest_compose_benchmark.py does on SQLite).
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import os
import random
import sqlite3
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import asyncpg  # noqa: E402
from digest_compose_benchmark import NOW, STAMP, TIMES, TOPIC_CHOICES, ZONES, headlines  # noqa: E402
from search_benchmark import percentile, reader_queries, vocabulary  # noqa: E402
from telegram import Bot  # noqa: E402

from bot.config import load_settings  # noqa: E402
from bot.digests import DigestEngine  # noqa: E402
from bot.services import Services  # noqa: E402
from news.articles import make_article  # noqa: E402
from news.ingest import Ingestor  # noqa: E402
from news.schedule import next_due_utc  # noqa: E402
from news.search import index_text, parse_query, tsvector_text  # noqa: E402
from news.text import normalize  # noqa: E402
from storage.articles import ArticleRepository  # noqa: E402
from storage.connect import open_database  # noqa: E402
from storage.engine import Database  # noqa: E402

BATCH = 20_000


@asynccontextmanager
async def pg_schema(url: str) -> AsyncIterator[str]:
    """A URL whose connections land in a new schema, dropped at the end."""
    schema = f"bench_{uuid.uuid4().hex[:10]}"
    conn = await asyncpg.connect(url)
    try:
        await conn.execute(f"CREATE SCHEMA {schema}")
        parts = urlsplit(url)
        yield urlunsplit(parts._replace(query="&".join(filter(None, [parts.query, f"search_path={schema}"]))))
    finally:
        await conn.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
        await conn.close()


def ratio(sqlite: float, postgresql: float) -> str:
    return f"PostgreSQL / SQLite = {postgresql / sqlite:.2f}x" if sqlite else ""


# --- 1. search ----------------------------------------------------------------------------


async def build_archive(
    sqlite_path: Path, pg_url: str, count: int, vocab: list[str], rng: random.Random
) -> tuple[float, float, float]:
    """The same generated articles into both engines; seconds spent making the rows (once),
    loading SQLite, loading PostgreSQL."""
    async with await open_database(None, str(sqlite_path)), await open_database(pg_url, ""):
        pass  # migrated, then closed: the bulk loads below go around the repositories
    cumulative = list(itertools.accumulate(1 / (rank + 1) for rank in range(len(vocab))))
    lite = sqlite3.connect(sqlite_path)
    lite.execute("PRAGMA journal_mode = WAL")
    lite.execute("PRAGMA synchronous = OFF")
    pg = await asyncpg.connect(pg_url)
    # The GIN index is built once at the end, as a bulk load should; so are the text indexes.
    await pg.execute("DROP INDEX article_search_doc")
    await pg.execute("CREATE TEMP TABLE staging (article_id bigint, doc text)")
    making = loading_lite = loading_pg = 0.0
    base = datetime(2026, 1, 1, tzinfo=UTC)
    try:
        for first in range(1, count + 1, BATCH):
            start = time.perf_counter()
            rows, fts, docs = [], [], []
            for article_id in range(first, min(first + BATCH, count + 1)):
                title = " ".join(rng.choices(vocab, cum_weights=cumulative, k=rng.randint(7, 12)))
                body = " ".join(rng.choices(vocab, cum_weights=cumulative, k=25))
                when = (base + timedelta(seconds=article_id * 30)).strftime("%Y-%m-%dT%H:%M:%SZ")
                rows.append((article_id, title, normalize(title), body, when, when, f"h{article_id}", article_id))
                text = index_text(title, body)
                fts.append((article_id, text.title_words, text.title_stems, text.body_words, text.body_stems))
                docs.append((article_id, tsvector_text(text)))
            stories = [(row[0], row[4], 1) for row in rows]
            making += time.perf_counter() - start

            start = time.perf_counter()
            lite.execute("BEGIN")
            lite.executemany("INSERT INTO stories (id, latest_at, size) VALUES (?, ?, ?)", stories)
            lite.executemany(
                "INSERT INTO articles (id, title, title_key, body, published_at, fetched_at, content_hash, story_id) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows,
            )
            lite.executemany(
                "INSERT INTO article_search (rowid, title_words, title_stems, body_words, body_stems) VALUES (?, ?, ?, ?, ?)",
                fts,
            )
            lite.execute("COMMIT")
            loading_lite += time.perf_counter() - start

            start = time.perf_counter()
            async with pg.transaction():
                await pg.copy_records_to_table("stories", records=stories, columns=["id", "latest_at", "size"])
                await pg.copy_records_to_table(
                    "articles", records=rows,
                    columns=["id", "title", "title_key", "body", "published_at", "fetched_at", "content_hash", "story_id"],
                )
                await pg.copy_records_to_table("staging", records=docs)
                await pg.execute("INSERT INTO article_search (article_id, doc) SELECT article_id, doc::tsvector FROM staging")
                await pg.execute("TRUNCATE staging")
            loading_pg += time.perf_counter() - start
            print(f"\r  built {min(first + BATCH - 1, count):,} / {count:,}", end="", file=sys.stderr)
        print(file=sys.stderr)
        start = time.perf_counter()
        lite.execute("INSERT INTO article_search (article_search) VALUES ('optimize')")
        loading_lite += time.perf_counter() - start
        start = time.perf_counter()
        await pg.execute("CREATE INDEX article_search_doc ON article_search USING gin (doc)")
        await pg.execute(f"SELECT setval(pg_get_serial_sequence('articles', 'id'), {count + 1}, false)")
        await pg.execute("ANALYZE")
        loading_pg += time.perf_counter() - start
    finally:
        lite.close()
        await pg.close()
    return making, loading_lite, loading_pg


async def timed_search(repo: ArticleRepository, text: str) -> tuple[float, list[int]]:
    query = parse_query(text)
    assert query is not None
    start = time.perf_counter()
    hits = await repo.search(query, 9)
    return time.perf_counter() - start, [article.id for article in hits]


async def compare_search(sqlite_path: Path, pg_url: str, queries: list[str], agreement_sample: int) -> None:
    queries = [text for text in queries if parse_query(text)]
    lite_db, pg_db = await open_database(None, str(sqlite_path)), await open_database(pg_url, "")
    # The bot turns PostgreSQL's JIT off (storage/postgres.py); the server's default, on, is
    # timed alongside for comparison.
    jit_db = await open_database(f"{pg_url}&jit=on", "")
    try:
        repos = {"sqlite": ArticleRepository(lite_db), "postgresql": ArticleRepository(pg_db),
                 "postgresql, jit on": ArticleRepository(jit_db)}
        for text in queries[:30]:  # warm every cache alike
            for repo in repos.values():
                await timed_search(repo, text)
        times: dict[str, list[float]] = {name: [] for name in repos}
        pages: list[tuple[list[int], list[int]]] = []
        for number, text in enumerate(queries):
            order = list(repos.items())
            order = order[number % 3:] + order[:number % 3]  # each goes first in turn
            got = {}
            for name, repo in order:
                seconds, ids = await timed_search(repo, text)
                times[name].append(seconds)
                got[name] = ids
            pages.append((got["sqlite"], got["postgresql"]))
        print(f"/search over {len(queries)} reader queries ({sum(bool(a) for a, _ in pages)} with results on SQLite, "
              f"{sum(bool(b) for _, b in pages)} on PostgreSQL)")
        for name, values in times.items():
            print(f"  {name:<18} p50 {percentile(values, 0.5) * 1000:7.2f} ms   p95 {percentile(values, 0.95) * 1000:7.2f} ms"
                  f"   mean {statistics.mean(values) * 1000:7.2f} ms")
        print(f"  p95: {ratio(percentile(times['sqlite'], 0.95), percentile(times['postgresql'], 0.95))}")
        same_first = sum(1 for a, b in pages if a[:1] == b[:1])
        shared = [len(set(a) & set(b)) / len(set(a) | set(b)) for a, b in pages if a or b]
        print(f"  ranking: the same first story for {same_first} of {len(pages)} queries; "
              f"the first page's stories shared (Jaccard) {statistics.mean(shared):.2f} on average")
        # The same words and stems match the same articles: count each index's matches.
        lite_conn = sqlite3.connect(sqlite_path)
        pg_conn = await asyncpg.connect(pg_url)
        try:
            equal, sample = 0, queries[:agreement_sample]
            for text in sample:
                query = parse_query(text)
                assert query is not None
                (in_lite,) = lite_conn.execute(
                    "SELECT count(*) FROM article_search WHERE article_search MATCH ?", (query.fts_expression(),)
                ).fetchone()
                in_pg = await pg_conn.fetchval(
                    "SELECT count(*) FROM article_search WHERE doc @@ CAST($1 AS tsquery)", query.tsquery()
                )
                equal += in_lite == in_pg
                if in_lite != in_pg:
                    print(f"    differs: {text!r}: SQLite {in_lite}, PostgreSQL {in_pg}")
            print(f"  matches: the same number of articles on both engines for {equal} of {len(sample)} queries")
        finally:
            lite_conn.close()
            await pg_conn.close()
    finally:
        await lite_db.close()
        await pg_db.close()
        await jit_db.close()


# --- 2. ingestion -------------------------------------------------------------------------


def ingest_batches(count: int, rng: random.Random) -> list[list]:
    titles = headlines(count, rng)
    bodies = [" ".join(rng.sample(titles, 6)) for _ in range(200)]
    articles = [
        make_article(
            title=title, body=rng.choice(bodies), source=f"s{number % 7}", url=f"https://n{number % 7}.example.dz/{number}"
        )
        for number, title in enumerate(titles)
    ]
    return [articles[first:first + 100] for first in range(0, count, 100)]


async def ingest(db: Database, batches: list[list]) -> tuple[float, int]:
    ingestor = await Ingestor.open(ArticleRepository(db), alerts=True)
    start = time.perf_counter()
    stored = 0
    for batch in batches:
        stored += sum(1 for article_id in await ingestor.add_many(batch) if article_id is not None)
    return time.perf_counter() - start, stored


# --- 3. digests ---------------------------------------------------------------------------


async def build_audience(db: Database, subscribers: int, articles: int, rng: random.Random) -> None:
    ingestor = await Ingestor.open(ArticleRepository(db), now=NOW)
    titles = headlines(articles, rng)
    for first in range(0, articles, 500):
        batch = [make_article(title=t, source=f"s{i % 7}") for i, t in enumerate(titles[first:first + 500])]
        await ingestor.add_many(batch, fetched_at=NOW - timedelta(hours=rng.uniform(1, 30)))
    rows = []
    for chat_id in range(1, subscribers + 1):
        tz, at = rng.choice(ZONES), rng.choice(TIMES)
        due = next_due_utc(datetime.strptime(at, "%H:%M").time(), tz, NOW - timedelta(days=1))
        rows.append((chat_id, "private", rng.choice(["ar", "ar", "ar", "fr", "en"]), tz, at,
                     due.strftime("%Y-%m-%dT%H:%M:%SZ"), ",".join(rng.choice(TOPIC_CHOICES)), STAMP, STAMP))
    for first in range(0, len(rows), 10_000):
        await db.executemany(
            "INSERT INTO chats (id, type, lang, tz, digest_time, next_due_utc, topics, created_at, updated_at, subscribed) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1)",
            rows[first:first + 10_000],
        )


async def compose(database_url: str | None, path: str) -> tuple[float, int]:
    settings = replace(load_settings({}), db_path=path, database_url=database_url, digest_stale_hours=24)
    services = await Services.open(settings)
    services.clock = lambda: NOW
    try:
        engine = DigestEngine(Bot("0:benchmark-no-network-needed"), services)
        start = time.perf_counter()
        report = await engine.run_due(dry_run=True)
        return time.perf_counter() - start, len(report.planned)
    finally:
        await services.close()


# --- the run ------------------------------------------------------------------------------


async def run(args: argparse.Namespace) -> None:
    parts = set(args.only.split(","))
    with tempfile.TemporaryDirectory() as folder:
        if "search" in parts:
            async with pg_schema(args.pg) as url:
                path = Path(folder) / "search.db"
                vocab = vocabulary()
                print(f"building {args.articles:,} articles on both engines…", file=sys.stderr)
                making, lite_s, pg_s = await build_archive(path, url, args.articles, vocab, random.Random(args.seed))
                print(f"archive of {args.articles:,} articles: rows made in {making:.0f} s (once); loaded into SQLite in "
                      f"{lite_s:.0f} s, into PostgreSQL in {pg_s:.0f} s (COPY, GIN index built after)")
                await compare_search(path, url, reader_queries(vocab, args.queries, random.Random(args.seed + 1)), args.agreement)
        if "ingest" in parts:
            batches = ingest_batches(args.ingest, random.Random(args.seed))
            rates = {}
            async with pg_schema(args.pg) as url:
                for name, open_it in (("sqlite", lambda: open_database(None, str(Path(folder) / "ingest.db"))),
                                      ("postgresql", lambda: open_database(url, ""))):
                    db = await open_it()
                    try:
                        seconds, stored = await ingest(db, batches)
                    finally:
                        await db.close()
                    rates[name] = stored / seconds
                    print(f"ingest {name:<11} {stored:,} articles in {seconds:.1f} s: {rates[name]:,.0f} items/s")
            print(f"  items/s: {ratio(rates['sqlite'], rates['postgresql'])}")
        if "compose" in parts:
            seconds = {}
            async with pg_schema(args.pg) as url:
                lite_path = str(Path(folder) / "digests.db")
                for name, database_url in (("sqlite", None), ("postgresql", url)):
                    db = await open_database(database_url, lite_path)
                    try:
                        await build_audience(db, args.subscribers, 3000, random.Random(args.seed))
                    finally:
                        await db.close()
                    seconds[name], planned = await compose(database_url, lite_path)
                    print(f"compose {name:<11} {planned:,} digests in {seconds[name]:.1f} s")
            print(f"  compose time: {ratio(seconds['sqlite'], seconds['postgresql'])}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pg", default=os.environ.get("AKHBAR_BENCH_DATABASE_URL") or os.environ.get("AKHBAR_TEST_DATABASE_URL"),
                        help="a PostgreSQL database the role owns (a schema of its own is used, then dropped)")
    parser.add_argument("--articles", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--agreement", type=int, default=100, help="queries whose match counts are compared")
    parser.add_argument("--ingest", type=int, default=5_000)
    parser.add_argument("--subscribers", type=int, default=100_000)
    parser.add_argument("--only", default="search,ingest,compose")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    if not args.pg:
        parser.error("give --pg postgresql://USER@HOST:PORT/DB (or set AKHBAR_BENCH_DATABASE_URL)")
    print(f"load average at start: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    asyncio.run(run(args))
    print(f"load average at end: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
