"""The feed reader (news.feeds) against a real HTTP server on 127.0.0.1 with scripted behaviours.

The server records every request it gets, so conditional GETs and "no request at all" are
checked from its side, not taken on the fetcher's word.
"""

from __future__ import annotations

import asyncio
import email.utils
import json
import socket
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from aiohttp import web

from news.boilerplate import AGGREGATOR_BOILERPLATE
from news.feeds import (
    FeedError,
    FeedFetcher,
    FeedItem,
    decode_feed_bytes,
    html_to_text,
    normalize_url,
    parse_feed,
)
from news.feeds.encoding import looks_like_latin_mojibake
from news.feeds.fetcher import parse_retry_after
from news.feeds.scraper import extract_article_text

FEEDS = Path(__file__).parent / "data" / "feeds"
MB = 1_000_000
HUGE = 50 * MB
CHUNK = b"x" * 65_536
ETAG = '"v1-48213"'
LAST_MODIFIED = "Tue, 14 Oct 2025 08:45:00 GMT"
LATIN_MOJIBAKE_RANGE = range(0xC0, 0x100)

CP1256_TITLES = [
    "الجزائر تحتضن القمة الإفريقية للطاقات المتجددة",
    "وهران: تشغيل الخط الجديد للترامواي نحو بئر الجير",
]
ARTICLE_PARAGRAPHS = [
    "انطلق صباح اليوم الثلاثاء موسم جني التمور بولاية بسكرة، وسط توقعات مصالح الفلاحة بتجاوز الإنتاج"
    " هذا العام عتبة خمسة ملايين قنطار، بفضل الظروف المناخية الملائمة التي عرفتها المنطقة خلال فصل الربيع.",
    "وأوضح مدير المصالح الفلاحية للولاية، في تصريح للصحافة، أن صنف دقلة نور يمثل أكثر من نصف المحصول"
    " المنتظر، مشيرا إلى أن الواحات الممتدة من طولقة إلى سيدي عقبة تشهد حركية كبيرة منذ الساعات الأولى من النهار.",
    "ويأمل المنتجون في أن تسمح غرف التبريد الجديدة التي دخلت حيز الخدمة بمنطقة أوماش بتخزين كميات أكبر من"
    " التمور، وتفادي تذبذب الأسعار الذي تعرفه السوق في بداية كل موسم.",
    "من جهتهم، يعول المصدرون على ارتفاع الطلب في الأسواق الأوروبية والإفريقية، حيث تسعى الولاية إلى رفع"
    " حجم صادراتها من التمور خلال الموسم الحالي مقارنة بالموسم الماضي.",
]


# ---------------------------------------------------------------- the local server


@dataclass
class Server:
    base: str = ""
    requests: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    flaky_calls: int = 0
    huge_written: int = 0
    huge_done: asyncio.Event = field(default_factory=asyncio.Event)
    slow_answered: bool = False

    def url(self, path: str) -> str:
        return f"{self.base}{path}"

    def requests_to(self, path: str) -> list[dict[str, str]]:
        return [headers for requested, headers in self.requests if requested == path]


def _fixture(name: str) -> bytes:
    return (FEEDS / name).read_bytes()


