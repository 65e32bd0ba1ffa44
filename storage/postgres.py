"""The PostgreSQL engine: a pool of connections, numbered migrations, and errors the services know.

asyncpg rather than psycopg 3: its own pool, which replaces a connection the server dropped on
the next acquire (PostgreSQL restarted under the bot: the bot goes on by itself), the binary
protocol and a prepared-statement cache per connection, and one package to install (psycopg's
pool is another).  The repositories' SQL is written once with `?` placeholders; this module
numbers them `$1, $2, …` for PostgreSQL.

Several processes may share the database: migrations run under an advisory lock, so that two
starting at once do not both apply one.
"""

from __future__ import annotations

import asyncio
import errno
import logging
import re
import socket
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable
from contextlib import asynccontextmanager
from functools import lru_cache
from typing import TypeVar
from urllib.parse import parse_qsl, urlsplit

import asyncpg

from news.claims import LEASE_SECONDS
from news.repositories import StorageError, StorageUnavailable
from storage.db import HAS_PROCESSES, LIVE_PROCESSES, pending_migrations, refuse_migrating_under
from storage.engine import POSTGRESQL, Engine, Params, Row, Tx
from storage.pg_url import redacted, url_problem

log = logging.getLogger(__name__)

# Any number for pg_advisory_lock, the same in every Akhbar process: "akhbar" in ASCII.
_MIGRATION_LOCK = 0x616B68626172
_CONNECT_TIMEOUT = 10.0
T = TypeVar("T")

# The server could not be reached, or dropped the connection (restarted, shut down, network).
# Not every OSError: a TLS certificate refused or a socket file we may not open is the
# operator's to fix, not a pause to wait out.
_UNREACHABLE_OS_ERRORS: tuple[type[BaseException], ...] = (
    ConnectionError,  # refused, reset, aborted, broken pipe
    socket.gaierror,  # the host name is not known (now)
    TimeoutError,  # asyncio.TimeoutError too
)
_UNREACHABLE_ERRNOS = frozenset({
    errno.ENETUNREACH, errno.EHOSTUNREACH, errno.ENETDOWN, errno.EHOSTDOWN, errno.ETIMEDOUT,
    errno.ENOENT,  # a Unix socket not there: the server is not running
})
_UNREACHABLE_SERVER_ERRORS: tuple[type[BaseException], ...] = (
    asyncpg.PostgresConnectionError,  # class 08: the connection does not exist, was lost, failed
    asyncpg.CannotConnectNowError,  # starting up or shutting down
    asyncpg.AdminShutdownError,  # a fast or immediate stop, a restart
    asyncpg.CrashShutdownError,  # another backend crashed: the server restarts
)
# What PostgreSQL's refusals of a write mean, as the services know them (news.repositories).
_REFUSALS: tuple[tuple[type[BaseException], str], ...] = (
    (asyncpg.DiskFullError, "full"),
    (asyncpg.ReadOnlySQLTransactionError, "read-only"),
    (asyncpg.LockNotAvailableError, "locked"),
    (asyncpg.DeadlockDetectedError, "locked"),
    (asyncpg.SerializationError, "locked"),
    (asyncpg.TooManyConnectionsError, "locked"),
    (asyncpg.QueryCanceledError, "locked"),  # a statement_timeout the operator set
)


# How asyncpg's InternalClientError begins when the server ended the session under it.
_LOST_SESSION = ("cannot switch to ", "not connected")


def unreachable(error: BaseException) -> bool:
    """Whether `error` says the server is out of reach for now (down, restarting, the network)."""
    if isinstance(error, (*_UNREACHABLE_OS_ERRORS, *_UNREACHABLE_SERVER_ERRORS)):
        return True
    if isinstance(error, OSError):
        return error.errno in _UNREACHABLE_ERRNOS
    if isinstance(error, asyncpg.InternalClientError) and str(error).startswith(_LOST_SESSION):
        # A session the server ended mid-statement (a shutdown, a restart) can leave asyncpg's
        # protocol in a state it cannot go on from: "cannot switch to state 15; another
        # operation (2) is in progress" (MagicStack/asyncpg#784).  That connection is lost.
        # (asyncpg's other InternalClientErrors, a codec missing say, are bugs.)
        return True
    # asyncpg's own InterfaceError is mostly misuse (a bug); on a connection the server
    # dropped it says so.
    return isinstance(error, asyncpg.InterfaceError) and "connection is closed" in str(error)


