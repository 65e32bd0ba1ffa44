"""Worker processes for the CPU-heavy steps of ingestion (news.workers): a feed parsed and its
articles made in another process give exactly what the bot process would make itself, and a
worker that dies or is interrupted never takes the bot's polling down with it."""

import asyncio
import multiprocessing
import os
import signal
import sys
import time
from pathlib import Path

import pytest

from news.articles import InvalidArticle
from news.feeds.prepare import SourceDefaults, parse_and_prepare
from news.workers import CpuWorkers, WorkerCrashed, _ended

from .conftest import DATA, ROOT, until

SOURCE = SourceDefaults(name="الخبر", lang="ar", default_topic="sports", source_id=7)


def slow_square(n: int) -> int:
    time.sleep(0.2)
    return n * n


def mark_then_sleep(marker: str, seconds: float) -> None:
    """A step that says it has started (the marker file), then hangs."""
    Path(marker).touch()
    time.sleep(seconds)


def die_once(marker: str) -> str:
    """Kills the worker it runs in the first time (as the kernel's OOM killer would), then works."""
    if not os.path.exists(marker):
        Path(marker).touch()
        os._exit(9)
    return "done"


@pytest.fixture
async def workers():
    async with CpuWorkers(1) as pool:
        yield pool


async def test_a_step_runs_in_another_process_and_gives_what_the_bot_would_make(workers):
    document = (DATA / "feeds" / "rss-1256-as-utf8.xml").read_bytes()  # windows-1256 said to be UTF-8
    assert await workers.run(os.getpid) != os.getpid()
    there = await workers.run(parse_and_prepare, document, "application/rss+xml", "https://e.dz/feed", SOURCE)
    here = parse_and_prepare(document, "application/rss+xml", "https://e.dz/feed", SOURCE)
    assert there == here
    title, items, articles = there
    assert items and len(articles) == len(items)
    assert all(article.source == "الخبر" and article.source_id == 7 for article in articles)
    assert "Ø" not in "".join(article.title for article in articles)  # repaired, not mojibake


async def test_an_item_that_cannot_be_stored_comes_back_as_its_reason_beside_the_others(workers):
    document = (
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>t</title>'
        "<item><title>خبر سليم</title><link>https://e.dz/1</link></item>"
        "<item><title>خبر برابط مريب</title><link>https://e.dz/a b</link></item>"
        "</channel></rss>"
    ).encode()
    _, items, articles = await workers.run(parse_and_prepare, document, "application/rss+xml", None, SOURCE)
    assert len(items) == 2
    assert articles[0].title == "خبر سليم"
    assert isinstance(articles[1], InvalidArticle)


async def test_a_worker_killed_mid_step_is_replaced_and_the_step_run_again(workers, tmp_path):
    assert await workers.run(die_once, str(tmp_path / "killed-once")) == "done"
    assert await workers.run(os.getpid) != os.getpid()  # new workers, still processes


@pytest.mark.slow  # pools of processes started again and again
async def test_a_step_that_kills_its_worker_every_time_fails_alone(workers):
    slow_neighbours = [workers.run(slow_square, n) for n in range(4)]  # on the pool it breaks
    results = await asyncio.gather(workers.run(os._exit, 9), *slow_neighbours, return_exceptions=True)
    assert isinstance(results[0], WorkerCrashed) and "_exit" in str(results[0])
    assert results[1:] == [0, 1, 4, 9]
    assert await workers.run(pow, 2, 10) == 1024


async def test_closing_ends_a_step_that_never_finishes(tmp_path):
    workers = CpuWorkers(1)
    pid = await workers.run(os.getpid)
    started = tmp_path / "started"
    stuck = asyncio.ensure_future(workers.run(mark_then_sleep, str(started), 600))
    await until(started.exists, timeout=30, what="the stuck step")
    # Waiting for the step would take ten minutes: closing ends it after the grace instead.
    await asyncio.wait_for(workers.close(grace=0.5), 60)
    await until(lambda: not _running(pid), timeout=30, what="the end of the stuck worker")
    stuck.cancel()


async def test_ctrl_c_in_the_terminal_does_not_reach_the_workers(workers):
    pid = await workers.run(os.getpid)
    # Ignored, the kernel drops the signal as it is sent: nothing is left to wait for.  (Were
    # it caught instead, the worker would die a moment later, and a test could only sleep.)
    assert await workers.run(signal.getsignal, signal.SIGINT) == signal.SIG_IGN
    os.kill(pid, signal.SIGINT)  # what a terminal's Ctrl-C sends the whole process group
    assert await workers.run(os.getpid) == pid


async def test_closing_stops_the_worker_processes():
    workers = CpuWorkers(2)
    pids = set(await asyncio.gather(*(workers.run(os.getpid) for _ in range(8))))
    await workers.close()
    for pid in pids:
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)
    with pytest.raises(RuntimeError, match="closed"):
        await workers.run(os.getpid)


def test_a_worker_reaped_by_another_thread_counts_as_ended():
    # As the pool shuts down, the executor's own thread joins its processes too: of two threads
    # waiting for one child only one reaps it, and the other's join() and is_alive() then said
    # it still ran (close() warned that it was "still busy" and terminated it).
    process = multiprocessing.get_context("spawn").Process(target=os.getpid)
    process.start()
    os.waitpid(process.pid, 0)  # reaped elsewhere, before its Process object heard of it
    started = time.monotonic()
    assert _ended(process, 10)
    assert time.monotonic() - started < 5


async def test_no_workers_means_a_thread_of_the_bot_process():
    async with CpuWorkers(0) as workers:
        assert await workers.run(os.getpid) == os.getpid()


ORPHAN = """
import asyncio, os, signal, sys
from news.workers import CpuWorkers

async def main():
    workers = CpuWorkers(1)
    print(await workers.run(os.getpid), flush=True)
    os.kill(os.getpid(), signal.SIGKILL)  # no shutdown of any kind

if __name__ == "__main__":  # workers are spawned: they import this file again
    asyncio.run(main())
"""


def _running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return False
    return state != "Z"  # a zombie has ended; only its parent (now init) has yet to reap it


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads process states from /proc")
async def test_workers_end_when_the_bot_process_is_killed(tmp_path):
    script = tmp_path / "killed_bot.py"
    script.write_text(ORPHAN)
    bot = await asyncio.create_subprocess_exec(
        sys.executable, str(script), stdout=asyncio.subprocess.PIPE, cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},  # the script's folder comes first on its path, not the cwd
    )
    worker = int(await asyncio.wait_for(bot.stdout.readline(), 30))
    await asyncio.wait_for(bot.wait(), 30)
    try:
        await until(lambda: not _running(worker), timeout=30, what="the worker's end")
    except TimeoutError:
        os.kill(worker, signal.SIGKILL)
        pytest.fail("a worker outlived its killed bot process")
