"""What every search box taught readers, through the real bot and the emulator, on SQLite and
on PostgreSQL: `OR` (or `|`, «أو», «ou») between words finds either, `-word` and `-"phrase"`
leave out the articles holding them, a search that finds nothing says what to try, and one typed
in French that finds nothing is read in Arabic (news.search_across) and says so.

The module shares one bot per engine; each test adds articles of its own, about places and
words no other article of the module (nor the demo's) has."""

from __future__ import annotations

import re

import pytest

from news.articles import make_article

from .conftest import SHARED_LOOP

pytestmark = SHARED_LOOP

READ_LINK = re.compile(r"/read_(\d+)")


@pytest.fixture(scope="module")
def shared_world(shared_world_on_each_engine):
    return shared_world_on_each_engine


@pytest.fixture
def world(shared):
    return shared


def reader(world, lang: str = "ar") -> int:
    user = world.fresh_id()
    world.emu.add_user(user, f"Reader {user}", lang)
    return user


def bold(message: dict) -> list[str]:
    units = message["text"].encode("utf-16-le")
    return [
        units[2 * e["offset"] : 2 * (e["offset"] + e["length"])].decode("utf-16-le")
        for e in message.get("entities", [])
        if e["type"] == "bold"
    ]


async def add(world, *articles: tuple[str, str]) -> list[int]:
    """The articles (title, body), each from a source of its own; their ids, in order."""
    return await world.services.ingestor.add_many(
        [make_article(title=title, body=body, source=f"مصدر {title[:12]}") for title, body in articles]
    )


async def added_once(world, name: str, *articles: tuple[str, str]) -> list[int]:
    """`add`, once for the module's bot: the ids of the articles a parametrized test shares."""
    if not hasattr(world, name):
        setattr(world, name, await add(world, *articles))
    ids: list[int] = getattr(world, name)
    return ids


def found(message: dict) -> set[int]:
    return {int(i) for i in READ_LINK.findall(message["text"])}


async def test_or_between_words_finds_articles_with_either(world):
    tigzirt, azeffoun, dellys = await add(
        world,
        ("ميناء تيقزيرت يستقبل أول سفينة سياحية", "وصلت السفينة صباحا."),
        ("أزفون تطلق موسم الاصطياف بحفل فني", "حضر الحفل جمهور غفير."),
        ("رياح قوية تغلق ميناء دلس", "توقف نشاط الصيد."),
    )
    me = reader(world)
    for typed in ("تيقزيرت OR أزفون", "تيقزيرت | أزفون", "تيقزيرت|أزفون", "تيقزيرت أو أزفون", "تيقزيرت او أزفون"):
        (reply,) = await world.ask(me, f"/search {typed}")
        assert found(reply) == {tigzirt, azeffoun}, typed
        # Only what was looked for is bold: neither side's other words, nor the operator.
        assert set(bold(reply)[1:]) == {"تيقزيرت", "أزفون"}, typed  # [0]: the header
    # OR binds the two words beside it; the other words are still all needed.
    (reply,) = await world.ask(me, "/search ميناء تيقزيرت OR دلس")
    assert found(reply) == {tigzirt, dellys}
    (reply,) = await world.ask(me, "/search سفينة تيقزيرت OR دلس")
    assert found(reply) == {tigzirt}


async def test_french_ou_and_a_quoted_phrase_are_alternatives_too(world):
    tigzirt, azeffoun, _ = await add(
        world,
        ("Le port de Tigzirt accueille un paquebot", "Premier navire de la saison."),
        ("Azeffoun lance la saison estivale", "Un concert sur la plage."),
        ("Dellys ferme son port", "Vents violents."),
    )
    me = reader(world, "fr")
    (reply,) = await world.ask(me, "/search Tigzirt ou Azeffoun")
    assert found(reply) == {tigzirt, azeffoun}
    (reply,) = await world.ask(me, '/search "saison estivale" OR "port de Tigzirt"')
    assert found(reply) == {tigzirt, azeffoun}


