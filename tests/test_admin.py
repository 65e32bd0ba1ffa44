"""Curation from Telegram: admins only, and what they do shows where readers look."""

from datetime import UTC, datetime, timedelta

import pytest

from news.articles import make_article
from news.search import parse_query

from .conftest import ADMIN_ID, ENGINES, SHARED_LOOP, FakeClock, open_engine_world

pytestmark = SHARED_LOOP

READER = 6001


@pytest.fixture
def world(fresh_world):
    """Curation changes what every reader sees: each test has a bot of its own."""
    return fresh_world


@pytest.fixture
def admin(world):
    world.emu.add_user(user_id=ADMIN_ID, first_name="Admin", language_code="ar")
    world.emu.add_user(user_id=READER, first_name="Reader", language_code="ar")
    return ADMIN_ID


@pytest.mark.parametrize(
    "command", ["/addsource https://example.dz/rss", "/sources", "/removesource 1", "/pausesource 1",
                "/post عنوان\nنص", "/hide 1", "/unhide 1", "/settopic 1 رياضة", "/pin 1", "/stats"],
)
async def test_every_admin_command_politely_refuses_a_reader(shared, command):
    reader = shared.fresh_id()  # a reader, not an admin: refused, and nothing changes
    shared.emu.add_user(user_id=reader, first_name="Reader", language_code="ar")
    (reply,) = await shared.ask(reader, command)
    assert "للمشرفين فقط" in reply["text"]
    assert await shared.services.sources.all() == []


async def test_posted_article_appears_with_its_topics(world, admin):
    (reply,) = await world.ask(
        admin, "/post مباراة ودية للمنتخب الوطني أمام السنغال\nيواجه المنتخب الوطني نظيره السنغالي وديا.\nhttps://example.dz/sport/1"
    )
    assert "نُشر الخبر" in reply["text"] and "رياضة" in reply["text"]
    article_id = int(reply["text"].split("/read_")[1].split()[0])
    article = await world.services.articles.get(article_id)
    assert article.url == "https://example.dz/sport/1" and "sports" in article.topics
    (listing,) = await world.ask(READER, "/topic رياضة")
    assert f"/read_{article_id}" in listing["text"]
    (again,) = await world.ask(admin, "/post مباراة ودية للمنتخب الوطني أمام السنغال\nنص آخر")
    assert "منشور من قبل" in again["text"]
    (usage,) = await world.ask(admin, "/post")
    assert "السطر الأول" in usage["text"]


async def test_a_post_typed_after_a_no_break_space_keeps_its_whole_title(world, admin):
    (reply,) = await world.ask(admin, "/post\u00a0افتتاح مسبح أولمبي في تيزي وزو\nنص الخبر.")
    assert "نُشر الخبر" in reply["text"]
    article = await world.services.articles.get(int(reply["text"].split("/read_")[1].split()[0]))
    assert article.title == "افتتاح مسبح أولمبي في تيزي وزو"


async def test_a_post_whose_title_is_only_invisible_characters_is_refused(world, admin):
    (reply,) = await world.ask(admin, "/post \u200f\u200d\u2067\u2069\nنص الخبر تحت عنوان لا يرى.")
    assert "نُشر الخبر" not in reply["text"] and "السطر الأول" in reply["text"]
    assert all(article.title.strip("\u200f\u200d\u2067\u2069") for article in await world.services.articles.latest(1000))


async def test_hide_removes_an_article_from_latest_search_and_digests_and_unhide_brings_it_back(world, admin):
    article_id = await world.article_id("174 مستوطنا")
    (done,) = await world.ask(admin, f"/hide {article_id}")
    assert "أُخفي" in done["text"]
    (latest,) = await world.ask(READER, "/latest 50")
    assert f"/read_{article_id}" not in latest["text"]
    hits = await world.services.articles.search(parse_query("مستوطنا"), 10)
    assert article_id not in [a.id for a in hits]
    (read,) = await world.ask(READER, f"/read {article_id}")
    assert "سحبه المحررون" in read["text"]  # not «no such article»: it was there, and readers saw it
    stories = await world.services.articles.new_stories(
        datetime(2020, 1, 1, tzinfo=UTC), datetime(2030, 1, 1, tzinfo=UTC), datetime(2020, 1, 1, tzinfo=UTC)
    )
    assert article_id not in [a.id for a in stories]
    assert (await world.services.articles.any(article_id)).hidden  # kept
    await world.ask(admin, f"/unhide {article_id}")
    (latest,) = await world.ask(READER, "/latest 50")
    assert f"/read_{article_id}" in latest["text"]
    (missing,) = await world.ask(admin, "/hide 999999")
    assert "لا يوجد خبر بالرقم 999999" in missing["text"]


