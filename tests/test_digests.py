"""Daily digests through the real bot and the emulator, on a fake clock."""

from contextlib import asynccontextmanager
from datetime import UTC, datetime, time, timedelta

import pytest
from telegram.ext import ExtBot

from bot.digests import DigestEngine
from bot.render import LRM, RLM
from news.articles import make_article

from .conftest import ENGINES, FakeClock, open_world, pg_schema


@pytest.fixture
def world(engine_world):
    """Each test's bot, on each engine in turn."""
    return engine_world

T0 = datetime(2026, 12, 1, 4, 0, tzinfo=UTC)
ALGIERS, PARIS, MONTREAL = 7001, 7002, 7003


@pytest.fixture
async def readers(world):
    world.services.clock = clock = FakeClock(T0)
    for user_id, zone in ((ALGIERS, "Africa/Algiers"), (PARIS, "Europe/Paris"), (MONTREAL, "America/Montreal")):
        world.emu.add_user(user_id=user_id, first_name=f"u{user_id}", language_code="ar")
        await world.ask(user_id, "/subscribe")
        await world.ask(user_id, f"/timezone {zone}")
    await world.services.ingestor.add_many(
        [
            make_article(title="مولودية الجزائر تفوز على شباب قسنطينة", topics=["sports"], source="أ"),
            make_article(title="بنك الجزائر يرفع سعر الفائدة", topics=["economy"], source="ب"),
            make_article(title="أمطار رعدية على الولايات الشرقية", topics=["weather"], source="ج"),
        ],
        fetched_at=T0 - timedelta(hours=1),
    )
    return clock


def digests(world, chat_id):
    return [m for m in world.emu.messages(chat_id) if "موجزك اليومي" in m["text"]]


async def test_each_reader_gets_the_digest_at_seven_in_their_own_zone_exactly_once(world, readers):
    readers.now = datetime(2026, 12, 1, 6, 0, 30, tzinfo=UTC)  # 07:00 in Algiers and in Paris
    report = await world.engine.broadcast()
    assert sorted(report.chats) == [ALGIERS, PARIS]
    (digest,) = digests(world, ALGIERS)
    assert "الثلاثاء 1 ديسمبر 2026" in digest["text"] and "1448" in digest["text"]  # Gregorian and Hijri
    assert "مولودية الجزائر" in digest["text"] and "/read_" in digest["text"]
    assert "⚽" in digest["text"] and "💹" in digest["text"]
    assert digests(world, MONTREAL) == []
    readers.now = datetime(2026, 12, 1, 12, 0, 30, tzinfo=UTC)  # 07:00 in Montreal
    assert (await world.engine.broadcast()).chats == [MONTREAL]
    assert (await world.engine.broadcast()).chats == []  # never twice
    assert [len(digests(world, c)) for c in (ALGIERS, PARIS, MONTREAL)] == [1, 1, 1]
    chat = await world.services.chats.get(ALGIERS)
    assert chat.next_due_utc == datetime(2026, 12, 2, 6, 0, tzinfo=UTC)


async def test_nothing_new_sends_a_short_note_or_nothing_by_choice(world, readers):
    readers.now = datetime(2026, 12, 1, 6, 1, tzinfo=UTC)
    await world.engine.broadcast()
    (settings,) = await world.ask(PARIS, "/settings")
    await world.press(PARIS, settings, "empty:off", replies=0)
    assert not (await world.services.chats.get(PARIS)).empty_note
    readers.now = datetime(2026, 12, 2, 6, 1, tzinfo=UTC)
    report = await world.engine.broadcast()
    assert report.chats == [ALGIERS] and report.empty == 1
    assert "لا جديد منذ موجزك السابق" in digests(world, ALGIERS)[-1]["text"]
    assert len(digests(world, PARIS)) == 1


async def test_the_every_topic_button_is_capitalised_as_its_neighbours(world):
    # Before: «✅ toutes les rubriques», «✅ every topic» under «Politique», «Politics».
    for user_id, lang, label in ((7031, "fr", "✅ Toutes les rubriques"), (7032, "en", "✅ Every topic")):
        world.emu.add_user(user_id=user_id, first_name="R", language_code=lang)
        (menu,) = await world.ask(user_id, "/mytopics")
        assert menu["reply_markup"]["inline_keyboard"][-1][0] == {"text": label, "callback_data": "mt:all"}


async def test_a_double_tap_on_the_empty_day_button_is_no_error(world, readers):
    # Before: the second tap (handled after the first had edited the message) asked Telegram for
    # the same text again, was refused «message is not modified», and the reader got «عذرا، حدث
    # خطأ من جهتنا».
    (settings,) = await world.ask(PARIS, "/settings")
    answered = len(world.emu.callback_answers)
    for _ in range(2):
        world.emu.press_button(PARIS, PARIS, settings["message_id"], "empty:off")
    await world.emu.wait_for_requests("answercallbackquery", answered + 2)
    await world.handled_everything()
    (shown,) = [m for m in world.emu.messages(PARIS) if m["message_id"] == settings["message_id"]]
    assert shown["edit_count"] == 1 and "📭" in shown["reply_markup"]["inline_keyboard"][0][0]["text"]
    assert not any("حدث خطأ" in m["text"] for m in world.emu.messages(PARIS))
    assert not (await world.services.chats.get(PARIS)).empty_note


def topic_button(message, slug):
    """The /mytopics button of `slug` on `message` as the reader sees it now: (text, data)."""
    (button,) = [
        b for row in message["reply_markup"]["inline_keyboard"] for b in row if b["callback_data"].removeprefix("mt:").lstrip("+-") == slug
    ]
    return button["text"], button["callback_data"]


def shown(world, chat_id, message):
    (now,) = [m for m in world.emu.messages(chat_id) if m["message_id"] == message["message_id"]]
    return now


@pytest.mark.parametrize(("lang", "sport"), [("ar", "رياضة"), ("fr", "Sport"), ("en", "Sports")])
async def test_a_topic_button_says_which_way_so_a_double_or_stale_tap_changes_nothing_more(world, lang, sport):
    # Before: a double tap on «⚽ Sport» put sport in, then took it out again (each tap turned it
    # over), and a tap on an older /mytopics message undid a newer one's choice.
    reader = world.fresh_id()
    world.emu.add_user(user_id=reader, first_name="R", language_code=lang)
    (older,) = await world.ask(reader, "/mytopics")
    (menu,) = await world.ask(reader, "/mytopics")
    assert topic_button(menu, "sports") == (f"⚽ {sport}", "mt:+sports")
    answered = len(world.emu.callback_answers)
    for _ in range(2):  # both taps reach the bot before the first is answered
        world.emu.press_button(reader, reader, menu["message_id"], "mt:+sports")
    await world.emu.wait_for_requests("answercallbackquery", answered + 2)
    await world.handled_everything()
    assert (await world.services.chats.get(reader)).topics == ("sports",)
    menu = shown(world, reader, menu)
    assert menu["edit_count"] == 1 and sport in menu["text"]
    assert topic_button(menu, "sports") == (f"✅ ⚽ {sport}", "mt:-sports")
    # The older message still shows sport out: its tap asks for sport in, which holds already,
    # and the message is redrawn as things are.
    assert topic_button(older, "sports") == (f"⚽ {sport}", "mt:+sports")
    await world.press(reader, older, "mt:+sports", replies=0)
    assert (await world.services.chats.get(reader)).topics == ("sports",)
    older = shown(world, reader, older)
    assert older["edit_count"] == 1 and topic_button(older, "sports") == (f"✅ ⚽ {sport}", "mt:-sports")
    await world.press(reader, older, "mt:-sports", replies=0)
    assert (await world.services.chats.get(reader)).topics == ()
    assert topic_button(shown(world, reader, older), "sports") == (f"⚽ {sport}", "mt:+sports")
    assert not any("حدث خطأ" in m["text"] or "error" in m["text"] for m in world.emu.messages(reader))


