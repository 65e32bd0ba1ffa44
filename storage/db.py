"""The process's one SQLite connection: pragmas, numbered migrations, and a clean close.

aiosqlite runs each connection on a non-daemon thread, so a connection left open keeps the
process alive at exit: `Database` is an async context manager and every entry point uses it.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from types import TracebackType

import aiosqlite

log = logging.getLogger(__name__)

_MIGRATION_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")


class StorageError(Exception):
    """The database could not be opened or migrated; the message says why, for the operator."""


def utc_text(moment: datetime) -> str:
    """An aware datetime as the UTC text the schema stores."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_utc_text(text: str | None) -> datetime | None:
    if text is None:
        return None
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)


def migrations() -> list[tuple[int, str, str]]:
    """(number, file name, SQL) of every bundled migration, in order."""
    found = []
    for entry in resources.files("storage.migrations").iterdir():
        match = _MIGRATION_NAME.match(entry.name)
        if match:
            found.append((int(match.group(1)), entry.name, entry.read_text(encoding="utf-8")))
    found.sort()
    numbers = [number for number, _, _ in found]
    if numbers != list(range(1, len(found) + 1)):
        raise StorageError(f"migrations must be numbered 0001, 0002, … without gaps, found {numbers}")
    return found


class Database:
    def __init__(self, path: str | Path) -> None:
        self.path = str(path)
        self._conn: aiosqlite.Connection | None = None
        # One connection is shared by every coroutine: writers take turns, so that one's
        # statements never land inside another's open transaction.
        self._write_lock = asyncio.Lock()

    @property
    def conn(self) -> aiosqlite.Connection:
        if self._conn is None:
            raise RuntimeError("the database is not open")
        return self._conn

    async def open(self) -> Database:
        if self.path != ":memory:":
            parent = Path(self.path).expanduser().resolve().parent
            if not parent.is_dir():
                raise StorageError(f"AKHBAR_DB: the folder {parent} does not exist")
        try:
            self._conn = await aiosqlite.connect(self.path, isolation_level=None)
        except Exception as exc:  # sqlite3.OperationalError and friends
            raise StorageError(f"AKHBAR_DB: cannot open {self.path}: {exc}") from exc
        try:
            self._conn.row_factory = aiosqlite.Row
            await self._conn.execute("PRAGMA journal_mode = WAL")
            await self._conn.execute("PRAGMA foreign_keys = ON")
            await self._conn.execute("PRAGMA busy_timeout = 5000")
            await self._conn.execute("PRAGMA synchronous = NORMAL")
            await self._migrate()
        except BaseException:
            await self.close()
            raise
        return self

    async def _migrate(self) -> None:
        async with self.conn.execute("PRAGMA user_version") as cursor:
            (current,) = await cursor.fetchone()
        bundled = migrations()
        if current > len(bundled):
            raise StorageError(
                f"AKHBAR_DB: {self.path} is at schema version {current}, newer than this Akhbar "
                f"({len(bundled)}); upgrade Akhbar or use another file"
            )
        for number, name, sql in bundled[current:]:
            log.info("applying migration %s", name)
            # One transaction per migration: a failure leaves the file at the previous version.
            try:
                await self.conn.executescript(
                    f"BEGIN;\n{sql}\nPRAGMA user_version = {number};\nCOMMIT;"
                )
            except Exception as exc:
                if self.conn.in_transaction:
                    await self.conn.execute("ROLLBACK")
                raise StorageError(f"AKHBAR_DB: migration {name} failed: {exc}") from exc

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[aiosqlite.Connection]:
        """A write transaction: committed on success, rolled back on any error."""
        async with self._write_lock:
            conn = self.conn
            await conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
            except BaseException:
                await conn.execute("ROLLBACK")
                raise
            await conn.execute("COMMIT")

    async def schema_version(self) -> int:
        async with self.conn.execute("PRAGMA user_version") as cursor:
            (version,) = await cursor.fetchone()
        return version

    async def close(self) -> None:
        if self._conn is not None:
            conn, self._conn = self._conn, None
            await conn.close()

    async def __aenter__(self) -> Database:
        return await self.open()

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()
