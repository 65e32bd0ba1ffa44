"""What the repositories ask of a database engine: one small interface, two engines behind it.

The repositories write their SQL once, with `?` placeholders and the SQL both SQLite and
PostgreSQL speak; the engine runs it (PostgreSQL's numbers its placeholders `$1, $2, …` for
them) and maps its failures to StorageError / StorageUnavailable.  Where the two engines
really differ — a list aggregate, the larger of two values, the search index — the repository
asks the engine's `dialect` for the fragment.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable, Sequence
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from types import TracebackType
from typing import Any, Protocol, Self

# A result row: by column name or position, as sqlite3.Row and asyncpg.Record both are.
Row = Any
Params = Sequence[object]


@dataclass(frozen=True, slots=True)
class Dialect:
    """The SQL fragments the two engines spell differently."""

    name: str  # "sqlite" or "postgresql"
    # SQLite hands out INTEGER PRIMARY KEY ids in insertion order under its one write lock;
    # PostgreSQL's sequences are shared by concurrent writers, so ids must be returned.
    sequential_ids: bool
    # A comma-joined list of the values of an aggregate; `{}` is the expression.
    list_agg: str
    # The larger of two values (SQLite's scalar max, PostgreSQL's greatest).
    greatest: str
    # After rows were inserted with their ids (`akhbar db copy`), what makes the next id
    # handed out pass them in `{table}`; None: the engine does so by itself (SQLite).
    next_id: str | None = None
    # What a unique index on a long text (a link) holds: the text itself on SQLite,
    # its md5 on PostgreSQL, whose btree takes no entry over ~2,700 bytes (pg migration 0010).
    # A lookup compares `key(column) = key(?)`, so that the index serves it.
    hashed: str = "{}"
    # After the rows a claim selects: PostgreSQL locks them, passing over those another
    # process's claim holds; SQLite's one writer at a time needs nothing.
    skip_locked: str = ""
    # After a row read in a transaction that then changes it: PostgreSQL locks it, so that a
    # second such transaction waits and reads the row as the first left it; SQLite's one
    # writer at a time needs nothing.
    for_update: str = ""

    def join_list(self, expression: str) -> str:
        return self.list_agg.format(expression)

    def key(self, expression: str) -> str:
        return self.hashed.format(expression)


SQLITE = Dialect("sqlite", sequential_ids=True, list_agg="group_concat({}, ',')", greatest="max")
POSTGRESQL = Dialect(
    "postgresql", sequential_ids=False, list_agg="string_agg(({})::text, ',')", greatest="greatest",
    skip_locked=" FOR UPDATE SKIP LOCKED", for_update=" FOR UPDATE",
    next_id="SELECT setval(pg_get_serial_sequence('{table}', 'id'), coalesce(max(id), 0) + 1, false) FROM {table}",
    hashed="md5({})",
)


class Tx(Protocol):
    """Statements inside one transaction (or, on a Database, each on its own)."""

    async def fetch(self, sql: str, params: Params = ()) -> list[Row]: ...
    async def fetchrow(self, sql: str, params: Params = ()) -> Row | None: ...
    async def execute(self, sql: str, params: Params = ()) -> int:
        """Run one statement; how many rows it changed."""
        ...
    async def executemany(self, sql: str, rows: Iterable[Params]) -> None: ...


class Database(Tx, Protocol):
    dialect: Dialect

    @property
    def label(self) -> str:
        """Where the data lives, for the operator's messages: a file, or a URL without its password."""
        ...

    def transaction(self) -> AbstractAsyncContextManager[Tx]:
        """A write transaction: committed on success, rolled back on any error; a write the
        engine refuses (disk full, read-only, unreachable, lock held) raises StorageUnavailable."""
        ...

    async def probe_write(self) -> None:
        """A write that changes nothing: raises StorageUnavailable when the database refuses
        writes (read-only, full, unreachable), as a real change would."""
        ...

    async def schema_version(self) -> int: ...
    def bulk_writes(self) -> AbstractAsyncContextManager[None]:
        """Settings for a long run of large write transactions (`akhbar import`), while inside."""
        ...
    async def close(self) -> None: ...


class Engine(ABC):
    """What both engines' Database classes do alike: a statement on its own is a transaction
    of its own, and `async with` opens and closes."""

    @abstractmethod
    def transaction(self) -> AbstractAsyncContextManager[Tx]: ...

    @abstractmethod
    async def open(self) -> Self: ...

    @abstractmethod
    async def close(self) -> None: ...

    async def execute(self, sql: str, params: Params = ()) -> int:
        async with self.transaction() as tx:
            return await tx.execute(sql, params)

    async def executemany(self, sql: str, rows: Iterable[Params]) -> None:
        async with self.transaction() as tx:
            await tx.executemany(sql, rows)

    @abstractmethod
    def bulk_writes(self) -> AbstractAsyncContextManager[None]: ...

    async def probe_write(self) -> None:
        # An UPDATE matching no row still opens a write transaction: a read-only file, a
        # read-only server or a full disk refuse it the way they refuse any change.
        async with self.transaction() as tx:
            await tx.execute("UPDATE chats SET id = id WHERE id IS NULL")

    async def __aenter__(self) -> Self:
        return await self.open()

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.close()