@pytest.mark.parametrize(
    ("lang", "typed", "shown", "unknown"),
    [
        ("fr", "/mytopics sport, la politique et l'économie", "Politique, Économie, Sport", "Je ne connais pas de rubrique « foot »"),
        ("en", "/mytopics Sports economy", "Economy, Sports", "I know no topic called “foot”"),
        ("ar", "/mytopics الرياضة والاقتصاد", "اقتصاد، رياضة", "لا أعرف موضوعا اسمه «foot»"),
    ],
)
async def test_mytopics_followed_by_topic_names_chooses_them(world, lang, typed, shown, unknown):
    # Before: «/mytopics sport économie» ignored the names: the menu came back with every topic,
    # and the digest stayed on every topic.
    reader = world.fresh_id()
    world.emu.add_user(user_id=reader, first_name="R", language_code=lang)
    (menu,) = await world.ask(reader, typed)
    wanted = ("politics", "economy", "sports") if lang == "fr" else ("economy", "sports")
    assert (await world.services.chats.get(reader)).topics == wanted
    assert shown in menu["text"]
    assert {data for _, data in (topic_button(menu, slug) for slug in wanted)} == {f"mt:-{slug}" for slug in wanted}
    # A name that is no topic: said so, with the topics there are; nothing changed.
    (refused,) = await world.ask(reader, "/mytopics sport foot")
    assert unknown in refused["text"] and (await world.services.chats.get(reader)).topics == wanted
    (every,) = await world.ask(reader, {"fr": "/mytopics toutes", "en": "/mytopics all", "ar": "/mytopics كل المواضيع"}[lang])
    assert (await world.services.chats.get(reader)).topics == ()


async def test_in_a_group_only_admins_choose_the_digests_topics_by_name(world):
    group, admin, member = -world.fresh_id(), world.fresh_id(), world.fresh_id()
    world.emu.add_user(user_id=admin, first_name="A", language_code="fr")
    world.emu.add_group(group, title="Club", admins=[admin], members=[member], added_by=admin)
    (greeting,) = await world.emu.wait_for_messages(group, 1)  # the bot's greeting, in French
    assert "Bonjour « Club »" in greeting["text"]
    (refused,) = await world.ask(group, "/mytopics sport", user_id=member)
    assert "seuls les administrateurs" in refused["text"]
    assert (await world.services.chats.get(group)).topics == ()
    await world.ask(group, "/mytopics@akhbar_test_bot sport", user_id=admin)
    assert (await world.services.chats.get(group)).topics == ("sports",)


@pytest.mark.parametrize(
    ("lang", "chosen", "admins_line"),
    [
        ("ar", "رياضة", "يغيّرها مشرفو المجموعة فقط"),
        ("fr", "Sport", "Seuls les administrateurs du groupe les modifient"),
        ("en", "Sports", "Only the group's admins change them"),
    ],
)
async def test_in_a_group_a_member_sees_the_digests_topics_without_buttons_only_admins_can_press(
    world, lang, chosen, admins_line
):
    # Before: a member's bare /mytopics showed every topic as a button, each press refused with
    # «only admins…» — buttons they could not use, and no word of it until they tried.
    group, admin, member = -world.fresh_id(), world.fresh_id(), world.fresh_id()
    world.emu.add_user(user_id=admin, first_name="A", language_code=lang)
    world.emu.add_user(user_id=member, first_name="M", language_code=lang)
    world.emu.add_group(group, title="Club", admins=[admin], members=[member])
    (menu,) = await world.ask(group, "/mytopics", user_id=admin)
    await world.press(group, menu, "mt:+sports", user_id=admin, replies=0)
    (shown_to_member,) = await world.ask(group, "/mytopics", user_id=member)
    assert not shown_to_member.get("reply_markup")
    assert chosen in shown_to_member["text"] and admins_line in shown_to_member["text"]
    # The admin still gets the buttons, ticked as chosen.
    (again,) = await world.ask(group, "/mytopics", user_id=admin)
    assert topic_button(again, "sports")[1] == "mt:-sports"


HEALTH_HEADLINES = (
    "وزارة الصحة تطلق حملة وطنية للتبرع بالدم", "افتتاح عيادة متخصصة في طب الأسنان بسطيف",
    "ارتفاع حالات الحساسية الموسمية لدى الأطفال", "الصيادلة يطالبون بمراجعة هوامش الربح",
    "تكوين 300 ممرض في الإسعافات الأولية", "دراسة: المشي اليومي يقلل أمراض القلب",
    "نقص أدوية السكري في صيدليات الجنوب", "مستشفى ورقلة يستقبل جهاز سكانير جديدا",
    "يوم دراسي حول الصحة النفسية بجامعة بجاية", "حملة تلقيح ضد الحصبة في المدارس",
    "تحذير من التسمم الغذائي في الأعراس", "إطلاق رقم أخضر للاستشارات الطبية عن بعد",
)


async def test_a_digest_cut_by_its_cap_counts_the_rest_in_each_languages_grammar(tmp_path):
    # Before: «… and 1 more stories», «… et 1 autres nouvelles», «… و1 أخبار أخرى», «… و2 أخبار
    # أخرى» (Arabic says «وخبر آخر», «وخبران آخران», «و11 خبرا آخر»).
    async with open_world(tmp_path, digest_cap=1) as world:
        readers = {}
        for lang in ("ar", "fr", "en"):
            readers[lang] = world.fresh_id()
            world.emu.add_user(user_id=readers[lang], first_name="R", language_code=lang)
            await world.ask(readers[lang], "/mytopics health")
        headlines = iter(HEALTH_HEADLINES)

        async def digest_with_more(n: int, lang: str) -> str:
            chat = await world.services.chats.get(readers[lang])
            while (await world.services.digests.digest_now(chat)).digest.more < n:
                await world.services.ingestor.add_many([make_article(title=next(headlines), topics=["health"], source="صحة")])
            assert (await world.services.digests.digest_now(chat)).digest.more == n
            (digest,) = await world.ask(readers[lang], "/digest")
            return digest["text"].split("\n")[-1]

        assert await digest_with_more(1, "ar") == RLM + "… وخبر آخر — " + LRM + "/latest"
        assert await digest_with_more(1, "fr") == "… et 1 autre nouvelle — /latest"
        assert await digest_with_more(1, "en") == "… and 1 more story — /latest"
        assert await digest_with_more(2, "ar") == RLM + "… وخبران آخران — " + LRM + "/latest"
        assert await digest_with_more(2, "fr") == "… et 2 autres nouvelles — /latest"
        assert await digest_with_more(11, "ar") == RLM + "… و11 خبرا آخر — " + LRM + "/latest"
        assert await digest_with_more(11, "en") == "… and 11 more stories — /latest"