WITHDRAWN = {
    "ar": "سحبه المحررون",
    "fr": "retiré par la rédaction",
    "en": "withdrawn by the editors",
}


@pytest.mark.parametrize("engine", ENGINES)
async def test_reading_a_hidden_article_says_the_editors_withdrew_it_and_points_to_its_other_sources(engine, tmp_path):
    """A reader taps /read_N in yesterday's digest after an admin hid that article: told it was
    withdrawn by the editors, in their language (not that it never existed), with the story's
    versions from other sources still there; a number that never was is still «no such»."""
    async with open_engine_world(engine, tmp_path) as world:
        readers = {}
        for lang in WITHDRAWN:
            readers[lang] = world.fresh_id()
            world.emu.add_user(user_id=readers[lang], first_name="Reader", language_code=lang)
        world.emu.add_user(user_id=ADMIN_ID, first_name="Admin", language_code="ar")
        alone = await world.article_id("174 مستوطنا")
        told, retold = await world.services.ingestor.add_many([
            make_article(title='تعيين مراد بلخلفة مديرا عاما بالنّيابة لمجمّع "صيدال"', source="وكالة"),
            make_article(title="تنصيب مراد بلخلفة مديرًا عامًا بالنيابة لمجمع صيدال", source="جريدة"),
        ])
        for article_id in (alone, told):
            (done,) = await world.ask(ADMIN_ID, f"/hide {article_id}")
            assert "أُخفي" in done["text"]
        for lang, reader in readers.items():
            for asked in (f"/read_{alone}", f"/read {alone}", f"/start read_{alone}"):
                (withdrawn,) = await world.ask(reader, asked)
                assert WITHDRAWN[lang] in withdrawn["text"] and str(alone) in withdrawn["text"], (lang, asked)
                assert "174" not in withdrawn["text"].replace(str(alone), "")  # nothing of what was withdrawn
            (other,) = await world.ask(reader, f"/read_{told}")
            assert WITHDRAWN[lang] in other["text"] and f"/read_{retold}" in other["text"]
            assert "مراد بلخلفة" in other["text"]  # the other source's headline, to tap
            (never,) = await world.ask(reader, "/read 99999")
            assert WITHDRAWN[lang] not in never["text"] and "99999" in never["text"]
        (ar_never,) = await world.ask(readers["ar"], "/read 99999")
        assert "لا يوجد خبر" in ar_never["text"]
        await world.ask(ADMIN_ID, f"/unhide {alone}")
        (back,) = await world.ask(readers["fr"], f"/read_{alone}")
        assert "174 مستوطنا" in back["text"]


async def test_settopic_refiles_an_article(world, admin):
    article_id = await world.article_id("174 مستوطنا")
    (done,) = await world.ask(admin, f"/settopic {article_id} Sports")
    assert "رياضة" in done["text"]
    assert (await world.services.articles.get(article_id)).topics == ("sports",)
    (usage,) = await world.ask(admin, f"/settopic {article_id}")
    assert "/settopic 12" in usage["text"]


@pytest.mark.parametrize(
    "lang, says, names",
    [("ar", "لا أعرف موضوعا", "رياضة، "), ("fr", "Je ne connais pas de rubrique", "Sport, "), ("en", "I know no topic", "Sports, ")],
)
async def test_settopic_with_a_topic_it_does_not_know_says_so_and_lists_the_topics(world, lang, says, names):
    # Before: «/settopic 12 spourt» answered the usage line, as if the number or the form were wrong.
    world.emu.add_user(user_id=ADMIN_ID, first_name="Admin", language_code=lang)
    article_id = await world.article_id("174 مستوطنا")
    topics = (await world.services.articles.get(article_id)).topics
    (reply,) = await world.ask(ADMIN_ID, f"/settopic {article_id} spourt")
    assert says in reply["text"] and "spourt" in reply["text"] and names in reply["text"]
    assert "/settopic 12" not in reply["text"]
    assert (await world.services.articles.get(article_id)).topics == topics


