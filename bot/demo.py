"""`akhbar demo`: the whole bot, offline, in a terminal.

It starts the Bot API emulator on loopback, loads the bundled sample articles into a fresh
database in a temporary folder, runs the real bot against the emulator, and lets a person chat
with it: type `/latest`, `/read_3`, or `#1` to press the first button under the last message;
`@akhbar_demo_bot words` is inline mode (what another chat would be offered), and a share
button types its query there.  With `--say`, it sends those messages, prints the transcript
and exits.
"""

from __future__ import annotations

import asyncio
import json
import logging
import sys
import tempfile
from datetime import UTC, datetime, timedelta
from importlib import resources
from pathlib import Path

from bot.app import build_application, running
from bot.config import Settings
from bot.services import Services
from emulator import BotAPIEmulator
from news.importers import parse_jsonl

DEMO_TOKEN = "100000001:DEMO-offline-token-not-a-secret"
DEMO_USER = 777_000_001
DEMO_BOT = "akhbar_demo_bot"
# After the first reply, the bot is taken to be done once it has been quiet this long.
_QUIET = 0.5
_REPLY_TIMEOUT = 15.0


def dated_from(text: str, now: datetime) -> str:
    """The sample articles (JSON lines) moved by whole days, so that the newest was published
    in the day before `now` and each keeps its time of day: the demo's news is fresh whenever
    it runs (fixed dates made a week-old demo's /digest empty)."""
    records = [json.loads(line) for line in text.splitlines() if line.strip()]
    newest = max(datetime.fromisoformat(record["published_at"]) for record in records)
    shift = timedelta(days=(now - newest) // timedelta(days=1))
    for record in records:
        record["published_at"] = (datetime.fromisoformat(record["published_at"]) + shift).isoformat()
    return "".join(json.dumps(record, ensure_ascii=False) + "\n" for record in records)


async def load_demo_articles(db_path: Path, now: datetime | None = None, database_url: str | None = None) -> int:
    """The bundled samples, dated relative to `now` (the moment the demo starts), stored in a
    fresh database (the SQLite file, or PostgreSQL at `database_url`: the tests') as if
    fetched then; how many were stored."""
    now = now or datetime.now(UTC)
    sample = resources.files("bot.demo_data").joinpath("articles.jsonl").read_text(encoding="utf-8")
    articles = [parsed for _, parsed in parse_jsonl(dated_from(sample, now)) if not isinstance(parsed, str)]
    async with await Services.open(Settings(db_path=str(db_path), database_url=database_url), follows=False) as services:
        ids = await services.ingestor.add_many(articles, fetched_at=now)
    return sum(article_id is not None for article_id in ids)


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


def format_offer(answer: dict) -> str:
    """An inline answer as the reader picks from it: each headline and its source · time."""
    if not answer["results"]:
        return "🔎 (—)"
    return "\n".join(f"🔎 {result['title']}\n   {result['description']}" for result in answer["results"])


class DemoChat:
    """One reader talking to the bot through the emulator."""

    def __init__(self, emu: BotAPIEmulator, out=None) -> None:
        self.emu = emu
        self.out = out or sys.stdout
        self.last_with_buttons: dict | None = None

    async def offer(self, query: str) -> dict:
        """Inline mode: what typing `@bot query` in another chat would offer."""
        answer = await self.emu.wait_for_inline_answer(self.emu.send_inline_query(DEMO_USER, query[:256]))
        print(format_offer(answer), file=self.out)
        print(file=self.out)
        return answer

    async def say(self, text: str) -> list[dict]:
        seen = len(self.emu.messages(DEMO_USER))
        if text.split(" ", 1)[0].lower() == f"@{DEMO_BOT}":
            await self.offer(text.partition(" ")[2])
            return []
        if text.startswith("#") and text[1:].isdigit():
            # No message with buttons yet: "#1" is a press that finds none, not a word to search.
            buttons = _buttons(self.last_with_buttons) if self.last_with_buttons else []
            index = int(text[1:]) - 1
            if 0 <= index < len(buttons) and "switch_inline_query" in buttons[index]:
                # Share: the reader would pick a chat, where this is typed after the bot's name.
                print(f"👤 @{DEMO_BOT} {buttons[index]['switch_inline_query']}", file=self.out)
                await self.offer(buttons[index]["switch_inline_query"])
                return []
            if not 0 <= index < len(buttons) or "callback_data" not in buttons[index]:
                print("(no such button)", file=self.out)
                return []
            assert self.last_with_buttons is not None  # it holds the button found
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
    print(f"Akhbar demo — type /start, /latest, /read_1, /topics… ; #1 presses a button; @{DEMO_BOT} words is inline "
          "mode; /quit or Ctrl-D ends.\n")
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


def _demo_settings(settings: Settings, api_url: str, db_path: Path) -> Settings:
    """The demo's own settings: its throwaway SQLite file and stand-in for Telegram, never the
    operator's database, admins, webhook or metrics port (a demo run beside the real bot, with
    its .env, once put its samples in the real database and sent the real subscribers' due
    digests through the stand-in, marking them gone); only how news is shown is kept."""
    return Settings(
        token=DEMO_TOKEN, api_url=api_url, db_path=str(db_path), timezone=settings.timezone,
        digest_time=settings.digest_time, log_level=settings.log_level, digest_cap=settings.digest_cap,
        alerts_per_hour=settings.alerts_per_hour, post_source=settings.post_source,
    )


async def run_demo(settings: Settings, says: list[str], lang: str = "ar") -> int:
    if settings.log_level != "DEBUG":
        logging.getLogger().setLevel(logging.WARNING)
    with tempfile.TemporaryDirectory(prefix="akhbar-demo-") as folder:
        db_path = Path(folder) / "demo.db"
        loaded = await load_demo_articles(db_path)
        async with BotAPIEmulator(token=DEMO_TOKEN, bot_username=DEMO_BOT, inline_placeholder="…") as emu:
            demo_settings = _demo_settings(settings, emu.api_url, db_path)
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
