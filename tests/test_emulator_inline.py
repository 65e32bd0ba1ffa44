"""Inline mode in the emulator (emulator/inline.py): inline queries from users, answers checked
as strictly as Telegram checks them, and a chosen result sent into a chat.

Through real HTTP, encoded as python-telegram-bot encodes it, and once through a real
``telegram.Bot``.
"""

from __future__ import annotations

import json

import aiohttp
import pytest
import pytest_asyncio

from emulator import BotAPIEmulator

TOKEN = "123456:TEST-token"
USER = 1001
FRIEND = 1002
GROUP = -100123
TOO_OLD = "Bad Request: query is too old and response timeout expired or query ID is invalid"


class FakeClock:
    def __init__(self, t: float = 1000.0) -> None:
        self.t = t

    def __call__(self) -> float:
        return self.t


@pytest.fixture
def clock():
    return FakeClock()


@pytest_asyncio.fixture
async def emu(clock):
    async with BotAPIEmulator(token=TOKEN, clock=clock, inline_placeholder="ابحث في الأخبار…") as emulator:
        emulator.add_user(USER, "Amina", "ar")
        emulator.add_user(FRIEND, "Karim", "fr")
        emulator.add_group(GROUP, "أخبار", members=[USER])
        yield emulator


@pytest_asyncio.fixture
async def http():
    async with aiohttp.ClientSession() as session:
        yield session


async def call(session, emulator, method, **params):
    """POST like PTB does: form-encoded, non-strings JSON-encoded. Returns (status, body)."""
    data = {k: v if isinstance(v, str) else json.dumps(v) for k, v in params.items()}
    async with session.post(f"{emulator.api_url}/bot{TOKEN}/{method}", data=data) as resp:
        return resp.status, await resp.json()


def article(result_id="1", text="<b>سوناطراك</b> توقع اتفاقا", **fields):
    return {
        "type": "article", "id": result_id, "title": "سوناطراك توقع اتفاقا",
        "input_message_content": {"message_text": text, "parse_mode": "HTML"}, **fields,
    }


async def answer(http, emu, query_id, results, **params):
    status, body = await call(http, emu, "answerInlineQuery", inline_query_id=query_id, results=results, **params)
    return status, body.get("description", body.get("result"))


@pytest.mark.asyncio
async def test_an_inline_query_is_an_update_and_getme_says_inline_is_on(emu, http):
    assert (await call(http, emu, "getMe"))[1]["result"]["supports_inline_queries"] is True
    query_id = emu.send_inline_query(USER, "سوناطراك", chat_type="group")
    [update] = emu.pending_updates
    query = update["inline_query"]
    assert query == {"id": query_id, "from": query["from"], "query": "سوناطراك", "offset": "", "chat_type": "group"}
    assert query["from"]["id"] == USER and query["from"]["language_code"] == "ar"
    with pytest.raises(ValueError, match="256"):
        emu.send_inline_query(USER, "x" * 257)  # a client lets nobody type more
    with pytest.raises(ValueError, match="chat_type"):
        emu.send_inline_query(USER, "x", chat_type="forum")


@pytest.mark.asyncio
async def test_inline_mode_off_means_no_inline_queries():
    async with BotAPIEmulator(token=TOKEN) as emu, aiohttp.ClientSession() as http:
        assert (await call(http, emu, "getMe"))[1]["result"]["supports_inline_queries"] is False
        with pytest.raises(ValueError, match="inline mode is off"):
            emu.send_inline_query(USER, "x")


@pytest.mark.asyncio
async def test_an_answer_is_kept_and_only_one_is_accepted(emu, http):
    query_id = emu.send_inline_query(USER, "سوناطراك")
    assert emu.inline_answer(query_id) is None
    assert await answer(http, emu, query_id, [article()], cache_time=30, is_personal=True, next_offset="8") == (200, True)
    kept = await emu.wait_for_inline_answer(query_id)
    assert kept["cache_time"] == 30 and kept["is_personal"] is True and kept["next_offset"] == "8"
    [result] = kept["results"]
    assert result["message"]["text"] == "سوناطراك توقع اتفاقا"
    assert result["message"]["entities"] == [{"type": "bold", "offset": 0, "length": 8}]
    # Answered once: a second answer is refused, as is an unknown query id.
    assert await answer(http, emu, query_id, []) == (400, TOO_OLD)
    assert await answer(http, emu, "42", []) == (400, TOO_OLD)
    assert emu.violations[-1]["description"] == TOO_OLD


@pytest.mark.asyncio
async def test_an_answer_later_than_ten_seconds_is_refused(emu, http, clock):
    late = emu.send_inline_query(USER, "late")
    on_time = emu.send_inline_query(USER, "on time")
    clock.t += 9.5
    assert (await answer(http, emu, on_time, []))[0] == 200
    clock.t += 1
    assert await answer(http, emu, late, []) == (400, TOO_OLD)
    # An empty list is a valid answer: "nothing found"; the default cache time is 300 s.
    assert emu.inline_answer(on_time)["results"] == [] and emu.inline_answer(on_time)["cache_time"] == 300