async def test_a_topic_button_sent_before_they_said_which_way_still_turns_the_topic_over(world):
    # A keyboard already in readers' chats carries mt:sports (no sign): it works as it did, and
    # the message is redrawn with the buttons of now.
    reader = world.fresh_id()
    world.emu.add_user(user_id=reader, first_name="R", language_code="fr")
    (menu,) = await world.ask(reader, "/mytopics")
    answered = len(world.emu.callback_answers)
    world.emu.press_button(reader, reader, menu["message_id"], "mt:sports", strict=False)
    await world.emu.wait_for_requests("answercallbackquery", answered + 1)
    await world.handled_everything()
    assert (await world.services.chats.get(reader)).topics == ("sports",)
    assert topic_button(shown(world, reader, menu), "sports") == ("✅ ⚽ Sport", "mt:-sports")
    world.emu.press_button(reader, reader, menu["message_id"], "mt:sports", strict=False)
    await world.emu.wait_for_requests("answercallbackquery", answered + 2)
    await world.handled_everything()
    assert (await world.services.chats.get(reader)).topics == ()


@pytest.mark.parametrize(
    ("lang", "first_words", "since_words"),
    [
        ("ar", "لا جديد في آخر 24 ساعة", "منذ موجزك السابق"),
        ("fr", "Rien de nouveau ces dernières 24 heures", "depuis votre dernier résumé"),
        ("en", "Nothing new in the last 24 hours", "since your last digest"),
    ],
)
async def test_an_empty_first_scheduled_digest_speaks_of_the_last_day_not_of_a_previous_digest(
    world, readers, lang, first_words, since_words
):
    reader = 7010
    world.emu.add_user(user_id=reader, first_name="new", language_code=lang)
    await world.ask(reader, "/subscribe")
    (menu,) = await world.ask(reader, "/mytopics")
    await world.press(reader, menu, "mt:+religion", replies=0)  # nothing on religion came in
    readers.now = datetime(2026, 12, 1, 6, 0, 30, tzinfo=UTC)
    assert reader in (await world.engine.broadcast()).chats
    first = world.emu.messages(reader)[-1]["text"]
    assert first_words in first and since_words not in first
    readers.now = datetime(2026, 12, 2, 6, 0, 30, tzinfo=UTC)
    await world.engine.broadcast()
    second = world.emu.messages(reader)[-1]["text"]
    assert since_words in second and first_words not in second


async def test_a_first_scheduled_digest_says_it_covers_the_last_day(world, readers):
    readers.now = datetime(2026, 12, 1, 6, 0, 30, tzinfo=UTC)
    await world.engine.broadcast()
    readers.now = datetime(2026, 12, 2, 6, 0, 30, tzinfo=UTC)
    await world.services.ingestor.add_many(
        [make_article(title="افتتاح معرض الكتاب", topics=["culture"], source="د")], fetched_at=readers.now - timedelta(hours=1)
    )
    await world.engine.broadcast()
    first, second = digests(world, ALGIERS)
    assert "أول موجز لك: أخبار آخر 24 ساعة" in first["text"]
    assert "أول موجز" not in second["text"] and "معرض الكتاب" in second["text"]


async def quake_digest_of_a_french_reader(world, readers, karim, *commands):
    """The 07:00 digest of a French reader in Algiers (after `commands`), the night's quake
    told by El Khabar in Arabic and El Watan in French: its text."""
    world.emu.add_user(user_id=karim, first_name="Karim", language_code="fr")
    for command in ("/subscribe", "/timezone Africa/Algiers", *commands):
        await world.ask(karim, command)
    await world.services.ingestor.add_many(
        [make_article(title="زلزال بقوة 5.2 درجات يضرب ولاية البويرة", source="الخبر"),
         make_article(title="Séisme de magnitude 5,2 à Bouira", source="El Watan", lang="fr")],
        fetched_at=T0 - timedelta(minutes=30),
    )
    readers.now = datetime(2026, 12, 1, 6, 0, 30, tzinfo=UTC)
    await world.engine.broadcast()
    (digest,) = [m["text"] for m in world.emu.messages(karim) if "/read_" in m["text"]]
    return digest


async def test_a_scheduled_digest_shows_a_story_in_the_reader_s_language_where_a_source_told_it_so(world, readers):
    french = await quake_digest_of_a_french_reader(world, readers, 7004)
    (arabic,) = digests(world, ALGIERS)
    assert "Séisme de magnitude 5,2 à Bouira" in french and "زلزال بقوة" not in french
    assert "مولودية الجزائر" in french  # told in Arabic alone: in Arabic
    assert "زلزال بقوة 5.2" in arabic["text"] and "Séisme" not in arabic["text"]


async def test_a_scheduled_digest_never_shows_a_telling_holding_a_word_the_reader_muted(world, readers):
    # The French reader who muted «séisme» is shown the quake as El Khabar told it, not as
    # El Watan's «Séisme…» (before: the French telling, the muted word and all).
    digest = await quake_digest_of_a_french_reader(world, readers, 7005, "/mute séisme")
    assert "زلزال بقوة 5.2" in digest and "Séisme" not in digest


async def test_digest_carries_only_the_readers_topics(world, readers):
    (menu,) = await world.ask(ALGIERS, "/mytopics")
    await world.press(ALGIERS, menu, "mt:+sports", replies=0)
    assert (await world.services.chats.get(ALGIERS)).topics == ("sports",)
    readers.now = datetime(2026, 12, 1, 6, 1, tzinfo=UTC)
    await world.engine.broadcast()
    (digest,) = digests(world, ALGIERS)
    assert "مولودية الجزائر" in digest["text"] and "بنك الجزائر" not in digest["text"]


async def test_after_downtime_a_late_digest_is_caught_up_and_a_stale_one_skipped(world, readers):
    readers.now = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)  # down from 06:00 to 09:00
    assert sorted((await world.engine.broadcast()).chats) == [ALGIERS, PARIS]
    readers.now = datetime(2026, 12, 2, 13, 0, tzinfo=UTC)  # down a whole morning: 7 h late
    report = await world.engine.broadcast()
    # Montreal's of 1 December too, but not its 2 December one, due at 12:00 UTC: an hour late
    assert report.skipped == 2 and report.chats == [MONTREAL]
    assert (await world.services.chats.get(ALGIERS)).next_due_utc == datetime(2026, 12, 3, 6, 0, tzinfo=UTC)
    assert len(digests(world, ALGIERS)) == 1


