"""A background job that runs one at a time: a tick starts it unless it is still going."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from typing import Any, Generic, TypeVar

from news.repositories import StorageUnavailable

log = logging.getLogger(__name__)
T = TypeVar("T")


def _report_failure(task: asyncio.Task[Any]) -> None:
    """A run that failed says so in the log (no tick awaits it): a database out of reach in one
    line — the next tick tries again — anything else with its traceback."""
    if task.cancelled() or (error := task.exception()) is None:
        return
    if isinstance(error, StorageUnavailable):
        log.warning("%s: paused until the next tick: %s", task.get_name(), error)
    else:
        log.error("%s failed", task.get_name(), exc_info=error)


class SingleRun(Generic[T]):
    def __init__(self, run: Callable[[], Coroutine[Any, Any, T]], name: str) -> None:
        self._run, self._name = run, name
        self._task: asyncio.Task[T] | None = None

    def start(self) -> asyncio.Task[T]:
        """The run under way, or a new one."""
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._run(), name=self._name)
            self._task.add_done_callback(_report_failure)
        return self._task

    async def stop(self, grace: float = 0.0) -> None:
        """Shutdown: give a run under way `grace` seconds to end by itself (it was told to stop
        by its owner), then cancel it and wait for it to unwind."""
        task = self._task
        if task is None or task.done():
            return
        if grace > 0:
            await asyncio.wait({task}, timeout=grace)
        if not task.done():
            task.cancel()
        try:
            await task
        except asyncio.CancelledError:
            if (current := asyncio.current_task()) is not None and current.cancelling():
                raise  # it is the caller who is being cancelled, not just the run
        except Exception:
            pass  # the run's own failure was its business; shutdown goes on
