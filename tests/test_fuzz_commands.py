"""Every command, with hostile arguments, from readers and admins, in private chats and groups:
the bot answers or deliberately ignores, never crashes, never sends Telegram an invalid
message, never changes another chat's settings (see tests/fuzzkit.py for how)."""

from __future__ import annotations

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from tests.fuzzkit import (
    ADMIN_BASE,
    COUNTS,
    NAMES,
    NUMBERS,
    READER_BASE,
    TIMES,
    VICTIM_GROUPS,
    budget,
    hostile_text,
    live_bot,
    names,
    scaled_timeout,
    telegram_text,
)

live = pytest.fixture(scope="module")(live_bot)
pytestmark = scaled_timeout

READER_COMMANDS = (
    "start", "help", "latest", "read", "search", "wilaya", "topics", "topic", "subscribe", "unsubscribe",
    "stop", "settime", "timezone", "mytopics", "digest", "settings", "lang",
)
ADMIN_COMMANDS = (
    "addsource", "sources", "removesource", "pausesource", "resumesource", "post", "hide", "unhide",
    "settopic", "pin", "stats",
)
COMMANDS = READER_COMMANDS + ADMIN_COMMANDS
MENTIONS = ("",) * 5 + ("@akhbar_test_bot", "@AKHBAR_test_BOT", "@other_bot")
SEPARATORS = (" ", " ", "\n", "  ", "\t", "\u00a0")

_words = st.sampled_from(NUMBERS + TIMES + NAMES)
# Ids: the edges of SQLite's 64-bit integers, and digits that are not ASCII.
IDS = (
    "1", "12", "0", "-1", "#12", "١٢", "𝟏𝟐", "999999999999", "9223372036854775807", "9223372036854775808",
    "99999999999999999999", "9" * 40, "00000000000000000000001", "1e9",
)
_numbers = st.one_of(st.sampled_from(IDS), st.sampled_from(IDS), st.sampled_from(NUMBERS), st.integers(-(2**70), 2**70).map(str))
_topics = st.sampled_from(("sports", "رياضة", "économie", "ECONOMY", "all", "nosuch", "sport s"))
URLS = (
    "https://example.com/feed", "http://[", "http://[::1", "https://[::1]:80/x", "http://", "javascript:alert(1)",
    "data:text/html,<b>", "ftp://e.com", "https://e.com:99999/", "https://user:pw@e.com/", "HTTPS://E.COM/RSS",
    "https://موقع.dz/rss", "https://e.com/?q=<b>&x=\"", "//e.com", "https:e.com", "http://e.com/\u202eexe.rss",
)
_urls = st.one_of(
    st.sampled_from(URLS),
    # Long enough that a reply quoting it would not fit in one message.
    st.builds(lambda path, n: "https://e.com/" + path * n, st.sampled_from(("a", "ب", "😀", "%2F")), st.sampled_from((1, 100, 3000, 4050, 4100))),
)


def _then(*parts):
    """Arguments made of these parts, separated by spaces, each sometimes left out."""
    return st.tuples(*parts).map(lambda words: " ".join(w for w in words if w))


_hostile_short = hostile_text(max_pieces=3)
# What each command expects, bent: the right shape with wrong values, or the wrong shape.
SHAPES = {
    **dict.fromkeys(("read", "removesource", "pausesource", "resumesource", "hide", "unhide", "pin"), _numbers),
    "latest": _numbers,
    "settopic": st.one_of(_then(_numbers, _topics), _then(_numbers, _hostile_short)),
    "addsource": _then(_urls, st.one_of(st.just(""), _topics, _hostile_short)),
    "settime": st.one_of(st.sampled_from(TIMES), _then(_numbers, _words)),
    "post": st.lists(st.one_of(hostile_text(max_pieces=4), _urls), min_size=1, max_size=4).map("\n".join),
}
_generic = st.one_of(
    st.just(""),
    hostile_text(),
    st.lists(st.one_of(_words, _hostile_short), min_size=1, max_size=3).map(" ".join),
)


SHAPES["search"] = _generic


def _arguments(name: str):
    shaped = SHAPES.get(name)
    return st.one_of(shaped, shaped, shaped, _generic) if shaped is not None else _generic


KINDS = (*COMMANDS, "read_", "unknown", "text")


@st.composite
def command_messages(draw, kind: str) -> str:
    """/command[@bot] arguments — or /read_N, an unknown command, or no command at all."""
    if kind == "text":
        return telegram_text(draw(_generic))
    if kind == "read_":
        name = "read_" + draw(st.sampled_from(NUMBERS[:8] + ("١", "𝟏𝟐", "")))
    elif kind == "unknown":
        name = draw(st.sampled_from(("nosuch", "Start", "latest_", "a" * 32, "_")))
    else:
        name = kind
    arguments = draw(_arguments(name))
    mention = draw(st.sampled_from(MENTIONS))
    separator = draw(st.sampled_from(SEPARATORS))
    return telegram_text(f"/{name}{mention}{separator}{arguments}" if arguments else f"/{name}{mention}")