@pytest.mark.parametrize(
    ("typed", "zone", "shown"),
    [("توقيت الجزائر", "Africa/Algiers", "الجزائر"), ("بتوقيت باريس", "Europe/Paris", "باريس"),
     ("heure de Paris", "Europe/Paris", "باريس"), ("l'heure d'Alger", "Africa/Algiers", "الجزائر"),
     ("London time", "Europe/London", "لندن")],
)
async def test_a_time_zone_is_found_with_the_words_that_say_time_around_it(world, readers, typed, zone, shown):
    # Before: «/timezone توقيت الجزائر» answered «لا أعرف المنطقة الزمنية «توقيت الجزائر»».
    (reply,) = await world.ask(MONTREAL, f"/timezone {typed}")
    assert reply["text"].startswith(f"\u200f🌍 المنطقة الزمنية الآن {shown}.")
    assert (await world.services.chats.get(MONTREAL)).tz == zone


async def test_settime_and_timezone_move_the_next_digest(world, readers):
    (reply,) = await world.ask(ALGIERS, "/settime ٠٨:٣٠")
    assert "08:30" in reply["text"]
    chat = await world.services.chats.get(ALGIERS)
    assert chat.next_due_utc == datetime(2026, 12, 1, 7, 30, tzinfo=UTC)
    (bad,) = await world.ask(ALGIERS, "/settime 25:99")
    assert "/settime 07:30" in bad["text"]
    (unknown,) = await world.ask(ALGIERS, "/timezone Mars/Olympus")
    assert "Mars/Olympus" in unknown["text"]
    (menu,) = await world.ask(ALGIERS, "/timezone")
    assert any(b["callback_data"] == "tz:Europe/Paris" for row in menu["reply_markup"]["inline_keyboard"] for b in row)


@pytest.mark.parametrize(
    ("typed", "zone", "shown"),
    [("Paris", "Europe/Paris", "Paris"), ("باريس", "Europe/Paris", "Paris"), ("new york", "America/New_York", "America/New_York"),
     ("Alger", "Africa/Algiers", "Alger"), ("الامارات", "Asia/Dubai", "Dubaï"), ("Emirats", "Asia/Dubai", "Dubaï")],
)
async def test_a_time_zone_is_found_by_its_city_or_country_as_readers_type_it(world, typed, zone, shown):
    reader = world.fresh_id()
    world.emu.add_user(user_id=reader, first_name="R", language_code="fr")
    await world.ask(reader, "/start")
    (done,) = await world.ask(reader, f"/timezone {typed}")
    assert f"Fuseau horaire : {shown}." in done["text"]
    assert (await world.services.chats.get(reader)).tz == zone


@pytest.mark.parametrize(
    ("lang", "next_line", "paris"), [("ar", "الموجز القادم", "باريس"), ("fr", "Prochain résumé", "Paris"), ("en", "Next digest", "Paris")]
)
async def test_settime_before_subscribing_keeps_the_time_for_the_digest_subscribe_brings(world, readers, lang, next_line, paris):
    newcomer = 7004  # never subscribed: no digest is due, none may be promised
    world.emu.add_user(user_id=newcomer, first_name="n", language_code=lang)
    (moved,) = await world.ask(newcomer, "/settime 07:30")
    assert "07:30" in moved["text"] and "/subscribe" in moved["text"] and next_line not in moved["text"]
    (zone,) = await world.ask(newcomer, "/timezone Europe/Paris")
    assert paris in zone["text"] and "07:30" in zone["text"] and "/subscribe" in zone["text"]
    assert next_line not in zone["text"]
    assert (await world.services.chats.get(newcomer)).next_due_utc is None
    (subscribed,) = await world.ask(newcomer, "/subscribe")
    assert f"07:30 ({paris})" in subscribed["text"]  # the time was kept
    (moved_again,) = await world.ask(newcomer, "/settime 08:00")
    assert next_line in moved_again["text"] and "/subscribe" not in moved_again["text"]


@pytest.mark.parametrize(
    ("lang", "algiers", "paris", "london"),
    [("ar", "الجزائر", "باريس", "لندن"), ("fr", "Alger", "Paris", "Londres"), ("en", "Algiers", "Paris", "London")],
)
async def test_every_reply_naming_a_time_zone_names_it_as_readers_know_it(world, lang, algiers, paris, london):
    # Before: «⏰ سيصلك الموجز كل يوم على الساعة 07:30 (Africa/Algiers)», the zone's IANA id inside
    # an Arabic or French sentence, in every reply that names the zone.
    said = []
    reader = 0

    async def ask(text):
        (reply,) = await world.ask(reader, text)
        said.append(reply["text"])
        return reply["text"]

    reader = world.fresh_id()  # (two readers: one would send more than flood control lets through)
    world.emu.add_user(user_id=reader, first_name="R", language_code=lang)
    assert f"07:30 ({algiers})" in await ask("/settime 07:30")  # saved for when they subscribe
    assert paris in await ask("/timezone Europe/Paris")
    assert f"07:30 ({paris})" in await ask("/subscribe")
    assert f"07:30 ({paris})" in await ask("/subscribe")  # already subscribed
    assert f"08:00 ({paris})" in await ask("/settime 08:00")
    reader = world.fresh_id()
    world.emu.add_user(user_id=reader, first_name="R", language_code=lang)
    assert london in await ask("/timezone Europe/London")
    assert f"22:00–07:00 ({london})" in await ask("/quiet 22:00-07:00")
    assert f"22:00–07:00 ({london})" in await ask("/following")
    assert london in await ask("/settings")
    assert not any(zone in text for text in said for zone in ("Africa/", "Europe/"))
    # A zone the bot has no name for keeps its international one, which an Arabic line keeps
    # left-to-right between marks.
    montreal = "\u200eAmerica/Montreal\u200e" if lang == "ar" else "America/Montreal"
    assert montreal in await ask("/timezone America/Montreal")
    assert montreal in await ask("/settings")
    assert (await world.services.chats.get(reader)).tz == "America/Montreal"


@pytest.mark.parametrize(
    ("typed", "stored", "shown"),
    [("UTC+1", "UTC+01:00", "UTC+1"), ("GMT+1", "UTC+01:00", "UTC+1"), ("UTC+01:00", "UTC+01:00", "UTC+1"),
     ("+1", "UTC+01:00", "UTC+1"), ("UTC+١", "UTC+01:00", "UTC+1"), ("UTC-3", "UTC-03:00", "UTC-3"),
     ("utc +0530", "UTC+05:30", "UTC+5:30"), ("UTC+0", "UTC", "UTC"),
     ("Etc/GMT-1", "Etc/GMT-1", "UTC+1")],  # IANA's own, its sign inverted: shown as readers write it
)
async def test_a_fixed_offset_from_utc_is_taken_as_readers_write_it(world, readers, typed, stored, shown):
    # Before: each of these (but Etc/GMT-1, shown by its id) answered «لا أعرف المنطقة الزمنية».
    (reply,) = await world.ask(ALGIERS, f"/timezone {typed}")
    assert f"المنطقة الزمنية الآن \u200e{shown}\u200e." in reply["text"], reply["text"]
    assert (await world.services.chats.get(ALGIERS)).tz == stored


