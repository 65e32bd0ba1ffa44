"""Turning raw fields into an article ready to store: cleaned text and de-duplication keys."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from datetime import UTC, datetime
from urllib.parse import urlsplit

from news.classify import file_words, lead_words
from news.model import EARLIEST_PUBLICATION, LATEST_PUBLICATION, NewArticle, is_publication_time
from news.regions import wilayas_in_article
from news.search import search_text
from news.story_key import BODY_DIGEST_WORDS, LEAD_CHARACTERS, StoryKey, story_key
from news.text import has_visible, normalize, strip_markup, utf16_len, words

# (A class and then its repetition, not "[...]+": searched for in C; see news.regions._LINE_BREAK.)
_INLINE_SPACE = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000][ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]*")
# Control characters other than tab and line breaks: never text, and a NUL even ends a string
# for SQLite's length() (a title of NULs failed the table's CHECK and aborted a whole import).
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# JSON can carry "\ud800", which is no character: SQLite cannot store it as UTF-8.
_SURROGATE = re.compile("[\ud800-\udfff]")
# Either, in one scan: most fields hold neither, and are then kept as they are.
_CONTROL_OR_SURROGATE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
_BLANK_LINES = re.compile(r"\n\s*\n+")


class InvalidArticle(ValueError):
    """A field that cannot be stored; the message names it, for the operator's report."""


class UrlTooLong(InvalidArticle):
    """A link longer than any real one (browsers stop near 2,000 characters)."""


# Counted as Telegram counts (UTF-16 units), so that a reply quoting a link always fits.
MAX_URL_CHARS = 2048
# The longest article text kept (a long feature is 30,000 characters): past it, a body (a
# broken feed's, a 210 MB line of an import) is cut at its last paragraph, or word, before —
# what is stored, indexed and read back with /read stays a news article's size.
MAX_BODY_CHARS = 200_000


def _text(name: str, value: str) -> str:
    """A text field with its control characters made spaces; InvalidArticle if it is not text."""
    if not _CONTROL_OR_SURROGATE.search(value):  # the usual field: one scan, kept as it is
        return value
    if _SURROGATE.search(value):
        raise InvalidArticle(f"{name} is not valid text (it holds a lone UTF-16 surrogate)")
    return _CONTROL.sub(" ", value)


def _cut(text: str, limit: int) -> str:
    """`text` if it is at most `limit` characters, else its start up to the last paragraph
    break (else space) before the limit."""
    if len(text) <= limit:
        return text
    start = text[:limit]
    for boundary in ("\n\n", "\n", " "):
        at = start.rfind(boundary)
        if at > limit // 2:
            return start[:at]
    return start


def clean_title(title: str) -> str:
    return _INLINE_SPACE.sub(" ", title.replace("\r", " ").replace("\n", " ")).strip()


def clean_body(body: str) -> str:
    """Paragraphs separated by one blank line, each line's spacing tidied."""
    if "\n" not in body and "\r" not in body:
        return _INLINE_SPACE.sub(" ", body).strip()  # one line: what the general case makes of it
    body = body.replace("\r\n", "\n").replace("\r", "\n")
    paragraphs = (
        "\n".join(_INLINE_SPACE.sub(" ", line).strip() for line in block.split("\n")).strip()
        for block in _BLANK_LINES.split(body)
    )
    return "\n\n".join(p for p in paragraphs if p)


# A link plainly fit to store: an http(s) scheme, a host of ASCII letters, digits, dots and
# hyphens, an optional port, then printable ASCII without spaces.  Most links are such, and
# `check_url` need not split them (urlsplit is most of its cost) to accept them as they are.
_PLAIN_URL = re.compile(r"https?://[A-Za-z0-9.\-]+(?::[0-9]{1,5})?(?:[/?#][\x21-\x7e]*)?")


def check_url(url: str) -> str:
    """Only web links are stored: anything else (javascript:, data:, file:) is refused."""
    url = url.strip()
    if len(url) <= MAX_URL_CHARS and _PLAIN_URL.fullmatch(url):
        return url
    if utf16_len(url) > MAX_URL_CHARS:
        raise UrlTooLong(f"url is longer than {MAX_URL_CHARS} characters")
    try:
        parts = urlsplit(url)
    except ValueError:  # "http://[": a bracket that opens an IPv6 address and never closes
        raise InvalidArticle(f"url is not a valid link: {url[:60]!r}") from None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        raise InvalidArticle(f"url must be an http(s) link, not {url[:60]!r}")
    # Every space but " " is a non-printable separator for Python, so this is "no space, no
    # control character" tested in C rather than character by character.
    if " " in url or not url.isprintable():
        raise InvalidArticle(f"url holds spaces or control characters: {url[:60]!r}")
    return url


