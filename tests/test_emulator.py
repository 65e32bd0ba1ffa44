"""Tests of the local Telegram Bot API emulator (emulator/).

Everything except the pure parser/limiter unit tests goes through real HTTP,
encoding parameters the way python-telegram-bot does (form-encoded, non-string
values JSON-encoded), and one test drives a real ``telegram.Bot``.
"""

from __future__ import annotations

import asyncio
import datetime
import json

import aiohttp
import pytest
import pytest_asyncio

from emulator import BotAPIEmulator, HTMLParseError, Limits, RateLimiter, parse_html, utf16_len

TOKEN = "123456:TEST-token"
USER = 1001
GROUP = -100123
SUPERGROUP = -1001234567890


class FakeClock:
    def __init__(self, t: float = 1000.0) -> None:
        self.t = t

    def __call__(self) -> float:
        return self.t

    def advance(self, dt: float) -> None:
        self.t += dt


@pytest_asyncio.fixture
async def emu():
    async with BotAPIEmulator(token=TOKEN, bot_username="akhbar_test_bot") as emulator:
        emulator.add_user(user_id=USER, first_name="Amina", language_code="ar")
        emulator.add_group(chat_id=GROUP, title="أخبار", admins=[USER])
        yield emulator


@pytest_asyncio.fixture
async def http():
    async with aiohttp.ClientSession() as session:
        yield session


async def call(session, emulator, method, *, token=TOKEN, **params):
    """POST like PTB does: form-encoded, non-strings JSON-encoded. Returns (status, body)."""
    data = {k: v if isinstance(v, str) else json.dumps(v) for k, v in params.items()}
    async with session.post(f"{emulator.api_url}/bot{token}/{method}", data=data) as resp:
        return resp.status, await resp.json()


def inline(*buttons):
    return {"inline_keyboard": [list(buttons)]}


# ====================================================================== HTML parser


def test_parse_plain_and_nested_tags():
    assert parse_html("hello") == ("hello", [])
    text, ents = parse_html("<b>bold <i>both</i></b> <u>u</u>")
    assert text == "bold both u"
    assert ents == [
        {"type": "bold", "offset": 0, "length": 9},
        {"type": "italic", "offset": 5, "length": 4},
        {"type": "underline", "offset": 10, "length": 1},
    ]


@pytest.mark.parametrize(
    ("tag", "etype"),
    [("b", "bold"), ("strong", "bold"), ("i", "italic"), ("em", "italic"),
     ("u", "underline"), ("ins", "underline"), ("s", "strikethrough"),
     ("strike", "strikethrough"), ("del", "strikethrough"), ("tg-spoiler", "spoiler"),
     ("code", "code"), ("pre", "pre"), ("blockquote", "blockquote"), ("B", "bold")],
)
def test_parse_every_simple_tag(tag, etype):
    assert parse_html(f"x<{tag}>y</{tag}>") == ("xy", [{"type": etype, "offset": 1, "length": 1}])


def test_parse_tags_with_arguments():
    text, ents = parse_html(
        '<a href="https://e.com/?a=1&amp;b=2">link</a> <span class="tg-spoiler">s</span> '
        "<pre><code class=\"language-python\">x = 1</code></pre> "
        "<blockquote expandable>q</blockquote> <tg-emoji emoji-id='5368324170671202286'>👍"
        "</tg-emoji> <a href=tg>t</a>"
    )
    assert text == "link s x = 1 q 👍 t"
    assert ents == [
        {"type": "text_link", "offset": 0, "length": 4, "url": "https://e.com/?a=1&b=2"},
        {"type": "spoiler", "offset": 5, "length": 1},
        {"type": "pre", "offset": 7, "length": 5, "language": "python"},
        {"type": "expandable_blockquote", "offset": 13, "length": 1},
        {"type": "custom_emoji", "offset": 15, "length": 2,
         "custom_emoji_id": "5368324170671202286"},
        {"type": "text_link", "offset": 18, "length": 1, "url": "tg"},
    ]


def test_parse_html_entities_and_bare_gt():
    text, ents = parse_html("&lt;b&gt; &amp; &quot;q&quot; &#65;&#x1F600; a > b")
    assert text == '<b> & "q" A😀 a > b'
    assert ents == []


def test_parse_utf16_offsets_arabic_and_emoji():
    text, ents = parse_html("مرحبا 😀 <b>عالم</b> 👍🏽<i>x</i>")
    assert text == "مرحبا 😀 عالم 👍🏽x"
    # "مرحبا " = 6 units, 😀 = 2, " " = 1 -> bold at 9; 👍🏽 is 4 units.
    assert ents == [
        {"type": "bold", "offset": 9, "length": 4},
        {"type": "italic", "offset": 18, "length": 1},
    ]
    assert utf16_len("😀") == 2 and utf16_len("مرحبا") == 5


def test_parse_drops_empty_entities():
    assert parse_html("a<b></b>c") == ("ac", [])


