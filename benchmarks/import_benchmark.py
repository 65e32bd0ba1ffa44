"""`akhbar import` at archive scale: items/s of the CLI import, next to a bare build in the same run.

    python benchmarks/import_benchmark.py [--items 200000] [--profile]

Writes a JSON Lines file of generated articles (the project's own Arabic headlines, varied by a
number, bodies of three of them; a topic on one in three), then
  - runs `akhbar import FILE` into a new database, in this process (bot.cli.main), timed whole:
    reading, parsing, cleaning, normalization, topics, wilayas, story matching, storing and
    indexing;
  - the bare baseline: the very rows that import stored (read back from its database) written
    into a new database of the same schema with plain `executemany` — articles, then the same
    FTS5 rows (index text computed before the clock) — in transactions of 500, with the
    project's connection settings.
Targets (issue 17): >= 3,000 items/s, and <= 8x the bare build.  `--profile FILE` writes the
import's cProfile to FILE and prints its top functions.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import json
import os
import pstats
import random
import sqlite3
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.cli import main as akhbar  # noqa: E402
from news.search import index_text  # noqa: E402
from storage.db import PRAGMAS, Database  # noqa: E402

SEEDS = [ROOT / "tests" / "data" / "topics" / "dev.jsonl", ROOT / "bot" / "demo_data" / "articles.jsonl"]
TOPICS = ("economy", "sports", "politics", "culture")


def write_items(path: Path, count: int, rng: random.Random) -> None:
    titles = [json.loads(line)["title"] for seed in SEEDS for line in seed.read_text(encoding="utf-8").splitlines()]
    start = datetime.now(UTC) - timedelta(seconds=count * 6)
    with path.open("w", encoding="utf-8") as out:
        for n in range(count):
            record = {
                "title": f"{rng.choice(titles)} {n}",
                "body": " ".join(rng.choice(titles) for _ in range(3)),
                "url": f"https://news{n % 200}.example.dz/a/{n}",
                "source": f"مصدر {n % 200}",
                "published_at": (start + timedelta(seconds=n * 6)).isoformat(),
            }
            if n % 3 == 0:
                record["topics"] = [rng.choice(TOPICS)]
            out.write(json.dumps(record, ensure_ascii=False) + "\n")


def run_import(db: Path, items: Path, profile: Path | None) -> tuple[float, float]:
    """The import's wall-clock seconds and this process's CPU seconds (every thread's: the
    database's thread too), which a loaded machine inflates less."""
    os.environ["AKHBAR_DB"] = str(db)
    os.environ["AKHBAR_LOG_LEVEL"] = "WARNING"
    profiler = cProfile.Profile() if profile is not None else None
    start, cpu = time.perf_counter(), time.process_time()
    if profiler:
        profiler.enable()
    code = akhbar(["import", str(items)])
    if profiler:
        profiler.disable()
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    if code != 0:
        raise SystemExit(f"akhbar import exited with {code}")
    if profiler:
        profiler.dump_stats(profile)
        pstats.Stats(profiler).sort_stats("tottime").print_stats(25)
    return seconds, cpu


async def _create(path: Path) -> None:
    async with Database(path):
        pass


def bare(source: Path, path: Path) -> tuple[float, int]:
    asyncio.run(_create(path))
    old = sqlite3.connect(source)
    rows = old.execute(
        "SELECT id, title, title_key, body, summary, url, source, published_at, fetched_at, lang, content_hash, "
        "guid, source_id, story_id FROM articles ORDER BY id"
    ).fetchall()
    old.close()
    index = []
    for row in rows:
        text = index_text(row[1], row[3])
        index.append((row[0], text.title_words, text.title_stems, text.body_words, text.body_stems))
    conn = sqlite3.connect(path, isolation_level=None)
    for pragma in PRAGMAS:
        conn.execute(pragma)
    start = time.perf_counter()
    for first in range(0, len(rows), 500):
        conn.execute("BEGIN")
        conn.executemany(
            "INSERT INTO stories (id, latest_at, size) VALUES (?, ?, 1)",
            [(row[0], row[7] or row[8]) for row in rows[first : first + 500]],
        )
        conn.executemany(
            "INSERT INTO articles (id, title, title_key, body, summary, url, source, published_at, fetched_at, lang, "
            "content_hash, guid, source_id, story_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(*row[:13], row[0]) for row in rows[first : first + 500]],
        )
        conn.executemany(
            "INSERT INTO article_search (rowid, title_words, title_stems, body_words, body_stems) VALUES (?, ?, ?, ?, ?)",
            index[first : first + 500],
        )
        conn.execute("COMMIT")
    seconds = time.perf_counter() - start
    conn.close()
    return seconds, len(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=200_000)
    parser.add_argument("--profile", type=Path, metavar="FILE", help="write the import's cProfile here")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    print(f"load average at start: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    with tempfile.TemporaryDirectory() as folder:
        items, db = Path(folder) / "items.jsonl", Path(folder) / "import.db"
        write_items(items, args.items, random.Random(args.seed))
        seconds, cpu = run_import(db, items, args.profile)
        base, stored = bare(db, Path(folder) / "bare.db")
        print(f"akhbar import: {args.items:,} items, {stored:,} stored in {seconds:.1f} s: {args.items / seconds:,.0f} items/s"
              f" (target >= 3,000); CPU {cpu:.1f} s: {args.items / cpu:,.0f} items per CPU second")
        print(f"bare executemany + FTS5 of the same rows: {base:.1f} s: {stored / base:,.0f} rows/s;"
              f" import / bare: {seconds / base:.1f}x (target <= 8x)")
    print(f"load average at end: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