def as_utc(moment: datetime) -> datetime:
    """Aware times are converted to UTC; a naive time is taken to be UTC already."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def publication_time(moment: datetime) -> datetime:
    """`moment` in UTC (a naive one taken as UTC); InvalidArticle if no article is dated so
    (news.model.is_publication_time).  Refused, as a date that cannot be read is, not stored
    undated: that would pass an archive's article off as news of the hour it was stored, so
    leaving the date out is the operator's choice."""
    try:
        utc = as_utc(moment)
    except OverflowError:  # year 1 east of UTC, or year 9999 west of it
        utc = None
    if utc is None or not is_publication_time(utc):
        raise InvalidArticle(
            f"published_at is out of range: {moment.isoformat()} (a news date is from "
            f"{EARLIEST_PUBLICATION.year} to {LATEST_PUBLICATION.year - 1}: leave published_at out if the article has none)"
        )
    return utc


def make_article(
    *,
    title: str,
    body: str = "",
    summary: str = "",
    url: str | None = None,
    source: str = "",
    published_at: datetime | None = None,
    lang: str = "ar",
    topics: Iterable[str] = (),
    categories: Iterable[str | None] = (),
    guid: str | None = None,
    source_id: int | None = None,
) -> NewArticle:
    """A cleaned article with everything derived from its text: keys, topics, regions, index.

    `topics` are kept as given (an admin's or the import's); `categories` are the source's own
    sections; the lexicon adds what the text itself says (news.classify).
    """
    # Titles are plain text: a tag left in one (an import's, a feed's) is dropped, not shown.
    title = clean_title(strip_markup(_text("title", title)))
    if not title:
        raise InvalidArticle("title is empty")
    if not has_visible(title):
        raise InvalidArticle("title is empty: only invisible characters (bidi marks, zero-width joiners)")
    body = clean_body(_text("body", _cut(body, MAX_BODY_CHARS)))
    summary = clean_title(_text("summary", summary))
    source, url, guid = _text("source", source), url and _text("url", url), guid and _text("guid", guid)
    lang = _text("lang", lang)
    if published_at is not None:
        published_at = publication_time(published_at)
    title_key = normalize(title)
    # The wilayas of the title and body in one pass; the title's own are the story matcher's.
    regions, title_wilayas, lead_wilayas = wilayas_in_article(title, body, LEAD_CHARACTERS)
    # Each text is split into words once, for the index and the classifier alike.
    title_words, body_words = words(title), words(body)
    search = search_text(title_words, body_words)
    # Topics given (an admin's, the import's) are final: the lead's words would not be read.
    given = tuple(dict.fromkeys(topics))
    filing = file_words(title_words, [] if given else lead_words(body, body_words), given=given, categories=categories)
    # The content key reuses the index's normalized words rather than normalizing again.
    digest = hashlib.sha256(f"{search.title_words}\n{search.body_words}".encode()).hexdigest()
    return NewArticle(
        title=title,
        title_key=title_key,
        content_hash=digest,
        body=body,
        summary=summary,
        url=check_url(url) if url else None,
        source=clean_title(source),
        published_at=published_at,
        lang=lang,
        topics=filing.topics,
        topic_margin=filing.margin,
        regions=regions,
        search=search,
        guid=guid.strip()[:500] if guid else None,
        source_id=source_id,
        story_key=_story_key(title, title_key, body_words, summary, title_wilayas, lead_wilayas),
    )


def article_story_key(title: str, body: str, summary: str = "") -> StoryKey:
    """The story key make_article gave a stored article (its title, body and summary, cleaned
    when stored): the keys a process remembers at its start and `akhbar stories-rebuild` reads
    are the ones ingestion read — the same places of the lead, the same text — so a restart
    or a rebuild files the next articles as the running process would have."""
    _, title_wilayas, lead_wilayas = wilayas_in_article(title, body, LEAD_CHARACTERS)
    # The key reads the first BODY_DIGEST_WORDS words: those of the body's start, when it holds
    # one more (the last one read whole), are the body's own.
    body_words = words(body[:_KEY_CHARACTERS])
    if len(body) > _KEY_CHARACTERS and len(body_words) <= BODY_DIGEST_WORDS:
        body_words = words(body)
    return _story_key(title, normalize(title), body_words, summary, title_wilayas, lead_wilayas)


_KEY_CHARACTERS = 2000


def _story_key(
    title: str,
    title_key: str,
    body_words: list[str],
    summary: str,
    title_wilayas: tuple[int, ...],
    lead_wilayas: tuple[int, ...],
) -> StoryKey:
    """The story key of an article read once (a summary stands for a body that is missing)."""
    return story_key(
        title, normalized_title=title_key, body_words=body_words or words(summary), title_wilayas=title_wilayas,
        lead_wilayas=lead_wilayas if body_words else None,
    )
