"""Webhook mode: Telegram (the emulator) POSTs updates to the bot, each with the secret token.

The bot listens on plain http on 127.0.0.1, as behind a TLS-terminating reverse proxy; the
emulator delivers to it what it would POST to the public https URL.  A request without the
right secret is refused with 403 and nothing in it is processed.
"""

import asyncio
import json
import socket
from dataclasses import replace

import httpx
import pytest
import pytest_asyncio

from bot.app import build_application, running
from bot.cli import main
from bot.config import ConfigError, load_settings
from bot.demo import load_demo_articles
from emulator import BotAPIEmulator

from .conftest import SHARED_LOOP, TOKEN, World

PUBLIC_URL = "https://news.example.dz/akhbar/updates"
SECRET = "the-proxy-and-telegram-know-this_1"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def hooked_bot(tmp_path_factory):
    """The real bot in webhook mode, the emulator delivering to it; one for the module (each
    test talks from readers of its own)."""
    db_path = tmp_path_factory.mktemp("webhook") / "bot.db"
    await load_demo_articles(db_path)
    port = free_port()
    async with BotAPIEmulator(token=TOKEN) as emu:
        settings = replace(
            load_settings({}), token=TOKEN, api_url=emu.api_url, db_path=str(db_path),
            webhook_url=PUBLIC_URL, webhook_listen=f"127.0.0.1:{port}", webhook_secret=SECRET,
        )
        emu.webhook.target = f"http://127.0.0.1:{port}"
        app = build_application(settings)
        async with running(app, webhook=True):
            yield World(emu, app, settings), f"http://127.0.0.1:{port}/akhbar/updates"


@pytest_asyncio.fixture(loop_scope="module")
async def hooked(hooked_bot):
    world, _ = hooked_bot
    violations = len(world.emu.violations)
    yield hooked_bot
    await world.idle()
    assert world.emu.violations[violations:] == []


@SHARED_LOOP
async def test_updates_arrive_by_webhook_and_are_answered_without_polling(hooked):
    world, _ = hooked
    emu, amina, karim = world.emu, world.fresh_id(), world.fresh_id()
    assert emu.webhook_url == PUBLIC_URL and emu.webhook.secret == SECRET
    emu.add_user(amina, language_code="ar")
    emu.add_user(karim, language_code="fr")
    emu.send_message(amina, amina, "/latest 3")
    emu.send_message(karim, karim, "/start")
    first = await emu.wait_for_messages(amina, 1)
    second = await emu.wait_for_messages(karim, 1)
    assert "/read_" in first[0]["text"] and second[0]["text"]
    assert not any(method == "getupdates" for method, _ in emu.requests)
    assert {status for _, status in emu.webhook.attempts} == {200}
    assert emu.pending_updates == []


def update_for(user_id: int, text: str, update_id: int) -> dict:
    return {
        "update_id": update_id,
        "message": {
            "message_id": 1, "date": 1_790_000_000, "text": text,
            "chat": {"id": user_id, "type": "private", "first_name": "x"},
            "from": {"id": user_id, "is_bot": False, "first_name": "x"},
            "entities": [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}],
        },
    }


@pytest.mark.parametrize("headers", [{}, {"X-Telegram-Bot-Api-Secret-Token": "guessed"},
                                     {"X-Telegram-Bot-Api-Secret-Token": SECRET.upper()}],
                         ids=["missing", "wrong", "wrong-case"])
@SHARED_LOOP
async def test_a_post_without_the_right_secret_is_refused_and_nothing_happens(hooked, headers):
    world, listener = hooked
    emu, reader = world.emu, world.fresh_id()
    emu.add_user(reader, language_code="en")
    async with httpx.AsyncClient() as client:
        refused = await client.post(listener, content=json.dumps(update_for(reader, "/subscribe", 2 * reader)),
                                    headers={"Content-Type": "application/json", **headers})
        assert refused.status_code == 403
        # The same reader's next update, with the secret: handled after the refused one would
        # have been, so once it is answered and the bot is idle, nothing else is coming.
        accepted = await client.post(listener, content=json.dumps(update_for(reader, "/latest 2", 2 * reader + 1)),
                                     headers={"Content-Type": "application/json", "X-Telegram-Bot-Api-Secret-Token": SECRET})
        assert accepted.status_code == 200
    replies = await emu.wait_for_messages(reader, 1)
    await world.idle()
    assert len(emu.messages(reader)) == 1 and "/read_" in replies[0]["text"]  # the refused /subscribe got no reply
    chat = await world.services.chats.get(reader)
    assert chat is None or not chat.subscribed  # and left no trace


