"""`akhbar db copy --to`: every table of one engine's database into the other's, ids and all.

The copy holds what the source holds (articles with their topics, regions and stories,
sources, chats and their settings, subscriptions, follows, mutes, quiet hours, the delivery
log, counters, the alert outbox), finds the same articles by search, a second run adds nothing,
and the operator sees counts — and a progress bar when stderr is a terminal.
"""

from dataclasses import replace
from datetime import UTC, datetime, time, timedelta

import pytest

from bot.cli import _db
from bot.config import load_settings
from news.articles import make_article
from news.model import DeliveryOutcome, NewAlert, QuietHours
from news.repositories import StorageError
from news.search import parse_query
from storage.alerts import AlertRepository
from storage.articles import ArticleRepository
from storage.buttons import ButtonTextRepository
from storage.chats import ChatRepository
from storage.connect import open_database
from storage.copy import NOT_COPIED as LEFT_OUT
from storage.copy import TABLES
from storage.follows import FollowRepository
from storage.processes import ProcessRepository
from storage.sources import SourceRepository

from .conftest import pg_schema
from .test_progress import Terminal

T0 = datetime(2026, 11, 29, 6, 0, tzinfo=UTC)
# Every table of either engine's schema is copied, but those storage.copy names and the
# schema version (the target's own).
NOT_COPIED = {"akhbar_schema", "schema_version", *LEFT_OUT}


async def fill(db) -> None:
    """A little of everything the bot stores."""
    feed = await SourceRepository(db).add("https://a.example.dz/rss", title="أ", first_poll=T0, default_topic="economy")
    articles = ArticleRepository(db)
    ids = await articles.add_many(
        [
            make_article(title="أمطار رعدية على وهران", source="أ", topics=["weather"], source_id=feed.id, guid="g1"),
            make_article(title="سوناطراك تعلن اكتشافا غازيا جديدا", body="نص الخبر", source="ب"),
            make_article(title="مباراة ودية للخضر", url="https://b.example.dz/2", source="ب", topics=["sports"]),
        ],
        fetched_at=T0,
        owes_alerts=lambda *_: True,
    )
    await articles.set_hidden(ids[2], True)
    chats, follows, alerts = ChatRepository(db), FollowRepository(db), AlertRepository(db)
    for chat_id in (1, 2, -100):
        await chats.ensure(chat_id, type="group" if chat_id < 0 else "private", title="G" if chat_id < 0 else "",
                           lang="ar", tz="Africa/Algiers", digest_time=time(7))
    await chats.set_schedule(1, digest_times=(time(7), time(19, 30)), tz="Europe/Paris", next_due=T0)
    await chats.set_topics(1, ("sports", "economy"))
    await chats.set_lang(2, "fr")
    await chats.set_quiet(2, QuietHours(time(22), time(6)))
    await chats.set_subscribed(1, True, next_due=T0 + timedelta(days=1))
    await chats.set_subscribed(-100, True, next_due=T0, thread_id=7)
    await chats.mark_inactive(-100, "blocked")
    await follows.add(1, kind="words", text="سوناطراك", terms=("سوناطراك",))
    await follows.add(2, kind="topic", text="رياضة", terms=("sports",), mute=True)
    await chats.record_deliveries([DeliveryOutcome(1, "2026-11-29", T0, "sent", T0 + timedelta(days=1), message_ids=(11, 12))])
    # A digest sent by a process that died before recording it: the target records it.
    await chats.note_sent(7, [DeliveryOutcome(1, "2026-11-30", T0 + timedelta(days=1), "sent", T0 + timedelta(days=2), (13,))])
    await chats.bump("429", by=3)
    await ButtonTextRepository(db).remember(1, "search", "سوناطراك", keep=20)
    story = ids[1]
    stories = dict(await alerts.unexpanded())
    await alerts.expand(story, [NewAlert(1, stories[story], story, ("سوناطراك",))], T0)


async def snapshot(db) -> dict[str, list[tuple]]:
    """Every copied table's rows, in key order."""
    return {
        table: [tuple(row) for row in await db.fetch(f"SELECT * FROM {table} ORDER BY {', '.join(key)}")]
        for table, key in TABLES
    }


