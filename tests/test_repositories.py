"""The repositories' contract, on both engines: every test here runs on SQLite and on
PostgreSQL (the `engine_db` fixture; PostgreSQL via AKHBAR_TEST_DATABASE_URL), and must give
the same answers on each."""

import asyncio
from datetime import UTC, datetime, time, timedelta

import pytest

from news.articles import make_article
from news.model import DeliveryOutcome, EditWindow, NewAlert, QuietHours
from news.search import index_text, parse_query
from storage.alerts import AlertRepository
from storage.articles import ArticleRepository
from storage.chats import ChatRepository
from storage.connect import open_database
from storage.db import Database
from storage.follows import FollowRepository
from storage.processes import ProcessRepository
from storage.sources import SourceRepository

from .conftest import ENGINES, pg_schema

T0 = datetime(2026, 11, 29, 6, 0, tzinfo=UTC)
BEAT, LEASE = 1_800_000_000.0, 20.0  # processes' heartbeats: seconds since the epoch


@pytest.fixture
def db(engine_db):
    """Each test's database, on one engine then the other."""
    return engine_db


async def test_a_fresh_database_is_at_the_latest_schema_version(db):
    from storage.db import migrations

    assert await db.schema_version() == len(migrations()) == len(migrations(f"storage.{'pg_' if db.dialect.name == 'postgresql' else ''}migrations"))


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


async def test_a_batch_without_duplicates_gets_the_ids_its_articles_were_stored_under(db):
    """On SQLite such a batch's ids are not read back (they follow the largest before it): each
    id still opens its own article, after a batch that had duplicates too."""
    repo = ArticleRepository(db)
    first = await repo.add_many([make_article(title=f"خبر رقم {n}", source="أ") for n in range(3)])
    again = await repo.add_many([make_article(title="خبر رقم 1", source="أ"), make_article(title="خبر جديد", source="أ")])
    assert again[0] is None and again[1] is not None
    later = await repo.add_many([make_article(title=f"نبأ رقم {n}", source="ب") for n in range(4)])
    assert len({*first, again[1], *later}) == 8 and None not in later
    for article_id, title in zip(later, [f"نبأ رقم {n}" for n in range(4)], strict=True):
        assert (await repo.get(article_id)).title == title
    assert (await repo.get(again[1])).title == "خبر جديد"


async def test_a_batch_with_duplicates_is_read_back_even_when_a_trigger_writes_as_many_rows(tmp_path):
    """SQLite's count of rows written also counts a trigger's: a batch of four with two
    duplicates and a trigger writing a row per stored article still gets its own ids."""
    async with Database(tmp_path / "akhbar.db") as db:
        repo = ArticleRepository(db)
        await repo.add_many([make_article(title=f"خبر رقم {n}", source="أ") for n in range(2)])
        async with db.transaction() as tx:
            await tx.execute("CREATE TABLE article_log (article_id INTEGER)")
            await tx.execute(
                "CREATE TRIGGER article_logged AFTER INSERT ON articles "
                "BEGIN INSERT INTO article_log VALUES (new.id); END"
            )
        titles = ["خبر رقم 0", "نبأ أول", "خبر رقم 1", "نبأ ثان"]
        ids = await repo.add_many([make_article(title=title, source="أ") for title in titles])
        assert ids[0] is None and ids[2] is None
        assert [(await repo.get(ids[i])).title for i in (1, 3)] == ["نبأ أول", "نبأ ثان"]


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
    assert [a.id for a in await repo.search(parse_query("وهران"), 10)] == [ids[0]]
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


async def test_a_publication_time_claimed_too_far_ahead_is_kept_beside_the_arrival(db):
    from news.ingest import Ingestor

    repo = ArticleRepository(db)
    ingestor = await Ingestor.open(repo, now=T0)
    claimed = datetime(2099, 1, 1, 0, 0, tzinfo=UTC)
    wrong, right = await ingestor.add_many(
        [make_article(title="ساعة الموقع على سنة 2099", published_at=claimed),
         make_article(title="خبر بتوقيته الصحيح", published_at=T0 - timedelta(hours=1))],
        fetched_at=T0,
    )
    stored = {a.id: a for a in await repo.latest(10)}
    assert (stored[wrong].published_at, stored[wrong].claimed_published_at) == (T0, claimed)
    assert (stored[right].published_at, stored[right].claimed_published_at) == (T0 - timedelta(hours=1), None)
    assert (await repo.get(wrong)).claimed_published_at == claimed


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