def refusal(error: BaseException) -> str | None:
    """"unreachable", "full", "read-only" or "locked" when `error` is one the services can
    tell a reader about, else None (a bug: it goes up as it is)."""
    if unreachable(error):
        return "unreachable"
    for kind, reason in _REFUSALS:
        if isinstance(error, kind):
            return reason
    return None


# Each connection's settings, unless the URL gives its own (…/akhbar?jit=on).  No JIT: these
# are short queries; at 1,000,000 articles /search's p95 was 17.8 ms without it and 16.7 ms
# with it (benchmarks/engines_benchmark.py times both) — no gain measured either way.
_SERVER_SETTINGS = {"application_name": "akhbar", "jit": "off"}


def _server_settings(url: str) -> dict[str, str]:
    given = {name for name, _ in parse_qsl(urlsplit(url).query)}
    return {name: value for name, value in _SERVER_SETTINGS.items() if name not in given}


class _QuietPoolRetries(logging.Filter):
    """asyncpg's pool logs each failed attempt to reopen its minimum of connections with a full
    traceback, for as long as the server is down: one line each, with the reason, is enough."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and record.exc_info[1] is not None and unreachable(record.exc_info[1]):
            record.msg = f"{record.getMessage()} (PostgreSQL out of reach: {record.exc_info[1]})"
            record.args, record.exc_info, record.exc_text = None, None, None
            # One line for the whole outage, with the others about it (bot/logs.py).
            record.database_out_of_reach = True
        return True


logging.getLogger("asyncpg.pool").addFilter(_QuietPoolRetries())


@lru_cache(maxsize=1024)
def numbered(sql: str) -> str:
    """`?` placeholders as PostgreSQL's `$1, $2, …` (none is ever inside a quoted literal or
    an identifier in the repositories' SQL; those are skipped all the same)."""
    out: list[str] = []
    number = 0
    for piece in re.split(r"('(?:[^']|'')*'|\"(?:[^\"]|\"\")*\")", sql):
        if piece.startswith(("'", '"')):
            out.append(piece)
            continue
        for index, part in enumerate(piece.split("?")):
            if index:
                number += 1
                out.append(f"${number}")
            out.append(part)
    return "".join(out)


def _rowcount(status: str) -> int:
    """How many rows a command changed, from its status ("UPDATE 3", "INSERT 0 1", "DELETE 0")."""
    last = status.rsplit(" ", 1)[-1]
    return int(last) if last.isdigit() else 0


class _PgTx:
    """Statements on one connection, inside the transaction the caller holds."""

    def __init__(self, conn: asyncpg.Connection) -> None:
        self.conn = conn

    async def fetch(self, sql: str, params: Params = ()) -> list[Row]:
        return list(await self.conn.fetch(numbered(sql), *params))

    async def fetchrow(self, sql: str, params: Params = ()) -> Row | None:
        return await self.conn.fetchrow(numbered(sql), *params)

    async def execute(self, sql: str, params: Params = ()) -> int:
        return _rowcount(await self.conn.execute(numbered(sql), *params))

    async def executemany(self, sql: str, rows: Iterable[Params]) -> None:
        rows = list(rows)
        if rows:
            await self.conn.executemany(numbered(sql), rows)


