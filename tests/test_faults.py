"""A network that fails: 500s, 502s, dropped connections, slow answers and 429 storms.

The emulator injects the faults (emulator/faults.py); a faulted request has no effect, so
a bot that retries loses nothing and doubles nothing.  These prove the bot keeps polling,
answers every reader once, and delivers every digest once, whatever the network does.
"""

import asyncio
import contextlib
import logging
from collections import Counter
from datetime import UTC, datetime, time, timedelta

import httpx
import pytest

from emulator import BotAPIEmulator
from news.articles import make_article
from news.repositories import StorageUnavailable

from .conftest import TOKEN, FakeClock, open_world, until

NETWORK_FAULTS = ("500", "502", "drop", "slow")


# --- the emulator's faults themselves ------------------------------------------------------


async def call(client: httpx.AsyncClient, emu: BotAPIEmulator, method: str, **params) -> httpx.Response:
    return await client.post(f"{emu.api_url}/bot{TOKEN}/{method}", json=params)


async def test_an_injected_fault_answers_as_telegram_would_and_changes_nothing():
    async with BotAPIEmulator(token=TOKEN) as emu, httpx.AsyncClient() as client:
        emu.add_user(7)
        emu.faults.inject("500", methods=["sendMessage"])
        emu.faults.inject("502", methods=["sendMessage"])
        emu.faults.inject("429", methods=["sendMessage"])
        emu.faults.inject("drop", methods=["sendMessage"])
        statuses = []
        for _ in range(3):
            statuses.append((await call(client, emu, "sendMessage", chat_id=7, text="مرحبا")).status_code)
        with pytest.raises(httpx.RemoteProtocolError):
            await call(client, emu, "sendMessage", chat_id=7, text="مرحبا")
        assert statuses == [500, 502, 429]
        assert emu.messages(7) == []  # none of them was delivered
        ok = await call(client, emu, "sendMessage", chat_id=7, text="مرحبا")
        assert ok.json()["ok"] and len(emu.messages(7)) == 1
        assert emu.faults.injected == Counter({"500": 1, "502": 1, "429": 1, "drop": 1})
        assert emu.violations == []


