"""The fast path of parse_feed: well-formed RSS 2.0 and Atom 1.0 read with lxml.

feedparser reads a feed through SAX callbacks and a large state machine written in Python,
about 0.25 ms an item: most of the ingestion budget.  lxml builds the tree in C, and this
module reads the tree the way feedparser's state machine would, so that parse_feed gives
exactly the same (title, items) whichever path a document takes.  Concretely:

* the same text steps as feedparser's `pop()`: strip, the UTF-8-read-as-Latin-1 repair, the
  cp1252 mapping of C1 characters, RSS's "does this plain field look like HTML" guess, URL
  resolution (xml:base, with feedparser's own quirks) and its `&amp;` fix-ups in links;
* the same field rules: first non-empty title, description vs content:encoded (a content
  copied into an empty summary), guid as link, last date element wins, the tag list;
* HTML fields are turned into text by news.feeds.sanitizer like the other path; feedparser's
  sanitizer, which runs first there, is skipped only for markup in a strict grammar where it
  provably cannot change the text (tests/test_feeds_fastpath.py checks that property on
  generated markup), and is called, as the other path does, for anything else;
* dates in the two standard forms (RFC 822, RFC 3339) are read with the standard library,
  any other form with feedparser's own date parser, so that odd dates agree too.

Its contract is "the same result, or None": whatever it does not model (RSS 1.0/RDF, RSS
0.9x, Atom 0.3, a DOCTYPE, XML 1.1, an element feedparser gives a meaning it does not
reproduce such as media:title or itunes:*, a second title or description in an item, HTML
with children in a text field, a feed without items...) raises _Unsupported, and parse_feed
then takes the feedparser path for the whole document.  lxml is configured not to resolve
entities, load DTDs or touch the network, and not to accept huge trees.
"""

from __future__ import annotations

import html.entities
import re
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from functools import lru_cache
from xml.sax.saxutils import escape as _xml_escape

from feedparser.api import StrictFeedParser as _FeedparserReader
from feedparser.datetimes import _parse_date as _feedparser_date
from feedparser.html import _cp1252 as _CP1252
from feedparser.mixin import _FeedParserMixin
from feedparser.sanitizer import _HTMLSanitizer, _sanitize_html
from feedparser.urls import _urljoin, make_safe_absolute_uri
from lxml import etree

from news.feeds.jsonfeed import lang_code
from news.feeds.model import utc_from_struct, FeedItem
from news.feeds.sanitizer import _FOREIGN, _LINES, _PARAGRAPHS, _SKIPPED, html_to_text, one_line, tidy_text
from news.feeds.urlcleaner import normalize_url


class _Unsupported(Exception):
    """A construct whose feedparser semantics this module does not reproduce."""


PLAIN = "text/plain"
HTML = "text/html"
XHTML = "application/xhtml+xml"
ATOM_NS = "http://www.w3.org/2005/Atom"
XHTML_NS = "http://www.w3.org/1999/xhtml"
XML_NS = "http://www.w3.org/XML/1998/namespace"

# ---------------------------------------------------------------- namespaces and names

# feedparser's table: lower-cased namespace URI → the prefix its handlers are named after.
# (The same as its _matchnamespaces, which it only fills once a parser has been made.)
_MATCH = {uri.lower(): prefix for uri, prefix in _FeedParserMixin.namespaces.items()}
_STD_PREFIXES = frozenset(prefix.lower() for prefix in _MATCH.values() if prefix)
# Declaring these changes feedparser's idea of the format (track_namespace) or its attributes.
_VERSION_URIS = frozenset({"http://my.netscape.com/rdf/simple/0.9/", "http://purl.org/rss/1.0/"})
_XLINK = "http://www.w3.org/1999/xlink"

# Every element name feedparser has a handler for (`_start_x` / `_end_x`, x as below).
_HANDLED = frozenset(
    name.split("_", 2)[2].lower() for name in dir(_FeedparserReader) if name.startswith(("_start_", "_end_"))
)
# Names an unknown element would be stored under that the items are built from (FeedParserDict
# maps some keys onto others: "guid" is "id", "date_parsed" is "updated_parsed"...).
_COLLIDING = frozenset(
    {
        "title", "title_detail", "summary", "summary_detail", "content", "link", "links", "id", "guid",
        "published_parsed", "updated_parsed", "issued_parsed", "modified_parsed", "date_parsed", "tags",
        "category", "language", "description", "description_detail", "subtitle", "subtitle_detail",
    }
)  # fmt: skip

# Elements feedparser has handlers for whose effects never reach a FeedItem (authors, media
# files, rights...): allowed anywhere in an item or entry, with the leaf children listed
# besides passive ones (None: no element children at all).
_PASSIVE: dict[str, object] = {
    "author": ("name", "email", "uri", "url", "homepage"),
    "contributor": ("name", "email", "uri", "url", "homepage"),
    "dc_creator": None,
    "dc_author": None,
    "dc_publisher": None,
    "dc_rights": None,
    "dc_contributor": None,
    "managingeditor": None,
    "webmaster": None,
    "rights": None,
    "copyright": None,
    "enclosure": None,
    "created": None,
    "dcterms_created": None,
    "expirationdate": None,
    "media_content": (),
    "media_group": (),
    "media_thumbnail": None,
    "media_credit": None,
    "media_rating": None,
    "media_restriction": None,
    "media_license": None,
    "media_player": None,
}
_PUBLISHED = frozenset({"pubdate", "published", "issued", "dcterms_issued"})
_UPDATED = frozenset({"updated", "modified", "lastbuilddate", "dc_date", "dcterms_modified"})
_LANGUAGE = frozenset({"language", "dc_language"})
_CATEGORY = frozenset({"category", "dc_subject"})