@pytest.mark.parametrize(
    ("html", "reason"),
    [
        ("<script>x</script>", 'Unsupported start tag "script" at byte offset 0'),
        ("héllo <foo>", 'Unsupported start tag "foo" at byte offset 7'),  # é is 2 bytes
        ("a < b", 'Unsupported start tag "" at byte offset 2'),
        ("<b/>", 'Unsupported start tag "b/" at byte offset 0'),
        ("<b>x", 'Can\'t find end tag corresponding to start tag "b"'),
        ("<b><i>x</i>", 'Can\'t find end tag corresponding to start tag "b"'),
        ("x</b>", "Unexpected end tag at byte offset 1"),
        ("<b>x</i>", 'Unmatched end tag at byte offset 4, expected "</b>", found "</i>"'),
        ("<b", "Unclosed start tag at byte offset 0"),
        ('<a href="https://x', "Unclosed start tag at byte offset 0"),
        ("<b>x</b", "Unclosed end tag at byte offset 4"),
        ('<span class="x">y</span>', 'Tag "span" must have class "tg-spoiler" at byte offset 0'),
        ("<a =x>y</a>", 'Empty attribute name in the tag "a" at byte offset 0'),
        ("<a href=x/y>z</a>", "Unexpected end of name token at byte offset 8"),
        ('<tg-emoji emoji-id="abc">x</tg-emoji>', "Invalid custom emoji identifier specified"),
    ],
)
def test_parse_errors(html, reason):
    with pytest.raises(HTMLParseError) as info:
        parse_html(html)
    assert info.value.reason == reason
    assert info.value.description == f"Bad Request: can't parse entities: {reason}"


@pytest.mark.parametrize(
    "html", ["Tom & Jerry", "&nbsp;", "&lt", "&LT;", "&#0;", "&#xD800;", "&#X41;",
             '<a href="https://x.com/?a=1&b=2">x</a>'],
)
def test_parse_rejects_unescaped_ampersand(html):
    with pytest.raises(HTMLParseError, match='unescaped "&"'):
        parse_html(html)


# ====================================================================== rate limiter


def test_limiter_global_sliding_window_never_exceeds_limit():
    clock = FakeClock()
    limiter = RateLimiter(Limits(private_burst=10**6, private_per_second=10**6), clock)
    accepted = []
    for step in range(300):  # 3 s of attempts every 10 ms, each to a fresh chat
        if limiter.acquire(chat_id=step + 1, is_private=True) is None:
            accepted.append(clock.t)
        clock.advance(0.01)
    assert len(accepted) >= 85  # the limit is actually usable: ~30 per second
    for start in accepted:
        assert sum(1 for t in accepted if start <= t < start + 1.0) <= 30


def test_limiter_retry_after_is_sensible_and_paid_broadcast():
    clock = FakeClock()
    limiter = RateLimiter(Limits(), clock)
    for i in range(30):
        assert limiter.acquire(i + 1, True) is None
    retry = limiter.acquire(99, True)
    assert retry == 1
    assert limiter.acquire(99, True, paid=True) is None  # paid broadcast: up to 1000/s
    clock.advance(retry)
    assert limiter.acquire(98, True) is None


def test_limiter_group_twenty_per_minute():
    clock = FakeClock()
    limiter = RateLimiter(Limits(), clock)
    for _ in range(20):
        assert limiter.acquire(GROUP, False) is None
        clock.advance(0.5)  # 20 messages over 10 s
    assert limiter.acquire(GROUP, False) == 50  # the first one leaves the window at t0+60
    assert limiter.acquire(-42, False) is None  # other groups are unaffected
    clock.advance(49.5)
    assert limiter.acquire(GROUP, False) == 1
    clock.advance(0.5)
    assert limiter.acquire(GROUP, False) is None


def test_limiter_private_burst_then_one_per_second():
    clock = FakeClock()
    limiter = RateLimiter(Limits(), clock)
    assert all(limiter.acquire(USER, True) is None for _ in range(10))
    assert limiter.acquire(USER, True) == 1
    accepted = 0
    for _ in range(600):  # 60 s of attempts every 100 ms
        clock.advance(0.1)
        if limiter.acquire(USER, True) is None:
            accepted += 1
    assert 58 <= accepted <= 61


def test_limiter_disabled():
    limiter = RateLimiter(Limits(enabled=False), FakeClock())
    assert all(limiter.acquire(GROUP, False) is None for _ in range(1000))


# ====================================================================== HTTP envelope


@pytest.mark.asyncio
async def test_envelope_get_me_errors_and_case_insensitive_methods(emu, http):
    status, body = await call(http, emu, "getMe")
    assert status == 200 and body["ok"] is True
    assert body["result"]["id"] == 123456 and body["result"]["is_bot"] is True
    assert body["result"]["username"] == "akhbar_test_bot"
    assert emu.bot_user == {"id": 123456, "is_bot": True, "first_name": "Akhbar",
                            "username": "akhbar_test_bot"}
    assert (await call(http, emu, "GETME"))[0] == 200
    assert await call(http, emu, "sendPigeon") == (
        404, {"ok": False, "error_code": 404, "description": "Not Found"})
    assert await call(http, emu, "getMe", token="1:wrong") == (
        401, {"ok": False, "error_code": 401, "description": "Unauthorized"})
    assert [m for m, _ in emu.requests] == ["getme", "getme", "sendpigeon"]