class Seconds:
    """The emulator's monotonic clock, moved by hand: a storm lasts exactly its time."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


async def test_a_429_storm_lasts_its_time_and_a_slow_answer_still_arrives():
    clock = Seconds()
    async with BotAPIEmulator(token=TOKEN, clock=clock) as emu, httpx.AsyncClient() as client:
        emu.add_user(7)
        emu.faults.retry_after = 3
        emu.faults.storm(0.3, "429", methods=["sendMessage"])
        clock.now += 0.29
        refused = await call(client, emu, "sendMessage", chat_id=7, text="أ")
        assert refused.status_code == 429 and refused.json()["parameters"] == {"retry_after": 3}
        assert (await call(client, emu, "getMe")).status_code == 200  # other methods unaffected
        clock.now += 0.02  # the storm is over
        emu.faults.slow_seconds = 0.3
        emu.faults.inject("slow")
        answer = asyncio.ensure_future(call(client, emu, "sendMessage", chat_id=7, text="ب"))
        await until(lambda: ("sendmessage", "slow") in emu.faulted, what="the slow request")
        # Held: the emulator has the request but has neither delivered nor answered it yet …
        assert emu.messages(7) == [] and not answer.done()
        # … and then does both.
        assert (await answer).status_code == 200
        assert [m["text"] for m in emu.messages(7)] == ["ب"]
        assert emu.faults.injected == Counter({"429": 1, "slow": 1})


def test_random_faults_are_reproducible_from_their_seed():
    from emulator.faults import FaultPlan

    def draw(seed):
        plan = FaultPlan()
        plan.randomly(0.3, seed=seed)
        return [plan.next_fault("sendmessage") for _ in range(200)]

    assert draw(5) == draw(5)
    assert draw(5) != draw(6)
    assert 30 < sum(kind is not None for kind in draw(5)) < 90


# --- the bot under faults ------------------------------------------------------------------


@pytest.mark.slow
async def test_every_reader_is_answered_once_while_a_quarter_of_requests_fail(world, caplog):
    emu = world.emu
    emu.faults.slow_seconds = 0.5
    readers = list(range(61_001, 61_041))
    for user_id in readers:
        emu.add_user(user_id, language_code="ar")
    emu.faults.randomly(0.25, kinds=NETWORK_FAULTS, seed=11)
    for user_id in readers:  # spaced, so that the bot polls many times
        emu.send_message(user_id, user_id, "/latest 3")
        await asyncio.sleep(0.1)
    for user_id in readers:
        await emu.wait_for_messages(user_id, 1, timeout=60)
    emu.faults.clear()
    await world.handled_everything()  # so anything sent twice has been sent
    assert all(len(emu.messages(user_id)) == 1 for user_id in readers)
    assert all("/read_" in emu.messages(user_id)[0]["text"] for user_id in readers)
    hit = {method for method, _ in emu.faulted}
    assert {"getupdates", "sendmessage"} <= hit  # both the polling and the replies were hit
    assert set(emu.faults.injected) == set(NETWORK_FAULTS)
    print(f"\nreaders under faults: {dict(emu.faults.injected)} on {sorted(hit)}")
    # A failed poll is retried by PTB: one warning line each, no error with a traceback.
    errors = [r for r in caplog.records if r.name == "bot.handlers.errors" and r.levelno >= logging.ERROR]
    assert errors == [] and any("could not be reached while polling" in r.getMessage() for r in caplog.records)


@pytest.mark.slow  # a dropped getUpdates: PTB pauses before polling again
async def test_a_subscription_made_through_faults_is_stored_once(world):
    emu = world.emu
    emu.add_user(62_001, language_code="fr")
    emu.faults.inject("drop", methods=["getUpdates"])
    emu.faults.inject("502", methods=["sendMessage"])
    emu.faults.inject("500", methods=["sendMessage"])
    reply = await world.ask(62_001, "/subscribe")
    await world.handled_everything()  # an update taken twice would have been answered twice by now
    chat = await world.services.chats.get(62_001)
    assert chat is not None and chat.subscribed and chat.active
    assert len(reply) == 1 and len(emu.messages(62_001)) == 1
    assert emu.faults.injected == Counter({"drop": 1, "502": 1, "500": 1})


async def subscribe_readers(world, readers, due):
    services = world.services
    for user_id in readers:
        world.emu.add_user(user_id, language_code="ar")
        await services.chats.ensure(user_id, type="private", title="", lang="ar", tz="Africa/Algiers", digest_time=time(7, 0))
        await services.chats.set_subscribed(user_id, True, next_due=due)
    await services.ingestor.add_many(
        [make_article(title=f"خبر الصباح رقم {i} عن الاقتصاد الوطني", topics=["economy"], source="وكالة") for i in range(3)],
        fetched_at=due - timedelta(hours=1),
    )


def digests_of(emu, chat_id):
    return [m for m in emu.messages(chat_id) if "/read_" in m["text"] and "خبر الصباح" in m["text"]]


@pytest.mark.slow
async def test_a_digest_run_through_faults_and_a_429_storm_delivers_each_digest_once(world):
    emu = world.emu
    due = datetime(2026, 12, 1, 6, 0, tzinfo=UTC)
    readers = list(range(63_001, 63_081))
    await subscribe_readers(world, readers, due)
    world.services.clock = FakeClock(due + timedelta(seconds=5))
    emu.faults.slow_seconds = 0.3
    emu.faults.retry_after = 1
    emu.faults.randomly(0.05, kinds=(*NETWORK_FAULTS, "429"), methods=["sendMessage"], seed=3)
    emu.faults.storm(1.5, "429", methods=["sendMessage"])
    report = await asyncio.wait_for(world.engine.broadcast(), 90)
    emu.faults.clear()

    assert report.sent == len(readers) and report.failed == 0 and report.postponed == 0
    assert all(len(digests_of(emu, chat_id)) == 1 for chat_id in readers)
    for chat_id in readers:  # nobody lost their subscription to a fault
        chat = await world.services.chats.get(chat_id)
        assert chat.subscribed and chat.active
        assert chat.next_due_utc > due
    print(f"\ndigest run under faults: {dict(emu.faults.injected)}")
    assert emu.faults.injected["429"] >= 4 and sum(emu.faults.injected.values()) >= 10, emu.faults.injected


async def test_a_reader_asking_during_a_429_storm_is_answered_when_it_passes(world):
    emu = world.emu
    emu.add_user(64_001, language_code="en")
    emu.faults.retry_after = 1
    emu.faults.storm(60, "429", methods=["sendMessage"])
    emu.send_message(64_001, 64_001, "/latest 2")
    await until(lambda: emu.faults.injected["429"], what="the reply, refused with a 429")
    emu.faults.clear()  # the storm passes
    reply = await emu.wait_for_messages(64_001, 1, timeout=10)
    assert "/read_" in reply[0]["text"]
    await world.handled_everything()
    assert len(emu.messages(64_001)) == 1


def test_a_flood_wait_is_read_as_a_time_period_without_a_deprecation_warning():
    import warnings
    from datetime import timedelta

    from telegram.error import RetryAfter

    from bot.limiter import retry_seconds

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        # As PTB builds it from Telegram's answer, then as the limiter and the digests read it.
        error = RetryAfter(7)
        seconds = retry_seconds(error)
    assert seconds == 7.0 and error.retry_after == timedelta(seconds=7)
    assert [str(w.message) for w in caught] == []


async def test_after_a_429_the_chat_waits_the_whole_retry_after_from_the_answer_plus_a_margin(world, caplog):
    """Telegram counts retry_after from its answer: the retry, and any other message to that
    chat, arrive at least retry_after (and the margin, a tenth at least 100 ms) after it."""
    caplog.set_level(logging.INFO, logger="bot.limiter")
    emu = world.emu
    reader = world.fresh_id()
    emu.add_user(reader, language_code="en")
    emu.faults.retry_after = 1
    emu.faults.inject("429", methods=["sendMessage"])
    emu.send_message(reader, reader, "/help")
    await until(lambda: emu.errors, what="the reply, refused with a 429")
    refused_at = emu.errors[0]["at"]
    # Once the bot has read the 429 (its limiter says it waits), another reply is asked for.
    await until(lambda: any("flood control: waiting" in r.getMessage() for r in caplog.records), what="the bot's flood wait")
    emu.send_message(reader, reader, "/help")  # a second reply to that chat, asked meanwhile
    await emu.wait_for_messages(reader, 2)
    await world.handled_everything()
    to_reader = [at for (method, params), at in zip(emu.requests, emu.request_times, strict=True)
                 if method == "sendmessage" and params.get("chat_id") == reader]
    assert len(to_reader) == 2 and len(emu.errors) == 1
    assert min(to_reader) - refused_at >= 1.1


async def test_a_reply_telegram_never_takes_is_one_log_line_and_the_reader_is_told_once_it_answers(world, monkeypatch, caplog):
    """A reply still failing past every retry (Telegram out of reach, 5xx): the log had «error
    while handling an update» at ERROR with a 40-line traceback of PTB's and aiohttp's frames,
    for a failure the README lists among those expected.  Now one warning line naming the chat
    and what Telegram did; the reader still gets the apology once Telegram answers again."""
    from bot import limiter

    monkeypatch.setattr(limiter, "TRANSIENT_PAUSES", (0.01, 0.01, 0.01, 0.01))  # the retries, quickly
    caplog.set_level(logging.INFO, logger="bot.handlers.errors")
    emu, reader = world.emu, 64_101
    emu.add_user(reader, language_code="en")
    emu.faults.inject("502", count=5, methods=["sendMessage"])  # the reply and its 4 retries
    (apology,) = await world.ask(reader, "/latest 3")
    assert "something went wrong" in apology["text"]
    said = [r for r in caplog.records if r.name == "bot.handlers.errors"]
    assert [r.levelno for r in said] == [logging.WARNING] and not any(r.exc_info for r in said)
    assert f"chat {reader}" in said[0].getMessage() and "Bad Gateway" in said[0].getMessage()


async def test_a_stop_while_telegram_fails_does_not_retry_the_replies_still_queued(tmp_path):
    """SIGTERM while Telegram was out of reach and a reader's updates were queued: the bot went
    on answering each of them before it stopped, every reply tried 5 times over 7.5 s and then
    its apology 5 times more — 15 s an update, minutes for a few (seen: 14 queued commands,
    still running 90 s after SIGTERM).  Once stopping, a failed call is not tried again and
    no apology follows it."""
    queued = 4
    async with open_world(tmp_path) as world:
        emu, reader = world.emu, 64_301
        emu.add_user(reader, language_code="en")
        emu.faults.storm(600, "502", methods=["sendMessage"])  # Telegram failing throughout
        for _ in range(queued):
            emu.send_message(reader, reader, "/latest 3")
        await until(lambda: ("sendmessage", "502") in emu.faulted, what="the first reply refused")
    tries = emu.faulted.count(("sendmessage", "502"))
    # The reply under way when the stop came may have had a retry or two; the others one try.
    assert tries <= queued + 2, tries  # before: 5 tries of each reply and 5 of each apology, 40


async def first_try_at_start(api_url: str, tmp_path, caplog) -> list[logging.LogRecord]:
    """What start-up's loop of tries to reach Telegram (bot.app.reach_telegram) logs up to its
    first «Telegram is out of reach» line, Telegram being at `api_url`; then it is stopped."""
    from dataclasses import replace

    from bot.app import build_application, reach_telegram
    from bot.config import load_settings

    settings = replace(load_settings({}), token=TOKEN, api_url=api_url, db_path=str(tmp_path / "bot.db"))
    app, stop = build_application(settings), asyncio.Event()
    caplog.set_level(logging.INFO)
    trying = asyncio.create_task(reach_telegram(app, stop))
    await until(lambda: trying.done() or any("Telegram is out of reach" in r.getMessage() for r in caplog.records),
                timeout=30, what="the first try said")
    stop.set()
    assert await trying is False
    return caplog.records


async def test_telegram_out_of_reach_at_start_is_one_line_a_try_without_the_limiter_s_retries(tmp_path, caplog):
    """README: Telegram out of reach at start is one line a try, the pauses growing from 1 s.
    Each try was getMe retried 4 times by the limiter first (0.5 + 1 + 2 + 4 s), each retry a
    line of its own: five lines a try, and 7.5 s more between two tries than the line says."""
    import socket

    with socket.socket() as probe:  # a port where nothing listens: the network is down
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    records = await first_try_at_start(f"http://127.0.0.1:{port}", tmp_path, caplog)
    said = [r.getMessage() for r in records if r.name.startswith("bot.")]
    assert len(said) == 1 and "trying again in 1 s" in said[0], said  # before: 4 «getMe failed … retrying» first


@contextlib.asynccontextmanager
async def a_server_answering_html(status: int, page: str):
    """The URL of a web server on this machine answering every request with `page` (HTML) and
    `status`: a proxy's error page, a captive portal, a web site — anything but the Bot API."""
    from aiohttp import web

    async def answer(request: web.Request) -> web.Response:
        return web.Response(status=status, text=page, content_type="text/html")

    server = web.Application()
    server.router.add_route("*", "/{tail:.*}", answer)
    runner = web.AppRunner(server)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    try:
        yield f"http://127.0.0.1:{site._server.sockets[0].getsockname()[1]}"  # type: ignore[union-attr]
    finally:
        await runner.cleanup()


