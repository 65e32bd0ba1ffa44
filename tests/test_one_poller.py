"""One process takes the bot's updates by polling: a second `akhbar run` on the same database
is refused at start, in one line, instead of taking turns with the first (Telegram ends one
getUpdates with «Conflict» when another comes, a traceback every few seconds in both logs)."""

import asyncio
import logging
import signal
import sys
import time
from dataclasses import replace

import pytest

from bot.app import build_application, running
from bot.config import ConfigError, load_settings
from emulator import BotAPIEmulator

from .conftest import TOKEN, bot_env, until


async def test_a_second_bot_polling_one_database_is_refused_and_the_first_goes_on(tmp_path, monkeypatch, caplog):
    import bot.app

    monkeypatch.setattr(bot.app, "POLLER_WAIT_SECONDS", 3.0)  # (20 s and more: a crashed holder's lease)
    caplog.set_level(logging.INFO, logger="bot.app")
    async with BotAPIEmulator(token=TOKEN) as emu:
        settings = replace(load_settings({}), token=TOKEN, api_url=emu.api_url, db_path=str(tmp_path / "bot.db"))
        async with running(build_application(settings), poll_timeout=1):
            with pytest.raises(ConfigError, match=r"^another Akhbar process \(process 1 in the database\) is taking"):
                async with running(build_application(settings), poll_timeout=1):
                    pass
            # Only the first said it was ready: the second logged «Akhbar is ready» before it
            # waited for the lease and was refused (as one whose webhook address was taken did).
            assert sum("Akhbar is ready" in r.getMessage() for r in caplog.records) == 1
            emu.add_user(user_id=5, first_name="R", language_code="en")
            emu.send_message(5, 5, "/help")
            (answer,) = await emu.wait_for_messages(5, 1, timeout=10)
            assert "The list of commands" in answer["text"]
        # Stopped cleanly, the first one leaves the updates to whoever starts next.
        async with running(build_application(settings), poll_timeout=1):
            pass


async def test_a_bot_restarted_after_a_crash_takes_the_updates_once_the_dead_ones_lease_ends(tmp_path, monkeypatch):
    """Killed, a poller keeps its lease until its heartbeat is LEASE_SECONDS old; restarted at
    once under another host name (a container's), the new one waits for it, then polls."""
    import bot.app
    import bot.processes

    monkeypatch.setattr(bot.processes, "BEAT_SECONDS", 0.5)
    monkeypatch.setattr(bot.processes, "LEASE_SECONDS", 2.0)
    monkeypatch.setattr(bot.app, "POLLER_WAIT_SECONDS", 8.0)
    async with BotAPIEmulator(token=TOKEN) as emu:
        settings = replace(load_settings({}), token=TOKEN, api_url=emu.api_url, db_path=str(tmp_path / "bot.db"))
        crashed = build_application(settings)
        async with running(crashed, poll_timeout=1):
            crashed.bot_data.membership._task.cancel()  # its heartbeat stops, as in a SIGKILL
            monkeypatch.setenv("AKHBAR_PROCESS_HOST", "another-container")
            restarted = build_application(settings)
            async with running(restarted, poll_timeout=1):
                membership = restarted.bot_data.membership
                assert await membership.lease_holder(bot.app.POLLING_LEASE) == membership.process_id


async def test_ctrl_c_while_a_second_poller_waits_stops_it_at_once(tmp_path):
    # It waited the whole 24 s (a crashed holder's lease), Ctrl-C or not, then said another
    # process takes the updates and exited 2.
    async with BotAPIEmulator(token=TOKEN) as emu:
        settings = replace(load_settings({}), token=TOKEN, api_url=emu.api_url, db_path=str(tmp_path / "akhbar.db"))
        async with running(build_application(settings), poll_timeout=1):
            log = tmp_path / "second.log"
            with open(log, "ab") as out:
                second = await asyncio.create_subprocess_exec(
                    sys.executable, "-m", "bot", "run", env=bot_env(emu.api_url, TOKEN, tmp_path), cwd=tmp_path,
                    stdout=out, stderr=out,
                )
            try:
                await until(lambda: "waiting up to" in log.read_text(), timeout=60, what="the second one waiting")
                asked = time.monotonic()
                second.send_signal(signal.SIGINT)
                status = await asyncio.wait_for(second.wait(), 30)
                took = time.monotonic() - asked
            finally:
                if second.returncode is None:
                    second.kill()
                    await second.wait()
    said = log.read_text()
    assert status == 0 and took < 10, (status, took, said)
    assert "is taking this bot's updates" not in said and "Traceback" not in said
