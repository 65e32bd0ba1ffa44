"""A story's versions help each other to their topics: a headline that says too little is filed
as a surer version of the same story is — whichever came first — on both engines."""

from datetime import UTC, datetime, timedelta

from news.articles import make_article
from news.classify import WEAK_MARGIN, refiling
from news.ingest import Ingestor
from news.model import FiledVersion, Refiling
from storage.articles import ArticleRepository

NOW = datetime(2026, 12, 5, 8, 0, tzinfo=UTC)
# «The rate of completion passed 96 percent»: alone, nothing says farming (the fallback,
# society).  (The lexicon knows البذر, sowing, since: the sample headline says enough now.)
TERSE = "نسبة الإنجاز فاقت 96 بالمائة"
# Another outlet's headline of the same event says it plainly.
PLAIN = "الموسم الفلاحي: نسبة الإنجاز فاقت 96 بالمائة لدى الفلاحين"


def version(title, source, minutes=0, **fields):
    return make_article(title=title, source=source, published_at=NOW + timedelta(minutes=minutes), **fields)


async def test_a_terse_headline_already_stored_is_filed_again_when_a_plain_version_of_its_story_arrives(engine_db):
    repo = ArticleRepository(engine_db)
    ingestor = await Ingestor.open(repo, now=NOW)
    (terse,) = await ingestor.add_many([version(TERSE, "وكالة")])
    assert (await repo.get(terse)).topics == ("society",)  # nothing better to go by, yet

    (plain,) = await ingestor.add_many([version(PLAIN, "جريدة", minutes=30)])

    assert (await repo.get(plain)).story_id == terse  # one story
    assert (await repo.get(terse)).topics == ("economy",)
    assert await repo.topic_counts() == {"economy": 2}  # /topics counts it where it now is


async def test_a_terse_headline_arriving_after_a_plain_version_is_filed_with_it_at_once(engine_db):
    repo = ArticleRepository(engine_db)
    ingestor = await Ingestor.open(repo, now=NOW)
    (plain,) = await ingestor.add_many([version(PLAIN, "جريدة")])
    (terse,) = await ingestor.add_many([version(TERSE, "وكالة", minutes=30)])
    assert (await repo.get(terse)).topics == ("economy",)
    assert [a.id for a in await repo.latest_stories(10, topic="economy")] != []


async def test_topics_a_person_gave_are_never_filed_again(engine_db):
    repo = ArticleRepository(engine_db)
    ingestor = await Ingestor.open(repo, now=NOW)
    # An import that says what the article is about, and an admin's /topics on another one.
    (given,) = await ingestor.add_many([version(TERSE, "وكالة", topics=["society"])])
    (corrected,) = await ingestor.add_many([version(TERSE + " حسب الديوان", "موقع", minutes=5)])
    assert await repo.set_topics(corrected, ["culture"])

    await ingestor.add_many([version(PLAIN, "جريدة", minutes=30)])

    assert (await repo.get(given)).topics == ("society",)
    assert (await repo.get(corrected)).topics == ("culture",)


async def test_a_story_of_unsure_versions_only_stays_as_each_was_filed(engine_db):
    repo = ArticleRepository(engine_db)
    ingestor = await Ingestor.open(repo, now=NOW)
    first, second = await ingestor.add_many(
        [version(TERSE, "وكالة"), version(TERSE + " عبر الولاية", "جريدة", minutes=30)]
    )
    assert (await repo.get(second)).story_id == first
    assert (await repo.get(first)).topics == (await repo.get(second)).topics == ("society",)


def test_the_rule_the_surest_version_lends_its_topics_to_the_unsure_ones():
    sure = FiledVersion(1, WEAK_MARGIN + 2)
    unsure = FiledVersion(2, 0.0)
    given = FiledVersion(3, None)  # a person's topics (or the source's section): the surest
    assert refiling(sure, [unsure]) == Refiling(surest=1, unsure=(2,), margin=WEAK_MARGIN + 2)
    assert refiling(given, [unsure]) == Refiling(surest=3, unsure=(2,), margin=WEAK_MARGIN)
    assert refiling(FiledVersion(4, WEAK_MARGIN - 1), [unsure]) is None  # nobody is sure
    assert refiling(sure, []) is None  # nobody is unsure
