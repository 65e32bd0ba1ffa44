"""Two `akhbar worker` processes on one PostgreSQL database share a broadcast; one is killed
with SIGKILL in the middle of it: every chat still gets its digest, the survivor takes the dead
one's claimed chats over once its lease runs out, and the only digests sent twice are those the
dead one had in flight.  Telegram (the emulator) sees the configured rate overall, never more."""

import asyncio
import os
import signal
import sys
import time
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from bot.config import load_settings
from bot.digests import workers_for
from bot.processes import LEASE_SECONDS, rate_share
from bot.services import Services
from emulator import BotAPIEmulator, Limits
from news.articles import make_article
from news.ingest import Ingestor
from news.services.subscriptions import ChatRef
from storage.articles import ArticleRepository
from storage.chats import ChatRepository
from storage.connect import open_database

from .conftest import ROOT, TOKEN, pg_schema, until

pytestmark = pytest.mark.slow  # worker processes started and killed mid-broadcast

SUBSCRIBERS = list(range(300_001, 300_361))
RATE = 30  # Telegram's own limit without paid broadcasts: the emulator enforces it


async def start_worker(emu, url: str, log_path, host: str, rate: int = RATE):
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_API_URL": emu.api_url,
        "AKHBAR_DATABASE_URL": url,
        "AKHBAR_SEND_RATE": str(rate),
        # Above Telegram's 30/s: paid broadcasts, as an operator with many readers sends them.
        "AKHBAR_PAID_BROADCAST": "true" if rate > 30 else "false",
        "AKHBAR_LOG_LEVEL": "INFO",
        # As if on two machines: the survivor cannot see the dead one's process is gone, and
        # waits out its lease.
        "AKHBAR_PROCESS_HOST": host,
    }
    with open(log_path, "ab") as log:  # the child keeps its own descriptor; ours is closed at once
        return await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", "worker", env=env, cwd=log_path.parent, stdout=log, stderr=log
        )


async def start_workers(emu, url: str, tmp_path, readers: list[int], rate: int = RATE):
    """Two workers, as if on two machines, each logging to a file of its own, and the readers
    they send to known to Telegram: (the logs, the worker processes)."""
    for user_id in readers:
        emu.add_user(user_id=user_id, first_name="r")
    logs = [tmp_path / "worker-1.log", tmp_path / "worker-2.log"]
    return logs, [await start_worker(emu, url, log, f"host-{n}", rate) for n, log in enumerate(logs, 1)]


async def seed(url: str, subscribers: list[int] = SUBSCRIBERS) -> None:
    due = datetime.now(UTC) - timedelta(minutes=1)
    db = await open_database(url, "")
    try:
        await (await Ingestor.open(ArticleRepository(db))).add_many(
            [make_article(title=f"خبر الصباح رقم {i}", topics=["economy"], source="وكالة") for i in range(3)],
            fetched_at=due - timedelta(hours=1),
        )
        chats = ChatRepository(db)
        for user_id in subscribers:
            await chats.ensure(user_id, type="private", title="", lang="ar", tz="Africa/Algiers",
                               digest_time=due.astimezone().time().replace(second=0, microsecond=0))
            await chats.set_subscribed(user_id, True, next_due=due)
    finally:
        await db.close()


def digests(emu, chat_id) -> int:
    return sum(1 for m in emu.messages(chat_id) if "/read_" in m["text"])


def delivered(emu, subscribers: list[int] = SUBSCRIBERS) -> int:
    return sum(digests(emu, c) for c in subscribers)


async def test_two_workers_share_a_broadcast_and_a_sigkilled_one_is_taken_over(tmp_path):
    async with pg_schema() as url:
        await seed(url)
        async with BotAPIEmulator(token=TOKEN, limits=Limits()) as emu:
            logs, workers = await start_workers(emu, url, tmp_path, SUBSCRIBERS)
            try:
                # Both in before the kill (one may start seconds later than the other on a busy machine).
                await until(lambda: all("joined" in log.read_text() for log in logs), timeout=60, what="both workers in")
                await until(lambda: delivered(emu) >= 60, timeout=60, what="the broadcast under way")
                victim = workers[0]
                victim.send_signal(signal.SIGKILL)
                await victim.wait()
                killed_at, at_kill = time.monotonic(), delivered(emu)
                assert at_kill < len(SUBSCRIBERS), "killed too late to test anything"
                await until(lambda: all(digests(emu, c) >= 1 for c in SUBSCRIBERS),
                            timeout=LEASE_SECONDS + 40, what="every digest, after the takeover")
                everyone_at = time.monotonic() - killed_at
                survivor = workers[1]
                survivor.send_signal(signal.SIGTERM)
                assert await asyncio.wait_for(survivor.wait(), 15) == 0
            finally:
                for worker in workers:
                    if worker.returncode is None:
                        worker.kill()
                        await worker.wait()
            counts = [digests(emu, c) for c in SUBSCRIBERS]
            duplicates = sum(count - 1 for count in counts)
            print(f"killed at {at_kill} digests; everyone had one {everyone_at:.1f} s later; {duplicates} twice")
            # Only what the dead worker had in flight may go twice: what it sent is noted as
            # each send ends, and recorded by the survivor before it claims those chats.
            assert duplicates <= workers_for(RATE), duplicates
            assert min(counts) == 1
            # Both worked, and together they kept Telegram's limit: no 429, no violation.
            senders = {line for log in logs for line in log.read_text().splitlines() if "joined" in line}
            assert len(senders) == 2, senders
            assert emu.rate_limited == 0 and emu.violations == []


