"""PostgreSQL restarted under the running bot, on a server of the test's own (tests/pg_server.py).

While the server is down, readers are told politely that the news database is out of reach and
nothing they asked is half-done; a broadcast sends nothing it cannot record.  Once the server is
back, the bot reconnects by itself (asyncpg's pool replaces the dropped connections) and goes
on: what was stored before is all there, every digest goes exactly once.
"""

import asyncio
from datetime import UTC, datetime, time, timedelta

import pytest

from news.repositories import StorageUnavailable

from .conftest import FakeClock, open_world
from .pg_server import throwaway_postgres
from .test_faults import digests_of, subscribe_readers

pytestmark = pytest.mark.slow


async def test_the_bot_answers_politely_while_postgresql_is_down_and_goes_on_after_its_restart(tmp_path, caplog):
    with throwaway_postgres() as server:
        async with open_world(tmp_path, database_url=server.url) as world:
            for job in world.app.job_queue.get_jobs_by_name("alerts"):
                job.schedule_removal()  # this test delivers by hand
            due = datetime(2026, 12, 1, 6, 0, tzinfo=UTC)
            readers = list(range(67_001, 67_021))
            await subscribe_readers(world, readers, due)
            world.services.clock = FakeClock(due + timedelta(seconds=5))
            reader = world.fresh_id()
            world.emu.add_user(reader, language_code="en")
            await world.ask(reader, "/settime 07:30")

            await asyncio.to_thread(server.stop)
            latest = await world.ask(reader, "/latest 3")
            assert "can't reach the news database" in latest[0]["text"]
            changed = await world.ask(reader, "/settime 09:45")
            assert "can't reach the news database" in changed[0]["text"]
            with pytest.raises(StorageUnavailable):
                await world.engine.broadcast()
            assert all(digests_of(world.emu, chat_id) == [] for chat_id in readers)

            await asyncio.to_thread(server.start)
            latest = await world.ask(reader, "/latest 3")
            assert "/read_" in latest[0]["text"]
            assert (await world.services.chats.get(reader)).digest_time == time(7, 30)  # the refused change left nothing
            await world.ask(reader, "/settime 09:45")
            assert (await world.services.chats.get(reader)).digest_time == time(9, 45)
            after = await world.engine.broadcast()
            assert after.sent == len(readers)
            assert all(len(digests_of(world.emu, chat_id)) == 1 for chat_id in readers)
            again = await world.engine.broadcast()
            assert again.sent == 0
    assert "Traceback" not in caplog.text
