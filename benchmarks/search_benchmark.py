"""Search at archive scale: /search's query path next to a bare FTS5 MATCH, same run, same terms.

    python benchmarks/search_benchmark.py [--articles 1000000] [--queries 300]

Builds a database of generated articles with the real schema (migrations) and the real index
text (news.search.index_text), words drawn by Zipf's law from a vocabulary made of the
project's own Arabic samples, their clitic forms and invented names (about 50,000 types).
Then, for each query a reader might type (spelling variants, two words, a quoted phrase), it
times
  - the /search path: parse the text, run ArticleRepository.search, render the reply;
  - the baseline: `SELECT rowid FROM article_search WHERE article_search MATCH '"w1" AND "w2"'
    ORDER BY rank LIMIT 9` on the normalized words, through the plain sqlite3 module.
Targets (issue 3): p95 of the /search path < 50 ms and within 2x of the baseline's p95.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot import views  # noqa: E402
from news.search import index_text, parse_query  # noqa: E402
from news.text import normalize, words  # noqa: E402
from storage.articles import ArticleRepository  # noqa: E402
from storage.db import Database, migrations  # noqa: E402

SAMPLES = [ROOT / "bot" / "demo_data" / "articles.jsonl", ROOT / "tests" / "data" / "topics" / "dev.jsonl"]


_CLITICS = ("و", "ب", "ل", "وال", "بال", "لل")
_LETTERS = "ابتثجحخدذرزسشصضطظعغفقكلمنهوي"


def vocabulary(names: int = 30_000, seed: int = 7) -> list[str]:
    """Words as a large archive has them: the project's own sample words, their forms with
    clitics, and invented proper names, shuffled so that Zipf ranks mix them (news has tens
    of thousands of word types; a few thousand would make every word common)."""
    rng = random.Random(seed)
    seen: dict[str, None] = {}
    for path in SAMPLES:
        for line in path.read_text(encoding="utf-8").splitlines():
            record = json.loads(line)
            for text in (record.get("title", ""), record.get("body", "")):
                for token in text.split():
                    token = token.strip("«»\"'.,:؛،!?()[]-")
                    if len(token) >= 3 and words(token):
                        seen.setdefault(token, None)
    base = list(seen)
    for word in base:
        for clitic in rng.sample(_CLITICS, 2):
            seen.setdefault(clitic + word.removeprefix("ال"), None)
    for _ in range(names):
        seen.setdefault("".join(rng.choices(_LETTERS, k=rng.randint(4, 8))), None)
    vocab = list(seen)
    rng.shuffle(vocab)
    return vocab


def build(
    path: Path, count: int, vocab: list[str], rng: random.Random, schema: int | None = None, end: datetime | None = None
) -> float:
    """Fills a new database with `count` generated articles, one every 30 s up to `end` (by
    default from 2026-01-01); `schema`: as an Akhbar of that schema version would have them
    (default: the current one)."""
    if schema is None:
        asyncio.run(_migrate(path))
    else:
        conn = sqlite3.connect(path)
        for number, _, sql in migrations()[:schema]:
            conn.executescript(f"BEGIN;\n{sql}\nPRAGMA user_version = {number};\nCOMMIT;")
        conn.close()
    # Zipf's law, s = 1; cumulative once, or random.choices re-adds 40,000 weights per call.
    cumulative = list(itertools.accumulate(1 / (rank + 1) for rank in range(len(vocab))))
    start = time.perf_counter()
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = OFF")
    base = end - timedelta(seconds=count * 30) if end else datetime(2026, 1, 1, tzinfo=UTC)
    batch = 20_000
    for first in range(1, count + 1, batch):
        rows, index = [], []
        for article_id in range(first, min(first + batch, count + 1)):
            title = " ".join(rng.choices(vocab, cum_weights=cumulative, k=rng.randint(7, 12)))
            body = " ".join(rng.choices(vocab, cum_weights=cumulative, k=25))
            when = (base + timedelta(seconds=article_id * 30)).strftime("%Y-%m-%dT%H:%M:%SZ")
            rows.append((article_id, title, normalize(title), body, when, when, f"h{article_id}", article_id))
            text = index_text(title, body)
            index.append((article_id, text.title_words, text.title_stems, text.body_words, text.body_stems))
        conn.execute("BEGIN")
        conn.executemany(
            "INSERT INTO stories (id, latest_at, size) VALUES (?, ?, 1)", [(r[0], r[4]) for r in rows]
        )
        conn.executemany(
            "INSERT INTO articles (id, title, title_key, body, published_at, fetched_at, content_hash, story_id) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
        conn.executemany(
            "INSERT INTO article_search (rowid, title_words, title_stems, body_words, body_stems) VALUES (?, ?, ?, ?, ?)",
            index,
        )
        conn.execute("COMMIT")
        print(f"\r  built {min(first + batch - 1, count):,} / {count:,}", end="", file=sys.stderr)
    conn.execute("INSERT INTO article_search (article_search) VALUES ('optimize')")
    conn.close()
    print(file=sys.stderr)
    return time.perf_counter() - start


async def _migrate(path: Path) -> None:
    async with Database(path):
        pass


def reader_queries(vocab: list[str], count: int, rng: random.Random) -> list[str]:
    """What readers type: a word as written or respelled, two words, sometimes a phrase."""

    def respell(word: str) -> str:
        choice = rng.random()
        if choice < 0.3:
            return word.replace("أ", "ا").replace("إ", "ا").replace("ة", "ه")
        if choice < 0.5 and not word.startswith("ال"):
            return "ال" + word
        return word

    queries = []
    for _ in range(count):
        kind = rng.random()
        if kind < 0.55:
            queries.append(respell(rng.choice(vocab)))
        elif kind < 0.9:
            queries.append(f"{respell(rng.choice(vocab))} {respell(rng.choice(vocab))}")
        else:
            queries.append(f'"{rng.choice(vocab)} {rng.choice(vocab)}"')
    return queries


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


async def search_path(repo: ArticleRepository, text: str) -> tuple[float, bool]:
    """One /search as the bot runs it: parse, query, render."""
    start = time.perf_counter()
    query = parse_query(text)
    hits = await repo.search(query, 9) if query else []
    if hits:
        views.search_results(text, query, hits[:8], "ar", "Africa/Algiers")
    return time.perf_counter() - start, bool(hits)


def bare_match(conn: sqlite3.Connection, text: str) -> tuple[float, float]:
    """Two bare FTS5 MATCHes, same ranking and limit, plain sqlite3, nothing else:
    - the very expression /search sends (its words and stems): what the path adds around it;
    - the reader's words, normalized, matched exactly: what matching Arabic properly costs."""
    terms = words(text)
    exact = " AND ".join(f'"{term}"' for term in terms) if '"' not in text else '"' + " ".join(terms) + '"'
    timings = []
    for expression in (parse_query(text).fts_expression(), exact):
        start = time.perf_counter()
        sql = "SELECT rowid FROM article_search WHERE article_search MATCH ? ORDER BY rank LIMIT 9"
        conn.execute(sql, (expression,)).fetchall()
        timings.append(time.perf_counter() - start)
    return timings[0], timings[1]


