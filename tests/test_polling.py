"""Polling sources end to end against a local server: new items stored once, full text for
summary-only items, backoff, auto-disable with the admins told once, OPML and the CLI."""

import asyncio
import hashlib
import re
import sqlite3
import threading
from datetime import UTC, datetime, timedelta

import pytest
from aiohttp import web

from bot.cli import main
from news.feeds import FeedFetcher
from news.ingest import Ingestor
from news.model import MAX_ERRORS
from news.polling import Poller
from news.workers import CpuWorkers
from storage.articles import ArticleRepository
from storage.sources import SourceRepository

from .conftest import ADMIN_ID, DATA, FakeClock

T0 = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)


def rss(base, items):
    body = "".join(
        f"<item><title>{title}</title><link>{base}{link}</link><guid>{guid}</guid>"
        f"<pubDate>Tue, 01 Dec 2026 07:00:00 +0100</pubDate><category>Sport</category>"
        f"<description>{summary}</description></item>"
        for title, link, guid, summary in items
    )
    return f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>وسيط نيوز</title>{body}</channel></rss>'


class FeedServer:
    """Feeds whose answers the test changes as it goes; counts what each path was asked."""

    def __init__(self):
        self.base = ""
        self.hits: dict[str, int] = {}
        self.open_now = self.most_open = 0
        # Documents served as they are at /doc/NAME, for tests that write their own feed.
        self.documents: dict[str, bytes] = {}
        self.items = [
            ("مولودية الجزائر تفوز بالكأس", "/article", "g1", "ملخص قصير."),
            ("شبيبة القبائل تتعادل في تيزي وزو", "/a/2", "g2", "نص طويل " * 80),
        ]

    def app(self):
        async def feed(request):
            self.hits["/feed"] = self.hits.get("/feed", 0) + 1
            text = rss(self.base, self.items)
            etag = f'"{hashlib.sha1(text.encode()).hexdigest()[:12]}"'  # changes with the items
            if request.headers.get("If-None-Match") == etag:
                return web.Response(status=304, headers={"ETag": etag})
            return web.Response(text=text, content_type="application/rss+xml", headers={"ETag": etag})

        async def dead(request):
            self.hits["/dead"] = self.hits.get("/dead", 0) + 1
            return web.Response(status=500)

        async def article(request):
            self.hits["/article"] = self.hits.get("/article", 0) + 1
            return web.Response(body=(DATA / "feeds" / "article-page.html").read_bytes(), content_type="text/html")

        async def slow(request):
            # A different small feed per path, answered after a pause: requests overlap.
            self.open_now += 1
            self.most_open = max(self.most_open, self.open_now)
            await asyncio.sleep(0.05)
            self.open_now -= 1
            n = request.match_info["n"]
            return web.Response(text=rss(self.base, [(f"خبر المصدر رقم {n}", f"/s/{n}", f"s{n}", "نص طويل " * 80)]),
                                content_type="application/rss+xml")

        async def document(request):
            body = self.documents.get(request.match_info["name"])
            if body is None:
                raise web.HTTPNotFound()
            return web.Response(body=body, content_type="application/rss+xml")

        app = web.Application()
        app.router.add_get("/doc/{name}", document)
        app.router.add_get("/slow/{n}.xml", slow)
        app.router.add_get("/feed.xml", feed)
        app.router.add_get("/dead.xml", dead)
        app.router.add_get("/article", article)
        return app


@pytest.fixture
def feeds(monkeypatch):
    """The server runs on its own thread and loop, so that sync CLI tests can use it too."""
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    server, ready, stop = FeedServer(), threading.Event(), None
    loop = asyncio.new_event_loop()

    async def serve():
        nonlocal stop
        runner = web.AppRunner(server.app(), shutdown_timeout=0.2)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        host, port = runner.addresses[0][:2]
        server.base = f"http://{host}:{port}"
        stop = asyncio.Event()
        ready.set()
        await stop.wait()
        await runner.cleanup()

    thread = threading.Thread(target=loop.run_until_complete, args=(serve(),), daemon=True)
    thread.start()
    ready.wait(5)
    yield server
    loop.call_soon_threadsafe(stop.set)
    thread.join(5)


@pytest.fixture(scope="module")
def workers():
    """One worker process for the module: every poll here parses and prepares there, as the bot does."""
    pool = CpuWorkers(1)
    yield pool
    asyncio.run(pool.close())


