"""Hostile files and feeds for the importers: `akhbar import` (JSON Lines and aggregator pages)
reports each bad line and never raises, a well-formed record is never refused, a feed is
either read or refused with FeedError — and whatever it yields can be stored — and a reading
list (OPML) is read or refused with OpmlError."""

from __future__ import annotations

import asyncio
import json
from xml.sax.saxutils import escape as xml_escape
from xml.sax.saxutils import quoteattr

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from news.articles import InvalidArticle, check_url, make_article
from news.feeds import FeedError, parse_feed
from news.importers import UnreadableFile, import_file
from news.model import is_publication_time
from news.opml import OpmlError, parse_opml
from tests.fuzzkit import COUNTS, budget, hostile_text, scaled_timeout

pytestmark = scaled_timeout

DATES = (
    "2025-03-01T08:00:00+01:00", "2025-03-01", "2025-03-01T08:00:00", "0001-01-01T00:00:00+01:00",
    "9999-12-31T23:59:59-01:00", "9999-12-31T23:59:59", "0000-00-00", "2025-13-45T99:99:99", "yesterday",
    "Mon, 01 Jan 0001 00:00:00 +1400", "Fri, 31 Dec 9999 23:59:59 -1400", "Sat, 01 Mar 2025 08:00:00 GMT",
    "2025-03-01T08:00:00+25:00", "", " ", "٢٠٢٥-٠٣-٠١", "0001-01-02T00:00:00Z", "9999-12-31T23:59:59Z",
    "Mon, 01 Jan 0001 00:00:00 GMT",
)
URLS = (
    "https://example.com/a", "http://[", "http://[::1", "javascript:alert(1)", "//e.com/x", "https://e.com/" + "a" * 3000,
    "https://e.com/?utm_source=x&id=<b>", "https://موقع.dz/خبر", "", " https://e.com/b ", "http://e.com:99999/",
)
TOPIC_NAMES = ("sports", "رياضة", "economy", "nosuch", "", "SPORTS")
# Lines no generator writes: what JSON can carry that text cannot (lone surrogates), and
# what a parser may choke on.
RAW_LINES = (
    '{"title": "\\ud800"}', '{"title": "خبر \\udfff عاجل"}', '{"title": "t", "body": "\\udc80\\ud800"}',
    '{"title": "t", "source": "\\ud83d"}', '{"title": "t", "lang": "\\ud800"}', '{"title": "\\ud83d\\ude00 ok"}', "[" * 50_000, '{"a":' * 50_000,
    "1e999999", "NaN", '{"title": NaN}', '{"title": Infinity}', '{"title": "x"', '{"title": "x", "title": 1}',
    "\x00", '{"title": "t", "published_at": "0001-01-01T00:00:00+01:00"}', '"just a string"', "[]", "{}",
    '{"title": "t", "published_at": "9999-12-31T23:59:59-01:00"}', '{"title": "t", "url": "http://["}',
    '{"title": "' + "ا" * 100_000 + '"}', '{"title": "t", "topics": [null]}', '{"title": "t", "topics": {}}',
    '{"title": "\u2028 خبر \u2029 آخر \x85 و\x1c"}', "\ufeff{\"title\": \"bom\"}",
    '{"title": "t", "published_at": "0001-01-02T00:00:00Z"}', '{"title": "t", "n": ' + "1" * 5000 + "}",
)

_json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | hostile_text(max_pieces=3),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=6,
)
_text = hostile_text(max_pieces=6)

