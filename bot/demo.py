"""`akhbar demo`: the whole bot, offline, in a terminal.

It starts the Bot API emulator on loopback, loads the bundled sample articles into a fresh
database in a temporary folder, runs the real bot against the emulator, and lets a person chat
with it: type `/latest`, `/read_3`, or `#1` to press the first button under the last message.
With `--say`, it sends those messages, prints the transcript and exits.
"""

from __future__ import annotations

import asyncio
import logging
import sys
import tempfile
from dataclasses import replace
from importlib import resources
from pathlib import Path

from bot.app import build_application, running
from bot.config import Settings
from bot.services import Services
from emulator import BotAPIEmulator
from news.importers import import_file

DEMO_TOKEN = "100000001:DEMO-offline-token-not-a-secret"
DEMO_USER = 777_000_001
# After the first reply, the bot is taken to be done once it has been quiet this long.
_QUIET = 0.5
_REPLY_TIMEOUT = 15.0


async def load_demo_articles(db_path: Path) -> int:
    sample = resources.files("bot.demo_data").joinpath("articles.jsonl")
    with resources.as_file(sample) as path:
        async with await Services.open(Settings(db_path=str(db_path))) as services:
            report = await import_file(Path(path), services.ingestor)
    return report.added


async def _replies(emu: BotAPIEmulator, chat_id: int, seen: int) -> list[dict]:
    """The bot's new messages since `seen`: wait for the first, then until it goes quiet."""
    try:
        await emu.wait_for_messages(chat_id, seen + 1, timeout=_REPLY_TIMEOUT)
    except TimeoutError:
        return []
    while True:
        count = len(emu.messages(chat_id))
        await asyncio.sleep(_QUIET)
        if len(emu.messages(chat_id)) == count:
            return emu.messages(chat_id)[seen:]


def _buttons(message: dict) -> list[dict]:
    markup = message.get("reply_markup") or {}
    return [button for row in markup.get("inline_keyboard", []) for button in row]


def format_message(message: dict) -> str:
    lines = [f"🤖 {message['text']}"]
    for number, button in enumerate(_buttons(message), start=1):
        lines.append(f"   [#{number}] {button['text']}")
    return "\n".join(lines)


class DemoChat:
    """One reader talking to the bot through the emulator."""

    def __init__(self, emu: BotAPIEmulator, out=None) -> None:
        self.emu = emu
        self.out = out or sys.stdout
        self.last_with_buttons: dict | None = None

    async def say(self, text: str) -> list[dict]:
        seen = len(self.emu.messages(DEMO_USER))
        if text.startswith("#") and text[1:].isdigit() and self.last_with_buttons:
            buttons = _buttons(self.last_with_buttons)
            index = int(text[1:]) - 1
            if not 0 <= index < len(buttons) or "callback_data" not in buttons[index]:
                print("(no such button)", file=self.out)
                return []
            self.emu.press_button(DEMO_USER, DEMO_USER, self.last_with_buttons["message_id"], buttons[index]["callback_data"])
        else:
            self.emu.send_message(DEMO_USER, DEMO_USER, text)
        replies = await _replies(self.emu, DEMO_USER, seen)
        for message in replies:
            print(format_message(message), file=self.out)
            print(file=self.out)
            if _buttons(message):
                self.last_with_buttons = message
        return replies


async def _interactive(chat: DemoChat) -> None:
    loop = asyncio.get_running_loop()
    print("Akhbar demo — type /start, /latest, /read_1, /topics… ; #1 presses a button; /quit or Ctrl-D ends.\n")
    while True:
        try:
            line = await loop.run_in_executor(None, input, "👤 ")
        except EOFError:
            print()
            return
        line = line.strip()
        if line in ("/quit", "/exit"):
            return
        if line:
            await chat.say(line)


async def run_demo(settings: Settings, says: list[str], lang: str = "ar") -> int:
    if settings.log_level != "DEBUG":
        logging.getLogger().setLevel(logging.WARNING)
    with tempfile.TemporaryDirectory(prefix="akhbar-demo-") as folder:
        db_path = Path(folder) / "demo.db"
        loaded = await load_demo_articles(db_path)
        async with BotAPIEmulator(token=DEMO_TOKEN, bot_username="akhbar_demo_bot") as emu:
            demo_settings = replace(settings, token=DEMO_TOKEN, api_url=emu.api_url, db_path=str(db_path))
            emu.add_user(user_id=DEMO_USER, first_name="Demo", language_code=lang)
            async with running(build_application(demo_settings), poll_timeout=1):
                chat = DemoChat(emu)
                if says:
                    print(f"(demo: {loaded} sample articles loaded)\n")
                    for text in says:
                        print(f"👤 {text}")
                        await chat.say(text)
                else:
                    await _interactive(chat)
    return 0
