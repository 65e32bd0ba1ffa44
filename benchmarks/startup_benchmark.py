"""Start-up at archive scale: the time before the bot can answer, at 10,000 and 1,000,000 articles.

    python benchmarks/startup_benchmark.py [--small 10000] [--large 1000000] [--runs 5]

Builds two databases of generated articles (benchmarks/search_benchmark.py), each one article
every 30 s up to now — so that both have the same recent days, which start-up reads to
remember the stories being told — then times `Services.open` (open and migrate the file, index
the search backlog, read the follows, remember recent stories: everything `akhbar run` does
before answering that touches the database), `--runs` times each, alternating, median.
Next to it, in the same run, on the large file: the query start-up used to run to find
unindexed articles (every article compared with the whole index), timed alone.
Target (issue 17): start-up at 1M no slower than at 10k beyond noise.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from search_benchmark import ROOT, build, vocabulary  # noqa: E402

sys.path.insert(0, str(ROOT))

from bot.config import load_settings  # noqa: E402
from bot.services import Services  # noqa: E402


async def start(path: Path) -> float:
    settings = load_settings({"AKHBAR_DB": str(path)}, env_file=None)
    begin = time.perf_counter()
    services = await Services.open(settings)
    seconds = time.perf_counter() - begin
    await services.close()
    return seconds


def old_scan(path: Path) -> float:
    conn = sqlite3.connect(path)
    begin = time.perf_counter()
    conn.execute(
        "SELECT id, title, body FROM articles WHERE id NOT IN (SELECT rowid FROM article_search) ORDER BY id LIMIT 500"
    ).fetchall()
    seconds = time.perf_counter() - begin
    conn.close()
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", type=int, default=10_000)
    parser.add_argument("--large", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    vocab = vocabulary()
    now = datetime.now(UTC)
    print(f"load average at start: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    with tempfile.TemporaryDirectory() as folder:
        paths = {}
        for count in (args.small, args.large):
            paths[count] = Path(folder) / f"{count}.db"
            print(f"building {count:,} articles…", file=sys.stderr)
            build(paths[count], count, vocab, random.Random(args.seed), end=now)
        times: dict[int, list[float]] = {count: [] for count in paths}
        for _ in range(args.runs):
            for count, path in paths.items():
                times[count].append(asyncio.run(start(path)))
        for count, path in paths.items():
            size = path.stat().st_size / 1e6
            print(f"start-up at {count:>9,} articles ({size:6,.0f} MB): median {statistics.median(times[count]):.3f} s"
                  f"   first {times[count][0]:.3f} s   runs {' '.join(f'{t:.3f}' for t in times[count])}")
        ratio = statistics.median(times[args.large]) / statistics.median(times[args.small])
        print(f"large / small: {ratio:.2f}x (target: about 1x)")
        print(f"the scan start-up used to run (id NOT IN the index), at {args.large:,}: {old_scan(paths[args.large]):.3f} s")
    print(f"load average at end: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
