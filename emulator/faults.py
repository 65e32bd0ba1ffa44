"""Faults the emulator can inject: the network and the servers failing the way Telegram's do.

Kinds:
- ``"500"`` / ``"502"``: an Internal Server Error / Bad Gateway answer.  Nothing was done.
- ``"drop"``: the connection is cut before any answer.  Nothing was done.
- ``"slow"``: the request is held for ``slow_seconds`` first, then answered normally.
- ``"429"``: a flood-control answer with ``retry_after``.  Nothing was done.

A faulted request has no effect on the emulated world (the slow one excepted, which is
served late), so a client that retries loses nothing and doubles nothing.  Faults come
either queued (``inject``: the next N matching requests), for a while (``storm``: every
matching request for some seconds), or at random (``rate``: each matching request with
that probability, from a seeded generator so that a run is reproducible).
"""

from __future__ import annotations

import random
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass

__all__ = ["FAULT_KINDS", "FaultPlan"]

FAULT_KINDS = ("500", "502", "drop", "slow", "429")


@dataclass
class _Queued:
    kind: str
    methods: frozenset[str] | None
    left: int
    spared: int = 0  # matching requests to let through before the first fault


@dataclass
class _Storm:
    kind: str
    methods: frozenset[str] | None
    until: float


def _method_set(methods: Iterable[str] | None) -> frozenset[str] | None:
    return None if methods is None else frozenset(m.lower() for m in methods)


def _matches(methods: frozenset[str] | None, method: str) -> bool:
    return methods is None or method in methods


class FaultPlan:
    """Decides, request by request, whether and how to fail it; counts what it injected."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._queued: list[_Queued] = []
        self._storms: list[_Storm] = []
        self._rate = 0.0
        self._rate_kinds: tuple[str, ...] = ()
        self._rate_methods: frozenset[str] | None = None
        self._random = random.Random(0)
        self.slow_seconds = 1.0
        self.retry_after = 1
        self.injected: Counter[str] = Counter()  # kind -> how many requests it hit
        self.by_method: Counter[tuple[str, str]] = Counter()  # (method, kind) -> count

    def inject(self, kind: str, count: int = 1, methods: Iterable[str] | None = None, after: int = 0) -> None:
        """Fail the next `count` requests to `methods` (default: any method) with `kind`;
        with `after`, the `count` that follow the next `after` of them (the Nth send fails)."""
        self._check(kind)
        self._queued.append(_Queued(kind, _method_set(methods), count, after))

    def storm(self, seconds: float, kind: str = "429", methods: Iterable[str] | None = None) -> None:
        """Fail every request to `methods` with `kind` for the next `seconds`."""
        self._check(kind)
        self._storms.append(_Storm(kind, _method_set(methods), self._clock() + seconds))

    def randomly(
        self,
        rate: float,
        kinds: Iterable[str] = FAULT_KINDS,
        methods: Iterable[str] | None = None,
        seed: int = 0,
    ) -> None:
        """Fail each request to `methods` with probability `rate`, with a kind drawn evenly."""
        kinds = tuple(kinds)
        for kind in kinds:
            self._check(kind)
        self._rate, self._rate_kinds, self._rate_methods = rate, kinds, _method_set(methods)
        self._random = random.Random(seed)

    def clear(self) -> None:
        """No more faults (the counts are kept)."""
        self._queued.clear()
        self._storms.clear()
        self._rate = 0.0

    def next_fault(self, method: str) -> str | None:
        kind = self._pick(method)
        if kind is not None:
            self.injected[kind] += 1
            self.by_method[(method, kind)] += 1
        return kind

    def _pick(self, method: str) -> str | None:
        for queued in self._queued:
            if queued.left > 0 and _matches(queued.methods, method):
                if queued.spared > 0:
                    queued.spared -= 1
                    continue
                queued.left -= 1
                if queued.left == 0:
                    self._queued.remove(queued)
                return queued.kind
        now = self._clock()
        self._storms = [storm for storm in self._storms if storm.until > now]
        for storm in self._storms:
            if _matches(storm.methods, method):
                return storm.kind
        if self._rate and _matches(self._rate_methods, method) and self._random.random() < self._rate:
            return self._random.choice(self._rate_kinds)
        return None

    @staticmethod
    def _check(kind: str) -> None:
        if kind not in FAULT_KINDS:
            raise ValueError(f"unknown fault {kind!r}; one of {', '.join(FAULT_KINDS)}")
