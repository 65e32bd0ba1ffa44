"""A PostgreSQL transaction whose connection is dropped mid-way (the server ends its backend, as
a network cut or a killed backend would): it is not retried — its statements cannot be replayed
from where they were — so what happens around it must hold.  A reader is told politely to try
again and nothing they asked is half-stored; a digest broadcast whose record is cut stops
sending, and the next broadcast records what was sent first: every digest goes once.

Each test ends one backend of its own on the shared server (the bot's transaction, found
waiting on a lock the test holds), never the server itself."""

import asyncio
from datetime import UTC, datetime, timedelta

import pytest

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
            cut = asyncio.get_running_loop().create_future()
            locking = await _lock(holder, "deliveries", cut)
            world.services.clock = FakeClock(due + timedelta(seconds=5))  # the digests fall due
            broadcasting = asyncio.create_task(world.engine.broadcast())
            await _drop_the_waiting(holder, "deliveries")
            cut.set_result(None)  # the other records go through
            await locking
            first = await asyncio.wait_for(broadcasting, 30)  # it ends, it does not die
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
