"""Group commit: feeds that finish together are stored in one transaction, and each caller
still gets exactly its own articles' ids, duplicates and failures included."""

import asyncio
import dataclasses
import sqlite3
from datetime import UTC, datetime, timedelta

import pytest

from news import story_bilingual
from news.articles import make_article
from news.ingest import GROUP_ARTICLES, Ingestor
from storage.articles import ArticleRepository

NOW = datetime(2026, 11, 29, 8, 0, tzinfo=UTC)
SAIDAL_A = 'تعيين مراد بلخلفة مديرا عاما بالنّيابة لمجمّع "صيدال"'
SAIDAL_B = "تنصيب مراد بلخلفة مديرًا عامًا بالنيابة لمجمع صيدال"


def feed(name, titles, urls=None):
    return [
        make_article(title=title, source=name, url=(urls or {}).get(title), published_at=NOW + timedelta(minutes=n))
        for n, title in enumerate(titles)
    ]


class Commits:
    """Counts the transactions the database commits."""

    def __init__(self, db, monkeypatch):
        self.count = 0
        real_execute = type(db.conn).execute

        def execute(conn, sql, *args):
            if sql == "COMMIT":
                self.count += 1
            return real_execute(conn, sql, *args)

        monkeypatch.setattr(type(db.conn), "execute", execute)


async def test_batches_arriving_together_share_a_transaction_and_each_gets_its_own_ids(db, monkeypatch):
    repo = ArticleRepository(db)
    ingestor = await Ingestor.open(repo, now=NOW)
    feeds = [
        feed("وكالة", [SAIDAL_A, "أمطار رعدية على ولايات الشرق"], {SAIDAL_A: "https://a.dz/1"}),
        feed("جريدة", [SAIDAL_B, "افتتاح معرض الكتاب الدولي بالجزائر"]),
        feed("موقع", ["خبر منقول بنفس الرابط", "ارتفاع أسعار الخضر في الأسواق"], {"خبر منقول بنفس الرابط": "https://a.dz/1"}),
    ]
    commits = Commits(db, monkeypatch)
    results = await asyncio.gather(*(ingestor.add_many(batch) for batch in feeds))
    assert commits.count == 2  # the first at once; the two that came while it was written, together
    # Each caller's ids are its own articles'; the link already stored by the first feed is a duplicate.
    for batch, ids in zip(feeds, results, strict=True):
        for article, article_id in zip(batch, ids, strict=True):
            if article_id is not None:
                assert (await repo.get(article_id)).title == article.title
    assert results[2][0] is None and None not in results[0] + results[1] and results[2][1] is not None
    # Stories are matched across the batches of a group, in the order they came.
    first, second = results[0][0], results[1][0]
    assert [a.id for a in (await repo.story(first)).versions] == [first, second]


async def test_after_a_duplicate_in_a_batch_each_article_is_filed_under_its_own_story(db):
    """SQLite stores each article with its own id as its story (the ids a batch takes follow
    the largest before it) and files again only the ones that join an older story: a duplicate
    in the middle of a batch shifts the ids after it, and every story is still right."""
    repo = ArticleRepository(db)
    ingestor = await Ingestor.open(repo, now=NOW)
    (first,) = await ingestor.add_many(feed("وكالة", ["خبر منقول بنفس الرابط"], {"خبر منقول بنفس الرابط": "https://a.dz/1"}))
    batch = feed(
        "جريدة",
        [SAIDAL_A, "خبر آخر بالرابط نفسه", SAIDAL_B.replace("تنصيب", "تعيين رسميا"), "ارتفاع أسعار الخضر في الأسواق"],
        {"خبر آخر بالرابط نفسه": "https://a.dz/1"},
    )
    saidal, duplicate, joined, alone = await ingestor.add_many(batch)
    assert duplicate is None and first is not None
    assert joined == saidal + 1 and alone == saidal + 2  # the ids after the duplicate moved up by one
    assert [a.id for a in (await repo.story(saidal)).versions] == [saidal, joined]
    assert [a.id for a in (await repo.story(alone)).versions] == [alone]
    assert [a.id for a in (await repo.story(first)).versions] == [first]
    assert await db.fetch("PRAGMA foreign_key_check") == []
    sizes = {row["id"]: row["size"] for row in await db.fetch("SELECT id, size FROM stories")}
    assert sizes == {first: 1, saidal: 2, alone: 1}


