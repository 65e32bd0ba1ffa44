"""`akhbar run` started when Telegram cannot be reached, or refuses the token: one clear line
(never the token, never a traceback), then a retry with growing pauses until Telegram answers —
a service started before the network comes up by itself — or, for a refused token, a
non-zero exit at once."""

import asyncio
import signal
import socket
import sys

import pytest

from emulator import BotAPIEmulator

from .conftest import TOKEN, bot_env, until

pytestmark = pytest.mark.slow  # `akhbar run` processes, and the retries' pauses


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def start_bot(api_url: str, token: str, tmp_path):
    env = bot_env(api_url, token, tmp_path)
    log = tmp_path / "bot.log"
    with open(log, "ab") as out:  # the child keeps its own descriptor
        bot = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", "run", env=env, cwd=tmp_path, stdout=out, stderr=out
        )
    return bot, log


async def test_telegram_out_of_reach_at_start_is_one_line_then_the_bot_comes_up_when_it_answers(tmp_path):
    port = free_port()  # nothing listens there yet: the network is down
    bot, log = await start_bot(f"http://127.0.0.1:{port}", TOKEN, tmp_path)
    try:
        await until(lambda: log.read_text().count("Telegram is out of reach") >= 2, timeout=60,
                    what="two tries, each said in a line")
        assert bot.returncode is None  # it waits, it does not give up
        async with BotAPIEmulator(token=TOKEN, port=port) as emu:  # the network is back
            await until(lambda: "Akhbar is ready" in log.read_text(), timeout=90, what="the bot up")
            emu.send_message(4242, 4242, "/start")
            await until(lambda: any(m["from"]["is_bot"] for m in emu.messages(4242)), timeout=30,
                        what="the reader answered")
            bot.send_signal(signal.SIGTERM)
            assert await asyncio.wait_for(bot.wait(), 15) == 0
    finally:
        if bot.returncode is None:
            bot.kill()
            await bot.wait()
    text = log.read_text()
    lines = [line for line in text.splitlines() if "Telegram is out of reach" in line]
    assert "trying again in 1 s" in lines[0] and "trying again in 2 s" in lines[1]  # pauses growing
    assert "Traceback" not in text and TOKEN not in text and TOKEN.split(":")[1] not in text


async def test_a_token_telegram_refuses_exits_at_once_with_one_line(tmp_path):
    wrong = "123456789:WRONG-token-that-telegram-does-not-know"
    async with BotAPIEmulator(token=TOKEN) as emu:  # answers 401 Unauthorized to any other token
        bot, log = await start_bot(emu.api_url, wrong, tmp_path)
        try:
            assert await asyncio.wait_for(bot.wait(), 60) == 2
        finally:
            if bot.returncode is None:
                bot.kill()
                await bot.wait()
    text = log.read_text()
    assert text.startswith("akhbar: Telegram refused the bot token (401 Unauthorized): check TELEGRAM_BOT_TOKEN")
    assert len(text.splitlines()) == 1
    assert "Traceback" not in text and "WRONG-token" not in text
    assert "Unclosed" not in text  # its connections closed before the exit
