"""The SQLite engine — the process's one connection: pragmas, numbered migrations, a clean
close — and the UTC text both engines store instants as.

aiosqlite runs each connection on a non-daemon thread, so a connection left open keeps the
process alive at exit: `Database` is an async context manager and every entry point uses it.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import re
import sqlite3
import threading
import time
from collections.abc import AsyncIterator, Awaitable, Iterable, Sequence
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path

import aiosqlite

from news.claims import LEASE_SECONDS
from news.plurals import counted
from news.repositories import StorageError, StorageUnavailable
from storage.engine import SQLITE, Engine, Params, Row, Tx

log = logging.getLogger(__name__)

_MIGRATION_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")


# What SQLite's error names mean for a write that failed (sqlite3 gives sqlite_errorname).
_WRITE_REFUSALS = {
    "SQLITE_FULL": "full",
    "SQLITE_READONLY": "read-only",
    "SQLITE_READONLY_DBMOVED": "read-only",
    "SQLITE_READONLY_DIRECTORY": "read-only",
    "SQLITE_CANTOPEN": "read-only",
    "SQLITE_BUSY": "locked",
    "SQLITE_LOCKED": "locked",
}


# The oldest SQLite this schema and its statements run on: ALTER TABLE … DROP COLUMN
# (migration 0016) and UPDATE … RETURNING (the claims) came with 3.35.0, and the patch releases
# up to 3.35.5 mended both (a DROP COLUMN of an indexed column in 3.35.1, RETURNING in 3.35.4,
# DROP COLUMN again in 3.35.5).
SQLITE_NEEDED = (3, 35, 5)


def sqlite_version() -> tuple[int, int, int]:
    """The version of the SQLite library Python's sqlite3 module runs on (not Python's own)."""
    return sqlite3.sqlite_version_info


def check_sqlite_version(setting: str = "AKHBAR_DB") -> None:
    """Refuse, in one line, an SQLite too old for Akhbar: before the file is opened, created
    or migrated — not halfway through a migration with SQLite's own words."""
    found = sqlite_version()
    if found < SQLITE_NEEDED:
        raise StorageError(
            f"{setting}: this system's SQLite is {'.'.join(map(str, found))}, and Akhbar needs SQLite "
            f"{'.'.join(map(str, SQLITE_NEEDED))} or newer; please run it with a Python built on a newer "
            "SQLite, or on PostgreSQL (AKHBAR_DATABASE_URL). The database was left untouched."
        )


async def _stopped(connection: aiosqlite.Connection) -> None:
    """Wait for the thread of a connection that failed to open to end: aiosqlite stops it
    without waiting, and a thread still running when the event loop closes prints a
    traceback at exit under the one line the operator should read."""
    thread = getattr(connection, "_thread", None)
    if isinstance(thread, threading.Thread) and thread.is_alive():
        await asyncio.to_thread(thread.join, 5)


def _unusable(error: sqlite3.DatabaseError) -> str:
    """Why a file cannot be the bot's database, in the operator's words."""
    text = str(error)
    if "file is not a database" in text:
        return "it is not an SQLite database (another kind of file, or a damaged one); please name another file"
    if "readonly" in text or "unable to open" in text:
        return f"it cannot be written ({text}): Akhbar writes its database even to read it (a write-ahead log beside it)"
    return text


def write_refusal(error: BaseException) -> str | None:
    """"full", "read-only" or "locked" when `error` is SQLite refusing a write, else None."""
    if isinstance(error, sqlite3.OperationalError):
        name = getattr(error, "sqlite_errorname", "") or ""
        if name in _WRITE_REFUSALS:
            return _WRITE_REFUSALS[name]
        if name.startswith("SQLITE_IOERR") and "disk" in str(error).lower():
            return "full"
    return None


def utc_text(moment: datetime) -> str:
    """An aware datetime as the UTC text the schema stores."""
    moment = moment.astimezone(UTC)
    if moment.year < 1000:  # strftime writes such a year without its zeros; isoformat pads it
        return moment.strftime("%Y-%m-%dT%H:%M:%SZ")
    # The same text, some four times faster than strftime (an import writes one per article).
    return moment.isoformat(timespec="seconds")[:19] + "Z"


def utc_from_text(text: str) -> datetime:
    """The stored UTC text of a NOT NULL column as an aware datetime.  fromisoformat reads
    the stored form (…T07:00:00Z) some six times faster than strptime (2.4 against 15.7 µs
    here): composing digests for 20,000 chats read 97,000 of them, a third of its time."""
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def parse_utc_text(text: str | None) -> datetime | None:
    if text is None:
        return None
    return utc_from_text(text)


