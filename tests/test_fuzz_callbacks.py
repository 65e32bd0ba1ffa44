"""Button presses nobody should be able to make count: forged callback data, stale buttons
(for articles hidden since, from before a restart), and another chat's buttons.  Every press is
answered, nothing reaches the error handler, Telegram is never sent an invalid request, and no
other chat's stored settings change (see tests/fuzzkit.py)."""

from __future__ import annotations

import re

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from news.articles import make_article
from news.search import parse_query
from tests.fuzzkit import (
    COUNTS,
    GROUP_ADMINS,
    READER_BASE,
    VICTIM_GROUPS,
    budget,
    hostile_text,
    live_bot,
    scaled_timeout,
)

live = pytest.fixture(scope="module")(live_bot)
pytestmark = scaled_timeout

# Real data of every kind of button the bot makes, and prefixes to bend.
REAL = (
    "subscribe", "latest", "lang:ar", "lang:fr", "lang:en", "tz:Africa/Tunis", "tz:Asia/Dubai", "mt:all",
    "mt:sports", "mt:economy", "mt:+sports", "mt:-economy", "empty:on", "empty:off", "topic:sports", "search:1:8", "tz:other", "st:07:00", "st:21:00",
)
BENT = (
    "lang:de", "lang:", "tz:../../etc/passwd", "tz:" + "A" * 40, "tz:Mars/Olympus", "tz:UTC", "mt:nosuch",
    "mt:", "mt:ALL", "empty:maybe", "topic:nosuch", "topic:", "search:0:0", "search:999999999:999999",
    "search:٣:٨", "search:1:-8", "search:1", "search::", "latest ", " subscribe", "subscribe\n", "",
    "st:25:99", "st:99:00", "st:", "st:٠٧:٠٠", "st:07:00 19:00",
    # What JSON can carry and text cannot: lone surrogates.
    "tz:\ud800", "mt:\udfff", "search:\ud83d:8", "\ud800",
)
PREFIXES = ("search:", "search:1:", "tz:", "st:", "mt:", "lang:", "topic:", "empty:", "subscribe", "latest")


def fit_bytes(data: str, size: int = 64) -> str:
    """Callback data as Telegram carries it: at most 64 bytes of UTF-8."""
    while len(data.encode("utf-8", "surrogatepass")) > size:
        data = data[:-1]
    return data or "x"


forged_data = st.one_of(
    st.sampled_from(REAL + BENT),
    st.tuples(st.sampled_from(PREFIXES), hostile_text(max_pieces=3)).map("".join),
    hostile_text(max_pieces=4),
    st.binary(min_size=1, max_size=64).map(lambda raw: raw.decode("latin-1")),
).map(fit_bytes)


# --- forged -----------------------------------------------------------------------------------

_ATTACKERS = 64  # readers taking turns, so flood control never sees one press too often
_welcomes: dict[int, dict] = {}


def _attacker(live, n: int) -> tuple[int, dict]:
    """The n-th reader of the pool and a message of theirs with buttons (/start's welcome)."""
    user = READER_BASE + 900_000 + n % _ATTACKERS
    if user not in _welcomes:
        live.emu.add_user(user, first_name="Attacker", language_code=("ar", "fr", "en")[n % 3])
        _welcomes[user] = live.say(user, user, "/start").replies[-1]
    return user, _welcomes[user]


FORGED_EXAMPLES = 150


@pytest.mark.slow
@budget(FORGED_EXAMPLES)
@given(data=forged_data)
def test_forged_callback_data_is_answered_and_changes_no_other_chat(live, data):
    COUNTS["callback data: forged (own chat)"] += 1
    user, message = _attacker(live, COUNTS["callback data: forged (own chat)"])
    outcome = live.press(user, user, message["message_id"], data)
    outcome.assert_clean()
    assert len(outcome.answers) == 1


# --- from another chat -------------------------------------------------------------------------

_group_buttons: dict[int, list[int]] = {}


def _group_messages(live, group: int) -> list[int]:
    """The group's /mytopics and /settings messages, as its admin asked for them."""
    if group not in _group_buttons:
        admin = GROUP_ADMINS[group]
        _group_buttons[group] = [
            live.say(group, admin, command).replies[-1]["message_id"] for command in ("/mytopics", "/settings")
        ]
    return _group_buttons[group]


CROSS_EXAMPLES = 60


