"""Inline mode with hostile queries: whatever a reader types after the bot's name (up to the
256 characters a client allows), the bot answers a list Telegram accepts — never an error,
never HTML a reader or a source wrote shown as markup — and changes no chat's settings (see
tests/fuzzkit.py for how)."""

from __future__ import annotations

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from news.services.sharing import SHARE_RESULTS
from tests.fuzzkit import COUNTS, INJECTED, READER_BASE, Outcome, budget, hostile_text, live_bot, scaled_timeout

live = pytest.fixture(scope="module")(live_bot)
pytestmark = [scaled_timeout, pytest.mark.slow]

QUERY_CHARS = 256
CHAT_TYPES = ("sender", "private", "group", "supergroup", "channel")


def _fit(text: str) -> str:
    return text[:QUERY_CHARS]


async def _ask_and_share(live, user: int, text: str, chat_type: str) -> tuple[dict, dict | None]:
    """The inline query, its answer, and its first result sent to another user."""
    emu = live.emu
    query_id = emu.send_inline_query(user, text, chat_type=chat_type)
    answer = await emu.wait_for_inline_answer(query_id, timeout=15)
    await live._settle()
    if not answer["results"]:
        return answer, None
    friend = user + 500_000
    emu.add_user(friend, "Friend")
    return answer, emu.choose_inline_result(query_id, answer["results"][0]["id"], to_user=friend)


@budget(60)
@example(text="", chat_type="group")
@example(text=INJECTED, chat_type="sender")
@example(text="read_" + "9" * 30, chat_type="private")
@example(text="\u202e" * QUERY_CHARS, chat_type="channel")
@given(text=hostile_text(max_pieces=6).map(_fit), chat_type=st.sampled_from(CHAT_TYPES))
def test_any_inline_query_is_answered_with_a_valid_list(live, text, chat_type):
    COUNTS["inline queries"] += 1
    user = live.fresh_user(READER_BASE + 800_000, lang=("ar", "fr", "en", None)[len(text) % 4])
    errors, violations = len(live._errors.records), len(live.emu.violations)
    answer, shared = live.run(_ask_and_share(live, user, text, chat_type))
    Outcome(
        replies=[shared] if shared else [],
        errors=[r.getMessage() for r in live._errors.records[errors:]],
        violations=live.emu.violations[violations:],
        changed={i: v for i, v in live.victims.items() if live.run(live.services.chats.get(i)) != v},
    ).assert_clean()
    assert len(answer["results"]) <= SHARE_RESULTS
    for result in answer["results"]:
        # Titles and descriptions are plain text: a headline's markup is shown, never lost.
        assert result["title"].strip() and result["description"]
