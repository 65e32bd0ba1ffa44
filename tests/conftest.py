from __future__ import annotations

import asyncio
import itertools
import logging
import os
import signal
import sqlite3
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pytest
import pytest_asyncio

DATA = Path(__file__).parent / "data"
ROOT = Path(__file__).parent.parent  # the checkout: a bot run as a process must import from here


def akhbar_process(args: list[str], **popen: Any) -> subprocess.Popen[bytes]:
    """`akhbar ARGS` as a process of its own, running this checkout's code, without
    PYTHONUNBUFFERED, as in an operator's shell: its output waits in a buffer.  Its standard
    input is /dev/null unless `stdin` is given."""
    here = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    here["PYTHONPATH"] = str(ROOT)
    command = [sys.executable, "-c", "import sys; from bot.entry import main; sys.exit(main())", *args]  # as the script
    return subprocess.Popen(command, env=here, **{"stdin": subprocess.DEVNULL, **popen})


def bot_env(api_url: str, token: str, tmp_path: Path) -> dict[str, str]:
    """The environment of an `akhbar` process of this checkout talking to Telegram at
    `api_url` with `token`, its SQLite file in `tmp_path`, logging at INFO."""
    return {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
        "TELEGRAM_BOT_TOKEN": token,
        "TELEGRAM_API_URL": api_url,
        "AKHBAR_DB": str(tmp_path / "akhbar.db"),
        "AKHBAR_LOG_LEVEL": "INFO",
    }


def interrupted_midway(args: list[str], started: Callable[[], bool]) -> tuple[int, str]:
    """`akhbar ARGS` as a process, stopped by Ctrl-C at a terminal (SIGINT to its whole process
    group, its worker processes too) as soon as `started()` says it is under way; its exit
    status and what it said on stderr."""
    with akhbar_process(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True) as akhbar:
        deadline = time.monotonic() + 60
        while not started() and akhbar.poll() is None and time.monotonic() < deadline:
            time.sleep(0.02)
        assert akhbar.poll() is None, "finished before it could be interrupted: give it more work"
        os.killpg(akhbar.pid, signal.SIGINT)
        _, err = akhbar.communicate(timeout=60)
        return akhbar.returncode, err.decode()


def stored_articles(db: Path, where: str = "1 = 1") -> int:
    """How many articles of the SQLite file `db` match `where`, read beside a running akhbar
    (read-only: a file not made yet is not made here)."""
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return int(conn.execute(f"SELECT count(*) FROM articles WHERE {where}").fetchone()[0])
    finally:
        conn.close()


def some_stored(db: Path, where: str = "1 = 1") -> Callable[[], bool]:
    """Whether an akhbar process has stored some articles matching `where` in `db` yet (not
    while it is still making the file and its tables)."""

    def under_way() -> bool:
        try:
            return stored_articles(db, where) > 0
        except sqlite3.Error:
            return False

    return under_way


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