async def test_a_proxy_s_html_error_page_at_start_is_one_line_without_a_traceback(tmp_path, caplog):
    """TELEGRAM_API_URL at a local Bot API server behind a proxy, the server down: the proxy
    answers its own HTML page, 502.  Each try logged PTB's «Can not load invalid JSON data»
    at ERROR with the whole page and a traceback (20 lines a try) before the one line."""
    page = "<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center></body></html>"
    async with a_server_answering_html(502, page) as api_url:
        records = await first_try_at_start(api_url, tmp_path, caplog)
    assert not [r for r in records if r.exc_info or r.levelno >= logging.ERROR], [r.getMessage()[:80] for r in records]
    (said,) = [r.getMessage() for r in records if "Telegram is out of reach" in r.getMessage()]
    assert "Bad Gateway (502)" in said and "trying again in 1 s" in said


async def test_an_answer_of_200_that_is_not_json_at_start_is_one_line_and_tried_again(tmp_path, caplog):
    """A captive portal, or TELEGRAM_API_URL at a web site, answering 200 with a page: PTB's
    «Invalid server response» is no NetworkError, and `akhbar run` ended in a traceback
    (status 1).  Now it is Telegram out of reach: one line, tried again."""
    async with a_server_answering_html(200, "<html><body>Log in to use the Wi-Fi</body></html>") as api_url:
        records = await first_try_at_start(api_url, tmp_path, caplog)
    assert not [r for r in records if r.exc_info or r.levelno >= logging.ERROR]
    (said,) = [r.getMessage() for r in records if "Telegram is out of reach" in r.getMessage()]
    assert "not JSON" in said and "TELEGRAM_API_URL" in said and "trying again in 1 s" in said


