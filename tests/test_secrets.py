"""The bot token never appears in a log line, at any level, through start, commands, a
network failure and shutdown (PTB's URLs carry it, and httpx logs URLs)."""

import io
import logging
from dataclasses import replace

from bot.app import build_application, running
from bot.config import load_settings
from bot.demo import load_demo_articles
from bot.logs import setup_logging
from emulator import BotAPIEmulator

from .conftest import until

TOKEN = "987654321:AAH-very-secret-token-that-must-not-leak"


async def test_token_never_logged_at_debug(tmp_path):
    root = logging.getLogger()
    saved_handlers, saved_level = root.handlers[:], root.level
    captured = io.StringIO()
    setup_logging("DEBUG", TOKEN, stream=captured)
    try:
        await load_demo_articles(tmp_path / "bot.db")
        emu = BotAPIEmulator(token=TOKEN)
        await emu.start()
        settings = replace(load_settings({}), token=TOKEN, api_url=emu.api_url, db_path=str(tmp_path / "bot.db"))
        async with running(build_application(settings), poll_timeout=1):
            emu.add_user(user_id=42, first_name="x", language_code="ar")
            for text in ("/start", "/latest", "/read_1", "/search أمطار", "/nope"):
                before = len(emu.messages(42))
                emu.send_message(42, 42, text)
                await emu.wait_for_messages(42, before + 1)
            await emu.stop()  # Telegram goes away: polling fails and logs its errors
            await until(lambda: "could not be reached while polling" in captured.getvalue(),
                        what="the polling failure's log line")
    finally:
        root.handlers[:] = saved_handlers
        root.setLevel(saved_level)
    # Back as it was for every logger: setLevel forgets what each one cached as enabled, where
    # `root.level = ...` left DEBUG on for aiosqlite, whose threads then wrote to streams
    # closed since ("I/O operation on closed file" at the end of the run).
    assert not logging.getLogger("aiosqlite").isEnabledFor(logging.DEBUG)
    output = captured.getvalue()
    assert "Akhbar is ready" in output and "getUpdates" in output  # DEBUG really was on
    assert "Error" in output or "error" in output  # and the failure was logged
    assert TOKEN not in output
    assert TOKEN.split(":")[1] not in output


async def test_webhook_secret_never_logged_at_debug(tmp_path):
    from .test_webhook import PUBLIC_URL, free_port

    secret = "webhook-secret-only-telegram-and-the-proxy-know"
    root = logging.getLogger()
    saved_handlers, saved_level = root.handlers[:], root.level
    captured = io.StringIO()
    setup_logging("DEBUG", TOKEN, captured, secret)
    try:
        await load_demo_articles(tmp_path / "bot.db")
        port = free_port()
        async with BotAPIEmulator(token=TOKEN) as emu:
            emu.webhook.target = f"http://127.0.0.1:{port}"
            settings = replace(load_settings({}), token=TOKEN, api_url=emu.api_url, db_path=str(tmp_path / "bot.db"),
                               webhook_url=PUBLIC_URL, webhook_listen=f"127.0.0.1:{port}", webhook_secret=secret)
            async with running(build_application(settings), webhook=True):
                emu.add_user(user_id=42, first_name="x", language_code="ar")
                emu.send_message(42, 42, "/start")
                await emu.wait_for_messages(42, 1)
    finally:
        root.handlers[:] = saved_handlers
        root.setLevel(saved_level)
    output = captured.getvalue()
    assert "setWebhook" in output and "<secret>" in output  # PTB did log the parameters
    assert secret not in output and TOKEN not in output
