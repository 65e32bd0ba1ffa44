"""How fast the bot may write: the overall rate, each chat's pace, readers' replies first.

Telegram allows about 30 messages a second overall; in one private chat a short burst, then
about one a second; in a group 20 a minute.  The overall limit is a sliding window of send
times, so no one-second interval ever holds more than the configured rate (a leaky bucket
that starts full lets a burst through).  Each chat has its own pace, kept in the same place
(a message waits for both): a private chat a token bucket (a short burst, then one message
every 1/`chat_per_second` s), a group a sliding window of `group_per_minute` sends (a little
longer than a minute: a message takes a moment to reach Telegram, whose minute counts from
its arrival).  A 429 holds its chat until retry_after has passed, counted from the moment
the answer arrived, plus a margin (`flood_resume`).

A message waits for its chat's pace on its own, holding no place in any queue; only then does
it queue for a slot of the overall rate.  So a reader flooding one chat slows nobody else, and
a broadcast to many chats is not held behind one chat's pace.  When an overall slot frees, a
reader's reply waiting for it goes before any broadcast send, so a reader waits at most for
the next free slot, never behind 10,000 digests; `bulk_share` can also hold part of the rate
back from broadcasts altogether.

Above Telegram's free rate (a paid broadcast, up to 1,000/s) Telegram refuses any unpaid send
while the last second holds 30 sends — a reader's reply included.  So `acquire` tells whether
the last second held `unpaid_per_second` sends or more when the slot was taken: the caller
then sends the reply paid (bot/limiter.py).  A send that cannot be paid (an edit, a deletion)
asks for an unpaid slot instead: it waits until the last second holds fewer, and broadcasts
wait behind it meanwhile (a pause of at most a second).

Below broadcasts come background sends (edits of alerts already sent: bot/alert_edits.py).
One takes a slot only when no reply and no broadcast send is waiting for one, when the last
second holds fewer than `unpaid_per_second` sends (an edit cannot be paid), and at most
`background_share` of the rate, evenly spaced: they never slow anything else down (but for a
broadcast starting just as one went: it waits 0.1 s, so that the unpaid edit reaches Telegram
first), and never add more than that share to the load, whatever their number.

Memory stays bounded and each send costs O(1) amortized: a chat's pace is forgotten once it is
idle again (its bucket full, its window empty, no hold), looked for only at the front of a
table kept in the order of the chats' last sends.
"""

from __future__ import annotations

import asyncio
import math
import time
from collections import OrderedDict, deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

_CATCH_UP = 0.05
# After a background send (unpaid) took its slot, broadcasts wait this long before their
# next: a paid broadcast starting at that moment would otherwise put 30 sends in Telegram's
# last second before the edit got there, and the edit would be refused (seen once in
# benchmarks/alerts_benchmark.py's edits phase).  Its way there takes a few ms, p99 ~25 ms.
_BACKGROUND_TRAVEL = 0.1
# After a 429, waiting retry_after exactly may still be too early (the answer travelled, and
# timers wake a little early or late): wait a tenth more, at least 100 ms.
RETRY_MARGIN_SHARE = 0.1
RETRY_MARGIN_MIN = 0.1


def flood_resume(answered_at: float, retry_after: float) -> float:
    """When a chat told to wait `retry_after` seconds by an answer that arrived at
    `answered_at` may be written to again."""
    return answered_at + retry_after + max(RETRY_MARGIN_MIN, RETRY_MARGIN_SHARE * retry_after)


@dataclass(frozen=True, slots=True)
class Limits:
    per_second: float = 25.0  # overall; Telegram's limit is ~30
    group_per_minute: int = 20
    group_window: float = 61.0  # seconds of the group window: Telegram's minute and a margin
    # A private chat: `chat_burst` messages at once, then `chat_per_second` (Telegram lets a
    # few more through at once: what is left of its burst absorbs the messages' travel time).
    chat_burst: int = 4
    chat_per_second: float = 1.0
    bulk_share: float = 1.0  # share of the rate broadcasts may use; replies go first anyway
    background_share: float = 0.2  # share of the rate background sends may use, at most
    # Sends in the last second past which Telegram refuses unpaid ones (30), less a margin
    # for the sends still travelling when the window is read.
    unpaid_per_second: int = 25


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


