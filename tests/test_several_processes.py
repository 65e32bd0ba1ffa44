"""Two `akhbar worker` processes on one PostgreSQL database share a broadcast; one is killed
with SIGKILL in the middle of it: every chat still gets its digest, the survivor takes the dead
one's claimed chats over once its lease runs out, and the only digests sent twice are those the
dead one had in flight.  Telegram (the emulator) sees the configured rate overall, never more."""

import asyncio
import os
import signal
import sys
import time
from datetime import UTC, datetime, timedelta

import pytest

from bot.batching import RECORD_SECONDS
from bot.digests import workers_for
from bot.processes import LEASE_SECONDS
from emulator import BotAPIEmulator, Limits
from news.articles import make_article
from news.ingest import Ingestor
from storage.articles import ArticleRepository
from storage.chats import ChatRepository
from storage.connect import open_database

from .conftest import ROOT, TOKEN, pg_schema, until

pytestmark = pytest.mark.slow  # worker processes started and killed mid-broadcast

SUBSCRIBERS = list(range(300_001, 300_361))
RATE = 30  # Telegram's own limit without paid broadcasts: the emulator enforces it


async def start_worker(emu, url: str, log_path, host: str):
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_API_URL": emu.api_url,
        "AKHBAR_DATABASE_URL": url,
        "AKHBAR_SEND_RATE": str(RATE),
        "AKHBAR_LOG_LEVEL": "INFO",
        # As if on two machines: the survivor cannot see the dead one's process is gone, and
        # waits out its lease.
        "AKHBAR_PROCESS_HOST": host,
    }
    with open(log_path, "ab") as log:  # the child keeps its own descriptor; ours is closed at once
        return await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", "worker", env=env, cwd=log_path.parent, stdout=log, stderr=log
        )


async def seed(url: str) -> None:
    due = datetime.now(UTC) - timedelta(minutes=1)
    db = await open_database(url, "")
    try:
        await (await Ingestor.open(ArticleRepository(db))).add_many(
            [make_article(title=f"خبر الصباح رقم {i}", topics=["economy"], source="وكالة") for i in range(3)],
            fetched_at=due - timedelta(hours=1),
        )
        chats = ChatRepository(db)
        for user_id in SUBSCRIBERS:
            await chats.ensure(user_id, type="private", title="", lang="ar", tz="Africa/Algiers",
                               digest_time=due.astimezone().time().replace(second=0, microsecond=0))
            await chats.set_subscribed(user_id, True, next_due=due)
    finally:
        await db.close()


def digests(emu, chat_id) -> int:
    return sum(1 for m in emu.messages(chat_id) if "/read_" in m["text"])


def delivered(emu) -> int:
    return sum(digests(emu, c) for c in SUBSCRIBERS)


async def test_two_workers_share_a_broadcast_and_a_sigkilled_one_is_taken_over(tmp_path):
    async with pg_schema() as url:
        await seed(url)
        async with BotAPIEmulator(token=TOKEN, limits=Limits()) as emu:
            for user_id in SUBSCRIBERS:
                emu.add_user(user_id=user_id, first_name="r")
            logs = [tmp_path / "worker-1.log", tmp_path / "worker-2.log"]
            workers = [await start_worker(emu, url, log, f"host-{n}") for n, log in enumerate(logs, 1)]
            try:
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
            # Only what the dead worker had in flight, or awaiting its record, may go twice.
            assert duplicates <= workers_for(RATE) + RATE * RECORD_SECONDS + 1, duplicates
            assert min(counts) == 1
            # Both worked, and together they kept Telegram's limit: no 429, no violation.
            senders = {line for log in logs for line in log.read_text().splitlines() if "joined" in line}
            assert len(senders) == 2, senders
            assert emu.rate_limited == 0 and emu.violations == []
