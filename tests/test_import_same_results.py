"""`akhbar import` stores the same things however fast it gets: a guard for its speed work.

tests/data/import-varied.jsonl holds 1,067 lines made of the project's own test headlines and
pages: pairs of headlines of one story from two sources, bodies with a page's boilerplate, long
bodies, titles with markup, harakat, Arabic-Indic digits and bidi marks, naive and non-UTC
times, given topics, French, duplicates and broken lines.  Its expectation
(import-varied.expected.json) is a digest of each field of each article as prepared, and of
each table a stored import leaves (articles, wilayas, the search index's every term at every
position), taken from the code before the import was made faster (main of 5 December,
6f21a0d, once its ties no longer fell by the order of Python's string hashes: news.classify's
entries of equal weight, the story matcher's postings of equal length).  A change that means
to change what is stored (the lexicon, the wilayas, the index's words) writes it again, on
purpose:

    python tests/test_import_same_results.py --write

The story matcher's own output (story keys, which article joins which story, and the topics
that a story's weak versions take from its surest one) is left out of the expectation, so that
the matcher can change without this file: the stories are compared between an import parsed in
worker processes and one parsed in the importing process instead.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"
VARIED = DATA / "import-varied.jsonl"
EXPECTED = DATA / "import-varied.expected.json"

# NewArticle's fields as prepared, story_key aside (the matcher's, see above).
_PREPARED_FIELDS = (
    "title", "title_key", "content_hash", "body", "summary", "url", "source", "published_at", "lang",
    "topics", "regions", "search", "guid", "source_id", "topic_margin", "claimed_published_at",
)
_STORED_QUERIES = {
    "articles": (
        "SELECT title, title_key, body, summary, url, source, published_at, lang, content_hash, guid, source_id, "
        "claimed_published_at, hidden FROM articles ORDER BY id"
    ),
    # A story's weakly filed versions take its surest version's topics (and margin) when it
    # grows: those follow the matcher, so the topics are compared as prepared (above) and
    # between the two imports, not here.
    "article_topics": "SELECT article_id, topic FROM article_topics ORDER BY article_id, topic",
    "article_regions": "SELECT article_id, wilaya FROM article_regions ORDER BY article_id, wilaya",
    "search_index": "SELECT term, doc, col, offset FROM temp.search_terms ORDER BY doc, col, offset, term",
}


def _digest(values: object) -> str:
    return hashlib.sha256(json.dumps(values, ensure_ascii=False, default=str).encode()).hexdigest()


def _plain(value: object) -> object:
    if hasattr(value, "__slots__") and hasattr(value, "__dataclass_fields__"):
        return {name: _plain(getattr(value, name)) for name in value.__dataclass_fields__}
    if isinstance(value, tuple):
        return [_plain(item) for item in value]
    return value


def prepared_digests() -> dict[str, str]:
    """Each field of every article prepared from the file, and every rejected line's reason."""
    from news.importers import parse_jsonl

    parsed = list(parse_jsonl(VARIED.read_text(encoding="utf-8")))
    articles = [article for _, article in parsed if not isinstance(article, str)]
    digests = {name: _digest([_plain(getattr(a, name)) for a in articles]) for name in _PREPARED_FIELDS}
    digests["rejected"] = _digest([(number, reason) for number, reason in parsed if isinstance(reason, str)])
    return digests


def stored_rows(db: Path) -> dict[str, list[tuple[object, ...]]]:
    conn = sqlite3.connect(db)
    try:
        # The index keeps no copy of the text: its vocabulary table lists every term where it stands.
        conn.execute("CREATE VIRTUAL TABLE temp.search_terms USING fts5vocab(main, article_search, instance)")
        return {table: conn.execute(sql).fetchall() for table, sql in _STORED_QUERIES.items()}
    finally:
        conn.close()


def stories(db: Path) -> list[list[int]]:
    """The stories as groups of article ids, each group in id order."""
    conn = sqlite3.connect(db)
    try:
        groups: dict[int, list[int]] = {}
        for article_id, story_id in conn.execute("SELECT id, story_id FROM articles ORDER BY id"):
            groups.setdefault(story_id, []).append(article_id)
        return sorted(groups.values())
    finally:
        conn.close()


