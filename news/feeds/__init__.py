"""The news core's feed reader: fetch, decode, parse and clean RSS, Atom and JSON Feed.

One module per step of the pipeline, as in miniflux's reader:
    fetcher     HTTP: conditional GET, redirects, size and time limits  (FeedFetcher)
    encoding    bytes → text, windows-1256 and its mislabellings        (decode_feed_bytes)
    parser      format detection, RSS/Atom through feedparser           (parse_feed)
    jsonfeed    JSON Feed 1.0/1.1
    sanitizer   HTML fragments → plain text                              (html_to_text)
    urlcleaner  absolute web links without tracking parameters           (normalize_url)
    scraper     an article page's main text (trafilatura)
    model       FeedItem, FetchResult, FeedError
"""

from news.feeds.encoding import decode_feed_bytes
from news.feeds.fetcher import FeedFetcher
from news.feeds.model import FeedError, FeedItem, FetchResult
from news.feeds.parser import parse_feed
from news.feeds.sanitizer import html_to_text
from news.feeds.urlcleaner import normalize_url

__all__ = [
    "FeedError",
    "FeedFetcher",
    "FeedItem",
    "FetchResult",
    "decode_feed_bytes",
    "html_to_text",
    "normalize_url",
    "parse_feed",
]