# RSS channel children with no effect on the feed title, the feed language or the items.
_RSS_CHANNEL_PASSIVE = frozenset(
    {
        "link", "description", "copyright", "managingeditor", "webmaster", "pubdate", "lastbuilddate",
        "category", "generator", "docs", "cloud", "ttl", "rating", "skiphours", "skipdays", "dc_creator",
        "dc_rights", "dc_publisher", "dc_date", "dc_subject", "dcterms_modified", "dcterms_created",
        "author",
    }
)  # fmt: skip
_RSS_IMAGE_CHILDREN = frozenset({"title", "url", "link", "width", "height", "description"})
_ATOM_FEED_PASSIVE = frozenset(
    {
        "subtitle", "id", "link", "updated", "published", "generator", "icon", "logo", "rights", "category",
        "dc_rights", "dc_publisher", "dc_creator", "dc_date", "dc_subject",
    }
)  # fmt: skip
_CONTENT_TYPES = {"text": PLAIN, "plain": PLAIN, "html": HTML, "xhtml": XHTML, PLAIN: PLAIN, HTML: HTML, XHTML: XHTML}
# XHTML elements whose end feedparser hands to a handler instead of copying it (<body>).
_XHTML_HANDLED = frozenset(name[len("xhtml_") :] for name in _HANDLED if name.startswith("xhtml_"))
_XHTML_REFUSED = frozenset({"svg", "math"})


def _declarations(document: bytes) -> list[tuple[str | None, str]]:
    """The namespace declarations, in document order; _Unsupported where feedparser's names would differ.

    Found with a regular expression, which may also find some in text (escaped markup): that
    only ever makes the checks stricter, never misses a real declaration.
    """
    found = []
    for match in _XMLNS.finditer(document):
        prefix = match.group(1).decode("utf-8") if match.group(1) is not None else None
        uri = (match.group(2) if match.group(2) is not None else match.group(3)).decode("utf-8")
        if "&" in uri:
            raise _Unsupported("a reference in a namespace URI")
        std = _MATCH.get(_userland(uri.lower()))
        if uri == _XLINK:
            raise _Unsupported("xlink")  # feedparser adds its declaration to the next element's attributes
        if prefix and std is not None and prefix.lower() in _STD_PREFIXES and prefix.lower() != std.lower():
            raise _Unsupported("a standard prefix for another namespace")  # feedparser's namespacemap
        found.append((prefix, uri))
    # A prefix of a namespace feedparser knows, also used for another one: its names get mixed up.
    uris_of: dict[str, set[str]] = {}
    for prefix, uri in found:
        if prefix:
            uris_of.setdefault(prefix.lower(), set()).add(uri)
    for prefix, uri in found:
        if prefix and _userland(uri.lower()) in _MATCH and len(uris_of[prefix.lower()]) > 1:
            raise _Unsupported("a prefix bound to two namespaces")
    return found


_XMLNS = re.compile(rb"""xmlns(?::([^\s=>/"']+))?\s*=\s*(?:"([^"]*)"|'([^']*)')""")


def _userland(lowered: str) -> str:
    return "http://backend.userland.com/rss" if "backend.userland.com/rss" in lowered else lowered


class _Names:
    """feedparser's name for an element: "title", "dc_creator", "content_encoded"..."""

    def __init__(self, declarations: list[tuple[str | None, str]]) -> None:
        self._prefixes_of: dict[str, set[str | None]] = {}  # unknown namespace → its prefixes
        self._uris_of: dict[str, set[str]] = {}  # lower-cased prefix → its namespaces
        for prefix, uri in declarations:
            self._prefixes_of.setdefault(uri, set()).add(prefix or None)
            if prefix:
                self._uris_of.setdefault(prefix.lower(), set()).add(uri)
        self._cache: dict[str, str] = {}

    def __call__(self, tag: str) -> str:
        name = self._cache.get(tag)
        if name is None:
            name = self._cache[tag] = self._name(tag)
        return name

    def _name(self, tag: str) -> str:
        if tag[0] != "{":
            return tag.lower()
        uri, local = tag[1:].split("}", 1)
        local = local.lower()
        prefix = _MATCH.get(_userland(uri.lower()))
        if prefix is None:
            # feedparser names an unknown namespace's elements after the first prefix declared
            # for it at the time, or not at all (<post-id xmlns="com-wordpress:...">): only
            # certain when it has one prefix, or is only ever the default namespace.
            prefixes = self._prefixes_of.get(uri, set())
            if prefixes == {None}:
                prefix = ""
            elif len(prefixes) != 1 or None in prefixes:
                raise _Unsupported("an unknown namespace under several prefixes")
            else:
                (prefix,) = prefixes
                if len(self._uris_of[prefix.lower()]) != 1:
                    raise _Unsupported("a prefix bound to two namespaces")
        return f"{prefix.lower()}_{local}" if prefix else local


# ---------------------------------------------------------------- text: feedparser's pop()


