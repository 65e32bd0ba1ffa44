"""The bot token never appears in a log line, at any level, through start, commands, a
network failure and shutdown (PTB's URLs carry it, and httpx logs URLs)."""

import asyncio
import io
import logging
from dataclasses import replace

from bot.app import build_application, running
from bot.config import load_settings
from bot.demo import load_demo_articles
from bot.emulator import BotAPIEmulator
from bot.logs import setup_logging

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
            await asyncio.sleep(2.5)
    finally:
        root.handlers[:], root.level = saved_handlers, saved_level
    output = captured.getvalue()
    assert "Akhbar is ready" in output and "getUpdates" in output  # DEBUG really was on
    assert "Error" in output or "error" in output  # and the failure was logged
    assert TOKEN not in output
    assert TOKEN.split(":")[1] not in output