# Records of the right shape whose text is hostile: each must be imported, never refused.
good_records = st.fixed_dictionaries(
    # A title with at least one letter, whatever surrounds it.
    {"title": st.tuples(_text, st.sampled_from(("خبر", "x", "٣ أخبار")), _text).map("".join)},
    optional={
        "body": _text, "summary": _text, "source": _text, "lang": st.sampled_from(("ar", "fr", "")),
        "url": st.sampled_from(URLS[:1] + URLS[6:8]), "published_at": st.sampled_from(DATES[:3]),
        "topics": st.lists(st.sampled_from(TOPIC_NAMES[:3]), max_size=2),
    },
)
# Any field, any value.
any_records = st.fixed_dictionaries(
    {},
    optional={
        name: st.one_of(_text, _json_values)
        for name in ("title", "body", "summary", "source", "lang", "guid")
    }
    | {
        "url": st.one_of(st.sampled_from(URLS), _json_values),
        "published_at": st.one_of(st.sampled_from(DATES), _json_values),
        "topics": st.one_of(st.lists(st.sampled_from(TOPIC_NAMES)), st.sampled_from(TOPIC_NAMES), _json_values),
    },
)


def _dump(record: dict, ascii_only: bool) -> str:
    return json.dumps(record, ensure_ascii=ascii_only)


_lines = st.one_of(
    st.tuples(good_records, st.booleans()).map(lambda r: ("good", _dump(*r))),
    st.tuples(any_records, st.booleans()).map(lambda r: ("any", _dump(*r))),
    st.sampled_from(RAW_LINES).map(lambda line: ("any", line)),
    # One line: "\n" ends it, and so does a lone "\r" (JSON Lines may end lines in CR).
    _text.map(lambda line: ("any", line.replace("\n", " ").replace("\r", " "))),
)


@pytest.fixture
def store(tmp_path):
    """The import's own store (storage de-duplicating and indexing), on a loop of its own that
    lives across the examples of one test (hypothesis calls each synchronously)."""
    from news.ingest import Ingestor
    from storage.articles import ArticleRepository
    from storage.db import Database

    with asyncio.Runner() as runner:
        db = runner.run(Database(tmp_path / "import.db").open())
        ingestor = runner.run(Ingestor.open(ArticleRepository(db)))
        yield runner, ingestor
        runner.run(db.close())


JSONL_EXAMPLES = 150


@pytest.mark.slow
def test_jsonl_import_reports_every_bad_line_and_refuses_no_good_one(store, tmp_path):
    runner, ingestor = store

    @budget(JSONL_EXAMPLES)
    # What the search found first, kept (see news/articles.py and news/importers.py).
    @example(lines=[("any", '{"title": "\\ud800"}')], newline="\n")
    @example(lines=[("any", '{"title": "t", "lang": "\\udfff"}')], newline="\n")
    @example(lines=[("any", '{"title": "t", "published_at": "0001-01-01T00:00:00+01:00"}')], newline="\n")
    @example(lines=[("any", "[" * 50_000)], newline="\n")
    # Go's zero time overflowed the story matcher's window; a 5,000-digit number, int()'s limit.
    @example(lines=[("any", '{"title": "t", "published_at": "0001-01-02T00:00:00Z"}')], newline="\n")
    @example(lines=[("any", '{"title": "t", "n": ' + "1" * 5000 + "}")], newline="\n")
    @example(lines=[("any", '{"title": "t", "url": "http://["}')], newline="\n")
    @example(lines=[("good", _dump({"title": "خبر\u2028عاجل"}, False))], newline="\n")  # cut in two
    @example(lines=[("any", _dump({"title": "\x00\x00"}, True))], newline="\n")  # failed SQLite's CHECK
    @given(lines=st.lists(_lines, min_size=1, max_size=8), newline=st.sampled_from(("\n", "\r\n", "\r")))
    def check(lines, newline):
        COUNTS["importer: JSONL lines"] += len(lines)
        COUNTS["importer: JSONL files"] += 1
        path = tmp_path / "articles.jsonl"
        path.write_text(newline.join(line for _, line in lines), encoding="utf-8", newline="")
        report = runner.run(import_file(path, ingestor))  # must not raise
        counted = [line for _, line in lines if line.strip()]
        assert report.added + report.duplicates + len(report.rejected) == len(counted)
        good = {n for n, (kind, _) in enumerate(lines, start=1) if kind == "good"}
        refused = {r.line: r.reason for r in report.rejected}
        assert not refused.keys() & good, f"well-formed records refused: {refused}"
        for rejected in report.rejected:
            assert 1 <= rejected.line <= len(lines) and rejected.reason and "\n" not in rejected.reason

    check()


