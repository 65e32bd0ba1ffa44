"""SQLite as the engine: its file, pragmas and migrations (the repositories' contract, on both
engines, is tests/test_repositories.py)."""

from datetime import UTC, datetime

import aiosqlite
import pytest

from news.articles import make_article
from news.repositories import StorageError
from storage.articles import ArticleRepository
from storage.db import Database, migrations

T0 = datetime(2026, 11, 29, 6, 0, tzinfo=UTC)


async def test_fresh_database_is_migrated_to_the_latest_version_with_wal_and_foreign_keys(db):
    assert await db.schema_version() == len(migrations())
    async with db.conn.execute("PRAGMA journal_mode") as c:
        assert (await c.fetchone())[0] == "wal"
    async with db.conn.execute("PRAGMA foreign_keys") as c:
        assert (await c.fetchone())[0] == 1


async def test_reopening_keeps_data_and_does_not_migrate_twice(tmp_path):
    path = tmp_path / "a.db"
    async with Database(path) as db:
        await ArticleRepository(db).add(make_article(title="خبر أول"))
    async with Database(path) as db:
        assert await ArticleRepository(db).count() == 1
        assert await db.schema_version() == len(migrations())


async def test_a_database_from_a_newer_akhbar_is_refused_clearly(tmp_path):
    path = tmp_path / "future.db"
    async with aiosqlite.connect(path) as conn:
        await conn.execute("PRAGMA user_version = 999")
    with pytest.raises(StorageError, match="newer than this Akhbar"):
        await Database(path).open()


