"""The real PTB Application against the Bot API emulator: what a reader sees, command by command.

The emulator rejects what Telegram rejects (HTML it cannot parse, > 4096 UTF-16 units, bad
buttons) and records it in `violations`; the `world` fixture fails any test that caused one.

The tests share one bot (conftest's `shared_world`): each talks from a reader of its own
(`reader`, never seen before), and the three that need to know which articles there are
(the demo's alone, or theirs the newest) have a bot and a database of their own (`fresh_world`).
"""

import asyncio
import re
from datetime import UTC, datetime

import pytest
import pytest_asyncio

from bot.render import LRM, RLM
from news.articles import make_article
from news.text import utf16_len

from .conftest import ENGINES, SHARED_LOOP, open_engine_world

pytestmark = SHARED_LOOP

READER = 5001  # on a bot of its own: a reader whose Telegram speaks Arabic
READ_LINK = re.compile(r"/read_(\d+)")


async def eventually(fetch, condition, timeout=5.0):
    """What `fetch` returns once `condition` holds (the bot handles updates asynchronously)."""
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        value = await fetch()
        if condition(value) or asyncio.get_running_loop().time() > deadline:
            return value
        await asyncio.sleep(0.05)


def entity_text(message, entity):
    """The text an entity covers (its offsets count UTF-16 units, as Telegram's do)."""
    units = message["text"].encode("utf-16-le")
    return units[2 * entity["offset"] : 2 * (entity["offset"] + entity["length"])].decode("utf-16-le")


@pytest_asyncio.fixture(scope="module", loop_scope="module", params=ENGINES)
async def shared_world(request, tmp_path_factory):
    """conftest's shared bot, on each engine in turn: every test here runs on SQLite and on
    PostgreSQL."""
    async with open_engine_world(request.param, tmp_path_factory.mktemp("shared-world")) as opened:
        yield opened


@pytest.fixture
def world(shared):
    return shared


@pytest.fixture
def reader(world):
    """A reader this bot has never seen (their Telegram says no language: Arabic is the default)."""
    return world.fresh_id()


def buttons(message):
    return [b for row in (message.get("reply_markup") or {}).get("inline_keyboard", []) for b in row]


async def test_start_welcomes_in_the_readers_language_with_subscribe_and_latest_buttons(world, reader):
    karim = world.fresh_id()
    world.emu.add_user(user_id=reader, first_name="أمينة", language_code="ar")
    world.emu.add_user(user_id=karim, first_name="Karim", language_code="fr-FR")
    (ar,) = await world.ask(reader, "/start")
    (fr,) = await world.ask(karim, "/start")
    assert "مرحبا أمينة" in ar["text"] and ar["text"].startswith(RLM)
    assert "Bonjour Karim" in fr["text"]
    assert [b["callback_data"] for b in buttons(ar)] == ["subscribe", "latest"]
    assert (await world.services.chats.get(karim)).lang == "fr"


async def test_help_lists_every_command_in_arabic_and_english(world, reader):
    john = world.fresh_id()
    world.emu.add_user(user_id=john, first_name="John", language_code="en")
    (ar,) = await world.ask(reader, "/help")
    (en,) = await world.ask(john, "/help")
    for command in ("latest", "read", "topics", "topic", "subscribe", "unsubscribe", "settings", "lang"):
        assert f"/{command} " in ar["text"] and f"/{command} " in en["text"]
    assert "قائمة الأوامر" in ar["text"] and "The list of commands" in en["text"]


async def test_command_menu_is_published_in_three_languages(world):
    languages = {language for _, language in world.emu.commands}
    assert {"", "ar", "fr", "en"} <= languages
    assert {c["command"] for c in world.emu.commands[("default", "fr")]} >= {"latest", "read", "subscribe"}


async def test_latest_lists_newest_headlines_each_with_a_tappable_read_link(fresh_world):
    world, reader = fresh_world, READER  # the demo articles alone, each its own story
    (reply,) = await world.ask(reader, "/latest")
    ids = READ_LINK.findall(reply["text"])
    assert len(ids) == 10
    newest = await world.services.articles.latest(10)
    assert [int(i) for i in ids] == [a.id for a in newest]
    # Every line holding Arabic reads right-to-left, even one that starts with a digit or Latin.
    arabic_lines = [line for line in reply["text"].split("\n") if re.search("[\u0600-\u06ff]", line)]
    assert arabic_lines and all(line.startswith(RLM) for line in arabic_lines)
    (three,) = await world.ask(reader, "/latest ٣")
    assert len(READ_LINK.findall(three["text"])) == 3


COMMAND_SLASH = re.compile(r"(?<![\w/:;.<\u200e])/(?=[A-Za-z])")


