"""How far long CLI work has got (import, export, fetch, db copy), on the operator's terminal.

tqdm draws the bar (rate, count, time left) rather than a hand-written one; it goes to stderr,
so that an export to standard output stays clean, and only when stderr is a terminal: a log
file, a pipe or a cron mail gets no bar at all.
"""

from __future__ import annotations

import sys
from types import TracebackType
from typing import Never, TextIO

from tqdm import tqdm


class Progress:
    """One bar at a time; `stage` starts the next (db copy: a table after another)."""

    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream or sys.stderr
        self.live = self.stream.isatty()
        self._bar: tqdm[Never] | None = None
        self._what: str | None = None

    def stage(self, what: str, total: int | None = None, unit: str = "it") -> None:
        """A new bar for `what` (`total` steps if known), the previous one left on its line."""
        self.close()
        self._what = what
        if self.live:
            self._bar = tqdm(desc=what, total=total, unit=unit, file=self.stream, dynamic_ncols=True)

    def advance(self, steps: int = 1) -> None:
        if self._bar is not None:
            self._bar.update(steps)

    def reach(self, done: int) -> None:
        """Move the bar to `done` steps from its start."""
        if self._bar is not None:
            self._bar.update(done - self._bar.n)

    def at(self, what: str, done: int, total: int | None = None, unit: str = "it") -> None:
        """`done` steps of `what`: its bar moved there, a new bar when `what` is new."""
        if what != self._what:
            self.stage(what, total, unit)
        self.reach(done)

    def close(self) -> None:
        if self._bar is not None:
            bar, self._bar = self._bar, None
            bar.close()

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.close()
