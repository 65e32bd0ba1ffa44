"""One story told by many sources is shown once; stories that only share a name are not merged."""

from datetime import UTC, datetime, timedelta

import pytest

from news.articles import make_article
from news.ingest import Ingestor
from news.stories import StoryMatcher
from storage.articles import ArticleRepository

NOW = datetime(2026, 11, 29, 8, 0, tzinfo=UTC)
SAIDAL_A = 'تعيين مراد بلخلفة مديرا عاما بالنّيابة لمجمّع "صيدال"'
SAIDAL_B = "تنصيب مراد بلخلفة مديرًا عامًا بالنيابة لمجمع صيدال"
SAME_NAME = "مراد بلخلفة يزور وحدة صيدال بقسنطينة"


def test_near_duplicate_headlines_from_two_sources_are_one_story():
    matcher = StoryMatcher()
    assert matcher.assign(1, SAIDAL_A, NOW) == 1
    assert matcher.assign(2, SAIDAL_B, NOW + timedelta(hours=2)) == 1


def test_headlines_that_share_a_name_are_different_stories():
    matcher = StoryMatcher()
    matcher.assign(1, SAIDAL_A, NOW)
    assert matcher.assign(2, SAME_NAME, NOW) == 2
    assert matcher.assign(3, "أمطار رعدية على العديد من ولايات الوطن", NOW) == 3


def test_a_retelling_long_after_is_a_new_story():
    matcher = StoryMatcher()
    matcher.assign(1, SAIDAL_A, NOW)
    assert matcher.assign(2, SAIDAL_B, NOW + timedelta(days=5)) == 2


async def test_listing_shows_the_story_once_with_its_sources_and_read_offers_the_others(db):
    repo = ArticleRepository(db)
    ingestor = await Ingestor.open(repo, now=NOW)
    first, second, other = await ingestor.add_many(
        [
            make_article(title=SAIDAL_A, source="وكالة", published_at=NOW),
            make_article(title=SAIDAL_B, source="جريدة", published_at=NOW + timedelta(minutes=30)),
            make_article(title=SAME_NAME, source="جريدة", published_at=NOW - timedelta(hours=1)),
        ]
    )
    stories = await repo.latest_stories(10)
    assert [(a.id, a.story_size) for a in stories] == [(first, 2), (other, 1)]
    assert [a.id for a in (await repo.story(first)).versions] == [first, second]
    # A new process remembers recent stories from the database.
    reopened = await Ingestor.open(repo, now=NOW)
    (third,) = await reopened.add_many([make_article(title=SAIDAL_B, source="إذاعة", published_at=NOW)])
    assert (await repo.latest_stories(1))[0].story_size == 3
    assert third in [a.id for a in (await repo.story(first)).versions]


async def test_a_batch_that_fails_to_store_leaves_no_story_behind(db, monkeypatch):
    repo = ArticleRepository(db)
    ingestor = await Ingestor.open(repo, now=NOW)
    real_executemany = type(db.conn).executemany

    def failing_index(conn, sql, rows):
        if sql.startswith("INSERT INTO article_search"):
            raise OSError("disk full")
        return real_executemany(conn, sql, rows)

    monkeypatch.setattr(type(db.conn), "executemany", failing_index)
    with pytest.raises(OSError):
        await ingestor.add_many([make_article(title=SAIDAL_A, source="وكالة", published_at=NOW)])
    monkeypatch.undo()
    # The failed batch's id is given again, to an unrelated headline: a retelling of the
    # failed one must not join it.
    (other,) = await ingestor.add_many([make_article(title=SAME_NAME, source="جريدة", published_at=NOW)])
    (retelling,) = await ingestor.add_many([make_article(title=SAIDAL_B, source="جريدة", published_at=NOW)])
    assert [(a.id, a.story_size) for a in await repo.latest_stories(10)] == [(retelling, 1), (other, 1)]