@pytest.mark.asyncio
async def test_json_body_query_params_and_string_fields_stay_strings(emu, http):
    url = f"{emu.api_url}/bot{TOKEN}/sendMessage"
    payload = {"chat_id": USER, "text": "json",
               "reply_markup": inline({"text": "a", "callback_data": "1"})}
    async with http.post(url, json=payload) as r:
        body = await r.json()
    assert body["result"]["reply_markup"]["inline_keyboard"][0][0]["callback_data"] == "1"
    async with http.get(url, params={"chat_id": str(USER), "text": "123"}) as r:
        body = await r.json()
    assert body["result"]["text"] == "123"  # not decoded to a number
    async with http.post(url, data={"chat_id": str(USER), "text": "true"}) as r:
        assert (await r.json())["result"]["text"] == "true"
    assert emu.requests[-1] == ("sendmessage", {"chat_id": USER, "text": "true"})


@pytest.mark.asyncio
async def test_send_message_result_shape_and_storage(emu, http):
    markup = inline({"text": "اقرأ", "callback_data": "read:1"},
                    {"text": "site", "url": "https://example.com/a?b=1"})
    status, body = await call(http, emu, "sendMessage", chat_id=USER,
                              text="<b>عاجل</b> &amp; more", parse_mode="HTML",
                              reply_markup=markup, disable_notification=True)
    assert status == 200
    msg = body["result"]
    assert msg["message_id"] == 1 and isinstance(msg["date"], int)
    assert msg["from"]["id"] == 123456 and msg["chat"] == {"id": USER, "first_name": "Amina",
                                                           "type": "private"}
    assert msg["text"] == "عاجل & more"
    assert msg["entities"] == [{"type": "bold", "offset": 0, "length": 4}]
    assert msg["reply_markup"] == markup
    status, body = await call(http, emu, "sendMessage", chat_id=USER, text="plain")
    assert body["result"]["message_id"] == 2 and "entities" not in body["result"]
    assert "reply_markup" not in body["result"]
    (_, body) = await call(http, emu, "sendMessage", chat_id=GROUP, text="group")
    assert body["result"]["message_id"] == 1  # message ids are per chat
    assert body["result"]["chat"] == {"id": GROUP, "title": "أخبار", "type": "group"}

    stored = emu.messages(USER)
    assert [m["text"] for m in stored] == ["عاجل & more", "plain"]
    assert stored[0]["html"] == "<b>عاجل</b> &amp; more"
    assert stored[0]["reply_markup"] == markup and stored[1]["reply_markup"] is None
    assert stored[0]["edited"] is False and stored[0]["disable_notification"] is True
    assert emu.violations == []


@pytest.mark.asyncio
async def test_text_validation(emu, http):
    async def send(**kw):
        return await call(http, emu, "sendMessage", chat_id=USER, **kw)

    assert (await send(text=""))[1]["description"] == "Bad Request: message text is empty"
    assert (await send(text="<b> \n</b>", parse_mode="HTML"))[1]["description"] == (
        "Bad Request: message text is empty")
    status, body = await send(text="<script>x</script>", parse_mode="HTML")
    assert status == 400 and body["description"] == (
        'Bad Request: can\'t parse entities: Unsupported start tag "script" at byte offset 0')
    assert (await send(text="Tom & Jerry", parse_mode="HTML"))[0] == 400
    assert (await send(text='<a href="javascript:alert(1)">x</a>', parse_mode="HTML"))[1][
        "description"] == "Bad Request: wrong HTTP URL specified"
    assert (await send(text="x", parse_mode="Klingon"))[1]["description"] == (
        "Bad Request: unsupported parse_mode")
    # MarkdownV2 is accepted leniently; the text is kept as is.
    assert (await send(text="*hi*", parse_mode="MarkdownV2"))[1]["result"]["text"] == "*hi*"
    # Surrounding whitespace is trimmed and entities shifted, as Telegram does.
    body = (await send(text="\n  <b>x</b> \n", parse_mode="HTML"))[1]
    assert body["result"]["text"] == "x" and body["result"]["entities"][0]["offset"] == 0
    assert [v["description"] for v in emu.violations][:2] == [
        "Bad Request: message text is empty"] * 2
    assert len(emu.violations) == 6 and emu.violations[0]["method"] == "sendmessage"


@pytest.mark.asyncio
async def test_length_limit_is_4096_utf16_units_after_parsing(emu, http):
    async def send(text, **kw):
        return (await call(http, emu, "sendMessage", chat_id=USER, text=text, **kw))[0]

    assert await send("ع" * 4096) == 200
    assert await send("ع" * 4097) == 400
    assert await send("ع" * 4094 + "😀") == 200  # the emoji counts 2 units
    assert await send("ع" * 4095 + "😀") == 400
    assert await send("<b>" + "ع" * 4096 + "</b>", parse_mode="HTML") == 200  # tags don't count
    assert emu.violations[-1]["description"] == "Bad Request: message is too long"


