"""`akhbar import` at archive scale: items/s of the CLI import, next to a bare build in the same run.

    python benchmarks/import_benchmark.py [--items 200000] [--profile]

Writes a JSON Lines file of generated articles (the project's own Arabic headlines, varied by a
number, bodies of three of them, or `--body-titles N`; a topic on one in three), then
  - runs `akhbar import FILE` into a new database, in this process (bot.cli.main), timed whole:
    reading, parsing, cleaning, normalization, topics, wilayas, story matching, storing and
    indexing — with AKHBAR_WORKERS=0 (parsed in this process) and with worker processes
    (`--workers`, default auto), alternated `--rounds` times;
  - the bare baseline: the very rows that import stored (read back from its database) written
    into a new database of the same schema with plain `executemany` — articles, then the same
    FTS5 rows (index text computed before the clock) — in transactions of 500, with the
    project's connection settings.
Targets (issue 17): >= 3,000 items/s, and <= 8x the bare build.  `--profile FILE` writes the
import's cProfile to FILE and prints its top functions.

`--against TREE` compares with another checkout of the project (e.g. `git worktree add` or
`git archive | tar -x` of an older commit): each round imports the file with TREE's code and
with this one's (in that order, then the other way round), each in a process of its own with
the same `--workers`, and prints both, their ratio, the CPU of all their processes and the
importing process's peak resident memory (`--stdin`: the file given on standard input).
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import json
import os
import pstats
import random
import resource
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from alternated import alternate, load_average  # noqa: E402

from bot.cli import main as akhbar  # noqa: E402
from news.search import index_text  # noqa: E402
from storage.db import PRAGMAS, Database  # noqa: E402

SEEDS = [ROOT / "tests" / "data" / "topics" / "dev.jsonl", ROOT / "bot" / "demo_data" / "articles.jsonl"]
TOPICS = ("economy", "sports", "politics", "culture")


def write_items(path: Path, count: int, rng: random.Random, body_titles: int = 3) -> None:
    titles = [json.loads(line)["title"] for seed in SEEDS for line in seed.read_text(encoding="utf-8").splitlines()]
    start = datetime.now(UTC) - timedelta(seconds=count * 6)
    with path.open("w", encoding="utf-8") as out:
        for n in range(count):
            record = {
                "title": f"{rng.choice(titles)} {n}",
                "body": " ".join(rng.choice(titles) for _ in range(body_titles)),
                "url": f"https://news{n % 200}.example.dz/a/{n}",
                "source": f"مصدر {n % 200}",
                "published_at": (start + timedelta(seconds=n * 6)).isoformat(),
            }
            if n % 3 == 0:
                record["topics"] = [rng.choice(TOPICS)]
            out.write(json.dumps(record, ensure_ascii=False) + "\n")


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_import(db: Path, items: Path, profile: Path | None, workers: str) -> tuple[float, float, float]:
    """The import's wall-clock seconds, this process's CPU seconds (every thread's: the
    database's thread too) and its worker processes', which a loaded machine inflates less."""
    os.environ["AKHBAR_DB"] = str(db)
    os.environ["AKHBAR_LOG_LEVEL"] = "WARNING"
    os.environ["AKHBAR_WORKERS"] = workers
    profiler = cProfile.Profile() if profile is not None else None
    start, cpu, children = time.perf_counter(), time.process_time(), children_cpu()
    if profiler:
        profiler.enable()
    code = akhbar(["import", str(items)])
    if profiler:
        profiler.disable()
    seconds, cpu, children = time.perf_counter() - start, time.process_time() - cpu, children_cpu() - children
    if code != 0:
        raise SystemExit(f"akhbar import exited with {code}")
    if profiler:
        profiler.dump_stats(profile)
        pstats.Stats(profiler).sort_stats("tottime").print_stats(25)
    return seconds, cpu, children


# The importing process's own peak resident memory, and its largest worker's, told on stderr.
_PEAKS = (
    "import resource; print('peak RSS', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,"
    " resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr)"
)


def run_import_of(tree: Path, db: Path, items: Path, workers: str, stdin: bool = False) -> tuple[float, float, int, int]:
    """`akhbar import` with the code of `tree`, in a process of its own (`akhbar import - < FILE`
    with `stdin`): its wall-clock seconds, the CPU seconds of that process and its workers
    (waited for, so counted as its children), and the peak resident memory in KiB of that
    process and of its largest worker."""
    env = {**os.environ, "AKHBAR_DB": str(db), "AKHBAR_LOG_LEVEL": "WARNING", "AKHBAR_WORKERS": workers}
    path = "-" if stdin else str(items)
    code = (f"import sys; sys.path.insert(0, {str(tree)!r}); from bot.cli import main; "
            f"status = main(['import', {path!r}]); {_PEAKS}; sys.exit(status)")
    start, children = time.perf_counter(), children_cpu()
    with items.open("rb") as source:
        done = subprocess.run([sys.executable, "-c", code], env=env, cwd=tree, check=True, stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE, stdin=source if stdin else subprocess.DEVNULL)
    seconds, cpu = time.perf_counter() - start, children_cpu() - children
    peaks = [line.split()[2:] for line in done.stderr.decode().splitlines() if line.startswith("peak RSS ")]
    own, worker = map(int, peaks[-1])
    return seconds, cpu, own, worker


def against(tree: Path, folder: Path, items: Path, count: int, rounds: int, workers: str, stdin: bool) -> None:
    """Rounds alternated between `tree`'s code and this checkout's, then the bare build of the
    rows this checkout stored."""
    timings: dict[Path, list[tuple[float, float, int, int]]] = {tree: [], ROOT: []}
    for number, checkout in alternate(rounds, tree, ROOT):
        db = folder / f"against-{number}-{'new' if checkout == ROOT else 'old'}.db"
        timings[checkout].append(run_import_of(checkout, db, items, workers, stdin))
    base, stored = bare(db, folder / "bare.db")
    print(f"bare executemany + FTS5 of the {stored:,} rows stored: {base:.1f} s: {stored / base:,.0f} rows/s")
    size = items.stat().st_size
    for checkout, label in ((tree, f"{tree} (before)"), (ROOT, "this checkout")):
        for seconds, cpu, own, worker in timings[checkout]:
            print(f"{label}: {count / seconds:,.0f} items/s ({seconds:.1f} s), {seconds / base:.1f}x bare;"
                  f" CPU of all its processes {cpu:.1f} s = {cpu / count * 1e6:.0f} µs per item;"
                  f" peak RSS {own / 1024:,.0f} MiB (a {size / 2**20:,.0f} MiB file{' on stdin' if stdin else ''}),"
                  f" largest worker {worker / 1024:,.0f} MiB")
    pairs = [(old[0] / new[0], new[1] / old[1]) for old, new in zip(timings[tree], timings[ROOT], strict=True)]
    print(f"this checkout against {tree}, AKHBAR_WORKERS={workers}, {rounds} rounds: items/s x"
          f"{statistics.median(p[0] for p in pairs):.2f} (median; each: {', '.join(f'{p[0]:.2f}' for p in pairs)}),"
          f" CPU per item x{statistics.median(p[1] for p in pairs):.2f} (each: {', '.join(f'{p[1]:.2f}' for p in pairs)})")


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
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--workers", default="auto", help="AKHBAR_WORKERS for the runs with workers")
    parser.add_argument("--against", type=Path, metavar="TREE", help="alternate with the code of this checkout")
    parser.add_argument("--body-titles", type=int, default=3, metavar="N",
                        help="headlines in each body (3; 50 makes a 200 MB file of 40,000 items, for memory)")
    parser.add_argument("--stdin", action="store_true", help="with --against: `akhbar import - < FILE` (TREE must read -)")
    args = parser.parse_args()
    print(f"load average at start: {load_average()}")
    with tempfile.TemporaryDirectory() as folder:
        items = Path(folder) / "items.jsonl"
        write_items(items, args.items, random.Random(args.seed), args.body_titles)
        if args.against is not None:
            against(args.against.resolve(), Path(folder), items, args.items, args.rounds, args.workers, args.stdin)
            print(f"load average at end: {load_average()}")
            return
        # Alternated, each into a new database: parsing in this process, then in the workers.
        runs: dict[str, list[tuple[float, float, float]]] = {"0": [], args.workers: []}
        for round_number in range(args.rounds):
            for workers in runs:
                db = Path(folder) / f"import-{workers}-{round_number}.db"
                runs[workers].append(run_import(db, items, args.profile, workers))
        base, stored = bare(db, Path(folder) / "bare.db")
        print(f"bare executemany + FTS5 of the {stored:,} rows stored: {base:.1f} s: {stored / base:,.0f} rows/s")
        for workers, timings in runs.items():
            label = "parsed in this process" if workers == "0" else f"AKHBAR_WORKERS={workers}"
            for seconds, cpu, children in timings:
                print(f"akhbar import, {label}: {args.items:,} items in {seconds:.1f} s: {args.items / seconds:,.0f} items/s"
                      f" (target >= 3,000), {seconds / base:.1f}x bare (target <= 8x); CPU {cpu:.1f} s here"
                      f" + {children:.1f} s in workers")
    print(f"load average at end: {load_average()}")


if __name__ == "__main__":
    main()