@pytest.mark.parametrize("lang", ["ar", "fr"])
async def test_in_a_right_to_left_line_every_command_keeps_its_slash_in_front(world, lang):
    # Before: in an Arabic line, a /command's slash took the Arabic side: /latest showed as
    # «latest/», every /read_12 under an Arabic headline as «read_12/» (in French messages too).
    reader = world.fresh_id()
    world.emu.add_user(reader, "Reader", lang)
    messages = [reply for said in ("/start", "/help", "/latest 5", "/search وهران") for reply in await world.ask(reader, said)]
    rtl_lines = [line for m in messages for line in m["text"].split("\n") if line.startswith(RLM)]
    assert sum(bool(READ_LINK.search(line)) for line in rtl_lines) >= 4
    assert not [line for line in rtl_lines if COMMAND_SLASH.search(line)]
    # A left-to-right line needs no mark, and gets none.
    ltr_lines = [line for m in messages for line in m["text"].split("\n") if line and not line.startswith(RLM)]
    assert all("\u200e/" not in line for line in ltr_lines)


async def test_latest_fifty_is_split_between_headlines_into_valid_messages(world, reader):
    for i in range(25):
        await world.services.articles.add(make_article(title=f"خبر إضافي رقم {i} " + "عن موضوع طويل " * 12, source="اختبار"))
    await world.ask(reader, "/latest 50", replies=2)
    await world.idle()  # the handler has sent all its parts
    replies = world.emu.messages(reader)
    assert sum(len(READ_LINK.findall(m["text"])) for m in replies) == 50
    assert len(replies) >= 2 and all(utf16_len(m["text"]) <= 4096 for m in replies)
    # Split between headlines: every message ends on a complete /read_ID line.
    assert all(READ_LINK.search(m["text"].split("\n")[-1]) for m in replies)


@pytest.mark.parametrize("bad", ["/latest 5000", "/latest 0", "/latest abc", "/latest -3"])
async def test_latest_with_a_bad_count_explains(world, bad, reader):
    (reply,) = await world.ask(reader, bad)
    assert "اكتب عددا بين 1 و50" in reply["text"]


async def test_read_shows_full_text_with_source_and_link_by_shortcut_and_by_command(world, reader):
    article_id = await world.article_id("174 مستوطنا")
    (by_link,) = await world.ask(reader, f"/read_{article_id}")
    (by_command,) = await world.ask(reader, f"/read {article_id}")
    assert by_link["text"] == by_command["text"]
    article = await world.services.articles.get(article_id)
    assert by_link["text"].startswith(RLM + "174 مستوطنا")  # a digit first, still right-to-left
    assert article.source in by_link["text"] and article.body.split("\n\n")[0] in by_link["text"]
    assert any(e["type"] == "text_link" and e["url"] == article.url for e in by_link["entities"])


async def test_read_shortcut_typed_with_a_capital_opens_the_article_as_slash_read_does(world, reader):
    """A phone that capitalizes the first letter sends /Read_12: Telegram's commands are
    case-insensitive (/Latest, /Read 12 work), and so is the shortcut, in a group too."""
    article_id = await world.article_id("174 مستوطنا")
    (by_command,) = await world.ask(reader, f"/Read {article_id}")
    (capital,) = await world.ask(reader, f"/Read_{article_id}")
    (shouted,) = await world.ask(reader, f"/READ_{article_id}@Akhbar_Test_Bot")
    assert capital["text"] == shouted["text"] == by_command["text"]
    assert capital["text"].startswith(RLM + "174 مستوطنا")


@pytest.mark.parametrize(
    ("asked", "answer"),
    [("/read abc", "اكتب رقم الخبر"), ("/read", "اكتب رقم الخبر"), ("/read 999999", "لا يوجد خبر بالرقم 999999")],
)
async def test_read_with_a_bad_id_explains(world, asked, answer, reader):
    (reply,) = await world.ask(reader, asked)
    assert answer in reply["text"]


async def test_twenty_thousand_character_article_arrives_in_numbered_valid_parts(world, data_dir, reader):
    body = (data_dir / "long-article.txt").read_text(encoding="utf-8")
    article_id = await world.services.articles.add(make_article(title="تقرير مطول عن الموارد المائية", body=body, source="اختبار"))
    parts = await world.ask(reader, f"/read_{article_id}", replies=6)
    assert all(utf16_len(p["text"]) <= 4096 for p in parts)
    assert all(f"من {len(parts)})" in p["text"] for p in parts)
    received = "".join(p["text"] for p in parts).replace(RLM, "")
    for paragraph in body.split("\n\n"):
        assert paragraph.strip()[:200] in received