@pytest.mark.asyncio
async def test_inline_keyboard_validation(emu, http):
    async def send(*buttons):
        status, body = await call(http, emu, "sendMessage", chat_id=GROUP, text="k",
                                  reply_markup=inline(*buttons))
        return body.get("description", status)

    assert await send({"text": "ok", "callback_data": "ع" * 32}) == 200  # 64 bytes
    assert await send({"text": "x", "callback_data": "a" * 65}) == (
        "Bad Request: BUTTON_DATA_INVALID")
    assert await send({"text": "x", "callback_data": "ع" * 32 + "a"}) == (
        "Bad Request: BUTTON_DATA_INVALID")
    assert await send({"text": "x", "callback_data": ""}) == "Bad Request: BUTTON_DATA_INVALID"
    assert await send({"text": "x", "url": "javascript:alert(1)"}) == (
        "Bad Request: BUTTON_URL_INVALID")
    assert "Text must be non-empty" in await send({"text": "", "callback_data": "1"})
    assert "unallowed" in await send({"text": "no action"})
    assert "exactly one" in await send({"text": "x", "callback_data": "1", "url": "https://a.b"})
    status, body = await call(http, emu, "sendMessage", chat_id=GROUP, text="k",
                              reply_markup={"keyboard": [["نعم", {"text": "لا"}]],
                                            "resize_keyboard": True})
    assert status == 200 and "reply_markup" not in body["result"]  # not echoed, but stored
    assert emu.messages(GROUP)[-1]["reply_markup"]["keyboard"] == [["نعم", {"text": "لا"}]]
    assert len(emu.violations) == 7


@pytest.mark.asyncio
async def test_a_channel_s_admin_demotes_removes_and_restores_the_bot(emu, http):
    channel, editor = -1_000_000_555_001, 8801
    emu.add_channel(channel, title="قناة", admins=[editor])

    async def post():
        return await call(http, emu, "sendMessage", chat_id=channel, text="خبر")

    assert (await post())[0] == 200
    emu.set_bot_status(channel, "member", by=editor)
    assert (await post())[1]["description"] == "Bad Request: need administrator rights in the channel chat"
    emu.set_bot_status(channel, "left", by=editor)
    assert await post() == (403, {"ok": False, "error_code": 403,
                                  "description": "Forbidden: bot is not a member of the channel chat"})
    emu.set_bot_status(channel, "administrator", by=editor)
    assert (await post())[0] == 200
    changes = [(u["my_chat_member"]["from"]["id"], u["my_chat_member"]["old_chat_member"]["status"],
                u["my_chat_member"]["new_chat_member"]["status"]) for u in emu.pending_updates]
    assert changes == [(editor, "administrator", "member"), (editor, "member", "left"), (editor, "left", "administrator")]
    assert emu.violations == []  # the bot's sends refused meanwhile were the world's doing
    with pytest.raises(ValueError):
        emu.set_bot_status(channel, "member", by=4242)  # not an admin of it


@pytest.mark.asyncio
async def test_a_group_member_adds_the_bot_and_its_admin_promotes_removes_and_bans_it(emu, http):
    group, admin, member = -555_002, 8811, 8812
    emu.add_group(group, title="نادي", admins=[admin], members=[member], added_by=member)

    async def post():
        return await call(http, emu, "sendMessage", chat_id=group, text="خبر")

    assert (await post())[0] == 200
    with pytest.raises(ValueError):
        emu.set_bot_status(group, "administrator", by=member)  # only an admin promotes it
    emu.set_bot_status(group, "administrator", by=admin)
    emu.set_bot_status(group, "left", by=admin)
    assert (await post())[1]["description"] == "Forbidden: bot is not a member of the group chat"
    emu.set_bot_status(group, "member", by=member)  # any member adds it back
    assert (await post())[0] == 200
    emu.set_bot_status(group, "kicked", by=admin)
    assert (await post())[1]["description"] == "Forbidden: bot was kicked from the group chat"
    changes = [(u["my_chat_member"]["from"]["id"], u["my_chat_member"]["old_chat_member"]["status"],
                u["my_chat_member"]["new_chat_member"]["status"]) for u in emu.pending_updates]
    assert changes == [
        (member, "left", "member"), (admin, "member", "administrator"), (admin, "administrator", "left"),
        (member, "left", "member"), (admin, "member", "kicked"),
    ]


