"""`akhbar digest --now`, the one-off broadcast, when Telegram refuses the token or cannot be
reached: one line on stderr and exit status 2, as `akhbar run` says it — never a traceback,
never the token (PTB's own message quotes it)."""

import asyncio
import re
import socket
import sys

from emulator import BotAPIEmulator

from .conftest import TOKEN, bot_env


async def digest_now(api_url: str, token: str, tmp_path) -> tuple[int, str]:
    env = bot_env(api_url, token, tmp_path)
    env.pop("AKHBAR_DATABASE_URL", None)
    migrate = await asyncio.create_subprocess_exec(sys.executable, "-m", "bot", "db", "migrate", env=env, cwd=tmp_path)
    assert await asyncio.wait_for(migrate.wait(), 60) == 0  # the bot's database, with nothing due
    command = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "digest", "--now", env=env, cwd=tmp_path,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
    )
    out, _ = await asyncio.wait_for(command.communicate(), 60)
    return command.returncode, out.decode()


async def test_a_refused_token_is_one_line_that_does_not_show_it(tmp_path):
    wrong = "123456789:WRONG-token-that-telegram-does-not-know"
    async with BotAPIEmulator(token=TOKEN) as emu:  # answers 401 Unauthorized to any other token
        status, said = await digest_now(emu.api_url, wrong, tmp_path)
    assert status == 2
    assert said.strip().splitlines() == [
        "akhbar: Telegram refused the bot token (401 Unauthorized): check TELEGRAM_BOT_TOKEN (from @BotFather)"
    ]
    assert "WRONG-token" not in said and "Traceback" not in said


async def test_telegram_out_of_reach_is_one_line_and_a_failure(tmp_path):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # nothing listens there
    status, said = await digest_now(f"http://127.0.0.1:{port}", TOKEN, tmp_path)
    assert status == 2
    # Its retries of getMe (0.5 … 4 s) are log lines; what it says to the operator is one line.
    lines = [line for line in said.strip().splitlines() if not re.match(r"\d{4}-\d\d-\d\d ", line)]
    assert len(lines) == 1, said
    assert lines[0].startswith("akhbar: Telegram is out of reach (")
    assert lines[0].endswith("nothing was sent: try again once it answers")
    assert TOKEN.split(":")[1] not in said and "Traceback" not in said and "Unclosed" not in said
