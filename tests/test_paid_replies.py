"""A reader's reply during a paid broadcast: Telegram refuses every unpaid send once the last
second holds 30 sends, so a bot broadcasting at hundreds a second would leave readers
unanswered.  Through the emulator, which refuses exactly that: a /latest asked in the middle
of a paid broadcast is answered (paid, 0.1 Star), a button that edits a message works too
(an edit cannot be paid: it waits for the second to have room), and nothing is refused with
a 429; asked while the bot is quiet, the same reply goes unpaid.
"""

import asyncio
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from datetime import time as clock_time

import pytest

from bot.app import build_application, running
from bot.config import load_settings
from emulator import BotAPIEmulator, Limits
from news.articles import make_article
from news.ingest import Ingestor
from storage.articles import ArticleRepository
from storage.db import Database

from .conftest import TOKEN, FakeClock, until

pytestmark = pytest.mark.slow  # a broadcast of 400 digests

DUE = datetime(2026, 12, 1, 6, 0, tzinfo=UTC)
SUBSCRIBERS = list(range(200_001, 200_401))
READER = 300_001
SEND_RATE = 100  # a paid broadcast, three times Telegram's free 30 a second


def digests(requests) -> int:
    return sum(1 for method, params in requests if method == "sendmessage" and params.get("chat_id") != str(READER))


def replies_to(requests, chat_id: int) -> list[tuple[str, dict]]:
    return [(method, params) for method, params in requests if str(params.get("chat_id")) == str(chat_id)]


async def test_a_reader_is_answered_during_a_paid_broadcast_with_no_429(tmp_path):
    db_path = tmp_path / "bot.db"
    async with Database(db_path) as db:
        ingestor = await Ingestor.open(ArticleRepository(db))
        await ingestor.add_many(
            [make_article(title=f"خبر الصباح رقم {i} عن الاقتصاد الوطني", topics=["economy"], source="وكالة") for i in range(5)],
            fetched_at=DUE - timedelta(hours=2),
        )
    async with BotAPIEmulator(token=TOKEN, limits=Limits()) as emu:  # Telegram's limits, strictly
        settings = replace(
            load_settings({}), token=TOKEN, api_url=emu.api_url, db_path=str(db_path), send_rate=SEND_RATE,
            paid_broadcast=True,
        )
        app = build_application(settings)
        async with running(app, poll_timeout=1):
            for job in app.job_queue.get_jobs_by_name("digest-tick"):
                job.schedule_removal()
            services = app.bot_data.services
            services.clock = FakeClock(DUE + timedelta(seconds=30))
            for user_id in SUBSCRIBERS:
                emu.add_user(user_id=user_id, first_name=str(user_id), language_code="ar")
                await services.chats.ensure(user_id, type="private", title="", lang="ar", tz="Africa/Algiers", digest_time=clock_time(7, 0))
                await services.chats.set_subscribed(user_id, True, next_due=DUE)
            emu.add_user(user_id=READER, first_name="قارئ", language_code="ar")

            # Before the broadcast: the bot is quiet, a reply costs nothing.
            emu.send_message(READER, READER, "/mytopics")
            (topics_message,) = await emu.wait_for_messages(READER, 1, timeout=30)
            quiet = replies_to(emu.requests, READER)
            assert quiet and all("allow_paid_broadcast" not in params for _, params in quiet)

            broadcast = asyncio.create_task(app.bot_data.digests.broadcast())
            await until(lambda: digests(emu.requests) >= 60, timeout=60, what="60 digests")
            asked = len(emu.requests)
            emu.send_message(READER, READER, "/latest 3")
            await until(lambda: any("/read_" in m["text"] for m in emu.messages(READER)[1:]), timeout=30, what="the reply")
            emu.press_button(READER, READER, topics_message["message_id"], "mt:+economy")
            await until(lambda: emu.messages(READER)[0].get("edit_date"), timeout=30, what="the edit")
            assert not broadcast.done(), "the broadcast should still be running when the reader is answered"
            during = replies_to(emu.requests[asked:], READER)
            report = await broadcast

    assert emu.rate_limited == 0
    assert emu.violations == []
    assert report.sent == len(SUBSCRIBERS)
    sent = [params for method, params in during if method == "sendmessage"]
    assert sent and all(params.get("allow_paid_broadcast") in (True, "true") for params in sent), sent
    assert [method for method, _ in during if method.startswith("edit")] == ["editmessagetext"]
    buttons = [b for row in emu.messages(READER)[0]["reply_markup"]["inline_keyboard"] for b in row]
    assert [b["text"].startswith("✅") for b in buttons if b["callback_data"] == "mt:-economy"] == [True]


FOLLOWERS = list(range(400_001, 401_201))  # more than one batch of claimed chats (CLAIM_BATCH, 500)


async def test_an_alert_storm_reaches_each_follower_once_and_a_reader_is_answered_meanwhile(tmp_path):
    from news.services.subscriptions import ChatRef

    db_path = tmp_path / "bot.db"
    async with BotAPIEmulator(token=TOKEN, limits=Limits()) as emu:
        settings = replace(
            load_settings({}), token=TOKEN, api_url=emu.api_url, db_path=str(db_path), send_rate=SEND_RATE,
            paid_broadcast=True,
        )
        app = build_application(settings)
        async with running(app, poll_timeout=1):
            services = app.bot_data.services
            for user_id in FOLLOWERS:
                emu.add_user(user_id=user_id, first_name=str(user_id), language_code="ar")
                await services.follows.follow(ChatRef(user_id, "private", ""), "ar", "سوناطراك")
            emu.add_user(user_id=READER, first_name="قارئ", language_code="ar")
            await services.ingestor.add_many([make_article(title="سوناطراك تعلن اكتشافا غازيا كبيرا", source="وكالة")])

            def alerted() -> int:
                return sum(1 for method, params in emu.requests
                           if method == "sendmessage" and "تتابع: " in params.get("text", ""))

            await until(lambda: alerted() >= 100, timeout=60, what="100 alerts")
            emu.send_message(READER, READER, "/latest")
            await until(lambda: emu.messages(READER), timeout=30, what="the reply")
            assert alerted() < len(FOLLOWERS), "the storm should still be going when the reader is answered"
            await until(lambda: alerted() >= len(FOLLOWERS), timeout=120, what="every alert")
            await asyncio.sleep(1)  # a tick more: anything sent twice would have arrived by now

    counts = [sum(1 for m in emu.messages(chat_id) if "تتابع: " in m["text"]) for chat_id in FOLLOWERS]
    assert min(counts) == max(counts) == 1
    assert emu.rate_limited == 0
    reply = [params for method, params in replies_to(emu.requests, READER) if method == "sendmessage"]
    assert reply and reply[0].get("allow_paid_broadcast") in (True, "true")