async def test_a_long_body_in_one_paragraph_never_leaves_the_header_alone(world, reader):
    # Before: «/read» of a 9,000-character body in one paragraph sent the title and source alone
    # with «(الجزء 1 من 4)», and the text only from the second message on.
    body = "تقرير مفصل عن وضع السدود في الولايات الغربية " * 200
    article_id = await world.services.articles.add(make_article(title="السدود في الغرب", body=body, source="اختبار"))
    parts = await world.ask(reader, f"/read_{article_id}", replies=3)
    assert len(parts) == 3 and all(f"من {len(parts)})" in p["text"] for p in parts)
    assert parts[0]["text"].startswith(RLM + "السدود في الغرب") and "تقرير مفصل عن وضع السدود" in parts[0]["text"]
    assert all(utf16_len(p["text"]) <= 4096 for p in parts)
    await world.handled_everything()
    assert len(world.emu.messages(reader)) == 3


async def test_hostile_article_text_is_shown_as_harmless_text(fresh_world):
    world = fresh_world  # "/latest 1" below must show this article: no other test's newer one
    article_id = await world.services.articles.add(
        make_article(
            title="<script>alert('x')</script> عنوان & <b",
            body='اضغط <a href="javascript:alert(1)">هنا</a> & شاهد 3 < 5 <<',
            source="<i>مصدر</i>",
            published_at=datetime(2030, 1, 1, tzinfo=UTC),  # the newest, so /latest 1 shows it
        )
    )
    (reply,) = await world.ask(READER, f"/read {article_id}")
    # A title is plain text: its tags are dropped when it is made; what is left shows as text.
    assert "alert('x') عنوان & <b" in reply["text"]
    assert '<a href="javascript:alert(1)">هنا</a> & شاهد 3 < 5 <<' in reply["text"]
    assert "<i>مصدر</i>" in reply["text"]
    assert not any(e["type"] == "text_link" for e in reply.get("entities", []))
    (listing,) = await world.ask(READER, "/latest 1")
    assert "alert('x') عنوان & <b" in listing["text"]


async def test_topics_are_buttons_with_counts_that_open_the_topic(world, reader):
    (reply,) = await world.ask(reader, "/topics")
    labels = {b["callback_data"]: b["text"] for b in buttons(reply)}
    assert len(labels) == 11
    counts = await world.services.articles.topic_counts()
    assert labels["topic:sports"].endswith(f"({counts['sports']})")
    (sports,) = await world.press(reader, reply, "topic:sports")
    assert "رياضة" in sports["text"]
    assert len(READ_LINK.findall(sports["text"])) == min(10, counts["sports"])


@pytest.mark.parametrize("name", ["رياضة", "الرياضة", "رياضه", "sport", "Sports"])
async def test_topic_by_any_name(world, name, reader):
    (reply,) = await world.ask(reader, f"/topic {name}")
    assert "⚽" in reply["text"] and READ_LINK.search(reply["text"])


async def test_unknown_topic_lists_the_known_ones(world, reader):
    (reply,) = await world.ask(reader, "/topic nosuchtopic")
    assert "«nosuchtopic»" in reply["text"] and "اقتصاد" in reply["text"]


async def test_subscribe_unsubscribe_keep_the_chat_and_settings_show_it(world, reader):
    (reply,) = await world.ask(reader, "/subscribe")
    assert "07:00 (الجزائر)" in reply["text"]
    (again,) = await world.ask(reader, "/subscribe")
    assert "مشترك من قبل" in again["text"]
    (settings,) = await world.ask(reader, "/settings")
    assert "مفعّل ✅" in settings["text"] and "العربية" in settings["text"]
    (bye,) = await world.ask(reader, "/stop")
    assert "تم إلغاء الاشتراك" in bye["text"]
    chat = await world.services.chats.get(reader)
    assert chat is not None and not chat.subscribed
    (not_sub,) = await world.ask(reader, "/unsubscribe")
    assert "لست مشتركا" in not_sub["text"]


@pytest.mark.parametrize(
    ("lang", "line"),
    [("fr", "Heures calmes : 22:00–07:00"), ("en", "Quiet hours: 22:00–07:00"), ("ar", RLM + "ساعات الهدوء: 22:00–07:00")],
)
async def test_settings_show_the_quiet_hours_a_reader_set(world, lang, line):
    # Before: after «/quiet 22:00-07:00», /settings («the settings of this chat») listed the
    # subscription, language, zone, time and topics, and not a word of the quiet hours.
    reader = world.fresh_id()
    world.emu.add_user(reader, "Reader", lang)
    await world.ask(reader, "/quiet 22:00-07:00")
    (settings,) = await world.ask(reader, "/settings")
    assert line in settings["text"].split("\n")
    await world.ask(reader, "/quiet off")
    (settings,) = await world.ask(reader, "/settings")
    assert "22:00–07:00" not in settings["text"]


async def test_subscribe_button_under_the_welcome(world, reader):
    (welcome,) = await world.ask(reader, "/start")
    (reply,) = await world.press(reader, welcome, "subscribe")
    assert "تم الاشتراك" in reply["text"]
    assert (await world.services.chats.get(reader)).subscribed