class PostgresDatabase(Engine):
    dialect = POSTGRESQL

    def __init__(self, url: str, *, setting: str = "AKHBAR_DATABASE_URL", min_size: int = 1, max_size: int = 10) -> None:
        """`setting` names where the URL came from, in messages."""
        # Refused before asyncpg reads it: its errors would quote a piece of a password.
        if (problem := url_problem(url, setting)) is not None:
            raise StorageError(problem)
        self.url, self.setting = url, setting
        self.min_size, self.max_size = min_size, max_size
        self._pool: asyncpg.Pool | None = None

    @property
    def label(self) -> str:
        return f"{self.setting}={redacted(self.url)}"

    @property
    def pool(self) -> asyncpg.Pool:
        if self._pool is None:
            raise RuntimeError("the database is not open")
        return self._pool

    async def open(self) -> PostgresDatabase:
        where, setting = redacted(self.url), self.setting
        try:
            self._pool = await asyncpg.create_pool(
                dsn=self.url, min_size=self.min_size, max_size=self.max_size, timeout=_CONNECT_TIMEOUT,
                server_settings=_server_settings(self.url),
            )
        except asyncpg.InvalidPasswordError as exc:
            raise StorageError(f"{setting}: {where}: wrong password or user ({exc})") from None
        except asyncpg.InvalidCatalogNameError as exc:
            raise StorageError(f"{setting}: {where}: {exc}") from None
        except asyncpg.InvalidAuthorizationSpecificationError as exc:
            raise StorageError(f"{setting}: {where}: not allowed to connect ({exc})") from None
        except ValueError as exc:  # asyncpg could not read the URL
            raise StorageError(f"{setting}: {where} is malformed ({exc})") from None
        except (OSError, asyncpg.PostgresError, asyncpg.InterfaceError) as exc:
            detail = str(exc) or type(exc).__name__
            if unreachable(exc):
                raise StorageError(f"{setting}: cannot reach PostgreSQL at {where} ({detail})") from None
            # Another refusal (TLS, a socket we may not open, the server's own reasons): it says why.
            raise StorageError(f"{setting}: cannot connect to PostgreSQL at {where} ({detail})") from None
        try:
            await self._migrate()
        except BaseException:
            await self.close()
            raise
        return self

    async def _migrate(self) -> None:
        async with self.pool.acquire() as conn:
            # Every process starting at once waits here; the first applies what is missing.
            await conn.execute("SELECT pg_advisory_lock($1)", _MIGRATION_LOCK)
            try:
                try:
                    await conn.execute("CREATE TABLE IF NOT EXISTS akhbar_schema (version integer NOT NULL)")
                    current = await conn.fetchval("SELECT max(version) FROM akhbar_schema") or 0
                except asyncpg.InsufficientPrivilegeError as exc:
                    raise StorageError(
                        f"{self.label}: {exc}: the role must own its database (README, Running on PostgreSQL)"
                    ) from None
                pending = pending_migrations("storage.pg_migrations", current, self.label)
                if pending and current >= HAS_PROCESSES:
                    now = time.time()
                    running = await _PgTx(conn).fetch(LIVE_PROCESSES, (now - LEASE_SECONDS,))
                    refuse_migrating_under(running, self.label, current, pending[-1][0], now)
                for number, name, sql in pending:
                    log.info("applying migration %s", name)
                    try:
                        async with conn.transaction():  # a failure leaves the previous version
                            await conn.execute(sql)
                            await conn.execute("DELETE FROM akhbar_schema")
                            await conn.execute("INSERT INTO akhbar_schema (version) VALUES ($1)", number)
                    except asyncpg.PostgresError as exc:
                        raise StorageError(f"{self.label}: migration {name} failed: {exc}") from None
            finally:
                await conn.execute("SELECT pg_advisory_unlock($1)", _MIGRATION_LOCK)

    async def _call(self, work: Callable[[asyncpg.Connection], Awaitable[T]]) -> T:
        """One statement on a pooled connection; a connection the server dropped is replaced
        once (the pool reconnects), anything else the services know is StorageUnavailable."""
        for attempt in (1, 2):
            try:
                async with self.pool.acquire() as conn:
                    return await work(conn)
            except Exception as error:
                reason = refusal(error)
                if reason is None:
                    raise
                if reason == "unreachable" and attempt == 1:
                    continue
                raise StorageUnavailable(reason, f"{self.label}: {error}") from error
        raise AssertionError("unreachable")  # pragma: no cover - the loop returns or raises

    async def fetch(self, sql: str, params: Params = ()) -> list[Row]:
        return await self._call(lambda conn: _PgTx(conn).fetch(sql, params))

    async def fetchrow(self, sql: str, params: Params = ()) -> Row | None:
        return await self._call(lambda conn: _PgTx(conn).fetchrow(sql, params))

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[Tx]:
        try:
            async with self.pool.acquire() as conn, conn.transaction():
                yield _PgTx(conn)
        except Exception as error:
            reason = refusal(error)
            if reason is None:
                raise
            raise StorageUnavailable(reason, f"{self.label}: {error}") from error

    async def schema_version(self) -> int:
        version = await self._call(lambda conn: conn.fetchval("SELECT max(version) FROM akhbar_schema"))
        return int(version or 0)

    @asynccontextmanager
    async def bulk_writes(self) -> AsyncIterator[None]:
        # The server's own buffers serve every connection of the pool; an import changes none.
        yield

    async def close(self) -> None:
        if self._pool is not None:
            pool, self._pool = self._pool, None
            try:
                await asyncio.wait_for(pool.close(), timeout=10)
            except Exception as error:
                if not unreachable(error):
                    raise
                pool.terminate()  # the server went away meanwhile: drop the connections