class _ChatPace:
    """A private chat's token bucket, kept as one number (GCRA): `due` is when the bucket
    will be full again; a send may go while that is at most `tolerance` ahead of now."""

    __slots__ = ("due", "held", "interval", "tolerance")

    def __init__(self, burst: int, per_second: float) -> None:
        self.interval = 1.0 / per_second
        self.tolerance = (max(1, burst) - 1) * self.interval
        self.due = -math.inf
        self.held = -math.inf

    def wait(self, now: float) -> float:
        return max(0.0, self.due - self.tolerance - now, self.held - now)

    def record(self, now: float) -> None:
        self.due = max(self.due, now) + self.interval

    def idle(self, now: float) -> bool:
        return self.due <= now and self.held <= now


class _GroupPace:
    """A group's sliding window of send times (at most `group_per_minute` of them kept)."""

    __slots__ = ("held", "window")

    def __init__(self, capacity: int, span: float) -> None:
        self.window = _Window(capacity, span)
        self.held = -math.inf

    def wait(self, now: float) -> float:
        return max(0.0, self.window.wait(now), self.held - now)

    def record(self, now: float) -> None:
        self.window.record(now)

    def idle(self, now: float) -> bool:
        times = self.window.times
        return (not times or times[-1] <= now - self.window.span) and self.held <= now


_Pace = _ChatPace | _GroupPace