async def test_a_minus_leaves_out_articles_with_that_word_in_title_or_body_spelt_any_way(world):
    volleyball, library, beach = await add(
        world,
        ("زرالدة تحتضن ملتقى الكرة الطائرة", "يشارك في الملتقى عشرون ناديا."),
        ("زرالدة: افتتاح مكتبة بلدية جديدة", "تضم المكتبة آلاف الكتب."),
        ("زرالدة تستقبل آلاف المصطافين", "وأقيمت مباراة في كرة القدم على الشاطئ."),
    )
    me = reader(world)
    (everything,) = await world.ask(me, "/search زرالدة")
    assert found(everything) == {volleyball, library, beach}
    # كرة leaves out الكرة in a title and كرة in a body: the stems a search for it would find.
    (reply,) = await world.ask(me, "/search زرالدة -كرة")
    assert found(reply) == {library}
    assert "كرة" not in bold(reply) and "الكرة" not in bold(reply)
    # A phrase left out: only where its words stand together (الكرة الطائرة stays).
    (reply,) = await world.ask(me, '/search زرالدة -"كرة القدم"')
    assert found(reply) == {volleyball, library}
    (reply,) = await world.ask(me, "/search زرالدة -«كرة القدم» -مكتبة")
    assert found(reply) == {volleyball}
    # A dash inside a word, or standing alone, leaves nothing out.
    (reply,) = await world.ask(me, "/search زرالدة - مكتبة")
    assert found(reply) == {library}


async def test_a_phrase_with_a_word_left_out(world):
    draw, _ = await add(
        world,
        ("قرعة كأس إفريقيا للأمم بمشاركة الجزائر وتونس", "أوقعت القرعة منتخب تونس في المجموعة الأولى."),
        ("المغرب يستضيف نهائيات كأس إفريقيا للأمم", "استعدادات في الملاعب."),
    )
    me = reader(world)
    (reply,) = await world.ask(me, '/search "كأس إفريقيا للأمم" -المغرب')
    assert found(reply) == {draw}


@pytest.mark.parametrize(
    ("lang", "says"),
    [("ar", "أضف كلمة تبحث عنها"), ("fr", "Ajoutez un mot à chercher"), ("en", "Add a word to look for")],
)
async def test_only_words_left_out_asks_politely_for_a_word_to_look_for(world, lang, says):
    me = reader(world, lang)
    for typed in ("/search -كرة", '/search -"كأس إفريقيا" -football', "-كرة -مكتبة"):
        (reply,) = await world.ask(me, typed)
        assert says in reply["text"], (typed, reply["text"])


@pytest.mark.parametrize(
    ("lang", "none", "fewer"),
    [("ar", "لا نتائج", "كلمات أقل"), ("fr", "Aucun résultat", "moins de mots"), ("en", "No results", "fewer words")],
)
async def test_nothing_found_for_several_words_suggests_fewer_or_or(world, lang, none, fewer):
    await add(world, ("بوسعادة تحتفي بالشعر الملحون", "أمسية شعرية."))
    me = reader(world, lang)
    (several,) = await world.ask(me, "/search بوسعادة بوخرصوفة")
    assert none in several["text"] and fewer in several["text"] and "OR" in several["text"]
    (one,) = await world.ask(me, "/search بوخرصوفة")
    assert none in one["text"] and fewer not in one["text"]


@pytest.mark.parametrize("lang", ["ar", "fr", "en"])
async def test_help_and_the_search_usage_tell_the_operators(world, lang):
    me = reader(world, lang)
    for command in ("/help", "/search"):
        (reply,) = await world.ask(me, command)
        assert "OR" in reply["text"] and " -" in reply["text"], (command, reply["text"])


