"""Feed parsing at a realistic polling load: does a fast path past feedparser matter?

    python benchmarks/feed_parse_benchmark.py [--feeds 300] [--items 30] [--interval 300] [--rounds 5]

A polling round as the worker processes see it: `--feeds` Arabic feeds of `--items` items,
every one of them changed (the worst case: a 304 costs no parsing at all), each going through
news.feeds.prepare.parse_and_prepare — decoding, parsing, HTML to text, links, dates, and each
item made an article (normalization, topics, wilayas, search words) — which is what a worker
does for a changed feed.  The feeds are shaped like the ones Algerian sites serve: WordPress
RSS 2.0 (an HTML teaser in CDATA, the whole article in content:encoded, dc:creator, media),
RSS 2.0 with escaped HTML descriptions, and Atom with text summaries and HTML content; their
words are the project's own headlines and demo articles.

Measured in the same run, rounds alternated (the machine is noisy), as CPU seconds of this
process (time.process_time: the work one worker does, whatever else runs on the machine):
- feedparser: parse_and_prepare as the project has it (feedparser.parse);
- lxml floor: the same fields read straight from an lxml tree, no feedparser semantics at all
  (no sanitizer, no date forms but RFC 822/3339, no xml:base, no repairs), then the same
  articles made.  It gives the same items on these feeds (checked), and it is what no
  correct fast path past feedparser can beat: the most such a path could save.

It prints, for each, the CPU seconds of one round, the share of one core that makes at one
round per `--interval` seconds (the default poll interval is 5 minutes), items/s, and the
ratio.

This benchmark decided the fate of news/feeds/fastpath.py, a reader of RSS 2.0 and Atom 1.0
on lxml that gave feedparser's results through six of feedparser's private names.  Measured
with it (commit c019c20, median of 5 alternated rounds on the project's 2-core machine):
feedparser 16.70 s CPU per round = 5.57% of one core, 539 items/s; fast path 9.73 s = 3.24%,
925 items/s; lxml floor 8.76 s = 2.92%, 1,028 items/s.  It saved 6.97 s a round, 2.3% of one
worker core, and that with every feed changed every round.  It was deleted: feeds are read
with feedparser's public API only.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime, parsedate_to_datetime
from pathlib import Path
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from lxml import etree  # noqa: E402

from news.feeds.encoding import as_utf8_document, decode_feed_bytes  # noqa: E402
from news.feeds.model import FeedItem  # noqa: E402
from news.feeds.prepare import SourceDefaults, parse_and_prepare, prepare_items  # noqa: E402
from news.feeds.sanitizer import html_to_text, one_line, tidy_text  # noqa: E402
from news.feeds.urlcleaner import normalize_url  # noqa: E402

BASE = datetime(2026, 11, 28, tzinfo=UTC)
RSS = "application/rss+xml"
ATOM = "application/atom+xml"
NAMESPACES = (
    'xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/" '
    'xmlns:atom="http://www.w3.org/2005/Atom" xmlns:media="http://search.yahoo.com/mrss/"'
)
CATEGORIES = ["وطني", "اقتصاد", "رياضة", "مجتمع", "دولي", "ثقافة", "تكنولوجيا", "صحة"]


# ---------------------------------------------------------------- the feeds


def texts() -> tuple[list[str], list[str]]:
    """The project's own headlines, and its demo articles' paragraphs."""
    titles, paragraphs = [], []
    for path in (ROOT / "tests" / "data" / "topics" / "dev.jsonl", ROOT / "bot" / "demo_data" / "articles.jsonl"):
        for line in path.read_text(encoding="utf-8").splitlines():
            record = json.loads(line)
            titles.append(record["title"])
            paragraphs += [p.strip() for p in record.get("body", "").split("\n\n") if p.strip()]
    return titles, paragraphs


class Words:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.titles, self.paragraphs = texts()

    def title(self, n: int) -> str:
        return f"{self.rng.choice(self.titles)} {n}"  # a number keeps every headline distinct

    def teaser_html(self, link: str) -> str:
        # A WordPress excerpt: a shortened first paragraph, "[…]", sometimes a picture.
        paragraph = self.rng.choice(self.paragraphs)
        image = f'<img src="{link}.jpg" alt="" width="300" height="200" /> ' if self.rng.random() < 0.5 else ""
        return f"{image}<p>{escape(paragraph[:300])} [&#8230;]</p>"

    def article_html(self, link: str) -> str:
        # The whole article: 3 to 6 paragraphs, a picture, a link, now and then a list.
        paragraphs = [f"<p>{escape(self.rng.choice(self.paragraphs))}</p>" for _ in range(self.rng.randint(3, 6))]
        paragraphs.insert(1, f'<figure class="wp-block-image"><img src="{link}.jpg" alt="صورة" /></figure>')
        if self.rng.random() < 0.3:
            items = "".join(f"<li>{escape(self.rng.choice(self.titles))}</li>" for _ in range(3))
            paragraphs.append(f"<ul>{items}</ul>")
        paragraphs.append(f'<p>المصدر: <a href="{link}" rel="nofollow">{escape(self.rng.choice(self.titles))}</a></p>')
        return "\n".join(paragraphs)

    def description_html(self, link: str) -> str:
        # A news site's own RSS: two paragraphs, a picture and a "read more" link.
        first, second = self.rng.choice(self.paragraphs), self.rng.choice(self.paragraphs)
        return (f'<p><img src="{link}.jpg" align="right" hspace="5" /></p><p>{escape(first)}</p>'
                f'<p>{escape(second[:400])}&nbsp;<a href="{link}">اقرأ المزيد</a></p>')


def wordpress_item(feed: int, words: Words, n: int) -> str:
    link = f"https://site{feed}.example.dz/2026/11/{n}/"
    return (
        f"<item><title>{escape(words.title(n))}</title><link>{link}</link>"
        f"<comments>{link}#respond</comments><dc:creator><![CDATA[التحرير]]></dc:creator>"
        f"<pubDate>{format_datetime(BASE - timedelta(minutes=7 * n))}</pubDate>"
        f"<category><![CDATA[{words.rng.choice(CATEGORIES)}]]></category>"
        f"<category><![CDATA[{words.rng.choice(CATEGORIES)}]]></category>"
        f'<guid isPermaLink="false">https://site{feed}.example.dz/?p={n}</guid>'
        f"<description><![CDATA[{words.teaser_html(link)}]]></description>"
        f"<content:encoded><![CDATA[{words.article_html(link)}]]></content:encoded>"
        f'<media:content url="{link}.jpg" medium="image"><media:title type="html">صورة</media:title></media:content>'
        f"</item>"
    )


def wordpress_head(feed: int) -> str:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" {NAMESPACES}><channel>'
        f"<title>مصدر {feed}</title><atom:link href=\"https://site{feed}.example.dz/feed/\" rel=\"self\" "
        f'type="application/rss+xml" /><link>https://site{feed}.example.dz</link><description>أخبار الجزائر</description>'
        f"<lastBuildDate>{format_datetime(BASE)}</lastBuildDate><language>ar</language>"
        f"<generator>https://wordpress.org/?v=6.7</generator>"
    )


def news_item(feed: int, words: Words, n: int) -> str:
    link = f"https://site{feed}.example.dz/article/{n}?utm_source=rss&amp;utm_medium=feed"
    return (
        f"<item><title>{escape(words.title(n))}</title><link>{link}</link><guid>{link}</guid>"
        f"<pubDate>{format_datetime(BASE - timedelta(minutes=5 * n))}</pubDate>"
        f"<category>{words.rng.choice(CATEGORIES)}</category>"
        f"<description>{escape(words.description_html(link))}</description></item>"
    )


def news_head(feed: int) -> str:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>مصدر {feed}</title>'
        f"<link>https://site{feed}.example.dz/</link><description>آخر الأخبار</description><language>ar-dz</language>"
        f"<image><url>https://site{feed}.example.dz/logo.png</url><title>مصدر {feed}</title>"
        f"<link>https://site{feed}.example.dz/</link></image>"
    )


def atom_entry(feed: int, words: Words, n: int) -> str:
    link = f"https://site{feed}.example.dz/news/{n}"
    updated = (BASE - timedelta(minutes=6 * n)).isoformat()
    return (
        f'<entry><title type="text">{escape(words.title(n))}</title>'
        f'<link rel="alternate" type="text/html" href="{link}"/><id>tag:site{feed}.example.dz,2026:{n}</id>'
        f"<published>{updated}</published><updated>{updated}</updated>"
        f'<author><name>التحرير</name></author><category term="{words.rng.choice(CATEGORIES)}"/>'
        f'<summary type="text">{escape(words.rng.choice(words.paragraphs)[:300])}</summary>'
        f'<content type="html">{escape(words.article_html(link))}</content></entry>'
    )


def atom_head(feed: int) -> str:
    return (
        f'<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom" xml:lang="ar">'
        f"<title>مصدر {feed}</title><id>tag:site{feed}.example.dz,2026:feed</id>"
        f'<link rel="self" href="https://site{feed}.example.dz/atom.xml"/>'
        f'<link rel="alternate" type="text/html" href="https://site{feed}.example.dz/"/>'
        f"<updated>{BASE.isoformat()}</updated>"
    )


# (head, item, end, content type, path) of each kind of feed, by the share of feeds it has.
KINDS = (
    (5, wordpress_head, wordpress_item, "</channel></rss>", RSS, "feed/"),
    (3, news_head, news_item, "</channel></rss>", RSS, "rss"),
    (2, atom_head, atom_entry, "</feed>", ATOM, "atom.xml"),
)


def feeds(count: int, items: int, rng: random.Random) -> list[tuple[bytes, str, str]]:
    """(document, content type, URL) of `count` feeds: half WordPress, 3/10 news RSS, 1/5 Atom."""
    words = Words(rng)
    kinds = [kind for kind in KINDS for _ in range(kind[0])]
    made = []
    for feed in range(count):
        _share, head, item, end, content_type, path = kinds[feed % len(kinds)]
        entries = "".join(item(feed, words, n) for n in range(feed * items, (feed + 1) * items))
        made.append(((head(feed) + entries + end).encode(), content_type, f"https://site{feed}.example.dz/{path}"))
    return made


# ---------------------------------------------------------------- the lxml floor


_ATOM = "{http://www.w3.org/2005/Atom}"
_CONTENT = "{http://purl.org/rss/1.0/modules/content/}encoded"


def _date(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        moment = parsedate_to_datetime(value) if value[:1].isalpha() else datetime.fromisoformat(value)
    except (TypeError, ValueError):
        return None
    return moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)


def _lxml_item(title, link, guid, summary_html, body_html, date, categories, base, lang) -> FeedItem:
    return FeedItem(
        title=one_line(tidy_text(title or "")),
        url=normalize_url(link, base),
        guid=(guid or "").strip() or None,
        summary=html_to_text(summary_html) if summary_html else "",
        body=html_to_text(body_html) if body_html else "",
        published_at=_date(date),
        categories=tuple(dict.fromkeys(c.strip() for c in categories if c and c.strip())),
        lang=lang,
    )


def lxml_floor(data: bytes, content_type: str | None, url: str | None) -> tuple[str | None, list[FeedItem]]:
    """The fields parse_feed reads, straight from an lxml tree: a floor, not a parser."""
    document = as_utf8_document(decode_feed_bytes(data, None))
    root = etree.fromstring(document, etree.XMLParser(resolve_entities=False, no_network=True))
    if root.tag == "rss":
        channel = root.find("channel")
        items = [
            _lxml_item(
                item.findtext("title"), item.findtext("link"), item.findtext("guid"), item.findtext("description"),
                item.findtext(_CONTENT), item.findtext("pubDate"), [c.text for c in item.iter("category")], url, "ar",
            )
            for item in channel.iter("item")
        ]
        return channel.findtext("title"), items
    items = []
    for entry in root.iter(_ATOM + "entry"):
        link = next((e.get("href") for e in entry.iter(_ATOM + "link") if e.get("rel", "alternate") == "alternate"), None)
        summary = entry.find(_ATOM + "summary")
        items.append(
            _lxml_item(
                entry.findtext(_ATOM + "title"), link, entry.findtext(_ATOM + "id"),
                None if summary is None else escape(summary.text or ""), entry.findtext(_ATOM + "content"),
                entry.findtext(_ATOM + "published"), [c.get("term") for c in entry.iter(_ATOM + "category")], url, "ar",
            )
        )
    return root.findtext(_ATOM + "title"), items


def floor_and_prepare(data: bytes, content_type: str | None, url: str | None, source: SourceDefaults):
    title, items = lxml_floor(data, content_type, url)
    return title, items, prepare_items(items, source)


# ---------------------------------------------------------------- the clock


def one_round(step: Callable, docs: list[tuple[bytes, str, str]], source: SourceDefaults) -> tuple[float, int, int]:
    """CPU seconds of `step` over every feed, items read, articles made."""
    items = articles = 0
    start = time.process_time()
    for data, content_type, url in docs:
        _title, feed_items, made = step(data, content_type, url, source)
        items += len(feed_items)
        articles += sum(1 for article in made if not isinstance(article, Exception))
    return time.process_time() - start, items, articles


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--feeds", type=int, default=300)
    parser.add_argument("--items", type=int, default=30, help="items per feed")
    parser.add_argument("--interval", type=float, default=300.0, help="seconds between rounds (the poll interval)")
    parser.add_argument("--rounds", type=int, default=5, help="rounds per way, alternated")
    args = parser.parse_args()
    docs = feeds(args.feeds, args.items, random.Random(2026))
    source = SourceDefaults(name="مصدر", lang="ar")
    megabytes = sum(len(data) for data, _, _ in docs) / 1e6
    ways: dict[str, Callable] = {"feedparser": parse_and_prepare, "lxml floor": floor_and_prepare}
    # The floor reads the same items from these feeds, or the comparison says nothing.
    for data, content_type, url in docs[:: max(1, len(docs) // 20)]:
        assert floor_and_prepare(data, content_type, url, source) == parse_and_prepare(data, content_type, url, source)
    for step in ways.values():  # warm: lexicons, classifier, caches
        one_round(step, docs[:10], source)
    seconds: dict[str, list[float]] = {name: [] for name in ways}
    counts: dict[str, tuple[int, int]] = {}
    for _ in range(args.rounds):
        for name, step in ways.items():
            cpu, items, articles = one_round(step, docs, source)
            seconds[name].append(cpu)
            counts[name] = (items, articles)
    print(f"{args.feeds} feeds x {args.items} items ({megabytes:.1f} MB), every feed changed, one round per "
          f"{args.interval:.0f} s; CPU seconds of one process, median of {args.rounds} rounds each (alternated)")
    median = {name: statistics.median(values) for name, values in seconds.items()}
    for name, cpu in median.items():
        items, articles = counts[name]
        spread = f"{min(seconds[name]):.2f}-{max(seconds[name]):.2f}"
        print(f"  {name:<11} {cpu:6.2f} s CPU per round ({spread}) = {cpu / args.interval:6.2%} of one core; "
              f"{items / cpu:,.0f} items/s; {articles:,} articles")
    slow, floor = median["feedparser"], median["lxml floor"]
    print(f"feedparser / lxml floor = {slow / floor:.2f}x; no fast path could save more than {slow - floor:.2f} s "
          f"per round = {(slow - floor) / args.interval:.2%} of one core")


if __name__ == "__main__":
    main()
