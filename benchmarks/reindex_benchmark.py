"""The search index made again after an upgrade of the analyser (news.ingest.reindex_search),
on both engines: articles a second.

    python benchmarks/reindex_benchmark.py [--pg URL] [--articles 50000] [--batch 200]

Builds one archive of generated articles on SQLite and PostgreSQL (engines_benchmark's
build_archive: search_benchmark's Zipf words from the project's own Arabic vocabulary, titles
of 7-12 words, bodies of 25), stamps its index as made by analyser 1, then times
reindex_search on each engine as the bot runs it (resting as long as each batch took) and
flat out (rest 0), wall time and the process's CPU time.  `--pg` defaults to
AKHBAR_BENCH_DATABASE_URL, else AKHBAR_TEST_DATABASE_URL; its schema is dropped at the end.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from engines_benchmark import build_archive, pg_schema  # noqa: E402
from search_benchmark import vocabulary  # noqa: E402

from news.ingest import reindex_search  # noqa: E402
from storage.articles import ArticleRepository  # noqa: E402
from storage.connect import open_database  # noqa: E402


async def timed(database_url: str | None, path: str, batch: int, rest: float) -> tuple[int, float, float]:
    """(articles indexed again, wall seconds, CPU seconds) of one whole reindex."""
    async with await open_database(database_url, path) as db:
        await db.execute("UPDATE versions SET value = 1 WHERE name = 'search_analyser'")
        repo = ArticleRepository(db)
        wall, cpu = time.perf_counter(), time.process_time()
        done = await reindex_search(repo, batch=batch, rest=rest)
        return done, time.perf_counter() - wall, time.process_time() - cpu


async def run(args: argparse.Namespace) -> None:
    rng = random.Random(7)
    vocab = vocabulary()
    with tempfile.TemporaryDirectory(prefix="akhbar-reindex-") as folder:
        sqlite_path = Path(folder) / "archive.db"
        async with pg_schema(args.pg) as pg_url:
            print(f"building {args.articles:,} articles on both engines…", file=sys.stderr)
            await build_archive(sqlite_path, pg_url, args.articles, vocab, rng)
            for rest, label in ((0.0, "flat out (rest 0)"), (1.0, "as the bot runs it (rest 1)")):
                for engine, url, path in (("SQLite", None, str(sqlite_path)), ("PostgreSQL", pg_url, "")):
                    done, wall, cpu = await timed(url, path, args.batch, rest)
                    print(f"{engine:<10} {label:<28} {done:,} articles in {wall:.1f} s: "
                          f"{done / wall:,.0f} articles/s (CPU {cpu:.1f} s, {done / cpu:,.0f}/CPU s)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pg", default=os.environ.get("AKHBAR_BENCH_DATABASE_URL") or os.environ.get("AKHBAR_TEST_DATABASE_URL"))
    parser.add_argument("--articles", type=int, default=50_000)
    parser.add_argument("--batch", type=int, default=200)
    args = parser.parse_args()
    if not args.pg:
        parser.error("a PostgreSQL database is needed: --pg URL, or AKHBAR_BENCH_DATABASE_URL")
    asyncio.run(run(args))


if __name__ == "__main__":
    main()