async def test_inline_mode_reads_the_operators_as_search_does(world):
    tichy, aokas, souk = await add(
        world,
        ("شاطئ تيشي يستقبل المصطافين", "إقبال كبير."),
        ("أوقاس تفتتح شاطئا جديدا", "أشغال تهيئة."),
        ("شاطئ سوق الاثنين يغلق للترميم", "أشغال."),
    )
    me = reader(world)
    for typed, offered in (("تيشي OR أوقاس -سوق", {tichy, aokas}), ("أوقاس أو تيشي -المصطافين", {aokas})):
        answer = await world.emu.wait_for_inline_answer(world.emu.send_inline_query(me, typed))
        assert {int(r["id"]) for r in answer["results"]} == offered, typed
    answer = await world.emu.wait_for_inline_answer(world.emu.send_inline_query(me, "شاطئ -تيشي"))
    assert tichy not in {int(r["id"]) for r in answer["results"]} and souk in {int(r["id"]) for r in answer["results"]}


@pytest.mark.parametrize(
    ("lang", "typed", "note"),
    [
        ("ar", "/search تاغيت OR", "\u200fℹ️ أُهمل «\u200f\u200eOR\u200e\u200f»: توضع OR بين كلمتين لتجد أيًّا منهما، مثلا \u200e/search وهران OR قسنطينة"),
        ("ar", "/search تاغيت أو", "\u200fℹ️ أُهمل «أو»: توضع OR بين كلمتين لتجد أيًّا منهما"),
        ("fr", "/search Taghit ou", "ℹ️ « ou » a été laissé de côté : un OR se met entre deux mots, pour trouver l'un ou "
         "l'autre, par exemple /search Oran OR Constantine"),
        ("en", "/search OR Taghit", "ℹ️ “OR” was left out: an OR goes between two words, to find either, for example "
         "/search Oran OR Constantine"),
        ("en", "/search | Taghit -rallye", "ℹ️ “|” was left out"),
    ],
)
async def test_an_or_joining_nothing_is_left_out_of_the_search_and_the_reply_says_so(world, lang, typed, note):
    # Before: «تاغيت OR», «Taghit ou», «OR Taghit» looked for the word «or» («ou») too, so
    # found nothing; «| Taghit» dropped the bar without a word.
    arabic, french, rally = await added_once(
        world, "taghit",
        ("تاغيت تستقبل السياح في موسم الواحات", "إقبال على الكثبان."),
        ("Taghit accueille les amateurs de dunes", "Saison touristique au Sud."),
        ("Taghit: un rallye traverse les dunes", "Départ de Béchar."),
    )
    me = reader(world, lang)
    (reply,) = await world.ask(me, typed)
    assert found(reply) == ({arabic} if lang == "ar" else {french} if "rallye" in typed else {french, rally})
    header, said = reply["text"].split("\n")[:2]
    assert said.startswith(note), reply["text"]


@pytest.mark.parametrize(
    ("lang", "usage"), [("ar", "اكتب ما تبحث عنه"), ("fr", "Indiquez ce que vous cherchez"), ("en", "Say what you are looking for")],
)
async def test_an_or_alone_is_answered_with_how_to_search(world, lang, usage):
    # Before: /search OR looked for the word «or»: «No results for “OR”. Try another word».
    me = reader(world, lang)
    for typed in ("/search OR", "/search أو", "/search ou |"):
        (reply,) = await world.ask(me, typed)
        assert usage in reply["text"], (typed, reply["text"])


