"""The operator's listener (AKHBAR_METRICS_LISTEN): /metrics and /healthz over real HTTP, with
the real bot talking to the emulator.  A conversation moves the counters; 429s and 403s are
counted; /healthz turns 503 when the database refuses writes, Telegram keeps failing or a
broadcast is stuck, and 200 again once that ends; a listener that cannot bind stops
`akhbar run` with one line."""

import asyncio
import socket
from datetime import UTC, datetime, timedelta

import aiohttp
import pytest
from prometheus_client.parser import text_string_to_metric_families

from .conftest import ADMIN_ID, ENGINES, FakeClock, open_engine_world, open_world, until
from .test_polling import feeds  # noqa: F401  (the feed server fixture)


@pytest.fixture
async def world(tmp_path):
    async with open_world(tmp_path, metrics_listen="127.0.0.1:0") as opened:
        yield opened


def url(world, path: str) -> str:
    return f"http://127.0.0.1:{world.app.bot_data.monitor.port}{path}"


async def scrape(world) -> dict[tuple[str, frozenset], float]:
    """Every sample of /metrics: (name, labels) -> value."""
    async with aiohttp.ClientSession() as http, http.get(url(world, "/metrics")) as response:
        assert response.status == 200
        assert response.headers["Content-Type"].startswith("text/plain; version=")  # the exposition format
        text = await response.text()
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def value(samples, name: str, **labels) -> float:
    return samples.get((name, frozenset({"role": "all", **labels}.items())), 0.0)


async def healthz(world) -> tuple[int, dict]:
    async with aiohttp.ClientSession() as http, http.get(url(world, "/healthz")) as response:
        return response.status, await response.json()


async def test_a_conversation_moves_the_counters_and_the_reply_histogram(world):
    before = await scrape(world)
    reader = world.fresh_id()
    await world.ask(reader, "/start")
    await world.ask(reader, "/latest 3")
    await world.ask(reader, "سوناطراك")
    await world.ask(ADMIN_ID, "/post مباراة ودية للمنتخب الوطني أمام السنغال\nنص المقال\nhttps://example.dz/sport/1")
    await world.idle()
    after = await scrape(world)
    assert value(after, "akhbar_updates_total", kind="command") - value(before, "akhbar_updates_total", kind="command") == 3
    assert value(after, "akhbar_updates_total", kind="message") - value(before, "akhbar_updates_total", kind="message") == 1
    assert value(after, "akhbar_sends_total", outcome="sent") - value(before, "akhbar_sends_total", outcome="sent") >= 4
    assert value(after, "akhbar_reply_seconds_count") - value(before, "akhbar_reply_seconds_count") == 4
    assert value(after, "akhbar_reply_seconds_bucket", le="+Inf") == value(after, "akhbar_reply_seconds_count")
    assert world.app.update_queue.arrived == {}  # each update's arrival noted, then taken by its handling
    assert value(after, "akhbar_articles_total") - value(before, "akhbar_articles_total") == 1
    # The process's own metrics, labelled by role like the others.
    assert value(after, "process_cpu_seconds_total") > 0
    assert value(after, "process_resident_memory_bytes") > 0
    assert value(after, "akhbar_digest_backlog") == 0
    assert value(after, "akhbar_telegram_last_success_timestamp_seconds") > 0


async def test_sends_count_the_messages_chats_got_not_the_bot_s_own_set_up(world):
    # Before: a bot nobody had written to showed akhbar_sends_total{outcome="sent"} 1 — the
    # deleteWebhook of its start-up, counted (and paced) as a message because its name
    # begins with «delete».
    before = await scrape(world)
    assert value(before, "akhbar_sends_total", outcome="sent") == 0
    reader = world.fresh_id()
    await world.ask(reader, "/start")
    await world.idle()
    after = await scrape(world)
    assert value(after, "akhbar_sends_total", outcome="sent") == len(world.emu.messages(reader)) == 1  # the welcome