async def tables_of(db) -> set[str]:
    if db.dialect.name == "postgresql":
        rows = await db.fetch("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
    else:  # the FTS5 index's own tables are named after it; sqlite_sequence is SQLite's own
        rows = await db.fetch(
            "SELECT name FROM sqlite_master WHERE type = 'table' "
            "AND name NOT LIKE 'article_search_%' AND name != 'sqlite_sequence'"
        )
    return {row[0] for row in rows}


@pytest.mark.parametrize("direction", ["sqlite-to-postgresql", "postgresql-to-sqlite"])
async def test_a_copy_holds_everything_finds_the_same_articles_and_a_second_run_adds_nothing(tmp_path, capsys, direction):
    async with pg_schema() as url:
        sqlite_file = str(tmp_path / "akhbar.db")
        base = replace(load_settings({}), db_path=sqlite_file)
        if direction == "sqlite-to-postgresql":
            settings, target, source_url = base, url, None
        else:
            settings, target, source_url = replace(base, database_url=url), sqlite_file, url
        source = await open_database(source_url, sqlite_file)
        try:
            await fill(source)
            expected = await snapshot(source)
            assert set(dict(TABLES)) == await tables_of(source) - NOT_COPIED
        finally:
            await source.close()
        assert all(expected.values())  # every table has rows to copy

        assert await _db(settings, "copy", target) == 0
        first = capsys.readouterr().out
        assert "articles                  3 rows,          3 added" in first
        assert "search index: 3 articles indexed" in first and "copied " in first

        copy = await open_database(target if "://" in target else None, target)
        try:
            assert await snapshot(copy) == expected
            assert set(dict(TABLES)) == await tables_of(copy) - NOT_COPIED
            found = await ArticleRepository(copy).search(parse_query("سوناطراك"), 10)
            assert [a.title for a in found] == ["سوناطراك تعلن اكتشافا غازيا جديدا"]
        finally:
            await copy.close()

        assert await _db(settings, "copy", target) == 0
        second = capsys.readouterr().out
        assert "articles                  3 rows,          0 added" in second
        assert all(line.endswith(" 0 added") for line in second.splitlines()[1:-1]), second
        assert "search index: 0 articles indexed" in second
        copy = await open_database(target if "://" in target else None, target)
        try:
            assert await snapshot(copy) == expected
            # New rows get ids past the copied ones (PostgreSQL's sequences were moved on).
            more = await ArticleRepository(copy).add_many([make_article(title="خبر بعد النسخ", source="ج")])
            assert more[0] > max(row[0] for row in expected["articles"])
        finally:
            await copy.close()


async def test_work_a_source_process_held_is_held_by_nobody_in_the_copy(tmp_path, capsys):
    """A worker of the source died holding a due digest and an alert's edit; the copy has none
    of the source's processes, so nobody holds them there: the target's first worker takes the
    digest, even registered after a receiver (which never sends digests)."""
    source_file, target_file = str(tmp_path / "source.db"), str(tmp_path / "target.db")
    source = await open_database(None, source_file)
    try:
        await fill(source)
        await ChatRepository(source).set_subscribed(2, True, next_due=T0)
        killed = await ProcessRepository(source).register("worker", "h", 1, 1000.0)
        assert [c.id for c in await ChatRepository(source).claim_due(T0, killed, 990.0, chat_id=2)] == [2]
        await source.execute("UPDATE alerts SET edit_claimed_by = ?", (killed,))
    finally:
        await source.close()
    assert await _db(replace(load_settings({}), db_path=source_file), "copy", target_file) == 0
    capsys.readouterr()
    copy = await open_database(None, target_file)
    try:
        assert [tuple(row) for row in await copy.fetch("SELECT digest_claimed_by, alerts_claimed_by FROM chats")] == [
            (None, None)
        ] * 3
        assert [tuple(row) for row in await copy.fetch("SELECT edit_claimed_by FROM alerts")] == [(None,)]
        processes = ProcessRepository(copy)
        await processes.register("receiver", "h", 2, 2000.0)
        worker = await processes.register("worker", "h", 3, 2000.0)
        assert [c.id for c in await ChatRepository(copy).claim_due(T0, worker, 1990.0, chat_id=2)] == [2]
    finally:
        await copy.close()


async def test_a_target_with_articles_of_its_own_is_refused_and_left_as_it_was(tmp_path, capsys):
    """Copying into another bot's database would skip the source's articles whose ids are
    taken there and file their topics under that database's own: refused in one line.  A
    target an earlier copy made is copied into again, even after an unfollow and a new follow
    in the source."""
    source_file, other_file, copy_file = (str(tmp_path / name) for name in ("source.db", "other.db", "copy.db"))
    source = await open_database(None, source_file)
    try:
        await fill(source)
    finally:
        await source.close()
    other = await open_database(None, other_file)
    try:
        await ArticleRepository(other).add_many([make_article(title=f"خبر آخر رقم {n}", source="د") for n in range(3)])
        before = await snapshot(other)
    finally:
        await other.close()
    settings = replace(load_settings({}), db_path=source_file)
    # (`akhbar` prints it as "akhbar: --to: the target holds …", status 2, as every StorageError)
    with pytest.raises(StorageError, match=r"^--to: the target holds articles of its own \(id 1 is not the source's\)"):
        await _db(settings, "copy", other_file)
    other = await open_database(None, other_file)
    try:
        assert await snapshot(other) == before
    finally:
        await other.close()

    assert await _db(settings, "copy", copy_file) == 0
    source = await open_database(None, source_file)
    try:
        (follow,) = await FollowRepository(source).of_chat(2)  # the newest: its id is the highest
        assert await FollowRepository(source).remove(2, follow.id) is not None
        # … and a new follow, which SQLite gives the removed one's id again
        again = await FollowRepository(source).add(1, kind="words", text="تلمسان", terms=("تلمسان",))
        assert again.id == follow.id
    finally:
        await source.close()
    capsys.readouterr()
    assert await _db(settings, "copy", copy_file) == 0
    assert capsys.readouterr().err == ""


async def test_the_copy_shows_a_bar_per_table_on_a_terminal_and_nothing_in_a_pipe(tmp_path, capsys, monkeypatch):
    import sys

    source_file = str(tmp_path / "source.db")
    source = await open_database(None, source_file)
    try:
        await fill(source)
    finally:
        await source.close()
    settings = replace(load_settings({}), db_path=source_file)
    assert await _db(settings, "copy", str(tmp_path / "piped.db")) == 0
    assert capsys.readouterr().err == ""  # stderr is no terminal here
    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    assert await _db(settings, "copy", str(tmp_path / "shown.db")) == 0
    shown = terminal.getvalue()
    assert "articles: 100%" in shown and "3/3" in shown and "search index: 100%" in shown


@pytest.mark.parametrize("target", ["", "  "])
def test_an_empty_target_is_refused_in_one_line(cli_env, capsys, target):
    """Before, SQLite took "" for a temporary database: the copy went there, and vanished,
    and the command said it had copied everything (status 0)."""
    from bot.cli import main

    assert main(["db", "copy", "--to", target]) == 2
    captured = capsys.readouterr()
    assert captured.err == "akhbar: --to is empty: give a postgresql:// URL or a new SQLite file's path\n"
    assert captured.out == "" and not (cli_env / "akhbar.db").exists()  # refused before the source is opened
