"""Following, muting and instant alerts, through the real bot and the emulator.

A reader follows a word, a topic or a wilaya; each new story that matches reaches them once,
as it is stored, by whatever road it came (the bot's own ingestion, another process's import,
an admin's /post).  Mutes, quiet hours and the hourly cap decide what waits or never comes.
"""

from __future__ import annotations

import asyncio
import base64
import re
from datetime import UTC, datetime, time, timedelta

import pytest

from bot import views
from bot.config import load_settings
from bot.services import Services
from news.articles import make_article
from news.model import QuietHours
from news.services.follows import MAX_FOLLOWS
from news.services.subscriptions import ChatRef

from .conftest import FakeClock


@pytest.fixture
def world(engine_world):
    """Each test's bot, on each engine in turn."""
    return engine_world

READER, OTHER = 7101, 7102


def alerts(world, chat_id):
    """The alerts a chat got: each says what of theirs it matched."""
    return [m for m in world.emu.messages(chat_id) if "تتابع: " in m["text"]]


async def wait_alerts(world, chat_id, count):
    """The chat's alerts once it has `count` of them (the alert tick runs every 2 s)."""
    before = [m for m in world.emu.messages(chat_id) if m not in alerts(world, chat_id)]
    await world.emu.wait_for_messages(chat_id, len(before) + count, timeout=15)
    return alerts(world, chat_id)


async def store(world, *articles):
    return await world.services.ingestor.add_many(list(articles))


async def test_a_followed_word_brings_one_alert_per_story_matched_as_search_matches(world):
    (reply,) = await world.ask(READER, "/follow سوناطراك")
    assert "سوناطراك" in reply["text"] and "كلمات" in reply["text"]
    await store(world, make_article(title="اتفاق جديد لسوناطراك مع شريك إيطالي", source="وكالة"))
    (alert,) = await wait_alerts(world, READER, 1)
    assert "اتفاق جديد لسوناطراك" in alert["text"] and "/read_" in alert["text"]
    assert "تتابع: سوناطراك" in alert["text"]
    # The same story from a second source: no second alert.  A reader who follows nothing: none.
    await store(world, make_article(title="اتفاق جديد لسوناطراك مع شريك إيطالي اليوم", source="جريدة"))
    (proof,) = await world.ask(READER, "/following")  # the bot has been listening meanwhile
    assert "سوناطراك" in proof["text"]
    assert len(alerts(world, READER)) == 1 and alerts(world, OTHER) == []


async def test_one_event_told_in_arabic_then_in_french_brings_one_alert(world):
    # Before: a French headline and an Arabic one were never one story, so the quake came twice.
    karim = 7114
    world.emu.add_user(karim, first_name="Karim", language_code="fr")
    await world.ask(karim, "/follow Bouira")
    await store(world, make_article(title="زلزال بقوة 5.2 درجات يضرب ولاية البويرة", source="الخبر"))
    first = (await world.emu.wait_for_messages(karim, 2, timeout=15))[1]
    assert "البويرة" in first["text"]
    await store(world, make_article(title="Séisme de magnitude 5,2 à Bouira", source="El Watan", lang="fr"))
    # a quake of another magnitude is another event: its alert is the next one (alerts go out
    # oldest first, so a second alert for the first quake would have come before it)
    await store(world, make_article(title="Nouvelle secousse de magnitude 3,1 à Bouira", source="TSA", lang="fr"))
    second = (await world.emu.wait_for_messages(karim, 3, timeout=15))[2]
    assert "3,1" in second["text"]


async def test_a_story_told_in_both_languages_alerts_each_reader_in_theirs(world):
    # One story, two tellings stored at once: the French reader reads El Watan's, the Arabic
    # reader El Khabar's, the English reader the French one (Latin letters), each once.
    karim, amine, john = 7115, 7116, 7117
    world.emu.add_user(karim, first_name="Karim", language_code="fr")
    world.emu.add_user(john, first_name="John", language_code="en")
    for reader in (karim, amine, john):
        await world.ask(reader, "/follow Bouira")
    await store(world, make_article(title="زلزال بقوة 5.2 درجات يضرب ولاية البويرة", source="الخبر"),
                make_article(title="Séisme de magnitude 5,2 à Bouira", source="El Watan", lang="fr"))
    french = (await world.emu.wait_for_messages(karim, 2, timeout=15))[1]["text"]
    arabic = (await world.emu.wait_for_messages(amine, 2, timeout=15))[1]["text"]
    english = (await world.emu.wait_for_messages(john, 2, timeout=15))[1]["text"]
    assert "Séisme de magnitude 5,2 à Bouira" in french and "El Watan" in french and "البويرة" not in french
    assert "زلزال بقوة 5.2" in arabic and "Séisme" not in arabic
    assert "Séisme de magnitude 5,2 à Bouira" in english
    await world.ask(karim, "/following")  # the bot has been listening meanwhile: no second alert
    assert len([m for m in world.emu.messages(karim) if "5,2" in m["text"] or "5.2" in m["text"]]) == 1


async def test_latest_and_digest_show_a_story_in_the_reader_s_language_where_a_source_told_it_so(world):
    karim, amine = 7118, 7119
    world.emu.add_user(karim, first_name="Karim", language_code="fr")
    await store(world, make_article(title="زلزال بقوة 5.2 درجات يضرب ولاية البويرة", source="الخبر"),
                make_article(title="Séisme de magnitude 5,2 à Bouira", source="El Watan", lang="fr"),
                make_article(title="افتتاح معرض الكتاب بقسنطينة", source="الخبر"))
    for command in ("/latest 2", "/wilaya Bouira", "/digest"):
        (french,) = await world.ask(karim, command)
        (arabic,) = await world.ask(amine, command)
        assert "Séisme de magnitude 5,2 à Bouira" in french["text"] and "زلزال بقوة" not in french["text"], command
        assert "زلزال بقوة 5.2" in arabic["text"] and "Séisme" not in arabic["text"], command
    # a story told in Arabic alone is shown in Arabic to everyone
    (french,) = await world.ask(karim, "/latest 2")
    assert "افتتاح معرض الكتاب" in french["text"]


async def test_a_story_followed_by_many_french_readers_reads_its_french_telling_once(world):
    # Each of 30 French readers following Sonatrach is alerted with El Watan's French headline;
    # before, finding it cost a query per reader (told_in read 30 times: 3,000 for a storm of
    # 3,000 French readers, where the story's article is read once), now once per alert pass.
    readers = range(7140, 7170)
    for reader in readers:
        world.emu.add_user(reader, first_name="Karim", language_code="fr")
        await world.ask(reader, "/follow سوناطراك")
    articles = world.services.articles
    told_in, reads = articles.told_in, []

    async def counted(story_ids, lang, fetched_by=None):
        reads.append(lang)
        return await told_in(story_ids, lang, fetched_by)

    articles.told_in = counted
    await store(world, make_article(title="سوناطراك توقع اتفاقا جديدا مع إيني الإيطالية", source="الخبر"),
                make_article(title="Sonatrach signe un nouvel accord avec l'italien Eni", source="El Watan", lang="fr"))
    for reader in readers:
        alert = (await world.emu.wait_for_messages(reader, 2, timeout=15))[1]["text"]
        assert "Sonatrach signe un nouvel accord" in alert
    assert 1 <= len(reads) <= 3, reads


async def test_a_telling_holding_a_word_the_reader_muted_is_never_the_one_shown(world):
    # Before: the French reader who muted «séisme» had the quake told in Arabic shown as El
    # Watan's «Séisme…» in /latest, /digest and the alert, the muted word and all.  A telling
    # the reader muted is not swapped in: the story stays in the telling they did not mute.
    karim = 7120
    world.emu.add_user(karim, first_name="Karim", language_code="fr")
    await world.ask(karim, "/follow Bouira")
    await world.ask(karim, "/mute séisme")
    await store(world, make_article(title="زلزال بقوة 5.2 درجات يضرب ولاية البويرة", source="الخبر"),
                make_article(title="Séisme de magnitude 5,2 à Bouira", source="El Watan", lang="fr"))
    alert = (await world.emu.wait_for_messages(karim, 3, timeout=15))[2]["text"]
    assert "زلزال بقوة 5.2" in alert and "Séisme" not in alert
    for command in ("/latest 2", "/wilaya Bouira", "/digest"):
        (shown,) = await world.ask(karim, command)
        assert "زلزال بقوة 5.2" in shown["text"] and "Séisme" not in shown["text"], command


async def test_normalization_joins_spellings_and_a_topic_and_a_wilaya_are_understood_as_such(world):
    (word,) = await world.ask(READER, "/follow الحمايه")
    (topic,) = await world.ask(READER, "/follow رياضة")
    (wilaya,) = await world.ask(READER, "/follow Oran")
    assert "الحمايه" in word["text"]
    assert "موضوع" in topic["text"] and "رياضة" in topic["text"]
    assert "ولاية" in wilaya["text"] and "وهران" in wilaya["text"]
    await store(world, make_article(title="تدخلات مكثفة لمصالح الحماية المدنية", source="أ"))
    (first,) = await wait_alerts(world, READER, 1)
    assert "الحماية المدنية" in first["text"]
    await store(world, make_article(title="افتتاح مسبح أولمبي جديد في وهران", source="ب"))
    second = (await wait_alerts(world, READER, 2))[-1]
    assert "وهران" in second["text"]


async def test_following_a_wilaya_by_the_spelling_algerians_type_follows_the_wilaya(world):
    me = 7106  # a reader in French
    world.emu.add_user(me, first_name="Q", language_code="fr")
    (wahran,) = await world.ask(me, "/follow wahran")
    assert "nouveaux articles de la wilaya" in wahran["text"] and "Oran" in wahran["text"]
    (mosta,) = await world.ask(me, "/follow Mosta")
    assert "nouveaux articles de la wilaya" in mosta["text"] and "Mostaganem" in mosta["text"]
    follows = await world.services.follows.following(me)
    assert [(f.kind, f.terms) for f in follows] == [("wilaya", ("31",)), ("wilaya", ("27",))]


async def test_an_alert_names_a_followed_wilaya_or_topic_as_following_does(world):
    # Before: the alert repeated what was typed: «تتابع: 31», «You follow: wahran».
    (followed,) = await world.ask(READER, "/follow 31")
    assert "وهران" in followed["text"]
    john = 7107
    world.emu.add_user(john, first_name="John", language_code="en")
    await world.ask(john, "/follow wahran")
    await store(world, make_article(title="افتتاح خط جديد للترامواي في وهران", source="وكالة"))
    (alert,) = await wait_alerts(world, READER, 1)
    assert alert["text"].endswith("تتابع: وهران")
    (english,) = (await world.emu.wait_for_messages(john, 2, timeout=15))[1:]
    assert english["text"].endswith("You follow: Oran")