_C1_UTF8 = re.compile(b"\xc2[\x80-\x9f]")
_BEYOND_LATIN1 = re.compile("[^\x00-\xff]")


def _has_c1(text: str) -> bool:
    """Whether `text` holds U+0080–U+009F (fast: a regular expression crawls through Arabic)."""
    if text.isprintable():  # C1 characters are not
        return False
    data = text.encode("utf-8", "surrogatepass")
    return b"\xc2" in data and _C1_UTF8.search(data) is not None


def _finish(output: str) -> str:
    """The last steps of feedparser's pop(): UTF-8 read as Latin-1 repaired, C1 mapped as cp1252."""
    if output.isascii():
        return output
    if not _BEYOND_LATIN1.search(output):  # else the encoding below fails: nothing to repair
        try:
            output = output.encode("iso-8859-1").decode("utf-8")
        except UnicodeDecodeError:
            pass
    return output.translate(_CP1252) if _has_c1(output) else output


_looks_like_html = _FeedParserMixin.looks_like_html


def _map_content_type(value: str) -> str:
    return _FeedParserMixin.map_content_type(value)


class _Field:
    """A text field as feedparser stores it: the stripped source, its type, the sanitized value."""

    __slots__ = ("raw", "kind", "lang", "_value", "_text")

    def __init__(self, raw: str, kind: str, lang: str | None = None) -> None:
        self.raw, self.kind, self.lang = raw, kind, lang
        self._value: str | None = None
        self._text: str | None = None

    @property
    def value(self) -> str:
        """feedparser's value for the field (sanitized HTML for the HTML kinds)."""
        if self._value is None:
            raw = self.raw
            self._value = _finish(raw if self.kind == PLAIN else _sanitize_html(raw, "utf-8", self.kind))
        return self._value

    @property
    def text(self) -> str:
        """What parser._detail_text makes of it: to_text with the field's own type."""
        if self._text is None:
            if self.kind == PLAIN:
                value = self.value
                self._text = tidy_text(value) if value else ""
            elif self.kind == HTML and _sanitizer_is_neutral(self.raw):
                self._text = html_to_text(self.raw)
            else:
                value = self.value
                self._text = html_to_text(value) if value else ""
        return self._text


def _same_value(a: _Field, b: _Field) -> bool:
    """feedparser's `summary == content value`, computing sanitized values only when undecided."""
    if a.kind == b.kind:
        if a.raw == b.raw:
            return True
        if a.text != b.text:  # the text is a function of the value for a given kind
            return False
    return a.value == b.value


def _text_field(raw: str, guess: bool, kind: str = PLAIN, lang: str | None = None) -> _Field:
    raw = raw.strip()
    if guess and kind == PLAIN and ("<" in raw or "&" in raw) and _looks_like_html(raw):
        kind = HTML  # RSS's plain fields are HTML when they look like it
    return _Field(raw, kind, lang)


# ---------------------------------------------------------------- when feedparser's sanitizer cannot matter

# The grammar of markup where feedparser's sanitizer (sgmllib) and html_to_text (HTMLParser)
# tokenize alike and the sanitizer's changes (dropped tags, dropped <script>/<style> text,
# re-spelled references, <br/> → <br />) leave html_to_text's result as it is.  Left out: bare
# "<", references without ";" or unknown to HTML 4 (sgmllib re-spells them), unquoted or
# "<>"-holding attribute values, CDATA and declarations, tags whose content one side drops and
# the other keeps (applet, iframe/object/title... unless empty, svg, math), break tags the
# sanitizer drops (main, summary), ends of void break tags (</hr>), self-closed skipped tags,
# script/style bodies holding "<" or "&" (the sanitizer drops their text, not their references).
_ACCEPTED = _HTMLSanitizer.acceptable_elements
_VOID = _HTMLSanitizer.elements_no_end_tag
_BLOCKS = frozenset({"script", "style"})  # dropped with their text by both
_REFUSED = (
    (_HTMLSanitizer.unacceptable_elements_with_end_tag - _BLOCKS)  # applet: text dropped by one side only
    | (_FOREIGN - _ACCEPTED)  # svg, math: the sanitizer's own rules
    | ((_PARAGRAPHS | _LINES) - _ACCEPTED)  # a break html_to_text makes and the sanitizer drops
)
_EMPTY_ONLY = _SKIPPED - _ACCEPTED - _BLOCKS - _REFUSED  # text hidden by one side only: none allowed
_NO_END_TAG = frozenset(tag for tag in _VOID if tag in _PARAGRAPHS or (tag in _LINES and tag != "br"))
_WS = "[ \t\n\r\f]"
_ATTRS = rf"""(?:{_WS}+[A-Za-z_][-A-Za-z0-9_:.]*(?:{_WS}*={_WS}*(?:"[^"<>]*"|'[^'<>]*'))?)*+{_WS}*"""
_END = "(?![A-Za-z0-9])"


def _names(tags) -> str:
    return "|".join(sorted(tags, key=lambda tag: (-len(tag), tag)))


