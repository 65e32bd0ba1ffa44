"""A follow that leaves something out, as /search does: `/follow سوناطراك -كرة`, through the
real bot and the emulator, on SQLite and PostgreSQL.

Before, /follow read `-كرة` as search syntax and refused it, `-"كأس العالم"` as two more words
to follow, and OR as a word: a reader following «الجزائر -كرة» as /search taught them got no
follow, or alerts about the very football they asked to leave out.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from bot.config import load_settings
from bot.services import Services
from news.articles import make_article
from news.services.subscriptions import ChatRef

from .conftest import ENGINES, open_world, pg_schema
from .test_follow import store, wait_alerts

# A thing left out written in the other direction than the line: between marks of its own
# direction, inside marks of the line's (bot.render.embedded).
RTL_IN_LTR = "\u200e\u200f{}\u200f\u200e".format
LTR_IN_RTL = "\u200f\u200e{}\u200e\u200f".format


@pytest.fixture
def world(engine_world):
    return engine_world


READER, PLAIN = 7301, 7302  # PLAIN follows the same word, leaving nothing out


def reader_in(world, lang: str, me: int) -> int:
    """A reader of this language, by id."""
    world.emu.add_user(me, first_name="Q", language_code=lang)
    return me


async def only_alert(world, chat_id, stories):
    """The one alert the chat is owed, once PLAIN was alerted about all `stories` (each
    matched by then, and the alerts it owes written, the chat's with PLAIN's)."""
    await wait_alerts(world, PLAIN, stories)
    owed = await world.services.alerts.of_chat(chat_id)
    assert len(owed) == 1, owed
    others = [m for m in world.emu.messages(chat_id) if "/read_" not in m["text"]]
    messages = await world.emu.wait_for_messages(chat_id, len(others) + 1, timeout=15)
    (alert,) = [m for m in messages if "/read_" in m["text"]]
    return alert


async def test_an_alert_is_skipped_for_a_story_holding_what_the_follow_leaves_out(world):
    (reply,) = await world.ask(READER, '/follow سوناطراك -كرة -"كأس العالم"')
    assert reply["text"].split("\n") == [
        "\u200f✅ ستصلك الأخبار الجديدة التي فيها: سوناطراك (كلمات، كلها في الخبر).",
        '\u200f🚫 ما عدا الأخبار التي فيها: كرة، "كأس العالم"',
    ]
    await world.ask(PLAIN, "/follow سوناطراك")
    await store(world, make_article(title="سوناطراك ترعى فريق الكرة الوطني", source="أ"))  # كرة by stem
    await store(world, make_article(title="سوناطراك حاضرة في كأس العالم للطاقة", source="ب"))  # the phrase
    await store(world, make_article(title="سوناطراك توقع عقدا جديدا مع شريك إيطالي", source="ج"))
    kept = await only_alert(world, READER, 3)
    assert "توقع عقدا جديدا" in kept["text"]
    assert kept["text"].endswith("تتابع: سوناطراك")  # named by what it follows


async def test_a_topic_or_a_wilaya_leaves_out_words_too(world):
    me = reader_in(world, "fr", 7303)
    (reply,) = await world.ask(me, "/follow Oran -mouloudia")
    assert reply["text"].split("\n") == [
        "✅ Vous recevrez les nouveaux articles de la wilaya d'Oran.",
        "🚫 Sauf les articles contenant : mouloudia",
    ]
    await world.ask(PLAIN, "/follow وهران")
    await store(world, make_article(title="Oran : le Mouloudia remporte le derby", source="أ"))
    await store(world, make_article(title="Oran : un nouveau tramway en service", source="ب"))
    alert = await only_alert(world, me, 2)
    assert "tramway" in alert["text"] and alert["text"].endswith("Vous suivez : Oran")


async def test_following_shows_what_each_follow_leaves_out_and_unfollow_and_buttons_still_work(world):
    await world.ask(READER, '/follow سوناطراك -كرة -"كأس العالم"')
    await world.ask(READER, "/follow Sonatrach -football")
    # (told to the service: a test's commands stay few enough not to be told to slow down)
    await world.services.follows.follow(ChatRef(READER, "private", ""), "ar", "وهران")
    await world.services.follows.mute(ChatRef(READER, "private", ""), "ar", "أمطار")
    (listing,) = await world.ask(READER, "/following")
    assert listing["text"].split("\n\n")[0].split("\n") == [
        "\u200f🔔 ما تتابعه",
        "\u200f1. سوناطراك",
        '\u200f🚫 ما عدا: كرة، "كأس العالم"',
        "2. Sonatrach",
        f"\u200f🚫 ما عدا: {LTR_IN_RTL('football')}",
        "\u200f3. وهران",
    ]
    buttons = [b["text"] for row in listing["reply_markup"]["inline_keyboard"] for b in row]
    assert buttons == ["✖ 1. سوناطراك", "✖ 2. Sonatrach", "✖ 3. وهران", "✖ 4. أمطار"]
    # In English, the same list in the reader's words; HTML in a reader's text stays text.
    me = reader_in(world, "en", 7304)
    await world.ask(me, "/follow Sonatrach -<b>foot</b> -\"l'équipe\"")
    (english,) = await world.ask(me, "/following")
    assert english["text"].split("\n")[1:3] == [
        "1. Sonatrach", "🚫 except: <b>foot</b>, \"l'équipe\"",
    ]
    # /unfollow by what it follows, with or without what it leaves out; and a button.
    (gone,) = await world.ask(READER, "/unfollow سوناطراك")
    assert "لم تعد تتابع سوناطراك" in gone["text"]
    (gone,) = await world.ask(READER, "/unfollow Sonatrach -football")
    assert "Sonatrach" in gone["text"]
    (listing,) = await world.ask(READER, "/following")
    button = listing["reply_markup"]["inline_keyboard"][0][0]
    assert button["text"] == "✖ 1. وهران"
    await world.press(READER, listing, button["callback_data"], replies=0)
    assert [(f.text, f.mute) for f in await world.services.follows.following(READER)] == [("أمطار", True)]


async def test_what_a_list_leaves_out_after_its_last_follow_is_left_out_of_each_and_said_under_each(world):
    # Before: «/follow سوناطراك، سونلغاز -كرة» left football out of سونلغاز alone, silently
    # (one «except» line under both follows), and a list holding a quote was one follow.
    (reply,) = await world.ask(READER, "/follow سوناطراك، سونلغاز -كرة")
    assert reply["text"].split("\n") == [
        "\u200f✅ ستصلك الأخبار الجديدة التي فيها: سوناطراك (كلمات، كلها في الخبر).",
        "\u200f🚫 ما عدا الأخبار التي فيها: كرة",
        "\u200f✅ ستصلك الأخبار الجديدة التي فيها: سونلغاز (كلمات، كلها في الخبر).",
        "\u200f🚫 ما عدا الأخبار التي فيها: كرة",
    ]
    english = reader_in(world, "en", 7306)
    (listed,) = await world.ask(english, '/follow Sonatrach, "civil protection", -"world cup" -football')
    assert listed["text"].split("\n") == [
        "✅ You will get new stories containing: Sonatrach (words, all of them in the story).",
        '🚫 Except stories containing: "world cup", football',
        '✅ You will get new stories containing the phrase: "civil protection".',
        '🚫 Except stories containing: "world cup", football',
    ]
    # Each follow of the list leaving out things of its own: each keeps its own.
    french = reader_in(world, "fr", 7307)
    (own,) = await world.ask(french, "/follow Sonatrach -foot, Sonelgaz -basket")
    assert own["text"].split("\n")[1::2] == [
        "🚫 Sauf les articles contenant : foot", "🚫 Sauf les articles contenant : basket",
    ]
    stored = {me: [(f.text, f.excluded) for f in await world.services.follows.following(me)] for me in (READER, english, french)}
    assert stored == {
        READER: [("سوناطراك -كرة", (("كره",),)), ("سونلغاز -كرة", (("كره",),))],
        english: [
            ('Sonatrach -"world cup" -football', (("world", "cup"), ("football",))),
            ('"civil protection" -"world cup" -football', (("world", "cup"), ("football",))),
        ],
        french: [("Sonatrach -foot", (("foot",),)), ("Sonelgaz -basket", (("basket",),))],
    }
    await world.ask(PLAIN, "/follow سوناطراك، سونلغاز")
    await store(world, make_article(title="سوناطراك ترعى فريق الكرة الوطني", source="أ"))
    await store(world, make_article(title="سونلغاز توقع عقدا جديدا مع شريك إيطالي", source="ب"))
    alert = await only_alert(world, READER, 2)
    assert "سونلغاز توقع عقدا" in alert["text"]


async def test_what_a_follow_leaves_out_is_kept_in_order_by_direction_marks_not_isolates(world):
    # Before: each thing left out was wrapped in U+2068/U+2069, which older Telegram clients
    # draw as boxes, where every other reply uses U+200E/U+200F.  A list of both scripts.
    english = reader_in(world, "en", 7305)
    (reply,) = await world.ask(READER, "/follow سوناطراك -football -كرة -basket")
    (listed,) = await world.ask(READER, "/following")
    (reply_en,) = await world.ask(english, '/follow Sonatrach -كرة -football -"كأس العالم"')
    (listed_en,) = await world.ask(english, "/following")
    arabic = f"{LTR_IN_RTL('football')}، كرة، {LTR_IN_RTL('basket')}"
    latin = f'{RTL_IN_LTR("كرة")}, football, {RTL_IN_LTR(chr(34) + "كأس العالم" + chr(34))}'
    assert reply["text"].split("\n")[1] == f"\u200f🚫 ما عدا الأخبار التي فيها: {arabic}"
    assert listed["text"].split("\n")[1:3] == ["\u200f1. سوناطراك", f"\u200f🚫 ما عدا: {arabic}"]
    assert reply_en["text"].split("\n")[1] == f"🚫 Except stories containing: {latin}"
    assert listed_en["text"].split("\n")[1:3] == ["1. Sonatrach", f"🚫 except: {latin}"]
    for message in (reply, listed, reply_en, listed_en):
        assert not set(message["text"]) & set("\u2066\u2067\u2068\u2069"), message["text"]


@pytest.mark.parametrize(
    ("lang", "typed", "expected"),
    [
        ("ar", "/follow -كرة", "اكتب ما تريد متابعته، لا ما تستبعده فقط: مثلا \u200e/follow الجزائر -كرة"),
        ("fr", "/follow -football", "Dites ce que vous voulez suivre, pas seulement ce qu'il faut exclure"),
        ("en", "/follow -football", "Say what to follow, not only what to leave out: for example /follow Algeria -football"),
        ("ar", "/follow سوناطراك -سوناطراك", "أنت تستبعد ما تتابعه نفسه: لن يصلك شيء"),
        ("fr", '/follow "coupe du monde" -coupe', "Vous excluez cela même que vous suivez"),
        ("en", "/follow Sonatrach -sonatrach", "That leaves out the very thing you follow"),
    ],
)
async def test_a_follow_of_nothing_but_exclusions_is_refused_politely(world, lang, typed, expected):
    me = reader_in(world, lang, 7310)
    (reply,) = await world.ask(me, typed)
    assert expected in reply["text"]
    assert await world.services.follows.following(me) == []


@pytest.mark.parametrize(
    ("lang", "typed", "expected"),
    [
        ("ar", "/follow سوناطراك OR سونلغاز", [
            "\u200fالمتابعة لا تقبل OR: كل متابعة تأتيك بتنبيهاتها وحدها، تنبيه واحد لكل خبر. تابع كلًّا منها على حدة:",
            "\u200f\u200e/follow سوناطراك", "\u200f\u200e/follow سونلغاز",  # U+200E: the slash stays left of follow
        ]),
        ("fr", "/follow Oran ou Alger -foot", [
            "Un suivi ne prend pas de OR : chaque suivi vous alerte déjà de son côté, une alerte par article. "
            "Suivez plutôt chacun :",
            "/follow Oran -foot", "/follow Alger -foot",
        ]),
        ("en", '/follow "civil protection" | "الحماية المدنية"', [
            "A follow takes no OR: each follow already brings its own alerts, one per story. Follow each of them instead:",
            '/follow "civil protection"', '\u200e/follow "الحماية المدنية"',  # left-to-right
        ]),
    ],
)
async def test_or_in_a_follow_is_refused_with_the_follows_to_make_instead(world, lang, typed, expected):
    me = reader_in(world, lang, 7311)
    (reply,) = await world.ask(me, typed)
    assert reply["text"].split("\n") == expected
    # Each follow offered is ready to copy (a tap on code copies it).
    assert sum(entity["type"] == "code" for entity in reply["entities"]) == 2
    assert await world.services.follows.following(me) == []


@pytest.mark.parametrize(
    ("lang", "typed", "shown", "more"),
    [
        ("ar", "/follow سوناطراك OR سونلغاز OR نفطال الجزائر OR فرنسا", [
            "\u200f\u200e/follow سوناطراك الجزائر", "\u200f\u200e/follow سوناطراك فرنسا",
            "\u200f\u200e/follow سونلغاز الجزائر", "\u200f\u200e/follow سونلغاز فرنسا",
        ], "\u200f…ومتابعتان أخريان على المنوال نفسه."),
        ("fr", "/follow Oran ou Alger ou Annaba ou Sétif ou Béjaïa -foot", [
            "/follow Oran -foot", "/follow Alger -foot", "/follow Annaba -foot", "/follow Sétif -foot",
        ], "…et 1 autre construit de la même façon."),
        ("en", "/follow alpha OR beta gamma OR delta epsilon OR zeta", [
            "/follow alpha gamma epsilon", "/follow alpha gamma zeta", "/follow alpha delta epsilon", "/follow alpha delta zeta",
        ], "…and 4 more made the same way."),
    ],
)
async def test_an_or_refused_says_how_many_follows_it_leaves_unshown(world, lang, typed, shown, more):
    # Before: the first four follows, and nothing said of the others (two, one, four more).
    me = reader_in(world, lang, 7313)
    (reply,) = await world.ask(me, typed)
    assert reply["text"].split("\n")[1:] == [*shown, more]
    assert sum(entity["type"] == "code" for entity in reply["entities"]) == 4
    assert await world.services.follows.following(me) == []


AR_NO_OR = "\u200fالمتابعة لا تقبل OR: كل متابعة تأتيك بتنبيهاتها وحدها، تنبيه واحد لكل خبر. "
FR_NO_OR = "Un suivi ne prend pas de OR : chaque suivi vous alerte déjà de son côté, une alerte par article. "
EN_NO_OR = "A follow takes no OR: each follow already brings its own alerts, one per story. "


@pytest.mark.parametrize(
    ("lang", "typed", "expected"),
    [
        ("ar", "/follow الجزائر OR", [
            AR_NO_OR + "تابع هذه، وكل شيء آخر بأمر \u200e/follow خاص به:", "\u200f\u200e/follow الجزائر",
        ]),
        ("ar", "/follow OR", [
            AR_NO_OR + "تابع كل شيء بأمر \u200e/follow خاص به، مثلا:", "\u200f\u200e/follow سوناطراك", "\u200f\u200e/follow سونلغاز",
        ]),
        ("fr", "/follow Oran ou -foot", [
            FR_NO_OR + "Suivez plutôt ceci, et toute autre chose par un /follow à part :", "/follow Oran -foot",
        ]),
        ("en", "/follow OR", [
            EN_NO_OR + "Follow each thing with a /follow of its own, for example:", "/follow Sonatrach", "/follow Sonelgaz",
        ]),
        ("en", "/follow | Sonatrach", [
            EN_NO_OR + "Follow this instead, and anything else with a /follow of its own:", "/follow Sonatrach",
        ]),
    ],
)
async def test_an_or_joining_nothing_is_refused_with_the_help_any_or_gets(world, lang, typed, expected):
    # Before: /follow الجزائر OR followed the words الجزائر and «or», /follow OR the word «or»,
    # /follow | Sonatrach the word Sonatrach as if nothing were amiss.
    me = reader_in(world, lang, 7312)
    (reply,) = await world.ask(me, typed)
    assert reply["text"].split("\n") == expected
    assert sum(entity["type"] == "code" for entity in reply["entities"]) == len(expected) - 1
    assert await world.services.follows.following(me) == []


@pytest.mark.parametrize(
    ("lang", "typed", "expected"),
    [
        ("ar", "/follow الجزائر -في", "\u200f«في» كلمة شائعة جدا لا تُستبعد: هي في كل خبر تقريبا من أخبار لغتها. "
         "استبعد كلمة تميّز الأخبار، مثلا \u200e/follow الجزائر -كرة"),
        ("ar", "/follow سوناطراك -كرة -وفي", "\u200f«وفي» كلمة شائعة جدا لا تُستبعد"),
        ("en", "/follow Oran -the", "“the” is too common a word to leave out: nearly every story in its language has it. "
         "Leave out a word that tells stories apart, for example /follow Algeria -football"),
        ("en", "/follow Sonatrach -من", "\u200e“\u200e\u200fمن\u200f\u200e” is too common a word to leave out"),
        ("fr", "/follow Oran -de", "« de » est un mot trop courant pour être exclu : presque tous les articles de sa langue "
         "le contiennent. Excluez un mot qui distingue les articles, par exemple /follow Algérie -football"),
        ("fr", '/follow Oran -"de la"', "« de la » est un mot trop courant pour être exclu"),
    ],
)
async def test_leaving_out_a_word_too_common_to_tell_stories_apart_is_refused_naming_it(world, lang, typed, expected):
    # Before: each was followed, leaving out nearly every story of its language (a story
    # holding في, the, de), while the reader thought it left out nothing.
    me = reader_in(world, lang, 7314)
    (reply,) = await world.ask(me, typed)
    assert reply["text"].startswith(expected)
    assert await world.services.follows.following(me) == []


@pytest.mark.parametrize(
    ("lang", "typed", "expected"),
    [
        ("ar", "/mute -كرة", "\u200fالكتم يخفي ما تكتبه بعده كما هو، دون «-»: لإخفاء كل خبر فيه كلمة، اكتب مثلا \u200e/mute كرة. "
         "أما استبعاد كلمة من متابعة فبـ«-» بعد ما تتابعه: \u200e/follow الجزائر -كرة"),
        ("fr", "/mute foot -rugby", "/mute masque ce que vous écrivez après, tel quel, sans « - » : pour ne plus voir un mot, "
         "par exemple /mute football. Pour exclure un mot d'un suivi, le « - » va après ce que vous suivez : "
         "/follow Algérie -football"),
        ("en", '/mute -"world cup"', "/mute hides what you write after it, as it is, with no “-”: to never see a word, for "
         "example /mute football. To leave a word out of a follow, the “-” goes after what you follow: /follow Algeria -football"),
    ],
)
async def test_a_mute_leaving_out_is_told_what_mute_does_and_where_leaving_out_belongs(world, lang, typed, expected):
    # Before: «No search syntax needed here (title:, OR, *): just write the words», which
    # named neither the minus nor /follow.
    me = reader_in(world, lang, 7315)
    (reply,) = await world.ask(me, typed)
    assert reply["text"] == expected
    assert await world.services.follows.following(me) == []


async def test_the_same_words_with_other_exclusions_change_the_follow_and_say_so(world):
    await world.ask(READER, "/follow سوناطراك -كرة")
    (changed,) = await world.ask(READER, '/follow سوناطراك -"كأس العالم"')
    assert changed["text"] == (
        '\u200f✏️ أنت تتابع سوناطراك من قبل: من الآن ما عدا الأخبار التي فيها "كأس العالم".'
    )
    (same,) = await world.ask(READER, '/follow سوناطراك -"كأس العالم"')
    assert same["text"].startswith("\u200fأنت تتابع سوناطراك من قبل.")
    follows = await world.services.follows.following(READER)
    assert [(f.text, f.excluded) for f in follows] == [('سوناطراك -"كأس العالم"', (("كاس", "العالم"),))]
    # What it leaves out now, not before: football comes, the world cup does not.
    await world.ask(PLAIN, "/follow سوناطراك")
    await store(world, make_article(title="سوناطراك حاضرة في كأس العالم للطاقة", source="أ"))
    await store(world, make_article(title="سوناطراك ترعى فريق الكرة الوطني", source="ب"))
    alert = await only_alert(world, READER, 2)
    assert "الكرة الوطني" in alert["text"]
    (none,) = await world.ask(READER, "/follow سوناطراك")
    assert none["text"] == "\u200f✏️ أنت تتابع سوناطراك من قبل: من الآن دون استبعاد شيء."
    (listing,) = await world.ask(READER, "/following")
    assert "ما عدا" not in listing["text"] and len(await world.services.follows.following(READER)) == 1


async def test_exclusions_changed_by_another_process_are_taken_in_by_the_running_bot(world):
    """A follow's exclusions changed through another process (a receiver, on PostgreSQL): the
    bot's own matcher takes the change in before its next alerts."""
    await world.ask(READER, "/follow سوناطراك")
    other = replace(load_settings({}), db_path=world.settings.db_path, database_url=world.settings.database_url)
    async with await Services.open(other) as receiver:
        await receiver.follows.follow(ChatRef(READER, "private", ""), "ar", "سوناطراك -كرة")
    await world.ask(PLAIN, "/follow سوناطراك")
    await store(world, make_article(title="سوناطراك ترعى فريق الكرة الوطني", source="أ"))
    await store(world, make_article(title="سوناطراك توقع عقدا جديدا مع شريك إيطالي", source="ب"))
    alert = await only_alert(world, READER, 2)
    assert "توقع عقدا جديدا" in alert["text"]


