"""Where the CPU-heavy steps of ingestion run: parsing feeds, preparing articles, reading pages.

They run in worker processes, not on the event loop nor in a thread of it: a thread still holds
Python's one lock while it parses, so Telegram replies and database writes would wait behind a
big feed, and the machine's second core would sit idle.  With worker processes the bot process
keeps to what only it can do (the database, story matching, Telegram) while a feed is parsed
beside it; the ingestion benchmark measures the difference.

`CpuWorkers(0)` runs each step in a thread instead (for a one-core machine, or to debug).  A
worker that dies (killed for memory, a crash in a C library on some hostile document) breaks
the pool, and every step on it fails: the pool is built again, and each of those steps runs
again alone, in a process of its own.  The step that kills its worker then fails with
`WorkerCrashed`, alone, rather than take the bot (or the other feeds) down with it.  A worker
whose bot process is gone (killed, crashed) ends too.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import multiprocessing
import multiprocessing.connection
import os
import signal
import threading
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from multiprocessing.process import BaseProcess
from typing import ParamSpec, TypeVar

log = logging.getLogger(__name__)

_PARENT_CHECK_SECONDS = 0.5

P = ParamSpec("P")
R = TypeVar("R")


class WorkerCrashed(RuntimeError):
    """The worker process running a step died, with the step running alone in it; the message
    says which step."""


def default_processes() -> int:
    """One core is left to the bot process (event loop and database); at most four workers."""
    return max(0, min(4, (os.cpu_count() or 1) - 1))


def _prepare_worker(parent: int) -> None:
    # Ctrl-C in a terminal reaches the whole process group: the bot shuts its workers down
    # itself, and a worker's own KeyboardInterrupt would only print a traceback per worker.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    threading.Thread(target=_exit_with, args=(parent,), name="akhbar-parent-watch", daemon=True).start()


def _exit_with(parent: int) -> None:
    """End this worker once the bot process is gone (killed, crashed): a worker holds both ends
    of its task pipe, so it would never read an end of file and would wait forever."""
    while os.getppid() == parent:
        time.sleep(_PARENT_CHECK_SECONDS)
    os._exit(0)


class CpuWorkers:
    def __init__(self, processes: int | None = None) -> None:
        self.processes = default_processes() if processes is None else processes
        self._pool: ProcessPoolExecutor | None = self._new_pool(self.processes)
        self._closed = False
        # Steps run again alone after their pool broke: a few at a time, each in a process of
        # its own, so that only the step that kills its worker is blamed for it.
        self._alone = asyncio.Semaphore(max(1, self.processes))

    @staticmethod
    def _new_pool(processes: int) -> ProcessPoolExecutor | None:
        if processes <= 0:
            return None
        # Started fresh ("spawn"), not forked: the bot process has threads (aiosqlite's, the
        # scheduler's), and a fork copies their locks in whatever state they are.  Processes
        # start on the first step, not here.
        return ProcessPoolExecutor(
            processes,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_prepare_worker,
            initargs=(os.getpid(),),
        )

    async def run(self, step: Callable[P, R], *args: P.args, **kwargs: P.kwargs) -> R:
        """`step(*args)` in a worker: a module-level function whose arguments and result pickle."""
        if self._closed:
            raise RuntimeError("the workers are closed")
        pool = self._pool
        if pool is None:
            return await asyncio.to_thread(step, *args, **kwargs)
        call = functools.partial(step, *args, **kwargs)  # run_in_executor takes no keywords
        try:
            return await asyncio.get_running_loop().run_in_executor(pool, call)
        except BrokenProcessPool:
            # Every step running or waiting on the pool fails with it, not only the one that
            # killed a worker: each is run again, alone.
            self._replace(pool)
        log.warning("worker processes died while %s was running or waiting; running it again alone", _name(step))
        return await self._run_alone(call, _name(step))

    async def _run_alone(self, call: Callable[[], R], name: str) -> R:
        async with self._alone:
            if self._closed:
                raise RuntimeError("the workers are closed")
            alone = self._new_pool(1)
            assert alone is not None  # a pool of one process
            try:
                return await asyncio.get_running_loop().run_in_executor(alone, call)
            except BrokenProcessPool:
                raise WorkerCrashed(f"{name} killed its worker process") from None
            finally:
                alone.shutdown(wait=False, cancel_futures=True)

    def _replace(self, broken: ProcessPoolExecutor) -> None:
        """A new pool in place of `broken`: several steps fail together, one pool replaces it."""
        if self._pool is broken and not self._closed:
            broken.shutdown(wait=False, cancel_futures=True)
            self._pool = self._new_pool(self.processes)

    async def close(self, grace: float = 5.0) -> None:
        """Stop the workers: steps waiting are dropped, each worker gets `grace` seconds to end
        the step it is on, and one still busy after that (a page that hangs an extractor) is
        terminated rather than hold the bot's exit."""
        self._closed = True
        pool, self._pool = self._pool, None
        if pool is None:
            return
        # The executor keeps its processes private; they are read here only to end a stuck one.
        processes = list((getattr(pool, "_processes", None) or {}).values())
        # The executor's own thread reaps its processes as it shuts down (shutdown() forgets it).
        manager: threading.Thread | None = getattr(pool, "_executor_manager_thread", None)
        pool.shutdown(wait=False, cancel_futures=True)
        deadline = time.monotonic() + grace
        for process in processes:
            if not await asyncio.to_thread(_ended, process, max(0.0, deadline - time.monotonic())):
                log.warning("a worker process was still busy after %g s; terminating it", grace)
                process.terminate()
                await asyncio.to_thread(_ended, process, 1.0)
        # Ended is not yet reaped: wait for that thread, so that no worker outlives close() as a
        # zombie (it reaps them; a second thread joining them too is what _ended avoids).
        if manager is not None:
            await asyncio.to_thread(manager.join, 2.0)

    async def __aenter__(self) -> CpuWorkers:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()


def _ended(process: BaseProcess, timeout: float) -> bool:
    """Whether `process` ended within `timeout` seconds.  Read from its sentinel, not with
    join() and is_alive(): the executor's own thread joins its processes as it shuts down, and
    of two threads waiting for one child only one reaps it; the other was told it still ran,
    and a worker that had ended was reported busy and terminated."""
    try:
        return bool(multiprocessing.connection.wait([process.sentinel], timeout))
    except ValueError:  # closed by the executor: long ended
        return True


def _name(step: Callable[..., object]) -> str:
    return getattr(step, "__qualname__", repr(step))