_ENTITY_NAMES = _names([*html.entities.name2codepoint, "apos"])
_REFERENCE = re.compile(  # HTML 4 names (sgmllib re-spells any other), numbers; or a bare "&"
    rf"&(?:(?:{_ENTITY_NAMES});|#[0-9]{{1,7}};|#[xX][0-9A-Fa-f]{{1,6}};|(?![A-Za-z#]))"
)
_COMMENT = re.compile(r"<!--(?:[^-<>]|-(?!-))*+-->")
_START_TAG = re.compile(rf"<([A-Za-z][A-Za-z0-9]*){_ATTRS}(/?)>")
_END_TAG = re.compile(rf"</([A-Za-z][A-Za-z0-9]*){_WS}*>")
# After <script> / <style>: a body without "<" or "&", then the end tag.  After <iframe> and
# the like: the end tag at once.
_BODY_END = {tag: re.compile(rf"[^<&]*+</{tag}{_WS}*>", re.IGNORECASE) for tag in _BLOCKS}
_EMPTY_END = {tag: re.compile(rf"</{tag}{_WS}*>", re.IGNORECASE) for tag in _EMPTY_ONLY}
_START_REFUSED = _REFUSED
_SELF_CLOSED_REFUSED = _REFUSED | _SKIPPED
_END_REFUSED = _REFUSED | _BLOCKS | _EMPTY_ONLY | _NO_END_TAG


def _token_end(raw: str, at: int) -> int:
    """Where the grammar's token starting at raw[at] ("<" or "&") ends; -1 if there is none."""
    if raw[at] == "&":
        token = _REFERENCE.match(raw, at)
        return token.end() if token else -1
    following = raw[at + 1 : at + 2]
    if following == "!":
        token = _COMMENT.match(raw, at)
        return token.end() if token else -1
    if following == "/":
        token = _END_TAG.match(raw, at)
        return token.end() if token and token.group(1).lower() not in _END_REFUSED else -1
    token = _START_TAG.match(raw, at)
    if token is None:
        return -1
    tag = token.group(1).lower()
    if token.group(2):  # <tag/>
        return -1 if tag in _SELF_CLOSED_REFUSED else token.end()
    if tag in _BLOCKS or tag in _EMPTY_ONLY:
        rest = (_BODY_END.get(tag) or _EMPTY_END[tag]).match(raw, token.end())
        return rest.end() if rest else -1
    return -1 if tag in _START_REFUSED else token.end()


def _markup_is_neutral(raw: str) -> bool:
    # Every "<" and "&" must start a token of the grammar; the text between them is free.
    # (str.find, moving forward only: linear, and much faster than a regular expression
    # stepping through long Arabic text.)
    find = raw.find
    lt, amp = find("<"), find("&")
    while lt >= 0 or amp >= 0:
        end = _token_end(raw, lt if amp < 0 or 0 <= lt < amp else amp)
        if end < 0:
            return False
        if 0 <= lt < end:
            lt = find("<", end)
        if 0 <= amp < end:
            amp = find("&", end)
    return True


# Tags, comments and script/style bodies: what is left is the text the sanitizer keeps.
_NOT_TEXT = re.compile(r"(?is)<(script|style)\b[^>]*>[^<]*</\1\s*>|<!--.*?-->|<[^>]*>")
_KEEPS_NON_LATIN1 = re.compile(r"[^\x00-\xff\s]")


def _sanitizer_is_neutral(raw: str) -> bool:
    """True if html_to_text gives the same for `raw` as for feedparser's value of it."""
    markup = "<" in raw
    if (markup or "&" in raw) and not _markup_is_neutral(raw):
        return False
    if raw.isascii():
        return True
    kept = _NOT_TEXT.sub("", raw) if markup else raw  # (well-formed markup here: linear)
    # C1 characters are mapped by cp1252 after the sanitizer has stripped its ends; and the
    # Latin-1 → UTF-8 repair runs on the sanitized markup: only certain not to apply when the
    # text it keeps holds a character beyond Latin-1 (not a space, which its strip() may remove).
    return not _has_c1(kept) and _KEEPS_NON_LATIN1.search(kept) is not None


# ---------------------------------------------------------------- dates


_MONTHS = "Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec"
_RFC822 = re.compile(
    rf"(?:(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), )?[0-9]{{1,2}} (?:{_MONTHS}) [1-9][0-9]{{3}} "
    r"[0-2][0-9]:[0-5][0-9](?::[0-5][0-9])? (?:[+-][0-9]{4}|GMT|UT|UTC)"
)  # (a 4-digit year from 1000: email.utils reads "0099" as 1999, feedparser as 99)
_RFC3339 = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-2][0-9]:[0-5][0-9]:[0-5][0-9](?:\.[0-9]{1,6})?(?:Z|[+-][0-2][0-9]:[0-5][0-9])"
)  # (offsets with a colon: feedparser reads "+0130" as +01:00)


def _parse_date(value: str) -> datetime | None:
    """feedparser's date for `value`, as parser._utc makes it: aware UTC, whole seconds."""
    if not value:
        return None
    try:
        if _RFC3339.fullmatch(value):
            moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
            return moment.astimezone(UTC).replace(microsecond=0)
        if _RFC822.fullmatch(value):
            moment = parsedate_to_datetime(value)
            if moment.tzinfo is None:  # "-0000"
                moment = moment.replace(tzinfo=UTC)
            return moment.astimezone(UTC)
    except (ValueError, OverflowError, TypeError, IndexError):
        pass
    # Any other form: feedparser's own parser, so that both paths agree on odd dates too.
    return utc_from_struct(_feedparser_date(value))




# ---------------------------------------------------------------- attributes and xml:base