async def test_an_api_url_that_is_not_the_bot_api_s_is_named_rather_than_the_token(tmp_path):
    """TELEGRAM_API_URL with a path too many (…/bot, as the bot adds /bot<token>/ itself) or
    at another server: getMe's answer is 404 Not Found, which PTB takes for a refused token;
    the line said «Telegram refused the bot token (401 Unauthorized): check TELEGRAM_BOT_TOKEN»,
    the token being right.  A 401 is still the token's."""
    from dataclasses import replace

    from bot.app import build_application, reach_telegram
    from bot.config import ConfigError, load_settings

    async with BotAPIEmulator(token=TOKEN) as emu:
        said, api = [], emu.api_url
        for api_url, token in [(f"{api}/bot", TOKEN), (api, "123456789:AAE-a-token-telegram-does-not-know")]:
            settings = replace(load_settings({}), token=token, api_url=api_url, db_path=str(tmp_path / "bot.db"))
            with pytest.raises(ConfigError) as refused:
                await reach_telegram(build_application(settings), asyncio.Event())
            said.append(str(refused.value))
    assert said[0] == (
        f"Telegram's Bot API is not at TELEGRAM_API_URL={api}/bot: getMe there answered 404 Not Found "
        "(the address the bot calls is TELEGRAM_API_URL/bot<token>/getMe; leave it unset for Telegram's own)"
    )
    assert said[1].startswith("Telegram refused the bot token (401 Unauthorized)")