async def test_lang_changes_the_interface_and_is_remembered(world, reader):
    (menu,) = await world.ask(reader, "/lang")
    assert {b["callback_data"] for b in buttons(menu)} == {"lang:ar", "lang:fr", "lang:en"}
    (done,) = await world.press(reader, menu, "lang:fr")
    assert "français" in done["text"]
    (help_fr,) = await world.ask(reader, "/help")
    assert "Commandes" in help_fr["text"]
    (en,) = await world.ask(reader, "/lang en")
    assert "English" in en["text"]
    (bad,) = await world.ask(reader, "/lang xx")
    assert "Available languages" in bad["text"]


@pytest.mark.parametrize(
    ("typed", "lang", "said"),
    [
        ("/lang العربية", "ar", "ستكون الواجهة بالعربية"), ("/lang Français", "fr", "l'interface est désormais en français"),
        ("/lang francais", "fr", "désormais en français"), ("/lang English", "en", "in English from now on"),
        ("/lang الانجليزية", "en", "in English"), ("/lang arabe", "ar", "بالعربية"), ("/language fr", "fr", "en français"),
        ("/language", None, "اختر لغة الواجهة"), ("/langue en", "en", "in English"), ("/lang EN", "en", "in English"),
    ],
)
async def test_lang_takes_a_languages_name_and_language_is_lang(world, reader, typed, lang, said):
    # Before: «/lang العربية», «/lang français», «/lang English» were refused, /language unknown.
    (reply,) = await world.ask(reader, typed)
    assert said in reply["text"]
    chat = await world.services.chats.get(reader)
    assert (chat.lang if chat else None) == lang


@pytest.mark.parametrize(
    ("command", "usage"),
    [
        ("/search", "Say what you are looking for, for example: /search rain"),
        ("/follow", "Say what to follow: one or more words"),
        ("/mute", "Give the word or phrase you never want to see"),
        ("/wilaya", "Name a wilaya or give its number"),
    ],
)
async def test_a_command_followed_by_only_invisible_characters_is_the_command_alone(world, command, usage):
    # Before: «/search» and two right-to-left marks answered «No results for “‏‏”», «/follow» and
    # two zero-width spaces «That is too short to follow», «/wilaya ‏» «I know no wilaya called “‏”».
    english = world.fresh_id()
    world.emu.add_user(english, "John", "en")
    for invisible in ("\u200f\u200f", "\u200b\u200b", "\u200e \ufeff"):
        (reply,) = await world.ask(english, f"{command} {invisible}")
        assert reply["text"].startswith(usage), reply["text"]
    assert await world.services.follows.following(english) == []


@pytest.mark.parametrize(
    ("lang", "usage"),
    [
        ("en", "Say what you are looking for, for example: /search rain"),
        ("fr", "Indiquez ce que vous cherchez, par exemple : /search pluies"),
        ("ar", RLM + "اكتب ما تبحث عنه، مثلا: " + LRM + "/search أمطار"),  # the slash kept left of search
    ],
)
async def test_a_search_with_no_word_in_it_explains_how_to_search_rather_than_finding_nothing(world, lang, usage):
    # Before: «/search ""», «/search -», «/search ?!» answered «No results for “""”. Try another
    # word, or a less specific one.» — as if "" had been looked for.
    reader = world.fresh_id()
    world.emu.add_user(reader, "Reader", lang)
    for nothing in ('""', "-", "?!", '" " - …', "« »"):
        (reply,) = await world.ask(reader, f"/search {nothing}")
        assert reply["text"].startswith(usage), (nothing, reply["text"])


async def test_in_a_channel_only_its_admins_buttons_post_news_there(world, reader):
    # Before: any reader of a channel pressing «📰 آخر الأخبار» under the welcome, or a topic
    # under /topics, made the bot post a list of news into the channel, as often as they pressed.
    admin, channel = world.fresh_id(), -1_000_000_000_000 - reader
    world.emu.add_user(reader, "Lecteur", "fr")
    world.emu.add_channel(channel, "قناة", admins=[admin])
    before = len(world.emu.messages(channel))
    world.emu.post_in_channel(channel, "/start")
    (welcome,) = (await world.emu.wait_for_messages(channel, before + 1))[before:]
    world.emu.post_in_channel(channel, "/topics")
    (topics,) = (await world.emu.wait_for_messages(channel, before + 2))[before + 1 :]
    for message, data in ((welcome, "latest"), (topics, "topic:sports")):
        await world.press(channel, message, data, user_id=reader, replies=0)
        assert world.emu.callback_answers[-1]["text"] == (
            "في القناة ينشر المشرفون وحدهم. لآخر الأخبار في محادثتك الخاصة: @akhbar_test_bot"
        )
        assert world.emu.callback_answers[-1]["show_alert"] is True
    assert len(world.emu.messages(channel)) == before + 2
    (latest,) = await world.press(channel, welcome, "latest", user_id=admin)  # an admin's press posts
    assert "آخر الأخبار" in latest["text"] and "/read_" in latest["text"]