def _rss_attrs(element) -> dict[str, str]:
    """An RSS element's attributes as feedparser sees them (names lower-cased)."""
    attrib = element.attrib
    if not attrib:
        return {}
    attrs = {}
    for key, value in attrib.items():
        if key[0] == "{":
            raise _Unsupported("a namespaced attribute in RSS")
        key = key.lower()
        if key in ("lang", "base"):  # feedparser takes these for xml:lang / xml:base
            raise _Unsupported("lang/base in RSS")
        attrs[key] = value.lower() if key in ("rel", "type") else value
    if len(attrs) != len(attrib):
        raise _Unsupported("attributes differing in case only")
    return attrs


def _atom_attrs(element) -> dict[str, str]:
    """An Atom element's attributes as feedparser builds them (StrictFeedParser.startElementNS)."""
    attrib = element.attrib
    if not attrib:
        return {}
    attrs: dict[str, str] = {}
    items = attrib.items()
    for key, value in items:
        if key[0] == "{":
            uri, local = key[1:].split("}", 1)
            if uri != XML_NS:
                raise _Unsupported("a namespaced attribute")
            attrs["xml:" + local.lower()] = value
        else:
            attrs[key.lower()] = value
    for key, value in items:  # the qualified names again: xml:lang is also "lang"
        attrs[(key.split("}", 1)[1] if key[0] == "{" else key).lower()] = value
    return {key: (value.lower() if key in ("rel", "type") else value) for key, value in attrs.items()}


@lru_cache(maxsize=512)
def _rebase(current: str, given: str) -> str:
    # feedparser's unknown_starttag, for xml:base.
    if current:
        return make_safe_absolute_uri(current, given) or current
    return _urljoin(current, given)


class _Scope:
    """feedparser's xml:base and xml:lang stacks (unknown_starttag / unknown_endtag)."""

    __slots__ = ("base", "bases", "lang", "langs")

    def __init__(self) -> None:
        self.base = ""
        self.bases: list[str] = []
        self.lang: str | None = None
        self.langs: list[str | None] = []

    def start(self, attrs: dict[str, str]) -> str | None:
        given = attrs.get("xml:base", attrs.get("base")) or self.base
        self.base = _rebase(self.base, given)
        lang = attrs.get("xml:lang", attrs.get("lang"))
        if lang == "":
            lang = None
        elif lang is None:
            lang = self.lang
        self.lang = lang
        self.bases.append(self.base)
        self.langs.append(lang)
        return lang

    def end(self) -> None:
        self.bases.pop()
        if self.bases and self.bases[-1]:  # feedparser keeps an inner base when the outer is ""
            self.base = self.bases[-1]
        self.langs.pop()
        if self.langs:
            self.lang = self.langs[-1]


def _is_element(node) -> bool:
    return isinstance(node.tag, str)


def _leaf_text(element) -> str:
    if len(element):  # element children, comments or processing instructions
        raise _Unsupported("children in a text element")
    return element.text or ""


# ---------------------------------------------------------------- one item or entry


class _Entry:
    """What feedparser's entry dict would hold of the keys parser._item reads."""

    __slots__ = (
        "title", "title_detail", "_title_depth", "_title_level", "summary", "content", "link", "guid",
        "published", "updated", "tags", "language",
    )  # fmt: skip

    def __init__(self) -> None:
        self.title: _Field | None = None  # whose value is entry["title"]
        self.title_detail: _Field | None = None  # whose type and language are entry["title_detail"]
        self._title_depth = -1  # feedparser's title_depth, reset by each item
        self._title_level: int | None = None  # the depth entry["title"] was stored from
        self.summary: _Field | None = None  # a <description>/<summary> of its own
        self.content: _Field | None = None
        self.link: str | None = None  # None: no link key at all
        self.guid: str | None = None
        self.published: datetime | None = None
        self.updated: datetime | None = None
        self.tags: list[list] = []
        self.language: str | None = None

    def title_element(self, field: _Field, depth: int, media: bool = False) -> None:
        """A <title> (or dc:title, media:title) at `depth` below the item: feedparser's pop()."""
        if not -1 < self._title_depth <= depth:
            if self._title_level is None or depth <= self._title_level:
                self._title_level = depth
                self.title = field
            self.title_detail = field  # whatever the depth
        # _end_title; media:title's handler puts title_depth back as it was.
        if not media and field.raw and (field.kind == PLAIN or field.value):
            self._title_depth = depth

    def source_element(self) -> None:
        self._title_depth = -1  # _start_source

    def title_text(self) -> str:
        """parser._item's title (before one_line): the value of one, the type of the other."""
        value, detail = self.title, self.title_detail
        if value is None or detail is None:
            return ""
        if detail is value or ("html" in detail.kind) == ("html" in value.kind):
            return value.text
        text = value.value
        return (html_to_text(text) if "html" in detail.kind else tidy_text(text)) if text else ""

    def add_tag(self, term, scheme, label) -> None:
        if not term and not scheme and not label:
            return
        tag = [term, scheme, label]
        if tag not in self.tags:
            self.tags.append(tag)

    def end_category(self, value: str) -> None:
        if not value:
            return
        if self.tags and not self.tags[-1][0]:
            self.tags[-1][0] = value
        else:
            self.add_tag(value, None, None)

    def category(self, attrs: dict[str, str], text: str) -> None:
        self.add_tag(attrs.get("term"), attrs.get("scheme", attrs.get("domain")), attrs.get("label"))
        self.end_category(_finish(text.strip()))

    def guid_element(self, attrs: dict[str, str], text: str, base: str) -> None:
        guid_is_link = attrs.get("ispermalink", "true") == "true"
        value = text.strip()
        if value and guid_is_link:
            value = _urljoin(base, value)
        value = _finish(value)
        self.guid = value
        if guid_is_link and self.link is None:
            self.link = value

    def link_text(self, text: str, base: str) -> None:
        value = text.strip()
        if value:
            value = _urljoin(base, value)
        value = _finish(value).replace("&amp;", "&")
        self.link = _LINK_ENTITY.sub(r"&\g<1>", value)

    def item(self, base_url: str | None, feed_lang: str | None) -> FeedItem | None:
        """parser._item on this entry."""
        content = self.content
        body = content.text if content else ""
        if self.summary is None:
            summary = ""  # none, or feedparser's copy of the content: "not one"
        elif content and _same_value(self.summary, content):
            summary = ""
        else:
            summary = self.summary.text
        title = one_line(self.title_text())
        if not (title or summary or body):
            return None
        terms = (one_line(term or label or "") for term, _scheme, label in self.tags)
        lang = lang_code(self.language)
        if lang is None:
            for field in (self.title_detail, self.summary, content):
                if field is not None and (lang := lang_code(field.lang)):
                    break
        return FeedItem(
            title=title,
            url=normalize_url(self.link, base_url),
            guid=(self.guid or "").strip() or None,
            summary=summary,
            body=body,
            published_at=self.published or self.updated,
            categories=tuple(dict.fromkeys(term for term in terms if term)),
            lang=lang or feed_lang,
        )