@pytest.mark.parametrize("engine", ENGINES)
async def test_a_restart_keeps_what_each_follow_leaves_out(engine, tmp_path):
    async def twice(database_url):
        async with open_world(tmp_path, database_url=database_url) as world:
            await world.ask(READER, '/follow سوناطراك -كرة -"كأس العالم"')
            (before,) = await world.ask(READER, "/following")
        async with open_world(tmp_path, database_url=database_url) as world:
            (after,) = await world.ask(READER, "/following")
            assert after["text"] == before["text"] and "كأس العالم" in after["text"]
            await world.ask(PLAIN, "/follow سوناطراك")
            await store(world, make_article(title="سوناطراك ترعى فريق الكرة الوطني", source="أ"))
            await store(world, make_article(title="سوناطراك حاضرة في كأس العالم للطاقة", source="ب"))
            await store(world, make_article(title="سوناطراك توقع عقدا جديدا مع شريك إيطالي", source="ج"))
            alert = await only_alert(world, READER, 3)
            assert "توقع عقدا جديدا" in alert["text"]

    if engine == "sqlite":
        await twice(None)
        return
    async with pg_schema() as url:
        await twice(url)


async def test_a_follow_leaves_out_and_a_mute_hides_a_noun_with_its_clitic_on_a_short_word(world):
    # Before: -كرة and /mute كرة let «لكرة القدم» and «وكرة اليد» through (a bare clitic was
    # peeled only from words of five letters or more): three alerts each, not one.
    await world.ask(READER, "/follow سوناطراك -كرة")
    muting = reader_in(world, "fr", 7316)
    await world.ask(muting, "/follow سوناطراك")
    (muted,) = await world.ask(muting, "/mute كرة")
    assert muted["text"].startswith("🔇")
    await world.ask(PLAIN, "/follow سوناطراك")
    await store(world, make_article(title="سوناطراك ترعى البطولة الوطنية لكرة القدم", source="أ"))
    await store(world, make_article(title="سوناطراك تدعم فرق الجيدو وكرة اليد", source="ب"))
    await store(world, make_article(title="سوناطراك توقع عقدا جديدا مع شريك نرويجي", source="ج"))
    for chat in (READER, muting):
        alert = await only_alert(world, chat, 3)
        assert "توقع عقدا جديدا" in alert["text"], chat