@pytest.mark.asyncio
async def test_chat_states_block_deactivate_migrate_remove(emu, http):
    async def send(chat_id):
        return await call(http, emu, "sendMessage", chat_id=chat_id, text="hi")

    assert await send(424242) == (400, {"ok": False, "error_code": 400,
                                        "description": "Bad Request: chat not found"})
    emu.block(USER)
    assert await send(USER) == (403, {"ok": False, "error_code": 403,
                                      "description": "Forbidden: bot was blocked by the user"})
    emu.unblock(USER)
    assert (await send(USER))[0] == 200
    kinds = [(u["my_chat_member"]["old_chat_member"]["status"],
              u["my_chat_member"]["new_chat_member"]["status"]) for u in emu.pending_updates]
    assert kinds == [("member", "kicked"), ("kicked", "member")]

    emu.deactivate(2002)
    assert (await send(2002))[1]["description"] == "Forbidden: user is deactivated"
    assert (await send(123456))[1]["description"] == "Forbidden: bot can't send messages to bots"

    emu.migrate_group(GROUP, SUPERGROUP)
    assert await send(GROUP) == (400, {
        "ok": False, "error_code": 400,
        "description": "Bad Request: group chat was upgraded to a supergroup chat",
        "parameters": {"migrate_to_chat_id": SUPERGROUP}})
    assert (await send(SUPERGROUP))[1]["result"]["chat"]["type"] == "supergroup"
    emu.remove_chat(SUPERGROUP)
    assert (await send(SUPERGROUP))[1]["description"] == "Bad Request: chat not found"
    # Only the bot's own mistake (an unknown chat id) is a violation.
    assert [v["params"]["chat_id"] for v in emu.violations] == [424242]
    assert len(emu.errors) == 6


@pytest.mark.asyncio
async def test_edit_delete_and_not_modified(emu, http):
    kb = inline({"text": "1", "callback_data": "one"})
    mid = (await call(http, emu, "sendMessage", chat_id=USER, text="<b>a</b>", parse_mode="HTML",
                      reply_markup=kb))[1]["result"]["message_id"]
    status, body = await call(http, emu, "editMessageText", chat_id=USER, message_id=mid,
                              text="<b>a</b>", parse_mode="HTML", reply_markup=kb)
    assert status == 400 and body["description"].startswith(
        "Bad Request: message is not modified: specified new message content and reply markup "
        "are exactly the same")
    status, body = await call(http, emu, "editMessageText", chat_id=USER, message_id=mid,
                              text="<i>b</i>", parse_mode="HTML", reply_markup=kb)
    assert status == 200 and "edit_date" in body["result"]
    assert body["result"]["entities"] == [{"type": "italic", "offset": 0, "length": 1}]
    # Omitting reply_markup in an edit removes the keyboard, as on Telegram.
    body = (await call(http, emu, "editMessageText", chat_id=USER, message_id=mid, text="c"))[1]
    assert "reply_markup" not in body["result"]
    assert (await call(http, emu, "editMessageReplyMarkup", chat_id=USER, message_id=mid,
                       reply_markup=kb))[0] == 200
    assert (await call(http, emu, "editMessageReplyMarkup", chat_id=USER, message_id=mid,
                       reply_markup=kb))[0] == 400
    assert (await call(http, emu, "editMessageText", chat_id=USER, message_id=99,
                       text="x"))[1]["description"] == "Bad Request: message to edit not found"
    [stored] = emu.messages(USER)
    assert stored["text"] == "c" and stored["edited"] is True and stored["html"] == "c"
    assert stored["reply_markup"] == kb

    assert await call(http, emu, "deleteMessage", chat_id=USER, message_id=mid) == (
        200, {"ok": True, "result": True})
    assert (await call(http, emu, "deleteMessage", chat_id=USER, message_id=mid))[1][
        "description"] == "Bad Request: message to delete not found"
    assert emu.messages(USER) == []


@pytest.mark.asyncio
async def test_an_edit_is_checked_as_a_send_is_and_a_message_the_user_deleted_cannot_be_edited(emu, http):
    mid = (await call(http, emu, "sendMessage", chat_id=USER, text="a"))[1]["result"]["message_id"]
    # Another chat's message, the user's own, an invalid text: refused as Telegram refuses them.
    assert (await call(http, emu, "editMessageText", chat_id=GROUP, message_id=mid, text="b"))[1][
        "description"] == "Bad Request: message to edit not found"
    own = emu.send_message(USER, USER, "مرحبا")["message_id"]
    assert (await call(http, emu, "editMessageText", chat_id=USER, message_id=own, text="b"))[1][
        "description"] == "Bad Request: message can't be edited"
    assert (await call(http, emu, "editMessageText", chat_id=USER, message_id=mid, text="x" * 4097))[1][
        "description"] == "Bad Request: message is too long"
    assert (await call(http, emu, "editMessageText", chat_id=USER, message_id=mid, text="<b>b",
                       parse_mode="HTML"))[1]["description"].startswith("Bad Request: can't parse entities")
    assert len(emu.violations) == 4  # each the bot's own mistake
    # Edits count against the chat's pace as sends do: a burst of them meets a 429.
    answers = [(await call(http, emu, "editMessageText", chat_id=USER, message_id=mid, text=f"b{n}"))[0]
               for n in range(12)]
    assert 429 in answers
    # A message the user deleted: the bot could not know, so refusing its edit is no violation.
    emu.delete_by_user(USER, mid)
    emu.limiter.reset()
    assert (await call(http, emu, "editMessageText", chat_id=USER, message_id=mid, text="c"))[1][
        "description"] == "Bad Request: message to edit not found"
    assert len(emu.violations) == 4 and emu.messages(USER) == []