# Each command gets its own search (a parameter each), rather than one search choosing the
# command: hypothesis then spends its examples on every command's arguments, most where the
# arguments mean most (commands that ignore theirs get few).
BUDGET = {
    **dict.fromkeys(KINDS, 8),
    **dict.fromkeys(("settopic", "addsource", "post", "search"), 40),
    **dict.fromkeys(("read", "latest", "settime", "timezone", "topic", "wilaya", "lang", "text"), 30),
    **dict.fromkeys(("removesource", "pausesource", "resumesource", "hide", "unhide", "pin", "read_"), 16),
}


@pytest.mark.slow
@pytest.mark.parametrize("kind", KINDS)
def test_any_command_in_a_private_chat_is_answered_without_error(live, kind):
    # Admin commands mostly from admins (the refusal for anyone else is one short path).
    as_admin = st.sampled_from((True, True, True, False) if kind in ADMIN_COMMANDS else (True, False))

    @budget(BUDGET[kind])
    @given(
        text=command_messages(kind),
        lang=st.sampled_from(("ar", "fr", "en", None, "zz-ZZ")),
        as_admin=as_admin,
        name=names,  # /start greets the reader by it
    )
    def check(text, lang, as_admin, name):
        user = live.fresh_user(ADMIN_BASE if as_admin else READER_BASE, lang, name)
        COUNTS[f"commands × arguments, private chat ({len(KINDS)} kinds: commands, /read_N, unknown, text)"] += 1
        outcome = live.say(user, user, text)
        outcome.assert_clean()
        assert outcome.replies  # a private chat always gets an answer, if only "unknown command"

    check()


GROUP_EXAMPLES = 40
_GROUP_COUNT = "commands × arguments, in a group by a non-admin member"


@pytest.mark.slow
@budget(GROUP_EXAMPLES)
@example(text="/read_0@other_bot")  # found by this test: the /read_ID shortcut took any bot's name
@given(text=st.sampled_from(KINDS).flatmap(command_messages))
def test_any_command_in_a_group_from_a_member_changes_nothing(live, text):
    """A member who is not the group's admin: the group's settings stay as its admin set them,
    and what is not for the bot — plain text, a command addressed to another bot — is ignored."""
    COUNTS[_GROUP_COUNT] += 1
    group = VICTIM_GROUPS[COUNTS[_GROUP_COUNT] % len(VICTIM_GROUPS)]
    outcome = live.say(group, live.fresh_user(READER_BASE), text, wait=None)
    outcome.assert_clean()
    if not text.startswith("/") or text.split()[0].endswith("@other_bot"):
        assert outcome.replies == []


EDIT_EXAMPLES = 60
_EDIT_COUNT = "commands × arguments, as an edit of an earlier message (private chat, group)"


@pytest.mark.slow
@budget(EDIT_EXAMPLES)
@given(text=st.sampled_from(KINDS).flatmap(command_messages), in_group=st.booleans())
def test_any_command_made_by_editing_a_message_is_handled_as_a_new_one(live, text, in_group):
    """An earlier message edited into a command (an edited_message update): in a private chat
    answered, in a group by a member changing nothing; never an error."""
    COUNTS[_EDIT_COUNT] += 1
    user = live.fresh_user(READER_BASE)
    chat = VICTIM_GROUPS[COUNTS[_EDIT_COUNT] % len(VICTIM_GROUPS)] if in_group else user
    outcome = live.edit(chat, user, "صباح الخير", text, wait=None if in_group else "reply")
    outcome.assert_clean()
    if in_group and (not text.startswith("/") or text.split()[0].endswith("@other_bot")):
        assert outcome.replies == []


# What the fuzzing found (or a probe with the same harness), kept as plain examples.
REGRESSIONS = (
    "/addsource https://e.com/" + "a" * 4050,  # the reply quoting it was longer than 4096
    "/addsource https://e.com/" + "😀" * 2040,  # under 4096 characters, over 4096 UTF-16 units
    "/addsource http://[",  # urlsplit's ValueError ("Invalid IPv6 URL") reached the error handler
    "/addsource http://[::1 sports",
    "/settopic 99999999999999999999 sports",  # OverflowError: too large for an SQLite INTEGER
    "/settopic 9223372036854775808 رياضة",
)


@pytest.mark.parametrize("text", REGRESSIONS, ids=lambda text: text[:30])
def test_regressions_from_fuzzing(live, text):
    user = live.fresh_user(ADMIN_BASE, "en")
    outcome = live.say(user, user, text)
    outcome.assert_clean()
    assert "went wrong" not in outcome.replies[0]["text"]


def test_sources_list_fits_with_a_long_feed_title_and_link(live):
    """/sources once quoted each source's title and link whole: one long one made an item no
    message could hold (ValueError from paginate)."""
    from datetime import UTC, datetime

    async def add_long_source():
        svc = live.services
        source = await svc.sources.add("https://e.com/" + "ب" * 2000, default_topic=None, first_poll=datetime.now(UTC))
        now = datetime.now(UTC)
        await svc.sources.record_success(
            source.id, now=now, next_poll_at=now, etag=None, last_modified=None, title="عنوان طويل " * 900
        )

    live.run(add_long_source())
    user = live.fresh_user(ADMIN_BASE, "ar")
    outcome = live.say(user, user, "/sources")
    outcome.assert_clean()
