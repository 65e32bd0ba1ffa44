"""A PostgreSQL transaction whose connection is dropped mid-way (the server ends its backend, as
a network cut or a killed backend would): it is not retried — its statements cannot be replayed
from where they were — so what happens around it must hold.  A reader is told politely to try
again and nothing they asked is half-stored; a digest broadcast whose record is cut stops
sending, and the next broadcast records what was sent first: every digest goes once.

Each test ends one backend of its own on the shared server (the bot's transaction, found
waiting on a lock the test holds), never the server itself."""

import asyncio
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta

import pytest

from bot.alerts import AlertEngine
from bot.digests import DigestEngine
from bot.processes import Membership
from news.articles import make_article
from news.services.subscriptions import ChatRef
from storage.connect import open_database

from .conftest import FakeClock, open_world, pg_schema
from .test_faults import digests_of, subscribe_readers

pytestmark = pytest.mark.slow  # a bot on PostgreSQL, transactions held and cut


async def _drop_the_waiting(holder, table: str) -> None:
    """Once the bot's transaction waits for `table` (locked by the test), end its backend."""
    waiting = "SELECT pid FROM pg_locks WHERE relation = CAST(? AS regclass) AND NOT granted"

    async def pids() -> list[int]:
        return [row[0] for row in await holder.fetch(waiting, (table,))]

    found: list[int] = []
    for _ in range(200):
        if found := await pids():
            break
        await asyncio.sleep(0.05)
    assert found, f"nothing waited for {table}"
    await holder.fetch("SELECT pg_terminate_backend(pid) FROM pg_locks WHERE relation = CAST(? AS regclass) AND NOT granted",
                       (table,))


async def _while_locked(holder, table: str, locked: asyncio.Event, cut: asyncio.Future) -> None:
    async with holder.transaction() as tx:
        await tx.execute(f"LOCK TABLE {table} IN EXCLUSIVE MODE")  # reads go on, writes wait
        locked.set()
        await cut


async def _lock(holder, table: str, cut: asyncio.Future) -> asyncio.Task:
    """`table` locked by the test until `cut` is done (its task returned once the lock is held)."""
    locked = asyncio.Event()
    task = asyncio.create_task(_while_locked(holder, table, locked, cut))
    await asyncio.wait_for(locked.wait(), 30)
    return task


async def _cut_midway(holder, table: str, work):
    """Run `work` (a coroutine) with its first write to `table` cut: the table locked until the
    write waits for it, its backend ended, the lock let go; what `work` returns."""
    cut = asyncio.get_running_loop().create_future()
    locking = await _lock(holder, table, cut)
    running = asyncio.create_task(work)
    await _drop_the_waiting(holder, table)
    cut.set_result(None)  # the other writes go through
    await locking
    return await asyncio.wait_for(running, 30)  # it ends, it does not die


async def test_a_readers_change_cut_mid_transaction_is_told_politely_and_left_undone(tmp_path):
    async with pg_schema() as url, open_world(tmp_path, database_url=url) as world:
        reader = world.fresh_id()
        world.emu.add_user(reader, language_code="en")
        await world.ask(reader, "/start")
        holder = await open_database(url, "")
        try:
            cut = asyncio.get_running_loop().create_future()
            locking = await _lock(holder, "follows", cut)
            asking = asyncio.create_task(world.ask(reader, "/follow سوناطراك"))
            await _drop_the_waiting(holder, "follows")
            (reply,) = await asking
            cut.set_result(None)
            await locking
        finally:
            await holder.close()
        assert "can't reach the news database" in reply["text"] and "try again" in reply["text"]
        assert await world.services.follows.following(reader) == []  # nothing half-stored
        (again,) = await world.ask(reader, "/follow سوناطراك")  # the pool replaced the connection
        assert "can't reach" not in again["text"]
        assert [f.text for f in await world.services.follows.following(reader)] == ["سوناطراك"]


async def test_a_broadcast_whose_record_is_cut_stops_and_the_next_one_sends_every_digest_once(tmp_path, caplog):
    async with pg_schema() as url, open_world(tmp_path, database_url=url) as world:
        due = datetime(2026, 12, 1, 6, 0, tzinfo=UTC)
        readers = list(range(68_001, 68_031))
        await subscribe_readers(world, readers, due)
        holder = await open_database(url, "")
        try:
            world.services.clock = FakeClock(due + timedelta(seconds=5))  # the digests fall due
            first = await _cut_midway(holder, "deliveries", world.engine.broadcast())
        finally:
            await holder.close()
        sent_before = sum(len(digests_of(world.emu, chat_id)) for chat_id in readers)
        assert first.sent == sent_before >= 1
        assert "digest broadcast stopped: deliveries cannot be recorded" in caplog.text  # the cut one
        # The next tick: records first what the cut record held, then sends the rest.
        second = await world.engine.broadcast()
        assert second.sent == len(readers) - sent_before
        assert [len(digests_of(world.emu, chat_id)) for chat_id in readers] == [1] * len(readers)
        assert (await world.engine.broadcast()).sent == 0
        assert "Traceback" not in caplog.text