async def test_a_group_holds_at_most_so_many_articles(db, monkeypatch):
    ingestor = await Ingestor.open(ArticleRepository(db), now=NOW)
    half = GROUP_ARTICLES // 2 + 1
    feeds = [feed(f"مصدر {n}", [f"خبر رقم {i} من المصدر {n}" for i in range(half)]) for n in range(3)]
    commits = Commits(db, monkeypatch)
    results = await asyncio.gather(*(ingestor.add_many(batch) for batch in feeds))
    assert commits.count == 3  # no two of them fit in one
    assert all(None not in ids and len(ids) == half for ids in results)


async def test_a_batch_the_database_rejects_fails_alone_and_the_others_are_stored(db):
    repo = ArticleRepository(db)
    ingestor = await Ingestor.open(repo, now=NOW)
    good_a, good_b = feed("وكالة", ["خبر سليم أول"]), feed("جريدة", ["خبر سليم ثان"])
    # A title the table's CHECK refuses (make_article never makes one): a bug, not a full disk.
    bad = [dataclasses.replace(feed("موقع", ["خبر"])[0], title="")]
    first, failed, second = await asyncio.gather(
        ingestor.add_many(good_a), ingestor.add_many(bad), ingestor.add_many(good_b), return_exceptions=True
    )
    assert isinstance(failed, sqlite3.IntegrityError)
    assert (await repo.get(first[0])).title == "خبر سليم أول"
    assert (await repo.get(second[0])).title == "خبر سليم ثان"


async def test_a_caller_cancelled_while_waiting_has_nothing_stored(db):
    repo = ArticleRepository(db)
    ingestor = await Ingestor.open(repo, now=NOW)
    writing = asyncio.create_task(ingestor.add_many(feed("وكالة", ["خبر يكتب الآن"])))
    await asyncio.sleep(0)  # it holds the write turn
    waiting = asyncio.create_task(ingestor.add_many(feed("جريدة", ["خبر ينتظر دوره"])))
    await asyncio.sleep(0)
    waiting.cancel()
    (stored,) = await writing
    with pytest.raises(asyncio.CancelledError):
        await waiting
    assert [a.id for a in await repo.latest(10)] == [stored]
    (later,) = await ingestor.add_many(feed("جريدة", ["خبر ينتظر دوره"]))
    assert later is not None


async def test_a_publication_time_from_the_future_is_replaced_by_the_arrival_time(db, tmp_path):
    ingestor = await Ingestor.open(ArticleRepository(db), now=NOW)
    wrong_clock = make_article(title="ساعة الموقع متقدمة إلى سنة 2099", published_at=datetime(2099, 1, 1, tzinfo=UTC))
    ahead = make_article(title="خبر بتوقيت متقدم بنصف ساعة", published_at=NOW + timedelta(minutes=30))
    hour_and_more = make_article(title="خبر متقدم بساعة ودقيقة", published_at=NOW + timedelta(minutes=61))
    await ingestor.add_many([wrong_clock, ahead, hour_and_more], fetched_at=NOW)
    stored = {a.title: a.published_at for a in await ArticleRepository(db).latest(10)}
    # A clock a little ahead is believed; further than an hour, the arrival is the time.
    assert stored == {wrong_clock.title: NOW, ahead.title: NOW + timedelta(minutes=30), hour_and_more.title: NOW}

    # An import takes the same road: the time it is stored is its arrival.
    from news.importers import import_file

    path = tmp_path / "future.jsonl"
    path.write_text('{"title": "مقال مستورد من المستقبل", "published_at": "2099-05-01T10:00:00+01:00"}\n', encoding="utf-8")
    assert (await import_file(path, ingestor)).added == 1
    (imported,) = [a for a in await ArticleRepository(db).latest(10) if a.title == "مقال مستورد من المستقبل"]
    assert imported.published_at == imported.fetched_at


async def test_the_tables_reading_french_in_arabic_words_are_built_when_ingestion_opens(db):
    # Built at the first French headline compared, they took about 0.3 s inside the transaction
    # storing its batch, SQLite's one writer held meanwhile: a process builds them as it opens.
    story_bilingual._arabic_of.cache_clear()
    story_bilingual._arabic_towns.cache_clear()
    await Ingestor.open(ArticleRepository(db), now=NOW)
    assert story_bilingual._arabic_of.cache_info().currsize == 1
    assert story_bilingual._arabic_towns.cache_info().currsize == 1