@pytest.mark.parametrize(
    ("lang", "zone_is", "next_is", "quiet_is", "refused"),
    [
        ("ar", "المنطقة الزمنية الآن \u200eUTC+5:30\u200e.", "الموجز القادم: 02-12-2026 07:00", "22:00–07:00 (\u200eUTC+5:30\u200e)",
         "لا توجد منطقة زمنية على «UTC+15»"),
        ("fr", "Fuseau horaire : UTC+5:30.", "Prochain résumé : 02-12-2026 07:00", "22:00–07:00 (UTC+5:30)",
         "Aucun fuseau n'est à « UTC+15 »"),
        ("en", "Time zone: UTC+5:30.", "Next digest: 02-12-2026 07:00", "22:00–07:00 (UTC+5:30)",
         "No time zone is at “UTC+15”"),
    ],
)
async def test_a_half_hour_offset_times_the_digest_and_the_quiet_hours(world, readers, lang, zone_is, next_is, quiet_is, refused):
    # A reader in India (UTC+5:30, which IANA's Etc/GMT zones cannot say) gets the digest at
    # 07:00 there, 01:30 UTC, and quiet hours in that time.
    reader = world.fresh_id()
    world.emu.add_user(user_id=reader, first_name="R", language_code=lang)
    await world.ask(reader, "/subscribe")
    (moved,) = await world.ask(reader, "/timezone UTC+5:30")
    assert zone_is in moved["text"] and next_is in moved["text"], moved["text"]
    (quiet,) = await world.ask(reader, "/quiet 22:00-07:00")
    assert quiet_is in quiet["text"]
    chat = await world.services.chats.get(reader)
    assert chat.next_due_utc == datetime(2026, 12, 2, 1, 30, tzinfo=UTC)
    assert chat.is_quiet(datetime(2026, 12, 1, 16, 30, tzinfo=UTC)) and not chat.is_quiet(datetime(2026, 12, 1, 16, 29, tzinfo=UTC))
    (nonsense,) = await world.ask(reader, "/timezone UTC+15")
    assert refused in nonsense["text"] and "/timezone UTC+1" in nonsense["text"]
    assert (await world.services.chats.get(reader)).tz == "UTC+05:30"
    readers.now = datetime(2026, 12, 2, 1, 30, 30, tzinfo=UTC)
    assert (await world.engine.broadcast()).chats == [reader]


@pytest.mark.parametrize("engine", ENGINES)
async def test_an_offset_zone_survives_a_restart(tmp_path, engine):
    reader = 7050
    async with pg_schema() if engine == "postgresql" else _no_schema() as url:
        async with open_world(tmp_path, database_url=url) as world:
            world.emu.add_user(user_id=reader, first_name="R", language_code="en")
            await world.ask(reader, "/subscribe")
            (moved,) = await world.ask(reader, "/timezone UTC-3")
            assert "Time zone: UTC-3." in moved["text"]
        async with open_world(tmp_path, database_url=url) as world:
            world.emu.add_user(user_id=reader, first_name="R", language_code="en")
            (settings,) = await world.ask(reader, "/settings")
            assert "Time zone: UTC-3" in settings["text"] and " 07:00" in settings["text"]
            chat = await world.services.chats.get(reader)
            assert chat.tz == "UTC-03:00" and chat.next_due_utc.time() == time(10, 0)  # 07:00 at UTC-3
            world.services.clock = FakeClock(chat.next_due_utc + timedelta(seconds=30))
            assert (await world.engine.broadcast()).chats == [reader]


@asynccontextmanager
async def _no_schema():
    yield None


async def test_settime_takes_an_hour_typed_the_french_way(world, readers):
    (reply,) = await world.ask(ALGIERS, "/settime 9h")
    assert "09:00" in reply["text"]
    assert (await world.services.chats.get(ALGIERS)).digest_times == (time(9, 0),)
    (two,) = await world.ask(ALGIERS, "/settime 7h 19h30")
    assert "07:00" in two["text"] and "19:30" in two["text"]
    (bad,) = await world.ask(ALGIERS, "/settime 25h")
    assert "/settime 07:30" in bad["text"]


@pytest.mark.parametrize(
    ("typed", "times"),
    [
        ("7pm", (time(19, 0),)), ("7:30 p.m.", (time(19, 30),)), ("12 am", (time(0, 0),)), ("12pm", (time(12, 0),)),
        ("٧ مساءً", (time(19, 0),)), ("7 صباحا", (time(7, 0),)), ("8h du soir", (time(20, 0),)),
        ("7 am 7 pm", (time(7, 0), time(19, 0))),
    ],
)
async def test_settime_takes_a_twelve_hour_clock_as_readers_write_it(world, readers, typed, times):
    # Before: «/settime 7pm», «/settime ٧ مساءً» were refused with the usage line.
    (reply,) = await world.ask(ALGIERS, f"/settime {typed}")
    assert all(f"{at:%H:%M}" in reply["text"] for at in times), reply["text"]
    assert (await world.services.chats.get(ALGIERS)).digest_times == times


@pytest.mark.parametrize("typed", ["07:00، 13:00 و19:00", "7 و 13 و 19", "7h, 13h et 19h", "7 am, 1 pm and 7 pm"])
async def test_settime_takes_the_times_as_the_bot_writes_them_back_with_and(world, readers, typed):
    # Before: the bot answered «07:00، 13:00 و19:00», and the same words typed back were refused.
    (reply,) = await world.ask(ALGIERS, f"/settime {typed}")
    assert "07:00، 13:00 و19:00" in reply["text"], reply["text"]
    assert (await world.services.chats.get(ALGIERS)).digest_times == (time(7), time(13), time(19))


async def test_settime_refuses_an_hour_no_twelve_hour_clock_has(world, readers):
    for typed in ("19 pm", "0 am", "pm"):
        (bad,) = await world.ask(ALGIERS, f"/settime {typed}")
        assert "/settime 07:30" in bad["text"]
    assert (await world.services.chats.get(ALGIERS)).digest_times == (time(7, 0),)


@pytest.mark.parametrize(
    ("lang", "typed", "times", "says"),
    [
        ("ar", "0730", (time(7, 30),), "07:30"), ("ar", "٠٧٣٠", (time(7, 30),), "07:30"),
        ("fr", "730", (time(7, 30),), "07:30"), ("en", "1930", (time(19, 30),), "19:30"),
        ("fr", "0700 1930", (time(7, 0), time(19, 30)), "07:00 et 19:30"),
    ],
)
async def test_settime_takes_a_time_typed_without_a_colon(world, readers, lang, typed, times, says):
    # Before: «/settime 0730» (and ٠٧٣٠, 730, 1930) was refused with the usage line.
    reader = world.fresh_id()
    world.emu.add_user(user_id=reader, first_name="R", language_code=lang)
    await world.ask(reader, "/subscribe")
    (reply,) = await world.ask(reader, f"/settime {typed}")
    assert says in reply["text"] and "/settime 07:30" not in reply["text"], reply["text"]
    assert (await world.services.chats.get(reader)).digest_times == times
    for nonsense in ("2400", "0760", "12345"):
        (bad,) = await world.ask(reader, f"/settime {nonsense}")
        assert "/settime 07:30" in bad["text"]
    assert (await world.services.chats.get(reader)).digest_times == times