async def test_a_digest_whose_second_part_fails_is_resumed_from_that_part_not_sent_again_whole(engine_world, monkeypatch):
    """Issue 17: a digest in several messages whose second part failed (Telegram answering 502
    past every retry) was sent again whole at the next try: the reader got its first part
    twice.  The retry sends the parts from the one that failed, of that same digest — a story
    arriving in between waits for the next digest."""
    import random

    from bot import limiter

    monkeypatch.setattr(limiter, "TRANSIENT_PAUSES", (0.01, 0.01, 0.01, 0.01))  # the retries, quickly
    world, emu, services = engine_world, engine_world.emu, engine_world.services
    due = datetime(2026, 12, 1, 6, 0, tzinfo=UTC)
    reader = 64_201
    emu.add_user(reader, language_code="ar")
    await services.chats.ensure(reader, type="private", title="", lang="ar", tz="Africa/Algiers", digest_time=time(7, 0))
    await services.chats.set_subscribed(reader, True, next_due=due)
    rng = random.Random(17)
    letters = "ابتثجحخدذرزسشصضطظعغفقكلمنهوي"

    def headline() -> str:
        return " ".join("".join(rng.choices(letters, k=rng.randint(4, 8))) for _ in range(30))

    await services.ingestor.add_many(
        [make_article(title=headline(), topics=["economy"], source="وكالة") for _ in range(30)],
        fetched_at=due - timedelta(hours=1),
    )
    services.clock = FakeClock(due + timedelta(seconds=5))
    emu.faults.inject("502", count=5, methods=["sendMessage"], after=1)  # the second part, and its 4 retries
    first = await world.engine.broadcast()
    assert (first.sent, first.postponed) == (0, 1)
    (part_one,) = emu.messages(reader)

    (late,) = await services.ingestor.add_many(
        [make_article(title=headline(), topics=["economy"], source="وكالة")], fetched_at=due + timedelta(minutes=1)
    )
    services.clock = FakeClock(due + timedelta(minutes=6))
    second = await world.engine.broadcast()
    assert second.sent == 1
    parts = emu.messages(reader)
    assert len(parts) >= 2 and parts[0] == part_one
    assert len({m["text"] for m in parts}) == len(parts)  # no part twice
    links = [link for m in parts for link in m["text"].split() if link.lstrip("\u200e").startswith("/read_")]
    assert len(links) == len(set(links)) == 30
    assert f"/read_{late}" not in links
    record = await services.chats.delivery(reader, "2026-12-01")
    assert record.state == "sent" and record.message_ids == tuple(m["message_id"] for m in parts)
    # The next digest starts where this one's window ended: the late story is in it.
    chat = await services.chats.get(reader)
    assert chat.last_digest_due_utc == due