def migrations(package: str = "storage.migrations") -> list[tuple[int, str, str]]:
    """(number, file name, SQL) of every bundled migration of an engine, in order."""
    found = []
    for entry in resources.files(package).iterdir():
        match = _MIGRATION_NAME.match(entry.name)
        if match:
            found.append((int(match.group(1)), entry.name, entry.read_text(encoding="utf-8")))
    found.sort()
    numbers = [number for number, _, _ in found]
    if numbers != list(range(1, len(found) + 1)):
        raise StorageError(f"migrations must be numbered 0001, 0002, … without gaps, found {numbers}")
    return found


def pending_migrations(package: str, current: int, where: str) -> list[tuple[int, str, str]]:
    """The migrations of `package` a database at schema version `current` lacks; a database
    newer than this Akhbar is refused (`where` names it for the operator)."""
    bundled = migrations(package)
    if current > len(bundled):
        raise StorageError(
            f"{where} is at schema version {current}, newer than this Akhbar "
            f"({len(bundled)}); upgrade Akhbar or use another database"
        )
    return bundled[current:]


# The processes whose heartbeat is recent enough that they may still be running (the
# `processes` table exists from migration 0009 on).
LIVE_PROCESSES = "SELECT role, host, pid, beat_at FROM processes WHERE beat_at >= ? ORDER BY id"
HAS_PROCESSES = 9


def refuse_migrating_under(
    running: Sequence[Row], where: str, current: int, latest: int, now: float
) -> None:
    """Refuse to migrate the schema from `current` to `latest` while the `running` processes
    (role, host, pid, heartbeat) still work on it: their code reads the tables as they were,
    and a changed one fails there at any moment (README, "Upgrading")."""
    if not running:
        return
    shown = "; ".join(
        f"{host} pid {pid} ({role}), heartbeat {max(0, round(now - beat))} s ago" for role, host, pid, beat in running[:3]
    )
    more = f"; and {len(running) - 3} more" if len(running) > 3 else ""
    raise StorageError(
        f"{where}: this Akhbar would migrate the schema from version {current} to {latest}, but "
        f"{counted(len(running), 'Akhbar process', 'Akhbar processes')} still "
        f"{'runs' if len(running) == 1 else 'run'} on it ({shown}{more}) and reads the tables as they are: "
        f"stop every process, then start this version (a process killed rather than stopped counts "
        f"until its heartbeat is {LEASE_SECONDS:.0f} s old)"
    )


# Every connection's settings.  WAL: readers never wait for the writer, and a commit costs no
# sync (NORMAL); a crash loses no committed transaction, a power cut at most the last ones.
# The WAL is copied back into the database every 10,000 pages (about 40 MB) rather than
# SQLite's 1,000: ingestion writes in bursts, and checkpointing that often took a fifth of
# each commit's time in the ingest benchmark.
PRAGMAS = (
    "PRAGMA journal_mode = WAL",
    "PRAGMA synchronous = NORMAL",
    "PRAGMA wal_autocheckpoint = 10000",
    "PRAGMA foreign_keys = ON",
)
# The page cache of a connection doing an import, in KiB (SQLite's default is 2 MiB): at
# 200,000 articles the unique indexes of the articles (a content hash lands anywhere in its
# index) and the search index's segments being merged no longer fit in 2 MiB, and each page
# missed is read again from the file.
BULK_CACHE_KIB = 64 * 1024
# FTS5's automerge: segments of a level merged once this many are written (its default 4; at
# most 16), during an import; fewer merges of the same rows.
FTS5_AUTOMERGE = 4
BULK_AUTOMERGE = 16
# Migrations that free much of the file (0007: the search index's copy of the text, half of
# it): the file is compacted once after them, or the freed pages would only ever be reused.
_COMPACT_AFTER = frozenset({7})


class _SqliteTx:
    """Statements on the one connection (inside the caller's transaction, if it holds one)."""

    def __init__(self, conn: aiosqlite.Connection) -> None:
        self.conn = conn

    async def fetch(self, sql: str, params: Params = ()) -> list[Row]:
        # One round trip to aiosqlite's thread (execute_fetchall), not three.
        return list(await self.conn.execute_fetchall(sql, params))

    async def fetchrow(self, sql: str, params: Params = ()) -> Row | None:
        rows = await self.fetch(sql, params)
        return rows[0] if rows else None

    async def execute(self, sql: str, params: Params = ()) -> int:
        cursor = await self.conn.execute(sql, params)
        return cursor.rowcount

    async def executemany(self, sql: str, rows: Iterable[Params]) -> None:
        await self.conn.executemany(sql, rows)