_LINK_ENTITY = re.compile("&([A-Za-z0-9_]+);")


def _passive(
    element, name: str, names: _Names, scope: _Scope | None, entry: _Entry | None = None, depth: int = 1
) -> None:
    """Check that an element's feedparser handling cannot touch a FeedItem (walking its scope).

    Passive: listed in _PASSIVE, or unknown to feedparser (no handler; it then stores the text
    under a name no item field is read from); its children are its listed leaves or passive.
    In an item, media:title is a title (`entry` and `depth` say which item and how deep).
    """
    if name == "media_title" and entry is not None:
        _media_title(element, entry, depth, scope)
        return
    leaves = _PASSIVE.get(name, ())
    if name not in _PASSIVE and (name in _HANDLED or name in _COLLIDING):
        raise _Unsupported(f"<{name}>")
    if scope is not None:
        scope.start(_atom_attrs(element))
    else:
        _rss_attrs(element)
    for child in element:
        if not _is_element(child):
            continue
        if leaves is None:
            raise _Unsupported(f"children in <{name}>")
        child_name = names(child.tag)
        if child_name in leaves:
            if scope is not None:
                scope.start(_atom_attrs(child))
                _leaf_text(child)
                scope.end()
            else:
                _rss_attrs(child)
                _leaf_text(child)
        else:
            _passive(child, child_name, names, scope, entry, depth + 1)
    if scope is not None:
        scope.end()


def _media_title(element, entry: _Entry, depth: int, scope: _Scope | None) -> None:
    # _start_media_title is _start_title; its end puts title_depth back.
    if scope is None:
        attrs = _rss_attrs(element)
        kind = _content_kind(attrs)
        if kind == XHTML:
            raise _Unsupported("XHTML media:title in RSS")
        entry.title_element(_text_field(_leaf_text(element), guess=True, kind=kind), depth, media=True)
    else:
        attrs = _atom_attrs(element)
        scope.start(attrs)
        entry.title_element(_atom_text(element, attrs, scope), depth, media=True)
        scope.end()


# ---------------------------------------------------------------- RSS 2.0


def _rss_item(item, names: _Names) -> _Entry:
    if item.attrib:
        raise _Unsupported("attributes on <item>")
    entry = _Entry()
    seen: set[str] = set()
    for child in item:
        if not _is_element(child):
            continue
        name = names(child.tag)
        if name in ("title", "dc_title"):
            if _rss_attrs(child):
                raise _Unsupported(f"attributes on <{name}>")
            entry.title_element(_text_field(_leaf_text(child), guess=True), 1)
        elif name in ("description", "content_encoded", "guid"):
            if name in seen:
                raise _Unsupported(f"a second <{name}>")
            seen.add(name)
            attrs = _rss_attrs(child)
            text = _leaf_text(child)
            if name == "guid":
                entry.guid_element(attrs, text, "")
                continue
            if attrs:
                raise _Unsupported(f"attributes on <{name}>")
            if name == "description":
                entry.summary = _Field(text.strip(), HTML)
            else:
                entry.content = _Field(text.strip(), HTML)
        elif name == "link":
            if _rss_attrs(child):
                raise _Unsupported("attributes on <link>")
            entry.link_text(_leaf_text(child), "")
        elif name in _PUBLISHED:
            _rss_attrs(child)
            entry.published = _parse_date(_finish(_leaf_text(child).strip()))
        elif name in _UPDATED:
            _rss_attrs(child)
            entry.updated = _parse_date(_finish(_leaf_text(child).strip()))
        elif name in _CATEGORY:
            entry.category(_rss_attrs(child), _leaf_text(child))
        elif name in _LANGUAGE:
            _rss_attrs(child)
            entry.language = _finish(_leaf_text(child).strip())
        elif name == "source":
            _rss_attrs(child)
            _leaf_text(child)
            entry.source_element()
        else:
            _passive(child, name, names, None, entry)
    return entry