@pytest.mark.asyncio
async def test_callback_queries(emu, http):
    kb = inline({"text": "1", "callback_data": "one"})
    mid = (await call(http, emu, "sendMessage", chat_id=USER, text="q",
                      reply_markup=kb))[1]["result"]["message_id"]
    with pytest.raises(ValueError, match="no button"):
        emu.press_button(USER, USER, mid, "two")
    qid = emu.press_button(USER, USER, mid, "one")
    [update] = emu.pending_updates
    query = update["callback_query"]
    assert query["id"] == qid and query["data"] == "one" and query["from"]["id"] == USER
    assert query["message"]["message_id"] == mid and query["message"]["reply_markup"] == kb
    status, body = await call(http, emu, "answerCallbackQuery", callback_query_id=qid,
                              text="x" * 201)
    assert body["description"] == "Bad Request: MESSAGE_TOO_LONG"
    status, _ = await call(http, emu, "answerCallbackQuery", callback_query_id=qid, text="ok")
    assert status == 200
    too_old = ("Bad Request: query is too old and response timeout expired or query ID is "
               "invalid")
    assert (await call(http, emu, "answerCallbackQuery", callback_query_id=qid))[1][
        "description"] == too_old
    assert (await call(http, emu, "answerCallbackQuery", callback_query_id="42"))[1][
        "description"] == too_old
    assert emu.callback_answers == [{"callback_query_id": qid, "text": "ok"}]


@pytest.mark.asyncio
async def test_commands_chat_members_and_profile(emu, http):
    cmds = [{"command": "start", "description": "ابدأ"},
            {"command": "top_news", "description": "x"}]
    assert (await call(http, emu, "setMyCommands", commands=cmds))[0] == 200
    assert (await call(http, emu, "setMyCommands", commands=cmds[:1], language_code="ar",
                       scope={"type": "all_private_chats"}))[0] == 200
    assert emu.commands == {("default", ""): cmds, ("all_private_chats", "ar"): cmds[:1]}
    assert (await call(http, emu, "getMyCommands"))[1]["result"] == cmds
    for bad in ([{"command": "Start", "description": "x"}],
                [{"command": "a" * 33, "description": "x"}],
                [{"command": "ok", "description": ""}],
                [{"command": "ok", "description": "x" * 257}],
                [{"command": f"c{i}", "description": "x"} for i in range(101)]):
        assert (await call(http, emu, "setMyCommands", commands=bad))[0] == 400
    assert (await call(http, emu, "setMyCommands", commands=cmds, language_code="arabic"))[0] == 400
    assert (await call(http, emu, "deleteMyCommands"))[0] == 200
    assert ("default", "") not in emu.commands

    member = (await call(http, emu, "getChatMember", chat_id=GROUP, user_id=USER))[1]["result"]
    assert member["status"] == "administrator" and member["user"]["id"] == USER
    emu.send_message(GROUP, 3003, "hello")
    assert (await call(http, emu, "getChatMember", chat_id=GROUP,
                       user_id=3003))[1]["result"]["status"] == "member"
    assert (await call(http, emu, "getChatMember", chat_id=GROUP,
                       user_id=777))[1]["result"]["status"] == "left"
    admins = (await call(http, emu, "getChatAdministrators", chat_id=GROUP))[1]["result"]
    assert [a["user"]["id"] for a in admins] == [USER]
    chat = (await call(http, emu, "getChat", chat_id=GROUP))[1]["result"]
    assert chat["title"] == "أخبار" and chat["type"] == "group"
    assert (await call(http, emu, "sendChatAction", chat_id=USER, action="typing"))[0] == 200
    assert (await call(http, emu, "sendChatAction", chat_id=USER, action="dancing"))[0] == 400
    assert (await call(http, emu, "setMyDescription", description="وصف"))[0] == 200
    assert (await call(http, emu, "setMyShortDescription", description="x" * 121))[0] == 200
    assert (await call(http, emu, "setMyShortDescription", short_description="x" * 121))[0] == 400
    assert emu.descriptions == {"": "وصف"}


@pytest.mark.asyncio
async def test_user_messages_get_bot_command_entities(emu):
    msg = emu.send_message(GROUP, USER, "/news@akhbar_test_bot رياضة")
    assert msg["entities"] == [{"type": "bot_command", "offset": 0, "length": 21}]
    assert msg["chat"]["id"] == GROUP and msg["from"]["id"] == USER
    assert "entities" not in emu.send_message(USER, USER, "no command")
    auto = emu.send_message(5005, 5005, "/start")
    assert auto["from"] == {"id": 5005, "is_bot": False, "first_name": "User 5005"}
    assert [u["update_id"] for u in emu.pending_updates] == [1, 2, 3]


@pytest.mark.asyncio
async def test_rate_limit_over_http():
    clock = FakeClock()
    async with BotAPIEmulator(limits=Limits(group_per_minute=3), clock=clock) as emu, \
            aiohttp.ClientSession() as http:
        emu.add_group(GROUP, "g")
        for _ in range(3):
            assert (await call(http, emu, "sendMessage", chat_id=GROUP, text="x"))[0] == 200
        assert await call(http, emu, "sendMessage", chat_id=GROUP, text="x") == (429, {
            "ok": False, "error_code": 429, "description": "Too Many Requests: retry after 60",
            "parameters": {"retry_after": 60}})
        assert emu.rate_limited == 1 and emu.violations == []
        assert len(emu.messages(GROUP)) == 3  # the refused message is not stored
        clock.advance(60)
        assert (await call(http, emu, "sendMessage", chat_id=GROUP, text="x"))[0] == 200