async def _to_the_end(statement: Awaitable[object]) -> None:
    """Await a statement that aiosqlite's thread will finish anyway: cancelling the caller
    waits for its end (its failure then does not hide the cancellation), then re-raises."""
    running = asyncio.ensure_future(statement)
    try:
        await asyncio.shield(running)
    except asyncio.CancelledError:
        with contextlib.suppress(Exception):
            await running
        raise


async def _rollback(conn: aiosqlite.Connection) -> None:
    """Undo the transaction the connection is in, if any (SQLite rolls back by itself after
    some errors); never raises, so that the first error is the one seen."""
    if conn.in_transaction:
        with contextlib.suppress(sqlite3.Error):
            await conn.execute("ROLLBACK")


class Database(Engine):
    dialect = SQLITE

    def __init__(
        self, path: str | Path, busy_timeout: float = 5.0, lock_wait: float = 30.0, *, setting: str = "AKHBAR_DB"
    ) -> None:
        """`setting` names where the path came from, in messages (`akhbar db copy --to`: --to)."""
        # "~/akhbar.db" as a .env file writes it (no shell expands it there): the file is opened
        # where its folder is checked, in the home folder.
        self.path, self.setting = os.path.expanduser(path), setting
        # SQLite itself waits `busy_timeout` for another process's write lock; a write then
        # tries again until `lock_wait` has passed (an `akhbar import` may hold it a while).
        self.busy_timeout = busy_timeout
        self.lock_wait = lock_wait
        self._conn: aiosqlite.Connection | None = None
        # One connection is shared by every coroutine: writers take turns, so that one's
        # statements never land inside another's open transaction.
        self._write_lock = asyncio.Lock()

    @property
    def conn(self) -> aiosqlite.Connection:
        if self._conn is None:
            raise RuntimeError("the database is not open")
        return self._conn

    @property
    def label(self) -> str:
        return f"{self.setting}={self.path}"

    # Reads outside a transaction (WAL: they never wait for the writer).
    async def fetch(self, sql: str, params: Params = ()) -> list[Row]:
        return await _SqliteTx(self.conn).fetch(sql, params)

    async def fetchrow(self, sql: str, params: Params = ()) -> Row | None:
        return await _SqliteTx(self.conn).fetchrow(sql, params)

    def _check_path(self) -> None:
        """What is wrong with the file's path, told before SQLite is asked (aiosqlite's thread
        outlives a failed connect, and says so with a traceback at exit)."""
        path = Path(self.path)
        parent = path.resolve().parent
        if not parent.is_dir():
            raise StorageError(f"{self.setting}: the folder {parent} does not exist")
        if path.is_dir():
            raise StorageError(f"{self.setting}: cannot open {self.path}: it is a folder; please name a file in it")
        if not path.exists() and not os.access(parent, os.W_OK):
            raise StorageError(f"{self.setting}: cannot create {self.path}: the folder {parent} cannot be written")

    async def open(self) -> Database:
        check_sqlite_version(self.setting)
        if self.path != ":memory:":
            try:
                self._check_path()
            except OSError as exc:  # a name too long, a loop of links: what stat says
                raise StorageError(f"{self.setting}: cannot open {self.path}: {exc.strerror or exc}") from None
        connecting = aiosqlite.connect(self.path, isolation_level=None)
        try:
            self._conn = await connecting
        except Exception as exc:  # sqlite3.OperationalError and friends
            await _stopped(connecting)
            raise StorageError(f"{self.setting}: cannot open {self.path}: {exc}") from exc
        try:
            self._conn.row_factory = aiosqlite.Row
            for pragma in PRAGMAS:
                await self._conn.execute(pragma)
            await self._conn.execute(f"PRAGMA busy_timeout = {int(self.busy_timeout * 1000)}")
            await self._migrate()
        except sqlite3.DatabaseError as exc:  # the first statements are where a bad file shows
            await self.close()
            raise StorageError(f"{self.setting}: cannot use {self.path}: {_unusable(exc)}") from None
        except BaseException:
            await self.close()
            raise
        return self

    async def _migrate(self) -> None:
        async with self.conn.execute("PRAGMA user_version") as cursor:
            row = await cursor.fetchone()
        assert row is not None  # a PRAGMA that reads a value always gives one row
        current: int = row[0]
        compact = False
        pending = pending_migrations("storage.migrations", current, f"{self.setting}: {self.path}")
        if pending and current >= HAS_PROCESSES:
            now = time.time()
            async with self.conn.execute(LIVE_PROCESSES, (now - LEASE_SECONDS,)) as cursor:
                running = list(await cursor.fetchall())
            refuse_migrating_under(running, f"{self.setting}: {self.path}", current, pending[-1][0], now)
        for number, name, sql in pending:
            log.info("applying migration %s", name)
            # One transaction per migration: a failure leaves the file at the previous version.
            try:
                await self.conn.executescript(
                    f"BEGIN;\n{sql}\nPRAGMA user_version = {number};\nCOMMIT;"
                )
            except Exception as exc:
                if self.conn.in_transaction:
                    await self.conn.execute("ROLLBACK")
                raise StorageError(f"{self.setting}: migration {name} failed: {exc}") from exc
            compact = compact or (number in _COMPACT_AFTER and current > 0)
        if compact:
            log.info("compacting the database file after its migrations")
            try:
                await self.conn.execute("VACUUM")
                # In WAL mode the compacted file reaches the database at a checkpoint: now.
                await self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            except sqlite3.Error as exc:  # no room for the copy VACUUM makes: the file stays as large
                log.warning("could not compact %s after migrating: %s", self.path, exc)

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[Tx]:
        """A write transaction: committed on success, rolled back on any error.

        SQLite refusing the write (disk full, read-only file, lock held too long) raises
        StorageUnavailable, with everything the transaction did undone.
        """
        async with self._write_lock:
            conn = self.conn
            try:
                await self._begin(conn)
            except asyncio.CancelledError:
                # Cancelled while BEGIN ran on aiosqlite's thread: it may have begun all the
                # same, and a connection left inside a transaction refuses every later BEGIN.
                await _to_the_end(_rollback(conn))
                raise
            try:
                yield _SqliteTx(conn)
                # The COMMIT runs on aiosqlite's thread whatever happens here: learn how it
                # ended before going on, rather than queue a ROLLBACK behind it.
                await _to_the_end(conn.execute("COMMIT"))
            except BaseException as error:
                await _to_the_end(_rollback(conn))
                if (reason := write_refusal(error)) is not None:
                    raise StorageUnavailable(reason, str(error)) from error
                raise

    async def _begin(self, conn: aiosqlite.Connection) -> None:
        """BEGIN IMMEDIATE, waiting out another process's write lock for up to `lock_wait`."""
        deadline = time.monotonic() + self.lock_wait
        while True:
            try:
                await _to_the_end(conn.execute("BEGIN IMMEDIATE"))
                return
            except sqlite3.OperationalError as error:
                reason = write_refusal(error)
                if reason is None:
                    raise
                if reason != "locked" or time.monotonic() >= deadline:
                    raise StorageUnavailable(reason, str(error)) from error
                log.warning("the database is locked by another process; waiting to write")
                await asyncio.sleep(min(0.5, self.busy_timeout))

    @asynccontextmanager
    async def bulk_writes(self) -> AsyncIterator[None]:
        await self.conn.execute(f"PRAGMA cache_size = -{BULK_CACHE_KIB}")
        # The search index merges its segments less often meanwhile (the same terms, rows and
        # ranks: only how its b-trees are laid out), then as before: at 200,000 rows its
        # inserts took 32-36 µs a row against 44-50, searches alike.
        async with self.conn.execute(
            "SELECT v FROM article_search_config WHERE k = 'automerge'"
        ) as cursor:
            row = await cursor.fetchone()
        before = FTS5_AUTOMERGE if row is None else int(row[0])
        if before == BULK_AUTOMERGE:
            # Left by an import that could not set it back (killed, or the disk full): nothing
            # else sets it, so it is FTS5's own that goes back, not the import's for good.
            before = FTS5_AUTOMERGE
        await self.execute("INSERT INTO article_search (article_search, rank) VALUES ('automerge', ?)", (BULK_AUTOMERGE,))
        try:
            yield
        finally:
            try:
                await self.execute("INSERT INTO article_search (article_search, rank) VALUES ('automerge', ?)", (before,))
            except StorageUnavailable as error:  # left as it was: searches find the same
                log.warning("could not set the search index's merging back: %s", error)

    async def schema_version(self) -> int:
        async with self.conn.execute("PRAGMA user_version") as cursor:
            row = await cursor.fetchone()
        assert row is not None  # a PRAGMA that reads a value always gives one row
        version: int = row[0]
        return version

    async def close(self) -> None:
        if self._conn is not None:
            conn, self._conn = self._conn, None
            await conn.close()