async def test_feed_polls_are_counted_by_outcome_and_their_new_articles_too(world, feeds):  # noqa: F811
    services = world.services
    # Not due: the bot's own polling job (its first tick 5 s after the start, which a busy
    # machine reaches before this test does) would fetch them too and count a third poll.
    later = services.clock() + timedelta(days=1)
    good = await services.sources.add(f"{feeds.base}/feed.xml", first_poll=later)
    dead = await services.sources.add(f"{feeds.base}/dead.xml", first_poll=later)
    before = await scrape(world)
    await services.poller.poll([good, dead])
    await services.poller.poll([await services.sources.get(good.id)])  # unchanged: answered 304
    after = await scrape(world)

    def moved(name, **labels):
        return value(after, name, **labels) - value(before, name, **labels)

    assert moved("akhbar_feed_fetches_total", outcome="ok") == 1
    assert moved("akhbar_feed_fetches_total", outcome="error") == 1
    assert moved("akhbar_feed_fetches_total", outcome="not_modified") == 1
    assert moved("akhbar_articles_total") == 2


async def test_429s_and_403s_are_counted_where_the_bot_sees_them(world):
    reader = world.fresh_id()
    world.emu.faults.inject("429", 1, methods=["sendMessage"])
    await world.ask(reader, "/help")  # answered 429 once, waited out, retried
    samples = await scrape(world)
    assert value(samples, "akhbar_sends_total", outcome="429") == 1
    assert value(samples, "akhbar_sends_total", outcome="retried") == 1
    gone = world.fresh_id()
    await world.ask(gone, "/subscribe")
    world.emu.deactivate(gone)
    world.emu.send_message(gone, gone, "/latest")
    await world.handled_everything()
    samples = await scrape(world)
    assert value(samples, "akhbar_sends_total", outcome="403") == 1
    assert value(samples, "akhbar_sends_total", outcome="failed") == 0


async def test_healthz_says_ok_then_why_not_while_the_database_is_read_only(world):
    status, body = await healthz(world)
    assert status == 200
    assert body["status"] == "ok" and body["role"] == "all"
    assert body["database"] == "writable" and body["telegram"] == "ok" and body["digests_due"] == 0
    await world.services.db.conn.execute("PRAGMA query_only = ON")  # as a read-only file behaves
    try:
        status, body = await healthz(world)
        assert status == 503 and body["status"] == "failing"
        assert any(reason.startswith("database not writable (read-only)") for reason in body["reasons"]), body
        # The metrics are still served, and readers still get their news.
        assert value(await scrape(world), "akhbar_digest_backlog") == 0
        (latest,) = await world.ask(world.fresh_id(), "/latest 2")
        assert "/read_" in latest["text"]
    finally:
        await world.services.db.conn.execute("PRAGMA query_only = OFF")
    assert (await healthz(world))[0] == 200


async def test_healthz_fails_when_telegram_has_failed_for_longer_than_its_allowance(world):
    monitor = world.app.bot_data.monitor
    monitor.telegram_failing_seconds = 0.5  # a minute in production
    world.emu.faults.storm(60, kind="502")  # every call: getUpdates, sends
    try:
        await until(lambda: monitor.metrics.telegram_failing_for() > 0.6, what="Telegram failing")
        status, body = await healthz(world)
        assert status == 503
        assert any(reason.startswith("telegram failing for") for reason in body["reasons"]), body
    finally:
        world.emu.faults.clear()
    await until(lambda: monitor.metrics.telegram_failing_for() == 0, timeout=20, what="Telegram answering again")
    assert (await healthz(world))[0] == 200


async def test_healthz_fails_while_due_digests_do_not_move_and_recovers_once_they_are_sent(world):
    from .test_faults import subscribe_readers

    monitor = world.app.bot_data.monitor
    monitor.stuck_seconds = 0.5  # ten minutes in production
    due = datetime(2026, 12, 1, 6, 0, tzinfo=UTC)
    readers = [world.fresh_id() for _ in range(3)]
    await subscribe_readers(world, readers, due)
    world.services.clock = FakeClock(due + timedelta(minutes=20))  # nothing sends them: the tick is off in tests
    await asyncio.sleep(0.6)
    status, body = await healthz(world)
    assert status == 503 and body["digests_due"] == 3
    assert any(reason.startswith("digests stuck: 3 due") for reason in body["reasons"]), body
    assert value(await scrape(world), "akhbar_digest_backlog") == 3
    assert value(await scrape(world), "akhbar_digest_backlog_age_seconds") == 20 * 60
    assert (await world.engine.broadcast()).sent == 3
    status, body = await healthz(world)
    assert status == 200 and body["digests_due"] == 0
    assert value(await scrape(world), "akhbar_digests_recorded_total") == 3