@pytest.mark.asyncio
@pytest.mark.parametrize(
    ("results", "params", "error"),
    [
        ([article(str(n)) for n in range(51)], {}, "RESULTS_TOO_MUCH"),
        ([article("1"), article("1")], {}, "RESULT_ID_DUPLICATE"),
        ([article("x" * 65)], {}, "RESULT_ID_INVALID"),
        ([article("ع" * 33)], {}, "RESULT_ID_INVALID"),  # 66 bytes
        ([article("")], {}, "RESULT_ID_INVALID"),
        ([{**article(), "title": " "}], {}, "RESULT_TITLE_EMPTY"),
        ([{**article(), "type": "photo"}], {}, "unsupported inline query result type"),
        ([{**article(), "colour": "red"}], {}, "unknown field"),
        ([article(text="")], {}, "message text is empty"),
        ([article(text="ع" * 4097)], {}, "message is too long"),
        ([article(text="<b>" + "ع" * 4096 + "</b>")], {}, None),  # 4,096 once the tags are parsed
        ([article(text="<b>open")], {}, "can't parse entities"),
        ([article(text='<a href="javascript:x">x</a>')], {}, "wrong HTTP URL specified"),
        ([article(url="javascript:alert(1)")], {}, "RESULT_URL_INVALID"),
        ([article(reply_markup={"inline_keyboard": [[{"text": "x"}]]})], {}, "Text buttons are unallowed"),
        ([article(reply_markup={"inline_keyboard": [[{"text": "x", "switch_inline_query": "q" * 257}]]})], {},
         "BUTTON_TYPE_INVALID"),
        ([article()], {"cache_time": -1}, "cache_time"),
        ([article()], {"next_offset": "9" * 65}, "NEXT_OFFSET_INVALID"),
        ([article()], {"button": {"text": "x", "start_parameter": "read 12"}}, "START_PARAM_INVALID"),
        ([article()], {"button": {"text": "", "start_parameter": "help"}}, "BUTTON_TEXT_INVALID"),
        ([article()], {"button": {"text": "⏳", "start_parameter": "flood"}}, None),
    ],
)
async def test_answers_are_checked_as_telegram_checks_them(emu, http, results, params, error):
    query_id = emu.send_inline_query(USER, "q")
    status, description = await answer(http, emu, query_id, results, **params)
    if error is None:
        assert status == 200 and emu.violations == []
        return
    assert status == 400 and error in description
    assert emu.inline_answer(query_id) is None
    # A refused answer leaves the query open: a correct one is still accepted.
    assert (await answer(http, emu, query_id, [article()]))[0] == 200


@pytest.mark.asyncio
async def test_a_chosen_result_is_sent_via_the_bot_into_the_chat(emu, http):
    query_id = emu.send_inline_query(USER, "سوناطراك", chat_type="private")
    keyboard = {"inline_keyboard": [[{"text": "اقرأ", "url": "https://t.me/akhbar_test_bot?start=read_12"}]]}
    text = 'سوناطراك\n<a href="https://aps.dz/x">وأج</a>'
    await answer(http, emu, query_id, [article("12", text=text, reply_markup=keyboard), article("13")])
    with pytest.raises(ValueError, match="no result"):
        emu.choose_inline_result(query_id, "99", to_user=FRIEND)

    # Into a chat with a friend, which the bot is not part of: the friend sees it, the bot does not.
    emu.pending_updates.clear()
    sent = emu.choose_inline_result(query_id, "12", to_user=FRIEND)
    assert sent["text"] == "سوناطراك\nوأج" and sent["via_bot"]["username"] == "akhbar_test_bot"
    assert sent["entities"] == [{"type": "text_link", "offset": 9, "length": 3, "url": "https://aps.dz/x"}]
    assert sent["reply_markup"] == keyboard and sent["from"]["id"] == USER
    assert emu.conversation(FRIEND, USER) == [sent]
    assert [u for u in emu.pending_updates if "inline_query" not in u] == []

    # Into a group the bot is in: the group sees it, and so does the bot (a message via itself).
    in_group = emu.choose_inline_result(query_id, "13", chat_id=GROUP)
    assert in_group["chat"]["id"] == GROUP and in_group["via_bot"]["id"] == emu.bot_id
    assert emu.pending_updates[-1]["message"] == in_group
    assert emu.chat_messages(GROUP)[-1] == in_group
    with pytest.raises(ValueError, match="not a member"):
        emu.add_group(-100999, "other")
        emu.choose_inline_result(query_id, "13", chat_id=-100999)


@pytest.mark.asyncio
async def test_a_real_ptb_bot_answers_an_inline_query(emu):
    telegram = pytest.importorskip("telegram")
    from telegram.error import BadRequest

    bot = telegram.Bot(TOKEN, base_url=f"{emu.api_url}/bot")
    async with bot:
        assert (await bot.get_me()).supports_inline_queries is True
        query_id = emu.send_inline_query(USER, "سوناطراك")
        content = telegram.InputTextMessageContent(
            "<b>سوناطراك</b>", parse_mode="HTML", link_preview_options=telegram.LinkPreviewOptions(is_disabled=True)
        )
        results = [
            telegram.InlineQueryResultArticle(str(n), f"خبر {n}", content, description="وأج · 04-12-2026 17:54")
            for n in range(20)
        ]
        button = telegram.InlineQueryResultsButton("افتح البوت", start_parameter="help")
        assert await bot.answer_inline_query(query_id, results, cache_time=30, is_personal=True, button=button)
        with pytest.raises(BadRequest, match="(?i)query is too old"):
            await bot.answer_inline_query(query_id, results)
        kept = emu.inline_answer(query_id)
        assert len(kept["results"]) == 20 and kept["button"]["start_parameter"] == "help"
        sent = emu.choose_inline_result(query_id, "3", to_user=FRIEND)
        assert sent["text"] == "سوناطراك" and sent["link_preview_options"] == {"is_disabled": True}
