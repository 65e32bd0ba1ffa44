"""The database refusing writes: locked by another process, a full disk, a read-only file.

A lock is waited out and the write goes through; a full or read-only database refuses the
change cleanly (nothing half-written), the reader is told so politely, and reads go on.
"""

import asyncio
import sqlite3
from datetime import time

import pytest

from news.articles import make_article
from news.ingest import Ingestor
from news.repositories import StorageUnavailable
from storage.articles import ArticleRepository
from storage.chats import ChatRepository
from storage.db import Database


def hold_write_lock(path) -> sqlite3.Connection:
    """Another process's long write: a second connection holding SQLite's write lock."""
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    other.execute("UPDATE chats SET title = title")
    return other


async def test_a_write_waits_for_another_process_that_holds_the_lock(tmp_path):
    path = tmp_path / "a.db"
    async with Database(path, busy_timeout=0.1, lock_wait=5) as db:
        chats = ChatRepository(db)
        other = hold_write_lock(path)
        loop = asyncio.get_running_loop()
        loop.call_later(0.6, other.commit)  # longer than SQLite's own busy wait
        chat = await chats.ensure(1, type="private", title="قارئ", lang="ar", tz="Africa/Algiers", digest_time=time(7, 0))
        assert chat.id == 1 and (await chats.get(1)).title == "قارئ"
        other.close()


async def test_a_lock_held_past_the_wait_is_refused_cleanly_and_reads_still_work(tmp_path):
    path = tmp_path / "a.db"
    async with Database(path, busy_timeout=0.05, lock_wait=0.3) as db:
        chats = ChatRepository(db)
        await chats.ensure(1, type="private", title="قارئ", lang="ar", tz="Africa/Algiers", digest_time=time(7, 0))
        other = hold_write_lock(path)
        with pytest.raises(StorageUnavailable) as refused:
            await chats.ensure(2, type="private", title="آخر", lang="ar", tz="Africa/Algiers", digest_time=time(7, 0))
        assert refused.value.reason == "locked"
        assert (await chats.get(1)).title == "قارئ"  # a read, while the lock is still held
        other.commit()
        other.close()
        assert (await chats.ensure(2, type="private", title="آخر", lang="ar", tz="Africa/Algiers", digest_time=time(7, 0))).id == 2


async def test_a_full_disk_refuses_the_batch_whole_and_keeps_what_was_stored(tmp_path):
    async with Database(tmp_path / "a.db") as db:
        ingestor = await Ingestor.open(ArticleRepository(db))
        await ingestor.add_many([make_article(title=f"خبر أول رقم {i} عن الاقتصاد", source="وكالة") for i in range(5)])
        async with db.conn.execute("PRAGMA page_count") as cursor:
            (pages,) = await cursor.fetchone()
        await db.conn.execute(f"PRAGMA max_page_count = {pages + 2}")  # the disk is nearly full
        big = [make_article(title=f"خبر طويل رقم {i} عن الطقس", body="نص " * 2000, source="وكالة") for i in range(50)]
        with pytest.raises(StorageUnavailable) as refused:
            await ingestor.add_many(big)
        assert refused.value.reason == "full"
        assert not db.conn.in_transaction
        async with db.conn.execute("SELECT count(*) FROM articles") as cursor:
            assert (await cursor.fetchone())[0] == 5  # none of the refused batch, all of the rest
        async with db.conn.execute("PRAGMA integrity_check") as cursor:
            assert (await cursor.fetchone())[0] == "ok"
        await db.conn.execute("PRAGMA max_page_count = 1073741823")  # space again
        ids = await ingestor.add_many(big[:3])
        assert all(ids)


async def test_a_read_only_database_keeps_answering_reads_and_says_why_a_change_failed(world):
    services = world.services
    reader = 65_001
    world.emu.add_user(reader, language_code="ar")
    await world.ask(reader, "/subscribe")
    assert (await services.chats.get(reader)).subscribed
    await services.db.conn.execute("PRAGMA query_only = ON")  # as a read-only file behaves
    try:
        refusal = await world.ask(reader, "/unsubscribe")
        assert "لا أستطيع حفظ التغييرات" in refusal[0]["text"]
        assert refusal[0]["text"].startswith("\u200f")  # right-to-left, as every Arabic line
        assert (await services.chats.get(reader)).subscribed  # nothing changed
        latest = await world.ask(reader, "/latest 3")
        assert "/read_" in latest[0]["text"]
        found = await world.ask(reader, "/search الجزائر")
        assert "/read_" in found[0]["text"]
        newcomer = 65_002
        world.emu.add_user(newcomer, language_code="en")
        hello = await world.ask(newcomer, "/start")
        assert "can't save changes right now" in hello[0]["text"]
    finally:
        await services.db.conn.execute("PRAGMA query_only = OFF")
    await world.ask(reader, "/unsubscribe")
    assert not (await services.chats.get(reader)).subscribed