def test_webhook_settings_are_checked_with_one_clear_line(capsys, monkeypatch, tmp_path):
    with pytest.raises(ConfigError, match="AKHBAR_WEBHOOK_URL must be the public https URL"):
        load_settings({"AKHBAR_WEBHOOK_URL": "http://news.example.dz/hook"})
    with pytest.raises(ConfigError, match="AKHBAR_WEBHOOK_SECRET must be 16 to 256 characters"):
        load_settings({"AKHBAR_WEBHOOK_SECRET": "has spaces & symbols"})
    with pytest.raises(ConfigError, match="AKHBAR_WEBHOOK_SECRET must be 16 to 256 characters"):
        load_settings({"AKHBAR_WEBHOOK_SECRET": "ar"})  # guessable, and would blank "ar" in every log line
    with pytest.raises(ConfigError, match="AKHBAR_WEBHOOK_LISTEN must be HOST:PORT"):
        load_settings({"AKHBAR_WEBHOOK_LISTEN": "8080"})
    assert load_settings({"AKHBAR_WEBHOOK_SECRET": SECRET}).webhook_secret == SECRET
    assert SECRET not in repr(load_settings({"AKHBAR_WEBHOOK_SECRET": SECRET}))

    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", TOKEN)
    assert main(["run", "--webhook", "http://news.example.dz/hook"]) == 2
    assert main(["run", "--webhook", PUBLIC_URL, "--listen", "localhost"]) == 2
    err = capsys.readouterr().err
    assert "--webhook must be the public https URL" in err and "--listen must be HOST:PORT" in err
    assert "Traceback" not in err and TOKEN not in err


async def test_a_listen_address_already_taken_stops_akhbar_run_in_one_line_and_telegram_is_not_told(tmp_path):
    """Before: OSError [Errno 98] and its traceback, status 1 — and setWebhook already sent with
    this run's secret, which the bot holding the port did not know."""
    import os
    import sys

    from .conftest import ROOT

    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        port = holder.getsockname()[1]
        async with BotAPIEmulator(token=TOKEN) as emu:
            env = {**os.environ, "PYTHONPATH": str(ROOT), "TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_API_URL": emu.api_url,
                   "AKHBAR_DB": str(tmp_path / "akhbar.db"), "AKHBAR_LOG_LEVEL": "WARNING"}
            env.pop("AKHBAR_DATABASE_URL", None)
            bot = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "bot", "run", "--webhook", PUBLIC_URL, "--listen", f"127.0.0.1:{port}",
                env=env, cwd=tmp_path, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
            )
            out, err = await asyncio.wait_for(bot.communicate(), 60)
            assert not emu.webhook_url and "setwebhook" not in {method for method, _ in emu.requests}  # unchanged
    assert (bot.returncode, out.decode()) == (2, "")
    assert err.decode() == f"akhbar: --listen (AKHBAR_WEBHOOK_LISTEN): cannot listen on 127.0.0.1:{port}: Address already in use\n"


async def test_the_emulator_redelivers_an_update_the_webhook_did_not_accept():
    from aiohttp import web

    seen: list[tuple[int, str | None]] = []

    async def receive(request):
        update = await request.json()
        seen.append((update["update_id"], request.headers.get("X-Telegram-Bot-Api-Secret-Token")))
        return web.Response(status=500 if len(seen) == 1 else 200)

    receiver = web.Application()
    receiver.router.add_post("/akhbar/updates", receive)
    runner = web.AppRunner(receiver)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    try:
        async with BotAPIEmulator(token=TOKEN) as emu, httpx.AsyncClient() as client:
            emu.webhook.target = f"http://127.0.0.1:{runner.addresses[0][1]}"
            emu.webhook.retry_seconds = 0.05
            base = f"{emu.api_url}/bot{TOKEN}"
            bad = await client.post(f"{base}/setWebhook", json={"url": PUBLIC_URL, "secret_token": "no spaces allowed"})
            assert bad.status_code == 400
            emu.violations.clear()
            assert (await client.post(f"{base}/setWebhook", json={"url": PUBLIC_URL, "secret_token": SECRET})).json()["ok"]
            emu.add_user(5)
            emu.send_message(5, 5, "أول")
            emu.send_message(5, 5, "ثان")
            for _ in range(100):
                if len(seen) >= 3:
                    break
                await asyncio.sleep(0.02)
            first, second = emu.webhook.attempts[0][0], emu.webhook.attempts[-1][0]
            assert [update_id for update_id, _ in seen] == [first, first, second]  # retried, in order
            assert {secret for _, secret in seen} == {SECRET}
            info = (await client.post(f"{base}/getWebhookInfo")).json()["result"]
            assert info["pending_update_count"] == 0 and "500" in info["last_error_message"]
            conflict = await client.post(f"{base}/getUpdates")
            assert conflict.status_code == 409  # no polling while a webhook is set
    finally:
        await runner.cleanup()