async def test_a_worker_sigkilled_while_its_sent_digests_wait_to_be_recorded_repeats_only_the_in_flight(tmp_path):
    """Issue 17 on PostgreSQL: the digests a worker sent and had not yet recorded lived only in
    its memory, so the survivor sent them again after the takeover.  The records are held back
    (another session locks the deliveries table), the workers send on, one is killed: only its
    sends in flight at the kill may arrive twice."""
    readers, rate = list(range(310_001, 311_501)), 300  # paid broadcasts: sends pile up faster
    async with pg_schema() as url:
        await seed(url, readers)
        async with BotAPIEmulator(token=TOKEN, limits=Limits()) as emu:
            logs, workers = await start_workers(emu, url, tmp_path, readers, rate)
            holder = await open_database(url, "")
            release = asyncio.Event()
            locked = asyncio.Event()

            async def hold_the_records_back() -> None:
                async with holder.transaction() as tx:
                    await tx.execute("LOCK TABLE deliveries IN EXCLUSIVE MODE")  # reads go on, writes wait
                    locked.set()
                    await release.wait()

            holding: asyncio.Task[None] | None = None
            try:
                await until(lambda: delivered(emu, readers) >= 300, timeout=60, what="the broadcast under way")
                holding = asyncio.create_task(hold_the_records_back())
                await asyncio.wait_for(locked.wait(), 10)
                unrecorded_from = delivered(emu, readers)
                await until(lambda: delivered(emu, readers) >= unrecorded_from + 60, timeout=30, what="digests sent, unrecorded")
                victim = workers[0]
                victim.send_signal(signal.SIGKILL)
                await victim.wait()
                at_kill = delivered(emu, readers)
                # Sent and noted, not recorded: what the dead one's successor must not send again.
                noted = await open_database(url, "")
                try:
                    ((waiting,),) = await noted.fetch("SELECT count(*) FROM digests_sent")
                finally:
                    await noted.close()
                assert waiting >= 20, waiting
                release.set()
                await holding
                assert at_kill < len(readers), "killed too late to test anything"
                await until(lambda: all(digests(emu, c) >= 1 for c in readers),
                            timeout=LEASE_SECONDS + 40, what="every digest, after the takeover")
                survivor = workers[1]
                survivor.send_signal(signal.SIGTERM)
                assert await asyncio.wait_for(survivor.wait(), 15) == 0
            finally:
                release.set()
                if holding is not None:
                    await asyncio.gather(holding, return_exceptions=True)
                await holder.close()
                for worker in workers:
                    if worker.returncode is None:
                        worker.kill()
                        await worker.wait()
            counts = [digests(emu, c) for c in readers]
            duplicates = sum(count - 1 for count in counts)
            print(f"killed at {at_kill} digests, {at_kill - unrecorded_from} sent since the records were held "
                  f"({waiting} noted, unrecorded); {duplicates} twice")
            assert min(counts) == 1
            assert duplicates <= workers_for(rate), duplicates  # a digest in flight per sender
            assert emu.rate_limited == 0 and emu.violations == []


def busiest_second(emu) -> int:
    """The most messages Telegram (the emulator) took in any one second."""
    times = sorted(at for (method, _), at in zip(emu.requests, emu.request_times, strict=True) if method == "sendmessage")
    busiest, start = 0, 0
    for end, at in enumerate(times):
        while times[start] <= at - 1.0:
            start += 1
        busiest = max(busiest, end - start + 1)
    return busiest


async def test_an_alert_storm_goes_out_from_every_worker_together_at_the_bots_whole_rate(tmp_path):
    """Breaking news for 150 followers, two workers sharing the bot's 30/s: each sends at most
    half of it, so the storm must be shared.  Before, the first worker to tick claimed every
    follower's chat (500 at a time) and sent them all at its half-rate while the other stood
    idle: more workers made the alerts slower (500 followers, three workers: 56 s against
    20 s with one)."""
    followers = list(range(320_001, 320_151))
    async with pg_schema() as url:
        async with await Services.open(replace(load_settings({}), database_url=url)) as services:
            for chat_id in followers:
                await services.follows.follow(ChatRef(chat_id, "private", ""), "ar", "سوناطراك")
        async with BotAPIEmulator(token=TOKEN, limits=Limits()) as emu:
            logs, workers = await start_workers(emu, url, tmp_path, followers)
            try:
                # Both in and counting each other: each sends half the rate from now on.
                await until(lambda: all(counted_both(log.read_text()) for log in logs), timeout=60, what="both workers in")
                async with await Services.open(replace(load_settings({}), database_url=url)) as importer:
                    await importer.ingestor.add_many([make_article(title="سوناطراك تعلن اكتشافا غازيا كبيرا", source="وكالة")])
                await until(lambda: all(alerts(emu, c) >= 1 for c in followers), timeout=60, what="every alert")
            finally:
                for worker in workers:
                    if worker.returncode is None:
                        worker.send_signal(signal.SIGTERM)
                for worker in workers:
                    await asyncio.wait_for(worker.wait(), 15)
            counts = [alerts(emu, c) for c in followers]
            busiest = busiest_second(emu)
            print(f"{sum(counts)} alerts to {len(followers)} followers; the busiest second held {busiest}")
            assert counts == [1] * len(followers)
            # One worker alone sends at most 14 a second (half of 28.5): more in one second is
            # both of them sending the storm together.
            assert busiest > rate_share(RATE, 2) + 4, busiest
            assert emu.rate_limited == 0 and emu.violations == []


def alerts(emu, chat_id) -> int:
    return sum(1 for m in emu.messages(chat_id) if "تتابع: " in m["text"])


def counted_both(log: str) -> bool:
    """Whether a worker's log says it counted two live processes (bot/processes.py)."""
    return "joined; 2 live" in log or "2 processes live" in log