async def test_a_french_reader_reads_wilaya_names_with_their_accents(world, reader):
    # Before: «Pas encore de nouvelles de la wilaya de Bejaia», «d'Ain Temouchent», «de Tebessa».
    world.emu.add_user(reader, "Karim", "fr")
    for typed, said in (("Béjaïa", "de Béjaïa."), ("45", "de Naâma."), ("ain temouchent", "d'Aïn Témouchent."), ("tebessa", "de Tébessa.")):
        (reply,) = await world.ask(reader, f"/wilaya {typed}")
        assert reply["text"] == f"Pas encore de nouvelles de la wilaya {said}"
    english = world.fresh_id()
    world.emu.add_user(english, "John", "en")
    (plain,) = await world.ask(english, "/wilaya 12")
    assert plain["text"] == "No news from the wilaya of Tebessa yet."


async def test_an_english_reader_reads_algiers_not_its_french_name(world, reader):
    # Before: «📍 Alger» over the capital's news, «The news of the wilaya of Alger: /wilaya 16».
    world.emu.add_user(reader, "John", "en")
    for typed in ("Alger", "16", "الجزائر"):
        (listing,) = await world.ask(reader, f"/wilaya {typed}")
        assert listing["text"].split("\n")[0] == "📍 Algiers"
    (hint,) = await world.ask(reader, "/search Algiers")
    assert "📍 The news of the wilaya of Algiers: /wilaya 16" in hint["text"]
    french = world.fresh_id()
    world.emu.add_user(french, "Karim", "fr")
    (listing,) = await world.ask(french, "/wilaya Algiers")
    assert listing["text"].split("\n")[0] == "📍 Alger"


async def test_start_in_a_subscribed_group_welcomes_the_group_back_not_the_member(world, reader):
    # Before: a member who had never used the bot typed /start in a subscribed group and read
    # «Bon retour Nadia 👋 Votre abonnement et vos réglages sont intacts.»
    admin, group = world.fresh_id(), -reader
    world.emu.add_user(admin, "Admin", "fr")
    world.emu.add_user(reader, "Nadia", "fr")
    world.emu.add_group(group, "Les voisins", admins=[admin], members=[reader])
    await world.ask(group, "/start", user_id=admin)
    await world.ask(group, "/subscribe", user_id=admin)
    (back,) = await world.ask(group, "/start", user_id=reader)
    assert back["text"] == "Bon retour Les voisins 👋 Votre abonnement et vos réglages sont intacts."


async def test_a_search_naming_a_wilaya_or_topic_that_finds_nothing_points_to_its_listing(world, reader):
    # Before: a French reader's «/search Oran» said only «Aucun résultat», though /wilaya Oran
    # lists three stories (they say وهران); «/search Bordj Bou Arreridj» also advised fewer words.
    world.emu.add_user(reader, "Karim", "fr")
    (oran,) = await world.ask(reader, "/search Oran")
    assert oran["text"] == (
        "Aucun résultat pour « Oran ». Essayez un autre mot, ou moins précis.\n"
        "📍 Les nouvelles de la wilaya d'Oran : /wilaya 31"
    )
    (bordj,) = await world.ask(reader, "/search Bordj Bou Arreridj")
    assert bordj["text"].endswith("📍 Les nouvelles de la wilaya de Bordj Bou Arreridj : /wilaya 34")
    assert "moins de mots" not in bordj["text"]
    english = world.fresh_id()
    world.emu.add_user(english, "John", "en")
    (sports,) = await world.ask(english, "sports")  # typed without /search
    assert "🗂 The news on Sports: /topic Sports" in sports["text"]
    (listing,) = await world.ask(reader, "/wilaya 31")
    assert "/read_" in listing["text"]  # what the line points to has the news
    (nothing,) = await world.ask(reader, "/search zzqq")
    assert "📍" not in nothing["text"] and "🗂" not in nothing["text"]


async def test_a_topic_named_with_its_article_is_the_topic(world, reader):
    # Before: «/topic la politique» answered «Je ne connais pas de rubrique « la politique »», and
    # «/follow la politique» followed the two words instead of the topic.
    world.emu.add_user(reader, "Karim", "fr")
    (politics,) = await world.ask(reader, "/topic la politique")
    assert politics["text"].startswith("🏛 Politique\n\n")
    (economy,) = await world.ask(reader, "/topic l'économie")
    assert economy["text"].startswith("💹 Économie\n\n")
    (followed,) = await world.ask(reader, "/follow la politique")
    assert followed["text"] == "✅ Vous recevrez les nouveaux articles de la rubrique Politique."
    english = world.fresh_id()
    world.emu.add_user(english, "John", "en")
    (weather,) = await world.ask(english, "/topic the weather")
    assert weather["text"].startswith("🌦 Weather\n\n")