async def test_hiding_pinning_and_retagging_an_article(db):
    repo = ArticleRepository(db)
    first = await repo.add(make_article(title="خبر أول", topics=["sports"]), fetched_at=T0)
    second = await repo.add(make_article(title="خبر ثان"), fetched_at=T0 + timedelta(minutes=1))
    assert await repo.pin(first, T0 + timedelta(hours=2))
    assert [a.id for a in await repo.pinned(T0)] == [first] and await repo.pinned(T0 + timedelta(hours=3)) == []
    assert await repo.set_topics(first, ["economy", "world"]) and not await repo.set_topics(999_999, ["x"])
    assert (await repo.get(first)).topics == ("economy", "world")
    assert await repo.set_hidden(first, True) and not await repo.set_hidden(999_999, True)
    assert await repo.get(first) is None and (await repo.any(first)).hidden
    assert not await repo.pin(first, T0 + timedelta(hours=2))  # a hidden article is not pinned
    assert [a.id for a in await repo.latest(10)] == [second]
    assert "economy" not in await repo.topic_counts()  # a hidden article counts for no topic
    assert [a.id async for a in repo.iter_all(batch=1)] == [first, second]  # hidden ones too


async def test_counts_per_day_and_per_source(db):
    repo = ArticleRepository(db)
    await repo.add_many([make_article(title=f"خبر {n}", source="أ") for n in range(3)], fetched_at=T0)
    await repo.add(make_article(title="خبر آخر", source="ب"), fetched_at=T0 - timedelta(days=1))
    assert await repo.per_day(7, T0) == [("2026-11-29", 3), ("2026-11-28", 1)]
    assert await repo.per_source(T0 - timedelta(days=2)) == [("أ", 3), ("ب", 1)]
    assert await repo.count() == 4


async def test_known_items_and_the_index_of_articles_stored_without_one(db):
    repo = ArticleRepository(db)
    feed = await SourceRepository(db).add("https://b.example.dz/rss", first_poll=T0)
    await repo.add(make_article(title="خبر بمعرف", url="https://b.example.dz/1", guid="g1", source_id=feed.id))
    assert await repo.known_items(feed.id, ["g1", "g2"], ["https://b.example.dz/1", "https://b.example.dz/9"]) == (
        {"g1"}, {"https://b.example.dz/1"}
    )
    assert await repo.unindexed() == []
    await repo.index_many([])
    assert [a.title for a in await repo.search(parse_query("بمعرف"), 5)] == ["خبر بمعرف"]
    assert index_text("خبر", "").title_words == "خبر"


async def test_stories_group_versions_and_the_newest_story_comes_first(db):
    repo = ArticleRepository(db)
    stories: dict[str, int] = {}

    def story_of(article_id, article):
        return stories.setdefault(article.title.split()[0], article_id)

    ids = await repo.add_many(
        [
            make_article(title="زلزال بقوة 5 درجات", source="أ", published_at=T0),
            make_article(title="أمطار على العاصمة", source="أ", published_at=T0 + timedelta(hours=1)),
            make_article(title="زلزال يضرب الشرق", source="ب", published_at=T0 + timedelta(hours=2)),
        ],
        fetched_at=T0 + timedelta(hours=3),
        story_of=story_of,
    )
    listed = await repo.latest_stories(10)
    assert [(a.id, a.story_size) for a in listed] == [(ids[0], 2), (ids[1], 1)]
    assert [a.id for a in (await repo.story(ids[0])).versions] == [ids[0], ids[2]]
    assert [a.id for a in await repo.new_stories(T0, T0 + timedelta(hours=3), T0)] == [ids[1], ids[0]]
    assert [a.id for a in await repo.recent(T0 + timedelta(minutes=30))] == [ids[1], ids[2]]


async def test_search_finds_words_stems_and_phrases_and_ranks_titles_first(db):
    repo = ArticleRepository(db)
    await repo.add_many([
        make_article(title="انطلاق كأس العالم للأندية", source="أ"),
        make_article(title="خبر رياضي", body="الجمهور ينتظر كأس العالم بشغف", source="ب"),
        make_article(title="كأس من الشاي في العالم العربي", source="ج"),
    ])
    assert [a.title for a in await repo.search(parse_query("كأس العالم"), 10)][0] == "انطلاق كأس العالم للأندية"
    assert len(await repo.search(parse_query("كأس العالم"), 10)) == 3
    assert {a.title for a in await repo.search(parse_query('"كأس العالم"'), 10)} == {
        "انطلاق كأس العالم للأندية", "خبر رياضي"
    }
    assert [a.title for a in await repo.search(parse_query("الأندية"), 10)] == ["انطلاق كأس العالم للأندية"]  # a stem
    assert await repo.search(parse_query("غائب"), 10) == []