@pytest.mark.parametrize(
    ("lang", "typed", "kept", "note"),
    [
        ("ar", "/search أولف -في", {"ar", "foot"},
         "\u200fℹ️ «في» كلمة شائعة جدا لا تُستبعد: هي في كل خبر تقريبا من أخبار لغتها. فلم تُستبعد من هذا البحث."),
        ("ar", "/search أولف -كرة -وفي", {"ar"}, "\u200fℹ️ «وفي» كلمة شائعة جدا لا تُستبعد"),
        ("fr", '/search Aoulef -"de la"', {"fr", "en"},
         "ℹ️ « de la » est un mot trop courant pour être exclu : presque tous les articles de sa langue le contiennent. "
         "Il n'a pas été exclu de cette recherche."),
        ("en", "/search Aoulef -the", {"fr", "en"},
         "ℹ️ “the” is too common a word to leave out: nearly every story in its language has it. "
         "It was not left out of this search."),
    ],
)
async def test_a_word_too_common_to_leave_out_is_searched_without_and_the_reply_says_so(world, lang, typed, kept, note):
    # Before: each left out every article holding في (وفي, de la, the): nearly all of them,
    # silently: here, where every article holds one, «No results».
    aoulef = dict(zip(("ar", "foot", "fr", "en"), await added_once(
        world, "aoulef",
        ("أولف تحتفي بموسم التمور في القصور", "وفي المساء حفل."),
        ("أولف: دورة في كرة القدم للشباب", "وفي الختام تكريم للفائزين."),
        ("Aoulef : la foire de la datte ouvre ses portes", "Les producteurs de la région exposent."),
        ("Aoulef opens the new desalination plant", "The plant serves the whole district."),
    ), strict=True))
    me = reader(world, lang)
    (reply,) = await world.ask(me, typed)
    assert found(reply) == {aoulef[name] for name in kept}, reply["text"]
    assert reply["text"].split("\n")[1].startswith(note), reply["text"]


@pytest.mark.parametrize(
    ("lang", "says", "why"),
    [("ar", "أضف كلمة تبحث عنها", "«من» كلمة شائعة جدا"), ("fr", "Ajoutez un mot à chercher", "« le » est un mot trop courant"),
     ("en", "Add a word to look for", "“de” is too common")],
)
async def test_only_a_word_too_common_to_leave_out_asks_for_a_word_and_says_why(world, lang, says, why):
    me = reader(world, lang)
    typed = {"ar": "/search -من", "fr": "/search -le", "en": "/search -de"}[lang]
    (reply,) = await world.ask(me, typed)
    assert says in reply["text"] and why in reply["text"], reply["text"]


# Volleyball (لكرة), handball (وكرة), and an idea (فكرة), in Tikjda.
TIKJDA = [
    ("تيكجدة تحتضن دورة لكرة الطائرة", "مشاركة عشرة أندية."), ("مخيم تيكجدة يستقبل فرق الجيدو وكرة اليد", "تربص تحضيري."),
    ("فكرة جديدة لتنشيط السياحة في تيكجدة", "مسابقة للتصوير."),
]


@pytest.mark.parametrize("lang", ["ar", "fr", "en"])
async def test_a_noun_is_found_with_its_clitic_on_a_short_word(world, lang):
    # Before: /search كرة missed «لكرة» and «وكرة» (a bare clitic was peeled only from words of
    # five letters or more), and -كرة left them in; فكرة (an idea) is not كرة.
    volleyball, handball, idea = await added_once(world, "tikjda", *TIKJDA)
    me = reader(world, lang)
    (reply,) = await world.ask(me, "/search كرة تيكجدة")
    assert found(reply) == {volleyball, handball}
    assert {"لكرة", "وكرة"} <= set(bold(reply))
    (reply,) = await world.ask(me, "/search تيكجدة -كرة")
    assert found(reply) == {idea}


@pytest.mark.parametrize(
    ("lang", "typed", "says"),
    [
        ("fr", "séisme Tindouf", "Aucun résultat pour « séisme Tindouf » : résultats pour"),
        ("en", "séisme Tindouf", "Nothing found for “séisme Tindouf”"),
        ("en", "earthquake Tindouf", "Nothing found for “earthquake Tindouf”: results for"),
    ],
)
async def test_a_french_search_that_finds_nothing_finds_the_story_told_in_arabic_and_says_so(world, lang, typed, says):
    if not hasattr(world, "tindouf_quake"):  # (once for the module's bot: both languages read it)
        (world.tindouf_quake,) = await world.services.ingestor.add_many(
            [make_article(title="هزة أرضية بقوة 3.9 درجات تضرب ولاية تندوف", body="لم تسجل أي خسائر.", source="مصدر تندوف")]
        )
    quake = world.tindouf_quake
    me = reader(world, lang)
    (reply,) = await world.ask(me, f"/search {typed}")
    assert found(reply) == {quake}
    assert says in reply["text"] and "زلزال تندوف" in reply["text"]
    # the Arabic words it was found by are the ones in bold, as for any search
    assert {"هزة", "أرضية", "تندوف"} <= set(bold(reply)[1:])