@pytest.mark.parametrize(
    ("lang", "typed", "said"),
    [
        ("en", "/search the", "Words like “the” are in nearly every article: add one that tells what you are looking for"),
        ("ar", "/search و", RLM + "كلمات مثل «و» موجودة في كل خبر تقريبا: أضف كلمة تدل على ما تبحث عنه"),
        # Common words the demo's articles hold: they too are no search (as inline mode offers
        # nothing for them), not a page of whatever articles have «في» in them.
        ("ar", "/search في", RLM + "كلمات مثل «في» موجودة في كل خبر تقريبا"),
        ("fr", "/search le", "Des mots comme « le » sont dans presque tous les articles : ajoutez-en un"),
        ("fr", "/search de la", "Des mots comme « de la » sont dans presque tous les articles"),
    ],
)
async def test_a_search_for_only_common_words_says_so(world, reader, lang, typed, said):
    # Before: «No results for “the”. Try another word, or a less specific one.», though the word
    # is in nearly every article (and so looked for nowhere); «/search le» and «/search في»
    # answered «🔎 Résultats pour « le »» and eight articles chosen by nothing, with «⬇️ Plus».
    world.emu.add_user(reader, "Reader", lang)
    (reply,) = await world.ask(reader, typed)
    assert reply["text"].startswith(said)


async def test_a_long_query_is_echoed_on_one_line_clipped_after_a_word(world, reader):
    # Before: a 500-word query was echoed cut mid-word, «…وهران و»», with no mark it went on.
    (long,) = await world.ask(reader, "/search " + "وهران\n" * 500)
    assert "وهران وهران…»" in long["text"] and " »" not in long["text"] and "و»" not in long["text"]


async def test_a_name_with_a_direction_override_does_not_turn_the_welcome_around(world, reader):
    # Before: a first name ending in U+202E (right-to-left override, never closed) reversed the
    # rest of the welcome's first line (« co 👋» was shown «👋 oc»).
    world.emu.add_user(reader, "<b>Ali</b> \u202eco\u2066", "en")
    (welcome,) = await world.ask(reader, "/start")
    assert welcome["text"].split("\n")[0] == "Hello <b>Ali</b> co 👋"


async def test_unknown_commands_and_plain_text_get_a_hint_in_private_only(world, reader):
    (unknown,) = await world.ask(reader, "/frobnicate")
    assert "لا أعرف هذا الأمر" in unknown["text"]
    (text,) = await world.ask(reader, "مرحبا")
    assert "أفهم الأوامر" in text["text"]
    group = -world.fresh_id()
    world.emu.add_group(chat_id=group, title="نادي القراءة", admins=[reader])
    world.emu.send_message(group, reader, "صباح الخير للجميع")
    world.emu.send_message(group, reader, "/frobnicate")
    # Answered after them, so the bot did take the chatter and the command before it …
    (latest,) = await world.ask(group, "/latest@akhbar_test_bot 2", user_id=reader)
    assert len(READ_LINK.findall(latest["text"])) == 2
    await world.idle()  # … and their handlers (if any) are done
    assert len(world.emu.messages(group)) == 1  # the chatter and the foreign command got nothing


async def test_a_reader_who_blocks_the_bot_is_kept_inactive_and_restored_by_start(world, reader):
    await world.ask(reader, "/subscribe")
    world.emu.block(reader)
    chat = await eventually(lambda: world.services.chats.get(reader), lambda c: not c.active)
    assert (chat.active, chat.inactive_reason, chat.subscribed) == (False, "blocked", True)
    world.emu.unblock(reader)
    (back,) = await world.ask(reader, "/start")
    assert "مرحبا بعودتك" in back["text"]
    chat = await world.services.chats.get(reader)
    assert chat.active and chat.subscribed and chat.lang == "ar"


async def test_a_block_and_unblock_received_together_leave_the_reader_subscribed(world, reader):
    """The bot was down while a reader blocked it and then unblocked it: both updates arrive
    in one batch, and are handled in that order — the reader ends active, digests and alerts
    coming, not switched off by the block's late write."""
    await world.ask(reader, "/subscribe")
    for _ in range(5):  # the two handlers raced: lost most times, not every time
        world.emu.block(reader)
        world.emu.unblock(reader)
        await world.handled_everything()
        chat = await world.services.chats.get(reader)
        assert (chat.active, chat.subscribed) == (True, True), chat.inactive_reason


async def test_a_reply_refused_with_403_soft_disables_the_chat(world, reader):
    await world.ask(reader, "/subscribe")
    world.emu.deactivate(reader)
    world.emu.send_message(reader, reader, "/latest")
    chat = await eventually(lambda: world.services.chats.get(reader), lambda c: not c.active)
    assert not chat.active and "deactivated" in chat.inactive_reason
    assert chat.subscribed  # kept, never deleted