@pytest.fixture(autouse=True)
def _root_logger_restored():
    """The root logger as it was before each test: `akhbar` commands run in a test
    (bot.cli.main) set it up to write to that test's captured stderr, closed once it ends."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)  # not `root.level =`: setLevel also clears every logger's cached level


@pytest.fixture
async def db(tmp_path):
    """A fresh SQLite database (for what only SQLite has: its pragmas, its file's faults)."""
    from storage.db import Database

    async with Database(tmp_path / "akhbar.db") as database:
        yield database


# PostgreSQL for the tests: a server and a database the role owns (README, "Tests on
# PostgreSQL"); each test gets a schema of its own in it, dropped afterwards.  .ci/run starts
# a throwaway server and sets this; without it the PostgreSQL cases are skipped, saying why —
# except in CI, where the run fails instead (pytest_sessionstart).
PG_URL = os.environ.get("AKHBAR_TEST_DATABASE_URL")
PG_MISSING = "no PostgreSQL: set AKHBAR_TEST_DATABASE_URL=postgresql://USER@HOST:PORT/DB (README: tests on PostgreSQL)"
ENGINES = ["sqlite", "postgresql"]


def pytest_sessionstart(session):
    if os.environ.get("CI") == "true" and not PG_URL:
        raise pytest.UsageError(f"CI=true but {PG_MISSING}: the PostgreSQL tests must run in CI")


@asynccontextmanager
async def pg_schema():
    """A database URL whose connections all land in a new, empty schema, dropped at the end."""
    import asyncpg

    if not PG_URL:
        pytest.skip(PG_MISSING)
    schema = f"test_{uuid.uuid4().hex[:12]}"
    conn = await asyncpg.connect(PG_URL)
    try:
        await conn.execute(f"CREATE SCHEMA {schema}")
        parts = urlsplit(PG_URL)
        query = "&".join(filter(None, [parts.query, f"search_path={schema}"]))
        yield urlunsplit(parts._replace(query=query))
    finally:
        await conn.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
        await conn.close()


@pytest.fixture
def cli_env(tmp_path, monkeypatch):
    """For a test of the `akhbar` command: in a folder of its own (no stray .env is read), the
    settings that matter unset, the SQLite file there."""
    monkeypatch.chdir(tmp_path)
    for name in ("TELEGRAM_BOT_TOKEN", "AKHBAR_LOG_LEVEL", "AKHBAR_DATABASE_URL", "AKHBAR_TIMEZONE", "AKHBAR_DIGEST_TIME"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AKHBAR_DB", str(tmp_path / "akhbar.db"))
    return tmp_path


@pytest.fixture(params=ENGINES)
async def engine_db(request, tmp_path):
    """A fresh database on each engine in turn: the repositories' contract holds on both."""
    from storage.connect import open_database

    if request.param == "sqlite":
        database = await open_database(None, str(tmp_path / "akhbar.db"))
        try:
            yield database
        finally:
            await database.close()
        return
    async with pg_schema() as url:
        database = await open_database(url, "")
        try:
            yield database
        finally:
            await database.close()


TOKEN = "123456789:TEST-token-for-the-emulator-only"
ADMIN_ID = 9001
FRESH_IDS = 3_000_000_001  # World.fresh_id hands out ids from here
# What a test waits for a bot's first /stats chart (World.ask_stats): a worker process's cold
# start, on a machine that may be busy.
FIRST_CHART_SECONDS = 60


class World:
    """The real bot, polling the emulator, with a database of sample articles."""

    def __init__(self, emu, app, settings):
        self.emu, self.app, self.settings = emu, app, settings
        self._ids = itertools.count(FRESH_IDS)

    @property
    def services(self):
        return self.app.bot_data.services

    async def ask(self, chat_id: int, text: str, user_id: int | None = None, replies: int = 1) -> list[dict]:
        """Send `text` as the user and return the bot's `replies` new messages."""
        before = len(self.emu.messages(chat_id))
        self.emu.send_message(chat_id, user_id or chat_id, text)
        messages = await self.emu.wait_for_messages(chat_id, before + replies, timeout=10)
        return messages[before:]

    async def ask_stats(self, chat_id: int) -> tuple[dict, dict]:
        """/stats from an admin: its figures, as quickly as any reply, then the chart (or the
        note that it could not be drawn).  The bot's first chart starts the drawer's worker
        process (bot/charts.py): a fresh interpreter that imports matplotlib and loads its
        fonts before drawing, about 2 CPU-seconds against 0.7 for a chart after it — 1.8 to
        3.9 s measured at load 4.5 on two cores, and past 10 s at load 4-8."""
        before = len(self.emu.messages(chat_id))
        self.emu.send_message(chat_id, chat_id, "/stats")
        await self.emu.wait_for_messages(chat_id, before + 1, timeout=10)
        figures, chart = (await self.emu.wait_for_messages(chat_id, before + 2, timeout=FIRST_CHART_SECONDS))[before:]
        return figures, chart

    async def press(self, chat_id: int, message: dict, data: str, user_id: int | None = None, replies: int = 1):
        before = len(self.emu.messages(chat_id))
        answered = len(self.emu.callback_answers)
        self.emu.press_button(chat_id, user_id or chat_id, message["message_id"], data)
        # Every button press is answered; its handler may still be at work after that.
        await self.emu.wait_for_requests("answercallbackquery", answered + 1, timeout=10)
        if not replies:
            await self.idle()  # so that "nothing was posted" means it
        messages = await self.emu.wait_for_messages(chat_id, before + replies, timeout=10)
        return messages[before:]

    def fresh_id(self) -> int:
        """A user (and private chat) id this bot has never seen: no stored chat, no flood
        history.  Tests on a shared world take one each instead of a fixed id."""
        return next(self._ids)

    async def idle(self, timeout: float = 10) -> None:
        """Until the bot holds no update: none waiting at the emulator or in its queue, none
        being handled (a reply a handler sends is awaited inside it)."""
        app, loop = self.app, asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while self.emu.pending_updates or not app.update_queue.empty() or app.update_processor.current_concurrent_updates:
            if loop.time() > deadline:
                raise TimeoutError("the bot never went idle")
            await asyncio.sleep(0.005)

    async def handled_everything(self) -> None:
        """Proof that every update sent so far has been handled to the end, for a test that
        then asserts something did *not* happen (no reply, no second reply).

        A fresh reader asks /help and is answered: updates are handed out in order, so each
        one sent before it has been taken and its handler started; then `idle` waits for those
        handlers to finish.  No sleeping on a guess."""
        probe = self.fresh_id()
        await self.ask(probe, "/help")
        await self.idle()

    @property
    def engine(self):
        return self.app.bot_data.digests

    async def article_id(self, title_start: str) -> int:
        for article in await self.services.articles.latest(1000):
            if article.title.startswith(title_start):
                return article.id
        raise LookupError(title_start)


@asynccontextmanager
async def open_world(tmp_path, admins=frozenset({ADMIN_ID}), database_url=None, inline=True, **settings_given):
    """The emulator and the real bot on the demo articles, for as long as the block runs (on
    PostgreSQL at `database_url`, else a SQLite file; `settings_given` over the defaults); with
    `inline`, the bot's inline mode is on (as @BotFather's /setinline turns it on)."""
    from dataclasses import replace

    from bot.app import build_application, running
    from bot.config import load_settings
    from bot.demo import load_demo_articles
    from emulator import BotAPIEmulator

    db_path = tmp_path / "bot.db"
    await load_demo_articles(db_path, database_url=database_url)
    placeholder = "ابحث في الأخبار…" if inline else None
    async with BotAPIEmulator(token=TOKEN, bot_username="akhbar_test_bot", inline_placeholder=placeholder) as emu:
        settings = replace(
            load_settings({}), token=TOKEN, api_url=emu.api_url, db_path=str(db_path), admins=frozenset(admins),
            database_url=database_url, **settings_given,
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
    """A bot of the test's own: a fresh database, its own emulator (faults, clock, limits)."""
    async with open_world(tmp_path) as opened:
        yield opened


@asynccontextmanager
async def open_engine_world(engine: str, tmp_path, **settings_given):
    """`open_world` on SQLite or on PostgreSQL (in a schema of its own)."""
    if engine == "sqlite":
        async with open_world(tmp_path, **settings_given) as opened:
            yield opened
        return
    async with pg_schema() as url, open_world(tmp_path, database_url=url, **settings_given) as opened:
        yield opened


@pytest.fixture(params=ENGINES)
async def engine_world(request, tmp_path):
    """`world` on each engine in turn, for the tests that go through storage end to end."""
    async with open_engine_world(request.param, tmp_path) as opened:
        yield opened


# A module whose tests share one bot (`shared_world`) runs them all in one event loop:
# `pytestmark = SHARED_LOOP` there, and it asks for `fresh_world`, not `world`, when a test
# needs a bot of its own.
SHARED_LOOP = pytest.mark.asyncio(loop_scope="module")


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def shared_world(tmp_path_factory):
    """One bot and emulator for a whole module, for tests that read the demo articles and talk
    from chats of their own (`World.fresh_id`): starting a bot per test costs more than most
    of those tests.  A test that needs a fresh database, faults, a fake clock or a fixed id
    takes `fresh_world`.  Use it through `shared`, which checks each test on its own."""
    async with open_world(tmp_path_factory.mktemp("shared-world")) as opened:
        yield opened


@pytest_asyncio.fixture(scope="module", loop_scope="module", params=ENGINES)
async def shared_world_on_each_engine(request, tmp_path_factory):
    """`shared_world` on SQLite, then on PostgreSQL: a module whose every test should run on
    both defines its `shared_world` as this one."""
    async with open_engine_world(request.param, tmp_path_factory.mktemp("shared-world")) as opened:
        yield opened


@pytest_asyncio.fixture(loop_scope="module")
async def shared(shared_world):
    """The module's shared bot for one test; afterwards, that test's work is finished (no
    handler of it still running into the next test) and Telegram rejected none of it."""
    violations = len(shared_world.emu.violations)
    yield shared_world
    await shared_world.idle()
    assert shared_world.emu.violations[violations:] == [], shared_world.emu.violations[violations:]


@pytest_asyncio.fixture(loop_scope="module")
async def fresh_world(tmp_path):
    """`world` for a test in a SHARED_LOOP module."""
    async with open_world(tmp_path) as opened:
        yield opened


async def until(condition, timeout: float = 10, what: str = "the condition") -> None:
    """Until `condition()` holds: what a test waits for instead of sleeping on a guess."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        if loop.time() > deadline:
            raise TimeoutError(f"{what} did not come within {timeout} s")
        await asyncio.sleep(0.01)


class FakeClock:
    """A settable UTC clock for schedules."""

    def __init__(self, now):
        self.now = now

    def __call__(self):
        return self.now


# The fuzz tallies of the test processes pytest-xdist ran (-n), summed here in the main one.
_WORKERS_COUNTS: dict[str, int] = {}


def _fuzz_counts() -> dict[str, int]:
    import sys

    fuzzkit = sys.modules.get("tests.fuzzkit")
    return dict(fuzzkit.COUNTS) if fuzzkit is not None else {}


def pytest_sessionfinish(session):
    workeroutput = getattr(session.config, "workeroutput", None)
    if workeroutput is not None:  # a worker of pytest-xdist: its tally goes to the main process
        workeroutput["fuzz_counts"] = _fuzz_counts()


@pytest.hookimpl(optionalhook=True)  # (pytest-xdist's hook: absent without it)
def pytest_testnodedown(node, error):
    for kind, count in getattr(node, "workeroutput", {}).get("fuzz_counts", {}).items():
        _WORKERS_COUNTS[kind] = _WORKERS_COUNTS.get(kind, 0) + count


def pytest_terminal_summary(terminalreporter):
    """The tally of hostile inputs the fuzz tests threw (tests/fuzzkit.py), when they ran."""
    counts = _fuzz_counts()
    for kind, count in _WORKERS_COUNTS.items():
        counts[kind] = counts.get(kind, 0) + count
    if not counts:
        return
    terminalreporter.section("fuzz inputs thrown")
    for kind, count in sorted(counts.items()):
        terminalreporter.write_line(f"{count:6d}  {kind}")
    terminalreporter.write_line(f"{sum(counts.values()):6d}  in all")

