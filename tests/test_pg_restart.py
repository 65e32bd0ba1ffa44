"""PostgreSQL restarted under the running bot, on a server of the test's own (tests/pg_server.py).

While the server is down, readers are told politely that the news database is out of reach and
nothing they asked is half-done; a broadcast, and the alerts, send nothing they cannot record.  Once the server is
back, the bot reconnects by itself (asyncpg's pool replaces the dropped connections) and goes
on: what was stored before is all there, every digest and every alert goes exactly once.
"""

import asyncio
import signal
from datetime import UTC, datetime, time, timedelta

import pytest

from news.articles import make_article
from news.repositories import StorageUnavailable
from news.services.subscriptions import ChatRef

from .conftest import FakeClock, open_world, until
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
            followers = list(range(67_051, 67_061))
            for chat_id in followers:
                world.emu.add_user(chat_id, language_code="ar")
                await world.services.follows.follow(ChatRef(chat_id, "private", ""), "ar", "سوناطراك")
            await world.services.ingestor.add_many([make_article(title="سوناطراك تعلن اكتشافا غازيا", source="وكالة")])

            await asyncio.to_thread(server.stop)
            latest = await world.ask(reader, "/latest 3")
            assert "can't reach the news database" in latest[0]["text"]
            # Its log line: a warning naming the database once (it was an ERROR, "could not save a
            # change" for a /latest, the URL twice).
            (said,) = [r for r in caplog.records if "out of reach" in r.getMessage() and r.name == "bot.handlers.errors"]
            assert said.levelname == "WARNING" and said.getMessage().count("postgresql://") == 1
            changed = await world.ask(reader, "/settime 09:45")
            assert "can't reach the news database" in changed[0]["text"]
            with pytest.raises(StorageUnavailable):
                await world.engine.broadcast()
            assert all(digests_of(world.emu, chat_id) == [] for chat_id in readers)
            with pytest.raises(StorageUnavailable):
                await world.app.bot_data.alerts.deliver_due()

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
            await world.app.bot_data.alerts.deliver_due()
            await world.app.bot_data.alerts.deliver_due()
            assert [alerts_of(world.emu, chat_id) for chat_id in followers] == [1] * len(followers)
    assert "Traceback" not in caplog.text


def alerts_of(emu, chat_id) -> int:
    return sum("تتابع: " in message["text"] for message in emu.messages(chat_id))


def delivered(world, readers) -> int:
    return sum(len(digests_of(world.emu, chat_id)) for chat_id in readers)


@pytest.mark.parametrize("slow_sends", [False, True], ids=["sends", "slow sends in flight"])
async def test_a_broadcast_cut_by_a_postgresql_restart_sends_every_digest_exactly_once(tmp_path, slow_sends):
    """With slow sends, several are in flight when the server stops: they finish, and are
    recorded after the restart (cancelled, a send Telegram delivered anyway went again)."""
    with throwaway_postgres() as server:
        async with open_world(tmp_path, database_url=server.url) as world:
            due = datetime(2026, 12, 1, 6, 0, tzinfo=UTC)
            readers = list(range(67_101, 67_201))
            await subscribe_readers(world, readers, due)
            world.services.clock = FakeClock(due + timedelta(seconds=5))
            if slow_sends:
                world.emu.faults.slow_seconds = 0.5
                world.emu.faults.randomly(1.0, kinds=("slow",), methods=["sendMessage"])
            cut = asyncio.ensure_future(world.engine.broadcast())
            await until(lambda: delivered(world, readers) >= 10, timeout=60, what="the first digests")
            await asyncio.to_thread(server.stop)
            try:
                await cut
            except StorageUnavailable:
                pass  # the next page of due chats could not be read: the rest stay due
            before_restart = delivered(world, readers)
            assert before_restart < len(readers)  # the restart did cut the broadcast short
            await asyncio.to_thread(server.start)
            await world.engine.broadcast()  # first records what the cut one could not, then the rest
            await world.engine.broadcast()
            counts = [len(digests_of(world.emu, chat_id)) for chat_id in readers]
            assert counts == [1] * len(readers), (before_restart, counts)
            assert await world.services.chats.due(due + timedelta(seconds=5), 200) == []


async def test_a_worker_says_once_that_postgresql_is_out_of_reach_and_once_that_it_is_back(tmp_path):
    """A worker, as an operator runs it, its log read as the operator reads it: the outage in
    one line, its end in another, not a line per job per tick (78 lines a worker for a
    minute's restart before, about one every two seconds from the heartbeat alone)."""
    from emulator import BotAPIEmulator

    from .conftest import TOKEN
    from .test_several_processes import start_worker

    with throwaway_postgres() as server:
        async with BotAPIEmulator(token=TOKEN) as emu:
            log = tmp_path / "worker.log"
            worker = await start_worker(emu, server.url, log, "host-1")
            try:
                await until(lambda: "joined" in log.read_text(), timeout=60, what="the worker in")
                joined = len(log.read_text().splitlines())
                await asyncio.to_thread(server.stop)
                # Long enough for every job to tick a few times (heartbeat and alerts every 2 s,
                # digests every 5 s): 34 lines about it in 14 s before, from an idle worker.
                await asyncio.sleep(12)
                await asyncio.to_thread(server.start)
                await until(lambda: "database is back" in log.read_text(), timeout=30, what="the line saying it is back")
            finally:
                worker.send_signal(signal.SIGTERM)
                stopped = await asyncio.wait_for(worker.wait(), 15)
    assert stopped == 0
    said = log.read_text().splitlines()[joined:]
    about = [line for line in said if "cannot be reached" in line or "out of reach" in line or "database is back" in line]
    assert len(about) == 2, "\n".join(about)
    assert "out of reach" in about[0] and "database is back" in about[1], about
    assert not any("Traceback" in line for line in said)