async def test_the_digests_hijri_date_and_the_subscription_speak_the_readers_language(world, readers):
    # Before: a French digest was dated «21 Jumada al-Akhirah 1448» (the English name), and an
    # Arabic /subscribe promised «نشرة» where every other reply says «الموجز».
    karim = 7021
    world.emu.add_user(user_id=karim, first_name="Karim", language_code="fr")
    (digest,) = await world.ask(karim, "/digest")
    assert "mardi 1er décembre 2026 · 21 Joumada al-Akhira 1448" in digest["text"]
    amina = 7022
    world.emu.add_user(user_id=amina, first_name="أمينة", language_code="ar")
    (subscribed,) = await world.ask(amina, "/subscribe")
    assert "تم الاشتراك. سيصلك الموجز كل يوم على الساعة 07:00" in subscribed["text"]
    (arabic,) = await world.ask(amina, "/digest")
    assert "الثلاثاء 1 ديسمبر 2026 · 21 جمادى الآخرة 1448" in arabic["text"]


async def test_a_french_digest_dates_the_first_of_a_month_as_french_writes_it(world, readers):
    # Before: «1 Rajab 1448» (and «mardi 1 décembre 2026», the test above), where French
    # writes «1er».
    karim, john = 7023, 7024
    world.emu.add_user(user_id=karim, first_name="Karim", language_code="fr")
    world.emu.add_user(user_id=john, first_name="John", language_code="en")
    readers.now = datetime(2026, 12, 10, 9, 0, tzinfo=UTC)
    await world.services.ingestor.add_many(
        [make_article(title="افتتاح معرض الكتاب الدولي بالعاصمة", topics=["culture"], source="د")],
        fetched_at=datetime(2026, 12, 10, 8, 0, tzinfo=UTC),
    )
    (hijri,) = await world.ask(karim, "/digest")
    assert "jeudi 10 décembre 2026 · 1er Rajab 1448" in hijri["text"]
    (english,) = await world.ask(john, "/digest")
    assert "Thursday 10 December 2026 · 1 Rajab 1448" in english["text"]


async def test_arabic_lists_take_the_arabic_comma(world, readers):
    # Before: /settings said «المواضيع: رياضة, طقس» and three times «07:00, 13:00 و19:00».
    (times,) = await world.ask(ALGIERS, "/settime 07:00 13:00 19:00")
    assert "07:00، 13:00 و19:00" in times["text"]
    (menu,) = await world.ask(ALGIERS, "/mytopics")
    await world.press(ALGIERS, menu, "mt:+sports", replies=0)
    await world.press(ALGIERS, menu, "mt:+weather", replies=0)
    (settings,) = await world.ask(ALGIERS, "/settings")
    assert "المواضيع: رياضة، طقس" in settings["text"] and "وقت الموجز: 07:00، 13:00 و19:00" in settings["text"]
    assert "," not in settings["text"]


async def test_digest_command_gives_my_digest_now(world, readers):
    (reply,) = await world.ask(ALGIERS, "/digest")
    assert "موجزك اليومي" in reply["text"] and "أمطار رعدية" in reply["text"]
    assert "أول موجز لك: أخبار آخر 24 ساعة" in reply["text"]  # none before it: the last day's
    assert await world.services.chats.delivery(ALGIERS, "2026-12-01") is None  # not counted as the daily one
    readers.now = datetime(2026, 12, 1, 6, 0, 30, tzinfo=UTC)
    await world.engine.broadcast()
    (since,) = await world.ask(ALGIERS, "/digest")
    assert "لا جديد منذ موجزك السابق" in since["text"]


async def test_digest_command_with_nothing_in_the_first_day_says_so_for_a_first_digest(world, readers):
    (menu,) = await world.ask(PARIS, "/mytopics")
    await world.press(PARIS, menu, "mt:+religion", replies=0)
    (reply,) = await world.ask(PARIS, "/digest")
    assert "لا جديد في آخر 24 ساعة" in reply["text"] and "موجزك السابق" not in reply["text"]


async def test_in_a_group_only_admins_change_the_digest(world, readers):
    world.emu.add_user(user_id=8001, first_name="admin")
    world.emu.add_user(user_id=8002, first_name="member")
    world.emu.add_group(chat_id=-100777, title="نادي", admins=[8001])
    (refused,) = await world.ask(-100777, "/settime 09:00", user_id=8002)
    assert "المشرفون فقط" in refused["text"]
    (done,) = await world.ask(-100777, "/subscribe", user_id=8001)
    assert "تم الاشتراك" in done["text"]
    (later,) = await world.ask(-100777, "/settime 09:00", user_id=8001)
    assert "09:00" in later["text"]


async def test_moving_the_time_later_the_same_day_brings_no_second_digest(world, readers):
    readers.now = datetime(2026, 12, 1, 6, 0, 30, tzinfo=UTC)
    await world.engine.broadcast()
    await world.ask(ALGIERS, "/settime 09:00")  # 08:00 UTC, later today
    readers.now = datetime(2026, 12, 1, 8, 0, 30, tzinfo=UTC)
    report = await world.engine.broadcast()
    assert ALGIERS not in report.chats and len(digests(world, ALGIERS)) == 1
    assert (await world.services.chats.get(ALGIERS)).next_due_utc == datetime(2026, 12, 2, 8, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("reader", "move", "skipped_due", "next_due"),
    [
        # 09:00 in Algiers, later the same day there
        (ALGIERS, "/settime 09:00", datetime(2026, 12, 1, 8, 0, 30, tzinfo=UTC), datetime(2026, 12, 2, 8, 0, 30, tzinfo=UTC)),
        # to New York, where it is still 1 December at 04:00: 07:00 there is 12:00 UTC
        (PARIS, "/timezone America/New_York", datetime(2026, 12, 1, 12, 0, 30, tzinfo=UTC),
         datetime(2026, 12, 2, 12, 0, 30, tzinfo=UTC)),
    ],
)
async def test_a_digest_moved_after_todays_went_out_still_brings_tomorrow_what_came_meanwhile(
    world, readers, reader, move, skipped_due, next_due
):
    # Before: the day's second due instant, rightly not sent, was recorded as the last digest,
    # so the next one began there: what came between the digest sent and that instant was in
    # no digest ever (the book fair, at 08:00 UTC, missing from 2 December's).
    readers.now = datetime(2026, 12, 1, 6, 0, 30, tzinfo=UTC)  # 07:00 in Algiers and Paris
    await world.engine.broadcast()
    await world.services.ingestor.add_many(
        [make_article(title="افتتاح معرض الكتاب الدولي بالعاصمة", topics=["culture"], source="د")],
        fetched_at=datetime(2026, 12, 1, 7, 30, tzinfo=UTC),
    )
    readers.now = datetime(2026, 12, 1, 7, 45, tzinfo=UTC)
    await world.ask(reader, move)
    readers.now = skipped_due
    assert reader not in (await world.engine.broadcast()).chats  # never a second digest that day
    readers.now = next_due
    assert reader in (await world.engine.broadcast()).chats  # nor none the next
    first, second = digests(world, reader)
    assert "مولودية الجزائر" in first["text"] and "معرض الكتاب" not in first["text"]
    assert "معرض الكتاب" in second["text"] and "مولودية الجزائر" not in second["text"]
    # and the day's record is still of the digest that went out
    (today,) = [d for d in await world.services.chats.deliveries_on("2026-12-01") if d.chat_id == reader]
    assert today.state == "sent" and today.message_ids == (first["message_id"],)


