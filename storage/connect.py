"""Which engine a process runs on: PostgreSQL when a database URL is given, else the SQLite file."""

from __future__ import annotations

from pathlib import Path

from news.repositories import StorageError
from storage.db import Database as SqliteDatabase
from storage.db import migrations
from storage.engine import Database
from storage.pg_url import redacted
from storage.postgres import PostgresDatabase


async def open_database(
    url: str | None, path: str, *, setting: str = "AKHBAR_DATABASE_URL", path_setting: str = "AKHBAR_DB"
) -> Database:
    """The database opened and migrated: at `url` (postgresql://…) if given, else the file at
    `path`; `setting` and `path_setting` name where each came from, in messages."""
    if url:
        return await PostgresDatabase(url, setting=setting).open()
    return await SqliteDatabase(path, setting=path_setting).open()


def bundled_version(db: Database) -> int:
    """The schema version this Akhbar's migrations bring `db`'s engine to."""
    return len(migrations("storage.pg_migrations" if db.dialect.name == "postgresql" else "storage.migrations"))


async def open_target(target: str, *, setting: str = "--to") -> Database:
    """The database `target` names — a postgresql:// URL, or a SQLite file's path — opened and migrated."""
    if "://" in target:
        return await open_database(target, "", setting=setting)
    if not Path(target).expanduser().resolve().parent.is_dir():
        raise StorageError(f"{setting}: the folder of {target} does not exist")
    return await open_database(None, target, path_setting=setting)


def same_database(url: str | None, path: str, target: str) -> bool:
    """Whether `target` names the database at `url`, or else the SQLite file at `path`."""
    if url:
        return redacted(url) == redacted(target)
    return "://" not in target and Path(target).expanduser().resolve() == Path(path).expanduser().resolve()