async def time_both(path: Path, queries: list[str]) -> tuple[list[float], list[float], list[float], int]:
    """Each query through every path, alternating which goes first, so that none profits
    from a cache another warmed."""
    ours, same, exact, found = [], [], [], 0
    conn = sqlite3.connect(path)
    async with Database(path) as db:
        repo = ArticleRepository(db)
        for number, text in enumerate(queries):
            if not parse_query(text):
                continue
            if number % 2:
                bare = bare_match(conn, text)
                seconds, hit = await search_path(repo, text)
            else:
                seconds, hit = await search_path(repo, text)
                bare = bare_match(conn, text)
            ours.append(seconds)
            same.append(bare[0])
            exact.append(bare[1])
            found += hit
    conn.close()
    return ours, same, exact, found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--db", type=Path, help="reuse or create this database file")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    vocab = vocabulary()
    with tempfile.TemporaryDirectory() as folder:
        path = args.db or Path(folder) / "search.db"
        if not path.exists():
            print(f"building {args.articles:,} articles from a vocabulary of {len(vocab):,} words…", file=sys.stderr)
            seconds = build(path, args.articles, vocab, rng)
            print(f"built in {seconds:.0f} s ({args.articles / seconds:,.0f} articles/s)")
        queries = reader_queries(vocab, args.queries, rng)
        asyncio.run(time_both(path, queries[:30]))  # warm the page cache for all sides alike
        ours, same, exact, found = asyncio.run(time_both(path, queries))
        print(f"articles: {args.articles:,}   queries: {len(ours)} ({found} with results)")
        for label, timings in (("/search path", ours), ("bare MATCH, same terms", same), ("bare MATCH, exact words", exact)):
            print(f"{label:<24} p50 {percentile(timings, 0.5) * 1000:7.2f} ms   p95 {percentile(timings, 0.95) * 1000:7.2f} ms"
                  f"   mean {statistics.mean(timings) * 1000:7.2f} ms")
        p95 = percentile(ours, 0.95)
        print(f"p95 ratio to the bare MATCH of the same terms: {p95 / percentile(same, 0.95):.2f}x (target <= 2x); "
              f"to exact words only: {p95 / percentile(exact, 0.95):.2f}x")
        print(f"p95 {p95 * 1000:.1f} ms: {'meets' if p95 < 0.05 else 'MISSES'} the 50 ms target")


if __name__ == "__main__":
    main()