@pytest.mark.parametrize("lang, says", [("ar", "لا أعرف موضوعا"), ("fr", "Je ne connais pas"), ("en", "I know no topic")])
async def test_addsource_with_a_topic_it_does_not_know_says_so_and_adds_nothing(world, lang, says):
    # It used to add the feed without its topic, saying nothing of the word it dropped.
    world.emu.add_user(user_id=ADMIN_ID, first_name="Admin", language_code=lang)
    (reply,) = await world.ask(ADMIN_ID, "/addsource https://feeds.example.dz/rss spourt")
    assert says in reply["text"] and "spourt" in reply["text"]
    assert await world.services.sources.all() == []
    (added,) = await world.ask(ADMIN_ID, "/addsource https://feeds.example.dz/rss sport")
    assert (await world.services.sources.all())[0].default_topic == "sports"


async def test_a_pinned_story_opens_the_next_digest(world, admin):
    world.services.clock = FakeClock(datetime.now(UTC))
    article_id = await world.article_id("174 مستوطنا")
    (done,) = await world.ask(admin, f"/pin {article_id}")
    assert "ثُبّت" in done["text"]
    await world.ask(READER, "/subscribe")
    await world.ask(READER, "/mytopics")
    (digest,) = await world.ask(READER, "/digest")
    lines = digest["text"].split("\n")
    pinned_at = next(i for i, line in enumerate(lines) if "مثبّت" in line)
    assert f"/read_{article_id}" in lines[pinned_at + 1]


async def test_sources_are_added_listed_paused_resumed_and_removed(world, admin):
    (bad,) = await world.ask(admin, "/addsource javascript:alert(1)")
    assert "http و https" in bad["text"]
    (added,) = await world.ask(admin, "/addsource https://feeds.example.dz/rss رياضة")
    assert "أضيف المصدر رقم 1" in added["text"]
    (twice,) = await world.ask(admin, "/addsource https://feeds.example.dz/rss")
    assert "مضاف من قبل" in twice["text"]
    source = (await world.services.sources.all())[0]
    assert source.default_topic == "sports" and source.next_poll_at <= datetime.now(UTC) + timedelta(minutes=6)
    (listing,) = await world.ask(admin, "/sources")
    assert "#1" in listing["text"] and "لم يُجلب بعد" in listing["text"]
    # A feed not read yet has no title: its host names it, its address shows once (it showed twice).
    assert "#1 feeds.example.dz" in listing["text"] and listing["text"].count("https://feeds.example.dz/rss") == 1
    (paused,) = await world.ask(admin, "/pausesource 1")
    assert "أوقف المصدر 1" in paused["text"] and (await world.services.sources.get(1)).paused
    (resumed,) = await world.ask(admin, "/resumesource 1")
    assert "استُؤنف" in resumed["text"] and not (await world.services.sources.get(1)).paused
    (removed,) = await world.ask(admin, "/removesource 1")
    assert "حُذف المصدر 1" in removed["text"] and await world.services.sources.all() == []
    (none,) = await world.ask(admin, "/removesource 1")
    assert "لا يوجد مصدر بالرقم 1" in none["text"]


@pytest.mark.parametrize(
    ("lang", "errors", "said"),
    [
        ("en", 1, "1 error: HTTP 503"), ("en", 3, "3 errors in a row: HTTP 503"),
        ("fr", 1, "1 erreur : HTTP 503"), ("fr", 3, "3 erreurs de suite : HTTP 503"),
        ("ar", 1, "خطأ واحد: HTTP 503"), ("ar", 2, "خطآن متتاليان: HTTP 503"),
        ("ar", 3, "3 أخطاء متتالية: HTTP 503"), ("ar", 7, "7 أخطاء متتالية: HTTP 503"),
    ],
)
async def test_sources_counts_a_failing_feed_s_errors_in_the_admin_s_grammar(world, lang, errors, said):
    # Before: «1 errors in a row», «1 erreurs de suite», «1 أخطاء متتالية», «2 أخطاء متتالية».
    world.emu.add_user(user_id=ADMIN_ID, first_name="Admin", language_code=lang)
    (added,) = await world.ask(ADMIN_ID, "/addsource https://feeds.example.dz/rss")
    (source,) = await world.services.sources.all()
    for _ in range(errors):
        await world.services.sources.record_failure(
            source.id, error="HTTP 503", next_poll_at=datetime.now(UTC) + timedelta(hours=1), disable=False
        )
    (listing,) = await world.ask(ADMIN_ID, "/sources")
    assert said in listing["text"].replace("\u200f", "").replace("\u200e", "")


async def test_stats_for_admins(world, admin):
    await world.ask(READER, "/subscribe")
    reply, chart = await world.ask_stats(admin)  # the figures, then their chart (tests/test_stats.py)
    assert "المشتركون النشطون: 1" in reply["text"] and "الأخبار حسب اليوم" in reply["text"] and chart["photo"]