async def test_a_digest_whose_crash_note_fails_is_recorded_all_the_same_and_sent_once(world, monkeypatch):
    """A send's crash note (bot.delivery_journal) failing in a way nobody foresaw — asyncpg's
    InternalClientError as PostgreSQL shut down, seen in CI — cost that send its record: the
    chat stayed due and got its digest a second time at the next broadcast."""
    due = datetime(2026, 12, 1, 6, 0, tzinfo=UTC)
    readers = list(range(63_301, 63_311))
    await subscribe_readers(world, readers, due)
    world.services.clock = FakeClock(due + timedelta(seconds=5))

    async def note_failing(outcome):
        raise RuntimeError("cannot switch to state 15; another operation (2) is in progress")

    monkeypatch.setattr(world.engine._journal, "append", note_failing)
    first = await world.engine.broadcast()
    assert first.sent == len(readers) and first.failed == 0
    world.services.clock = FakeClock(due + timedelta(minutes=10))
    await world.engine.broadcast()
    assert [len(digests_of(world.emu, chat_id)) for chat_id in readers] == [1] * len(readers)
    for chat_id in readers:
        assert (await world.services.chats.get(chat_id)).next_due_utc > due


async def test_a_record_that_fails_unforeseen_stops_the_broadcast_and_is_written_first_next_time(world, monkeypatch):
    """Delivery records refused by the database stop the broadcast and are written first next
    time; records failing with any other error were dropped, and their chats sent again."""
    due = datetime(2026, 12, 1, 6, 0, tzinfo=UTC)
    readers = list(range(63_401, 63_411))
    await subscribe_readers(world, readers, due)
    world.services.clock = FakeClock(due + timedelta(seconds=5))
    digests = world.services.digests
    record = digests.record
    failures = []

    async def record_failing_once(outcomes):
        if not failures:
            failures.append(len(outcomes))
            raise RuntimeError("a connection in a state it cannot go on from")
        await record(outcomes)

    monkeypatch.setattr(digests, "record", record_failing_once)
    first = await world.engine.broadcast()
    assert failures and first.sent < len(readers)  # stopped: nothing more sent without a record
    world.services.clock = FakeClock(due + timedelta(minutes=10))
    await world.engine.broadcast()
    await world.engine.broadcast()
    assert [len(digests_of(world.emu, chat_id)) for chat_id in readers] == [1] * len(readers)


async def test_a_stop_during_a_broadcast_cut_by_the_database_ends_within_its_grace(world, monkeypatch):
    """The database out of reach while every worker was mid-send and the queue full: the
    broadcast handed its workers their stop marks by waiting for room in the queue, a stop's
    cancel landed there, and the workers (and the bot's shutdown) waited for ever."""
    from bot import digests as digest_module

    monkeypatch.setattr(digest_module, "_STOP_GRACE_SECONDS", 0.5)
    engine = world.engine
    due = datetime(2026, 12, 1, 6, 0, tzinfo=UTC)
    readers = list(range(64_501, 64_501 + engine.workers * 5))
    await subscribe_readers(world, readers, due)
    world.services.clock = FakeClock(due + timedelta(seconds=5))

    async def slow_send(chat_id, messages, thread_id, sent):
        await asyncio.sleep(5)  # longer than the grace: still sending when the stop comes
        sent.append(1)

    monkeypatch.setattr(engine, "_send", slow_send)
    digests = world.services.digests
    for name in ("claimed_pages", "due_pages"):
        original = getattr(digests, name)

        def pages(*args, _original=original, **kwargs):
            async def first_page_then_unreachable():
                async for chats in _original(*args, **kwargs):
                    yield chats[: engine.workers * 5]
                    raise StorageUnavailable("unreachable", "the server went away")
            return first_page_then_unreachable()

        monkeypatch.setattr(digests, name, pages)
    broadcast = asyncio.ensure_future(engine.broadcast())
    await asyncio.sleep(0.5)
    try:
        await asyncio.wait_for(asyncio.shield(engine.stop()), 4)
    finally:
        engine._broadcast._task.cancel()  # a hung broadcast must not hang the test too
        await asyncio.gather(broadcast, return_exceptions=True)
