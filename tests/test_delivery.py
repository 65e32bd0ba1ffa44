"""A whole broadcast against an emulator that enforces Telegram's limits to the letter.

500 subscribers, of whom 5 blocked the bot, 1 deleted their account and 1 is a group that
became a supergroup: every other one gets exactly one digest, no request is refused with a
429, and a reader typing /latest in the middle of it is answered ahead of the digests still
waiting (by the number of digests that went out meanwhile, not by a stopwatch: how fast
replies stay under load is measured by benchmarks/soak_benchmark.py).
"""

import asyncio
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from datetime import time as clock_time

import pytest

from bot.app import build_application, running
from bot.config import load_settings
from bot.demo import load_demo_articles
from emulator import BotAPIEmulator, Limits
from news.articles import make_article
from news.ingest import Ingestor
from storage.articles import ArticleRepository
from storage.db import Database

from .conftest import TOKEN, FakeClock, until

pytestmark = pytest.mark.slow  # 500 digests at 25 a second

DUE = datetime(2026, 12, 1, 6, 0, tzinfo=UTC)
READERS = list(range(100_001, 100_500))  # 499 private chats …
GROUP, SUPERGROUP = -4001, -1_000_000_004_001  # … and one group
BLOCKED = READERS[10:15]
DEACTIVATED = READERS[20]
ZONES = ("Africa/Algiers", "Europe/Paris", "Africa/Tunis")  # all at 07:00 local = 06:00 UTC
SEND_RATE = 25
# A reply overtakes the digests waiting for the limiter: at most those already on their way
# go out before it (0 to a few measured), never the ~400 still to come.  Counted in digests, the
# bound holds however slow the machine is.
DIGESTS_BEFORE_THE_REPLY = 2 * SEND_RATE


def sends(requests) -> int:
    return sum(1 for method, _ in requests if method == "sendmessage")


async def seed(db_path):
    await load_demo_articles(db_path)
    async with Database(db_path) as db:
        ingestor = await Ingestor.open(ArticleRepository(db))
        await ingestor.add_many(
            [make_article(title=f"خبر الصباح رقم {i} عن الاقتصاد الوطني", topics=["economy"], source="وكالة") for i in range(5)],
            fetched_at=DUE - timedelta(hours=2),
        )


async def test_five_hundred_digests_exactly_once_with_no_429_and_replies_stay_fast(tmp_path):
    db_path = tmp_path / "bot.db"
    await seed(db_path)
    async with BotAPIEmulator(token=TOKEN, limits=Limits()) as emu:  # Telegram's limits, strictly
        settings = replace(load_settings({}), token=TOKEN, api_url=emu.api_url, db_path=str(db_path), send_rate=SEND_RATE)
        app = build_application(settings)
        async with running(app, poll_timeout=1):
            for job in app.job_queue.get_jobs_by_name("digest-tick"):
                job.schedule_removal()
            services = app.bot_data.services
            services.clock = FakeClock(DUE + timedelta(seconds=30))
            for number, user_id in enumerate(READERS):
                emu.add_user(user_id=user_id, first_name=f"r{number}", language_code=("ar", "fr", "en")[number % 3])
                await services.chats.ensure(user_id, type="private", title="", lang="ar", tz=ZONES[number % 3], digest_time=clock_time(7, 0))
                await services.chats.set_subscribed(user_id, True, next_due=DUE)
            emu.add_group(chat_id=GROUP, title="قراء", admins=[READERS[0]])
            await services.chats.ensure(GROUP, type="group", title="قراء", lang="ar", tz="Africa/Algiers", digest_time=clock_time(7, 0))
            await services.chats.set_subscribed(GROUP, True, next_due=DUE)
            for user_id in BLOCKED:
                emu.block(user_id)
            emu.deactivate(DEACTIVATED)
            emu.migrate_group(GROUP, SUPERGROUP)

            broadcast = asyncio.create_task(app.bot_data.digests.broadcast())
            await until(lambda: sends(emu.requests) >= 100, timeout=60, what="100 digests")  # well into it
            asker = READERS[-1]
            before = len(emu.messages(asker))
            asked = len(emu.requests)
            emu.send_message(asker, asker, "/latest 3")
            await emu.wait_for_messages(asker, before + 1, timeout=30)
            while "/read_" not in emu.messages(asker)[-1]["text"] or "📰" not in emu.messages(asker)[-1]["text"]:
                await emu.wait_for_messages(asker, len(emu.messages(asker)) + 1, timeout=30)
            assert not broadcast.done(), "the broadcast should still be running when the reader asks"
            answered = next(
                i for i, (method, params) in enumerate(emu.requests)
                if i >= asked and method == "sendmessage" and str(params.get("chat_id")) == str(asker) and "📰" in params.get("text", "")
            )
            digests_before_the_reply = sends(emu.requests[asked:answered])
            print(f"\n{digests_before_the_reply} digests went out between the reader's /latest and its answer")
            report = await broadcast

    delivered = [c for c in READERS if c not in BLOCKED and c != DEACTIVATED] + [SUPERGROUP]
    for chat_id in delivered:
        digests = [m for m in emu.messages(chat_id) if "2026" in m["text"] and "/read_" in m["text"] and "📰" not in m["text"]]
        assert len(digests) == 1, (chat_id, len(digests))
    for chat_id in [*BLOCKED, DEACTIVATED]:
        assert emu.messages(chat_id) == []
    assert report.sent == len(delivered)
    assert emu.rate_limited == 0
    assert emu.violations == []
    assert digests_before_the_reply <= DIGESTS_BEFORE_THE_REPLY, digests_before_the_reply

    async with Database(db_path) as db:
        from storage.chats import ChatRepository

        chats = ChatRepository(db)
        for user_id in BLOCKED:
            assert not (await chats.get(user_id)).active  # kept, marked inactive
        gone = await chats.get(DEACTIVATED)
        assert not gone.active and "deactivated" in gone.inactive_reason and gone.subscribed
        assert await chats.get(GROUP) is None
        moved = await chats.get(SUPERGROUP)
        assert moved.subscribed and moved.type == "supergroup"
        records = await chats.deliveries_on("2026-12-01")
        assert sum(r.state == "sent" for r in records) == len(delivered)