@pytest.fixture
def env(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # no stray .env is read
    for name in ("TELEGRAM_BOT_TOKEN", "AKHBAR_LOG_LEVEL", "AKHBAR_TIMEZONE", "AKHBAR_DIGEST_TIME"):
        monkeypatch.delenv(name, raising=False)
    return tmp_path


def _import(env: Path, monkeypatch: pytest.MonkeyPatch, name: str, workers: str) -> Path:
    from bot.cli import main
    from news import importers

    monkeypatch.setattr(importers, "WORKERS_FROM_LINES", 1)  # this file counts as large
    monkeypatch.setattr(importers, "_BATCH", 100)  # several batches in flight
    monkeypatch.setenv("AKHBAR_WORKERS", workers)
    db = env / f"{name}.db"
    monkeypatch.setenv("AKHBAR_DB", str(db))
    assert main(["import", str(VARIED)]) == 1  # a few lines are broken on purpose
    return db


def test_articles_are_prepared_as_before():
    expected = json.loads(EXPECTED.read_text())["prepared"]
    assert prepared_digests() == expected


def test_an_article_gets_the_same_topics_whatever_process_prepares_it():
    """Each process hashes strings its own way (PYTHONHASHSEED), and a set's order follows:
    the topics, and how sure the lexicon is of them, were once the first of equal entries in
    that order, so a worker and the bot could file one article under different topics."""
    import os
    import subprocess

    script = (
        "from tests.test_import_same_results import prepared_digests; d = prepared_digests(); "
        "print(d['topics'], d['topic_margin'])"
    )
    seen = {
        subprocess.run(
            [sys.executable, "-c", script], cwd=ROOT, env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True, text=True, check=True,
        ).stdout
        for seed in ("1", "2", "3")
    }
    assert len(seen) == 1


def test_an_article_comes_back_from_a_worker_as_it_was_made():
    import dataclasses
    import pickle
    from datetime import UTC, datetime

    from news.importers import pack_article, parse_jsonl, unpack_article

    articles = [a for _, a in parse_jsonl(VARIED.read_text(encoding="utf-8")) if not isinstance(a, str)]
    articles.append(dataclasses.replace(  # what an import never sets, a feed's article may
        articles[0], guid="urn:x", source_id=7, claimed_published_at=datetime(2031, 1, 2, 3, 4, 5, 6, tzinfo=UTC),
        published_at=datetime(1969, 12, 31, 23, 59, 59, 999_999, tzinfo=UTC),
    ))
    back = [unpack_article(packed) for packed in pickle.loads(pickle.dumps([pack_article(a) for a in articles]))]
    assert back == articles
    assert all(a.published_at is None or a.published_at.utcoffset() is not None for a in back)


def test_an_import_stores_what_it_stored_before_and_the_same_stories_in_workers_or_not(env, monkeypatch, capsys):
    expected = json.loads(EXPECTED.read_text())
    here = _import(env, monkeypatch, "here", "0")
    assert f"added {expected['added']}, duplicates {expected['duplicates']}," in capsys.readouterr().out
    in_workers = _import(env, monkeypatch, "workers", "2")
    assert f"added {expected['added']}, duplicates {expected['duplicates']}," in capsys.readouterr().out
    stored = {table: _digest(rows) for table, rows in stored_rows(here).items() if table in expected["stored"]}
    assert stored == expected["stored"]
    assert stored_rows(in_workers) == stored_rows(here)
    assert stories(in_workers) == stories(here)
    assert any(len(group) > 1 for group in stories(here))  # the pairs of one story do meet


def _write() -> None:
    """The expectation of the code as it is now (run from the repository's root)."""
    import os
    import tempfile

    sys.path.insert(0, str(ROOT))
    from bot.cli import main

    with tempfile.TemporaryDirectory() as folder:
        os.environ["AKHBAR_DB"] = db = os.path.join(folder, "expected.db")
        os.environ["AKHBAR_WORKERS"] = "0"
        main(["import", str(VARIED)])
        rows = stored_rows(Path(db))
        added = len(rows["articles"])
    from news.importers import parse_jsonl

    prepared = prepared_digests()
    parsed = list(parse_jsonl(VARIED.read_text(encoding="utf-8")))
    rejected = sum(1 for _, article in parsed if isinstance(article, str))
    EXPECTED.write_text(json.dumps({
        "added": added,
        "duplicates": len(parsed) - rejected - added,
        "prepared": prepared,
        "stored": {table: _digest(values) for table, values in rows.items() if table != "article_topics"},
    }, indent=2) + "\n")
    print(f"wrote {EXPECTED}")


if __name__ == "__main__":
    if sys.argv[1:] != ["--write"]:
        raise SystemExit(__doc__)
    _write()
