"""SQLite as the engine: migrations, de-duplication, listings, soft-disabled chats."""

from datetime import UTC, datetime, time, timedelta

import aiosqlite
import pytest

from news.articles import make_article
from news.repositories import StorageError
from storage.articles import ArticleRepository
from storage.chats import ChatRepository
from storage.db import Database, migrations
from storage.sources import SourceRepository

T0 = datetime(2026, 11, 29, 6, 0, tzinfo=UTC)


async def test_fresh_database_is_migrated_to_the_latest_version_with_wal_and_foreign_keys(db):
    assert await db.schema_version() == len(migrations())
    async with db.conn.execute("PRAGMA journal_mode") as c:
        assert (await c.fetchone())[0] == "wal"
    async with db.conn.execute("PRAGMA foreign_keys") as c:
        assert (await c.fetchone())[0] == 1


async def test_reopening_keeps_data_and_does_not_migrate_twice(tmp_path):
    path = tmp_path / "a.db"
    async with Database(path) as db:
        await ArticleRepository(db).add(make_article(title="خبر أول"))
    async with Database(path) as db:
        assert await ArticleRepository(db).count() == 1
        assert await db.schema_version() == len(migrations())


async def test_a_database_from_a_newer_akhbar_is_refused_clearly(tmp_path):
    path = tmp_path / "future.db"
    async with aiosqlite.connect(path) as conn:
        await conn.execute("PRAGMA user_version = 999")
    with pytest.raises(StorageError, match="newer than this Akhbar"):
        await Database(path).open()


async def test_missing_folder_is_a_clear_error(tmp_path):
    with pytest.raises(StorageError, match="AKHBAR_DB"):
        await Database(tmp_path / "nope" / "a.db").open()


async def test_duplicates_by_url_or_by_source_and_normalized_title_are_not_stored(db):
    repo = ArticleRepository(db)
    ids = await repo.add_many(
        [
            make_article(title="أمطار رعدية", url="https://a.example.dz/1", source="س"),
            make_article(title="عنوان آخر تماما", url="https://a.example.dz/1", source="ص"),  # same URL
            make_article(title="أمطارٌ  رعديّة", source="س"),  # same title, harakat and spacing aside
            make_article(title="أمطار رعدية", source="مصدر آخر"),  # another source tells it too
        ]
    )
    assert ids[1] is None and ids[2] is None
    assert ids[0] is not None and ids[3] is not None
    assert await repo.count() == 2


async def test_a_mixed_batch_gets_each_stored_article_its_own_id_tags_and_index(db):
    repo = ArticleRepository(db)
    feed = await SourceRepository(db).add("https://a.example.dz/rss", first_poll=T0)
    (old,) = await repo.add_many([make_article(title="مباراة ودية للخضر", url="https://a.example.dz/1",
                                               guid="g1", source_id=feed.id, source="أ")])
    ids = await repo.add_many(
        [
            make_article(title="أمطار رعدية على وهران", source="أ", topics=["weather"]),
            make_article(title="عنوان جديد", url="https://a.example.dz/1", source="ب"),  # the stored URL
            make_article(title="عنوان آخر", guid="g1", source_id=feed.id, source="أ"),  # the stored guid
            make_article(title="أمطار رعدية على وهران", source="أ"),  # the first of this batch again
            make_article(title="مباراة ودية للخضر", body="نص", source="ج", topics=["sports"]),  # another source
            make_article(title="مباراة ودية للخضر", source_id=feed.id, guid="g2", source="أ"),  # same content
        ]
    )
    assert ids[1:4] == [None, None, None] and ids[5] is None
    assert None not in (ids[0], ids[4]) and len({old, ids[0], ids[4]}) == 3
    first, other = await repo.get(ids[0]), await repo.get(ids[4])
    assert (first.title, first.topics, first.regions) == ("أمطار رعدية على وهران", ("weather",), (31,))
    assert (other.title, other.source, other.topics) == ("مباراة ودية للخضر", "ج", ("sports",))
    assert [a.id for a in await repo.search('"وهران"', 10)] == [ids[0]]
    assert await repo.count() == 3


async def test_latest_is_newest_first_by_publication_then_fetch_time_and_filters_by_topic(db):
    repo = ArticleRepository(db)
    await repo.add(make_article(title="قديم", published_at=T0 - timedelta(days=1), topics=["sports"]), fetched_at=T0)
    await repo.add(make_article(title="جديد", published_at=T0, topics=["sports", "economy"]), fetched_at=T0)
    await repo.add(make_article(title="بلا تاريخ", topics=["world"]), fetched_at=T0 + timedelta(hours=1))
    assert [a.title for a in await repo.latest(10)] == ["بلا تاريخ", "جديد", "قديم"]
    assert [a.title for a in await repo.latest(10, topic="sports")] == ["جديد", "قديم"]
    assert await repo.topic_counts() == {"sports": 2, "economy": 1, "world": 1}
    newest = (await repo.latest(1, topic="economy"))[0]
    assert newest.topics == ("economy", "sports")
    assert (await repo.get(newest.id)).title == "جديد"
    assert await repo.get(99999) is None


async def test_a_chat_is_soft_disabled_and_restored_with_its_settings(db):
    chats = ChatRepository(db)
    await chats.ensure(42, type="private", title="Amina", lang="fr", tz="Europe/Paris", digest_time=time(8, 15))
    await chats.set_subscribed(42, True)
    await chats.mark_inactive(42, "blocked")
    gone = await chats.get(42)
    assert (gone.active, gone.inactive_reason, gone.subscribed) == (False, "blocked", True)
    assert gone.inactive_at is not None
    await chats.reactivate(42)
    back = await chats.get(42)
    assert (back.active, back.inactive_reason, back.subscribed, back.lang, back.tz, back.digest_time) == (
        True, None, True, "fr", "Europe/Paris", time(8, 15)
    )
    # ensure() never overwrites what the chat chose.
    again = await chats.ensure(42, type="private", title="x", lang="ar", tz="Africa/Algiers", digest_time=time(7, 0))
    assert again.lang == "fr"