PAGE_EXAMPLES = 60


def test_aggregator_pages_never_break_the_import(store, tmp_path):
    runner, ingestor = store
    separators = st.sampled_from(("\n", "\n\n", "\r\n", "\u00a0\u00a0", "   ", "\t\t", "\u2028", "\x0c"))

    controls = st.sampled_from(("\x00", "\x00\x01", "\x7f", "\x1b[31m"))

    @budget(PAGE_EXAMPLES)
    # Found by this test: a headline of control characters only (between no-break spaces)
    # raised InvalidArticle out of the import (before: a NUL title failed SQLite's CHECK).
    @example(pieces=["a", "\u00a0\u00a0", "\x00\x01", "\u00a0\u00a0", "b", "\n\n", "Title\nbody"], raw=b"")
    @given(pieces=st.lists(st.one_of(_text, separators, controls), min_size=1, max_size=20), raw=st.binary(max_size=40))
    def check(pieces, raw):
        COUNTS["importer: aggregator pages"] += 1
        path = tmp_path / "page.txt"
        path.write_bytes("".join(pieces).encode() + raw)
        try:
            report = runner.run(import_file(path, ingestor, source="fuzz"))
        except UnreadableFile:  # not UTF-8 (the random bytes at the end): said, not raised
            return
        lines = len(path.read_text(encoding="utf-8-sig").replace("\r\n", "\n").replace("\r", "\n").split("\n"))
        assert all(1 <= rejected.line <= lines for rejected in report.rejected)

    check()


# --- feeds -------------------------------------------------------------------------------------

RSS = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>{title}</title><link>https://e.com/</link>
<item><title>{title}</title><link>{url}</link><guid>{guid}</guid><pubDate>{date}</pubDate>
<description>{body}</description><category>{title}</category></item></channel></rss>"""
ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title type="html">{title}</title><id>urn:x</id>
<updated>{date}</updated><entry><title type="html">{title}</title><id>{guid}</id><updated>{date}</updated>
<link href="{url}"/><content type="html">{body}</content></entry></feed>"""


def _json_feed(title, url, guid, date, body) -> bytes:
    item = {"id": guid, "url": url, "title": title, "content_html": body, "date_published": date}
    document = {"version": "https://jsonfeed.org/version/1.1", "title": title, "items": [item]}
    return json.dumps(document).encode()


_feed_text = st.one_of(_text, st.sampled_from(("\ud800", "خبر \udfff", "\ud83d"))) | st.just("")


@st.composite
def feeds(draw) -> tuple[str, bytes]:
    kind = draw(st.sampled_from(("rss", "atom", "json", "bytes")))
    if kind == "bytes":
        return kind, draw(st.binary(min_size=1, max_size=300))
    fields = {
        "title": draw(_feed_text), "url": draw(st.sampled_from(URLS)), "guid": draw(_feed_text),
        "date": draw(st.sampled_from(DATES)), "body": draw(_feed_text),
    }
    if kind == "json":
        return kind, _json_feed(**fields)
    escape = draw(st.sampled_from((xml_escape, xml_escape, lambda text: text)))  # raw: often broken
    text = (RSS if kind == "rss" else ATOM).format(**{k: escape(v) for k, v in fields.items()})
    data = text.encode("utf-8", "surrogatepass")  # a lone surrogate becomes bytes no decoder accepts
    cut = draw(st.sampled_from((None, None, None, 40, 200)))
    return kind, data[:cut]


FEED_EXAMPLES = 200