@asynccontextmanager
async def another_worker(world):
    """A second process's membership on the bot's database (registered, beating), for its own
    digest and alert engines: the work this one leaves free is the other's to claim."""
    other = Membership(world.services.processes, "worker")
    await other.join()
    try:
        yield other
    finally:
        await other.leave()


async def test_a_digest_whose_record_is_cut_is_not_sent_again_by_another_process(tmp_path):
    """PostgreSQL out of reach for a moment (restarted) as a worker recorded a batch of sent
    digests: the worker kept the outcomes to record at its next tick, but let go of their
    chats at once, so another worker ticking first found them still due and sent them again
    (2 of 300 readers twice in a restart under two workers).  Their claims now hold until the
    outcomes are recorded."""
    async with pg_schema() as url, open_world(tmp_path, database_url=url) as world:
        due = datetime(2026, 12, 1, 6, 0, tzinfo=UTC)
        readers = list(range(68_101, 68_131))
        await subscribe_readers(world, readers, due)
        holder = await open_database(url, "")
        async with another_worker(world) as other:
            others = DigestEngine(world.app.bot, world.services, membership=other)
            try:
                world.services.clock = FakeClock(due + timedelta(seconds=5))  # the digests fall due
                assert (await _cut_midway(holder, "deliveries", world.engine.broadcast())).sent >= 1
                await others.broadcast()  # the other worker's tick comes first
                await world.engine.broadcast()  # then this one's: it records what it sent
                await others.broadcast()
            finally:
                await others.stop()
                await holder.close()
        assert [len(digests_of(world.emu, chat_id)) for chat_id in readers] == [1] * len(readers)


async def _each_owed_an_alert(world, chat_ids) -> list[int]:
    """Readers following Sonatrach, each owed the alert of one story (written, not sent); the
    alert jobs removed: the test ticks itself, and no edit waits on the table."""
    for name in ("alerts", "alert-edits"):
        for job in world.app.job_queue.get_jobs_by_name(name):
            job.schedule_removal()
    followers = list(chat_ids)
    for chat_id in followers:
        world.emu.add_user(chat_id, language_code="ar")
        await world.services.follows.follow(ChatRef(chat_id, "private", ""), "ar", "سوناطراك")
    await world.services.ingestor.add_many([make_article(title="سوناطراك تعلن اكتشافا غازيا كبيرا", source="وكالة")])
    await world.services.alerts.expand_all()  # the alerts owed are written: now only their records
    return followers


def _alerts_each_got(world, followers) -> list[int]:
    return [sum("تتابع: " in m["text"] for m in world.emu.messages(chat_id)) for chat_id in followers]


async def test_an_alert_whose_record_is_cut_is_not_sent_again_by_another_process(tmp_path):
    """As for digests: sent alerts whose record the database dropped were kept to be recorded
    next tick, but their chats were let go at once, and another worker sent them again."""
    async with pg_schema() as url, open_world(tmp_path, database_url=url) as world:
        followers = await _each_owed_an_alert(world, range(68_201, 68_231))
        # (as a tick did before: the next sweep, and prune, are minutes away)
        await world.services.alerts.drop_stale()
        await world.services.alerts.prune()
        holder = await open_database(url, "")
        async with another_worker(world) as other:
            engine = world.app.bot_data.alerts
            others = AlertEngine(world.app.bot, world.services, other)
            try:
                assert await _cut_midway(holder, "alerts", engine.deliver_due()) >= 1
                await others.deliver_due()  # the other worker's tick comes first
                await engine.deliver_due()  # then this one's: it records what it sent
                await others.deliver_due()
            finally:
                await others.stop()
                await holder.close()
        assert _alerts_each_got(world, followers) == [1] * len(followers)


async def test_a_tick_whose_sweep_of_day_old_alerts_is_cut_still_sends_what_is_due(tmp_path):
    """The sweep of alerts waiting over a day (news.services.alerts.drop_stale) is the tick's
    first write: cut, it raised out of the tick, and nothing due was sent until a later one."""
    async with pg_schema() as url, open_world(tmp_path, database_url=url) as world:
        followers = await _each_owed_an_alert(world, range(68_301, 68_306))
        holder = await open_database(url, "")
        try:
            assert await _cut_midway(holder, "alerts", world.app.bot_data.alerts.deliver_due()) == len(followers)
        finally:
            await holder.close()
        assert _alerts_each_got(world, followers) == [1] * len(followers)