@pytest.fixture
async def poller(db, workers):
    clock = FakeClock(T0)
    async with FeedFetcher(timeout=5, workers=workers) as fetcher:
        yield Poller(SourceRepository(db), await Ingestor.open(ArticleRepository(db), now=T0), fetcher, clock=clock), clock


async def test_new_items_are_stored_once_with_full_text_for_summary_only_ones(feeds, poller, db):
    poller, clock = poller
    source = await poller.sources.add(f"{feeds.base}/feed.xml", title="وسيط", default_topic="sports", first_poll=T0)
    report = await poller.poll_due()
    assert [(r.status, r.found, r.added) for r in report.sources] == [("ok", 2, 2)]
    articles = await ArticleRepository(db).latest(10)
    short = next(a for a in articles if a.title.startswith("مولودية"))
    assert short.body.count("\n\n") >= 3 and "انقر هنا" not in short.body and "شكرا على الإبلاغ" not in short.body
    assert short.summary == "ملخص قصير." and short.source == "وسيط" and "sports" in short.topics
    assert feeds.hits["/article"] == 1  # only the summary-only item needed its page
    # Polled again: nothing new, no page fetched again.
    clock.now += timedelta(hours=1)
    again = await poller.poll([await poller.sources.get(source.id)])
    assert again.sources[0].added == 0 and feeds.hits["/article"] == 1
    # Republished under a new guid and a new link, same text: still stored once.
    title, _, _, summary = feeds.items[1]
    feeds.items[1] = (title, "/a/2-bis?utm_source=x", "g2-new", summary)
    third = await poller.poll([await poller.sources.get(source.id)])
    assert third.sources[0].added == 0
    assert await ArticleRepository(db).count() == 2


async def test_a_source_added_without_a_title_names_its_first_articles_by_the_feeds_title(feeds, poller, db):
    # `/addsource URL` gives no title: the first poll's articles were "127.0.0.1" (the host) for
    # good, the next polls' "وسيط نيوز" (the feed's title, learnt by that first poll).
    poller, clock = poller
    source = await poller.sources.add(f"{feeds.base}/feed.xml", first_poll=T0)
    await poller.poll_due()
    assert {a.source for a in await ArticleRepository(db).latest(10)} == {"وسيط نيوز"}
    assert (await poller.sources.get(source.id)).name == "وسيط نيوز"
    feeds.items.append(("وفاق سطيف يواصل التحضير", "/a/3", "g3", "نص طويل " * 80))
    clock.now += timedelta(hours=1)
    await poller.poll([await poller.sources.get(source.id)])
    assert {a.source for a in await ArticleRepository(db).latest(10)} == {"وسيط نيوز"}


async def test_a_batch_the_database_refuses_is_fetched_again_next_time_not_lost(feeds, poller, db):
    poller, clock = poller
    source = await poller.sources.add(f"{feeds.base}/feed.xml", title="وسيط", first_poll=T0)
    await db.conn.execute("PRAGMA query_only = ON")  # the disk turned read-only
    try:
        refused = await poller.poll_due()
    finally:
        await db.conn.execute("PRAGMA query_only = OFF")
    assert refused.sources[0].status == "error" and "cannot be written" in refused.sources[0].error
    assert (await poller.sources.get(source.id)).etag is None  # so the next poll is not a 304
    clock.now += timedelta(hours=1)
    again = await poller.poll([await poller.sources.get(source.id)])
    assert [(r.status, r.added) for r in again.sources] == [("ok", 2)]
    assert (await poller.sources.get(source.id)).etag is not None
    third = await poller.poll([await poller.sources.get(source.id)])
    assert third.sources[0].status == "not_modified"


async def test_a_failing_source_backs_off_then_is_disabled_and_reported_once(feeds, poller):
    poller, clock = poller
    source = await poller.sources.add(f"{feeds.base}/dead.xml", first_poll=T0)
    disabled_reports = []
    previous_wait = timedelta(0)
    for attempt in range(1, MAX_ERRORS + 3):
        report = await poller.poll_due()
        disabled_reports += report.newly_disabled
        state = await poller.sources.get(source.id)
        if attempt < MAX_ERRORS:
            wait = state.next_poll_at - clock.now
            assert state.errors == attempt and state.last_error == "HTTP 500" and wait >= previous_wait
            previous_wait = wait
        clock.now = max(clock.now, state.next_poll_at) + timedelta(seconds=1)
    assert feeds.hits["/dead"] == MAX_ERRORS  # disabled: never polled again
    assert [s.id for s in disabled_reports] == [source.id]
    assert (await poller.sources.get(source.id)).disabled_reason == "HTTP 500"
    await poller.sources.set_paused(source.id, False)  # an admin resumes it: a fresh start
    resumed = await poller.sources.get(source.id)
    assert resumed.disabled_reason is None and resumed.errors == 0


