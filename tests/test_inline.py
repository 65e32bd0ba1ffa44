"""Inline mode and the share button, through the real bot and the emulator: a reader types
`@akhbar_test_bot words` in some chat, picks a headline, and the other chat sees it.

The emulator checks the answers as Telegram does (≤ 50 results, unique ids, text ≤ 4096 after
entities, valid HTML, answered once within 10 s); the world fixture fails a test that caused
a violation.  Storage is touched (search, latest, an article, mutes, languages): every test
runs on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import re

import pytest
import pytest_asyncio

from bot.handlers.flood import INLINE_QUERY_WEIGHT, MAX_IN_WINDOW
from bot.handlers.inline import ANSWER_CACHE_SECONDS
from bot.render import RLM
from news.articles import make_article
from news.repositories import StorageUnavailable
from news.services.sharing import SHARE_RESULTS

from .conftest import ENGINES, SHARED_LOOP, open_engine_world, open_world

pytestmark = SHARED_LOOP

BOT = "akhbar_test_bot"
DEEP_LINK = re.compile(rf"^https://t\.me/{BOT}\?start=read_(\d+)$")
READ_MORE = {"ar": "اقرأ الخبر كاملا", "fr": "Lire l'article complet", "en": "Read the full story"}
SHARE = {"ar": "📤 مشاركة", "fr": "📤 Partager", "en": "📤 Share"}
# Two demo articles about one event (from two sources, not matched as one story).
AGREEMENTS = ("الجزائر وإيطاليا توقعان 8 اتفاقيات", "توقيع ثماني اتفاقيات بين الجزائر وروما")


@pytest_asyncio.fixture(scope="module", loop_scope="module", params=ENGINES)
async def shared_world(request, tmp_path_factory):
    """One bot per engine for the module: every test here runs on SQLite and on PostgreSQL."""
    async with open_engine_world(request.param, tmp_path_factory.mktemp("inline-world")) as opened:
        yield opened


@pytest.fixture
def world(shared):
    return shared


def reader_of_lang(world, lang: str | None = "ar") -> int:
    user = world.fresh_id()
    world.emu.add_user(user, f"Reader {user}", lang)
    return user


async def ask_inline(world, user: int, text: str, **where) -> tuple[str, dict]:
    query_id = world.emu.send_inline_query(user, text, **where)
    return query_id, await world.emu.wait_for_inline_answer(query_id)


def links(message: dict) -> list[str]:
    return [e["url"] for e in message.get("entities", []) if e["type"] == "text_link"]


async def test_words_offer_matching_headlines_that_a_friend_receives_with_links(world):
    amina, friend = reader_of_lang(world), reader_of_lang(world)
    query_id, answer = await ask_inline(world, amina, "ايطاليا", chat_type="private")  # إيطاليا, as typed
    assert answer["is_personal"] is True and answer["cache_time"] == ANSWER_CACHE_SECONDS
    [result] = answer["results"]
    assert result["title"].startswith(AGREEMENTS[0])
    source, _, when = result["description"].partition(" · ")
    assert source == "الخبر اليومي" and re.fullmatch(r"\d\d-\d\d-\d{4} \d\d:\d\d", when)

    sent = world.emu.choose_inline_result(query_id, result["id"], to_user=friend)
    assert sent["via_bot"]["username"] == BOT and sent["from"]["id"] == amina
    lines = sent["text"].split("\n")
    assert lines[0] == f"{RLM}📰 {result['title']}" and lines[1].startswith(f"{RLM}{source} · ")
    assert lines[2] == RLM + READ_MORE["ar"]
    source_link, deep_link = links(sent)
    assert source_link.startswith("https://elkhabar.example.dz/news/economie/")
    assert DEEP_LINK.match(deep_link).group(1) == result["id"]

    # The friend opens the deep link: the bot shows them that article.
    (page, *_) = await world.ask(friend, f"/start read_{result['id']}")
    assert page["text"].lstrip(RLM).startswith(result["title"])


async def test_nothing_typed_offers_the_latest_in_the_readers_language_and_zone(world):
    latest = await world.services.reading.latest(SHARE_RESULTS)
    for lang in ("ar", "fr", "en"):
        user = reader_of_lang(world, lang)
        query_id, answer = await ask_inline(world, user, "")
        assert [r["id"] for r in answer["results"]] == [str(a.id) for a in latest]
        sent = world.emu.choose_inline_result(query_id, answer["results"][0]["id"], to_user=reader_of_lang(world))
        assert sent["text"].split("\n")[2].lstrip(RLM) == READ_MORE[lang]
    # A reader's language is the one chosen in their chat with the bot, not their Telegram's.
    karim = reader_of_lang(world, "ar")
    await world.ask(karim, "/lang fr")
    await world.ask(karim, "/timezone Asia/Riyadh")  # 3 hours ahead of UTC, 2 of Algiers
    _, answer = await ask_inline(world, karim, "")
    newest = latest[0]
    assert answer["results"][0]["description"].endswith(newest.shown_at.astimezone(_zone("Asia/Riyadh")).strftime("%H:%M"))
    query_id, answer = await ask_inline(world, karim, "\u200f\u200e \u2067")  # only bidi marks: nothing typed
    sent = world.emu.choose_inline_result(query_id, answer["results"][0]["id"], to_user=reader_of_lang(world))
    assert READ_MORE["fr"] in sent["text"]


def _zone(name):
    from zoneinfo import ZoneInfo

    return ZoneInfo(name)


@pytest.mark.parametrize(
    "hostile",
    [
        'title:x OR y* NEAR(a b) "', "في من على", "'; DROP TABLE articles; --", "<b>&amp;</b>", "***",
        "ع" * 256, "الجزائر " * 32, "read_99999999", "read_999999999999999999999", "read_", "@akhbar_test_bot",
        "\u202e\u2066سوناطراك\u2069", "a\x00b", "🇩🇿" * 60,
    ],
)
async def test_a_hostile_query_answers_a_list_never_an_error(world, hostile):
    user = reader_of_lang(world)
    _, answer = await ask_inline(world, user, hostile)
    assert len(answer["results"]) <= SHARE_RESULTS
    for result in answer["results"]:
        assert DEEP_LINK.match(result["input_message_content"]["message_text"].split('href="')[-1].split('"')[0])
    if hostile in ("في من على", "***", "read_99999999", "read_"):
        assert answer["results"] == []


async def test_nothing_found_is_said_above_the_empty_list_and_its_button_opens_the_help(world):
    # An empty list alone shows the reader nothing at all, as if the bot were not there.
    expected = {
        "ar": "🔎 لا أخبار عن «zzzqqq» — المس هنا للمساعدة",
        "fr": "🔎 Rien trouvé pour « zzzqqq » — touchez ici pour l'aide",
        "en": "🔎 Nothing found for “zzzqqq” — tap here for help",
    }
    for lang, line in expected.items():
        _, answer = await ask_inline(world, reader_of_lang(world, lang), "zzzqqq")
        assert answer["results"] == [] and answer["button"] == {"text": line, "start_parameter": "help"}
    _, long = await ask_inline(world, reader_of_lang(world, "en"), "x" * 256)
    assert long["button"]["text"] == f"🔎 Nothing found for “{'x' * 29}…” — tap here for help"
    _, found = await ask_inline(world, reader_of_lang(world), "ايطاليا")
    assert found["results"] and "button" not in found
    # The button opens the bot with /start help: the list of commands, not the welcome.
    user = reader_of_lang(world, "fr")
    (page,) = await world.ask(user, "/start help")
    assert page["text"].startswith("Commandes\n/start — ") and "/search" in page["text"]


async def test_only_words_every_article_holds_are_said_too_common_not_found_missing(world):
    # Before: «🔎 Nothing found for “the”»: the words were never looked for (nearly every
    # article holds them), as /search the says.
    expected = {
        "ar": "🔎 «في من على» في كل الأخبار تقريبا: أضف كلمة تدل على ما تبحث عنه",
        "fr": "🔎 « de la » est dans presque tous les articles : ajoutez un mot qui dit ce que vous cherchez",
        "en": "🔎 “the” is in nearly every story: add a word that says what you look for",
    }
    typed = {"ar": "في من على", "fr": "de la", "en": "the"}
    for lang, line in expected.items():
        _, answer = await ask_inline(world, reader_of_lang(world, lang), typed[lang])
        assert answer["results"] == [] and answer["button"] == {"text": line, "start_parameter": "help"}


async def test_reads_share_button_offers_exactly_that_article_into_a_group(world):
    amina = reader_of_lang(world, "en")
    article_id = await world.article_id(AGREEMENTS[0])
    (*_, page) = await world.ask(amina, f"/read_{article_id}")
    [[share]] = page["reply_markup"]["inline_keyboard"]
    assert share == {"text": SHARE["en"], "switch_inline_query": f"read_{article_id}"}

    # The reader taps it, picks a group: the client types the reference after the bot's name.
    group = -100_000_000_000_000 + amina
    world.emu.add_group(group, "Family", members=[amina])
    query_id, answer = await ask_inline(world, amina, share["switch_inline_query"], chat_type="supergroup")
    [result] = answer["results"]
    assert result["id"] == str(article_id)
    sent = world.emu.choose_inline_result(query_id, result["id"], chat_id=group)
    assert world.emu.chat_messages(group) == [sent] and sent["via_bot"]["id"] == world.emu.bot_id
    # Also into the reader's own chat with the bot: a shared headline is not words to search.
    query_id, _ = await ask_inline(world, amina, f"read_{article_id}")
    before = len(world.emu.messages(amina))
    world.emu.choose_inline_result(query_id, str(article_id), chat_id=amina)
    await world.handled_everything()
    assert world.emu.messages(group) == [] and len(world.emu.messages(amina)) == before


async def test_the_share_button_speaks_each_language_and_arabic_digits_work(world):
    article_id = await world.article_id(AGREEMENTS[1])
    for lang in ("ar", "fr"):
        user = reader_of_lang(world, lang)
        (*_, page) = await world.ask(user, f"/read {article_id}")
        assert page["reply_markup"]["inline_keyboard"][0][0]["text"] == SHARE[lang]
    arabic_digits = str(article_id).translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))
    _, answer = await ask_inline(world, reader_of_lang(world), f"read_{arabic_digits}")
    assert [r["id"] for r in answer["results"]] == [str(article_id)]


async def test_mutes_leave_the_latest_but_not_a_search(world):
    user = reader_of_lang(world)
    await world.ask(user, "/mute اتفاقيات")
    _, latest = await ask_inline(world, user, "")
    assert not any(r["title"].startswith(AGREEMENTS) for r in latest["results"])
    _, everyone = await ask_inline(world, reader_of_lang(world), "")
    assert any(r["title"].startswith(AGREEMENTS) for r in everyone["results"])
    _, searched = await ask_inline(world, user, "اتفاقيات")
    # The two outlets' headlines are one story (Rome for Italy, ثماني for 8): shown once.
    assert sum(r["title"].startswith(AGREEMENTS) for r in searched["results"]) == 1


async def test_a_reader_flooding_inline_queries_is_paused_politely_and_others_are_not(fresh_world):
    world = fresh_world
    flooder, neighbour = reader_of_lang(world, "fr"), reader_of_lang(world)
    allowed = int(MAX_IN_WINDOW / INLINE_QUERY_WEIGHT)  # a query counts half a command
    queries = [world.emu.send_inline_query(flooder, "الجزائر") for _ in range(allowed + 5)]
    _, answer = await ask_inline(world, neighbour, "الجزائر")
    assert answer["results"] and "button" not in answer
    answers = [await world.emu.wait_for_inline_answer(q) for q in queries]  # every one answered
    assert all(a["results"] and "button" not in a for a in answers[:allowed])
    paused = answers[allowed:]
    assert all(a["results"] == [] and a["cache_time"] == 0 for a in paused)
    assert paused[0]["button"]["text"].startswith("🐢 Beaucoup de demandes")
    assert world.emu.messages(flooder) == []  # inline mode has no chat: no notice sent anywhere


async def test_an_inline_query_the_database_cannot_answer_says_so_above_an_empty_list(fresh_world, monkeypatch):
    # Before: no answer at all (inline mode has no chat for the apology): the reader's list
    # stayed empty with nothing said, as if the bot were not there.
    world = fresh_world

    async def out_of_reach(*args, **kwargs):
        raise StorageUnavailable("unreachable", "connection refused")

    monkeypatch.setattr(world.services.sharing, "offer", out_of_reach)
    said = {"ar": "⚠️ تعذّر الوصول إلى الأخبار الآن", "fr": "⚠️ Les nouvelles sont injoignables", "en": "⚠️ The news cannot be reached"}
    for lang, start in said.items():
        _, answer = await ask_inline(world, reader_of_lang(world, lang), "سوناطراك")
        assert answer["results"] == [] and answer["cache_time"] == 0  # the next keystroke asks again
        assert answer["button"]["text"].startswith(start) and answer["button"]["start_parameter"] == "help"


async def test_with_inline_mode_off_read_has_no_share_button(tmp_path):
    async with open_world(tmp_path, inline=False) as world:
        article_id = await world.article_id(AGREEMENTS[0])
        (*_, page) = await world.ask(world.fresh_id(), f"/read_{article_id}")
        assert page["reply_markup"] is None


async def test_nothing_typed_offers_a_story_told_in_both_languages_in_the_reader_s(fresh_world):
    world = fresh_world
    await world.services.ingestor.add_many([
        make_article(title="زلزال بقوة 5.2 درجات يضرب ولاية البويرة", source="الخبر"),
        make_article(title="Séisme de magnitude 5,2 à Bouira", source="El Watan", lang="fr"),
    ])
    _, french = await ask_inline(world, reader_of_lang(world, "fr"), "")
    _, arabic = await ask_inline(world, reader_of_lang(world, "ar"), "")
    assert french["results"][0]["title"] == "Séisme de magnitude 5,2 à Bouira"
    assert arabic["results"][0]["title"] == "زلزال بقوة 5.2 درجات يضرب ولاية البويرة"
