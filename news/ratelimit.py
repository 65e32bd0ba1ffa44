"""How fast the bot may write: sliding windows, with readers' replies ahead of broadcasts.

Telegram allows about 30 messages a second overall, 20 a minute in a group, and short bursts
in one chat.  Each limit is a sliding window of send times, so no one-second interval ever
holds more than the configured rate (a leaky bucket that starts full lets a burst through).
When a slot frees, a reader's reply waiting for it goes before any broadcast send, so a
reader waits at most for the next free slot, never behind 10,000 digests; `bulk_share` can
also hold part of the rate back from broadcasts altogether.
"""

from __future__ import annotations

import asyncio
import math
import time
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

_CATCH_UP = 0.05
_PRUNE_EVERY = 1000  # sends between two sweeps of idle per-chat windows


@dataclass(frozen=True, slots=True)
class Limits:
    per_second: float = 25.0  # overall; Telegram's limit is ~30
    group_per_minute: int = 20
    chat_burst: int = 10  # sends to one chat within `chat_window` seconds
    chat_window: float = 10.0
    bulk_share: float = 1.0  # share of the rate broadcasts may use; replies go first anyway


class _Window:
    __slots__ = ("capacity", "span", "times")

    def __init__(self, capacity: int, span: float) -> None:
        self.capacity, self.span = capacity, span
        self.times: deque[float] = deque()

    def wait(self, now: float, capacity: int | None = None) -> float:
        """Seconds until this window has room (0 if it has now)."""
        times = self.times
        while times and times[0] <= now - self.span:
            times.popleft()
        cap = self.capacity if capacity is None else capacity
        if len(times) < cap:
            return 0.0
        return times[len(times) - cap] + self.span - now

    def record(self, now: float) -> None:
        self.times.append(now)


class SendLimiter:
    def __init__(
        self,
        limits: Limits = Limits(),
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.limits = limits
        self._clock, self._sleep = clock, sleep
        per_second = max(1, math.floor(limits.per_second))
        self._global = _Window(per_second, 1.0)
        self._bulk_capacity = max(1, math.floor(per_second * limits.bulk_share))
        self._groups: dict[int | str, _Window] = {}
        self._chats: dict[int | str, _Window] = {}
        self._interactive_waiting = 0
        # Broadcast sends are also spaced evenly (1/rate apart) rather than let through in
        # bursts of a whole window: gentler on Telegram, and a crash finds few sends whose
        # outcome was not yet written.
        self._bulk_spacing = 1.0 / (per_second * limits.bulk_share)
        self._next_bulk = 0.0
        self._bulk_turn = asyncio.Lock()
        self._sends = 0

    def _windows(self, chat_id: int | str | None) -> list[_Window]:
        if chat_id is None:
            return []
        is_group = isinstance(chat_id, str) or chat_id < 0  # @channel names and negative ids
        table, capacity, span = (
            (self._groups, self.limits.group_per_minute, 60.0)
            if is_group
            else (self._chats, self.limits.chat_burst, self.limits.chat_window)
        )
        if chat_id not in table:
            table[chat_id] = _Window(capacity, span)
        return [table[chat_id]]

    async def acquire(self, chat_id: int | str | None, bulk: bool = False) -> None:
        """Wait until a message to `chat_id` may go, and count it."""
        if bulk:
            # Broadcast senders queue up one behind another: one waits for the next slot
            # while the rest wait their turn, instead of all waking on every slot.
            async with self._bulk_turn:
                await self._wait_for_slot(chat_id, bulk=True)
            return
        self._interactive_waiting += 1
        try:
            await self._wait_for_slot(chat_id, bulk=False)
        finally:
            self._interactive_waiting -= 1

    async def _wait_for_slot(self, chat_id: int | str | None, bulk: bool) -> None:
        while True:
            now = self._clock()
            chat_windows = self._windows(chat_id)
            wait = max(
                [self._global.wait(now, self._bulk_capacity if bulk else None)]
                + [window.wait(now) for window in chat_windows]
                + ([self._next_bulk - now] if bulk else [])
            )
            if bulk and self._interactive_waiting and wait <= 0:
                wait = 0.01  # a reader is waiting: let them go first
            if wait <= 0:
                self._global.record(now)
                for window in chat_windows:
                    window.record(now)
                self._sends += 1
                if self._sends % _PRUNE_EVERY == 0:  # after recording: this chat's window stays
                    self._forget_idle()
                if bulk:
                    # Timers wake a little late: up to _CATCH_UP seconds of lateness is made
                    # up, in a small burst, so that the rate holds.
                    self._next_bulk = max(now - _CATCH_UP, self._next_bulk) + self._bulk_spacing
                return
            await self._sleep(wait)

    def _forget_idle(self) -> None:
        """Drop the windows of chats with no send left in them, so that a bot writing to
        100,000 chats a day does not keep 100,000 windows forever."""
        now = self._clock()
        for table in (self._groups, self._chats):
            for chat_id in [c for c, w in table.items() if w.wait(now) == 0 and not w.times]:
                del table[chat_id]
