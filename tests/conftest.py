from __future__ import annotations

from contextlib import asynccontextmanager
from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"


def word_pairs(kind: str) -> list[tuple[str, str, str]]:
    """The stemmer's word pairs (data/word-pairs.tsv) of one kind, "match" or "differ":
    (word, word, why)."""
    rows = []
    for line in (DATA / "word-pairs.tsv").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            row_kind, a, b, why = line.split("\t")
            if row_kind == kind:
                rows.append((a, b, why))
    return rows


@pytest.fixture
def data_dir() -> Path:
    return DATA


@pytest.fixture
async def db(tmp_path):
    from storage.db import Database

    async with Database(tmp_path / "akhbar.db") as database:
        yield database


TOKEN = "123456789:TEST-token-for-the-emulator-only"
ADMIN_ID = 9001


class World:
    """The real bot, polling the emulator, with a database of sample articles."""

    def __init__(self, emu, app, settings):
        self.emu, self.app, self.settings = emu, app, settings

    @property
    def services(self):
        return self.app.bot_data.services

    async def ask(self, chat_id: int, text: str, user_id: int | None = None, replies: int = 1) -> list[dict]:
        """Send `text` as the user and return the bot's `replies` new messages."""
        before = len(self.emu.messages(chat_id))
        self.emu.send_message(chat_id, user_id or chat_id, text)
        messages = await self.emu.wait_for_messages(chat_id, before + replies, timeout=10)
        return messages[before:]

    async def press(self, chat_id: int, message: dict, data: str, user_id: int | None = None, replies: int = 1):
        before = len(self.emu.messages(chat_id))
        answered = len(self.emu.callback_answers)
        self.emu.press_button(chat_id, user_id or chat_id, message["message_id"], data)
        # Every button press is answered: once it is, its handler has done its work.
        await self.emu.wait_for_requests("answercallbackquery", answered + 1, timeout=10)
        messages = await self.emu.wait_for_messages(chat_id, before + replies, timeout=10)
        return messages[before:]

    @property
    def engine(self):
        return self.app.bot_data.digests

    async def article_id(self, title_start: str) -> int:
        for article in await self.services.articles.latest(1000):
            if article.title.startswith(title_start):
                return article.id
        raise LookupError(title_start)


@asynccontextmanager
async def open_world(tmp_path, admins=frozenset({ADMIN_ID})):
    """The emulator and the real bot on the demo articles, for as long as the block runs."""
    from dataclasses import replace

    from bot.app import build_application, running
    from bot.config import load_settings
    from bot.demo import load_demo_articles
    from emulator import BotAPIEmulator

    db_path = tmp_path / "bot.db"
    await load_demo_articles(db_path)
    async with BotAPIEmulator(token=TOKEN, bot_username="akhbar_test_bot") as emu:
        settings = replace(
            load_settings({}), token=TOKEN, api_url=emu.api_url, db_path=str(db_path), admins=frozenset(admins)
        )
        app = build_application(settings)
        async with running(app, poll_timeout=1):
            # Tests drive broadcasts themselves, on their own clock.
            for job in app.job_queue.get_jobs_by_name("digest-tick"):
                job.schedule_removal()
            yield World(emu, app, settings)
        # Whatever the test did, the bot never sent Telegram something it would reject.
        assert emu.violations == [], emu.violations


@pytest.fixture
async def world(tmp_path):
    async with open_world(tmp_path) as opened:
        yield opened


class FakeClock:
    """A settable UTC clock for schedules."""

    def __init__(self, now):
        self.now = now

    def __call__(self):
        return self.now


def pytest_terminal_summary(terminalreporter):
    """The tally of hostile inputs the fuzz tests threw (tests/fuzzkit.py), when they ran."""
    import sys

    fuzzkit = sys.modules.get("tests.fuzzkit")
    if fuzzkit is None or not fuzzkit.COUNTS:
        return
    terminalreporter.section("fuzz inputs thrown")
    for kind, count in sorted(fuzzkit.COUNTS.items()):
        terminalreporter.write_line(f"{count:6d}  {kind}")
    terminalreporter.write_line(f"{sum(fuzzkit.COUNTS.values()):6d}  in all")
