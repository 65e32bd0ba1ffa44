"""kill -9 in the middle of a broadcast, then a restart: nobody misses the digest, and the only
digests sent twice are those that were in flight at the moment of the kill."""

import asyncio
import math
import os
import signal
import sys
from datetime import UTC, datetime, timedelta

from bot.digests import _RECORD_SECONDS, workers_for
from bot.emulator import BotAPIEmulator, Limits
from storage.chats import ChatRepository
from storage.db import Database

from news.articles import make_article
from news.ingest import Ingestor
from storage.articles import ArticleRepository

from .conftest import TOKEN

SUBSCRIBERS = list(range(200_001, 200_241))
RATE = 20
# What a crash may repeat: the digests in flight (one per worker) and those whose outcome
# waits in the recorder's batch (at most _RECORD_SECONDS of sends).
MAY_REPEAT = workers_for(RATE) + math.ceil(RATE * _RECORD_SECONDS) + 1


def start_bot(emu, db_path, log_path):
    env = {
        **os.environ,
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_API_URL": emu.api_url,
        "AKHBAR_DB": str(db_path),
        "AKHBAR_SEND_RATE": str(RATE),
        "AKHBAR_LOG_LEVEL": "INFO",
    }
    log = open(log_path, "ab")
    return asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "run", env=env, cwd=db_path.parent, stdout=log, stderr=log
    )


def digest_count(emu, chat_id):
    return sum(1 for m in emu.messages(chat_id) if "/read_" in m["text"])


async def test_sigkill_mid_broadcast_then_restart_loses_none_and_repeats_at_most_the_in_flight(tmp_path):
    db_path = tmp_path / "bot.db"
    due = datetime.now(UTC) - timedelta(minutes=1)
    async with Database(db_path) as db:
        ingestor = await Ingestor.open(ArticleRepository(db))
        await ingestor.add_many(
            [make_article(title=f"خبر الصباح رقم {i}", topics=["economy"], source="وكالة") for i in range(3)],
            fetched_at=due - timedelta(hours=1),
        )
        chats = ChatRepository(db)
        for user_id in SUBSCRIBERS:
            await chats.ensure(user_id, type="private", title="", lang="ar", tz="Africa/Algiers", digest_time=due.astimezone().strftime("%H:%M"))
            await chats.set_subscribed(user_id, True, next_due=due)
    async with BotAPIEmulator(token=TOKEN, limits=Limits()) as emu:
        for user_id in SUBSCRIBERS:
            emu.add_user(user_id=user_id, first_name="r")
        log_path = tmp_path / "bot.log"
        bot = await start_bot(emu, db_path, log_path)
        try:
            # Wait until the broadcast is well under way, then kill the process outright.
            for _ in range(600):
                if sum(digest_count(emu, c) for c in SUBSCRIBERS) >= 60:
                    break
                await asyncio.sleep(0.05)
            else:
                raise AssertionError(f"the broadcast never started:\n{log_path.read_text()[-3000:]}")
            bot.send_signal(signal.SIGKILL)
            await bot.wait()
            before_restart = sum(digest_count(emu, c) for c in SUBSCRIBERS)
            assert before_restart < len(SUBSCRIBERS), "killed too late to test anything"

            bot = await start_bot(emu, db_path, log_path)
            for _ in range(1200):
                if all(digest_count(emu, c) >= 1 for c in SUBSCRIBERS):
                    break
                await asyncio.sleep(0.05)
        finally:
            if bot.returncode is None:
                bot.send_signal(signal.SIGTERM)
                try:
                    await asyncio.wait_for(bot.wait(), 15)
                except TimeoutError:
                    bot.kill()
        counts = [digest_count(emu, c) for c in SUBSCRIBERS]
        assert min(counts) == 1, f"someone missed the digest:\n{log_path.read_text()[-3000:]}"
        duplicates = sum(count - 1 for count in counts)

        print(f"killed after {before_restart} digests; after restart all {len(counts)} have one, {duplicates} twice")
        assert duplicates <= MAY_REPEAT, duplicates
        assert emu.rate_limited == 0 and emu.violations == []
    assert bot.returncode == 0  # SIGTERM: a clean stop