def _rss(root, names: _Names) -> tuple[_Field | None, str | None, list[_Entry]]:
    attrs = _rss_attrs(root)
    if not attrs.get("version", "").startswith("2.") or set(attrs) != {"version"}:
        raise _Unsupported("not RSS 2.x")
    channels = [child for child in root if _is_element(child)]
    if len(channels) != 1 or names(channels[0].tag) != "channel" or channels[0].attrib:
        raise _Unsupported("not one <channel>")
    title: _Field | None = None
    language: str | None = None
    entries = []
    for child in channels[0]:
        if not _is_element(child):
            continue
        name = names(child.tag)
        if name == "item":
            entries.append(_rss_item(child, names))
        elif name == "title":
            if title is not None or _rss_attrs(child):
                raise _Unsupported("a second channel <title>, or attributes on it")
            title = _text_field(_leaf_text(child), guess=True)
        elif name in _LANGUAGE:
            _rss_attrs(child)
            language = _finish(_leaf_text(child).strip())
        elif name == "image":
            if _rss_attrs(child):
                raise _Unsupported("attributes on <image>")
            for part in child:
                if _is_element(part):
                    if names(part.tag) not in _RSS_IMAGE_CHILDREN or part.attrib:
                        raise _Unsupported("an unusual <image>")
                    _leaf_text(part)
        elif name in _RSS_CHANNEL_PASSIVE:
            _rss_attrs(child)
            for part in child:
                if _is_element(part):
                    part_name = names(part.tag)
                    if name not in ("skiphours", "skipdays") or part_name in _HANDLED or part_name in _COLLIDING:
                        raise _Unsupported(f"children in channel <{name}>")
                    _rss_attrs(part)
                    _leaf_text(part)
        else:
            _passive(child, name, names, None)
    return title, language, entries


# ---------------------------------------------------------------- Atom 1.0


def _content_kind(attrs: dict[str, str]) -> str:
    if "mode" in attrs or "src" in attrs:
        raise _Unsupported("mode/src on a text construct")
    kind = _CONTENT_TYPES.get(_map_content_type(attrs.get("type", "text")))
    if kind is None:
        raise _Unsupported("a non-text content type")
    return kind


def _atom_text(element, attrs: dict[str, str], scope: _Scope) -> _Field:
    """An Atom text construct (title, summary, content) after its start tag."""
    kind = _content_kind(attrs)
    lang = scope.lang
    if kind != XHTML:
        return _Field(_leaf_text(element).strip(), kind, lang)
    pieces: list[str] = []
    _xhtml_pieces(element, scope, pieces)
    # feedparser's pop() for atom10 XHTML: drop blank pieces at both ends, then the wrapping <div>.
    while len(pieces) > 1 and not pieces[-1].strip():
        del pieces[-1]
    while len(pieces) > 1 and not pieces[0].strip():
        del pieces[0]
    if pieces and (pieces[0] == "<div>" or pieces[0].startswith("<div ")) and pieces[-1] == "</div>":
        depth = 0
        for piece in pieces[:-1]:
            if piece.startswith("</"):
                depth -= 1
                if depth == 0:
                    break
            elif piece.startswith("<") and not piece.endswith("/>"):
                depth += 1
        else:
            pieces = pieces[1:-1]
    return _Field("".join(pieces).strip(), kind, lang)


def _xhtml_pieces(element, scope: _Scope, pieces: list[str]) -> None:
    # What feedparser's handle_data collects for inline XHTML: escaped text, tags re-written.
    if element.text:
        pieces.append(_xml_escape(element.text))
    for child in element:
        if _is_element(child):
            tag = child.tag
            if not tag.startswith("{%s}" % XHTML_NS):
                raise _Unsupported("a non-XHTML element in XHTML content")
            local = tag[len(XHTML_NS) + 2 :].lower()
            if local in _XHTML_HANDLED or local in _XHTML_REFUSED:
                raise _Unsupported(f"<{local}> in XHTML content")
            attrs = _atom_attrs(child)
            scope.start(attrs)
            pieces.append("<%s%s>" % (local, _FeedParserMixin.strattrs(list(attrs.items()))))
            _xhtml_pieces(child, scope, pieces)
            pieces.append("</%s>" % local)
            scope.end()
        if child.tail:
            pieces.append(_xml_escape(child.tail))


def _atom_link(entry: _Entry, element, attrs: dict[str, str], scope: _Scope) -> None:
    # feedparser's _start_link for an element that names its target.
    if len(element):
        raise _Unsupported("children in <link>")
    attrs.setdefault("rel", "alternate")
    attrs.setdefault("type", "application/atom+xml" if attrs["rel"] == "self" else "text/html")
    href = attrs.get("url", attrs.get("uri", attrs.get("href", None)))
    if href:
        attrs["href"] = href
    if "href" not in attrs:
        raise _Unsupported("<link> without href")
    href = _urljoin(scope.base or "", attrs["href"])
    if attrs["rel"] == "alternate" and _map_content_type(attrs["type"]) in (HTML, XHTML):
        entry.link = href


