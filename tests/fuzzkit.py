"""Shared machinery of the fuzz tests (tests/test_fuzz_*.py): hostile text, a live bot that
hypothesis can drive one example at a time, and the tally of what was thrown at the bot.

Why a bot in a thread.  Hypothesis wants a synchronous test function that it calls once per
example (and again while shrinking a failure); the bot and the emulator want one event loop
that lives across those calls.  Function-scoped async fixtures give a fresh world per *test*,
not per example, and hypothesis rightly refuses to share them silently.  So a module-scoped
`LiveBot` runs `open_world` (the same emulator and Application as the `world` fixture) in an
event loop on its own thread; each example hands it a coroutine (`run`) and waits for the
result.  Every example is then a real exchange with the real bot, hypothesis shrinks failures
to a minimal input, and the examples of one test share one world: the cross-chat properties
(another chat's settings never change) accumulate over all of them.

Every example is checked (`Outcome.assert_clean`) for: no exception reached the error handler
(its log record, or one from PTB itself), no request the emulator rejected as Telegram would
(`violations`), nothing changed in the victim chats' stored rows, and no well-formed HTML a
reader or a source wrote (INJECTED) obeyed as markup: an underline in what the reader sees
(the bot never underlines; the tags may show as text, or be removed where a field is plain text).

Determinism and cost: `FUZZ` settings derandomize (same examples on every run and in CI), keep
no example database, and bound each test with `budget(max_examples)`; see each test for its
budget, and SCALE below for a longer search.
"""

from __future__ import annotations

import asyncio
import logging
import os
import threading
from collections import Counter
from dataclasses import dataclass, field

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from tests.conftest import open_world

# What every fuzz test threw, by kind: printed at the end of the run (see conftest).
COUNTS: Counter[str] = Counter()