async def test_admins_are_told_once_when_a_source_is_disabled(world, feeds):
    from bot.polling import SourcePolling

    world.emu.add_user(user_id=ADMIN_ID, first_name="Admin", language_code="ar")
    clock = world.services.clock = FakeClock(T0)
    async with FeedFetcher(timeout=5) as fetcher:
        polling = SourcePolling(world.app.bot, world.services,
                                Poller(world.services.sources, world.services.ingestor, fetcher, clock=clock))
        source = await world.services.sources.add(f"{feeds.base}/dead.xml", first_poll=T0)
        for _ in range(MAX_ERRORS + 2):
            await polling.poll_once()
            clock.now = (await world.services.sources.get(source.id)).next_poll_at + timedelta(seconds=1)
    alerts = [m for m in world.emu.messages(ADMIN_ID) if "عُطّل المصدر" in m["text"]]
    assert len(alerts) == 1 and "HTTP 500" in alerts[0]["text"] and f"/resumesource {source.id}" in alerts[0]["text"]
    (listing,) = await world.ask(ADMIN_ID, "/sources")
    assert "معطّل: HTTP 500" in listing["text"]


@pytest.fixture
def env(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("AKHBAR_DB", str(tmp_path / "akhbar.db"))
    return tmp_path


def test_operator_manages_sources_and_fetches_from_the_command_line(env, feeds, capsys):
    assert main(["sources", "add", f"{feeds.base}/feed.xml", "--topic", "رياضة", "--title", "وسيط"]) == 0
    assert main(["sources", "add", "ftp://example.dz/feed"]) == 2
    assert "http(s)" in capsys.readouterr().err
    (env / "list.opml").write_text(
        f'<opml version="2.0"><body><outline text="Sport"><outline text="dead" xmlUrl="{feeds.base}/dead.xml"/>'
        f'<outline text="again" xmlUrl="{feeds.base}/feed.xml"/></outline></body></opml>', encoding="utf-8")
    assert main(["sources", "import", str(env / "list.opml")]) == 0
    assert "imported 1 new source of 2" in capsys.readouterr().out
    assert main(["fetch"]) == 0
    out = capsys.readouterr().out
    assert "2 new articles from 2 sources" in out and "HTTP 500" in out
    assert main(["sources", "list"]) == 0
    listing = capsys.readouterr().out
    assert "1 error: HTTP 500" in listing and "sports" in listing
    assert main(["sources", "export", "-o", str(env / "out.opml")]) == 0
    exported = (env / "out.opml").read_text(encoding="utf-8")
    assert f"{feeds.base}/feed.xml" in exported and 'category="sports"' in exported
    assert main(["sources", "remove", "2"]) == 0 and main(["sources", "remove", "2"]) == 2
    assert main(["fetch", "--source", "1"]) == 0
    assert "0 new articles from 1 source\n" in capsys.readouterr().out
    assert main(["sources", "add", f"{feeds.base}/dead.xml"]) == 0
    with sqlite3.connect(env / "akhbar.db") as db:  # as an admin's /pausesource leaves it
        db.execute("UPDATE sources SET paused = 1 WHERE url LIKE '%/dead.xml'")
    capsys.readouterr()
    assert main(["fetch"]) == 0
    out = capsys.readouterr().out
    assert "from 1 source\n" in out and "1 paused or disabled, not polled" in out


def test_sources_import_of_a_file_it_cannot_read_says_why_as_import_does(env, capsys):
    # Before: «akhbar: list.opml: [Errno 2] No such file or directory: 'list.opml'», «[Errno 21]
    # Is a directory», «'utf-8' codec can't decode byte 0xff in position 0: invalid start byte».
    (env / "saved-as-utf16.opml").write_text('<opml version="2.0"><body/></opml>', encoding="utf-16")
    said = {}
    for name in ("list.opml", str(env), "saved-as-utf16.opml"):
        assert main(["sources", "import", name]) == 2
        said[name] = [line for line in capsys.readouterr().err.splitlines() if line.startswith("akhbar:")]
    assert said == {
        "list.opml": ["akhbar: list.opml: no such file"],
        str(env): [f"akhbar: {env}: is a folder, not a file"],
        "saved-as-utf16.opml": ["akhbar: saved-as-utf16.opml: not UTF-8 text (byte 0); save it as UTF-8"],
    }


def test_sources_import_dash_reads_the_reading_list_from_standard_input(env, capsys, monkeypatch):
    # `curl …/list.opml | akhbar sources import -`, as `akhbar import -` reads standard input.
    # Before: "akhbar: -: [Errno 2] No such file or directory: '-'", status 2, nothing added.
    import io
    import sys

    opml = (
        '<opml version="2.0"><body><outline text="Sport">'
        '<outline text="هداف" xmlUrl="https://www.elheddaf.example/rss"/></outline></body></opml>'
    )
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(opml.encode("utf-8"))))
    assert main(["sources", "import", "-"]) == 0
    assert "imported 1 new source" in capsys.readouterr().out
    assert main(["sources", "list"]) == 0
    assert "https://www.elheddaf.example/rss\tهداف\tsports" in capsys.readouterr().out
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"not a reading list")))
    assert main(["sources", "import", "-"]) == 2
    assert capsys.readouterr().err.startswith("akhbar: <stdin>: not valid XML")
    # A file named "-" is ./-, as for `akhbar import`.
    (env / "-").write_text(opml.replace("elheddaf", "ennahar"), encoding="utf-8")
    assert main(["sources", "import", "./-"]) == 0
    assert "imported 1 new source" in capsys.readouterr().out