def reads_left_to_right(line):
    """Whether Telegram shows `line` left-to-right: it takes the direction of its first strong
    character (U+200E and U+200F are strong)."""
    for char in line:
        if char == "\u200e" or char.isascii() and char.isalpha() or "\u00c0" <= char <= "\u024f":
            return True
        if char == "\u200f" or "\u0600" <= char <= "\u06ff":
            return False
    return True


async def test_a_french_or_english_reader_s_alert_says_why_in_a_line_of_their_language_read_left_to_right(world):
    # Before: the Arabic headline made the whole alert right-to-left, its last line too:
    # «\u200fVous suivez : سوناطراك, Oran», shown reversed («Oran ,سوناطراك : Vous suivez»).
    karim, john = 7112, 7113
    world.emu.add_user(karim, first_name="Karim", language_code="fr")
    world.emu.add_user(john, first_name="John", language_code="en")
    await world.ask(karim, "/follow سوناطراك")
    await world.ask(karim, "/follow Oran")
    await world.ask(john, '/follow "الحماية المدنية"')
    await store(world, make_article(title="سوناطراك تفتتح مصفاة جديدة في وهران", source="الخبر"),
                make_article(title="تدخل مصالح الحماية المدنية لإخماد حريق في سطيف", source="النهار"))
    french = (await world.emu.wait_for_messages(karim, 3, timeout=15))[2]["text"].split("\n")
    english = (await world.emu.wait_for_messages(john, 2, timeout=15))[1]["text"].split("\n")
    assert french[-1].lstrip("\u200e") == "Vous suivez : سوناطراك, Oran" and reads_left_to_right(french[-1])
    assert english[-1].lstrip("\u200e") == 'You follow: "الحماية المدنية"' and reads_left_to_right(english[-1])
    # The Arabic headline and source still read right-to-left.
    assert not any(reads_left_to_right(line) for line in french[:2] + english[:2])


async def test_a_french_or_english_reader_s_replies_quoting_arabic_first_read_left_to_right(world):
    # Before: «🔈 كرة القدم n'est plus masqué.» began with U+200F (its first letter Arabic),
    # and showed reversed: «.n'est plus masqué كرة القدم 🔈».
    karim, john = 7114, 7115
    world.emu.add_user(karim, first_name="Karim", language_code="fr")
    world.emu.add_user(john, first_name="John", language_code="en")
    await world.ask(karim, "/mute كرة القدم")
    (again,) = await world.ask(karim, "/mute كرة القدم")
    (unmuted,) = await world.ask(karim, "/unmute كرة القدم")
    await world.ask(john, "/mute الحماية المدنية")
    (english,) = await world.ask(john, "/unmute الحماية المدنية")
    assert again["text"].lstrip("\u200e") == "كرة القدم est déjà masqué." and reads_left_to_right(again["text"])
    assert unmuted["text"].lstrip("\u200e") == "🔈 كرة القدم n'est plus masqué." and reads_left_to_right(unmuted["text"])
    assert english["text"].lstrip("\u200e") == "🔈 الحماية المدنية is no longer muted." and reads_left_to_right(english["text"])


async def test_a_list_with_commas_follows_or_mutes_each_of_its_items(world):
    # Before: «/follow Sonatrach, Sonelgaz» followed stories holding both words (few or none),
    # and «/mute foot، rugby» hid only stories about both.
    me = 7109
    world.emu.add_user(me, first_name="Karim", language_code="fr")
    (both,) = await world.ask(me, "/follow Sonatrach, Sonelgaz; Oran")
    assert both["text"].split("\n") == [
        "✅ Vous recevrez les nouveaux articles contenant : Sonatrach (des mots, tous présents).",
        "✅ Vous recevrez les nouveaux articles contenant : Sonelgaz (des mots, tous présents).",
        "✅ Vous recevrez les nouveaux articles de la wilaya d'Oran.",
    ]
    (muted,) = await world.ask(me, "/mute foot، rugby")
    assert muted["text"].count("🔇") == 2
    (phrase,) = await world.ask(me, '/follow "Sonatrach, Sonelgaz"')  # in quotes: as typed
    assert "l'expression" in phrase["text"]
    kept = {(f.kind, f.text, f.mute) for f in await world.services.follows.following(me)}
    assert kept == {
        ("words", "Sonatrach", False), ("words", "Sonelgaz", False), ("wilaya", "Oran", False),
        ("words", "foot", True), ("words", "rugby", True), ("phrase", '"Sonatrach, Sonelgaz"', False),
    }


async def test_a_number_with_a_decimal_comma_is_one_follow_not_a_list(world):
    me = 7110
    world.emu.add_user(me, first_name="Karim", language_code="fr")
    await world.ask(me, "/follow 1,5 milliard, Sonatrach")
    kept = {f.text for f in await world.services.follows.following(me)}
    assert kept == {"1,5 milliard", "Sonatrach"}


async def test_unfollow_names_a_phrase_with_or_without_its_quotes(world):
    # Before: «/unfollow protection civile» answered «Vous ne suivez pas « protection civile »»
    # to a reader following "protection civile", as /following lists it.
    me = 7110
    world.emu.add_user(me, first_name="Karim", language_code="fr")
    await world.ask(me, '/follow "protection civile"')
    (gone,) = await world.ask(me, "/unfollow protection civile")
    assert gone["text"] == '🔕 Vous ne suivez plus "protection civile".'
    await world.ask(me, "/mute foot")
    (unmuted,) = await world.ask(me, '/unmute "foot"')
    assert unmuted["text"] == "🔈 foot n'est plus masqué."
    assert await world.services.follows.following(me) == []


async def test_bad_input_is_explained_and_stores_nothing(world):
    cases = {
        "/follow": "اكتب ما تريد متابعته",
        "/follow ب": "أقصر من أن يُتابَع",
        "/follow في من على": "كلمات شائعة جدا",
        "/follow " + "سوناطراك " * 12: "100 حرف",
        # Nine short words (57 characters): the limit they pass is the number of words.
        "/follow وهران قسنطينة عنابة سطيف بجاية تلمسان باتنة البليدة الشلف": "كلمات كثيرة جدا: 8 كلمات على الأكثر",
        '/follow "الحماية المدنية': "علامة تنصيص",
        "/follow title:x OR y*": "صيغ البحث",
    }
    for command, expected in cases.items():
        (reply,) = await world.ask(READER, command)
        assert expected in reply["text"], (command, reply["text"])
    assert await world.services.follows.following(READER) == []


async def test_what_is_typed_after_a_newline_or_any_space_is_the_commands_argument(world):
    # A phone's keyboard may put a newline, a no-break space or a tab after the command: what
    # follows is the argument all the same, never the usage line.
    (word,) = await world.ask(READER, "/follow\nسوناطراك")
    (wilaya,) = await world.ask(READER, "/follow\u00a0وهران")
    (muted,) = await world.ask(READER, "/mute\tكرة")
    (quiet,) = await world.ask(READER, "/quiet\n22:00-07:00")
    (gone,) = await world.ask(READER, "/unfollow  \n سوناطراك")
    assert "سوناطراك" in word["text"] and "كلمات" in word["text"]
    assert "ولاية" in wilaya["text"] and "وهران" in wilaya["text"]
    assert "كرة" in muted["text"] and "🔇" in muted["text"]
    assert "22:00" in quiet["text"] and "07:00" in quiet["text"]
    assert "لم تعد تتابع" in gone["text"] and "سوناطراك" in gone["text"]
    left = await world.services.follows.following(READER)
    assert [(f.kind, f.text, f.mute) for f in left] == [("wilaya", "وهران", False), ("words", "كرة", True)]


async def test_fifty_follows_at_most_then_a_polite_refusal(world):
    from news.services.subscriptions import ChatRef

    ref = ChatRef(READER, "private", "")
    for n in range(MAX_FOLLOWS):
        await world.services.follows.follow(ref, "ar", f"كلمة{n}ب")
    (reply,) = await world.ask(READER, "/follow سوناطراك")
    assert "الحد الأقصى" in reply["text"] and "50" in reply["text"]
    assert len(await world.services.follows.following(READER)) == MAX_FOLLOWS


async def test_following_lists_with_buttons_and_unfollow_by_number_text_or_button(world):
    await world.ask(READER, "/follow سوناطراك")
    await world.ask(READER, "/follow وهران")
    await world.ask(READER, "/mute كرة")
    (listing,) = await world.ask(READER, "/following")
    assert "1. سوناطراك" in listing["text"] and "2. وهران" in listing["text"] and "3. كرة" in listing["text"]
    (gone,) = await world.ask(READER, "/unfollow 2")
    assert "وهران" in gone["text"]
    (unknown,) = await world.ask(READER, "/unfollow بوخرص")
    assert "لا تتابع «بوخرص»" in unknown["text"]
    (listing,) = await world.ask(READER, "/following")
    buttons = [b for row in listing["reply_markup"]["inline_keyboard"] for b in row]
    await world.press(READER, listing, buttons[0]["callback_data"], replies=0)
    left = await world.services.follows.following(READER)
    assert [(f.text, f.mute) for f in left] == [("كرة", True)]


async def english_reader_following(world, me, *texts):
    """A reader in English who follows (or, "-text", mutes) these, told to the service: a
    test's commands stay few enough not to be told to slow down."""
    world.emu.add_user(me, first_name="Q", language_code="en")
    ref = ChatRef(me, "private", "")
    for text in texts:
        if text.startswith("-"):
            await world.services.follows.mute(ref, "en", text[1:])
        else:
            await world.services.follows.follow(ref, "en", text)


async def test_unfollow_and_unmute_take_the_number_of_a_mute_as_the_list_shows_it(world):
    me = 7104
    await english_reader_following(world, me, "Oran", "-football", "-rain", "Sonatrach")
    (listing,) = await world.ask(me, "/following")
    assert "3. football" in listing["text"] and "/unfollow and its number" in listing["text"]
    (football,) = await world.ask(me, "/unfollow 3")  # a mute, by the number the list gives it
    assert "football is no longer muted." in football["text"]
    (rain,) = await world.ask(me, "/unmute 3")  # the list is 1. Oran, 2. Sonatrach, 3. rain now
    assert "rain is no longer muted." in rain["text"]
    (oran,) = await world.ask(me, "/unmute 1")  # whichever it is: said as what it was
    assert "You no longer follow Oran." in oran["text"]
    assert [(f.text, f.mute) for f in await world.services.follows.following(me)] == [("Sonatrach", False)]


