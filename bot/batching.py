"""Records of sends written in small batches: one transaction for many messages.

A batch is written when it holds RECORD_BATCH items or its first one is RECORD_SECONDS old,
whichever comes first (a timer, since the limiter lets sends go in bursts).  A crash can lose
the batch not yet written: those messages are sent again after restart, so what can arrive
twice is what was in flight plus at most RECORD_SECONDS' worth of sends.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Generic, TypeVar

T = TypeVar("T")

RECORD_BATCH = 32
RECORD_SECONDS = 0.05


class BatchedWrites(Generic[T]):
    def __init__(self, write: Callable[[list[T]], Awaitable[None]]) -> None:
        self._write_batch = write
        self._pending: list[T] = []
        self._timer: asyncio.TimerHandle | None = None
        self._writes: set[asyncio.Task[None]] = set()

    async def add(self, item: T) -> None:
        self._pending.append(item)
        if len(self._pending) >= RECORD_BATCH:
            await self._write()
        elif self._timer is None:
            self._timer = asyncio.get_running_loop().call_later(RECORD_SECONDS, self._write_soon)

    def _write_soon(self) -> None:
        task = asyncio.create_task(self._write())
        self._writes.add(task)
        task.add_done_callback(self._writes.discard)

    async def _write(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        batch, self._pending = self._pending, []
        if batch:
            await self._write_batch(batch)

    async def flush(self) -> None:
        """Write everything pending, and wait for writes under way."""
        await self._write()
        if self._writes:
            await asyncio.gather(*self._writes)


class GroupWrites(Generic[T]):
    """Writes each caller waits for, grouped: the first is written at once, and the items
    added while a write is under way go together in the next — one round trip for many, each
    caller resumed once its own item is stored (or with the write's error)."""

    def __init__(self, write: Callable[[list[T]], Awaitable[None]]) -> None:
        self._write_batch = write
        self._pending: list[tuple[T, asyncio.Future[None]]] = []
        self._writer: asyncio.Task[None] | None = None

    async def add(self, item: T) -> None:
        done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._pending.append((item, done))
        if self._writer is None:
            self._writer = asyncio.create_task(self._write_all())
        await done

    async def _write_all(self) -> None:
        batch: list[tuple[T, asyncio.Future[None]]] = []
        try:
            while self._pending:
                batch, self._pending = self._pending, []
                try:
                    await self._write_batch([item for item, _ in batch])
                except Exception as error:
                    for _, done in batch:
                        if not done.done():
                            done.set_exception(error)
                else:
                    for _, done in batch:
                        if not done.done():
                            done.set_result(None)
        finally:
            self._writer = None
            for _, done in batch + self._pending:  # cancelled mid-write: nobody waits for ever
                if not done.done():
                    done.cancel()
            self._pending = []
