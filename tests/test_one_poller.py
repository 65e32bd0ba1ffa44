"""One process takes the bot's updates by polling: a second `akhbar run` on the same database
is refused at start, in one line, instead of taking turns with the first (Telegram ends one
getUpdates with «Conflict» when another comes, a traceback every few seconds in both logs)."""

from dataclasses import replace

import pytest

from bot.app import build_application, running
from bot.config import ConfigError, load_settings
from emulator import BotAPIEmulator

from .conftest import TOKEN


async def test_a_second_bot_polling_one_database_is_refused_and_the_first_goes_on(tmp_path):
    async with BotAPIEmulator(token=TOKEN) as emu:
        settings = replace(load_settings({}), token=TOKEN, api_url=emu.api_url, db_path=str(tmp_path / "bot.db"))
        async with running(build_application(settings), poll_timeout=1):
            with pytest.raises(ConfigError, match=r"^another Akhbar process \(process 1 in the database\) is taking"):
                async with running(build_application(settings), poll_timeout=1):
                    pass
            emu.add_user(user_id=5, first_name="R", language_code="en")
            emu.send_message(5, 5, "/help")
            (answer,) = await emu.wait_for_messages(5, 1, timeout=10)
            assert "The list of commands" in answer["text"]
        # Stopped cleanly, the first one leaves the updates to whoever starts next.
        async with running(build_application(settings), poll_timeout=1):
            pass
