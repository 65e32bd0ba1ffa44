"""Telegram-like flood limits for the emulator.

Telegram documents its limits only loosely ("about 30 messages per second
overall, no more than 20 per minute in a group, avoid more than one per
second in a single chat"). We model them as:

* a sliding 1-second window over every sending call (global);
* a sliding 60-second window per group/supergroup/channel;
* a token bucket per private chat: a short burst is tolerated, then about
  ``private_per_second`` sustained.

The clock is injectable so tests can drive the limiter deterministically.
"""

from __future__ import annotations

import math
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

__all__ = ["Limits", "RateLimiter"]


@dataclass
class Limits:
    global_per_second: int = 30
    group_per_minute: int = 20
    private_burst: int = 10
    private_per_second: float = 1.0
    # Telegram lets paid broadcasts (allow_paid_broadcast=True) go up to 1000/s.
    paid_broadcast_per_second: int = 1000
    enabled: bool = True


def _retry_after(seconds: float) -> int:
    # Telegram's retry_after is a whole number of seconds, at least 1.
    return max(1, math.ceil(seconds - 1e-9))


class RateLimiter:
    def __init__(self, limits: Limits | None = None, clock: Callable[[], float] = time.monotonic):
        self.limits = limits if limits is not None else Limits()
        self.clock = clock
        self._global: deque[float] = deque()
        self._groups: dict[int, deque[float]] = {}
        self._buckets: dict[int, tuple[float, float]] = {}  # chat -> (tokens, last refill)

    def reset(self) -> None:
        self._global.clear()
        self._groups.clear()
        self._buckets.clear()

    def acquire(self, chat_id: int, is_private: bool, paid: bool = False) -> int | None:
        """Account one sending call to ``chat_id``.

        Returns None when allowed (and records it), or the retry_after in
        seconds when the call must be refused (nothing is recorded then, as a
        refused call does not use up Telegram's budget).
        """
        lim = self.limits
        if not lim.enabled:
            return None
        now = self.clock()
        waits: list[float] = []

        window = self._global
        while window and window[0] <= now - 1.0:
            window.popleft()
        cap = lim.paid_broadcast_per_second if paid else lim.global_per_second
        if cap <= 0:
            waits.append(1.0)
        elif len(window) >= cap:
            # The call may go once enough old calls have left the window.
            waits.append(window[len(window) - cap] + 1.0 - now)

        tokens = 0.0
        if is_private:
            tokens, last = self._buckets.get(chat_id, (float(lim.private_burst), now))
            tokens = min(float(lim.private_burst), tokens + (now - last) * lim.private_per_second)
            if tokens < 1.0:
                rate = lim.private_per_second
                waits.append((1.0 - tokens) / rate if rate > 0 else 3600.0)
        else:
            group = self._groups.setdefault(chat_id, deque())
            while group and group[0] <= now - 60.0:
                group.popleft()
            if lim.group_per_minute <= 0:
                waits.append(60.0)
            elif len(group) >= lim.group_per_minute:
                waits.append(group[len(group) - lim.group_per_minute] + 60.0 - now)

        if waits:
            if is_private:
                # Keep the refill progress; nothing was consumed.
                self._buckets[chat_id] = (tokens, now)
            return _retry_after(max(waits))

        window.append(now)
        if is_private:
            self._buckets[chat_id] = (tokens - 1.0, now)
        else:
            self._groups[chat_id].append(now)
        return None