@budget(FEED_EXAMPLES)
@example(feed=("json", _json_feed("t", "https://e.com/a", "1", "0001-01-01T00:00:00+01:00", "b")), content_type=None)
@example(feed=("json", _json_feed("\ud800", "https://e.com/a", "1", "", "b")), content_type=None)
# Found at AKHBAR_FUZZ_SCALE=4: feedparser's chr() on a character reference past U+10FFFF.
@example(feed=("rss", RSS.format(title="", url="https://e.com/a", guid="", date=DATES[0], body="&#x110000;").encode()), content_type=None)
@given(feed=feeds(), content_type=st.sampled_from((None, "application/rss+xml", "application/json", "text/html; charset=windows-1256")))
def test_a_feed_is_read_or_refused_and_what_it_gives_can_be_stored(feed, content_type):
    """parse_feed raises FeedError and nothing else; the feed's title, and each item made into
    an article the way the poller makes one (or skipped with InvalidArticle), are text SQLite
    can store (valid UTF-8: no lone surrogate)."""
    kind, data = feed
    COUNTS[f"feeds: {kind} documents"] += 1
    try:
        title, items = parse_feed(data, content_type, "https://e.com/feed")
    except FeedError as exc:
        assert str(exc) and "\n" not in str(exc)
        return
    (title or "").encode("utf-8")  # the poller stores it as the source's title
    for item in items:
        # A date no article has is none (news.feeds.model.feed_date): make_article would refuse it.
        assert item.published_at is None or is_publication_time(item.published_at)
        try:
            article = make_article(
                title=item.title, body=item.body or item.summary, summary=item.summary[:500], url=item.url,
                source="fuzz", published_at=item.published_at, lang=item.lang or "ar",
                categories=item.categories, guid=item.guid,
            )
        except InvalidArticle:
            continue
        for value in (article.title, article.body, article.summary, article.url or "", article.guid or ""):
            value.encode("utf-8")  # what SQLite needs; a lone surrogate raises here



# --- reading lists (OPML, `akhbar sources import`) ---------------------------------------------


@st.composite
def opml_documents(draw) -> str:
    """Outlines nested (sometimes very deep), with hostile attributes, escaped or not."""
    escape = draw(st.sampled_from((quoteattr, quoteattr, lambda text: f'"{text}"')))

    def outline(url: str | None) -> str:
        attributes = {"text": draw(_text), "title": draw(_text), "category": draw(st.sampled_from(TOPIC_NAMES) | _text)}
        if url is not None:
            attributes["xmlUrl"] = url
        return "<outline " + " ".join(f"{k}={escape(v)}" for k, v in attributes.items()) + ">"

    depth = draw(st.sampled_from((0, 1, 3, 5000)))
    feeds = "".join(outline(draw(st.sampled_from(URLS) | _text)) + "</outline>" for _ in range(draw(st.integers(0, 4))))
    folders = "".join(outline(None) for _ in range(depth))
    return f"<opml version=\"2.0\"><body>{folders}{feeds}{'</outline>' * depth}</body></opml>"


OPML_EXAMPLES = 60


@budget(OPML_EXAMPLES)
@example(document="<opml><body>" + '<outline text="f">' * 5000 + '<outline xmlUrl="https://e.com/rss"/>' + "</outline>" * 5000 + "</body></opml>")
@given(document=st.one_of(opml_documents(), _text, opml_documents().map(lambda doc: doc[: len(doc) // 2])))
def test_a_reading_list_is_read_or_refused_with_opml_error(document):
    """parse_opml returns feeds or raises OpmlError; each feed's link is then kept or refused
    with InvalidArticle, as `akhbar sources import` does."""
    COUNTS["importer: OPML reading lists"] += 1
    try:
        feeds = parse_opml(document)
    except OpmlError as exc:
        assert str(exc)
        return
    for feed in feeds:
        try:
            check_url(feed.url)
        except InvalidArticle:
            pass
