"""The one clock every service reads the time from."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime


def utcnow() -> datetime:
    return datetime.now(UTC)


class Clock:
    """A callable giving the current aware UTC time.  Shared by all the services of a process,
    so that a test (or a dry run) that sets `now` moves every one of them at once."""

    __slots__ = ("now",)

    def __init__(self, now: Callable[[], datetime] = utcnow) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now()
