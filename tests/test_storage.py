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


async def test_missing_folder_is_a_clear_error(tmp_path):
    with pytest.raises(StorageError, match="AKHBAR_DB"):
        await Database(tmp_path / "nope" / "a.db").open()