async def test_a_command_waits_out_another_process_holding_the_lock(world):
    services = world.services
    reader = 65_101
    world.emu.add_user(reader, language_code="fr")
    await world.ask(reader, "/start")
    # A short SQLite busy wait so that the lock outlasts it, as a long import would.
    services.db.busy_timeout = 0.1
    await services.db.conn.execute("PRAGMA busy_timeout = 100")
    other = hold_write_lock(services.settings.db_path)
    asyncio.get_running_loop().call_later(1.0, other.commit)
    reply = await world.ask(reader, "/settime 08:15")
    other.close()
    assert "08:15" in reply[0]["text"]
    assert (await services.chats.get(reader)).digest_time == time(8, 15)


@pytest.mark.slow
async def test_a_broadcast_that_cannot_record_stops_and_never_sends_a_digest_twice(world):
    from datetime import UTC, datetime, timedelta

    from .conftest import FakeClock, until
    from .test_faults import digests_of, subscribe_readers

    due = datetime(2026, 12, 1, 6, 0, tzinfo=UTC)
    readers = list(range(66_001, 66_061))
    await subscribe_readers(world, readers, due)
    world.services.clock = FakeClock(due + timedelta(seconds=5))
    # The disk turns read-only mid-broadcast, once the due chats were claimed and the first
    # digests sent (a broadcast that cannot claim them sends nothing at all).
    broadcast = asyncio.ensure_future(world.engine.broadcast())
    await until(lambda: sum(len(digests_of(world.emu, chat_id)) for chat_id in readers) >= 3, what="the first digests")
    await world.services.db.conn.execute("PRAGMA query_only = ON")
    try:
        first = await broadcast
        paused = await world.engine.broadcast()  # still read-only: nothing more is sent
    finally:
        await world.services.db.conn.execute("PRAGMA query_only = OFF")
    assert 0 < first.sent < len(readers) and paused.sent == 0
    rest = await world.engine.broadcast()
    assert first.sent + rest.sent == len(readers)
    assert all(len(digests_of(world.emu, chat_id)) == 1 for chat_id in readers)
    assert await world.services.chats.due(due + timedelta(seconds=5), 100) == []


async def test_a_button_pressed_while_read_only_is_answered_with_the_apology(world):
    reader = 65_201
    world.emu.add_user(reader, language_code="en")
    (menu,) = await world.ask(reader, "/mytopics")
    await world.services.db.conn.execute("PRAGMA query_only = ON")
    try:
        await world.press(reader, menu, "mt:+sports", replies=0)
    finally:
        await world.services.db.conn.execute("PRAGMA query_only = OFF")
    answer = world.emu.callback_answers[-1]
    assert answer["show_alert"] is True and "can't save changes right now" in answer["text"]
    assert world.emu.messages(reader) == [menu]  # the spinner stopped, nothing else posted
    stored = await world.services.chats.get(reader)
    assert stored is None or stored.topics == ()  # nothing was saved


async def test_alerts_that_cannot_be_recorded_stop_until_they_can_and_none_goes_twice(world):
    from news.services.subscriptions import ChatRef

    from .conftest import until

    for job in world.app.job_queue.get_jobs_by_name("alerts"):
        job.schedule_removal()  # this test delivers by hand
    alerts = world.app.bot_data.alerts
    followers = list(range(66_501, 66_561))
    for chat_id in followers:
        world.emu.add_user(chat_id, language_code="ar")
        await world.services.follows.follow(ChatRef(chat_id, "private", ""), "ar", "سوناطراك")
    await world.services.ingestor.add_many([make_article(title="سوناطراك تعلن اكتشافا غازيا", source="وكالة")])
    await world.services.alerts.expand_all()
    # The disk turns read-only once the chats were claimed and the first alerts sent (alerts
    # whose chats cannot be claimed are not sent at all).
    delivery = asyncio.ensure_future(alerts.deliver_due())
    await until(lambda: sum(sum("تتابع: " in m["text"] for m in world.emu.messages(c)) for c in followers) >= 3,
                what="the first alerts")
    await world.services.db.conn.execute("PRAGMA query_only = ON")
    try:
        first = await delivery
        paused = await alerts.deliver_due()  # still read-only: nothing more is sent
    finally:
        await world.services.db.conn.execute("PRAGMA query_only = OFF")
    assert 0 < first < len(followers) and paused == 0
    rest = await alerts.deliver_due()
    assert first + rest == len(followers)
    assert all(sum("تتابع: " in m["text"] for m in world.emu.messages(c)) == 1 for c in followers)