# ====================================================================== updates / long polling


@pytest.mark.asyncio
async def test_long_poll_returns_as_soon_as_an_update_arrives(emu, http):
    # A poll that would wait far longer than this test may run: only the update can end it.
    poll = asyncio.create_task(call(http, emu, "getUpdates", timeout=1000))
    await emu.wait_for_requests("getUpdates", 1, timeout=5)
    await asyncio.sleep(0)
    assert not poll.done()  # open, waiting
    emu.send_message(USER, USER, "hi")
    status, body = await asyncio.wait_for(poll, 60)
    assert status == 200
    [update] = body["result"]
    assert update["message"]["text"] == "hi"
    # Not confirmed yet: delivered again; confirmed by offset: gone.
    assert len((await call(http, emu, "getUpdates"))[1]["result"]) == 1
    emu.send_message(USER, USER, "second")
    result = (await call(http, emu, "getUpdates", offset=update["update_id"] + 1))[1]["result"]
    assert [u["message"]["text"] for u in result] == ["second"]
    assert result[0]["update_id"] > update["update_id"]
    assert (await call(http, emu, "getUpdates", offset=result[0]["update_id"] + 1,
                       timeout=0.2))[1]["result"] == []


@pytest.mark.asyncio
async def test_get_updates_limit_allowed_updates_and_conflicts(emu, http):
    for i in range(3):
        emu.send_message(USER, USER, f"m{i}")
    emu.block(USER)
    assert len((await call(http, emu, "getUpdates", limit=2))[1]["result"]) == 2
    result = (await call(http, emu, "getUpdates", allowed_updates=["my_chat_member"]))[1]["result"]
    assert [list(u)[1] for u in result] == ["my_chat_member"]

    # A newer getUpdates terminates the one still waiting.
    first = asyncio.create_task(call(http, emu, "getUpdates", offset=10**6, timeout=1000))
    await emu.wait_for_requests("getUpdates", 3, timeout=5)  # the first is waiting: now the newer one
    second = asyncio.create_task(call(http, emu, "getUpdates", timeout=0.2))
    assert await asyncio.wait_for(first, 60) == (409, {
        "ok": False, "error_code": 409,
        "description": "Conflict: terminated by other getUpdates request; make sure that only "
                       "one bot instance is running"})
    assert (await second)[0] == 200

    assert (await call(http, emu, "setWebhook", url="https://example.com/hook"))[0] == 200
    assert (await call(http, emu, "getWebhookInfo"))[1]["result"]["url"] == (
        "https://example.com/hook")
    assert (await call(http, emu, "getUpdates"))[1]["description"] == (
        "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to "
        "delete the webhook first")
    assert (await call(http, emu, "deleteWebhook", drop_pending_updates=True))[0] == 200
    assert (await call(http, emu, "getUpdates"))[1]["result"] == []
    assert emu.violations == []


@pytest.mark.asyncio
async def test_stop_is_fast_while_a_long_poll_is_open():
    emulator = BotAPIEmulator()
    await emulator.start()
    async with aiohttp.ClientSession() as http:
        # A poll that would outlast the test: stopping must end it, not wait for it.
        poll = asyncio.create_task(call(http, emulator, "getUpdates", timeout=1000))
        await emulator.wait_for_requests("getUpdates", 1, timeout=5)
        await asyncio.wait_for(emulator.stop(), 60)
        assert await asyncio.wait_for(poll, 60) == (200, {"ok": True, "result": []})


@pytest.mark.asyncio
async def test_wait_for_messages(emu, http):
    async def later():
        await asyncio.sleep(0.05)
        await call(http, emu, "sendMessage", chat_id=USER, text="one")
        await call(http, emu, "sendMessage", chat_id=USER, text="two")

    task = asyncio.create_task(later())
    got = await emu.wait_for_messages(USER, 2, timeout=2)
    assert [m["text"] for m in got] == ["one", "two"]
    await task
    with pytest.raises(TimeoutError, match=r"it has 2: \['one', 'two'\]"):
        await emu.wait_for_messages(USER, 3, timeout=0.1)
    assert len(await emu.wait_for_requests("SENDMESSAGE", 2, timeout=0.1)) == 2


# ====================================================================== real python-telegram-bot