async def test_a_french_search_found_as_typed_is_not_read_in_arabic(world):
    ids = await world.services.ingestor.add_many([
        make_article(title="Séisme de magnitude 3,2 à Illizi", body="Aucun dégât.", source="Source Illizi", lang="fr"),
        make_article(title="هزة أرضية بقوة 3.2 درجات بإيليزي", body="دون خسائر.", source="مصدر إيليزي"),
    ])
    me = reader(world, "fr")
    (reply,) = await world.ask(me, "/search séisme Illizi")
    assert "Résultats pour « séisme Illizi »" in reply["text"] and "en arabe" not in reply["text"]
    assert found(reply) <= set(ids) and len(found(reply)) == 1  # one story, its French telling found
    # its Arabic telling is the same story: searching in Arabic would show nothing more
    assert not reply.get("reply_markup")


async def test_a_french_search_found_as_typed_offers_the_same_search_in_arabic(world):
    french, arabic_only = await world.services.ingestor.add_many([
        make_article(title="Séisme de magnitude 3,4 à Tissemsilt", body="Aucun dégât.", source="Source Tissemsilt", lang="fr"),
        # an aftershock the next day, told in Arabic only: another story
        make_article(title="هزة ارتدادية بقوة 2.1 درجات تضرب تيسمسيلت", body="دون خسائر.", source="مصدر تيسمسيلت"),
    ])
    me = reader(world, "fr")
    (reply,) = await world.ask(me, "/search séisme Tissemsilt")
    assert found(reply) == {french}
    (button,) = reply["reply_markup"]["inline_keyboard"][-1]
    assert button["text"] == "🔎 Chercher aussi en arabe : زلزال تيسمسيلت"
    (in_arabic,) = await world.press(me, reply, button["callback_data"])
    # (searched by each word's Arabic words, as typed: «زلزال OR "هزة أرضية" OR هزة OR زلزالا تيسمسيلت»)
    assert arabic_only in found(in_arabic) and "Résultats pour « زلزال OR " in in_arabic["text"]
    assert not in_arabic.get("reply_markup")  # (Arabic: nothing more to offer, one page)
    # A name is searched in both scripts already: no button for it.
    (name,) = await world.ask(me, "/search Sonatrach")
    assert all("arabe" not in row[0]["text"] for row in (name.get("reply_markup") or {}).get("inline_keyboard", []))


async def test_nothing_in_either_language_says_no_results_as_before(world):
    me = reader(world, "fr")
    (reply,) = await world.ask(me, "/search séisme Djanet")
    assert "Aucun résultat pour « séisme Djanet »" in reply["text"] and "arabe" not in reply["text"]


async def test_the_next_page_of_an_arabic_reading_goes_on_in_arabic(world):
    await world.services.ingestor.add_many([  # ten fires, each of another size: ten stories
        make_article(title=f"حريق يأتي على {size} هكتارا من الغابات بالنعامة", body="تدخلت الحماية المدنية.",
                     source=f"مصدر النعامة {size}")
        for size in range(11, 21)
    ])
    me = reader(world, "fr")
    (first,) = await world.ask(me, "/search incendie Naâma")
    assert len(found(first)) == 8
    button = first["reply_markup"]["inline_keyboard"][0][0]
    (second,) = await world.press(me, first, button["callback_data"])
    assert "en arabe" in second["text"] and found(second) and not found(second) & found(first)