def _build_app(server: Server) -> web.Application:
    @web.middleware
    async def record(request: web.Request, handler):
        server.requests.append((request.path, dict(request.headers)))
        return await handler(request)

    async def feed_file(request: web.Request) -> web.Response:
        name = request.match_info["name"]
        if not (FEEDS / name).is_file():
            raise web.HTTPNotFound()
        kind = "application/feed+json" if name.endswith(".json") else "application/rss+xml"
        # No charset: the document's own declaration (or the repair) must do the work.
        return web.Response(body=_fixture(name), headers={"Content-Type": kind})

    async def http_charset_only(request: web.Request) -> web.Response:
        # cp1256 bytes whose prolog names no encoding: only the HTTP header tells.
        body = _fixture("rss-1256-declared.xml").replace(b' encoding="windows-1256"', b"")
        return web.Response(body=body, headers={"Content-Type": "application/rss+xml; charset=windows-1256"})

    async def conditional(request: web.Request) -> web.Response:
        validators = {"ETag": ETAG, "Last-Modified": LAST_MODIFIED}
        if request.headers.get("If-None-Match") == ETAG:
            return web.Response(status=304, headers=validators)
        return web.Response(body=_fixture("rss2-ar.xml"), headers={"Content-Type": "application/rss+xml", **validators})

    async def flaky(request: web.Request) -> web.Response:
        server.flaky_calls += 1
        if server.flaky_calls == 1:
            return web.Response(status=500, text="Internal Server Error")
        return web.Response(body=_fixture("rss2-ar.xml"), headers={"Content-Type": "application/rss+xml"})

    async def busy(request: web.Request) -> web.Response:
        return web.Response(status=429, text="slow down", headers={"Retry-After": "120"})

    async def busy_until(request: web.Request) -> web.Response:
        when = email.utils.format_datetime(datetime.now(UTC) + timedelta(seconds=120), usegmt=True)
        return web.Response(status=503, text="maintenance", headers={"Retry-After": when})

    async def loop(request: web.Request) -> web.Response:
        raise web.HTTPFound("/loop")

    async def moved(request: web.Request) -> web.Response:
        raise web.HTTPMovedPermanently("/feeds/rss2-ar.xml")

    async def to_ftp(request: web.Request) -> web.Response:
        raise web.HTTPFound("ftp://files.example.dz/feed.xml")

    async def huge(request: web.Request) -> web.StreamResponse:
        # 50 MB generated chunk by chunk: the server never holds it, and counts what it sent.
        response = web.StreamResponse(headers={"Content-Type": "application/rss+xml"})
        # A small send buffer, so that "bytes written" is close to "bytes the client took".
        request.transport.get_extra_info("socket").setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 65_536)
        if request.query.get("declared"):
            response.content_length = HUGE
        await response.prepare(request)
        try:
            while server.huge_written < HUGE:
                await response.write(CHUNK)
                server.huge_written += len(CHUNK)
            await response.write_eof()
        except ConnectionError:  # the client hung up: what we wanted
            pass
        finally:
            server.huge_done.set()
        return response

    async def slow(request: web.Request) -> web.Response:
        await asyncio.sleep(60)  # longer than any test runs; cancelled when the client hangs up
        server.slow_answered = True
        return web.Response(body=_fixture("rss2-ar.xml"))

    async def article(request: web.Request) -> web.Response:
        return web.Response(body=_fixture("article-page.html"), headers={"Content-Type": "text/html; charset=utf-8"})

    app = web.Application(middlewares=[record])
    app.router.add_get("/feeds/{name}", feed_file)
    app.router.add_get("/http-charset", http_charset_only)
    app.router.add_get("/conditional", conditional)
    app.router.add_get("/flaky", flaky)
    app.router.add_get("/busy", busy)
    app.router.add_get("/busy-until", busy_until)
    app.router.add_get("/loop", loop)
    app.router.add_get("/moved", moved)
    app.router.add_get("/to-ftp", to_ftp)
    app.router.add_get("/huge", huge)
    app.router.add_get("/slow", slow)
    app.router.add_get("/article", article)
    return app