async def test_search_highlights_the_original_words_and_pages_with_a_more_button(world, reader):
    # Twelve stories (one place each: the same rain in one place would be one story, shown once).
    places = ["وهران", "قسنطينة", "عنابة", "سطيف", "بجاية", "تلمسان", "باتنة", "البليدة", "الشلف", "سكيكدة", "جيجل", "تبسة"]
    for i, place in enumerate(places):
        await world.services.ingestor.add_many(
            [make_article(title=f"تساقط الأمطار على {place}", body="تحذير.", source=f"مصدر {i}")]
        )
    (first,) = await world.ask(reader, "/search امطار")
    assert "نتائج البحث عن «امطار»" in first["text"]
    bold = [entity_text(first, e) for e in first["entities"] if e["type"] == "bold"]
    assert "الأمطار" in bold  # the reader typed امطار; the bold word is as the source wrote it
    (more,) = buttons(first)
    (second,) = await world.press(reader, first, more["callback_data"])
    first_ids, second_ids = set(READ_LINK.findall(first["text"])), set(READ_LINK.findall(second["text"]))
    assert len(first_ids) == 8 and second_ids and not first_ids & second_ids


# Twenty wilayas, a story each: twenty results, three pages of eight.
TWENTY_PLACES = (
    "وهران", "قسنطينة", "عنابة", "سطيف", "بجاية", "تلمسان", "باتنة", "البليدة", "الشلف", "سكيكدة",
    "جيجل", "تبسة", "بسكرة", "ورقلة", "غرداية", "الأغواط", "المسيلة", "معسكر", "تيارت", "سعيدة",
)


@pytest.mark.parametrize(
    ("lang", "word", "page_two", "page_three"),
    [
        ("ar", "زرباطية", "الصفحة 2 من 3", "الصفحة 3 من 3"),
        ("fr", "قرمشانية", "page 2 sur 3", "page 3 sur 3"),
        ("en", "فلطوسية", "page 2 of 3", "page 3 of 3"),
    ],
)
async def test_search_pages_after_the_first_say_which_page_of_how_many(world, lang, word, page_two, page_three):
    # Before: «⬇️ More» brought a page headed like the first, «Results for “…”» and no more:
    # nothing said it was page 2, nor how many there were.
    for i, place in enumerate(TWENTY_PLACES):
        await world.services.ingestor.add_many([make_article(title=f"مهرجان {word} في {place}", body="افتتاح.", source=f"مصدر {i}")])
    reader = world.fresh_id()
    world.emu.add_user(user_id=reader, first_name="R", language_code=lang)
    (first,) = await world.ask(reader, f"/search {word}")
    assert len(READ_LINK.findall(first["text"])) == 8
    assert page_two.split()[0] not in first["text"].split("\n")[0]  # the first page is as it was
    (second,) = await world.press(reader, first, buttons(first)[0]["callback_data"])
    header = second["text"].split("\n")[0]
    assert page_two in header, header
    assert len(READ_LINK.findall(second["text"])) == 8
    (third,) = await world.press(reader, second, buttons(second)[0]["callback_data"])
    assert page_three in third["text"].split("\n")[0] and len(READ_LINK.findall(third["text"])) == 4
    assert not buttons(third)  # the last page offers no more
    if lang == "ar":
        assert header.startswith(RLM)
    assert max(utf16_len(m["text"]) for m in (first, second, third)) <= 4096


@pytest.mark.parametrize(
    ("typed", "said"),
    [
        # No word in it: how to search (it said «لا نتائج», as if «"» had been looked for).
        ('/search "', "اكتب ما تبحث عنه"),
        ("/search 🙂", "اكتب ما تبحث عنه"),
        ("/search NEAR( * AND -", "لا نتائج"),
        ("/search " + "ب" * 600, "لا نتائج"),
    ],
)
async def test_search_with_hostile_or_empty_queries_answers_politely(world, typed, said, reader):
    (reply,) = await world.ask(reader, typed)
    assert said in reply["text"]


async def test_search_without_words_explains_how(world, reader):
    (reply,) = await world.ask(reader, "/search")
    assert "اكتب ما تبحث عنه" in reply["text"]


@pytest.mark.parametrize("separator", ["\n", "\u00a0", "\t", "   ", " \n "])
async def test_a_commands_argument_counts_after_a_newline_or_any_space(world, reader, separator):
    """What a reader types after a command, on the next line or after a no-break space, is read
    as after a space: every command takes it the same way."""
    for command, argument in (("search", "وهران"), ("wilaya", "وهران"), ("topic", "رياضة"), ("timezone", "Europe/Paris")):
        someone = world.fresh_id()  # a reader each: a dozen commands at once would be a flood
        (spaced,) = await world.ask(someone, f"/{command} {argument}")
        (other,) = await world.ask(someone, f"/{command}{separator}{argument}")
        assert other["text"] == spaced["text"], (command, other["text"])
    (search,) = await world.ask(reader, f"/search{separator}وهران")
    assert "نتائج البحث عن «وهران»" in search["text"]
    (moved,) = await world.ask(reader, f"/settime{separator}07:30")
    assert "07:30" in moved["text"] and "مثلا" not in moved["text"]