def _atom_entry(element, scope: _Scope, names: _Names) -> _Entry:
    attrs = _atom_attrs(element)
    if set(attrs) - {"xml:lang", "lang", "xml:base", "base"}:
        raise _Unsupported("attributes on <entry>")
    scope.start(attrs)
    entry = _Entry()
    seen: set[str] = set()
    for child in element:
        if not _is_element(child):
            continue
        name = names(child.tag)
        if name in ("summary", "content", "id"):
            if name in seen:
                raise _Unsupported(f"a second <{name}>")
            seen.add(name)
        if name in _PASSIVE or name not in _ENTRY_NAMES:
            _passive(child, name, names, scope, entry)
            continue
        attrs = _atom_attrs(child)
        scope.start(attrs)
        if name in ("title", "dc_title"):
            entry.title_element(_atom_text(child, attrs, scope), 1)
        elif name == "summary":
            entry.summary = _atom_text(child, attrs, scope)
        elif name == "content":
            entry.content = _atom_text(child, attrs, scope)
        elif name == "link":
            _atom_link(entry, child, attrs, scope)
        elif name == "id":
            entry.guid_element(attrs, _leaf_text(child), scope.base or "")
        elif name in _PUBLISHED:
            entry.published = _parse_date(_finish(_leaf_text(child).strip()))
        elif name in _UPDATED:
            entry.updated = _parse_date(_finish(_leaf_text(child).strip()))
        elif name in _CATEGORY:
            entry.category(attrs, _leaf_text(child))
        elif name in _LANGUAGE:
            entry.language = _finish(_leaf_text(child).strip())
        scope.end()
    scope.end()
    return entry


_ENTRY_NAMES = frozenset(
    {"title", "dc_title", "summary", "content", "link", "id", *_PUBLISHED, *_UPDATED, *_CATEGORY, *_LANGUAGE}
)


def _atom(
    root, names: _Names, declarations: list[tuple[str | None, str]]
) -> tuple[_Field | None, str | None, list[_Entry]]:
    if any(uri.lower() in _VERSION_URIS for _prefix, uri in declarations):
        raise _Unsupported("an RSS 1.0 namespace in Atom")  # would change feedparser's version
    scope = _Scope()
    attrs = _atom_attrs(root)
    if set(attrs) - {"xml:lang", "lang", "xml:base", "base", "version"}:
        raise _Unsupported("attributes on <feed>")
    lang = scope.start(attrs)
    language = lang.replace("_", "-") if lang else None
    title: _Field | None = None
    entries = []
    for child in root:
        if not _is_element(child):
            continue
        name = names(child.tag)
        if name == "entry":
            entries.append(_atom_entry(child, scope, names))
        elif name == "title":
            if title is not None:
                raise _Unsupported("a second feed <title>")
            attrs = _atom_attrs(child)
            scope.start(attrs)
            title = _atom_text(child, attrs, scope)
            scope.end()
        elif name in _LANGUAGE:
            scope.start(_atom_attrs(child))
            language = _finish(_leaf_text(child).strip())
            scope.end()
        elif name in _ATOM_FEED_PASSIVE:
            scope.start(_atom_attrs(child))
            if name == "link":
                if len(child) or not ({"href", "url", "uri"} & set(_atom_attrs(child))):
                    raise _Unsupported("an unusual feed <link>")
            else:
                _leaf_text(child)
            scope.end()
        else:
            _passive(child, name, names, scope)
    scope.end()
    return title, language, entries


# ---------------------------------------------------------------- the document


_XML_DECLARATION = re.compile(rb"<\?xml\s")
_XML_10 = re.compile(rb"""<\?xml\s+version\s*=\s*["']1\.0["']""")
_FIRST_ELEMENT = re.compile(rb"<\w")
_DTD = re.compile(rb"<!(?:DOCTYPE|ENTITY)", re.IGNORECASE)


def parse_fast(document: bytes, url: str | None = None) -> tuple[str | None, list[FeedItem]] | None:
    """(feed title, items) exactly as the feedparser path gives them, or None to take that path.

    `document` is what the feedparser path reads: news.feeds.encoding.as_utf8_document's bytes.
    """
    try:
        return _parse(document, url)
    except Exception:  # noqa: BLE001 - _Unsupported, lxml's errors, anything unforeseen: feedparser decides
        return None


def _parse(document: bytes, url: str | None) -> tuple[str | None, list[FeedItem]] | None:
    if _XML_DECLARATION.match(document) and not _XML_10.match(document):
        raise _Unsupported("not XML 1.0")
    start = _FIRST_ELEMENT.search(document)
    if start is None or _DTD.search(document, 0, start.start()):
        raise _Unsupported("a DOCTYPE")
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False, remove_blank_text=False
    )
    root = etree.fromstring(document, parser)
    if root.getroottree().docinfo.doctype:
        raise _Unsupported("a DOCTYPE")
    declarations = _declarations(document)
    names = _Names(declarations)
    if root.tag == "rss":
        title, language, entries = _rss(root, names)
    elif root.tag == "{%s}feed" % ATOM_NS:
        title, language, entries = _atom(root, names, declarations)
    else:
        raise _Unsupported("neither RSS 2.0 nor Atom 1.0")
    feed_lang = lang_code(language)
    items = [item for entry in entries if (item := entry.item(url, feed_lang)) is not None]
    if not items:
        raise _Unsupported("no items")  # the other path decides between "empty" and "not a feed"
    feed_title = one_line(title.text) if title is not None else ""
    return feed_title or None, items