FUZZ = settings(
    derandomize=True,
    database=None,
    deadline=None,
    print_blob=False,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
# AKHBAR_FUZZ_SCALE=10 multiplies every test's examples (a longer search, say nightly); the
# default run stays the same deterministic one, within its time budget.
SCALE = max(1, int(os.environ.get("AKHBAR_FUZZ_SCALE", "1")))


def budget(examples: int) -> settings:
    return settings(FUZZ, max_examples=examples * SCALE)


# A longer search takes longer: each fuzz module marks its tests with this.  (In a group the bot
# may send 20 messages a minute, so at scale the group tests wait for their turn.)
scaled_timeout = pytest.mark.timeout(120 * SCALE)

# --- hostile text ---------------------------------------------------------------------------

# Well-formed HTML: Telegram would accept it, so only its shape in a reply shows whether the bot
# escaped it (the text "<u>ⓘⓝⓙ</u>") or let it through (an underlined ⓘⓝⓙ).
MARK = "ⓘⓝⓙ"
INJECTED = f"<u>{MARK}</u>"
BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff\u00ad"
CONTROLS = "\x00\x01\x07\x08\x0b\x0c\x1b\x1f\x7f\x85\u2028\u2029\r\t"
FRAGMENTS = (
    # HTML that Telegram would parse, or refuse, if it reached a message unescaped.
    "<b>", "</i>", "<i><b>x</i></b>", "&amp;", "&#0;", "&#x110000;", "&lt;", "&", "<", ">",
    '<a href="javascript:alert(1)">x</a>', "<tg-spoiler>", "<pre><code class=\"x\">", "<br>", INJECTED,
    '"', "'", '" onmouseover="x',
    # Markdown, should anything ever use it.
    "*bold*", "_it_", "`code`", "```", "[x](http://e.x)", "~~", "||spoiler||", "\\",
    # SQL and FTS5 syntax.
    "'; DROP TABLE articles; --", "\" OR 1=1 --", "*", "NEAR(", "NEAR(a b, 3)", " AND ", " OR ",
    " NOT ", "-", ":", "^", "title_words:", "{title_words body_words} :", "(", ")", "\"\"", "%", "_",
    # The search's own operators, and a tsquery's.
    "|", " أو ", " ou ", " -", "-«", " -\"", "<->", "!", ":*",
    # Format strings, in case a value reaches .format twice.
    "{name}", "{0}", "%s", "{", "}",
    # Emoji: ZWJ sequences, flags, skin tones, keycaps, presentation selectors.
    "👨\u200d👩\u200d👧\u200d👦", "🇩🇿", "🏳\ufe0f\u200d🌈", "👍🏽", "1\ufe0f\u20e3", "📰", "🧕🏾",
    # Arabic: letters with harakat and shadda, tatweel, digits, a ligature NFKC makes 18 long.
    "الجزائر", "وهران", "اقتصاد", "رياضة", "مُحَمَّد", "ـــ", "٠١٢٣٤٥٦٧٨٩", "۱۲", "ﷺ", "ﷻ", "لا",
    # Other scripts and traps: combining marks, NFKC digits, a replacement char, bot mentions.
    "e\u0301\u0301\u0301", "𝟏𝟐", "Ⅻ", "½", "\ufffd", "ß", "İ", "/read_1", "/start", "@akhbar_test_bot",
    "http://", "https://example.com/a?b=<c>&d", "http://[", "tg://user?id=1", "#", "٫", "،",
)
NUMBERS = (
    "0", "1", "-1", "12", "99", "999999999999", "99999999999999999999", "9" * 40, "١٢", "٠", "#12",
    "1e9", "0x10", "1.5", "𝟏", "²", "00000000000000000000001", "\u0661\u0662\u0663\u0664\u0665\u0666\u0667\u0668\u0669\u0660" * 3,
)
TIMES = ("07:30", "7", "24:00", "23:59", "٠٧:٣٠", "7h30", "7.30", "12:60", "99:99", "-1:00", "۰۷:۳۰", "7 : 30")
NAMES = (
    "sport", "sports", "رياضة", "économie", "Africa/Algiers", "africa/algiers", "Europe/Paris",
    "../../etc/passwd", "UTC", "Mars/Olympus", "وهران", "Oran", "31", "٣١", "0", "69", "70", "ولاية",
    "ar", "fr", "en", "AR", "de", "all",
)

_CHARS = st.characters(exclude_categories=("Cs",))  # Telegram text is valid Unicode
_PIECE = st.one_of(
    st.sampled_from(FRAGMENTS),
    st.sampled_from(BIDI + INVISIBLE + CONTROLS),
    st.sampled_from(NUMBERS + TIMES + NAMES),
    st.text(_CHARS, min_size=1, max_size=8),
    st.sampled_from((" ", "  ", "\n", "\n\n", "\u00a0", "\u3000")),
)


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def fit(text: str, units: int) -> str:
    """`text` cut to at most `units` UTF-16 units, never inside a surrogate pair."""
    while utf16_len(text) > units:
        text = text[: len(text) - max(1, (utf16_len(text) - units) // 2)]
    return text

_SURE_FRAGMENT = st.sampled_from(FRAGMENTS + (INJECTED,) * 8)


@st.composite
def hostile_text(draw, max_pieces: int = 12) -> str:
    """A mix of the fragments above and arbitrary Unicode, sometimes repeated far past a
    message's 4096 units.  Each holds at least one fragment (often the well-formed INJECTED):
    left to itself, hypothesis spends a small budget on mutating a few early examples."""
    pieces = draw(st.lists(_PIECE, max_size=max_pieces))
    pieces.insert(draw(st.integers(0, len(pieces))), draw(_SURE_FRAGMENT))
    text = "".join(pieces)
    if draw(st.integers(0, 7)) == 0:  # one in eight: a very long one
        text = text * (5000 // len(text) + 1)
    return text


# A Telegram first name: 1 to 64 characters, as hostile as the rest.
names = hostile_text(max_pieces=4).map(lambda name: fit(name, 64))


def telegram_text(text: str) -> str:
    """What a reader can actually send: at most 4096 units, never empty nor only spaces."""
    text = fit(text, 4096)
    return text if text.strip() else "."


# --- the live bot ----------------------------------------------------------------------------


class _ErrorLog(logging.Handler):
    """ERROR records of the error handler (bot.handlers.errors) and of PTB itself (an
    exception in the error handler, or with no handler at all)."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


_WATCHED_LOGGERS = ("bot.handlers.errors", "telegram.ext")


@dataclass
class Outcome:
    replies: list[dict] = field(default_factory=list)  # the bot's new messages in the chat
    answers: list[dict] = field(default_factory=list)  # answerCallbackQuery calls
    errors: list[str] = field(default_factory=list)
    violations: list[dict] = field(default_factory=list)
    changed: dict[int, tuple] = field(default_factory=dict)  # victim id -> (before, after)

    def assert_clean(self) -> None:
        assert not self.errors, self.errors
        assert not self.violations, self.violations
        assert not self.changed, f"another chat's stored data changed: {self.changed}"
        for reply in self.replies:  # text as the reader sees it, after Telegram parsed the HTML
            # The bot never underlines: an underline is injected markup that Telegram obeyed.  (A
            # bare MARK is fine: a headline's tags are removed at ingestion, titles being plain text.)
            underlined = [e for e in reply.get("entities") or [] if e["type"] == "underline"]
            assert not underlined, f"unescaped HTML reached a reply: {reply['text']!r}"


class LiveBot:
    """`open_world` on a thread of its own, driven one example at a time (see module doc)."""

    def __init__(self, tmp_path, admins) -> None:
        self._tmp_path, self._admins = tmp_path, admins
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="fuzz-bot", daemon=True)
        self._errors = _ErrorLog()
        self.victims: dict[int, object] = {}
        self._next_user = 0

    def __enter__(self) -> LiveBot:
        self._thread.start()
        self._opened = open_world(self._tmp_path, self._admins)
        self.world = self.run(self._opened.__aenter__())
        for name in _WATCHED_LOGGERS:
            logging.getLogger(name).addHandler(self._errors)
        return self

    def __exit__(self, *exc_info) -> None:
        for name in _WATCHED_LOGGERS:
            logging.getLogger(name).removeHandler(self._errors)
        try:
            self.run(self._opened.__aexit__(None, None, None), timeout=60)
        finally:
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(10)
            self._loop.close()

    @property
    def emu(self):
        return self.world.emu

    @property
    def services(self):
        return self.world.services

    def run(self, coro, timeout: float = 150):
        return asyncio.run_coroutine_threadsafe(coro, self._loop).result(timeout)

    def fresh_user(self, base: int, lang: str | None = "ar", name: str = "") -> int:
        """A user never seen before (so flood control never sees one reader twice)."""
        self._next_user += 1
        user_id = base + self._next_user
        self.emu.add_user(user_id, first_name=name or f"Fuzz {user_id}", language_code=lang)
        return user_id

    # --- victims: chats whose stored rows no example may change ---------------------------

    async def _rows(self) -> dict[int, object]:
        return {chat_id: await self.services.chats.get(chat_id) for chat_id in self.victims}

    def protect(self, *chat_ids: int) -> None:
        self.victims.update(dict.fromkeys(chat_ids))
        self.victims.update(self.run(self._rows()))

    # --- one example --------------------------------------------------------------------

    async def _settle(self, quiet: float = 0.03, timeout: float = 100) -> None:
        """Until no update is waiting and no handler is running, for `quiet` seconds."""
        app, loop = self.world.app, asyncio.get_running_loop()
        deadline, calm_since = loop.time() + timeout, None
        while loop.time() < deadline:
            busy = (
                self.emu.pending_updates
                or not app.update_queue.empty()
                or app.update_processor.current_concurrent_updates
            )
            if busy:
                calm_since = None
            elif calm_since is None:
                calm_since = loop.time()
            elif loop.time() - calm_since >= quiet:
                return
            await asyncio.sleep(0.005)
        raise TimeoutError("the bot never went idle")

    async def _exchange(self, chat_id: int, act, wait) -> Outcome:
        emu = self.emu
        before = len(emu.messages(chat_id))
        answered = len(emu.callback_answers)
        errors, violations = len(self._errors.records), len(emu.violations)
        act()
        if wait == "reply":
            await emu.wait_for_messages(chat_id, before + 1, timeout=15)
        elif wait == "answer":
            await emu.wait_for_requests("answercallbackquery", answered + 1, timeout=15)
        await self._settle()
        after = await self._rows()
        outcome = Outcome(
            replies=emu.messages(chat_id)[before:],
            answers=emu.callback_answers[answered:],
            errors=[f"{r.getMessage()}: {r.exc_info[1]!r}" if r.exc_info else r.getMessage()
                    for r in self._errors.records[errors:]],
            violations=emu.violations[violations:],
            changed={i: (self.victims[i], after[i]) for i in self.victims if after[i] != self.victims[i]},
        )
        # A failing example must not fail the ones hypothesis tries after it (shrinking).
        self.victims.update(after)
        return outcome

    def say(self, chat_id: int, user_id: int, text: str, wait: str | None = "reply") -> Outcome:
        """`user_id` writes `text` in the chat; by default at least one reply is required."""
        return self.run(self._exchange(chat_id, lambda: self.emu.send_message(chat_id, user_id, text), wait))

    def edit(self, chat_id: int, user_id: int, first: str, text: str, wait: str | None = "reply") -> Outcome:
        """`user_id` writes `first` in the chat and, once the bot is done with it, edits it into
        `text` (an edited_message update): what the edit brought."""
        message_id = self.emu.send_message(chat_id, user_id, first)["message_id"]
        self.run(self._settle())
        return self.run(self._exchange(chat_id, lambda: self.emu.edit_message(chat_id, message_id, text), wait))

    def press(self, chat_id: int, user_id: int, message_id: int, data: str) -> Outcome:
        """`user_id` presses a button with `data` (forged: no such button need exist); every
        press must be answered."""
        act = lambda: self.emu.press_button(chat_id, user_id, message_id, data, strict=False)  # noqa: E731
        return self.run(self._exchange(chat_id, act, "answer"))


# --- a world with victims -------------------------------------------------------------------

ADMIN_BASE = 500_000  # ids from here on are the bot's admins: fresh admins, no flood control
ADMINS = frozenset(range(ADMIN_BASE, ADMIN_BASE + 100_000))
READER_BASE = 1_000_000  # fresh readers, not admins
VICTIM = 7001  # a private chat with every setting changed from the defaults
VICTIM_GROUPS = tuple(-100 - i for i in range(8))
# Each group's own admin (not a bot admin): one each, so that flood control never sees one
# person configuring them all.
GROUP_ADMINS = {group: 7100 - group for group in VICTIM_GROUPS}


async def _configure(bot: LiveBot, chat_id: int, user_id: int) -> None:
    """Settings nobody else should be able to change, set the way a reader sets them."""
    world = bot.world
    for command in ("/start", "/subscribe", "/settime 05:45", "/timezone Africa/Tunis", "/lang en"):
        await world.ask(chat_id, command, user_id=user_id)
    await world.services.chats.set_topics(chat_id, ("economy", "sports"))
    await world.services.chats.set_empty_note(chat_id, True)


def victim_world(tmp_path) -> LiveBot:
    """The live bot with a configured private chat and eight configured groups (each with its
    admin in GROUP_ADMINS), all protected: every example checks their rows did not change."""
    bot = LiveBot(tmp_path, ADMINS).__enter__()
    try:
        bot.emu.add_user(VICTIM, first_name="Victim", language_code="ar")
        bot.run(_configure(bot, VICTIM, VICTIM))
        for group in VICTIM_GROUPS:
            bot.emu.add_user(GROUP_ADMINS[group], first_name="Group admin", language_code="fr")
            bot.emu.add_group(group, title=f"Group {group}", admins=[GROUP_ADMINS[group]])
            bot.run(_configure(bot, group, GROUP_ADMINS[group]))
        bot.protect(VICTIM, *VICTIM_GROUPS)
    except BaseException:
        bot.__exit__(None, None, None)
        raise
    return bot


def live_bot(tmp_path_factory):
    """The body of each fuzz module's `live` fixture (module-scoped: one world per module):
    `live = pytest.fixture(scope="module")(live_bot)`."""
    bot = victim_world(tmp_path_factory.mktemp("fuzz"))
    try:
        yield bot
    finally:
        bot.__exit__(None, None, None)