async def test_a_number_past_the_list_is_said_to_be_none_of_it(world):
    me = 7105
    await english_reader_following(world, me, "Oran", "-football")
    (none,) = await world.ask(me, "/unfollow 99")
    assert none["text"] == "There is no number 99 in your list: /following shows it with its numbers."
    (oran,) = await world.ask(me, "/unfollow 31")  # no number 31 in the list: the wilaya's code
    assert "You no longer follow Oran." in oran["text"]
    (arabic,) = await world.ask(READER, "/unmute 99")
    assert "لا يوجد رقم 99 في قائمتك" in arabic["text"] and "/following" in arabic["text"]


async def test_unmute_alone_explains_unmute(world):
    (usage,) = await world.ask(READER, "/unmute")
    assert "/unmute كرة القدم" in usage["text"] and "/mute كرة القدم" not in usage["text"]
    (mute,) = await world.ask(READER, "/mute")
    assert "/mute كرة القدم" in mute["text"]


async def test_a_mute_keeps_a_story_out_of_alerts_and_latest(world):
    await world.ask(READER, "/follow المنتخب")
    await world.ask(OTHER, "/follow المنتخب")
    (muted,) = await world.ask(READER, "/mute كرة القدم")
    assert "كرة القدم" in muted["text"]
    await store(world, make_article(title="المنتخب تتأهل في كرة القدم إلى النهائي", source="أ"))
    await wait_alerts(world, OTHER, 1)  # the story went out: the reader who muted it got nothing
    (latest,) = await world.ask(READER, "/latest 50")
    assert alerts(world, READER) == [] and "تتأهل في كرة القدم" not in latest["text"]
    (theirs,) = await world.ask(OTHER, "/latest 50")
    assert "تتأهل في كرة القدم" in theirs["text"]


async def test_a_french_readers_mute_of_words_offers_their_arabic_words_and_keeps_them_out_of_latest(world):
    # Before: /mute football hid the French word only; «كرة القدم» stories, most of them,
    # still filled the reader's /latest and digest.
    me = 7110
    world.emu.add_user(me, first_name="Karim", language_code="fr")
    await store(world, make_article(title="نهائي كأس كرة القدم يجمع ناديين من الغرب", source="أ"))
    (reply,) = await world.ask(me, "/mute football")
    assert 'masquer aussi « \u200e\u200f"كرة القدم"\u200f\u200e »' in reply["text"]  # (a phrase: quoted)
    (button,) = reply["reply_markup"]["inline_keyboard"][0]
    assert button["text"] == '🔇 Masquer aussi en arabe : "كرة القدم"'
    (done,) = await world.press(me, reply, button["callback_data"])
    assert "كرة القدم" in done["text"] and not done.get("reply_markup")
    assert [f.text for f in await world.services.follows.following(me) if f.mute] == ["football", '"كرة القدم"']
    (latest,) = await world.ask(me, "/latest 50")
    assert "نهائي كأس كرة القدم" not in latest["text"]


async def test_following_what_was_muted_lifts_the_mute_and_its_alerts_come(world):
    (muted,) = await world.ask(READER, "/mute سوناطراك")
    assert "لن ترى" in muted["text"]
    (followed,) = await world.ask(READER, "/follow سوناطراك")
    assert "✅ ستصلك الأخبار الجديدة التي فيها: سوناطراك" in followed["text"]
    assert "أُلغي كتم سوناطراك" in followed["text"]
    (listing,) = await world.ask(READER, "/following")
    assert "1. سوناطراك" in listing["text"] and "ما كتمته" not in listing["text"]
    await store(world, make_article(title="سوناطراك توقع اتفاقا جديدا مع شريك", source="وكالة"))
    (alert,) = await wait_alerts(world, READER, 1)
    assert "سوناطراك توقع اتفاقا جديدا" in alert["text"]


async def test_muting_what_is_followed_ends_that_follow_and_says_so_keeping_the_others(world):
    me = 7103
    await english_reader_following(world, me, "Oran", "سوناطراك", "رياضة", '"كرة القدم"', "كرة")
    (oran,) = await world.ask(me, "/mute وهران")  # the wilaya Oran, by its Arabic name
    assert "You will no longer see stories containing: وهران" in oran["text"]
    assert "And you no longer follow Oran." in oran["text"]
    (sport,) = await world.ask(me, "/mute رياضة")  # the topic sports
    assert "And you no longer follow Sports." in sport["text"]
    (ball,) = await world.ask(me, "/mute كرة")  # the word كرة, not the phrase “كرة القدم”
    assert "And you no longer follow كرة." in ball["text"]
    left = await world.services.follows.following(me)
    assert [(f.text, f.mute) for f in left] == [
        ("سوناطراك", False), ('"كرة القدم"', False), ("وهران", True), ("رياضة", True), ("كرة", True),
    ]
    # And back: following the wilaya again lifts the mute typed as its name.
    (again,) = await world.ask(me, "/follow Oran")
    assert "the wilaya of Oran" in again["text"]
    assert "And وهران, which you had muted, is no longer muted." in again["text"]
    assert [f.text for f in await world.services.follows.following(me) if f.mute] == ["رياضة", "كرة"]


async def test_quiet_hours_hold_alerts_and_deliver_one_bundle_when_they_end(world):
    clock = world.services.clock = FakeClock(datetime(2026, 12, 4, 22, 30, tzinfo=UTC))  # 23:30 in Algiers
    await world.ask(READER, "/follow سوناطراك")
    (quiet,) = await world.ask(READER, "/quiet 23:00-07:00")
    assert "23:00" in quiet["text"] and "07:00" in quiet["text"]
    await world.ask(OTHER, "/follow سوناطراك")
    await store(world, make_article(title="سوناطراك تعلن اكتشافا جديدا", source="أ"),
                make_article(title="سوناطراك توقع عقدا مع شركة آسيوية", source="ب"))
    await wait_alerts(world, OTHER, 2)  # delivered to the other reader: ours were held
    assert alerts(world, READER) == []
    assert {a.state for a in await world.services.alerts.of_chat(READER)} == {"held"}
    clock.now = datetime(2026, 12, 5, 6, 1, tzinfo=UTC)  # 07:01: quiet hours are over
    bundle = (await world.emu.wait_for_messages(READER, len(world.emu.messages(READER)) + 1, timeout=15))[-1]
    assert "خلال ساعات الهدوء (2)" in bundle["text"]
    assert "اكتشافا جديدا" in bundle["text"] and "عقدا مع شركة" in bundle["text"]


async def test_what_was_unfollowed_or_muted_during_quiet_hours_is_not_in_the_bundle(world):
    # Before: a reader who unfollowed Sonatrach, or muted football, at 23:45 still got at 07:00
    # the stories held for them meanwhile, muted or not.
    clock = world.services.clock = FakeClock(datetime(2026, 12, 4, 22, 30, tzinfo=UTC))  # 23:30 in Algiers
    await world.ask(READER, "/follow سوناطراك")
    await world.ask(READER, "/follow وهران")
    await world.ask(READER, "/quiet 23:00-07:00")
    await store(world, make_article(title="سوناطراك تعلن اكتشافا جديدا", source="أ"),
                make_article(title="مولودية وهران تفوز في مباراة كرة القدم أمام الضيوف", source="ب"),
                make_article(title="افتتاح خط جديد للترامواي في وهران", source="ج"))
    await alert_states(world, READER, ["held", "held", "held"])
    await world.ask(READER, "/unfollow سوناطراك")
    await world.ask(READER, "/mute كرة القدم")
    clock.now = datetime(2026, 12, 5, 6, 1, tzinfo=UTC)  # 07:01
    bundle = (await world.emu.wait_for_messages(READER, len(world.emu.messages(READER)) + 1, timeout=15))[-1]
    assert "خلال ساعات الهدوء (1)" in bundle["text"] and "خط جديد للترامواي" in bundle["text"]
    assert "سوناطراك" not in bundle["text"] and "كرة القدم" not in bundle["text"]
    await world.handled_everything()
    assert world.emu.messages(READER)[-1]["message_id"] == bundle["message_id"]


async def test_quiet_hours_typed_the_french_way_with_hours_alone(world):
    me = 7104  # a reader in French, who writes hours as "22h"
    world.emu.add_user(me, first_name="Q", language_code="fr")
    (spaced,) = await world.ask(me, "/quiet 22h - 7h")
    assert "Heures calmes : 22:00–07:00" in spaced["text"], spaced["text"]
    (glued,) = await world.ask(me, "/quiet 23h-6h")
    assert "Heures calmes : 23:00–06:00" in glued["text"], glued["text"]
    assert (await world.services.chats.get(me)).quiet == QuietHours(time(23), time(6))
    (nonsense,) = await world.ask(me, "/quiet 25h-7h")
    assert "par exemple : /quiet 22:00-07:00" in nonsense["text"]


@pytest.mark.parametrize(
    "typed",
    ["من 22 إلى 7", "من ٢٢ الى ٧ صباحا", "22:00 07:00", "10 pm - 7 am", "de 22h à 7h", "from 10pm to 7am", "22 حتى 7"],
)
async def test_quiet_hours_written_as_from_to_or_two_times(world, typed):
    # Before: each of these answered the usage line, and nothing was kept.
    (reply,) = await world.ask(READER, f"/quiet {typed}")
    assert "ساعات الهدوء: 22:00–07:00" in reply["text"], reply["text"]
    assert (await world.services.chats.get(READER)).quiet == QuietHours(time(22), time(7))


async def test_following_with_quiet_hours_alone_still_says_nothing_is_followed(world):
    # Before: /following answered only «🌙 Heures calmes : 23:00–06:00», as if the list were lost.
    me = 7106
    world.emu.add_user(me, first_name="Q", language_code="fr")
    await world.ask(me, "/quiet 23h-6h")
    (listing,) = await world.ask(me, "/following")
    assert listing["text"] == (
        "Vous ne suivez rien pour l'instant. Essayez /follow Sonatrach ou /follow Oran.\n\n"
        "🌙 Heures calmes : 23:00–06:00 (Alger)"
    )