async def test_sources_are_added_once_polled_when_due_and_backed_off(db):
    sources = SourceRepository(db)
    feed = await sources.add("https://c.example.dz/rss", title="ج", boilerplate=("اقرأ أيضا",), first_poll=T0)
    assert await sources.add("https://c.example.dz/rss") is None
    assert (feed.title, feed.boilerplate, feed.next_poll_at) == ("ج", ("اقرأ أيضا",), T0)
    assert [s.id for s in await sources.due(T0)] == [feed.id] and await sources.due(T0 - timedelta(seconds=1)) == []
    await sources.record_success(feed.id, now=T0, next_poll_at=T0 + timedelta(minutes=15), etag='"e"',
                                 last_modified=None, title="عنوان جديد")
    polled = await sources.get(feed.id)
    assert (polled.etag, polled.title, polled.last_ok_at, polled.errors) == ('"e"', "ج", T0, 0)  # a title is kept
    failed = await sources.record_failure(feed.id, error="HTTP 500", next_poll_at=T0 + timedelta(hours=1), disable=True)
    assert (failed.errors, failed.disabled_reason, failed.last_error) == (1, "HTTP 500", "HTTP 500")
    assert await sources.due(T0 + timedelta(days=1)) == []
    await sources.mark_notified(feed.id)
    assert (await sources.get(feed.id)).disabled_notified
    assert await sources.set_paused(feed.id, False)  # resuming gives it another chance
    resumed = await sources.get(feed.id)
    assert (resumed.disabled_reason, resumed.errors, resumed.paused) == (None, 0, False)
    assert await sources.set_paused(feed.id, True) and (await sources.get(feed.id)).paused
    assert [s.url for s in await sources.all()] == ["https://c.example.dz/rss"]
    assert await sources.remove(feed.id) and not await sources.remove(feed.id)