async def test_a_sources_own_boilerplate_lines_are_dropped_from_its_article_pages(feeds, poller, db):
    poller, _ = poller
    # Say this site ends every article with a line about exporters: it is the site's, not news.
    await poller.sources.add(f"{feeds.base}/feed.xml", first_poll=T0, boilerplate=("من جهتهم، يعول المصدرون",))
    await poller.poll_due()
    article = next(a for a in await ArticleRepository(db).latest(10) if a.title.startswith("مولودية"))
    assert "يعول المصدرون" not in article.body
    assert article.body.startswith("انطلق صباح اليوم") and article.body.count("\n\n") == 2


async def test_no_more_feeds_are_downloaded_at_once_than_the_poller_allows(feeds, db, workers):
    clock = FakeClock(T0)
    sources = SourceRepository(db)
    for n in range(12):
        await sources.add(f"{feeds.base}/slow/{n}.xml", first_poll=T0)
    async with FeedFetcher(timeout=5, workers=workers) as fetcher:
        poller = Poller(sources, await Ingestor.open(ArticleRepository(db), now=T0), fetcher, clock=clock, in_flight=3)
        report = await poller.poll_due()
    assert sorted((r.status, r.added) for r in report.sources) == [("ok", 1)] * 12
    assert feeds.most_open == 3


def broken_preparation(*args):
    """Stands for a bug, or a worker process that died, while articles are being made again."""
    raise RuntimeError("the preparation broke")


async def test_a_failure_after_the_download_is_that_sources_error_and_the_round_goes_on(feeds, poller, db, monkeypatch):
    poller, clock = poller
    # The first feed's summary-only item gets its page's text, and is made again with it: that breaks.
    monkeypatch.setattr("news.polling.prepare_items", broken_preparation)
    broken = await poller.sources.add(f"{feeds.base}/feed.xml", first_poll=T0)
    fine = await poller.sources.add(f"{feeds.base}/slow/1.xml", first_poll=T0)
    report = await poller.poll_due()
    outcome = {r.source.id: (r.status, r.error) for r in report.sources}
    assert outcome == {broken.id: ("error", "internal error: RuntimeError"), fine.id: ("ok", None)}
    state = await poller.sources.get(broken.id)
    assert state.errors == 1 and state.last_error == "internal error: RuntimeError" and state.next_poll_at > T0
    assert [a.title for a in await ArticleRepository(db).latest(10)] == ["خبر المصدر رقم 1"]


async def _poll_in_world(world, url: str):
    """`url` added as a source of the world's bot and polled once, as the bot polls."""
    async with FeedFetcher(timeout=5) as fetcher:
        poller = Poller(world.services.sources, world.services.ingestor, fetcher)
        source = await world.services.sources.add(url, first_poll=datetime.now(UTC))
        (report,) = (await poller.poll([source])).sources
    return report