async def test_quiet_hours_that_start_when_they_end_are_explained(world):
    # Before: «/quiet 22:00-22:00» got the usage line, as if the form were wrong.
    me = 7111
    world.emu.add_user(me, first_name="John", language_code="en")
    (same,) = await world.ask(me, "/quiet 22:00-22:00")
    assert same["text"] == "The start and the end are the same time: give two different times, for example: /quiet 22:00-07:00"
    (words,) = await world.ask(me, "/quiet from 10 pm to 22:00")
    assert words["text"].startswith("The start and the end are the same time")
    assert (await world.services.chats.get(me)) is None or (await world.services.chats.get(me)).quiet is None


async def test_quiet_off_delivers_what_was_held_at_once(world):
    world.services.clock = FakeClock(datetime(2026, 12, 4, 22, 30, tzinfo=UTC))
    await world.ask(READER, "/follow سوناطراك")
    await world.ask(READER, "/quiet 23:00-07:00")
    await store(world, make_article(title="سوناطراك تعلن اكتشافا جديدا", source="أ"))
    (off,) = await world.ask(READER, "/quiet off")
    assert "لا ساعات هدوء" in off["text"]
    bundle = (await world.emu.wait_for_messages(READER, len(world.emu.messages(READER)) + 1, timeout=15))[-1]
    assert "اكتشافا جديدا" in bundle["text"]


# Thirteen stories about Sonatrach, one after the other: more than an hour's cap of alerts.
CAPPED_SUBJECTS = [
    "توقع عقدا مع شركة آسيوية", "تعلن اكتشافا نفطيا في إليزي", "ترفع إنتاج الغاز الطبيعي", "تطلق مناقصة لتوظيف المهندسين",
    "تفتتح مصفاة جديدة في سكيكدة", "تنشر حصيلتها المالية السنوية", "تستثمر في الطاقة الشمسية بالجنوب",
    "تبرم اتفاقا مع إيطاليا حول الأنابيب", "تكرم عمالها المتقاعدين", "تشارك في معرض هيوستن للطاقة",
    "تدعم الجامعات ببرنامج للبحث العلمي", "تخفض أسعار الوقود للفلاحين", "تعين مديرا جديدا لفرعها في وهران",
]


async def test_over_the_hourly_cap_the_rest_are_summed_up_when_the_hour_ends(world):
    clock = world.services.clock = FakeClock(datetime(2026, 12, 4, 10, 5, tzinfo=UTC))
    await world.ask(READER, "/follow سوناطراك")
    cap = world.settings.alerts_per_hour
    stories = [make_article(title=f"سوناطراك {subject}", source=f"م{n}") for n, subject in enumerate(CAPPED_SUBJECTS[: cap + 3])]
    await store(world, *stories)
    await wait_alerts(world, READER, cap)
    # Capped as soon as they were planned, before the first of the others was sent.
    assert [a.state for a in await world.services.alerts.of_chat(READER)].count("capped") == 3
    clock.now = datetime(2026, 12, 4, 11, 0, 5, tzinfo=UTC)
    summary = (await world.emu.wait_for_messages(READER, len(world.emu.messages(READER)) + 1, timeout=15))[-1]
    assert "3 أخبار أخرى عن: سوناطراك" in summary["text"]


async def test_a_reader_half_an_hour_from_utc_is_capped_and_summed_up_by_their_own_clock_hour(world):
    # Before: the cap's hour was UTC's, which in Kolkata ends at half past: at 10:30 the
    # reader got «3 أخبار أخرى» and the next story too — 11 alerts and a summary within the
    # hour from 10:00 to 11:00 on their clock.
    for job in world.app.job_queue.get_jobs_by_name("alerts"):
        job.schedule_removal()  # the test sends what is due itself, at the instants it sets
    deliver = world.app.bot_data.alerts.deliver_due
    clock = world.services.clock = FakeClock(datetime(2026, 12, 4, 4, 35, tzinfo=UTC))  # 10:05 in Kolkata
    await world.ask(READER, "/timezone Asia/Kolkata")
    await world.ask(READER, "/follow سوناطراك")
    cap = world.settings.alerts_per_hour
    await store(world, *[make_article(title=f"سوناطراك {subject}", source=f"م{n}")
                         for n, subject in enumerate(CAPPED_SUBJECTS[: cap + 3])])
    await world.services.alerts.expand_all()
    assert await deliver() == cap
    clock.now = datetime(2026, 12, 4, 5, 0, 5, tzinfo=UTC)  # 10:30 in Kolkata: the same hour there
    await store(world, make_article(title="سوناطراك تبحث عن شركاء جدد في الصين", source="س"))
    await world.services.alerts.expand_all()
    assert await deliver() == 0
    clock.now = datetime(2026, 12, 4, 5, 30, 5, tzinfo=UTC)  # 11:00 in Kolkata: the hour is over
    assert await deliver() == 1
    assert "4 أخبار أخرى عن: سوناطراك" in world.emu.messages(READER)[-1]["text"]


async def test_what_waited_over_the_hours_cap_when_quiet_hours_began_comes_in_their_one_bundle(world):
    # Before: at 07:00 two messages, «خلال ساعات الهدوء (1)» and then «3 أخبار أخرى عن: سوناطراك»
    # for the stories over 21:00's cap, which had waited through the night as well.
    clock = world.services.clock = FakeClock(datetime(2026, 12, 4, 20, 30, tzinfo=UTC))  # 21:30 in Algiers
    await world.ask(READER, "/follow سوناطراك")
    await world.ask(READER, "/quiet 22:00-07:00")
    cap = world.settings.alerts_per_hour
    over = [f"سوناطراك {subject}" for subject in CAPPED_SUBJECTS[cap : cap + 3]]
    await store(world, *[make_article(title=f"سوناطراك {subject}", source=f"م{n}")
                         for n, subject in enumerate(CAPPED_SUBJECTS[: cap + 3])])
    await wait_alerts(world, READER, cap)
    clock.now = datetime(2026, 12, 4, 21, 0, 5, tzinfo=UTC)  # 22:00: the hour is over, and quiet hours begin
    await store(world, make_article(title="سوناطراك تبحث عن شركاء جدد في الصين", source="س"))
    await alert_states(world, READER, ["sent"] * cap + ["capped"] * 3 + ["held"])
    before = len(world.emu.messages(READER))
    clock.now = datetime(2026, 12, 5, 6, 0, 5, tzinfo=UTC)  # 07:00: quiet hours are over
    await alert_states(world, READER, ["sent"] * cap + ["summed"] * 4)
    (bundle,) = world.emu.messages(READER)[before:]
    assert "خلال ساعات الهدوء (4)" in bundle["text"], bundle["text"]
    assert all(title in bundle["text"] for title in [*over, "سوناطراك تبحث عن شركاء جدد في الصين"])


async def test_old_news_and_reimports_alert_nobody(world):
    await world.ask(READER, "/follow سوناطراك")
    old = make_article(title="سوناطراك في أرشيف الأسبوع الماضي", source="أ",
                       published_at=datetime.now(UTC) - timedelta(days=3))
    fresh = make_article(title="سوناطراك اليوم", source="أ")
    await store(world, old, fresh)
    await wait_alerts(world, READER, 1)
    await store(world, fresh)  # the same article again: a duplicate
    (proof,) = await world.ask(READER, "/following")
    assert proof and [a["text"] for a in alerts(world, READER)] == [alerts(world, READER)[0]["text"]]
    assert "سوناطراك اليوم" in alerts(world, READER)[0]["text"]


async def test_a_story_imported_by_another_process_alerts_the_running_bot_s_readers(world):
    await world.ask(READER, "/follow سوناطراك")
    settings = load_settings({})
    from dataclasses import replace

    async with await Services.open(
        replace(settings, db_path=world.settings.db_path, database_url=world.settings.database_url)
    ) as importer:
        await importer.ingestor.add_many([make_article(title="سوناطراك: حصيلة سنوية قياسية", source="أ")])
    (alert,) = await wait_alerts(world, READER, 1)
    assert "حصيلة سنوية قياسية" in alert["text"]


async def test_deep_links_open_an_article_and_offer_a_follow(world):
    article_id = (await world.services.reading.latest(1))[0].id
    (article,) = (await world.ask(READER, f"/start read_{article_id}"))[:1]
    assert "🔗" in article["text"] or "<b>" not in article["text"]
    payload = base64.urlsafe_b64encode("سوناطراك".encode()).decode().rstrip("=")
    (offer,) = await world.ask(READER, f"/start follow_{payload}")
    assert "هل تريد متابعة" in offer["text"] and "سوناطراك" in offer["text"]
    button = offer["reply_markup"]["inline_keyboard"][0][0]
    (done,) = await world.press(READER, offer, button["callback_data"])
    assert "سوناطراك" in done["text"]
    assert [f.text for f in await world.services.follows.following(READER)] == ["سوناطراك"]


async def test_a_deep_link_offers_a_wilaya_or_topic_by_its_name_in_the_readers_language(world):
    # Before: a French reader opening a link to follow وهران was asked «Voulez-vous suivre وهران ?»,
    # and one to follow economie «suivre economie», as the link spelt them.
    me = 7108
    world.emu.add_user(me, first_name="Karim", language_code="fr")
    payload = base64.urlsafe_b64encode("وهران".encode()).decode().rstrip("=")
    (oran,) = await world.ask(me, f"/start follow_{payload}")
    assert oran["text"].startswith("Voulez-vous suivre Oran ?")
    assert oran["reply_markup"]["inline_keyboard"][0][0]["text"] == "🔔 Suivre Oran"
    (economy,) = await world.ask(me, "/start follow_economie")
    assert economy["text"].startswith("Voulez-vous suivre Économie ?")
    (done,) = await world.press(me, oran, oran["reply_markup"]["inline_keyboard"][0][0]["callback_data"])
    assert done["text"] == "✅ Vous recevrez les nouveaux articles de la wilaya d'Oran."