async def test_due_chats_page_by_instant_then_id_and_deliveries_move_them_on(db):
    chats = ChatRepository(db)
    for chat_id in (5, 3, 4):
        await chats.ensure(chat_id, type="private", title="", lang="ar", tz="Africa/Algiers", digest_time=time(7))
        await chats.set_subscribed(chat_id, True, next_due=T0 + timedelta(minutes=chat_id // 4))
    assert [c.id for c in await chats.due(T0 + timedelta(minutes=5))] == [3, 4, 5]
    first = (await chats.due(T0 + timedelta(minutes=5), limit=1))[0]
    assert [c.id for c in await chats.due(T0 + timedelta(minutes=5), after=(first.next_due_utc, first.id))] == [4, 5]
    assert [c.id for c in await chats.due(T0 + timedelta(minutes=5), chat_id=4)] == [4]
    await chats.record_deliveries([
        DeliveryOutcome(3, "2026-11-29", T0, "sent", T0 + timedelta(days=1), message_ids=(11, 12)),
        DeliveryOutcome(4, "2026-11-29", T0, "failed", T0 + timedelta(days=1), error="boom"),
    ])
    sent = await chats.delivery(3, "2026-11-29")
    assert (sent.state, sent.message_ids, sent.due_utc) == ("sent", (11, 12), T0)
    assert (await chats.get(3)).last_digest_due_utc == T0 and (await chats.get(4)).last_digest_due_utc is None
    records = await chats.day_records([(3, "2026-11-29"), (4, "2026-11-29"), (5, "2026-11-29")])
    assert {pair: d.state for pair, d in records.items()} == {(3, "2026-11-29"): "sent", (4, "2026-11-29"): "failed"}
    assert [d.chat_id for d in await chats.deliveries_on("2026-11-29")] == [3, 4]
    assert await chats.sent_on(datetime.now(UTC).strftime("%Y-%m-%d")) == 1
    assert [c.id for c in await chats.due(T0 + timedelta(minutes=5))] == [5]
    assert set(await chats.get_many([3, 5, 99])) == {3, 5}


async def test_chat_settings_counters_counts_and_a_group_that_became_a_supergroup(db):
    chats = ChatRepository(db)
    await chats.ensure(-100, type="group", title="G", lang="ar", tz="Africa/Algiers", digest_time=time(7))
    assert await chats.set_schedule(-100, digest_times=(time(7), time(19, 30)), tz="Europe/Paris", next_due=None)
    assert await chats.set_topics(-100, ("sports", "economy")) and await chats.set_empty_note(-100, False)
    assert await chats.set_lang(-100, "fr") and await chats.set_quiet(-100, QuietHours(time(22), time(6)))
    assert await chats.set_next_due(-100, T0) and not await chats.set_lang(1, "fr")
    await chats.set_subscribed(-100, True, next_due=T0, thread_id=7)
    await FollowRepository(db).add(-100, kind="words", text="زلزال", terms=("زلزال",))
    await chats.migrate(-100, -1_000_000_000_123)
    moved = await chats.get(-1_000_000_000_123)
    assert await chats.get(-100) is None
    assert (moved.type, moved.digest_times, moved.tz, moved.topics, moved.empty_note, moved.lang, moved.thread_id) == (
        "supergroup", (time(7), time(19, 30)), "Europe/Paris", ("sports", "economy"), False, "fr", 7
    )
    assert moved.quiet == QuietHours(time(22), time(6))
    assert [f.chat_id for f in await FollowRepository(db).of_chat(-1_000_000_000_123)] == [-1_000_000_000_123]
    await chats.bump("429")
    await chats.bump("429", by=2)
    today = datetime.now(UTC).strftime("%Y-%m-%d")
    assert await chats.counter("429", today) == 3 and await chats.counter("retries", today) == 0
    await chats.ensure(8, type="private", title="", lang="ar", tz="Africa/Algiers", digest_time=time(7))
    await chats.mark_inactive(8, "blocked")
    assert await chats.counts() == {"known": 2, "subscribed_active": 1, "inactive": 1}


async def test_follows_are_added_once_listed_follows_first_and_removed_by_their_chat(db):
    follows = FollowRepository(db)
    mute = await follows.add(1, kind="topic", text="رياضة", terms=("sports",), mute=True)
    word = await follows.add(1, kind="words", text="زلزال", terms=("زلزال",), thread_id=3)
    assert await follows.add(1, kind="words", text="زلزال!", terms=("زلزال",)) is None
    other = await follows.add(2, kind="phrase", text="كأس العالم", terms=("كاس", "العالم"))
    assert [f.id for f in await follows.of_chat(1)] == [word.id, mute.id]
    assert (word.terms, word.thread_id, mute.mute, other.terms) == (("زلزال",), 3, True, ("كاس", "العالم"))
    assert [f.id for f in await follows.every(after=mute.id, batch=1)] == [word.id]
    assert await follows.remove(2, word.id) is None
    assert (await follows.remove(1, word.id)).text == "زلزال"
    assert [f.id for f in await follows.every()] == [mute.id, other.id]


async def test_what_a_follow_leaves_out_is_kept_and_changed_in_place(db):
    follows = FollowRepository(db)
    left_out = (("كره",), ("كاس", "العالم"))
    word = await follows.add(1, kind="words", text='زلزال -كرة -"كأس العالم"', terms=("زلزال",), excluded=left_out)
    mute = await follows.add(1, kind="words", text="أمطار", terms=("امطار",), mute=True)
    assert word.excluded == left_out and mute.excluded == ()
    assert [f.excluded for f in await follows.of_chat(1)] == [left_out, ()]
    # The same words again, other exclusions: not a second follow; the first one changed.
    assert await follows.add(1, kind="words", text="زلزال", terms=("زلزال",)) is None
    version = await follows.version()
    changed = await follows.leave_out(1, word.id, text="زلزال -النفط", excluded=(("النفط",),))
    assert (changed.id, changed.text, changed.excluded, changed.created_at) == (
        word.id, "زلزال -النفط", (("النفط",),), word.created_at)
    assert await follows.version() == version + 1  # other processes take it in
    assert await follows.every() == [changed, mute]
    cleared = await follows.leave_out(1, word.id, text="زلزال", excluded=())
    assert cleared.excluded == () and (await follows.of_chat(1))[0] == cleared
    # Nobody else's follow, and never a mute.
    assert await follows.leave_out(2, word.id, text="x", excluded=(("x",),)) is None
    assert await follows.leave_out(1, mute.id, text="x", excluded=(("x",),)) is None
    assert await follows.version() == version + 2


@pytest.mark.parametrize("engine", ENGINES)
async def test_follows_made_before_exclusions_are_migrated_unchanged(engine, tmp_path):
    """A database of schema 17 (before migration 0018 gave follows what they leave out) with a
    follow and a mute: migrated, both are read as they were, leaving nothing out."""
    from storage.db import migrations

    rows = [(5, "words", "سوناطراك وهران", "سوناطراك وهران", 0, 3, "2026-12-01T08:00:00Z"),
            (5, "words", "أمطار", "امطار", 1, None, "2026-12-01T08:01:00Z")]
    insert = "INSERT INTO follows (chat_id, kind, text, terms, mute, thread_id, created_at) VALUES "
    if engine == "sqlite":
        import sqlite3

        path = tmp_path / "old.db"
        conn = sqlite3.connect(path)
        for number, _, sql in migrations()[:17]:
            conn.executescript(f"BEGIN;\n{sql}\nPRAGMA user_version = {number};\nCOMMIT;")
        conn.executemany(insert + "(?, ?, ?, ?, ?, ?, ?)", rows)
        conn.commit()
        conn.close()
        await check_old_follows(await open_database(None, str(path)))
        return
    import asyncpg

    async with pg_schema() as url:
        conn = await asyncpg.connect(url)
        await conn.execute("CREATE TABLE akhbar_schema (version integer NOT NULL); INSERT INTO akhbar_schema VALUES (17)")
        for _, _, sql in migrations("storage.pg_migrations")[:17]:
            await conn.execute(sql)
        await conn.executemany(insert + "($1, $2, $3, $4, $5, $6, $7)", rows)
        await conn.close()
        await check_old_follows(await open_database(url, ""))


async def check_old_follows(db):
    try:
        follows = FollowRepository(db)
        word, mute = await follows.of_chat(5)
        assert (word.id, word.kind, word.text, word.terms, word.mute, word.thread_id, word.excluded) == (
            1, "words", "سوناطراك وهران", ("سوناطراك", "وهران"), False, 3, ())
        assert (mute.id, mute.terms, mute.mute, mute.excluded) == (2, ("امطار",), True, ())
        # And one made now keeps what it leaves out beside them.
        new = await follows.add(5, kind="topic", text="رياضة -كرة", terms=("sports",), excluded=(("كره",),))
        assert [f.excluded for f in await follows.every()] == [(), (), (("كره",),)] and new.id not in (1, 2)
    finally:
        await db.close()


async def test_the_alert_outbox_from_story_to_sent(db):
    articles, alerts, chats = ArticleRepository(db), AlertRepository(db), ChatRepository(db)
    for chat_id in (1, 2):
        await chats.ensure(chat_id, type="private", title="", lang="ar", tz="Africa/Algiers", digest_time=time(7))
    (story,) = await articles.add_many([make_article(title="زلزال في الشرق")], owes_alerts=lambda *_: True)
    assert await alerts.unexpanded() == [(story, story)]
    await alerts.expand(story, [NewAlert(1, story, story, ("زلزال",)), NewAlert(2, story, story, ("الشرق", "زلزال"), 9)], T0)
    await alerts.expand(story, [NewAlert(1, story, story, ("زلزال",))], T0)  # written once
    assert await alerts.unexpanded() == []
    first, second = await alerts.open()
    assert (first.chat_id, second.matched, second.thread_id, first.created_at) == (1, ("الشرق", "زلزال"), 9, T0)
    await alerts.set_state([second.id], "capped", hour="2026-11-29T06")
    assert [(a.state, a.hour) for a in await alerts.open(after=first.id)] == [("capped", "2026-11-29T06")]
    await alerts.record_sent([(first.id, "sent", 77)], T0)
    await alerts.record_failed([second.id], "Forbidden")
    assert await alerts.open() == []
    assert await alerts.sent_since([1, 2], T0 - timedelta(hours=1)) == {1: 1}
    assert [(a.state, a.chat_id) for a in await alerts.of_chat(2)] == [("failed", 2)]


async def test_sent_alerts_of_a_story_grown_since_are_claimed_for_an_edit_once_then_recorded(db):
    articles, alerts, chats = ArticleRepository(db), AlertRepository(db), ChatRepository(db)
    processes = ProcessRepository(db)
    me, other = await processes.register("worker", "h", 1, BEAT), await processes.register("worker", "h", 2, BEAT)
    for chat_id in (1, 2, 3):
        await chats.ensure(chat_id, type="private", title="", lang="ar", tz="Africa/Algiers", digest_time=time(7))
    (story,) = await articles.add_many([make_article(title="زلزال في الشرق", source="أ")], T0, owes_alerts=lambda *_: True)
    await alerts.expand(story, [NewAlert(chat, story, story, ("زلزال",)) for chat in (1, 2, 3)], T0)
    first, second, third = await alerts.open()
    await alerts.record_sent([(first.id, "sent", 77), (second.id, "sent", 78)], T0)  # the third still pending

    def window(now):
        return EditWindow(since=now - timedelta(hours=24), sent_before=now - timedelta(minutes=5),
                          edited_before=now - timedelta(hours=1))

    async def claim(now, by=me, live_since=BEAT - LEASE):  # both processes alive, by default
        return await alerts.claim_edits(window(now), by, live_since, 10)

    later = T0 + timedelta(minutes=10)
    assert await claim(later) == []  # the story has not grown
    grown_at = T0 + timedelta(minutes=1)
    for source in ("ب", "ج"):
        await articles.add_many([make_article(title=f"زلزال في الشرق {source}", source=source)], grown_at,
                                story_of=lambda *_: story, owes_alerts=lambda *_: True)
    assert await claim(T0 + timedelta(minutes=4)) == []  # sent too recently
    claimed = await claim(later)
    assert [(a.id, a.message_id, a.shown_sources, more) for a, more in claimed] == [(first.id, 77, 0, 2), (second.id, 78, 0, 2)]
    assert await claim(later, by=other) == []  # claimed: no one else's
    await alerts.record_edits([(first.id, 2)], later, me)
    await alerts.record_edit_failed([second.id], "Bad Request: message to edit not found", me)
    assert [a.shown_sources for a in await alerts.of_chat(1)] == [2]
    assert [a.edit_error for a in await alerts.of_chat(2)] == ["Bad Request: message to edit not found"]
    much_later = later + timedelta(hours=2)
    assert await claim(much_later) == []  # says it all, or gone for good
    await articles.add_many([make_article(title="زلزال في الشرق د", source="د")], grown_at,
                            story_of=lambda *_: story, owes_alerts=lambda *_: True)
    assert await claim(later + timedelta(minutes=30)) == []  # edited 30 min ago
    ((again, more),) = await claim(much_later, by=other)
    assert (again.id, more) == (first.id, 3)
    await alerts.release_edits([first.id], other)  # not made (a flood wait): anyone's again at once
    assert [a.id for a, _ in await claim(much_later)] == [first.id]
    # A claim holds while its process lives, however long the edit waits (hours here)…
    assert await claim(much_later + timedelta(hours=5), by=other) == []
    # … and is anyone's once that process's heartbeat is a lease old (it died).
    await processes.beat(other, "worker", "h", 2, BEAT + LEASE + 1, BEAT + 1)
    assert [a.id for a, _ in await claim(much_later, by=other, live_since=BEAT + 1)] == [first.id]
    # The process it was taken from, back, lets go of it too late: it is no longer its to release.
    await alerts.release_edits([first.id], me)
    assert await claim(much_later, by=me) == []
    # Released by its process (an earlier run's leftovers), or freed by its clean stop.
    await alerts.release_edits_of(other)
    assert [a.id for a, _ in await claim(much_later)] == [first.id]
    await processes.leave(me)
    assert [a.id for a, _ in await claim(much_later, by=other)] == [first.id]
    # None once the alert is more than a day old.
    await alerts.release_edits([first.id], other)
    assert await claim(T0 + timedelta(hours=25), by=other) == []


async def test_a_late_record_by_the_process_an_edit_was_taken_from_leaves_the_new_holder_s_claim_and_the_edit(db):
    """A process made an edit and could not record it (the database out of its reach) while
    its heartbeat lapsed; another process took the edit over.  The first, back, records it
    late, made or refused: nothing changes — the edit stays the new holder's claim, to make
    and record with the sources it counts, and the alert's stored edit is untouched."""
    articles, alerts, chats, processes = ArticleRepository(db), AlertRepository(db), ChatRepository(db), ProcessRepository(db)
    await chats.ensure(1, type="private", title="", lang="ar", tz="Africa/Algiers", digest_time=time(7))
    (story,) = await articles.add_many([make_article(title="زلزال في الشرق", source="أ")], T0, owes_alerts=lambda *_: True)
    await alerts.expand(story, [NewAlert(1, story, story, ("زلزال",))], T0)
    (alert,) = await alerts.open()
    await alerts.record_sent([(alert.id, "sent", 77)], T0)
    for source in ("ب", "ج"):
        await articles.add_many([make_article(title=f"زلزال في الشرق {source}", source=source)], T0 + timedelta(minutes=1),
                                story_of=lambda *_: story, owes_alerts=lambda *_: True)
    now = T0 + timedelta(minutes=10)

    def window(at):
        return EditWindow(since=at - timedelta(hours=24), sent_before=at - timedelta(minutes=5),
                          edited_before=at - timedelta(hours=1))

    late, holder = await processes.register("worker", "h", 1, BEAT), await processes.register("worker", "h", 2, BEAT)
    assert [a.id for a, _ in await alerts.claim_edits(window(now), late, BEAT - LEASE, 10)] == [alert.id]
    # Its heartbeat a lease old, the edit goes to the other process.
    later = BEAT + LEASE + 1
    await processes.beat(holder, "worker", "h", 2, later, later - LEASE)
    assert [a.id for a, _ in await alerts.claim_edits(window(now), holder, later - LEASE, 10)] == [alert.id]
    # The first process, back, records late what it held back: the edit made, or refused for good.
    await processes.beat(late, "worker", "h", 1, later, later - LEASE)
    hours_on = now + timedelta(hours=2)  # past the hour between edits: only a claim keeps others off
    assert await alerts.record_edits([(alert.id, 1)], now, late) == 0
    assert [(a.shown_sources, a.edit_error) for a in await alerts.of_chat(1)] == [(0, None)]
    assert await alerts.claim_edits(window(hours_on), late, later - LEASE, 10) == []  # the holder's still
    assert await alerts.record_edit_failed([alert.id], "Bad Request: message to edit not found", late) == 0
    assert [(a.shown_sources, a.edit_error) for a in await alerts.of_chat(1)] == [(0, None)]
    assert await alerts.claim_edits(window(hours_on), late, later - LEASE, 10) == []
    # The new holder records its own edit, with the two sources it counts.
    assert await alerts.record_edits([(alert.id, 2)], now, holder) == 1
    assert [(a.shown_sources, a.edit_error) for a in await alerts.of_chat(1)] == [(2, None)]


async def test_a_process_registered_after_a_dead_one_takes_over_none_of_its_claims(db):
    """A worker killed with an edit, a due digest and the polling lease claimed; a receiver
    restarted on its host declares it dead and registers (bot.processes.Membership.join): the
    dead worker's work goes to the live worker, not to the receiver, which does none of it —
    on SQLite too, where the receiver's new row was given the dead one's id again before
    migration 0017."""
    articles, alerts, chats, processes = ArticleRepository(db), AlertRepository(db), ChatRepository(db), ProcessRepository(db)
    await chats.ensure(1, type="private", title="", lang="ar", tz="Africa/Algiers", digest_time=time(7))
    await chats.set_subscribed(1, True, next_due=T0)
    (story,) = await articles.add_many([make_article(title="زلزال في الشرق", source="أ")], T0, owes_alerts=lambda *_: True)
    await alerts.expand(story, [NewAlert(1, story, story, ("زلزال",))], T0)
    (alert,) = await alerts.open()
    await alerts.record_sent([(alert.id, "sent", 77)], T0)
    await articles.add_many([make_article(title="زلزال في الشرق ب", source="ب")], T0 + timedelta(minutes=1),
                            story_of=lambda *_: story, owes_alerts=lambda *_: True)
    now = T0 + timedelta(minutes=10)
    window = EditWindow(since=now - timedelta(hours=24), sent_before=now - timedelta(minutes=5),
                        edited_before=now - timedelta(hours=1))
    worker = await processes.register("worker", "h", 2, BEAT)
    killed = await processes.register("worker", "h", 1, BEAT)
    assert [a.id for a, _ in await alerts.claim_edits(window, killed, BEAT - LEASE, 10)] == [alert.id]
    assert [c.id for c in await chats.claim_due(now, killed, BEAT - LEASE)] == [1]
    assert await processes.take_lease("feed-polling", killed, BEAT, BEAT - LEASE)
    later = BEAT + 5
    await processes.mark_dead([killed])  # its pid gone from the host
    await processes.register("receiver", "h", 3, later)
    await processes.beat(worker, "worker", "h", 2, later, later - LEASE)
    assert [a.id for a, _ in await alerts.claim_edits(window, worker, later - LEASE, 10)] == [alert.id]
    assert [c.id for c in await chats.claim_due(now, worker, later - LEASE)] == [1]
    assert await processes.take_lease("feed-polling", worker, later, later - LEASE)


async def test_a_process_back_after_an_hour_asleep_shares_its_id_with_no_newcomer(db):
    """A worker whose machine slept over an hour is forgotten when the next process registers;
    awake, its heartbeat makes its row again.  The newcomer keeps an id of its own — on SQLite
    too, which handed out a forgotten row's id again — so neither takes the other's claims."""
    processes = ProcessRepository(db)
    asleep = await processes.register("worker", "h", 1, BEAT)
    awake = BEAT + 2 * 3600
    newcomer = await processes.register("worker", "h2", 2, awake)
    assert newcomer != asleep
    assert await processes.beat(asleep, "worker", "h", 1, awake + 1, awake - LEASE) == 2
    assert sorted(await processes.live(awake - LEASE)) == sorted([asleep, newcomer])


async def test_a_5000_byte_link_is_stored_once_and_found_for_an_article_and_a_source(db):
    """PostgreSQL's btree takes no entry over ~2,700 bytes, and a link of 2,048 characters (the
    most an article may have) in Arabic script is up to three times that in UTF-8: the
    uniqueness of links is kept on their md5 there (migration 0010)."""
    import random

    pick = random.Random(1)
    # Arabic letters (2 bytes in UTF-8) and presentation forms (3 bytes), in a random order:
    # no compression brings the entry under the limit.
    path = "".join(pick.choice((chr(pick.randrange(0x0621, 0x064B)), chr(pick.randrange(0xFB50, 0xFBB2)),
                                chr(pick.randrange(0xFB50, 0xFBB2)))) for _ in range(2020))
    url = "https://a.example.dz/" + path
    assert len(url.encode()) >= 5000
    sources, repo = SourceRepository(db), ArticleRepository(db)
    feed = await sources.add(url, first_poll=T0)
    assert feed is not None and await sources.add(url, first_poll=T0) is None
    (first,) = await repo.add_many([make_article(title="خبر برابط طويل", url=url, guid=url, source_id=feed.id)])
    assert first is not None and (await repo.get(first)).url == url
    assert await repo.add_many([make_article(title="عنوان آخر", url=url)]) == [None]  # the same link
    assert await repo.add_many([make_article(title="عنوان ثالث", guid=url, source_id=feed.id)]) == [None]  # its guid
    guid = url[:500]  # as make_article keeps it
    assert await repo.known_items(feed.id, [guid, guid + "x"], [url, url + "x"]) == ({guid}, {url})


@pytest.mark.parametrize("engine", ENGINES)
async def test_two_processes_claiming_edits_at_once_take_each_due_edit_once(engine, tmp_path):
    """Edits due are shared by processes (each its own connections): a claim is atomic, so no
    alert's message is edited by two of them."""
    if engine == "sqlite":
        path = str(tmp_path / "akhbar.db")
        await claims_apart([await open_database(None, path), await open_database(None, path)])
        return
    async with pg_schema() as url:
        await claims_apart([await open_database(url, ""), await open_database(url, "")])


async def claims_apart(processes: list[Database]) -> None:
    try:
        db, chat_ids = processes[0], range(1, 61)
        articles, alerts, chats = ArticleRepository(db), AlertRepository(db), ChatRepository(db)
        for chat_id in chat_ids:
            await chats.ensure(chat_id, type="private", title="", lang="ar", tz="Africa/Algiers", digest_time=time(7))
        (story,) = await articles.add_many([make_article(title="زلزال في الشرق", source="أ")], T0, owes_alerts=lambda *_: True)
        await alerts.expand(story, [NewAlert(chat_id, story, story, ("زلزال",)) for chat_id in chat_ids], T0)
        await alerts.record_sent([(alert.id, "sent", alert.id) for alert in await alerts.open()], T0)
        await articles.add_many([make_article(title="زلزال في الشرق ب", source="ب")], T0 + timedelta(minutes=1),
                                story_of=lambda *_: story, owes_alerts=lambda *_: True)
        now = T0 + timedelta(minutes=10)
        window = EditWindow(since=now - timedelta(hours=24), sent_before=now - timedelta(minutes=5),
                            edited_before=now - timedelta(hours=1))
        ids = [await ProcessRepository(p).register("worker", "h", n, BEAT) for n, p in enumerate(processes)]

        async def claimer(repository: AlertRepository, process_id: int) -> list[int]:
            taken: list[int] = []
            while claimed := await repository.claim_edits(window, process_id, BEAT - LEASE, 3):
                taken += [alert.id for alert, _ in claimed]
            return taken

        taken = await asyncio.gather(
            *(claimer(AlertRepository(p), process_id) for p, process_id in zip(processes, ids, strict=True) for _ in range(3))
        )
        everything = [alert_id for ids in taken for alert_id in ids]
        assert len(everything) == len(set(everything)) == len(chat_ids)
    finally:
        for process in processes:
            await process.close()