# PTB >= 22.2 warns that RetryAfter.retry_after will become a timedelta.
@pytest.mark.filterwarnings("ignore:Deprecated since version v22.2")
@pytest.mark.asyncio
async def test_real_ptb_bot_against_the_emulator():
    telegram = pytest.importorskip("telegram")
    from telegram.error import BadRequest, ChatMigrated, Forbidden, RetryAfter

    clock = FakeClock()
    async with BotAPIEmulator(limits=Limits(private_burst=3), clock=clock) as emu:
        emu.add_user(USER, "Amina", "ar")
        emu.add_user(2002, "Omar")
        emu.add_group(GROUP, "g", admins=[USER])
        bot = telegram.Bot(TOKEN, base_url=f"{emu.api_url}/bot")
        async with bot:
            me = await bot.get_me()
            assert me.username == "akhbar_test_bot" and me.is_bot

            keyboard = telegram.InlineKeyboardMarkup(
                [[telegram.InlineKeyboardButton("المزيد", callback_data="more:1")]])
            sent = await bot.send_message(USER, "<b>عاجل</b> 😀 &lt;خبر&gt;", parse_mode="HTML",
                                          reply_markup=keyboard)
            assert sent.text == "عاجل 😀 <خبر>"
            assert sent.entities[0].type == "bold" and sent.entities[0].length == 4
            assert sent.reply_markup == keyboard

            with pytest.raises(BadRequest, match="too long"):
                await bot.send_message(USER, "ع" * 4097)

            emu.block(2002)
            with pytest.raises(Forbidden, match="blocked"):
                await bot.send_message(2002, "hi")

            await bot.send_message(USER, "2")
            await bot.send_message(USER, "3")
            with pytest.raises(RetryAfter) as retry:
                await bot.send_message(USER, "4")
            assert retry.value.retry_after in (1, datetime.timedelta(seconds=1))

            emu.migrate_group(GROUP, SUPERGROUP)
            with pytest.raises(ChatMigrated) as migrated:
                await bot.send_message(GROUP, "hi")
            assert migrated.value.new_chat_id == SUPERGROUP

            emu.send_message(USER, USER, "/start@akhbar_test_bot")
            updates = await bot.get_updates(timeout=0, allowed_updates=["message"])
            commands = [u for u in updates if u.message and u.message.text]
            assert commands[-1].message.text == "/start@akhbar_test_bot"
            assert commands[-1].effective_message.entities[0].type == "bot_command"
            assert commands[-1].effective_user.language_code == "ar"
        assert [m["text"] for m in emu.messages(USER)] == ["عاجل 😀 <خبر>", "2", "3"]
        assert [v["description"] for v in emu.violations] == ["Bad Request: message is too long"]


@pytest.mark.asyncio
async def test_a_channel_post_comes_from_the_channel_and_only_its_admins_post(emu, http):
    channel = -1_000_000_000_321
    emu.add_channel(channel, title="قناة", admins=[11])
    with pytest.raises(ValueError, match="not an admin"):
        emu.post_in_channel(channel, "/subscribe", author_id=12)
    with pytest.raises(ValueError, match="channel ids"):
        emu.add_channel(-5, title="x")
    emu.post_in_channel(channel, "/subscribe", author_id=11)
    status, body = await call(http, emu, "getUpdates", allowed_updates=["message", "channel_post"])
    (update,) = body["result"]
    post = update["channel_post"]
    assert "from" not in post and post["sender_chat"]["id"] == channel and post["chat"]["type"] == "channel"
    assert post["entities"] == [{"type": "bot_command", "offset": 0, "length": 10}]
    status, member = await call(http, emu, "getChatMember", chat_id=channel, user_id=11)
    assert member["result"]["status"] == "administrator"
    status, sent = await call(http, emu, "sendMessage", chat_id=channel, text="تم")
    assert status == 200 and sent["result"]["chat"]["type"] == "channel"


@pytest.mark.asyncio
async def test_an_edit_is_its_own_update_carrying_the_message_as_it_now_reads(emu, http):
    emu.add_user(USER, first_name="x")
    sent = emu.send_message(USER, USER, "/search وهرن")
    emu.edit_message(USER, sent["message_id"], "وهران")
    located = emu.share_live_location(USER, USER, 36.7, 3.05)
    emu.move_live_location(USER, located["message_id"], 36.8, 3.05)
    channel = -1_000_000_000_322
    emu.add_channel(channel, admins=[11])
    post = emu.post_in_channel(channel, "خبر", author_id=11)
    emu.edit_message(channel, post["message_id"], "/latest")
    with pytest.raises(ValueError, match="no user message"):
        emu.edit_message(USER, 999, "x")
    status, body = await call(http, emu, "getUpdates")
    kinds = [next(k for k in update if k != "update_id") for update in body["result"]]
    assert kinds == ["message", "edited_message", "message", "edited_message", "channel_post", "edited_channel_post"]
    edited = body["result"][1]["edited_message"]
    assert (edited["message_id"], edited["text"]) == (sent["message_id"], "وهران")
    assert "entities" not in edited and edited["edit_date"] >= edited["date"]
    moved = body["result"][3]["edited_message"]
    assert "text" not in moved and moved["location"]["latitude"] == 36.8
    assert body["result"][5]["edited_channel_post"]["entities"][0]["type"] == "bot_command"
    # A bot that asks for messages only is not sent the edits.
    emu.edit_message(USER, sent["message_id"], "/help")
    status, body = await call(http, emu, "getUpdates", offset=body["result"][-1]["update_id"] + 1, allowed_updates=["message"])
    assert body["result"] == []