@pytest.fixture(autouse=True)
def _no_proxy(monkeypatch):
    # A proxy from the environment would swallow requests meant for 127.0.0.1.
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
async def server():
    state = Server()
    # Handlers are cancelled when the client hangs up (the slow one must not outlive its test).
    runner = web.AppRunner(_build_app(state), handler_cancellation=True, shutdown_timeout=0.5, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    host, port = runner.addresses[0][:2]
    state.base = f"http://{host}:{port}"
    yield state
    await runner.cleanup()


@pytest.fixture
async def fetcher():
    async with FeedFetcher(timeout=5) as feed_fetcher:
        yield feed_fetcher


def _all_text(item: FeedItem) -> str:
    return "\n".join((item.title, item.summary, item.body, *item.categories))


# ---------------------------------------------------------------- formats


async def test_rss2_arabic(server, fetcher):
    result = await fetcher.fetch(server.url("/feeds/rss2-ar.xml"))

    assert result.status == "ok", result.error
    assert result.http_status == 200 and result.error is None
    assert result.feed_title == "الوسيط نيوز - آخر الأخبار"
    assert len(result.items) == 3
    first, second, third = result.items
    assert first.title == "الحكومة تصادق على مشروع قانون المالية لسنة 2026"
    assert first.url == "https://www.wassit-news.dz/watani/48213"
    assert first.guid == "https://www.wassit-news.dz/?p=48213"
    # 09:30 at +01:00 (Algiers) is 08:30 UTC.
    assert first.published_at == datetime(2025, 10, 14, 8, 30, tzinfo=UTC)
    assert first.published_at.utcoffset() == timedelta(0)
    assert first.categories == ("وطني", "اقتصاد")
    assert first.lang == "ar"
    assert first.summary == "صادق اجتماع الحكومة على مشروع قانون المالية لسنة 2026 قبل عرضه على مجلس الوزراء."
    assert first.body.split("\n\n") == [
        "صادق اجتماع الحكومة، برئاسة الوزير الأول، على مشروع قانون المالية لسنة 2026 قبل عرضه على مجلس الوزراء.",
        "ويتضمن المشروع إجراءات لدعم القدرة الشرائية وتخفيف العبء الضريبي على المؤسسات الناشئة.",
        "كما يقترح النص رفع ميزانية التجهيز الموجهة لولايات الجنوب والهضاب العليا.",
    ]
    assert second.categories == ("مجتمع", "طقس")  # <category> and <dc:subject>
    assert second.published_at == datetime(2025, 10, 14, 7, 5, tzinfo=UTC)
    assert second.body == ""  # no content:encoded: no full text
    assert third.published_at == datetime(2025, 10, 13, 21, 45, tzinfo=UTC)
    assert all(item.lang == "ar" for item in result.items)


async def test_atom_arabic(server, fetcher):
    result = await fetcher.fetch(server.url("/feeds/atom-ar.xml"))

    assert result.status == "ok", result.error
    assert result.feed_title == "المصدر الجزائري"
    energy, books, olives = result.items
    assert energy.title == "سوناطراك توقع اتفاقا جديدا لتزويد إيطاليا بالغاز"  # <b> stripped
    # A relative href, resolved against the feed's xml:base.
    assert energy.url == "https://www.elmasdar-dz.com/iqtisad/sonatrach-italie-7781"
    assert energy.guid == "tag:elmasdar-dz.com,2025:7781"
    assert energy.published_at == datetime(2025, 10, 14, 10, 20, tzinfo=UTC)  # published, not updated
    assert energy.categories == ("اقتصاد", "طاقة")
    assert energy.summary == "وقعت سوناطراك اتفاقا يرفع الكميات المصدرة نحو إيطاليا عبر أنبوب ترانسميد."
    assert energy.body == (
        "وقعت الشركة الوطنية سوناطراك، اليوم الثلاثاء، اتفاقا جديدا مع شريكها الإيطالي.\n\n"
        "ويرفع الاتفاق الكميات المصدرة عبر أنبوب ترانسميد ابتداء من السنة المقبلة."
    )
    assert energy.lang == "ar"  # xml:lang="ar-DZ" on the feed
    assert books.published_at == datetime(2025, 10, 14, 8, 0, tzinfo=UTC)  # only <updated>
    assert books.summary == "يشارك في المعرض أكثر من 200 دار نشر من 15 دولة."
    assert olives.lang == "fr"  # the entry's own xml:lang
    assert olives.published_at == datetime(2025, 10, 13, 15, 30, tzinfo=UTC)


async def test_json_feed(server, fetcher):
    result = await fetcher.fetch(server.url("/feeds/jsonfeed.json"))

    assert result.status == "ok", result.error
    assert result.feed_title == "أنباء الهضاب"
    housing, university, tramway = result.items
    assert housing.title == "تسليم 1200 وحدة سكنية بصيغة البيع بالإيجار في سطيف"
    assert housing.url == "https://www.anbaa-hidab.dz/p/9120"  # utm_* dropped
    assert housing.guid == "https://www.anbaa-hidab.dz/p/9120"
    assert housing.categories == ("سكن", "سطيف")
    assert housing.published_at == datetime(2025, 10, 14, 9, 15, tzinfo=UTC)
    assert housing.summary.startswith("سلمت السلطات المحلية")
    assert housing.body.split("\n\n") == [
        "أشرف والي سطيف، صباح اليوم، على تسليم مفاتيح 1200 وحدة سكنية بصيغة البيع بالإيجار.",
        "وتندرج العملية ضمن برنامج يشمل 5000 وحدة في الولاية.",
    ]
    assert "trackView" not in housing.body
    assert housing.lang == "ar"
    assert university.url == server.url("/p/9118")  # relative to where the feed was found
    assert university.published_at == datetime(2025, 10, 13, 16, 0, tzinfo=UTC)  # date_modified
    assert university.body == "حلت جامعة باتنة 2 في المرتبة الأولى وطنيا.\n\nويعتمد التصنيف على عدد المنشورات العلمية."
    assert tramway.guid == "9117"  # a numeric id, as text
    assert tramway.lang == "fr"


def test_json_feed_detected_by_its_body_whatever_the_content_type():
    title, items = parse_feed(_fixture("jsonfeed.json"), "text/plain")
    assert title == "أنباء الهضاب" and len(items) == 3
    with pytest.raises(FeedError, match="not a feed: JSON without a JSON Feed version"):
        parse_feed(b'{"title": "x", "items": []}', "application/json")


# ---------------------------------------------------------------- encodings


@pytest.mark.parametrize(
    ("path", "prolog"),
    [
        ("/feeds/rss-1256-declared.xml", b'encoding="windows-1256"'),
        ("/feeds/rss-1256-as-utf8.xml", b'encoding="UTF-8"'),
        ("/feeds/rss-1256-as-latin1.xml", b'encoding="ISO-8859-1"'),
        ("/http-charset", None),
    ],
)
async def test_windows_1256_gives_arabic(server, fetcher, path, prolog):
    if prolog:
        raw = _fixture(path.removeprefix("/feeds/"))
        assert prolog in raw.splitlines()[0]
        with pytest.raises(UnicodeDecodeError):
            raw.decode("utf-8")  # really cp1256 bytes, whatever the prolog says
        assert CP1256_TITLES[0] in raw.decode("cp1256")

    result = await fetcher.fetch(server.url(path))

    assert result.status == "ok", result.error
    assert [item.title for item in result.items] == CP1256_TITLES
    assert result.feed_title == "جريدة الغرب الجزائري"
    assert result.items[1].summary == "دخل «الخط الجديد» حيز الخدمة بعد أشهر من التجارب التقنية."
    assert result.items[0].categories == ("اقتصاد",)
    texts = [result.feed_title, *(_all_text(item) for item in result.items)]
    assert not [ch for text in texts for ch in text if ord(ch) in LATIN_MOJIBAKE_RANGE]


def test_decoding_keeps_real_latin_text_and_repairs_mojibake():
    french = "Les élèves de Béjaïa déjà à l'école, été comme hiver"
    assert decode_feed_bytes(french.encode("latin-1"), "iso-8859-1") == french
    assert decode_feed_bytes(french.encode("latin-1"), "utf-8") == french  # mislabelled, not Arabic
    assert not looks_like_latin_mojibake(french)
    arabic = "الجزائر العاصمة"
    assert looks_like_latin_mojibake(arabic.encode("cp1256").decode("latin-1"))  # "ÇáÌÒÇÆÑ ÇáÚÇÕãÉ"
    # cp1256 read as Latin-1 and stored as UTF-8 (the feed itself carries the mojibake).
    assert decode_feed_bytes(arabic.encode("cp1256").decode("latin-1").encode("utf-8"), None) == arabic
    # UTF-8 read as cp1256 and stored as UTF-8 ("ط§ظ„ط¬ط²ط§ط¦ط±").
    assert decode_feed_bytes(arabic.encode("utf-8").decode("cp1256").encode("utf-8"), None) == arabic
    # Valid UTF-8 wins over a label that says windows-1256; a BOM wins over everything.
    assert decode_feed_bytes(arabic.encode("utf-8"), "windows-1256") == arabic
    assert decode_feed_bytes(b"\xef\xbb\xbf" + arabic.encode("utf-8"), "iso-8859-1") == arabic
    # One truncated character does not turn a UTF-8 feed into cp1256.
    damaged = arabic.encode("utf-8")[:-1] + b" " + arabic.encode("utf-8")
    assert decode_feed_bytes(damaged, "utf-8").endswith(arabic)


# ---------------------------------------------------------------- HTML in fields


async def test_html_stripped_from_titles_and_descriptions(server, fetcher):
    result = await fetcher.fetch(server.url("/feeds/html-titles.xml"))

    assert result.status == "ok", result.error
    assert result.feed_title == "صدى الولايات & الجهات"
    urgent, ambassador, video = result.items
    assert urgent.title == "عاجل: وزير الداخلية يحل بولاية تمنراست في زيارة عمل"
    # &nbsp; and &#1575; (ا) decoded, <b> and <img> gone.
    assert urgent.summary == "يشرف الوزير على تدشين مشاريع تنموية في عين صالح والمنيعة."
    assert ambassador.title == 'رئيس الجمهورية يستقبل سفير "الاتحاد الأوروبي" & الوفد المرافق له'
    assert ambassador.summary == "تناول اللقاء الشراكة بين الجزائر والاتحاد الأوروبي.\n\nوآفاق التعاون الاقتصادي."
    assert video.title == "فيديو | انهيار جزئي لبناية قديمة في القصبة دون خسائر بشرية"
    assert video.summary == "تدخلت وحدات الحماية المدنية\nلإجلاء العائلات القاطنة."
    everything = "\n".join(_all_text(item) for item in result.items)
    for leak in ("<", ">", "اختراق", "document.write", "alert", "xss", "color", "صورة الوزير", "&nbsp;", "&#"):
        assert leak not in everything


@pytest.mark.parametrize(
    ("html", "text"),
    [
        ("<p>أ<br>ب</p><p>ج &amp; د&nbsp;&nbsp;ه &#1575;&#x644;</p>", "أ\nب\n\nج & د ه ال"),
        ("<ul><li>واحد</li><li>اثنان</li></ul>بعد", "واحد\nاثنان\n\nبعد"),
        ("<h2>عنوان</h2><blockquote>قول</blockquote><div>نص</div>", "عنوان\n\nقول\n\nنص"),
        ("<script>alert(1)</script><style>p{}</style>نص", "نص"),
        ("<script/>alert(1)</script>نص", "نص"),
        ("<b>غير <i>مغلق <div>كتلة</p></b>", "غير مغلق\n\nكتلة"),
        ("<script>لا نهاية", ""),
        ("سطر\nفي   المصدر", "سطر في المصدر"),
        ("a < b & c", "a < b & c"),
        ("<img src=x onerror=alert(1)>صورة", "صورة"),
        ("<<<>>>&&&;</</", "<<<>>>&&&;</</"),
        ("", ""),
    ],
)
def test_html_to_text(html, text):
    assert html_to_text(html) == text


# ---------------------------------------------------------------- not feeds


async def test_broken_feed_is_an_error(server, fetcher):
    result = await fetcher.fetch(server.url("/feeds/broken.xml"))

    assert result.status == "error"
    assert result.error.startswith("not a feed")
    assert result.http_status == 200 and result.items == ()


async def test_html_page_is_not_a_feed(server, fetcher):
    result = await fetcher.fetch(server.url("/feeds/article-page.html"))
    assert result.status == "error"
    assert result.error.startswith("not a feed")


def test_parse_feed_errors():
    with pytest.raises(FeedError, match="not a feed: empty document"):
        parse_feed(b"  \n")
    with pytest.raises(FeedError, match="not a feed"):
        parse_feed(_fixture("broken.xml"), "application/rss+xml")
    # Broken after a complete item: accepted, as real feeds often are.
    truncated = _fixture("rss2-ar.xml").split(b"</item>")[0] + b"</item><item><title>"
    title, items = parse_feed(truncated)
    assert [item.title for item in items] == ["الحكومة تصادق على مشروع قانون المالية لسنة 2026"]
    # A well-formed feed with no items is a feed.
    assert parse_feed('<rss version="2.0"><channel><title>فارغ</title></channel></rss>'.encode()) == ("فارغ", [])


def test_a_stray_tag_in_a_title_is_removed_and_entities_are_decoded_once():
    rss = (
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>صدى &lt;i&gt;الولايات</title>'
        "<item><title>خبر &lt;b&gt;</title><link>https://site.dz/1</link></item>"
        "<item><title>&lt;/span&gt;عاجل: &lt;b&gt;زلزال&lt;/b&gt; بجيجل &lt;img src=x&gt;</title><link>https://site.dz/2</link></item>"
        "<item><title>أسعار &lt; 100 دينار</title><link>https://site.dz/3</link></item>"
        "</channel></rss>"
    )
    title, items = parse_feed(rss.encode())
    assert title == "صدى الولايات"
    # Markup gone, balanced or not; "< 100" is no tag.
    assert [item.title for item in items] == ["خبر", "عاجل: زلزال بجيجل", "أسعار < 100 دينار"]
    atom = (
        '<feed xmlns="http://www.w3.org/2005/Atom"><title type="html">t</title>'
        '<entry><title type="html">خبر &amp;lt;b&amp;gt; &amp;amp; AT&amp;amp;amp;T</title><id>urn:1</id></entry></feed>'
    )
    # The HTML's entities decoded once (by its reading as HTML): the tag they spell is removed,
    # and an entity written escaped stays as written.
    assert [item.title for item in parse_feed(atom.encode())[1]] == ["خبر & AT&amp;T"]
    json_feed = '{"version": "https://jsonfeed.org/version/1.1", "title": "t <b>", "items": [{"id": "1", "title": "خبر <b"}, {"id": "2", "title": "خبر </b>"}]}'
    title, items = parse_feed(json_feed.encode())
    assert title == "t" and [item.title for item in items] == ["خبر <b", "خبر"]


@pytest.mark.parametrize(
    ("name", "reason", "titles"),
    [
        # An "&" left unescaped in every link (a CMS's query strings), and in a description.
        ("malformed-ampersand.xml", "not well-formed (invalid token)",
         ["افتتاح سوق الجملة للخضر والفواكه بالوادي", "حملة تطوعية لغرس ألف نخلة في بلدية الرقيبة"]),
        # The last description's CDATA section never closed.
        ("malformed-cdata.xml", "unclosed CDATA section",
         ["تساقط الثلوج يقطع الطريق الوطني رقم 75 بسطيف", "توزيع مئة وحدة سكنية اجتماعية في العلمة"]),
        # atom:, dc: and media: used without their xmlns declarations.
        ("malformed-namespace.xml", "unbound prefix",
         ["انطلاق موسم جني التمور في طولقة", "ورقلة: استلام محطة جديدة لتحلية المياه"]),
    ],
)
async def test_a_malformed_feed_is_read_leniently_and_said_to_be_malformed(server, fetcher, name, reason, titles):
    from news.feeds.prepare import SourceDefaults

    result = await fetcher.fetch(server.url(f"/feeds/{name}"), prepare_for=SourceDefaults(name="s", lang="ar"))
    assert result.status == "ok", result.error
    assert result.malformed == reason
    assert [item.title for item in result.items] == titles
    assert [article.title for article in result.articles] == titles  # each one can be stored
    if name == "malformed-ampersand.xml":
        assert result.items[0].url == "https://www.eloued-news.dz/index.php?option=com_content&view=article&id=5521"
        assert "صباح اليوم & يرتقب" in result.items[0].summary
    # A well-formed feed is not.
    assert (await fetcher.fetch(server.url("/feeds/rss2-ar.xml"))).malformed is None


@pytest.mark.parametrize("name", ["utf16le-no-bom.xml", "utf16be-no-bom.xml", "utf32le-no-bom.xml", "utf32be-no-bom.xml"])
async def test_utf16_and_utf32_without_a_byte_order_mark_are_read(server, fetcher, name):
    result = await fetcher.fetch(server.url(f"/feeds/{name}"))
    assert result.status == "ok", result.error
    assert result.feed_title == "جريدة الساحل" and result.malformed is None
    (item,) = result.items
    assert item.title == "ميناء جيجل يستقبل أول باخرة للمسافرين هذا الموسم"
    assert item.summary == "وصلت الباخرة على متنها ستمئة مسافر قادمين من مرسيليا."


def test_wide_encodings_are_told_from_utf8_by_their_nuls():
    from news.feeds.encoding import wide_encoding

    json_feed = '{"version": "https://jsonfeed.org/version/1.1", "title": "الساحل", "items": [{"id": "1", "title": "خبر"}]}'
    for codec in ("utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"):
        assert wide_encoding(json_feed.encode(codec)) == codec
        assert parse_feed(json_feed.encode(codec)) == ("الساحل", [FeedItem("خبر", None, "1", "", "", None, (), None)])
    for text in ('<?xml version="1.0"?><rss/>', "الجزائر", "", "<a"):
        assert wide_encoding(text.encode("utf-8")) is None
    assert wide_encoding("plain words".encode("utf-16-le")) is None  # NULs, but no document starts so


def test_an_unreadable_date_is_none_without_feedparsers_deprecation_warning():
    import warnings

    rss = (
        '<rss version="2.0"><channel><title>t</title><item><title>خبر</title><pubDate>أمس مساء</pubDate></item>'
        "<item><title>آخر</title><pubDate>Tue, 14 Oct 2025 08:30:00 +0100</pubDate></item></channel></rss>"
    )
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        _, items = parse_feed(rss.encode())
    assert [item.published_at for item in items] == [None, datetime(2025, 10, 14, 7, 30, tzinfo=UTC)]
    assert [str(w.message) for w in caught] == []


@pytest.mark.parametrize("zero", ["0001-01-01T00:00:00Z", "0001-01-02T00:00:00Z", "1899-12-31T23:59:59Z", "9999-12-31T23:59:59Z"])
def test_a_date_no_news_has_is_none_in_every_kind_of_feed(zero):
    """Go's and .NET's zero time (and the like) stands for no date: the item is stored as
    published when it arrived.  Before, year 1 reached the story matcher, whose OverflowError
    failed the storing of all the feed's items, poll after poll, until the source was disabled."""
    moment = datetime.fromisoformat(zero)
    rss = (
        '<rss version="2.0"><channel><title>t</title><item><title>خبر</title>'
        f"<pubDate>{email.utils.format_datetime(moment)}</pubDate></item></channel></rss>"
    )
    atom = (
        '<feed xmlns="http://www.w3.org/2005/Atom"><title>t</title><entry><title>خبر</title><id>1</id>'
        f"<updated>{zero}</updated></entry></feed>"
    )
    json_feed = {"version": "https://jsonfeed.org/version/1.1", "title": "t", "items": [{"id": "1", "title": "خبر", "date_published": zero}]}
    for document in (rss.encode(), atom.encode(), json.dumps(json_feed).encode()):
        _, (item,) = parse_feed(document)
        assert item.published_at is None


def test_a_json_feed_with_a_number_too_long_to_read_is_not_a_feed():
    # Before: ValueError ("Exceeds the limit (4300 digits)"), which no caller expects of a feed.
    document = b'{"version": "https://jsonfeed.org/version/1.1", "title": "t", "items": [], "n": ' + b"9" * 5000 + b"}"
    with pytest.raises(FeedError, match=r"^not a feed: invalid JSON \(a number of more than 4300 digits\)$"):
        parse_feed(document, "application/feed+json")


def test_rss_1_0_is_read():
    rdf = (
        b'<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
        b'xmlns="http://purl.org/rss/1.0/"><channel rdf:about="x"><title>t</title></channel>'
        b'<item rdf:about="https://site.dz/1"><title>a</title><link>https://site.dz/1</link></item></rdf:RDF>'
    )
    title, items = parse_feed(rdf)
    assert title == "t" and [(item.title, item.url) for item in items] == [("a", "https://site.dz/1")]


def test_plain_rss_feed_of_many_items():
    start = datetime(2025, 10, 14, tzinfo=UTC)
    items = "".join(
        f"<item><title>خبر {n}</title><link>https://site.dz/a/{n}?utm_source=rss</link><guid>n-{n}</guid>"
        f"<pubDate>{email.utils.format_datetime(start + timedelta(minutes=n))}</pubDate>"
        f"<category>أخبار</category><description>الجزائر &amp; وهران {n}</description></item>"
        for n in range(50)
    )
    document = f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>مصدر</title>{items}</channel></rss>'
    title, parsed = parse_feed(document.encode())
    assert title == "مصدر" and len(parsed) == 50
    seventh = parsed[7]
    assert (seventh.title, seventh.url, seventh.guid) == ("خبر 7", "https://site.dz/a/7", "n-7")
    assert seventh.published_at == start + timedelta(minutes=7)
    assert seventh.summary == "الجزائر & وهران 7" and seventh.categories == ("أخبار",)


# ---------------------------------------------------------------- HTTP behaviour


async def test_request_headers(server, fetcher):
    await fetcher.fetch(server.url("/feeds/rss2-ar.xml"))
    (headers,) = server.requests_to("/feeds/rss2-ar.xml")
    assert headers["User-Agent"] == "Akhbar/0.1 (+https://github.com/akhbar)"
    assert headers["Accept"] == (
        "application/rss+xml, application/atom+xml, application/feed+json, application/xml;q=0.9, */*;q=0.8"
    )
    assert "If-None-Match" not in headers and "If-Modified-Since" not in headers


async def test_second_poll_is_a_304(server, fetcher):
    first = await fetcher.fetch(server.url("/conditional"))
    assert first.status == "ok" and len(first.items) == 3
    assert (first.etag, first.last_modified) == (ETAG, LAST_MODIFIED)

    second = await fetcher.fetch(server.url("/conditional"), etag=first.etag, last_modified=first.last_modified)

    # The server saw the validators it handed out, and answered 304 without a body.
    initial, conditional = server.requests_to("/conditional")
    assert "If-None-Match" not in initial
    assert conditional["If-None-Match"] == ETAG
    assert conditional["If-Modified-Since"] == LAST_MODIFIED
    assert second.status == "not_modified"
    assert second.http_status == 304 and second.items == () and second.error is None
    assert (second.etag, second.last_modified) == (ETAG, LAST_MODIFIED)


async def test_304_keeps_the_given_validators_when_it_carries_none():
    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(304)

    async with httpx.AsyncClient(transport=httpx.MockTransport(answer)) as client:
        result = await FeedFetcher(client).fetch("https://feeds.example.dz/rss", etag='"a"', last_modified="yesterday")
    assert (result.status, result.etag, result.last_modified) == ("not_modified", '"a"', "yesterday")


async def test_server_error_then_recovery(server, fetcher):
    failed = await fetcher.fetch(server.url("/flaky"), etag='"old"')
    assert failed.status == "error"
    assert failed.error == "HTTP 500" and failed.http_status == 500
    assert failed.retry_after is None
    assert failed.etag == '"old"'  # what we held is still what we hold

    recovered = await fetcher.fetch(server.url("/flaky"))
    assert recovered.status == "ok" and len(recovered.items) == 3


async def test_429_retry_after_seconds(server, fetcher):
    result = await fetcher.fetch(server.url("/busy"))
    assert (result.status, result.error, result.http_status) == ("error", "HTTP 429", 429)
    assert result.retry_after == 120


async def test_503_retry_after_http_date(server, fetcher):
    result = await fetcher.fetch(server.url("/busy-until"))
    assert (result.error, result.http_status) == ("HTTP 503", 503)
    assert 100 <= result.retry_after <= 121


def test_parse_retry_after():
    now = datetime(2025, 10, 14, 8, 0, tzinfo=UTC)
    assert parse_retry_after("120", now) == 120
    assert parse_retry_after("Tue, 14 Oct 2025 08:02:00 GMT", now) == 120
    assert parse_retry_after("Tue, 14 Oct 2025 07:00:00 GMT", now) == 0  # in the past: now
    assert parse_retry_after("soon", now) is None
    assert parse_retry_after(None, now) is None


async def test_redirect_followed(server, fetcher):
    result = await fetcher.fetch(server.url("/moved"))
    assert result.status == "ok" and len(result.items) == 3
    assert result.final_url == server.url("/feeds/rss2-ar.xml")


async def test_redirect_loop(server):
    async with FeedFetcher(timeout=5, max_redirects=3) as fetcher:
        result = await fetcher.fetch(server.url("/loop"))
    assert (result.status, result.error) == ("error", "too many redirects")
    assert len(server.requests_to("/loop")) == 4  # the request and 3 redirects followed, no more


async def test_redirect_to_ftp_refused(server, fetcher):
    result = await fetcher.fetch(server.url("/to-ftp"))
    assert result.status == "error"
    assert result.error.startswith("only http and https URLs")


async def test_huge_streamed_response_cut_off(server, fetcher):
    # No Content-Length: only counting the bytes as they come can stop it.
    result = await fetcher.fetch(server.url("/huge"))

    assert result.status == "error"
    assert result.error == "response larger than 5 MB"
    await asyncio.wait_for(server.huge_done.wait(), 30)
    assert server.huge_written < 10 * MB  # of the 50 MB it was ready to send: cut off early


async def test_huge_declared_response_refused_at_once(server, fetcher):
    result = await fetcher.fetch(server.url("/huge?declared=1"))

    assert result.status == "error"
    assert result.error == "response larger than 5 MB"
    await asyncio.wait_for(server.huge_done.wait(), 30)
    assert server.huge_written < 5 * MB  # not even the limit was read: the header said enough


@pytest.mark.parametrize(
    "url", ["ftp://files.example.dz/feed.xml", "javascript:alert(1)", "file:///etc/passwd", "", "http://"]
)
async def test_non_web_urls_refused_without_a_request(url):
    sent = []

    def answer(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(200)

    async with httpx.AsyncClient(transport=httpx.MockTransport(answer)) as client:
        result = await FeedFetcher(client).fetch(url)
        assert await FeedFetcher(client).fetch_article_text(url) is None
    assert result.status == "error"
    assert result.error == "only http and https URLs"
    assert sent == []


async def test_timeout(server):
    async with FeedFetcher(timeout=0.3) as fetcher:
        result = await fetcher.fetch(server.url("/slow"))
        assert not server.slow_answered  # given up on while the server still held the answer
    assert result.status == "error"
    assert result.error == "timed out after 0.3 s"


async def test_connection_refused(fetcher):
    result = await fetcher.fetch("http://127.0.0.1:9/feed")
    assert result.status == "error"
    assert result.error.startswith("connection failed")


async def test_lent_client_stays_open():
    async with httpx.AsyncClient() as client:
        async with FeedFetcher(client):
            pass
        assert not client.is_closed


# ---------------------------------------------------------------- links


async def test_tracking_params_removed(server, fetcher):
    result = await fetcher.fetch(server.url("/feeds/rss-tracking-links.xml"))
    assert result.status == "ok", result.error
    assert [item.url for item in result.items] == [
        "https://www.ennahar-jadid.dz/article/5521",
        "https://www.ennahar-jadid.dz/article.php?id=5520&page=2",
        server.url("/article/5519?lang=ar"),  # relative: resolved against the feed's address
        None,  # javascript: is not a link
    ]
    assert [item.guid for item in result.items] == ["5521", "5520", "5519", "5518"]  # as given


@pytest.mark.parametrize(
    ("url", "base", "expected"),
    [
        ("HTTPS://WWW.Example.DZ/Path?utm_source=x&id=3&UTM_Medium=y#top", None, "https://www.example.dz/Path?id=3"),
        ("https://x.dz/a?fbclid=1&gclid=2&dclid=3&mc_cid=4&mc_eid=5&igshid=6&yclid=7", None, "https://x.dz/a"),
        (
            "https://x.dz/a?_ga=1&ref=2&ref_src=3&spm=4&at_medium=5&at_campaign=6&xtor=7&cmpid=8&p=2",
            None,
            "https://x.dz/a?p=2",
        ),
        ("https://x.dz/a?q=%D8%A7+b&page=2", None, "https://x.dz/a?q=%D8%A7+b&page=2"),  # kept as written
        ("/a/b?ref=tw", "https://Feeds.X.dz/rss/", "https://feeds.x.dz/a/b"),
        ("//cdn.x.dz/i", "https://x.dz/", "https://cdn.x.dz/i"),
        ("javascript:alert(1)", None, None),
        ("mailto:a@x.dz", None, None),
        ("ftp://x.dz/f", None, None),
        ("http://[::1", None, None),
        ("  ", None, None),
        (None, None, None),
    ],
)
def test_normalize_url(url, base, expected):
    assert normalize_url(url, base) == expected


# ---------------------------------------------------------------- article pages


async def test_fetch_article_text(server, fetcher):
    text = await fetcher.fetch_article_text(server.url("/article"))

    assert text == "\n\n".join(ARTICLE_PARAGRAPHS)
    for line in AGGREGATOR_BOILERPLATE:
        assert line not in text
    for chrome in ("الرئيسية", "اتصل بنا", "عاجل", "مقالات ذات صلة", "شارك", "جميع الحقوق محفوظة", "gtag"):
        assert chrome not in text
    (headers,) = server.requests_to("/article")
    assert headers["Accept"].startswith("text/html")


async def test_fetch_article_text_with_source_patterns(server, fetcher):
    text = await fetcher.fetch_article_text(server.url("/article"), boilerplate=["وأوضح مدير المصالح"])
    assert text == "\n\n".join(ARTICLE_PARAGRAPHS[:1] + ARTICLE_PARAGRAPHS[2:])


async def test_fetch_article_text_nothing_usable(server, fetcher):
    assert await fetcher.fetch_article_text(server.url("/feeds/missing.html")) is None  # 404
    assert await fetcher.fetch_article_text(server.url("/feeds/broken.xml")) is None  # no article in it


def test_extract_article_text_drops_the_aggregator_lines_trafilatura_keeps():
    import trafilatura

    page = _fixture("article-page.html").decode("utf-8")
    # The source line as plain text rather than a link (trafilatura drops link-only paragraphs).
    source_line = "انقر هنا لقراءة الخبر من مصدره."
    page = page.replace(f'<a href="https://www.example-source.dz/article/48213">{source_line}</a>', source_line)
    raw = trafilatura.extract(page, favor_precision=True)
    assert "انقر هنا لقراءة الخبر من مصدره" in raw and "شكرا على الإبلاغ!" in raw  # so the filter is what removes them

    assert extract_article_text(page, "https://www.wassit-news.dz/iqtisad/48213") == "\n\n".join(ARTICLE_PARAGRAPHS)