async def test_a_backlog_that_shrinks_is_moving_even_when_another_process_sends_it(world):
    from .test_faults import subscribe_readers

    monitor = world.app.bot_data.monitor
    monitor.stuck_seconds = 0.5
    due = datetime(2026, 12, 1, 6, 0, tzinfo=UTC)
    readers = [world.fresh_id() for _ in range(3)]
    await subscribe_readers(world, readers, due)
    world.services.clock = FakeClock(due + timedelta(minutes=20))
    await asyncio.sleep(0.6)
    assert (await healthz(world))[0] == 503
    # Another process (sharing the database) sends one: this one records nothing, the backlog shrinks.
    await world.services.chats.set_next_due(readers[0], due + timedelta(days=1))
    status, body = await healthz(world)
    assert status == 200 and body["digests_due"] == 2, body
    await asyncio.sleep(0.6)  # and then nothing more moves
    status, body = await healthz(world)
    assert status == 503 and any(reason.startswith("digests stuck: 2 due") for reason in body["reasons"]), body


@pytest.mark.parametrize("engine", ENGINES)
async def test_metrics_and_healthz_on_each_engine(engine, tmp_path):
    async with open_engine_world(engine, tmp_path, metrics_listen="127.0.0.1:0") as world:
        await world.ask(world.fresh_id(), "/latest 2")
        assert value(await scrape(world), "akhbar_updates_total", kind="command") >= 1
        status, body = await healthz(world)
        assert status == 200 and body["database"] == "writable", body


def taken_port() -> tuple[socket.socket, int]:
    holder = socket.socket()
    holder.bind(("127.0.0.1", 0))
    holder.listen()
    return holder, holder.getsockname()[1]


@pytest.mark.parametrize("address", ["taken", "192.0.2.1:9100", "no-such-host.invalid:9100"])
def test_a_listener_that_cannot_bind_stops_akhbar_run_with_one_line(address, tmp_path, monkeypatch, capsys):
    from bot.cli import main

    holder, port = taken_port()
    try:
        listen = f"127.0.0.1:{port}" if address == "taken" else address
        monkeypatch.chdir(tmp_path)
        monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "123456789:AAE-a-token-for-this-test-only")
        monkeypatch.setenv("AKHBAR_DB", str(tmp_path / "akhbar.db"))
        monkeypatch.setenv("AKHBAR_METRICS_LISTEN", listen)
        assert main(["run"]) == 2
    finally:
        holder.close()
    err = capsys.readouterr().err
    assert err.startswith(f"akhbar: AKHBAR_METRICS_LISTEN: cannot listen on {listen}: "), err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_a_malformed_listen_address_is_refused_by_name(tmp_path, monkeypatch, capsys):
    from bot.cli import main

    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("AKHBAR_METRICS_LISTEN", "9100")
    assert main(["run"]) == 2
    err = capsys.readouterr().err
    assert err.strip() == "akhbar: AKHBAR_METRICS_LISTEN must be HOST:PORT such as 127.0.0.1:8080, got '9100'"


async def test_a_receiver_which_sends_no_digests_is_not_held_to_the_backlog(tmp_path):
    from .test_faults import subscribe_readers

    async with open_world(tmp_path, metrics_listen="127.0.0.1:0", role="receiver") as world:
        world.app.bot_data.monitor.stuck_seconds = 0.2
        due = datetime(2026, 12, 1, 6, 0, tzinfo=UTC)
        await subscribe_readers(world, [world.fresh_id()], due)
        world.services.clock = FakeClock(due + timedelta(minutes=20))
        await asyncio.sleep(0.3)
        status, body = await healthz(world)
        assert status == 200 and body["role"] == "receiver" and body["digests_due"] == 1, body
        samples = await scrape(world)  # every series labelled by its role
        assert samples[("akhbar_digest_backlog", frozenset({"role": "receiver"}.items()))] == 1
        assert value(samples, "akhbar_digest_backlog") == 0  # nothing under role "all"