async def test_wilaya_lists_the_latest_from_there_by_name_or_code(world, reader):
    (by_name,) = await world.ask(reader, "/wilaya وهران")
    (by_code,) = await world.ask(reader, "/wilaya 31")
    assert by_name["text"] == by_code["text"]
    assert "📍" in by_name["text"] and "مولودية وهران" in by_name["text"]
    (unknown,) = await world.ask(reader, "/wilaya أطلانتس")
    assert "لا أعرف ولاية" in unknown["text"]


async def test_wilaya_by_the_spelling_or_short_form_algerians_type(world):
    me = world.fresh_id()
    world.emu.add_user(me, first_name="Q", language_code="fr")
    (oran,) = await world.ask(me, "/wilaya Oran")
    (wahran,) = await world.ask(me, "/wilaya wahran")
    assert wahran["text"] == oran["text"] and "Oran" in wahran["text"]
    (bba,) = await world.ask(me, "/wilaya BBA")
    assert "Bordj Bou Arreridj" in bba["text"] and "Je ne connais pas" not in bba["text"]


async def test_one_story_from_two_sources_is_listed_once_and_read_offers_the_other(fresh_world):
    world = fresh_world  # "/latest 3" below must start with this story: no other test's newer one
    (listing,) = await world.ask(READER, "/latest 50")
    assert listing["text"].count("الجزائر وإيطاليا توقعان") + listing["text"].count("توقيع ثماني اتفاقيات") <= 2
    a, b = await world.services.ingestor.add_many(
        [
            make_article(title='تعيين مراد بلخلفة مديرا عاما بالنّيابة لمجمّع "صيدال"', source="وكالة", published_at=datetime(2030, 1, 1, tzinfo=UTC)),
            make_article(title="تنصيب مراد بلخلفة مديرًا عامًا بالنيابة لمجمع صيدال", source="جريدة", published_at=datetime(2030, 1, 1, 1, tzinfo=UTC)),
        ]
    )
    (latest,) = await world.ask(READER, "/latest 3")
    assert latest["text"].count("مراد بلخلفة") == 1 and "(+1 مصدر)" in latest["text"]
    (read,) = await world.ask(READER, f"/read_{a}")
    assert "من مصادر أخرى" in read["text"] and f"/read_{b}" in read["text"]


async def test_search_shows_a_story_once_with_its_other_sources_and_read_lists_them(world, reader):
    await world.services.ingestor.add_many(
        [
            make_article(title='تعيين مراد بلخلفة مديرا عاما بالنّيابة لمجمّع "صيدال"', source="وكالة"),
            make_article(title="تنصيب مراد بلخلفة مديرًا عامًا بالنيابة لمجمع صيدال", source="جريدة"),
        ]
    )
    (found,) = await world.ask(reader, "/search صيدال")
    assert found["text"].count("مراد بلخلفة") == 1 and "(+1 مصدر)" in found["text"]
    (shown,) = READ_LINK.findall(found["text"])
    (read,) = await world.ask(reader, f"/read_{shown}")
    assert "من مصادر أخرى" in read["text"] and len(READ_LINK.findall(read["text"])) == 1


async def test_words_typed_alone_in_a_private_chat_are_a_search_with_a_hint_greetings_get_help(world, reader):
    await world.services.ingestor.add_many(
        [
            make_article(title="سوناطراك توقع عقدا جديدا للغاز مع شريك آسيوي", source="وكالة"),
            make_article(title="أحمد قايد صالح: شهادات جديدة في كتاب", source="جريدة"),
        ]
    )
    (found,) = await world.ask(reader, "سوناطراك")
    assert "نتائج البحث عن «سوناطراك»" in found["text"] and "توقع عقدا جديدا للغاز" in found["text"]
    assert found["text"].rstrip().endswith("/search ثم ما تبحث عنه.")  # the one-line hint, last
    (two_words,) = await world.ask(reader, "قايد صالح")
    assert "شهادات جديدة في كتاب" in two_words["text"] and "/search" in two_words["text"]
    (nothing,) = await world.ask(reader, "بوخرصوفة")
    assert "لا نتائج" in nothing["text"] and "/search ثم" in nothing["text"]
    said = ["السلام عليكم", "مرحباً!", "Salut 👋", "bonjour à tous", "Hello", "hi", "شكرا جزيلا", "ok", "ب", "في من", "🙂"]
    for text in said:
        (reply,) = await world.ask(world.fresh_id(), text)  # a reader each: so many messages at once are a flood
        assert "أفهم الأوامر" in reply["text"] and "نتائج" not in reply["text"], text