@pytest.mark.slow
@budget(CROSS_EXAMPLES)
# Found by this test: the zone button answered the press, then _allowed answered it again with
# its alert; Telegram refuses a second answer, and the error handler apologized to the group.
@example(data="tz:Africa/Tunis", which=1, presser="member")
@given(
    data=st.one_of(st.sampled_from(REAL), forged_data),
    which=st.sampled_from((0, 1)),
    presser=st.sampled_from(("member", "member", "member", "admin elsewhere")),
)
def test_another_chats_buttons_change_nothing_there(live, data, which, presser):
    """Group B's /mytopics and /settings buttons pressed by someone who is not B's admin (a
    member, or the admin of group A): B's topics, empty-day note, zone, language and
    subscription stay as B's admin set them."""
    COUNTS["callback data: another chat's buttons (group, by a non-admin)"] += 1
    n = COUNTS["callback data: another chat's buttons (group, by a non-admin)"]
    group = VICTIM_GROUPS[n % len(VICTIM_GROUPS)]
    message_id = _group_messages(live, group)[which]
    user = live.fresh_user(READER_BASE)
    if presser == "admin elsewhere":
        live.emu.add_group(-200_000 - user, title="Their own group", admins=[user])
    outcome = live.press(group, user, message_id, data)
    outcome.assert_clean()
    assert len(outcome.answers) == 1


def test_a_search_button_from_another_chat_shows_nothing_of_its_search(live):
    """search:KEY:8 from chat B, pressed in chat A: A is told it expired, B's query stays B's."""
    victim = live.fresh_user(READER_BASE)
    _add_search_fodder(live)
    button = _more_button(live.say(victim, victim, f"/search {FODDER}").replies)
    attacker, message = _attacker(live, 1)
    COUNTS["callback data: another chat's buttons (search key)"] += 1
    outcome = live.press(attacker, attacker, message["message_id"], button)
    outcome.assert_clean()
    assert outcome.replies == []


# --- stale -------------------------------------------------------------------------------------

FODDER = "مختبرية"  # a word in enough articles for a second page of results
_READ = re.compile(r"/read_(\d+)")


def _add_search_fodder(live) -> None:
    async def add():
        if await live.services.articles.search(parse_query(f'"{FODDER}"'), 1, 0):
            return
        await live.services.ingestor.add_many(
            [make_article(title=f"{FODDER} {i} {word}", body=f"نص {FODDER} رقم {i}", source=f"مصدر {i}")
             for i, word in enumerate(("قمح", "نفط", "مطر", "بحر", "جبل", "سهل", "نهر", "ثلج", "رمل", "غاز",
                                       "ملح", "حديد", "ذهب", "فضة", "نحاس", "قطن", "شعير", "زيت"))]
        )

    live.run(add())


def _more_button(replies: list[dict]) -> str:
    markup = replies[-1]["reply_markup"]
    return markup["inline_keyboard"][0][0]["callback_data"]


STALE_EXAMPLES = 30


@pytest.mark.slow
@budget(STALE_EXAMPLES)
@given(
    hide=st.sets(st.integers(0, 17), max_size=18),
    restart=st.booleans(),
    again=st.booleans(),
)
def test_stale_search_buttons_never_show_hidden_articles(live, hide, restart, again):
    """A "more results" button pressed after articles were hidden, after a restart (what the
    process remembered of the chat gone; the search itself is kept in the database), or twice:
    answered, and no hidden article shows up — neither in the results nor when its /read_ID
    is typed."""
    _add_search_fodder(live)
    reader = live.fresh_user(READER_BASE)
    first = live.say(reader, reader, f"/search {FODDER}").replies
    button = _more_button(first)
    shown = sorted({int(i) for r in first for i in _READ.findall(r["text"])})
    fodder = live.run(_fodder_ids(live))
    hidden = {fodder[i] for i in hide}
    COUNTS["callback data: stale (articles hidden since, restart, pressed twice)"] += 1 + again

    async def set_hidden(value: bool):
        for article_id in hidden:
            await live.services.articles.set_hidden(article_id, value)
        if restart and value:
            live.world.app.drop_chat_data(reader)

    live.run(set_hidden(True))
    try:
        for _ in range(1 + again):
            outcome = live.press(reader, reader, first[-1]["message_id"], button)
            outcome.assert_clean()
            assert len(outcome.answers) == 1
            listed = {int(i) for r in outcome.replies for i in _READ.findall(r["text"])}
            assert not listed & hidden, f"hidden articles listed: {listed & hidden}"
            if restart:
                assert outcome.replies  # the search outlives the process: a page, or "nothing more"
        for article_id in sorted(hidden & set(shown))[:2]:
            COUNTS["commands: /read_ID of an article hidden since it was listed"] += 1
            outcome = live.say(reader, reader, f"/read_{article_id}")
            outcome.assert_clean()
            assert FODDER not in outcome.replies[0]["text"]
    finally:
        live.run(set_hidden(False))


async def _fodder_ids(live) -> list[int]:
    return sorted(a.id for a in await live.services.articles.latest(1000) if a.title.startswith(FODDER))
