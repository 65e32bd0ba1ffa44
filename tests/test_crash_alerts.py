"""kill -9 between the commit of a story and the sends of the alerts it owes: a restart sends
every alert, and the only ones sent twice are those in flight at the moment of the kill."""

import asyncio
import math
import signal
from dataclasses import replace

import pytest

from bot.alerts import senders_for
from bot.batching import RECORD_SECONDS
from bot.config import load_settings
from bot.services import Services
from emulator import BotAPIEmulator, Limits
from news.articles import make_article
from news.services.subscriptions import ChatRef

from .conftest import TOKEN
from .test_crash import RATE, start_bot, stop

pytestmark = pytest.mark.slow  # bot processes started, killed and restarted

FOLLOWERS = list(range(300_001, 300_121))


def alert_count(emu, chat_id):
    return sum(1 for m in emu.messages(chat_id) if "تتابع: " in m["text"])


async def wait_for(emu, count, log_path):
    for _ in range(1200):
        if sum(alert_count(emu, c) for c in FOLLOWERS) >= count:
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"the alerts never went out:\n{log_path.read_text()[-3000:]}")


async def test_sigkill_while_alerts_go_out_then_restart_sends_every_one(tmp_path):
    db_path, log_path = tmp_path / "bot.db", tmp_path / "bot.log"
    settings = replace(load_settings({}), db_path=str(db_path))
    async with await Services.open(settings) as services:
        for chat_id in FOLLOWERS:
            await services.follows.follow(ChatRef(chat_id, "private", ""), "ar", "سوناطراك")
    async with BotAPIEmulator(token=TOKEN, limits=Limits()) as emu:
        for user_id in FOLLOWERS:
            emu.add_user(user_id=user_id, first_name="r")
        bot = await start_bot(emu, db_path, log_path)
        try:
            # The story arrives by another process (as `akhbar import` would): committed with
            # its outbox rows; the running bot's alert job sends them.
            async with await Services.open(settings) as importer:
                await importer.ingestor.add_many([make_article(title="سوناطراك تعلن اكتشافا غازيا كبيرا", source="وكالة")])
            await wait_for(emu, 30, log_path)
            bot.send_signal(signal.SIGKILL)
            await bot.wait()
            before_restart = sum(alert_count(emu, c) for c in FOLLOWERS)
            assert before_restart < len(FOLLOWERS), "killed too late to test anything"
        finally:
            await stop(bot)
        bot = await start_bot(emu, db_path, log_path)
        try:
            await wait_for(emu, len(FOLLOWERS), log_path)
            await asyncio.sleep(1)  # a tick more: anything sent twice has arrived by now
        finally:
            await stop(bot)
    counts = [alert_count(emu, c) for c in FOLLOWERS]
    print(f"before the kill: {before_restart} alerts; after the restart: {sum(counts)} for {len(FOLLOWERS)} readers")
    assert min(counts) == 1
    # At most the sends in flight, and those whose record waited in its batch (RECORD_SECONDS).
    assert sum(counts) - len(FOLLOWERS) <= senders_for(RATE) + math.ceil(RATE * RECORD_SECONDS) + 1