async def test_a_french_readers_follow_of_words_offers_their_arabic_words_and_the_alert_comes(world):
    # Before: /follow séisme followed the French word only; a quake told in Arabic alone, as most
    # are, never reached the reader.
    me = 7109
    world.emu.add_user(me, first_name="Karim", language_code="fr")
    (reply,) = await world.ask(me, "/follow séisme")
    assert "séisme" in reply["text"] and "suivre aussi « \u200e\u200fزلزال\u200f\u200e »" in reply["text"]
    (button,) = reply["reply_markup"]["inline_keyboard"][0]
    assert button["text"] == "🔔 Suivre aussi en arabe : زلزال"
    (done,) = await world.press(me, reply, button["callback_data"])
    assert "زلزال" in done["text"] and not done.get("reply_markup")  # (Arabic already: nothing more offered)
    assert [f.text for f in await world.services.follows.following(me)] == ["séisme", "زلزال"]
    await store(world, make_article(title="زلزال بقوة 4.6 درجات يضرب ولاية جيجل", source="وكالة"))
    await world.emu.wait_for_messages(me, 3, timeout=15)
    assert "زلزال بقوة 4.6 درجات" in world.emu.messages(me)[-1]["text"]
    # Nothing is offered for a name (found in either script already), nor for a word no table reads.
    for typed in ("Sonatrach", "Belmadi"):
        (plain,) = await world.ask(me, f"/follow {typed}")
        assert not plain.get("reply_markup") and "arabe" not in plain["text"], typed
    # An English reader is read by English words; one who follows the Arabic already is offered nothing.
    jane = 7111
    world.emu.add_user(jane, first_name="Jane", language_code="en")
    (english,) = await world.ask(jane, "/follow wildfire")
    assert english["reply_markup"]["inline_keyboard"][0][0]["text"] == "🔔 Also follow in Arabic: حريق"
    await world.ask(jane, "/follow زلزال")
    (again,) = await world.ask(jane, "/follow earthquake")
    assert "earthquake" in again["text"] and not again.get("reply_markup")


async def test_a_deep_link_to_follow_what_follow_refuses_is_answered_as_follow_would_without_a_button(world):
    me = 7105  # a reader in English
    world.emu.add_user(me, first_name="Q", language_code="en")
    (offer,) = await world.ask(me, "/start follow_!!!!")
    (typed,) = await world.ask(me, "/follow !!!!")
    assert "too short to follow" in offer["text"] and offer["text"] == typed["text"]
    assert not offer.get("reply_markup")
    (empty,) = await world.ask(me, "/start follow_")
    assert "Say what to follow" in empty["text"] and not empty.get("reply_markup")
    assert await world.services.follows.following(me) == []


async def test_the_admin_who_makes_the_bot_a_channel_s_admin_is_told_in_private_how_to_make_it_publish(world):
    # Before: nothing, anywhere — the channel showed nothing and its admin had to know that
    # posting /follow there is what makes it publish.
    channel, editor = -1_000_000_777_014, 8214
    world.emu.add_user(editor, first_name="Amina", language_code="ar")
    await world.ask(editor, "/start")
    told = len(world.emu.messages(editor))
    world.emu.add_channel(channel, title="أخبار وهران", admins=[editor], added_by=editor)
    (welcome,) = (await world.emu.wait_for_messages(editor, told + 1, timeout=15))[told:]
    assert welcome["text"].startswith("\u200f✅ صار بإمكاني النشر في «أخبار وهران».")
    assert "/follow" in welcome["text"] and "/subscribe" in welcome["text"]
    await world.handled_everything()
    assert world.emu.messages(channel) == []  # nothing said to the channel's subscribers


async def test_a_channel_follows_by_its_admins_posts_and_publishes_each_story(world):
    channel = -1_000_000_777_001
    world.emu.add_user(user_id=8201, first_name="editor")
    world.emu.add_channel(channel, title="أخبار وهران", admins=[8201])
    before = len(world.emu.messages(channel))
    world.emu.post_in_channel(channel, "/follow وهران", author_id=8201)
    (followed,) = (await world.emu.wait_for_messages(channel, before + 1))[before:]
    assert "وهران" in followed["text"]
    await store(world, make_article(title="افتتاح مسبح أولمبي جديد في وهران", source="الجمهورية", topics=["sports"]))
    post = (await world.emu.wait_for_messages(channel, before + 2, timeout=15))[-1]
    assert "افتتاح مسبح أولمبي" in post["text"] and "#وهران" in post["text"] and "#رياضة" in post["text"]
    assert "start=read_" in str(post.get("entities", "")) or "start=read_" in str(post)


async def test_a_french_channel_s_posts_tag_a_wilaya_with_an_apostrophe_whole(world):
    # Before: «#M'Sila» — Telegram ends a hashtag at the apostrophe, so the post was tagged #M,
    # and tapping it found every post tagged #M.
    channel, editor = -1_000_000_777_013, 8213
    world.emu.add_user(editor, first_name="Karim", language_code="fr")
    world.emu.add_channel(channel, title="Actu M'Sila", admins=[editor], added_by=editor)
    world.emu.post_in_channel(channel, "/follow M'Sila", author_id=editor)
    (followed,) = await world.emu.wait_for_messages(channel, 1)
    assert followed["text"] == "✅ Vous recevrez les nouveaux articles de la wilaya de M'Sila."
    await store(world, make_article(title="افتتاح ملعب جديد في المسيلة", source="الشروق", topics=["sports"]))
    post = (await world.emu.wait_for_messages(channel, 2, timeout=15))[-1]
    tags = post["text"].split("\n")[-1].split()
    assert tags == ["#Sport", "#MSila"] and all(re.fullmatch(r"#\w+", tag) for tag in tags)


async def alert_states(world, chat_id, expected):
    """The chat's alerts' states once they are `expected` (each written a moment after the
    emulator saw what made it so)."""
    for _ in range(200):
        if [a.state for a in await world.services.alerts.of_chat(chat_id)] == expected:
            return
        await asyncio.sleep(0.05)
    assert [a.state for a in await world.services.alerts.of_chat(chat_id)] == expected


async def a_french_editor_s_channel(world, channel, editor, title, command):
    """Channel `title`, where its admin `editor`, who speaks French and started the bot (so
    that the bot can tell them in private), posted `command`."""
    world.emu.add_user(editor, first_name="Karim", language_code="fr")
    world.emu.add_channel(channel, title=title, admins=[editor])
    await world.ask(editor, "/start")
    world.emu.post_in_channel(channel, command, author_id=editor)
    await world.emu.wait_for_messages(channel, 1)


async def oran_channel_of_a_french_editor(world, channel, editor):
    """Channel «أخبار وهران», following وهران (`a_french_editor_s_channel`)."""
    await a_french_editor_s_channel(world, channel, editor, "أخبار وهران", "/follow وهران")


async def told_once_the_bot_is(world, channel, editor, status):
    """What the channel's admin `editor` is told in private once they made the bot `status` there."""
    told = len(world.emu.messages(editor))
    world.emu.set_bot_status(channel, status, by=editor)
    (message,) = (await world.emu.wait_for_messages(editor, told + 1, timeout=15))[told:]
    return message


async def test_a_channel_whose_bot_is_demoted_or_removed_keeps_its_stories_and_publishes_them_once_restored(world):
    # Before: demoted (400 "need administrator rights in the channel chat"), each story was
    # marked failed and lost, the channel left "active", and nobody was told; removed, the
    # story being sent then was lost too.  The admin who did it now hears of it in private.
    for job in world.app.job_queue.get_jobs_by_name("alerts"):
        job.schedule_removal()  # the test sends what is due itself, when it has seen the bot's state
    deliver = world.app.bot_data.alerts.deliver_due
    channel, editor = -1_000_000_777_003, 8203
    await oran_channel_of_a_french_editor(world, channel, editor)

    told = len(world.emu.messages(editor))
    world.emu.set_bot_status(channel, "member", by=editor)
    (demoted,) = (await world.emu.wait_for_messages(editor, told + 1, timeout=15))[told:]
    assert demoted["text"].startswith("⚠️ Je ne peux plus publier dans « أخبار وهران » : je n'y suis plus administrateur.")
    assert "Oran" in demoted["text"]
    await store(world, make_article(title="افتتاح مسبح أولمبي جديد في وهران", source="الجمهورية"))
    await world.services.alerts.expand_all()
    assert await deliver() == 0
    await alert_states(world, channel, ["pending"])  # kept, not given up
    assert len(world.emu.messages(channel)) == 1

    world.emu.set_bot_status(channel, "administrator", by=editor)
    (resumed,) = (await world.emu.wait_for_messages(editor, told + 2, timeout=15))[told + 1:]
    assert resumed["text"] == "✅ Je publie de nouveau dans « أخبار وهران »."
    assert await deliver() == 1
    assert "افتتاح مسبح أولمبي" in world.emu.messages(channel)[-1]["text"]

    world.emu.set_bot_status(channel, "left", by=editor)
    (removed,) = (await world.emu.wait_for_messages(editor, told + 3, timeout=15))[told + 2:]
    assert removed["text"].startswith("⚠️ Je ne peux plus publier dans « أخبار وهران » : on m'en a retiré.")
    await store(world, make_article(title="توقيف عصابة مختصة في سرقة السيارات بوهران", source="وكالة"))
    await world.services.alerts.expand_all()
    assert await deliver() == 0
    world.emu.set_bot_status(channel, "administrator", by=editor)
    await world.emu.wait_for_messages(editor, told + 4, timeout=15)
    assert await deliver() == 1
    assert "سرقة السيارات" in world.emu.messages(channel)[-1]["text"]
    await alert_states(world, channel, ["sent", "sent"])
    assert len(world.emu.messages(channel)) == 3


async def test_a_channel_s_admin_who_takes_the_bot_s_right_to_post_is_told_and_its_stories_wait_for_it(world):
    # Before: the bot left an admin without the right to post messages went on as if nothing
    # had changed; the next story was refused ("need administrator rights"), the channel went
    # quiet, and its admin, never told why, heard only «I publish again» once the right was back.
    deliver = without_alert_job(world)
    channel, editor = -1_000_000_777_011, 8211
    await oran_channel_of_a_french_editor(world, channel, editor)

    told = len(world.emu.messages(editor))
    world.emu.set_bot_status(channel, "administrator", by=editor, can_post=False)
    (stopped,) = (await world.emu.wait_for_messages(editor, told + 1, timeout=15))[told:]
    assert stopped["text"].startswith(
        "⚠️ Je ne peux plus publier dans « أخبار وهران » : j'y suis administrateur sans le droit de publier des messages."
    )
    assert "Oran" in stopped["text"]
    await chat_active(world, channel, False)
    await store(world, make_article(title="افتتاح مسبح أولمبي جديد في وهران", source="الجمهورية"))
    await world.services.alerts.expand_all()
    assert await deliver() == 0
    await alert_states(world, channel, ["pending"])  # kept for when it may post again

    world.emu.set_bot_status(channel, "administrator", by=editor)
    (resumed,) = (await world.emu.wait_for_messages(editor, told + 2, timeout=15))[told + 1:]
    assert resumed["text"] == "✅ Je publie de nouveau dans « أخبار وهران »."
    await chat_active(world, channel, True)
    assert await deliver() == 1
    assert "افتتاح مسبح أولمبي" in world.emu.messages(channel)[-1]["text"]