@pytest.mark.parametrize(
    ("reader", "move", "next_line"),
    [
        (ALGIERS, "/settime 09:00", "الموجز القادم: 02-12-2026 09:00"),
        (PARIS, "/timezone America/New_York", "الموجز القادم: 02-12-2026 07:00"),
    ],
)
async def test_a_digest_moved_after_todays_went_out_is_said_to_come_tomorrow(world, readers, reader, move, next_line):
    # Before: «الموجز القادم: 01-12-2026 09:00» — a digest promised for later that day, which
    # never came (one a day), in the reply and in /settings, and after /unsubscribe, /subscribe.
    readers.now = datetime(2026, 12, 1, 6, 0, 30, tzinfo=UTC)  # 07:00 in Algiers and Paris
    await world.engine.broadcast()
    readers.now = datetime(2026, 12, 1, 7, 45, tzinfo=UTC)
    (moved,) = await world.ask(reader, move)
    (settings,) = await world.ask(reader, "/settings")
    await world.ask(reader, "/unsubscribe")
    await world.ask(reader, "/subscribe")
    (again,) = await world.ask(reader, "/settings")
    assert next_line in moved["text"] and next_line in settings["text"] and next_line in again["text"]


async def test_a_channel_subscribes_by_its_admins_posts_and_gets_the_digest(world, readers):
    channel = -1_000_000_555_001
    world.emu.add_user(user_id=8101, first_name="editor")
    world.emu.add_user(user_id=8102, first_name="follower")
    world.emu.add_channel(channel, title="أخبار الولاية", admins=[8101])

    async def post(text):
        before = len(world.emu.messages(channel))
        world.emu.post_in_channel(channel, text, author_id=8101)
        return (await world.emu.wait_for_messages(channel, before + 1))[before:]

    (subscribed,) = await post("/subscribe")
    assert "تم الاشتراك" in subscribed["text"]
    (moved,) = await post("/settime 06:30")
    assert "06:30" in moved["text"]
    (topics,) = await post("/mytopics")
    stored = await world.services.chats.get(channel)
    assert stored.type == "channel" and stored.subscribed and stored.digest_time == time(6, 30)
    # A follower can press the channel's buttons but not change its settings.
    await world.press(channel, topics, "mt:+sports", user_id=8102, replies=0)
    assert (await world.services.chats.get(channel)).topics == ()
    assert "المشرفون فقط" in world.emu.callback_answers[-1]["text"]
    await world.press(channel, topics, "mt:+sports", user_id=8101, replies=0)
    assert (await world.services.chats.get(channel)).topics == ("sports",)
    # Plain posts and unknown commands are the channel's own business: no answer.
    world.emu.post_in_channel(channel, "خبر عاجل من مراسلنا")
    world.emu.post_in_channel(channel, "/poll@another_bot")
    await world.handled_everything()  # the bot took both posts: any answer would be there now
    readers.now = datetime(2026, 12, 1, 5, 30, 30, tzinfo=UTC)  # 06:30 in Algiers
    report = await world.engine.broadcast()
    assert report.chats == [channel]
    (digest,) = digests(world, channel)
    assert "مولودية الجزائر" in digest["text"] and "بنك الجزائر" not in digest["text"]
    assert len(world.emu.messages(channel)) == 4  # three answers and the digest


async def test_a_channel_s_digest_links_each_story_into_the_bot_and_names_no_command(tmp_path):
    # Before: «• headline /read_12» on each line and «… و27 أخبار أخرى — /latest» at the end:
    # commands a channel's subscribers cannot send (its alerts and bundles link each story).
    async with open_world(tmp_path, digest_cap=2) as world:
        clock = world.services.clock = FakeClock(datetime.now(UTC))
        channel, editor = -1_000_000_555_002, 8103
        world.emu.add_user(user_id=editor, first_name="editor")
        world.emu.add_channel(channel, title="أخبار الولاية", admins=[editor])
        world.emu.post_in_channel(channel, "/subscribe", author_id=editor)
        await world.emu.wait_for_messages(channel, 1)
        clock.now = (await world.services.chats.get(channel)).next_due_utc + timedelta(seconds=30)
        world.emu.post_in_channel(channel, "/digest", author_id=editor)  # asked by an admin, not recorded
        await world.emu.wait_for_messages(channel, 2)
        # `akhbar digest --dry-run`'s engine, whose bot never asked Telegram its name
        dry = await DigestEngine(ExtBot("0:dry-run"), world.services).run_due(dry_run=True)
        assert [job.chat.id for job in dry.planned] == [channel] and "?start=read_" in dry.planned[0].messages[-1]
        assert (await world.engine.broadcast()).chats == [channel]
        asked, scheduled = (await world.emu.wait_for_messages(channel, 3))[1:]
        for digest in (asked, scheduled):
            assert "موجزك اليومي" in digest["text"]
            assert "/read_" not in digest["text"] and "/latest" not in digest["text"]
            links = [e["url"] for e in digest["entities"] if e["type"] == "text_link"]
            assert len(links) == 2 and all(link.startswith("https://t.me/akhbar_test_bot?start=read_") for link in links)
            assert digest["text"].split("\n")[-1].startswith(RLM + "… و")  # how many more, in its own words


@pytest.mark.parametrize(("command", "button"), [("/start", "subscribe"), ("/lang", "lang:fr")])
async def test_a_member_pressing_a_groups_settings_button_gets_a_private_pop_up(world, command, button):
    group = -100_778
    world.emu.add_user(user_id=8201, first_name="admin")
    world.emu.add_user(user_id=8202, first_name="member")
    world.emu.add_group(chat_id=group, title="نادي", admins=[8201])
    (menu,) = await world.ask(group, command, user_id=8201)
    await world.press(group, menu, button, user_id=8202, replies=0)
    answer = world.emu.callback_answers[-1]
    assert answer["show_alert"] is True and "المشرفون فقط" in answer["text"]
    assert world.emu.messages(group) == [menu]  # nothing posted in the group
    stored = await world.services.chats.get(group)
    assert stored is None or (not stored.subscribed and stored.lang == "ar")


async def test_two_digests_a_day_each_covering_what_came_since_the_other(world, readers):
    (moved,) = await world.ask(ALGIERS, "/settime 07:00 19:00")
    assert "07:00" in moved["text"] and "19:00" in moved["text"]
    (refused,) = await world.ask(ALGIERS, "/settime 06:00 09:00 12:00 18:00")
    assert "ثلاث مرات" in refused["text"]
    assert (await world.services.chats.get(ALGIERS)).digest_times == (time(7, 0), time(19, 0))
    (settings,) = await world.ask(ALGIERS, "/settings")
    assert "07:00" in settings["text"] and "19:00" in settings["text"]
    readers.now = datetime(2026, 12, 1, 6, 1, tzinfo=UTC)  # 07:01 in Algiers
    await world.engine.broadcast()
    await world.services.ingestor.add_many(
        [make_article(title="افتتاح معرض الكتاب الدولي بالعاصمة", topics=["culture"], source="د")],
        fetched_at=datetime(2026, 12, 1, 12, 0, tzinfo=UTC),
    )
    readers.now = datetime(2026, 12, 1, 18, 1, tzinfo=UTC)  # 19:01 in Algiers
    assert ALGIERS in (await world.engine.broadcast()).chats
    morning, evening = digests(world, ALGIERS)
    assert "مولودية الجزائر" in morning["text"] and "معرض الكتاب" not in morning["text"]
    assert "معرض الكتاب" in evening["text"] and "مولودية الجزائر" not in evening["text"]
    assert (await world.engine.broadcast()).chats == []  # each once
    chat = await world.services.chats.get(ALGIERS)
    assert chat.next_due_utc == datetime(2026, 12, 2, 6, 0, tzinfo=UTC)


