"""A background job that runs one at a time: a tick starts it unless it is still going."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from typing import Any, Generic, TypeVar

T = TypeVar("T")


class SingleRun(Generic[T]):
    def __init__(self, run: Callable[[], Coroutine[Any, Any, T]], name: str) -> None:
        self._run, self._name = run, name
        self._task: asyncio.Task[T] | None = None

    def start(self) -> asyncio.Task[T]:
        """The run under way, or a new one."""
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._run(), name=self._name)
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