async def test_a_bot_made_a_channel_s_admin_without_the_right_to_post_tells_who_did_it_in_their_language(world):
    # Before: nothing at all — the admin posted /follow there and heard nothing, neither in the
    # channel (the bot may not post) nor in private; given the right, nothing either.
    channel, editor = -1_000_000_777_012, 8212
    world.emu.add_user(editor, first_name="Sam", language_code="en")
    await world.ask(editor, "/start")
    told = len(world.emu.messages(editor))
    world.emu.add_channel(channel, title="Oran news", admins=[editor], added_by=editor, can_post=False)
    (warning,) = (await world.emu.wait_for_messages(editor, told + 1, timeout=15))[told:]
    assert warning["text"].startswith("⚠️ I am an admin of «Oran news» without the right to post messages")
    assert "/follow" in warning["text"]
    await chat_active(world, channel, False)
    assert (await world.services.chats.get(channel)).lang == "en"  # the language of whoever added the bot

    world.emu.set_bot_status(channel, "administrator", by=editor)
    (welcome,) = (await world.emu.wait_for_messages(editor, told + 2, timeout=15))[told + 1:]
    assert welcome["text"].startswith("✅ I can publish in «Oran news» now. Post /follow there")
    await chat_active(world, channel, True)
    world.emu.post_in_channel(channel, "/follow Oran", author_id=editor)
    (followed,) = await world.emu.wait_for_messages(channel, 1)
    assert followed["text"] == "✅ You will get new stories from the wilaya of Oran."


async def test_a_channel_that_only_gets_the_daily_digest_tells_its_admin_when_it_stops_and_resumes(world):
    # Before: nobody was told — only a channel following something was; its digest simply
    # stopped coming, and came again without a word.
    channel, editor = -1_000_000_777_015, 8215
    await a_french_editor_s_channel(world, channel, editor, "Le matin", "/subscribe")
    assert (await told_once_the_bot_is(world, channel, editor, "left"))["text"] == (
        "⚠️ Je ne peux plus publier dans « Le matin » : on m'en a retiré. Son résumé quotidien est gardé,"
        " et reviendra dès que vous m'y rajoutez comme administrateur."
    )
    resumed = await told_once_the_bot_is(world, channel, editor, "administrator")
    assert resumed["text"] == "✅ Je publie de nouveau dans « Le matin »."
    assert (await world.services.chats.get(channel)).subscribed


async def test_a_channel_publishes_every_story_it_follows_and_its_quiet_hours_bundle_links_each_one(world):
    # Before: past AKHBAR_ALERTS_PER_HOUR (10) stories in an hour a channel published no more:
    # «🔔 3 أخبار أخرى عن: سوناطراك — /latest» instead, a command its subscribers cannot send;
    # and what came in its quiet hours was one bundle of «/read_44» commands, likewise dead.
    clock = world.services.clock = FakeClock(datetime(2026, 12, 4, 10, 5, tzinfo=UTC))
    channel, editor = -1_000_000_777_004, 8204
    world.emu.add_user(editor, first_name="editor")
    world.emu.add_channel(channel, title="أخبار الطاقة", admins=[editor])
    world.emu.post_in_channel(channel, "/follow سوناطراك", author_id=editor)
    world.emu.post_in_channel(channel, "/quiet 23:00-07:00", author_id=editor)
    await world.emu.wait_for_messages(channel, 2)
    subjects = [
        "توقع عقدا مع شركة آسيوية", "تعلن اكتشافا نفطيا في إليزي", "ترفع إنتاج الغاز الطبيعي", "تطلق مناقصة لتوظيف المهندسين",
        "تفتتح مصفاة جديدة في سكيكدة", "تنشر حصيلتها المالية السنوية", "تستثمر في الطاقة الشمسية بالجنوب",
        "تكرم عمالها المتقاعدين", "تشارك في معرض هيوستن للطاقة", "تدعم الجامعات ببرنامج للبحث العلمي",
        "تخفض أسعار الوقود للفلاحين", "تعين مديرا جديدا لفرعها في ورقلة", "تطلق تطبيقا رقميا لزبائنها",
    ]
    assert len(subjects) > world.settings.alerts_per_hour
    await store(world, *[make_article(title=f"سوناطراك {subject}", source=f"م{n}") for n, subject in enumerate(subjects)])
    posts = (await world.emu.wait_for_messages(channel, 2 + len(subjects), timeout=30))[2:]
    assert [post["text"].split("\n")[0].lstrip("\u200f") for post in posts] == [f"سوناطراك {s}" for s in subjects]
    clock.now = datetime(2026, 12, 4, 22, 30, tzinfo=UTC)  # 23:30 in Algiers: quiet
    await store(world, make_article(title="سوناطراك تعلن نتائج الربع الثالث", source="أ"),
                make_article(title="سوناطراك تمول مشروعا لتحلية المياه في تيبازة", source="ب"))
    await alert_states(world, channel, ["sent"] * len(subjects) + ["held", "held"])
    clock.now = datetime(2026, 12, 5, 6, 1, tzinfo=UTC)  # 07:01
    bundle = (await world.emu.wait_for_messages(channel, 3 + len(subjects), timeout=15))[-1]
    assert "(2)" in bundle["text"] and "الربع الثالث" in bundle["text"] and "تيبازة" in bundle["text"]
    assert "/read_" not in bundle["text"] and "/latest" not in bundle["text"]
    links = [e["url"] for e in bundle["entities"] if e["type"] == "text_link"]
    assert len(links) == 2 and all("?start=read_" in link for link in links)
    await world.handled_everything()
    assert len(world.emu.messages(channel)) == 3 + len(subjects)  # no summary came after


async def test_a_group_that_becomes_a_supergroup_gets_the_alerts_of_its_follows_there(world):
    # Before: the follows moved to the supergroup's id in the database, but the alert job
    # matched stories against the follows it held, under the old id: each new story's alert
    # was written for a chat that no longer exists, never sent, and dropped a day later.
    group, supergroup, admin = -4001, -1_000_000_004_001, 8801
    world.emu.add_user(admin, first_name="Karim", language_code="fr")
    world.emu.add_group(group, title="Oranais", admins=[admin], added_by=admin)
    (greeting,) = await world.emu.wait_for_messages(group, 1)  # the bot's greeting, in French
    assert "Bonjour « Oranais »" in greeting["text"]
    world.emu.send_message(group, admin, "/follow Oran")
    await world.emu.wait_for_messages(group, 2)
    await store(world, make_article(title="افتتاح مسبح أولمبي جديد في وهران", source="الجمهورية"))
    await world.emu.wait_for_messages(group, 3, timeout=15)
    world.emu.migrate_group(group, supergroup)
    await world.handled_everything()  # the bot took the migration's service messages
    await store(world, make_article(title="توقيف عصابة مختصة في سرقة السيارات بوهران", source="وكالة"))
    (alert,) = await world.emu.wait_for_messages(supergroup, 1, timeout=15)
    assert "سرقة السيارات" in alert["text"] and "Vous suivez : Oran" in alert["text"]
    assert [f.text for f in await world.services.follows.following(supergroup)] == ["Oran"]
    assert [a.chat_id for a in await world.services.alerts.of_chat(group)] == []


async def test_a_follow_made_in_a_forum_topic_alerts_into_that_topic(world):
    forum, admin, topic = -1_000_000_888_001, 8301, 77
    world.emu.add_group(forum, title="منتدى الأخبار", admins=[admin])
    before = len(world.emu.messages(forum))
    world.emu.send_message(forum, admin, "/follow سوناطراك", thread_id=topic)
    (followed,) = (await world.emu.wait_for_messages(forum, before + 1))[before:]
    assert followed["message_thread_id"] == topic  # the reply, in the topic too
    await store(world, make_article(title="سوناطراك توقع عقدا مع شركة آسيوية", source="أ"))
    (alert,) = await wait_alerts(world, forum, 1)
    assert alert["message_thread_id"] == topic


async def test_a_forum_s_quiet_hours_bundle_goes_to_each_topic_with_what_its_follows_brought(world):
    # Before: one bundle of everything held, posted in the topic of the first follow matched:
    # the Oran topic's story landed in the Sonatrach topic.
    clock = world.services.clock = FakeClock(datetime(2026, 12, 4, 22, 30, tzinfo=UTC))  # 23:30 in Algiers
    forum, admin = -1_000_000_888_003, 8303
    world.emu.add_group(forum, title="منتدى الأخبار", admins=[admin])
    world.emu.send_message(forum, admin, "/follow سوناطراك", thread_id=77)
    world.emu.send_message(forum, admin, "/follow وهران", thread_id=88)
    world.emu.send_message(forum, admin, "/quiet 23:00-07:00")
    await world.emu.wait_for_messages(forum, 3)
    await store(world, make_article(title="سوناطراك تعلن اكتشافا جديدا", source="أ"),
                make_article(title="افتتاح خط جديد للترامواي في وهران", source="ب"))
    await alert_states(world, forum, ["held", "held"])
    clock.now = datetime(2026, 12, 5, 6, 1, tzinfo=UTC)  # 07:01
    bundles = (await world.emu.wait_for_messages(forum, 5, timeout=15))[3:]
    by_topic = {m["message_thread_id"]: m["text"] for m in bundles}
    assert set(by_topic) == {77, 88}
    assert "اكتشافا جديدا" in by_topic[77] and "للترامواي" not in by_topic[77]
    assert "للترامواي" in by_topic[88] and "اكتشافا جديدا" not in by_topic[88]


async def test_a_forum_subscribing_from_a_topic_gets_its_digest_in_that_topic(world):
    forum, admin, topic = -1_000_000_888_002, 8302, 12
    world.services.clock = clock = FakeClock(datetime(2026, 12, 4, 5, 0, tzinfo=UTC))
    world.emu.add_group(forum, title="منتدى", admins=[admin])
    world.emu.send_message(forum, admin, "/subscribe", thread_id=topic)
    (subscribed,) = await world.emu.wait_for_messages(forum, 1)
    assert subscribed["message_thread_id"] == topic
    clock.now = datetime(2026, 12, 4, 6, 0, 30, tzinfo=UTC)  # 07:00 in Algiers
    report = await world.engine.broadcast()
    assert report.chats == [forum]
    assert all(m["message_thread_id"] == topic for m in world.emu.messages(forum)[1:])


