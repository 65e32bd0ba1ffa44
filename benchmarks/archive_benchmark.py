"""The archive's size on disk, and /search on it, before and after the lean index (issue 17).

    python benchmarks/archive_benchmark.py [--articles 200000] [--queries 300]

Builds, in one run, from the same generated articles (benchmarks/search_benchmark.py: Zipf
words from the project's own Arabic vocabulary, the real index text):
  - the archive as schema 6 stored it: an FTS5 index with its own copy of the normalized text;
  - that very file migrated in place by the current Akhbar (migration 0007: a contentless
    index, then the file compacted) — the migration's time is reported;
  - the bare build: the same titles and bodies in a plain table with a plain FTS5 index over
    them (text stored once, no words, stems, topics, stories nor uniqueness rules).
Then times /search (parse, query, render) on the old and the migrated file, query by query,
alternating which goes first.
Targets: the migrated database <= 2x the bare build; /search p95 unchanged or better.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import shutil
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from search_benchmark import ROOT, build, percentile, reader_queries, search_path, vocabulary  # noqa: E402

sys.path.insert(0, str(ROOT))

from news.search import parse_query  # noqa: E402
from storage.articles import ArticleRepository  # noqa: E402
from storage.db import Database  # noqa: E402


class _AsItIs(Database):
    """The database opened without migrating it: the old layout searched as it was."""

    async def _migrate(self) -> None:
        return None


def size(path: Path) -> int:
    """The database file and its write-ahead log."""
    wal = path.with_name(path.name + "-wal")
    return path.stat().st_size + (wal.stat().st_size if wal.exists() else 0)


def bare(source: Path, path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute(f"ATTACH DATABASE '{source}' AS old")
    conn.executescript(
        """
        CREATE TABLE articles (id INTEGER PRIMARY KEY, title TEXT, body TEXT);
        CREATE VIRTUAL TABLE search USING fts5(title, body, content = 'articles', content_rowid = 'id');
        BEGIN;
        INSERT INTO articles SELECT id, title, body FROM old.articles;
        INSERT INTO search (search) VALUES ('rebuild');
        INSERT INTO search (search) VALUES ('optimize');
        COMMIT;
        DETACH DATABASE old;
        """
    )
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()


async def migrate(path: Path) -> float:
    start = time.perf_counter()
    async with Database(path):
        pass
    return time.perf_counter() - start


async def time_search(old: Path, new: Path, queries: list[str]) -> tuple[list[float], list[float]]:
    before, after = [], []
    async with _AsItIs(old) as old_db, Database(new) as new_db:
        old_repo, new_repo = ArticleRepository(old_db), ArticleRepository(new_db)
        for number, text in enumerate(queries):
            if not parse_query(text):
                continue
            if number % 2:
                after.append((await search_path(new_repo, text))[0])
                before.append((await search_path(old_repo, text))[0])
            else:
                before.append((await search_path(old_repo, text))[0])
                after.append((await search_path(new_repo, text))[0])
    return before, after


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=200_000)
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    vocab = vocabulary()
    print(f"load average at start: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    with tempfile.TemporaryDirectory() as folder:
        old, new, plain = Path(folder) / "schema5.db", Path(folder) / "migrated.db", Path(folder) / "bare.db"
        print(f"building {args.articles:,} articles as schema 6 stored them…", file=sys.stderr)
        build(old, args.articles, vocab, rng, schema=6)
        shutil.copy(old, new)
        bare(old, plain)
        seconds = asyncio.run(migrate(new))
        mb = {name: size(path) / 1e6 for name, path in (("old", old), ("new", new), ("bare", plain))}
        print(f"articles: {args.articles:,}")
        print(f"bare build (text + plain FTS5)   {mb['bare']:8,.0f} MB")
        print(f"schema 6 (index with its copy)   {mb['old']:8,.0f} MB   {mb['old'] / mb['bare']:.2f}x bare")
        print(f"migrated in place (lean index)   {mb['new']:8,.0f} MB   {mb['new'] / mb['bare']:.2f}x bare"
              f"   (target <= 2x; migration and compaction {seconds:.1f} s)")
        queries = reader_queries(vocab, args.queries, rng)
        asyncio.run(time_search(old, new, queries[:30]))  # warm the page cache for both alike
        before, after = asyncio.run(time_search(old, new, queries))
        for label, timings in (("/search, schema 6", before), ("/search, lean index", after)):
            print(f"{label:<22} p50 {percentile(timings, 0.5) * 1000:6.2f} ms   p95 {percentile(timings, 0.95) * 1000:6.2f} ms")
        print(f"p95 lean / schema 6: {percentile(after, 0.95) / percentile(before, 0.95):.2f}x (target <= 1x)")
        print(f"load average at end: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