class SendLimiter:
    def __init__(
        self,
        limits: Limits = Limits(),
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.limits = limits
        self._clock, self._sleep = clock, sleep
        self._global = _Window(1, 1.0)
        self.set_rate(limits.per_second)
        # Each chat's pace, in the order of its last send (or hold): the idle ones are found
        # at the front.  Groups apart, as their windows stay longer.
        self._chats: OrderedDict[int | str, _Pace] = OrderedDict()
        self._groups: OrderedDict[int | str, _Pace] = OrderedDict()
        self._interactive_waiting = 0
        self._bulk_waiting = 0
        self._next_bulk = 0.0
        self._bulk_turn = asyncio.Lock()
        self._next_background = 0.0
        self._background_turn = asyncio.Lock()

    def set_rate(self, per_second: float) -> None:
        """Send at most `per_second` overall from now on (this process's share of the bot's
        rate, when several processes send: bot/processes.py)."""
        per_second = max(1, math.floor(per_second))
        self.per_second = per_second
        self._global.capacity = per_second
        self._bulk_capacity = max(1, math.floor(per_second * self.limits.bulk_share))
        # Broadcast sends are also spaced evenly (1/rate apart) rather than let through in
        # bursts of a whole window: gentler on Telegram, and a crash finds few sends whose
        # outcome was not yet written.
        self._bulk_spacing = 1.0 / (per_second * self.limits.bulk_share)
        self._background_spacing = 1.0 / (per_second * self.limits.background_share)

    def now(self) -> float:
        return self._clock()

    def _table(self, chat_id: int | str) -> OrderedDict[int | str, _Pace]:
        is_group = isinstance(chat_id, str) or chat_id < 0  # @channel names and negative ids
        return self._groups if is_group else self._chats

    def _pace(self, chat_id: int | str) -> _Pace:
        """The chat's pace, made if it has none, moved to the back of its table."""
        table = self._table(chat_id)
        pace = table.get(chat_id)
        if pace is None:
            limits = self.limits
            pace = (
                _GroupPace(limits.group_per_minute, limits.group_window)
                if table is self._groups
                else _ChatPace(limits.chat_burst, limits.chat_per_second)
            )
            table[chat_id] = pace
        else:
            table.move_to_end(chat_id)
        return pace

    def _chat_wait(self, chat_id: int | str | None, now: float) -> float:
        if chat_id is None:
            return 0.0
        pace = self._table(chat_id).get(chat_id)
        return 0.0 if pace is None else pace.wait(now)

    def hold(self, chat_id: int | str, until: float) -> None:
        """Send nothing more to `chat_id` before `until` (a 429: see `flood_resume`)."""
        pace = self._pace(chat_id)
        pace.held = max(pace.held, until)

    async def sleep_until(self, until: float) -> None:
        while (wait := until - self._clock()) > 0:
            await self._sleep(wait)

    async def acquire(
        self, chat_id: int | str | None, bulk: bool = False, unpaid: bool = False, background: bool = False
    ) -> bool:
        """Wait until a message to `chat_id` may go, and count it; whether the last second
        held `unpaid_per_second` sends or more then (an unpaid send would be refused).
        `unpaid`: a reply that cannot be paid for, which waits until the last second holds
        fewer (broadcasts waiting behind it).  `background`: after everything else, unpaid,
        within `background_share` of the rate (the module's docstring)."""
        while True:
            # The chat's own pace first, waited alone: no reply or broadcast queues behind it.
            if (wait := self._chat_wait(chat_id, self._clock())) > 0:
                await self._sleep(wait)
                continue
            if background:
                async with self._background_turn:
                    crowded = await self._wait_for_background_slot(chat_id)
            elif bulk:
                # Broadcast senders queue up one behind another: one waits for the next slot
                # while the rest wait their turn, instead of all waking on every slot.
                self._bulk_waiting += 1
                try:
                    async with self._bulk_turn:
                        crowded = await self._wait_for_slot(chat_id, bulk=True)
                finally:
                    self._bulk_waiting -= 1
            else:
                self._interactive_waiting += 1
                try:
                    crowded = await self._wait_for_slot(chat_id, bulk=False, unpaid=unpaid)
                finally:
                    self._interactive_waiting -= 1
            if crowded is not None:
                return crowded
            # Another message to the same chat took its turn meanwhile: wait for the chat again.

    async def _wait_for_slot(self, chat_id: int | str | None, bulk: bool, unpaid: bool = False) -> bool | None:
        """Wait for a slot of the overall rate and take it: whether the last second held
        `unpaid_per_second` sends or more; None, with nothing taken, if the chat is no longer
        free to write to by then."""
        while True:
            now = self._clock()
            if self._chat_wait(chat_id, now) > 0:
                return None
            wait = self._global.wait(now, self._bulk_capacity if bulk else None)
            unpaid_wait = self._global.wait(now, self.limits.unpaid_per_second)
            if unpaid:
                wait = max(wait, unpaid_wait)
            if bulk:
                wait = max(wait, self._next_bulk - now)
            if bulk and self._interactive_waiting and wait <= 0:
                wait = 0.01  # a reader is waiting: let them go first
            if wait <= 0:
                crowded = unpaid_wait > 0
                self._take(chat_id, now)
                if bulk:
                    # Timers wake a little late: up to _CATCH_UP seconds of lateness is made
                    # up, in a small burst, so that the rate holds.
                    self._next_bulk = max(now - _CATCH_UP, self._next_bulk) + self._bulk_spacing
                return crowded
            await self._sleep(wait)

    async def _wait_for_background_slot(self, chat_id: int | str | None) -> bool | None:
        """`_wait_for_slot` for a background send: only while no one else waits for a slot,
        the last second holds fewer than `unpaid_per_second` sends, and the last background
        send is `1 / (rate × background_share)` ago."""
        while True:
            now = self._clock()
            if self._chat_wait(chat_id, now) > 0:
                return None
            wait = max(
                self._global.wait(now, min(self._bulk_capacity, self.limits.unpaid_per_second)),
                self._next_background - now,
            )
            if wait <= 0 and (self._interactive_waiting or self._bulk_waiting):
                wait = 0.01  # someone else is waiting: they go first
            if wait <= 0:
                self._take(chat_id, now)
                self._next_background = now + self._background_spacing
                self._next_bulk = max(self._next_bulk, now + _BACKGROUND_TRAVEL)
                return False
            await self._sleep(wait)

    def _take(self, chat_id: int | str | None, now: float) -> None:
        """A slot of the overall rate, and of the chat's pace, taken now."""
        self._global.record(now)
        if chat_id is not None:
            self._pace(chat_id).record(now)
            self._forget_idle(self._table(chat_id), now)

    @staticmethod
    def _forget_idle(table: OrderedDict[int | str, _Pace], now: float) -> None:
        """Drop the paces of chats idle again, so that a bot writing to 100,000 chats a day
        does not keep 100,000 of them: only the front of the table is looked at (the chats
        written to longest ago), each chat dropped once, so the cost per send stays O(1)."""
        while table:
            chat_id, pace = next(iter(table.items()))
            if not pace.idle(now):
                return
            del table[chat_id]