async def test_alerts_waiting_for_a_day_are_dropped_not_sent(world):
    # At noon in Algiers, the reader's time: "00:00-23:59" leaves one minute not quiet, and run
    # near it (CI at 23:57 there) the alert went out.
    clock = world.services.clock = FakeClock(datetime.now(UTC).replace(hour=11, minute=0, second=0, microsecond=0))
    await world.ask(READER, "/follow سوناطراك")
    await world.ask(READER, "/quiet 00:00-23:59")  # quiet all day long
    await store(world, make_article(title="سوناطراك تعلن اكتشافا جديدا", source="أ"))
    for _ in range(100):  # the alert job holds it
        if [a.state for a in await world.services.alerts.of_chat(READER)] == ["held"]:
            break
        await asyncio.sleep(0.1)
    clock.now += timedelta(hours=25)
    await world.ask(READER, "/quiet off")
    for _ in range(100):
        if [a.state for a in await world.services.alerts.of_chat(READER)] == ["failed"]:
            break
        await asyncio.sleep(0.1)
    assert [a.state for a in await world.services.alerts.of_chat(READER)] == ["failed"]
    assert alerts(world, READER) == [] and not any("خلال ساعات الهدوء" in m["text"] for m in world.emu.messages(READER))


async def test_fifty_long_follows_leaving_things_out_are_listed_over_several_messages(world):
    # Found by review (7 Dec): /following put all the follows in one piece of text, which past
    # 4,096 units raised instead of answering — 50 follows of 70 characters leaving three words
    # out are 4,774 — and the reader got nothing.
    ref = ChatRef(READER, "private", "")
    for n in range(MAX_FOLLOWS):
        await world.services.follows.follow(ref, "ar", f"سوناطراك وهران قسنطينة عنابة بجاية تلمسان{n} -رياضة{n} -كرة{n} -ملعب{n}")
    first, second = await world.ask(READER, "/following", replies=2)
    assert all(len(m["text"].encode("utf-16-le")) // 2 <= 4096 for m in (first, second))
    listed = first["text"] + "\n" + second["text"]
    assert all(f"{n}. سوناطراك" in listed for n in range(1, MAX_FOLLOWS + 1))
    assert listed.count("ملعب") == MAX_FOLLOWS  # each follow whole, with what it leaves out


async def test_a_demoted_channel_s_admin_is_told_even_when_its_follows_are_long_and_hold_an_ampersand(world):
    # Found by review (7 Dec): the follows were escaped, then clipped at 300 characters, which
    # could cut «&amp;» in two: HTML Telegram refuses, so the admin was never told.
    channel, editor = -1_000_000_777_009, 8209
    world.emu.add_user(editor, first_name="Karim", language_code="fr")
    world.emu.add_channel(channel, title="Économie", admins=[editor])
    await world.ask(editor, "/start")
    ref = ChatRef(channel, "channel", "Économie")
    for n in range(12):  # escaped and listed, the 300th character falls inside «&amp;»
        await world.services.follows.follow(ref, "fr", f'"Algérie Postexxxxxxx & Télécom{n}"')
    told = len(world.emu.messages(editor))
    world.emu.set_bot_status(channel, "member", by=editor)
    (demoted,) = (await world.emu.wait_for_messages(editor, told + 1, timeout=15))[told:]
    assert demoted["text"].startswith("⚠️ Je ne peux plus publier dans « Économie »")
    assert "Algérie Postexxxxxxx & Télécom0" in demoted["text"] and "…" in demoted["text"]


async def test_a_channel_titled_with_a_direction_override_does_not_turn_its_admin_s_message_around(world):
    # Before: «‮Sport DZ» went into the message as it was, its U+202E left open: the rest of the
    # line after the title read right to left, backwards.
    channel, editor = -1_000_000_777_016, 8216
    await a_french_editor_s_channel(world, channel, editor, "\u202eSport DZ", "/follow Oran")
    demoted = await told_once_the_bot_is(world, channel, editor, "member")
    assert demoted["text"].startswith("⚠️ Je ne peux plus publier dans « Sport DZ » : je n'y suis plus administrateur.")


def without_alert_job(world):
    """The test sends what is due itself (`deliver()`), once it has seen the bot's state."""
    for job in world.app.job_queue.get_jobs_by_name("alerts"):
        job.schedule_removal()
    return world.app.bot_data.alerts.deliver_due


async def chat_active(world, chat_id, active):
    """Once the bot has taken in the chat's block or return (an update handled a moment after)."""
    for _ in range(200):
        if (await world.services.chats.get(chat_id)).active == active:
            return
        await asyncio.sleep(0.05)
    assert (await world.services.chats.get(chat_id)).active == active


ENERGY_NEWS = [
    "توقع عقدا مع شركة آسيوية", "تعلن اكتشافا نفطيا في إليزي", "ترفع إنتاج الغاز الطبيعي", "تطلق مناقصة لتوظيف المهندسين",
    "تفتتح مصفاة جديدة في سكيكدة", "تنشر حصيلتها المالية السنوية", "تستثمر في الطاقة الشمسية بالجنوب",
    "تبرم اتفاقا مع إيطاليا حول الأنابيب", "تكرم عمالها المتقاعدين", "تشارك في معرض هيوستن للطاقة",
    "تدعم الجامعات ببرنامج للبحث العلمي", "تخفض أسعار الوقود للفلاحين",
]


async def test_a_reader_back_after_blocking_the_bot_gets_one_bundle_of_what_came_while_away(world):
    # Before: back after a day away, the reader got 10 alerts one by one, then «2 more stories
    # about Sonatrach» when the hour ended — the Oran story they had just unfollowed among them.
    deliver = without_alert_job(world)
    clock = world.services.clock = FakeClock(datetime(2026, 12, 4, 9, 0, tzinfo=UTC))  # 10:00 in Algiers
    me = 7120
    world.emu.add_user(me, first_name="Nadia", language_code="fr")
    await world.ask(me, "/follow Sonatrach")
    await world.ask(me, "/follow Oran")
    world.emu.block(me)
    await chat_active(world, me, False)
    await store(world, make_article(title="سوناطراك تحتفل بذكرى تأميم المحروقات", source="أ"))
    await world.services.alerts.expand_all()
    clock.now += timedelta(hours=20)
    await store(world, *[make_article(title=f"سوناطراك {subject}", source=f"م{n}") for n, subject in enumerate(ENERGY_NEWS)],
                make_article(title="افتتاح خط جديد للترامواي في وهران", source="ب"))
    await world.services.alerts.expand_all()
    assert await deliver() == 0  # nobody to send to: they wait
    clock.now += timedelta(hours=5)  # the first story is 25 hours old now: news no more
    world.emu.unblock(me)
    await chat_active(world, me, True)
    await world.ask(me, "/unfollow Oran")
    before = len(world.emu.messages(me))
    assert await deliver() == 1
    (bundle,) = world.emu.messages(me)[before:]
    assert bundle["text"].startswith(f"📬 Pendant votre absence ({len(ENERGY_NEWS)})"), bundle["text"]
    assert all(subject in bundle["text"] for subject in ENERGY_NEWS)
    assert "للترامواي" not in bundle["text"] and "تأميم" not in bundle["text"]
    assert bundle["text"].count("/read_") == len(ENERGY_NEWS)
    assert await deliver() == 0
    states = [(a.state, a.away) for a in await world.services.alerts.of_chat(me)]
    assert states.count(("summed", True)) == len(ENERGY_NEWS) and ("failed", True) in states
    assert (await world.services.follows.following(me))[0].text.lower() == "sonatrach"  # kept through the block


MORE_ENERGY_NEWS = [
    "توقع اتفاقية مع جامعة وهران", "تستقبل وفدا من النرويج", "تنظم يوما دراسيا حول الهيدروجين",
    "تحفر بئرا جديدة في حاسي مسعود", "توزع منحا على أبناء العمال", "تجدد أسطول شاحناتها",
    "ترعى بطولة وطنية للشطرنج", "تفتح مكتبا في نيجيريا",
]


async def test_a_reader_away_a_long_while_gets_the_newest_stories_and_the_rest_counted(world):
    # Before: the bundle held every story of the day away, page after page (20 here, a busy
    # follow's hundreds); now the 12 newest, newest first, and «… and N more — /latest» in
    # the reader's grammar.
    deliver = without_alert_job(world)
    clock = world.services.clock = FakeClock(datetime(2026, 12, 4, 9, 0, tzinfo=UTC))
    amine, karim = 7126, 7127
    world.emu.add_user(karim, first_name="Karim", language_code="fr")

    async def away(reader):
        await world.ask(reader, "/follow سوناطراك")
        world.emu.block(reader)
        await chat_active(world, reader, False)

    async def arrive(subjects):  # fetched now, by the test's clock
        stored = [make_article(title=f"سوناطراك {subject}", source=f"م{n}") for n, subject in enumerate(subjects)]
        await world.services.ingestor.add_many(stored, clock.now)
        await world.services.alerts.expand_all()

    await away(amine)
    await arrive(MORE_ENERGY_NEWS[:7])
    await away(karim)  # after those seven: he is owed 1 + 12
    await arrive(MORE_ENERGY_NEWS[7:])
    clock.now += timedelta(hours=5)
    await arrive(ENERGY_NEWS)
    clock.now += timedelta(hours=1)
    for reader in (amine, karim):
        world.emu.unblock(reader)
        await chat_active(world, reader, True)
    before = {reader: len(world.emu.messages(reader)) for reader in (amine, karim)}
    assert await deliver() == 2
    (arabic,) = world.emu.messages(amine)[before[amine]:]
    (french,) = world.emu.messages(karim)[before[karim]:]
    assert arabic["text"].startswith("\u200f📬 أثناء غيابك (20)"), arabic["text"][:40]
    assert arabic["text"].endswith("\n\u200f… و8 أخبار أخرى — \u200e/latest"), arabic["text"][-60:]
    assert french["text"].startswith("📬 Pendant votre absence (13)"), french["text"][:40]
    assert french["text"].endswith("\n… et 1 autre nouvelle — /latest"), french["text"][-60:]
    for bundle in (arabic["text"], french["text"]):
        assert bundle.count("/read_") == 12 and not any(subject in bundle for subject in MORE_ENERGY_NEWS)
        shown = [bundle.index(subject) for subject in ENERGY_NEWS]
        assert shown == sorted(shown, reverse=True)  # the newest first (the last stored)
    assert await deliver() == 0  # those counted are done too
    for reader, owed in ((amine, 20), (karim, 13)):
        assert [a.state for a in await world.services.alerts.of_chat(reader)] == ["summed"] * owed


async def test_a_reader_back_by_start_gets_the_bundle_in_their_language_split_between_stories(world):
    # Telegram's update of the unblock never came (the bot learns from /start alone); a day's
    # long headlines need more than one message: split between stories, each under 4,096.
    deliver = without_alert_job(world)
    world.services.clock = FakeClock(datetime(2026, 12, 4, 9, 0, tzinfo=UTC))
    me = 7121
    await world.ask(me, "/follow سوناطراك")
    world.emu.block(me)
    await chat_active(world, me, False)
    long_titles = [f"سوناطراك {subject} " + " ".join(f"{word}{n}" for word in ("تفاصيل", "مشروع", "ولاية") * 12)
                   for n, subject in enumerate(ENERGY_NEWS + [f"{s} مجددا" for s in ENERGY_NEWS])]
    await store(world, *[make_article(title=title, source=f"م{n}") for n, title in enumerate(long_titles)])
    await world.services.alerts.expand_all()
    assert await deliver() == 0
    world.emu.unblock(me, tell_bot=False)
    (welcome,) = await world.ask(me, "/start")
    before = len(world.emu.messages(me))
    sent = await deliver()
    pages = world.emu.messages(me)[before:]
    assert sent == 1 and len(pages) >= 2
    stored = len(await world.services.alerts.of_chat(me))
    assert pages[0]["text"].startswith(f"\u200f📬 أثناء غيابك ({stored})"), pages[0]["text"][:40]
    assert all(len(page["text"].encode("utf-16-le")) // 2 <= 4096 for page in pages)
    shown = [line for page in pages for line in page["text"].split("\n") if "سوناطراك" in line]
    # the newest 12 (AWAY_CAP) shown, the others counted last
    assert len(shown) == 12 and all(line.count("تفاصيل") == 12 for line in shown)  # no story cut in two
    assert stored == 24 and pages[-1]["text"].endswith("\u200f… و12 خبرا آخر — \u200e/latest")


async def followers_one_gone(world, me, gone, now):
    """Two readers following سوناطراك at `now`, `gone` having blocked the bot (Telegram's update
    told it); the test sends what is due itself: (deliver, the clock)."""
    deliver = without_alert_job(world)
    clock = world.services.clock = FakeClock(now)
    for reader in (me, gone):
        await world.ask(reader, "/follow سوناطراك")
    world.emu.block(gone)
    await chat_active(world, gone, False)
    return deliver, clock


async def test_a_reader_found_blocked_by_a_refused_alert_waits_as_one_telegram_told_of_and_one_never_back_costs_nothing(world):
    # Two roads, one rule.  Before: a reader whose block the bot learnt only from a 403 was sent
    # each alert still waiting and refused each time; a reader who never came back kept their
    # alerts open for ever, read by every tick of the alert job.
    me, gone = 7122, 7123
    deliver, clock = await followers_one_gone(world, me, gone, datetime(2026, 12, 4, 9, 0, tzinfo=UTC))
    world.emu.block(me, tell_bot=False)  # the bot learns of it from the refusal alone
    await store(world, *[make_article(title=f"سوناطراك {subject}", source=f"م{n}") for n, subject in enumerate(ENERGY_NEWS[:3])])
    await world.services.alerts.expand_all()
    assert await deliver() == 0
    refused = [e for e in world.emu.errors if e["error_code"] == 403 and str(e["params"].get("chat_id")) in (str(me), str(gone))]
    assert len(refused) == 1 and str(refused[0]["params"]["chat_id"]) == str(me)
    assert not (await world.services.chats.get(me)).active
    assert [a.state for a in await world.services.alerts.of_chat(me)] == ["pending"] * 3  # waiting, not failed

    world.emu.unblock(me)
    await chat_active(world, me, True)
    before = len(world.emu.messages(me))
    assert await deliver() == 1
    (bundle,) = world.emu.messages(me)[before:]
    assert bundle["text"].startswith("\u200f📬 أثناء غيابك (3)") and all(s in bundle["text"] for s in ENERGY_NEWS[:3])

    clock.now += timedelta(hours=24, minutes=1)  # the other one never came back
    await deliver()
    assert [a.state for a in await world.services.alerts.of_chat(gone)] == ["failed"] * 3  # closed: no tick reads them
    assert [f.text for f in await world.services.follows.following(gone)] == ["سوناطراك"]  # kept, should they return


async def test_alerts_done_are_pruned_after_a_month_and_nothing_owed_nor_alerted_again(world):
    # Before: every alert row stayed for ever — sent, summed, or closed as stale for a reader
    # who never came back.  Now the alert job's sweep deletes those older than 30 days; what a
    # reader is still owed stays, and a story alerted before the prune is not alerted again.
    me, gone = 7124, 7125
    deliver, clock = await followers_one_gone(world, me, gone, datetime(2026, 11, 1, 9, 0, tzinfo=UTC))

    async def arrive(*articles):  # fetched now, by the test's clock
        await world.services.ingestor.add_many(list(articles), clock.now)
        await world.services.alerts.expand_all()

    old_story = make_article(title="سوناطراك توقع عقدا مع شركة آسيوية", source="أ", url="https://a.dz/1")
    await arrive(old_story)
    assert await deliver() == 1  # me's alert; gone's waits, and is closed as stale a day later
    (first,) = [a.story_id for a in await world.services.alerts.of_chat(me)]
    clock.now += timedelta(days=2)
    await arrive(make_article(title="سوناطراك تعلن اكتشافا نفطيا في إليزي", source="ب"))
    assert await deliver() == 1
    assert [a.state for a in await world.services.alerts.of_chat(gone)] == ["failed", "pending"]

    clock.now += timedelta(days=29, hours=1)  # the first story is a month old, the second 29 days
    await arrive(old_story, make_article(title="سوناطراك ترفع إنتاج الغاز الطبيعي", source="ج"))
    assert await deliver() == 1  # the new story only: the old one, in its feed again, is no news
    mine = await world.services.alerts.of_chat(me)
    assert [a.state for a in mine] == ["sent", "sent"]  # the month-old one deleted, the 29-day-old kept
    theirs = await world.services.alerts.of_chat(gone)
    # the month-old one closed as stale deleted; the 29-day-old one kept, and the new one owed
    assert [a.state for a in theirs] == ["failed", "pending"] and [a.story_id for a in theirs] == [a.story_id for a in mine]
    told = [m["text"] for m in alerts(world, me)]
    assert len(told) == 3 and sum("شركة آسيوية" in text for text in told) == 1
    noted = [row[0] for row in await world.services.db.fetch("SELECT story_id FROM alert_stories ORDER BY story_id")]
    assert first not in noted and all(a.story_id in noted for a in mine)  # the month-old story's note deleted too
    await world.services.alerts.expand_all()
    assert await deliver() == 0
    assert [f.text for f in await world.services.follows.following(gone)] == ["سوناطراك"]  # follows kept


async def test_a_channel_s_bundle_cut_short_by_a_demotion_goes_on_from_its_first_page_not_sent(world):
    # Before: the bundle's first page went, the bot was demoted before the second, and once an
    # admin again the channel got the whole bundle again: its first stories twice.
    deliver = without_alert_job(world)
    clock = world.services.clock = FakeClock(datetime(2026, 12, 4, 22, 30, tzinfo=UTC))  # 23:30 in Algiers
    channel, editor = -1_000_000_777_005, 8205
    world.emu.add_user(editor, first_name="Karim", language_code="fr")
    world.emu.add_channel(channel, title="أخبار الطاقة", admins=[editor])
    world.emu.post_in_channel(channel, "/follow سوناطراك", author_id=editor)
    world.emu.post_in_channel(channel, "/quiet 23:00-07:00", author_id=editor)
    await world.emu.wait_for_messages(channel, 2)
    subjects = ENERGY_NEWS + [f"{s} مجددا" for s in ENERGY_NEWS]
    titles = [f"سوناطراك {subject} " + " ".join(f"{word}{n}" for word in ("تفاصيل", "مشروع", "ولاية") * 12)
              for n, subject in enumerate(subjects)]
    await store(world, *[make_article(title=title, source=f"م{n}") for n, title in enumerate(titles)])
    await world.services.alerts.expand_all()
    assert await deliver() == 0
    await alert_states(world, channel, ["held"] * len(titles))

    def demote_after_the_first_page(method, params, result):
        if method == "sendmessage" and str(params.get("chat_id")) == str(channel):
            world.emu.observers.remove(demote_after_the_first_page)
            world.emu.set_bot_status(channel, "member", by=editor)

    world.emu.observers.append(demote_after_the_first_page)
    clock.now = datetime(2026, 12, 5, 6, 1, tzinfo=UTC)  # 07:01: the bundle is due
    assert await deliver() == 0
    (first,) = world.emu.messages(channel)[2:]
    assert first["text"].startswith("\u200f🌙 خلال ساعات الهدوء")
    await chat_active(world, channel, False)

    world.emu.set_bot_status(channel, "administrator", by=editor)
    await chat_active(world, channel, True)
    assert await deliver() == 1
    pages = world.emu.messages(channel)[2:]
    assert len(pages) >= 3
    assert not any("خلال ساعات الهدوء" in page["text"] for page in pages[1:])  # the rest of that bundle, not a new one
    texts = "\n".join(page["text"] for page in pages)
    assert [texts.count(f"سوناطراك {subject} تفاصيل{n} ") for n, subject in enumerate(subjects)] == [1] * len(subjects)
    assert all(len(page["text"].encode("utf-16-le")) // 2 <= 4096 for page in pages)
    await alert_states(world, channel, ["summed"] * len(titles))
    assert await deliver() == 0


@pytest.mark.parametrize(
    ("lang", "count", "said"),
    [
        ("en", 1, "🔔 1 more story about: سوناطراك"), ("en", 4, "🔔 4 more stories about: سوناطراك"),
        ("fr", 1, "🔔 1 autre article sur : سوناطراك"), ("fr", 4, "🔔 4 autres articles sur : سوناطراك"),
        ("ar", 1, "🔔 خبر آخر عن: سوناطراك"), ("ar", 2, "🔔 خبران آخران عن: سوناطراك"),
        ("ar", 4, "🔔 4 أخبار أخرى عن: سوناطراك"), ("ar", 11, "🔔 11 خبرا آخر عن: سوناطراك"),
    ],
)
def test_the_hourly_summary_counts_the_stories_in_each_language_s_grammar(lang, count, said):
    # Before: «1 more stories», «1 autres articles», «1 أخبار أخرى», «11 أخبار أخرى».
    text = views.summary_message(count, ["سوناطراك"], lang)
    assert said in text.replace("\u200f", "").replace("\u200e", "")