@pytest.mark.parametrize("name", ["a folder", "a name too long"])
def test_a_path_sqlite_cannot_open_is_one_line_with_no_traceback_at_exit(tmp_path, name):
    """AKHBAR_DB naming a folder (or a name the system refuses): one line, status 2 — and no
    «Exception in thread … Event loop is closed» after it, from aiosqlite's thread outliving
    the failed connect."""
    import os
    import subprocess
    import sys

    from .conftest import ROOT

    path = tmp_path if name == "a folder" else tmp_path / ("a" * 300 + ".db")
    env = {**os.environ, "AKHBAR_DB": str(path), "PYTHONPATH": str(ROOT)}
    result = subprocess.run([sys.executable, "-m", "bot", "search", "وهران"], cwd=tmp_path, env=env,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 2 and result.stdout == ""
    (line,) = result.stderr.splitlines()
    assert line.startswith(f"akhbar: AKHBAR_DB: cannot open {path}: ")


async def test_missing_folder_is_a_clear_error(tmp_path):
    with pytest.raises(StorageError, match="AKHBAR_DB"):
        await Database(tmp_path / "nope" / "a.db").open()


@pytest.mark.parametrize("command", [["search", "وهران"], ["export"], ["db", "migrate"]])
def test_a_file_that_is_no_database_is_one_line_and_left_as_it_was(cli_env, capsys, command):
    """AKHBAR_DB pointing at a text file (a slip in .env): every command says so in one line,
    status 2, and the file is not touched."""
    from bot.cli import main

    path = cli_env / "akhbar.db"
    path.write_text("not a database, a note\n" * 100)
    before = path.read_bytes()
    assert main(command) == 2
    out, err = capsys.readouterr()
    (line,) = err.splitlines()
    assert line == f"akhbar: AKHBAR_DB: cannot use {path}: it is not an SQLite database (another kind of file, " \
        "or a damaged one); please name another file"
    assert out == "" and path.read_bytes() == before


async def test_a_file_named_by_db_copy_to_is_named_so_when_refused(tmp_path, monkeypatch):
    """`akhbar db copy --to FILE` from PostgreSQL: what is wrong with FILE is said of --to, not
    of AKHBAR_DB, which the reader did not set."""
    import storage.db
    from storage.connect import open_target

    with pytest.raises(StorageError, match=r"^--to: cannot open "):
        await open_target(str(tmp_path))  # a folder, not a file
    monkeypatch.setattr(storage.db, "sqlite_version", lambda: (3, 34, 1))
    with pytest.raises(StorageError, match=r"^--to: this system's SQLite is 3\.34\.1"):
        await open_target(str(tmp_path / "copy.db"))
    # The first 3.35 releases had DROP COLUMN and RETURNING still to mend.
    monkeypatch.setattr(storage.db, "sqlite_version", lambda: (3, 35, 4))
    with pytest.raises(StorageError, match=r"SQLite is 3\.35\.4, and Akhbar needs SQLite 3\.35\.5 or newer"):
        await open_target(str(tmp_path / "copy.db"))
    assert not (tmp_path / "copy.db").exists()


@pytest.mark.parametrize("found", ["an earlier Akhbar's file", "no file yet"])
def test_an_sqlite_too_old_is_refused_in_one_line_before_the_file_is_touched(cli_env, monkeypatch, capsys, found):
    """RHEL 9's SQLite is 3.34: migration 0016 (ALTER TABLE … DROP COLUMN) and the claims'
    UPDATE … RETURNING need 3.35 (3.35.5: mended).  `akhbar` says so, naming both versions, and
    stops (status 2, no traceback) before opening the file: an earlier Akhbar's file is not migrated halfway,
    a new one is not created."""
    import storage.db
    from bot.cli import main

    path = cli_env / "akhbar.db"
    if found == "an earlier Akhbar's file":
        _database_at(path, 15)  # 0016 still to apply
    before = path.read_bytes() if path.exists() else None
    real = storage.db.sqlite_version
    monkeypatch.setattr(storage.db, "sqlite_version", lambda: (3, 34, 1))
    assert main(["db", "migrate"]) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and "Traceback" not in captured.err
    (line,) = captured.err.splitlines()
    assert line.startswith("akhbar: AKHBAR_DB: ") and "SQLite is 3.34.1" in line and "needs SQLite 3.35.5 or newer" in line
    assert (path.read_bytes() if path.exists() else None) == before
    assert sorted(p.name for p in cli_env.iterdir()) == (["akhbar.db"] if before is not None else [])
    # The SQLite it needs: the same command migrates the file.
    monkeypatch.setattr(storage.db, "sqlite_version", real)
    assert main(["db", "migrate"]) == 0
    assert f"schema version {len(migrations())}, up to date" in capsys.readouterr().out


def _database_at(path, version: int) -> None:
    """A database file as an Akhbar of schema `version` left it."""
    import sqlite3

    conn = sqlite3.connect(path)
    for number, _, sql in migrations()[:version]:
        conn.executescript(f"BEGIN;\n{sql}\nPRAGMA user_version = {number};\nCOMMIT;")
    conn.close()


async def test_the_search_index_keeps_no_copy_of_the_text_and_old_files_are_migrated_in_place(tmp_path):
    """Issue 17: the FTS5 table had its own full copy of the normalized text (half of a large
    archive).  An archive stored by the previous schema is migrated where it stands: smaller,
    and every word, stem and phrase still found, ranked and highlighted as before."""
    import sqlite3

    from news.search import index_text, parse_query

    path = tmp_path / "old.db"
    _database_at(path, 6)
    conn = sqlite3.connect(path)
    titles = [f"سوناطراك توقع عقدا جديدا مع شركة رقم {n} في وهران" for n in range(400)] + [
        "وزير الطاقة يزور حاسي مسعود",
        "الطاقة الشمسية في الجنوب",
    ]
    body = "نص الخبر " * 200
    for article_id, title in enumerate(titles, start=1):
        conn.execute(
            "INSERT INTO articles (id, title, title_key, body, fetched_at, content_hash, story_id) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (article_id, title, title, body, "2026-11-29T06:00:00Z", f"h{article_id}", None),
        )
        text = index_text(title, body)
        conn.execute(
            "INSERT INTO article_search (rowid, title_words, title_stems, body_words, body_stems) VALUES (?, ?, ?, ?, ?)",
            (article_id, text.title_words, text.title_stems, text.body_words, text.body_stems),
        )
    conn.commit()
    conn.close()
    before = path.stat().st_size

    async with Database(path) as db:
        assert await db.schema_version() == len(migrations())
        tables = {row[0] for row in await db.fetch("SELECT name FROM sqlite_master WHERE type = 'table'")}
        assert "article_search_content" not in tables  # the copy of the text is gone
        repo = ArticleRepository(db)
        assert [a.id for a in await repo.search(parse_query("وزير الطاقة"), 5)] == [401]
        assert [a.id for a in await repo.search(parse_query('"الطاقة الشمسية"'), 5)] == [402]
        assert {a.id for a in await repo.search(parse_query("طاقة"), 5)} == {401, 402}  # stems too
        assert len(await repo.search(parse_query("سوناطراك وهران"), 10)) == 10
        # New articles are indexed in the lean table as before.
        new_id = await repo.add(make_article(title="الطاقة الشمسية تصل الى تمنراست"))
        assert [a.id for a in await repo.search(parse_query('"الطاقة الشمسية" تمنراست'), 5)] == [new_id]
    # Compacted once after the migration: the freed copy is given back.
    assert path.stat().st_size < before * 0.75


async def _steps(db, work) -> int:
    """SQLite virtual-machine steps `work` takes on db (in thousands): the work done, not the time."""
    steps = 0

    def count() -> int:
        nonlocal steps
        steps += 1
        return 0

    await db.conn.set_progress_handler(count, 1000)
    try:
        await work()
    finally:
        await db.conn.set_progress_handler(None, 1000)
    return steps


async def test_start_up_indexes_the_backlog_without_reading_the_whole_index(tmp_path):
    """Issue 17: start-up compared every article with the search index (`id NOT IN`) before the
    bot answered, a time that grew with the archive.  Now it reads the backlog only: the same
    work at 30 articles and at 3,000; articles an older Akhbar stored without an index are
    still found."""
    import sqlite3

    from news.ingest import index_missing
    from news.search import parse_query

    path = tmp_path / "old.db"
    _database_at(path, 1)  # before search existed
    conn = sqlite3.connect(path)
    conn.execute(
        "INSERT INTO articles (id, title, title_key, body, fetched_at, content_hash) VALUES (1, ?, ?, '', ?, 'h1')",
        ("خبر قديم عن سوناطراك", "خبر قديم عن سوناطراك", "2026-11-29T06:00:00Z"),
    )
    conn.commit()
    conn.close()
    async with Database(path) as db:
        repo = ArticleRepository(db)
        assert await index_missing(repo) == 1
        assert [a.id for a in await repo.search(parse_query("سوناطراك"), 5)] == [1]
        assert await index_missing(repo) == 0

    work = []
    for size in (30, 3000):
        async with Database(tmp_path / f"{size}.db") as db:
            repo = ArticleRepository(db)
            await repo.add_many([make_article(title=f"خبر رقم {n} عن الطاقة", url=f"https://e.dz/{n}") for n in range(size)])
            work.append(await _steps(db, lambda repo=repo: index_missing(repo)))
    small, large = work
    assert large <= small + 2, work


def test_a_time_is_stored_as_the_same_utc_text_whatever_its_zone_or_year():
    """The schema's UTC text (listings sort by it as text): what strftime wrote before it was
    made faster, including a year before 1000, which strftime writes without its zeros."""
    from datetime import timedelta, timezone

    from storage.db import utc_text

    algiers = timezone(timedelta(hours=1))
    assert utc_text(datetime(2026, 12, 6, 8, 30, 5, 999_999, tzinfo=algiers)) == "2026-12-06T07:30:05Z"
    assert utc_text(datetime(2027, 1, 1, 0, 30, tzinfo=algiers)) == "2026-12-31T23:30:00Z"
    assert utc_text(datetime(1000, 1, 1, tzinfo=UTC)) == "1000-01-01T00:00:00Z"
    for moment in (datetime(999, 5, 4, 3, 2, 1, tzinfo=UTC), datetime(1, 1, 1, 12, tzinfo=UTC)):
        assert utc_text(moment) == moment.strftime("%Y-%m-%dT%H:%M:%SZ")


async def test_a_database_of_schema_16_never_gives_a_process_an_id_a_claim_or_lease_still_names(tmp_path):
    """Migration 0017: the processes table made again with AUTOINCREMENT keeps the processes
    alive, and the next id passes every id given so far — the live ones' and those a dropped
    process's claims or lease still name."""
    import sqlite3

    from storage.processes import ProcessRepository

    path = tmp_path / "old.db"
    _database_at(path, 16)
    conn = sqlite3.connect(path)
    conn.execute("INSERT INTO processes (id, role, host, pid, started_at, beat_at) VALUES (3, 'worker', 'h', 9, 1, 1)")
    conn.execute("INSERT INTO leases (name, holder, taken_at) VALUES ('feed-polling', 7, 1)")  # process 7 is gone
    conn.commit()
    conn.close()

    async with Database(path) as db:
        processes = ProcessRepository(db)
        assert await processes.on_host("h") == [(3, 9)]
        assert await processes.register("worker", "h2", 10, 2.0) == 8


def test_a_path_in_the_home_folder_as_a_env_file_writes_it_is_opened_there(cli_env, monkeypatch, capsys):
    """AKHBAR_DB=~/news.db in .env (no shell expands it there): before, the folder was checked
    in the home folder and the file opened in a folder named "~" ("unable to open database file")."""
    from bot.cli import main

    home = cli_env / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("AKHBAR_DB", "~/news.db")
    assert main(["db", "migrate"]) == 0
    assert capsys.readouterr().out.startswith(f"AKHBAR_DB={home / 'news.db'}: schema version ")
    assert (home / "news.db").is_file() and not (cli_env / "~").exists()