async def test_back_after_downtime_past_two_of_the_days_digests_a_reader_gets_one_covering_both(world, readers):
    # Before: at 11:00, after the bot was down from 06:30, the 07:00 digest and at once the
    # 09:00 one, two messages in a row (neither stale: under 6 hours late).
    await world.ask(ALGIERS, "/settime 07:00 09:00")
    await world.services.ingestor.add_many(
        [make_article(title="افتتاح معرض الكتاب الدولي بالعاصمة", topics=["culture"], source="د")],
        fetched_at=datetime(2026, 12, 1, 7, 0, tzinfo=UTC),  # between the two
    )
    readers.now = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)  # 11:00 in Algiers
    await world.engine.broadcast()
    await world.engine.broadcast()
    (digest,) = digests(world, ALGIERS)
    assert "مولودية الجزائر" in digest["text"] and "معرض الكتاب" in digest["text"]
    assert (await world.services.chats.get(ALGIERS)).next_due_utc == datetime(2026, 12, 2, 6, 0, tzinfo=UTC)


async def test_the_days_second_digest_postponed_by_a_flood_wait_still_comes(world, readers):
    # Before: 19:00's digest, postponed by Telegram's flood wait of an hour, was due again at
    # 20:00 on a day whose record was the first digest's (07:00) — taken as that day already
    # delivered: the evening digest never came.
    await world.ask(ALGIERS, "/settime 07:00 19:00")
    readers.now = datetime(2026, 12, 1, 6, 0, 30, tzinfo=UTC)  # 07:00 in Algiers
    assert ALGIERS in (await world.engine.broadcast()).chats
    await world.services.ingestor.add_many(
        [make_article(title="افتتاح معرض الكتاب الدولي بالعاصمة", topics=["culture"], source="د")],
        fetched_at=datetime(2026, 12, 1, 12, 0, tzinfo=UTC),
    )
    world.emu.faults.retry_after = 3600
    world.emu.faults.inject("429", methods=["sendMessage"])
    readers.now = datetime(2026, 12, 1, 18, 0, 30, tzinfo=UTC)  # 19:00 in Algiers
    assert (await world.engine.broadcast()).postponed == 1
    readers.now = datetime(2026, 12, 1, 19, 1, tzinfo=UTC)  # the hour's wait is over
    assert ALGIERS in (await world.engine.broadcast()).chats
    morning, evening = digests(world, ALGIERS)
    assert "معرض الكتاب" in evening["text"] and "مولودية الجزائر" not in evening["text"]
    assert (await world.services.chats.get(ALGIERS)).next_due_utc == datetime(2026, 12, 2, 6, 0, tzinfo=UTC)


def button_data(message):
    return [b["callback_data"] for row in message["reply_markup"]["inline_keyboard"] for b in row]


async def test_settime_and_timezone_typed_alone_offer_buttons(world, readers):
    await world.ask(ALGIERS, "/settime 07:00 19:00")
    (times,) = await world.ask(ALGIERS, "/settime")
    assert "/settime 07:30" in times["text"]  # typing still works, and it says so
    assert button_data(times) == ["st:06:00", "st:07:00", "st:08:00", "st:12:00", "st:18:00", "st:21:00"]
    (done,) = await world.press(ALGIERS, times, "st:18:00")
    assert "18:00" in done["text"] and "19:00" not in done["text"]
    chat = await world.services.chats.get(ALGIERS)
    assert chat.digest_times == (time(18, 0),) and chat.next_due_utc == datetime(2026, 12, 1, 17, 0, tzinfo=UTC)
    (zones,) = await world.ask(ALGIERS, "/timezone")
    assert button_data(zones) == [
        "tz:Africa/Algiers", "tz:Europe/Paris", "tz:Africa/Tunis", "tz:Africa/Casablanca", "tz:Africa/Cairo",
        "tz:Asia/Riyadh", "tz:other",
    ]
    (other,) = await world.press(ALGIERS, zones, "tz:other")
    assert "/timezone Europe/Berlin" in other["text"]
    (riyadh,) = await world.press(ALGIERS, zones, "tz:Asia/Riyadh")
    assert "الرياض" in riyadh["text"] and (await world.services.chats.get(ALGIERS)).tz == "Asia/Riyadh"


async def test_the_time_zone_buttons_name_each_city_in_the_readers_language(world):
    # Before, every reader saw Algiers, Cairo, Riyadh: English in an Arabic or French chat.
    expected = {
        "ar": ["الجزائر", "باريس", "تونس", "الدار البيضاء", "القاهرة", "الرياض", "أخرى…"],
        "fr": ["Alger", "Paris", "Tunis", "Casablanca", "Le Caire", "Riyad", "Autre…"],
        "en": ["Algiers", "Paris", "Tunis", "Casablanca", "Cairo", "Riyadh", "Other…"],
    }
    for user_id, (lang, labels) in enumerate(expected.items(), start=7011):
        world.emu.add_user(user_id=user_id, first_name=f"u{user_id}", language_code=lang)
        (zones,) = await world.ask(user_id, "/timezone")
        assert [b["text"] for row in zones["reply_markup"]["inline_keyboard"] for b in row] == labels
    (cairo,) = await world.press(7013, zones, "tz:Africa/Cairo")  # the last asked: the English reader
    assert "Cairo" in cairo["text"] and "Africa/" not in cairo["text"] and (await world.services.chats.get(7013)).tz == "Africa/Cairo"


async def test_in_a_group_only_admins_get_and_press_the_time_buttons(world, readers):
    world.emu.add_user(user_id=8001, first_name="admin")
    world.emu.add_user(user_id=8002, first_name="member")
    world.emu.add_group(chat_id=-100778, title="نادي", admins=[8001])
    (refused,) = await world.ask(-100778, "/settime", user_id=8002)
    assert "المشرفون فقط" in refused["text"] and not refused.get("reply_markup")
    (menu,) = await world.ask(-100778, "/settime", user_id=8001)
    await world.press(-100778, menu, "st:21:00", user_id=8002, replies=0)
    assert "المشرفون فقط" in world.emu.callback_answers[-1]["text"]
    assert await world.services.chats.get(-100778) is None  # nothing stored for the group
    (done,) = await world.press(-100778, menu, "st:21:00", user_id=8001)
    assert "21:00" in done["text"] and (await world.services.chats.get(-100778)).digest_times == (time(21, 0),)