@pytest.mark.slow
async def test_healthz_fails_while_postgresql_is_down_and_recovers_after_its_restart(tmp_path):
    from .pg_server import throwaway_postgres

    with throwaway_postgres() as server:
        async with open_world(tmp_path, database_url=server.url, metrics_listen="127.0.0.1:0") as world:
            assert (await healthz(world))[0] == 200
            await asyncio.to_thread(server.stop)
            status, body = await healthz(world)
            assert status == 503 and body["database"].startswith("unreachable: "), body
            assert any(reason.startswith("database unreachable") for reason in body["reasons"]), body
            assert value(await scrape(world), "akhbar_updates_total", kind="command") == 0  # still served
            await asyncio.to_thread(server.start)
            status, body = await healthz(world)
            assert status == 200 and body["database"] == "writable", body


@pytest.mark.slow
async def test_metrics_show_no_backlog_while_postgresql_is_down_rather_than_the_last_one(tmp_path):
    """Before: /metrics went on saying akhbar_digest_backlog 2 (the figure read before the server
    stopped) as if current, while /healthz said 503.  Now the backlog's two series are left out
    while the database does not answer (no value rather than a stale one), akhbar_database_up
    says 0, the counters are still served, and all is back once the server is."""
    from .pg_server import throwaway_postgres
    from .test_faults import subscribe_readers

    backlog = ("akhbar_digest_backlog", frozenset({"role": "all"}.items()))
    age = ("akhbar_digest_backlog_age_seconds", frozenset({"role": "all"}.items()))
    with throwaway_postgres() as server:
        async with open_world(tmp_path, database_url=server.url, metrics_listen="127.0.0.1:0") as world:
            due = datetime(2026, 12, 1, 6, 0, tzinfo=UTC)
            world.app.bot_data.monitor.stuck_seconds = 3600.0  # the backlog alone, not a stuck broadcast
            await subscribe_readers(world, [world.fresh_id(), world.fresh_id()], due)
            world.services.clock = FakeClock(due + timedelta(minutes=5))
            samples = await scrape(world)
            assert samples[backlog] == 2 and samples[age] == 300 and value(samples, "akhbar_database_up") == 1
            await asyncio.to_thread(server.stop)
            samples = await scrape(world)
            assert backlog not in samples and age not in samples, samples
            assert value(samples, "akhbar_database_up") == 0
            assert ("akhbar_sends_total", frozenset({"role": "all", "outcome": "sent"}.items())) in samples  # still served
            assert (await healthz(world))[0] == 503
            assert backlog not in await scrape(world)  # nor brought back by /healthz's reading
            await asyncio.to_thread(server.start)
            samples = await scrape(world)
            assert samples[backlog] == 2 and value(samples, "akhbar_database_up") == 1


async def test_in_webhook_mode_updates_are_counted_and_timed_from_their_post(tmp_path):
    from dataclasses import replace

    from bot.app import build_application, running
    from bot.config import load_settings
    from bot.demo import load_demo_articles
    from emulator import BotAPIEmulator

    from .conftest import TOKEN, World
    from .test_webhook import PUBLIC_URL, SECRET, free_port

    await load_demo_articles(tmp_path / "bot.db")
    port = free_port()
    async with BotAPIEmulator(token=TOKEN) as emu:
        settings = replace(
            load_settings({}), token=TOKEN, api_url=emu.api_url, db_path=str(tmp_path / "bot.db"),
            webhook_url=PUBLIC_URL, webhook_listen=f"127.0.0.1:{port}", webhook_secret=SECRET,
            metrics_listen="127.0.0.1:0",
        )
        emu.webhook.target = f"http://127.0.0.1:{port}"
        app = build_application(settings)
        async with running(app, webhook=True):
            world = World(emu, app, settings)
            reader = world.fresh_id()
            await world.ask(reader, "/latest 2")
            await world.ask(reader, "/help")
            await world.idle()
            samples = await scrape(world)
            assert value(samples, "akhbar_updates_total", kind="command") == 2
            assert value(samples, "akhbar_reply_seconds_count") == 2
            assert app.update_queue.arrived == {}
            assert (await healthz(world))[0] == 200