async def test_a_stray_tag_in_a_feeds_title_never_reaches_a_reader(world, feeds):
    feeds.documents["tags.xml"] = (
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>صدى</title>'
        f"<item><title>خبر &lt;b&gt;</title><link>{feeds.base}/a/1</link><description>{'نص ' * 150}</description></item>"
        f"<item><title>&lt;i&gt;زلزال&lt;/i&gt; بجيجل &lt;/span&gt;</title><link>{feeds.base}/a/2</link>"
        f"<description>{'نص ' * 150}</description></item></channel></rss>"
    ).encode()
    report = await _poll_in_world(world, f"{feeds.base}/doc/tags.xml")
    assert (report.status, report.added) == ("ok", 2)
    reader = world.fresh_id()
    (listing,) = await world.ask(reader, "/latest")
    assert "خبر" in listing["text"] and "زلزال بجيجل" in listing["text"]
    assert "<" not in listing["text"] and ">" not in listing["text"]


def _one_item_rss(title: str, link: str, published: datetime) -> bytes:
    import email.utils

    return (
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>ساعة</title>'
        f"<item><title>{title}</title><link>{link}</link><guid>{link}</guid>"
        f"<pubDate>{email.utils.format_datetime(published)}</pubDate><description>{'نص ' * 150}</description></item>"
        "</channel></rss>"
    ).encode()


async def test_an_item_dated_2099_takes_its_place_in_latest_by_its_arrival(world, feeds):
    pinned = "خبر من موقع ساعته على سنة 2099"
    feeds.documents["future.xml"] = _one_item_rss(pinned, f"{feeds.base}/a/2099", datetime(2099, 1, 1, tzinfo=UTC))
    assert (await _poll_in_world(world, f"{feeds.base}/doc/future.xml")).added == 1
    # Then a real item, published after that one arrived (its clock a few minutes fast).
    fresh = "خبر نُشر بعد وصول الأول"
    feeds.documents["fresh.xml"] = _one_item_rss(fresh, f"{feeds.base}/a/fresh", datetime.now(UTC) + timedelta(minutes=5))
    assert (await _poll_in_world(world, f"{feeds.base}/doc/fresh.xml")).added == 1
    (listing,) = await world.ask(world.fresh_id(), "/latest")
    text = listing["text"]
    assert pinned in text and fresh in text
    assert text.index(fresh) < text.index(pinned)  # the newer news first, not the wrong clock
    # The date the feed claimed is kept for the record: /read says it is the source's.
    def read_command(title: str) -> str:
        (item,) = [item for item in text.split("\n\n") if title in item]
        return re.search(r"/read_\d+", item).group()

    (read,) = await world.ask(world.fresh_id(), read_command(pinned))
    assert "المصدر يؤرخه 01-01-2099 01:00" in read["text"]  # 00:00 UTC, in Algiers
    (believed,) = await world.ask(world.fresh_id(), read_command(fresh))
    assert "المصدر يؤرخه" not in believed["text"]


async def test_a_malformed_feed_is_stored_and_said_malformed_in_sources_until_it_is_fixed(world, feeds):
    world.emu.add_user(user_id=ADMIN_ID, first_name="Admin", language_code="ar")
    broken = (DATA / "feeds" / "malformed-ampersand.xml").read_bytes()
    feeds.documents["amp.xml"] = broken
    report = await _poll_in_world(world, f"{feeds.base}/doc/amp.xml")
    assert (report.status, report.added, report.malformed) == ("ok", 2, "not well-formed (invalid token)")
    (listing,) = await world.ask(ADMIN_ID, "/sources")
    assert "قُرئت بتسامح: not well-formed (invalid token)" in listing["text"]
    (source,) = [s for s in await world.services.sources.all() if s.url.endswith("/doc/amp.xml")]
    assert source.errors == 0 and source.last_ok_at is not None
    # The publisher escapes its "&": the next poll reads it well-formed, and the note goes.
    feeds.documents["amp.xml"] = broken.replace(b"&", b"&amp;")
    async with FeedFetcher(timeout=5) as fetcher:
        (report,) = (await Poller(world.services.sources, world.services.ingestor, fetcher).poll([source])).sources
    assert (report.status, report.malformed) == ("ok", None)
    (listing,) = await world.ask(ADMIN_ID, "/sources")
    assert "بتسامح" not in listing["text"] and "يعمل، آخر جلب ناجح" in listing["text"]
